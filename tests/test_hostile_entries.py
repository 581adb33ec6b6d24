"""Hostile entries, round two: what a pull request's entry files could still do, each now a located error.

- symbolic links among the entries (and in the archive), followed wherever they pointed;
- ids that are the names of the generator's own list pages (index, page-2, ...);
- addresses urllib cannot take apart (a traceback instead of a problem);
- bidirectional controls, which reorder the page's text around an entry's value;
- look-alike actors, which split one person's quotes across two pages.
"""

from __future__ import annotations

import json
import os
import shutil
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, provisional, settings
from hypothesis import strategies as st

from briefing import schema
from briefing.archive import Archive
from briefing.exports import plan_exports
from briefing.load import load_bytes, load_entries, load_file
from briefing.model import SiteInfo, actor_from, build_corpus, source_from, topic_from
from briefing.problems import errors
from briefing.render import render_site
from briefing.synthetic import write_corpus
from briefing.validate import validate_entries

from conftest import MINI, briefing
from samples import ACTOR, SOURCE

ARCHIVE = Archive(MINI / "archive")
_MINI_FILES = load_entries(MINI / "entries", MINI)
TOPIC = 'id: case\nname: "Case topic"\ndescription: "A topic."\n'
SAMPLES = {"source": SOURCE, "actor": ACTOR, "topic": TOPIC}
SECRET = "ghp_0123456789abcdefSECRET"


def problems_for(kind: str, raw: str | bytes, name: str = "case", problems: bool = False):
    """Validate ``raw`` as entries/<kind>s/<name>.yml beside the mini project's entries: its
    (line, column, rule) triples, or with ``problems`` the Problems themselves."""
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    entry = load_bytes(data, MINI / "entries" / f"{kind}s" / f"{name}.yml", kind, f"entries/{kind}s/{name}.yml")
    found = [p for p in validate_entries(_MINI_FILES + [entry], ARCHIVE) if p.path == entry.path]
    return found if problems else [(p.line, p.col, p.rule) for p in found]


def yaml_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar that reads back exactly as ``text``: everything but
    printable ASCII escaped, so no character can upset the YAML around it."""
    out = []
    for char in text:
        code = ord(char)
        if 0x20 <= code < 0x7f and char not in '"\\':
            out.append(char)
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def copy_mini(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(MINI, project)
    return project


def corpus_of(files):
    build = {"source": source_from, "actor": actor_from, "topic": topic_from}
    made = {kind: [build[kind](f.data, f.path) for f in files if f.kind == kind] for kind in build}
    return build_corpus(made["source"], made["actor"], made["topic"])


def loaded_problems(project: Path, entries: Path | None = None):
    files = load_entries(entries or project / "entries", project)
    return files, validate_entries(files, Archive(project / "archive"))


# --- 5. symbolic links ------------------------------------------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the project holding what a link could reach: a YAML file full of a secret."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.yml").write_text(f'id: secret\nname: "{SECRET}"\nkind: {SECRET}\ndescription: "{SECRET}"\n')
    (folder / "topics").mkdir()
    (folder / "topics" / "secret.yml").write_text(f'id: secret\nname: "{SECRET}"\ndescription: "x"\n')
    return folder


# (what is linked, the link's place under entries/, where it points: a path under `outside`, or absolute)
LINKS = [
    ("a YAML file outside the project", "actors/leak.yml", "secret.yml"),
    ("the process environment", "actors/leak.yml", "/proc/self/environ"),
    ("another entry, inside entries/", "actors/leak.yml", "ENTRY:actors/ada-quill.yml"),
    ("a link that leads nowhere", "actors/leak.yml", "missing.yml"),
    ("a folder inside a kind folder", "topics/more", "topics"),
    ("a link without .yml", "topics/leak", "secret.yml"),
]


@pytest.mark.parametrize("what,place,target", LINKS, ids=[c[0] for c in LINKS])
def test_a_symbolic_link_among_the_entries_is_refused_unread(what, place, target, tmp_path, outside):
    project = copy_mini(tmp_path)
    link = project / "entries" / place
    if target.startswith("ENTRY:"):
        link.symlink_to(project / "entries" / target[6:])
    else:
        link.symlink_to(target if target.startswith("/") else outside / target)
    files, problems = loaded_problems(project)
    assert [(p.path, p.line, p.col, p.rule) for p in problems] == [(f"entries/{place}", 1, 1, "file-read")]
    shown = problems[0].format() + problems[0].format_github()
    assert "symbolic link" in shown and problems[0].hint
    assert SECRET not in shown and str(outside) not in shown and "ada-quill" not in shown and "environ" not in shown
    linked = [f for f in files if f.path == f"entries/{place}"]
    assert len(linked) == 1 and linked[0].data is None and linked[0].text is None


def test_a_hidden_link_is_left_alone_as_every_hidden_file_is(tmp_path, outside):
    """Never read, so harmless; and editors make them (Emacs locks a file with a link '.#name.yml')."""
    project = copy_mini(tmp_path)
    (project / "entries" / "topics" / ".#diplomacy.yml").symlink_to("user@host.1234:1700000000")
    (project / "entries" / "topics" / ".leak.yml").symlink_to(outside / "secret.yml")
    files, problems = loaded_problems(project)
    assert problems == [] and len(files) == len(_MINI_FILES)


def test_a_kind_folder_that_is_a_link_is_refused_unread(tmp_path, outside):
    project = copy_mini(tmp_path)
    shutil.rmtree(project / "entries" / "topics")
    (project / "entries" / "topics").symlink_to(outside / "topics")
    files, problems = loaded_problems(project)
    assert ("entries/topics", 1, 1, "file-read") in [(p.path, p.line, p.col, p.rule) for p in problems]
    assert not [f for f in files if f.kind == "topic" and f.data is not None]
    assert all(SECRET not in p.format() and str(outside) not in p.format() for p in problems)


def test_an_entries_folder_that_is_a_link_or_lies_outside_the_project_is_refused(tmp_path, outside):
    project = copy_mini(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    shutil.move(project / "entries", elsewhere)
    (project / "entries").symlink_to(elsewhere)
    for entries in (project / "entries", elsewhere):  # as given, and as a caller that resolved it first
        files = load_entries(entries, project)
        assert [(p.line, p.col, p.rule) for f in files for p in f.problems] == [(1, 1, "file-read")]
        assert all(f.data is None for f in files)
        assert str(elsewhere) not in files[0].problems[0].format()
    inside = load_entries(project / "entries", tmp_path)  # the same folder, inside a wider project: a link still
    assert [p.rule for f in inside for p in f.problems] == ["file-read"]


def test_load_file_does_not_follow_a_link_put_in_an_entrys_place(tmp_path, outside):
    """load_entries lists the folder first; a link made after that is still not followed."""
    link = tmp_path / "late.yml"
    link.symlink_to(outside / "secret.yml")
    entry = load_file(link, "actor", "entries/actors/late.yml")
    assert entry.data is None and [(p.line, p.col, p.rule) for p in entry.problems] == [(1, 1, "file-read")]
    assert SECRET not in entry.problems[0].format()
    fifo = tmp_path / "fifo.yml"
    os.mkfifo(fifo)
    entry = load_file(fifo, "actor", "entries/actors/fifo.yml")  # would wait forever for a writer
    assert [(p.rule, p.message) for p in entry.problems] == [("file-read", "not a regular file")]


def test_validate_refuses_a_linked_entry_without_echoing_its_target(tmp_path, outside):
    project = copy_mini(tmp_path)
    (project / "entries" / "actors" / "leak.yml").symlink_to(outside / "secret.yml")
    for options in ([], ["--format", "github"]):
        result = briefing("validate", *options, cwd=project)
        assert result.returncode == 1
        output = result.stdout + result.stderr
        assert "entries/actors/leak.yml" in output and "file-read" in output
        assert SECRET not in output and str(outside) not in output


def test_an_archived_document_that_is_a_link_is_refused(tmp_path, outside):
    project = copy_mini(tmp_path)
    document = project / "archive" / "doc1.txt"
    (outside / "doc1.txt").write_bytes(document.read_bytes())  # the same bytes: only the link is wrong
    document.unlink()
    document.symlink_to(outside / "doc1.txt")
    archive = Archive(project / "archive")
    assert archive.sha256("doc1.txt") is None and archive.text("doc1.txt") is None
    problems = validate_entries(load_entries(project / "entries", project), archive)
    assert [(p.path, p.rule) for p in errors(problems)] == [("entries/sources/hotline-talks.yml", "archive-file")]
    assert str(outside) not in problems[0].format()


@pytest.mark.parametrize("how", ["a link", "a path outside", ".git"])
def test_an_archive_folder_that_is_a_link_or_lies_outside_the_project_is_refused_unread(how, tmp_path, outside):
    """The attacker's find: archive/ made a link to a folder outside (/etc, /proc/self), and a quote
    guessed at one of its files, printed up to 100 characters of it in a misquote's hint ("the
    password is hunter2") into the public CI log. The folder is refused, once, and never read."""
    project = copy_mini(tmp_path)
    (outside / "doc1.txt").write_bytes((project / "archive" / "doc1.txt").read_bytes())
    (outside / "notes.txt").write_text(f"the password is {SECRET}\n")
    entry = project / "entries" / "sources" / "hotline-talks.yml"
    entry.write_text(entry.read_text("utf-8").replace("quotes:\n", "quotes:\n  - id: guess\n    text: \"the password "
                                                      "is wrong\"\n    speaker: ada-quill\n    kind: direct\n", 1))
    if how == "a link":
        shutil.rmtree(project / "archive")
        (project / "archive").symlink_to(outside)
    elif how == ".git":  # inside the project, where the checkout keeps its credentials (round two's find)
        (project / ".git").mkdir()
        for name in ("doc1.txt", "notes.txt"):
            (project / ".git" / name).write_bytes((outside / name).read_bytes())
        config = project / "mkdocs.yml"
        config.write_text(config.read_text("utf-8").replace("archive: archive", "archive: .git"), "utf-8")
    else:
        config = project / "mkdocs.yml"
        config.write_text(config.read_text("utf-8").replace("archive: archive", f"archive: {outside}"), "utf-8")
    for options in ([], ["--format", "github"]):
        result = briefing("validate", *options, cwd=project)
        output = result.stdout + result.stderr
        assert result.returncode == 1 and "file-read" in output and "source archive folder" in output, output
        assert SECRET not in output and (how == "a path outside" or str(outside) not in output)
        assert "Traceback" not in output


# --- 6. ids that are the generator's own page names -------------------------------------------------


def _entry_with_id(kind: str, ident: str) -> str:
    return SAMPLES[kind].replace("id: case", f"id: {ident}", 1)


@pytest.fixture(scope="module")
def generated_names(tmp_path_factory) -> dict[str, set[str]]:
    """Every name the generator gives a file of its own in sources/, actors/ and topics/ (the first
    part of its path there), found by rendering a briefing whose lists split into several pages and
    whose busy actors and topics get listings: the names that are not an entry's own."""
    root = write_corpus(tmp_path_factory.mktemp("synthetic"), 6)
    corpus = corpus_of(load_entries(root / "entries", root))
    site = SiteInfo("t", "s", page_size=2)
    paths = list(render_site(corpus, site)) + [path for path, _ in plan_exports(corpus, site)]
    own = {"sources": set(corpus.source_by_id), "actors": set(corpus.actors), "topics": set(corpus.topics)}
    names: dict[str, set[str]] = {folder: set() for folder in own}
    nested = 0
    for path in paths:
        folder, _, rest = path.partition("/")
        if folder in names:
            first = rest.split("/")[0].removesuffix(".md")
            nested += "/" in rest
            if first not in own[folder]:
                names[folder].add(first)
    assert nested, "no actor or topic got a listing: the corpus is too small to show every generated name"
    assert {"index", "page-2"} <= names["sources"] and {"index", "page-2"} <= names["actors"], names
    assert "index" in names["topics"], names
    return names


@pytest.mark.parametrize("folder,kind", [("sources", "source"), ("actors", "actor"), ("topics", "topic")])
def test_every_name_the_renderer_uses_beside_entry_pages_is_refused_as_an_id(folder, kind, generated_names):
    for name in sorted(generated_names[folder]):
        found = problems_for(kind, _entry_with_id(kind, name), name)
        assert found == [(1, 5, "id-reserved")], (name, found)


@pytest.mark.parametrize("kind", ["source", "actor", "topic"])
@pytest.mark.parametrize("ident,expected", [
    ("index", [(1, 5, "id-reserved")]),
    ("page-2", [(1, 5, "id-reserved")]),
    ("page-1", [(1, 5, "id-reserved")]),  # never written today; a list renumbered could write it
    ("page-123", [(1, 5, "id-reserved")]),
    ("indexes", []), ("index-2", []), ("page", []), ("page-2a", []), ("pages-2", []), ("front-page-2", []),
])
def test_list_page_names_as_ids(kind, ident, expected):
    assert problems_for(kind, _entry_with_id(kind, ident), ident) == expected


def test_a_reserved_id_says_why_and_what_to_do():
    [problem] = problems_for("topic", _entry_with_id("topic", "index"), "index", problems=True)
    assert problem.format() == (
        "entries/topics/index.yml:1:5: error: topic id 'index' is the name of a page of the list of topics "
        "(topics/index); this topic's page would take its place (id-reserved) - hint: choose another id (the "
        "site names its list pages 'index', 'page-2', 'page-3', ...), and rename the file to match")


# --- 9. addresses urllib cannot take apart -----------------------------------------------------------

URL_LINE, URL_COL = 7, 6  # where SOURCE gets its url: after `authors: []`
URL_RULES = {"url-scheme", "url-invalid", "schema-empty", "text-control-char", "text-bidi-control"}


def _with_url(url: str) -> str:
    return SOURCE.replace("authors: []", f"authors: []\nurl: {yaml_quoted(url)}", 1)


@pytest.mark.parametrize("url,rule", [
    ("http://[::1", "url-invalid"),  # the example: ValueError from urlsplit
    ("https://[::1/path", "url-invalid"),
    ("http://]/", "url-invalid"),
    ("http://[not-an-address]/", "url-invalid"),
    ("https://example.org:99999/", "url-invalid"),  # .port raises
    ("https://example.org:http/", "url-invalid"),
    ("https://\uff03@example.org/", "url-invalid"),  # NFKC would change the host
    ("https://ex\u2100ample.org/", "url-invalid"),
    ("https://:443/", "url-invalid"),  # no host
    ("https://user@/", "url-invalid"),
    ("javascript://[::1", "url-invalid"),
    ("ftp://example.org/", "url-scheme"),
    ("https://exa mple.org/", "url-scheme"),
    ("https://example.org/\u202egpj.exe", "text-bidi-control"),
    ("https://[::1]:8080/path?q=1#x", None),
    ("https://example.org:443/a%20b", None),
    ("http://[v1.fe]/", None),
])
def test_url_rule(url, rule):
    found = problems_for("source", _with_url(url))
    assert found == ([(URL_LINE, URL_COL, rule)] if rule else []), found


def test_a_broken_url_hides_no_other_problem():
    text = _with_url("http://[::1").replace("speaker: ada-quill", "speaker: ada-quil")
    assert problems_for("source", text) == [(URL_LINE, URL_COL, "url-invalid"), (19, 14, "ref-actor")]


def _url_fields(node, where=()) -> set[tuple[str, ...]]:
    found = set()
    if isinstance(node, dict):
        for key, sub in node.get("properties", {}).items():
            if "url" in key.lower() or "uri" in key.lower():
                found.add(where + (key,))
            found |= _url_fields(sub, where + (key,))
        for key in ("items", "then", "else"):
            if isinstance(node.get(key), dict):
                found |= _url_fields(node[key], where)
        for name, sub in node.get("$defs", {}).items():
            found |= _url_fields(sub, where + ("$defs", name))
    return found


def test_the_property_below_covers_every_url_field():
    fields = {(kind,) + where for kind in SAMPLES for where in _url_fields(schema.load_schema(kind))}
    assert fields == {("source", "url")}, "a new address field: feed it to test_any_url_ends_in_problems_on_its_line"


_URL_PARTS = st.sampled_from(list("[]:@/?#%.-_~!$&'()*+,;= aZ19") + [
    "::1", "[::1]", "v1.x", "65535", "65536", "-1", "\uff03", "\u2100", "\u0130", "\u00df", "\u202e", "\u200f",
    "\x00", "\x7f", "\x85", "\n", "\t", "\u2028", "\ud7ff", "\U0001f600", "xn--", "%00"])
_URLISH = st.builds(
    lambda scheme, sep, parts, tail: scheme + sep + "".join(parts) + tail,
    st.sampled_from(["http", "https", "HTTPS", "ftp", "javascript", "data", "file", ""]),
    st.sampled_from(["://", ":", "//", ":///", ""]), st.lists(_URL_PARTS, max_size=10), st.text(max_size=12))
ANY_URL = st.one_of(_URLISH, provisional.urls(), st.text(max_size=60))


def _all_the_way(files) -> None:
    """What validates must also build: the corpus, every page and every export."""
    corpus = corpus_of(files)
    site = SiteInfo("t", "s")
    render_site(corpus, site)
    for _, make in plan_exports(corpus, site):
        "".join(make())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_URL)
def test_any_url_ends_in_problems_on_its_line(url):
    entry = load_bytes(_with_url(url).encode("utf-8"), MINI / "entries" / "sources" / "case.yml", "source",
                       "entries/sources/case.yml")
    problems = validate_entries(_MINI_FILES + [entry], ARCHIVE)  # never an exception
    found = {(p.line, p.col, p.rule) for p in problems if p.path == entry.path}
    assert {(line, col) for line, col, _ in found} <= {(URL_LINE, URL_COL)}, (url, found)
    assert {rule for _, _, rule in found} <= URL_RULES, (url, found)
    assert [p for p in errors(problems) if p.path != entry.path] == []
    if not errors(problems):
        assert entry.data["url"] == url
        _all_the_way(_MINI_FILES + [entry])


# --- 11. bidirectional controls ----------------------------------------------------------------------

BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
        "\u200e", "\u200f", "\u061c"]
# (kind, text in the sample, its replacement with {} for the text holding the control, line, column)
BIDI_FIELDS = [
    ("source", 'title: "A title"', 'title: "A title{} 2 March 2020"', 3, 8),
    ("source", 'title: "A title"', "title: >\n  A title{}", 3, 8),  # raw in a folded block
    ("source", "authors: []", "authors: [Ada{}]", 6, 11),  # raw in a plain text
    ("source", 'role: "Minister"', 'role: "Minister{}"', 22, 11),
    ("source", "capture_notes: []", 'capture_notes: ["x{}"]', 25, 17),
    ("source", "authors: []", 'authors: []\nurl: "https://example.org/{}"', 7, 6),
    ("actor", 'name: "Case Person"', 'name: "Case{} Person"', 2, 7),
    ("actor", 'name: "Case Person"', 'name: "Case Person"\naliases: ["CP{}"]', 3, 11),
    ("actor", 'description: "Someone."', 'description: "Some{}one."', 4, 14),
    ("topic", 'description: "A topic."', 'description: "A topic.{}"', 3, 14),
]


@pytest.mark.parametrize("kind,old,new,line,col", BIDI_FIELDS, ids=[f"{f[0]}:{f[2].split(':')[0]}{i}"
                                                                    for i, f in enumerate(BIDI_FIELDS)])
@pytest.mark.parametrize("escaped", [False, True], ids=["raw", "escaped"])
def test_a_bidirectional_control_is_refused_where_it_is(kind, old, new, line, col, escaped):
    for char in BIDI:
        written = f"\\u{ord(char):04x}" if escaped and '"' in new else char
        text = SAMPLES[kind].replace(old, new.format(written), 1)
        found = problems_for(kind, text, problems=True)
        assert [(p.line, p.col, p.rule) for p in found] == [(line, col, "text-bidi-control")], (hex(ord(char)), found)
        assert char not in found[0].format(), "the message would reorder the terminal's line too"
        assert f"U+{ord(char):04X}" in found[0].message and unicodedata.name(char) in found[0].message


@pytest.mark.parametrize("text", [
    "\u0645\u062d\u0645\u062f \u062c\u0648\u0627\u062f \u0638\u0631\u06cc\u0641",  # Arabic script, no controls
    "\u05e9\u05dc\u05d5\u05dd 2020",  # Hebrew, then digits
    "zero\u200bwidth, joiner\u200d, non\u00a0breaking, soft\u00adhyphen",  # invisible but not bidi controls
])
def test_right_to_left_text_itself_is_accepted(text):
    assert problems_for("actor", ACTOR.replace('"Case Person"', json.dumps(text, ensure_ascii=False))) == []


def test_a_control_in_every_free_text_field_is_refused_on_its_line(tmp_path):
    """The issue's payload in every free-text field of every kind (hostile.py's fields): one problem per
    text that holds it, where that text starts."""
    from hostile import write_payload_project
    project = write_payload_project(tmp_path / "p", ["said 2 March 2020 \u202e"])
    files, problems = loaded_problems(project)
    expected = set()
    for entry in files:
        if entry.text is None or "\u202e" not in entry.text:
            continue
        for node in _scalars(yaml.compose(entry.text)):
            if "\u202e" in node.value:
                expected.add((entry.path, node.start_mark.line + 1, node.start_mark.column + 1, "text-bidi-control"))
    assert len(expected) >= 30
    assert {(p.path, p.line, p.col, p.rule) for p in errors(problems)} == expected


def _scalars(node):
    if isinstance(node, yaml.MappingNode):
        for _key, value in node.value:
            yield from _scalars(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item)
    elif isinstance(node, yaml.ScalarNode):
        yield node


# --- 12. look-alike actors ---------------------------------------------------------------------------

# The mini project's ada-quill.yml: name "Ada Quill" (line 3), aliases "A. Quill", "Ada O'Quill" (line 5).
ADA = "entries/actors/ada-quill.yml"
LOOK_ALIKES = [
    ("the same name", 'name: "Ada Quill"', (2, 7),
     f"the name 'Ada Quill' is the same as the name 'Ada Quill' of {ADA}:3"),
    ("another case", 'name: "ADA QUILL"', (2, 7), f"of {ADA}:3"),
    ("accents", 'name: "\u00c1d\u00e0 Q\u00fc\u00efll"', (2, 7), f"of {ADA}:3"),
    ("combining accents", 'name: "A\u0301da Quill"', (2, 7), f"of {ADA}:3"),
    ("spacing", 'name: "  Ada \\t\u00a0 Quill "', (2, 7), f"of {ADA}:3"),
    ("full-width letters", 'name: "\uff21\uff44\uff41 \uff31\uff55\uff49\uff4c\uff4c"', (2, 7), f"of {ADA}:3"),
    ("name is another's alias", 'name: "ada o\'quill"', (2, 7), f"the alias 'Ada O'Quill' of {ADA}:5"),
    ("alias is another's name", 'name: "Case Person"\naliases: ["Someone", "ada quill"]', (3, 22),
     f"the alias 'ada quill' is the same as the name 'Ada Quill' of {ADA}:3"),
    ("alias is another's alias", 'name: "Case Person"\naliases: ["a. quill"]', (3, 11), f"alias 'A. Quill' of {ADA}:5"),
    ("the unidentified speaker's name", 'name: "Unidentified Speaker"', (2, 7), "speaker of a quote whose speaker"),
]


@pytest.mark.parametrize("what,name_lines,at,said", LOOK_ALIKES, ids=[c[0] for c in LOOK_ALIKES])
def test_a_look_alike_actor_is_flagged_naming_both_files(what, name_lines, at, said):
    text = ACTOR.replace('name: "Case Person"', name_lines, 1)
    found = problems_for("actor", text, "zz-case", problems=True)
    found = [p for p in found if p.rule != "id-filename"]  # the sample's id is 'case'
    assert [(p.line, p.col, p.rule) for p in found] == [(*at, "actor-duplicate-name")], found
    assert said in found[0].message and found[0].hint


@pytest.mark.parametrize("name_lines", [
    'name: "Ada Quills"', 'name: "Ada Quill Jr"', 'name: "Adaquill"', 'name: "Ada-Quill"',
    'name: "Case Person"\naliases: ["CASE PERSON", "Case  Person"]',  # its own name again: no second page
])
def test_names_that_only_resemble_another_or_repeat_their_own_pass(name_lines):
    text = ACTOR.replace('name: "Case Person"', name_lines, 1)
    assert problems_for("actor", text, "case") == []


def test_the_later_file_is_flagged_whichever_it_is(tmp_path):
    project = copy_mini(tmp_path)
    (project / "entries" / "actors" / "aaa.yml").write_text(ACTOR.replace("id: case", "id: aaa").replace(
        '"Case Person"', '"ADA QUILL"'))
    _, problems = loaded_problems(project)
    assert [p.format() for p in errors(problems)] == [
        f"{ADA}:3:7: error: the name 'Ada Quill' is the same as the name 'ADA QUILL' of entries/actors/aaa.yml:2 "
        "(ignoring case, accents and spacing) (actor-duplicate-name) - hint: if both are one actor, keep "
        "entries/actors/aaa.yml and point this actor's quotes and mentions at its id; if not, write the names "
        "so they tell the two apart"]


def test_validate_names_both_files_on_the_command_line(tmp_path):
    project = copy_mini(tmp_path)
    (project / "entries" / "actors" / "quill.yml").write_text(ACTOR.replace("id: case", "id: quill").replace(
        '"Case Person"', '"Ada  Qu\u00efll"'))
    result = briefing("validate", cwd=project)
    assert result.returncode == 1
    assert ("entries/actors/quill.yml:2:7: error: the name 'Ada  Qu\u00efll' is the same as the name 'Ada Quill' "
            f"of {ADA}:3") in result.stdout
