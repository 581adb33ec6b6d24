"""Quote search without a browser: phrase matching, `briefing quotes`, and the finder's records."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from html import unescape

import pytest
import yaml

from briefing.finder import QUOTE_END, QUOTES_FIELD, finder_records, record_html, write_index
from briefing.project import _TolerantLoader, load_project, read_settings
from briefing.quotesearch import SEPARATOR, contains_phrase, words
from conftest import MINI, ROOT, briefing


@pytest.mark.parametrize("text, phrase, found", [
    ("step-by-step", "step by step", True),
    ("step-by-step", "Step-By-Step", True),
    ("a step‑by‑step plan", "step-by-step plan", True),        # non-breaking hyphens
    ("Russia’s war", "Russia's war", True),                    # typographic vs straight apostrophe
    ("Ada O'Quill said", "o’quill", True),
    ("between our\n   capitals,", "our capitals", True),         # white space
    ("the IRGC… embedded with", "IRGC embedded", True),
    ("We have agreed on a hotline", "agreed on hotline", False),  # words must be adjacent
    ("hotline", "hot", False),                                 # whole words only
    ("version 10.5 of", "10.5", True),
    ("version 10.5 of", "10 5", False),                         # a full stop before a digit joins
    ("anything", "", False),
])
def test_contains_phrase(text, phrase, found):
    assert contains_phrase(text, phrase) is found


def test_words_split_like_the_search_box():
    assert words("“Strategic” (and) [re-]armed/U.S.: fine;") == ["strategic", "and", "re", "armed", "u", "s", "fine"]


@pytest.mark.parametrize("config", [ROOT / "mkdocs.yml", MINI / "mkdocs.yml"])
def test_site_search_splits_words_where_the_cli_does(config):
    data = yaml.load(config.read_text("utf-8"), Loader=_TolerantLoader)
    search = next(p["search"] for p in data["plugins"] if isinstance(p, dict) and "search" in p)
    assert search["separator"] == SEPARATOR


def test_cli_prints_speaker_date_source_and_anchor(mini):
    result = briefing("quotes", "STEP   by-step", cwd=mini)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "2 March 2020 · Ada Quill · Ministers agree on a hotline",
        "  step-by-step",
        "  sources/hotline-talks/#q-step-by-step",
    ]
    assert "1 quote(s)" in result.stderr


def test_cli_json_and_filters(mini):
    result = briefing("quotes", "hotline", "--json", cwd=mini)
    assert result.returncode == 0, result.stderr
    [match] = json.loads(result.stdout)
    assert match["url"] == "sources/hotline-talks/#q-hotline-agreed"
    assert (match["speaker"], match["speaker_name"], match["date"], match["source"]) == (
        "ada-quill", "Ada Quill", "2020-03-02", "hotline-talks")
    assert json.loads(briefing("quotes", "hotline", "--json", "--speaker", "unknown", cwd=mini).stdout) == []
    assert json.loads(briefing("quotes", "historic", "--json", "--speaker", "unknown", cwd=mini).stdout)[0]["id"] \
        == "hotline-talks/historic"
    assert json.loads(briefing("quotes", "hotline", "--json", "--since", "2020-03-03", cwd=mini).stdout) == []
    assert len(json.loads(briefing("quotes", "hotline", "--json", "--since", "2020-03", "--until", "2020",
                                   cwd=mini).stdout)) == 1
    assert json.loads(briefing("quotes", "hotline", "--json", "--until", "2019", cwd=mini).stdout) == []
    assert len(json.loads(briefing("quotes", "hotline", "--json", "--source", "hotline-talks", cwd=mini).stdout)) == 1


def test_cli_refuses_unknown_ids_and_bad_dates(mini):
    unknown = briefing("quotes", "hotline", "--speaker", "nobody", cwd=mini)
    assert unknown.returncode == 1 and "no speaker with id 'nobody'" in unknown.stderr
    bad_date = briefing("quotes", "hotline", "--since", "March 2020", cwd=mini)
    assert bad_date.returncode == 2 and "write YYYY, YYYY-MM or YYYY-MM-DD" in bad_date.stderr


@pytest.fixture
def mini_corpus(mini, no_archive_env):
    loaded = load_project(read_settings(mini / "mkdocs.yml"))
    assert loaded.corpus is not None, loaded.problems
    return loaded.corpus


def test_one_record_per_source_holding_its_quotes(mini_corpus):
    [record] = finder_records(mini_corpus)  # one record per source: the list every search loads stays small
    assert record.url == "sources/hotline-talks/"
    assert [q.anchor for q in record.quotes] == ["q-hotline-agreed", "q-step-by-step", "q-historic"]
    agreed, step, historic = record.quotes
    assert (agreed.text, agreed.context) == ("We have agreed on a hotline between our capitals,",
                                             "Speaking after the meeting in Port Azure.")
    # The speaker's other spellings find the quote.
    assert agreed.said_by == "Said by Ada Quill (also written A. Quill, Ada O'Quill)."
    assert (agreed.speaker, agreed.date, agreed.year, agreed.topics) == ("Ada Quill", "2 March 2020", "2020", ("Diplomacy",))
    assert (step.context, historic.speaker, historic.topics) == ("", "Unidentified speaker", ())
    # The source's filters: every value one of its quotes has (Pagefind passes a source if any quote does).
    assert dict(record.filters) == {"speaker": ("Ada Quill", "Unidentified speaker"),
                                    "source": ("Ministers agree on a hotline",), "outlet": ("The Example Gazette",),
                                    "year": ("2020",), "topic": ("Diplomacy",)}


def test_a_record_is_three_parts_per_quote_and_its_details_are_never_searched(mini_corpus):
    [record] = finder_records(mini_corpus)
    page = record_html(record)
    head, body = page.split("</head>")
    # The details travel as a filter: Pagefind indexes the words of every meta value, not a filter's.
    assert "data-pagefind-meta" not in page
    details = re.search(rf'data-pagefind-filter="{QUOTES_FIELD}\[content\]" content="([^"]*)"', head).group(1)
    # Pagefind decodes a filter's content twice, so it is escaped twice (briefing.encode).
    assert json.loads(unescape(unescape(details))) == [
        ["q-hotline-agreed", "Ada Quill", "2 March 2020", "2020", ["Diplomacy"]],
        ["q-step-by-step", "Ada Quill", "2 March 2020", "2020", []],
        ["q-historic", "Unidentified speaker", "2 March 2020", "2020", []]]
    text = unescape(re.sub(r"<[^>]+>", "", body))
    parts = text.split(f" {QUOTE_END} ")
    assert len(parts) == 3 * len(record.quotes)  # text, context (maybe empty), who said it
    assert parts[:4] == ["We have agreed on a hotline between our capitals,", "Speaking after the meeting in Port Azure.",
                         "Said by Ada Quill (also written A. Quill, Ada O'Quill).", "step-by-step"]
    assert parts[4] == "" and parts[-1] == "Said by Unidentified speaker."
    # The quote's words weigh more than its context's; the words are escaped text.
    assert body.count('<span data-pagefind-weight="2">') == 3 and "O&#x27;Quill" in body


def test_the_mark_that_ends_a_part_never_comes_from_an_entry(mini_corpus):
    source = mini_corpus.sources[0]
    quote = replace(source.quotes[0], text=f"one {QUOTE_END} two", context=f"{QUOTE_END}")
    corpus = replace(mini_corpus, sources=(replace(source, quotes=(quote,)),))
    [record] = finder_records(corpus)
    assert (record.quotes[0].text, record.quotes[0].context) == ("one two", "")
    assert unescape(re.sub(r"<[^>]+>", "", record_html(record).split("</head>")[1])).count(QUOTE_END) == 2


def test_write_index_writes_pagefind_and_the_page_files(mini_corpus, tmp_path):
    folder = write_index(mini_corpus, tmp_path)
    assert folder == tmp_path / "pagefind"
    for name in ["pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "finder.js", "finder.css", "pagefind-entry.json"]:
        assert (folder / name).is_file(), name
    assert len(list((folder / "fragment").iterdir())) == 1
    entry = json.loads((folder / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 1


def test_a_possessive_s_is_part_of_its_word_like_in_the_search_box():
    # Material would search a lone "s" as "s*", every word starting with s; so the search box and
    # the CLI both drop an 's that ends a word (and only then: O'Sullivan keeps its "sullivan").
    assert words("the US administration’s behavior") == ["the", "us", "administration", "behavior"]
    assert words("IRAN'S, Iran’s… it's. Iran's") == ["iran", "iran", "it", "iran"]
    assert words("O’Sullivan's 'sanctions'") == ["o", "sullivan", "sanctions"]
    assert contains_phrase("watching the US administration’s behavior", "US administration's behavior")


def test_a_phrase_has_one_boundary_between_words_for_the_page_highlighter():
    # Material's search.highlight makes a regular expression of ?h= with "|" for each boundary;
    # two in a row would be an empty alternative, which marks every position of the page.
    assert re.sub(SEPARATOR, "|", "Iran's recent actions") == "Iran|recent|actions"
    assert re.sub(SEPARATOR, "|", "the US administration’s “behavior”, and") == "the|US|administration|behavior|and"
