"""The source archive: the captured documents every quote is checked against, byte for byte."""

from __future__ import annotations

import datetime
import difflib
import hashlib
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from . import dates
from .problems import printable


def normalize(text: str) -> str:
    """Only runs of white space may differ between a quote and its document."""
    # str.split() breaks at exactly what the regex \s+ matches (str.isspace), several times faster.
    return " ".join(text.split())


@dataclass
class Archive:
    """Where the archived documents are. ``required`` when a path was configured (the plugin's
    ``archive`` option or BRIEFING_ARCHIVE), so a missing folder is an error, never a skipped check."""

    path: Path | None
    required: bool = False
    named_in: str = "BRIEFING_ARCHIVE"  # where the path was set: "BRIEFING_ARCHIVE" or "mkdocs.yml"
    refused: str | None = None  # why the folder mkdocs.yml names is not read: "'archive' is a symbolic link"
    _hashes: dict[str, str | None] = field(default_factory=dict, repr=False)
    _documents: dict[str, Document | None] = field(default_factory=dict, repr=False)

    @property
    def available(self) -> bool:
        return self.path is not None and self.path.is_dir()

    def _file(self, name: str) -> Path | None:
        # No separate check that the folder exists: a file in a missing folder is not a file either.
        if self.path is None or "/" in name or "\\" in name or name.startswith("."):
            return None
        candidate = self.path / name
        # A link is no archived document: it could point anywhere (/proc/self/environ, a file outside).
        return candidate if candidate.is_file() and not candidate.is_symlink() else None

    def sha256(self, name: str) -> str | None:
        if name not in self._hashes:
            self._read(name)
        return self._hashes[name]

    def text(self, name: str) -> str | None:
        """The document, white space normalized; None when it is not in the archive."""
        document = self.document(name)
        return None if document is None else document.text

    def document(self, name: str) -> Document | None:
        """The document with its lines (paragraphs) known; None when it is not in the archive."""
        if name not in self._documents:
            self._read(name)
        return self._documents[name]

    def _read(self, name: str) -> None:
        """Read a document once for both its hash and its text: each is asked for once per source."""
        found = self._file(name)
        if found is None:
            self._hashes[name] = self._documents[name] = None
            return
        raw = found.read_bytes()
        self._hashes[name] = hashlib.sha256(raw).hexdigest()
        # Decoding the bytes skips text mode's newline translation; normalizing makes that moot.
        self._documents[name] = Document.read(raw.decode("utf-8", errors="replace"))


# --- a document's paragraphs -------------------------------------------------------------------
#
# The archived documents are plain-text captures of web pages. The capture puts each block of the
# page (a paragraph, a heading, a list item, a link, a caption) on a line of its own and never wraps
# a paragraph: the first five documents have lines of up to 897 characters, separated by a blank
# line in four of them and by a bare line break in the fifth. So a line of the file is a paragraph,
# blank lines are only space, and an entry names page furniture by line numbers as `cat -n` and
# editors count them.


class Document:
    """An archived document: its white space normalized, and which line of the file each stretch
    of it comes from. Kept once per document for a whole run, so it holds little: the normalized
    lines joined by line breaks, and the line numbers of the non-blank ones."""

    __slots__ = ("lined", "numbers", "line_count", "_text", "_starts")

    def __init__(self, lined: str, numbers: tuple[int, ...], line_count: int):
        self.lined = lined            # each non-blank line normalized, joined by "\n": ``text``'s offsets
        self.numbers = numbers        # the file's line number of each of them, from 1
        self.line_count = line_count  # lines in the file, as `cat -n` numbers them
        self._text: str | None = None
        self._starts: list[int] | None = None

    @classmethod
    def read(cls, raw: str) -> Document:
        lines = raw.split("\n")
        parts = [" ".join(line.split()) for line in lines]
        # Every line break is white space, so the kept lines joined by a space are normalize(raw).
        return cls("\n".join([part for part in parts if part]),
                   tuple([number for number, part in enumerate(parts, 1) if part]),
                   len(lines) - (lines[-1] == ""))

    @property
    def text(self) -> str:
        """The document, white space normalized: what quotes are compared with."""
        if self._text is None:
            self._text = self.lined.replace("\n", " ")
        return self._text

    @property
    def starts(self) -> list[int]:
        """Where each non-blank line begins in ``text``."""
        if self._starts is None:
            self._starts = [0] if self.numbers else []
            at = self.lined.find("\n")
            while at != -1:
                self._starts.append(at + 1)
                at = self.lined.find("\n", at + 1)
        return self._starts

    def has_text(self, number: int) -> bool:
        """Whether line ``number`` of the file (from 1) holds more than white space."""
        at = bisect_left(self.numbers, number)
        return at < len(self.numbers) and self.numbers[at] == number

    def line_at(self, offset: int) -> int:
        """The file's line number of a character of ``text``."""
        return self.numbers[max(0, bisect_right(self.starts, offset) - 1)] if self.numbers else 1

    def searchable(self, furniture: frozenset[int] | set[int] | dict[int, str], across_lines: bool) -> str:
        """``text`` with what a quote may not take in blotted out, at the same offsets: a line break
        between two lines (unless the quote may run across them) and NULs over furniture lines.
        Quotes hold neither, so a plain search in it finds only places a quote may come from."""
        lined = self.lined
        if furniture:  # not strict: a document with no line has one empty part and no number
            lined = "\n".join(["\0" * len(part) if number in furniture else part
                               for part, number in zip(lined.split("\n"), self.numbers, strict=False)])
        return lined.replace("\n", " ") if across_lines else lined


# --- where a quote stands ----------------------------------------------------------------------

JOINERS = "-'\u2019"  # inside a word when letters or digits stand on both sides: don't, Russian-Iranian
NUMBER_JOINERS = ".,"  # inside a number when digits stand on both sides: 3.5, 10,000
PLACES = 100  # places of one quote examined one by one; past that a regular expression goes on (exact)


def _inside_word(text: str, i: int) -> bool:
    """Whether offset ``i`` of ``text`` (between text[i-1] and text[i]) falls inside a word."""
    if i <= 0 or i >= len(text):
        return False
    a, b = text[i - 1], text[i]
    if a.isalnum() and b.isalnum():
        return True
    if a in JOINERS and b.isalnum():
        return i >= 2 and text[i - 2].isalnum()
    if b in JOINERS and a.isalnum():
        return i + 1 < len(text) and text[i + 1].isalnum()
    if a in NUMBER_JOINERS and b.isdecimal():
        return i >= 2 and text[i - 2].isdecimal()
    if b in NUMBER_JOINERS and a.isdecimal():
        return i + 1 < len(text) and text[i + 1].isdecimal()
    return False


def _word_around(text: str, i: int, reach: int = 40) -> str:
    """The word offset ``i`` falls inside, for a message (at most ``reach`` characters each way)."""
    start, end = i, i
    while start > max(0, i - reach) and _inside_word(text, start - 1):
        start -= 1
    while end < min(len(text), i + reach) and _inside_word(text, end + 1):
        end += 1
    return text[max(0, start - 1):end + 1]


def _pattern(needle: str) -> re.Pattern[str]:
    """A regular expression for ``needle`` (two characters or more) standing on word boundaries:
    ``_inside_word`` at both of its ends, written as look-arounds. The needle comes first, so the
    regular expression engine looks for it as a literal, in one pass over the text; what stands
    before it is looked back at across it (``(?s:.){n}``, a jump, not a comparison). With the
    look-behind first, the engine tried the whole needle at every position: a long quote in a
    large document took minutes."""
    head, second, before_tail, tail = needle[0], needle[1], needle[-2], needle[-1]
    across = f"(?s:.){{{len(needle)}}}"
    parts = [re.escape(needle)]
    if head.isalnum():
        parts.append(rf"(?<![^\W_]{across})(?<![^\W_][-'\u2019]{across})"
                     + (rf"(?<!\d[.,]{across})" if head.isdecimal() else ""))
    elif head in JOINERS and second.isalnum():
        parts.append(rf"(?<![^\W_]{across})")
    elif head in NUMBER_JOINERS and second.isdecimal():
        parts.append(rf"(?<!\d{across})")
    if tail.isalnum():
        parts.append(r"(?![^\W_])(?![-'\u2019][^\W_])" + (r"(?![.,]\d)" if tail.isdecimal() else ""))
    elif tail in JOINERS and before_tail.isalnum():
        parts.append(r"(?![^\W_])")
    elif tail in NUMBER_JOINERS and before_tail.isdecimal():
        parts.append(r"(?!\d)")
    return re.compile("".join(parts))


def quoted_at(searchable: str, needle: str) -> int:
    """Where ``needle`` (normalized) stands in ``searchable`` (``Document.searchable``) beginning and
    ending on word boundaries, or -1. The first place almost always is one; a short quote that keeps
    turning up inside words is left, after PLACES places, to a regular expression, which costs
    compiling it but then runs at C speed."""
    if "\0" in needle:  # what blots out furniture; a document's own NULs are found by best_place
        return -1
    at, tried = searchable.find(needle), 0
    while at != -1:
        if not _inside_word(searchable, at) and not _inside_word(searchable, at + len(needle)):
            return at
        tried += 1
        if tried == PLACES and len(needle) > 1:
            found = _pattern(needle).search(searchable, at + 1)
            return found.start() if found else -1
        at = searchable.find(needle, at + 1)
    return -1


@dataclass(frozen=True)
class Place:
    """A place where a quote's text is in its document, and what keeps it from being the quote's."""

    lines: tuple[int, int]           # the file's first and last line it takes text from
    starts_inside: str | None        # the word it begins inside, if it does
    ends_inside: str | None          # the word it ends inside, if it does
    crosses: bool                    # runs from one paragraph (line) into another, and may not
    furniture: tuple[int, ...]       # furniture lines it takes text from

    @property
    def faults(self) -> int:
        return sum(map(bool, (self.starts_inside, self.ends_inside, self.crosses, self.furniture)))


def best_place(document: Document, needle: str, furniture: frozenset[int] | set[int] | dict[int, str],
               across_lines: bool) -> Place | None:
    """Of the first PLACES places of ``needle`` in ``document.text``, the one with the fewest faults
    (the first of those): what to tell the editor when ``quoted_at`` found none that will do."""
    text = document.text
    best: tuple[int, int, int, int, int, tuple[int, ...]] | None = None  # faults, start, end, lines, furniture
    at = text.find(needle) if needle else -1
    for _ in range(PLACES):
        if at == -1:
            break
        end = at + len(needle)
        first, last = bisect_right(document.starts, at) - 1, bisect_right(document.starts, end - 1) - 1
        taken = tuple(n for n in document.numbers[first:last + 1] if n in furniture)
        faults = _inside_word(text, at) + _inside_word(text, end) + (first != last and not across_lines) + bool(taken)
        if best is None or faults < best[0]:
            best = (faults, at, end, first, last, taken)
        at = text.find(needle, at + 1)
    if best is None:
        return None
    # The words a place starts or ends inside are worked out for the place told only: for each of
    # a hundred places, a quote found only inside words took 15 ms, whatever the document's size.
    _, at, end, first, last, taken = best
    return Place((document.numbers[first], document.numbers[last]),
                 _word_around(text, at) if _inside_word(text, at) else None,
                 _word_around(text, end) if _inside_word(text, end) else None,
                 first != last and not across_lines, taken)


# --- the closest passage, for a quote that is not in its document ------------------------------
#
# difflib over the characters of the whole document and the whole quote took time in proportion to
# both (a 969 KB quote against a 6.7 KB document: 23 minutes). Here words find the place: each of
# the quote's first HINT_WORDS words that is rare in the document votes for where the quote would
# begin if it were there; difflib then aligns words (not characters, so the passage starts on the
# word the quote starts on) in a window around the winner. The work is bounded whatever the quote.

HINT_WORDS = 200   # words of the quote used to find its closest passage
HINT_COMMON = 50   # a word the document has more often than this says nothing about where a quote is
HINT_MARGIN = 10   # document words on each side of the best alignment that difflib looks at
HINTS_PER_ENTRY = 20  # closest passages worked out for one entry; the rest of its misquotes get none
# Characters of its document one entry's quotes may be looked for in (a search of the whole
# document for a quote found, up to three for one that is not): 500 searches of a megabyte, 2 s at
# most here. A 990 KB entry of 14,500 quotes against a 900 KB document took 24 s, and 2,916 quotes
# found only inside words of a 316 KB document 39 s; a real entry of 50 quotes of a 1 MB document
# reads a tenth of this.
SEARCH_BUDGET = 500_000_000
_PUNCTUATION = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb()[]{}.,;:!?\u2026-\u2013\u2014*/"


def _key(word: str) -> str:
    return word.strip(_PUNCTUATION).casefold()


@lru_cache(maxsize=4)  # every misquote of an entry searches the same document
def _words(document: str) -> tuple[list[tuple[int, int]], list[str], dict[str, list[int]]]:
    spans = [m.span() for m in re.finditer(r"\S+", document)]
    keys = [_key(document[a:b]) for a, b in spans]
    where: dict[str, list[int]] = {}
    for index, key in enumerate(keys):
        where.setdefault(key, []).append(index)
    return spans, keys, where


def closest_span(document: str, quote: str) -> tuple[int, int] | None:
    """The stretch of ``document`` (normalized) that best lines up with a quote that is not in it, as
    character offsets; None when none of its words is in the document."""
    words = quote.split(None, HINT_WORDS)[:HINT_WORDS]  # never the whole of a long quote
    qkeys = [_key(word) for word in words]
    spans, keys, where = _words(document)
    votes: dict[int, int] = {}
    for index, key in enumerate(qkeys):
        found = where.get(key) if key else None
        if found and len(found) <= HINT_COMMON:
            for at in found:
                votes[at - index] = votes.get(at - index, 0) + 1
    if not votes:
        return None
    offset = max(votes, key=lambda o: (votes[o], -o))  # the most votes; the earliest of equals
    low, high = max(0, offset - HINT_MARGIN), min(len(keys), offset + len(qkeys) + HINT_MARGIN)
    matcher = difflib.SequenceMatcher(None, keys[low:high], qkeys, autojunk=False)
    blocks = [block for block in matcher.get_matching_blocks() if block.size]
    first, last = blocks[0], blocks[-1]
    start = max(0, low + first.a - first.b)
    end = min(len(keys), low + last.a + last.size + len(qkeys) - last.b - last.size)
    begin, finish = spans[start][0], spans[max(start, end - 1)][1]
    head, tail = words[0][:1], words[-1][-1:]
    while begin < finish - 1 and not document[begin].isalnum() and document[begin] != head:
        begin += 1  # the quotation mark before the first word, which the quote leaves out
    while finish > begin + 1 and not document[finish - 1].isalnum() and document[finish - 1] != tail:
        finish -= 1
    return begin, finish


def word_changes(quote: str, passage: str, most: int = 4) -> list[str]:
    """What to change in ``quote``, word by word, to make it the ``passage`` it was taken from:
    'add "to" after "way"', 'remove "the"', 'write "have" for "hve"'. Words are compared as
    written (case and punctuation count: the check is character for character); at most
    ``most`` changes, then "and N more". Bounded: both sides are cut to HINT_WORDS words."""
    mine, theirs = quote.split()[:HINT_WORDS], passage.split()[:HINT_WORDS + 2 * HINT_MARGIN]
    changes = []
    # The passage first, the quote second, as closest_span gives difflib its words.
    for op, b1, b2, a1, a2 in difflib.SequenceMatcher(None, theirs, mine, autojunk=False).get_opcodes():
        old, new = " ".join(mine[a1:a2]), " ".join(theirs[b1:b2])
        if op == "delete":  # in the passage, not in the quote
            changes.append(f'add "{new}" after "{mine[a1 - 1]}"' if a1 else f'add "{new}" at the start')
        elif op == "insert":  # in the quote, not in the passage
            changes.append(f'remove "{old}"')
        elif op == "replace":
            changes.append(f'write "{new}" for "{old}"')
    if len(changes) > most:
        changes = changes[:most] + [f"and {len(changes) - most} more"]
    return changes



# --- where each document came from: the archive's records ---------------------------------------
# `briefing archive add` writes one record per document to RECORDS (captures.py); validate checks
# them, and the contributor commands read them, with these checks: a pull request can change the
# file, and `briefing new source` writes a record's address and date into a new entry.

RECORDS = "captures.yml"
NAMED = re.compile(r"(\d{3,})_[0-9a-f]{16}(\.[A-Za-z0-9]+)?$")  # an archived document's name
RECORD_FIELDS = ("file", "sha256", "url", "captured", "added", "note")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_ISO_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")


def shown(value: str, most: int = 60) -> str:
    """A value an editor wrote, for a message: made printable, and cut after ``most`` characters."""
    return printable(value if len(value) <= most else value[:most] + "...")


def address_fault(url: str) -> tuple[str, str] | None:
    """What keeps ``url`` from being an http(s) address that urllib takes apart without an error
    (host, port and all, so nothing that parses it again can raise): ("invalid", why), ("scheme",
    "") or ("host", ""); None when nothing does. Entries' url fields and the records' share it."""
    try:
        parts = urlsplit(url.strip())
        host, _ = parts.hostname, parts.port  # each raises ValueError for what urlsplit let through
    except ValueError as exc:  # "http://[::1": brackets, a port out of range, a host NFKC would change
        return "invalid", str(exc)
    if parts.scheme not in ("http", "https") or not parts.netloc or re.search(r"\s", url):
        return "scheme", ""
    if not host:
        return "host", ""
    return None


def address_problem(url: str) -> str | None:
    """What keeps ``url`` from being a web address a record may hold; None when it is one."""
    if address_fault(url) is None:
        return None
    return f"'{shown(url)}' is not a web address: give the full http:// or https:// address"


def date_problem(value: str, latest: datetime.date, what: str = "the document was captured") -> str | None:
    """What keeps ``value`` from being a date no later than ``latest``; None when it is one."""
    try:
        if not _ISO_DATE.fullmatch(value):  # int() would take "01\n" for a day
            raise ValueError(value)
        day = dates.first_day(value)
    except (ValueError, TypeError):
        return f"'{shown(value)}' is not a date: write YYYY-MM-DD (or YYYY-MM, YYYY)"
    if day > latest:
        return f"'{value}' is in the future: give the date {what}"
    return None


def record_problem(item: object, today: datetime.date) -> tuple[str, str | None] | None:
    """What is wrong with one record, and the field it is in (None: the record as a whole). Its
    dates may be a day past ``today``: they were written on their author's day, and that can be
    tomorrow here (a record made in Kiritimati stopped everyone west of it)."""
    if not isinstance(item, dict):
        return "a record is a mapping: - file: ..., sha256: ...", None
    for key, value in item.items():
        if key not in RECORD_FIELDS:
            return f"'{shown(str(key))}' is not a field of a record ({', '.join(RECORD_FIELDS)})", key
        if not isinstance(value, str):
            return f"{key} should be text, in quotes", key
    for key in ("file", "sha256"):
        if key not in item:
            return f"a record needs its {key}", None
    if not NAMED.fullmatch(item["file"]):
        return f"'{shown(item['file'])}' is not an archive name (NNN_ and 16 hexadecimal digits)", "file"
    if not _SHA256.fullmatch(item["sha256"]):
        return "sha256 should be 64 lower-case hexadecimal digits", "sha256"
    latest = today + datetime.timedelta(days=1)
    said = {"url": lambda: address_problem(item["url"]),
            "captured": lambda: date_problem(item["captured"], latest),
            "added": lambda: date_problem(item["added"], latest, "it was put in the archive")}
    for key, check in said.items():
        if key in item and (wrong := check()) is not None:
            return f"{key}: {wrong}", key
    return None
