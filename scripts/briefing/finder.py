"""The site's one search (the header box and the Find a quote page): Pagefind records of what a
reader lands on.

A record is one page a reader can land on: a source page, holding the source's own words and its
quotes, an actor page (the name, its other spellings, the description) or a topic page. Nothing
else is indexed: the list pages, the timeline and an actor's or topic's lists only repeat what
source pages say. Pagefind is given records, not the built HTML, so that every quote is shown
with its own speaker, date and source and links to its anchor on its source page, and so that
the index is made from the corpus alone (no MkDocs: the core works under any successor engine).
Record addresses are relative to the site root; Pagefind's browser code puts the folder the index
is served from in front of them, so the search works under a sub-path (``/briefing/``) as at
the root. The UI (assets/search.js, search.css) is written next to the index: nothing is asked
of any other host.

What a reader downloads for one search is kept small: every search loads Pagefind's list of all
records (about six bytes each), so quotes are not records of their own but parts of their
source's record (25,000 quotes in 5,000 sources: that list went from 145 KB to 32 KB). A record's
text is parts, each ended by ``PART_END``: first the page's own parts (``PageRecord.parts``:
its title, then the rest), then three per quote: its text, its context and who said it. The
UI splits a record back into parts with those marks. What it needs to know of the page and each
quote (title, anchor, speaker, date, kind of quote, topics) travels in the record's ``details``
value, one JSON text stored as a filter that is never used to narrow: Pagefind 1.5 indexes every
meta value's words (meta would put anchors and dates in the word index), a filter's values it
does not, and a filter's values are only downloaded when a search narrows by that filter. A source
record has one sort, ``date`` (its newest quote), so that results can be listed newest first.

One search must stay small as the briefing grows: Pagefind downloads, for each word searched,
every place the word is in every record, so the words a source repeats cost every reader who
searches them. A source's summary is the longest text and mostly repeats its key points, so the
summary is indexed as a list of its words that the page's title and key points do not already
hold, each once (``summary_words``): a word only the summary has ("Bushehr") still finds the
source, but a phrase is searched in the title, the key points and the quotes, not the summary.
A source's parts are not weighed against each other either, only its title weighs more: where a
word changes weight within a record, Pagefind stores a mark. The quote's own words still rank
above its context's in the UI, which knows which part matched. At 5,000 synthetic sources these
two cut the index read by a three-word search from 196 to 120 KB (docs/benchmarks.md). An
actor's names weigh more, and an actor's or topic's description less, so that a quote that says
the words outranks a description that mentions them.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .encode import pagefind_filter, pagefind_text
from .model import Corpus, quote_date_label, quote_when, source_url

INDEX_FOLDER = "pagefind"
ASSETS = resources.files("briefing") / "assets"
PAGE_FILES = ("search.js", "search.css")  # what the header box and the Find a quote page load, on first use
# Ends each part of a record's text. Not a word to Pagefind (it indexes letters and digits) but a
# position of its own, so it is never found itself and a phrase never runs across it.
PART_END = "\u00b6"
TITLE_WEIGHT = 3  # a page's title (a source's title, a topic's name)
NAME_WEIGHT = 6   # an actor's name and its other spellings: a name finds its actor first
# An actor's or topic's description: a word it mentions ranks below a quote that says it (Pagefind
# otherwise ranks a short page's words high: "security council" listed the eight actors whose
# descriptions name a security council, and no quote).
DESCRIPTION_WEIGHT = 0.5
# A speaker's other spellings each of their quotes (and a source writing them its own way) holds:
# the actor's own record holds them all. Every quote repeated an actor's 40,000 aliases: 1.1
# billion characters of records and 4.2 GB for one source of 3,000 quotes.
SPELLINGS_PER_QUOTE = 10
DETAILS_FIELD = "details"  # the filter that carries what the UI shows (never used to narrow)
SORT_FIELD = "date"
# Filters, in the order the UI shows them; each a source record's values, from its quotes.
FILTER_KINDS = ("speaker", "source", "outlet", "year", "topic", "kind")
QUOTE_KINDS = {"direct": "direct speech", "fragment": "reported fragment"}  # as the pages label them


@dataclass(frozen=True)
class QuoteItem:
    """One quote inside a source's record: the words searched and what the UI shows of it."""

    anchor: str
    text: str
    context: str
    said_by: str  # "Said by NAME (also written OTHER SPELLINGS)."
    speaker: str
    date: str  # as the pages word it
    year: str
    first: str  # the first and last day it may have been said, ISO: the date range filter
    last: str
    kind: str  # "direct speech" or "reported fragment"
    topics: tuple[str, ...]


@dataclass(frozen=True)
class PageRecord:
    """What Pagefind stores for one page: its own searched parts, its quotes, filters and sort."""

    url: str
    kind: str  # source | actor | topic
    title: str
    about: str  # what the UI shows under the title: a source's outlet and date, an actor's other names
    parts: tuple[tuple[str, float], ...]  # (text, weight): the page's own parts, its title first
    listed: int = -1  # which of ``parts`` is a list of words, not text (a source's summary_words)
    quotes: tuple[QuoteItem, ...] = ()
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (kind, values), kinds in FILTER_KINDS' order
    sort: str = ""  # ISO date of its newest quote (sources with quotes)


def _spellings(corpus: Corpus) -> dict[str, tuple[str, ...]]:
    """Each actor's other spellings: its aliases and the ways sources write its name."""
    found: dict[str, dict[str, None]] = {}
    for actor_id, actor in corpus.actors.items():
        found[actor_id] = dict.fromkeys(a for a in actor.aliases if a != actor.name)
    for source in corpus.sources:
        for mention in source.actors:
            named = corpus.actors.get(mention.id)
            if named is not None and mention.spelled and mention.spelled != named.name:
                found[mention.id][mention.spelled] = None
    return {actor_id: tuple(names) for actor_id, names in found.items()}


def finder_records(corpus: Corpus) -> list[PageRecord]:
    """Every record, in a fixed order: sources (the site's order, newest first), actors, topics."""
    spellings = _spellings(corpus)
    records = [_source_record(corpus, source, spellings) for source in corpus.sources]
    for actor_id in sorted(corpus.actors):
        actor = corpus.actors[actor_id]
        others = spellings.get(actor_id, ())
        roles = "; ".join(role.title for role in actor.roles)
        records.append(PageRecord(
            url=f"actors/{actor_id}/", kind="actor", title=_plain(actor.name),
            about=_plain(", ".join(others)),
            parts=((_plain(actor.name), NAME_WEIGHT), (_plain(" ".join(others)), NAME_WEIGHT),
                   (_plain(f"{actor.description} {roles}"), DESCRIPTION_WEIGHT))))
    for topic_id in sorted(corpus.topics):
        topic = corpus.topics[topic_id]
        records.append(PageRecord(url=f"topics/{topic_id}/", kind="topic", title=_plain(topic.name), about="",
                                  parts=((_plain(topic.name), TITLE_WEIGHT),
                                         (_plain(topic.description), DESCRIPTION_WEIGHT))))
    return records


def _source_record(corpus: Corpus, source, spellings) -> PageRecord:
    items = []
    for quote in source.quotes:
        when = quote_when(quote, source)
        name = corpus.actor_name(quote.speaker)
        # The speaker's other spellings are searched too, so that a reader who knows only a
        # transliteration still finds the quote.
        others = spellings.get(quote.speaker, ())[:SPELLINGS_PER_QUOTE]
        said_by = f"Said by {name}" + (f" (also written {', '.join(others)})." if others else ".")
        first, last = when.range
        items.append(QuoteItem(
            anchor=quote.anchor, text=_plain(quote.text), context=_plain(quote.context or ""),
            said_by=_plain(said_by), speaker=_one_line(name), date=quote_date_label(quote, source), year=str(when.year),
            first=first, last=last, kind=QUOTE_KINDS.get(quote.kind, quote.kind),
            topics=tuple(_one_line(corpus.topics[t].name) for t in quote.topics if t in corpus.topics)))
    filters: dict[str, tuple[str, ...]] = {}
    if items:
        # Filter values on one line, as Pagefind keeps them, so that the UI's chosen values match
        # the quotes' own details. Pagefind passes a source when any of its quotes passes.
        filters = {"speaker": _unique(i.speaker for i in items), "source": (_one_line(source.title),),
                   "outlet": (_one_line(source.outlet.plain),), "year": _unique(i.year for i in items),
                   "topic": _unique(t for i in items for t in i.topics), "kind": _unique(i.kind for i in items)}
    title = _plain(source.title)
    own = _plain(" ".join([source.outlet.label, *source.authors, *source.key_points]))
    # The names of the actors it writes another way than the briefing does, in every spelling, so
    # that "Rouhani" finds the source that writes "Rowhani" (as a speaker's spellings find the
    # quotes): words the record lacks, once. (A source that writes an actor's own name has it.)
    names = " ".join(f"{corpus.actor_name(m.id)} {' '.join(spellings.get(m.id, ())[:SPELLINGS_PER_QUOTE])}"
                     for m in source.actors
                     if m.spelled and m.spelled != corpus.actor_name(m.id))
    words = summary_words(_plain(f"{source.summary} {names}"), f"{title} {own}")
    return PageRecord(
        url=source_url(source.id), kind="source", title=title,
        about=_one_line(f"{source.outlet.plain} · {source.published.label}"),
        parts=((title, TITLE_WEIGHT), (own, 1), (words, 1)),
        listed=2, quotes=tuple(items),
        filters=tuple((kind, values) for kind, values in filters.items() if values),
        sort=max((i.last for i in items), default=""))


def _word(token: str) -> str:
    """A word as Pagefind indexes a whitespace-separated token: its letters and digits, lower case."""
    return re.sub(r"[^\w]", "", token).lower()


def summary_words(summary: str, held: str) -> str:
    """The words of ``summary`` that ``held`` lacks, each once, as the summary first writes them."""
    seen = {_word(token) for token in held.split()}
    kept = []
    for token in summary.split():
        word = _word(token)
        if word and word not in seen:
            seen.add(word)
            kept.append(token)
    return " ".join(kept)


def _plain(text: str) -> str:
    """Entry text as a record holds it: one line, without the mark that ends a part."""
    return _one_line(text.replace(PART_END, " "))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _unique(values) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def details_value(record: PageRecord) -> str:
    """The record's ``details`` value, JSON: {"kind", "title", "about", "parts": how many of the
    record's parts are the page's own, "listed": which of them is a list of words (-1: none), "quotes":
    [[anchor, speaker, date, year, [topic, ...], kind, first, last], ...]}."""
    return json.dumps({"kind": record.kind, "title": record.title, "about": record.about, "parts": len(record.parts),
                       "listed": record.listed,
                       "quotes": [[q.anchor, q.speaker, q.date, q.year, list(q.topics), q.kind, q.first, q.last]
                                  for q in record.quotes]},
                      ensure_ascii=False, separators=(",", ":"))


def record_html(record: PageRecord) -> str:
    """The record as the little HTML page Pagefind indexes.

    HTML rather than a custom record so that parts weigh differently (``data-pagefind-weight``): an
    actor's name ranks above a mention, a page's title above its text.
    Filters and the sort sit in ``<head>``, where Pagefind stores them without indexing their words.
    The body is one paragraph of inline elements, because Pagefind ends a block element's text
    with a full stop it lacks; every part is followed by ``PART_END`` but the last.

    Text and values are encoded for what Pagefind does with them (briefing.encode): it decodes the
    body's text once and a filter's value twice, so an actor named "Ada &lt;b&gt; Quill" is shown
    as written, not as "Ada <b> Quill".
    """
    values = [*record.filters, (DETAILS_FIELD, (details_value(record),))]
    head = "".join(f'<meta data-pagefind-filter="{kind}[content]" content="{pagefind_filter(value)}">'
                   for kind, kind_values in values for value in kind_values)
    if record.sort:
        head += f'<meta data-pagefind-sort="{SORT_FIELD}[content]" content="{pagefind_filter(record.sort)}">'
    parts = [_span(text, weight) for text, weight in record.parts]
    for quote in record.quotes:
        parts += [_span(quote.text, 1), _span(quote.context, 1), _span(quote.said_by, 1)]
    return f'<html lang="en"><head>{head}</head><body><p>{f" {PART_END} ".join(parts)}</p></body></html>'


def _span(text: str, weight: float) -> str:
    return f'<span data-pagefind-weight="{weight}">{pagefind_text(text)}</span>' if weight != 1 else \
        f"<span>{pagefind_text(text)}</span>"


async def _write(records: list[PageRecord], folder: Path) -> None:
    """Index ``records`` and write the index into ``folder``.

    The index is taken from Pagefind in memory (``get_files``) and written here, not by Pagefind
    itself: Pagefind 1.5.2 answers ``write_files`` before its writes reach the disk and exits at
    once when its input closes, so a file it was still writing could be left empty or cut short
    (seen as an empty pagefind-entry.json under load; Pagefind issue 1271). Written here, every
    file is whole when this returns."""
    service = await _service_class()().launch()
    try:
        index = await service.create_index({"output_path": str(folder)})
        for r in records:  # one after another: the index, and ties in its ranking, the same in every build
            await index.add_html_file(url=r.url, content=record_html(r))
        files = await index.get_files()
    finally:
        await service.close()
    for file in files:
        target = folder / _inside(file["path"], folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file["content"])


def _inside(path: str, folder: Path) -> Path:
    """A path Pagefind named, relative to the index folder (it may give it whole or relative)."""
    name = Path(path)
    if name.is_absolute():
        name = name.relative_to(folder)
    if ".." in name.parts:
        raise RuntimeError(f"Pagefind named a file outside its folder: {path}")
    return name


def _service_class():
    """Pagefind's Python client, reading each answer as soon as it arrives, whatever its size.

    The client shipped with pagefind 1.5.2 sleeps 0.1 s before reading every answer, which makes
    one record per quote cost 0.1 s each (100 s for 1,000 quotes, on every `mkdocs serve` rebuild),
    and it reads an answer whole into a 2 MiB buffer, too small for the index that ``get_files``
    returns. The loop below is the library's, without the sleep, reading answers of any length.
    """
    from pagefind.service import PagefindService  # the site build's dependency, not the core's

    class PromptService(PagefindService):
        async def _wait_for_responses(self) -> None:
            stdout = self._backend.stdout
            assert stdout is not None  # the backend is started with stdout=PIPE
            pending = bytearray()
            while True:
                end = pending.find(b",")
                while end < 0:
                    chunk = await stdout.read(1 << 20)
                    if not chunk:  # Pagefind has ended: no answer will come to a question asked
                        # (stopped with the server's process group by Ctrl-C or `kill`, the index
                        # thread awaited one for ever, and the server's shutdown with it)
                        for waiting in self._responses.values():
                            if not waiting.done():
                                waiting.set_exception(RuntimeError("pagefind: it ended before it answered"))
                        return
                    before = len(pending)
                    pending += chunk
                    end = pending.find(b",", before)
                response = json.loads(base64.b64decode(bytes(pending[:end])))
                del pending[:end + 1]
                if response is None:
                    continue
                message_id = response.get("message_id")
                payload = response["payload"]
                if message_id is None and payload.get("original_message"):
                    message_id = (json.loads(payload["original_message"]) or {}).get("message_id")
                future = self._responses.get(message_id)
                if future is None or future.done():
                    continue
                if payload["type"] == "Error":
                    future.set_exception(RuntimeError(f"pagefind: {payload.get('message')}"))
                else:
                    future.set_result(payload)

    return PromptService


def _run(coroutine) -> None:
    """asyncio.run, also from code that already runs an event loop (a test driving a browser)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coroutine)
        return
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


# Pagefind writes UIs of its own that nothing here loads; left out of the site.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js", "pagefind-worker.js")


def write_index(corpus: Corpus, site_dir: Path, records: list[PageRecord] | None = None) -> Path:
    """Write the search index (of ``records``, by default the corpus's) and the UI's files into
    ``site_dir/pagefind``; return that folder."""
    folder = Path(site_dir).resolve() / INDEX_FOLDER
    _run(_write(finder_records(corpus) if records is None else records, folder))
    for name in UNUSED:
        (folder / name).unlink(missing_ok=True)
    for name in PAGE_FILES:
        (folder / name).write_bytes(ASSETS.joinpath(name).read_bytes())
    if not (folder / "pagefind.js").is_file():
        raise RuntimeError(f"Pagefind wrote no pagefind.js into {folder}")
    try:
        json.loads((folder / "pagefind-entry.json").read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise RuntimeError(f"Pagefind wrote an incomplete index into {folder} ({exc}); build again") from None
    return folder
