"""Entry text, encoded for each program that reads what the briefing publishes.

Entries come from people the maintainers may not know. Every value from an entry reaches a reader
through some other program, and each does its own thing with text: a browser parses HTML, a
spreadsheet runs a cell that starts with "=", TimelineJS decodes entities before it inserts a
field as HTML. So each output encodes for its consumer, and the encoders live here, one per
consumer, next to what that consumer does (the table). tests/test_hostile_outputs.py runs the
hostile corpus (tests/hostile.py) through every output and reads each with its real consumer.

+------------------------+--------------------------------------+------------------------------------+
| output                 | its consumer, and what it does       | how it is encoded here             |
+========================+======================================+====================================+
| HTML pages             | Python-Markdown, then the browser:   | briefing.text (md, paragraphs,     |
| (render.py, templates) | Markdown syntax, raw HTML, entities, | attr): backslash escapes and       |
|                        | attribute lists                      | character references; Jinja        |
|                        |                                      | autoescape for the rest            |
+------------------------+--------------------------------------+------------------------------------+
| SVG pictures           | the browser's XML parser (inline in  | xml_text: text and attribute       |
| (pictures.py)          | a page, or the file opened alone,    | values escaped, characters XML     |
|                        | where a script would run)            | forbids dropped; links only to the |
|                        |                                      | site's own pages (pictures.href)   |
+------------------------+--------------------------------------+------------------------------------+
| JSON-LD in a page's    | the HTML parser ends the element at  | script_json: JSON with < > & and   |
| <script> element       | "</script", then a JSON parser       | U+2028/9 written as \\u escapes    |
+------------------------+--------------------------------------+------------------------------------+
| quotes.csv             | a spreadsheet (Excel, LibreOffice,   | csv_cell: an apostrophe before     |
|                        | Sheets), splitting on ",", ";" or    | every piece of a value that could  |
|                        | tab: a cell that starts with = + - @ | start a cell with one of those;    |
|                        | tab CR (or their full-width forms)   | then RFC 4180 quoting (csv module) |
|                        | is a formula                         |                                    |
+------------------------+--------------------------------------+------------------------------------+
| sources.bib            | BibTeX/biber and LaTeX: braces group,| bib_text: LaTeX specials escaped,  |
|                        | \\ # $ % & _ ~ ^ are commands, "--" | ligatures broken; bib_url: the url |
|                        | is a dash; the url field is read     | field verbatim, braces or a        |
|                        | verbatim                             | backslash that would break the     |
|                        |                                      | field percent-encoded              |
+------------------------+--------------------------------------+------------------------------------+
| sources.csl.json       | citeproc-js, Zotero, Pandoc: JSON;   | JSON, as written (see below)       |
|                        | citeproc reads <i> <b> <sc> <sup>    |                                    |
|                        | <sub> <span class="nocase"> as       |                                    |
|                        | formatting, and escapes all other    |                                    |
|                        | text for its own output              |                                    |
+------------------------+--------------------------------------+------------------------------------+
| timeline.json          | TimelineJS 3: headline, text,        | timeline_html (escaped once) for   |
|                        | media caption and credit go through  | the sanitised fields;              |
|                        | DOMPurify, then innerHTML; group and | timeline_plain (escaped twice) for |
|                        | display_date are decoded as HTML     | the stripped ones; unique_id is    |
|                        | (stripMarkup: textContent) and the   | only ever an element id, set       |
|                        | result is put into innerHTML         | through the DOM                    |
+------------------------+--------------------------------------+------------------------------------+
| quotes.json,           | any JSON parser: text is data        | JSON, as written                   |
| briefing.json          |                                      |                                    |
+------------------------+--------------------------------------+------------------------------------+
| the search's records   | Pagefind 1.5 reads each record as    | pagefind_text (escaped once) for   |
| (finder.py, search.js) | HTML: body text is decoded once,     | the body; pagefind_filter (escaped |
|                        | a filter's attribute value twice;    | twice) for filter values; search.js|
|                        | search.js shows every value with     | never writes HTML                  |
|                        | textContent                          |                                    |
+------------------------+--------------------------------------+------------------------------------+

TimelineJS (3.9.11, node_modules/@knight-lab/timelinejs/src/js/core/TimelineConfig.js) lists the
fields it sanitises (text.headline, text.text, media.caption, media.credit) and those it strips
of markup (display_date of a slide, its start_date and end_date, and group); the export writes
no media, eras or backgrounds, and a field added later takes the encoder of its list.

CSL-JSON has no way to say "these angle brackets are text": a title holding ``<i>x</i>`` is set
in italics by citeproc (never run: citeproc escapes everything else for HTML). The briefing
writes the entry's text unchanged there rather than invent an escape no reader of CSL knows.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

# --- HTML and XML ------------------------------------------------------------------------------

_XML_INVALID = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: object) -> str:
    """Text or attribute value safe inside XML and HTML: no markup, no characters XML forbids,
    white space on one line."""
    return html.escape(_XML_INVALID.sub("", " ".join(str(value).split())), quote=True)


def xml_text_block(text: str) -> str:
    """Like xml_text but keeping line breaks and indentation, for <pre>."""
    return html.escape(_XML_INVALID.sub("", text), quote=True)


def script_json(data: Any) -> str:
    """JSON for a <script> element: nothing in it can close the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, code in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                       ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    return text


# --- TimelineJS --------------------------------------------------------------------------------


def timeline_html(value: object) -> str:
    """A TimelineJS field it sanitises and shows as HTML (headline, text, media caption and credit):
    the text escaped once, so DOMPurify has nothing to remove and the reader sees the text."""
    return xml_text(value)


def timeline_plain(value: object) -> str:
    """A TimelineJS field it reads as plain text (group, display_date): TimelineJS decodes it as HTML
    (stripMarkup), then inserts the result as HTML, so the text is escaped twice."""
    return html.escape(xml_text(value), quote=True)


# --- Pagefind (the finder's records) -----------------------------------------------------------


def pagefind_text(value: str) -> str:
    """Text in a record's body: Pagefind decodes it once."""
    return html.escape(value)


def pagefind_filter(value: str) -> str:
    """A filter value in a ``content`` attribute: Pagefind 1.5 decodes it twice (the HTML parser,
    then once more as it stores the filter), so it is escaped twice."""
    return html.escape(html.escape(value))


# --- CSV ---------------------------------------------------------------------------------------

# What starts a formula in a cell (OWASP's list, and the full-width forms some spreadsheets
# read as the same), and what may end a cell in one of the common dialects: the three
# separators spreadsheets offer by default, and line breaks.
FORMULA_STARTS = "=+-@\t\r\uff1d\uff0b\uff0d\uff20"
CSV_SEPARATORS = ",;\t\r\n"
# A piece of a value that could start a cell is the value's start, or what follows a separator.
# It is neutralised when, past any quotes, apostrophes and spaces, it starts a formula. After a
# separator the file itself does not write (";", tab, a line break) it is neutralised too when
# nothing follows: a reader that splits there reads the file's own closing quote as the start of
# a quoted cell, which then starts with the file's line break (a CR). The file's own separator,
# ",", is never read so: a value holding one is quoted.
_STARTS = re.escape(FORMULA_STARTS)
_SEPARATORS = re.escape(CSV_SEPARATORS)
_FOREIGN = re.escape(CSV_SEPARATORS.replace(",", ""))
_RISKY = re.compile(rf"^(?=['\" ]*[{_STARTS}])|([{_SEPARATORS}])(?=['\" ]*[{_STARTS}])|([{_FOREIGN}])(?=['\" ]*\Z)")
_SPLIT = re.compile(f"[{_SEPARATORS}]").search
_NEUTRALISED = re.compile(
    rf"^'(?=['\" ]*[{_STARTS}])|([{_SEPARATORS}])'(?=['\" ]*[{_STARTS}])|([{_FOREIGN}])'(?=['\" ]*\Z)")


def csv_cell(value: str) -> str:
    """A CSV value no spreadsheet runs, whichever of ",", ";" or tab it splits cells on.

    OWASP's advice is that no cell may start with = + - @ tab or CR, and that checking a value's
    first character is not enough when a separator inside it can start a new cell. So an
    apostrophe (a spreadsheet's "this is text" mark) goes before the value and after every
    separator inside it where a cell would start with one of them; nothing else changes, so the
    text reads as written ("Title;=1+2" becomes "Title;'=1+2"). The marks are told apart from an
    apostrophe the text itself had (csv_cell_text removes exactly the ones added).
    """
    if _SPLIT(value) is None:  # no separator: only the value's own start could start a cell
        first = value.lstrip("'\" ")[:1]
        if not first or first not in FORMULA_STARTS:
            return value  # most cells (ids, names, dates): 1.5 s of 3 s for quotes.csv at 10,000 sources
    return _RISKY.sub(lambda m: (m.group(1) or m.group(2) or "") + "'", value)


def csv_cell_text(cell: str) -> str:
    """The value ``csv_cell`` was given, from what it made."""
    return _NEUTRALISED.sub(lambda m: m.group(1) or m.group(2) or "", cell)


# --- BibTeX ------------------------------------------------------------------------------------

_BIBTEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "#": r"\#", "$": r"\$", "%": r"\%", "&": r"\&",
           "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_BIBTEX_TRANS = str.maketrans(_BIBTEX)
_LIGATURE = re.compile(r"([-`'!?])(?=[-`'])")


def bib_text(value: str) -> str:
    """A BibTeX field value (inside braces): specials escaped, white space on one line, and the
    ligatures TeX would make of '--', '``', "''", '!`' and '?`' broken with an empty group."""
    return _LIGATURE.sub(r"\1{}", " ".join(value.split()).translate(_BIBTEX_TRANS))


def bib_url(url: str) -> str:
    """A BibTeX ``url`` field value (inside braces): the address as written, since biblatex and
    the url package read the field verbatim (``%``, ``#``, ``_`` and ``~`` are plain characters).

    What a verbatim field cannot hold is a brace that does not pair up or a backslash (bibtexparser
    and LaTeX read ``\\{`` as an escaped brace, and one before the closing brace swallows it); an
    address with those has its braces and backslashes percent-encoded, as RFC 3986 writes them.
    White space, which no address holds, is percent-encoded too."""
    if "\\" in url or not _paired(url) or re.search(r"\s", url):
        return re.sub(r"[\\{}\s]", lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), url)
    return url


def _paired(text: str) -> bool:
    depth = 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0
