"""Every rule the validator reports, as a unit (as yamllint's rules are): its id, its level, the group
CONTRIBUTING.md lists it under, what it means and what to do, an entry that breaks it and the nearest
entry that does not. load, schema, validate and coverage report problems only under the constants
defined here (a test refuses a rule id written as a string there); CONTRIBUTING.md's list of rules
is generated from this registry (``briefing rules --update CONTRIBUTING.md``), and
tests/test_rules.py runs every example through the real loader and validator."""

# ruff: noqa: E501  (the explanations quote real output lines, which are as long as they are)

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Example:
    """An entry that shows a rule: the valid sample entry of ``kind`` (tests/samples.py: SOURCE, or
    ACTOR) with each (old, new) of ``edits`` made once, or ``text`` as the whole file; written as
    entries/<kind>s/<name> beside the entries of the small test project (tests/fixtures/mini), whose
    archive holds doc1.txt. ``{sha}`` in an edit stands for doc1.txt's SHA-256. The rest change how
    it is written or read: ``encoding`` of the file, ``pad`` characters of comment appended, ``link``
    (the file is a symbolic link to that text), ``archive`` (False: the archive folder is missing),
    ``captures`` (the text of the archive's captures.yml, in a copy of the archive).
    A failing example reports its rule and no other but those in ``also``, which the change cannot
    help breaking too; a passing example reports nothing."""

    kind: str = "source"
    edits: tuple[tuple[str, str], ...] = ()
    text: str | None = None
    name: str = "case.yml"
    encoding: str = "utf-8"
    pad: int = 0
    link: bool = False
    archive: bool = True
    captures: str | None = None
    also: tuple[str, ...] = ()


SAMPLE = Example()  # the valid sample itself, the nearest valid variant of many a failing example


@dataclass(frozen=True)
class Rule:
    id: str
    level: str  # "error" fails validation; "note" is information only
    group: str  # a key of GROUPS: the heading CONTRIBUTING.md lists the rule under
    explanation: str  # Markdown: what the rule means and what to do; the first line follows "- **id**: "
    fails: tuple[Example, ...]
    passes: tuple[Example, ...] = (SAMPLE,)


GROUPS = {
    "yaml": "YAML: the file cannot be read as intended",
    "schema": "Schema: a field is missing, unknown or of the wrong kind",
    "dates": "Dates",
    "ids": "Ids and references between entries",
    "quotes": "Quotes and the archive",
    "content": "Content",
}

RULES: dict[str, Rule] = {}


def _rule(rule_id: str, group: str, explanation: str, fails: Example | tuple[Example, ...],
          passes: Example | tuple[Example, ...] = SAMPLE, level: str = "error") -> str:
    assert rule_id not in RULES and group in GROUPS and level in ("error", "note"), rule_id
    RULES[rule_id] = Rule(rule_id, level, group, explanation.strip("\n"),
                          fails if isinstance(fails, tuple) else (fails,),
                          passes if isinstance(passes, tuple) else (passes,))
    return rule_id


def _edit(*edits: tuple[str, str], kind: str = "source", **more: object) -> Example:
    return Example(kind=kind, edits=edits, **more)  # type: ignore[arg-type]


def _actor(*edits: tuple[str, str], **more: object) -> Example:
    return _edit(*edits, kind="actor", **more)


_TITLE = 'title: "A title"'
_DATE = 'date: "2020-03-02"'
_SHA = 'sha256: "{sha}"'
_PUBLISHED = ("status: draft", "status: published")
_SUMMARY = ('summary: ""', "summary: >-\n  " + " ".join(["word"] * 90))
_NOTED = ("capture_notes: []", 'capture_notes: ["Line 1 is the site navigation."]')
_QUOTE = ("actors:\n", '  - id: second\n    text: "{text}"\n    speaker: ada-quill\n    kind: {kind}\nactors:\n')


def _quote(text: str, kind: str = "direct") -> tuple[str, str]:
    """A second quote in the sample source."""
    return _QUOTE[0], _QUOTE[1].format(text=text, kind=kind)


def _furniture(lines: str) -> tuple[str, str]:
    return _SHA, _SHA + f'\n  furniture: [{{lines: "{lines}", what: "site navigation"}}]'


# --- YAML: the file cannot be read as intended ------------------------------------------------------

YAML_SYNTAX = _rule("yaml-syntax", "yaml", """
the file is not valid YAML, most often an unclosed quote or wrong indentation.
The position is where the reader gave up, which can be a line or two after the real mistake:

```
entries/sources/northern-sea-hotline-2025.yml:7:12: error: YAML syntax error: while parsing a block mapping, did not find expected key (that started at line 2, column 1) (yaml-syntax) - hint: check the indentation and quoting near this point
```

Here the title's closing `"` was missing. Indent with spaces (never tabs), two per level.
""", _edit((_TITLE, 'title: "A title')))

YAML_IMPLICIT_TYPE = _rule("yaml-implicit-type", "yaml", """
an unquoted value that YAML reads as something other than text. Dates,
numbers and words like `yes`, `no`, `on`, `off` must be in double quotes:

```
entries/sources/northern-sea-hotline-2025.yml:9:9: error: unquoted 2025-05-14 is read as a date by YAML, not as text (yaml-implicit-type) - hint: write "2025-05-14" in double quotes
```

(`true`/`false` are fine for yes/no fields such as `inferred`.)
""", _edit((_DATE, "date: 2020-03-02")))

YAML_DUPLICATE_KEY = _rule("yaml-duplicate-key", "yaml", """
the same field twice in one mapping; YAML would silently keep only the
last. Merge them.
""", _edit(("status: draft\n", "status: draft\nstatus: draft\n")))

YAML_ANCHOR = _rule("yaml-anchor", "yaml", """
`&anchors`, `*aliases` and `<<` merges are not allowed; write values out in full.
""", (_edit((_TITLE, 'title: &t "A title"')), _edit(("authors: []", "authors: [&a x, *a]"))))

YAML_TAG = _rule("yaml-tag", "yaml", """
`!tags` are not allowed; write values out in full.
""", _edit((_TITLE, "title: !!python/name:os.system x")))

ENCODING = _rule("encoding", "yaml", """
the file is not UTF-8; save it as UTF-8.
""", _edit((_TITLE, 'title: "Caf\u00e9"'), encoding="latin-1"), _edit((_TITLE, 'title: "Caf\u00e9"')))

EMPTY_FILE = _rule("empty-file", "yaml", """
the file is empty: fill it in, or delete it.
""", Example(text=""))

FILE_SIZE = _rule("file-size", "yaml", """
an entry is never larger than 1 MB: it describes one source; move long
texts out of it.
""", Example(pad=1_000_000), Example(pad=900_000))

FILE_READ = _rule("file-read", "yaml", """
the file cannot be read as an entry: a symbolic link (entries and their folders
must be real files in the repository; links are never followed, and the message never shows
where one points), an entries folder outside the project, or a file the system will not open.
The same for the archive folder the plugin's `archive` option names: a link, a hidden folder
(`.git`) or a folder outside the project is refused unread (`BRIEFING_ARCHIVE`, set by whoever
runs the build, may point anywhere).
""", Example(link=True))

TEXT_CONTROL_CHAR = _rule("text-control-char", "yaml", """
an invisible control character (an escape such as `\\x1b`). Delete it.
""", _edit((_TITLE, 'title: "A \\x1b[31mtitle"')))

TEXT_BIDI_CONTROL = _rule("text-bidi-control", "yaml", """
a bidirectional control (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F,
U+061C) that would reverse the text around it on the page. Delete it; right-to-left words
display correctly without it.
""", (_edit((_TITLE, 'title: "A title\\u202e"')), _actor(('name: "Case Person"', 'name: "Case \\u2067Person"'))))

YAML_BACKSLASH_QUOTE = _rule("yaml-backslash-quote", "yaml", """
`\\"` in text outside double quotes (after `>` or `|`, plain, or in
single quotes): YAML keeps the backslash there, and the page would show it. Write the quotation
mark alone; `\\"` is an escape only in double quotes.
""", (_edit((_TITLE, 'title: A \\"title\\"')), _edit((_TITLE, 'title: >-\n  A \\"title\\"'))),
    (_edit((_TITLE, 'title: A "title"')), _edit((_TITLE, 'title: "A \\"title\\""'))))

YAML_DEPTH = _rule("yaml-depth", "yaml", """
nesting deeper than any entry needs (32 levels).
""", _edit(("authors: []", "authors: " + "[" * 40 + "]" * 40), also=("schema-type",)), _edit(("authors: []", "authors: []")))

YAML_KEY = _rule("yaml-key", "yaml", """
a key that is not plain text (a list, a mapping or an empty key). Write a
field name.
""", _edit(("authors: []", "authors: []\n[a, b]: c")))

# --- Schema -------------------------------------------------------------------------------------------

SCHEMA_REQUIRED = _rule("schema-required", "schema", """
a required field is missing. The position is the mapping it belongs in:
add the field there.
""", _edit(("  precision: day\n", "")))

SCHEMA_UNKNOWN_FIELD = _rule("schema-unknown-field", "schema", """
a field the schema does not know, usually a typo. The hint names the
nearest known field:

```
entries/sources/northern-sea-hotline-2025.yml:2:1: error: the entry has no 'capture_notes' field (schema-required) - hint: add 'capture_notes:' here
entries/sources/northern-sea-hotline-2025.yml:41:1: error: unknown field 'capture_note' (schema-unknown-field) - hint: did you mean 'capture_notes'?
```
""", _edit(("capture_notes: []", "capture_notes: []\ncapture_note: []")))

SCHEMA_ENUM = _rule("schema-enum", "schema", """
the value must be one of a fixed list (`kind`, `precision`, `status`, ...):

```
entries/sources/northern-sea-hotline-2025.yml:33:11: error: 'quotes[2].kind' is 'reported', not one of: direct, fragment (schema-enum) - hint: use one of: direct, fragment
```

`quotes[2]` means the second quote in the list.
""", (_edit(("kind: newspaper", "kind: paper")), _actor(("kind: person", "kind: human"))))

SCHEMA_TYPE = _rule("schema-type", "schema", """
the value has the wrong shape, most often text where a list is expected:

```
entries/sources/northern-sea-hotline-2025.yml:39:9: error: 'topics' must be a list, not text (schema-type) - hint: write it as a list, each item on its own line starting with '- '
```

Write `topics: [security-councils]` or one `- item` per line.
""", _edit(("authors: []", 'authors: "Jane"')), _edit(("authors: []", 'authors: ["Jane"]')))

SCHEMA_PATTERN = _rule("schema-pattern", "schema", """
an id, date or SHA-256 written in the wrong form. Ids use lower-case
letters, digits and single hyphens; dates are `"YYYY"`, `"YYYY-MM"` or `"YYYY-MM-DD"`:

```
entries/sources/northern-sea-hotline-2025.yml:26:9: error: 'quotes[1].id' 'Direct_Line' is not an id (slug) (schema-pattern) - hint: use lower-case letters, digits and single hyphens, e.g. 'jane-doe'
```
""", (_edit(("  - id: first", "  - id: First"), also=("checks-skipped",)),
      _edit((_DATE, 'date: "2 March 2020"'), also=("checks-skipped",))))

SCHEMA_EMPTY = _rule("schema-empty", "schema", """
a field is there but has no value. Only a **draft** source may leave `title`
and `published` empty; a published one must fill them in:

```
entries/sources/northern-sea-hotline-2025.yml:4:7: error: 'title' is empty (schema-empty) - hint: fill it in; it may be left empty only while status is draft
```
""", _edit(('summary: ""', "summary:")))

SCHEMA_LENGTH = _rule("schema-length", "schema", """
the value is too long (ids have at most 80 characters).
""", _edit(("  - id: first", "  - id: " + "a" * 81), also=("checks-skipped",)),
    _edit(("  - id: first", "  - id: " + "a" * 80)))

CHECKS_SKIPPED = _rule("checks-skipped", "schema", """
the checks named in it did not run, because they read a value the
schema refused (named with its line). Fix the schema errors and validate again; every other check
has already run. A missing or empty value is left out of the note: its own error asks for it.
""", _edit(("kind: direct", "kind: verbatim"), also=("schema-enum",)), level="note")

# --- Dates --------------------------------------------------------------------------------------------

DATE_INVALID = _rule("date-invalid", "dates", """
not a real calendar date:

```
entries/sources/northern-sea-hotline-2025.yml:9:9: error: '2025-02-30' is not a real date: day is out of range for month (date-invalid) - hint: write "YYYY-MM-DD" with a real year, month and day
```
""", (_edit((_DATE, 'date: "2021-02-30"')), _actor(('as_of: "2020-03-02"', 'as_of: "2020-02-31"')),
       _actor(('as_of: "2020-03-02"', 'as_of: "0000"')), _edit((_DATE, 'date: "0000-01-01"'))),
    (_edit((_DATE, 'date: "2021-02-28"')), _actor(('as_of: "2020-03-02"', 'as_of: "0001"'))))

DATE_PRECISION = _rule("date-precision", "dates", """
the precision does not fit the way the date is written. `day` goes with
`"YYYY-MM-DD"`, `month` with `"YYYY-MM"`, `year` with `"YYYY"`; when you only know roughly, use
`precision: approximate` (with `not_before:`/`not_after:` if you can bound it):

```
entries/sources/northern-sea-hotline-2025.yml:10:14: error: precision 'month' does not fit the date '2025-05-14' (date-precision) - hint: a month date is written YYYY-MM; or use precision: approximate
```
""", _edit(("precision: day", "precision: month")), _edit(("precision: day", "precision: approximate")))


def _role(since: str, until: str) -> Example:
    return _actor(('as_of: "2020-03-02"', f'since: "{since}"\n    until: "{until}"'))


def _bound(key: str, value: str) -> Example:
    return _edit(("precision: day", f'precision: approximate\n  {key}: "{value}"'))


def _bounds(low: str, high: str) -> Example:
    return _edit((_DATE, 'date: "2020"'), ("precision: day", f'precision: approximate\n  not_before: "{low}"\n  not_after: "{high}"'))


DATE_RANGE = _rule("date-range", "dates", """
a role ends before it starts, or `not_before`/`not_after` contradict the date
or each other.
""", (_role("2020-03", "2020-01"), _bound("not_before", "2020-04"), _bound("not_after", "2020-02"), _bounds("2020-12", "2020-02")),
    (_role("2020-01", "2020-03"), _bound("not_before", "2020-02"), _bound("not_after", "2020-04"), _bounds("2020-02", "2020-12")))

INFERRED_BASIS = _rule("inferred-basis", "dates", """
`inferred: true` (a date or outlet worked out, not printed) needs a `basis:`
giving the evidence:

```
entries/sources/northern-sea-hotline-2025.yml:9:3: error: the date is marked inferred but gives no basis (inferred-basis) - hint: add 'basis:' with the evidence in the document
```
""", (_edit(("precision: day", "precision: day\n  inferred: true")),
      _edit(("kind: newspaper", "kind: newspaper\n  inferred: true"))),
    (_edit(("precision: day", 'precision: day\n  inferred: true\n  basis: "The dateline."')),
     _edit(("kind: newspaper", 'kind: newspaper\n  inferred: true\n  basis: "The masthead."'))))

# --- Ids and references between entries ---------------------------------------------------------------

ID_FILENAME = _rule("id-filename", "ids", """
an entry's `id` must equal its file name without `.yml`. Rename the file or fix
the id (never change the id of a published entry: it is its address).
""", _edit(("id: case", "id: other")))

ID_DUPLICATE = _rule("id-duplicate", "ids", """
two entries of the same kind, or two quotes or events in one file, share an id.
""", (_edit(_quote("historic", "fragment"), ("  - id: second", "  - id: first")),
      _edit(("id: case", "id: hotline-talks"), also=("id-filename",))),
    _edit(_quote("historic", "fragment")))

ID_RESERVED = _rule("id-reserved", "ids", """
an id the site uses for its own pages: `index` and `page-2`, `page-3`, ... (list
pages), and for actors `unknown` (quotes with no identified speaker). Choose another id.
""", (_actor(("id: case", "id: unknown"), name="unknown.yml"), _edit(("id: case", "id: page-2"), name="page-2.yml")))

ACTOR_DUPLICATE_NAME = _rule("actor-duplicate-name", "ids", """
an actor's name or alias is another actor's name or alias (ignoring
case, accents and spacing, and what a reader cannot see: a zero-width space or soft hyphen, a
Cyrillic or Greek letter that prints as a Latin one), so one person's quotes would be split over
two pages. The message names the first file; keep one actor and point quotes at its id, or make
the names tell them apart.
""", (_actor(('name: "Case Person"', 'name: "ADA  Qu\u00efll"')),
      _actor(('name: "Case Person"', 'name: "Case Person"\naliases: ["a. quill"]')),
      _actor(('name: "Case Person"', 'name: "Ada Qu\\u200bill"')), _actor(('name: "Case Person"', 'name: "Ad\u0430 Quill"')),
      _actor(('name: "Case Person"', 'name: "Ada Qui\\u00adll\\ufeff"'))),
    (_actor(('name: "Case Person"', 'name: "Case Person"\naliases: ["C. Person"]')),
     _actor(('name: "Case Person"', 'name: "\u0410\u0434\u0430 \u041a\u0432\u0438\u043b\u043b"'))))

REF_ACTOR = _rule("ref-actor", "ids", """
an id that no actor has. The hint suggests the nearest existing id, or
the command that creates the missing entry:

```
entries/sources/northern-sea-hotline-2025.yml:32:14: error: no actor has the id 'omar-hadad' (ref-actor) - hint: did you mean 'omar-haddad'?
```
""", (_edit(("speaker: ada-quill", "speaker: ada-quil")), _edit(("actors:\n", 'actors:\n  - id: ada-quil\n    role: "Adviser"\n'))))

REF_TOPIC = _rule("ref-topic", "ids", """
an id that no topic has. The hint suggests the nearest existing id, or
the file that would create it:

```
entries/sources/northern-sea-hotline-2025.yml:39:10: error: no topic has the id 'security-council' (ref-topic) - hint: did you mean 'security-councils'?
```
""", _edit(("topics: [diplomacy]", "topics: [trade]")))

REF_SOURCE = _rule("ref-source", "ids", """
an id that no source has, in an actor's role. It also appears when a
role cites a draft source whose title or date is still empty: it has no page yet, so fill the
draft in first.
""", _actor(("sources: [hotline-talks]", "sources: [hotline]")))

REFERENCE = {"actor": REF_ACTOR, "topic": REF_TOPIC, "source": REF_SOURCE}  # the rule of an id of each kind

# --- Quotes and the archive ---------------------------------------------------------------------------

QUOTE_FIDELITY = _rule("quote-fidelity", "quotes", """
the quote is not in the archived document character for character. The
hint shows the closest passage: compare them word by word (a dropped word, straight `'` against
curly `’` quotes, a changed spelling). Copy from the archive file, not from a web page.
A document is searched a bounded number of times for one entry's quotes (500 times for a
document of a megabyte); a quote past that is reported as not checked.
""", _edit(("our capitals,", "our capital,"), also=("quote-coverage",)),
    _edit(("between our capitals,", "between  our\\n capitals,")))

QUOTE_WORD_BOUNDARY = _rule("quote-word-boundary", "quotes", """
the quote starts or ends inside a word ("clear and ..." taken from
"unclear"). Take the whole word, or start after it.
""", (_edit(_quote("inisters agree")), _edit(_quote("Ministers agr"))), _edit(_quote("Ministers agree")))

QUOTE_PARAGRAPH = _rule("quote-paragraph", "quotes", """
the quote runs across paragraphs (lines of the capture). Quote each
paragraph on its own, or add `spans_paragraphs: "why"` to the quote when the quotation itself
continues into the next paragraph.
""", _edit(_quote("said Minister Ada Quill, adding that talks")), _edit(_quote("said Minister Ada Quill,")))

QUOTE_FURNITURE = _rule("quote-furniture", "quotes", """
the quote comes from a line the entry marks as page furniture
(`archive: furniture: [{lines: "25-31", what: "related links"}]`, numbered as `cat -n` shows).
""", _edit(_furniture("8-9")), _edit(_furniture("1-1")))

FURNITURE_LINES = _rule("furniture-lines", "quotes", """
a furniture range ends before it starts, goes past the document's last
line, or starts or ends on a blank line (count blank lines too, as `cat -n` does).
""", (_edit(_furniture("3-1")), _edit(_furniture("13-14")), _edit(_furniture("1-2"))), _edit(_furniture("1-1")))

QUOTE_TOO_SHORT = _rule("quote-too-short", "quotes", """
a quote needs two letters or digits, and a `direct` quote two words; one
word is a `fragment`.
""", (_edit(_quote("hotline")), _edit(_quote("a", "fragment"))), _edit(_quote("hotline", "fragment")))

QUOTE_COVERAGE = _rule("quote-coverage", "quotes", """
the document prints passages in quotation marks that no quote
captures. Quote them, or list them under `left_out:` with a `reason` (a quoted name, a title, a
word in scare quotes). `briefing coverage` lists them with their lines.
""", _edit(('  - text: "historic"\n    reason: "A fragment the sample does not need."\n', "")), level="note")

QUOTE_DUPLICATE = _rule("quote-duplicate", "quotes", """
the same words quoted twice in one entry; a quotation printed twice in the
document (a capture artefact) is one quote.
""", _edit(_quote("We have agreed on a hotline between our capitals,")), _edit(_quote("historic", "fragment")))

SPEAKER_NOTE = _rule("speaker-note", "quotes", """
a quote with `speaker: unknown` needs a `speaker_note` saying why the document
does not identify the speaker.
""", _edit(("speaker: ada-quill", "speaker: unknown")),
    _edit(("speaker: ada-quill", 'speaker: unknown\n    speaker_note: "The article names no one."')))

SPEAKER_LISTED = _rule("speaker-listed", "quotes", """
a quote's speaker is not among the source's `actors:`. Add them there with
their role in this document (what they do or are called in it):

```
entries/sources/northern-sea-hotline-2025.yml:25:14: error: the speaker 'northern-sea-forum' is not among this source's actors (speaker-listed) - hint: add northern-sea-forum to this source's actors (- id: northern-sea-forum) with its role: what it does or is called in this document
```
""", _edit(("speaker: ada-quill", "speaker: atlantis")),
    _edit(("speaker: ada-quill", "speaker: atlantis"), ("actors:\n", 'actors:\n  - id: atlantis\n    role: "A state"\n')))

ARCHIVE_FILE = _rule("archive-file", "quotes", """
the entry names a file that is not in the source archive; check the spelling,
or add the document to the archive.
""", _edit(('file: "doc1.txt"', 'file: "doc2.txt"')))

ARCHIVE_SHA256 = _rule("archive-sha256", "quotes", """
the archived file's fingerprint does not match the entry. Either the hash was
mistyped (copy it from `sha256sum FILE`) or the archived file changed, which must not happen:
ask before changing either.

```
entries/sources/northern-sea-hotline-2025.yml:14:11: error: SHA-256 does not match 005_7aa789f990c05e6f.txt (the file has 7aa789f990c0...) (archive-sha256) - hint: the archived file changed, or the hash was mistyped; `sha256sum 005_7aa789f990c05e6f.txt` prints the right one
```
""", _edit((_SHA, 'sha256: "' + "0" * 64 + '"')))

_RECORD = ('- file: "005_7aa789f990c05e6f.txt"\n  sha256: "' + "7a" * 32 + '"\n'
           '  url: "https://example.org/news/northern-sea-hotline"\n  captured: "2025-05-14"\n')

CAPTURE_RECORD = _rule("capture-record", "quotes", """
a record of `archive/captures.yml` (where each archived document came from,
written by `briefing archive add`) is not as that command writes it: a file name `NNN_` and 16
hexadecimal digits, its SHA-256, and, when known, a web address and dates (`YYYY-MM-DD`, not in
the future), with no other field. `briefing new source` copies a record's address and date
into the new entry, so a line break in one would write fields there; correct the record, or
write it again with `briefing archive add`.

```
archive/captures.yml:4:13: error: captured: '2025-05-14\\nstatus: published' is not a date: write YYYY-MM-DD (or YYYY-MM, YYYY) (capture-record) - hint: correct the record as `briefing archive add` writes it
```
""", (Example(captures=_RECORD.replace('"2025-05-14"', '"2025-05-14\\nstatus: published"')),
      Example(captures=_RECORD.replace('"https://', '"javascript://')),
      Example(captures=_RECORD + "  status: published\n")),
    (SAMPLE, Example(captures=_RECORD)))

ARCHIVE_MISSING = _rule("archive-missing", "quotes", """
the archive folder was not found. The folder `mkdocs.yml` names
(`archive/` in this repository) is always required, so a missing one is an error; so is a
folder named by `BRIEFING_ARCHIVE` (for a private archive kept elsewhere) that does not exist:

```
mkdocs.yml:0:0: error: the source archive /.../archive does not exist (archive-missing) - hint: the briefing plugin's 'archive' option names it: restore the folder (a clone has it), correct the option, or set BRIEFING_ARCHIVE
BRIEFING_ARCHIVE:0:0: error: the source archive /nowhere does not exist (archive-missing) - hint: point BRIEFING_ARCHIVE at the folder of archived documents
```

Only a project whose `mkdocs.yml` names no archive at all skips the quote and SHA-256 checks,
with a note saying so.
""", Example(archive=False))

# --- Content ------------------------------------------------------------------------------------------

SUMMARY_LENGTH = _rule("summary-length", "content", """
a published summary has 80-200 words. Keep `status: draft` until it is
written.
""", _edit(_PUBLISHED, _NOTED), _edit(_PUBLISHED, _NOTED, _SUMMARY))

CAPTURE_NOTES = _rule("capture-notes", "content", """
a published source says what its capture holds besides the article (page
furniture, a capture artefact), or that it holds the article alone, in `capture_notes`. Keep
`status: draft` until it does.
""", _edit(_PUBLISHED, _SUMMARY), _edit(_PUBLISHED, _SUMMARY, _NOTED))

URL_SCHEME = _rule("url-scheme", "content", """
`url` must be a full `https://` (or `http://`) address, or be left out.
""", (_edit(("authors: []", 'authors: []\nurl: "javascript:alert(1)"')),
      _edit(("authors: []", 'authors: []\nurl: "data:text/html,x"'))),
    _edit(("authors: []", 'authors: []\nurl: "https://example.org/"')))

URL_INVALID = _rule("url-invalid", "content", """
an address that cannot be taken apart (an unclosed `[`, a bad IPv6 address, a
port out of range or not a number, no host). Copy the address from the browser.
""", (_edit(("authors: []", 'authors: []\nurl: "http://[::1"')),
      _edit(("authors: []", 'authors: []\nurl: "https://example.org:99999/"')),
      _edit(("authors: []", 'authors: []\nurl: "https://:443/path"'))),
    _edit(("authors: []", 'authors: []\nurl: "https://example.org:8080/"')))

DRAFT_UNFILLED = _rule("draft-unfilled", "content", """
a draft with an empty `title` or `published`; it is left off the site
until they are filled in.
""", _edit((_TITLE, "title:")), level="note")

ACTOR_DESCRIPTION = _rule("actor-description", "content", """
an actor with no description yet; their page shows none.
""", _actor(('description: "Someone."', "description:")), Example(kind="actor"), level="note")


FILE_NAME = _rule("file-name", "content", """
a file in `entries/` that does not end in `.yml` is ignored; rename it
if it is an entry.
""", Example(name="case.yaml"), level="note")


def markdown() -> str:
    """CONTRIBUTING.md's list of rules: a heading per group, a bullet per rule, in registry order."""
    out: list[str] = []
    for group, heading in GROUPS.items():
        out += [f"### {heading}", ""]
        for rule in RULES.values():
            if rule.group != group:
                continue
            first, *rest = rule.explanation.split("\n")
            note = " (note)" if rule.level == "note" else ""
            out.append(f"- **{rule.id}**{note}: {first}")
            out += [f"  {line}" if line else "" for line in rest]
            if rule.explanation.endswith("```"):
                out.append("")  # an output block ends a rule: a blank line sets the next one apart
        if out[-1]:
            out.append("")
    return "\n".join(out)


BEGIN = ("<!-- The rules below are generated from scripts/briefing/rules.py: edit them there and run "
         "`briefing rules --update CONTRIBUTING.md`. -->")
END = "<!-- End of the generated rules. -->"


def with_rules(guide: str) -> str:
    """``guide`` (CONTRIBUTING.md's text) with the list between its BEGIN and END lines made anew."""
    start, end = guide.find(BEGIN + "\n"), guide.find("\n" + END)
    if start < 0 or end < start:
        raise ValueError(f"the guide has no line {BEGIN!r} followed by a line {END!r}")
    return guide[:start + len(BEGIN) + 1] + "\n" + markdown() + guide[end:]
