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
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any

import jinja2
import jinja2.runtime
from markupsafe import Markup

from . import dates, pictures
from .encode import xml_text_block
from .exports import ACTOR_MAP_PAGE, SOURCES_BIB, SOURCES_CSL, bibtex_entry, plain_citation
from .model import (
    UNKNOWN_SPEAKER,
    Actor,
    Corpus,
    Event,
    Quote,
    SiteInfo,
    Source,
    Topic,
    When,
    event_order,
    list_page_name,
)
from .text import attr, md, md_text, paragraphs

KIND_LABELS = {
    "direct": "direct speech", "fragment": "reported fragment",
    "news-agency": "news agency", "news-website": "news website", "think-tank": "think tank",
}


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


class _Call:
    """The arguments of one recorded call: kept with the page's reads, never looked up, so they
    are compared by identity and may hold lists."""

    __slots__ = ("args", "kwargs")

    def __init__(self, args: tuple[Any, ...], kwargs: dict[str, Any]):
        self.args, self.kwargs = args, kwargs


_CORPUS = object()  # in a recorded call's arguments: where the corpus went


class _Watched:
    """The corpus as a template sees it while its page's reads are recorded (Pages.page_and_reads):
    every attribute read and method called is recorded with its answer, so whatever a template
    starts reading is tracked, with no list of what templates read kept by hand."""

    __slots__ = ("corpus", "reads")

    def __init__(self, corpus: Corpus, reads: dict[Any, Any]):
        self.corpus, self.reads = corpus, reads

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.corpus, name)
        if not callable(value):
            self.reads[("attr", name)] = value
            return value

        def method(*args: Any, **kwargs: Any) -> Any:
            answer = self.reads[("method", name, _Call(args, kwargs))] = value(*args, **kwargs)
            return answer

        return method


class _WatchingContext(_Context):
    """The template context while a page's reads are recorded: a plain function handed the
    corpus (a picture, the actor graph) is given the corpus itself, and the call is recorded with
    its answer, to be asked again of the next corpus (``read_again``)."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's signature)
        if _Watched not in map(type, args) or type(__obj) not in _PLAIN_CALLABLES or hasattr(__obj, "jinja_pass_arg"):
            return super().call(__obj, *args, **kwargs)  # a macro or filter reads through the _Watched
        kwargs.pop("_loop_vars", None)
        kwargs.pop("_block_vars", None)
        watched = next(a for a in args if type(a) is _Watched)
        answer = __obj(*(a.corpus if type(a) is _Watched else a for a in args), **kwargs)
        recorded = _Call(tuple(_CORPUS if type(a) is _Watched else a for a in args), kwargs)
        watched.reads[("call", __obj, recorded)] = answer
        return answer


def read_again(corpus: Corpus, key: tuple[Any, ...]) -> Any:
    """What a read recorded by ``Pages.page_and_reads`` answers when asked of ``corpus``."""
    kind, name, *rest = key
    if kind == "get":  # a link helper's look-up of one entry
        return getattr(corpus, name).get(rest[0])
    if kind == "attr":
        return getattr(corpus, name)
    call: _Call = rest[0]
    if kind == "method":
        return getattr(corpus, name)(*call.args, **call.kwargs)
    return name(*(corpus if a is _CORPUS else a for a in call.args), **call.kwargs)


@cache  # one per process: compiling the templates again on every `mkdocs serve` rebuild costs 0.2 s
def _environment(watching: bool = False) -> jinja2.Environment:
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
    env.context_class = _WatchingContext if watching else _Context
    env.filters.update(paragraphs=paragraphs, attr=attr, label=label, via_label=via_label)
    env.globals.update(
        plural=plural, human=dates.human, group_by_year=group_by_year, group_by_source=group_by_source,
        year_of_pair=lambda pair: pair[0].published, when_of_pair=lambda pair: pair[0].when, cite_box=cite_box)
    env.globals.update(pictures.template_globals())  # pictures, actor graph
    return env


def cite_box(source: Source, page_path: str) -> Markup:
    """The "Cite this source" section of a source page: plain text and BibTeX, each with a copy button."""
    def block(name: str, label: str, text: str) -> str:
        # Material adds a copy button to code inside ".copy"; its own id keeps the two buttons apart.
        return (f'<p><strong>{label}</strong></p>\n<div id="cite-{name}">\n'
                f"<pre><code>{xml_text_block(text)}</code></pre>\n</div>\n")

    exports = "../" * page_path.count("/")  # from the page to the docs root
    return Markup(
        "## Cite this source {: #cite data-search-exclude }\n\n"
        '<div class="admonition quote briefing-cite copy">\n<p class="admonition-title">Citation, ready to copy</p>\n'
        + block("text", "Plain text", plain_citation(source))
        + block("bibtex", "BibTeX", bibtex_entry(source).rstrip("\n"))
        + "</div>\n\n"
        f"Every source at once: [BibTeX]({exports}{SOURCES_BIB}) · [CSL-JSON]({exports}{SOURCES_CSL}) "
        "(for Zotero, Pandoc and other reference managers).\n")


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


class Pages:
    """Renders one page at a time with links made relative to that page."""

    def __init__(self, corpus: Corpus, site: SiteInfo):
        self.corpus = corpus
        self.site = site
        self._reads: dict[Any, Any] | None = None
        self._helpers: dict[str, dict[str, Any]] = {}

    def page(self, path: str, template: str, **context: Any) -> str:
        reads = self._reads
        return _environment(reads is not None).get_template(template).render(
            page_path=path, when=when_text, corpus=self.corpus if reads is None else _Watched(self.corpus, reads),
            site=self.site, **self._links(posixpath.dirname(path)), **context)

    def page_and_reads(self, path: str, template: str, context: dict[str, Any]) -> tuple[str, dict[Any, Any]]:
        """The page, and what it read of the corpus beyond its context and the site: each read
        (an entry a link names, an attribute, a call handed the corpus) with its answer, which
        ``read_again`` can ask of another corpus. A page whose context is equal and whose reads
        answer the same on a new corpus is the same page (what `mkdocs serve` keeps: build.Memo)."""
        reads: dict[Any, Any] = {}
        self._reads = reads
        try:
            return self.page(path, template, **context), reads
        finally:
            self._reads = None

    def _links(self, here: str) -> dict[str, Any]:
        """Link makers for pages in folder ``here``. Every generated page sits one folder down, so
        there are a handful of folders and each link is worked out once per folder, not per use:
        a briefing of 10,000 sources makes about a million of them. Each use is recorded for the
        page's reads: the page shows that entry's name or title."""
        helpers = self._helpers.get(here)
        if helpers is not None:
            return helpers
        corpus = self.corpus

        def read(kind: str, ident: str, value: Any) -> None:
            if self._reads is not None:
                self._reads[("get", kind, ident)] = value

        def link(text: Any, target: str, anchor: str = "") -> Markup:
            rel = relative(target, here)
            return Markup(f"[{md(text)}]({rel}{'#' + anchor if anchor else ''})")

        @cache
        def actor_link(actor_id: str, anchor: str) -> Markup:
            if actor_id == UNKNOWN_SPEAKER:
                return Markup("*unidentified speaker*")
            return link(corpus.actors[actor_id].name, f"actors/{actor_id}.md", anchor)

        def actor(actor_id: str, anchor: str = "") -> Markup:
            read("actors", actor_id, corpus.actors.get(actor_id))
            return actor_link(actor_id, anchor)

        def source(source_id: str, anchor: str = "", text: Any = None) -> Markup:
            read("source_by_id", source_id, corpus.source_by_id.get(source_id))
            return link(text or corpus.source_by_id[source_id].title, f"sources/{source_id}.md", anchor)

        @cache
        def topic_link(topic_id: str) -> Markup:
            return link(corpus.topics[topic_id].name, f"topics/{topic_id}.md")

        def topic(topic_id: str) -> Markup:
            read("topics", topic_id, corpus.topics.get(topic_id))
            return topic_link(topic_id)

        def actor_name(actor_id: str) -> str:
            read("actors", actor_id, corpus.actors.get(actor_id))
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
