"""The field reference: every field an entry can have, made from the JSON Schemas.

The schemas in ``schemas/`` are the single description of an entry (``schema.py`` enforces them,
editors' YAML tools read them), so the reference is generated from them and cannot go stale: the
briefing plugin publishes it as the site's page ``fields.md`` on every build, and ``briefing
fields`` prints the same as text. Each field gets its place (``quotes[].said.date``, as the
validator's messages write it), whether it is required, its type and form, its allowed values,
its meaning and an example in the house style. ``tests/test_fields.py`` fails when a field has no
description, or no example where one helps (every field but yes/no and fixed-choice ones).

The schema text is the project's, not an entry's; it is still written as inert Markdown
(``text.md``), with the schema's `backtick` spans as code, so no description can become markup.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from . import schema
from .text import md

KINDS = ("source", "actor", "topic")
PAGE = "fields.md"  # the site page the plugin generates
TITLE = "Fields of an entry"
FOLDERS = {"source": "sources", "actor": "actors", "topic": "topics"}


@dataclass
class Field:
    """One field of one kind of entry, with what the schema says about it."""

    kind: str
    path: tuple[str, ...]  # ("quotes", "[]", "said", "date")
    node: dict[str, Any]  # the field's schema, its $ref resolved (the field's own words win)
    required: bool
    form: str = ""  # the description of a shared form ($defs: slug, isodate) the field uses
    items: dict[str, Any] = field(default_factory=dict)  # a list's items, resolved
    item_form: str = ""

    @property
    def name(self) -> str:
        """The place as the validator's messages write it: quotes[].said.date."""
        out = ""
        for part in self.path:
            out += part if part == "[]" or not out else "." + part
        return out

    @property
    def anchor(self) -> str:
        return "-".join([self.kind] + [re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-")
                                       for p in self.path if p != "[]"])

    @property
    def description(self) -> str:
        return self.node.get("description", "")

    @property
    def examples(self) -> list[Any]:
        return list(self.node.get("examples", []))

    @property
    def choices(self) -> list[Any] | None:
        if "enum" in self.node:
            return list(self.node["enum"])
        return None

    @property
    def needs_example(self) -> bool:
        """An example helps every field but a yes/no one and one of a fixed list (its values are listed)."""
        return self.choices is None and self.node.get("type") != "boolean"

    @property
    def types(self) -> list[str]:
        kind = self.node.get("type", "string" if "enum" in self.node else "object")
        return kind if isinstance(kind, list) else [kind]


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """``node`` with its local $ref merged in (the node's own keys win), and the description of
    the shared form it refers to when that form is a plain value (an id, a date)."""
    ref = node.get("$ref")
    if not ref:
        return node, ""
    name = ref.rsplit("/", 1)[-1]
    target, _ = _resolve(root["$defs"][name], root)
    merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    form = target.get("description", "") if target.get("type") == "string" else ""
    return merged, form


def fields(kind: str, root: dict[str, Any] | None = None) -> list[Field]:
    """Every field of ``kind``'s schema (or of ``root``), in the schema's order, each followed by the
    fields inside it."""
    root = schema.load_schema(kind) if root is None else root
    return list(_walk(kind, root, root, ()))


def _walk(kind: str, node: dict[str, Any], root: dict[str, Any], path: tuple[str, ...]) -> Iterator[Field]:
    required = set(node.get("required", []))
    for key, raw in node.get("properties", {}).items():
        resolved, form = _resolve(raw, root)
        here = path + (key,)
        items: dict[str, Any] = {}
        item_form = ""
        if "items" in resolved:
            items, item_form = _resolve(resolved["items"], root)
        yield Field(kind, here, resolved, key in required, form, items, item_form)
        if "properties" in resolved:
            yield from _walk(kind, resolved, root, here)
        if "properties" in items:
            yield from _walk(kind, items, root, here + ("[]",))


# --- words ---------------------------------------------------------------------------------------


def type_words(f: Field) -> str:
    """What kind of value the field holds, in plain words."""
    words = []
    for kind in f.types:
        if kind == "null":
            continue
        if f.choices is not None:
            words.append("one of the values below")
        elif kind == "string":
            words.append("an id" if f.form.startswith("An id") else "a date" if f.form.startswith("YYYY") else "text")
        elif kind == "boolean":
            words.append("true or false")
        elif kind == "object":
            words.append("a group of the fields below")
        elif kind == "array":
            words.append(_list_words(f))
    text = " or ".join(dict.fromkeys(words))
    if "null" in f.types:
        text += ", or empty in a draft"
    return text


def _list_words(f: Field) -> str:
    items = f.items
    if "properties" in items:
        return "a list of items, each a group of the fields below"
    if f.item_form.startswith("An id"):
        return "a list of ids"
    return "a list of texts"


def _inline(text: str) -> str:
    """Schema prose as inert Markdown, its `backtick` spans as code."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: all of it is text
        return str(md(text))
    return "".join(_spaced(part) if i % 2 == 0 else f"<code>{html.escape(part)}</code>" if part else ""
                   for i, part in enumerate(parts))


def _spaced(part: str) -> str:
    """``md`` of a piece of text between code spans, keeping the space around it."""
    if not part.strip():
        return " " if part else ""
    return (" " if part[0].isspace() else "") + str(md(part)) + (" " if part[-1].isspace() else "")


_PLAIN = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}


def _scalar(value: Any) -> str:
    """A value as the house style writes it: ids and fixed words bare, other text in double quotes."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, str) and _PLAIN.fullmatch(value) and value not in _YAML_WORDS:
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def yaml_lines(key: str, value: Any, indent: str = "") -> list[str]:
    """``key: value`` as YAML lines in the house style (mappings in blocks, short lists in brackets)."""
    if isinstance(value, dict):
        lines = [f"{indent}{key}:"]
        for k, v in value.items():
            lines += yaml_lines(k, v, indent + "  ")
        return lines
    if isinstance(value, list):
        if not value:
            return [f"{indent}{key}: []"]
        if all(not isinstance(v, (dict, list)) for v in value):
            return [f"{indent}{key}: [{', '.join(_scalar(v) for v in value)}]"]
        lines = [f"{indent}{key}:"]
        for item in value:
            if isinstance(item, dict):
                first = True
                for k, v in item.items():
                    sub = yaml_lines(k, v, indent + "    ")
                    sub[0] = (indent + "  - " if first else indent + "    ") + sub[0].lstrip()
                    lines += sub
                    first = False
            else:
                lines.append(f"{indent}  - {_scalar(item)}")
        return lines
    return [f"{indent}{key}: {_scalar(value)}"]


def example_block(f: Field) -> list[str]:
    """Each example of the field as YAML, inside the lists and groups that hold it."""
    out = []
    for example in f.examples:
        value: Any = example
        for part in reversed(f.path[1:]):
            value = [value] if part == "[]" else {part: value}
        out.append("\n".join(yaml_lines(f.path[0], value)))
    return out


# --- the page ------------------------------------------------------------------------------------


def page() -> str:
    """The whole reference as Markdown: the site's ``fields.md``."""
    out = [f"# {TITLE}", "",
           "Every field a YAML entry of this briefing can have: what it means, what it holds and an example. "
           "This page is generated from the JSON Schemas in <code>scripts/briefing/schemas/</code> on every "
           "build, so it always says what <code>briefing validate</code> checks. The contributor's guide, "
           "<code>CONTRIBUTING.md</code>, walks through adding a source step by step; "
           "<code>briefing fields</code> prints this reference in a terminal.", "",
           "A field written <code>quotes[].said</code> is the field <code>said</code> of each item of the "
           "list <code>quotes</code>, as the validator's messages write it (they number the items: "
           "<code>quotes[2].said</code>).", ""]
    out += [f"- [{kind.capitalize()} entries](#{kind}): <code>entries/{FOLDERS[kind]}/&lt;id&gt;.yml</code>"
            for kind in KINDS]
    for kind in KINDS:
        out += section(kind)
    return "\n".join(out) + "\n"


def section(kind: str) -> list[str]:
    root = schema.load_schema(kind)
    out = ["", f"## {kind.capitalize()} entries {{: #{kind} }}", "",
           f"{_inline(root['description'])} Its first line, <code>{html.escape(_schema_comment(kind))}</code>, "
           "lets an editor with YAML support "
           "check the file as you type."]
    for f in fields(kind):
        out += ["", f"### <code>{html.escape(f.name)}</code> {{: #{f.anchor} }}", ""]
        out.append(_inline(facts(f)))
        out += ["", _inline(f.description)]
        if f.form:
            out += ["", f"Form: {_inline(f.form)}"]
        elif f.item_form:
            out += ["", f"Each item: {_inline(f.item_form)}"]
        if f.choices is not None:
            out += ["", "Allowed values: " + ", ".join(f"<code>{html.escape(_scalar(c))}</code>" for c in f.choices)]
        blocks = example_block(f)
        if blocks:
            out += ["", "Example:" if len(blocks) == 1 else "Examples:"]
            for block in blocks:
                out += [""] + ["    " + line for line in block.splitlines()]
    return out


def facts(f: Field) -> str:
    needed = "optional"
    if f.required:
        parent = Field(f.kind, f.path[:-1], {}, False).name
        needed = f"required in each item of {parent[:-2]}" if parent.endswith("[]") else \
            f"required in {parent}" if parent else "required"
    return f"{needed} · {type_words(f)}"


def undocumented(kind: str, root: dict[str, Any] | None = None) -> list[str]:
    """The fields of ``kind`` (or of the schema ``root``) with no description, or no example where
    one helps (``Field.needs_example``)."""
    found = []
    for f in fields(kind, root):
        if not f.description.strip():
            found.append(f"{kind}: {f.name} has no description")
        if f.needs_example and not f.examples:
            found.append(f"{kind}: {f.name} has no example")
    return found


def text(kinds: tuple[str, ...] = KINDS) -> str:
    """The reference as plain text for a terminal (``briefing fields``): the page's words, unencoded
    for Markdown; ``problems.printable`` makes each line safe to print."""
    out = [f"{TITLE} (the site's page {PAGE.removesuffix('.md')}/ shows the same; made from the JSON Schemas)"]
    for kind in kinds:
        out += ["", f"== {kind.capitalize()} entries: entries/{FOLDERS[kind]}/<id>.yml", ""]
        for f in fields(kind):
            out += [f"{f.name}  ({facts(f)})", f"  {f.description}"]
            if f.form or f.item_form:
                out.append(f"  {'Form' if f.form else 'Each item'}: {f.form or f.item_form}")
            if f.choices is not None:
                out.append("  Allowed values: " + ", ".join(_scalar(c) for c in f.choices))
            for block in example_block(f):
                out.append("  Example:")
                out += ["    " + line for line in block.splitlines()]
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _schema_comment(kind: str) -> str:
    return f"# yaml-language-server: $schema=../../{schema.schema_path(kind)}"
