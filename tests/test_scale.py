"""Pages that could list everything stay bounded as the corpus grows (synthetic corpora)."""

from __future__ import annotations

import dataclasses
import re
import sys

import pytest

from briefing.archive import Archive
from briefing.finder import finder_records
from briefing.load import load_entries
from briefing.model import SiteInfo, actor_from, build_corpus, source_from, topic_from
from briefing.pictures import actor_graph
from briefing.project import load_project, read_settings
from briefing.render import render_site
from briefing.synthetic import write_corpus
from briefing.validate import validate_entries

from conftest import run
from sitecheck import broken_links


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = write_corpus(tmp_path_factory.mktemp("synthetic"), 60)
    files = load_entries(root / "entries", root)
    assert validate_entries(files, Archive(root / "archive")) == []  # quotes verified against the archive
    return build_corpus([source_from(f.data, f.path) for f in files if f.kind == "source"],
                        [actor_from(f.data, f.path) for f in files if f.kind == "actor"],
                        [topic_from(f.data, f.path) for f in files if f.kind == "topic"])


CARD = '<div class="briefing-quote" markdown>'  # a quote, as every page that lists quotes shows it


def test_list_pages_split_at_page_size(corpus):
    pages = render_site(corpus, SiteInfo("Synthetic", "Synthetic", page_size=25))
    assert [p for p in pages if p.startswith("sources/page-")] == ["sources/page-2.md", "sources/page-3.md"]
    assert len([p for p in pages if p.startswith("quotes/")]) == 12  # 300 quotes, 25 a page
    assert len([p for p in pages if p.startswith("timeline/")]) == 8  # 180 events
    for path, text in pages.items():
        if path.startswith(("quotes/", "timeline/", "sources/index", "sources/page-")):
            assert text.count(CARD) <= 25 and text.count("\n| ") <= 25 + 2 * 8, path


def test_topic_pages_show_the_newest_and_point_to_the_rest(corpus):
    pages = render_site(corpus, SiteInfo("Synthetic", "Synthetic", page_size=5))
    busy = max((p for p in pages if p.startswith("topics/topic-")), key=lambda p: pages[p].count(CARD))
    assert pages[busy].count(CARD) == 5
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
    assert page.count(CARD) == 2
    assert f"The 2 newest of {quotes} quotes" in page and "(../find.md)" in page
    sources_part = page.split("## Sources that mention", 1)[1]
    assert sources_part.count("\n- ") == 2 and f"The 2 newest of {named_in} sources" in sources_part
    assert f"({busiest}/sources/index.md)" in sources_part  # the rest, page by page
    assert f"mentioned in {named_in} sources" in page  # the header still counts them all


def listed(text: str) -> list[str]:
    """The source ids a listing page's table links to, in order."""
    return re.findall(r"^\| [^|]+ \| \[.*?\]\(\.\./\.\./\.\./sources/([\w-]+)\.md\)", text, re.M)


@pytest.mark.parametrize("kind", ["actors", "topics"])
def test_busy_actors_and_topics_list_every_source_page_by_page(corpus, kind):
    """An actor's or topic's own page shows its newest sources; every one of them is on its
    listing pages, newest first, none twice, in pages of page_size; a quiet one has no listing."""
    size = 4
    pages = render_site(corpus, SiteInfo("Synthetic", "Synthetic", page_size=size))
    owners, by_owner = ((corpus.actors, corpus.sources_by_actor) if kind == "actors"
                        else (corpus.topics, corpus.sources_by_topic))
    busy = [i for i in owners if len(by_owner.get(i, ())) > size]
    quiet = [i for i in owners if 0 < len(by_owner.get(i, ())) <= size]
    assert busy and quiet
    for ident in busy:
        folder = f"{kind}/{ident}/sources"
        listing = [p for p in pages if p.startswith(folder + "/")]
        expected = len(by_owner[ident])
        assert sorted(listing) == sorted([f"{folder}/index.md"] + [f"{folder}/page-{n}.md" for n in
                                                                     range(2, (expected + size - 1) // size + 1)])
        seen = [sid for path in [f"{folder}/index.md"] + [f"{folder}/page-{n}.md" for n in range(2, len(listing) + 1)]
                for sid in listed(pages[path])]
        assert seen == list(by_owner[ident])
        assert all(len(listed(pages[p])) <= size for p in listing)
        own = pages[f"{kind}/{ident}.md"]
        assert f"The {size} newest of {expected} sources" in own and f"({ident}/sources/index.md)" in own
    for ident in quiet:
        assert not any(p.startswith(f"{kind}/{ident}/") for p in pages)
        assert "newest of" not in pages[f"{kind}/{ident}.md"].split("## Sources", 1)[1].split("##", 1)[0]


def test_topic_page_lists_at_most_page_size_sources(corpus):
    pages = render_site(corpus, SiteInfo("Synthetic", "Synthetic", page_size=3))
    for topic_id in corpus.topics:
        part = pages[f"topics/{topic_id}.md"].split("## Sources", 1)[1].split("\n## ", 1)[0]
        assert part.count("\n- ") == min(3, len(corpus.sources_by_topic.get(topic_id, ()))) or \
            (part.count("\n- ") == 0 and "No source is filed" in part)


@pytest.mark.site
def test_listing_pages_build_strictly_and_every_link_resolves(tmp_path, no_archive_env):
    """A real strict MkDocs build of a synthetic briefing split into small pages: the listing
    pages of busy actors and topics are built, reached from their pages, and link correctly."""
    root = write_corpus(tmp_path / "project", 24)
    (root / "docs" / "find.md").write_text("# Find a quote\n", "utf-8")
    (root / "mkdocs.yml").write_text("site_name: Synthetic\ntheme:\n  name: material\n  font: false\n"
                                     "plugins:\n  - briefing:\n      archive: archive\n      page_size: 3\n"
                                     "markdown_extensions: [attr_list, md_in_html, tables, admonition, toc]\n"
                                     "validation:\n  nav:\n    omitted_files: ignore\n", "utf-8")
    site = tmp_path / "site"
    result = run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], root,
                 env={"BRIEFING_FINDER": "off"})
    assert result.returncode == 0, result.stderr
    listings = sorted(p.parent.relative_to(site).as_posix() for p in site.glob("*/*/sources/**/index.html"))
    assert any(p.startswith("actors/") for p in listings) and any(p.startswith("topics/") for p in listings)
    topic_page = (site / listings[-1].split("/sources")[0] / "index.html").read_text("utf-8")
    assert 'href="sources/"' in topic_page  # the topic's page leads to its listing
    assert broken_links(site) == []
    # The search's records: each source is found on its own page, not again on the lists that name it.
    with pytest.MonkeyPatch.context() as env:
        env.delenv("BRIEFING_ARCHIVE", raising=False)
        corpus = load_project(read_settings(root / "mkdocs.yml")).corpus
    indexed = [record.url for record in finder_records(corpus)]
    assert len(indexed) == len(corpus.sources) + len(corpus.actors) + len(corpus.topics)
    assert all((site / url / "index.html").is_file() for url in indexed)  # every result lands on a page
    assert not any("/sources/" in url or "/page-" in url for url in indexed)
