"""Where each archived document came from: ``briefing archive add FILE --url URL --captured DATE``.

The archive keeps one record per document in ``captures.yml`` beside the documents:

    - file: "005_7aa789f990c05e6f.txt"   # the document's name in the archive
      sha256: "7aa789f9...c9d1"           # of its bytes, as source entries record it
      url: "https://..."                   # the address it was captured from, when known
      captured: "2025-05-14"               # when it was captured, when known
      added: "2025-05-15"                  # when it was put in the archive

Only what is known is recorded: the first five documents came from a capture folder that kept
neither addresses nor dates, so their records have a file and a SHA-256 only.

**Names.** A new document is named ``NNN_`` (one more than the highest number in the archive, three
digits or more) plus the first 16 hexadecimal digits of its SHA-256, then its extension (``.txt``
when it has none). The digits say which bytes the name stands for, so anyone can check a name
against its file (``sha256sum``), and two different documents cannot get the same name. (The first
five documents' digits are not their SHA-256: what the old capture tool derived them from was not
recorded.)

``archive add`` copies, never moves; refuses a document whose SHA-256 the archive already holds
(naming that file); and never replaces a file: the copy is made under a temporary name and linked
into place, which fails if the name is taken.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .archive import RECORD_FIELDS, RECORDS, address_problem, date_problem
from .problems import BriefingError, errors
from .validate import capture_records

HEADER = """\
# Where each archived document came from: one record per file of this folder.
# Written by `briefing archive add FILE --url URL --captured DATE`; see scripts/briefing/captures.py.
# file: the name here; sha256: of its bytes; url, captured: where and when it was captured, left
# out when not known; added: when it was put in the archive.
"""
BACKFILLED = "archived before capture records were kept: address and capture date not recorded"


class CaptureError(BriefingError):
    """A clean message for the editor; the command exits 1."""


@dataclass(frozen=True)
class Capture:
    file: str
    sha256: str
    url: str | None = None
    captured: str | None = None
    added: str | None = None
    note: str | None = None

    def as_dict(self) -> dict[str, str]:
        return {k: getattr(self, k) for k in RECORD_FIELDS if getattr(self, k) is not None}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_records(archive: Path) -> list[Capture]:
    """The archive's capture records; [] when it keeps none yet."""
    # As validate reads them: a record a pull request changed stops the command at its line.
    good, problems = capture_records(archive, str(archive / RECORDS))
    if errors(problems):
        raise CaptureError(f"{errors(problems)[0].format()}; fix it before using the archive's records")
    return [Capture(**item) for item in good]


def record_for(archive: Path | None, file_name: str) -> Capture | None:
    if archive is None:
        return None
    # A broken record stops `briefing new source` with where it is: silently left out, the entry
    # would lack the address, with no word why.
    return next((r for r in read_records(archive) if r.file == file_name), None)


def documents(archive: Path) -> list[Path]:
    """The archived documents: every file but the README and the records."""
    return sorted(p for p in archive.iterdir()
                  if p.is_file() and not p.is_symlink() and not p.name.startswith(".")
                  and p.name not in (RECORDS, "README.md"))


def next_name(archive: Path, digest: str, suffix: str) -> str:
    numbers = [int(m.group(1)) for p in archive.iterdir() if (m := re.match(r"(\d{3,})_", p.name))]
    number = max(numbers, default=-1) + 1
    return f"{number:03d}_{digest[:16]}{suffix}"


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ".txt"


def _write_records(archive: Path, records: list[Capture]) -> None:
    lines = [HEADER]
    for record in records:
        fields = record.as_dict()
        first = True
        for key, value in fields.items():
            lines.append(f"{'- ' if first else '  '}{key}: {json.dumps(value, ensure_ascii=False)}\n")
            first = False
    fd, tmp = tempfile.mkstemp(dir=archive, prefix=f".{RECORDS}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write("".join(lines))
        os.replace(tmp, archive / RECORDS)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _check_url(url: str) -> str:
    if (wrong := address_problem(url)) is not None:
        raise CaptureError(wrong)
    return url


def _check_date(value: str) -> str:
    if (wrong := date_problem(value, datetime.date.today())) is not None:
        raise CaptureError(wrong)
    return value


def add(archive: Path, source: Path, url: str | None = None, captured: str | None = None,
        today: datetime.date | None = None) -> Capture:
    """Copy ``source`` into ``archive`` under the next name and record it; the new record."""
    if not archive.is_dir():
        raise CaptureError(f"the source archive {archive} does not exist")
    if not source.is_file():
        raise CaptureError(f"{source}: no such file")
    if url is not None:
        _check_url(url)
    if captured is not None:
        _check_date(captured)
    data = source.read_bytes()
    if not data.strip():
        raise CaptureError(f"{source} is empty: nothing to archive")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise CaptureError(f"{source} is not UTF-8 text: save the captured page as plain UTF-8 text") from None
    digest = hashlib.sha256(data).hexdigest()
    records = read_records(archive)
    for path in documents(archive):
        if sha256_of(path) == digest:
            raise CaptureError(f"{source} is already in the archive as {path.name} (same SHA-256); "
                               f"use that: briefing new source --archive {path.name}")
    known = {r.file for r in records}
    # Documents archived before the records were kept get a record of what is known: file and hash.
    missing = [Capture(p.name, sha256_of(p), note=BACKFILLED) for p in documents(archive) if p.name not in known]
    name = next_name(archive, digest, _suffix(source))
    fd, tmp = tempfile.mkstemp(dir=archive, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.link(tmp, archive / name)  # fails rather than replace a file of that name
    except FileExistsError:
        raise CaptureError(f"{archive / name} appeared meanwhile; run this again") from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    record = Capture(name, digest, url, captured, (today or datetime.date.today()).isoformat())
    _write_records(archive, records + missing + [record])
    return record
