"""Facts a hand-written page may cite from the entries, so they never go stale.

A page under ``docs/`` writes ``{{ briefing.sources }}`` where it means "how many sources there
are now"; the site shows the number the entries give at build time. Pure: a corpus in, text out.
A name that is not a fact is an error naming the page and line, so a typo fails the build instead
of showing braces to readers.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .model import Corpus, When
from .problems import BriefingError

PLACEHOLDER = re.compile(r"\{\{\s*briefing\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


class UnknownFact(BriefingError, ValueError):
    """A ``{{ briefing.NAME }}`` whose NAME is not one of ``FACTS``."""


def _count(items: Callable[[Corpus], object]) -> Callable[[Corpus], str]:
    return lambda corpus: f"{len(items(corpus)):,}"  # type: ignore[arg-type]


def _years(corpus: Corpus) -> str:
    """'2005 to 2024', with 'about' before a year that rests on an approximate or inferred date."""
    dates = [s.published for s in corpus.sources]
    if not dates:
        return "no date yet"
    first = min(dates, key=lambda w: w.range[0])
    last = max(dates, key=lambda w: w.range[1])

    def year(when: When) -> str:
        return f"about {when.year}" if when.precision == "approximate" or when.inferred else str(when.year)

    return year(first) if first.year == last.year else f"{year(first)} to {year(last)}"


FACTS: dict[str, tuple[str, Callable[[Corpus], str]]] = {
    "sources": ("how many sources (archived documents) the site shows", _count(lambda c: c.sources)),
    "quotes": ("how many quotes", _count(lambda c: c.quotes())),
    "actors": ("how many actors (people, organizations, states)", _count(lambda c: c.actors)),
    "topics": ("how many topics", _count(lambda c: c.topics)),
    "events": ("how many events", _count(lambda c: c.events())),
    "speakers": ("how many actors are quoted", _count(lambda c: [a for a in c.quotes_by_speaker if a in c.actors])),
    "years": ("the years the sources were published in: '2005 to 2024', 'about 2005 to 2024'", _years),
}


def fill(markdown: str, corpus: Corpus, page: str) -> str:
    """``markdown`` with every ``{{ briefing.NAME }}`` replaced by that fact of ``corpus``."""
    def value(match: re.Match[str]) -> str:
        name = match[1]
        if name not in FACTS:
            line = markdown.count("\n", 0, match.start()) + 1
            known = ", ".join(sorted(FACTS))
            raise UnknownFact(f"{page}:{line}: '{{{{ briefing.{name} }}}}' is not a fact of the briefing; "
                              f"use one of: {known}")
        return FACTS[name][1](corpus)

    return PLACEHOLDER.sub(value, markdown)
