"""Every validation rule, table-driven: a YAML text in, the exact (line, column, rule) out."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.archive import Archive
from briefing.load import load_bytes, load_entries
from briefing.validate import validate_entries

from conftest import MINI, ROOT
from samples import ACTOR, SHA, SOURCE, edited  # noqa: F401  (the samples' text, line by line, is what the cases below change)


def check(kind: str, text: str | bytes, tmp_path: Path, archive: bool = True) -> list[tuple[int, int, str]]:
    """Validate ``text`` as entries/<kind>s/case.yml beside the mini project's entries."""
    entries = tmp_path / "entries"
    import shutil
    shutil.copytree(MINI / "entries", entries)
    target = entries / f"{kind}s" / "case.yml"
    target.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    files = load_entries(entries, tmp_path)
    problems = validate_entries(files, Archive(MINI / "archive" if archive else tmp_path / "missing"))
    return [(p.line, p.col, p.rule) for p in problems if p.path.endswith(f"{kind}s/case.yml")]


def test_valid_samples_have_no_problems(tmp_path):
    assert check("source", SOURCE, tmp_path) == []
    assert check("actor", ACTOR, tmp_path / "a") == []


SOURCE_CASES = [
    # YAML itself
    ("syntax error", ('title: "A title"', 'title: "A title'), [(8, 10, "yaml-syntax")]),
    ("tab indentation", ("  kind: newspaper", "\tkind: newspaper"), [(5, 1, "yaml-syntax")]),
    ("duplicate key", ("status: draft\n", "status: draft\nstatus: published\n"), [(3, 1, "yaml-duplicate-key")]),
    ("anchor", ('title: "A title"', 'title: &t "A title"'), [(3, 8, "yaml-anchor")]),
    ("alias", ("authors: []", "authors: [&a x, *a]"), [(6, 11, "yaml-anchor"), (6, 17, "yaml-anchor")]),
    ("python tag", ('title: "A title"', "title: !!python/name:os.system x"), [(3, 8, "yaml-tag")]),
    ("yaml 1.1 boolean", ('title: "A title"', "title: NO"), [(3, 8, "yaml-implicit-type")]),
    ("yaml 1.1 on", ("authors: []", "authors: [on]"), [(6, 11, "yaml-implicit-type")]),
    ("unquoted date", ('date: "2020-03-02"', "date: 2020-03-02"), [(8, 9, "yaml-implicit-type")]),
    ("unquoted number", ('title: "A title"', "title: 1984"), [(3, 8, "yaml-implicit-type")]),
    # schema
    ("unknown field with typo", ("capture_notes: []", "capture_note: []"),
     [(1, 1, "schema-required"), (25, 1, "schema-unknown-field")]),
    ("missing field points at parent", ("  precision: day\n", ""), [(8, 3, "schema-required")]),
    ("wrong type", ("authors: []", 'authors: "Jane"'), [(6, 10, "schema-type")]),
    ("bad enum", ("kind: direct", "kind: verbatim"), [(19, 11, "schema-enum"), (19, 11, "checks-skipped")]),
    ("id not a slug", ("id: case", "id: Case_1"), [(1, 5, "schema-pattern"), (1, 5, "checks-skipped")]),
    ("path in id", ("  - id: first", "  - id: ../first"), [(16, 9, "schema-pattern"), (16, 9, "checks-skipped")]),
    ("bad date shape", ('date: "2020-03-02"', 'date: "2 March 2020"'),
     [(8, 9, "schema-pattern"), (8, 9, "checks-skipped")]),
    ("bad sha shape", (f'sha256: "{SHA}"', 'sha256: "abc"'),
     [(12, 11, "schema-pattern"), (12, 11, "checks-skipped")]),
    # semantics
    ("id differs from file name", ("id: case", "id: other"), [(1, 5, "id-filename")]),
    ("impossible date", ('date: "2020-03-02"', 'date: "2021-02-30"'), [(8, 9, "date-invalid")]),
    ("month 13", ('date: "2020-03-02"', 'date: "2020-13"'), [(8, 9, "date-invalid")]),
    ("precision mismatch", ("precision: day", "precision: month"), [(9, 14, "date-precision")]),
    ("inferred without basis", ("precision: day", "precision: day\n  inferred: true"), [(8, 3, "inferred-basis")]),
    ("javascript url", ("authors: []", 'authors: []\nurl: "javascript:alert(1)"'), [(7, 6, "url-scheme")]),
    ("data url", ("authors: []", 'authors: []\nurl: "data:text/html,x"'), [(7, 6, "url-scheme")]),
    ("url urllib cannot read", ("authors: []", 'authors: []\nurl: "http://[::1"'), [(7, 6, "url-invalid")]),
    ("url port out of range", ("authors: []", 'authors: []\nurl: "https://example.org:99999/"'),
     [(7, 6, "url-invalid")]),
    ("right-to-left override", ('title: "A title"', 'title: "A title\\u202e"'), [(3, 8, "text-bidi-control")]),
    ("id of a list page", ("id: case", "id: index"), [(1, 5, "id-filename"), (1, 5, "id-reserved")]),
    ("unknown actor", ("speaker: ada-quill", "speaker: ada-quil"), [(18, 14, "ref-actor")]),
    ("unknown topic", ("topics: [diplomacy]", "topics: [trade]"), [(23, 10, "ref-topic")]),
    ("unknown speaker needs a note", ("speaker: ada-quill", "speaker: unknown"), [(18, 14, "speaker-note")]),
    # a quote's speaker is one of the source's actors, where the entry says what it does in the document
    ("speaker not among the actors", ("speaker: ada-quill", "speaker: atlantis"), [(18, 14, "speaker-listed")]),
    ("misspelled speaker is ref-actor alone", ("speaker: ada-quill", "speaker: atlantiss"), [(18, 14, "ref-actor")]),
    ("quote not in archive", ("our capitals,", "our capital,"),
     [(15, 1, "quote-coverage"), (17, 11, "quote-fidelity")]),
    ("whitespace may differ", ("between our capitals,", "between  our\\n capitals,"), []),
    ("sha mismatch", (f'sha256: "{SHA}"', 'sha256: "' + "0" * 64 + '"'), [(12, 11, "archive-sha256")]),
    ("archive file missing", ('file: "doc1.txt"', 'file: "doc2.txt"'), [(11, 9, "archive-file")]),
    ("summary too short when published", ("status: draft", "status: published"),
     [(13, 10, "summary-length"), (25, 16, "capture-notes")]),
    # a draft may leave its title and publication date empty until known; a published entry may not
    ("draft without a title", ('title: "A title"', "title:"), [(2, 9, "draft-unfilled")]),
    ("draft without a date", ('published:\n  date: "2020-03-02"\n  precision: day\n', "published:\n"),
     [(2, 9, "draft-unfilled")]),
    ("published without a title", ('status: draft\ntitle: "A title"', "status: published\ntitle:"),
     [(3, 7, "schema-empty"), (13, 10, "summary-length"), (25, 16, "capture-notes")]),
    ("published without a date", ('status: draft\ntitle: "A title"\noutlet:\n  kind: newspaper\nauthors: []\n'
                                  'published:\n  date: "2020-03-02"\n  precision: day\n',
                                  'status: published\ntitle: "A title"\noutlet:\n  kind: newspaper\nauthors: []\n'
                                  'published:\n'), [(7, 11, "schema-empty"), (11, 10, "summary-length"),
                                                   (23, 16, "capture-notes")]),
    ("draft may not leave the summary null", ('summary: ""', "summary:"), [(13, 9, "schema-empty")]),
    ("duplicate quote id", ("actors:\n", '  - id: first\n    text: "historic"\n    speaker: ada-quill\n'
                            "    kind: fragment\nactors:\n"), [(20, 9, "id-duplicate")]),
    ("repeated quote", ("actors:\n", '  - id: second\n    text: "We have agreed on a hotline between our capitals,"\n'
                        "    speaker: ada-quill\n    kind: direct\nactors:\n"), [(21, 11, "quote-duplicate")]),
]


@pytest.mark.parametrize("name,change,expected", SOURCE_CASES, ids=[c[0] for c in SOURCE_CASES])
def test_source_rule(name, change, expected, tmp_path):
    old, new = change
    assert old in SOURCE, f"case {name!r} changes text that is not in the sample"
    assert check("source", SOURCE.replace(old, new, 1), tmp_path) == expected


def test_a_published_source_says_what_its_capture_holds(tmp_path):
    """A published source with a written summary still needs capture notes; with one, it passes."""
    published = SOURCE.replace("status: draft", "status: published", 1).replace(
        'summary: ""', "summary: >-\n  " + " ".join(["word"] * 90), 1)
    assert 'summary: ""' in SOURCE and check("source", published, tmp_path / "a") == [(26, 16, "capture-notes")]
    noted = published.replace("capture_notes: []", 'capture_notes: ["Line 1 is the site navigation."]')
    assert check("source", noted, tmp_path / "b") == []


ACTOR_CASES = [
    ("reserved id", ("id: case", "id: unknown"), [(1, 5, "id-reserved"), (1, 5, "id-filename")]),
    ("list page id", ("id: case", "id: page-2"), [(1, 5, "id-reserved"), (1, 5, "id-filename")]),
    ("kind enum", ("kind: person", "kind: human"), [(3, 7, "schema-enum")]),
    ("name of another actor", ('name: "Case Person"', 'name: "ADA  Qu\u00efll"'), [(2, 7, "actor-duplicate-name")]),
    ("alias of another actor", ('name: "Case Person"', 'name: "Case Person"\naliases: ["a. quill"]'),
     [(3, 11, "actor-duplicate-name")]),
    ("bidi isolate in a name", ('name: "Case Person"', 'name: "Case \\u2067Person"'), [(2, 7, "text-bidi-control")]),
    ("role date impossible", ('as_of: "2020-03-02"', 'as_of: "2020-02-31"'), [(7, 12, "date-invalid")]),
    ("unknown source in role", ("sources: [hotline-talks]", "sources: [hotline]"), [(8, 15, "ref-source")]),
    ("aliases must be a list", ('name: "Case Person"', 'name: "Case Person"\naliases: "CP"'),
     [(3, 10, "schema-type"), (3, 10, "checks-skipped")]),
    ("empty description is a note", ('description: "Someone."', "description:"), [(4, 13, "actor-description")]),
]


@pytest.mark.parametrize("name,change,expected", ACTOR_CASES, ids=[c[0] for c in ACTOR_CASES])
def test_actor_rule(name, change, expected, tmp_path):
    old, new = change
    assert old in ACTOR
    assert check("actor", ACTOR.replace(old, new, 1), tmp_path) == expected


def test_a_speaker_outside_the_actors_says_whom_to_add(tmp_path):
    entries = tmp_path / "entries"
    import shutil
    shutil.copytree(MINI / "entries", entries)
    (entries / "sources" / "case.yml").write_text(SOURCE.replace("speaker: ada-quill", "speaker: atlantis"))
    problems = validate_entries(load_entries(entries, tmp_path), Archive(MINI / "archive"))
    assert [p.format() for p in problems] == [
        "entries/sources/case.yml:18:14: error: the speaker 'atlantis' is not among this source's actors "
        "(speaker-listed) - hint: add atlantis to this source's actors (- id: atlantis) with its role: what it "
        "does or is called in this document"]


# --- a value the schema refuses hides no other problem ----------------------------------------------
# Each case makes several mistakes at once; every one that does not depend on a refused value is
# reported in the same run, and one note per file names the checks that wait for the refused values.

FURNITURE = f'sha256: "{SHA}"\n  furniture: [{{lines: "one", what: "navigation"}}]'
TOGETHER = [
    ("issue 18.1: bad date, changed word, misspelled actor id",
     [('date: "2020-03-02"', 'date: "2 March 2020"'), ("our capitals,", "our capital,"),
      ("speaker: ada-quill", "speaker: ada-quil")],
     [(8, 9, "schema-pattern"), (8, 9, "checks-skipped"), (15, 1, "quote-coverage"), (17, 11, "quote-fidelity"),
      (18, 14, "ref-actor")]),
    ("a refused kind leaves the quote's text checked",
     [("kind: direct", "kind: verbatim"), ("our capitals,", "our capital,")],
     [(15, 1, "quote-coverage"), (17, 11, "quote-fidelity"), (19, 11, "schema-enum"), (19, 11, "checks-skipped")]),
    ("a refused hash leaves the quotes checked",
     [(f'sha256: "{SHA}"', 'sha256: "abc"'), ("our capitals,", "our capital,")],
     [(12, 11, "schema-pattern"), (12, 11, "checks-skipped"), (15, 1, "quote-coverage"), (17, 11, "quote-fidelity")]),
    ("refused furniture holds up the quotes, not the references",
     [(f'sha256: "{SHA}"', FURNITURE), ("our capitals,", "our capital,"), ("speaker: ada-quill", "speaker: ada-quil")],
     [(13, 23, "schema-pattern"), (13, 23, "checks-skipped"), (19, 14, "ref-actor")]),
    ("a refused status leaves the dates and the quotes checked",
     [("status: draft", "status: drafted"), ('date: "2020-03-02"', 'date: "2020-02-30"'),
      ("our capitals,", "our capital,")],
     [(2, 9, "schema-enum"), (2, 9, "checks-skipped"), (8, 9, "date-invalid"), (15, 1, "quote-coverage"),
      (17, 11, "quote-fidelity")]),
    ("an actor item without a role leaves the topics checked",
     [('    role: "Minister"\n', ""), ("topics: [diplomacy]", "topics: [diplomaci]")],
     [(21, 5, "schema-required"), (22, 10, "ref-topic")]),
    ("an unknown field leaves everything checked",
     [("capture_notes: []", "capture_notes: []\nsource_note: x"), ("speaker: ada-quill", "speaker: ada-quil")],
     [(18, 14, "ref-actor"), (26, 1, "schema-unknown-field")]),
    ("a refused speaker leaves the actors checked",
     [("speaker: ada-quill", "speaker: Ada Quill"), ("  - id: ada-quill", "  - id: ada-quil")],
     [(18, 14, "schema-pattern"), (18, 14, "checks-skipped"), (21, 9, "ref-actor")]),
]


@pytest.mark.parametrize("name,changes,expected", TOGETHER, ids=[c[0] for c in TOGETHER])
def test_a_refused_value_hides_no_other_problem(name, changes, expected, tmp_path):
    assert check("source", edited(SOURCE, changes, name), tmp_path) == expected


ACTOR_TOGETHER = [
    ("a refused kind leaves the roles checked",
     [("kind: person", "kind: human"), ('as_of: "2020-03-02"', 'as_of: "2020-02-31"'),
      ("sources: [hotline-talks]", "sources: [hotline]")],
     [(3, 7, "schema-enum"), (7, 12, "date-invalid"), (8, 15, "ref-source")]),
    ("a role that is no mapping leaves the names checked",
     [('  - title: "Minister"\n    as_of: "2020-03-02"\n    sources: [hotline-talks]\n', '  - "Minister"\n'),
      ('name: "Case Person"', 'name: "Ada Quill"')],
     [(2, 7, "actor-duplicate-name"), (6, 5, "schema-type"), (6, 5, "checks-skipped")]),
]


@pytest.mark.parametrize("name,changes,expected", ACTOR_TOGETHER, ids=[c[0] for c in ACTOR_TOGETHER])
def test_a_refused_actor_value_hides_no_other_problem(name, changes, expected, tmp_path):
    text = ACTOR
    for old, new in changes:
        assert old in text
        text = text.replace(old, new, 1)
    assert check("actor", text, tmp_path) == expected


def _problems(kind: str, text: str, tmp_path: Path):
    entries = tmp_path / "entries"
    import shutil
    shutil.copytree(MINI / "entries", entries)
    (entries / f"{kind}s" / "case.yml").write_text(text)
    return [p for p in validate_entries(load_entries(entries, tmp_path), Archive(MINI / "archive"))
            if p.path.endswith("case.yml")]


def test_the_note_names_the_skipped_checks_and_the_refused_values(tmp_path):
    text = SOURCE.replace('date: "2020-03-02"', 'date: "2 March 2020"').replace("kind: direct", "kind: verbatim")
    notes = [p.format() for p in _problems("source", text, tmp_path) if p.level == "note"]
    assert notes == [
        "entries/sources/case.yml:8:9: note: not checked until the schema errors are fixed: date-invalid, "
        "date-precision and date-range, which need 'published.date' (line 8); quote-too-short, which needs "
        "'quotes[1].kind' (line 19) (checks-skipped) - hint: fix those values and validate again; every check "
        "that needs none of them has run"]


def test_a_file_that_is_no_mapping_gets_its_one_error_and_no_note(tmp_path):
    assert check("source", "- a\n- b\n", tmp_path) == [(1, 1, "schema-type")]


# Any one value of an entry changed to anything (or removed): no traceback, every problem on a line of
# the file, and the entry's other mistakes still reported unless the change touched what they read.
_MINI_FILES = load_entries(MINI / "entries", MINI)
_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=12),
              st.sampled_from(["", "2020-13", "2 March 2020", "ada-quill", "Ada Quill", "day", "direct", "7-1", "x"])),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(
        ["id", "date", "precision", "text", "lines", "what", "title", "x"]), inner, max_size=3)), max_leaves=8)
# (kind, the sample with independent mistakes, each mistake: (rule, the values its check reads))
_MISTAKEN = {
    "source": (SOURCE.replace("our capitals,", "our capital,").replace("topics: [diplomacy]", "topics: [diplomaci]"),
               [("quote-fidelity", [("quotes", 0, "text"), ("quotes", 0, "spans_paragraphs"), ("archive", "file"),
                                    ("archive", "furniture")]),
                ("ref-topic", [("topics", 0)])]),
    "actor": (ACTOR.replace('as_of: "2020-03-02"', 'as_of: "2020-02-31"').replace("[hotline-talks]", "[hotline]"),
              [("date-invalid", [("roles", 0, "as_of")]), ("ref-source", [("roles", 0, "sources", 0)])]),
}


def _places(node, where=()):
    yield where
    if isinstance(node, dict):
        for key, item in node.items():
            yield from _places(item, where + (key,))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _places(item, where + (index,))


def _touches(changed: tuple, reads: list[tuple]) -> bool:
    return any(changed[:len(r)] == r[:len(changed)] for r in reads)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(_MISTAKEN)), st.data(), _VALUES, st.booleans())
def test_one_value_changed_hides_none_of_the_other_mistakes(kind, draw, value, remove):
    sample, mistakes = _MISTAKEN[kind]
    data = yaml.safe_load(sample)
    where = draw.draw(st.sampled_from([p for p in _places(data) if p]))
    parent = data
    for part in where[:-1]:
        parent = parent[part]
    if remove:
        del parent[where[-1]]
    else:
        parent[where[-1]] = value
    raw = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")
    entry = load_bytes(raw, MINI / "entries" / f"{kind}s" / "case.yml", kind, f"entries/{kind}s/case.yml")
    problems = [p for p in validate_entries(_MINI_FILES + [entry], Archive(MINI / "archive"))
                if p.path == entry.path]
    lines = len(raw.decode("utf-8").splitlines())  # YAML breaks lines at U+0085, U+2028 and U+2029 too
    for p in problems:
        assert 1 <= p.line <= lines and p.col >= 1, (p.format(), raw)
        p.format()
    rules = {p.rule for p in problems}
    for rule, reads in mistakes:
        if not _touches(where, reads):
            assert rule in rules, (where, value, remove, [p.format() for p in problems])
    assert [p.rule for p in problems].count("checks-skipped") <= 1


def test_duplicate_id_across_files(tmp_path):
    text = ACTOR.replace("id: case", "id: ada-quill")
    problems = check("actor", text, tmp_path)
    assert (1, 5, "id-filename") in problems
    assert (1, 5, "id-duplicate") in problems


@pytest.mark.parametrize("raw,expected", [
    (b"", [(1, 1, "empty-file")]),
    (b"# only a comment\n", [(1, 1, "empty-file")]),
    (b'id: case\ntitle: "caf\xe9"\n', [(2, 12, "encoding")]),
    (b"- a\n- b\n", [(1, 1, "schema-type")]),
    (b"[" * 5000 + b"]" * 5000, [(1, 1, "schema-type"), (1, 34, "yaml-depth")]),
    (b"[" * 5000, [(1, 5001, "yaml-syntax")]),  # at the end of the one line, not on a line the file lacks
    (b"[" * 5000 + b"\n", [(2, 1, "yaml-syntax")]),
])
def test_broken_files(raw, expected, tmp_path):
    assert check("topic", raw, tmp_path) == expected


def test_byte_order_mark_and_crlf_are_accepted(tmp_path):
    text = '\ufeffid: case\r\nname: "Case"\r\ndescription: "A topic."\r\n'
    assert check("topic", text, tmp_path) == []


def test_alias_bomb_is_refused_quickly(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9))
    problems = check("topic", bomb, tmp_path)
    assert problems and all(rule == "yaml-anchor" for _, _, rule in problems)


def test_missing_archive_skips_fidelity_with_one_note(tmp_path):
    entries = tmp_path / "entries"
    import shutil
    shutil.copytree(MINI / "entries", entries)
    problems = validate_entries(load_entries(entries, tmp_path), Archive(tmp_path / "nowhere"))
    assert [(p.rule, p.level) for p in problems] == [("archive-missing", "note")]


def test_required_archive_missing_is_an_error(tmp_path):
    entries = tmp_path / "entries"
    import shutil
    shutil.copytree(MINI / "entries", entries)
    problems = validate_entries(load_entries(entries, tmp_path), Archive(tmp_path / "nowhere", required=True))
    assert [(p.rule, p.level) for p in problems] == [("archive-missing", "error")]


def test_messages_name_file_line_and_fix(tmp_path):
    entries = tmp_path / "entries"
    import shutil
    shutil.copytree(MINI / "entries", entries)
    (entries / "sources" / "case.yml").write_text(SOURCE.replace("capture_notes: []", "capture_note: []"))
    problems = validate_entries(load_entries(entries, tmp_path), Archive(MINI / "archive"))
    lines = [p.format() for p in problems]
    assert "entries/sources/case.yml:25:1: error: unknown field 'capture_note' (schema-unknown-field)" \
           " - hint: did you mean 'capture_notes'?" in lines


def _tags(node) -> list:
    """Every node's kind, tag and value, depth first."""
    if isinstance(node, yaml.MappingNode):
        return [("map", node.tag)] + [t for k, v in node.value for t in _tags(k) + _tags(v)]
    if isinstance(node, yaml.SequenceNode):
        return [("seq", node.tag)] + [t for item in node.value for t in _tags(item)]
    return [(node.value, node.tag, node.style)]


def test_entry_loader_tags_every_node_as_yaml_does():
    """The loader that remembers plain scalars' tags gives every node the tag PyYAML's own safe
    loader gives it, the first time a text is seen and every time after."""
    from briefing.load import EntryLoader
    text = textwrap.dedent("""\
        id: x
        plain: [yes, no, on, off, true, False, ~, null, "", '', 12, -3, 0x1f, 1_000, 3.5, .inf, -.NaN,
                2024-01-02, 2024-01-02T10:00:00Z, "yes", '12', 2024, 2024-13, v1.2, "~", Null, NO]
        block: |
          yes
        folded: >
          12
        nested: {a: [1, {b: true}], "c": 'd'}
        """)
    expected = _tags(yaml.compose(text, Loader=yaml.CSafeLoader))  # the loader it stands in for
    assert ("yes", "tag:yaml.org,2002:bool", "") in expected and ("12", "tag:yaml.org,2002:int", "") in expected
    for _ in range(2):
        assert _tags(yaml.compose(text, Loader=EntryLoader)) == expected
    assert ("yes", "tag:yaml.org,2002:bool") in EntryLoader._plain_tags.items()


def test_a_recurring_short_text_is_one_object_and_a_long_one_is_kept_as_read(tmp_path):
    """A large briefing holds a million texts, two in three a copy of another (keys, ids, kinds,
    dates): the loader keeps one object for each short one. Values are unchanged."""
    from briefing.load import load_bytes
    long_text = "a quote long enough to be the only one of its kind " * 3
    loaded = [load_bytes(f"id: s{n}\nkind: newspaper\nactors: [{{id: lavrov}}]\nsummary: {long_text}\n".encode(),
                         tmp_path / f"s{n}.yml", "source", f"s{n}.yml") for n in (1, 2)]
    one, two = (entry.data for entry in loaded)
    assert one["kind"] == two["kind"] == "newspaper" and one["kind"] is two["kind"]
    assert one["actors"][0]["id"] is two["actors"][0]["id"] == "lavrov"
    assert [k for k in one if k == "summary"][0] is [k for k in two if k == "summary"][0]  # keys too
    assert one["summary"] == two["summary"] == long_text.strip() and one["summary"] is not two["summary"]


def test_every_rule_id_is_explained_in_contributing():
    """CONTRIBUTING.md lists each rule of the registry (the only ids load, schema and validate report,
    tests/test_rules.py) as **rule-id**."""
    from briefing.rules import RULES

    from conftest import ROOT
    guide = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
    assert len(RULES) > 45 and "checks-skipped" in RULES and "quote-fidelity" in RULES
    assert [rule for rule in RULES if f"**{rule}**" not in guide] == []


@pytest.mark.parametrize("typed, meant", [
    ("sergey-lavrov", "sergei-lavrov"), ("nikolay-patrushev", "nikolai-patrushev"), ("ali-khameni", "ali-khamenei"),
    ("sanction", "sanctions"), ("nuclear-program", "nuclear-programme"), ("irgc-", "irgc"), ("xyz-corp", None)])
def test_an_unknown_id_suggests_the_known_one_it_looks_like(typed, meant):
    """The real briefing's ids, mistyped as an editor would: the hint names the id meant (and none
    when nothing is close), as difflib's close matches did."""
    import difflib

    from briefing.validate import _nearest
    ids = sorted(p.stem for kind in ("actors", "topics") for p in (ROOT / "entries" / kind).glob("*.yml"))
    assert _nearest(typed, ids) == meant == (difflib.get_close_matches(typed, ids, n=1) or [None])[0]


def test_thousands_of_unknown_ids_against_look_alike_ids_are_each_given_a_hint(tmp_path):
    """The attacker's find: 2,000 unknown topic ids against 400 topics with 80-character look-alike
    ids (a-a-...-a-0001) ran past five minutes, difflib comparing every pair at length; each hint
    is now a C++ edit distance, and every one still names the nearest id."""
    entries = tmp_path / "entries"
    for kind in ("sources", "actors", "topics"):
        (entries / kind).mkdir(parents=True)
    (entries / "actors" / "ada-quill.yml").write_bytes((MINI / "entries" / "actors" / "ada-quill.yml").read_bytes())
    base = "a-" * 38
    for i in range(400):
        (entries / "topics" / f"{base}{i:04d}.yml").write_text(f'id: {base}{i:04d}\nname: "T{i}"\ndescription: "d"\n')
    cited = ", ".join(f"{base}x{j:03d}" for j in range(1000)) + ", " + ", ".join(f"{base}y{j:03d}" for j in range(1000))
    source = edited(SOURCE, [("topics: [diplomacy]", f"topics: [{cited}]")], "thousands")
    (entries / "sources" / "case.yml").write_text(source)
    problems = validate_entries(load_entries(entries, tmp_path), Archive(MINI / "archive"))
    hints = [p.hint for p in problems if p.rule == "ref-topic"]
    assert len(hints) == 2000 and all(h.startswith(f"did you mean '{base}") for h in hints)


def test_a_problem_for_each_of_thousands_of_unknown_keys_is_on_its_own_line():
    """Round two of the attacker's review: every problem's position was found by scanning the whole
    mapping, so 123,000 unknown keys ran past five minutes (10,000: 29 s; now 0.6 s). The keys of a
    mapping are indexed once; each problem still names its own key's line."""
    import itertools
    import string
    keys = ["".join(k) for k in itertools.islice(itertools.product(string.ascii_lowercase, repeat=3), 3000)]
    text = 'id: case\nname: "Case"\nkind: person\ndescription: "x"\n' + "".join(f"{k}: 0\n" for k in keys)
    entry = load_bytes(text.encode(), Path("entries/actors/case.yml"), "actor", "entries/actors/case.yml")
    lines = {p.line for p in validate_entries([entry], Archive(None)) if p.rule == "schema-unknown-field"}
    assert lines == set(range(5, 5 + len(keys)))
    assert entry.locate(("name",), key=True) == (2, 1) and entry.locate(("aaa",), key=True) == (5, 1)


class _ScanningGate:
    """The Gate as it was, asking every refused value each time: the definition the indexed one
    must agree with."""

    def __init__(self, refused):
        self.refused, self.skipped = refused, {}

    def skip(self, rules, refused):
        self.skipped[refused] = tuple(dict.fromkeys(self.skipped.get(refused, ()) + rules))

    def holds(self, where):
        return not any(where[:len(r)] == r for r in self.refused)

    def reach(self, rules, where):
        for r in self.refused:
            if where[:len(r)] == r:
                self.skip(rules, r)
                return False
        return True

    def fits(self, rules, *wheres):
        for where in wheres:
            for r in self.refused:
                common = min(len(r), len(where))
                if r[:common] == where[:common]:
                    self.skip(rules, r)
                    return False
        return True


_PATHS = st.lists(st.sampled_from(["quotes", "actors", 0, 1, "kind", "said"]), max_size=4).map(tuple)


@given(st.lists(_PATHS, max_size=6).map(tuple),
       st.lists(st.tuples(st.sampled_from(["holds", "reach", "fits"]), st.lists(_PATHS, min_size=1, max_size=3)),
                max_size=8))
def test_the_indexed_gate_answers_as_asking_every_refused_value_did(refused, questions):
    """Round two of the attacker's review: 12,000 refused quotes (kind: bad) asked each question of
    every refused value, past five minutes (4,000: 70 s). The gate is indexed; its answers, and the
    checks it remembers as skipped, are those of the scan."""
    from briefing.validate import Gate
    gate, scan = Gate(refused), _ScanningGate(refused)
    for index, (question, wheres) in enumerate(questions):
        rules = (f"rule-{index}",)
        if question == "holds":
            assert gate.holds(wheres[0]) == scan.holds(wheres[0])
        elif question == "reach":
            assert gate.reach(rules, wheres[0]) == scan.reach(rules, wheres[0])
        else:
            assert gate.fits(rules, *wheres) == scan.fits(rules, *wheres)
    assert gate.skipped == scan.skipped
