"""The schema files and our validator agree: what an editor's tool (a full JSON Schema
implementation reading the `yaml-language-server` line) accepts, ``briefing validate`` accepts."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from briefing import schema

SHA = "b5243fa819b809990646ff5f07bcbad771f751f3e84314f579f4ef0dde0fba84"

SOURCE: dict[str, Any] = {
    "id": "case", "status": "published", "title": "A title",
    "outlet": {"kind": "newspaper", "name": "The Gazette"},
    "authors": [], "published": {"date": "2020-03-02", "precision": "day"},
    "archive": {"file": "doc1.txt", "sha256": SHA},
    "summary": "", "key_points": [],
    "quotes": [{"id": "first", "text": "words", "speaker": "ada-quill", "kind": "direct",
                "said": {"date": "2020-03", "precision": "month"}, "via": {"kind": "interview"}}],
    "actors": [{"id": "ada-quill", "role": "Minister"}], "topics": ["diplomacy"],
    "events": [{"id": "meet", "when": {"date": "2020", "precision": "year"}, "title": "They met", "kind": "meeting"}],
    "capture_notes": [],
}
ACTOR: dict[str, Any] = {"id": "case", "name": "Case", "kind": "person", "description": "Someone.",
                         "roles": [{"title": "Minister", "as_of": "2020-03-02", "sources": ["hotline-talks"]}]}
TOPIC: dict[str, Any] = {"id": "case", "name": "Case", "description": "A topic."}
BASE = {"source": SOURCE, "actor": ACTOR, "topic": TOPIC}


def put(path: str, value: Any) -> Callable[[dict], None]:
    """Set (or, with value DELETE, remove) the field at a dotted path such as 'quotes.0.said'."""
    def change(data: dict) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
        for part in parents:
            data = data[part]
        if value is DELETE:
            del data[last]
        else:
            data[last] = value
    return change


DELETE = object()

# (kind, change, valid?)
CASES = [
    ("source", put("id", "case"), True),
    ("source", put("status", "draft"), True),
    ("source", put("status", "final"), False),
    ("source", put("status", DELETE), False),
    ("source", put("title", ""), False),
    ("source", put("title", None), False),  # published: the title is required
    ("source", put("published", None), False),
    ("source", put("published", DELETE), False),
    ("source", put("published", "2020-03-02"), False),
    ("source", put("published.precision", "week"), False),
    ("source", put("published.date", "2 March 2020"), False),
    ("source", put("published.extra", "x"), False),
    ("source", put("published.inferred", "yes"), False),
    ("source", put("published.inferred", True), True),
    ("source", put("url", "https://example.org/x"), True),
    ("source", put("url", ""), False),
    ("source", put("archive.sha256", "ABC"), False),
    ("source", put("archive.file", "../etc/passwd"), False),
    ("source", put("authors", "Jane Roe"), False),
    ("source", put("authors", ["Jane Roe"]), True),
    ("source", put("authors", [""]), False),
    ("source", put("outlet.kind", "paper"), False),
    ("source", put("outlet.original", {"name": "Agency", "kind": "news-agency"}), True),
    ("source", put("outlet.original", {"name": "Agency"}), False),
    ("source", put("quotes.0.kind", "verbatim"), False),
    ("source", put("quotes.0.said", None), False),
    ("source", put("quotes.0.said", {"date": "2020"}), False),
    ("source", put("quotes.0.speaker", "Ada Quill"), False),
    ("source", put("quotes.0.via.kind", "gossip"), False),
    ("source", put("quotes.0.topics", ["a-b", "c"]), True),
    ("source", put("events.0.when", None), False),
    ("source", put("events.0.when.not_before", "2019"), True),
    ("source", put("events.0.kind", "party"), False),
    ("source", put("actors.0.role", DELETE), False),
    ("source", put("topics", ["Diplomacy"]), False),
    ("source", put("capture_notes", [1]), False),
    ("source", put("capture_note", []), False),
    ("source", put("id", "x" * 81), False),
    ("source", put("id", "a--b"), False),
    ("actor", put("kind", "state"), True),
    ("actor", put("kind", "human"), False),
    ("actor", put("description", None), True),  # may stay empty: validation prints a note
    ("actor", put("description", ""), False),
    ("actor", put("aliases", "CP"), False),
    ("actor", put("roles.0.since", "2020-13"), True),  # the shape is right; dates.py checks the calendar
    ("actor", put("roles.0.since", "March 2020"), False),
    ("actor", put("roles.0.title", DELETE), False),
    ("actor", put("roles.0.sources", ["Hotline"]), False),
    ("actor", put("roles.0.sources", [True]), False),
    ("topic", put("name", None), False),
    ("topic", put("name", True), False),
    ("topic", put("colour", "red"), False),
]


def drafted(*changes: Callable[[dict], None]) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        data["status"] = "draft"
        for c in changes:
            c(data)
    return change


CASES += [
    # A draft may leave the title and the date empty (null), and nothing else.
    ("source", drafted(put("title", None), put("published", None)), True),
    ("source", drafted(put("title", None)), True),
    ("source", drafted(put("published", None)), True),
    ("source", drafted(put("published", DELETE)), False),
    ("source", drafted(put("title", "")), False),
    ("source", drafted(put("summary", None)), False),
    ("source", drafted(put("outlet", None)), False),
    ("source", drafted(put("events.0.when", None)), False),
    ("source", drafted(put("published", None), put("status", "Draft")), False),
]


def ids(case) -> str:
    kind, _, valid = case
    return f"{kind}-{'valid' if valid else 'invalid'}-{CASES.index(case)}"


@pytest.mark.parametrize("kind,change,valid", CASES, ids=[ids(c) for c in CASES])
def test_schema_and_validator_agree(kind, change, valid):
    data = copy.deepcopy(BASE[kind])
    change(data)
    official = Draft202012Validator(schema.load_schema(kind))
    official_errors = [e.message for e in official.iter_errors(data)]
    ours = schema.check(data, kind)
    assert (not official_errors) == valid, official_errors
    assert (not ours) == valid, ours


@pytest.mark.parametrize("kind", ["source", "actor", "topic"])
def test_schema_files_are_valid_json_schema(kind):
    Draft202012Validator.check_schema(schema.load_schema(kind))
    assert schema.check(BASE[kind], kind) == []


def test_draft_leniency_message_names_the_way_out():
    data = copy.deepcopy(SOURCE)
    data["published"] = None
    [issue] = schema.check(data, "source")
    assert (issue.where, issue.rule) == (("published",), "schema-empty")
    assert issue.message == "'published' is empty"
    assert issue.hint == "fill it in; it may be left empty only while status is draft"


TREE = {  # a schema that refers to itself, which the shipped schemas do not (yet) do
    "$ref": "#/$defs/node",
    "$defs": {"node": {"type": "object", "additionalProperties": False, "required": ["name"],
                       "properties": {"name": {"type": "string", "minLength": 1},
                                      "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}},
}


@pytest.mark.parametrize("data,where", [
    ({"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]}, []),
    ({"name": "a", "children": [{"name": "b", "children": [{"name": ""}]}]}, [("children", 0, "children", 0, "name")]),
    ({"name": "a", "children": [{"children": []}, {"name": "c", "kids": []}]},
     [("children", 0), ("children", 1, "kids")]),
])
def test_a_schema_may_refer_to_itself(data, where):
    issues: list[schema.SchemaIssue] = []
    schema._compile(TREE, TREE, {})(data, (), issues, "")
    assert [i.where for i in issues] == where
    assert (not where) == Draft202012Validator(TREE).is_valid(data)
