"""Problems are data: where, what, which rule, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


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
        text = f"{self.path}:{self.line}:{self.col}: {self.level}: {self.message} ({self.rule})"
        if self.hint:
            text += f" - hint: {self.hint}"
        return text

    def format_github(self) -> str:
        """GitHub Actions workflow command, so a pull request shows the problem on its line."""
        kind = "error" if self.level == "error" else "notice"
        message = self.message + (f" - hint: {self.hint}" if self.hint else "")
        return (
            f"::{kind} file={_gh_property(self.path)},line={max(self.line, 1)},"
            f"col={max(self.col, 1)},title={_gh_property(self.rule)}::{_gh_data(message)}"
        )


def _gh_data(value: str) -> str:
    # Escaping defined by the runner's workflow-command syntax.
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.level == "error"]
