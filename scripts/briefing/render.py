"""Corpus -> {page path: Markdown}. Pure: the same corpus gives byte-identical pages.

Templates live in ``templates/``; every ``{{ value }}`` is escaped by ``text.md`` unless it
is Markup this module built itself (links between pages, escaped paragraphs). Pages that
list everything (sources, actors, quotes, timeline) are split into numbered pages of
``page_size`` items so none grows without bound.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby
from typing import Any, Iterable, Sequence

import jinja2
from markupsafe import Markup

from . import dates
from .exports import ACTOR_MAP_PAGE, template_globals
from .model import UNKNOWN_SPEAKER, Actor, Corpus, Event, Quote, Source, When
from .text import attr, md, paragraphs

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
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return md(value)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("briefing", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # escaping is Markdown-aware: see _finalize and text.md
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
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


class Pages:
    """Renders one page at a time with links made relative to that page."""

    def __init__(self, corpus: Corpus, site: SiteInfo):
        self.corpus = corpus
        self.site = site
        self.env = _environment()

    def page(self, path: str, template: str, **context: Any) -> str:
        here = posixpath.dirname(path)

        def link(text: Any, target: str, anchor: str = "") -> Markup:
            rel = relative(target, here)
            return Markup(f"[{md(text)}]({rel}{'#' + anchor if anchor else ''})")

        def actor(actor_id: str, anchor: str = "") -> Markup:
            if actor_id == UNKNOWN_SPEAKER:
                return Markup("*unidentified speaker*")
            return link(self.corpus.actors[actor_id].name, f"actors/{actor_id}.md", anchor)

        def source(source_id: str, anchor: str = "", text: Any = None) -> Markup:
            return link(text or self.corpus.source_by_id[source_id].title, f"sources/{source_id}.md", anchor)

        def topic(topic_id: str) -> Markup:
            return link(self.corpus.topics[topic_id].name, f"topics/{topic_id}.md")

        def actor_name(actor_id: str) -> str:
            return "Unidentified speaker" if actor_id == UNKNOWN_SPEAKER else self.corpus.actors[actor_id].name

        return self.env.get_template(template).render(
            page_path=path, link=link, actor=actor, actor_name=actor_name, source=source, topic=topic,
            when=when_text,
            corpus=self.corpus, site=self.site, **context)


def relative(target: str, here: str) -> str:
    """``target`` (a docs path) as linked from a page in folder ``here``; relpath, but cheap:
    rendering makes one link per quote, actor and source mentioned, hundreds of thousands."""
    if not here:
        return target
    folder, _, name = target.rpartition("/")
    if folder == here:
        return name
    return "../" * (here.count("/") + 1) + target


def when_text(when: When) -> Markup:
    text = md(when.text)
    if when.precision != "approximate":
        text = Markup(f"{text} <small>({when.precision})</small>") if when.precision != "day" else text
    if when.inferred:
        text = Markup(f"{text} <small>(inferred)</small>")
    return text


def render_site(corpus: Corpus, site: SiteInfo) -> dict[str, str]:
    """Every generated page, keyed by its path in the site's docs tree."""
    pages = Pages(corpus, site)
    out: dict[str, str] = {}
    for source in corpus.sources:
        out[f"sources/{source.id}.md"] = pages.page(f"sources/{source.id}.md", "source.md.j2", s=source)
    for actor in corpus.actors.values():
        out[f"actors/{actor.id}.md"] = pages.page(f"actors/{actor.id}.md", "actor.md.j2", a=actor,
                                                  **_actor_context(corpus, actor))
    for topic in corpus.topics.values():
        out[f"topics/{topic.id}.md"] = pages.page(f"topics/{topic.id}.md", "topic.md.j2", t=topic,
                                                  **_topic_context(corpus, topic.id))
    out.update(_paged(pages, "sources", "sources.md.j2", list(corpus.sources), site.page_size))
    actors = sorted(corpus.actors.values(), key=lambda a: a.name.casefold())
    out.update(_paged(pages, "actors", "actors.md.j2", actors, site.page_size))
    out["topics/index.md"] = pages.page("topics/index.md", "topics.md.j2", topics=list(corpus.topics.values()))
    out.update(_paged(pages, "quotes", "quotes.md.j2", _quotes_in_order(corpus), site.page_size))
    out.update(_paged(pages, "timeline", "timeline.md.j2", timeline(corpus), site.page_size))
    out[ACTOR_MAP_PAGE] = pages.page(ACTOR_MAP_PAGE, "actor-map.md.j2")
    return dict(sorted(out.items()))


def page_paths(folder: str, count: int) -> list[str]:
    return [f"{folder}/index.md"] + [f"{folder}/page-{n}.md" for n in range(2, count + 1)]


def _paged(pages: Pages, folder: str, template: str, items: Sequence[Any], size: int) -> dict[str, str]:
    chunks = [items[i:i + size] for i in range(0, len(items), size)] or [[]]
    paths = page_paths(folder, len(chunks))
    out = {}
    for number, (path, chunk) in enumerate(zip(paths, chunks), start=1):
        pager = {"number": number, "count": len(chunks), "paths": paths, "total": len(items),
                 "first": (number - 1) * size + 1, "last": (number - 1) * size + len(chunk)}
        out[path] = pages.page(path, template, items=chunk, pager=pager)
    return out


def _quotes_in_order(corpus: Corpus) -> list[tuple[Source, Quote]]:
    """Newest source first, quotes in document order."""
    return [(s, q) for s in corpus.sources for q in s.quotes]


def timeline(corpus: Corpus) -> list[tuple[Event, Source]]:
    """Every event, oldest first; an approximate date sorts at its stated date."""
    items = [(e, s) for s in corpus.sources for e in s.events]
    return sorted(items, key=lambda pair: (pair[0].when.sort_key, pair[1].id, pair[0].id))


def _actor_context(corpus: Corpus, actor: Actor) -> dict[str, Any]:
    quotes = corpus.quotes_by_speaker.get(actor.id, ())
    roles_in: list[tuple[Source, str]] = []
    for source_id in corpus.sources_by_actor.get(actor.id, ()):
        source = corpus.source_by_id[source_id]
        role = next((a.role for a in source.actors if a.id == actor.id), "")
        roles_in.append((source, role))
    by_source = [(corpus.source_by_id[sid], list(group)) for sid, group in groupby(quotes, key=lambda q: q.source_id)]
    return {"quotes_by_source": by_source, "quote_count": len(quotes), "mentions": roles_in}


def _topic_context(corpus: Corpus, topic_id: str) -> dict[str, Any]:
    sources = [corpus.source_by_id[sid] for sid in corpus.sources_by_topic.get(topic_id, ())]
    quotes = [(s, q) for s in sources for q in s.quotes if topic_id in q.topics]
    events = [(e, s) for s in sources for e in s.events if topic_id in e.topics]
    events.sort(key=lambda pair: (pair[0].when.sort_key, pair[1].id))
    return {"sources": sources, "quotes": quotes, "events": events}


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
