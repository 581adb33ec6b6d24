"""Hostile and broken entries: each one a located error, or inert text a reader sees as written.

The payloads (tests/hostile.py) go into every free-text field of every entry kind and through
the whole pipeline to HTML, which is compared with the same project built from plain words:
the pages must have exactly the same elements and attributes. Fields that only take ids,
dates, enums or URLs must refuse every payload with an error on the payload's line.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.archive import Archive
from briefing.load import load_bytes, load_entries, load_file
from briefing.model import SiteInfo, actor_from, build_corpus, source_from, topic_from
from briefing.problems import errors
from briefing.render import render_site
from briefing.validate import validate_entries

from conftest import MINI, StaticServer, run
from hostile import FIELDS, HOSTILE_URL, NOT_SHOWN, PAYLOADS, normalize, shape, tag, value, write_payload_project
from samples import ACTOR, SOURCE

ARCHIVE = Archive(MINI / "archive")
_MINI_FILES = load_entries(MINI / "entries", MINI)


def problems_for(kind: str, raw: str | bytes, name: str = "case") -> list[tuple[int, int, str]]:
    """Validate ``raw`` as entries/<kind>s/<name>.yml beside the mini project's entries."""
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    entry = load_bytes(data, MINI / "entries" / f"{kind}s" / f"{name}.yml", kind, f"entries/{kind}s/{name}.yml")
    problems = validate_entries(_MINI_FILES + [entry], ARCHIVE)
    return [(p.line, p.col, p.rule) for p in problems if p.path == entry.path]


def quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a YAML double-quoted scalar


# --- fields that take ids, dates, enums or addresses refuse every payload --------------------------

# (kind, text in the sample, replacement with {} for the quoted payload, line, column)
RESTRICTED = [
    ("source", "id: case", "id: {}", 1, 5),
    ("source", "status: draft", "status: {}", 2, 9),
    ("source", "  kind: newspaper", "  kind: {}", 5, 9),
    ("source", 'date: "2020-03-02"', "date: {}", 8, 9),
    ("source", "precision: day", "precision: {}", 9, 14),
    ("source", 'file: "doc1.txt"', "file: {}", 11, 9),
    ("source", "sha256: ", 'sha256: {}\n  x: ', 12, 11),
    ("source", "  - id: first", "  - id: {}", 16, 9),
    ("source", "speaker: ada-quill", "speaker: {}", 18, 14),
    ("source", "kind: direct", "kind: {}", 19, 11),
    ("source", "  - id: ada-quill", "  - id: {}", 21, 9),
    ("source", "topics: [diplomacy]", "topics: [{}]", 23, 10),
    ("source", "authors: []", "authors: []\nurl: {}", 7, 6),
    ("actor", "id: case", "id: {}", 1, 5),
    ("actor", "kind: person", "kind: {}", 3, 7),
    ("actor", 'as_of: "2020-03-02"', "as_of: {}", 7, 12),
    ("actor", "sources: [hotline-talks]", "sources: [{}]", 8, 15),
]
SAMPLES = {"source": SOURCE, "actor": ACTOR}


def _restricted_text(kind: str, old: str, new: str, payload: str) -> str:
    sample = SAMPLES[kind]
    assert old in sample
    if old == "sha256: ":  # replace the whole value, keep the rest of the sample valid
        line = next(x for x in sample.splitlines() if x.strip().startswith("sha256: "))
        return sample.replace(line, f"  sha256: {quoted(payload)}", 1)
    return sample.replace(old, new.format(quoted(payload)), 1)


@pytest.mark.parametrize("kind,old,new,line,col", RESTRICTED, ids=[f"{r[0]}:{r[2].split(':')[0].strip(' -')}"
                                                                   for r in RESTRICTED])
def test_restricted_fields_refuse_every_payload_on_its_line(kind, old, new, line, col):
    for payload in PAYLOADS:
        found = problems_for(kind, _restricted_text(kind, old, new, payload))
        # the refusal, and at most the note naming the checks that wait for the refused value
        refused = [p for p in found if p[2] != "checks-skipped"]
        assert refused and set(refused) == {(line, col, refused[0][2])}, (payload, found)
        assert set(found) - set(refused) <= {(line, col, "checks-skipped")}, (payload, found)
        found = refused
        assert found[0][2] in {"schema-pattern", "schema-enum", "url-scheme", "schema-length"}, (payload, found)


# --- ids -------------------------------------------------------------------------------------------

HOSTILE_IDS = [
    "../ada-quill", "ada/quill", "ada\\quill", "/etc/passwd", ".", "..", "ada.quill", ".hidden", "case.yml",
    "ada-qu\u0456ll",  # Cyrillic i
    "\u0430da-quill",  # Cyrillic a
    "ada\u2010quill", "ada\u2212quill", "\uff41da-quill", "ada-quill\u200b", "ada-quill\n", "ada\x00quill",
    "ADA-QUILL", "ada_quill", "ada quill", "-ada", "ada-", "ada--quill", "", "a" * 81, "ada%2fquill",
    "ada-quill#x", "ada-quill?x", "<script>", "{{ id }}",
]


@pytest.mark.parametrize("kind,old,new,line,col", [r for r in RESTRICTED if "id" in r[2] or "speaker" in r[2]
                                                   or r[2].startswith(("topics", "sources"))])
def test_hostile_ids_are_refused_on_their_line(kind, old, new, line, col):
    for ident in HOSTILE_IDS:
        found = problems_for(kind, _restricted_text(kind, old, new, ident))
        assert {(line, col)} == {(ln, c) for ln, c, _ in found}, (ident, found)
        assert {rule for _, _, rule in found} <= {"schema-pattern", "schema-empty", "schema-length",
                                                    "text-control-char", "checks-skipped"}, (ident, found)


@pytest.mark.parametrize("file_name,ident,expected", [
    ("ada.quill", "ada.quill", [(1, 5, "schema-pattern"), (1, 5, "checks-skipped")]),
    ("ada-qu\u0456ll", "ada-qu\u0456ll", [(1, 5, "schema-pattern"), (1, 5, "checks-skipped")]),
    ("ada-qu\u0456ll", "ada-quill", [(1, 5, "id-duplicate"), (1, 5, "id-filename")]),
    ("Ada-Quill", "ada-quill", [(1, 5, "id-duplicate"), (1, 5, "id-filename")]),
])
def test_file_names_that_look_like_an_id(file_name, ident, expected):
    text = ACTOR.replace("id: case", f"id: {quoted(ident)}")
    assert problems_for("actor", text, file_name) == expected


@pytest.mark.parametrize("kind,text,existing", [
    ("topic", 'id: diplomacy\nname: "Again"\ndescription: "x"\n', "entries/topics/diplomacy.yml"),
    ("source", SOURCE.replace("id: case", "id: hotline-talks"), "entries/sources/hotline-talks.yml"),
])
def test_duplicate_ids_across_files_of_every_kind(kind, text, existing, tmp_path):
    entries = tmp_path / "entries"
    import shutil
    shutil.copytree(MINI / "entries", entries)
    (entries / f"{kind}s" / "zz-copy.yml").write_text(text, "utf-8")  # the later file is flagged
    problems = validate_entries(load_entries(entries, tmp_path), ARCHIVE)
    dup = [p for p in problems if p.rule == "id-duplicate"]
    assert [(p.path, p.line, p.col) for p in dup] == [(f"entries/{kind}s/zz-copy.yml", 1, 5)]
    assert existing in dup[0].message


# --- YAML surprises beyond tests/test_validate.py ----------------------------------------------------

@pytest.mark.parametrize("written,rules", [
    ("Yes", {"yaml-implicit-type"}), ("off", {"yaml-implicit-type"}), ("0x1F", {"yaml-implicit-type"}),
    ("1_000", {"yaml-implicit-type"}), ("190:20:30", {"yaml-implicit-type"}),
    (".inf", {"yaml-implicit-type"}), ("017", {"yaml-implicit-type"}),
    ("2001-12-14t21:59:43.10-05:00", {"yaml-implicit-type"}), ("~", {"draft-unfilled"}), ("null", {"draft-unfilled"}),
    ("", {"draft-unfilled"}), ("=", {"yaml-tag"}), ("!!binary aGVsbG8=", {"yaml-tag"}), ("!custom x", {"yaml-tag"}),
    ("!!set {a: null}", {"yaml-tag", "draft-unfilled"}), ("[a, b]", {"schema-type"}), ("{a: b}", {"schema-type"}),
    # YAML 1.2 forms PyYAML reads as text, as a reader would
    ("0o17", set()), ("-.NaN", set()), ("1e3", set()), ("y", set()),
    ('"\\e[31mred"', {"text-control-char"}), ('"bell\\a"', {"text-control-char"}), ('"nul\\0"', {"text-control-char"}),
    ('"\\x85next line"', {"text-control-char"}),
])
def test_yaml_1_1_and_odd_values_in_a_text_field(written, rules):
    text = SOURCE.replace('title: "A title"', f"title: {written}")
    found = problems_for("source", text)
    # a draft may leave its title empty for now (draft-unfilled, on the line of status: draft)
    assert {rule for _, _, rule in found} == rules, found
    assert {(line, col) for line, col, _ in found} <= {(3, 8), (2, 9)}, found


@pytest.mark.parametrize("raw,expected", [
    (b"%YAML 1.1\n---\nid: case\nname: x\ndescription: y\n", []),
    (b"id: case\n---\nid: other\n", [(2, 1, "yaml-syntax")]),
    (b"? [a, b]\n: c\nid: case\nname: x\ndescription: y\n", [(1, 3, "yaml-key")]),
    (b"id: case\n<<: {name: x}\ndescription: y\nname: z\n", [(2, 1, "yaml-anchor")]),
    (b"id: case\nname: x\ndescription: y\n1: z\n", [(4, 1, "schema-unknown-field")]),
    (b"id: case\nname: x\nname: y\ndescription: z\n", [(3, 1, "yaml-duplicate-key")]),
    (b"id: case\nname: {a: b, a: c}\ndescription: z\n", [(2, 7, "schema-type"), (2, 14, "yaml-duplicate-key")]),
    (b"id: case\nname: x\x00\ndescription: z\n", [(2, 8, "yaml-syntax")]),
    (b"id: case\rname: x\rdescription: y\rwhat: z\r", [(4, 1, "schema-unknown-field")]),
    (b"id: case\r\nname: x\r\ndescription: |\r\n  one\r\n\r\n  two\r\n", []),
    (b"id: case\nname: \"a\tb\"\ndescription: c\td\n", []),
    (b"\xff\xfei\x00d\x00:\x00", [(1, 1, "encoding")]),
    (b"\xef\xbb\xbf\xef\xbb\xbfid: case\n", [(1, 1, "schema-required")] * 2),  # both marks skipped: no name
    (b"---\n", [(1, 1, "empty-file")]),
    (b"   \n\n\t\n", [(3, 1, "yaml-syntax")]),
    (b"...\n", [(1, 1, "yaml-syntax")]),
    (b"'just text'\n", [(1, 1, "schema-type")]),
    (b"".join(b"  " * i + b"k:\n" for i in range(40)), [(1, 1, "schema-required"), (1, 1, "schema-required"),
                                                        (1, 1, "schema-required"), (1, 1, "schema-unknown-field"),
                                                        (34, 67, "yaml-depth")]),
    (b"[" * 60000 + b"]" * 60000, [(1, 34, "yaml-depth")]),  # composing this would crash the interpreter
    (b"- " * 60000 + b"x\n", [(1, 67, "yaml-depth")]),
    (b"{a: " * 30000 + b"x" + b"}" * 30000, [(1, 133, "yaml-depth")]),
])
def test_broken_files_beyond_test_validate(raw, expected):
    found = problems_for("topic", raw)
    assert sorted(found) == sorted(expected)


def test_a_ten_megabyte_file_is_refused_without_reading_it_all(tmp_path):
    big = tmp_path / "big.yml"
    with open(big, "wb") as handle:
        handle.write(b"id: big\nname: x\ndescription: |\n")
        handle.truncate(10 * 1024 * 1024)
    entry = load_file(big, "topic", "entries/topics/big.yml")
    assert [(p.line, p.col, p.rule) for p in entry.problems] == [(1, 1, "file-size")]
    assert "10,485,760 bytes" in entry.problems[0].message


def test_a_file_just_under_the_limit_loads(tmp_path):
    text = 'id: case\nname: "x"\ndescription: "' + "word " * 190_000 + '"\n'
    assert problems_for("topic", text) == []


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/null", "missing.yml"])
def test_an_entry_that_is_no_regular_file_is_refused(target, tmp_path):
    entries = tmp_path / "entries"
    (entries / "topics").mkdir(parents=True)
    (entries / "topics" / "odd.yml").symlink_to(target)
    files = load_entries(entries, tmp_path)
    assert [(p.path, p.line, p.rule) for f in files for p in f.problems] == [("entries/topics/odd.yml", 1, "file-read")]


# --- property-based: any input ends in problems or success ------------------------------------------

SMALL = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KINDS = st.sampled_from(["source", "actor", "topic"])


def _all_the_way(kind: str, raw: bytes) -> None:
    """What any input must give: problems located inside the file, told in one safe line each; or,
    when nothing is wrong, pages, the same ones each time they are made."""
    path = f"entries/{kind}s/case.yml"
    entry = load_bytes(raw, MINI / "entries" / f"{kind}s" / "case.yml", kind, path)
    problems = validate_entries(_MINI_FILES + [entry], ARCHIVE)
    lines = len(re.split("\r\n|[\r\n\x85\u2028\u2029]", raw.decode("utf-8", "replace")))  # YAML's line breaks
    for p in problems:
        assert p.message and p.rule
        if p.path == path:  # where the reader's editor can go: a line of the file, a column from 1
            assert 1 <= p.line <= lines and p.col >= 1, (p.line, p.col, lines, p.rule)
        for told in (p.format(), p.format_github()):
            # One line, and nothing a terminal or a CI log would act on: no escape, no carriage return.
            assert "\n" not in told, told
            assert not set(told) & {"\x1b", "\r", "\x07", "\x9b"}, repr(told)
    if not errors(problems):  # whatever validates must also render, and the same way twice
        files = _MINI_FILES + [entry]

        def made() -> dict[str, str]:
            corpus = build_corpus([source_from(f.data, f.path) for f in files if f.kind == "source"],
                                  [actor_from(f.data, f.path) for f in files if f.kind == "actor"],
                                  [topic_from(f.data, f.path) for f in files if f.kind == "topic"])
            return render_site(corpus, SiteInfo("t", "s"))

        first = made()
        assert first and made() == first


@SMALL
@given(KINDS, st.binary(max_size=400))
def test_any_bytes_end_in_problems_or_success(kind, raw):
    _all_the_way(kind, raw)


@SMALL
@given(KINDS, st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_ends_in_problems_or_success(kind, text):
    _all_the_way(kind, text.encode("utf-8"))


_YAML_TEXT = st.sampled_from(["a", "", " ", "2020-03-02", "NO", "1", "&a x", "*a", "<b>", "[x]", "{", "\t", "ü",
                              "ada-quill", "diplomacy", "hotline-talks", "unknown", "day", "direct", "person"])
_KEYS = st.sampled_from(["id", "name", "kind", "description", "title", "status", "text", "speaker", "date",
                         "precision", "quotes", "events", "roles", "sources", "topics", "x", "<<"])
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), _YAML_TEXT,
                     st.text(max_size=20))
_TREES = st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.dictionaries(_KEYS, inner, max_size=6)), max_leaves=25)


@SMALL
@given(KINDS, st.dictionaries(_KEYS, _TREES, max_size=10), st.booleans())
def test_any_yaml_structure_ends_in_problems_or_success(kind, data, flow):
    _all_the_way(kind, yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True).encode("utf-8"))


def _paths(node, where=()):
    yield where
    if isinstance(node, dict):
        for key, item in node.items():
            yield from _paths(item, where + (key,))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _paths(item, where + (index,))


_VALID = {"source": yaml.safe_load(SOURCE), "actor": yaml.safe_load(ACTOR)}


@SMALL
@given(st.sampled_from(["source", "actor"]), st.data(), _TREES, st.booleans())
def test_a_valid_entry_with_one_value_changed_ends_in_problems_or_success(kind, draw, new, delete):
    """Closer to real mistakes than random trees: one field of a valid entry gets any value."""
    data = json.loads(json.dumps(_VALID[kind]))
    where = draw.draw(st.sampled_from([p for p in _paths(data) if p]))
    parent = data
    for part in where[:-1]:
        parent = parent[part]
    if delete and isinstance(parent, dict):
        del parent[where[-1]]
    else:
        parent[where[-1]] = new
    _all_the_way(kind, yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))


# --- payloads in every free-text field, all the way to HTML ----------------------------------------


def _build(project: Path, finder: bool) -> Path:
    out = project / "site"
    args = [sys.executable, "-m", "briefing.site", "--out", str(out), "--quiet"] + ([] if finder else ["--no-pagefind"])
    result = run(args, project)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def payload_sites(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    hostile = _build(write_payload_project(base / "hostile", PAYLOADS), finder=False)
    plain = _build(write_payload_project(base / "plain", [f"Plain words {i}" for i in range(len(PAYLOADS))]),
                   finder=False)
    return hostile, plain


def test_payload_entries_validate(tmp_path, no_archive_env):
    """The payloads are text, so they are accepted: the renderer must make them harmless."""
    project = write_payload_project(tmp_path / "p", PAYLOADS)
    result = run([sys.executable, "-m", "briefing.cli", "validate"], project)
    assert result.returncode == 0, result.stdout[-2000:]


def test_pages_with_payloads_have_exactly_the_elements_of_plain_pages(payload_sites):
    hostile, plain = payload_sites
    pages = sorted(p.relative_to(hostile) for p in hostile.rglob("*.html")) + \
        sorted(p.relative_to(hostile) for p in hostile.rglob("*.svg"))  # an SVG opened on its own runs scripts
    assert pages == sorted(p.relative_to(plain) for p in plain.rglob("*.html")) + \
        sorted(p.relative_to(plain) for p in plain.rglob("*.svg"))
    assert len(pages) >= 3 * len(PAYLOADS)
    for rel in pages:
        got, want = shape((hostile / rel).read_text("utf-8")), shape((plain / rel).read_text("utf-8"))
        got, want = _lines_uncounted(got.elements), _lines_uncounted(want.elements)
        assert got == want, (rel, got - want, want - got)


# A picture sets a label on as many lines (<text>, <tspan>) as its length needs, and a payload is
# longer than the plain words: those two elements are compared by kind (tag and attribute names),
# not by number. Every other element, in the pages and in the pictures, is counted.
LINES = {"text", "tspan"}


def _lines_uncounted(elements: Counter) -> Counter:
    return Counter({key: (1 if key[0] in LINES else n) for key, n in elements.items()})


def test_search_records_have_the_elements_of_plain_ones(payload_sites, monkeypatch):
    """The search's records (briefing.finder), as the little pages Pagefind reads: a payload in
    any field adds no element or attribute to them, only text."""
    from briefing.finder import finder_records, record_html
    from briefing.project import load_project, read_settings

    monkeypatch.delenv("BRIEFING_ARCHIVE", raising=False)
    hostile, plain = (load_project(read_settings(site.parent / "mkdocs.yml")).corpus for site in payload_sites)
    got, want = finder_records(hostile), finder_records(plain)
    assert len(got) == len(want) >= 3 * len(PAYLOADS)
    for a, b in zip(got, want, strict=True):
        assert (a.kind, len(a.quotes)) == (b.kind, len(b.quotes)), a.url
        assert shape(record_html(a)).elements == shape(record_html(b)).elements, a.url


URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "data", "poster", "xlink:href", "content",
                  "background", "cite"}


def test_no_address_carries_a_payload(payload_sites):
    """Text may sit in attribute values (aria-label, title) as long as it stays one value, which the
    element comparison shows; no address may come from an entry but the source's http(s) URL."""
    hostile, _ = payload_sites
    for page in hostile.rglob("*.html"):
        for tag_name, name, val in shape(page.read_text("utf-8")).attributes:
            if name not in URL_ATTRIBUTES or val.startswith("#") or val == HOSTILE_URL:
                continue  # an anchor is a slug made from heading text
            val = val.split("#")[0]
            assert "pwned" not in val and "evil.example" not in val, (page, tag_name, name, val)
            assert not val.lstrip().lower().startswith(("javascript:", "data:text")), (page, tag_name, name, val)


def test_every_payload_reads_as_written(payload_sites):
    hostile, _ = payload_sites
    texts = {}
    for page in hostile.rglob("*.html"):
        parsed = shape(page.read_text("utf-8"))
        texts[page] = parsed.text + " " + parsed.title
    everything = "\n".join(texts.values())
    missing, hidden_shown = [], []
    for index, payload in enumerate(PAYLOADS):
        for kind, field in FIELDS:
            shown = normalize(value(payload, index, kind, field)) in everything
            if (kind, field) in NOT_SHOWN:
                if tag(index, kind, field) in everything:
                    hidden_shown.append((kind, field))
            elif not shown:
                missing.append((index, kind, field))
    assert missing == [] and hidden_shown == []
    url_page = (hostile / "sources/payload-0/index.html").read_text("utf-8")
    assert normalize(HOSTILE_URL) in shape(url_page).text


def test_titles_read_as_written(payload_sites):
    hostile, _ = payload_sites
    for index, payload in enumerate(PAYLOADS):
        for folder, kind, field in [("sources/payload", "source", "title"), ("actors/payload-actor", "actor", "name"),
                                    ("topics/payload-topic", "topic", "name")]:
            page = hostile / f"{folder}-{index}/index.html"
            title = shape(page.read_text("utf-8")).title
            written = normalize(value(payload, index, kind, field))
            if kind == "source":  # the payload sources give a title_basis: a supplied title, shown in brackets
                written = f"[{written}]"
            assert normalize(title) == written + " - Mini briefing", page


# --- in a real browser -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def payload_server(tmp_path_factory):
    # One source, actor and topic carrying every payload at once keeps the page count small.
    project = write_payload_project(tmp_path_factory.mktemp("hostile-browser") / "p", [" ".join(PAYLOADS)])
    server = StaticServer(_build(project, finder=True))
    yield server.url, project / "site"
    server.stop()


@pytest.mark.browser
def test_no_payload_runs_in_the_browser(page, payload_server):
    url, site = payload_server
    dialogs, foreign, errors_seen = [], [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: foreign.append(r.url)
            if not r.url.startswith((url, "data:", "blob:", "about:")) else None)
    page.on("pageerror", lambda e: errors_seen.append(str(e)))
    paths = [p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")]
    paths = [p if p != "./" else "" for p in paths] + [p.relative_to(site).as_posix() for p in site.rglob("*.svg")]
    for path in paths:
        page.goto(f"{url}/{path}")
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__pwned") == "undefined", path
    # the header's search box renders its results from the search index: search for the payload entry
    # (a source by its title, a quote by its text, an actor by the name: each shown as text)
    for searched in (tag(0, "source", "title"), tag(0, "source", "quotes[0].text"), tag(0, "actor", "name")):
        page.goto(f"{url}/")
        page.locator("#briefing-search-input").click()
        page.locator("#briefing-search-input").press_sequentially(searched)
        page.wait_for_selector("#briefing-search-results li", timeout=10_000)
        assert page.locator("#briefing-search img, #briefing-search [onerror], #briefing-search script").count() == 0
        page.locator("#briefing-search-results li a").first.click()
        page.wait_for_load_state("load")
        paths.append(f"header box: {searched}")
    if (site / "find/index.html").is_file():  # the quote finder renders results from its own index
        page.goto(f"{url}/find/")
        page.locator("#briefing-finder input").first.press_sequentially(tag(0, "source", "quotes[0].text"))
        page.wait_for_selector("#briefing-finder .finder-result", timeout=10_000)
        paths.append("find/ (search)")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == [] and foreign == [], (dialogs, foreign)
    print(f"\nbrowser: {len(paths)} pages and searches, {len(PAYLOADS)} payloads in {len(FIELDS)} fields: "
          f"0 ran, {len(dialogs)} dialogs, {len(foreign)} foreign requests; page errors: {errors_seen[:3]}")
