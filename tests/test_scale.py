"""Pages that could list everything stay bounded as the corpus grows (synthetic corpora)."""

from __future__ import annotations

import dataclasses

import pytest

from briefing.archive import Archive
from briefing.load import load_entries
from briefing.model import actor_from, build_corpus, source_from, topic_from
from briefing.pictures import actor_graph
from briefing.render import SiteInfo, render_site
from briefing.synthetic import write_corpus
from briefing.validate import validate_entries


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = write_corpus(tmp_path_factory.mktemp("synthetic"), 60)
    files = load_entries(root / "entries", root)
    assert validate_entries(files, Archive(root / "archive")) == []  # quotes verified against the archive
    return build_corpus([source_from(f.data, f.path) for f in files if f.kind == "source"],
                        [actor_from(f.data, f.path) for f in files if f.kind == "actor"],
                        [topic_from(f.data, f.path) for f in files if f.kind == "topic"])


def test_list_pages_split_at_page_size(corpus):
    pages = render_site(corpus, SiteInfo("Synthetic", "Synthetic", page_size=25))
    assert [p for p in pages if p.startswith("sources/page-")] == ["sources/page-2.md", "sources/page-3.md"]
    assert len([p for p in pages if p.startswith("quotes/")]) == 12  # 300 quotes, 25 a page
    assert len([p for p in pages if p.startswith("timeline/")]) == 8  # 180 events
    for path, text in pages.items():
        if path.startswith(("quotes/", "timeline/", "sources/index", "sources/page-")):
            assert text.count("\n> ") <= 25 and text.count("\n| ") <= 25 + 2 * 8, path


def test_topic_pages_show_the_newest_and_point_to_the_rest(corpus):
    pages = render_site(corpus, SiteInfo("Synthetic", "Synthetic", page_size=5))
    busy = max((p for p in pages if p.startswith("topics/topic-")), key=lambda p: pages[p].count("\n> "))
    assert pages[busy].count("\n> ") == 5
    assert "The 5 newest of" in pages[busy] and "(../find.md)" in pages[busy]


def test_actor_map_is_bounded(corpus):
    graph = actor_graph(corpus, limit=10)
    assert len(graph.actors) == 10 and graph.total_actors == len(corpus.actors) == 80
    assert all(link.a in graph.appearances and link.b in graph.appearances for link in graph.links)
    site = dataclasses.replace(SiteInfo("Synthetic", "Synthetic"), page_size=5)
    assert "too many to list here" in render_site(corpus, site)["actor-map/index.md"]


def test_actor_pages_show_the_newest_and_point_to_the_rest(corpus):
    busiest = max(corpus.actors, key=lambda a: (len(corpus.quotes_by_speaker.get(a, ())), a))
    quotes = len(corpus.quotes_by_speaker[busiest])
    named_in = len(corpus.sources_by_actor[busiest])
    assert quotes > 2 and named_in > 2
    page = render_site(corpus, SiteInfo("Synthetic", "Synthetic", page_size=2))[f"actors/{busiest}.md"]
    assert page.count("\n> ") == 2
    assert f"The 2 newest of {quotes} quotes" in page and "(../find.md)" in page
    sources_part = page.split("## Sources that mention", 1)[1]
    assert sources_part.count("\n- ") == 2 and f"The 2 newest of {named_in} sources" in sources_part
    assert f"mentioned in {named_in} sources" in page  # the header still counts them all
