"""The briefing as frozen dataclasses, built from validated entry data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from . import dates

UNKNOWN_SPEAKER = "unknown"
UNKNOWN_SPEAKER_NAME = "Unidentified speaker"

# The generator's own pages beside the entries' pages: a list of sources, actors or topics, split
# into pages, is <folder>/index.md, <folder>/page-2.md, ... next to <folder>/<id>.md. An entry whose
# id were one of these names would take the list page's place, so render names the pages with
# ``list_page_name`` and validate refuses every id ``is_list_page_name`` accepts: one definition.
LIST_FIRST_PAGE = "index"
LIST_PAGE_PREFIX = "page-"


def list_page_name(number: int) -> str:
    """The file name, without .md, of page ``number`` (from 1) of a list split into pages."""
    return LIST_FIRST_PAGE if number == 1 else f"{LIST_PAGE_PREFIX}{number}"


def is_list_page_name(name: str) -> bool:
    """Whether a list's page is (or could be, with more pages) called ``name``: 'index', 'page-<digits>'."""
    if name == LIST_FIRST_PAGE:
        return True
    number = name.removeprefix(LIST_PAGE_PREFIX)
    return number != name and number.isascii() and number.isdigit()


@lru_cache(maxsize=65536)  # pictures ask for it several times an event; dates recur
def _day_range(start: str, end: str) -> tuple[str, str]:
    return dates.first_day(start).isoformat(), dates.last_day(end).isoformat()


@dataclass(frozen=True, slots=True)
class When:
    date: str
    precision: str  # day | month | year | approximate
    not_before: str | None = None
    not_after: str | None = None
    inferred: bool = False
    basis: str | None = None

    @property
    def sort_key(self) -> str:
        return self.date

    @property
    def year(self) -> int:
        return dates.year_of(self.date)

    @property
    def text(self) -> str:
        """How a reader sees it: '6 September 2011', 'c. October 2024', 'c. 31 October 2024 (between
        24 and 31 October 2024)', 'c. 16 August 2011 (no later than 6 September 2011)': every bound
        the entry gives, since the timeline draws the date from one to the other."""
        shown = dates.human(self.date)
        if self.precision != "approximate":
            return shown
        if self.not_before and self.not_after:
            return f"c. {shown} ({dates.human_span(self.not_before, self.not_after)})"
        if self.not_before:
            return f"c. {shown} (no earlier than {dates.human(self.not_before)})"
        if self.not_after:
            return f"c. {shown} (no later than {dates.human(self.not_after)})"
        return f"c. {shown}"

    @property
    def label(self) -> str:
        """The date as every plain-text place words it: ``text``, and '(inferred)' for a date worked
        out rather than printed in the document (the marker the pages and the timeline show)."""
        return f"{self.text} (inferred)" if self.inferred else self.text

    @property
    def range(self) -> tuple[str, str]:
        """First and last possible day, ISO, for drawing the date as a span."""
        return _day_range(self.not_before or self.date, self.not_after or self.date)


@dataclass(frozen=True, slots=True)
class OriginalOutlet:
    name: str
    kind: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Outlet:
    kind: str
    name: str | None = None
    note: str | None = None
    inferred: bool = False
    basis: str | None = None
    original: OriginalOutlet | None = None

    @property
    def label(self) -> str:
        return self.name or "Unknown outlet"

    @property
    def plain(self) -> str:
        """The outlet as every plain-text place words it (exports, search results): ``label``, and
        '(inferred)' for an outlet the document does not name, as ``When.label`` words a date."""
        return f"{self.label} (inferred)" if self.inferred else self.label


@dataclass(frozen=True, slots=True)
class Via:
    kind: str
    actor: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    id: str
    source_id: str
    text: str
    speaker: str
    kind: str  # direct | fragment
    speaker_note: str | None = None
    said: When | None = None
    via: Via | None = None
    context: str | None = None
    topics: tuple[str, ...] = ()

    @property
    def uid(self) -> str:
        """Stable across the briefing: '<source id>/<quote id>'."""
        return f"{self.source_id}/{self.id}"

    @property
    def anchor(self) -> str:
        return f"q-{self.id}"


@dataclass(frozen=True, slots=True)
class SourceActor:
    id: str
    role: str
    spelled: str | None = None  # how this document writes the name, when it differs from the actor's


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    source_id: str
    when: When
    title: str
    kind: str
    actors: tuple[str, ...] = ()
    place: str | None = None
    topics: tuple[str, ...] = ()
    note: str | None = None

    @property
    def anchor(self) -> str:
        return f"e-{self.id}"


def event_order(event: Event) -> tuple[str, int, bool, str, str]:
    """Where an event stands in every list of events (timeline pages and pictures, topic pages,
    the TimelineJS export): at its date, and a date that names a month or a year at the end of
    that month or year, or at the last day its evidence allows (``not_after``) if that is
    earlier. On the same day a date given to the day comes first, then a month, then a year; and
    an exact date before an approximate one. So "c. 2011" follows "13 July 2011" and "c. November
    2011" follows "10 November 2011" (either may be later; neither can be known earlier), and the
    dates a reader sees run in order."""
    when = event.when
    placed = min(dates.last_day(when.date).isoformat(), when.range[1])
    return placed, -len(when.date), when.precision == "approximate", event.source_id, event.id


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    entry_path: str
    status: str
    title: str
    outlet: Outlet
    authors: tuple[str, ...]
    published: When
    archive_file: str
    archive_sha256: str
    summary: str
    key_points: tuple[str, ...]
    quotes: tuple[Quote, ...]
    actors: tuple[SourceActor, ...]
    topics: tuple[str, ...]
    events: tuple[Event, ...]
    capture_notes: tuple[str, ...]
    authors_note: str | None = None
    url: str | None = None
    title_basis: str | None = None  # set when the document prints no headline: ``title`` is then supplied


@dataclass(frozen=True, slots=True)
class Role:
    title: str
    since: str | None = None
    until: str | None = None
    as_of: str | None = None
    sources: tuple[str, ...] = ()
    note: str | None = None

    @property
    def sort_key(self) -> str:
        return self.as_of or self.since or self.until or ""


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    entry_path: str
    name: str
    kind: str
    description: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    roles: tuple[Role, ...] = ()


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    entry_path: str
    name: str
    description: str


@dataclass(frozen=True)
class Corpus:
    """Everything the site shows, with the look-ups rendering needs, computed once."""

    sources: tuple[Source, ...]  # newest first
    actors: dict[str, Actor]
    topics: dict[str, Topic]
    quotes_by_speaker: dict[str, tuple[Quote, ...]] = field(default_factory=dict)
    sources_by_actor: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sources_by_topic: dict[str, tuple[str, ...]] = field(default_factory=dict)
    source_by_id: dict[str, Source] = field(default_factory=dict)

    def quotes(self) -> tuple[Quote, ...]:
        return self._quotes

    def events(self) -> tuple[Event, ...]:
        return self._events

    @cached_property
    def _quotes(self) -> tuple[Quote, ...]:
        return tuple(q for s in self.sources for q in s.quotes)

    @cached_property
    def _events(self) -> tuple[Event, ...]:
        return tuple(e for s in self.sources for e in s.events)

    def actor_name(self, actor_id: str) -> str:
        """The name a reader sees for an actor id, the unidentified speaker's included."""
        return UNKNOWN_SPEAKER_NAME if actor_id == UNKNOWN_SPEAKER else self.actors[actor_id].name


@dataclass(frozen=True)
class SiteInfo:
    """What the pages need to know about the briefing beyond the corpus."""

    title: str
    subject: str
    page_size: int = 100
    templates: str | None = None  # a folder whose templates replace the package's of the same name
    archive_url: str | None = None  # the archive folder in the repository, on the web (a source's copy: + its file)


def quote_when(quote: Quote, source: Source) -> When:
    """When a quote was said, as far as the briefing knows: else when its source was published."""
    return quote.said or source.published


def quote_date_label(quote: Quote, source: Source) -> str:
    """A quote's date as search results word it: its own, or, when the source gives none, the
    source's, said to be that ('not given; source published 12 November 2011'), since a reader
    takes a date beside a quote for when it was said."""
    if quote.said is not None:
        return quote.said.label
    return f"not given; source published {source.published.label}"


def source_url(source_id: str) -> str:
    """A source page's address relative to the site root (directory URLs, as MkDocs makes them)."""
    return f"sources/{source_id}/"


def quote_url(quote: Quote) -> str:
    """A quote's address relative to the site root: its heading on its source's page."""
    return f"{source_url(quote.source_id)}#{quote.anchor}"


def _when(data: dict[str, Any]) -> When:
    return When(data["date"], data["precision"], data.get("not_before"), data.get("not_after"),
                bool(data.get("inferred", False)), data.get("basis"))


def _when_if_given(data: dict[str, Any] | None) -> When | None:
    return None if data is None else _when(data)


@dataclass(frozen=True, slots=True)
class UnfinishedSource:
    """A draft source whose title or date is not filled in yet (validate.unfinished): it has no
    page, and ``build_corpus`` leaves it out."""
    id: str
    entry_path: str


def source_from(data: dict[str, Any], entry_path: str) -> Source | UnfinishedSource:
    sid = data["id"]
    title, published = _title(data), data["published"]
    if title is None or published is None:
        return UnfinishedSource(sid, entry_path)
    o = data["outlet"]
    original = o.get("original")
    outlet = Outlet(o["kind"], o.get("name"), o.get("note"), bool(o.get("inferred", False)), o.get("basis"),
                    OriginalOutlet(original["name"], original["kind"], original.get("note")) if original else None)
    quotes = tuple(
        Quote(q["id"], sid, q["text"], q["speaker"], q["kind"], q.get("speaker_note"), _when_if_given(q.get("said")),
              Via(q["via"]["kind"], q["via"].get("actor"), q["via"].get("note")) if q.get("via") else None,
              q.get("context"), tuple(q.get("topics", ())))
        for q in data["quotes"])
    events = tuple(
        Event(e["id"], sid, _when(e["when"]), e["title"], e["kind"], tuple(e.get("actors", ())), e.get("place"),
              tuple(e.get("topics", ())), e.get("note"))
        for e in data["events"])
    return Source(
        id=sid, entry_path=entry_path, status=data["status"], title=title, outlet=outlet,
        authors=tuple(data["authors"]), published=_when(published),
        archive_file=data["archive"]["file"], archive_sha256=data["archive"]["sha256"],
        summary=data["summary"], key_points=tuple(data["key_points"]), quotes=quotes,
        actors=tuple(SourceActor(a["id"], a["role"], a.get("spelled")) for a in data["actors"]),
        topics=tuple(data["topics"]), events=events, capture_notes=tuple(data["capture_notes"]),
        authors_note=data.get("authors_note"), url=data.get("url"), title_basis=data.get("title_basis"))


def _title(data: dict[str, Any]) -> str | None:
    """The title as every page, list, link and citation shows it: a title the briefing supplied
    (the document prints none) in square brackets, as citation styles write one."""
    title = data["title"]
    if title is not None and data.get("title_basis"):
        return f"[{' '.join(title.split())}]"
    return title


def actor_from(data: dict[str, Any], entry_path: str) -> Actor:
    roles = tuple(sorted(
        (Role(r["title"], r.get("since"), r.get("until"), r.get("as_of"), tuple(r.get("sources", ())),
              r.get("note")) for r in data.get("roles", ())),
        key=lambda r: r.sort_key))
    # An empty description is valid (validate notes it: `briefing new actor` leaves it to fill in).
    return Actor(data["id"], entry_path, data["name"], data["kind"], data["description"] or "",
                 tuple(data.get("aliases", ())), data.get("country"), roles)


def topic_from(data: dict[str, Any], entry_path: str) -> Topic:
    return Topic(data["id"], entry_path, data["name"], data["description"] or "")


def build_corpus(sources: Sequence[Source | UnfinishedSource], actors: list[Actor], topics: list[Topic]) -> Corpus:
    # A draft whose title or date is not filled in yet (validate.unfinished) has no page.
    complete = [s for s in sources if isinstance(s, Source)]
    ordered = tuple(sorted(complete, key=lambda s: (s.published.sort_key, s.id), reverse=True))
    quotes_by_speaker: dict[str, list[Quote]] = {}
    sources_by_actor: dict[str, list[str]] = {}
    sources_by_topic: dict[str, list[str]] = {}
    for source in ordered:
        for quote in source.quotes:
            quotes_by_speaker.setdefault(quote.speaker, []).append(quote)
        mentioned = {a.id for a in source.actors}
        mentioned.update(q.speaker for q in source.quotes)
        mentioned.update(q.via.actor for q in source.quotes if q.via and q.via.actor)
        for event in source.events:
            mentioned.update(event.actors)
        for actor_id in sorted(mentioned):
            sources_by_actor.setdefault(actor_id, []).append(source.id)
        topics_here = set(source.topics)
        items: tuple[Quote | Event, ...] = (*source.quotes, *source.events)
        for item in items:
            topics_here.update(item.topics)
        for topic_id in sorted(topics_here):
            sources_by_topic.setdefault(topic_id, []).append(source.id)
    return Corpus(
        sources=ordered,
        actors={a.id: a for a in sorted(actors, key=lambda a: a.id)},
        topics={t.id: t for t in sorted(topics, key=lambda t: t.id)},
        quotes_by_speaker={k: tuple(v) for k, v in quotes_by_speaker.items()},
        sources_by_actor={k: tuple(v) for k, v in sources_by_actor.items()},
        sources_by_topic={k: tuple(v) for k, v in sources_by_topic.items()},
        source_by_id={s.id: s for s in ordered},
    )
