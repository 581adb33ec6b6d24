"""The source archive: the captured documents every quote is checked against, byte for byte."""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field
from pathlib import Path


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
    _texts: dict[str, str | None] = field(default_factory=dict, repr=False)
    _hashes: dict[str, str | None] = field(default_factory=dict, repr=False)

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
        if name not in self._texts:
            self._read(name)
        return self._texts[name]

    def _read(self, name: str) -> None:
        """Read a document once for both its hash and its text: each is asked for once per source."""
        found = self._file(name)
        if found is None:
            self._hashes[name] = self._texts[name] = None
            return
        raw = found.read_bytes()
        self._hashes[name] = hashlib.sha256(raw).hexdigest()
        # Decoding the bytes skips text mode's newline translation; normalizing makes that moot.
        self._texts[name] = normalize(raw.decode("utf-8", errors="replace"))


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
