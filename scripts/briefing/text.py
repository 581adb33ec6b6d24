"""Turn entry text into Markdown that shows exactly that text and nothing more.

Every value that came from an entry goes through ``md`` (inline) or ``paragraphs`` (block):
each character with a meaning in Markdown, HTML or an extension becomes a hexadecimal character
reference written with a capital X (``*`` -> ``&#X2A;``). An entry therefore cannot inject HTML,
links, images, attribute lists or scripts: a reader sees what the editor typed.

Why that form, and not backslash escapes or ``&amp;``: Python-Markdown rebuilds the whole text of
a paragraph for every inline match (``treeprocessors.InlineProcessor.__applyPattern``), so a text
with n escapes costs n times its length: 900,000 backslash-escaped stars in one topic description
took over 26 minutes. Backslash escapes, named references and ``&#42;`` are all inline matches; ``&#X2A;`` is
not (its entity pattern knows ``&#x`` only), its serializer leaves every well-formed reference as
it is, and browsers, HTML parsers, CommonMark and the search index decode ``&#X`` like ``&#x``.
Escaped text therefore costs Python-Markdown no inline match at all and renders in linear time
(``python scripts/bench.py --hostile``). If a Python-Markdown release matched ``&#X`` too, the
output would stay the same and only the time would grow again: the benchmark shows it.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from markupsafe import Markup

# Python-Markdown's own ESCAPED_CHARS, then characters with meaning in HTML or in extensions
# (tables, tilde, caret, mark, emoji, def_list, attr_list, abbreviations, math).
SPECIAL = "\\`*_{}[]()#+-.!" + "&<>|~^=:$%"
_TABLE = {c: f"&#X{ord(c):X};" for c in SPECIAL}
# The same table as a chain of str.replace, five times faster than str.translate with multi-character
# replacements. A replacement must not be escaped again: "&" goes first, then every "#" that does not
# follow an "&" (only references start "&#"), then the rest, whose replacements hold none of them.
_CHAIN = tuple((c, _TABLE[c]) for c in sorted(set(SPECIAL) - {"&", "#"}))
_HASH = re.compile("(?<!&)#")


def md(value: object) -> Markup:
    """One line of inert Markdown text."""
    if isinstance(value, Markup):
        return value
    return md_text(str(value))


# Names and titles recur on many pages. 16,384 texts, not 65,536: at 10,000 sources the larger cache
# held 20 MB in each process for 13 % fewer misses (485,000 against 560,000 of 1.26 million calls).
@lru_cache(maxsize=16384)
def md_text(value: str) -> Markup:
    """``md`` for a plain str (what rendering calls for every value it writes)."""
    value = " ".join(value.split())
    if "&" in value:
        value = value.replace("&", _TABLE["&"])
    if "#" in value:
        value = _HASH.sub(_TABLE["#"], value)
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
