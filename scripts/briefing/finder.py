"""The "Find a quote" page's index: one Pagefind record per quote, written after the site is built.

Pagefind is given records, not the built HTML, so that every result is exactly one quote with
its own filters (speaker, source, outlet, year, topic) and links to the quote's anchor on its
source page. Record addresses are relative to the site root; Pagefind's browser code puts the
folder the index is served from in front of them, so the finder works under a sub-path
(``/briefing/``) as well as at the root. The page's own small UI (assets/finder.js) is written
next to the index: the page asks no other host for anything.

What a reader downloads for one search is kept small (issue 7): a record has no sort (sorts cost
bytes in the metadata every search loads) and its filters and date are not indexed as words
(see record_html). What a result shows comes from the record itself: the quote is the content up
to the first ``QUOTE_END`` mark, the speaker, source and outlet are its filter values.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import base64
import html
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .model import Corpus
from .quotesearch import quote_url, quote_when, speaker_name

INDEX_FOLDER = "pagefind"
ASSETS = resources.files("briefing") / "assets"
PAGE_FILES = ("finder.js", "finder.css")  # what a page loads: <script src="../pagefind/finder.js">
# Ends the quote in a record's content. Not a word to Pagefind (it indexes letters and digits), so
# it is never found itself; the finder shows the words before it as the quote.
QUOTE_END = "\u00b6"
QUOTE_WEIGHT = 2  # the quote's words against its context's and its speaker's (1)


@dataclass(frozen=True)
class QuoteRecord:
    """What Pagefind stores for one quote: the text searched, what a result shows, its filters."""

    url: str
    content: str
    meta: dict[str, str] = field(default_factory=dict)
    filters: dict[str, list[str]] = field(default_factory=dict)


def quote_records(corpus: Corpus) -> list[QuoteRecord]:
    """Every quote in the briefing, in the order of the site (newest source first)."""
    records = []
    for source in corpus.sources:
        for quote in source.quotes:
            when = quote_when(quote, source)
            name = speaker_name(corpus, quote.speaker)
            actor = corpus.actors.get(quote.speaker)
            # What is searched: the words of the quote's section on its source page (the quote,
            # the context, who said it), plus the speaker's other spellings so that a reader who
            # knows only a transliteration still finds the quote.
            searched = [quote.text]
            if quote.context:
                searched.append(quote.context)
            aliases = actor.aliases if actor else ()
            searched.append(f"Said by {name}" + (f" (also written {', '.join(aliases)})." if aliases else "."))
            topics = [corpus.topics[t].name for t in quote.topics if t in corpus.topics]
            records.append(QuoteRecord(
                url=quote_url(quote),
                # Plain text (record_html escapes it): the finder shows every value as text, never as HTML.
                content=f" {QUOTE_END} ".join(searched),
                meta={"date": when.text},
                filters={"speaker": [name], "source": [source.title], "outlet": [source.outlet.label],
                         "year": [str(when.year)], "topic": topics},
            ))
    return records


def record_html(record: QuoteRecord) -> str:
    """The record as the little HTML page Pagefind indexes.

    HTML rather than a custom record so that the quote's words weigh more than its context's
    (``data-pagefind-weight``): a quote that says the words ranks above one whose context does.
    Filters and meta sit in ``<head>``, where Pagefind stores them without indexing their words.
    """
    def attr(value: str) -> str:
        return html.escape(value, quote=True)

    head = "".join(f'<meta data-pagefind-filter="{kind}[content]" content="{attr(value)}">'
                   for kind, values in record.filters.items() for value in values)
    head += "".join(f'<meta data-pagefind-meta="{name}[content]" content="{attr(value)}">'
                    for name, value in record.meta.items())
    quote, *rest = record.content.split(f" {QUOTE_END} ")
    # Inline elements: Pagefind ends a block element's text with a full stop it lacks.
    parts = [f'<span data-pagefind-weight="{QUOTE_WEIGHT}">{html.escape(quote)}</span>']
    parts += [f"<span>{html.escape(part)}</span>" for part in rest]
    return f'<html lang="en"><head>{head}</head><body><p>{f" {QUOTE_END} ".join(parts)}</p></body></html>'


async def _write(records: list[QuoteRecord], folder: Path) -> None:
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
    _run(_write(quote_records(corpus), folder))
    for name in PAGE_FILES:
        (folder / name).write_bytes(ASSETS.joinpath(name).read_bytes())
    if not (folder / "pagefind.js").is_file():
        raise RuntimeError(f"Pagefind wrote no pagefind.js into {folder}")
    return folder
