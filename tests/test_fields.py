"""The field reference (issue 18.7): made from the JSON Schemas, complete, and published.

Every field of every schema has a description, and an example where one helps; each example is a
value its own field accepts, and reads back as that value from the YAML the reference shows. The
site's page and ``briefing fields`` show it; CONTRIBUTING.md and the skeletons point at it.
"""

from __future__ import annotations

import copy
import html as htmllib
import json
import re
import sys

import markdown
import pytest
import yaml
from jsonschema import Draft202012Validator

from briefing import fields
from briefing.schema import load_schema

from conftest import ROOT, briefing, run

ALL = [(kind, f) for kind in fields.KINDS for f in fields.fields(kind)]


def test_every_schema_field_has_a_description_and_an_example_where_one_helps():
    assert [problem for kind in fields.KINDS for problem in fields.undocumented(kind)] == []


def test_a_field_without_a_description_or_an_example_is_found():
    """The check above can fail: take a description and an example away, and it names both fields."""
    source, actor = copy.deepcopy(load_schema("source")), copy.deepcopy(load_schema("actor"))
    del source["$defs"]["quote"]["properties"]["via"]["properties"]["kind"]["description"]
    del actor["properties"]["roles"]["items"]["properties"]["since"]["examples"]
    assert fields.undocumented("source", source) == ["source: quotes[].via.kind has no description"]
    assert fields.undocumented("actor", actor) == ["actor: roles[].since has no example"]


def test_the_reference_has_every_field_of_every_schema():
    """Walk the schemas independently: each property at each depth is a field of the reference."""
    def names(node, root, prefix=""):
        node = root["$defs"][node["$ref"].rsplit("/", 1)[-1]] | node if "$ref" in node else node
        for key, sub in node.get("properties", {}).items():
            yield prefix + key
            sub = root["$defs"][sub["$ref"].rsplit("/", 1)[-1]] | sub if "$ref" in sub else sub
            yield from names(sub, root, prefix + key + ".")
            if "items" in sub:
                yield from names(sub["items"], root, prefix + key + "[].")

    for kind in fields.KINDS:
        root = load_schema(kind)
        assert [f.name for f in fields.fields(kind)] == list(names(root, root)), kind


@pytest.mark.parametrize("kind,field", ALL, ids=[f"{k}:{f.name}" for k, f in ALL])
def test_each_example_is_a_value_its_field_accepts_and_reads_back_from_its_yaml(kind, field):
    root = load_schema(kind)
    validator = Draft202012Validator({**field.node, "$defs": root.get("$defs", {})})
    blocks = fields.example_block(field)
    assert len(blocks) == len(field.examples)
    for example, block in zip(field.examples, blocks, strict=True):
        assert list(validator.iter_errors(example)) == [], (field.name, example)
        value = yaml.safe_load(block)
        for part in field.path:
            value = value[0] if part == "[]" else value[part]
        assert value == example, block


def test_the_reference_covers_what_editors_learned_from_old_entries():
    """Issue 18.7: said, via and its kinds, country, roles' since, until and note."""
    page = fields.page()
    for anchor in ["source-quotes-said", "source-quotes-said-date", "source-quotes-via", "source-quotes-via-kind",
                   "source-quotes-via-actor", "actor-country", "actor-roles-since", "actor-roles-until",
                   "actor-roles-note", "source-actors-spelled", "source-left-out"]:
        assert f"{{: #{anchor} }}" in page, anchor
    via_kinds = load_schema("source")["$defs"]["quote"]["properties"]["via"]["properties"]["kind"]["enum"]
    section = htmllib.unescape(page[page.index("#source-quotes-via-kind }"):page.index("#source-quotes-via-actor }")])
    for value in via_kinds:
        assert f"<code>{value}</code>" in section and f"{value}:" in section, value  # listed, and explained


def test_schema_text_is_shown_as_text_not_markup(monkeypatch):
    """The page is Markdown: whatever a description holds reaches the reader as the same characters."""
    hostile = ('<script>alert(1)</script> *bold* [link](javascript:alert(1)) `<img src=x onerror=alert(1)>` '
               '{: onclick="x" } &amp;')
    root = copy.deepcopy(load_schema("topic"))
    root["properties"]["name"]["description"] = hostile
    root["properties"]["name"]["examples"] = [hostile]
    monkeypatch.setattr(fields.schema, "load_schema", lambda kind: root)
    html = markdown.markdown(fields.page(), extensions=["attr_list", "md_in_html", "tables", "admonition", "toc"])
    assert not re.search(r"<(script|img|strong|em|a)\b[^>]*>(?!Source|Actor|Topic)", html), html
    assert 'href="javascript' not in html and not re.search(r"<[^>]*\sonclick=", html)
    shown = htmllib.unescape(" ".join(re.sub(r"<[^>]+>", "", html).split()))
    assert hostile.replace("`", "") in shown  # the description, every character as written
    assert f"name: {json.dumps(hostile)}" in shown  # the example, in the YAML block


def test_briefing_fields_prints_the_reference_for_a_terminal(mini):
    result = briefing("fields", "actor", cwd=mini)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Fields of an entry")
    assert "country  (optional · text)" in lines
    assert "roles[].since  (optional · a date)" in lines
    assert "&#X" not in result.stdout and "<code>" not in result.stdout  # plain text, not the page's Markdown
    assert "quotes[].via" not in result.stdout  # only the kind asked for


def test_briefing_fields_shows_control_characters_as_escapes(monkeypatch, capsys):
    from briefing import cli
    root = copy.deepcopy(load_schema("topic"))
    root["properties"]["name"]["description"] = "name\x1b[2J\u202eeman"
    monkeypatch.setattr(fields.schema, "load_schema", lambda kind: root)
    assert cli.main(["fields", "topic"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out and "name\\x1b[2J\\u202eeman" in out


@pytest.mark.site
def test_the_site_publishes_the_reference(mini, tmp_path, no_archive_env):
    out = tmp_path / "site"
    result = run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)], mini)
    assert result.returncode == 0, result.stderr
    html = (out / "fields" / "index.html").read_text("utf-8")
    for kind in fields.KINDS:
        for f in fields.fields(kind):
            assert f'id="{f.anchor}"' in html, f.anchor
    assert "<code>quotes[].said</code>" in html


def test_a_hand_written_fields_page_is_refused(mini, tmp_path, no_archive_env):
    (mini / "docs" / "fields.md").write_text("# My fields\n")
    result = run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")], mini)
    assert result.returncode != 0
    assert "docs/fields.md is hand-written" in result.stderr


def test_contributing_and_the_skeletons_point_at_the_reference(mini):
    guide = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
    assert "briefing fields" in guide and "fields/" in guide
    assert briefing("new", "source", "--archive", "doc1.txt", cwd=mini).returncode == 0
    assert briefing("new", "actor", "Jane Roe", cwd=mini).returncode == 0
    for path in ["entries/sources/doc1.yml", "entries/actors/jane-roe.yml"]:
        head = (mini / path).read_text("utf-8").split("\nid: ")[0]
        assert "`briefing fields " in head and "page fields/" in head, path
