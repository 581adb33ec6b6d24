"""The source archive: the captured documents every quote is checked against, byte for byte."""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Only runs of white space may differ between a quote and its document."""
    return _SPACE.sub(" ", text).strip()


@dataclass
class Archive:
    """Where the archived documents are. ``required`` when the path was asked for explicitly
    (BRIEFING_ARCHIVE), so a missing folder is an error instead of a skipped check."""

    path: Path | None
    required: bool = False
    _texts: dict[str, str | None] = field(default_factory=dict, repr=False)
    _hashes: dict[str, str | None] = field(default_factory=dict, repr=False)

    @property
    def available(self) -> bool:
        return self.path is not None and self.path.is_dir()

    def _file(self, name: str) -> Path | None:
        if not self.available or "/" in name or "\\" in name or name.startswith("."):
            return None
        candidate = self.path / name  # type: ignore[operator]
        return candidate if candidate.is_file() else None

    def sha256(self, name: str) -> str | None:
        if name not in self._hashes:
            found = self._file(name)
            self._hashes[name] = hashlib.sha256(found.read_bytes()).hexdigest() if found else None
        return self._hashes[name]

    def text(self, name: str) -> str | None:
        """The document, white space normalized; None when it is not in the archive."""
        if name not in self._texts:
            found = self._file(name)
            self._texts[name] = normalize(found.read_text("utf-8", errors="replace")) if found else None
        return self._texts[name]


def contains(document: str, quote: str) -> bool:
    return normalize(quote) in document


def closest_passage(document: str, quote: str, width: int = 100) -> str:
    """The stretch of the document that best lines up with a quote that is not in it."""
    needle = normalize(quote)
    matcher = difflib.SequenceMatcher(None, document, needle, autojunk=False)
    block = max(matcher.get_matching_blocks(), key=lambda b: b.size)
    if block.size == 0:
        return ""
    start = max(0, block.a - block.b)
    passage = document[start:start + len(needle)]
    return passage if len(passage) <= width else passage[:width - 3] + "..."


def first_difference(passage: str, quote: str) -> int:
    needle = normalize(quote)
    for index, (a, b) in enumerate(zip(passage, needle)):
        if a != b:
            return index
    return min(len(passage), len(needle))
