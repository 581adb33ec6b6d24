"""Every problem in the entries at once: schema, ids, references, dates, URLs, archive."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from . import archive as archive_mod
from . import dates, schema
from .archive import Archive
from .coverage import coverage_problem, fill_lines
from .load import EntryFile, load_file
from .model import UNKNOWN_SPEAKER, UNKNOWN_SPEAKER_NAME, is_list_page_name
from .names import look_alike
from .problems import Problem
from .rules import (
    ACTOR_DESCRIPTION,
    ACTOR_DUPLICATE_NAME,
    ARCHIVE_FILE,
    ARCHIVE_MISSING,
    ARCHIVE_SHA256,
    CAPTURE_NOTES,
    CAPTURE_RECORD,
    CHECKS_SKIPPED,
    DATE_INVALID,
    DATE_PRECISION,
    DATE_RANGE,
    DRAFT_UNFILLED,
    FILE_READ,
    FURNITURE_LINES,
    ID_DUPLICATE,
    ID_FILENAME,
    ID_RESERVED,
    INFERRED_BASIS,
    QUOTE_COVERAGE,
    QUOTE_DUPLICATE,
    QUOTE_FIDELITY,
    QUOTE_FURNITURE,
    QUOTE_PARAGRAPH,
    QUOTE_TOO_SHORT,
    QUOTE_WORD_BOUNDARY,
    REF_ACTOR,
    REF_SOURCE,
    REF_TOPIC,
    REFERENCE,
    SPEAKER_LISTED,
    SPEAKER_NOTE,
    SUMMARY_LENGTH,
    URL_INVALID,
    URL_SCHEME,
)

Where = tuple[str | int, ...]
SUMMARY_WORDS = (80, 200)
# What a draft source may leave empty (null) until it is known; the schema's if/else says the same.
DRAFT_MAY_BE_EMPTY = ("title", "published")


def unfinished(data: dict[str, Any]) -> list[str]:
    """The fields a draft source has not filled in yet; such a source has no page on the site."""
    return [key for key in DRAFT_MAY_BE_EMPTY if data.get(key) is None]


def validate_entries(files: list[EntryFile], archive: Archive) -> list[Problem]:
    problems: list[Problem] = []
    checked: list[tuple[EntryFile, Gate]] = []
    for entry in files:
        problems.extend(entry.problems)
        if entry.data is None:
            continue
        # Checked where it was read (load_entries' ``check``), or now.
        own: Checked = entry.checks if entry.checks is not None else check_entry(entry, archive)
        problems.extend(own.problems)
        if own.is_entry:
            checked.append((entry, own.gate()))
    problems.extend(_check_ids(files))
    problems.extend(_check_actor_names(checked))
    problems.extend(_check_references(checked, files))
    problems.extend(note for entry, gate in checked if (note := gate.note(entry)) is not None)
    problems.extend(_archive_notice(archive, files))
    problems.extend(_check_captures(archive))
    return sorted(set(problems))


def _check_captures(archive: Archive) -> list[Problem]:
    """The archive's records of where each document came from (captures.py): the contributor
    commands copy them into new entries, so a pull request that changes them is checked too."""
    if not archive.available or archive.path is None:
        return []
    return capture_records(archive.path, f"{archive.path.name}/{archive_mod.RECORDS}")[1]


def capture_records(folder: Path, shown: str) -> tuple[list[dict[str, str]], list[Problem]]:
    """The records of ``folder``'s captures.yml that are as `briefing archive add` writes them, and
    the problems of the others (read with the entries' reader: a link refused unread, depth and
    size bounded). Validate reports the problems; the contributor commands stop at the first."""
    path = folder / archive_mod.RECORDS
    if not path.is_file() and not path.is_symlink():
        return [], []
    records = load_file(path, "source", shown)
    if records.problems or records.data is None:
        return [], list(records.problems)
    if not isinstance(records.data, list):
        return [], [records.problem((), "the records should be a list (- file: ...)", CAPTURE_RECORD,
                                    "write each record as `briefing archive add` does")]
    good, found = [], []
    today = datetime.date.today()
    for index, item in enumerate(records.data):
        wrong = archive_mod.record_problem(item, today)
        if wrong is None:
            good.append(item)
            continue
        message, key = wrong
        found.append(records.problem((index,) if key is None else (index, key), message, CAPTURE_RECORD,
                                     "correct the record as `briefing archive add` writes it"))
    return good, found


@dataclass(frozen=True)
class Checked:
    """What ``check_entry`` found in one entry on its own, made with the entry (``entry.checks``)
    for the checks across entries: its problems, the values the schema refused, and the checks
    those values kept from running."""

    problems: tuple[Problem, ...]
    refused: tuple[Where, ...] = ()
    skipped: tuple[tuple[Where, tuple[str, ...]], ...] = ()
    empty: frozenset[Where] = frozenset()  # refused values that are missing or empty (see Gate.note)

    @property
    def is_entry(self) -> bool:
        """False when the file is no mapping of fields at all: nothing in it can be checked, and
        the one schema error says so."""
        return () not in self.refused

    def gate(self) -> Gate:
        gate = Gate(self.refused, self.empty)
        for where, rules in self.skipped:
            gate.skip(rules, where)
        return gate


def check_entry(entry: EntryFile, archive: Archive) -> Checked:
    """The checks of one entry on its own (schema, ids against the file name, dates, URLs, the
    archive): what can run where the entry was read. A value the schema refuses keeps only the
    checks that read it from running; every other check runs (see ``Gate``)."""
    if entry.data is None:
        return Checked(())
    issues = schema.check(entry.data, entry.kind)
    problems = [entry.problem(i.where, i.message, i.rule, i.hint, key=i.at_key) for i in issues]
    refused = tuple(dict.fromkeys(i.refused for i in issues if i.refused is not None))
    if () in refused:
        return Checked(tuple(problems), refused)
    empty = frozenset(i.refused for i in issues if i.empty and i.refused is not None)
    gate = Gate(refused, empty)
    problems += _check_entry(entry, archive, gate)
    return Checked(tuple(problems), refused, tuple(gate.skipped.items()), empty)


class Gate:
    """Which values of one entry its checks may read: every value but those the schema refused
    (and what lies inside them). A check asks before it reads, so a broken value keeps only the
    checks that need it from running: a bad date leaves the quotes, the references and the other
    dates checked. What did not run is remembered, and ``note`` says so in one line per file.

    With nothing refused (almost every entry) each question costs one test of an empty tuple."""

    def __init__(self, refused: tuple[Where, ...], empty: frozenset[Where] = frozenset()):
        self.refused = refused
        self.empty = empty
        self.skipped: dict[Where, tuple[str, ...]] = {}  # refused value -> the rules it kept from running
        # Indexed once, so a question costs the length of its path, not the number of refused values
        # (12,000 refused quotes asked of each other ran past five minutes): each refused value by
        # its place in ``refused``, and each path that leads into one by the first it leads into.
        self._order = {r: i for i, r in reversed(list(enumerate(refused)))}
        self._into: dict[Where, int] = {}
        for i, r in enumerate(refused):
            for end in range(len(r) + 1):
                self._into.setdefault(r[:end], i)

    def _above(self, where: Where) -> int | None:
        """The first refused value that ``where`` is, or lies inside."""
        found = [self._order[where[:end]] for end in range(len(where) + 1) if where[:end] in self._order]
        return min(found) if found else None

    def holds(self, where: Where) -> bool:
        """The value at ``where`` has the type its schema gives it, or is an optional field left
        out: it may be looked into, though something inside it may be refused."""
        return not self.refused or self._above(where) is None

    def reach(self, rules: tuple[str, ...], where: Where) -> bool:
        """``holds``, remembering ``rules`` as skipped when not."""
        first = self._above(where) if self.refused else None
        if first is None:
            return True
        self.skip(rules, self.refused[first])
        return False

    def fits(self, rules: tuple[str, ...], *wheres: Where) -> bool:
        """The values at ``wheres`` and everything inside them fit the schema, so the check of
        ``rules`` may read them; when not, it is remembered as skipped."""
        if not self.refused:
            return True
        for where in wheres:
            found = [i for i in (self._above(where), self._into.get(where)) if i is not None]
            if found:
                self.skip(rules, self.refused[min(found)])
                return False
        return True

    def skip(self, rules: tuple[str, ...], refused: Where) -> None:
        self.skipped[refused] = tuple(dict.fromkeys(self.skipped.get(refused, ()) + rules))

    def note(self, entry: EntryFile) -> Problem | None:
        """One note naming the checks that did not run and the values they wait for. A value that
        is missing or empty is left out: there is nothing in it to check yet, and its error already
        asks for it."""
        placed = sorted(((entry.locate(where), where, rules) for where, rules in self.skipped.items()
                         if where not in self.empty), key=lambda item: (item[0], repr(item[1])))
        if not placed:
            return None
        shown = [f"{_listed(rules)}, which need{'s' * (len(rules) == 1)} {schema.field_name(where)} (line {line})"
                 for (line, _), where, rules in placed[:NOTE_VALUES]]
        if len(placed) > NOTE_VALUES:
            shown.append(f"and what {len(placed) - NOTE_VALUES} more refused values hold up")
        (line, col), _, _ = placed[0]
        return Problem(entry.path, line, col, "not checked until the schema errors are fixed: " + "; ".join(shown),
                       CHECKS_SKIPPED, "fix those values and validate again; every check that needs none of them "
                       "has run", level="note")


def _listed(rules: tuple[str, ...]) -> str:
    return rules[0] if len(rules) == 1 else ", ".join(rules[:-1]) + " and " + rules[-1]


NOTE_VALUES = 5  # refused values the note names; a hostile file may have thousands


def _archive_notice(archive: Archive, files: list[EntryFile]) -> list[Problem]:
    if archive.available or not any(f.kind == "source" for f in files):
        return []
    if archive.refused:
        return [Problem(archive.named_in, 0, 0, f"the source archive folder {archive.refused}; archived documents "
                        "are read only from a plain folder in the project", FILE_READ,
                        "make archive/ a plain folder in the repository holding the documents, and name it "
                        "in the briefing plugin's 'archive' option")]
    where = str(archive.path) if archive.path else "(not configured)"
    if archive.required and archive.named_in == "BRIEFING_ARCHIVE":
        return [Problem("BRIEFING_ARCHIVE", 0, 0, f"the source archive {where} does not exist",
                        ARCHIVE_MISSING, "point BRIEFING_ARCHIVE at the folder of archived documents")]
    if archive.required:
        return [Problem(archive.named_in, 0, 0, f"the source archive {where} does not exist", ARCHIVE_MISSING,
                        "the briefing plugin's 'archive' option names it: restore the folder (a clone has it), "
                        "correct the option, or set BRIEFING_ARCHIVE")]
    return [Problem("archive", 0, 0, f"source archive {where} not found: quote fidelity and SHA-256 checks "
                    "were skipped", ARCHIVE_MISSING, "set BRIEFING_ARCHIVE or the plugin's archive option",
                    level="note")]


# --- one entry ---------------------------------------------------------------------------------


DATE_RULES = (DATE_INVALID, DATE_PRECISION, DATE_RANGE, INFERRED_BASIS)
QUOTE_ARCHIVE_RULES = (QUOTE_FIDELITY, QUOTE_WORD_BOUNDARY, QUOTE_PARAGRAPH, QUOTE_FURNITURE)


def _check_entry(entry: EntryFile, archive: Archive, gate: Gate) -> Iterator[Problem]:
    yield from _id_filename(entry, entry.data, gate)
    if entry.kind == "actor":
        yield from _check_actor(entry, entry.data, gate)
    elif entry.kind == "source":
        yield from _check_source(entry, entry.data, archive, gate)


def _items(gate: Gate, rules: tuple[str, ...], data: dict[str, Any], where: Where) -> list[tuple[int, Any]]:
    """The items of the list at ``where`` (a field of ``data``; an optional one may be left out),
    or none when it is no list (``rules`` then did not run on them)."""
    if not gate.reach(rules, where):
        return []
    field = where[-1]
    assert isinstance(field, str)  # ``where`` ends in the list's field name
    return list(enumerate(data.get(field) or []))


# Each check below reports one rule (named in its first line) on one entry; the checks of a kind of
# entry are listed in the order they run. A check reads a value only when the gate says the schema
# let it through (see Gate).

def _id_filename(entry: EntryFile, data: dict[str, Any], gate: Gate) -> Iterator[Problem]:
    """id-filename: the id is the file name."""
    if gate.fits((ID_FILENAME,), ("id",)) and data["id"] != entry.stem:
        yield entry.problem(("id",), f"id '{data['id']}' differs from the file name '{entry.abs_path.name}'",
                            ID_FILENAME, f"rename the file to {data['id']}.yml or set id: {entry.stem}")


def _check_actor(entry: EntryFile, data: dict[str, Any], gate: Gate) -> Iterator[Problem]:
    yield from _actor_id_reserved(entry, data, gate)
    yield from _actor_description(entry, data, gate)
    yield from _role_dates(entry, data, gate)


def _actor_id_reserved(entry: EntryFile, data: dict[str, Any], gate: Gate) -> Iterator[Problem]:
    """id-reserved: no actor takes the id of the unknown speaker (list pages: _check_ids)."""
    if gate.fits((ID_RESERVED,), ("id",)) and data["id"] == UNKNOWN_SPEAKER:
        yield entry.problem(("id",), f"'{UNKNOWN_SPEAKER}' is reserved for quotes with no identified speaker",
                            ID_RESERVED, "choose another id")


def _actor_description(entry: EntryFile, data: dict[str, Any], gate: Gate) -> Iterator[Problem]:
    """actor-description (note): an actor says who or what it is."""
    if gate.fits((ACTOR_DESCRIPTION,), ("description",)) and data["description"] is None:
        yield entry.problem(("description",), "the actor has no description yet; their page shows none",
                            ACTOR_DESCRIPTION, "write one line saying who or what this is", level="note")


def _role_dates(entry: EntryFile, data: dict[str, Any], gate: Gate) -> Iterator[Problem]:
    """date-invalid and date-range: each role's dates are real, and it ends after it starts."""
    for index, role in _items(gate, (DATE_INVALID, DATE_RANGE), data, ("roles",)):
        where = ("roles", index)
        if not gate.reach((DATE_INVALID, DATE_RANGE), where):
            continue
        for key in ("since", "until", "as_of"):
            if key in role and gate.fits((DATE_INVALID,), where + (key,)):
                yield from _check_date(entry, where + (key,), role[key])
        if "since" in role and "until" in role and gate.fits((DATE_RANGE,), where + ("since",), where + ("until",)) \
                and role["since"] > role["until"]:
            yield entry.problem(where + ("until",), "the role ends before it starts", DATE_RANGE,
                                "swap 'since' and 'until'")


def _check_source(entry: EntryFile, data: dict[str, Any], archive: Archive, gate: Gate) -> Iterator[Problem]:
    yield from _draft_unfilled(entry, data, gate)
    if gate.reach(DATE_RULES, ("published",)) and data.get("published") is not None:
        yield from _check_when(entry, ("published",), data["published"], gate)
    yield from _outlet_basis(entry, data, gate)
    if "url" in data and gate.fits((URL_SCHEME, URL_INVALID), ("url",)):
        yield from _check_url(entry, ("url",), data["url"])
    yield from _summary_length(entry, data, gate)
    yield from _capture_notes(entry, data, gate)
    yield from _check_quotes(entry, data, gate)
    for index, event in _items(gate, DATE_RULES, data, ("events",)):
        if gate.reach(DATE_RULES, ("events", index, "when")):
            yield from _check_when(entry, ("events", index, "when"), event["when"], gate)
    yield from _check_archive(entry, data, archive, gate)
    if archive.available and _coverage_checkable(data, gate) and (note := coverage_problem(entry, archive)):
        yield note  # quote-coverage: quoted passages of the document that no quote captures


def _draft_unfilled(entry: EntryFile, data: dict[str, Any], gate: Gate) -> Iterator[Problem]:
    """draft-unfilled (note): a draft with no title or date is left off the site."""
    empty = unfinished(data) if gate.holds(("title",)) and gate.holds(("published",)) else []
    if empty:  # the schema allows this only in a draft
        yield entry.problem(("status",), f"draft: {' and '.join(empty)} not filled in yet, so this source is "
                            "left off the site", DRAFT_UNFILLED, "fill them in to see its page", level="note")


def _outlet_basis(entry: EntryFile, data: dict[str, Any], gate: Gate) -> Iterator[Problem]:
    """inferred-basis: an outlet worked out, not printed, says from what (dates: _check_when)."""
    if gate.fits((INFERRED_BASIS,), ("outlet", "inferred"), ("outlet", "basis")):
        outlet = data["outlet"]
        if outlet.get("inferred") and not outlet.get("basis"):
            yield entry.problem(("outlet",), "the outlet is marked inferred but gives no basis", INFERRED_BASIS,
                                "add 'basis:' saying what in the document points to this outlet")


def _summary_length(entry: EntryFile, data: dict[str, Any], gate: Gate) -> Iterator[Problem]:
    """summary-length: a published summary has SUMMARY_WORDS words."""
    if gate.fits((SUMMARY_LENGTH,), ("status",)) and data["status"] != "draft" \
            and gate.fits((SUMMARY_LENGTH,), ("summary",)):
        words = len(data["summary"].split())
        low, high = SUMMARY_WORDS
        if not low <= words <= high:
            yield entry.problem(("summary",), f"summary has {words} words; a published summary has {low}-{high}",
                                SUMMARY_LENGTH, "or keep status: draft until it is written")


def _capture_notes(entry: EntryFile, data: dict[str, Any], gate: Gate) -> Iterator[Problem]:
    """capture-notes: a published source says what its capture holds."""
    if gate.fits((CAPTURE_NOTES,), ("status",), ("capture_notes",)) and data["status"] != "draft" \
            and not data["capture_notes"]:
        yield entry.problem(("capture_notes",), "a published source says nothing about its capture",
                            CAPTURE_NOTES, "say what in the archived file is page furniture or a capture "
                            "artefact (\"Line 1, the site's navigation, is page furniture.\"), or that it holds "
                            "the article alone; or keep status: draft")


def _check_quotes(entry: EntryFile, data: dict[str, Any], gate: Gate) -> Iterator[Problem]:
    """id-duplicate, quote-duplicate, quote-too-short, speaker-note and the dates of the quotes (and
    id-duplicate of the events): what a source's quotes must be on their own, without the archive."""
    quotes = _items(gate, (ID_DUPLICATE, QUOTE_DUPLICATE, SPEAKER_NOTE, QUOTE_TOO_SHORT) + DATE_RULES,
                    data, ("quotes",))
    yield from _unique(entry, gate, quotes, "quotes", "id", "quote id")
    yield from _unique(entry, gate, _items(gate, (ID_DUPLICATE,) + DATE_RULES, data, ("events",)),
                       "events", "id", "event id")
    seen_text: dict[str, int] = {}
    for index, quote in quotes:
        where = ("quotes", index)
        if not gate.reach((QUOTE_DUPLICATE, SPEAKER_NOTE, QUOTE_TOO_SHORT) + DATE_RULES, where):
            continue
        if gate.fits((QUOTE_DUPLICATE, QUOTE_TOO_SHORT), where + ("text",)):
            text = archive_mod.normalize(quote["text"])
            if text in seen_text:
                yield entry.problem(where + ("text",), f"this quote repeats quote {seen_text[text] + 1}",
                                    QUOTE_DUPLICATE, "a quotation printed twice in a document is one quote")
            seen_text.setdefault(text, index)
            if gate.fits((QUOTE_TOO_SHORT,), where + ("kind",)):
                yield from _check_quote_length(entry, where + ("text",), quote)
        yield from _speaker_note(entry, where, quote, gate)
        if "said" in quote and gate.reach(DATE_RULES, where + ("said",)):
            yield from _check_when(entry, where + ("said",), quote["said"], gate)


def _speaker_note(entry: EntryFile, where: Where, quote: dict[str, Any], gate: Gate) -> Iterator[Problem]:
    """speaker-note: a quote with an unknown speaker says why the document names no one."""
    if gate.fits((SPEAKER_NOTE,), where + ("speaker",), where + ("speaker_note",)) \
            and quote["speaker"] == UNKNOWN_SPEAKER and not quote.get("speaker_note"):
        yield entry.problem(where + ("speaker",), "a quote with an unknown speaker needs a speaker_note",
                            SPEAKER_NOTE, "say why the document does not identify who said it")


def _coverage_checkable(data: dict[str, Any], gate: Gate) -> bool:
    """Whether every value the coverage of the document depends on fits the schema: a quote whose
    text is refused would leave its passage looking uncaptured."""
    rule = (QUOTE_COVERAGE,)
    if not gate.reach(rule, ("quotes",)):
        return False
    texts = [("quotes", index, "text") for index in range(len(data["quotes"]))]
    return gate.fits(rule, ("archive", "file"), ("archive", "furniture"), ("left_out",), *texts)


def _unique(entry: EntryFile, gate: Gate, items: list[tuple[int, dict[str, Any]]], field: str, key: str,
            what: str) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, item in items:
        if not gate.fits((ID_DUPLICATE,), (field, index, key)):
            continue
        if item[key] in seen:
            yield entry.problem((field, index, key), f"{what} '{item[key]}' is used twice in this file",
                                ID_DUPLICATE, "give each one its own id")
        seen.add(item[key])


def _check_date(entry: EntryFile, where: Where, value: str) -> Iterator[Problem]:
    try:
        dates.parse(value)
    except ValueError as exc:
        yield entry.problem(where, f"'{value}' is not a real date: {exc}", DATE_INVALID,
                            'write "YYYY-MM-DD" with a real year, month and day')


def _check_when(entry: EntryFile, where: Where, when: dict[str, Any], gate: Gate) -> Iterator[Problem]:
    bad = False
    for key in ("date", "not_before", "not_after"):
        if key in when and gate.fits((DATE_INVALID, DATE_PRECISION, DATE_RANGE), where + (key,)):
            problems = list(_check_date(entry, where + (key,), when[key]))
            bad = bad or bool(problems)
            yield from problems
    reads = [where + (key,) for key in ("date", "precision", "not_before", "not_after")]
    if not bad and gate.fits((DATE_PRECISION, DATE_RANGE), *reads):
        yield from _check_precision(entry, where, when)
    if gate.fits((INFERRED_BASIS,), where + ("inferred",), where + ("basis",)) \
            and when.get("inferred") and not when.get("basis"):
        yield entry.problem(where, "the date is marked inferred but gives no basis", INFERRED_BASIS,
                            "add 'basis:' with the evidence in the document")


def _check_precision(entry: EntryFile, where: Where, when: dict[str, Any]) -> Iterator[Problem]:
    precision, value = when["precision"], when["date"]
    if precision != "approximate" and dates.natural_precision(value) != precision:
        shapes = {"day": "YYYY-MM-DD", "month": "YYYY-MM", "year": "YYYY"}
        yield entry.problem(where + ("precision",), f"precision '{precision}' does not fit the date '{value}'",
                            DATE_PRECISION, f"a {precision} date is written {shapes[precision]}; "
                            "or use precision: approximate")
    low, high = when.get("not_before"), when.get("not_after")
    if (low or high) and precision != "approximate":
        yield entry.problem(where + ("precision",), "not_before/not_after are for approximate dates",
                            DATE_PRECISION, "set precision: approximate, or drop the bounds")
    first = dates.first_day(value)
    if low and dates.first_day(low) > dates.last_day(value):
        yield entry.problem(where + ("not_before",), f"not_before {low} is after the date {value}", DATE_RANGE)
    if high and dates.last_day(high) < first:
        yield entry.problem(where + ("not_after",), f"not_after {high} is before the date {value}", DATE_RANGE)
    elif low and high and dates.first_day(low) > dates.last_day(high):  # each fits the date; they cross
        yield entry.problem(where + ("not_after",), f"not_after {high} is before not_before {low}", DATE_RANGE,
                            "swap the two bounds")


def _check_url(entry: EntryFile, where: Where, url: str) -> Iterator[Problem]:
    """An http(s) address that urllib takes apart without an error (host, port and all), so nothing
    later that parses it again can raise."""
    fault = archive_mod.address_fault(url)
    if fault is None:
        return
    kind, reason = fault
    if kind == "invalid":
        yield entry.problem(where, f"'{url[:60]}' is not a valid address ({reason[:80]})", URL_INVALID,
                            "check the host name, the [ ] around an IPv6 address and the port; copying the "
                            "address from the browser's address bar gets them right")
    elif kind == "scheme":
        yield entry.problem(where, f"'{url[:60]}' is not an http(s) address", URL_SCHEME,
                            "give the full address starting with https:// (or http://), or leave the field out")
    else:
        yield entry.problem(where, f"'{url[:60]}' names no host", URL_INVALID,
                            "give the full address, e.g. https://example.org/page")


def _check_archive(entry: EntryFile, data: dict[str, Any], archive: Archive, gate: Gate) -> Iterator[Problem]:
    if not archive.available:
        return
    if not gate.fits((ARCHIVE_FILE, ARCHIVE_SHA256, FURNITURE_LINES) + QUOTE_ARCHIVE_RULES, ("archive", "file")):
        return
    name = data["archive"]["file"]
    digest = archive.sha256(name)
    if digest is None:
        yield entry.problem(("archive", "file"), f"'{name}' is not in the source archive {archive.path}",
                            ARCHIVE_FILE, "copy the captured document into the archive, named as here")
        return
    if gate.fits((ARCHIVE_SHA256,), ("archive", "sha256")) and digest != data["archive"]["sha256"]:
        yield entry.problem(("archive", "sha256"), f"SHA-256 does not match {name} (the file has {digest[:12]}...)",
                            ARCHIVE_SHA256, "the archived file changed, or the hash was mistyped; "
                            f"`sha256sum {name}` prints the right one")
    document = archive.document(name) or archive_mod.Document.read("")
    furniture: dict[int, str] = {}  # line number -> what it is
    ranges: list[tuple[int, int, str]] = []
    for index, item in _items(gate, (FURNITURE_LINES,) + QUOTE_ARCHIVE_RULES, data["archive"],
                              ("archive", "furniture")):
        where: Where = ("archive", "furniture", index, "lines")
        if not gate.fits((FURNITURE_LINES,), where):
            continue
        first, _, last = item["lines"].partition("-")
        first, last = int(first), int(last or first)
        if last < first:
            yield entry.problem(where, f"the range '{item['lines']}' ends before it starts", FURNITURE_LINES,
                                f'write "{last}-{first}"')
        elif last > document.line_count:
            yield entry.problem(where, f"{name} has {document.line_count} lines, not {last}", FURNITURE_LINES,
                                f"number the lines as `cat -n {name}` or an editor shows them")
        elif blank := [n for n in {first, last} if not document.has_text(n)]:
            yield entry.problem(where, f"line {min(blank)} of {name} is blank: furniture starts and ends on a "
                                "line with text", FURNITURE_LINES,
                                f"number the lines as `cat -n {name}` or an editor shows them, counting blank lines")
        else:
            # (what the lines are is only shown once every item fits the schema: see below)
            ranges.append((first, last, item.get("what")))
    furniture.update(fill_lines(ranges))  # each line once, however the ranges overlap
    # Which lines are furniture decides where a quote may come from: all of it must be known.
    if not gate.fits(QUOTE_ARCHIVE_RULES, ("archive", "furniture")):
        return
    searchable: dict[bool, str] = {}  # the document as a quote may come from it: within a line, across lines
    found: dict[tuple[str, bool], list[tuple[str, str, str]]] = {}  # a text's problems, worked out once
    hints, read, unchecked = 0, 0, []
    for index, quote in _items(gate, QUOTE_ARCHIVE_RULES, data, ("quotes",)):
        where = ("quotes", index)
        if not gate.fits(QUOTE_ARCHIVE_RULES, where + ("text",), where + ("spans_paragraphs",)):
            continue
        needle, across = archive_mod.normalize(quote["text"]), "spans_paragraphs" in quote
        if (needle, across) not in found:
            if read >= archive_mod.SEARCH_BUDGET:  # bounded work per entry, whatever it holds
                unchecked.append(index)
                continue
            if across not in searchable:
                searchable[across] = document.searchable(furniture, across)
            quoted = archive_mod.quoted_at(searchable[across], needle) != -1
            read += (1 if quoted else 2) * (len(document.text) + 1)  # a search of the document, or two
            if quoted:
                found[(needle, across)] = []
            elif needle in document.text:
                read += len(document.text) + 1  # best_place reads it once more, at most
                place = archive_mod.best_place(document, needle, furniture, across)
                found[(needle, across)] = list(_misplaced(place, furniture, name)) if place else []
            else:
                hints += 1
                found[(needle, across)] = [(f"quote is not verbatim in {name}", QUOTE_FIDELITY,
                                            _closest(document, needle, name, hints))]
        for message, rule, hint in found[(needle, across)]:
            yield entry.problem(("quotes", index, "text"), message, rule, hint)
    if unchecked:
        searches = archive_mod.SEARCH_BUDGET // (len(document.text) + 1)
        more = f", nor {len(unchecked) - 1} more after it" if len(unchecked) > 1 else ""
        yield entry.problem(("quotes", unchecked[0], "text"),
                            f"quote not checked against {name}{more}: a document of its size is searched at "
                            f"most {searches:,} times for one entry's quotes (one to three times a quote)",
                            QUOTE_FIDELITY,
                            "an entry quotes its document far less often than this; if this one really does, "
                            "ask a maintainer")


def _closest(document: archive_mod.Document, needle: str, name: str, count: int) -> str:
    if count > archive_mod.HINTS_PER_ENTRY:  # bounded work per entry, whatever it holds
        return f"no closest passage shown after the first {archive_mod.HINTS_PER_ENTRY} quotes not in {name}"
    span = archive_mod.closest_span(document.text, needle)
    if span is None:
        return f"nothing like it is in {name}"
    passage = document.text[span[0]:span[1]]
    changes = archive_mod.word_changes(needle, passage)
    shown = passage if len(passage) <= 100 else passage[:97] + "..."
    fix = f"; to match it: {', '.join(changes)}" if changes else ""
    return f"closest passage in {name}, line {document.line_at(span[0])}: \"{shown}\"{fix}"


def _misplaced(place: archive_mod.Place, furniture: dict[int, str], name: str) -> Iterator[tuple[str, str, str]]:
    """What keeps the quote's text, found at ``place``, from being a quotation: (message, rule, hint)."""
    first, last = place.lines
    at = f"line {first}" if first == last else f"lines {first}-{last}"
    if place.starts_inside:
        yield (f"the quote starts inside the word '{place.starts_inside}' ({at} of {name})", QUOTE_WORD_BOUNDARY,
               f"begin at a word boundary: quote the whole word '{place.starts_inside}', or start after it")
    if place.ends_inside:
        yield (f"the quote ends inside the word '{place.ends_inside}' ({at} of {name})", QUOTE_WORD_BOUNDARY,
               f"end at a word boundary: quote the whole word '{place.ends_inside}', or stop before it")
    if place.crosses:
        yield (f"the quote runs across paragraphs: {at} of {name}", QUOTE_PARAGRAPH,
               "quote each paragraph on its own; if the quotation itself goes on into the next paragraph, "
               "add spans_paragraphs: with the reason")
    for number in place.furniture[:1]:
        yield (f"the quote comes from line {number} of {name}, marked as page furniture ({furniture[number]})",
               QUOTE_FURNITURE, "quote the article, not the page around it; if that line is the article's, "
               "take it out of archive.furniture")


DIRECT_MIN_WORDS = 2  # the shortest full statements ("We agree.", "Absolutely not.") have two words
QUOTE_MIN_LETTERS = 2  # one letter or digit, or punctuation alone, quotes nothing
_LETTER = re.compile(r"[^\W_]")  # a letter or digit
_TOKEN = re.compile(r"\S+")


def _check_quote_length(entry: EntryFile, where: Where, quote: dict[str, Any]) -> Iterator[Problem]:
    text = quote["text"]
    first = _LETTER.search(text)
    letters = 0 if first is None else 1 if _LETTER.search(text, first.end()) is None else 2
    if letters < QUOTE_MIN_LETTERS:
        yield entry.problem(where, f"the quote has fewer than {QUOTE_MIN_LETTERS} letters or digits",
                            QUOTE_TOO_SHORT, "quote at least a whole word of two letters or more: "
                            "one letter says nothing on its own")
        return
    if quote["kind"] != "direct":
        return
    head = text.split(None, DIRECT_MIN_WORDS)[:DIRECT_MIN_WORDS]  # almost always two words: done
    if len(head) == DIRECT_MIN_WORDS and all(_LETTER.search(word) for word in head):
        return
    words = 0
    for token in _TOKEN.finditer(text):
        words += bool(_LETTER.search(token.group()))
        if words == DIRECT_MIN_WORDS:
            return
    yield entry.problem(where, "a direct quote of one word: direct speech is a full statement of "
                        f"{DIRECT_MIN_WORDS} words or more", QUOTE_TOO_SHORT,
                        "use kind: fragment for a word quoted inside reported speech, or quote the whole statement")


# --- across entries ----------------------------------------------------------------------------


def _check_ids(files: list[EntryFile]) -> Iterator[Problem]:
    by_id: dict[tuple[str, str], list[EntryFile]] = defaultdict(list)
    for entry in files:
        if isinstance(entry.data, dict) and isinstance(entry.data.get("id"), str):
            by_id[(entry.kind, entry.data["id"])].append(entry)
    for (kind, ident), entries in by_id.items():
        for entry in entries[1:]:
            yield entry.problem(("id",), f"{kind} id '{ident}' is already used by {entries[0].path}",
                                ID_DUPLICATE, "ids must be unique; rename one of them")
        if is_list_page_name(ident):  # the list of sources, actors or topics: <folder>/index, page-2, ...
            folder = f"{kind}s"
            for entry in entries:
                yield entry.problem(("id",), f"{kind} id '{ident}' is the name of a page of the list of {folder} "
                                    f"({folder}/{ident}); this {kind}'s page would take its place", ID_RESERVED,
                                    "choose another id (the site names its list pages 'index', 'page-2', "
                                    "'page-3', ...), and rename the file to match")


def _name_key(name: str) -> str:
    """A name as two look-alike names share it (names.look_alike), spacing left out too: 'Ada  QUÍLL',
    'Ada Qu\u200bill' and one with a Cyrillic 'а' are all 'ada quill'."""
    return " ".join(look_alike(name).split())


def _check_actor_names(checked: list[tuple[EntryFile, Gate]]) -> Iterator[Problem]:
    """A name or alias that another actor already has (look-alikes included): one person's quotes
    would be split across two pages. The later file is flagged, naming the first and its line."""
    first: dict[str, tuple[EntryFile | None, Where, str]] = {
        _name_key(UNKNOWN_SPEAKER_NAME): (None, (), UNKNOWN_SPEAKER_NAME)}
    rule = (ACTOR_DUPLICATE_NAME,)
    for entry, gate in checked:
        if entry.kind != "actor":
            continue
        data = entry.data
        names: list[tuple[Where, Any]] = [(("name",), data["name"])] if gate.fits(rule, ("name",)) else []
        names += [(("aliases", i), alias) for i, alias in _items(gate, rule, data, ("aliases",))
                  if gate.fits(rule, ("aliases", i))]
        mine: set[str] = set()
        for where, name in names:
            key = _name_key(name)
            if key in mine:  # the actor's own alias repeating its name: no second page
                continue
            mine.add(key)
            if key not in first:
                first[key] = (entry, where, name)
                continue
            other, other_where, other_name = first[key]
            what = "name" if where == ("name",) else "alias"
            if other is None:
                yield entry.problem(where, f"the {what} '{name}' reads as '{other_name}', what the site calls the "
                                    "speaker of a quote whose speaker is not identified", ACTOR_DUPLICATE_NAME,
                                    f"give the actor's own name; for a quote with no identified speaker, "
                                    f"write speaker: {UNKNOWN_SPEAKER}")
                continue
            line, _ = other.locate(other_where)
            other_what = "name" if other_where == ("name",) else "alias"
            yield entry.problem(where, f"the {what} '{name}' is the same as the {other_what} '{other_name}' of "
                                f"{other.path}:{line} (ignoring case, accents and spacing)", ACTOR_DUPLICATE_NAME,
                                f"if both are one actor, keep {other.path} and point this actor's quotes and "
                                "mentions at its id; if not, write the names so they tell the two apart")


def _known(files: list[EntryFile], kind: str) -> set[str]:
    return {f.data["id"] for f in files
            if f.kind == kind and isinstance(f.data, dict) and isinstance(f.data.get("id"), str)}


def _nearest(ident: str, candidates: list[str]) -> str | None:
    """The known id most like ``ident`` (as difflib's get_close_matches with its cutoff of 0.6 would
    find it, in time bounded by the ids' lengths: a hostile entry can cite thousands of unknown ids
    against thousands of look-alike ones)."""
    found = process.extractOne(ident, candidates, scorer=fuzz.ratio, score_cutoff=60)
    return found[0] if found else None


def _check_references(checked: list[tuple[EntryFile, Gate]], files: list[EntryFile]) -> Iterator[Problem]:
    known = {kind: _known(files, kind) for kind in ("source", "actor", "topic")}
    offsite = {entry.data["id"] for entry, gate in checked
               if entry.kind == "source" and gate.holds(("id",)) and unfinished(entry.data)}
    candidates = {kind: sorted(ids) for kind, ids in known.items()}
    for entry, gate in checked:
        for where, kind, ident in _references(entry, gate):
            if kind == "source" and ident in offsite:
                yield entry.problem(where, f"source '{ident}' is a draft whose title or date is not filled in, "
                                    "so it has no page to cite", REF_SOURCE,
                                    f"fill in entries/sources/{ident}.yml first, or cite it later")
                continue
            if ident in known[kind] or (kind == "actor" and ident == UNKNOWN_SPEAKER and where[-1] == "speaker"):
                continue
            near = _nearest(ident, candidates[kind])
            folder = {"source": "sources", "actor": "actors", "topic": "topics"}[kind]
            hint = f"did you mean '{near}'?" if near else \
                f"add entries/{folder}/{ident}.yml" + (" (`briefing new actor`)" if kind == "actor" else "")
            yield entry.problem(where, f"no {kind} has the id '{ident}'", REFERENCE[kind], hint)
        if entry.kind == "source":
            yield from _check_speakers_listed(entry, gate, known["actor"])


def _check_speakers_listed(entry: EntryFile, gate: Gate, known: set[str]) -> Iterator[Problem]:
    """Every quote's speaker is one of the source's actors, where the entry says what the speaker
    does or is called in this document (the role its page shows). An id no actor has is ref-actor's
    error alone; ``unknown`` is no actor."""
    rule = (SPEAKER_LISTED,)
    data = entry.data
    if not gate.reach(rule, ("actors",)):
        return
    listed = list(enumerate(data["actors"]))
    if not all(gate.fits(rule, ("actors", index, "id")) for index, _ in listed):
        return  # a refused actor id might be the speaker's
    ids = {actor["id"] for _, actor in listed}
    for index, quote in _items(gate, rule, data, ("quotes",)):
        where = ("quotes", index, "speaker")
        if not gate.fits(rule, where):
            continue
        speaker = quote["speaker"]
        if speaker != UNKNOWN_SPEAKER and speaker in known and speaker not in ids:
            yield entry.problem(where, f"the speaker '{speaker}' is not among this source's actors",
                                SPEAKER_LISTED, f"add {speaker} to this source's actors (- id: {speaker}) with "
                                "its role: what it does or is called in this document")


def _references(entry: EntryFile, gate: Gate) -> Iterator[tuple[Where, str, str]]:
    """The ids an entry cites, each with where it stands and the kind of entry it names; an id the
    schema refused is left out (its check is remembered as skipped)."""
    data = entry.data
    if entry.kind == "actor":
        for r, role in _items(gate, (REF_SOURCE,), data, ("roles",)):
            if gate.reach((REF_SOURCE,), ("roles", r)):
                yield from _cited(gate, "source", role, ("roles", r, "sources"))
        return
    if entry.kind != "source":
        return
    for index, actor in _items(gate, (REF_ACTOR,), data, ("actors",)):
        if gate.fits((REF_ACTOR,), ("actors", index, "id")):
            yield ("actors", index, "id"), "actor", actor["id"]
    yield from _cited(gate, "topic", data, ("topics",))
    for index, quote in _items(gate, (REF_ACTOR, REF_TOPIC), data, ("quotes",)):
        where = ("quotes", index)
        if not gate.reach((REF_ACTOR, REF_TOPIC), where):
            continue
        if gate.fits((REF_ACTOR,), where + ("speaker",)):
            yield where + ("speaker",), "actor", quote["speaker"]
        if "via" in quote and gate.fits((REF_ACTOR,), where + ("via", "actor")) and quote["via"].get("actor"):
            yield where + ("via", "actor"), "actor", quote["via"]["actor"]
        yield from _cited(gate, "topic", quote, where + ("topics",))
    for index, event in _items(gate, (REF_ACTOR, REF_TOPIC), data, ("events",)):
        where = ("events", index)
        if gate.reach((REF_ACTOR, REF_TOPIC), where):
            yield from _cited(gate, "actor", event, where + ("actors",))
            yield from _cited(gate, "topic", event, where + ("topics",))


def _cited(gate: Gate, kind: str, owner: dict[str, Any], where: Where) -> Iterator[tuple[Where, str, str]]:
    """The ids in the list of ``kind`` ids at ``where`` (the field ``where[-1]`` of ``owner``)."""
    rule = (REFERENCE[kind],)
    for index, ident in _items(gate, rule, owner, where):
        if gate.fits(rule, where + (index,)):
            yield where + (index,), kind, ident
