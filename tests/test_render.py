"""Golden render tests: the mini corpus renders to exactly the Markdown in tests/golden/.

To accept a deliberate change: UPDATE_GOLDEN=1 pytest tests/test_render.py, then read the diff.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing import exports
from briefing.dates import human, human_span
from briefing.finder import finder_records
from briefing.model import SiteInfo, When
from briefing.project import load_project, read_settings
from briefing.render import render_site

from conftest import MINI, with_theme_overrides

GOLDEN = Path(__file__).parent / "golden" / "mini"


@pytest.fixture(scope="module")
def pages():
    with pytest.MonkeyPatch.context() as patch:  # the mini project's own archive; the environment is put back after
        patch.delenv("BRIEFING_ARCHIVE", raising=False)
        loaded = load_project(read_settings(MINI / "mkdocs.yml"))
    assert loaded.ok, [p.format() for p in loaded.problems]
    return render_site(loaded.corpus, read_settings(MINI / "mkdocs.yml").site)


def test_page_set_is_golden(pages):
    if os.environ.get("UPDATE_GOLDEN"):
        for old in GOLDEN.rglob("*.md"):
            old.unlink()
        for path, text in pages.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_text(text, "utf-8")
    assert sorted(pages) == sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md"))


@pytest.mark.parametrize("path", sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md")))
def test_page_matches_golden(pages, path):
    assert pages[path] == (GOLDEN / path).read_text("utf-8")


def test_rendering_is_deterministic(pages):
    loaded = load_project(read_settings(MINI / "mkdocs.yml"))
    assert render_site(loaded.corpus, read_settings(MINI / "mkdocs.yml").site) == pages


def test_long_lists_split_into_pages():
    import dataclasses
    loaded = load_project(read_settings(MINI / "mkdocs.yml"))
    site = dataclasses.replace(read_settings(MINI / "mkdocs.yml").site, page_size=2)
    pages = render_site(loaded.corpus, site)
    assert "quotes/page-2.md" in pages and "quotes/page-3.md" not in pages  # 3 quotes, 2 a page
    assert "Page 1 of 2" in pages["quotes/index.md"]
    assert "[2](page-2.md)" in pages["quotes/index.md"]
    assert "[1](index.md)" in pages["quotes/page-2.md"]


def test_pagers_stay_short_however_many_pages():
    from briefing.pages import pager_window
    paths = [f"p{n}" for n in range(1, 501)]
    window = pager_window(250, paths)
    assert window == [(1, "p1"), (None, None), (248, "p248"), (249, "p249"), (250, None), (251, "p251"),
                      (252, "p252"), (None, None), (500, "p500")]
    assert pager_window(4, paths[:10])[:4] == [(1, "p1"), (2, "p2"), (3, "p3"), (4, None)]  # no "…" for one page
    assert pager_window(1, paths[:1]) == [(1, None)]


_MD_SPECIALS = "\\`*_{}[]()#+-.!&<>|~^=:$%"


@given(st.text(alphabet=st.sampled_from(list(_MD_SPECIALS + "ab \n\t\u00a0é“;0")), max_size=40))
def test_md_escapes_like_the_reference_table(value):
    """text.md replaces characters by a chain of str.replace; it must equal one simultaneous
    translation by the table (no replacement escaped twice)."""
    import re

    from briefing import text
    reference = re.sub(r"\s+", " ", value).strip().translate(str.maketrans(text._TABLE))
    assert str(text.md(value)) == reference


def test_templates_pass_the_context_only_to_what_asks_for_it():
    # Rendering calls plain functions, methods and cached functions directly (render._Context);
    # one marked to take Jinja's context must still get it, cached or not.
    from functools import lru_cache

    import jinja2

    from briefing.render import _environment, plural

    @jinja2.pass_context
    def name_in(context):
        return context["name"]

    template = _environment().from_string(
        "{{ name_in() }}/{{ cached() }}/{{ plural(2, 'source') }}/{{ 'a b c'.split()|length }}/{{ words.count('a') }}")
    text = template.render(name_in=name_in, cached=lru_cache()(name_in), plural=plural, name="Lavrov",
                           words=["a", "b", "a"])
    assert text == "Lavrov/Lavrov/2 sources/3/2"


def test_a_project_replaces_a_template_from_its_overrides(mini, no_archive_env):
    """A template in the theme's custom_dir/briefing/ replaces the package's of the same name (as
    Material's partials are replaced from overrides/); the others stay the package's."""
    import shutil
    import subprocess
    import sys
    config = mini / "mkdocs.yml"
    (with_theme_overrides(mini) / "briefing").mkdir()
    package = Path(__file__).resolve().parents[1] / "scripts" / "briefing" / "templates"
    topic = (package / "topic.md.j2").read_text("utf-8")
    (mini / "overrides" / "briefing" / "topic.md.j2").write_text("Our own topic page: {{ t.name }}\n\n" + topic)
    settings = read_settings(config)
    assert settings.site.templates == str((mini / "overrides" / "briefing").resolve())
    pages = render_site(load_project(settings).corpus, settings.site)
    assert pages["topics/diplomacy.md"].startswith("Our own topic page: Diplomacy\n")
    plain = render_site(load_project(settings).corpus, SiteInfo("Mini briefing", "Mini briefing"))
    assert pages["actors/ada-quill.md"] == plain["actors/ada-quill.md"]  # the other templates: the package's
    site = mini / "built"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], cwd=mini,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Our own topic page: Diplomacy" in (site / "topics" / "diplomacy" / "index.html").read_text("utf-8")
    shutil.rmtree(mini / "overrides" / "briefing")
    assert read_settings(config).site.templates is None  # no such folder: the package's templates


BROKEN_TEMPLATES = [  # (the template replaced, its text, the line the error names, words of the error)
    ("topic.md.j2", "# {{ t.name }}\n{{ t.name( }}\n", 2, "unexpected"),  # does not compile
    ("topic.md.j2", "# {{ t.name }}\n\n{{ t.no_such_field }}\n", 3, "no_such_field"),  # fails as it renders
    ("_quote.md.j2", "{% macro quote_card(s, q %}{% endmacro %}\n", 1, "expected"),  # one other templates import
]


@pytest.mark.parametrize("name, text, line, words", BROKEN_TEMPLATES)
def test_a_broken_template_in_the_overrides_is_told_by_its_file_and_line(mini, no_archive_env, monkeypatch, name,
                                                                         text, line, words):
    """A template of the project's own that does not compile or fails as it renders is one error
    naming that file and line, the page being made, and what to do; not a traceback of Jinja's
    and the helper process's. The package's own templates keep their tracebacks (a bug of ours)."""
    from briefing.problems import BriefingError

    config = mini / "mkdocs.yml"
    (with_theme_overrides(mini) / "briefing").mkdir()
    (mini / "overrides" / "briefing" / name).write_text(text, "utf-8")
    monkeypatch.chdir(mini)
    settings = read_settings(config)
    with pytest.raises(BriefingError) as caught:
        render_site(load_project(settings).corpus, settings.site)
    message = str(caught.value)
    assert message.startswith(f"overrides/briefing/{name}:{line}: error: "), message
    assert words in message and ", making " in message and "\n" not in message
    assert message.endswith(f"(template) - hint: this template replaces the briefing's {name}; fix it, or delete it "
                            "to use the briefing's own")
    if name == "_quote.md.j2":  # through both doors, once: the same line, no traceback, nothing built
        import subprocess
        import sys

        from conftest import briefing
        made = briefing("build", "--out", "made", cwd=mini)
        assert made.returncode == 1 and made.stderr.startswith(f"error: overrides/briefing/{name}:1: error: ")
        built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(mini / "site")], cwd=mini,
                               capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        assert built.returncode == 1 and f"overrides/briefing/{name}:1: error: " in built.stderr
        for said in (made.stderr, built.stderr):
            assert "Traceback" not in said, said
        assert not (mini / "made").exists()


THEME_OVERRIDES = [  # (the file, its text, what the error says after "file:line: error: ")
    ("partials/footer.html", "<footer>\n{{ config.site_name( }}\n</footer>\n",  # does not compile
     "partials/footer.html:2: error: unexpected '}', expected ')' (template)"),
    ("partials/footer.html", "<footer>\n{{ config.site_name }}\n{{ pagee.title.upper() }}\n</footer>\n",  # fails
     "partials/footer.html:3: error: 'pagee' is undefined, making 404.html (template)"),  # the first page made
    ("main.html", '{% extends "base.html" %}\n{% block content %}\n{{ page.titel.upper() }}{{ super() }}\n'
     "{% endblock %}\n", "main.html:3: error: 'mkdocs.structure.pages.Page object' has no attribute 'titel', making "
     "index.md (template)"),
]


@pytest.mark.parametrize("name, text, told", THEME_OVERRIDES)
def test_a_broken_theme_override_is_told_by_its_file_and_line(mini, no_archive_env, name, text, told):
    """The theme's own overrides (overrides/main.html, partials/...) are Material's to render, but a
    typo in one, whether it stops the template compiling or fails on a page, is told as the
    briefing's templates are: one line, file and line, the page, no traceback."""
    import subprocess
    import sys
    (with_theme_overrides(mini) / "partials").mkdir()
    (mini / "overrides" / name).write_text(text)
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(mini / "site")], cwd=mini,
                           capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert built.returncode == 1 and "Traceback" not in built.stderr, built.stderr
    assert (f"overrides/{told} - hint: this template replaces Material's {name.split('/')[-1]}; fix it, or delete it "
            "to use Material's own") in built.stderr, built.stderr


def test_a_source_page_lists_its_events_in_the_timeline_s_order(tmp_path, no_archive_env):
    """A source page's events table runs in date order, the one order of events (model.event_order)
    the timeline and topic pages use, not in the order the entry lists them."""
    import dataclasses
    import re

    from briefing.model import build_corpus, event_order

    from samples import synthetic_corpus

    made = synthetic_corpus(tmp_path, 30)  # its entries list events in date order: reversed here
    reversed_events = build_corpus([dataclasses.replace(s, events=s.events[::-1]) for s in made.sources],
                                   list(made.actors.values()), list(made.topics.values()))
    for corpus in (load_project(read_settings(Path(__file__).resolve().parents[1] / "mkdocs.yml")).corpus,
                   reversed_events):
        pages = render_site(corpus, SiteInfo("Briefing", "Briefing"))
        for source in corpus.sources:
            shown = re.findall(r'<span id="(e-[^"]+)"></span>', pages[f"sources/{source.id}.md"])
            assert shown == [e.anchor for e in sorted(source.events, key=event_order)], source.id
    assert any(list(s.events) != sorted(s.events, key=event_order) for s in reversed_events.sources)


def test_a_source_page_has_a_where_column_only_when_an_event_has_a_place(mini, no_archive_env):
    """A column of blank cells is noise: a source page's events table says where only when one of
    its events has a place."""
    entry = mini / "entries" / "sources" / "hotline-talks.yml"
    page = "sources/hotline-talks.md"
    header = "| Date | What happened | Who | Where |"
    site = read_settings(mini / "mkdocs.yml").site
    with_place = render_site(load_project(read_settings(mini / "mkdocs.yml")).corpus, site)[page]
    assert header in with_place and "| Port Azure |" in with_place
    entry.write_text(entry.read_text("utf-8").replace('    place: "Port Azure"\n', ""), "utf-8")
    loaded = load_project(read_settings(mini / "mkdocs.yml"))
    assert loaded.ok, [p.format() for p in loaded.problems]
    without = render_site(loaded.corpus, site)[page]
    assert header not in without and "| Date | What happened | Who |\n|---|---|---|\n" in without
    rows = [line for line in without.split("## Events", 1)[1].split("\n## ", 1)[0].splitlines() if line.startswith("|")]
    assert len(rows) > 2 and all(line.count(" | ") == 2 for line in rows[2:]), rows


def test_every_card_of_a_quote_says_what_its_entry_says_of_who_said_it(no_archive_env):
    """The reader's review: the source page says of Lavrov's "confirm" that the words are the
    article's, not his, but the all-quotes, topic and actor pages showed it as his words alone.
    Every page that shows a quote's card now shows its speaker note."""
    corpus = load_project(read_settings(Path(__file__).resolve().parents[1] / "mkdocs.yml")).corpus
    pages = render_site(corpus, SiteInfo("Briefing", "Briefing"))
    noted = [(s, q) for s in corpus.sources for q in s.quotes if q.speaker_note]
    assert noted
    for source, quote in noted:
        cards = {path: text for path, text in pages.items() if path != f"sources/{source.id}.md"
                 and f"sources/{source.id}.md#{quote.anchor}){{: .briefing-quote-link" in text}
        note = html.unescape(" ".join(quote.speaker_note.split()))
        assert cards, quote.anchor  # on its speaker's page and the quotes pages at least
        for path, text in cards.items():
            assert f"*Who said it:* {note}" in html.unescape(text), (path, quote.anchor)


def test_an_inferred_first_publisher_is_said_inferred(no_archive_env):
    """The reader's review: "First published by: Noravank Foundation" read as printed, though the
    outlet's evidence calls it likely. The outlet's inferred flag covers its original publisher."""
    import re

    corpus = load_project(read_settings(Path(__file__).resolve().parents[1] / "mkdocs.yml")).corpus
    pages = render_site(corpus, SiteInfo("Briefing", "Briefing"))
    republished = [s for s in corpus.sources if s.outlet.original]
    assert republished
    for source in republished:
        page = pages[f"sources/{source.id}.md"]
        row = re.search(r"<dt>First published by</dt>\n<dd markdown=\"block\">\n\n(.*)\n", page)
        assert row and html.unescape(row[1]).startswith(source.outlet.original.name)
        assert ("(inferred" in row[1]) == source.outlet.inferred, row[1]


def test_each_explanation_of_a_shared_date_says_which_quotes_it_is_for(no_archive_env):
    """The reader's review: quotes said on one date share a "How the date is known", which listed
    three explanations without saying which quote each was for."""
    from briefing.pages import quote_groups

    corpus = load_project(read_settings(Path(__file__).resolve().parents[1] / "mkdocs.yml")).corpus
    several = 0
    for source in corpus.sources:
        for group in quote_groups(source.quotes):
            raw = list(dict.fromkeys(q.said.basis for q in group.quotes if q.said and q.said.basis))
            if len(raw) < 2:
                assert list(group.bases) == raw
                continue
            several += 1
            for said, basis in zip(group.bases, raw, strict=True):
                quotes = [q for q in group.quotes if q.said and q.said.basis == basis]
                assert said.startswith("For \u201c") and said.endswith(f": {basis}")
                assert all(" ".join(q.text.split()[:3]) in said for q in quotes), said
    assert several


def test_no_source_id_takes_an_anchor_a_page_already_has(mini, no_archive_env):
    """The attacker's third round: a source with the id y2020 gave the all-quotes page's heading of
    its source the id of the year 2020's heading, and the contents' links to the year led to it.
    Every heading and anchor id of every page is now unique, whatever the ids: a source named like
    a year, or like the anchor another source's heading gets."""
    import re

    sources = mini / "entries" / "sources"
    old = sources / "hotline-talks.yml"
    for ident in ("y2020", "from-y2020", "y2019"):
        for entry in mini.glob("entries/*/*.yml"):
            entry.write_text(entry.read_text("utf-8").replace("hotline-talks", ident), "utf-8")
        old.rename(sources / f"{ident}.yml")
        old = sources / f"{ident}.yml"
        corpus = load_project(read_settings(mini / "mkdocs.yml")).corpus
        assert corpus.source_by_id[ident].published.year == 2020
        for path, text in render_site(corpus, SiteInfo("Briefing", "Briefing")).items():
            ids = re.findall(r'\{: #([^ }]+)', text) + re.findall(r'<span id="([^"]+)"', text)
            assert len(ids) == len(set(ids)), (ident, path, sorted(i for i in ids if ids.count(i) > 1))
        for entry in mini.glob("entries/*/*.yml"):
            entry.write_text(entry.read_text("utf-8").replace(ident, "hotline-talks"), "utf-8")


def test_a_source_without_an_address_says_it_is_not_recorded(mini, no_archive_env):
    """The reader's review: a source page with no original address left the row out, so a reader
    could not tell an unknown address from a forgotten one."""
    entry = mini / "entries" / "sources" / "hotline-talks.yml"
    site = read_settings(mini / "mkdocs.yml").site
    row = "<dt>Original address</dt>\n<dd markdown=\"block\">\n\n"
    page = render_site(load_project(read_settings(mini / "mkdocs.yml")).corpus, site)["sources/hotline-talks.md"]
    assert row + '<a class="briefing-url" href="' in page
    text = entry.read_text("utf-8")
    entry.write_text("".join(line for line in text.splitlines(keepends=True) if not line.startswith("url:")), "utf-8")
    loaded = load_project(read_settings(mini / "mkdocs.yml"))
    assert loaded.ok, [p.format() for p in loaded.problems]
    assert row + "Not recorded\n" in render_site(loaded.corpus, site)["sources/hotline-talks.md"]


def test_the_topics_index_is_a_to_z_by_the_names_a_reader_sees(no_archive_env):
    """As the actors index: by name, not by id (the real briefing's ids put "Iran's nuclear
    programme", id nuclear-programme, after "Middle East conflict")."""
    import re
    corpus = load_project(read_settings(Path(__file__).resolve().parents[1] / "mkdocs.yml")).corpus
    page = render_site(corpus, SiteInfo("Briefing", "Briefing"))["topics/index.md"]
    shown = re.findall(r"^\| \[[^]]*\]\(([\w-]+)\.md\)", page, re.M)
    assert shown == [t.id for t in sorted(corpus.topics.values(), key=lambda t: t.name.casefold())]
    assert f"{len(shown)} topic" in page and "A to Z" in page


def test_a_date_quotes_share_is_said_once_on_the_quotes_and_actor_pages(mini, no_archive_env):
    """As on the source page: quotes in a row said on the same date have it said once, above
    them, not on every card (the all-quotes page repeated a long "said c. ... (between ...)")."""
    entry = mini / "entries" / "sources" / "hotline-talks.yml"
    said = ('    said: {date: "2020-03-01", precision: approximate, not_before: "2020-02-28", '
            'not_after: "2020-03-01", inferred: true, basis: "The talks ended the day before the report."}\n')
    text = entry.read_text("utf-8")
    both = text.replace("    speaker: ada-quill\n", "    speaker: ada-quill\n" + said)
    assert both.count("said: {") == 2
    entry.write_text(both, "utf-8")
    loaded = load_project(read_settings(mini / "mkdocs.yml"))
    assert loaded.ok, [p.format() for p in loaded.problems]
    pages = render_site(loaded.corpus, read_settings(mini / "mkdocs.yml").site)
    for page in ("quotes/index.md", "actors/ada-quill.md", "sources/hotline-talks.md"):
        assert pages[page].count("These 2 quotes: said c") == 1, page
        assert pages[page].count("said c") == 1, page  # not again on either card
    # A quote alone says its date on its own card.
    entry.write_text(text.replace("    speaker: ada-quill\n", "    speaker: ada-quill\n" + said, 1), "utf-8")
    loaded = load_project(read_settings(mini / "mkdocs.yml"))
    pages = render_site(loaded.corpus, read_settings(mini / "mkdocs.yml").site)
    for page in ("quotes/index.md", "actors/ada-quill.md"):
        assert "quotes: said" not in pages[page] and pages[page].count("said c") == 1, page


@pytest.mark.parametrize("first, last, said", [
    ("2024-10-24", "2024-10-31", "between 24 and 31 October 2024"),
    ("2024-10-29", "2024-11-01", "between 29 October and 1 November 2024"),
    ("2011-05", "2011-06", "between May and June 2011"),
    ("2023-12-30", "2024-01-02", "between 30 December 2023 and 2 January 2024"),
    ("2011", "2012", "between 2011 and 2012"),
    ("2005-02-18", "2005-12", "between 18 February and December 2005"),
    ("2011-05", "2011-06-02", "between May and 2 June 2011"),
    ("2011", "2011-06-02", "between 2011 and 2 June 2011"),  # a year alone: in full
    ("2011-05-02", "2011-05-02", "on 2 May 2011"),  # one date, not "between 2 May 2011 and 2 May 2011"
    ("2011-05", "2011-05", "in May 2011"),
    ("2011", "2011", "in 2011"),
])
def test_a_span_of_dates_says_what_its_ends_share_once(first, last, said):
    assert human_span(first, last) == said
    assert When(last, "approximate", first, last).text == f"c. {human(last)} ({said})"


@pytest.mark.parametrize("when, said", [
    (When("2011-08-16", "approximate", None, "2011-09-06"), "c. 16 August 2011 (no later than 6 September 2011)"),
    (When("2005", "approximate", "2005-02-18", None), "c. 2005 (no earlier than 18 February 2005)"),
    (When("2024-10", "approximate", None, "2024-10-31"), "c. October 2024 (no later than 31 October 2024)"),
    (When("2011", "approximate"), "c. 2011"),
    (When("2011-08-16", "day", None, None), "16 August 2011"),
])
def test_an_approximate_date_says_every_bound_it_has(when, said):
    """A date bounded on one side said only "c. 16 August 2011", though the timeline draws it up to
    its bound and sorts it there; the bound is what the entry knows, so the reader is told it."""
    assert when.text == said


def test_a_one_sided_bound_reaches_every_place_a_date_is_said(mini, no_archive_env):
    """The card, the quotes export and the search record all read the date's one wording."""
    entry = mini / "entries" / "sources" / "hotline-talks.yml"
    said = ('    said: {date: "2020-02-20", precision: approximate, not_after: "2020-03-01", inferred: true, '
            'basis: "The report says only that the talks ended before it."}\n')
    text = entry.read_text("utf-8")
    entry.write_text(text.replace("    speaker: ada-quill\n", "    speaker: ada-quill\n" + said, 1), "utf-8")
    loaded = load_project(read_settings(mini / "mkdocs.yml"))
    assert loaded.ok, [p.format() for p in loaded.problems]
    wording = "c. 20 February 2020 (no later than 1 March 2020)"
    site = read_settings(mini / "mkdocs.yml").site
    assert wording in html.unescape(render_site(loaded.corpus, site)["sources/hotline-talks.md"])
    rows = json.loads(exports.render_exports(loaded.corpus, site)["exports/quotes.json"])["quotes"]
    assert f"{wording} (inferred)" in [row["said"] for row in rows]
    assert f"{wording} (inferred)" in [q.date for r in finder_records(loaded.corpus) for q in r.quotes]


@given(st.dates(), st.dates(), st.sampled_from([4, 7, 10]), st.sampled_from([4, 7, 10]))
def test_a_span_of_dates_can_be_read_back_whole(one, other, width, other_width):
    """The last date is said in full; what the first leaves out is what the last ends with (the
    month and year, or the year), so a reader has both dates whole."""
    first, last = sorted([one.isoformat()[:width], other.isoformat()[:other_width]])
    if first == last:
        assert human_span(first, last) == ("on " if len(first) == 10 else "in ") + human(first)
        return
    head, tail = human_span(first, last).removeprefix("between ").split(" and ")
    assert tail == human(last)
    left_out = human(first).removeprefix(head)
    assert human(first).startswith(head) and tail.endswith(left_out) and left_out[:1] in ("", " ")


def test_an_inferred_outlet_is_said_inferred_wherever_it_is_named(mini, no_archive_env):
    """Every page, export and search result that names a source's outlet says, beside it, that the
    outlet was inferred when it was: the source page and the sources index did, but the actor, topic
    and all-quotes pages named it under their source headings as if the document printed it, and so
    did quotes.csv, quotes.json, the timeline's slides and the search results."""
    entry = mini / "entries" / "sources" / "hotline-talks.yml"
    text = entry.read_text("utf-8")
    entry.write_text(text.replace('  kind: newspaper\n', '  kind: newspaper\n  inferred: true\n'
                                  '  basis: "The page carries the newspaper\'s name in its footer."\n', 1), "utf-8")
    settings = read_settings(mini / "mkdocs.yml")
    loaded = load_project(settings)
    assert loaded.ok, [p.format() for p in loaded.problems]
    pages = render_site(loaded.corpus, settings.site)
    named = {path: [line for line in page.splitlines() if "The Example Gazette" in line]
             for path, page in pages.items()}
    assert {"actors/ada-quill.md", "topics/diplomacy.md", "quotes/index.md", "sources/index.md",
            "sources/hotline-talks.md"} <= {path for path, lines in named.items() if lines}
    for path, lines in named.items():
        for line in lines:  # a citation brackets what is inferred: [The Example Gazette]
            if line.startswith("  journal = {"):  # BibTeX says it in the entry's note
                assert "Outlet inferred: The Example Gazette." in pages[path], path
                continue
            assert "inferred" in line or "[The Example Gazette]" in line, (path, line)

    files = exports.render_exports(loaded.corpus, settings.site)
    said = "The Example Gazette (inferred)"
    rows = list(csv.DictReader(io.StringIO(files[exports.QUOTES_CSV], newline="")))
    assert rows and {row["outlet"] for row in rows} == {said}
    assert {q["outlet"] for q in json.loads(files[exports.QUOTES_JSON])["quotes"]} == {said}
    slides = json.loads(files[exports.TIMELINE_JSON])["events"]
    assert slides and all(f"· {said} ·" in slide["text"]["text"] for slide in slides)
    record = finder_records(loaded.corpus)[0]
    assert record.about.startswith(f"{said} · ") and dict(record.filters)["outlet"] == (said,)
