"""Pictures drawn from the corpus at build time: the timeline and the actor map, as SVG text.

Pure functions over the corpus, like ``render``: the same corpus gives byte-identical SVG.
Every value from an entry is escaped for XML (``encode.xml_text``); colours come from the page
(``currentColor`` and Material's CSS variables, with fallbacks for the stand-alone files), so
the pictures follow light and dark mode and print in black on white. Links are written as the
built site's URLs (MkDocs' default ``use_directory_urls``) because raw HTML is not rewritten
by MkDocs: ``sources/<id>.md#e-<event>`` becomes ``../sources/<id>/#e-<event>``.

The actor map's layout is a spring layout (networkx's algorithm) with a fixed seed, so it is stable.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import posixpath
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Callable

from markupsafe import Markup

from .encode import xml_text
from .model import UNKNOWN_SPEAKER, Actor, Corpus, Event, When

# Mid-tone colours that read on Material's white and slate backgrounds (Tableau 10, then two more).
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac", "#17becf", "#bcbd22")
NO_TOPIC = "var(--md-default-fg-color--light, #777)"
KIND_COLOURS = {"person": "#4e79a7", "organization": "#f28e2b", "state": "#59a14f"}
# How an event joins its actors, in the reader's words.
EVENT_LINKS = {"meeting": "met", "visit": "visit", "signing": "signed", "statement": "statement",
               "report": "report", "military": "military action", "policy": "policy", "other": "event"}
QUOTE_LINK = "quoted through"
COMENTION = "named in the same source"
CHAR_WIDTH = 0.56  # average glyph width as a share of the font size, for fitting labels


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


def short_date(value: str) -> str:
    parts = value.split("-")
    year = parts[0]
    if len(parts) == 1:
        return year
    month = calendar.month_abbr[int(parts[1])]
    return f"{month} {year}" if len(parts) == 2 else f"{int(parts[2])} {month} {year}"


def when_label(when: When) -> str:
    shown = short_date(when.date)
    return f"c. {shown}" if when.precision == "approximate" else shown


def fit(text: str, width: float, size: float) -> str:
    """Cut ``text`` to what fits in ``width`` pixels at ``size``, ending with an ellipsis."""
    room = max(4, int(width / (size * CHAR_WIDTH)))
    if len(text) <= room:
        return text
    # Cut between words: the visible words must stay a part of the link's accessible name.
    cut = text[:room - 1]
    cut = cut[:cut.rfind(" ")] if " " in cut else cut
    if cut.count("(") > cut.count(")"):  # nor leave a bracket open
        cut = cut[:cut.rfind("(")]
    return cut.rstrip(" ·,;:-") + "…"


def _figure(kind: str, svg: str, caption: str, label: str) -> Markup:
    """The picture in a horizontally scrollable box (readable on a phone) with its caption."""
    return Markup(
        f'<figure class="briefing-figure briefing-{kind}">\n'
        f'<div class="briefing-figure-scroll" tabindex="0" role="region" aria-label="{xml_text(label)}">\n'
        f"{svg}"
        f"</div>\n<figcaption>{xml_text(caption)}</figcaption>\n</figure>\n")


_COMMON_STYLE = (
    ".briefing-figure{{width:100%;max-width:100%;margin:1em 0}}"
    ".briefing-figure-scroll{{overflow-x:auto;width:100%}}"
    ".md-typeset .briefing-figure figcaption{{max-width:none;text-align:left;font-size:.7rem;font-style:normal;"
    "color:var(--md-default-fg-color--light,#555)}}"
    ".{p} a{{color:var(--md-typeset-color,#1d1d1d)}}"
    ".{p}{{display:block;width:100%;min-width:{min}px;height:auto;color:var(--md-typeset-color,#1d1d1d)}}"
    ".{p} text{{font-family:var(--md-text-font-family,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif);"
    "fill:currentColor}}"
    ".{p} .{p}-muted{{fill:var(--md-default-fg-color--light,#666)}}"
    ".{p} .{p}-rule{{stroke:var(--md-default-fg-color--lightest,#ccc);stroke-width:1}}"
    ".md-typeset svg.{p} a:not(.headerlink):not(.md-button){{text-decoration:none}}"  # a picture, not running text
    ".{p} a:hover text,.{p} a:focus text{{text-decoration:underline}}"
    ".{p} a:focus{{outline:2px solid var(--md-accent-fg-color,#06c)}}"
    "@media print{{.briefing-figure-scroll{{overflow:visible}}.{p}{{min-width:0}}}}")


# --- Timeline -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineStyle:
    width: int = 760
    min_width: int = 600
    row: int = 24
    font: int = 13
    margin: int = 12
    axis: int = 34


def _events_in_order(corpus: Corpus) -> list[Event]:
    return sorted(corpus.events(), key=lambda e: (e.when.sort_key, e.source_id, e.id))


def topic_colours(corpus: Corpus) -> dict[str, str]:
    """A colour for each topic that some event names first, in topic-id order."""
    def colours() -> dict[str, str]:
        used = {e.topics[0] for e in corpus.events() if e.topics}
        return {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(t for t in corpus.topics if t in used)}

    return dict(_kept("colours", (corpus,), colours))  # every timeline page asks


_LAST: dict[str, tuple[tuple[Any, ...], Any]] = {}


def _kept(slot: str, inputs: tuple[Any, ...], make: Callable[[], Any]) -> Any:
    """The last answer made for ``slot``, while it is asked for with the same inputs (a corpus is
    the same one object; anything else compares by value); else ``make()``'s, kept instead. One
    build asks for the same picture's parts several times (page, caption, export), and a rebuild
    under `mkdocs serve` often for the same graph again."""
    last = _LAST.get(slot)
    if last is not None and len(last[0]) == len(inputs) and all(
            a is b or (not isinstance(a, Corpus) and a == b) for a, b in zip(last[0], inputs)):
        return last[1]
    answer = make()
    _LAST[slot] = (inputs, answer)
    return answer


def _day(value: str) -> int:
    return dt.date.fromisoformat(value).toordinal()


def timeline_svg(corpus: Corpus, from_path: str, style: TimelineStyle = TimelineStyle(),
                 events: list[Event] | None = None) -> str:
    """Events (default: every event) on one time axis, one row each, oldest first; ranges for
    approximate dates. Each timeline page draws its own events, so no picture grows unbounded."""
    return "\n".join(timeline_svg_lines(corpus, from_path, style, events)) + "\n"


def timeline_svg_lines(corpus: Corpus, from_path: str, style: TimelineStyle = TimelineStyle(),
                       events: list[Event] | None = None) -> list[str]:
    """``timeline_svg``'s lines (the export draws every event: it is written a batch at a time)."""
    s = style
    events = _events_in_order(corpus) if events is None else events
    colours = topic_colours(corpus)
    if events:
        first_year = min(int(e.when.range[0][:4]) for e in events)
        last_year = max(int(e.when.range[1][:4]) for e in events)
    else:
        first_year = last_year = dt.date.today().year
    start, end = dt.date(first_year, 1, 1).toordinal(), dt.date(last_year + 1, 1, 1).toordinal()
    left, right = s.margin, s.width - s.margin

    def x(day: int) -> float:
        return left + (day - start) / (end - start) * (right - left)

    years = last_year - first_year + 1
    per_year = (right - left) / years
    step = next((n for n in (1, 2, 5, 10, 20, 50) if n * per_year >= s.font * 3.4), 100)
    top = s.axis
    rows_end = top + len(events) * s.row
    legend = sorted(colours.items(), key=lambda kv: corpus.topics[kv[0]].name.casefold())
    legend_lines = _legend_lines([(corpus.topics[t].name, c) for t, c in legend]
                                 + ([("no topic", NO_TOPIC)] if any(not e.topics for e in events) else []),
                                 right - left, s.font)
    height = rows_end + s.axis + 26 + len(legend_lines) * (s.font + 9) + s.margin
    title = f"Timeline of {_count(len(events), 'event')}, {_years(first_year, last_year)}"
    desc = (f"Each row is one event, oldest at the top, placed on a time axis from {first_year} to "
            f"{last_year}. A dot marks an event known to the day; a bar marks the span within which an "
            "event with an approximate, month or year date fell. Colour shows the event's first topic. "
            "Each row links to the event in its source.")
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" {XLINK_NS} class="bt" viewBox="0 0 {s.width} {height}" '
           f'width="{s.width}" height="{height}" role="graphics-document document" '
           'aria-labelledby="bt-title bt-desc">',
           f'<title id="bt-title">{xml_text(title)}</title>', f'<desc id="bt-desc">{xml_text(desc)}</desc>',
           "<style>" + _COMMON_STYLE.format(p="bt", min=s.min_width)
           + ".bt .bt-band{fill:currentColor;opacity:.045}.bt .bt-range{fill-opacity:.4;stroke-width:1.5}"
           + ".bt a:hover .bt-band,.bt a:focus .bt-band{opacity:.12}</style>"]

    def axis(y: float, labels_above: bool) -> None:
        out.append(f'<line class="bt-rule" x1="{left}" y1="{y}" x2="{right}" y2="{y}"/>')
        for year in range(first_year, last_year + 2):
            xx = round(x(dt.date(year, 1, 1).toordinal()), 1)
            out.append(f'<line class="bt-rule" x1="{xx}" y1="{y - 4}" x2="{xx}" y2="{y + 4}"/>')
            if (year - first_year) % step == 0 and year <= last_year:
                mid = round(x(dt.date(year, 7, 1).toordinal()), 1)
                ty = y - 8 if labels_above else y + s.font + 6
                out.append(f'<text class="bt-muted" x="{mid}" y="{ty}" text-anchor="middle" '
                           f'font-size="{s.font - 1}">{year}</text>')

    axis(top - 2, True)
    for year in range(first_year, last_year + 2, step):
        xx = round(x(dt.date(year, 1, 1).toordinal()), 1)
        out.append(f'<line class="bt-rule" x1="{xx}" y1="{top}" x2="{xx}" y2="{rows_end}" opacity=".5"/>')
    for i, event in enumerate(events):
        y = top + i * s.row
        mid = y + s.row / 2
        first, last = event.when.range
        x0, x1 = x(_day(first)), x(_day(last) + 1)
        colour = colours.get(event.topics[0], NO_TOPIC) if event.topics else NO_TOPIC
        link = href(from_path, f"sources/{event.source_id}.md", event.anchor)
        when = event.when.text + (" (inferred)" if event.when.inferred else "")
        label = f"{when_label(event.when)} · {event.title}"
        tip = xml_text(f"{label}. Date: {when}")
        out.append(f'<a xlink:href="{xml_text(link)}" aria-label="{tip}"><title>{tip}</title>')
        out.append(f'<rect class="bt-band" x="{left}" y="{y + 1}" width="{right - left}" height="{s.row - 2}" rx="3"/>')
        if first == last:
            cx = round((x0 + x1) / 2, 1)
            out.append(f'<circle cx="{cx}" cy="{mid}" r="5.5" fill="{colour}" stroke="currentColor" '
                       'stroke-width=".75"/>')
            x0 = x1 = cx
        else:
            if x1 - x0 < 8:  # a span too short to see still shows as a span, not a dot
                centre = (x0 + x1) / 2
                x0, x1 = centre - 4, centre + 4
            x0, x1 = round(x0, 1), round(x1, 1)
            out.append(f'<rect class="bt-range" x="{x0}" y="{mid - 5}" width="{round(x1 - x0, 1)}" height="10" '
                       f'rx="2" fill="{colour}" stroke="{colour}"/>')
            for cap in (x0, x1):
                out.append(f'<line x1="{cap}" y1="{mid - 7}" x2="{cap}" y2="{mid + 7}" stroke="currentColor" '
                           'stroke-width="1.25"/>')
        if (x0 + x1) / 2 < (left + right) / 2:
            lx, anchor, room = x1 + 9, "start", right - x1 - 9
        else:
            lx, anchor, room = x0 - 9, "end", x0 - 9 - left
        out.append(f'<text x="{round(lx, 1)}" y="{mid + s.font * 0.35:.1f}" text-anchor="{anchor}" '
                   f'font-size="{s.font}">{xml_text(fit(label, room, s.font))}</text></a>')
    axis(rows_end + 2, False)
    y = rows_end + s.axis + 14
    out.append(f'<g font-size="{s.font - 1}">')
    out.append(f'<circle cx="{left + 6}" cy="{y - 4}" r="5" fill="none" stroke="currentColor"/>'
               f'<text x="{left + 16}" y="{y}">known day</text>'
               f'<rect x="{left + 100}" y="{y - 9}" width="22" height="10" rx="2" fill="none" stroke="currentColor"/>'
               f'<text x="{left + 128}" y="{y}">approximate, month or year: the span it fell in</text>')
    for line in legend_lines:
        y += s.font + 9
        for lx, name, colour in line:
            out.append(f'<rect x="{lx}" y="{y - 10}" width="12" height="12" rx="2" fill="{colour}"/>'
                       f'<text x="{lx + 17}" y="{y}">{xml_text(name)}</text>')
    out.append("</g></svg>")
    return out


def _legend_lines(items: list[tuple[str, str]], width: float, font: int) -> list[list[tuple[float, str, str]]]:
    lines: list[list[tuple[float, str, str]]] = [[]]
    cursor = 12.0
    for name, colour in items:
        wide = 17 + len(name) * (font - 1) * CHAR_WIDTH + 16
        if lines[-1] and cursor + wide > width:
            lines.append([])
            cursor = 12.0
        lines[-1].append((round(cursor, 1), name, colour))
        cursor += wide
    return [line for line in lines if line]


def timeline_caption(corpus: Corpus, events: list[Event] | None = None) -> str:
    events = corpus.events() if events is None else events
    if not events:
        return "Timeline: no events are recorded yet."
    years = sorted({int(y) for e in events for y in (e.when.range[0][:4], e.when.range[1][:4])})
    spans = sum(1 for e in events if e.when.range[0] != e.when.range[1])
    return (f"Timeline of {_count(len(events), 'event')} {_years(years[0], years[-1], 'from')}, one row each, oldest "
            f"first; {spans} with an approximate, month or year date are drawn as the span they fell in, the "
            "others as dots. Colours show each event's first topic. The table below lists the same events.")


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _years(first: int, last: int, lead: str = "") -> str:
    if first == last:
        return f"in {first}"
    return f"{lead} {first} to {last}".strip()


def timeline_figure(corpus: Corpus, from_path: str, pairs: list[tuple[Event, Any]] | None = None) -> Markup:
    """The picture of the events on one timeline page (``pairs`` of event and source), or of all."""
    events = None if pairs is None else [event for event, _ in pairs]
    return _figure("timeline", timeline_svg(corpus, from_path, events=events), timeline_caption(corpus, events),
                   "The timeline picture; it scrolls sideways on a narrow screen")


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

    @property
    def sources(self) -> list[str]:
        return sorted(set().union(*self.kinds.values()) if self.kinds else self.together_in)

    @property
    def weight(self) -> int:
        return sum(len(v) for v in self.kinds.values())


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


MAP_ACTORS = 80  # the map and its tables show this many of the most-named actors


def actor_graph(corpus: Corpus, limit: int = MAP_ACTORS) -> ActorGraph:
    """Who is linked to whom, how, and in which sources; computed from events, quotes and mentions.

    Only the ``limit`` most-named actors take part, so the picture and the tables beside it stay
    readable (and the page small) however large the briefing grows; every actor keeps its page.
    One corpus is drawn several times per build (page, caption, export): the last graph is kept.
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
            link(a, b).together_in.add(source.id)
        for event in source.events:
            for a, b in combinations(sorted(set(event.actors) & chosen), 2):
                link(a, b).kinds.setdefault(EVENT_LINKS.get(event.kind, event.kind), set()).add(source.id)
        for quote in source.quotes:
            if quote.via and quote.via.actor in chosen and quote.speaker in chosen and quote.via.actor != quote.speaker:
                link(quote.speaker, quote.via.actor).kinds.setdefault(QUOTE_LINK, set()).add(source.id)
    ordered = sorted(links.values(), key=lambda l: (not l.drawn, l.a, l.b))
    degree = dict.fromkeys(sorted(chosen), 0)
    for drawn in (l for l in ordered if l.drawn):
        degree[drawn.a] += 1
        degree[drawn.b] += 1
    actors = [a for a in corpus.actors.values() if a.id in chosen]
    return ActorGraph(actors, appearances, ordered, named_in, degree, total_actors=len(corpus.actors))


@dataclass(frozen=True)
class MapStyle:
    width: int = 900
    height: int = 760
    min_width: int = 640
    font: int = 13
    margin: int = 70
    seed: int = 20240611
    spread: float = 2.2  # spring layout's k, times 1/sqrt(nodes)
    squeeze: float = 0.6  # radial exponent < 1 spreads the crowded middle


def layout(graph: ActorGraph, style: MapStyle = MapStyle()) -> dict[str, tuple[float, float]]:
    """Node positions in the picture: spring layout (fixed seed), stronger links pull harder.
    The last answer is kept: the map page and the SVG export ask for the same one, and an edit
    that leaves the graph as it was (most do) need not lay it out again."""
    return dict(_kept("layout", (graph, style), lambda: _layout(graph, style)))


def _layout(graph: ActorGraph, style: MapStyle) -> dict[str, tuple[float, float]]:
    nodes = [a.id for a in graph.actors]
    if not nodes:
        return {}
    index = {n: i for i, n in enumerate(nodes)}
    weights = [[0.0] * len(nodes) for _ in nodes]
    for link in graph.links:
        i, j = index[link.a], index[link.b]
        weights[i][j] = weights[j][i] = 1.0 if link.drawn else 0.06
    raw = dict(zip(nodes, spring_layout(weights, k=style.spread / math.sqrt(len(nodes)), seed=style.seed,
                                        iterations=400)))
    # Hubs (linked to nearly everyone) crowd the middle: spread the middle, pull the rim in.
    cx = sum(float(p[0]) for p in raw.values()) / len(raw)
    cy = sum(float(p[1]) for p in raw.values()) / len(raw)
    polar = {n: (math.atan2(float(p[1]) - cy, float(p[0]) - cx), math.hypot(float(p[0]) - cx, float(p[1]) - cy))
             for n, p in raw.items()}
    far = max((r for _, r in polar.values()), default=0) or 1.0
    placed = {n: (math.cos(a) * (r / far) ** style.squeeze, math.sin(a) * (r / far) ** style.squeeze)
              for n, (a, r) in polar.items()}
    xs = [p[0] for p in placed.values()]
    ys = [p[1] for p in placed.values()]
    lox, hix, loy, hiy = min(xs), max(xs), min(ys), max(ys)
    mx, my = style.margin, style.margin / 2

    def scale(v: float, lo: float, hi: float, size: int, m: float) -> float:
        return round(size / 2 if hi == lo else m + (v - lo) / (hi - lo) * (size - 2 * m), 1)

    return {n: (scale(p[0], lox, hix, style.width, mx), scale(p[1], loy, hiy, style.height, my))
            for n, p in sorted(placed.items())}


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


def node_radius(total: int) -> float:
    return round(4 + 2.2 * math.sqrt(total), 1)


def _shape(kind: str, x: float, y: float, r: float) -> str:
    colour = KIND_COLOURS.get(kind, NO_TOPIC)
    common = f'fill="{colour}" stroke="currentColor" stroke-width="1"'
    if kind == "organization":
        side = round(r * 1.7, 1)
        return f'<rect x="{round(x - side / 2, 1)}" y="{round(y - side / 2, 1)}" width="{side}" height="{side}" rx="2" {common}/>'
    if kind == "state":
        d = round(r * 1.25, 1)
        return f'<path d="M{x} {round(y - d, 1)}L{round(x + d, 1)} {y}L{x} {round(y + d, 1)}L{round(x - d, 1)} {y}Z" {common}/>'
    return f'<circle cx="{x}" cy="{y}" r="{r}" {common}/>'


def _place_labels(graph: ActorGraph, pos: dict[str, tuple[float, float]], s: MapStyle
                  ) -> dict[str, tuple[str, float, float, str, int]]:
    """Put each name right, left, below or above its node, wherever it overlaps least."""
    boxes: list[tuple[float, float, float, float]] = []
    for actor in graph.actors:
        x, y = pos[actor.id]
        r = node_radius(graph.total(actor.id))
        boxes.append((x - r, y - r, x + r, y + r))

    def overlap(box: tuple[float, float, float, float]) -> float:
        x0, y0, x1, y1 = box
        outside = max(0, -x0) + max(0, x1 - s.width) + max(0, -y0) + max(0, y1 - s.height)
        return outside * 1e6 + sum(max(0, min(x1, b[2]) - max(x0, b[0])) * max(0, min(y1, b[3]) - max(y0, b[1]))
                                  for b in boxes)

    placed: dict[str, tuple[str, float, float, str, int]] = {}
    for actor in sorted(graph.actors, key=lambda a: (-graph.total(a.id), a.id)):
        x, y = pos[actor.id]
        r = node_radius(graph.total(actor.id))
        size = s.font + (1 if r > 12 else 0)
        label = fit(actor.name, 240, size)
        w, h = len(label) * size * CHAR_WIDTH, size
        own = (x - r, y - r, x + r, y + r)
        boxes.remove(own)
        options = [  # (text x, baseline y, anchor, box)
            (x + r + 3, y + h * 0.35, "start", (x + r + 3, y - h / 2, x + r + 3 + w, y + h / 2)),
            (x - r - 3, y + h * 0.35, "end", (x - r - 3 - w, y - h / 2, x - r - 3, y + h / 2)),
            (x, y + r + h, "middle", (x - w / 2, y + r + 1, x + w / 2, y + r + 1 + h)),
            (x, y - r - 3, "middle", (x - w / 2, y - r - 3 - h, x + w / 2, y - r - 3)),
        ]
        best = min(range(len(options)), key=lambda i: (overlap(options[i][3]), i))
        tx, ty, anchor, box = options[best]
        boxes.extend([own, box])
        placed[actor.id] = (label, round(tx, 1), round(ty, 1), anchor, size)
    return placed


def actor_map_svg(corpus: Corpus, from_path: str, style: MapStyle = MapStyle()) -> str:
    s = style
    graph = actor_graph(corpus)
    pos = layout(graph, s)
    names = {a.id: a.name for a in graph.actors}
    legend_h = 34
    height = s.height + legend_h
    title = f"Actor map: {len(graph.actors)} actors and {len(graph.drawn)} links"
    desc = ("Actors are drawn as circles (people), squares (organizations) and diamonds (states), sized by how "
            "often the sources name them. A solid line joins actors who took part in the same event; a dashed "
            "line joins a speaker and the actor a quote was passed on through; line width grows with the number "
            "of such links. Each actor links to their page.")
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" {XLINK_NS} class="bm" viewBox="0 0 {s.width} {height}" '
           f'width="{s.width}" height="{height}" role="graphics-document document" '
           'aria-labelledby="bm-title bm-desc">',
           f'<title id="bm-title">{xml_text(title)}</title>', f'<desc id="bm-desc">{xml_text(desc)}</desc>',
           "<style>" + _COMMON_STYLE.format(p="bm", min=s.min_width)
           + ".bm .bm-edge{stroke:currentColor;stroke-opacity:.38;fill:none}"
           + ".bm .bm-co{stroke:currentColor;stroke-opacity:.14;stroke-dasharray:1 3;display:none}"
           + "#bm-show-co:checked~.briefing-figure .bm-co{display:inline}"
           + ".bm .bm-label{paint-order:stroke;stroke:var(--md-default-bg-color,#fff);stroke-width:3px;"
           + "stroke-linejoin:round}"
           + ".bm a:hover .bm-node>*,.bm a:focus .bm-node>*{stroke-width:2.5}</style>"]
    out.append('<g class="bm-edges">')
    for link in graph.together_only:
        (x1, y1), (x2, y2) = pos[link.a], pos[link.b]
        tip = f"{names[link.a]} and {names[link.b]}: {COMENTION} ({', '.join(link.sources)})"
        out.append(f'<line class="bm-co" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}"><title>{xml_text(tip)}</title></line>')
    for link in graph.drawn:
        (x1, y1), (x2, y2) = pos[link.a], pos[link.b]
        dashed = ' stroke-dasharray="5 4"' if set(link.kinds) == {QUOTE_LINK} else ""
        width = round(min(1 + 0.7 * (link.weight - 1), 5), 1)
        kinds = "; ".join(f"{k} ({len(v)})" for k, v in sorted(link.kinds.items()))
        tip = f"{names[link.a]} and {names[link.b]}: {kinds}; sources: {', '.join(link.sources)}"
        out.append(f'<line class="bm-edge" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke-width="{width}"{dashed}>'
                   f"<title>{xml_text(tip)}</title></line>")
    out.append("</g>")
    labels = _place_labels(graph, pos, s)
    # Smallest first, so the big nodes and their labels are drawn on top.
    order = sorted(graph.actors, key=lambda a: (graph.total(a.id), a.id))
    out.append('<g class="bm-nodes">')
    for actor in order:
        x, y = pos[actor.id]
        r = node_radius(graph.total(actor.id))
        n = graph.appearances[actor.id]
        tip = (f"{actor.name} ({actor.kind}): named in {n['sources']} source(s), {n['events']} event(s), "
               f"{n['quotes']} quote(s)")
        link = href(from_path, f"actors/{actor.id}.md")
        label, lx, ly, anchor, size = labels[actor.id]
        if label.rstrip("…") not in tip:  # the accessible name must hold the visible label (WCAG 2.5.3)
            tip = f"{label}: {tip}"
        out.append(f'<a xlink:href="{xml_text(link)}" aria-label="{xml_text(tip)}"><title>{xml_text(tip)}</title>'
                   f'<g class="bm-node">{_shape(actor.kind, x, y, r)}</g>'
                   f'<text class="bm-label" x="{lx}" y="{ly}" text-anchor="{anchor}" '
                   f'font-size="{size}">{xml_text(label)}</text></a>')
    out.append("</g>")
    y = s.height + 20
    out.append(f'<g font-size="{s.font}">')
    cursor = 12.0
    for kind, word in (("person", "person"), ("organization", "organization"), ("state", "state")):
        out.append(_shape(kind, cursor + 6, y - 4, 6) + f'<text x="{cursor + 16}" y="{y}">{word}</text>')
        cursor = round(cursor + 30 + len(word) * s.font * CHAR_WIDTH, 1)
    for word, dash in (("same event", ""), ("quote passed on through", ' stroke-dasharray="5 4"')):
        out.append(f'<line x1="{cursor}" y1="{y - 4}" x2="{cursor + 26}" y2="{y - 4}" class="bm-edge" '
                   f'stroke-width="2"{dash}/><text x="{cursor + 32}" y="{y}">{word}</text>')
        cursor = round(cursor + 50 + len(word) * s.font * CHAR_WIDTH, 1)
    out.append(f'<text x="{cursor}" y="{y}" class="bm-muted">size: how often named</text>')
    out.append("</g></svg>")
    return "\n".join(out) + "\n"


def actor_map_caption(corpus: Corpus) -> str:
    graph = actor_graph(corpus)
    if not graph.actors:
        return "Actor map: no actors are recorded yet."
    top = sorted(graph.actors, key=lambda a: (-graph.total(a.id), a.name))[:5]
    busiest = ", ".join(f"{a.name} ({graph.total(a.id)})" for a in top)
    shown = (f"the {len(graph.actors)} most often named of the briefing's {graph.total_actors} actors"
             if graph.total_actors > len(graph.actors) else f"{len(graph.actors)} actors")
    return (f"Actor map of {shown} and {len(graph.drawn)} links between them: a line joins "
            "two actors who took part in the same event (met, signed, visited, ...) or a speaker and the actor "
            f"a quote was passed on through. Most often named: {busiest}. {len(graph.together_only)} further "
            "pairs are only named in the same source; tick the box above to draw them. The tables below give "
            "every link with its sources.")


def actor_map_figure(corpus: Corpus, from_path: str) -> Markup:
    # A checkbox, not a script: CSS in the SVG shows the co-mention lines when it is ticked.
    toggle = ('<div class="briefing-map">\n<input type="checkbox" id="bm-show-co">\n'
              '<label for="bm-show-co">Also draw pairs only named in the same source (faint dotted lines)</label>\n')
    figure = _figure("actor-map", actor_map_svg(corpus, from_path), actor_map_caption(corpus),
                     "The actor map picture; it scrolls sideways on a narrow screen")
    return Markup(toggle) + figure + Markup("</div>\n")


def template_globals() -> dict[str, object]:
    """What the page templates may call to place the pictures."""
    return {"timeline_figure": timeline_figure, "actor_map_figure": actor_map_figure, "actor_graph": actor_graph}
