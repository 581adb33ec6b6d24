"""What ``briefing new source`` can read from the archived document before anyone else does.

- **Quote stubs**: every quoted passage (``coverage.quoted_passages``) once, its text exactly as
  the document prints it (so it passes the fidelity check), with a guessed kind and a suggested
  speaker. The editor deletes what is not a quotation and checks the rest.
- **Kind**: ``direct`` when the passage starts with a capital letter and has three words or more
  (a statement), else ``fragment`` (a few words inside reported speech).
- **Speaker**: the person a sentence names before ``said,`` or a colon that opens the quotation;
  else a known actor (name, alias or a person's surname, ``names.NameIndex``) named in the
  passage's paragraph outside any quotation next to a word of saying (``said X``, ``X said``,
  ``according to X``, ``X told``, ...): in the same sentence first, a person before an organization
  or state, then the nearest; else a person named just before the quotation. When the paragraph
  names none but refers back (``he said``, ``The foreign minister ...``), the actor named that way
  in the two paragraphs before. Otherwise ``unknown``, with a speaker_note saying so.
- **Actors**: every known actor the document names outside furniture, in order of first mention.
- **Unknown names**: runs of two to four capitalised words that are no known actor's name, for
  the editor to check (``briefing new actor``).

Every guess is written down as a YAML comment (``# suggested: ...``) in the skeleton.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .archive import Document, quoted_at
from .coverage import Passage, quoted_passages
from .load import SLUG, load_file
from .names import WORD, Mention, NameIndex, actor_names, fold
from .problems import errors

SPEECH = {"said", "says", "saying", "added", "adding", "adds", "told", "tells", "telling", "warned",
          "warns", "warning", "stated", "noted", "noting", "announced", "called", "claimed", "explained",
          "stressed", "urged", "insisted", "declared",
          "praised", "described", "responded", "replied", "asked", "according", "wrote", "writes",
          "quoted", "cautioned", "emphasized", "emphasised", "reiterated", "argued", "pointed"}
CUE_AFTER = 4   # "Velayati, for his part, said": a word of saying up to four words after the name
CUE_BEFORE = 5  # "said the forum's spokesperson, Omar Haddad": up to five words before it
ACCORDING = 8   # "according to Russian Security Council director Nikolai Patrushev"
LOOK_BACK = 2   # paragraphs before the quote's own where its speaker may have been named
DIRECT_WORDS = 3
NOT_NAMES = {  # capitalised words that start sentences or name dates, not people
    "a", "an", "the", "and", "but", "or", "if", "in", "on", "at", "by", "for", "of", "to", "as", "from",
    "with", "after", "before", "during", "while", "despite", "even", "such", "this", "that", "these",
    "those", "it", "its", "he", "she", "they", "we", "our", "his", "her", "their", "i", "you", "mr", "mrs",
    "ms", "dr", "last", "next", "according", "related", "home", "news", "contact", "share", "more", "also",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
    "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}


@dataclass
class Stub:
    id: str
    text: str
    kind: str
    speaker: str
    lines: list[int]
    why_speaker: str
    why_kind: str


@dataclass
class Prefill:
    stubs: list[Stub] = field(default_factory=list)
    actors: list[tuple[str, int, str]] = field(default_factory=list)  # (id, first line, as printed)
    unknown_names: list[tuple[str, int]] = field(default_factory=list)  # (name, first line)
    dropped: list[tuple[str, int]] = field(default_factory=list)  # passages that could not be a quote


def read_actors(folder: Path) -> dict[str, dict[str, Any]]:
    """Every actor entry that reads as YAML and has an id (its file's name), by id; a broken file
    is validate's business. The scaffolds write these ids into new entries as they are, so an id
    holding a line break would have written fields of its own choosing there."""
    actors = {}
    for path in sorted(folder.glob("*.yml")):
        entry = load_file(path, "actor")  # the validator's reader: no link followed, no depth or size unbounded
        data = entry.data
        if not errors(entry.problems) and isinstance(data, dict) and data.get("id") == path.stem \
                and SLUG.fullmatch(path.stem):
            aliases = data.get("aliases")
            actors[data["id"]] = {**data, "aliases": aliases if isinstance(aliases, list) else [], "_path": path}
    return actors


def guess_kind(text: str) -> tuple[str, str]:
    count = len(WORD.findall(text))
    if text[:1].isupper() and count >= DIRECT_WORDS:
        return "direct", f"a statement: starts with a capital, {count} words"
    why = "starts in lower case" if not text[:1].isupper() else f"{count} word{'s' * (count != 1)}"
    return "fragment", f"words inside reported speech: {why}"


def _slug(text: str, taken: set[str]) -> str:
    words = [w.lower() for w in re.findall(r"[A-Za-z0-9]+", text)][:4] or ["quote"]
    base = "-".join(words)[:60].strip("-") or "quote"
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    taken.add(ident)
    return ident


@dataclass(frozen=True)
class _Cued:
    mention: Mention
    line: int
    cue: str


@dataclass
class _Paragraph:
    number: int
    offset: int                 # of the line in document.text
    text: str
    masked: str                 # the line with the quoted passages' words blanked out
    mentions: list[Mention]     # known actors named outside quotation marks
    cued: list[_Cued]           # those named next to a word of saying
    sentences: list[int]        # offsets where a sentence starts


def prefill(document: Document, actors: Mapping[str, Mapping[str, Any]],
            furniture: set[int] | frozenset[int] = frozenset()) -> Prefill:
    index = NameIndex(actor_names(actors) + surnames(actors))
    kinds = {ident: data.get("kind") for ident, data in actors.items()}
    result = Prefill()
    passages = [p for p in quoted_passages(document) if p.line not in furniture]
    by_line: dict[int, list[Passage]] = {}
    for p in passages:
        by_line.setdefault(p.line, []).append(p)

    paragraphs: dict[int, _Paragraph] = {}
    ends = (*document.starts[1:], len(document.text) + 1)
    # Not strict: a document with no line has no start and no number, but one end.
    for start, end, number in zip(document.starts, ends, document.numbers, strict=False):
        if number in furniture:
            continue
        line = document.text[start:end - 1]
        inside = [(p.start - start, p.end - start) for p in by_line.get(number, [])]
        pieces, at = [], 0
        for a, b in inside:
            pieces += [line[at:a], " " * (b - a)]
            at = b
        masked = "".join(pieces) + line[at:]
        every = index.find(line)
        for m in every:
            if m.actor not in {a for a, _, _ in result.actors}:
                result.actors.append((m.actor, number, m.spelling))
        mentions = index.find(masked)
        tokens = [(w.group().casefold(), w.start()) for w in WORD.finditer(masked)]
        cued = [_Cued(m, number, cue) for m in mentions if (cue := _cue(masked, tokens, m))]
        opens = [a for a, _ in inside]
        breaks = [0] + [b.end() for b in SENTENCE_BREAK.finditer(line)
                        if not _within(inside, opens, b.start()) and not _abbreviation(line, b.start())]
        paragraphs[number] = _Paragraph(number, start, line, masked, mentions, cued, breaks)
        result.unknown_names.extend((name, number) for name in _unknown_names(line, every))

    seen_text: dict[str, Stub] = {}
    taken: set[str] = set()
    order = {number: i for i, number in enumerate(paragraphs)}
    searchable = document.searchable(furniture, False)
    for p in passages:
        if p.text in seen_text:  # a quotation printed twice is one quote
            seen_text[p.text].lines.append(p.line)
            continue
        if quoted_at(searchable, p.text) == -1:
            result.dropped.append((p.text, p.line))
            continue
        kind, why_kind = guess_kind(p.text)
        speaker, why = _speaker(p, paragraphs, order, kinds)
        stub = Stub(_slug(p.text, taken), p.text, kind, speaker, [p.line], why, why_kind)
        seen_text[p.text] = stub
        result.stubs.append(stub)
    first_line: dict[str, int] = {}  # each unknown name once, where it first stands
    for n, number in result.unknown_names:
        first_line.setdefault(n, number)
    result.unknown_names = list(first_line.items())
    return result


SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"\u201d\u2019]?\s+(?=[\"\u201c\u2018]?[A-Z])")
# A paragraph that refers back to someone named before: a pronoun, "The foreign minister ...", or a
# line that goes on with the sentence before (a capture that wraps lines). "An official ..." does not.
REFERS_BACK = re.compile(r"\b(?i:he|she|they|his|her|their)\b|^\s*(?:The\s|[a-z])")
SPEAKER_AFTER = {"said", "says", "according", "added", "wrote", "quoted"}  # said X, according to X


def _within(spans: list[tuple[int, int]], starts: list[int], at: int) -> bool:
    """Whether ``at`` falls strictly inside one of ``spans`` (sorted, not overlapping)."""
    i = bisect_left(starts, at) - 1
    return i >= 0 and spans[i][0] < at < spans[i][1]


def _abbreviation(line: str, at: int) -> bool:
    """A full stop after 'Lt', 'Gen', 'Mr': no sentence ends there."""
    word = re.search(r"(\w+)[.]$", line[max(0, at - 40):at])
    return word is not None and len(word.group(1)) <= 3 and word.group(1)[:1].isupper()


def surnames(actors: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, str]]:
    """A person's last name on its own ('Patrushev said'), when no other actor's name ends so."""
    last: dict[str, set[str]] = {}
    for ident, data in actors.items():
        if data.get("kind") != "person":
            continue
        for name in [data.get("name"), *(data.get("aliases") or [])]:
            parts = WORD.findall(name) if isinstance(name, str) else []
            if len(parts) >= 2 and len(parts[-1]) >= 4:
                last.setdefault(parts[-1], set()).add(ident)
    named = {fold(name) for name, _ in actor_names(actors)}
    return [(word, next(iter(ids))) for word, ids in last.items() if len(ids) == 1 and fold(word) not in named]


def _cue(masked: str, tokens: list[tuple[str, int]], m: Mention) -> str | None:
    """How the text says that ``m`` is speaking, if it does: a word of saying up to CUE_AFTER words
    after the name in the same clause ('Patrushev said', 'Velayati, for his part, said'), or one
    before it ('according to X', 'said the spokesperson, X.'). ``tokens``: the words of ``masked``
    (case-folded) with their offsets."""
    for word, at in tokens[m.word + m.words:m.word + m.words + CUE_AFTER]:
        if re.search(r"[.!?;\"\u201c\u201d\u2018]", masked[m.end:at]):
            break  # not across a sentence or a quotation
        if word in SPEECH and word != "according":
            return f"'{m.spelling} {word}'" if masked[m.end:at].strip() == "" else f"'{m.spelling} ... {word}'"
    ends_clause = re.match(r"\s*(?:[,.;:!?\"\u201c\u201d]|$)", masked[m.end:])
    for index in range(m.word - 1, max(0, m.word - ACCORDING) - 1, -1):
        word, at = tokens[index]
        if re.search(r"[.!?;\"\u201c\u201d]", masked[at:m.start]):
            break
        if word == "according" or (word in SPEAKER_AFTER and ends_clause and index >= m.word - CUE_BEFORE):
            return f"'{word} ... {m.spelling}'"
    return None


NEAR = 1500  # characters around a quotation where its speaker is looked for (bounds the work per quote)


def _speaker(p: Passage, paragraphs: dict[int, _Paragraph], order: dict[int, int],
             kinds: Mapping[str, Any]) -> tuple[str, str]:
    para = paragraphs[p.line]
    a, b = p.start - para.offset, p.end - para.offset
    sentence = para.sentences[bisect_right(para.sentences, a) - 1]
    lead = para.masked[max(sentence, a - 40):max(sentence, a - 1)]
    words_before = [w.casefold() for w in WORD.findall(lead)][-2:]
    starts = [m.start for m in para.mentions]
    if lead.rstrip().endswith(":") or any(w in SPEECH and w != "according" for w in words_before):
        first = bisect_left(starts, max(sentence, a - NEAR))
        people = [m for m in para.mentions[first:bisect_left(starts, a)] if kinds.get(m.actor) == "person"]
        if people:
            cue = "a colon" if lead.rstrip().endswith(":") else f"'{words_before[-1]}'"
            return people[0].actor, f"the person the sentence names before {cue} just before the quote"

    def distance(c: _Cued) -> int:
        return max(0, a - c.mention.end, c.mention.start - b)

    def in_sentence(c: _Cued) -> bool:
        return para.sentences[bisect_right(para.sentences, c.mention.start) - 1] == sentence
    cued_starts = [c.mention.start for c in para.cued]
    near = para.cued[bisect_left(cued_starts, a - NEAR):bisect_right(cued_starts, b + NEAR)]
    if near:
        best = min(near, key=lambda c: (not in_sentence(c), kinds.get(c.mention.actor) != "person", distance(c)))
        m = best.mention
        side = "after" if m.start >= b else "before"
        between = para.text[b:m.start] if side == "after" else para.text[m.end:a]
        words = len(WORD.findall(between))
        return m.actor, f"named {words} word{'s' * (words != 1)} {side} the quote, {best.cue}"
    close = [m for m in para.mentions[bisect_left(starts, a - 200):bisect_left(starts, a)]
             if 0 <= a - m.end <= 36 and len(WORD.findall(para.text[m.end:a])) <= 2 and kinds.get(m.actor) == "person"]
    if close:
        return close[-1].actor, f"'{close[-1].spelling}' is named just before the quote"
    if not REFERS_BACK.search(para.masked[max(0, a - NEAR):b + NEAR]):
        return "unknown", ("no known actor is named next to a word of saying in this paragraph, and it does not "
                           "refer back to one named before (he, she, they, the ...)")
    position = order[p.line]
    numbers = list(order)
    for number in reversed(numbers[max(0, position - LOOK_BACK):position]):
        cued = paragraphs[number].cued
        if cued:
            best = min(cued, key=lambda c: (kinds.get(c.mention.actor) != "person", -c.mention.start))
            return best.mention.actor, (f"named in a paragraph before (line {number}), {best.cue}; "
                                        "none in this one")
    return "unknown", "no known actor is named next to a word of saying in this paragraph or the two before"


def _unknown_names(line: str, known: list[Mention]) -> list[str]:
    """Runs of 2-4 capitalised words (Title Case, not all capitals) that are no known actor."""
    names = []
    run: list[re.Match[str]] = []

    def close() -> None:
        words = list(run)
        while words and words[0].group().casefold() in NOT_NAMES:
            words.pop(0)
        while words and words[-1].group().casefold() in NOT_NAMES:
            words.pop()
        if 2 <= len(words) <= 4:
            a, b = words[0].start(), words[-1].end()
            if not any(m.start < b and a < m.end for m in known):
                names.append(line[a:b])
        run.clear()

    for match in WORD.finditer(line):
        word = match.group()
        capital = word[:1].isupper() and any(c.islower() for c in word)
        if run and not re.fullmatch(r" ", line[run[-1].end():match.start()]):
            close()
        if capital:
            run.append(match)
        else:
            close()
    close()
    return names
