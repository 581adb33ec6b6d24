"""Find quotes by phrase, the way the site's search does: ``briefing quotes PHRASE``.

A phrase matches a quote when its words appear in the quote's text in that order, next to each
other. Case, white space and punctuation do not matter: the text and the phrase are split into
words at the same characters the site's search splits at (``SEPARATOR``, which the site's search,
scripts/briefing/assets/search.js, compiles as it is; a test checks), so "step by step" finds
"step-by-step" and "Minister's" finds "Minister’s". A possessive 's is not a word of its own:
"Iran's" is the word "Iran". A "quoted phrase" in the site's search box finds the same quotes.

Example::

    $ briefing quotes "hotline" --speaker ada-quill
    2 March 2020 · Ada Quill · Ministers agree on a hotline
      We have agreed on a hotline between our capitals,
      sources/hotline-talks/#q-hotline-agreed
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import UNKNOWN_SPEAKER, Corpus, Quote, Source, When, quote_date_label, quote_url, quote_when
from .problems import BriefingError

# Word boundaries, as a regular expression valid in both Python and JavaScript (the site's search,
# assets/search.js, compiles the same text with `new RegExp`): an 's that ends a word (Iran's,
# administration’s: the word is "iran", not "iran" and "s"), with the white space or punctuation
# after it; white space; hyphens and dashes; sentence and clause punctuation and the ellipsis;
# straight and typographic quotes and apostrophes; brackets and slashes; a full stop unless a digit
# follows (10.5 stays one word); the HTML entities & < > " may be written as.
# Why the 's goes: it is no word a reader means ("Iran's recent actions" is said of Iran), and a
# lone "s" would be marked on the landing page wherever an 's stands.
SEPARATOR = r"""['’][sS](?:[\s\-‐‑‒–—―,:;!?'’‘"“”«»…()\[\]/.]+|$)|[\s\-‐‑‒–—―,:;!?'’‘"“”«»…()\[\]/]+|\.(?!\d)|&(?:amp|lt|gt|quot);"""  # noqa: E501 (one regular expression, read whole)
_SPLIT = re.compile(SEPARATOR)


def words(text: str) -> list[str]:
    """The words the site's search sees in ``text``, case-folded."""
    return [w for w in _SPLIT.split(text.casefold().replace("&", " ")) if w]


def contains_phrase(text: str, phrase: str) -> bool:
    wanted = words(phrase)
    if not wanted:
        return False
    return f" {' '.join(wanted)} " in f" {' '.join(words(text))} "


@dataclass(frozen=True)
class Match:
    quote: Quote
    source: Source
    when: When


class UnknownId(BriefingError):
    """A speaker or source to search by that the briefing does not have."""


def find_quotes(corpus: Corpus, phrase: str, *, speaker: str | None = None, source: str | None = None,
                since: str | None = None, until: str | None = None) -> list[Match]:
    """Quotes whose text contains ``phrase``, newest first; ``since``/``until`` are ISO dates,
    inclusive, compared with the span a quote's (possibly partial) date covers. A ``speaker`` or
    ``source`` id the corpus does not have raises UnknownId (a typo would otherwise find nothing)."""
    if speaker and speaker not in corpus.actors and speaker != UNKNOWN_SPEAKER:
        raise UnknownId(f"no speaker with id {speaker!r}; see entries/actors/")
    if source and source not in corpus.source_by_id:
        raise UnknownId(f"no source with id {source!r}; see entries/sources/")
    found = []
    for s in corpus.sources:
        if source and s.id != source:
            continue
        for q in s.quotes:
            if speaker and q.speaker != speaker:
                continue
            when = quote_when(q, s)
            first, last = when.range
            if since and last < since:
                continue
            if until and first > until:
                continue
            if contains_phrase(q.text, phrase):
                found.append(Match(q, s, when))
    found.sort(key=lambda m: (m.when.sort_key, m.source.id), reverse=True)
    return found


def as_dict(corpus: Corpus, match: Match) -> dict[str, object]:
    q, s = match.quote, match.source
    return {
        "id": q.uid, "text": q.text, "speaker": q.speaker, "speaker_name": corpus.actor_name(q.speaker),
        "date": match.when.date, "date_text": quote_date_label(q, s), "date_of": "quote" if q.said else "source",
        "precision": match.when.precision,
        "inferred": match.when.inferred,
        "source": s.id, "source_title": s.title, "outlet": s.outlet.label,
        "outlet_inferred": s.outlet.inferred, "topics": list(q.topics),
        "url": quote_url(q),
    }
