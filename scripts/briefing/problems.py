"""Problems are data: where, what, which rule, and how to fix it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


# What must never reach a terminal or a CI log as it is: C0 and C1 control characters (newlines,
# carriage returns, ANSI escape sequences), line and paragraph separators, and the bidirectional
# controls that reorder the text shown after them.
class BriefingError(Exception):
    """The one error a command tells its user: ``error: <message>`` on one line, exit 1. The
    message says what is wrong, where, and what to do; no traceback."""


_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def visible(text: str, keep: str = "") -> str:
    """``text`` with every character listed above (but those in ``keep``) shown as its escape
    (``\\n``, ``\\x1b``, ``\\u202e``)."""
    def escape(found: re.Match[str]) -> str:
        char = found[0]
        if char in keep:
            return char
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char) or (
            f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
    return _UNSAFE.sub(escape, text)


def printable(text: str) -> str:
    """``text`` for a terminal or a CI log: ``visible``, and GitHub Actions' old command syntax,
    ``##[name]`` anywhere in a line, broken (``##\\x5b``), so no file name or message makes the runner act."""
    return visible(text).replace("##[", "##\\x5b")


def one_line(text: str) -> str:
    """``printable`` for a whole line: nor can it start, after white space, with ``::`` (a workflow command)."""
    text = printable(text)
    start = len(text) - len(text.lstrip())
    return text[:start] + "\\x3a" + text[start + 1:] if text.startswith("::", start) else text


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an entry. Lines and columns are 1-based; 0 means "the whole file"."""

    path: str
    line: int
    col: int
    message: str
    rule: str
    hint: str = ""
    level: str = "error"  # "error" fails validation; "note" is information only

    def format(self) -> str:
        """One line, whatever the path and message hold (see ``printable``)."""
        text = f"{self.path}:{self.line}:{self.col}: {self.level}: {self.message} ({self.rule})"
        if self.hint:
            text += f" - hint: {self.hint}"
        return one_line(text)

    def format_github(self) -> str:
        """GitHub Actions workflow command, so a pull request shows the problem on its line."""
        kind = "error" if self.level == "error" else "notice"
        message = self.message + (f" - hint: {self.hint}" if self.hint else "")
        return (
            f"::{kind} file={_gh_property(self.path)},line={max(self.line, 1)},"
            f"col={max(self.col, 1)},title={_gh_property(self.rule)}::{_gh_data(message)}"
        )


def _gh_data(value: str) -> str:
    # Escaping defined by the runner's workflow-command syntax (actions/runner ActionCommand.cs).
    # It has none for other control characters (an ANSI sequence would colour or hide the log), so
    # they are shown as escapes. "##[" needs none: the runner reads this line as a "::" command.
    return visible(value, keep="\r\n").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.level == "error"]
