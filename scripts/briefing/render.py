"""Corpus -> {page path: Markdown}. Pure: the same corpus gives byte-identical pages.

Templates live in ``templates/``; every ``{{ value }}`` is escaped by ``text.md`` unless it
is Markup this module built itself (links between pages, escaped paragraphs). Pages that
list everything (sources, actors, quotes, timeline) are split into numbered pages of
``page_size`` items so none grows without bound.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from itertools import groupby
from pathlib import Path
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any, TypeVar

import jinja2
import jinja2.runtime
from markupsafe import Markup

from . import dates
from .exports import ACTOR_MAP_PAGE, ACTOR_MAP_SVG, plan_exports, template_globals
from .model import UNKNOWN_SPEAKER, Actor, Corpus, Event, Quote, Source, Topic, When, event_order, list_page_name
from .parallel import slices
from .pictures import topic_colours
from .text import attr, md, md_text, paragraphs
from .write import Content, write_atomic

R = TypeVar("R")

KIND_LABELS = {
    "direct": "direct speech", "fragment": "reported fragment",
    "news-agency": "news agency", "news-website": "news website", "think-tank": "think tank",
}


@dataclass(frozen=True)
class SiteInfo:
    """What the pages need to know about the briefing beyond the corpus."""

    title: str
    subject: str
    page_size: int = 100


def _finalize(value: Any) -> Any:
    kind = type(value)
    if kind is Markup:  # most output: links and text this module escaped already
        return value
    if kind is str:
        return md_text(value)
    return "" if value is None else md(value)


# What a template calls that cannot want Jinja's context passed in unless marked for it: plain and
# cached functions, methods, built-ins (a callable object's own __call__ could be marked instead).
_PLAIN_CALLABLES = frozenset({FunctionType, MethodType, BuiltinFunctionType, type(lru_cache()(len))})


class _Context(jinja2.runtime.Context):
    """Jinja's template context, calling plain Python functions (the link makers, ``when``,
    ``plural``: a million calls at 10,000 sources) directly. Jinja's own ``call`` first asks each
    callable whether it wants the context or the environment passed in, a tenth of rendering;
    anything marked for that, and any other callable (a macro, a callable object), still goes
    Jinja's way."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's signature)
        if type(__obj) in _PLAIN_CALLABLES and not hasattr(__obj, "jinja_pass_arg"):
            if kwargs:  # what Jinja passes for functions that take the context
                kwargs.pop("_loop_vars", None)
                kwargs.pop("_block_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:  # as Jinja does
                return __self.environment.undefined("value was undefined because a callable raised a"
                                                    " StopIteration exception")
        return super().call(__obj, *args, **kwargs)


@cache  # one per process: compiling the templates again on every `mkdocs serve` rebuild costs 0.2 s
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("briefing", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # escaping is Markdown-aware: see _finalize and text.md
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates are package files: no need to stat them on every include
    )
    env.context_class = _Context
    env.filters.update(paragraphs=paragraphs, attr=attr, label=label, via_label=via_label)
    env.globals.update(
        plural=plural, human=dates.human, group_by_year=group_by_year, group_by_source=group_by_source,
        year_of_pair=lambda pair: pair[0].published, when_of_pair=lambda pair: pair[0].when)
    env.globals.update(template_globals())  # pictures, actor graph, citation box
    return env


def label(value: str) -> str:
    return KIND_LABELS.get(value, value.replace("-", " "))


VIA_LABELS = {  # kind -> (without an actor, followed by the actor's name)
    "news-agency": ("via a news agency", "via"), "interview": ("in an interview", "in an interview with"),
    "outlet": ("speaking to the press", "speaking to"), "statement": ("in a statement", "in a statement by"),
    "meeting": ("at a meeting", "at a meeting with"), "report": ("in a report", "in a report by"),
    "other": ("reported second-hand", "via"),
}


def via_label(kind: str, actor: str | None = None) -> str:
    alone, before_name = VIA_LABELS.get(kind, ("reported second-hand", "via"))
    return before_name if actor else alone


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


@dataclass(frozen=True)
class Kept:
    """A page rendered earlier, with everything its text was made from (see ``Pages``)."""

    template: str
    site: SiteInfo
    context: dict[str, Any]
    read: dict[tuple[str, ...], Any]
    text: str


# What some templates read from the whole corpus besides their context and the entries they link to.
TEMPLATE_READS: dict[str, tuple[tuple[str, ...], ...]] = {
    "timeline.md.j2": (("colours",), ("topics",)),  # the picture's colours and legend
    "actor-map.md.j2": (("corpus",),),  # the whole graph: rendered every time
}


class Pages:
    """Renders one page at a time with links made relative to that page.

    With a ``memo`` (a dict kept between builds, as `mkdocs serve` keeps it) a page is rendered
    again only when something it was made from changed: its template, the site settings, its
    context (compared by value; model objects of unchanged entries are the same objects, so this
    is quick) or one of the entries it linked to or read (recorded while it rendered).
    """

    def __init__(self, corpus: Corpus, site: SiteInfo, memo: dict[str, Kept] | None = None):
        self.corpus = corpus
        self.site = site
        self.env = _environment()
        self.memo = memo
        self.rendered = 0
        self._read: dict[tuple[str, ...], Any] | None = None
        self._helpers: dict[str, dict[str, Any]] = {}

    def page(self, path: str, template: str, **context: Any) -> str:
        if self.memo is not None:
            kept = self.memo.get(path)
            if kept is not None and kept.template == template and kept.site == self.site \
                    and kept.context == context and all(self._same(key, value) for key, value in kept.read.items()):
                return kept.text
            self._read = {key: self._look_up(key) for key in TEMPLATE_READS.get(template, ())}
        self.rendered += 1
        text = self.env.get_template(template).render(
            page_path=path, when=when_text, corpus=self.corpus, site=self.site,
            **self._links(posixpath.dirname(path)), **context)
        if self.memo is not None and self._read is not None:
            self.memo[path] = Kept(template, self.site, context, self._read, text)
            self._read = None
        return text

    def _look_up(self, key: tuple[str, ...]) -> Any:
        kind = key[0]
        if kind == "actor":
            return self.corpus.actors.get(key[1])
        if kind == "source":
            return self.corpus.source_by_id.get(key[1])
        if kind == "topic":
            return self.corpus.topics.get(key[1])
        if kind == "colours":
            return tuple(topic_colours(self.corpus).items())
        if kind == "topics":
            return tuple(self.corpus.topics.values())
        return self.corpus

    def _same(self, key: tuple[str, ...], value: Any) -> bool:
        now = self._look_up(key)
        return now is value or (key[0] != "corpus" and now == value)

    def _links(self, here: str) -> dict[str, Any]:
        """Link makers for pages in folder ``here``. Every generated page sits one folder down, so
        there are a handful of folders and each link is worked out once per folder, not per use:
        a briefing of 10,000 sources makes about a million of them. Each use is recorded for the
        memo: the page shows that entry's name or title."""
        helpers = self._helpers.get(here)
        if helpers is not None:
            return helpers
        corpus = self.corpus

        def read(kind: str, ident: str, value: Any) -> None:
            if self._read is not None:
                self._read[(kind, ident)] = value

        def link(text: Any, target: str, anchor: str = "") -> Markup:
            rel = relative(target, here)
            return Markup(f"[{md(text)}]({rel}{'#' + anchor if anchor else ''})")

        @cache
        def actor_link(actor_id: str, anchor: str) -> Markup:
            if actor_id == UNKNOWN_SPEAKER:
                return Markup("*unidentified speaker*")
            return link(corpus.actors[actor_id].name, f"actors/{actor_id}.md", anchor)

        def actor(actor_id: str, anchor: str = "") -> Markup:
            read("actor", actor_id, corpus.actors.get(actor_id))
            return actor_link(actor_id, anchor)

        def source(source_id: str, anchor: str = "", text: Any = None) -> Markup:
            read("source", source_id, corpus.source_by_id.get(source_id))
            return link(text or corpus.source_by_id[source_id].title, f"sources/{source_id}.md", anchor)

        @cache
        def topic_link(topic_id: str) -> Markup:
            return link(corpus.topics[topic_id].name, f"topics/{topic_id}.md")

        def topic(topic_id: str) -> Markup:
            read("topic", topic_id, corpus.topics.get(topic_id))
            return topic_link(topic_id)

        def actor_name(actor_id: str) -> str:
            read("actor", actor_id, corpus.actors.get(actor_id))
            return corpus.actor_name(actor_id)

        helpers = self._helpers[here] = {"link": link, "actor": actor, "source": source, "topic": topic,
                                         "actor_name": actor_name}
        return helpers


def relative(target: str, here: str) -> str:
    """``target`` (a docs path) as linked from a page in folder ``here``; relpath, but cheap:
    rendering makes one link per quote, actor and source mentioned, hundreds of thousands."""
    if not here:
        return target
    folder, _, name = target.rpartition("/")
    if folder == here:
        return name
    if target.startswith(here + "/"):  # further down
        return target[len(here) + 1:]
    return "../" * (here.count("/") + 1) + target


@lru_cache(maxsize=65536)  # the same dates recur on many pages
def when_text(when: When) -> Markup:
    text = md(when.text)
    if when.precision != "approximate":
        text = Markup(f"{text} <small>({when.precision})</small>") if when.precision != "day" else text
    if when.inferred:
        text = Markup(f"{text} <small>(inferred)</small>")
    return text


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


def render_site(corpus: Corpus, site: SiteInfo) -> dict[str, str]:
    """Every generated page, keyed by its path in the site's docs tree."""
    return dict(iter_pages(corpus, site))


def iter_pages(corpus: Corpus, site: SiteInfo, jobs: Sequence[PageJob] | None = None) -> Iterator[tuple[str, str]]:
    """(path, Markdown) for each job (default: every page), in order, one at a time."""
    pages = Pages(corpus, site)
    for job in plan_pages(corpus, site) if jobs is None else jobs:
        yield job.path, pages.page(job.path, job.template, **job.context())


def iter_outputs(corpus: Corpus, site: SiteInfo, deliver: Callable[[str, Content], R],
                 jobs: Sequence[PageJob] | None = None,
                 exports: Sequence[tuple[str, Callable[[], Content]]] | None = None,
                 workers: int = 1, memo: dict[str, Kept] | None = None) -> Iterator[R]:
    """Make every generated file (the pages of ``jobs`` and the ``exports``, by default all) and
    hand each to ``deliver(path, text)`` where it was made; yield what ``deliver`` returns, in order:
    the pages, then the exports.

    ``workers`` > 1 makes them on that many cores; ``deliver`` then runs in the workers, so a
    deliverer that writes the file (``Outputs.write``) never sends a page between processes. The
    exports are the largest tasks, one to a slice, taken first by the forked helpers (see
    ``parallel.slices``); but the actor map's SVG goes with the actor map page, in the first slice
    of pages, so that one worker lays the map out (and imports numpy) for both. A ``memo`` (see ``Pages``; one
    process only) keeps pages whose inputs did not change from being rendered again; it is left
    holding exactly today's pages.
    """
    assert memo is None or workers <= 1, "a memo lives in one process"
    jobs = plan_pages(corpus, site) if jobs is None else jobs
    exports = plan_exports(corpus, site) if exports is None else exports
    beside, alone = split_exports(exports)
    together = beside + [j for j in jobs if j.path == ACTOR_MAP_PAGE]
    tasks: list[Any] = [*together, *(j for j in jobs if j.path != ACTOR_MAP_PAGE), *alone]
    made: dict[str, Pages] = {}

    def make(start: int, stop: int) -> list[R]:
        results = []
        for task in tasks[start:stop]:
            if isinstance(task, PageJob):
                pages = made.get("pages") or made.setdefault("pages", Pages(corpus, site, memo))  # one per process
                results.append(deliver(task.path, pages.page(task.path, task.template, **task.context())))
            else:
                results.append(deliver(task[0], task[1]()))
        return results

    if memo is not None:
        for gone in set(memo) - {job.path for job in jobs}:
            del memo[gone]
    return slices(make, len(tasks), workers=workers, large=len(alone), size=16)


def split_exports(exports: Sequence[tuple[str, Callable[[], Content]]]) -> tuple[list, list]:
    """(the exports made beside the pages, the rest): the actor map's SVG is made with the map's
    page, so that one process lays the map out for both; every other export stands alone."""
    return [e for e in exports if e[0] == ACTOR_MAP_SVG], [e for e in exports if e[0] != ACTOR_MAP_SVG]


def pages_back_files_aside(folder: Path) -> Callable[[str, Content], tuple[str, bytes | None]]:
    """A deliverer for ``iter_outputs``: pages come back as UTF-8; every other file (the exports,
    tens of megabytes each in a large briefing) is written into ``folder`` by the worker that made
    it and comes back as None, so no large file travels between processes or sits in memory."""
    def deliver(path: str, text: Content) -> tuple[str, bytes | None]:
        if isinstance(text, str) and path.endswith(".md"):  # a page (an export comes in pieces)
            return path, text.encode("utf-8")
        write_atomic(folder / path, text)
        return path, None

    return deliver


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
    topics = list(corpus.topics.values())
    return {"topics": topics, "counts": {t.id: len(corpus.sources_by_topic.get(t.id, ())) for t in topics}}


def _quotes_in_order(corpus: Corpus) -> list[tuple[Source, Quote]]:
    """Newest source first, quotes in document order."""
    return [(s, q) for s in corpus.sources for q in s.quotes]


def timeline(corpus: Corpus) -> list[tuple[Event, Source]]:
    """Every event with its source, in the briefing's one order of events (model.event_order)."""
    return [(e, corpus.source_by_id[e.source_id]) for e in sorted(corpus.events(), key=event_order)]


def _source_context(source: Source) -> dict[str, Any]:
    return {"s": source, "quote_groups": quote_groups(source.quotes), "spelled": spellings(source)}


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
    bases: tuple[str, ...]  # how the date is known, each distinct wording once
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
        bases = tuple(dict.fromkeys(q.said.basis for q in items if q.said is not None and q.said.basis))
        groups.append(QuoteGroup(items[0].said, items[0].via, bases, items))
    return groups


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
            "mentions": roles_in, "mention_count": len(named_in),
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


def group_by_year(items: Iterable[Any], when_of) -> list[tuple[int, list[Any]]]:
    groups: dict[int, list[Any]] = defaultdict(list)
    for item in items:
        groups[when_of(item).year].append(item)
    return list(groups.items())


def group_by_source(pairs: Iterable[tuple[Source, Quote]]) -> list[tuple[Source, list[Quote]]]:
    grouped = []
    for _, group in groupby(pairs, key=lambda pair: pair[0].id):
        items = list(group)
        grouped.append((items[0][0], [q for _, q in items]))
    return grouped
