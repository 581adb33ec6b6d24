"""Pictures drawn from the corpus at build time: the timeline and the actor map, as SVG text.

Pure functions over the corpus, like ``render``: the same corpus gives byte-identical SVG.
Every value from an entry is escaped for XML (``encode.xml_text``); colours come from the page
(``currentColor`` and Material's CSS variables, with fallbacks for the stand-alone files), so
the pictures follow light and dark mode and print in black on white. Links are written as the
built site's URLs (MkDocs' default ``use_directory_urls``) because raw HTML is not rewritten
by MkDocs: ``sources/<id>.md#e-<event>`` becomes ``../sources/<id>/#e-<event>``.

Each picture on a page comes twice, laid out for its width: a wide drawing, and a narrow one for
a phone (the page's width below 45em, Material's own breakpoint), shown by a media query in the
pictures' own style, so a phone never scrolls sideways and no label is drawn below 12 px. The
export files hold the wide drawing. Labels are never cut: they wrap onto more lines, measured
with the advance widths of Arial/Helvetica (``text_width``) and room left for a wider fallback
font.

The timeline's axis leaves out runs of years without events (a break mark shows where). Events
stand in the briefing's one order (``model.event_order``). The actor map draws the actors that an
event or a quote links to another actor, never an actor to its own state (its ``country``); the
others are named below it. Its layout is a spring layout (networkx's algorithm) with a fixed seed,
then nodes pushed apart until no two names overlap, so it is stable.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import posixpath
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import combinations, islice, pairwise
from typing import Any

from markupsafe import Markup

from .encode import xml_text
from .model import UNKNOWN_SPEAKER, Actor, Corpus, Event, Source, When, event_order

# Mid-tone colours that read on Material's white and slate backgrounds (Tableau 10, then two more).
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac", "#17becf", "#bcbd22")
NO_TOPIC = "var(--md-default-fg-color--light, #777)"
KIND_COLOURS = {"person": "#4e79a7", "organization": "#f28e2b", "state": "#59a14f"}
KIND_WORDS = (("person", "person"), ("organization", "organization"), ("state", "state"))
# How an event joins its actors, in the reader's words.
EVENT_LINKS = {"meeting": "met", "visit": "visit", "signing": "signed", "statement": "statement",
               "report": "report", "military": "military action", "policy": "policy", "other": "event"}
QUOTE_LINK = "quoted through"
COMENTION = "named in the same source"
NARROW = "44.984375em"  # Material's breakpoint between a phone's layout and a tablet's
MIN_FONT = 12  # no text in a picture is set smaller (px)
BREAK_YEARS = 2  # a run of this many years without events or more is left out of the timeline's axis
def page_url(path: str) -> str:
    """Where MkDocs (directory URLs) puts a docs path: 'sources/x.md' -> 'sources/x/'."""
    if not path.endswith(".md"):
        return path
    stem = path[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"


# The pictures' links are written as xlink:href, which every browser follows in SVG. Material's
# instant navigation resets the `href` of every element matching [href] after loading a page
# (`el.href = el.href`), and an SVG <a>'s href is a read-only SVGAnimatedString: the assignment
# throws and the page never opens. The selector matches no namespaced attribute.
XLINK = "http://www.w3.org/1999/xlink"
XLINK_NS = f'xmlns:xlink="{XLINK}"'


def href(from_path: str, to_path: str, anchor: str = "") -> str:
    """A relative URL from the built page (or file) of ``from_path`` to that of ``to_path``."""
    here = page_url(from_path)
    base = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"
    target = page_url(to_path)
    rel = _relpath(target, base)
    if target.endswith("/") or not target:
        rel = "./" if rel == "." else rel + "/"
    return rel + (f"#{anchor}" if anchor else "")


def _relpath(target: str, base: str) -> str:
    """posixpath.relpath for the plain relative paths of a site (no "." or ".." parts), without
    its two abspath calls: a timeline page makes one link per event."""
    to, start = [p for p in target.split("/") if p], [p for p in base.split("/") if p]
    common = 0
    while common < min(len(to), len(start)) and to[common] == start[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + to[common:]) or "."


MONTH_ABBR = tuple(calendar.month_abbr)  # read once: calendar asks strftime on every look-up


@lru_cache(maxsize=1 << 12)
def short_date(value: str) -> str:
    """'2024-10-29' -> '29 Oct 2024' (a timeline draws each event's date twice, in two drawings)."""
    parts = value.split("-")
    year = parts[0]
    if len(parts) == 1:
        return year
    month = MONTH_ABBR[int(parts[1])]
    return f"{month} {year}" if len(parts) == 2 else f"{int(parts[2])} {month} {year}"


def when_label(when: When) -> str:
    shown = short_date(when.date)
    return f"c. {shown}" if when.precision == "approximate" else shown


# --- Text: measured, wrapped, never cut --------------------------------------------------------

_EM: dict[str, float] = {}
for _chars, _em in (("ijl.,:;'|!", 0.24), (" ", 0.28), ("frtI()[]-/\"*", 0.34), ("Jcksvxyz", 0.5),
                    ("abdeghnopqu0123456789$?_#", 0.56), ("&ABEKPSVXY", 0.67), ("CDHNRUw", 0.73),
                    ("GOQm", 0.78), ("M", 0.83), ("W", 0.94)):
    _EM.update(dict.fromkeys(_chars, _em))
SLACK = 1.05  # room for fonts a little wider than Arial (Segoe UI, San Francisco, Liberation Sans)


def text_width(text: str, size: float) -> float:
    """About how wide ``text`` is at ``size`` px in Arial/Helvetica (and Liberation Sans)."""
    return size * _ems(text)


@lru_cache(maxsize=1 << 16)
def _ems(text: str) -> float:
    """``text``'s width in ems; kept, as names, dates and words recur on page after page."""
    return sum(_EM.get(c, 1.0 if ord(c) >= 0x2E80 else 0.62) for c in text)


def wrap(text: str, width: float, size: float) -> list[str]:
    """``text`` on as many lines as it needs, none wider than ``width`` px (with SLACK to spare):
    broken between words, and inside a word only when the word alone is wider than a line. A line's
    width is added up word by word, so a long text costs its length, not its length squared."""
    room = width / SLACK
    space = text_width(" ", size)
    lines: list[str] = []
    line, line_width = "", 0.0
    for word in " ".join(str(text).split()).split(" "):
        wide = text_width(word, size)
        while wide > room and len(word) > 1:
            cut = max(1, max((n for n in range(1, len(word)) if text_width(word[:n], size) <= room), default=1))
            if line:
                lines.append(line)
                line, line_width = "", 0.0
            lines.append(word[:cut])
            word = word[cut:]
            wide = text_width(word, size)
        if line and line_width + space + wide > room:
            lines.append(line)
            line, line_width = word, wide
        elif line:
            line, line_width = f"{line} {word}", line_width + space + wide
        else:
            line, line_width = word, wide
    return [*lines, line] if line or not lines else lines


def name_lines(text: str, size: float, one_line: float, most: float) -> list[str]:
    """A name as a label: on one line up to ``one_line`` px, else on two lines of about equal
    length (broken between words), else wrapped at ``most`` px."""
    text = " ".join(str(text).split())
    if text_width(text, size) * SLACK <= one_line:
        return [text]
    words = text.split(" ")
    if len(words) > 1:
        best = min(range(1, len(words)), key=lambda i: (max(text_width(" ".join(words[:i]), size),
                                                              text_width(" ".join(words[i:]), size)), i))
        two = [" ".join(words[:best]), " ".join(words[best:])]
        if max(text_width(line, size) for line in two) * SLACK <= most:
            return two
    return wrap(text, most, size)


def lines_width(lines: list[str], size: float) -> float:
    return max((text_width(line, size) for line in lines), default=0.0) * SLACK


def _text(lines: list[str], x: float, y: float, size: float, lead: float, anchor: str = "start",
          cls: str = "", first: str = "", aside: tuple[str, str] = ("", "")) -> str:
    """A <text> of one <tspan> per line, the first baseline at ``y``; ``first`` is a leading part
    of the first line set in bold (when the line starts with it), and ``aside`` (words, class) what
    may follow it in a class of its own (a date's "(inferred)", muted)."""
    klass = f' class="{cls}"' if cls else ""
    out = [f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}"{klass}>']
    for i, line in enumerate(lines):
        dy = 0 if i == 0 else lead
        if i == 0 and first and line.startswith(first):
            rest = line[len(first):]
            body = f'<tspan font-weight="600">{xml_text(first)}</tspan>'
            words, kind = aside
            if words and rest.startswith(f" {words}"):
                body += f' <tspan class="{kind}">{xml_text(words)}</tspan>'
                rest = rest[len(words) + 1:]
            body += (" " if rest[:1] == " " else "") + xml_text(rest)
        else:
            body = xml_text(line)
        out.append(f'<tspan x="{_n(x)}" dy="{_n(dy)}">{body}</tspan>')
    return "".join(out) + "</text>"


def _n(value: float) -> str:
    """A coordinate as written: one decimal at most (correctly rounded, as ``round`` would), the
    same on every machine."""
    return f"{value:.1f}".removesuffix(".0")


def _legend(items: Sequence[tuple[str, float, str]], x: float, y: float, width: float, size: float
            ) -> tuple[list[str], float]:
    """Legend entries (a symbol drawn by ``symbol(x, y)`` marking, its width, the words) flowed
    into lines ``width`` px wide from (x, y); returns the SVG and the y below the last line.
    An entry too wide for a line wraps its words. Every actor page and timeline page draws one of
    a few legends: each is laid out once, and moved down to where it goes."""
    drawn, bottom = _legend_at_top(tuple(items), x, width, size)
    return [f'<g transform="translate(0 {_n(y)})">{drawn}</g>'], y + bottom


@lru_cache(maxsize=256)
def _legend_at_top(items: tuple[tuple[str, float, str], ...], x: float, width: float, size: float
                   ) -> tuple[str, float]:
    y = 0.0
    out: list[str] = []
    lead = round(size * 1.45, 1)
    cursor, line_y, right = x, y, x + width
    for symbol, wide, words in items:
        room = right - x - wide - 6
        lines = wrap(words, room, size)
        need = wide + 6 + lines_width(lines, size)
        if cursor > x and cursor + need > right:
            cursor, line_y = x, line_y + lead
        out.append(symbol.format(x=_n(cursor), cx=_n(cursor + wide / 2), y=_n(line_y - size * 0.35),
                                 x2=_n(cursor + wide)))
        out.append(_text(lines, cursor + wide + 6, line_y, size, lead))
        line_y += lead * (len(lines) - 1)
        cursor = cursor + need + 16 if len(lines) == 1 else x
        if len(lines) > 1:
            line_y += lead
    bottom = line_y + (size * 0.5 if cursor > x else -lead + size * 0.5)
    return "".join(out), bottom


def _style(p: str, variant: str, width: int, extra: str = "") -> str:
    """The pictures' own style: colours from the page's theme (with fallbacks for a stand-alone
    file), and which drawing shows at which width (only inside a page's figure)."""
    return (
        "<style>"
        f".{variant},.md-typeset .briefing-figure svg.{variant}"
        f"{{display:block;width:100%;max-width:{width}px;height:auto;"
        "margin:0;color:var(--md-typeset-color,#1d1d1d)}"
        f".md-typeset .briefing-figure svg.{p}-narrow{{display:none}}"
        f"@media screen and (max-width:{NARROW}){{.md-typeset .briefing-figure svg.{p}-wide{{display:none}}"
        f".md-typeset .briefing-figure svg.{p}-narrow{{display:block}}}}"
        f".{p} text{{font-family:var(--md-text-font-family,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif);"
        "fill:currentColor}"
        f".{p} .{p}-muted{{fill:var(--md-default-fg-color--light,#555)}}"
        f".{p} .{p}-rule{{stroke:var(--md-default-fg-color--lighter,#bbb);stroke-width:1;fill:none}}"
        f".{p} .{p}-break{{stroke:currentColor;stroke-width:1.5;fill:none}}"
        f".md-typeset svg.{p} a:not(.headerlink):not(.md-button):not(.briefing-quote-link){{text-decoration:none;"
        "color:inherit}"
        ".md-typeset .briefing-figure{margin:1em 0}"
        ".md-typeset .briefing-figure figcaption{max-width:none;margin:.6em 0 0;text-align:left;font-style:normal;"
        "font-size:.7rem;color:var(--md-default-fg-color--light,#555)}"
        f".{p} a:hover text,.{p} a:focus text,.{p} text a:hover,.{p} text a:focus{{text-decoration:underline}}"
        f".{p} a:focus{{outline:2px solid var(--md-accent-fg-color,#06c)}}"
        f"{extra}</style>")


def _figure(kind: str, drawings: Iterable[str], caption: str) -> Markup:
    """The picture (its wide and narrow drawings) with its caption."""
    return Markup(f'<figure class="briefing-figure briefing-{kind}">\n' + "".join(drawings)
                  + f"<figcaption>{xml_text(caption)}</figcaption>\n</figure>\n")


_LAST: dict[str, tuple[tuple[Any, ...], Any]] = {}


def _kept(slot: str, inputs: tuple[Any, ...], make: Callable[[], Any]) -> Any:
    """The last answer made for ``slot``, while it is asked for with the same inputs (a corpus is
    the same one object; anything else compares by value); else ``make()``'s, kept instead. One
    build asks for the same picture's parts several times (page, caption, export), and a rebuild
    under `mkdocs serve` often for the same graph again."""
    last = _LAST.get(slot)
    if last is not None and len(last[0]) == len(inputs) and all(
            a is b or (not isinstance(a, Corpus) and a == b) for a, b in zip(last[0], inputs, strict=True)):
        return last[1]
    answer = make()
    _LAST[slot] = (inputs, answer)
    return answer


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _years(first: int, last: int, lead: str = "") -> str:
    if first == last:
        return f"in {first}"
    return f"{lead} {first} to {last}".strip()


def _svg_open(cls: str, ident: str, width: int, height: float, title: str, desc: str, style: str) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" {XLINK_NS} class="{cls}" viewBox="0 0 {width} {_n(height)}" '
            f'width="{width}" height="{_n(height)}" role="graphics-document document" '
            f'aria-labelledby="{ident}-title {ident}-desc">',
            f'<title id="{ident}-title">{xml_text(title)}</title>', f'<desc id="{ident}-desc">{xml_text(desc)}</desc>',
            style]
# --- Timeline -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineStyle:
    width: int = 680
    font: int = 13
    lead: int = 17
    margin: int = 8
    label_width: int = 330  # the wide drawing: labels in a column left of the axis
    gap: int = 14
    break_width: int = 22
    axis: int = 30
    narrow: bool = False


WIDE = TimelineStyle()
NARROW_TIMELINE = TimelineStyle(width=356, font=13, lead=17, margin=4, narrow=True)


def events_in_order(events: Iterable[Event]) -> list[Event]:
    """Events in the briefing's one order (``model.event_order``)."""
    return sorted(events, key=event_order)


def topic_colours(corpus: Corpus) -> dict[str, str]:
    """A colour for each topic that some event names first, in topic-id order."""
    def colours() -> dict[str, str]:
        used = {e.topics[0] for e in corpus.events() if e.topics}
        return {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(t for t in corpus.topics if t in used)}

    return dict(_kept("colours", (corpus,), colours))  # every timeline page asks


def timeline_topics(corpus: Corpus) -> dict[str, tuple[str, str]]:
    """What the timeline's pictures show of the topics: each coloured topic's name and colour."""
    return {t: (corpus.topics[t].name, colour) for t, colour in topic_colours(corpus).items()}


def _day(value: str) -> int:
    return dt.date.fromisoformat(value).toordinal()


def _jan1(year: int) -> int:
    """1 January of ``year`` as a day number; of 10000 too, the end of 9999 (the last year a date has)."""
    return dt.date(year, 1, 1).toordinal() if year <= dt.MAXYEAR else dt.date.max.toordinal() + 1


def years_with_events(events: Iterable[Event]) -> list[int]:
    """Every year some event's span touches."""
    return sorted({y for e in events for y in range(int(e.when.range[0][:4]), int(e.when.range[1][:4]) + 1)})


def year_runs(years: list[int], gap: int = BREAK_YEARS) -> list[tuple[int, int]]:
    """The stretches of the axis: runs of years with events, joined over fewer than ``gap``
    empty years; the axis is broken between two runs."""
    runs: list[list[int]] = []
    for year in years:
        if runs and year - runs[-1][1] - 1 < gap:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return [(a, b) for a, b in runs]


def join_closest(runs: list[tuple[int, int]], breaks: int) -> list[tuple[int, int]]:
    """``runs`` with at most ``breaks`` breaks between them: the widest gaps stay breaks, the
    others are joined (the earlier of equal gaps first). Events in every third year of ten
    centuries made 3,300 runs, whose breaks alone were wider than the drawing."""
    if len(runs) - 1 <= breaks:
        return runs
    by_width = sorted(range(len(runs) - 1), key=lambda i: (runs[i + 1][0] - runs[i][1], i))
    kept = set(by_width[len(by_width) - breaks:]) if breaks > 0 else set()
    joined = [runs[0]]
    for i, run in enumerate(runs[1:]):
        joined[-1:] = [joined[-1], run] if i in kept else [(joined[-1][0], run[1])]
    return joined


_YEAR_STEPS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)
_TICK_STEPS = (1, 10, 100, 1000, 10000)


@dataclass(frozen=True)
class Axis:
    """A time axis over runs of years, with a break of fixed width between runs."""

    segments: tuple[tuple[int, int, float, float], ...]  # first year, last year, x from, x to

    @classmethod
    def over(cls, years: list[int], left: float, right: float, break_width: float) -> Axis:
        """The axis from ``left`` to ``right``; its breaks take at most half of it."""
        runs = join_closest(year_runs(years) or [(dt.date.today().year,) * 2], int((right - left) / 2 // break_width))
        shown = sum(b - a + 1 for a, b in runs)
        per_year = (right - left - break_width * (len(runs) - 1)) / shown
        segments, cursor = [], left
        for a, b in runs:
            end = cursor + (b - a + 1) * per_year
            segments.append((a, b, cursor, end))
            cursor = end + break_width
        return cls(tuple(segments))

    @property
    def per_year(self) -> float:
        a, b, x0, x1 = self.segments[0]
        return (x1 - x0) / (b - a + 1)

    def every(self, room: float, steps: tuple[int, ...] = _YEAR_STEPS) -> int:
        """Every how many years a mark at least ``room`` apart fits (a year each on any real
        briefing's axis; a span of centuries gets a mark a decade or a century)."""
        return next((n for n in steps if n * self.per_year >= room), steps[-1])

    def ticks(self, a: int, b: int) -> list[int]:
        """The years of one run whose start is marked, and the year after it (the run's end). A
        power of ten apart, so every labelled year (``every`` of a label's room) is among them."""
        return [*range(a, b + 1, self.every(4, _TICK_STEPS)), b + 1]

    @cached_property
    def _days(self) -> tuple[list[int], list[int]]:
        """Each segment's first day and the day after its last, for a bisection."""
        return [_jan1(a) for a, *_ in self.segments], [_jan1(b + 1) for _, b, *_ in self.segments]

    def x(self, day: int, end: bool = False) -> float:
        """Where ``day`` starts; with ``end``, where the day before it ends (a span's exclusive end),
        which after a run's last day is that run's right edge, not the next run's left edge across
        the break (a span of 2005 once reached over the years left out, to the edge of 2011)."""
        starts, pasts = self._days
        i = bisect_right(pasts, day)  # the first segment that ends after ``day``
        if end and i and pasts[i - 1] == day:
            i -= 1
        if i == len(pasts):
            return self.segments[-1][3]
        _, _, x0, x1 = self.segments[i]
        return x0 + (max(day, starts[i]) - starts[i]) / (pasts[i] - starts[i]) * (x1 - x0)

    @property
    def breaks(self) -> list[tuple[float, int, int]]:
        """(x of the break's middle, first and last year left out) between each two segments."""
        return [((x1 + nx0) / 2, b + 1, na - 1)
                for (a, b, x0, x1), (na, nb, nx0, nx1) in pairwise(self.segments)]

    def skipped(self) -> str:
        return ", ".join(f"{f}" if f == t else f"{f}-{t}" for _, f, t in self.breaks)


def _break_mark(x: float, y: float, cls: str) -> str:
    """Two slanted strokes across the axis: years left out here."""
    return (f'<path class="{cls}" d="M{_n(x - 6)} {_n(y + 6)}L{_n(x - 2)} {_n(y - 6)}'
            f'M{_n(x + 2)} {_n(y + 6)}L{_n(x + 6)} {_n(y - 6)}"/>')


def _mark(event: Event, x0: float, x1: float, y: float, colour: str) -> str:
    """A dot for a date known to the day; a bar over the span an uncertain date fell in."""
    first, last = event.when.range
    if first == last:
        return (f'<circle cx="{_n((x0 + x1) / 2)}" cy="{_n(y)}" r="5.5" fill="{colour}" stroke="currentColor" '
                'stroke-width=".75"/>')
    if x1 - x0 < 8:  # a span too short to see still shows as a span, not a dot
        centre = (x0 + x1) / 2
        x0, x1 = centre - 4, centre + 4
    return (f'<rect class="bt-range" x="{_n(x0)}" y="{_n(y - 5)}" width="{_n(x1 - x0)}" height="10" rx="2" '
            f'fill="{colour}" stroke="{colour}"/>'
            f'<path d="M{_n(x0)} {_n(y - 7)}V{_n(y + 7)}M{_n(x1)} {_n(y - 7)}V{_n(y + 7)}" stroke="currentColor" '
            'stroke-width="1.25"/>')


_INFERRED = ("(inferred)", "bt-muted")  # after a row's date, when it was worked out


def _date_label(when: When) -> str:
    """The date as a row shows it: ``when_label`` (set in bold), and '(inferred)' for a date worked
    out rather than printed in the document, as every other place that gives the date says."""
    return f"{when_label(when)} {_INFERRED[0]}" if when.inferred else when_label(when)


def _event_label(event: Event) -> str:
    """The event as its row's text: its date and what happened."""
    return f"{_date_label(event.when)} · {' '.join(event.title.split())}"


def _event_link(event: Event, from_path: str) -> tuple[str, str, str]:
    """The event's link, its label as drawn, and its accessible name (holding the label)."""
    link = href(from_path, f"sources/{event.source_id}.md", event.anchor)
    label = _event_label(event)
    return link, label, f"{label}. Date: {event.when.label}"


# The timeline's rows in both drawings (desk and phone): a faint band, a hover, the date ranges.
_TIMELINE_CSS = (".bt .bt-band{fill:currentColor;opacity:.04}.bt .bt-range{fill-opacity:.4;stroke-width:1.5}"
                 ".bt a:hover .bt-band,.bt a:focus .bt-band{opacity:.1}")


def _timeline_legend(topics: dict[str, tuple[str, str]], events: list[Event], width: float, x: float, y: float,
                     size: int, axis: Axis | None) -> tuple[list[str], float]:
    used = sorted({e.topics[0] for e in events if e.topics and e.topics[0] in topics},
                  key=lambda t: topics[t][0].casefold())
    items = [('<circle cx="{cx}" cy="{y}" r="5" fill="none" stroke="currentColor"/>', 12, "known to the day"),
             ('<rect x="{x}" y="' + "{y}" + '" width="22" height="10" rx="2" fill="none" stroke="currentColor" '
              'transform="translate(0 -5)"/>', 22, "approximate, month or year: the span it fell in")]
    if axis is not None and axis.breaks:
        items.append(('<path class="bt-break" d="M{x} {y}m0 6l4 -12m4 12l4 -12"/>', 12,
                      f"years without events left out ({axis.skipped()})"))
    items += [(f'<rect x="{{x}}" y="{{y}}" width="12" height="12" rx="2" fill="{topics[t][1]}" '
               'transform="translate(0 -6)"/>', 12, topics[t][0]) for t in used]
    if any(not e.topics for e in events):
        items.append((f'<rect x="{{x}}" y="{{y}}" width="12" height="12" rx="2" fill="{NO_TOPIC}" '
                      'transform="translate(0 -6)"/>', 12, "no topic"))
    return _legend(items, x, y, width, size)


def timeline_svg(corpus: Corpus, from_path: str, style: TimelineStyle = WIDE,
                 events: list[Event] | None = None) -> str:
    """Events (default: every event) in the briefing's order, one row each, on a time axis that
    leaves out years without events; ranges for approximate dates. Each timeline page draws its
    own events, so no picture grows unbounded."""
    return _drawing(timeline_svg_lines(corpus, from_path, style, events))


def _drawing(lines: Iterable[str]) -> str:
    """An SVG drawing's lines (or a piece of them) as its text, each ending its line."""
    return "\n".join(lines) + "\n"


def timeline_svg_lines(corpus: Corpus, from_path: str, style: TimelineStyle = WIDE,
                       events: list[Event] | None = None) -> Iterator[str]:
    """``timeline_svg``'s lines, one at a time: the export draws every event (30,000 at 10,000
    sources) and is written a batch of lines at a time, so its rows are never all held as text."""
    events = events_in_order(corpus.events()) if events is None else events
    return _timeline_lines(timeline_topics(corpus), from_path, style, events)


def _timeline_lines(topics: dict[str, tuple[str, str]], from_path: str, style: TimelineStyle,
                    events: list[Event]) -> Iterator[str]:
    if style.narrow:
        return iter(_timeline_narrow(topics, from_path, style, events))
    return _timeline_wide(topics, from_path, style, events)


def timeline_svg_pieces(corpus: Corpus, from_path: str, batch: int = 256) -> Iterator[str]:
    """``timeline_svg(corpus, from_path)`` in pieces of ``batch`` lines (the export file)."""
    lines = timeline_svg_lines(corpus, from_path)
    while chunk := list(islice(lines, batch)):
        yield _drawing(chunk)


def _timeline_wide(topics: dict[str, tuple[str, str]], from_path: str, s: TimelineStyle,
                   events: list[Event]) -> Iterator[str]:
    colours = {t: colour for t, (_, colour) in topics.items()}
    years = years_with_events(events)
    left, right = s.margin, s.width - s.margin
    axis_left = left + s.label_width + s.gap
    axis = Axis.over(years, axis_left, right, s.break_width)
    rows = []
    top = s.axis + 6
    y: float = top
    for event in events:
        lines = wrap(_event_label(event), s.label_width, s.font)
        height: float = max(24, len(lines) * s.lead + 8)  # a row's; at the end, the drawing's
        rows.append((event, lines, y, height))  # its text is made as it is written
        y += height
    rows_end = y
    legend, legend_end = _timeline_legend(topics, events, right - left, left, rows_end + s.axis + 22, s.font, axis)
    height = legend_end + s.margin
    first_year, last_year = (years[0], years[-1]) if years else (axis.segments[0][0],) * 2
    title = f"Timeline of {_count(len(events), 'event')}, {_years(first_year, last_year)}"
    desc = ("Each row is one event, in the order the page states: by the last day it could have happened. "
            "Left, its date and what happened; right, where it falls on a time axis from "
            f"{first_year} to {last_year}"
            + (f" that leaves out years without events ({axis.skipped()}), marked by a break" if axis.breaks else "")
            + ". A dot marks an event known to the day; a bar marks the span within which an event with an "
            "approximate, month or year date fell; a date marked (inferred) was worked out from the document, "
            "not printed in it. Colour shows the event's first topic. Each row links to the event in its source.")
    yield from _svg_open("bt bt-wide", "bt", s.width, height, title, desc, _style(
        "bt", "bt-wide", s.width,
        _TIMELINE_CSS))

    def axis_line(y: float, labels_above: bool) -> Iterator[str]:
        step = axis.every(s.font * 3.2)
        for a, b, x0, x1 in axis.segments:
            yield f'<line class="bt-rule" x1="{_n(x0)}" y1="{_n(y)}" x2="{_n(x1)}" y2="{_n(y)}"/>'
            for year in axis.ticks(a, b):
                xx = axis.x(_jan1(year)) if year <= b else x1
                yield f'<line class="bt-rule" x1="{_n(xx)}" y1="{_n(y - 4)}" x2="{_n(xx)}" y2="{_n(y + 4)}"/>'
                if year <= b and ((year - a) % step == 0):
                    mid = (xx + (axis.x(_jan1(year + 1)) if year < b else x1)) / 2
                    ty = y - 8 if labels_above else y + s.font + 6
                    yield (f'<text class="bt-muted" x="{_n(mid)}" y="{_n(ty)}" text-anchor="middle" '
                           f'font-size="{s.font - 1}">{year}</text>')
        for x, _, _ in axis.breaks:
            yield _break_mark(x, y, "bt-break")

    yield from axis_line(top - 4, True)
    for a, b, _x0, x1 in axis.segments:
        for year in axis.ticks(a, b):
            xx = axis.x(_jan1(year)) if year <= b else x1
            yield f'<line class="bt-rule" x1="{_n(xx)}" y1="{top}" x2="{_n(xx)}" y2="{_n(rows_end)}" opacity=".45"/>'
    for event, lines, y, h in rows:
        link, _, name = _event_link(event, from_path)
        first, last = event.when.range
        colour = colours.get(event.topics[0], NO_TOPIC) if event.topics else NO_TOPIC
        mid = y + h / 2
        tip = xml_text(name)
        yield (f'<a xlink:href="{xml_text(link)}" aria-label="{tip}"><title>{tip}</title>'
               f'<rect class="bt-band" x="{left}" y="{_n(y + 1)}" width="{right - left}" '
               f'height="{_n(h - 2)}" rx="3"/>'
               + _mark(event, axis.x(_day(first)), axis.x(_day(last) + 1, end=True), mid, colour)
               + _text(lines, left + 4, mid - (len(lines) - 1) * s.lead / 2 + s.font * 0.35, s.font, s.lead,
                       first=when_label(event.when), aside=_INFERRED)
               + "</a>")
    yield from axis_line(rows_end + 4, False)
    yield f'<g class="bt-legend">{"".join(legend)}</g></svg>'


def _timeline_narrow(topics: dict[str, tuple[str, str]], from_path: str, s: TimelineStyle,
                     events: list[Event]) -> list[str]:
    """For a phone: the events as a list down a rule, under a heading for each year, with a
    break mark where years without events are left out; each a dot or a span's bar, its date,
    and what happened on as many lines as it needs."""
    colours = {t: colour for t, (_, colour) in topics.items()}
    years = years_with_events(events)
    runs = year_runs(years)
    rule_x, text_x, right = s.margin + 10, s.margin + 28, s.width - s.margin
    body: list[str] = []
    y = s.margin + 4.0
    shown_year = None
    for event in events:
        year = int(event.when.range[1][:4])  # the year it is placed in: the last it could be
        if year != shown_year:
            if shown_year is not None and not any(a <= shown_year and year <= b for a, b in runs):
                y += 8
                body.append(_break_mark(rule_x, y + 6, "bt-break"))
                left_out = [f"{b + 1}" if b + 1 == na - 1 else f"{b + 1}-{na - 1}"
                            for (a, b), (na, nb) in pairwise(runs) if shown_year <= b and na <= year]
                body.append(_text([f"no events in {', '.join(left_out)}"], text_x, y + 10, s.font - 1, s.lead,
                                  cls="bt-muted"))
                y += 16
            y += 10
            body.append(f'<text x="{_n(text_x)}" y="{_n(y + s.font + 2)}" font-size="{s.font + 2}" '
                        f'font-weight="700">{year}</text>')
            y += s.font + 10
            shown_year = year
        link, label, name = _event_link(event, from_path)
        date = _date_label(event.when)
        lines = wrap(" ".join(event.title.split()), right - text_x, s.font)
        height: float = s.lead * (len(lines) + 1) + 8  # an event's; at the end, the drawing's
        colour = colours.get(event.topics[0], NO_TOPIC) if event.topics else NO_TOPIC
        first, last = event.when.range
        mark_y = y + 4 + s.font * 0.65
        mark = (_mark(event, rule_x, rule_x, mark_y, colour) if first == last else
                _mark(event, rule_x - 8, rule_x + 8, mark_y, colour))
        tip = xml_text(name)
        body.append(f'<a xlink:href="{xml_text(link)}" aria-label="{tip}"><title>{tip}</title>'
                    f'<rect class="bt-band" x="{s.margin}" y="{_n(y)}" width="{right - s.margin}" '
                    f'height="{_n(height - 2)}" rx="3"/>' + mark
                    + _text([date, *lines], text_x, y + 4 + s.font, s.font, s.lead, first=when_label(event.when),
                            aside=_INFERRED) + "</a>")
        y += height
    legend, legend_end = _timeline_legend(topics, events, right - s.margin, s.margin, y + 26, s.font - 1, None)
    height = legend_end + s.margin
    title = f"Timeline of {_count(len(events), 'event')}" + (f", {_years(years[0], years[-1])}" if years else "")
    desc = ("The events as a list, in the order the page states, under a heading for each year; a break mark "
            "shows where years without events are left out. A dot marks an event known to the day, a bar one "
            "with an approximate, month or year date; a date marked (inferred) was worked out from the document, "
            "not printed in it. Colour shows the event's first topic. Each event links to the event in its source.")
    out = _svg_open("bt bt-narrow", "btn", s.width, height, title, desc, _style(
        "bt", "bt-narrow", s.width,
        _TIMELINE_CSS))
    out.append(f'<line class="bt-rule" x1="{rule_x}" y1="{s.margin}" x2="{rule_x}" y2="{_n(y)}"/>')
    out += body
    out.append(f'<g class="bt-legend">{"".join(legend)}</g></svg>')
    return out


def timeline_caption(events: list[Event]) -> str:
    if not events:
        return "Timeline: no events are recorded yet."
    years = years_with_events(events)
    axis = Axis.over(years, 0, 100, 1)
    spans = sum(1 for e in events if e.when.range[0] != e.when.range[1])
    left_out = f" The axis leaves out years without events ({axis.skipped()})." if axis.breaks else ""
    return (f"Timeline of {_count(len(events), 'event')} {_years(years[0], years[-1], 'from')}, one row each, "
            f"in the order the page states; {spans} with an approximate, month or year date are "
            f"drawn as the span they fell in, the others as dots. Colours show each event's first topic.{left_out} "
            "The table below lists the same events.")


def timeline_figure(from_path: str, pairs: list[tuple[Event, Any]], topics: dict[str, tuple[str, str]]) -> Markup:
    """The picture of the events on one timeline page (``pairs`` of event and source), drawn from
    its arguments alone (``topics``: ``timeline_topics``), so that `mkdocs serve` knows what it
    was drawn from by what the page read, and never draws it again to see."""
    events = [event for event, _ in pairs]
    return _figure("timeline", [_drawing(_timeline_lines(topics, from_path, style, events))
                                for style in (WIDE, NARROW_TIMELINE)], timeline_caption(events))


# --- Actor map ------------------------------------------------------------------------------


@dataclass
class Link:
    """Two actors joined by events and quotes (kinds), or only named in the same source."""

    a: str
    b: str
    kinds: dict[str, set[str]] = field(default_factory=dict)  # kind -> source ids
    together_in: set[str] = field(default_factory=set)  # sources naming both

    @property
    def drawn(self) -> bool:
        return bool(self.kinds)

    @cached_property
    def sources(self) -> list[str]:
        """The sources that show the link, by id (asked for by the picture, its tooltip and the
        table beside it, once the graph is made; a link does not change after)."""
        return sorted(set().union(*self.kinds.values()) if self.kinds else self.together_in)

    @property
    def weight(self) -> int:
        return sum(len(v) for v in self.kinds.values())

    def other(self, actor_id: str) -> str:
        return self.b if actor_id == self.a else self.a

    @property
    def how(self) -> str:
        return "; ".join(f"{k} ({len(v)})" for k, v in sorted(self.kinds.items()))


@dataclass
class ActorGraph:
    actors: list[Actor]
    appearances: dict[str, dict[str, int]]  # actor id -> {"sources": n, "events": n, "quotes": n}
    links: list[Link]  # drawn (event or quote) links first, then co-mentions; each sorted by ids
    named_in: dict[str, list[str]]  # source id -> actor ids it names
    degree: dict[str, int] = field(default_factory=dict)  # actor id -> number of drawn links
    total_actors: int = 0  # in the whole briefing; the graph holds the most-named of them

    def total(self, actor_id: str) -> int:
        return sum(self.appearances[actor_id].values())

    @property
    def drawn(self) -> list[Link]:
        return [link for link in self.links if link.drawn]

    @property
    def together_only(self) -> list[Link]:
        return [link for link in self.links if not link.drawn]

    @property
    def linked(self) -> list[Actor]:
        """The actors the map draws: each linked to another by an event or a quote."""
        return [a for a in self.actors if self.degree.get(a.id)]

    @property
    def unlinked(self) -> list[Actor]:
        """Named in the sources, but linked to no other actor: named beside the map, not drawn."""
        return sorted((a for a in self.actors if not self.degree.get(a.id)), key=lambda a: (a.name.casefold(), a.id))


MAP_ACTORS = 80  # the map and its tables show this many of the most-named actors


def own_state(state: Actor, actor: Actor) -> bool:
    """Whether ``state`` is the state ``actor`` belongs to (its ``country`` names the state, or
    one of its aliases): the map draws no line from an actor to its own state."""
    if state.kind != "state" or not actor.country:
        return False
    country = " ".join(actor.country.split()).casefold()
    return any(" ".join(n.split()).casefold() == country for n in (state.name, *state.aliases))


def _unrelated(corpus: Corpus, a: str, b: str) -> bool:
    first, second = corpus.actors.get(a), corpus.actors.get(b)
    return first is None or second is None or not (own_state(first, second) or own_state(second, first))


def _source_links(source: Source) -> Iterator[tuple[str, str, str]]:
    """(actor, actor, how) for each pair an event or a quote in ``source`` joins."""
    for event in source.events:
        for a, b in combinations(sorted(set(event.actors)), 2):
            yield a, b, EVENT_LINKS.get(event.kind, event.kind)
    yield from _quote_links(source)


def _quote_links(source: Source) -> Iterator[tuple[str, str, str]]:
    for quote in source.quotes:
        if quote.via and quote.via.actor and quote.speaker != UNKNOWN_SPEAKER and quote.via.actor != quote.speaker:
            a, b = sorted((quote.speaker, quote.via.actor))
            yield a, b, QUOTE_LINK


def actor_graph(corpus: Corpus, limit: int = MAP_ACTORS) -> ActorGraph:
    """Who is linked to whom, how, and in which sources; computed from events, quotes and mentions.

    Only the ``limit`` most-named actors take part, so the picture and the tables beside it stay
    readable (and the page small) however large the briefing grows; every actor keeps its page.
    No pair is an actor and its own state. One corpus is drawn several times per build (page,
    caption, export): the last graph is kept.
    """
    return _kept("graph", (corpus, limit), lambda: _actor_graph(corpus, limit))


def _appearances(corpus: Corpus) -> dict[str, dict[str, int]]:
    appearances = {a: {"sources": len(corpus.sources_by_actor.get(a, ())), "events": 0, "quotes": 0}
                   for a in corpus.actors}
    for source in corpus.sources:
        for event in source.events:
            for a in set(event.actors):
                appearances[a]["events"] += 1
        for quote in source.quotes:
            if quote.speaker != UNKNOWN_SPEAKER:
                appearances[quote.speaker]["quotes"] += 1
    return appearances


def _actor_graph(corpus: Corpus, limit: int) -> ActorGraph:
    links: dict[tuple[str, str], Link] = {}
    every = _appearances(corpus)
    chosen = set(sorted(corpus.actors, key=lambda a: (-sum(every[a].values()), corpus.actors[a].name))[:limit])
    appearances = {a: n for a, n in every.items() if a in chosen}

    def link(a: str, b: str) -> Link:
        a, b = sorted((a, b))
        return links.setdefault((a, b), Link(a, b))

    named_in: dict[str, list[str]] = {}
    for source in sorted(corpus.sources, key=lambda s: s.id):
        named = {a.id for a in source.actors} | {q.speaker for q in source.quotes}
        named |= {q.via.actor for q in source.quotes if q.via and q.via.actor}
        named |= {a for e in source.events for a in e.actors}
        named &= chosen
        if len(named) < 2:
            continue
        named_in[source.id] = sorted(named)
        for a, b in combinations(sorted(named), 2):
            if _unrelated(corpus, a, b):
                link(a, b).together_in.add(source.id)
        for a, b, how in _source_links(source):
            if a in chosen and b in chosen and _unrelated(corpus, a, b):
                link(a, b).kinds.setdefault(how, set()).add(source.id)
    ordered = sorted(links.values(), key=lambda edge: (not edge.drawn, edge.a, edge.b))
    degree = dict.fromkeys(sorted(chosen), 0)
    for drawn in (edge for edge in ordered if edge.drawn):
        degree[drawn.a] += 1
        degree[drawn.b] += 1
    actors = [a for a in corpus.actors.values() if a.id in chosen]
    return ActorGraph(actors, appearances, ordered, named_in, degree, total_actors=len(corpus.actors))


def actor_links(corpus: Corpus, actor_id: str) -> list[tuple[Actor, Link]]:
    """Every actor an event or a quote links ``actor_id`` to (never its own state), with the link,
    the strongest first: the actor page's map of its neighbourhood and the table beside it.

    Worked out from the actor's own sources, when its page asks (twice: the table and the map),
    not from an index of every link kept for the whole build: at 10,000 sources that index held
    30,000 links in each process that renders actor pages."""
    return _kept("links", (corpus, actor_id), lambda: _actor_links(corpus, actor_id))


def _links_of(source: Source, actor_id: str) -> Iterator[tuple[str, str, str]]:
    """The pairs of ``_source_links(source)`` that ``actor_id`` is in, in the same order, without
    making the others: an event naming 1,500 actors is 1.1 million pairs, asked once per actor."""
    for event in source.events:
        named = set(event.actors)
        if actor_id in named:
            for other in sorted(named - {actor_id}):
                yield (actor_id, other, EVENT_LINKS.get(event.kind, event.kind)) if actor_id < other else \
                    (other, actor_id, EVENT_LINKS.get(event.kind, event.kind))
    for a, b, how in _quote_links(source):
        if actor_id in (a, b):
            yield a, b, how


def _actor_links(corpus: Corpus, actor_id: str) -> list[tuple[Actor, Link]]:
    links: dict[tuple[str, str], Link] = {}
    for source_id in corpus.sources_by_actor.get(actor_id, ()):  # every source an event or a quote names it in
        for a, b, how in _links_of(corpus.source_by_id[source_id], actor_id):
            if a in corpus.actors and b in corpus.actors and _unrelated(corpus, a, b):
                links.setdefault((a, b), Link(a, b)).kinds.setdefault(how, set()).add(source_id)
    found = [(corpus.actors[link.other(actor_id)], link) for _, link in sorted(links.items())]
    return sorted(found, key=lambda pair: (-pair[1].weight, pair[0].name.casefold(), pair[0].id))


def labels(actors: Iterable[Actor]) -> dict[str, str]:
    """Each actor's label: its full name; where two would read the same, with what tells them
    apart (country, then kind, then id)."""
    actors = list(actors)
    named: dict[str, str] = {a.id: " ".join(a.name.split()) for a in actors}
    for extra in (lambda a: a.country, lambda a: a.kind, lambda a: a.id):
        seen: dict[str, list[Actor]] = {}
        for a in actors:
            seen.setdefault(named[a.id].casefold(), []).append(a)
        clashes = [group for group in seen.values() if len(group) > 1]
        if not clashes:
            break
        for group in clashes:
            for a in group:
                more = extra(a)
                if more and f"({more})" not in named[a.id]:
                    named[a.id] = f"{named[a.id]} ({' '.join(more.split())})"
    return named


@dataclass(frozen=True)
class MapStyle:
    width: int = 680
    font: int = 13
    lead: int = 16
    one_line: int = 130  # a name longer than this (px) goes on two lines
    most: int = 170  # no line of a name wider than this
    margin: int = 10
    seed: int = 20240611
    spread: float = 2.2  # spring layout's k, times 1/sqrt(nodes)
    squeeze: float = 0.6  # radial exponent < 1 spreads the crowded middle
    aspect: float = 0.8  # height of the frame the nodes start in, as a share of the width
    narrow: bool = False


MAP_WIDE = MapStyle()
MAP_NARROW = MapStyle(width=356, font=12, lead=15, one_line=96, most=118, margin=6, aspect=2.2, narrow=True)


def node_radius(total: int) -> float:
    return round(4 + 2.2 * math.sqrt(total), 1)


@dataclass(frozen=True)
class MapLayout:
    positions: dict[str, tuple[float, float]]  # node centres
    lines: dict[str, list[str]]  # each node's label, line by line, drawn centred below it
    height: float


def layout(graph: ActorGraph, style: MapStyle = MAP_WIDE) -> MapLayout:
    """Where each linked actor and its name go. The last answer for each style is kept: the map
    page and the SVG export ask for the same one, and an edit that leaves the graph as it was
    (most do) need not lay it out again."""
    return _kept(f"layout {style}", (graph, style), lambda: _layout(graph, style))


def _layout(graph: ActorGraph, style: MapStyle) -> MapLayout:
    """A spring layout (fixed seed; linked actors pull together), its crowded middle spread, then
    every node with its name below it pushed apart until no two overlap."""
    s = style
    nodes = [a.id for a in graph.linked]
    if not nodes:
        return MapLayout({}, {}, 0.0)
    names = labels(graph.linked)
    lines = {n: name_lines(names[n], s.font, s.one_line, s.most) for n in nodes}
    index = {n: i for i, n in enumerate(nodes)}
    weights = [[0.0] * len(nodes) for _ in nodes]
    for link in graph.links:
        if link.a in index and link.b in index:
            i, j = index[link.a], index[link.b]
            weights[i][j] = weights[j][i] = 1.0 if link.drawn else 0.06
    # The wide and the narrow map start from the same spring layout: made once for both.
    spread = _kept(f"spring {s.spread} {s.seed}", (graph,), lambda: spring_layout(
        weights, k=s.spread / math.sqrt(len(nodes)), seed=s.seed, iterations=400))
    raw = dict(zip(nodes, spread, strict=True))
    # Hubs (linked to nearly everyone) crowd the middle: spread the middle, pull the rim in.
    cx = sum(p[0] for p in raw.values()) / len(raw)
    cy = sum(p[1] for p in raw.values()) / len(raw)
    polar = {n: (math.atan2(p[1] - cy, p[0] - cx), math.hypot(p[0] - cx, p[1] - cy)) for n, p in raw.items()}
    far = max(r for _, r in polar.values()) or 1.0
    placed = {n: (math.cos(a) * (r / far) ** s.squeeze, math.sin(a) * (r / far) ** s.squeeze)
              for n, (a, r) in polar.items()}
    # Each node's box, relative to its centre: the node, and its name centred below it.
    boxes = {}
    for n in nodes:
        r = node_radius(graph.total(n))
        half = max(r, lines_width(lines[n], s.font) / 2) + 2
        boxes[n] = (-half, -r - 2, half, r + 3 + len(lines[n]) * s.lead)
    width = s.width - 2 * s.margin
    height = max(width * s.aspect, sum((b[2] - b[0]) * (b[3] - b[1]) for b in boxes.values()) * 2.2 / width)
    positions = {n: [s.margin + (placed[n][0] + 1) / 2 * width, s.margin + (placed[n][1] + 1) / 2 * height]
                 for n in nodes}
    _separate(positions, boxes, s.margin, s.width - s.margin)
    top = min(positions[n][1] + boxes[n][1] for n in nodes)
    bottom = max(positions[n][1] + boxes[n][3] for n in nodes)
    shift = s.margin - top
    return MapLayout({n: (round(p[0], 1), round(p[1] + shift, 1)) for n, p in sorted(positions.items())},
                     lines, round(bottom + shift + s.margin, 1))


def _overlap(pa: list[float], ba: tuple[float, float, float, float], pb: list[float],
             bb: tuple[float, float, float, float], pad: float) -> tuple[float, float]:
    """How far two boxes (each a centre and its extent) overlap sideways and downwards, ``pad``
    apart; either at most 0: they do not."""
    return (min(pa[0] + ba[2], pb[0] + bb[2]) - max(pa[0] + ba[0], pb[0] + bb[0]) + pad,
            min(pa[1] + ba[3], pb[1] + bb[3]) - max(pa[1] + ba[1], pb[1] + bb[1]) + pad)


_MARGIN = 24.0  # how near two boxes must be, as a round starts, for it to look at them


def _near(centres: list[list[float]], extents: list[tuple[float, float, float, float]],
          pad: float) -> list[tuple[int, int]]:
    """The pairs (i < j, in order) whose boxes overlap, ``pad`` apart, or would if each moved less
    than ``_MARGIN / 2`` each way."""
    import numpy as np  # as spring_layout: only the actor map needs it

    at, box = np.asarray(centres), np.asarray(extents)
    lo, hi = at + box[:, :2], at + box[:, 2:]  # each box's left and top, right and bottom
    over = np.minimum(hi[:, None, :], hi[None, :, :]) - np.maximum(lo[:, None, :], lo[None, :, :]) + pad
    near = np.triu((over[..., 0] > -_MARGIN) & (over[..., 1] > -_MARGIN), k=1)
    return [(int(i), int(j)) for i, j in zip(*np.nonzero(near), strict=True)]  # row-major: i, then j


def _push_pairs(ids: list[str], centres: list[list[float]], extents: list[tuple[float, float, float, float]],
                pad: float, pairs: list[tuple[int, int]] | None,
                start: list[tuple[float, float]] | None) -> bool | None:
    """One round: each overlapping pair of ``pairs`` (None: every pair), in order, pushed apart.
    Whether any moved; None if a box moved ``_MARGIN / 2`` or more from ``start``, so that a pair
    left out may have come to overlap (the round is then to be done again with every pair)."""
    count = len(ids)
    every = ((i, j) for i in range(count) for j in range(i + 1, count))
    reach = _MARGIN / 2 - 1e-6
    moved = False
    for i, j in every if pairs is None else pairs:
        # _overlap, written out: its calls and tuples made this loop 4 times slower.
        pa, ba, pb, bb = centres[i], extents[i], centres[j], extents[j]
        ax, bx = pa[0], pb[0]
        r1, r2, l1, l2 = ax + ba[2], bx + bb[2], ax + ba[0], bx + bb[0]
        ox = (r1 if r1 < r2 else r2) - (l1 if l1 > l2 else l2) + pad
        if ox <= 0:
            continue
        ay, by = pa[1], pb[1]
        d1, d2, t1, t2 = ay + ba[3], by + bb[3], ay + ba[1], by + bb[1]
        oy = (d1 if d1 < d2 else d2) - (t1 if t1 > t2 else t2) + pad
        if oy <= 0:
            continue
        moved = True
        if ox < oy:
            sign = 1 if (bx, ids[j]) >= (ax, ids[i]) else -1
            pa[0] -= sign * ox / 2
            pb[0] += sign * ox / 2
        else:
            sign = 1 if (by, ids[j]) >= (ay, ids[i]) else -1
            pa[1] -= sign * oy / 2
            pb[1] += sign * oy / 2
        if start is not None:
            (sa, ta), (sb, tb) = start[i], start[j]
            if max(abs(pa[0] - sa), abs(pa[1] - ta), abs(pb[0] - sb), abs(pb[1] - tb)) >= reach:
                return None
    return moved


def _separate(positions: dict[str, list[float]], boxes: dict[str, tuple[float, float, float, float]],
              left: float, right: float, pad: float = 4.0, rounds: int = 300) -> None:
    """Push overlapping boxes apart (each half the overlap, along the shorter way out) until none
    overlap; sideways they stay between ``left`` and ``right``, downwards the picture grows."""
    ids = sorted(positions)
    centres, extents = [positions[n] for n in ids], [boxes[n] for n in ids]
    for _ in range(rounds):
        # A round looks only at the pairs that overlap, or nearly, as it starts (_near): the same
        # pushes, in the same order, as looking at every pair, while no box strays more than half
        # the margin from where the round found it. If one does, the round is done again with
        # every pair (_push_pairs). 80 boxes: 3,160 pairs a round, 50 to 130 of them near.
        start = [(p[0], p[1]) for p in centres]
        moved = _push_pairs(ids, centres, extents, pad, _near(centres, extents, pad), start)
        if moved is None:  # a box strayed: back to the round's start, and every pair
            for p, (x, y) in zip(centres, start, strict=True):
                p[0], p[1] = x, y
            moved = _push_pairs(ids, centres, extents, pad, None, None)
        for p, box in zip(centres, extents, strict=True):
            p[0] = min(max(p[0], left - box[0]), right - box[2])
        if not moved:
            return
    # Not settled in time (a crowded map can push boxes back and forth): settle them top to bottom,
    # each moved down below any settled box it still overlaps. Every move is downwards, so this ends.
    settled: list[str] = []
    for n in sorted(ids, key=lambda n: (positions[n][1] + boxes[n][1], n)):
        p, box = positions[n], boxes[n]
        clash = True
        while clash:
            clash = False
            for m in settled:
                q, other = positions[m], boxes[m]
                ox, oy = _overlap(p, box, q, other, pad)
                if ox > 1e-6 and oy > 1e-6:  # more than rounding: a box moved below is left just touching
                    p[1] = q[1] + other[3] - box[1] + pad
                    clash = True
        settled.append(n)


def spring_layout(weights: list[list[float]], k: float, seed: int, iterations: int) -> list[tuple[float, float]]:
    """Fruchterman-Reingold force-directed positions for the nodes of a weighted adjacency matrix.

    networkx's ``spring_layout`` (3.6, the dense method it uses below 500 nodes), step for step
    with the same random start, so the map is the one networkx drew; written here with numpy
    alone because importing networkx cost more than the layout (0.1 s on every build).
    """
    import numpy as np  # imported here: only the actor map needs it

    A = np.asarray(weights, dtype=float)
    count = A.shape[0]
    if count == 1:
        return [(0.0, 0.0)]
    pos = np.asarray(np.random.RandomState(seed).rand(count, 2), dtype=A.dtype)
    t = max(max(pos.T[0]) - min(pos.T[0]), max(pos.T[1]) - min(pos.T[1])) * 0.1  # the largest step
    dt = t / (iterations + 1)  # cooling: the step shrinks linearly
    for _ in range(iterations):
        delta = pos[:, np.newaxis, :] - pos[np.newaxis, :, :]
        distance = np.linalg.norm(delta, axis=-1)
        np.clip(distance, 0.01, None, out=distance)
        displacement = np.einsum("ijk,ij->ik", delta, (k * k / distance**2 - A * distance / k))
        length = np.clip(np.linalg.norm(displacement, axis=-1), a_min=0.01, a_max=None)
        delta_pos = np.einsum("ij,i->ij", displacement, t / length)
        pos += delta_pos
        t -= dt
        if (np.linalg.norm(delta_pos) / count) < 1e-4:
            break
    pos -= pos.mean(axis=0)  # networkx's rescale_layout (scale 1, centred on 0)
    lim = np.abs(pos).max()
    if lim > 0:
        pos *= 1 / lim
    return [(float(x), float(y)) for x, y in pos]


def _shape(kind: str, x: float, y: float, r: float) -> str:
    colour = KIND_COLOURS.get(kind, NO_TOPIC)
    common = f'fill="{colour}" stroke="currentColor" stroke-width="1"'
    if kind == "organization":
        side = r * 1.7
        return (f'<rect x="{_n(x - side / 2)}" y="{_n(y - side / 2)}" width="{_n(side)}" height="{_n(side)}" rx="2" '
                f'{common}/>')
    if kind == "state":
        d = r * 1.25
        return f'<path d="M{_n(x)} {_n(y - d)}L{_n(x + d)} {_n(y)}L{_n(x)} {_n(y + d)}L{_n(x - d)} {_n(y)}Z" {common}/>'
    return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" {common}/>'


def _edge(link: Link, x1: float, y1: float, x2: float, y2: float, tip: str) -> str:
    dashed = ' stroke-dasharray="5 4"' if set(link.kinds) == {QUOTE_LINK} else ""
    width = min(1 + 0.7 * (link.weight - 1), 5)
    return (f'<line class="bm-edge" x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" '
            f'stroke-width="{_n(width)}"{dashed}><title>{xml_text(tip)}</title></line>')


def _map_legend(x: float, y: float, width: float, size: int, sized: bool = True) -> tuple[list[str], float]:
    items = [(_shape(kind, 0, 0, 6).replace('cx="0" cy="0"', 'cx="{cx}" cy="{y}"') if kind == "person" else
              f'<g transform="translate({{cx}} {{y}})">{_shape(kind, 0, 0, 6)}</g>', 14, word)
             for kind, word in KIND_WORDS]
    items += [('<line class="bm-edge" x1="{x}" y1="{y}" x2="{x2}" y2="{y}" stroke-width="2"/>', 28,
               "took part in the same event (met, signed, visited, ...)"),
              ('<line class="bm-edge" x1="{x}" y1="{y}" x2="{x2}" y2="{y}" stroke-width="2" stroke-dasharray="5 4"/>',
               28, "a quote passed on through the other"),
              ('<line class="bm-edge" x1="{x}" y1="{y}" x2="{x2}" y2="{y}" stroke-width="4"/>', 28,
               "thicker: linked in more sources")]
    if sized:
        items.append(('<circle cx="{cx}" cy="{y}" r="3" fill="none" stroke="currentColor"/>'
                      '<circle cx="{cx}" cy="{y}" r="7" fill="none" stroke="currentColor"/>', 14,
                      "larger: named more often"))
    return _legend(items, x, y, width, size)


_MAP_CSS = (".bm .bm-edge{stroke:currentColor;stroke-opacity:.42;fill:none}"
            ".bm .bm-label{paint-order:stroke;stroke:var(--md-default-bg-color,#fff);stroke-width:3.5px;"
            "stroke-linejoin:round}"
            ".bm a:hover .bm-node>*,.bm a:focus .bm-node>*{stroke-width:2.5}")


def _actor_tip(graph: ActorGraph, actor: Actor) -> str:
    n = graph.appearances[actor.id]
    return (f"{' '.join(actor.name.split())} ({actor.kind}): "
            f"named in {n['sources']} source(s), {n['events']} event(s), "
            f"{n['quotes']} quote(s)")


def actor_map_svg(corpus: Corpus, from_path: str, style: MapStyle = MAP_WIDE) -> str:
    """The actors an event or a quote links, each a node linked to its page, named in full below
    it; a line for each link; the legend; then the actors not linked to any other, by name."""
    s = style
    graph = actor_graph(corpus)
    laid = layout(graph, s)
    pos = laid.positions
    names = labels(graph.actors)
    drawn = [link for link in graph.drawn if link.a in pos and link.b in pos]
    left, right = s.margin, s.width - s.margin
    out: list[str] = []
    for link in drawn:
        (x1, y1), (x2, y2) = pos[link.a], pos[link.b]
        out.append(_edge(link, x1, y1, x2, y2,
                         f"{names[link.a]} and {names[link.b]}: {link.how}; sources: {', '.join(link.sources)}"))
    edges = out
    nodes: list[str] = []
    # Smallest first, so the big nodes and their names are drawn on top.
    for actor in sorted(graph.linked, key=lambda a: (graph.total(a.id), a.id)):
        x, y = pos[actor.id]
        r = node_radius(graph.total(actor.id))
        tip = _actor_tip(graph, actor)
        label = " ".join(laid.lines[actor.id])
        if label not in tip:  # the accessible name holds the visible label (WCAG 2.5.3)
            tip = f"{label}: {tip}"
        nodes.append(f'<a xlink:href="{xml_text(href(from_path, f"actors/{actor.id}.md"))}" '
                     f'aria-label="{xml_text(tip)}">'
                     f'<title>{xml_text(tip)}</title><g class="bm-node">{_shape(actor.kind, x, y, r)}</g>'
                     + _text(laid.lines[actor.id], x, y + r + 3 + s.font * 0.85, s.font, s.lead, "middle", "bm-label")
                     + "</a>")
    y = laid.height + (14 if pos else s.margin)
    if not pos:
        nodes.append(_text(wrap("No event or quote in the sources links two actors yet.", right - left, s.font),
                           left, y + s.font, s.font, s.lead, cls="bm-muted"))
        y += s.lead + 10
    small = max(MIN_FONT, s.font - 1)
    legend, y = _map_legend(left, y + s.font, right - left, small)
    rest: list[str] = []
    if graph.unlinked:
        y += 18
        intro = wrap(f"Also named in the sources, linked to no other actor by an event or a quote "
                     f"({len(graph.unlinked)}):", right - left, small)
        rest.append(_text(intro, left, y, small, s.lead, cls="bm-muted"))
        y += s.lead * len(intro)
        size, room = small, right - left
        line: list[str] = []
        used = 0.0
        for i, actor in enumerate(graph.unlinked):
            label = names[actor.id]
            tip = _actor_tip(graph, actor)
            tip = tip if label in tip else f"{label}: {tip}"
            attrs = f'xlink:href="{xml_text(href(from_path, f"actors/{actor.id}.md"))}" aria-label="{xml_text(tip)}"'
            comma = "," if i < len(graph.unlinked) - 1 else ""
            wide = text_width(f"{label}{comma} ", size) * SLACK
            if line and used + wide > room:
                rest.append(f'<text x="{_n(left)}" y="{_n(y)}" font-size="{size}">{"".join(line).rstrip()}</text>')
                line, used, y = [], 0.0, y + s.lead
            if wide > room:  # a name wider than the picture: on lines of its own
                lines = wrap(label + comma, room, size)
                rest.append(f"<a {attrs}>" + _text(lines, left, y, size, s.lead) + "</a>")
                y += s.lead * len(lines)
                continue
            line.append(f"<a {attrs}>{xml_text(label)}</a>{comma} ")
            used += wide
        if line:
            rest.append(f'<text x="{_n(left)}" y="{_n(y)}" font-size="{size}">{"".join(line).rstrip()}</text>')
            y += s.lead
    height = y + s.margin
    title = (f"Actor map: {_count(len(graph.linked), 'actor')} and {_count(len(drawn), 'link')}"
             + (f"; {len(graph.unlinked)} more named" if graph.unlinked else ""))
    desc = ("Actors linked in the sources: circles are people, squares organizations, diamonds states, sized by "
            "how often the sources name them, each named in full below it. A solid line joins actors who took "
            "part in the same event; a dashed line joins a speaker and the actor a quote was passed on through; "
            "a line grows thicker with the sources that show it. No line joins an actor to its own state. "
            "Actors linked to no other are named below the map. Each actor links to their page.")
    ident = "bmn" if s.narrow else "bm"
    variant = f"bm-{'narrow' if s.narrow else 'wide'}"
    head = _svg_open(f"bm {variant}", ident, s.width, height, title, desc, _style("bm", variant, s.width, _MAP_CSS))
    return _drawing([*head, '<g class="bm-edges">', *edges, "</g>", '<g class="bm-nodes">', *nodes, "</g>",
                     f'<g class="bm-legend">{"".join(legend)}</g>', *rest, "</svg>"])


def actor_map_caption(corpus: Corpus) -> str:
    graph = actor_graph(corpus)
    if not graph.actors:
        return "Actor map: no actors are recorded yet."
    top = sorted(graph.linked, key=lambda a: (-graph.total(a.id), a.name))[:5]
    busiest = ", ".join(f"{a.name} ({graph.total(a.id)})" for a in top)
    among = (f"the {len(graph.actors)} most often named of the briefing's {graph.total_actors} actors"
             if graph.total_actors > len(graph.actors) else f"the briefing's {len(graph.actors)} actors")
    return (f"Actor map: {len(graph.linked)} of {among}, linked by {_count(len(graph.drawn), 'link')}: "
            "a line joins two actors who took part in the same event (met, signed, visited, ...) or a speaker and "
            "the actor a quote was passed on through; none joins an actor to its own state. "
            + (f"Most often named: {busiest}. " if top else "")
            + (f"{len(graph.unlinked)} others, linked to no other actor, are named below the map. "
               if graph.unlinked else "")
            + "Each actor's page has a map of its own links; the tables below give every link with its sources.")


def actor_map_figure(corpus: Corpus, from_path: str) -> Markup:
    return _figure("actor-map", (actor_map_svg(corpus, from_path, MAP_WIDE),
                                 actor_map_svg(corpus, from_path, MAP_NARROW)), actor_map_caption(corpus))


# --- An actor's neighbourhood (on its page) --------------------------------------------------

HOOD_WIDTH = 356  # one drawing for every width: it fits a phone, and a desktop draws it larger
HOOD_ACTORS = 40  # an actor's neighbourhood draws at most this many of its most-linked actors


def neighbourhood_svg(from_path: str, centre: Actor, found: list[tuple[Actor, Link]]) -> str:
    """The actor at the top, the actors it is linked to (``found``: ``actor_links``) in two
    columns below, a line to each: solid for a shared event, dashed for a quote passed on,
    thicker for more sources. Drawn from its arguments alone, so that `mkdocs serve` knows what
    it was drawn from by what the page read (``actor_links``) and never draws it again to see."""
    actor_id = centre.id
    font, small, lead, w = 13, 12, 16, HOOD_WIDTH
    mid = w / 2
    out: list[str] = []
    top_lines = wrap(" ".join(centre.name.split()), w - 20, font + 1)
    y: float = 8 + font
    out.append(_text(top_lines, mid, y, font + 1, lead + 1, "middle") .replace("<text ", '<text font-weight="700" ', 1))
    y += (len(top_lines) - 1) * (lead + 1) + 10
    r = 9.0
    cy = y + r
    node_x = {"left": mid - 44, "right": mid + 44}
    label_room = mid - 44 - 10 - 8
    rows: dict[str, float] = {"left": cy + r + 26, "right": cy + r + 26}
    names = labels([centre, *(a for a, _ in found)])
    nodes: list[str] = []
    edges: list[str] = []
    for i, (other, link) in enumerate(found):
        side = "left" if i % 2 == 0 else "right"
        lines = wrap(names[other.id], label_room, font)
        how = wrap(", ".join(sorted(link.kinds)), label_room, small)
        ny = rows[side]
        nx = node_x[side]
        tx, anchor = (nx - 12, "end") if side == "left" else (nx + 12, "start")
        edges.append(_edge(link, mid, cy, nx, ny, f"{names[actor_id]} and {names[other.id]}: {link.how}; "
                           f"sources: {', '.join(link.sources)}"))
        tip = f"{names[other.id]} ({other.kind}), {link.how}"
        nodes.append(f'<a xlink:href="{xml_text(href(from_path, f"actors/{other.id}.md"))}" '
                     f'aria-label="{xml_text(tip)}">'
                     f'<title>{xml_text(tip)}</title><g class="bm-node">{_shape(other.kind, nx, ny, 6)}</g>'
                     + _text(lines, tx, ny + font * 0.35, font, lead, anchor, "bm-label")
                     + _text(how, tx, ny + font * 0.35 + lead * len(lines), small, lead - 1, anchor, "bm-muted")
                     + "</a>")
        rows[side] = ny + lead * len(lines) + (lead - 1) * len(how) + 12
    y = max(rows.values()) + 4
    legend, y = _map_legend(8, y + small, w - 16, small, sized=False)
    height = y + 8
    title = f"{' '.join(centre.name.split())} and the {_count(len(found), 'actor')} linked to them"
    desc = (f"{' '.join(centre.name.split())} at the top; below, each actor an event or a quote in the sources "
            "links them to, with how (met, signed, quoted through, ...). A solid line is a shared event, a dashed "
            "line a quote passed on through the other, and a thicker line more sources. Circles are people, "
            "squares organizations, diamonds states. Each actor links to their page.")
    head = _svg_open("bm bm-hood", "bmh", w, height, title, desc, _style("bm", "bm-hood", 440, _MAP_CSS))
    return _drawing([*head, *out, '<g class="bm-edges">', *edges, "</g>",
                     f'<g class="bm-node">{_shape(centre.kind, mid, cy, r)}</g>', '<g class="bm-nodes">', *nodes,
                     "</g>", f'<g class="bm-legend">{"".join(legend)}</g>', "</svg>"])


def neighbourhood_figure(from_path: str, centre: Actor, found: list[tuple[Actor, Link]]) -> Markup:
    """The picture of ``centre``'s links, ``found`` (``actor_links``), on the page ``from_path``."""
    if not found:
        return Markup("")
    name = " ".join(centre.name.split())
    whom, table = _count(len(found), "actor"), "each link with its sources"
    if len(found) > HOOD_ACTORS:  # a crowded event links an actor to hundreds: the picture keeps the most linked
        whom, table = f"{HOOD_ACTORS} most linked of the {whom}", "the links with their sources"
    caption = f"{name} and the {whom} an event or a quote in the sources links them to (the table below gives {table})."
    return _figure("actor-hood", (neighbourhood_svg(from_path, centre, found[:HOOD_ACTORS]),), caption)


def template_globals() -> dict[str, object]:
    """What the page templates may call to place the pictures."""
    return {"timeline_figure": timeline_figure, "timeline_topics": timeline_topics,
            "actor_map_figure": actor_map_figure, "actor_graph": actor_graph, "actor_links": actor_links,
            "neighbourhood_figure": neighbourhood_figure}
