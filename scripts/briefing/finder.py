"""The "Find a quote" page's index: one Pagefind record per source, holding its quotes.

Pagefind is given records, not the built HTML, so that the finder can show every quote with its
own speaker, date and topics and link it to the quote's anchor on its source page. Record
addresses are relative to the site root; Pagefind's browser code puts the folder the index is
served from in front of them, so the finder works under a sub-path (``/briefing/``) as well as at
the root. The page's own small UI (assets/finder.js) is written next to the index: the page asks
no other host for anything.

What a reader downloads for one search is kept small: every search loads Pagefind's list of all
records (about six bytes each), so there is one record per source, not per quote (25,000 quotes
in 5,000 sources: that list went from 145 KB to 32 KB). Inside a record each quote is three parts,
its text, its context and who said it, each ended by ``QUOTE_END``; the finder splits a record back
into quotes with those marks and shows only the quotes that hold the match. What it needs to know
of each quote (anchor, speaker, date, year, topics) travels in the record's ``quotes`` value, one
JSON text stored as a filter that is never searched: Pagefind 1.5 indexes every meta value's
words (meta would put anchors and dates in the word index), a filter's values it does not, and a
filter's values are only downloaded when a search narrows by that filter, which the finder never
does with this one. A record has no sort (sorts cost bytes in the list every search loads).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import base64
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .encode import pagefind_filter, pagefind_text
from .model import Corpus, source_url
from .quotesearch import quote_when

INDEX_FOLDER = "pagefind"
ASSETS = resources.files("briefing") / "assets"
PAGE_FILES = ("finder.js", "finder.css")  # what a page loads: <script src="../pagefind/finder.js">
# Ends each part of a quote in a record's content. Not a word to Pagefind (it indexes letters and
# digits) but a position of its own, so it is never found itself and a phrase never runs across it.
QUOTE_END = "\u00b6"
QUOTE_WEIGHT = 2  # the quote's words against its context's and its speaker's (1)
QUOTES_FIELD = "quotes"  # the filter that carries the quotes' details (never used to narrow)


@dataclass(frozen=True)
class QuoteItem:
    """One quote inside a source's record: the words searched and what the finder shows of it."""

    anchor: str
    text: str
    context: str
    said_by: str  # "Said by NAME (also written OTHER SPELLINGS)."
    speaker: str
    date: str
    year: str
    topics: tuple[str, ...]


@dataclass(frozen=True)
class SourceRecord:
    """What Pagefind stores for one source: its quotes, in page order, and the source's filters."""

    url: str
    quotes: tuple[QuoteItem, ...]
    filters: tuple[tuple[str, tuple[str, ...]], ...]  # (kind, values), kinds in the finder's order


def finder_records(corpus: Corpus) -> list[SourceRecord]:
    """The finder's records, one per source that has quotes, in the order of the site (newest first)."""
    records = []
    for source in corpus.sources:
        items = []
        for quote in source.quotes:
            when = quote_when(quote, source)
            name = corpus.actor_name(quote.speaker)
            actor = corpus.actors.get(quote.speaker)
            # The speaker's other spellings are searched too, so that a reader who knows only a
            # transliteration still finds the quote.
            aliases = actor.aliases if actor else ()
            said_by = f"Said by {name}" + (f" (also written {', '.join(aliases)})." if aliases else ".")
            items.append(QuoteItem(
                anchor=quote.anchor, text=_plain(quote.text), context=_plain(quote.context or ""),
                said_by=_plain(said_by), speaker=_one_line(name), date=when.label, year=str(when.year),
                topics=tuple(_one_line(corpus.topics[t].name) for t in quote.topics if t in corpus.topics)))
        if not items:
            continue
        # Filter values on one line, as Pagefind keeps them, so that the finder's chosen values
        # match the quotes' own details.
        filters = {"speaker": _unique(i.speaker for i in items), "source": (_one_line(source.title),),
                   "outlet": (_one_line(source.outlet.label),), "year": _unique(i.year for i in items),
                   "topic": _unique(t for i in items for t in i.topics)}
        records.append(SourceRecord(url=source_url(source.id), quotes=tuple(items),
                                    filters=tuple(filters.items())))
    return records


def _plain(text: str) -> str:
    """Entry text as a record holds it: one line, without the mark that ends a part."""
    return _one_line(text.replace(QUOTE_END, " "))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _unique(values) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def quotes_value(record: SourceRecord) -> str:
    """The record's ``quotes`` value: [[anchor, speaker, date, year, [topic, ...]], ...] as JSON."""
    return json.dumps([[q.anchor, q.speaker, q.date, q.year, list(q.topics)] for q in record.quotes],
                      ensure_ascii=False, separators=(",", ":"))


def record_html(record: SourceRecord) -> str:
    """The record as the little HTML page Pagefind indexes.

    HTML rather than a custom record so that a quote's words weigh more than its context's
    (``data-pagefind-weight``): a quote that says the words ranks above one whose context does.
    Filters sit in ``<head>``, where Pagefind stores them without indexing their words. The body
    is one paragraph of inline elements, because Pagefind ends a block element's text with a full
    stop it lacks; every quote is three parts (an empty context is an empty part), each followed
    by ``QUOTE_END`` but the last, which ends with the full stop of "Said by ….".

    Text and values are encoded for what Pagefind does with them (briefing.encode): it decodes the
    body's text once and a filter's value twice, so an actor named "Ada &lt;b&gt; Quill" is shown
    as written, not as "Ada <b> Quill".
    """
    values = [*record.filters, (QUOTES_FIELD, (quotes_value(record),))]
    head = "".join(f'<meta data-pagefind-filter="{kind}[content]" content="{pagefind_filter(value)}">'
                   for kind, kind_values in values for value in kind_values)
    parts = []
    for quote in record.quotes:
        parts.append(f'<span data-pagefind-weight="{QUOTE_WEIGHT}">{pagefind_text(quote.text)}</span>')
        parts.append(f"<span>{pagefind_text(quote.context)}</span>")
        parts.append(f"<span>{pagefind_text(quote.said_by)}</span>")
    return f'<html lang="en"><head>{head}</head><body><p>{f" {QUOTE_END} ".join(parts)}</p></body></html>'


async def _write(records: list[SourceRecord], folder: Path) -> None:
    service = await _service_class()().launch()
    try:
        index = await service.create_index({"output_path": str(folder)})
        await asyncio.gather(*(index.add_html_file(url=r.url, content=record_html(r)) for r in records))
        await index.write_files(str(folder))
    finally:
        await service.close()


def _service_class():
    """Pagefind's Python client, reading each answer as soon as it arrives.

    The client shipped with pagefind 1.5.2 sleeps 0.1 s before reading every answer, which makes
    one record per quote cost 0.1 s each (100 s for 1,000 quotes, on every `mkdocs serve` rebuild).
    The loop below is the library's, without the sleep.
    """
    from pagefind.service import PagefindService  # the site build's dependency, not the core's

    class PromptService(PagefindService):
        async def _wait_for_responses(self) -> None:
            while True:
                output = await self._backend.stdout.readuntil(b",")
                response = json.loads(base64.b64decode(output[:-1]))
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


def write_index(corpus: Corpus, site_dir: Path) -> Path:
    """Write the finder's index and page files into ``site_dir/pagefind``; return that folder."""
    folder = Path(site_dir).resolve() / INDEX_FOLDER
    _run(_write(finder_records(corpus), folder))
    for name in PAGE_FILES:
        (folder / name).write_bytes(ASSETS.joinpath(name).read_bytes())
    if not (folder / "pagefind.js").is_file():
        raise RuntimeError(f"Pagefind wrote no pagefind.js into {folder}")
    return folder
