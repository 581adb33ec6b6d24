"""The contributor's tools: actors looked up before one is made twice, quote stubs read from the
archived document, coverage of its quoted passages, and capture records for the archive."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from briefing.archive import Archive, Document, quoted_at
from briefing.captures import read_records
from briefing.coverage import SINGLE_REACH, Spans, coverage, coverage_problem, fill_lines, quoted_passages
from briefing.names import fold, same_name

from conftest import ROOT, briefing
from samples import guide_block

PROJECT_PARTS = ["mkdocs.yml", "docs", "entries", "archive", "overrides"]
REAL_DOCUMENTS = sorted(p.name for p in (ROOT / "archive").glob("00[0-4]_*.txt"))
PRACTICE = guide_block("text", "The practice document, `005_practice.txt`:")


@pytest.fixture
def real(tmp_path: Path) -> Path:
    """A copy of the real briefing (entries, archive, docs), to add to."""
    project = tmp_path / "briefing"
    project.mkdir()
    for part in PROJECT_PARTS:
        (shutil.copytree if (ROOT / part).is_dir() else shutil.copy2)(ROOT / part, project / part)
    return project


# --- names -------------------------------------------------------------------------------------


@pytest.mark.parametrize("a,b", [
    ("Ali Baqeri", "Ali Bagheri"), ("Rowhani", "Rouhani"), ("Hassan Rowhani", "Hasan Rouhani"),
    ("Nikolay Patrushev", "Nikolai Patrushev"), ("Dmitrii", "Dmitriy"), ("Dmitriy", "Dmitry"),
    ("Khamenei", "Hamenei"), ("Mohsen Qomi", "Mohsen Ghomi"), ("Velayati", "Welayati"), ("Mahmoud", "Mahmud"),
    ("Séverine O'Brien", "SEVERINE OBRIEN"), ("V.Putin", "V. Putin"), ("ITAR-Tass", "itar tass"),
    ("Lukyanov", "Lukianov"), ("Sergey", "Sergei"),
    # what a reader cannot see: a zero-width space, a soft hyphen, a Cyrillic е, a byte-order mark
    ("Sergei Lav\u200brov", "Sergei Lavrov"), ("Sergei Lav\u00adrov", "Sergei Lavrov"),
    ("S\u0435rgei Lavrov", "Sergei Lavrov"), ("Sergei Lavrov\ufeff", "Sergei Lavrov"),
    # round two: a combining grapheme joiner, a variation selector, a Mongolian selector, Hangul
    # fillers (as nothing, as a blank), a Khmer vowel, Armenian o, a dotless i, Greek alpha, small caps
    ("Sergei Lav\u034frov", "Sergei Lavrov"), ("Sergei Lav\ufe0frov", "Sergei Lavrov"),
    ("Sergei Lav\u180brov", "Sergei Lavrov"), ("Sergei Lav\u1160rov", "Sergei Lavrov"),
    ("Sergei\u3164Lavrov", "Sergei Lavrov"), ("Sergei Lav\u17b4rov", "Sergei Lavrov"),
    ("Sergei Lavr\u0585v", "Sergei Lavrov"), ("Serge\u0131 Lavrov", "Sergei Lavrov"),
    ("Sergei L\u03b1vrov", "Sergei Lavrov"), ("Sergei \u029favrov", "Sergei Lavrov"),
])
def test_same_name_folds_case_accents_and_romanisation(a, b):
    assert same_name(a, b) and same_name(b, a)


@pytest.mark.parametrize("a,b", [
    ("Putin", "Patrushev"), ("Iran", "Iraq"), ("Ali Baqeri", "Ali Baqeri Kani"), ("Lavrov", "Lvov"), ("", ""),
    ("Ada Quill", "Ada Quills"), ("Сергей Лавров", "Sergei Lavrov"),  # in Cyrillic: looks different
])
def test_different_names_stay_apart(a, b):
    assert not same_name(a, b)


def test_fold_is_one_key():
    assert fold("  Ali   BAQERI ") == fold("Ali Bagheri") == "ali baqeri"
    assert fold("Joseph Farah's") == fold("Joseph Farah")  # a possessive is no part of the name


# --- briefing new actor -------------------------------------------------------------------------


@pytest.mark.parametrize("name,ident,what", [
    ("Putin", "vladimir-putin", "alias 'Putin'"),
    ("TASS", "itar-tass", "alias 'TASS'"),
    ("vladimir PUTIN", "vladimir-putin", "name 'Vladimir Putin'"),
    ("Ali Bagheri Kani", "ali-bagheri-kani", "name 'Ali Bagheri Kani'"),
    ("Baqeri", "ali-bagheri-kani", "alias 'Baqeri'"),
    ("Bagheri", "ali-bagheri-kani", "alias 'Baqeri'"),
    ("Hasan Rouhani", "hassan-rouhani", "name 'Hassan Rouhani'"),
    ("Nikolay Patrušev", "nikolai-patrushev", "alias 'Nikolay Patrushev'"),
])
def test_new_actor_offers_the_actor_that_has_the_name(real, name, ident, what):
    before = sorted(p.name for p in (real / "entries/actors").iterdir())
    result = briefing("new", "actor", name, cwd=real)
    assert result.returncode == 1
    assert result.stderr == (f"error: '{name}' is already an actor: {ident} (entries/actors/{ident}.yml, {what}); "
                             "use that id, or pass --new to create a different actor of the same name\n")
    assert sorted(p.name for p in (real / "entries/actors").iterdir()) == before


def test_new_actor_with_new_makes_a_namesake(real):
    result = briefing("new", "actor", "Putin", "--id", "putin-namesake", "--new", cwd=real)
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load((real / "entries/actors/putin-namesake.yml").read_text())["name"] == "Putin"


def test_new_actor_with_a_new_name_is_made(real):
    result = briefing("new", "actor", "Omar Haddad", cwd=real)
    assert result.returncode == 0, result.stderr
    assert (real / "entries/actors/omar-haddad.yml").is_file()


# --- briefing new source: quote stubs -----------------------------------------------------------


def _scaffold(project: Path, document: str, ident: str) -> dict:
    result = briefing("new", "source", "--archive", document, "--id", ident, cwd=project)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load((project / "entries/sources" / f"{ident}.yml").read_text("utf-8"))


def test_stubs_of_the_five_real_documents_are_verbatim_and_the_drafts_validate(real):
    archive = Archive(real / "archive")
    for number, name in enumerate(REAL_DOCUMENTS):
        data = _scaffold(real, name, f"stub-{number}")
        document = archive.document(name)
        searchable = document.searchable({}, False)
        assert data["quotes"], f"no stubs for {name}"
        for quote in data["quotes"]:
            assert quoted_at(searchable, " ".join(quote["text"].split())) != -1, quote["text"]
            assert quote["kind"] in ("direct", "fragment")
        # every quoted passage of the document has its stub (a passage printed twice, once)
        assert {q["text"] for q in data["quotes"]} == {p.text for p in quoted_passages(document)}
    result = briefing("validate", cwd=real)
    assert result.returncode == 0, result.stdout + result.stderr
    assert [line for line in result.stdout.splitlines() if "(draft-unfilled)" not in line] == []


def test_stubs_suggest_speakers_kinds_and_actors(real):
    by_text = {q["text"]: q for q in _scaffold(real, REAL_DOCUMENTS[0], "patrushev-stub")["quotes"]}
    addressed = by_text["We have addressed regional cooperation and intend to consolidate regional security mainly "
                        "under the aegis of the United Nations,"]
    assert addressed["speaker"] == "nikolai-patrushev" and addressed["kind"] == "direct"
    text = (real / "entries/sources/patrushev-stub.yml").read_text("utf-8")
    assert "speaker: nikolai-patrushev  # suggested: named 0 words after the quote, 'Patrushev said'" in text
    data = _scaffold(real, REAL_DOCUMENTS[4], "treaty-stub")
    by_text = {q["text"]: q for q in data["quotes"]}
    assert by_text["restraint"]["kind"] == "fragment" and by_text["restraint"]["speaker"] == "russia"
    assert by_text["set aside"]["speaker"] == "herzi-halevi"
    assert by_text["If Iran makes the mistake of launching another missile barrage at Israel, we will once again "
                   "know how to reach Iran."]["speaker"] == "herzi-halevi"
    assert by_text["in the near future,"]["speaker"] == "sergei-lavrov"  # named in the paragraph before
    actors = [a["id"] for a in data["actors"]]
    assert {"sergei-lavrov", "herzi-halevi", "wall-street-journal", "idf", "iran", "russia"} <= set(actors)
    assert len(actors) == len(set(actors))


def test_practice_document_stubs(real):
    (real / "archive/005_practice.txt").write_text(PRACTICE, "utf-8")
    data = _scaffold(real, "005_practice.txt", "northern-sea-hotline-2025")
    assert [(q["text"], q["kind"], q["speaker"]) for q in data["quotes"]] == [
        ("A direct line between the navies is the simplest way to stop a mistake from becoming a crisis,",
         "direct", "unknown"),
        ("the coming weeks", "fragment", "unknown")]
    assert all(q["speaker_note"] for q in data["quotes"])
    text = (real / "entries/sources/northern-sea-hotline-2025.yml").read_text("utf-8")
    names = re.search(r"^# Names in the document that are no known actor.*\n((?:#   .*\n)+)", text, re.M)
    assert names and "Omar Haddad (line 13)" in names[1] and "Northern Sea Forum (line 3)" in names[1]
    result = briefing("validate", cwd=real)
    assert result.returncode == 0, result.stdout + result.stderr


def test_next_steps_remind_of_roles_overview_and_coverage(real):
    (real / "archive/005_practice.txt").write_text(PRACTICE, "utf-8")
    result = briefing("new", "source", "--archive", "005_practice.txt", "--id", "hotline", cwd=real)
    assert result.returncode == 0, result.stderr
    steps = result.stdout.split("next:\n", 1)[1]
    assert "dated roles" in steps and "sources: [hotline]" in steps
    assert "docs/index.md" in steps
    assert "briefing coverage hotline" in steps


# --- coverage ------------------------------------------------------------------------------------


def test_quoted_passages_straight_curly_single_and_apostrophes():
    doc = Document.read('He said "one two" and \u201cthree four\u201d.\n'
                        "The minister's aides called it \u2018a real step\u2019 and 'two words' today.\n"
                        "Iran\u2019s leaders\u2019 views: \u201cstill open at the end\n")
    assert [(p.line, p.text) for p in quoted_passages(doc)] == [
        (1, "one two"), (1, "three four"), (2, "a real step"), (2, "two words"), (3, "still open at the end")]


def _close_single_by_walking(line: str, start: int, closing: str) -> int | None:
    """The closing single mark, found as coverage found it before: a walk of SINGLE_REACH
    characters from each opening mark."""
    for j in range(start, min(len(line), start + SINGLE_REACH)):
        if line[j] == closing and not line[j - 1].isspace():
            after = line[j + 1] if j + 1 < len(line) else " "
            if not after.isalnum():
                return j
    return None


@given(st.lists(st.sampled_from(["'", "\u2018", "\u2019", "a", "7", "_", " ", "\u00a0", "b c", ".", "\u201c", "\u201d",
                                 '"', "x" * 150, "\u0301", " 'ab' ", " \u2018cd\u2019 ", "x'y"]), max_size=40))
@example([" 'ab' ", " 'cd' "]).via("two passages on a line")
@example([" 'ab ' cd' "]).via("a mark after a space does not close")
@example([" 'the minister's aides' "]).via("an apostrophe, a mark before a letter, does not close")
@example([" 'a", "x" * 150, "x" * 150, "'"]).via("a closing mark out of reach")
@example([" 'a 'b", "x" * 150, "x" * 150, "' 'c'"]).via("out of reach from the first opening, within from the last")
def test_single_quoted_passages_are_closed_as_a_walk_from_each_mark_closes_them(parts):
    """The closing mark is remembered along the line instead of looked for again from each
    opening mark (" 'a 'a 'a ...", a megabyte of it, took 9 s): the same passages either way."""
    import briefing.coverage as cov

    line = "".join(parts)
    walked = pytest.MonkeyPatch()
    walked.setattr(cov, "_close_single", lambda line, start, closing, closers: _close_single_by_walking(
        line, start, closing))
    try:
        expected = cov._spans_in(line)
    finally:
        walked.undo()
    assert cov._spans_in(line) == expected


def test_coverage_lists_what_no_quote_captures(mini):
    entry = mini / "entries/sources/hotline-talks.yml"
    result = briefing("coverage", cwd=mini)
    assert result.returncode == 0
    assert result.stdout == "entries/sources/hotline-talks.yml: all 3 quoted passages captured\n"
    text = entry.read_text()
    text = text.replace('''  - id: historic
    text: "historic"
    speaker: unknown
    speaker_note: "The article says only that an official who asked not to be named said it."
    kind: fragment
''', "")
    entry.write_text(text.replace('text: "step-by-step"', 'text: "step-by-step" # moved').replace(
        '  - id: step-by-step\n    text: "step-by-step" # moved\n    speaker: ada-quill\n    kind: fragment\n', ""))
    result = briefing("coverage", "hotline-talks", cwd=mini)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ("entries/sources/hotline-talks.yml: 2 quoted passages not captured:\n"
                             '  archive/doc1.txt:9: "step-by-step"\n'
                             '  archive/doc1.txt:11: "historic"\n')
    assert briefing("coverage", "--strict", cwd=mini).returncode == 1
    entry.write_text(entry.read_text() + 'left_out:\n  - text: "historic"\n    reason: "an unnamed official"\n'
                     '  - text: "not in the document"\n    reason: "stale"\n')
    result = briefing("coverage", cwd=mini)
    assert result.stdout == ("entries/sources/hotline-talks.yml: 1 quoted passage not captured (1 left out on "
                             "purpose):\n"
                             '  archive/doc1.txt:9: "step-by-step"\n'
                             "  left_out text not in doc1.txt: 'not in the document'\n")


def test_coverage_counts_a_passage_printed_twice_once_captured():
    document = Document.read('"We agree on this," she said.\nmenu\n"We agree on this," she said.\n')
    result = coverage(document, {"quotes": [{"text": "We agree on this,"}]})
    assert len(result.passages) == 2 and result.missing == []
    result = coverage(document, {"quotes": [], "archive": {"furniture": [{"lines": "3", "what": "repeat"}]}})
    assert [p.line for p in result.missing] == [1]


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 8)), max_size=12), st.integers(0, 70), st.integers(0, 8))
def test_merged_places_meet_a_passage_exactly_when_one_of_them_does(places, start, length):
    spans = [(a, a + n) for a, n in places]
    assert Spans(spans).meets(start, start + length) == any(a < start + length and start < b for a, b in spans)


def _brute_missing(document: Document, quotes: list[str], left_out: list[str]) -> tuple[list, int]:
    """Coverage by its definition, place by place: a passage is captured when a place of a quote
    overlaps it, explained when a place of a left_out text does."""
    text = document.text

    def places(needle: str) -> list[tuple[int, int]]:
        return [(a, a + len(needle)) for a in range(len(text)) if needle and text.startswith(needle, a)]

    def meets(p, needles) -> bool:
        return any(a < p.end and p.start < b for n in needles for a, b in places(" ".join(n.split())))

    passages = quoted_passages(document)
    missing = [p for p in passages if not meets(p, quotes) and not meets(p, left_out)]
    return missing, sum(1 for p in passages if not meets(p, quotes) and meets(p, left_out))


@given(st.lists(st.sampled_from(["“ab”", "“a a”", "a", "b", " ", "ab", "\n", "“a”"]), max_size=25),
       st.lists(st.sampled_from(["a", "b", "ab", "a a", "  ", "a b", "ba", "b” a", "“a", "a”", "” “"]), max_size=6),
       st.lists(st.sampled_from(["a", "ab", "b a", "zz"]), max_size=3))
def test_coverage_agrees_with_its_definition_place_by_place(parts, quotes, left_out):
    """Whichever way coverage looks for a quote (its places, or beside each passage when it has
    more places than there are passages), it finds what checking every place finds."""
    document = Document.read("".join(parts) + "\n")
    result = coverage(document, {"quotes": [{"text": q} for q in quotes], "left_out": [{"text": t} for t in left_out]})
    missing, left = _brute_missing(document, quotes, left_out)
    assert (result.missing, result.left_out) == (missing, left)


@given(st.lists(st.tuples(st.integers(1, 40), st.integers(-2, 15)), max_size=10))
def test_lines_of_overlapping_ranges_are_filled_once_first_range_first(ranges):
    """Furniture ranges: each line takes the value of the first range that covers it, as filling
    range by range did, but each line is visited once (5,000 items of "1-499000" took minutes)."""
    expected: dict[int, int] = {}
    for index, (first, length) in enumerate(ranges):
        for line in range(first, first + length + 1):
            expected.setdefault(line, index)
    assert fill_lines((first, first + length, index) for index, (first, length) in enumerate(ranges)) == expected


def test_a_quote_with_more_places_than_passages_captures_a_passage_it_overlaps_at_an_edge():
    """The second way, forced: "b”" is found five times beside two passages, and overlaps each only
    at its last letter."""
    document = Document.read("“ab” “ab” x ab” ab” ab”\n")
    assert len(quoted_passages(document)) == 2
    assert coverage(document, {"quotes": [{"text": "b”"}]}).missing == []
    assert len(coverage(document, {"quotes": [{"text": "x"}]}).missing) == 2


def test_coverage_of_a_short_quote_with_many_places_against_many_passages():
    """The attacker's find: "zz" (120,000 places in a run of z) against 20,000 quoted passages
    checked each place against each passage, 277 s for a 220 KB document; merged, one search each."""
    document = Document.read('"ab" ' * 20_000 + "\n" + "z" * 120_000 + ' "zz"\n')
    result = coverage(document, {"quotes": [{"text": "zz"}]})
    assert len(result.passages) == 20_001 and len(result.missing) == 20_000
    assert Spans((at, at + 2) for at in range(120_000)).starts == [0]


def test_coverage_note_for_validate(mini):
    from briefing.load import load_file
    from briefing.project import read_settings
    settings = read_settings(mini / "mkdocs.yml")
    path = mini / "entries/sources/hotline-talks.yml"
    source = load_file(path, "source", "entries/sources/hotline-talks.yml")
    assert coverage_problem(source, settings.archive) is None
    path.write_text(path.read_text().replace("  - id: historic\n    text: \"historic\"\n",
                                             "  - id: historic\n    text: \"the meeting\"\n"))
    source = load_file(path, "source", "entries/sources/hotline-talks.yml")
    note = coverage_problem(source, settings.archive)
    assert note is not None and (note.level, note.rule) == ("note", "quote-coverage")
    assert note.format() == ("entries/sources/hotline-talks.yml:27:1: note: 1 quoted passage of doc1.txt not "
                             "captured (line 11) (quote-coverage) - hint: quote them, or list them under left_out: "
                             "with a reason; `briefing coverage` shows them")


# --- briefing archive add -------------------------------------------------------------------------


def test_archive_add_copies_records_and_refuses_a_duplicate(real, tmp_path):
    captured = tmp_path / "page.txt"
    captured.write_text(PRACTICE, "utf-8")
    digest = hashlib.sha256(PRACTICE.encode()).hexdigest()
    taken = [int(f.name[:3]) for f in (real / "archive").iterdir() if re.match(r"\d{3}_", f.name)]
    before = {r.file for r in read_records(real / "archive")}
    result = briefing("archive", "add", str(captured), "--url", "https://example.org/hotline", "--captured",
                      "2025-05-14", cwd=real)
    assert result.returncode == 0, result.stderr
    name = f"{max(taken, default=0) + 1:03d}_{digest[:16]}.txt"  # the next free number, whatever the archive holds
    assert result.stdout.startswith(f"archived {captured} as archive/{name} (sha256 {digest[:12]}...)\n")
    assert (real / "archive" / name).read_bytes() == captured.read_bytes()
    records = {r.file: r for r in read_records(real / "archive")}
    assert set(records) == before | {name} and before >= set(REAL_DOCUMENTS)
    new = records[name]
    assert (new.sha256, new.url, new.captured) == (digest, "https://example.org/hotline", "2025-05-14")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", new.added)
    old = records[REAL_DOCUMENTS[0]]  # what is known of the first five: file and hash, nothing made up
    assert old.url is None and old.captured is None and old.added is None
    assert old.sha256 == hashlib.sha256((real / "archive" / REAL_DOCUMENTS[0]).read_bytes()).hexdigest()

    again = briefing("archive", "add", str(captured), cwd=real)
    assert again.returncode == 1
    assert again.stderr == (f"error: {captured} is already in the archive as {name} (same SHA-256); use that: "
                            f"briefing new source --archive {name}\n")
    old_copy = tmp_path / "old.txt"
    shutil.copy(real / "archive" / REAL_DOCUMENTS[2], old_copy)
    assert f"as {REAL_DOCUMENTS[2]}" in briefing("archive", "add", str(old_copy), cwd=real).stderr

    # new source fills the archive fields and the address from the record, given the original file
    made = briefing("new", "source", "--archive", str(captured), "--id", "hotline", cwd=real)
    assert made.returncode == 0, made.stderr
    data = yaml.safe_load((real / "entries/sources/hotline.yml").read_text())
    assert data["archive"] == {"file": name, "sha256": digest} and data["url"] == "https://example.org/hotline"
    assert briefing("validate", cwd=real).returncode == 0


@pytest.mark.parametrize("args,message", [
    (["--url", "example.org/x"], "error: 'example.org/x' is not a web address"),
    (["--captured", "14 May 2025"], "error: '14 May 2025' is not a date"),
    (["--captured", "2999-01-01"], "error: '2999-01-01' is in the future"),
    (["--url", "http://[x/"], "error: 'http://[x/' is not a web address"),  # a ValueError traceback
])
def test_archive_add_clean_errors(mini, tmp_path, args, message):
    captured = tmp_path / "page.txt"
    captured.write_text("A page.\n")
    before = sorted(p.name for p in (mini / "archive").iterdir())
    result = briefing("archive", "add", str(captured), *args, cwd=mini)
    assert result.returncode == 1 and result.stderr.startswith(message), result.stderr
    assert sorted(p.name for p in (mini / "archive").iterdir()) == before


RECORD = ('- file: "005_0123456789abcdef.txt"\n'
          '  sha256: "' + "ab" * 32 + '"\n'
          '  url: "https://example.org/a"\n'
          '  captured: "2020-01-01"\n')


@pytest.mark.parametrize("old, new, line, told", [
    ('captured: "2020-01-01"', r'captured: "2020-01-01\nstatus: published\nx-injected: 1\n#"', 4, "captured: "),
    ('captured: "2020-01-01"', r'captured: "2020-01-01\n"', 4, "is not a date"),  # int() takes "01\n"
    ('url: "https://example.org/a"', r'url: "https://example.org/a\nleft_out: []"', 3, "is not a web address"),
    ('url: "https://example.org/a"', 'url: "javascript:alert(1)"', 3, "is not a web address"),
    ('file: "005_0123456789abcdef.txt"', 'file: "../../etc/passwd"', 1, "is not an archive name"),
    ('  captured: "2020-01-01"', '  captured: "2020-01-01"\n  status: published', 5, "'status' is not a field"),
    ('sha256: "' + "ab" * 32 + '"', "sha256: [ab]", 2, "sha256 should be text"),
    ('url: "https://example.org/a"', 'url: "http://[x/"', 3, "is not a web address"),  # urlsplit raised
    ('file: "005_0123456789abcdef.txt"', 'file: "' + "x" * 5000 + '"', 1, "'" + "x" * 60 + "...' is not"),
    ('captured: "2020-01-01"', 'captured: "2020-01-01"\n  added: "2999-01-01"', 5, "the date it was put in"),
])
def test_a_hostile_capture_record_is_told_by_its_line_and_writes_nothing(mini, old, new, line, told):
    """The attacker's third round: a record in archive/captures.yml (which a pull request can
    change, and which validate does not read) with a line break in its capture date. briefing new
    source wrote the date into a comment of the new entry, and the line break ended the comment:
    "status: published" and fields of the attacker's choosing became part of the contributor's
    entry. Every record is now checked as archive add checks what it writes, and a bad one stops
    the command at its line."""
    archive = mini / "archive"
    (archive / "005_0123456789abcdef.txt").write_text("Ministers met. \"We agreed,\" said Ada Quill.\n", "utf-8")
    (archive / "captures.yml").write_text(RECORD.replace(old, new), "utf-8")
    before = sorted(p.name for p in (mini / "entries/sources").iterdir())
    made = briefing("new", "source", "--archive", "005_0123456789abcdef.txt", "--id", "evil", cwd=mini)
    assert made.returncode == 1 and "Traceback" not in made.stderr, made.stderr
    assert made.stderr.startswith(f"error: {archive / 'captures.yml'}:{line}:") and told in made.stderr, made.stderr
    assert len(made.stderr.splitlines()) == 1 and len(made.stderr) < 500, made.stderr
    assert sorted(p.name for p in (mini / "entries/sources").iterdir()) == before
    page = mini.parent / "page.txt"
    page.write_text("Another page.\n", "utf-8")
    added = briefing("archive", "add", str(page), cwd=mini)
    assert added.returncode == 1 and told in added.stderr, added.stderr
    assert (archive / "captures.yml").read_text("utf-8") == RECORD.replace(old, new)


def test_a_good_capture_record_fills_the_new_entry(mini):
    """A record written today where it is already tomorrow is good here too (the attacker's fourth
    round: a record made in Kiritimati stopped every contributor west of it for a day)."""
    import datetime
    archive = mini / "archive"
    (archive / "005_0123456789abcdef.txt").write_text("Ministers met. \"We agreed,\" said Ada Quill.\n", "utf-8")
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    (archive / "captures.yml").write_text(RECORD + f'  added: "{tomorrow}"\n', "utf-8")
    made = briefing("new", "source", "--archive", "005_0123456789abcdef.txt", "--id", "fine", cwd=mini)
    assert made.returncode == 0, made.stderr
    text = (mini / "entries/sources/fine.yml").read_text("utf-8")
    assert 'url: "https://example.org/a"  # the address the document was captured from (captures.yml, captured ' \
           "2020-01-01); correct it" in text


def test_an_actor_whose_id_is_not_its_file_name_is_not_offered_to_new_entries(mini):
    """The scaffolds write actor ids into new entries as they are: an id holding a line break
    would write fields there. Only an actor whose id is its file's name (as validate requires) is read."""
    from briefing.prefill import read_actors

    actors = mini / "entries/actors"
    (actors / "evil.yml").write_text('id: "evil\nstatus: published"\nname: "Evil"\nkind: person\n', "utf-8")
    (actors / "other.yml").write_text('id: "ada-quill"\nname: "Ada Quill"\nkind: person\n', "utf-8")
    (actors / "Upper.yml").write_text('id: "Upper"\nname: "Upper"\nkind: person\n', "utf-8")
    found = read_actors(actors)
    assert sorted(found) == ["ada-quill", "atlantis"]
    assert found["ada-quill"]["_path"] == actors / "ada-quill.yml"


def test_archive_add_never_overwrites(mini, tmp_path, monkeypatch):
    from briefing import captures
    captured = tmp_path / "page.txt"
    captured.write_text("A page.\n")
    digest = hashlib.sha256(b"A page.\n").hexdigest()
    taken = mini / "archive" / f"000_{digest[:16]}.txt"
    monkeypatch.setattr(captures, "next_name", lambda archive, d, suffix: taken.name)
    taken.write_text("someone else's file\n")
    with pytest.raises(captures.CaptureError, match="appeared meanwhile"):
        captures.add(mini / "archive", captured)
    assert taken.read_text() == "someone else's file\n"


@pytest.mark.parametrize("command", [["coverage"], ["archive"], ["archive", "add"], ["new", "actor"]])
def test_commands_have_help_with_an_example(mini, command):
    result = briefing(*command, "--help", cwd=mini)
    assert result.returncode == 0 and "Example: briefing " in result.stdout


# --- one wording of a date ------------------------------------------------------------------------


def test_quote_search_keeps_the_inferred_marker_and_says_whose_date_it_gives(mini):
    """A quote the source gives no date for was shown with the source's date, as if said then (the
    reader's review): it now says the date is not given, and whose date it shows instead."""
    from briefing.model import When
    assert When("2024-10-31", "approximate", "2024-10-24", "2024-10-31", inferred=True, basis="x").label == (
        "c. 31 October 2024 (between 24 and 31 October 2024) (inferred)")
    assert When("2020-03-02", "day").label == "2 March 2020"
    entry = mini / "entries/sources/hotline-talks.yml"
    entry.write_text(entry.read_text().replace(
        '  date: "2020-03-02"\n  precision: day\nurl:',
        '  date: "2020-03-02"\n  precision: day\n  inferred: true\n  basis: "The page\'s metadata."\nurl:'))
    result = briefing("quotes", "step by step", cwd=mini)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == ("not given; source published 2 March 2020 (inferred) · Ada Quill · "
                                             "Ministers agree on a hotline")
    import json
    [match] = json.loads(briefing("quotes", "step by step", "--json", cwd=mini).stdout)
    assert (match["date_text"], match["date_of"], match["inferred"]) == (
        "not given; source published 2 March 2020 (inferred)", "source", True)
    said = '    said: {date: "2020-02-28", precision: day}\n'
    entry.write_text(entry.read_text().replace("  - id: step-by-step\n", "  - id: step-by-step\n" + said))
    [dated] = json.loads(briefing("quotes", "step by step", "--json", cwd=mini).stdout)
    assert (dated["date_text"], dated["date_of"], dated["date"]) == ("28 February 2020", "quote", "2020-02-28")


def test_names_are_looked_for_up_to_a_bounded_number_of_words():
    """Round two of the attacker's review: an alias of a thousand words made every word of a
    document try windows of up to a thousand words (briefing new source ran past five minutes).
    Such a "name" is looked for nowhere; real names, of up to NAME_WORDS words, are found."""
    from briefing.names import NAME_WORDS, NameIndex
    long_title = "Supreme Leader of the Islamic Revolution Ayatollah Seyed Ali Khamenei"
    index = NameIndex([(" ".join(["x"] * 1000), "hostile"), ("Ada Quill", "ada"), (long_title, "khamenei")])
    assert index.longest == len(long_title.split()) <= NAME_WORDS
    found = index.find("X " * 5000 + "Ada Quill met the " + long_title + ".")
    assert [(m.actor, m.spelling) for m in found] == [("ada", "Ada Quill"), ("khamenei", long_title)]
