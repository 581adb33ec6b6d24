"""Load YAML entry files into plain data, catching what YAML would silently get wrong.

PyYAML's C loader composes the node tree (about ten times faster than the pure-Python one);
we then walk the nodes ourselves so that duplicate keys, anchors and aliases, odd tags and
YAML 1.1's implicit typing (``NO`` -> false, ``2011-09-06`` -> a date) become problems
instead of silent surprises. Positions are not kept for every value: when a later stage
needs one, ``EntryFile.locate`` composes the file again (only files with problems pay).
"""

from __future__ import annotations

import errno
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG
from typing import Any

import yaml

from .problems import Problem
from .rules import (
    EMPTY_FILE,
    ENCODING,
    FILE_NAME,
    FILE_READ,
    FILE_SIZE,
    TEXT_BIDI_CONTROL,
    TEXT_CONTROL_CHAR,
    YAML_ANCHOR,
    YAML_BACKSLASH_QUOTE,
    YAML_DEPTH,
    YAML_DUPLICATE_KEY,
    YAML_IMPLICIT_TYPE,
    YAML_KEY,
    YAML_SYNTAX,
    YAML_TAG,
)

try:  # the C loader where PyYAML was built with libyaml
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader  # type: ignore[assignment]


class EntryLoader(SafeLoader):
    """The safe loader, with YAML's tag resolution made cheap. The C composer asks Python for the
    tag of every node (a fifth of its time); in entries almost all are text. A quoted or block
    text is always a str, mappings and lists take the default tag (no path resolvers), and a
    plain scalar's tag depends on its text alone, so short plain texts (keys, ids, dates) are
    resolved once and remembered."""

    _plain_tags: dict[str, str] = {}

    def resolve(self, kind: Any, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if not implicit[0]:
                return _STR
            tag = self._plain_tags.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(value) <= 64 and len(self._plain_tags) < 100_000:  # bounded in a long `serve`
                    self._plain_tags[value] = tag
            return tag
        return super().resolve(kind, value, implicit)

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path resolvers: nothing to track (the composer calls this for every node)."""

    def ascend_resolver(self) -> None:
        """See descend_resolver."""


MAX_FILE_BYTES = 1_000_000
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NO_WAIT = getattr(os, "O_NONBLOCK", 0)
MAX_DEPTH = 32
KINDS = {"sources": "source", "actors": "actor", "topics": "topic"}
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # an id, as the schemas' "slug" (which also caps its length)

_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_TYPE_WORDS = {
    "tag:yaml.org,2002:bool": "a boolean",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:timestamp": "a date",
}

Path_ = tuple[str | int, ...]
_STR = "tag:yaml.org,2002:str"
# Bidirectional controls: the embeddings and overrides (U+202A-U+202E), the isolates (U+2066-U+2069)
# and the marks (U+200E, U+200F, U+061C). On a page they reorder the text around the value (a note
# ending in U+202E shows the date after it backwards). Entries have no use for them: a page lays out
# a right-to-left name correctly by itself, and a mark or isolate would still be invisible in review.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
# What a text may not hold: control characters (only an escape such as "\e" puts one in; YAML refuses
# them raw) and the bidirectional controls, which YAML takes raw.
_CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{BIDI_CONTROLS}]")


@dataclass(frozen=True, eq=False)
class EntryFile:
    """One entry file as loaded: its data (None when unreadable), the problems found reading it
    and, once checked, what ``validate.check_entry`` found in it. Never changed once made: a later
    stage that wants less of it (a worker sending back no text, a build freeing the data) makes a
    copy (``without_text``, ``released``)."""

    path: str  # as shown to editors, relative to the project root
    abs_path: Path
    kind: str  # "source" | "actor" | "topic"
    text: str | None
    data: Any
    problems: tuple[Problem, ...] = ()
    readable: bool = True
    signature: tuple[int, int, int] | None = field(default=None, repr=False)  # see load_entries' cache
    text_on_disk: bool = field(default=False, repr=False)  # text left behind; locate reads it again
    checks: Any = field(default=None, repr=False)  # validate.check_entry's answer, where it was read

    def without_text(self) -> EntryFile:
        """The entry without its text (a worker passes back only the data); ``locate`` reads the
        file again in the rare case a problem needs a position."""
        if self.text is None or self.data is None:
            return self
        return replace(self, text=None, text_on_disk=True)

    @property
    def shown_as(self) -> tuple[str, str]:
        return (self.kind, self.path)

    def released(self) -> EntryFile:
        """The entry without its text and data, once the corpus is built; ``readable`` still says
        what was."""
        return replace(self, text=None, data=None, checks=None, text_on_disk=False, readable=self.data is not None)

    @property
    def stem(self) -> str:
        return self.abs_path.stem

    def locate(self, where: Path_, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the value at ``where`` (or of its key). A missing key points
        at the nearest mapping that exists, which is where it should be added."""
        if self.text is not None:
            root = _tree(self.text)
        elif self.text_on_disk:
            root = _tree_on_disk(self.abs_path, self.signature)
        else:
            return (1, 1)
        node, key_node = root, None
        for part in where:
            child, child_key = _child(node, part)
            if child is None:
                break
            node, key_node = child, child_key
        if node is None:
            return (1, 1)
        mark = (key_node if key and key_node is not None else node).start_mark
        return (mark.line + 1, mark.column + 1)

    def problem(self, where: Path_, message: str, rule: str, hint: str = "", *, key: bool = False,
                level: str = "error") -> Problem:
        line, col = self.locate(where, key=key)
        return Problem(self.path, line, col, message, rule, hint, level)


# A file with many problems is composed once for all their positions: the last few trees are kept.
@lru_cache(maxsize=4)
def _tree(text: str) -> Any:
    try:
        return yaml.compose(text, Loader=EntryLoader)
    except yaml.YAMLError:
        return None


@lru_cache(maxsize=4)
def _tree_on_disk(path: Path, signature: tuple[int, int, int] | None) -> Any:
    """The tree of a file whose text was left behind (``EntryFile.without_text``), read again."""
    try:
        return _tree(path.read_bytes().decode("utf-8").removeprefix("\ufeff"))
    except (OSError, UnicodeDecodeError):
        return None


def _child(node: Any, part: str | int) -> tuple[Any, Any]:
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        # Indexed once per mapping: a problem for each of 100,000 unknown keys scanned them all each time.
        keys = node.__dict__.get("_keys")
        if keys is None:
            keys = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    keys.setdefault(key_node.value, (value_node, key_node))  # the first, as YAML's reader
            node.__dict__["_keys"] = keys
        return keys.get(part, (None, None))
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part], None
    return None, None


def serially(task: Callable[[int, int], list[Any]], count: int, *, workers: int = 1, size: int = 64) -> Iterator[Any]:
    """``task`` over ``range(count)`` in this process (build.py passes parallel.slices instead)."""
    yield from task(0, count) if count else ()


def load_entries(entries_dir: Path, root: Path, cache: dict[Path, EntryFile] | None = None,
                 workers: int = 1, check: Callable[[EntryFile], Any] | None = None,
                 run: Callable[..., Iterator[Any]] = serially) -> list[EntryFile]:
    """Every entry file under ``entries_dir``, in a stable order (kind, then file name).

    With a ``cache`` (path -> what was loaded before), a file whose size, modification time and
    inode are unchanged is not read again; the cache is updated to hold exactly today's files.
    ``workers`` > 1 reads the files on that many cores, by ``run`` (build.py gives parallel.slices;
    by default all in this process); ``check`` (the checks of one entry on its own, see
    validate.check_entry) then runs there too, its answer kept in ``entry.checks``.
    """
    files: list[EntryFile | None] = []
    todo: list[tuple[int, Path, str, str]] = []
    root = root.resolve()
    refused = _linked_entries_folder(entries_dir, root)
    if refused is not None:
        if cache is not None:
            cache.clear()
        return [refused]
    shown_entries = _shown(entries_dir, root)
    for folder, kind in KINDS.items():
        directory = entries_dir / folder
        if directory.is_symlink():
            files.append(_linked(f"{shown_entries}/{folder}", directory, kind))
            continue
        if not directory.is_dir():
            continue
        shown_dir = _shown(directory, root)  # the folder resolved once, not once per file
        # Names sorted as strings, and folders and links told by the directory listing: sorting Path
        # objects and a stat per file cost 0.2 s for 15,000 files, before the workers can start.
        with os.scandir(directory) as listing:
            names = sorted((item.name, item.is_dir(follow_symlinks=False), item.is_symlink()) for item in listing)
        for name, is_dir, is_link in names:
            if name.startswith("."):  # never read, links included (Emacs locks a file with a link '.#name')
                continue
            path = directory / name
            shown = f"{shown_dir}/{name}"
            if is_link:  # a pull request can carry one, to /proc/self/environ or a file outside the project
                files.append(_linked(shown, path, kind))
                continue
            if is_dir:
                continue
            if path.suffix != ".yml":
                files.append(EntryFile(shown, path, kind, None, None, (Problem(
                    shown, 0, 0, f"'{path.name}' is not a .yml file and is ignored", FILE_NAME,
                    f"rename it to {path.stem}.yml if it is an entry", level="note"),)))
                continue
            entry = cache.get(path) if cache is not None else None
            if entry is not None and entry.signature is not None and entry.signature == _signature(path) \
                    and entry.shown_as == (kind, shown):
                files.append(entry)
                continue
            todo.append((len(files), path, kind, shown))
            files.append(None)

    def load(start: int, stop: int) -> list[EntryFile]:
        loaded = []
        for _, path, kind, shown in todo[start:stop]:
            signature = _signature(path) if cache is not None else None
            entry = load_file(path, kind, shown)
            checks = check(entry) if check is not None and entry.data is not None else None
            if signature is not None or checks is not None:
                entry = replace(entry, signature=signature, checks=checks)
            if workers > 1 and run is not serially:
                entry = entry.without_text()  # half of what would travel back from the worker
            loaded.append(entry)
        return loaded

    size = max(1, min(256, -(-len(todo) // (4 * workers))))  # a few slices per worker, to share the work
    for (index, *_), entry in zip(todo, run(load, len(todo), workers=workers, size=size), strict=True):
        files[index] = entry
    result = [entry for entry in files if entry is not None]
    if cache is not None:
        cache.clear()
        cache.update((entry.abs_path, entry) for entry in result)
    return result


def _linked(shown: str, path: Path, kind: str) -> EntryFile:
    """A symbolic link among the entries: refused, not followed (not even to see what it points at),
    and nothing said of its target, whose path or content would end up in a public CI log."""
    name = shown.rpartition("/")[2]
    return _broken(shown, path, kind, f"'{name}' is a symbolic link; entries are read only from plain "
                   "files and folders in the repository", FILE_READ,
                   "replace the link with what it stands for, committed under entries/, or delete it")


def _linked_entries_folder(entries_dir: Path, root: Path) -> EntryFile | None:
    """The entries folder, refused when it is a link or lies outside the project (``root``, resolved);
    shown by its own name only. Links among the files in it are refused one by one (load_entries)."""
    if entries_dir.is_symlink():
        reason = "is a symbolic link"
    elif not entries_dir.resolve().is_relative_to(root):
        reason = "lies outside the project"
    else:
        return None
    return _broken(entries_dir.name, entries_dir, "source", f"the entries folder '{entries_dir.name}' {reason}; "
                   "entries are read only from the project's own entries/ folder", FILE_READ,
                   "make entries/ a plain folder in the repository holding the entry files")


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def load_file(path: Path, kind: str, shown: str | None = None) -> EntryFile:
    shown = shown or path.as_posix()
    try:
        # Opened without following a link (load_entries refuses links it lists; this covers one put in
        # the file's place since) and without waiting on a FIFO; then it must be a regular file, since
        # /dev/zero or a FIFO would never end.
        descriptor = os.open(path, os.O_RDONLY | _NO_FOLLOW | _NO_WAIT)
    except OSError as exc:
        if _NO_FOLLOW and exc.errno == errno.ELOOP:
            return _linked(shown, path, kind)
        return _broken(shown, path, kind, f"cannot read the file: {exc.strerror}", FILE_READ)
    if not S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        return _broken(shown, path, kind, "not a regular file", FILE_READ, "replace it with a plain .yml file")
    try:
        with open(descriptor, "rb") as handle:
            # Read what the file holds, not into a 1 MB buffer: allocating one per file cost 0.3 s
            # of CPU for 15,000 files. A file that grew since, or reports no size, is read on to the limit.
            size = os.fstat(handle.fileno()).st_size
            raw = handle.read(min(size, MAX_FILE_BYTES) + 1)
            if len(raw) > size:
                raw += handle.read(MAX_FILE_BYTES + 1 - len(raw))
            size = max(len(raw), size)
    except OSError as exc:
        return _broken(shown, path, kind, f"cannot read the file: {exc.strerror}", FILE_READ)
    if size > MAX_FILE_BYTES:
        return _too_big(shown, path, kind, size)
    return load_bytes(raw, path, kind, shown)


def _too_big(shown: str, path: Path, kind: str, size: int) -> EntryFile:
    return _broken(shown, path, kind, f"file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}",
                   FILE_SIZE, "an entry describes one source; move long texts out of it")


def load_bytes(raw: bytes, path: Path, kind: str, shown: str) -> EntryFile:
    if len(raw) > MAX_FILE_BYTES:
        return _too_big(shown, path, kind, len(raw))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return _broken(shown, path, kind, f"invalid UTF-8 byte 0x{raw[exc.start]:02x}",
                       ENCODING, "save the file as UTF-8", line, col)
    if text.startswith("\ufeff"):
        text = text[1:]  # a byte-order mark is harmless; editors on Windows add it
    reading = _Reading(shown, text)
    data = _parse(text, reading)
    if data is None and not reading.problems:
        reading.problems.append(Problem(shown, 1, 1, "the file is empty", EMPTY_FILE,
                                        f"fill it in, or delete it; `briefing new {kind}` writes a skeleton"))
    return EntryFile(shown, path, kind, text, data, tuple(reading.problems))


class _Reading:
    """What reading one file has found so far: its problems (the parse adds them as it goes)."""

    __slots__ = ("path", "problems", "text")

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.text = text


def _broken(shown: str, path: Path, kind: str, message: str, rule: str, hint: str = "",
            line: int = 1, col: int = 1) -> EntryFile:
    return EntryFile(shown, path, kind, None, None, (Problem(shown, line, col, message, rule, hint),))


def _parse(text: str, reading: _Reading) -> Any:
    if "&" in text or "*" in text or _may_nest_deeply(text):
        if _screen_events(text, reading):
            return None
    try:
        root = yaml.compose(text, Loader=EntryLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = exc.problem or str(exc)
        lines = re.split("\r\n|[\r\n\x85\u2028\u2029]", text)  # YAML's line breaks
        if line > len(lines):  # PyYAML places an unfinished document's error past its last line
            line, col = len(lines), len(lines[-1]) + 1
            message += " (at the end of the file)"
        if exc.context:
            message = f"{exc.context}, {message}"
            if exc.context_mark and exc.context_mark.line + 1 != line:
                message += f" (that started at line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1})"
        hint = "YAML forbids tabs for indentation; use spaces" if "\t" in message or "tab" in message else \
            "check the indentation and quoting near this point"
        reading.problems.append(Problem(reading.path, line, col, f"YAML syntax error: {message}", YAML_SYNTAX, hint))
        return None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses, e.g. NUL: say where it is
        before = text[: exc.position]
        line, col = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        reading.problems.append(Problem(reading.path, line, col,
                                        f"YAML refuses the character U+{exc.character:04X} here" if isinstance(
                                            exc.character, int) else f"YAML error: {exc.reason}", YAML_SYNTAX,
                                        "delete it; it is invisible or a control character"))
        return None
    except yaml.YAMLError as exc:
        reading.problems.append(Problem(reading.path, 1, 1, f"YAML error: {exc}", YAML_SYNTAX))
        return None
    except RecursionError:
        reading.problems.append(Problem(reading.path, 1, 1, "the file nests too deeply to read", YAML_DEPTH,
                                        f"entries need at most {MAX_DEPTH} levels"))
        return None
    if root is None:
        return None
    return _to_data(root, reading, 0, control="\\" in text or _CONTROL.search(text) is not None)


# The C composer recurses once per level and crashes the interpreter (SIGSEGV) some tens of
# thousands of levels down, which "[[[[..." reaches in a small file: deeper nesting is refused
# from the event stream, which is flat.
_COMPOSE_DEPTH = 5000


def _may_nest_deeply(text: str) -> bool:
    return sum(text.count(c) for c in "[{-?") > _COMPOSE_DEPTH


def _screen_events(text: str, reading: _Reading) -> bool:
    """Anchors and aliases are refused before composing, so an alias bomb costs nothing;
    so is nesting too deep to compose."""
    found = False
    depth = 0
    try:
        for event in yaml.parse(text, Loader=SafeLoader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth == MAX_DEPTH + 2:
                    deep = event.start_mark
                if depth > _COMPOSE_DEPTH:
                    assert deep is not None  # the parser marks every event it makes
                    reading.problems.append(Problem(reading.path, deep.line + 1, deep.column + 1,
                                                    f"nesting deeper than {MAX_DEPTH} levels", YAML_DEPTH,
                                                    "entries are shallow; check the indentation"))
                    return True
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
            anchor = getattr(event, "anchor", None)
            if isinstance(event, yaml.AliasEvent) or anchor is not None:
                mark = event.start_mark
                assert mark is not None  # the parser marks every event it makes
                what = "alias *" if isinstance(event, yaml.AliasEvent) else "anchor &"
                reading.problems.append(Problem(
                    reading.path, mark.line + 1, mark.column + 1,
                    f"YAML {what}{anchor} is not allowed in entries", YAML_ANCHOR,
                    "write the value out in full; entries must read the same to a person and to the loader"))
                found = True
    except yaml.YAMLError:
        return found  # the syntax error is reported by compose
    return found


# One object for each short text that recurs (keys, ids, kinds, dates): a large briefing holds
# a million texts, two in three of them a copy of another.
_TEXTS: dict[str, str] = {}


def _one(text: str) -> str:
    kept = _TEXTS.get(text)
    if kept is None:
        if len(text) > 64 or len(_TEXTS) >= 200_000:  # bounded in a long `serve`
            return text
        _TEXTS[text] = kept = text
    return kept


def _to_data(node: Any, reading: _Reading, depth: int, control: bool = True) -> Any:
    """The node as plain data, with a problem for whatever YAML would get silently wrong.
    ``control`` says whether a text may hold a control character: only an escape or a raw
    bidirectional control puts one there, so in a file with neither (most) the texts need no
    search for one."""
    if depth > MAX_DEPTH:
        mark = node.start_mark
        reading.problems.append(Problem(reading.path, mark.line + 1, mark.column + 1,
                                        f"nesting deeper than {MAX_DEPTH} levels", YAML_DEPTH,
                                        "entries are shallow; check the indentation"))
        return None
    kind = type(node)
    if node.tag == _STR and kind is yaml.ScalarNode and not control:  # most nodes: plain text
        return _one(node.value)
    if node.tag not in _STANDARD_TAGS:
        mark = node.start_mark
        reading.problems.append(Problem(reading.path, mark.line + 1, mark.column + 1,
                                        f"YAML tag {node.tag!r} is not allowed", YAML_TAG,
                                        "remove the tag; entries use plain YAML"))
        return node.value if kind is yaml.ScalarNode else None
    if kind is yaml.MappingNode:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not yaml.ScalarNode or key_node.tag == "tag:yaml.org,2002:null":
                kmark = key_node.start_mark
                reading.problems.append(Problem(reading.path, kmark.line + 1, kmark.column + 1,
                                                "a key must be a plain name", YAML_KEY))
                continue
            key = _one(key_node.value)
            if key == "<<":
                kmark = key_node.start_mark
                reading.problems.append(Problem(reading.path, kmark.line + 1, kmark.column + 1,
                                                "merge keys (<<) are not allowed", YAML_ANCHOR))
                continue
            if key in result:
                kmark = key_node.start_mark
                reading.problems.append(Problem(
                    reading.path, kmark.line + 1, kmark.column + 1, f"duplicate key '{key}'",
                    YAML_DUPLICATE_KEY, "YAML keeps only the last one; merge the two into one key"))
                continue
            if value_node.tag == _STR and type(value_node) is yaml.ScalarNode and not control:
                result[key] = _one(value_node.value)
            else:
                result[key] = _to_data(value_node, reading, depth + 1, control)
        return result
    if kind is yaml.SequenceNode:
        return [_to_data(item, reading, depth + 1, control) for item in node.value]
    mark = node.start_mark
    return _scalar(node, reading, mark.line + 1, mark.column + 1)


def _first(needle: str, text: str, node: Any) -> tuple[int, int]:
    """Line and column of ``needle`` in what ``node`` was read from (a block of text spans lines)."""
    first, last = node.start_mark.line, node.end_mark.line
    for number, line in enumerate(text.split("\n")[first:last + 1], first + 1):
        if needle in line:
            return number, line.index(needle) + 1
    return first + 1, node.start_mark.column + 1


def _scalar(node: Any, reading: _Reading, line: int, col: int) -> Any:
    tag, value = node.tag, node.value
    if tag == "tag:yaml.org,2002:str":
        if node.style != '"' and '\\"' in value:  # only an escape in double quotes; elsewhere shown as it is
            line, col = _first('\\"', reading.text, node)
            reading.problems.append(Problem(
                reading.path, line, col, 'the text holds \\" outside double quotes, where YAML keeps the backslash',
                YAML_BACKSLASH_QUOTE, 'write the quotation mark alone; \\" is an escape only in "double quotes"'))
        control = _CONTROL.search(value)
        if control is None:
            return value
        char = control.group()
        if _BIDI.match(char):  # raw or escaped; never shown in the message, which would reorder it too
            reading.problems.append(Problem(
                reading.path, line, col, f"the text holds the invisible bidirectional control U+{ord(char):04X} "
                f"({unicodedata.name(char)}), which reorders the text around it on the page", TEXT_BIDI_CONTROL,
                "delete it (most editors show it only with invisible characters on); right-to-left words "
                "display correctly without it"))
        else:  # only an escape ("\e", "\x07") gets one in: YAML refuses them raw
            reading.problems.append(Problem(
                reading.path, line, col, f"the text holds the control character U+{ord(char):04X}",
                TEXT_CONTROL_CHAR, "delete the escape; a reader would see nothing, or garbage"))
        return value
    if tag == "tag:yaml.org,2002:null":
        return None
    if not node.style and tag in _TYPE_WORDS:  # a plain scalar YAML typed for us ("" in the C loader)
        if tag == "tag:yaml.org,2002:bool" and value in ("true", "false"):
            return value == "true"
        reading.problems.append(Problem(
            reading.path, line, col,
            f"unquoted {value} is read as {_TYPE_WORDS[tag]} by YAML, not as text", YAML_IMPLICIT_TYPE,
            f'write "{value}" in double quotes' + (" (or true/false for a yes/no field)"
                                                    if tag == "tag:yaml.org,2002:bool" else "")))
        return value
    # An explicit standard tag such as !!bool "yes": take YAML at its word but keep it text.
    return value
