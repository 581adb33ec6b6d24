"""Which quoted passages of an archived document a source entry captures: ``briefing coverage``.

A *quoted passage* is text the document prints between quotation marks, within one paragraph
(one line of the capture): "straight", “curly”, «guillemets», and ‘single’ or 'single' ones
where the marks are clearly quotation marks, not apostrophes (the opening one stands after a
space or a bracket and before a letter; the closing one after a letter or punctuation and not
before a letter). A quotation that is still open at the end of its paragraph (the English habit
of running a quotation on into the next paragraph) ends there. Single quotes inside a double-quoted
passage are part of it.

A passage is *captured* when a quote of the entry takes text from it, wherever the document
prints that text (a capture holding a block twice has each passage twice), and *left out* when
the entry's ``left_out`` list names it with a reason (a quoted title, a slogan, a word the
document only puts in quotation marks). Passages on lines the entry marks as page furniture
(``archive.furniture``) do not count. Everything else is reported, with its line in the file.

``coverage_problem`` words the result as a note for ``briefing validate``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from .archive import Archive, Document, normalize
from .load import load_file
from .problems import BriefingError, Problem, errors, printable
from .rules import QUOTE_COVERAGE

T = TypeVar("T")

# opening mark -> the closing marks that end it
DOUBLE = {"\u201c": "\u201d", "\u201e": "\u201d\u201c", "\u00ab": "\u00bb"}
SINGLE = {"\u2018": "\u2019"}
_TWO_LETTERS = re.compile(r"[^\W_][\s\S]*?[^\W_]")  # a passage holds at least two letters
_CLOSING = {closing: re.compile(f"[{re.escape(closing)}]") for closing in (*DOUBLE.values(), '"')}
_MARKS = re.compile("[" + re.escape("".join(DOUBLE) + "".join(SINGLE) + "\"'") + "]")


@dataclass(frozen=True)
class Passage:
    """A quoted passage: its text (without the marks) at ``start:end`` of ``Document.text``."""

    start: int
    end: int
    line: int    # the file's line it is on, from 1
    text: str
    mark: str    # the opening quotation mark


def _spans_in(line: str) -> list[tuple[int, int, str]]:
    """(start, end, mark) of the quoted passages of one paragraph; offsets of the content."""
    spans: list[tuple[int, int, str]] = []
    i, n = 0, len(line)
    closers: dict[str, tuple[int, int | None]] = {}  # closing mark -> (searched from, first found)
    while i < n:
        # Only a quotation mark starts a passage: go straight to the next one (a character-by-
        # character walk over every archived line was a third of reading 10,000 entries).
        found = _MARKS.search(line, i)
        if found is None:
            break
        i = found.start()
        c = line[i]
        before = line[i - 1] if i else " "
        after = line[i + 1] if i + 1 < n else " "
        if c in DOUBLE or (c == '"' and not after.isspace()):
            end = _close(line, i + 1, DOUBLE.get(c, '"'))
            spans.append((i + 1, end, c))
            i = end + 1
        elif (c in SINGLE or c == "'") and (before.isspace() or before in "([{\u2014\u2013") and after.isalnum():
            closing = SINGLE.get(c, "'")
            closed = _close_single(line, i + 1, closing, closers)
            if closed is not None:
                spans.append((i + 1, closed, c))
                i = closed + 1
            else:
                i += 1
        else:
            i += 1
    return [(a, b, m) for a, b, m in spans if _TWO_LETTERS.search(line, a, b)]


def _close(line: str, start: int, closing: str) -> int:
    """Where a double-quoted passage starting at ``start`` ends: its closing mark, else the line's end."""
    marks = _CLOSING[closing]
    found = marks.search(line, start)
    while found is not None:
        j = found.start()
        if closing != '"' or not line[j - 1].isspace() or j == start:
            return j
        found = marks.search(line, j + 1)
    return len(line)


SINGLE_REACH = 300  # characters a single-quoted passage may run: past that, the mark was an apostrophe


# A closing single mark: after a non-space, not followed by a letter or digit (an apostrophe is).
# ([^\W_] is str.isalnum, and \s str.isspace, for one character.)
_CLOSING_SINGLE = {closing: re.compile(rf"(?<=\S){re.escape(closing)}(?![^\W_])")
                   for closing in (*SINGLE.values(), "'")}


def _close_single(line: str, start: int, closing: str, closers: dict[str, tuple[int, int | None]]) -> int | None:
    """The closing single mark of a passage starting at ``start``, if within SINGLE_REACH.

    Whether a mark closes does not depend on where the passage opened, so the first closing mark
    found from one start is the answer for every later start up to it: ``closers`` keeps it for
    the line. Looking again from each opening mark read " 'a 'a 'a ..." (a megabyte of it) 300
    characters at a time, for 9 s."""
    searched, found = closers.get(closing, (len(line) + 1, None))
    if not (searched <= start and (found is None or found >= start)):
        match = _CLOSING_SINGLE[closing].search(line, start)
        found = match.start() if match else None
        closers[closing] = (start, found)
    return found if found is not None and found < start + SINGLE_REACH else None


def quoted_passages(document: Document) -> list[Passage]:
    """Every quoted passage of the document, in order; white space at their ends left out."""
    found = []
    ends = (*document.starts[1:], len(document.text) + 1)
    # Not strict: a document with no line has no start and no number, but one end.
    for start, end, number in zip(document.starts, ends, document.numbers, strict=False):
        line = document.text[start:end - 1]
        for a, b, mark in _spans_in(line):
            text = line[a:b]
            a += len(text) - len(text.lstrip())
            b -= len(text) - len(text.rstrip())
            found.append(Passage(start + a, start + b, number, line[a:b], mark))
    return found


def _places(text: str, needle: str) -> Iterable[tuple[int, int]]:
    at = text.find(needle) if needle else -1
    while at != -1:
        yield at, at + len(needle)
        at = text.find(needle, at + 1)


def _runs(text: str, needle: str) -> Iterator[tuple[int, int]]:
    """The places of ``needle``, those that overlap joined as they are found: "x x" in a run of
    "x x x ..." is one run, not a place per letter (300 such quotes held 7 GB)."""
    run: tuple[int, int] | None = None
    for start, end in _places(text, needle):
        if run is not None and start < run[1]:
            run = (run[0], end)
            continue
        if run is not None:
            yield run
        run = (start, end)
    if run is not None:
        yield run


@dataclass(frozen=True)
class Coverage:
    passages: list[Passage]      # every quoted passage outside furniture
    missing: list[Passage]       # neither captured nor left out
    left_out: int                # passages the entry leaves out on purpose
    stale: list[str]             # left_out texts that are not in the document


def fill_lines(ranges: Iterable[tuple[int, int, T]]) -> dict[int, T]:
    """Line -> the value of the first range (first, last, value) that covers it, each line visited
    once however the ranges overlap (5,000 furniture items of "1-499000" took minutes)."""
    found: dict[int, T] = {}
    after: dict[int, int] = {}  # a covered line -> a later line, not covered when it was set

    def uncovered(line: int) -> int:
        path = []
        while line in after:
            path.append(line)
            line = after[line]
        for seen in path:
            after[seen] = line
        return line

    for first, last, value in ranges:
        line = uncovered(first)
        while line <= last:
            found[line] = value
            after[line] = line + 1
            line = uncovered(line + 1)
    return found


def furniture_lines(data: dict[str, Any], line_count: int) -> set[int]:
    """The lines an entry marks as furniture, of a document of ``line_count`` lines."""
    ranges = []
    archive = data.get("archive")
    for item in (archive.get("furniture") or [] if isinstance(archive, dict) else []):
        try:
            first, _, last = str(item["lines"]).partition("-")
            ranges.append((int(first), min(int(last or first), line_count), None))
        except (KeyError, TypeError, ValueError):
            continue
    return set(fill_lines(ranges))


def _meeting(text: str, needle: str, passages: list[Passage]) -> Iterable[tuple[int, int]]:
    """Spans of ``text`` that meet a passage exactly when a place of ``needle`` does: its places
    (overlapping ones joined), or, for a needle found more often than there are passages, for each
    passage one of its places that overlaps it. Either way the work is bounded by the fewer of
    the two: 300 quotes "x", "x x", ... against a document of a million letters x took minutes
    place by place."""
    if text.count(needle) <= len(passages):
        return _runs(text, needle)
    reach = len(needle) - 1  # a place overlaps [start, end) if it starts less than its length before end
    found = (text.find(needle, max(0, p.start - reach), p.end + reach) for p in passages)
    return [(at, at + len(needle)) for at in found if at != -1]


@lru_cache(maxsize=4)  # every source entry citing one document asks (50 drafts of one took minutes)
def _passages(document: Document) -> list[Passage]:
    return quoted_passages(document)


def coverage(document: Document, data: dict[str, Any]) -> Coverage:
    """How far the entry ``data`` (a source, as read from YAML) captures ``document``'s quoted
    passages. Tolerates what a half-written entry may lack (no ``left_out``, no quotes)."""
    furniture = furniture_lines(data, document.line_count)
    passages = [p for p in _passages(document) if p.line not in furniture]
    taken: list[tuple[int, int]] = []
    quotes = data.get("quotes")
    needles = {normalize(quote["text"]) for quote in (quotes if isinstance(quotes, list) else [])
               if isinstance(quote, dict) and isinstance(quote.get("text"), str)} - {""}
    text = document.text
    for needle in sorted(needles) if passages else ():  # no passage: nothing to capture
        taken.extend(_meeting(text, needle, passages))
    skipped: list[tuple[int, int]] = []
    stale = []
    left_out = data.get("left_out")
    for item in left_out if isinstance(left_out, list) else []:
        written = item.get("text") if isinstance(item, dict) else None
        if isinstance(written, str):
            needle = normalize(written)
            if not needle or needle not in text:
                stale.append(written)
            elif passages:
                skipped.extend(_meeting(text, needle, passages))

    captured, explained = Spans(taken), Spans(skipped)
    missing = [p for p in passages if not captured.meets(p.start, p.end) and not explained.meets(p.start, p.end)]
    left = sum(1 for p in passages if not captured.meets(p.start, p.end) and explained.meets(p.start, p.end))
    return Coverage(passages, missing, left, stale)


class Spans:
    """Places in a text (start, end: end excluded), merged, so whether a passage meets any of them
    is one search (a quote of two letters can have a hundred thousand places, and a document
    twenty thousand quoted passages: checking each against each took minutes)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for a, b in sorted(spans):
            if merged and a < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self.starts = [a for a, _ in merged]
        self.ends = [b for _, b in merged]

    def meets(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps one of the spans."""
        i = bisect_right(self.ends, start)  # the first span that ends after ``start``
        return i < len(self.starts) and self.starts[i] < end


def shorten(text: str, width: int = 100) -> str:
    return text if len(text) <= width else text[:width - 3] + "..."


def as_printed(document: Document, p: Passage, width: int = 100) -> str:
    """The passage between its own quotation marks (the closing one when the document has it)."""
    after = document.text[p.end:p.end + 1]
    close = after if after and not after.isalnum() and not after.isspace() and after in '"\u201d\u2019\u00bb\'' else ""
    return f"{p.mark}{shorten(p.text, width)}{close}"


def coverage_problem(entry, archive: Archive) -> Problem | None:
    """A ``note`` for ``briefing validate`` when a source (a checked ``EntryFile``) leaves quoted
    passages of its document uncaptured and unexplained; None when it captures them all (or its
    document is not in the archive, which validate reports itself)."""
    data = entry.data
    if entry.kind != "source" or not isinstance(data, dict):
        return None
    archived = data.get("archive")
    name = archived.get("file") if isinstance(archived, dict) else None
    document = archive.document(name) if isinstance(name, str) else None
    if document is None:
        return None
    result = coverage(document, data)
    if not result.missing:
        return None
    lines = ", ".join(str(p.line) for p in result.missing[:10]) + (", ..." if len(result.missing) > 10 else "")
    count = len(result.missing)
    return entry.problem(("quotes",), f"{count} quoted passage{'s' * (count != 1)} of {name} not captured "
                         f"(line{'s' * (count != 1)} {lines})", QUOTE_COVERAGE,
                         "quote them, or list them under left_out: with a reason; `briefing coverage` shows them",
                         key=True, level="note")


# --- the report `briefing coverage` prints ------------------------------------------------------------


class CoverageError(BriefingError):
    """Nothing to compare: no archive, or a source asked for that has no entry."""


def report(settings, names: list[str] | None = None) -> tuple[list[str], int]:
    """The lines ``briefing coverage`` prints, and how many passages are missing in all."""
    if settings.archive.path is None:
        raise CoverageError("this project names no source archive (the briefing plugin's 'archive' option in "
                            "mkdocs.yml); nothing to compare with")
    if not settings.archive.available:
        raise CoverageError(f"the source archive {settings.archive.path} is not there; nothing to compare with")
    folder = settings.entries / "sources"
    paths = sorted(folder.glob("*.yml"))
    if names:
        wanted = {Path(n).stem for n in names}
        paths = [p for p in paths if p.stem in wanted]
        unknown = wanted - {p.stem for p in paths}
        if unknown:
            raise CoverageError(f"no source entry {', '.join(sorted(unknown))} in {folder}")
    archive: Archive = settings.archive
    out, total = [], 0
    for path in paths:
        shown = _shown(path, settings.root)
        entry = load_file(path, "source", shown)  # the validator's reader: no link followed, no depth or size unbounded
        if errors(entry.problems):
            out.append(f"{shown}: not read ({errors(entry.problems)[0].rule}); run briefing validate")
            continue
        data = entry.data
        archived = data.get("archive") if isinstance(data, dict) else None
        name = archived.get("file") if isinstance(archived, dict) else None
        document = archive.document(name) if isinstance(name, str) else None
        if document is None:
            out.append(f"{shown}: its archived document {name!r} is not in the source archive")
            continue
        assert isinstance(name, str) and archive.path is not None  # a document was found by that name there
        result = coverage(document, data)
        where = _shown(archive.path / name, settings.root)
        total += len(result.missing)
        left = f" ({result.left_out} left out on purpose)" if result.left_out else ""
        if result.missing:
            count = len(result.missing)
            out.append(f"{shown}: {count} quoted passage{'s' * (count != 1)} not captured{left}:")
            out.extend(f"  {where}:{p.line}: {as_printed(document, p)}" for p in result.missing)
        else:
            out.append(f"{shown}: all {len(result.passages)} quoted passages captured{left}")
        out.extend(f"  left_out text not in {name}: {shorten(text)!r}" for text in result.stale)
    return [printable(line) for line in out], total


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
