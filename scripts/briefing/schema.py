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
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from .rules import (
    SCHEMA_EMPTY,
    SCHEMA_ENUM,
    SCHEMA_LENGTH,
    SCHEMA_PATTERN,
    SCHEMA_REQUIRED,
    SCHEMA_TYPE,
    SCHEMA_UNKNOWN_FIELD,
)

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
    missing: str = ""  # schema-required: the field that is missing from the mapping at ``where``

    @property
    def refused(self) -> tuple[str | int, ...] | None:
        """The value this issue makes unfit to read: the value at ``where``, or the missing field's
        place; None for an unknown field, which leaves every field the schema knows as it was."""
        if self.rule == SCHEMA_UNKNOWN_FIELD:
            return None
        return self.where + (self.missing,) if self.missing else self.where

    @property
    def empty(self) -> bool:
        """The value is missing or empty: there is nothing in it to check yet."""
        return self.rule in (SCHEMA_REQUIRED, SCHEMA_EMPTY)


@cache
def load_schema(kind: str) -> dict[str, Any]:
    text = resources.files("briefing").joinpath("schemas", f"{kind}.schema.json").read_text("utf-8")
    return json.loads(text)


def schema_path(kind: str) -> str:
    return f"scripts/briefing/schemas/{kind}.schema.json"


def check(data: Any, kind: str) -> list[SchemaIssue]:
    issues: list[SchemaIssue] = []
    _checker(kind)(data, (), issues, "")
    return issues


# A schema is compiled once into a tree of small checker functions, one per schema node, each
# ``checker(value, where, issues, hint)``. Compiling resolves every $ref and looks up every keyword
# ahead of time, and a field's name is only spelled out when there is an issue to report: walking
# ten thousand entries node by node was most of the time validation took.
Checker = Callable[[Any, tuple[str | int, ...], list[SchemaIssue], str], None]


@cache
def _checker(kind: str) -> Checker:
    root = load_schema(kind)
    return _compile(root, root, {})


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), ref
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _compile(node: dict[str, Any], root: dict[str, Any], done: dict[int, Checker]) -> Checker:
    """The checker for one schema node, shared by every place that uses the node; a node that
    refers to itself (directly or not) gets a stand-in that calls the finished checker."""
    if id(node) in done:
        return done[id(node)]
    finished: list[Checker] = []
    done[id(node)] = lambda value, where, issues, hint: finished[0](value, where, issues, hint)
    checker = _build(_resolve(node, root), root, done)
    finished.append(checker)
    done[id(node)] = checker
    return checker


def _build(node: dict[str, Any], root: dict[str, Any], done: dict[int, Checker]) -> Checker:
    if "enum" in node:
        return _enum_checker(node["enum"])
    if "const" in node:
        return _const_checker(node["const"])
    on_mapping = _mapping_checker(node, root, done)
    items = node.get("items")
    on_item = _compile(items, root, done) if items is not None else None
    on_string = _string_checker(node)

    def check_value(value: Any, where: tuple[str | int, ...], issues: list[SchemaIssue], hint: str) -> None:
        if isinstance(value, dict):
            if on_mapping is not None:
                on_mapping(value, where, issues, hint)
        elif isinstance(value, list):
            if on_item is not None:
                for index, item in enumerate(value):
                    on_item(item, where + (index,), issues, hint)
        elif isinstance(value, str):
            if on_string is not None:
                on_string(value, where, issues, hint)

    expected = node.get("type")
    if expected is None:
        return check_value
    allowed = expected if isinstance(expected, list) else [expected]
    # bool is a subclass of int, never of these, so isinstance alone tells the JSON types apart.
    types = tuple(_JSON_TYPES[kind] for kind in allowed)
    first = allowed[0]

    def mismatch(value: Any, where: tuple[str | int, ...], issues: list[SchemaIssue], hint: str) -> None:
        if value is None:
            # `key:` with nothing after it: the editor has not filled it in yet.
            issues.append(SchemaIssue(where, f"{field_name(where)} is empty", SCHEMA_EMPTY, hint or "fill it in"))
            return
        advice = "put the value in double quotes" if first == "string" else \
            "see the schema's description of this field"
        if first == "array" and isinstance(value, str):
            advice = "write it as a list, each item on its own line starting with '- '"
        issues.append(SchemaIssue(where, f"{field_name(where)} must be {_TYPE_WORDS[first]}, not {_describe(value)}",
                                  SCHEMA_TYPE, advice))

    # The common shapes get a checker of their own, so each value costs one call.
    if types == (str,):
        check_constrained = _string_checker(node, mismatch)
        if check_constrained is not None:
            return check_constrained

        def check_text(value: Any, where: tuple[str | int, ...], issues: list[SchemaIssue], hint: str) -> None:
            if not isinstance(value, str):
                mismatch(value, where, issues, hint)
        return check_text
    if types == (dict,) and on_mapping is not None:
        def check_object(value: Any, where: tuple[str | int, ...], issues: list[SchemaIssue], hint: str) -> None:
            if isinstance(value, dict):
                on_mapping(value, where, issues, hint)
            else:
                mismatch(value, where, issues, hint)
        return check_object
    if types == (list,) and on_item is not None:
        def check_list(value: Any, where: tuple[str | int, ...], issues: list[SchemaIssue], hint: str) -> None:
            if isinstance(value, list):
                for index, item in enumerate(value):
                    on_item(item, where + (index,), issues, hint)
            else:
                mismatch(value, where, issues, hint)
        return check_list

    def check_typed(value: Any, where: tuple[str | int, ...], issues: list[SchemaIssue], hint: str) -> None:
        if isinstance(value, types):
            check_value(value, where, issues, hint)
        else:
            mismatch(value, where, issues, hint)

    return check_typed


def _enum_checker(enum: list[Any]) -> Checker:
    texts = frozenset(c for c in enum if isinstance(c, str))
    choices = ", ".join(str(c) for c in enum)

    def check_enum(value: Any, where: tuple[str | int, ...], issues: list[SchemaIssue], hint: str) -> None:
        if value.__class__ is str and value in texts:
            return
        if value not in enum:
            near = difflib.get_close_matches(str(value), [str(c) for c in enum], n=1)
            advice = f"did you mean '{near[0]}'?" if near else f"use one of: {choices}"
            issues.append(SchemaIssue(where, f"{field_name(where)} is '{value}', not one of: {choices}", SCHEMA_ENUM,
                                      advice))

    return check_enum


def _const_checker(const: Any) -> Checker:
    def check_const(value: Any, where: tuple[str | int, ...], issues: list[SchemaIssue], hint: str) -> None:
        if value != const or isinstance(value, bool) != isinstance(const, bool):
            issues.append(SchemaIssue(where, f"{field_name(where)} is '{value}', not '{const}'", SCHEMA_ENUM,
                                      f"write {const}"))

    return check_const


def _mapping_checker(node: dict[str, Any], root: dict[str, Any], done: dict[int, Checker]) -> Checker | None:
    properties: dict[str, Any] = node.get("properties", {})
    required: list[str] = node.get("required", [])
    closed = node.get("additionalProperties") is False
    conditional = "if" in node
    if not (properties or required or closed or conditional):
        return None
    fields = {key: _compile(sub, root, done) for key, sub in properties.items()}
    if conditional:
        probe = _compile(node["if"], root, done)
        branches = {True: node.get("then"), False: node.get("else")}
        on_branch = {met: _compile(sub, root, done) if sub is not None else None for met, sub in branches.items()}
        condition = _condition(node["if"])
        branch_hint = f"fill it in; it may be left empty only while {condition}" if condition else ""

    def check_mapping(value: dict[str, Any], where: tuple[str | int, ...], issues: list[SchemaIssue],
                      hint: str) -> None:
        for key in required:
            if key not in value:
                issues.append(SchemaIssue(where, f"{field_name(where, 'the entry')} has no '{key}' field",
                                          SCHEMA_REQUIRED, f"add '{key}:' here", missing=key))
        for key, item in value.items():
            check_field = fields.get(key)
            if check_field is not None:
                check_field(item, where + (key,), issues, hint)
            elif closed:
                near = difflib.get_close_matches(key, list(properties), n=1, cutoff=0.6)
                advice = f"did you mean '{near[0]}'?" if near else "allowed here: " + ", ".join(properties)
                issues.append(SchemaIssue(where + (key,), f"unknown field '{key}'", SCHEMA_UNKNOWN_FIELD,
                                          advice, at_key=True))
        if conditional:
            # Conditional rules (a draft may leave some fields empty): the branch that applies is checked
            # like the rest of the mapping; its hint names the condition so the editor knows the way out.
            found: list[SchemaIssue] = []
            probe(value, where, found, "")
            check_branch = on_branch[not found]
            if check_branch is not None:
                check_branch(value, where, issues, branch_hint)

    return check_mapping


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


def _condition(node: dict[str, Any]) -> str:
    return " and ".join(f"{key} is {sub['const']}" for key, sub in node.get("properties", {}).items()
                        if isinstance(sub, dict) and "const" in sub)


_PATTERN_HINTS = {
    "^[a-z0-9]+(-[a-z0-9]+)*$": ("an id (slug)",
                                 "use lower-case letters, digits and single hyphens, e.g. 'jane-doe'"),
    "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$": ("a date", 'write "YYYY", "YYYY-MM" or "YYYY-MM-DD" in quotes'),
    "^[0-9a-f]{64}$": ("a SHA-256", "64 lower-case hex digits, as `sha256sum FILE` prints"),
}


def _string_checker(node: dict[str, Any], mismatch: Checker | None = None) -> Checker | None:
    """The checks on text (None when there are none); ``mismatch`` reports a value that is not text,
    which is otherwise left alone."""
    min_length: int = node.get("minLength", 0)
    max_length: int | None = node.get("maxLength")
    pattern: str | None = node.get("pattern")
    if not (min_length or max_length is not None or pattern):
        return None
    matches = re.compile(pattern.strip("^$")).fullmatch if pattern else None
    what, advice = _PATTERN_HINTS.get(pattern, ("valid", f"it must match {pattern}")) if pattern else ("", "")

    def check_string(value: Any, where: tuple[str | int, ...], issues: list[SchemaIssue], hint: str) -> None:
        if not isinstance(value, str):
            if mismatch is not None:
                mismatch(value, where, issues, hint)
            return
        if min_length and (len(value) < min_length or not value.strip()):
            issues.append(SchemaIssue(where, f"{field_name(where)} is empty", SCHEMA_EMPTY,
                                      "write a value or remove the field"))
            return
        if max_length is not None and len(value) > max_length:
            issues.append(SchemaIssue(where, f"{field_name(where)} is longer than {max_length} characters",
                                      SCHEMA_LENGTH, "shorten it"))
        if matches is not None and not matches(value):
            issues.append(SchemaIssue(where, f"{field_name(where)} '{_short(value)}' is not {what}", SCHEMA_PATTERN,
                                      advice))

    return check_string


def _short(value: str) -> str:
    return value if len(value) <= 40 else value[:37] + "..."


def field_name(where: tuple[str | int, ...], default: str = "the value") -> str:
    """A field's place as an editor reads it: ('quotes', 1, 'text') -> "'quotes[2].text'"."""
    if not where:
        return default
    parts: list[str] = []
    for part in where:
        parts.append(f"[{part + 1}]" if isinstance(part, int) else ("." if parts else "") + part)
    return "'" + "".join(parts) + "'"
