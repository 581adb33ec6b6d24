"""Exports: each file parsed by a library for its format (or checked against its published schema),
round-tripping the corpus's counts and values, also when every value is hostile."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import html
import io
import json
import re
import sys

import bibtexparser
import jsonschema
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing import encode, exports, render
from briefing.write import RefusedError, write_outputs

from conftest import FIXTURES, MINI, ROOT, briefing, run
from samples import Site, load, synthetic_corpus

CSL_SCHEMA = json.loads((FIXTURES / "csl" / "csl-data.json").read_text("utf-8"))
@pytest.fixture
def files(corpus) -> dict[str, str]:
    return exports.render_exports(corpus, Site())


def test_quotes_csv_round_trips_every_quote(corpus, files):
    rows = list(csv.DictReader(io.StringIO(files[exports.QUOTES_CSV], newline="")))
    quotes = corpus.quotes()
    assert len(rows) == len(quotes) > 0
    assert [r["uid"] for r in rows] == [q.uid for q in quotes]
    for row, quote in zip(rows, quotes, strict=True):
        text = row["text"]
        if quote.text[:1] in "=+-@":
            assert text == "'" + quote.text  # a spreadsheet shows it as text, never runs it
        assert encode.csv_cell_text(text) == quote.text
        assert row["speaker_id"] == quote.speaker
    for row in rows:
        assert all(cell[:1] not in ("=", "+", "-", "@") for cell in row.values()), row


def test_quotes_json_is_exact(corpus, files):
    data = json.loads(files[exports.QUOTES_JSON])
    assert [q["text"] for q in data["quotes"]] == [q.text for q in corpus.quotes()]
    assert {q["source_id"] for q in data["quotes"]} <= set(corpus.source_by_id)


def test_sources_csl_json_matches_the_published_schema(corpus, files):
    items = json.loads(files[exports.SOURCES_CSL])
    jsonschema.Draft7Validator(CSL_SCHEMA).validate(items)
    assert len(items) == len(corpus.sources)
    for item in items:
        source = corpus.source_by_id[item["id"]]
        assert item["title"] == source.title
        assert item["issued"]["date-parts"][0][0] == source.published.year
        assert [a["literal"] for a in item.get("author", [])] == list(source.authors)


def test_sources_bibtex_parses_and_decodes_to_the_entries(corpus, files):
    library = bibtexparser.parse_string(files[exports.SOURCES_BIB], append_middleware=[LatexDecodingMiddleware()])
    assert library.failed_blocks == []
    assert sorted(e.key for e in library.entries) == sorted(corpus.source_by_id)
    raw = {e.key: e.fields_dict for e in bibtexparser.parse_string(files[exports.SOURCES_BIB]).entries}
    for entry in library.entries:
        source = corpus.source_by_id[entry.key]
        fields = entry.fields_dict
        # pylatexenc decodes \textasciicircum (LaTeX's ASCII caret) as the modifier letter U+02C6.
        assert fields["title"].value.replace("\u02c6", "^") == " ".join(source.title.split())
        assert fields["year"].value == str(source.published.year)
        if source.authors:
            assert fields["author"].value.replace("\u02c6", "^") == " and ".join(source.authors)
        # biblatex's EDTF: an approximate date is circa ("2024-10-31~"), as the CSL JSON's "circa" says;
        # biber reads the field as it is written, not as LaTeX (where ~ is a space)
        circa = "~" if source.published.precision == "approximate" else ""
        assert raw[entry.key]["date"].value == source.published.date + circa
    assert len(re.findall(r"^@", files[exports.SOURCES_BIB], re.M)) == len(corpus.sources)


def test_a_republished_source_names_its_first_publisher_in_bibtex(corpus):
    """BibTeX dropped the first publisher of a republished text (CSL JSON has original-publisher)."""
    from briefing.model import OriginalOutlet

    source = corpus.sources[0]
    outlet = dataclasses.replace(source.outlet, original=OriginalOutlet("Fars {News} Agency", "news-agency"))
    for inferred, said in ((True, " (inferred)"), (False, "")):
        entry = exports.bibtex_entry(dataclasses.replace(source, outlet=dataclasses.replace(outlet, inferred=inferred)))
        assert f"First published by Fars \\{{News\\}} Agency{said}." in entry, entry


def test_an_approximate_date_is_circa_in_bibtex_as_in_csl(corpus):
    """BibTeX gave an approximate date as if it were exact, while the CSL JSON beside it said circa."""
    from briefing.model import When

    source = corpus.sources[0]
    circa = dataclasses.replace(source, published=When("2024-10-31", "approximate", "2024-10-29", "2024-11-01"))
    exact = dataclasses.replace(source, published=When("2024-10-31", "day"))
    assert "  date = {2024-10-31~},\n" in exports.bibtex_entry(circa)
    assert exports.csl_item(circa)["issued"]["circa"] is True
    assert "  date = {2024-10-31},\n" in exports.bibtex_entry(exact)
    assert "circa" not in exports.csl_item(exact)["issued"]


def _date(d: dict) -> dt.date:
    return dt.date(d["year"], d.get("month", 1), d.get("day", 1))


def test_timeline_is_timelinejs_json(corpus, files):
    data = json.loads(files[exports.TIMELINE_JSON])
    assert set(data) <= {"events", "title", "eras", "scale"}
    assert isinstance(data["title"]["text"]["headline"], str) and "<b>" not in data["title"]["text"]["headline"]
    events = data["events"]
    assert len(events) == len(corpus.events())
    assert len({e["unique_id"] for e in events}) == len(events)
    titles = sorted(e.title for e in corpus.events())
    assert sorted(html.unescape(e["text"]["headline"]) for e in events) == titles
    for slide in events:
        assert set(slide) <= {"start_date", "end_date", "text", "media", "group", "display_date", "background",
                              "autolink", "unique_id"}
        start = _date(slide["start_date"])  # raises for an impossible date
        if "end_date" in slide:
            assert _date(slide["end_date"]) >= start
        assert "<" not in slide["text"]["headline"]  # TimelineJS shows headline as HTML
        assert "<script" not in slide["text"]["text"]
    approximate = [e for e in corpus.events() if e.when.precision == "approximate"]
    assert sum("end_date" in s for s in events) == len(approximate)


def test_corpus_json_round_trips_counts_and_ids(corpus, files):
    data = json.loads(files[exports.CORPUS_JSON])
    assert data["counts"] == {"sources": len(corpus.sources), "actors": len(corpus.actors),
                              "topics": len(corpus.topics), "quotes": len(corpus.quotes()),
                              "events": len(corpus.events())}
    assert [s["id"] for s in data["sources"]] == [s.id for s in corpus.sources]
    assert sum(len(s["quotes"]) for s in data["sources"]) == len(corpus.quotes())
    assert sum(len(s["events"]) for s in data["sources"]) == len(corpus.events())
    assert [a["id"] for a in data["actors"]] == list(corpus.actors)
    first = corpus.sources[0]
    assert data["sources"][0] == json.loads(json.dumps(dataclasses.asdict(first)))


def test_structured_data_is_json_ld_that_cannot_close_its_script(corpus):
    for source in corpus.sources:
        text = exports.structured_data(corpus, f"sources/{source.id}.md")
        assert not set("<>&") & set(text)
        graph = json.loads(text)["@graph"]
        article = graph[0]
        assert article["@type"] == "NewsArticle" and article["headline"] == source.title
        assert article["datePublished"] == source.published.date
        assert article["publisher"]["name"] == source.outlet.label
        quotes = graph[1:]
        assert [q["text"] for q in quotes] == [q.text for q in source.quotes]
        assert all(q["@type"] == "Quotation" and q["isBasedOn"] == {"@id": "#article"} for q in quotes)
        for q, quote in zip(quotes, source.quotes, strict=True):
            assert ("creator" in q) == (quote.speaker != "unknown")
    for actor in corpus.actors.values():
        data = json.loads(exports.structured_data(corpus, f"actors/{actor.id}.md"))
        assert data["@type"] == {"person": "Person", "organization": "Organization", "state": "Country"}[actor.kind]
        assert data["name"] == actor.name
    assert exports.structured_data(corpus, "timeline/index.md") is None


def test_cite_box_shows_escaped_citation(corpus):
    for source in corpus.sources:
        box = render.cite_box(source, f"sources/{source.id}.md")
        assert "<script" not in box and "<!--" not in box
        assert html.escape(" ".join(source.title.split()), quote=True) in box
        assert "](../exports/sources.bib)" in box


@pytest.mark.parametrize("title, basis, shown", [
    ("Russia, Iran Now Linking Up", None, "“Russia, Iran Now Linking Up.” "),
    ("Political Aspects.", None, "“Political Aspects.” "),
    ("Is a deal near?", None, "“Is a deal near?” "),
    ("[Iran and Russia closing in on a deal]", "no headline printed", "[Iran and Russia closing in on a deal]. "),
])
def test_plain_citation_ends_the_title_once(corpus, title, basis, shown):
    source = dataclasses.replace(corpus.sources[0], title=title, title_basis=basis, authors=())
    assert exports.plain_citation(source).startswith(shown)


def test_exports_are_deterministic(corpus):
    assert exports.render_exports(corpus, Site()) == exports.render_exports(corpus, Site())


def test_write_outputs_writes_once_and_refuses_foreign_files(tmp_path, monkeypatch):
    files = exports.render_exports(load(MINI / "mkdocs.yml", monkeypatch), Site())
    assert write_outputs(files, tmp_path) == (len(files), 0, 0)
    assert write_outputs(files, tmp_path) == (0, len(files), 0)
    json.loads((tmp_path / exports.CORPUS_JSON).read_text("utf-8"))
    other = tmp_path / "elsewhere"
    (other / "exports").mkdir(parents=True)
    (other / exports.QUOTES_CSV).write_text("mine\n")
    with pytest.raises(RefusedError):
        write_outputs(files, other)
    assert (other / exports.QUOTES_CSV).read_text() == "mine\n"
    assert not (other / exports.CORPUS_JSON).exists()


def test_write_outputs_removes_what_is_no_longer_generated(tmp_path):
    write_outputs({"sources/a.md": "# A\n", "sources/b.md": "# B\n", "exports/x.json": "{}"}, tmp_path)
    assert (tmp_path / "sources/a.md").read_text().endswith("# A\n")
    assert write_outputs({"sources/a.md": "# A\n", "exports/x.json": "{}"}, tmp_path) == (0, 2, 1)
    assert not (tmp_path / "sources/b.md").exists() and (tmp_path / "sources/a.md").exists()


def test_files_moved_in_from_a_stage_are_ours_even_when_the_move_stops_midway(tmp_path, monkeypatch):
    """Outputs.take moves a finished stage's changed files in (an unchanged one keeps its time);
    stopped after the first move (a full disk, a kill), the folder's list already names every new
    file, so the next run replaces them instead of refusing them as someone else's."""
    import os

    from briefing.write import Outputs
    out, stage = tmp_path / "pages", tmp_path / ".pages.stage"
    write_outputs({"sources/a.md": "# A\n"}, out)
    kept = (out / "sources/a.md").stat().st_mtime_ns
    paths = ["sources/a.md", "sources/b.md", "sources/c.md"]
    staged = Outputs(stage, paths)
    for rel in paths:
        staged.write(rel, f"# {rel[8]}\n".upper())
    moves, replace = [], os.replace

    def full_disk(src, dst):
        if os.path.dirname(os.path.dirname(src)) == str(stage):  # a staged page, not the list of files
            if moves:
                raise OSError(28, "No space left on device")
            moves.append(dst)
        replace(src, dst)

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError):
        Outputs(out, paths).take(stage)
    monkeypatch.undo()
    assert (out / "sources/a.md").stat().st_mtime_ns == kept and moves == [out / "sources/b.md"]
    assert write_outputs(dict.fromkeys(paths, "# new\n"), out) == (3, 0, 0)


def test_a_file_in_pieces_is_written_whole_and_only_when_it_changed(tmp_path):
    from briefing.write import write_atomic
    target = tmp_path / "exports" / "big.json"
    assert write_atomic(target, iter(["[1, ", "2, ", "3]\n"])) is True
    assert target.read_text() == "[1, 2, 3]\n"
    before = target.stat().st_mtime_ns
    assert write_atomic(target, ["[1, ", "2, 3]\n"]) is False  # the same text, in other pieces
    assert target.stat().st_mtime_ns == before
    assert write_atomic(target, ["[1, 2, 3, 4]\n"]) is True and target.read_text() == "[1, 2, 3, 4]\n"

    def broken():
        yield "[1, "
        raise RuntimeError("the export failed half way")

    with pytest.raises(RuntimeError):
        write_atomic(target, broken())
    assert target.read_text() == "[1, 2, 3, 4]\n"  # the last good file stays, and no half of one is left
    assert [p.name for p in target.parent.iterdir()] == ["big.json"]


def test_cli_build_writes_the_exports(mini, tmp_path):
    out = tmp_path / "pages"
    result = briefing("build", "--out", str(out), cwd=mini)
    assert result.returncode == 0, result.stderr
    assert "8 export files" in result.stdout
    assert len(json.loads((out / exports.QUOTES_JSON).read_text("utf-8"))["quotes"]) == 3
    assert (out / exports.SOURCES_BIB).read_text("utf-8").startswith("@article{hotline-talks,")


@pytest.mark.site
def test_site_links_exports_and_puts_json_ld_in_head(mini, tmp_path, no_archive_env):
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text().replace("  name: material\n",
                                                 f"  name: material\n  custom_dir: {ROOT / 'overrides'}\n"))
    out = tmp_path / "site"
    result = run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)], mini)
    assert result.returncode == 0, result.stderr
    for name in ("quotes.csv", "quotes.json", "sources.csl.json", "sources.bib", "timeline.json", "briefing.json",
                 "timeline.svg", "actor-map.svg"):
        assert (out / "exports" / name).is_file(), name
    linked = {"quotes/index.html": ["../exports/quotes.csv", "../exports/quotes.json"],
              "sources/index.html": ["../exports/sources.bib", "../exports/sources.csl.json",
                                     "../exports/briefing.json"],
              "timeline/index.html": ["../exports/timeline.json", "../exports/timeline.svg"],
              "actor-map/index.html": ["../exports/actor-map.svg"],
              "sources/hotline-talks/index.html": ["../../exports/sources.bib", "../../exports/sources.csl.json"]}
    for page, hrefs in linked.items():
        text = (out / page).read_text("utf-8")
        for href in hrefs:
            assert f'href="{href}"' in text, (page, href)
    page = (out / "sources/hotline-talks/index.html").read_text("utf-8")
    head = page.split("</head>")[0]
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', head, re.S)
    assert len(found) == 1
    graph = json.loads(found[0])["@graph"]
    assert graph[0]["@type"] == "NewsArticle" and graph[0]["publisher"]["name"] == "The Example Gazette"
    assert {q["@id"] for q in graph[1:]} == {"#q-hotline-agreed", "#q-step-by-step", "#q-historic"}
    assert 'id="cite"' in page and "Jane Roe. “Ministers agree on a hotline.”" in page
    actor = (out / "actors/ada-quill/index.html").read_text("utf-8").split("</head>")[0]
    assert json.loads(re.search(r'ld\+json">(.*?)</script>', actor, re.S).group(1))["@type"] == "Person"
    assert "ld+json" not in (out / "timeline/index.html").read_text("utf-8")


# --- Large files are made in pieces ----------------------------------------------------------

_json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                            lambda inner: (st.lists(inner, max_size=4)
                                           | st.dictionaries(st.text(max_size=5), inner, max_size=4)),
                            max_leaves=12)


@given(st.dictionaries(st.text(max_size=6), _json_values | st.lists(_json_values, max_size=600), max_size=5)
       | st.lists(_json_values, max_size=600))
@settings(max_examples=60, deadline=None)
def test_json_in_pieces_is_the_same_text(data):
    assert "".join(exports.dump_pieces(data)) == exports.dump(data)
    if isinstance(data, list):  # a tuple, or any iterator, is written as the list it gives
        assert ("".join(exports.dump_pieces(iter(data))) == "".join(exports.dump_pieces(tuple(data)))
                == exports.dump(data))


@pytest.mark.parametrize("count", [0, 1, exports.BATCH, exports.BATCH + 1, 3 * exports.BATCH + 7])
def test_json_in_pieces_at_batch_boundaries(count):
    data = {"title": "t", "items": [{"n": n, "text": f"é{n}"} for n in range(count)], "end": [1]}
    pieces = list(exports.dump_pieces({**data, "items": iter(data["items"])}))
    assert "".join(pieces) == exports.dump(data)
    assert max(map(len, pieces)) < 30 * exports.BATCH  # no piece holds the whole list


def test_every_export_of_a_large_briefing_is_whole(tmp_path):
    """Past one batch of everything: the pieces join into complete, well-formed files."""
    corpus = synthetic_corpus(tmp_path, 100)  # 500 quotes, 300 events: more than a batch
    made = dict(exports.plan_exports(corpus, Site()))
    quotes = corpus.quotes()
    assert len(quotes) > exports.BATCH and len(corpus.events()) > exports.BATCH
    rows = list(csv.DictReader(io.StringIO("".join(made[exports.QUOTES_CSV]()), newline="")))
    assert [r["uid"] for r in rows] == [q.uid for q in quotes]
    assert [r["uid"] for r in json.loads("".join(made[exports.QUOTES_JSON]()))["quotes"]] == [q.uid for q in quotes]
    assert len(json.loads("".join(made[exports.CORPUS_JSON]()))["sources"]) == len(corpus.sources) == 100
    assert len(json.loads("".join(made[exports.SOURCES_CSL]()))) == 100
    assert len(json.loads("".join(made[exports.TIMELINE_JSON]()))["events"]) == len(corpus.events())
    assert "".join(made[exports.SOURCES_BIB]()).count("\n@") == 99
    assert "".join(made[exports.TIMELINE_SVG]()).count("<a xlink:href=") == len(corpus.events())


def test_no_piece_of_a_large_export_holds_much_of_it(tmp_path, monkeypatch):
    """What makes the exports' memory bounded: every list in them is written a batch at a time."""
    corpus = synthetic_corpus(tmp_path, 40)
    monkeypatch.setattr(exports, "BATCH", 8)
    for path, make in exports.plan_exports(corpus, Site()):
        if path != exports.ACTOR_MAP_SVG:  # a picture of a bounded number of actors
            pieces = list(make())
            assert max(map(len, pieces)) < sum(map(len, pieces)) / 4, path
