"""What several test modules share: sample entries, the hostile corpus, the synthetic corpus and
the guide's blocks. Test modules import from here (or conftest), never from one another."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from briefing.load import load_entries
from briefing.model import Corpus, actor_from, build_corpus, source_from, topic_from
from briefing.project import load_project, read_settings
from briefing.synthetic import write_corpus

from conftest import MINI, ROOT

GUIDE = (ROOT / "CONTRIBUTING.md").read_text("utf-8")

SHA = __import__("hashlib").sha256((MINI / "archive" / "doc1.txt").read_bytes()).hexdigest()

# A valid source; each case below changes one thing. Line numbers are this text's.
SOURCE = f"""\
id: case
status: draft
title: "A title"
outlet:
  kind: newspaper
authors: []
published:
  date: "2020-03-02"
  precision: day
archive:
  file: "doc1.txt"
  sha256: "{SHA}"
summary: ""
key_points: []
quotes:
  - id: first
    text: "We have agreed on a hotline between our capitals,"
    speaker: ada-quill
    kind: direct
actors:
  - id: ada-quill
    role: "Minister"
topics: [diplomacy]
events: []
capture_notes: []
left_out:  # the document's other quoted passages (else a quote-coverage note)
  - text: "step-by-step"
    reason: "A fragment the sample does not need."
  - text: "historic"
    reason: "A fragment the sample does not need."
"""

ACTOR = """\
id: case
name: "Case Person"
kind: person
description: "Someone."
roles:
  - title: "Minister"
    as_of: "2020-03-02"
    sources: [hotline-talks]
"""



EVIL = "=cmd|' /C calc'!A0 </script><script>alert(1)</script> {brace} } \\ % & # $ _ ~ ^ @x{y, “q” <!-- é"


def load(config: Path, monkeypatch) -> Corpus:
    monkeypatch.delenv("BRIEFING_ARCHIVE", raising=False)
    loaded = load_project(read_settings(config))
    assert loaded.corpus is not None, [p.format() for p in loaded.problems]
    return loaded.corpus


def hostile(corpus: Corpus) -> Corpus:
    """The same corpus with a hostile value in every free-text field the exports carry."""
    def evil(tag: str) -> str:
        return f"{tag} {EVIL}"

    sources = []
    for s in corpus.sources:
        quotes = tuple(dataclasses.replace(q, text=("-" if i == 0 else "@") + evil("quote"), context=evil("context"),
                                           speaker_note=evil("note")) for i, q in enumerate(s.quotes))
        events = tuple(dataclasses.replace(e, title=evil("event"), place=evil("place"), note=evil("enote"))
                       for e in s.events)
        outlet = dataclasses.replace(s.outlet, name=evil("outlet"))
        sources.append(dataclasses.replace(s, title=evil("title"), authors=(evil("author"), "Jo and Co"),
                                           summary=evil("summary"), quotes=quotes, events=events, outlet=outlet,
                                           url="https://example.org/?a=1&b=<x>"))
    actors = [dataclasses.replace(a, name=evil("name"), description=evil("desc")) for a in corpus.actors.values()]
    return build_corpus(sources, actors, list(corpus.topics.values()))


@dataclasses.dataclass
class Site:
    title: str = "Briefing <b>&</b>"
    subject: str = "Subject </script>"


@pytest.fixture(params=["mini", "hostile", "briefing"])
def corpus(request, monkeypatch) -> Corpus:
    if request.param == "briefing":
        return load(ROOT / "mkdocs.yml", monkeypatch)
    mini = load(MINI / "mkdocs.yml", monkeypatch)
    return hostile(mini) if request.param == "hostile" else mini



def guide_block(language: str, after: str) -> str:
    """The first fenced ``language`` block of CONTRIBUTING.md after the line ``after``."""
    start = GUIDE.index(after)
    match = re.compile(rf"^```{language}\n(.*?)^```", re.M | re.S).search(GUIDE, start)
    assert match, f"no ```{language} block after {after!r} in CONTRIBUTING.md"
    return match[1]



def synthetic_corpus(root, n):
    write_corpus(root, n)
    files = load_entries(root / "entries", root)
    return build_corpus([source_from(f.data, f.path) for f in files if f.kind == "source"],
                        [actor_from(f.data, f.path) for f in files if f.kind == "actor"],
                        [topic_from(f.data, f.path) for f in files if f.kind == "topic"])


def edited(text: str, changes: list[tuple[str, str]], case: str) -> str:
    """``text`` with each (old, new) change made once; a change whose old text is not there fails the case."""
    for old, new in changes:
        assert old in text, f"case {case!r} changes text that is not in the sample"
        text = text.replace(old, new, 1)
    return text
