"""The briefing's data for citing and reuse: ``render_exports(corpus, site) -> {path: text}``.

Pure, like ``render``: the same corpus gives byte-identical files. Each file is made as a stream
of pieces (``plan_exports``): in a large briefing the files reach tens of megabytes, and a file
made whole would hold several copies of itself in memory at once. Every value from an entry is
encoded for the program that reads the file, with the encoders of ``briefing.encode`` (whose table
says what each consumer does with text). The files:

    exports/quotes.csv        every quote, one row each (RFC 4180)
    exports/quotes.json       the same rows as JSON
    exports/sources.csl.json  the sources as CSL-JSON, for Zotero, Pandoc and citeproc
    exports/sources.bib       the sources as BibTeX
    exports/timeline.json     the events in the TimelineJS JSON format
    exports/briefing.json     the whole corpus in one JSON file
    exports/timeline.svg      the timeline picture, and exports/actor-map.svg the actor map
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import operator
import re
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from itertools import islice
from typing import Any

from . import dates, pictures
from .encode import bib_text, bib_url, csv_cell, script_json, timeline_html, timeline_plain
from .model import UNKNOWN_SPEAKER, Actor, Corpus, Quote, Source, When, event_order, quote_url
from .pictures import href

FOLDER = "exports"
QUOTES_CSV = f"{FOLDER}/quotes.csv"
QUOTES_JSON = f"{FOLDER}/quotes.json"
SOURCES_CSL = f"{FOLDER}/sources.csl.json"
SOURCES_BIB = f"{FOLDER}/sources.bib"
TIMELINE_JSON = f"{FOLDER}/timeline.json"
CORPUS_JSON = f"{FOLDER}/briefing.json"
TIMELINE_SVG = f"{FOLDER}/timeline.svg"
ACTOR_MAP_SVG = f"{FOLDER}/actor-map.svg"
ACTOR_MAP_PAGE = "actor-map/index.md"
FORMAT_VERSION = 1

NEWS_KINDS = {"news-agency", "newspaper", "news-website", "broadcaster"}
CSL_TYPES = {"magazine": "article-magazine", "think-tank": "report", "government": "report",
             "blog": "post-weblog", "aggregator": "webpage", **{k: "article-newspaper" for k in NEWS_KINDS}}
ACTOR_TYPES = {"person": "Person", "organization": "Organization", "state": "Country"}


Make = Callable[[], Iterable[str]]  # an export file's text, piece by piece


def render_exports(corpus: Corpus, site: Any) -> dict[str, str]:
    """Every export file, keyed by its path in the site."""
    return {path: "".join(make()) for path, make in plan_exports(corpus, site)}


def plan_exports(corpus: Corpus, site: Any) -> list[tuple[str, Make]]:
    """Every export file's path and what makes it, not yet made (the site build makes them on
    every core, beside the pages): a function giving the file's text in pieces."""
    return [
        (QUOTES_CSV, partial(quotes_csv, corpus)),
        (QUOTES_JSON, lambda: dump_pieces({"title": site.title, "quotes": quote_rows(corpus)})),
        (SOURCES_CSL, lambda: dump_pieces(map(csl_item, sorted(corpus.sources, key=lambda s: s.id)))),
        (SOURCES_BIB, partial(bibtex, corpus)),
        (TIMELINE_JSON, lambda: dump_pieces(timelinejs(corpus, site))),
        (CORPUS_JSON, lambda: dump_pieces(corpus_data(corpus, site))),
        (TIMELINE_SVG, lambda: pictures.timeline_svg_pieces(corpus, TIMELINE_SVG, BATCH)),
        (ACTOR_MAP_SVG, lambda: (pictures.actor_map_svg(corpus, ACTOR_MAP_SVG),)),
    ]


def dump(data: Any) -> str:
    # One line: json's C encoder does it ten times faster than the indented form (these files
    # are rewritten on every rebuild, and reach megabytes in a large briefing). Model objects
    # (dataclasses) are written as their fields.
    return json.dumps(data, ensure_ascii=False, default=_fields) + "\n"


BATCH = 256  # items per piece: large enough for json's C encoder, small enough to hold nothing big


def dump_pieces(data: Any) -> Iterator[str]:
    """``dump(data)`` in pieces, the same text: a list or tuple (or any iterator) at the top, or as a
    value of a top-level dict (whose keys are texts), is written a batch of items at a time."""
    if isinstance(data, dict):
        yield "{"
        for number, (key, value) in enumerate(data.items()):
            yield (", " if number else "") + json.dumps(key, ensure_ascii=False) + ": "
            yield from _array(value) if _streamed(value) else (json.dumps(value, ensure_ascii=False, default=_fields),)
        yield "}\n"
    elif _streamed(data):
        yield from _array(data)
        yield "\n"
    else:
        yield dump(data)


def _streamed(value: Any) -> bool:
    return isinstance(value, (list, tuple, Iterator))


def _array(items: Iterable[Any]) -> Iterator[str]:
    items = iter(items)
    yield "["
    first = True
    while batch := list(islice(items, BATCH)):
        # A list's JSON without its brackets is its items, separated as json separates them.
        yield ("" if first else ", ") + json.dumps(batch, ensure_ascii=False, default=_fields)[1:-1]
        first = False
    yield "]"


def _one_field(name: str) -> Callable[[Any], tuple[Any, ...]]:
    """What ``attrgetter`` gives for several names, for one: the value in a tuple."""
    return lambda obj: (getattr(obj, name),)


def _fields(obj: Any) -> dict[str, Any]:
    known = _FIELDS.get(type(obj))
    if known is None:
        if not dataclasses.is_dataclass(obj):
            raise TypeError(f"{type(obj).__name__} is not JSON serializable")
        names = tuple(f.name for f in dataclasses.fields(obj))
        # attrgetter reads every field in one C call (briefing.json has a quarter of a million objects).
        get: Callable[[Any], tuple[Any, ...]] = (
            operator.attrgetter(*names) if len(names) > 1 else _one_field(names[0]))
        known = _FIELDS[type(obj)] = (names, get)
    names, get = known
    return dict(zip(names, get(obj), strict=True))


# --- Quotes ---------------------------------------------------------------------------------

QUOTE_COLUMNS = ("uid", "source_id", "quote_id", "text", "kind", "speaker_id", "speaker", "speaker_note",
                 "said", "said_precision", "said_first_day", "said_last_day", "via_kind", "via_actor_id",
                 "via_actor", "via_note", "context", "topics", "source_title", "outlet", "published", "page")


def _name(corpus: Corpus, actor_id: str | None) -> str:
    return corpus.actor_name(actor_id) if actor_id else ""


def _when_fields(when: When | None) -> tuple[str, str, str, str]:
    if when is None:
        return "", "", "", ""
    first, last = when.range
    return when.label, when.precision, first, last


def quote_rows(corpus: Corpus) -> Iterator[dict[str, str]]:
    """One flat record per quote, newest source first, quotes in document order."""
    for source in corpus.sources:
        for q in source.quotes:
            said, precision, first, last = _when_fields(q.said)
            yield {
                "uid": q.uid, "source_id": source.id, "quote_id": q.id, "text": q.text, "kind": q.kind,
                "speaker_id": q.speaker, "speaker": _name(corpus, q.speaker), "speaker_note": q.speaker_note or "",
                "said": said, "said_precision": precision, "said_first_day": first, "said_last_day": last,
                "via_kind": q.via.kind if q.via else "", "via_actor_id": (q.via.actor or "") if q.via else "",
                "via_actor": _name(corpus, q.via.actor) if q.via else "",
                "via_note": (q.via.note or "") if q.via else "",
                "context": q.context or "", "topics": "; ".join(q.topics), "source_title": source.title,
                "outlet": source.outlet.plain, "published": source.published.label,
                "page": quote_url(q),
            }


def quotes_csv(corpus: Corpus) -> Iterator[str]:
    yield _csv_text([QUOTE_COLUMNS])
    rows = quote_rows(corpus)
    while batch := list(islice(rows, BATCH)):
        yield _csv_text([csv_cell(row[c]) for c in QUOTE_COLUMNS] for row in batch)


def _csv_text(rows: Iterable[Iterable[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


# --- Sources: citations ---------------------------------------------------------------------


def _date_parts(value: str) -> list[int]:
    return [int(p) for p in value.split("-")]


def csl_item(source: Source) -> dict[str, Any]:
    issued: dict[str, Any] = {"date-parts": [_date_parts(source.published.date)]}
    if source.published.precision == "approximate":
        issued["circa"] = True
    item: dict[str, Any] = {
        "id": source.id,
        "type": CSL_TYPES.get(source.outlet.kind, "article"),
        "title": source.title,
        "container-title": source.outlet.label,
        "issued": issued,
        "abstract": " ".join(source.summary.split()),
        "archive_location": source.archive_file,
        "note": _note(source),
    }
    if source.authors:
        item["author"] = [{"literal": name} for name in source.authors]
    if source.outlet.original:
        item["original-publisher"] = source.outlet.original.name
    if source.url:
        item["URL"] = source.url
    return item


def _note(source: Source) -> str:
    parts = [f"Archived copy {source.archive_file} (SHA-256 {source.archive_sha256})."]
    if source.published.precision == "approximate" or source.published.inferred:
        parts.append(f"Date: {source.published.text}, inferred from the text.")
    if source.outlet.inferred:
        parts.append(f"Outlet inferred: {source.outlet.label}.")
    if source.outlet.original:  # (CSL JSON has original-publisher too; BibTeX has no field for it)
        inferred = " (inferred)" if source.outlet.inferred else ""
        parts.append(f"First published by {source.outlet.original.name}{inferred}.")
    return " ".join(parts)


def bibtex_entry(source: Source) -> str:
    kind = "article" if source.outlet.kind in NEWS_KINDS | {"magazine", "newsletter"} else "misc"
    parts = _date_parts(source.published.date)
    fields = [("title", bib_text(source.title))]
    if source.authors:
        fields.append(("author", " and ".join(map(_bib_author, source.authors))))
    fields.append(("journal" if kind == "article" else "howpublished", bib_text(source.outlet.label)))
    fields.append(("year", str(parts[0])))
    if len(parts) > 1:
        fields.append(("month", str(parts[1])))
    # biblatex reads EDTF: "2024-10-31~" is circa, as CSL JSON's "circa" says beside it.
    circa = "~" if source.published.precision == "approximate" else ""
    fields.append(("date", source.published.date + circa))
    if source.url:
        fields.append(("url", bib_url(source.url)))
    fields.append(("note", bib_text(_note(source))))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{source.id},\n{body}\n}}\n"


# BibTeX splits an author list at "and" standing alone between white space, in any case ("AND").
_BIB_AND = re.compile(r"(?i)(?:^|\s)and(?:\s|$)")


def _bib_author(name: str) -> str:
    """One author, kept one: braces around a name holding a word "and" (after white space is
    made single spaces, so "Farah<tab>and<tab>Others" too)."""
    text = bib_text(name)
    return "{" + text + "}" if _BIB_AND.search(text) else text


def bibtex(corpus: Corpus) -> Iterator[str]:
    for number, source in enumerate(sorted(corpus.sources, key=lambda s: s.id)):
        yield ("\n" if number else "") + bibtex_entry(source)


def plain_citation(source: Source) -> str:
    """A reference a reader can paste: authors. "Title." Outlet, date. URL. [Brackets]: inferred."""
    outlet = f"[{source.outlet.label}]" if source.outlet.inferred else source.outlet.label
    if source.outlet.original:
        outlet += f", first published by {source.outlet.original.name}"
    shown = dates.human(source.published.date)
    if source.published.precision == "approximate":
        shown = f"c. {shown}"
    if source.published.inferred:
        shown = f"[{shown}]"
    title = " ".join(source.title.split())
    stop = "" if title.endswith((".", "?", "!", "…")) else "."  # a headline's own stop is kept, not doubled
    # A supplied title (the document prints none) is written in its brackets, not quoted as printed.
    text = f"{title}{stop} {outlet}, {shown}." if source.title_basis else f"“{title}{stop}” {outlet}, {shown}."
    if source.authors:
        text = f"{', '.join(source.authors)}. {text}"
    if source.url:
        text += f" {source.url}."
    return text + f" Archived copy: {source.archive_file}."


# --- Timeline -------------------------------------------------------------------------------


def _tl_date(value: str, display: str | None = None) -> dict[str, Any]:
    parts = _date_parts(value)
    out: dict[str, Any] = dict(zip(("year", "month", "day"), parts, strict=False))  # as many as it has
    if display:
        out["display_date"] = display
    return out


def timelinejs(corpus: Corpus, site: Any) -> dict[str, Any]:
    """The events as TimelineJS3 JSON: title slide, one slide per event, grouped by first topic
    (the slides are made as they are written: see dump_pieces). Every field is encoded for what
    TimelineJS does with it (briefing.encode): timeline_html for those it shows as HTML,
    timeline_plain for those it decodes first."""
    esc = timeline_html
    return {"title": {"text": {"headline": esc(site.title),
                               "text": f"<p>{len(corpus.events())} events from the briefing's sources on "
                                       f"{esc(site.subject)}.</p>"}},
            "events": _slides(corpus)}


def _slides(corpus: Corpus) -> Iterator[dict[str, Any]]:
    esc = timeline_html
    for e in sorted(corpus.events(), key=event_order):
        source = corpus.source_by_id[e.source_id]
        first, last = e.when.range
        if e.when.precision == "approximate":
            start, end = _tl_date(first), _tl_date(last)
        else:
            start, end = _tl_date(e.when.date), None
        who = ", ".join(_name(corpus, a) for a in e.actors)
        text = "".join([
            f"<p>Who: {esc(who)}</p>" if who else "",
            f"<p>Where: {esc(e.place)}</p>" if e.place else "",
            f"<p>Source: <cite>{esc(source.title)}</cite> · {esc(source.outlet.plain)} · "
            f"{esc(source.published.label)}</p>",
            f"<p>{esc(e.note)}</p>" if e.note else "",
        ])
        slide: dict[str, Any] = {
            "unique_id": f"{e.source_id}--{e.id}",
            "start_date": start,
            "display_date": timeline_plain(e.when.label),
            "text": {"headline": esc(e.title), "text": text},
            "autolink": False,
        }
        if end is not None:
            slide["end_date"] = end
        if e.topics:
            slide["group"] = timeline_plain(corpus.topics[e.topics[0]].name)
        yield slide


# --- The whole corpus -----------------------------------------------------------------------


_FIELDS: dict[type, tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]]]] = {}


def corpus_data(corpus: Corpus, site: Any) -> dict[str, Any]:
    return {
        "format": "briefing-corpus", "version": FORMAT_VERSION, "title": site.title, "subject": site.subject,
        "counts": {"sources": len(corpus.sources), "actors": len(corpus.actors), "topics": len(corpus.topics),
                   "quotes": len(corpus.quotes()), "events": len(corpus.events())},
        "sources": corpus.sources, "actors": list(corpus.actors.values()), "topics": list(corpus.topics.values()),
    }


# --- Structured data (schema.org JSON-LD) ---------------------------------------------------


def _agent(corpus: Corpus, actor_id: str, page_path: str) -> dict[str, Any]:
    actor = corpus.actors[actor_id]
    return {"@type": ACTOR_TYPES.get(actor.kind, "Thing"), "@id": href(page_path, f"actors/{actor_id}.md"),
            "name": actor.name}


def _actor_data(actor: Actor, page_path: str) -> dict[str, Any]:
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": ACTOR_TYPES.get(actor.kind, "Thing"),
                            "@id": "./", "name": actor.name, "description": " ".join(actor.description.split())}
    if actor.aliases:
        data["alternateName"] = list(actor.aliases)
    if actor.kind == "person" and actor.roles:
        data["jobTitle"] = [r.title for r in actor.roles]
    return data


def _quotation(corpus: Corpus, quote: Quote, page_path: str) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Quotation", "@id": f"#{quote.anchor}", "text": quote.text,
                            "isBasedOn": {"@id": "#article"}}
    if quote.speaker != UNKNOWN_SPEAKER:
        data["creator"] = _agent(corpus, quote.speaker, page_path)
    if quote.said is not None:
        data["dateCreated"] = quote.said.date
    return data


def _source_data(corpus: Corpus, source: Source, page_path: str) -> dict[str, Any]:
    article: dict[str, Any] = {
        "@type": "NewsArticle", "@id": "#article", "headline": source.title,
        "datePublished": source.published.date,
        "publisher": {"@type": "Organization", "name": source.outlet.label},
        "abstract": " ".join(source.summary.split()),
        "mainEntityOfPage": "./",
    }
    if source.authors:
        article["author"] = [{"@type": "Person", "name": a} for a in source.authors]
    if source.url:
        article["url"] = source.url
    if source.outlet.original:
        article["sourceOrganization"] = {"@type": "Organization", "name": source.outlet.original.name}
    actors = sorted({a.id for a in source.actors})
    if actors:
        article["mentions"] = [_agent(corpus, a, page_path) for a in actors]
    graph = [article] + [_quotation(corpus, q, page_path) for q in source.quotes]
    return {"@context": "https://schema.org", "@graph": graph}


def structured_data(corpus: Corpus, page_path: str) -> str | None:
    """The JSON-LD for one generated page (a source or an actor page), ready for a <script>; else None."""
    folder, _, name = page_path.partition("/")
    stem = name[:-3] if name.endswith(".md") else ""
    if folder == "sources" and stem in corpus.source_by_id:
        return script_json(_source_data(corpus, corpus.source_by_id[stem], page_path))
    if folder == "actors" and stem in corpus.actors:
        return script_json(_actor_data(corpus.actors[stem], page_path))
    return None


__all__ = ["render_exports", "structured_data"]
