"""Search without a browser: phrase matching, `briefing quotes`, and the search's Pagefind records."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from html import unescape

import pytest
import yaml

from briefing.finder import (
    DETAILS_FIELD,
    NAME_WEIGHT,
    PART_END,
    finder_records,
    record_html,
    summary_words,
    write_index,
)
from briefing.project import _TolerantLoader, load_project, read_settings
from briefing.quotesearch import SEPARATOR, contains_phrase, words

from conftest import ROOT, briefing


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


def test_the_site_splits_words_where_the_cli_does():
    """The search (assets/search.js) decides which quotes hold a "phrase" with the very expression
    `briefing quotes` splits words with, so the two find the same quotes."""
    script = (ROOT / "scripts/briefing/assets/search.js").read_text("utf-8")
    assert f"new RegExp(String.raw`{SEPARATOR}`" in script


def test_material_search_is_gone():
    """One search: no Material search plugin (lunr, its index and worker), nor its features."""
    data = yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=_TolerantLoader)
    plugins = [p if isinstance(p, str) else next(iter(p)) for p in data["plugins"]]
    assert not {"search", "material/search"} & set(plugins)
    assert not [f for f in data["theme"]["features"] if f.startswith("search.")]
    header = (ROOT / "overrides/partials/header.html").read_text("utf-8")
    assert '{% include "partials/search.html" %}' in header and "material/search" not in header


def test_cli_prints_speaker_date_source_and_anchor(mini):
    result = briefing("quotes", "STEP   by-step", cwd=mini)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "not given; source published 2 March 2020 · Ada Quill · Ministers agree on a hotline",
        "  step-by-step",
        "  sources/hotline-talks/#q-step-by-step",
    ]
    assert "1 quote(s)" in result.stderr


def test_cli_prints_entry_text_safe_for_a_terminal_and_a_ci_log(mini):
    """Round two of the attacker's review: a title holding a line break printed a line that began
    "::error ..." (a GitHub workflow command) and a carriage return overwrote the terminal's line."""
    entry = mini / "entries" / "sources" / "hotline-talks.yml"
    entry.write_text(entry.read_text("utf-8").replace(
        'title: "Ministers agree on a hotline"', 'title: "Ministers\\n::error file=README.md::PWNED\\rhotline"'),
        "utf-8")
    result = briefing("quotes", "step-by-step", cwd=mini)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and "\r" not in result.stdout
    assert not any(line.lstrip().startswith("::") for line in lines + result.stderr.splitlines())
    assert lines[0].endswith("Ministers\\n::error file=README.md::PWNED\\rhotline")


def test_cli_json_and_filters(mini):
    result = briefing("quotes", "hotline", "--json", cwd=mini)
    assert result.returncode == 0, result.stderr
    [match] = json.loads(result.stdout)
    assert match["url"] == "sources/hotline-talks/#q-hotline-agreed"
    assert (match["speaker"], match["speaker_name"], match["date"], match["source"]) == (
        "ada-quill", "Ada Quill", "2020-03-02", "hotline-talks")
    assert (match["outlet"], match["outlet_inferred"], match["inferred"]) == ("The Example Gazette", False, False)
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


def details(record) -> dict:
    head = record_html(record).split("</head>")[0]
    value = re.search(rf'data-pagefind-filter="{DETAILS_FIELD}\[content\]" content="([^"]*)"', head).group(1)
    return json.loads(unescape(unescape(value)))  # Pagefind decodes a filter's content twice (briefing.encode)


def body_parts(record) -> list[str]:
    body = record_html(record).split("</head>")[1]
    return unescape(re.sub(r"<[^>]+>", "", body)).split(f" {PART_END} ")


def test_a_record_for_each_page_a_reader_lands_on(mini_corpus):
    """Sources (with their quotes), actors and topics: nothing else (list pages repeat them)."""
    records = finder_records(mini_corpus)
    assert [(r.kind, r.url) for r in records] == [
        ("source", "sources/hotline-talks/"), ("actor", "actors/ada-quill/"), ("actor", "actors/atlantis/"),
        ("topic", "topics/diplomacy/")]


def test_a_source_record_holds_its_quotes(mini_corpus):
    record = finder_records(mini_corpus)[0]
    assert [q.anchor for q in record.quotes] == ["q-hotline-agreed", "q-step-by-step", "q-historic"]
    agreed, step, historic = record.quotes
    assert (agreed.text, agreed.context) == ("We have agreed on a hotline between our capitals,",
                                             "Speaking after the meeting in Port Azure.")
    # The speaker's other spellings find the quote.
    assert agreed.said_by == "Said by Ada Quill (also written A. Quill, Ada O'Quill)."
    assert (agreed.speaker, agreed.date, agreed.year, agreed.kind, agreed.topics) == (
        "Ada Quill", "not given; source published 2 March 2020", "2020", "direct speech", ("Diplomacy",))
    assert (agreed.first, agreed.last) == ("2020-03-02", "2020-03-02")
    assert (step.context, historic.speaker, historic.topics) == ("", "Unidentified speaker", ())
    # The source's filters: every value one of its quotes has (Pagefind passes a source if any quote does).
    assert dict(record.filters) == {"speaker": ("Ada Quill", "Unidentified speaker"),
                                    "source": ("Ministers agree on a hotline",), "outlet": ("The Example Gazette",),
                                    "year": ("2020",), "topic": ("Diplomacy",),
                                    "kind": tuple(dict.fromkeys(q.kind for q in record.quotes))}
    assert record.sort == "2020-03-02"


UNDATED = "not given; source published 2 March 2020"  # the mini briefing's quotes: none has a date of its own


def test_a_record_is_parts_and_its_details_are_never_searched(mini_corpus):
    record = finder_records(mini_corpus)[0]
    page = record_html(record)
    assert "data-pagefind-meta" not in page  # Pagefind indexes the words of every meta value, not a filter's
    assert '<meta data-pagefind-sort="date[content]" content="2020-03-02">' in page
    assert details(record) == {
        "kind": "source", "title": "Ministers agree on a hotline", "about": "The Example Gazette · 2 March 2020",
        "parts": 3, "listed": 2, "quotes": [
            ["q-hotline-agreed", "Ada Quill", UNDATED, "2020", ["Diplomacy"], "direct speech", "2020-03-02",
             "2020-03-02"],
            ["q-step-by-step", "Ada Quill", UNDATED, "2020", [], record.quotes[1].kind, "2020-03-02", "2020-03-02"],
            ["q-historic", "Unidentified speaker", UNDATED, "2020", [], record.quotes[2].kind, "2020-03-02",
             "2020-03-02"]]}
    parts = body_parts(record)
    # title, the page's text, the summary's other words, then text, context, speaker per quote
    assert len(parts) == 3 + 3 * len(record.quotes)
    assert parts[0] == "Ministers agree on a hotline"
    assert parts[1].startswith("The Example Gazette") and "The two ministers agreed on a hotline." in parts[1]
    assert parts[3:7] == ["We have agreed on a hotline between our capitals,",
                          "Speaking after the meeting in Port Azure.",
                          "Said by Ada Quill (also written A. Quill, Ada O'Quill).", "step-by-step"]
    assert parts[7] == "" and parts[-1] == "Said by Unidentified speaker."
    body = page.split("</head>")[1]
    # Only the title weighs more: a word that changes weight within a record costs Pagefind a mark.
    assert re.findall(r'data-pagefind-weight="(\d+)"', body) == ["3"] and "O&#x27;Quill" in body


def test_a_summary_is_searched_as_the_words_the_page_does_not_already_hold(mini_corpus):
    record = finder_records(mini_corpus)[0]
    listed = body_parts(record)[2]
    # Words of the title or the key points ("hotline", "ministers") are not repeated; the
    # summary's own ones are there, each once, as the summary first writes them.
    assert listed.split()[:6] == ["foreign", "of", "fictional", "states", "met", "and"]
    held = {w.strip(".,").lower() for w in f"{record.parts[0][0]} {record.parts[1][0]}".split()}
    kept = [w.strip(".,").lower() for w in listed.split()]
    assert len(kept) == len(set(kept)) and not set(kept) & held
    assert {"capitals", "historic", "staff", "navigation"} <= set(kept)
    summary = {w.strip(".,").lower() for w in mini_corpus.sources[0].summary.split()}
    assert summary == (held & summary) | set(kept)  # every word of the summary: held, or listed


@pytest.mark.parametrize("summary, held, kept", [
    ("Iran's reactor, Iran’s REACTOR; Bushehr.", "", "Iran's reactor, Bushehr."),  # as Pagefind: any case
    ("Russian-Iranian ties and Russian ties", "ties", "Russian-Iranian and Russian"),  # a hyphenated word is one word
    ("— a b —", "B", "a"),  # no word without letters
    ("", "anything", ""),
])
def test_summary_words(summary, held, kept):
    assert summary_words(summary, held) == kept


def test_an_actor_record_is_found_by_every_spelling_of_the_name(mini_corpus):
    ada = next(r for r in finder_records(mini_corpus) if r.url == "actors/ada-quill/")
    assert (ada.title, ada.about) == ("Ada Quill", "A. Quill, Ada O'Quill")
    assert body_parts(ada)[:2] == ["Ada Quill", "A. Quill Ada O'Quill"]
    assert ada.parts[0][1] == ada.parts[1][1] == NAME_WEIGHT and not ada.quotes and not ada.filters
    assert details(ada)["kind"] == "actor" and 'data-pagefind-sort' not in record_html(ada)


def test_a_source_is_found_by_the_name_of_an_actor_it_writes_another_way(mini_corpus):
    """The reader's review: "Rowhani" found the 2005 note, which writes "H. Rowhani", but "Rouhani",
    the briefing's own name for him, found only his actor page. A source that writes an actor
    another way now holds the actor's name and spellings among its listed words."""
    from briefing.model import build_corpus

    source = mini_corpus.sources[0]
    mention = next(m for m in source.actors if m.id == "ada-quill")
    spelled = replace(source, actors=tuple(replace(m, spelled="Minister Quilly") if m is mention else m
                                           for m in source.actors))
    plain = finder_records(mini_corpus)[0]
    assert "o'quill" not in body_parts(plain)[2].lower()  # one that writes the actor's own name: no more words
    corpus = build_corpus([spelled, *mini_corpus.sources[1:]], list(mini_corpus.actors.values()),
                          list(mini_corpus.topics.values()))
    listed = body_parts(finder_records(corpus)[0])[2]
    assert {"Quill", "O'Quill"} <= set(listed.split()) and listed.split().count("Quill") == 1
    assert listed.startswith(body_parts(plain)[2])  # the summary's words first, as before


def test_a_quote_holds_a_bounded_number_of_its_speaker_s_spellings(mini_corpus):
    """The attacker's fourth round: every quote repeated all of its speaker's aliases (40,000 of
    them, 3,000 quotes: 1.1 billion characters of records, 4.2 GB). A quote holds the first
    SPELLINGS_PER_QUOTE; the actor's own record holds them all."""
    from briefing.finder import SPELLINGS_PER_QUOTE
    from briefing.model import build_corpus

    many = tuple(f"Quill{n:02d}" for n in range(40))
    actors = [replace(a, aliases=many) if a.id == "ada-quill" else a for a in mini_corpus.actors.values()]
    corpus = build_corpus(list(mini_corpus.sources), actors, list(mini_corpus.topics.values()))
    records = finder_records(corpus)
    said = [q.said_by for q in records[0].quotes if q.speaker == "Ada Quill"]
    assert said and all(s.count("Quill") == SPELLINGS_PER_QUOTE + 1 for s in said), said
    ada = next(r for r in records if r.url == "actors/ada-quill/")
    assert all(name in body_parts(ada)[1] for name in many)


def test_the_mark_that_ends_a_part_never_comes_from_an_entry(mini_corpus):
    source = mini_corpus.sources[0]
    quote = replace(source.quotes[0], text=f"one {PART_END} two", context=f"{PART_END}")
    corpus = replace(mini_corpus, sources=(replace(source, quotes=(quote,)),))
    record = finder_records(corpus)[0]
    assert (record.quotes[0].text, record.quotes[0].context) == ("one two", "")
    assert len(body_parts(record)) == 3 + 3


def test_write_index_writes_pagefind_and_the_search_files_only(mini_corpus, tmp_path):
    folder = write_index(mini_corpus, tmp_path)
    assert folder == tmp_path / "pagefind"
    for name in ["pagefind.js", "search.js", "search.css", "pagefind-entry.json"]:
        assert (folder / name).is_file(), name
    # Pagefind's own UIs and its worker are never loaded: not published.
    assert not list(folder.glob("pagefind-*ui*")) and not (folder / "pagefind-worker.js").exists()
    assert len(list((folder / "fragment").iterdir())) == 4
    entry = json.loads((folder / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 4


def test_a_possessive_s_is_part_of_its_word_like_in_the_search_box():
    # An 's that ends a word is no word of its own, in the site's phrases and the CLI alike (and
    # only then: O'Sullivan keeps its "sullivan").
    assert words("the US administration’s behavior") == ["the", "us", "administration", "behavior"]
    assert words("IRAN'S, Iran’s… it's. Iran's") == ["iran", "iran", "it", "iran"]
    assert words("O’Sullivan's 'sanctions'") == ["o", "sullivan", "sanctions"]
    assert contains_phrase("watching the US administration’s behavior", "US administration's behavior")


def test_an_index_larger_than_the_pagefind_client_reads_at_once_is_written_whole(tmp_path):
    """The index comes from Pagefind in memory and is written here, so no file is left half-written
    (Pagefind 1.5.2 acknowledges its own writes before they reach the disk); an answer larger than
    the client's 2 MiB read buffer arrives whole."""
    import random
    import string
    import threading

    from briefing import finder
    rng = random.Random(7)

    def text(count: int) -> str:
        return " ".join("".join(rng.choice(string.ascii_lowercase) for _ in range(8)) for _ in range(count))

    records = [finder.PageRecord(url=f"actors/a{i}/", kind="actor", title=text(2), about="", parts=((text(400), 1),))
               for i in range(450)]
    folder = tmp_path / "pagefind"
    failed: list[BaseException] = []

    def index() -> None:
        try:
            finder._run(finder._write(records, folder))
        except BaseException as exc:  # noqa: BLE001 - reported below
            failed.append(exc)

    worker = threading.Thread(target=index, daemon=True)
    worker.start()
    worker.join(timeout=120)
    assert not worker.is_alive(), "the index was never written (an answer too large to read?)"
    assert failed == []
    files = [f for f in folder.rglob("*") if f.is_file()]
    assert sum(f.stat().st_size for f in files) * 4 / 3 > 2 ** 21  # Pagefind's answer, base64, is over 2 MiB
    entry = json.loads((folder / "pagefind-entry.json").read_text("utf-8"))
    assert entry["languages"]["en"]["page_count"] == 450
    assert (folder / f"pagefind.{entry['languages']['en']['hash']}.pf_meta").stat().st_size > 0
    assert all(f.stat().st_size > 0 for f in files)


def test_an_index_whose_pagefind_is_stopped_fails_at_once_instead_of_waiting_for_ever():
    """Ctrl-C or a `kill` of `make serve`'s process group stops Pagefind too: a question it was
    asked must then fail, not be awaited for ever (the index thread hung, and the server's shutdown
    waiting for it, until a second signal or SIGKILL left its folders in the temporary folder)."""
    import asyncio
    import sys

    from briefing import finder

    async def ask_then_stop() -> None:
        service = finder._service_class()()
        service._backend = await asyncio.create_subprocess_exec(  # a backend that reads and never answers
            sys.executable, "-c", "import sys; sys.stdin.read()",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        waiting = asyncio.get_running_loop().create_future()
        service._responses[1] = waiting
        reader = asyncio.create_task(service._wait_for_responses())
        service._backend.kill()  # as the process group's signal stops Pagefind
        with pytest.raises(RuntimeError, match="ended before it answered"):
            await asyncio.wait_for(waiting, 10)
        await reader
        await service._backend.wait()

    finder._run(ask_then_stop())  # (asyncio.run, also beside the event loop a browser test leaves running)
