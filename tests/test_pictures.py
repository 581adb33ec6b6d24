"""The timeline, the actor map and each actor's neighbourhood: well-formed SVG holding every event
and actor, in the briefing's order, with full labels no smaller than 12 px, laid out for a desk and
for a phone; links that resolve in a built site; hostile values kept inert; and screenshots from a
real Chromium."""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from functools import partial
from itertools import pairwise
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from briefing import exports, pictures
from briefing.model import Actor, Event, When, event_order

from conftest import MINI, ROOT, StaticServer, run
from samples import EVIL, hostile, load

SVG = "{http://www.w3.org/2000/svg}"
ARTIFACTS = ROOT / "test-artifacts"
ALLOWED = {"svg", "title", "desc", "style", "a", "g", "rect", "circle", "line", "path", "text", "tspan"}
PHONE_COLUMN = 358  # the content column of a 390 px window (Material's 16 px gutters)


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # raises on anything not well-formed
    assert root.tag == f"{SVG}svg"
    for element in root.iter():
        assert element.tag.removeprefix(SVG) in ALLOWED, element.tag
        assert not any(name.lower().startswith("on") for name in element.attrib), element.attrib
    return root


HREF = f"{{{pictures.XLINK}}}href"  # the pictures link with xlink:href (see pictures.XLINK)


def links(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{SVG}a"))


def title_of(element: ET.Element) -> str:
    return element.find(f"{SVG}title").text


def shown(element: ET.Element) -> str:
    """The text an element draws (what its <text>, <tspan> and <a> hold, not its <title> or <desc>),
    with no white space at all: a label wrapped onto lines (even inside a long word) still holds
    every character."""
    def drawn(e: ET.Element, inside: bool) -> str:
        tag = e.tag.removeprefix(SVG)
        if tag in ("title", "desc", "style"):
            return e.tail or "" if inside else ""
        inside = inside or tag == "text"
        own = (e.text or "") if inside else ""
        return own + "".join(drawn(c, inside) for c in e) + ((e.tail or "") if inside and tag != "text" else "")

    inside = element.tag == f"{SVG}a" and not any(c.tag == f"{SVG}text" for c in element.iter())
    return squeezed(drawn(element, inside))


def squeezed(text: str) -> str:
    return "".join(text.split())


def font_sizes(root: ET.Element) -> list[float]:
    return [float(t.get("font-size")) for t in root.iter(f"{SVG}text")]


def fresh(make):
    """``make()`` with the module's memo of last answers emptied first, so the answer is computed
    now and not handed back from an earlier call."""
    pictures._LAST.clear()
    return make()


# --- The timeline ---------------------------------------------------------------------------

@pytest.mark.parametrize("style", [pictures.WIDE, pictures.NARROW_TIMELINE], ids=["wide", "narrow"])
def test_timeline_has_every_event_in_order_with_its_full_label(corpus, style):
    root = parse(pictures.timeline_svg(corpus, "timeline/index.md", style))
    ident = "btn" if style.narrow else "bt"
    assert root.get("aria-labelledby") == f"{ident}-title {ident}-desc" and root.find(f"{SVG}desc").text
    events = sorted(corpus.events(), key=event_order)
    anchors = links(root)
    assert [a.get(HREF) for a in anchors] == [f"../sources/{e.source_id}/#e-{e.id}" for e in events]
    for a, event in zip(anchors, events, strict=True):
        title = " ".join(event.title.split())
        assert f"· {title}. Date: {event.when.label}" in title_of(a) and a.get("aria-label") == title_of(a)
        # Never cut: the whole title and the date are drawn (on as many lines as they need).
        assert squeezed(title) in shown(a) and shown(a).startswith(squeezed(pictures.when_label(event.when)))
        # A date worked out, not printed, says so in the row, as everywhere else it is given.
        assert shown(a).startswith(squeezed(pictures.when_label(event.when) + " (inferred)")) == event.when.inferred
        first, last = event.when.range
        # A date known to the day is a dot; anything less certain is drawn as the span it fell in.
        assert any(c.tag == f"{SVG}circle" for c in a) == (first == last)
        assert any(c.get("class") == "bt-range" for c in a) == (first != last)
    assert min(font_sizes(root)) >= 12
    assert int(root.get("width")) <= (PHONE_COLUMN if style.narrow else 700)


def test_wide_timeline_draws_each_event_where_its_dates_fall_on_a_broken_axis(corpus):
    events = sorted(corpus.events(), key=event_order)
    root = parse(pictures.timeline_svg(corpus, "timeline/index.md"))
    s = pictures.WIDE
    years = pictures.years_with_events(events)
    axis = pictures.Axis.over(years, s.margin + s.label_width + s.gap, s.width - s.margin, s.break_width)
    for a, event in zip(links(root), events, strict=True):
        first, last = event.when.range
        x0, x1 = axis.x(pictures._day(first)), axis.x(pictures._day(last) + 1, end=True)
        # Never over a break: a mark stays within the runs of years its first and last days are in.
        years_of = (int(first[:4]), int(last[:4]))
        inside = [(sx0, sx1) for ya, yb, sx0, sx1 in axis.segments if any(ya <= y <= yb for y in years_of)]
        shape = next(c for c in a if c.get("class") == "bt-range" or c.tag == f"{SVG}circle")
        if shape.tag == f"{SVG}circle":
            assert float(shape.get("cx")) == pytest.approx((x0 + x1) / 2, abs=0.1)
            assert inside[0][0] <= float(shape.get("cx")) <= inside[-1][1]
        else:
            left, width = float(shape.get("x")), float(shape.get("width"))
            assert left <= x0 + 0.1 and left + width >= x1 - 0.1 and width >= 7.9
            if width > 8:  # (a span too short to see is widened to 8 around its middle)
                assert inside[0][0] - 0.1 <= left and left + width <= inside[-1][1] + 0.1, event.id
    labelled = {int(t.text) for t in root.iter(f"{SVG}text") if re.fullmatch(r"\d{4}", t.text or "")}
    assert labelled and labelled <= set(range(years[0], years[-1] + 1))
    assert years[0] in labelled
    # Years in a run of two or more without events are not on the axis; each run is marked by a break.
    gaps = [y for y in range(years[0], years[-1] + 1) if y not in years]
    left_out = {y for a0, b0, a1 in [(r[1], r[1], n[0]) for r, n in pairwise(axis.segments)]
                for y in range(b0 + 1, a1)}
    assert left_out <= set(gaps) and not labelled & left_out
    breaks = [p for p in root.iter(f"{SVG}path") if p.get("class") == "bt-break"]
    assert len(breaks) == 2 * len(axis.breaks) + (1 if axis.breaks else 0)  # top and bottom axis, the legend


def test_axis_breaks_only_over_empty_runs_and_never_runs_backwards():
    assert pictures.year_runs([2005, 2011, 2012, 2015, 2016, 2024]) == [
        (2005, 2005), (2011, 2012), (2015, 2016), (2024, 2024)]
    assert pictures.year_runs([2005, 2007, 2009]) == [(2005, 2009)]  # one empty year is kept
    axis = pictures.Axis.over([2005, 2011, 2012, 2024], 100, 600, 20)
    assert [round(x) for x, _, _ in axis.breaks] and axis.skipped() == "2006-2010, 2013-2023"
    assert axis.x(pictures._jan1(2005)) == 100 and axis.x(pictures._jan1(2025)) == 600
    # The end of 2005 (a span's exclusive end, 1 January 2006) is 2005's right edge, not 2011's left.
    end_2005 = axis.segments[0][3]
    assert axis.x(pictures._jan1(2006), end=True) == end_2005 < axis.x(pictures._jan1(2006)) == axis.segments[1][2]
    xs = [axis.x(day) for day in range(pictures._jan1(2005), pictures._jan1(2025), 17)]
    assert xs == sorted(xs)
    # Each shown year is as wide as every other.
    widths = {round(axis.x(pictures._jan1(y + 1) - 1) - axis.x(pictures._jan1(y)), 1) for y in (2005, 2011, 2012, 2024)}
    assert max(widths) - min(widths) < 0.5


@pytest.mark.parametrize("first, last", [
    ("0001", "9999"), ("9999-01", "9999-10"), ("1066-10-14", "2024"), ("0001", "0001-12"), ("2019", "2021")])
def test_a_timeline_over_any_years_is_drawn_with_an_axis_of_bounded_marks(first, last, mini, monkeypatch):
    """Every date the validator accepts can be drawn: an event in 9999 crashed the build (the end of
    its year is 1 January 10000, past what a date can be), and one spanning 0001-9999 found no step
    for the axis's labels (and drew a mark for each of ten thousand years)."""
    from briefing.project import read_settings
    from briefing.render import render_site
    entry = mini / "entries" / "sources" / "hotline-talks.yml"
    text = entry.read_text("utf-8")
    event = text[text.index("  - id: ministers-meet"):text.index("capture_notes:")]
    span = f'date: "{last}"\n      precision: approximate\n      not_before: "{first}"\n      not_after: "{last}"'
    entry.write_text(text.replace(event, event + event.replace("ministers-meet", "long-span").replace(
        'date: "2020-03-02"\n      precision: day', span)), "utf-8")
    corpus = load(mini / "mkdocs.yml", monkeypatch)
    wide = pictures.timeline_svg(corpus, "timeline/index.md")
    page = render_site(corpus, read_settings(mini / "mkdocs.yml").site)["timeline/index.md"]
    for drawing in (wide, page):
        assert 0 < drawing.count('class="bt-rule"') < 200
        labels = [int(y) for y in re.findall(r'class="bt-muted"[^>]*>(\d{1,4})</text>', drawing)]
        assert labels and len(labels) < 60 and labels == sorted(labels[: len(labels) // 2]) * 2
    assert int(first[:4]) in {int(y) for y in re.findall(r'>(\d{1,4})</text>', wide)}


def _x_by_scanning(axis: pictures.Axis, day: int, end: bool = False) -> float:
    """Axis.x as it was: each segment tried in turn (a cost of events times segments)."""
    for a, b, x0, x1 in axis.segments:
        start, past = pictures._jan1(a), pictures._jan1(b + 1)
        if day < past or (end and day == past):
            return x0 + (max(day, start) - start) / (past - start) * (x1 - x0)
    return axis.segments[-1][3]


@given(st.lists(st.integers(1, 9999), min_size=1, max_size=40, unique=True), st.integers(1, 30),
       st.lists(st.tuples(st.integers(1, 9999), st.integers(0, 400), st.booleans()), max_size=30))
@example([2005, 2011, 2012, 2024], 20, [(2006, 0, True), (2006, 0, False), (2025, 0, True), (2025, 5, False)])
def test_the_axis_finds_a_day_s_segment_as_a_scan_of_every_segment_does(years, break_width, days):
    """Axis.x looks a day's segment up by bisection, with the answers of a scan of every segment."""
    axis = pictures.Axis.over(sorted(years), 100, 700, break_width)
    for year, offset, end in days:
        day = pictures._jan1(year) + offset
        assert axis.x(day, end) == _x_by_scanning(axis, day, end)
        assert axis.x(pictures._jan1(year), end) == _x_by_scanning(axis, pictures._jan1(year), end)


@given(st.lists(st.integers(1, 9999), min_size=1, max_size=300, unique=True), st.integers(0, 12))
def test_the_widest_gaps_stay_breaks_and_the_others_are_joined(years, breaks):
    runs = pictures.year_runs(sorted(years))
    joined = pictures.join_closest(runs, breaks)
    assert len(joined) - 1 == min(breaks, len(runs) - 1)
    assert joined[0][0] == runs[0][0] and joined[-1][1] == runs[-1][1]
    assert all(b < na for (_, b), (na, _) in pairwise(joined))  # in order, never overlapping
    for a, b in runs:  # every run lies within one joined run
        assert any(ja <= a and b <= jb for ja, jb in joined)
    widths = sorted(na - b for (_, b), (na, _) in pairwise(runs))
    kept = sorted(na - b for (_, b), (na, _) in pairwise(joined))
    assert kept == widths[len(widths) - len(kept):]  # the widest gaps, if any were joined
    if len(runs) - 1 <= breaks:
        assert joined == runs


def test_events_in_many_far_apart_years_draw_an_axis_that_runs_forwards(mini, monkeypatch):
    """The attacker's third round: 3,300 events, each three years after the last (0001, 0004, ...
    9898), made 3,300 runs of years. Their breaks alone were wider than the drawing, so a year had
    a negative width, and every mark looked for its run among all of them (27 s for the pages, 47 s
    for the site). The breaks now take at most half the axis; the closest runs are joined."""
    entry = mini / "entries" / "sources" / "hotline-talks.yml"
    text = entry.read_text("utf-8")
    event = text[text.index("  - id: ministers-meet"):text.index("capture_notes:")]
    many = "".join(event.replace("ministers-meet", f"far-{n}").replace(
        'date: "2020-03-02"\n      precision: day', f'date: "{1 + 3 * n:04d}"\n      precision: year')
        for n in range(400))
    entry.write_text(text.replace(event, event + many), "utf-8")
    corpus = load(mini / "mkdocs.yml", monkeypatch)
    s = pictures.WIDE
    left, right = s.margin + s.label_width + s.gap, s.width - s.margin
    axis = pictures.Axis.over(pictures.years_with_events(corpus.events()), left, right, s.break_width)
    assert axis.per_year > 0 and len(axis.breaks) * s.break_width <= (right - left) / 2
    assert [x0 for _, _, x0, _ in axis.segments] == sorted(x0 for _, _, x0, _ in axis.segments)
    assert axis.segments[0][2] == left and axis.segments[-1][3] == pytest.approx(right)
    wide = parse(pictures.timeline_svg(corpus, "timeline/index.md"))
    xs = [float(c.get("cx")) for c in wide.iter(f"{SVG}circle") if c.get("cx")]
    spans = [(float(r.get("x")), float(r.get("width"))) for r in wide.iter(f"{SVG}rect")
             if r.get("class") == "bt-range"]
    assert len(spans) >= 400 and all(left - 4 <= x and x + w <= right + 4 for x, w in spans) and xs


def _event(ident: str, date: str, precision: str, not_before: str | None = None, not_after: str | None = None) -> Event:
    return Event(ident, "s", When(date, precision, not_before, not_after), ident, "other")


def test_the_order_of_events_puts_an_approximate_date_where_the_page_says():
    """The rule timeline.md.j2 states: at its date; a month or a year at its end (or the last day its
    evidence allows, if earlier); on one day, the day before the month before the year, exact before
    approximate."""
    events = [
        _event("c-2011", "2011", "approximate"),
        _event("13-jul", "2011-07-13", "day"),
        _event("c-nov", "2011-11", "approximate"),
        _event("10-nov", "2011-11-10", "day"),
        _event("nov", "2011-11", "month"),
        _event("30-nov", "2011-11-30", "day"),
        _event("c-30-nov", "2011-11-30", "approximate"),
        _event("c-2011-by-sep", "2011", "approximate", "2011-01-01", "2011-09-06"),
        _event("2012", "2012", "year"),
    ]
    order = [e.id for e in sorted(events, key=event_order)]
    assert order == ["13-jul", "c-2011-by-sep", "10-nov", "30-nov", "c-30-nov", "nov", "c-nov", "c-2011", "2012"]
    # "c. 2011" after "13 July 2011", "c. November 2011" after "10 November 2011", as the page says.
    assert order.index("c-2011") > order.index("13-jul") and order.index("c-nov") > order.index("10-nov")


def test_the_timeline_page_states_the_order_it_uses(tmp_path, monkeypatch):
    from briefing.pages import timeline
    from briefing.project import read_settings
    from briefing.render import render_site

    real = load(ROOT / "mkdocs.yml", monkeypatch)
    pages = render_site(real, read_settings(ROOT / "mkdocs.yml").site)
    page = next(text for path, text in pages.items() if path.startswith("timeline/"))
    assert '"c. 2011" comes after "13 July 2011"' in page
    assert [e.id for e, _ in timeline(real)] == [e.id for e in sorted(real.events(), key=event_order)]
    labels = [e.when.text for e, _ in timeline(real)]
    assert labels.index("c. 2011 (no later than 6 September 2011)") > labels.index("13 July 2011")
    approximate_nov = [i for i, e in enumerate(timeline(real)) if e[0].when.text.startswith("c. November 2011")]
    assert approximate_nov and min(approximate_nov) > labels.index("10 November 2011")


# --- The actor map --------------------------------------------------------------------------

@pytest.mark.parametrize("style", [pictures.MAP_WIDE, pictures.MAP_NARROW], ids=["wide", "narrow"])
def test_actor_map_links_every_actor_to_their_page_once(corpus, style):
    root = parse(pictures.actor_map_svg(corpus, "actor-map/index.md", style))
    graph = pictures.actor_graph(corpus)
    anchors = links(root)
    assert sorted(a.get(HREF) for a in anchors) == sorted(f"../actors/{a.id}/" for a in graph.actors)
    names = pictures.labels(graph.actors)
    for a in anchors:
        actor = corpus.actors[a.get(HREF).split("/")[2]]
        assert f"{' '.join(actor.name.split())} ({actor.kind}): named in" in a.get("aria-label")
        assert shown(a).startswith(squeezed(names[actor.id]))  # drawn in full, in the map or named below it
    nodes = [a for a in anchors if a.find(f"{SVG}g") is not None]
    assert sorted(a.get(HREF) for a in nodes) == sorted(f"../actors/{a.id}/" for a in graph.linked)
    for a in nodes:  # a node's name is drawn in full below it, and the accessible name holds it (WCAG 2.5.3)
        actor_id = a.get(HREF).split("/")[2]
        assert shown(a) == squeezed(names[actor_id]) and squeezed(names[actor_id]) in squeezed(a.get("aria-label"))
    edges = [e for e in root.iter(f"{SVG}line") if e.get("class") == "bm-edge" and e.find(f"{SVG}title") is not None]
    assert len(edges) == len(graph.drawn)
    assert min(font_sizes(root)) >= 12
    assert int(root.get("width")) <= (PHONE_COLUMN if style.narrow else 700)


def test_actor_map_draws_only_actors_linked_to_another_and_never_to_their_own_state(monkeypatch):
    real = load(ROOT / "mkdocs.yml", monkeypatch)
    graph = pictures.actor_graph(real)
    kinds = set().union(*(link.kinds for link in graph.drawn))
    assert {"met", "signed", pictures.QUOTE_LINK} <= kinds
    ends = {link.a for link in graph.drawn} | {link.b for link in graph.drawn}
    assert {a.id for a in graph.linked} == ends and graph.unlinked and not ends & {a.id for a in graph.unlinked}
    states = [a for a in real.actors.values() if a.kind == "state"]
    owned = {(a.id, s.id) for a in real.actors.values() for s in states if pictures.own_state(s, a)}
    assert ("ali-akbar-velayati", "iran") in owned and ("sergei-lavrov", "russia") in owned
    for link in graph.links + [one for a in real.actors for _, one in pictures.actor_links(real, a)]:
        assert (link.a, link.b) not in owned and (link.b, link.a) not in owned, (link.a, link.b)
    # Velayati met Russians in Moscow (an event joins him, Russia and Iran): Russia, not Iran.
    velayati = {other.id for other, _ in pictures.actor_links(real, "ali-akbar-velayati")}
    assert "russia" in velayati and "iran" not in velayati


def test_own_state_reads_the_country_and_the_state_s_other_names():
    iran = Actor("iran", "x", "Iran", "state", "", aliases=("Islamic Republic of Iran",))
    assert pictures.own_state(iran, Actor("p", "x", "P", "person", "", country="  iran "))
    assert pictures.own_state(iran, Actor("p", "x", "P", "person", "", country="Islamic Republic of Iran"))
    assert not pictures.own_state(iran, Actor("p", "x", "P", "person", "", country="Russia"))
    assert not pictures.own_state(iran, Actor("p", "x", "P", "person", ""))
    assert not pictures.own_state(Actor("o", "x", "Iran", "organization", ""),
                                  Actor("p", "x", "P", "person", "", country="Iran"))


def test_labels_are_full_and_tell_apart_actors_that_share_a_name():
    actors = [Actor("mfa-ru", "x", "Ministry of Foreign Affairs", "organization", "", country="Russia"),
              Actor("mfa-cn", "x", "Ministry of Foreign Affairs", "organization", "", country="China"),
              Actor("mfa-cn-2", "x", "Ministry of  Foreign Affairs", "organization", "", country="China"),
              Actor("iran", "x", "Islamic Republic of Iran Broadcasting", "organization", "")]
    names = pictures.labels(actors)
    assert len(set(names.values())) == 4
    assert names["mfa-ru"] == "Ministry of Foreign Affairs (Russia)"
    assert names["iran"] == "Islamic Republic of Iran Broadcasting"


def test_the_map_s_names_never_overlap_and_stay_inside_it(corpus):
    graph = pictures.actor_graph(corpus)
    for style in (pictures.MAP_WIDE, pictures.MAP_NARROW):
        laid = fresh(partial(pictures.layout, graph, style))
        boxes = []
        for actor in graph.linked:
            x, y = laid.positions[actor.id]
            r = pictures.node_radius(graph.total(actor.id))
            half = max(r, pictures.lines_width(laid.lines[actor.id], style.font) / 2)
            boxes.append((x - half, y - r, x + half, y + r + 3 + len(laid.lines[actor.id]) * style.lead))
            assert all(pictures.lines_width([line], style.font) <= style.most + 1 for line in laid.lines[actor.id])
        for i, a in enumerate(boxes):
            assert a[0] >= 0 and a[2] <= style.width and a[1] >= 0 and a[3] <= laid.height
            for b in boxes[i + 1:]:
                assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_boxes_not_apart_in_time_are_settled_downwards_without_overlap():
    """Where pushing boxes apart does not settle in its rounds, what is left still never overlaps."""
    boxes = {f"n{i}": (-40.0, -10.0, 40.0, 20.0) for i in range(12)}
    positions = {n: [100.0 + (i % 3), 50.0 + (i % 2)] for i, n in enumerate(sorted(boxes))}
    pictures._separate(positions, boxes, 0.0, 200.0, rounds=0)
    placed = [(p[0] + boxes[n][0], p[1] + boxes[n][1], p[0] + boxes[n][2], p[1] + boxes[n][3])
              for n, p in positions.items()]
    for i, a in enumerate(placed):
        for b in placed[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def _separate_every_pair(positions, boxes, left, right, pad=4.0, rounds=300):
    """_separate as it was written first: every pair looked at in every round."""
    ids = sorted(positions)
    centres, extents = [positions[n] for n in ids], [boxes[n] for n in ids]
    for _ in range(rounds):
        moved = False
        for i in range(len(ids)):
            for j in range(i + 1, len(ids)):
                ox, oy = pictures._overlap(centres[i], extents[i], centres[j], extents[j], pad)
                if ox <= 0 or oy <= 0:
                    continue
                moved = True
                pa, pb = centres[i], centres[j]
                axis, push = (0, ox) if ox < oy else (1, oy)
                sign = 1 if (pb[axis], ids[j]) >= (pa[axis], ids[i]) else -1
                pa[axis] -= sign * push / 2
                pb[axis] += sign * push / 2
        for p, box in zip(centres, extents, strict=True):
            p[0] = min(max(p[0], left - box[0]), right - box[2])
        if not moved:
            return
    pictures._separate(positions, boxes, left, right, pad, rounds=0)  # the same settling at the end


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 300), st.floats(0, 200), st.floats(4, 120), st.floats(4, 60)),
                min_size=2, max_size=40),
       st.integers(0, 40), st.sampled_from([0.5, 4.0]))
# Two pushes in one round bring a pair together that was not near as it started: n00 pushes n02
# right and n01 pushes n03 left, 17 each, and n02 and n03, 26 apart, then overlap.
@example([(100, 50, 40, 60), (190, 50, 40, 60), (110, 50, 40, 60), (180, 50, 40, 60)], 1, 4.0)
def test_pushing_only_near_pairs_apart_places_boxes_as_every_pair_would(drawn, rounds, pad):
    """_separate looks, each round, only at the pairs that are near as it starts (and looks at all
    of them again when a box strays): the places are the very ones of looking at every pair, in
    crowds where boxes are pushed far in one round as well as in sparse maps."""
    boxes = {f"n{i:02}": (-w / 2, -h / 3, w / 2, h) for i, (_, _, w, h) in enumerate(drawn)}
    start = {f"n{i:02}": [x, y] for i, (x, y, _, _) in enumerate(drawn)}
    fast, slow = {n: list(p) for n, p in start.items()}, {n: list(p) for n, p in start.items()}
    pictures._separate(fast, boxes, 0.0, 320.0, pad, rounds)
    _separate_every_pair(slow, boxes, 0.0, 320.0, pad, rounds)
    assert fast == slow


def test_a_crowded_map_still_keeps_its_names_apart():
    """Forty actors all linked to one hub (the shape of a real briefing's Russia and Iran), some
    with long names that go on two lines."""
    actors = [Actor("hub", "x", "Russia", "state", "")]
    actors += [Actor(f"a{i:02}", "x", ("Ministry of Foreign Affairs of Country " if i % 3 else "Person ") + str(i),
                     "organization" if i % 3 else "person", "") for i in range(40)]
    graph = pictures.ActorGraph(actors, {a.id: {"sources": 1, "events": 1, "quotes": 0} for a in actors},
                                [pictures.Link("hub", a.id, {"met": {"s"}}) for a in actors[1:]], {},
                                {"hub": 40, **{a.id: 1 for a in actors[1:]}}, 41)
    for style in (pictures.MAP_WIDE, pictures.MAP_NARROW):
        laid = fresh(partial(pictures.layout, graph, style))
        spans = []
        for a in actors:
            x, y = laid.positions[a.id]
            half = pictures.lines_width(laid.lines[a.id], style.font) / 2
            spans.append((x - half, y, x + half, y + 3 + len(laid.lines[a.id]) * style.lead))
            assert spans[-1][0] >= 0 and spans[-1][2] <= style.width
        for i, a in enumerate(spans):
            for b in spans[i + 1:]:
                assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


def test_pictures_are_deterministic_when_computed_again(corpus):
    """Each picture twice, computed afresh each time (not the module's memo of the last answer
    handed back): the same corpus gives the same bytes."""
    graph = fresh(lambda: pictures.actor_graph(corpus))
    again = fresh(lambda: pictures.actor_graph(corpus))
    assert graph is not again and graph == again
    first = fresh(lambda: pictures.layout(graph))
    second = fresh(lambda: pictures.layout(graph))
    assert first is not second and first == second
    for make in (lambda: pictures.timeline_svg(corpus, "timeline/index.md"),
                 lambda: pictures.timeline_svg(corpus, "timeline/index.md", pictures.NARROW_TIMELINE),
                 lambda: pictures.actor_map_svg(corpus, "a/index.md"),
                 lambda: pictures.actor_map_svg(corpus, "a/index.md", pictures.MAP_NARROW)):
        assert fresh(make) == fresh(make)


def test_the_memo_answers_only_for_the_same_corpus(monkeypatch):
    mini = load(MINI / "mkdocs.yml", monkeypatch)
    graph = pictures.actor_graph(mini)
    assert pictures.actor_graph(mini) is graph  # one build asks several times
    other = hostile(mini)
    assert pictures.actor_graph(other) is not graph
    assert [a.name for a in pictures.actor_graph(other).actors] != [a.name for a in graph.actors]


def test_actor_graph_links_events_quotes_and_co_mentions(monkeypatch):
    corpus = load(MINI / "mkdocs.yml", monkeypatch)
    graph = pictures.actor_graph(corpus)
    # The mini source names Ada Quill and Atlantis, her own state: no line, not even "named together".
    assert corpus.actors["ada-quill"].country == "Atlantis"
    assert graph.links == [] and graph.named_in == {"hotline-talks": ["ada-quill", "atlantis"]}
    assert graph.appearances["ada-quill"] == {"sources": 1, "events": 1, "quotes": 2}
    assert graph.linked == [] and [a.id for a in graph.unlinked] == ["ada-quill", "atlantis"]


def test_actor_map_keeps_to_the_most_named_actors(monkeypatch):
    corpus = load(MINI / "mkdocs.yml", monkeypatch)
    graph = pictures.actor_graph(corpus, limit=1)
    assert [a.id for a in graph.actors] == ["ada-quill"] and graph.total_actors == 2
    assert graph.links == [] and graph.named_in == {}


# --- An actor's neighbourhood -----------------------------------------------------------------

def test_each_actor_s_neighbourhood_links_every_actor_it_is_linked_to(corpus):
    for actor_id in corpus.actors:
        found = pictures.actor_links(corpus, actor_id)
        figure = str(pictures.neighbourhood_figure(f"actors/{actor_id}.md", corpus.actors[actor_id], found))
        if not found:
            assert figure == ""
            continue
        root = parse(re.search(r"<svg.*?</svg>", figure, re.S).group(0))
        anchors = links(root)
        assert [a.get(HREF) for a in anchors] == [f"../{other.id}/" for other, _ in found]
        names = pictures.labels([corpus.actors[actor_id], *(o for o, _ in found)])
        for a, (other, link) in zip(anchors, found, strict=True):
            assert squeezed(names[other.id]) in shown(a) and names[other.id] in a.get("aria-label")
            assert link.a == actor_id or link.b == actor_id
        edges = [e for e in root.iter(f"{SVG}line")
                 if e.get("class") == "bm-edge" and e.find(f"{SVG}title") is not None]
        assert len(edges) == len(found)
        assert min(font_sizes(root)) >= 12 and int(root.get("width")) <= PHONE_COLUMN
        assert squeezed(" ".join(corpus.actors[actor_id].name.split())) in shown(root)


def test_hostile_names_stay_text_in_every_picture(monkeypatch):
    evil = hostile(load(ROOT / "mkdocs.yml", monkeypatch))
    drawn = [pictures.timeline_svg(evil, "timeline/index.md", style) for style in
             (pictures.WIDE, pictures.NARROW_TIMELINE)]
    drawn += [pictures.actor_map_svg(evil, "actor-map/index.md", style) for style in
              (pictures.MAP_WIDE, pictures.MAP_NARROW)]
    drawn += [str(pictures.neighbourhood_figure(f"actors/{a}.md", evil.actors[a], pictures.actor_links(evil, a)))
              for a in evil.actors]
    drawn = [d for d in drawn if d]
    payload = squeezed(EVIL.split(" <!--")[0])
    for svg in drawn:
        for piece in re.findall(r"<svg.*?</svg>", svg, re.S):
            root = parse(piece)
            assert payload[:20] in shown(root) or payload[:20] in squeezed(" ".join(root.itertext()))
        assert "<script" not in svg.lower() and "</script>" not in svg.replace("&lt;/script&gt;", "")


def test_xml_text_drops_what_xml_forbids():
    assert pictures.xml_text('a\x00b\x1f <c> & "d"') == "ab &lt;c&gt; &amp; &quot;d&quot;"
    ET.fromstring(f"<t>{pictures.xml_text(chr(0xFFFE) + 'x' + chr(0xD800))}</t>")


def test_wrap_never_cuts_and_keeps_to_its_width():
    text = "Pentagon (US Department of Defense) Supercalifragilisticexpialidociouslylongword end"
    lines = pictures.wrap(text, 120, 13)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(pictures.text_width(line, 13) * pictures.SLACK <= 120 + 0.01 for line in lines)
    assert pictures.name_lines("Sergei Lavrov", 13, 130, 170) == ["Sergei Lavrov"]
    assert pictures.name_lines("Ministry of Foreign Affairs of Russia", 13, 130, 170) == [
        "Ministry of Foreign", "Affairs of Russia"]


# --- In the built site --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def briefing_site(tmp_path_factory):
    """The real briefing, built once, strictly."""
    out = tmp_path_factory.mktemp("pictures") / "site"
    result = run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(ROOT / "mkdocs.yml"),
                  "-d", str(out)], ROOT)
    assert result.returncode == 0, result.stderr
    return out


def _ids(page: Path) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', page.read_text("utf-8")))


def _svgs(text: str, cls: str = "b[tm]") -> list[ET.Element]:
    return [parse(svg) for svg in re.findall(rf"<svg[^>]*class=\"{cls}[ \"].*?</svg>", text, re.S)]


def _svg_links(text: str) -> list[str]:
    return [a.get(HREF) for root in _svgs(text) for a in links(root)]


@pytest.mark.site
def test_every_link_in_the_pictures_resolves(briefing_site):
    site = briefing_site
    checked = 0
    pages = [site / "timeline/index.html", site / "actor-map/index.html",
             *sorted((site / "actors").glob("*/index.html"))]
    for container, hrefs in [
        *((page, _svg_links(page.read_text("utf-8"))) for page in pages),
        (site / exports.TIMELINE_SVG, [a.get(HREF) for a in links(parse((site / exports.TIMELINE_SVG).read_text()))]),
        (site / exports.ACTOR_MAP_SVG, [a.get(HREF) for a in links(parse((site / exports.ACTOR_MAP_SVG).read_text()))]),
    ]:
        if container.parent.parent.name != "actors":
            assert hrefs, container
        base = container.parent
        for href in hrefs:
            parts = urlsplit(href)
            target = (base / unquote(parts.path)).resolve()
            target = target / "index.html" if target.is_dir() else target
            assert target.is_file(), f"{container.relative_to(site)} -> {href}"
            if parts.fragment:
                assert parts.fragment in _ids(target), f"{container.relative_to(site)} -> {href} (no such anchor)"
            checked += 1
    counts = json.loads((site / exports.CORPUS_JSON).read_text("utf-8"))["counts"]
    hood = sum(len(_svg_links(p.read_text("utf-8"))) for p in pages[2:])
    # Page (wide and narrow drawings) and export: every event and every actor, three times.
    assert checked == 3 * (counts["events"] + counts["actors"]) + hood and hood > 0


@pytest.mark.site
def test_pictures_sit_beside_tables_of_the_same_facts(briefing_site):
    timeline = (briefing_site / "timeline/index.html").read_text("utf-8")
    assert timeline.index('class="bt bt-wide"') < timeline.index('class="bt bt-narrow"') < timeline.index("<table>")
    assert "<figcaption>Timeline of " in timeline
    page = (briefing_site / "actor-map/index.html").read_text("utf-8")
    assert 'class="bm bm-wide"' in page and 'id="links"' in page and 'id="named-together"' in page
    rows = re.search(r'id="links".*?<tbody>(.*?)</tbody>', page, re.S).group(1).count("<tr>")
    for root in _svgs(page, "bm"):
        edges = [e for e in root.iter(f"{SVG}line")
                 if e.get("class") == "bm-edge" and e.find(f"{SVG}title") is not None]
        assert rows == len(edges)
    actor = (briefing_site / "actors/ali-akbar-velayati/index.html").read_text("utf-8")
    rows = re.search(r'id="linked".*?<tbody>(.*?)</tbody>', actor, re.S).group(1).count("<tr>")
    [hood] = _svgs(actor, "bm")
    assert rows == len(links(hood)) > 0


@pytest.mark.browser
def test_screenshots_of_the_pictures_at_both_widths(page, briefing_site, local_only):
    server = StaticServer(briefing_site)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        ARTIFACTS.mkdir(exist_ok=True)
        shots = [("timeline/", "figure.briefing-timeline", "timeline", "bt"),
                 ("actor-map/", "figure.briefing-actor-map", "actor-map", "bm"),
                 ("actors/russia/", "figure.briefing-actor-hood", "actor-hood", "bm")]
        for width, scheme in [(1280, "light"), (390, "dark")]:
            page.emulate_media(color_scheme=scheme)
            page.set_viewport_size({"width": width, "height": 900})
            for path, selector, name, _cls in shots:
                page.goto(f"{server.url}/{path}")
                figure = page.locator(selector)
                drawings = [svg for svg in figure.locator("svg").all() if svg.is_visible()]
                assert len(drawings) == 1, f"{path}: one drawing shows at {width} px"
                svg = drawings[0]
                if name != "actor-hood":
                    assert (svg.get_attribute("class") or "").endswith("-narrow" if width < 700 else "-wide")
                box = svg.bounding_box()
                view = float(svg.get_attribute("width"))
                # Drawn at no less than its own size, so no label shows smaller than the 12 px it is set in.
                assert box and box["width"] >= view - 1 and box["height"] > 300, (path, box, view)
                assert page.evaluate("document.documentElement.scrollWidth") <= width, path
                page.add_style_tag(content=".md-header{position:static}")  # keep the sticky header off the picture
                shot = ARTIFACTS / f"{name}-{width}-{scheme}.png"
                figure.screenshot(path=str(shot))
                assert shot.stat().st_size > 10_000
        # Each event is a link to its row in the source page, through Material's instant navigation.
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{server.url}/timeline/")
        first = page.locator("svg.bt-wide a").first
        target = first.get_attribute("xlink:href")
        first.click()
        page.wait_for_url(f"**/sources/**{target.split('#')[1]}")
        assert page.locator(f"#{target.split('#')[1]}").count() == 1
        assert errors == []
    finally:
        server.stop()


def test_spring_layout_is_centred_scaled_and_pulled_by_weight():
    """The actor map's layout (networkx's Fruchterman-Reingold, in numpy): positions centred on 0
    with the farthest coordinate at 1, the same every time, and a heavy link pulls its two ends
    closer than a light one."""
    assert pictures.spring_layout([[0.0]], k=1.0, seed=1, iterations=50) == [(0.0, 0.0)]
    heavy, light = 1.0, 0.06
    weights = [[0, heavy, light, light], [heavy, 0, light, light], [light, light, 0, heavy], [light, light, heavy, 0]]
    pos = pictures.spring_layout(weights, k=0.5, seed=20240611, iterations=400)
    assert pos == pictures.spring_layout(weights, k=0.5, seed=20240611, iterations=400)
    assert max(abs(c) for p in pos for c in p) == pytest.approx(1.0)
    assert abs(sum(p[0] for p in pos)) < 1e-9 and abs(sum(p[1] for p in pos)) < 1e-9

    def gap(a: int, b: int) -> float:
        return ((pos[a][0] - pos[b][0]) ** 2 + (pos[a][1] - pos[b][1]) ** 2) ** 0.5

    assert max(gap(0, 1), gap(2, 3)) < min(gap(0, 2), gap(0, 3), gap(1, 2), gap(1, 3))


def test_an_actor_s_links_are_those_the_whole_briefing_shows(corpus):
    """Each actor page works out its links from that actor's own sources: the same links, kinds
    and sources as going through every source of the briefing."""
    every: dict[tuple[str, str], dict[str, set[str]]] = {}
    for source in corpus.sources:
        for a, b, how in pictures._source_links(source):
            if a in corpus.actors and b in corpus.actors and pictures._unrelated(corpus, a, b):
                every.setdefault((a, b), {}).setdefault(how, set()).add(source.id)
    for actor_id in corpus.actors:
        found = fresh(partial(pictures.actor_links, corpus, actor_id))
        assert {(link.a, link.b): link.kinds for _, link in found} == {
            pair: kinds for pair, kinds in every.items() if actor_id in pair}


def test_the_timeline_export_in_pieces_is_the_whole_drawing(corpus):
    whole = fresh(partial(pictures.timeline_svg, corpus, exports.TIMELINE_SVG))
    pieces = list(pictures.timeline_svg_pieces(corpus, exports.TIMELINE_SVG, batch=3))
    assert len(pieces) > 2 and "".join(pieces) == whole


def test_an_actors_links_are_its_pairs_of_the_sources_links_in_their_order(corpus):
    """An actor's neighbourhood asks only for the pairs it is in (round two of the attacker's
    review: an event naming 1,500 actors made 1.1 million pairs for each of them, and the build ran
    past five minutes); they are the pairs the whole map uses, in the same order."""
    for source in corpus.sources:
        named = {a for link in pictures._source_links(source) for a in link[:2]}
        for actor in sorted(named | {"nobody"}):
            assert list(pictures._links_of(source, actor)) == [
                link for link in pictures._source_links(source) if actor in link[:2]], (source.id, actor)


def test_an_actor_in_a_crowded_event_shows_its_most_linked_neighbours(mini, monkeypatch):
    """Round two of the attacker's review: one event naming 1,500 actors drew 1,500 neighbours on
    each of their 1,500 pages (the build ran past five minutes). The picture keeps the 40 most
    linked, the table 100, and both say so; a briefing's usual actor is drawn whole."""
    from briefing.project import read_settings
    from briefing.render import render_site
    ids = [f"actor-{i:03d}" for i in range(120)]
    for ident in ids:
        (mini / f"entries/actors/{ident}.yml").write_text(
            f'id: {ident}\nname: "Actor {ident}"\nkind: person\ndescription: "x"\n', "utf-8")
    entry = mini / "entries" / "sources" / "hotline-talks.yml"
    text = entry.read_text("utf-8").replace("    actors: [ada-quill]\n    place:",
                                            f"    actors: [ada-quill, {', '.join(ids)}]\n    place:", 1)
    entry.write_text(text.replace("actors:\n", "actors:\n" + "".join(
        f'  - id: {ident}\n    role: "Named."\n' for ident in ids), 1), "utf-8")
    corpus = load(mini / "mkdocs.yml", monkeypatch)
    page = render_site(corpus, read_settings(mini / "mkdocs.yml").site)["actors/ada-quill.md"]
    figure = page[page.index('<figure class="briefing-figure briefing-actor-hood'):]
    assert figure[:figure.index("</figure>")].count('<g class="bm-node">') == 1 + pictures.HOOD_ACTORS
    assert "the 40 most linked of the 120 actors" in page and "The 100 most linked of 120 actors" in page
    rows = [line for line in page.splitlines() if line.startswith("| ") and "actor-" in line]
    assert len(rows) == 100, rows[:2]
