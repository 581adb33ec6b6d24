"""Quote search without a browser: phrase matching, `briefing quotes`, and the finder's records."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from briefing.finder import QUOTE_END, quote_records, write_index
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


def test_one_record_per_quote_with_its_filters(mini_corpus):
    records = {r.url: r for r in quote_records(mini_corpus)}
    assert list(records) == ["sources/hotline-talks/#q-hotline-agreed", "sources/hotline-talks/#q-step-by-step",
                             "sources/hotline-talks/#q-historic"]
    agreed = records["sources/hotline-talks/#q-hotline-agreed"]
    # Only the date is meta (Pagefind indexes meta words too); the quote is the content's start.
    assert agreed.meta == {"date": "2 March 2020"}
    assert agreed.content.startswith(f"We have agreed on a hotline between our capitals, {QUOTE_END} ")
    assert agreed.filters == {"speaker": ["Ada Quill"], "source": ["Ministers agree on a hotline"],
                              "outlet": ["The Example Gazette"], "year": ["2020"], "topic": ["Diplomacy"]}
    # The speaker's other spellings find the quote; the context is searched, as on the page.
    assert "Ada O'Quill" in agreed.content and "Port Azure" in agreed.content
    historic = records["sources/hotline-talks/#q-historic"]
    assert historic.filters["speaker"] == ["Unidentified speaker"] and historic.filters["topic"] == []


def test_write_index_writes_pagefind_and_the_page_files(mini_corpus, tmp_path):
    folder = write_index(mini_corpus, tmp_path)
    assert folder == tmp_path / "pagefind"
    for name in ["pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "finder.js", "finder.css", "pagefind-entry.json"]:
        assert (folder / name).is_file(), name
    assert len(list((folder / "fragment").iterdir())) == 3
    entry = json.loads((folder / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 3



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
