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

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from . import dates
from .model import UNKNOWN_SPEAKER, Corpus, Quote, Source, When, quote_url, quote_when
from .problems import errors
from .project import find_config, load_project, read_settings

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


def date_words(when: When) -> str:
    """A date as every plain-text place words it: 'c. 31 October 2024 (between 24 October 2024 and
    31 October 2024) (inferred)'. ``When.text`` and, for a date worked out rather than printed in the
    document, '(inferred)', the marker the site's pages and the timeline show."""
    return when.label


@dataclass(frozen=True)
class Match:
    quote: Quote
    source: Source
    when: When


def find_quotes(corpus: Corpus, phrase: str, *, speaker: str | None = None, source: str | None = None,
                since: str | None = None, until: str | None = None) -> list[Match]:
    """Quotes whose text contains ``phrase``, newest first; ``since``/``until`` are ISO dates,
    inclusive, compared with the span a quote's (possibly partial) date covers."""
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
        "date": match.when.date, "date_text": date_words(match.when), "precision": match.when.precision,
        "inferred": match.when.inferred,
        "source": s.id, "source_title": s.title, "outlet": s.outlet.label, "topics": list(q.topics),
        "url": quote_url(q),
    }


def _date(value: str) -> str:
    try:
        dates.first_day(value)
    except (ValueError, TypeError):
        raise argparse.ArgumentTypeError(f"{value!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD") from None
    return value


def cmd_quotes(args: argparse.Namespace) -> int:
    config = Path(args.config) if args.config else find_config()
    loaded = load_project(read_settings(config))
    if loaded.corpus is None:
        for problem in errors(loaded.problems):
            print(problem.format(), file=sys.stderr)
        print("the entries have errors; fix them (briefing validate) and search again", file=sys.stderr)
        return 1
    corpus = loaded.corpus
    for option, known in (("speaker", corpus.actors), ("source", corpus.source_by_id)):
        value = getattr(args, option)
        if value and value not in known and not (option == "speaker" and value == UNKNOWN_SPEAKER):
            print(f"error: no {option} with id {value!r}; see entries/{option.replace('speaker', 'actor')}s/",
                  file=sys.stderr)
            return 1
    since = dates.first_day(args.since).isoformat() if args.since else None
    until = dates.last_day(args.until).isoformat() if args.until else None
    matches = find_quotes(corpus, args.phrase, speaker=args.speaker, source=args.source, since=since, until=until)
    if args.json:
        print(json.dumps([as_dict(corpus, m) for m in matches], ensure_ascii=False, indent=2))
        return 0
    for m in matches:
        print(f"{date_words(m.when)} · {corpus.actor_name(m.quote.speaker)} · {m.source.title}")
        print(f"  {m.quote.text}")
        print(f"  {quote_url(m.quote)}")
    print(f"{len(matches)} quote(s) contain {args.phrase!r}", file=sys.stderr)
    return 0


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "quotes", help="find quotes containing a phrase",
        description="Print every quote whose text contains PHRASE (case, white space and punctuation "
        "ignored, as in the site's search), newest first, with speaker, date, source and the page anchor.",
        epilog='Example: briefing quotes "strategic partnership" --speaker vladimir-putin --since 2020',
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("phrase", metavar="PHRASE")
    parser.add_argument("--speaker", metavar="ID", help="only quotes by this actor id (or 'unknown')")
    parser.add_argument("--source", metavar="ID", help="only quotes from this source id")
    parser.add_argument("--since", metavar="DATE", type=_date, help="said on or after DATE (YYYY[-MM[-DD]])")
    parser.add_argument("--until", metavar="DATE", type=_date, help="said on or before DATE (YYYY[-MM[-DD]])")
    parser.add_argument("--json", action="store_true", help="print a JSON list instead of text")
    parser.set_defaults(func=cmd_quotes)
    return parser
