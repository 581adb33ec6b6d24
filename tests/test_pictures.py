"""The timeline and the actor map: well-formed SVG holding every event and actor, links that
resolve in a built site, hostile values kept inert, and screenshots from a real Chromium."""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from briefing import exports, pictures
from conftest import MINI, ROOT, StaticServer, run
from test_exports import corpus, hostile, load  # noqa: F401  (corpus is a shared fixture)

SVG = "{http://www.w3.org/2000/svg}"
ARTIFACTS = ROOT / "test-artifacts"
ALLOWED = {"svg", "title", "desc", "style", "a", "g", "rect", "circle", "line", "path", "text"}


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


def test_timeline_has_every_event_linked_to_its_source(corpus):
    root = parse(pictures.timeline_svg(corpus, "timeline/index.md"))
    assert root.get("aria-labelledby") == "bt-title bt-desc" and root.find(f"{SVG}desc").text
    events = sorted(corpus.events(), key=lambda e: (e.when.sort_key, e.source_id, e.id))
    anchors = links(root)
    assert [a.get(HREF) for a in anchors] == [f"../sources/{e.source_id}/#e-{e.id}" for e in events]
    for a, event in zip(anchors, events):
        assert f"· {' '.join(event.title.split())}. Date: " in title_of(a)
        first, last = event.when.range
        shapes = [c.tag.removeprefix(SVG) for c in a]
        # A date known to the day is a dot; anything less certain is drawn as the span it fell in.
        assert ("circle" in shapes) == (first == last)
        assert any(c.get("class") == "bt-range" for c in a) == (first != last)
    years = {int(t.text) for t in root.iter(f"{SVG}text") if re.fullmatch(r"\d{4}", t.text or "")}
    first_year = min(int(e.when.range[0][:4]) for e in events)
    last_year = max(int(e.when.range[1][:4]) for e in events)
    assert min(years) == first_year and max(years) <= last_year


def test_timeline_places_events_in_time_order(corpus):
    root = parse(pictures.timeline_svg(corpus, "timeline/index.md"))
    starts = []
    for a in links(root):
        shape = next(c for c in a if c.get("class") == "bt-range" or c.tag == f"{SVG}circle")
        starts.append(float(shape.get("cx") or shape.get("x")) + float(shape.get("width") or 0) / 2)
    events = sorted(corpus.events(), key=lambda e: (e.when.sort_key, e.source_id, e.id))
    # Events on the same middle day sit at the same x; a later one is never drawn left of an earlier one
    # by more than the half-width a short span is widened to.
    mids = [(pictures._day(e.when.range[0]) + pictures._day(e.when.range[1])) / 2 for e in events]
    for (m1, x1), (m2, x2) in zip(zip(mids, starts), zip(mids[1:], starts[1:])):
        if m2 > m1:
            assert x2 >= x1 - 4.1


def test_actor_map_has_every_actor_linked_to_their_page(corpus):
    root = parse(pictures.actor_map_svg(corpus, "actor-map/index.md"))
    anchors = links(root)
    assert sorted(a.get(HREF) for a in anchors) == sorted(f"../actors/{a}/" for a in corpus.actors)
    for a in anchors:
        actor = corpus.actors[a.get(HREF).split("/")[2]]
        assert title_of(a).startswith(f"{' '.join(actor.name.split())} ({actor.kind}): named in")
    graph = pictures.actor_graph(corpus)
    lines = [e for e in root.iter(f"{SVG}line") if e.get("class") in ("bm-edge", "bm-co") and e.find(f"{SVG}title") is not None]
    assert len([e for e in lines if e.get("class") == "bm-edge"]) == len(graph.drawn)
    assert len([e for e in lines if e.get("class") == "bm-co"]) == len(graph.together_only)


def test_actor_graph_links_events_quotes_and_co_mentions(monkeypatch):
    corpus = load(MINI / "mkdocs.yml", monkeypatch)
    graph = pictures.actor_graph(corpus)
    # The mini source names Ada Quill and Atlantis; no event or quote joins them.
    assert [(l.a, l.b, l.kinds, l.together_in) for l in graph.links] == [
        ("ada-quill", "atlantis", {}, {"hotline-talks"})]
    assert graph.appearances["ada-quill"] == {"sources": 1, "events": 1, "quotes": 2}
    real = pictures.actor_graph(load(ROOT / "mkdocs.yml", monkeypatch))
    kinds = set().union(*(l.kinds for l in real.drawn))
    assert {"met", "signed", pictures.QUOTE_LINK} <= kinds


def test_pictures_are_deterministic(corpus):
    assert pictures.timeline_svg(corpus, "timeline/index.md") == pictures.timeline_svg(corpus, "timeline/index.md")
    assert pictures.actor_map_svg(corpus, "a/index.md") == pictures.actor_map_svg(corpus, "a/index.md")


def test_xml_text_drops_what_xml_forbids():
    assert pictures.xml_text('a\x00b\x1f <c> & "d"') == "ab &lt;c&gt; &amp; &quot;d&quot;"
    ET.fromstring(f"<t>{pictures.xml_text(chr(0xFFFE) + 'x' + chr(0xD800))}</t>")


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


def _svg_links(text: str) -> list[str]:
    hrefs = []
    for svg in re.findall(r"<svg[^>]*class=\"b[tm]\".*?</svg>", text, re.S):
        hrefs += [a.get(HREF) for a in links(parse(svg))]
    return hrefs


@pytest.mark.site
def test_every_link_in_the_pictures_resolves(briefing_site):
    site = briefing_site
    checked = 0
    for container, hrefs in [
        (site / "timeline/index.html", _svg_links((site / "timeline/index.html").read_text("utf-8"))),
        (site / "actor-map/index.html", _svg_links((site / "actor-map/index.html").read_text("utf-8"))),
        (site / exports.TIMELINE_SVG, [a.get(HREF) for a in links(parse((site / exports.TIMELINE_SVG).read_text()))]),
        (site / exports.ACTOR_MAP_SVG, [a.get(HREF) for a in links(parse((site / exports.ACTOR_MAP_SVG).read_text()))]),
    ]:
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
    assert checked == 2 * (counts["events"] + counts["actors"])


@pytest.mark.site
def test_pictures_sit_beside_tables_of_the_same_facts(briefing_site):
    timeline = (briefing_site / "timeline/index.html").read_text("utf-8")
    assert timeline.index('class="bt"') < timeline.index("<table>")
    assert "<figcaption>Timeline of " in timeline
    page = (briefing_site / "actor-map/index.html").read_text("utf-8")
    assert 'class="bm"' in page and 'id="links"' in page and 'id="named-together"' in page
    rows = re.search(r'id="links".*?<tbody>(.*?)</tbody>', page, re.S).group(1).count("<tr>")
    assert rows == len(_svg_edge_titles(page))


def _svg_edge_titles(page: str) -> list[str]:
    svg = re.search(r"<svg[^>]*class=\"bm\".*?</svg>", page, re.S).group(0)
    return [e for e in parse(svg).iter(f"{SVG}line") if e.get("class") == "bm-edge" and e.find(f"{SVG}title") is not None]


@pytest.mark.browser
def test_screenshots_of_both_pictures(page, briefing_site, local_only):
    server = StaticServer(briefing_site)
    try:
        ARTIFACTS.mkdir(exist_ok=True)
        for path, selector, name in [("timeline/", "figure.briefing-timeline", "timeline"),
                                     ("actor-map/", "figure.briefing-actor-map", "actor-map")]:
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(f"{server.url}/{path}")
            figure = page.locator(selector)
            box = figure.locator("svg").bounding_box()
            assert box and box["width"] > 600 and box["height"] > 300
            page.add_style_tag(content=".md-header{position:static}")  # keep the sticky header off the picture
            figure.screenshot(path=str(ARTIFACTS / f"{name}.png"))
            assert (ARTIFACTS / f"{name}.png").stat().st_size > 10_000
        # Dark mode on a phone: the picture scrolls sideways inside its box, the page does not.
        page.emulate_media(color_scheme="dark")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{server.url}/timeline/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.locator("figure.briefing-timeline").screenshot(path=str(ARTIFACTS / "timeline-phone-dark.png"))
        # Each event is a link to its row in the source page.
        page.set_viewport_size({"width": 1280, "height": 900})
        first = page.locator("svg.bt a").first
        target = first.get_attribute("xlink:href")
        first.click()
        page.wait_for_url(f"**/sources/**{target.split('#')[1]}")
        assert page.locator(f"#{target.split('#')[1]}").count() == 1
    finally:
        server.stop()


def test_actor_map_keeps_to_the_most_named_actors(monkeypatch):
    corpus = load(MINI / "mkdocs.yml", monkeypatch)
    graph = pictures.actor_graph(corpus, limit=1)
    assert [a.id for a in graph.actors] == ["ada-quill"] and graph.total_actors == 2
    assert graph.links == [] and graph.named_in == {}


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
