"""A page's template and context -> its Markdown; ``render_site``: corpus -> {page path: Markdown}.

Pure: the same corpus gives byte-identical pages. Which pages there are and what each template
is given is ``pages``' plan. Templates live in ``templates/``; every ``{{ value }}`` is escaped
by ``text.md`` unless it is Markup this module built itself (links between pages, escaped
paragraphs).
"""

from __future__ import annotations

import os
import posixpath
import traceback
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache, lru_cache
from itertools import groupby
from pathlib import Path
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any

import jinja2
import jinja2.runtime
from markupsafe import Markup

from . import dates, pictures
from .encode import xml_text_block
from .exports import SOURCES_BIB, SOURCES_CSL, bibtex_entry, plain_citation
from .model import UNKNOWN_SPEAKER, Corpus, Quote, SiteInfo, Source, When
from .pages import PageJob, plan_pages, quote_groups
from .problems import BriefingError, printable
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
def _environment(watching: bool = False, templates: str | None = None) -> jinja2.Environment:
    """The templates: the package's, each replaced by one of the same name in ``templates`` (the
    theme's custom_dir/briefing, as Material's partials are replaced from overrides/)."""
    package = jinja2.PackageLoader("briefing", "templates")
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(templates), package]) if templates else package,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # escaping is Markdown-aware: see _finalize and text.md
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=bool(templates),  # the package's files do not change; a project's may, under serve
    )
    env.context_class = _WatchingContext if watching else _Context
    env.filters.update(paragraphs=paragraphs, attr=attr, label=label, via_label=via_label)
    env.globals.update(
        plural=plural, human=dates.human, group_by_year=group_by_year, group_by_source=group_by_source,
        quote_groups=quote_groups,
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
        "## Cite this source {: #cite }\n\n"
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


def check_templates(site: SiteInfo) -> None:
    """Every template of the project's own compiles (BriefingError naming the first that does not,
    by file and line): asked before anything is written, so that a typo in one loses nothing."""
    if site.templates is not None:
        _compiles(_environment(False, site.templates), site.templates, ".j2", "the briefing's")


def check_theme_overrides(env: jinja2.Environment, folder: str,
                          told: Callable[[BriefingError], Exception] = lambda problem: problem) -> None:
    """The same for the HTML templates in the theme's custom_dir (``folder``: main.html,
    partials/...), in the theme's own environment ``env``, which keeps them compiled for the
    build; MkDocs would stop on one that does not compile with a traceback. From here on, one
    that fails as MkDocs renders a page with it (``{{ pagee.title }}``) is told the same way, as
    the error ``told`` makes of the problem (the plugin's: MkDocs's own one-line error), through
    Jinja's ``template_class``, the class the environment makes its templates of."""
    env.template_class = _told_template(env.template_class, folder, told)
    _compiles(env, folder, ".html", "Material's")


def _told_template(base: type[jinja2.Template], folder: str,
                   told: Callable[[BriefingError], Exception]) -> type[jinja2.Template]:
    class Told(base):  # type: ignore[valid-type,misc]  # a class made at run time, of the environment's class
        def render(self, *args: Any, **kwargs: Any) -> str:
            try:
                return super().render(*args, **kwargs)
            except Exception as exc:
                page = dict(*args, **kwargs).get("page")  # none for the theme's own pages (404.html)
                making = getattr(getattr(page, "file", None), "src_uri", None) or self.name or ""
                problem = template_problem(exc, folder, making, "Material's")
                if problem is None:
                    raise
                raise told(problem) from None

    return Told


def _compiles(env: jinja2.Environment, folder: str, suffix: str, owner: str) -> None:
    for path in sorted(Path(folder).rglob(f"*{suffix}")):
        try:
            env.get_template(path.relative_to(folder).as_posix())
        except jinja2.TemplateSyntaxError as exc:
            problem = template_problem(exc, folder, "", owner)
            if problem is None:
                raise
            raise problem from None


def template_problem(exc: BaseException, folder: str | None, page: str,
                     owner: str = "the briefing's") -> BriefingError | None:
    """A template of the project's own (in ``folder``, the theme's custom_dir/briefing) that does
    not compile, or fails as it renders ``page``: the error told by that file and line, for the
    person who wrote it. None for an error elsewhere (the package's templates and code: a bug of
    the briefing's own, which keeps its traceback)."""
    if folder is None:
        return None
    inside = folder.rstrip(os.sep) + os.sep
    where: tuple[str, int | None] | None = None
    if isinstance(exc, jinja2.TemplateSyntaxError):
        if exc.filename and exc.filename.startswith(inside):
            where = (exc.filename, exc.lineno)
    else:  # Jinja writes each template line it ran into the traceback: the last of the project's
        for frame in traceback.extract_tb(exc.__traceback__):
            if frame.filename.startswith(inside):
                where = (frame.filename, frame.lineno)
    if where is None:
        return None
    shown = os.path.relpath(where[0])
    shown = where[0] if shown.startswith("..") else shown
    said = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else f"{type(exc).__name__}: {exc}"
    making = f", making {page}" if page else ""
    return BriefingError(
        f"{printable(shown)}:{where[1] or 1}: error: {printable(said + making)} (template)"
        f" - hint: this template replaces {owner} {printable(os.path.basename(where[0]))}; fix it, or"
        f" delete it to use {owner} own")


class Pages:
    """Renders one page at a time with links made relative to that page."""

    def __init__(self, corpus: Corpus, site: SiteInfo):
        self.corpus = corpus
        self.site = site
        self._reads: dict[Any, Any] | None = None
        self._helpers: dict[str, dict[str, Any]] = {}

    def page(self, path: str, template: str, **context: Any) -> str:
        reads = self._reads
        try:
            return _environment(reads is not None, self.site.templates).get_template(template).render(
                page_path=path, when=when_text, corpus=self.corpus if reads is None else _Watched(self.corpus, reads),
                site=self.site, **self._links(posixpath.dirname(path)), **context)
        except Exception as exc:
            problem = template_problem(exc, self.site.templates, path)
            if problem is None:
                raise
            raise problem from None

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


def render_site(corpus: Corpus, site: SiteInfo) -> dict[str, str]:
    """Every generated page, keyed by its path in the site's docs tree."""
    return dict(iter_pages(corpus, site))


def iter_pages(corpus: Corpus, site: SiteInfo, jobs: Sequence[PageJob] | None = None) -> Iterator[tuple[str, str]]:
    """(path, Markdown) for each job (default: every page), in order, one at a time."""
    pages = Pages(corpus, site)
    for job in plan_pages(corpus, site) if jobs is None else jobs:
        yield job.path, pages.page(job.path, job.template, **job.context())


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
