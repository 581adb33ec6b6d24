"""Turn entry text into Markdown that shows exactly that text and nothing more.

Every value that came from an entry goes through ``md`` (inline) or ``paragraphs`` (block):
Markdown punctuation is backslash-escaped (Python-Markdown prints the bare character back),
and characters that would start HTML, entities, tables or extension syntax become character
references. An entry therefore cannot inject HTML, links, images, attribute lists or
scripts: a reader sees what the editor typed.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from markupsafe import Markup

# Python-Markdown's own ESCAPED_CHARS: "\x" renders as "x".
_BACKSLASH = set("\\`*_{}[]()#+-.!")
# Characters with meaning in HTML or in extensions (tables, tilde, caret, mark, emoji, def_list).
_ENTITY = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;", "~": "&#126;", "^": "&#94;",
           "=": "&#61;", ":": "&#58;", "$": "&#36;", "%": "&#37;"}
_TABLE = {c: ("\\" + c if c in _BACKSLASH else _ENTITY[c]) for c in _BACKSLASH | set(_ENTITY)}
# The same table as a chain of str.replace, five times faster than str.translate with multi-character
# replacements. Order matters: a replacement must not be escaped again, so the backslash goes first,
# then the backslash escapes ("\\#"), then "&", then the entities (which bring in "&", "#" and ";").
_CHAIN = (("\\", "\\\\"),) + tuple((c, "\\" + c) for c in sorted(_BACKSLASH - {"\\"})) + (("&", "&amp;"),) + \
    tuple((c, _ENTITY[c]) for c in sorted(set(_ENTITY) - {"&"}))


def md(value: object) -> Markup:
    """One line of inert Markdown text."""
    if isinstance(value, Markup):
        return value
    return md_text(str(value))


@lru_cache(maxsize=65536)  # names and titles recur on many pages
def md_text(value: str) -> Markup:
    """``md`` for a plain str (what rendering calls for every value it writes)."""
    value = " ".join(value.split())
    for char, replacement in _CHAIN:
        if char in value:
            value = value.replace(char, replacement)
    return Markup(value)


def paragraphs(value: str) -> Markup:
    """Blank-line separated paragraphs of inert Markdown text."""
    blocks = [b for b in re.split(r"\n\s*\n", value.strip()) if b.strip()]
    return Markup("\n\n".join(md(b) for b in blocks))


def attr(value: object) -> Markup:
    """A value for an HTML attribute inside raw HTML."""
    return Markup(html.escape(str(value), quote=True))
