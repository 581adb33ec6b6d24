"""Check plain data against the JSON Schemas in ``schemas/``.

The schema files are the single description of an entry: editors' tools read them through
the ``yaml-language-server`` line and this module enforces them. It understands the subset
of JSON Schema those files use (type, also as a list, enum, const, properties, required,
additionalProperties, items, pattern, minLength, maxLength, if/then/else, local $ref);
``tests/test_schema.py`` checks it agrees with a full JSON Schema implementation.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

_JSON_TYPES = {
    "object": dict, "array": list, "string": str, "boolean": bool, "null": type(None),
}


@dataclass(frozen=True)
class SchemaIssue:
    where: tuple[str | int, ...]
    message: str
    rule: str
    hint: str = ""
    at_key: bool = False


@cache
def load_schema(kind: str) -> dict[str, Any]:
    text = resources.files("briefing").joinpath("schemas", f"{kind}.schema.json").read_text("utf-8")
    return json.loads(text)


def schema_path(kind: str) -> str:
    return f"scripts/briefing/schemas/{kind}.schema.json"


def check(data: Any, kind: str) -> list[SchemaIssue]:
    schema = load_schema(kind)
    issues: list[SchemaIssue] = []
    _check(data, schema, schema, (), issues)
    return issues


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), ref
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return "a number"
    return "text"


_TYPE_WORDS = {"object": "a mapping of fields", "array": "a list", "string": "text",
               "boolean": "true or false", "null": "nothing"}


def _is_type(value: Any, kind: str) -> bool:
    return isinstance(value, _JSON_TYPES[kind]) and (kind == "boolean" or not isinstance(value, bool))


def _check(value: Any, node: dict[str, Any], root: dict[str, Any], where: tuple[str | int, ...],
           issues: list[SchemaIssue], hint: str = "") -> None:
    node = _resolve(node, root)
    name = _name(where)
    if "enum" in node:
        if value not in node["enum"]:
            choices = ", ".join(str(c) for c in node["enum"])
            near = difflib.get_close_matches(str(value), [str(c) for c in node["enum"]], n=1)
            hint = f"did you mean '{near[0]}'?" if near else f"use one of: {choices}"
            issues.append(SchemaIssue(where, f"{name} is '{value}', not one of: {choices}", "schema-enum", hint))
        return
    if "const" in node:
        if value != node["const"] or isinstance(value, bool) != isinstance(node["const"], bool):
            issues.append(SchemaIssue(where, f"{name} is '{value}', not '{node['const']}'", "schema-enum",
                                      f"write {node['const']}"))
        return
    expected = node.get("type")
    if expected is not None:
        allowed = expected if isinstance(expected, list) else [expected]
        if not any(_is_type(value, kind) for kind in allowed):
            first = allowed[0]
            if value is None:
                # `key:` with nothing after it: the editor has not filled it in yet.
                issues.append(SchemaIssue(where, f"{name} is empty", "schema-empty", hint or "fill it in"))
                return
            hint = "put the value in double quotes" if first == "string" else \
                "see the schema's description of this field"
            if first == "array" and isinstance(value, str):
                hint = "write it as a list, each item on its own line starting with '- '"
            issues.append(SchemaIssue(where, f"{name} must be {_TYPE_WORDS[first]}, not {_describe(value)}",
                                      "schema-type", hint))
            return
    if isinstance(value, dict):
        _check_mapping(value, node, root, where, issues, hint)
    elif isinstance(value, list):
        items = node.get("items")
        if items is not None:
            for index, item in enumerate(value):
                _check(item, items, root, where + (index,), issues, hint)
    elif isinstance(value, str):
        _check_string(value, node, where, name, issues)


def _check_mapping(value: dict[str, Any], node: dict[str, Any], root: dict[str, Any],
                   where: tuple[str | int, ...], issues: list[SchemaIssue], hint: str = "") -> None:
    properties: dict[str, Any] = node.get("properties", {})
    for key in node.get("required", []):
        if key not in value:
            issues.append(SchemaIssue(where, f"{_name(where, 'the entry')} has no '{key}' field",
                                      "schema-required", f"add '{key}:' here"))
    for key, item in value.items():
        if key in properties:
            _check(item, properties[key], root, where + (key,), issues, hint)
        elif node.get("additionalProperties") is False:
            near = difflib.get_close_matches(key, list(properties), n=1, cutoff=0.6)
            advice = f"did you mean '{near[0]}'?" if near else "allowed here: " + ", ".join(properties)
            issues.append(SchemaIssue(where + (key,), f"unknown field '{key}'", "schema-unknown-field",
                                      advice, at_key=True))
    if "if" in node:
        # Conditional rules (a draft may leave some fields empty): the branch that applies is checked
        # like the rest of the mapping; its hint names the condition so the editor knows the way out.
        probe: list[SchemaIssue] = []
        _check(value, node["if"], root, where, probe)
        branch = node.get("then" if not probe else "else")
        if branch is not None:
            condition = _condition(node["if"])
            _check(value, branch, root, where, issues,
                   f"fill it in; it may be left empty only while {condition}" if condition else "")


def _condition(node: dict[str, Any]) -> str:
    return " and ".join(f"{key} is {sub['const']}" for key, sub in node.get("properties", {}).items()
                        if isinstance(sub, dict) and "const" in sub)


_PATTERN_HINTS = {
    "^[a-z0-9]+(-[a-z0-9]+)*$": ("an id (slug)",
                                 "use lower-case letters, digits and single hyphens, e.g. 'jane-doe'"),
    "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$": ("a date", 'write "YYYY", "YYYY-MM" or "YYYY-MM-DD" in quotes'),
    "^[0-9a-f]{64}$": ("a SHA-256", "64 lower-case hex digits, as `sha256sum FILE` prints"),
}


def _check_string(value: str, node: dict[str, Any], where: tuple[str | int, ...], name: str,
                  issues: list[SchemaIssue]) -> None:
    if len(value) < node.get("minLength", 0) or (node.get("minLength") and not value.strip()):
        issues.append(SchemaIssue(where, f"{name} is empty", "schema-empty", "write a value or remove the field"))
        return
    if "maxLength" in node and len(value) > node["maxLength"]:
        issues.append(SchemaIssue(where, f"{name} is longer than {node['maxLength']} characters",
                                  "schema-length", "shorten it"))
    pattern = node.get("pattern")
    if pattern and not re.fullmatch(pattern.strip("^$"), value):
        what, hint = _PATTERN_HINTS.get(pattern, ("valid", f"it must match {pattern}"))
        issues.append(SchemaIssue(where, f"{name} '{_short(value)}' is not {what}", "schema-pattern", hint))


def _short(value: str) -> str:
    return value if len(value) <= 40 else value[:37] + "..."


def _name(where: tuple[str | int, ...], default: str = "the value") -> str:
    if not where:
        return default
    parts = []
    for part in where:
        parts.append(f"[{part + 1}]" if isinstance(part, int) else ("." if parts else "") + part)
    return "'" + "".join(parts) + "'"
