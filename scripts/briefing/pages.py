"""The generated pages: each one's path, template and what its template is given (``plan_pages``).

Planning is cheap: a page's context is made only when the page is rendered (``PageJob.context``).
Pages that list everything (sources, actors, quotes, timeline) are split into numbered pages of
``page_size`` items, and an actor or topic page shows its newest ``page_size`` items with a
listing of the rest, so no page grows without bound. Rendering a plan is ``render``'s job.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import groupby
from typing import Any

from .exports import ACTOR_MAP_PAGE
from .model import Actor, Corpus, Event, Quote, SiteInfo, Source, Topic, When, event_order, list_page_name


@dataclass(frozen=True)
class PageJob:
    """One page to render: its path in the docs tree, its template, and what the template is given
    (made when the page is rendered, so planning every page costs next to nothing)."""

    path: str
    template: str
    context: Callable[[], dict[str, Any]]


def plan_pages(corpus: Corpus, site: SiteInfo) -> list[PageJob]:
    """Every generated page, in path order, not yet rendered."""
    jobs = [PageJob(f"sources/{s.id}.md", "source.md.j2", partial(_source_context, s)) for s in corpus.sources]
    jobs += [PageJob(f"actors/{a.id}.md", "actor.md.j2", partial(_actor_context, corpus, a, site.page_size))
             for a in corpus.actors.values()]
    jobs += [PageJob(f"topics/{t.id}.md", "topic.md.j2", partial(_topic_context, corpus, t, site.page_size))
             for t in corpus.topics.values()]
    jobs += _listings(corpus, site.page_size)
    jobs += _paged("sources", "sources.md.j2", list(corpus.sources), site.page_size)
    actors = sorted(corpus.actors.values(), key=lambda a: a.name.casefold())
    jobs += _paged("actors", "actors.md.j2", actors, site.page_size, partial(_actor_counts, corpus))
    jobs.append(PageJob(page_paths("topics", 1)[0], "topics.md.j2", partial(_topics_context, corpus)))
    jobs += _paged("quotes", "quotes.md.j2", _quotes_in_order(corpus), site.page_size)
    jobs += _paged("timeline", "timeline.md.j2", timeline(corpus), site.page_size)
    jobs.append(PageJob(ACTOR_MAP_PAGE, "actor-map.md.j2", dict))
    return sorted(jobs, key=lambda job: job.path)


def page_paths(folder: str, count: int) -> list[str]:
    """The pages of a list split into ``count``; named by model.list_page_name, whose names no entry may take."""
    return [f"{folder}/{list_page_name(n)}.md" for n in range(1, max(count, 1) + 1)]


def _paged(folder: str, template: str, items: Sequence[Any], size: int,
           extra: Callable[[Sequence[Any]], dict[str, Any]] | None = None) -> list[PageJob]:
    chunks = [items[i:i + size] for i in range(0, len(items), size)] or [[]]
    paths = page_paths(folder, len(chunks))
    jobs = []
    for number, (path, chunk) in enumerate(zip(paths, chunks, strict=True), start=1):
        pager = {"number": number, "count": len(chunks), "total": len(items), "window": pager_window(number, paths),
                 "previous": paths[number - 2] if number > 1 else None,
                 "next": paths[number] if number < len(paths) else None,
                 "first": (number - 1) * size + 1, "last": (number - 1) * size + len(chunk)}
        jobs.append(PageJob(path, template, partial(_chunk_context, chunk, pager, extra)))
    return jobs


def pager_window(number: int, paths: list[str], around: int = 2) -> list[tuple[int | None, str | None]]:
    """The page numbers a pager shows: the first, the last and ``around`` either side of this one,
    with None for a gap; the current page has no path. Bounded, so a page's size does not grow
    with the number of pages."""
    count = len(paths)
    shown = sorted({1, count, *range(max(1, number - around), min(count, number + around) + 1)})
    window: list[tuple[int | None, str | None]] = []
    for n in shown:
        before = window[-1][0] if window else None
        if before is not None and n - before == 2:  # a gap of one page: show the page, not "…"
            window.append((before + 1, paths[before]))
        elif before is not None and n - before > 2:
            window.append((None, None))
        window.append((n, None if n == number else paths[n - 1]))
    return window


def _chunk_context(chunk: Sequence[Any], pager: dict[str, Any],
                   extra: Callable[[Sequence[Any]], dict[str, Any]] | None) -> dict[str, Any]:
    return {"items": chunk, "pager": pager, **(extra(chunk) if extra else {})}


def _actor_counts(corpus: Corpus, actors: Sequence[Actor]) -> dict[str, Any]:
    """Quotes and sources per actor, for the actors list (so the page reads only its context)."""
    return {"counts": {a.id: (len(corpus.quotes_by_speaker.get(a.id, ())), len(corpus.sources_by_actor.get(a.id, ())))
                       for a in actors}}


def _topics_context(corpus: Corpus) -> dict[str, Any]:
    topics = sorted(corpus.topics.values(), key=lambda t: t.name.casefold())  # A to Z, as a reader reads them
    return {"topics": topics, "counts": {t.id: len(corpus.sources_by_topic.get(t.id, ())) for t in topics}}


def _quotes_in_order(corpus: Corpus) -> list[tuple[Source, Quote]]:
    """Newest source first, quotes in document order."""
    return [(s, q) for s in corpus.sources for q in s.quotes]


def timeline(corpus: Corpus) -> list[tuple[Event, Source]]:
    """Every event with its source, in the briefing's one order of events (model.event_order)."""
    return [(e, corpus.source_by_id[e.source_id]) for e in sorted(corpus.events(), key=event_order)]


def _source_context(source: Source) -> dict[str, Any]:
    return {"s": source, "quote_groups": quote_groups(source.quotes), "spelled": spellings(source),
            "events": sorted(source.events, key=event_order)}  # in the one order of events, as the timeline


def spellings(source: Source) -> dict[str, str]:
    """Actor id -> how this source writes the name, where it differs from the actor's own name
    (an actors item's ``spelled``)."""
    return {a.id: a.spelled for a in source.actors if a.spelled}


@dataclass(frozen=True)
class QuoteGroup:
    """Quotes in a row that were said on the same (shown) date and reached the source the same way:
    the page states that once, above them. ``shared`` is False for a quote alone, whose card says it."""

    said: When | None
    via: Any
    bases: tuple[str, ...]  # how the date is known, each distinct wording once (with its quotes, if several)
    quotes: tuple[Quote, ...]

    @property
    def shared(self) -> bool:
        return len(self.quotes) > 1 and (self.said is not None or self.via is not None)


def _said_as_shown(quote: Quote) -> tuple[Any, ...]:
    said = quote.said
    shown = None if said is None else (said.date, said.precision, said.not_before, said.not_after, said.inferred)
    return shown, quote.via


def quote_groups(quotes: Sequence[Quote]) -> list[QuoteGroup]:
    groups = []
    for _, run in groupby(quotes, key=_said_as_shown):
        items = tuple(run)
        by_basis: dict[str, list[Quote]] = {}
        for q in items:
            if q.said is not None and q.said.basis:
                by_basis.setdefault(q.said.basis, []).append(q)
        # Several explanations of one date: each says which quotes it is for (a reader could not tell).
        bases = tuple(by_basis) if len(by_basis) < 2 else tuple(
            f"For {_and([_opening(q.text) for q in quotes])}: {basis}" for basis, quotes in by_basis.items())
        groups.append(QuoteGroup(items[0].said, items[0].via, bases, items))
    return groups


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _opening(text: str, words: int = 6) -> str:
    """A quote's first words, in quotation marks: '“We have agreed on a hotline…”'."""
    shown = text.split()
    more = "\u2026" if len(shown) > words else ""
    return f"\u201c{' '.join(shown[:words])}{more}\u201d"


def _actor_context(corpus: Corpus, actor: Actor, limit: int) -> dict[str, Any]:
    return {"a": actor, **_actor_quotes(corpus, actor, limit)}


def _actor_quotes(corpus: Corpus, actor: Actor, limit: int) -> dict[str, Any]:
    """The actor's newest ``limit`` quotes and the newest ``limit`` sources naming them, with the
    totals: an actor named in half the briefing would otherwise have a page as long as it."""
    quotes = corpus.quotes_by_speaker.get(actor.id, ())
    named_in = corpus.sources_by_actor.get(actor.id, ())
    sources = [corpus.source_by_id[sid] for sid in named_in[:limit]]
    roles_in = [(source, role_in(source, actor.id)) for source in sources]
    by_source = [(corpus.source_by_id[sid], list(group))
                 for sid, group in groupby(quotes[:limit], key=lambda q: q.source_id)]
    return {"quotes_by_source": by_source, "quote_count": len(quotes), "quotes_shown": min(limit, len(quotes)),
            "mentions": roles_in, "mention_count": len(named_in), "limit": limit,
            "listing": listing_page("actors", actor.id, len(named_in), limit)}


def _topic_context(corpus: Corpus, topic: Topic, limit: int) -> dict[str, Any]:
    return {"t": topic, **_topic_items(corpus, topic.id, limit)}


def _topic_items(corpus: Corpus, topic_id: str, limit: int) -> dict[str, Any]:
    """The topic's newest ``limit`` sources (the rest are on its listing pages), newest ``limit``
    quotes (the finder filters them all by topic) and latest ``limit`` events (the timeline has
    them all), with the totals, as an actor's page has."""
    filed = corpus.sources_by_topic.get(topic_id, ())
    sources = [corpus.source_by_id[sid] for sid in filed]
    quotes = [(s, q) for s in sources for q in s.quotes if topic_id in q.topics]
    events = [(e, s) for s in sources for e in s.events if topic_id in e.topics]
    events.sort(key=lambda pair: event_order(pair[0]))
    return {"sources": sources[:limit], "source_count": len(filed),
            "quotes": quotes[:limit], "quote_count": len(quotes),
            "events": events[-limit:], "event_count": len(events),
            "listing": listing_page("topics", topic_id, len(filed), limit)}


def role_in(source: Source, actor_id: str) -> str:
    """What the source says the actor's role in it is ("" when it only quotes them or names them in an event)."""
    return next((a.role for a in source.actors if a.id == actor_id), "")


def listing_folder(folder: str, ident: str) -> str:
    """Where every source of a busy actor or topic is listed, page by page (their own page shows the newest)."""
    return f"{folder}/{ident}/sources"


def listing_page(folder: str, ident: str, count: int, size: int) -> str | None:
    """The first listing page of an actor's or topic's ``count`` sources, when there are more than
    its own page shows (``size``); else None: there is no listing."""
    return page_paths(listing_folder(folder, ident), 1)[0] if count > size else None


def _listings(corpus: Corpus, size: int) -> list[PageJob]:
    """Every source that names an actor, or is filed under a topic, in pages of ``size``, for the
    actors and topics with more sources than their own page shows: so that page stays bounded and
    a reader can still go through them all."""
    jobs = []
    for kind, folder, owners, by_owner in (("actor", "actors", corpus.actors, corpus.sources_by_actor),
                                           ("topic", "topics", corpus.topics, corpus.sources_by_topic)):
        for ident, owner in owners.items():
            named = by_owner.get(ident, ())
            if listing_page(folder, ident, len(named), size):
                sources = [corpus.source_by_id[sid] for sid in named]
                jobs += _paged(listing_folder(folder, ident), "listing.md.j2", sources, size,
                               partial(_listing_context, kind, owner))
    return jobs


def _listing_context(kind: str, owner: Actor | Topic, chunk: Sequence[Source]) -> dict[str, Any]:
    context: dict[str, Any] = {"kind": kind, "owner": owner}
    if kind == "actor":
        context["roles"] = {s.id: role_in(s, owner.id) for s in chunk}
    return context

