"""The MkDocs door into the core: validate in ``on_pre_build``, add pages in ``on_files``.

This is the only module that imports MkDocs. Validation runs before MkDocs cleans the site
folder, so bad entries fail the build and leave the last good site as it was.

Under ``mkdocs serve --dirty`` (what ``make serve`` runs) a rebuild does only what an edit
changed: entry files whose size and time are unchanged are not read again, generated pages are
files rewritten only when their text changed (so MkDocs rebuilds only those pages), and the
search index (briefing.finder: Pagefind, made from the entries, not from the built pages) is
rewritten in the background, only when a record changed.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from markupsafe import Markup, escape
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from . import fields
from .build import Session, empty, end_on_terminate
from .exports import plan_exports, structured_data
from .facts import UnknownFact, fill
from .model import build_corpus
from .pages import plan_pages
from .problems import BriefingError, errors
from .project import ConfigError, Loaded, Settings, edit_uri_for, git_origin, settings_from
from .render import check_theme_overrides

log = logging.getLogger("mkdocs.plugins.briefing")


class BriefingConfig(base.Config):
    entries = c.Type(str, default="entries")
    archive = c.Optional(c.Type(str))
    subject = c.Optional(c.Type(str))
    page_size = c.Type(int, default=100)


class BriefingPlugin(BasePlugin[BriefingConfig]):
    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.loaded: Loaded | None = None
        # Kept across `mkdocs serve` rebuilds (MkDocs keeps a plugin that has on_startup).
        self.serving = False
        self.dirty = False
        self.session = Session(serving=False)  # caches and background work (briefing.build)
        self.restore_terminate: Callable[[], None] = lambda: None
        self.generated: set[str] = set()
        self.removed: set[str] = set()
        self.page_urls: set[str] = set()
        self.built: set[str] = set()
        self.good: Loaded | None = None  # serve: the last load without errors, previewed while one has them
        self.showing: tuple[str, ...] = ()  # serve: the problems every page shows now

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.dirty = dirty
        self.session = Session(self.serving)
        self.restore_terminate = end_on_terminate()  # a `kill` still reaches on_shutdown
        if self.serving and dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(_dirty_notice)

    def on_shutdown(self) -> None:
        self.session.close()
        self.restore_terminate()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).resolve().parent
        docs_dir = Path(config.docs_dir).resolve()
        try:
            docs_rel = docs_dir.relative_to(root).as_posix()
        except ValueError:
            docs_rel = docs_dir.name
        if not config.edit_uri and not config.repo_url:  # mkdocs.yml names none: the repository we are in
            config.edit_uri = edit_uri_for(os.environ, *git_origin(root))
        try:
            self.settings = settings_from(root, dict(self.config), config.site_name, config.repo_url,
                                          config.edit_uri, docs_rel, Path(config.config_file_path or "mkdocs.yml").name,
                                          _relative_to(config.theme.custom_dir, root))
        except ConfigError as exc:  # MkDocs tells it as one line, with no traceback
            raise PluginError(str(exc)) from None
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        assert self.settings is not None
        if not (self.serving and self.dirty):
            self.session.settle()  # a clean rebuild empties the site folder they write into
        elif self.session.look_changed(_look(config)):
            # A dirty build rebuilds only pages whose text changed; after an edit to mkdocs.yml or
            # to the theme overrides every page must change (navigation, header, templates).
            self.session.settle()
            empty(Path(config.site_dir))
            log.info("briefing: mkdocs.yml or the theme overrides changed, so every page is rebuilt")
        # Else the finder still writing the last build's index goes on beside this build: it
        # writes beside the site and swaps its folder in, and a dirty build empties nothing.
        self.built = set()
        started = time.perf_counter()
        self.loaded = self.session.load(self.settings)  # serving: unchanged files are not read again
        self.session.timings = {"load_seconds": time.perf_counter() - started}
        for problem in self.loaded.problems:
            if problem.level != "error":
                log.info(problem.format())
        bad = errors(self.loaded.problems)
        if bad and not self.serving:  # `mkdocs build`, `make site` and CI: strict, nothing built
            listing = "\n".join(p.format() for p in bad)
            raise PluginError(f"{len(bad)} problem(s) in the briefing's entries; nothing was built:\n{listing}")
        if self.serving:
            self._preview_despite(bad, config)

    def _preview_despite(self, bad: list, config: MkDocsConfig) -> None:
        """Under `mkdocs serve` a broken entry must not leave the browser waiting: the preview goes
        on with the last good briefing (an empty one if there was none yet) and every page shows
        the problems, located, until a save fixes them. Each change of the problems rebuilds every
        page, so a dirty build shows or drops the notice everywhere."""
        shown = tuple(p.format() for p in bad)
        if bad:
            log.info(f"briefing: {len(bad)} problem(s) in the entries; the preview shows the last good "
                     "briefing, with the problems on every page, until they are fixed:\n" + "\n".join(shown))
            self.loaded = self.good or Loaded([], list(bad), build_corpus([], [], []))
        else:
            self.good = self.loaded
        if self.dirty and shown != self.showing:
            self.session.settle()
            empty(Path(config.site_dir))
        self.showing = shown

    def on_post_page(self, output: str, page, config: MkDocsConfig) -> str:
        """Under `mkdocs serve`, the entries' problems at the top of every page (see _preview_despite)."""
        if not self.showing:
            return output
        items = "".join(f"<li><code>{escape(line)}</code></li>" for line in self.showing)
        notice = (f'<div class="briefing-problems" role="alert" style="margin:0;padding:.8rem 1.2rem;'
                  f'background:#fff4e5;color:#5f2100;border-bottom:3px solid #b3261e;font-size:.8rem">'
                  f"<strong>{len(self.showing)} problem(s) in the entries: this preview shows the last good "
                  f"briefing. Fix them and save; the page reloads by itself.</strong>"
                  f'<ul style="margin:.4rem 0 0">{items}</ul></div>')
        head, body, rest = output.partition("<body")
        if not body:
            return notice + output
        tag_end = rest.index(">") + 1
        return head + body + rest[:tag_end] + notice + rest[tag_end:]

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.loaded is not None and self.loaded.corpus is not None and self.settings is not None
        corpus, site = self.loaded.corpus, self.settings.site
        for file in files:
            if not file.generated_by:
                file.edit_uri = f"{self.settings.docs_dir}/{file.src_uri}"
        jobs, exports = plan_pages(corpus, site), plan_exports(corpus, site)
        paths = [path for path, _ in exports] + [job.path for job in jobs]
        for path in paths + [fields.PAGE]:
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"{self.settings.docs_dir}/{path} is hand-written but the briefing generates "
                                  "a page there; move or rename the hand-written file")
        started = time.perf_counter()
        try:
            made = [File.generated(config, path, content=data) if data is not None else
                    File.generated(config, path, abs_src_path=f"{self.session.folder}/{path}")
                    for path, data in self.session.generate(corpus, site, jobs, exports,
                                                            [(fields.PAGE, fields.page())])]
        except BriefingError as exc:  # a template of the project's own that fails: its file and line
            raise PluginError(str(exc)) from None
        if not self.serving:
            self.session.record_timings(render_seconds=time.perf_counter() - started)
        sources = _entry_paths(self.loaded)
        for file in made:
            file.edit_uri = sources.get(file.src_uri)
            files.append(file)
        now = {file.src_uri for file in made}
        self.removed, self.generated = self.generated - now, now
        self.page_urls = {file.url for file in files if file.is_documentation_page()}
        return files

    def on_env(self, env, config: MkDocsConfig, files: Files):
        """The exports must be written before MkDocs copies the site's files (next, in a build).
        The theme's overrides must compile, and one that fails on a page is told by file and line
        too, not by MkDocs's traceback. Serving, the theme's templates are compiled once, not at
        every rebuild."""
        if self.serving:
            env.bytecode_cache = self.session.compiled
        if config.theme.custom_dir:
            try:
                check_theme_overrides(env, config.theme.custom_dir, told=lambda problem: PluginError(str(problem)))
            except BriefingError as exc:
                raise PluginError(str(exc)) from None
        started = time.perf_counter()
        if not self.session.wait_for_exports():
            raise PluginError("writing the briefing's exports failed (the error is printed above); "
                              "nothing was published")
        if not self.serving:
            self.session.record_timings(export_wait_seconds=time.perf_counter() - started)
        return env

    def on_page_markdown(self, markdown: str, page, config: MkDocsConfig, files: Files) -> str:
        """A hand-written page's ``{{ briefing.sources }}`` and the like: the facts as the entries give them."""
        if page.file.generated_by or self.loaded is None or self.loaded.corpus is None or self.settings is None:
            return markdown
        try:
            return fill(markdown, self.loaded.corpus, f"{self.settings.docs_dir}/{page.file.src_uri}")
        except UnknownFact as exc:
            raise PluginError(str(exc)) from None

    def on_page_context(self, context, page, config: MkDocsConfig, nav):
        self.built.add(page.url or "./")
        # Material writes <title>{{ page.title | striptags }}</title>: striptags decodes the
        # escaped entry text, so a title holding "</title><script>" would run. A meta title is
        # written as is (in <title> and the header), so give it the escaped text.
        if page.file.generated_by and page.title:
            page.meta["title"] = escape(Markup(page.title).striptags())
        if self.loaded is not None and self.loaded.corpus is not None:  # overrides/main.html puts it in <head>
            context["briefing_jsonld"] = structured_data(self.loaded.corpus, page.file.src_uri)
        return context

    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.serving and self.dirty:
            self._remove_stale_pages(config)
        if self.serving:  # the edited page is served: now the exports, which depend on every entry
            self.session.write_exports_later(Path(config.site_dir))
        _remove_unused_search(config)
        # The search index (the header box and the Find a quote page), for `mkdocs build` and `mkdocs serve` alike.
        # BRIEFING_FINDER=off skips it (python -m briefing.site --no-pagefind).
        if self.loaded is None or self.loaded.corpus is None or os.environ.get("BRIEFING_FINDER") == "off":
            return
        self.session.index(self.loaded.corpus, Path(config.site_dir))

    def _remove_stale_pages(self, config: MkDocsConfig) -> None:
        """A dirty build leaves the pages of deleted entries in the site: remove them."""
        for path in self.removed:
            file = File(path, config.docs_dir, config.site_dir, config.use_directory_urls)
            Path(file.abs_dest_path).unlink(missing_ok=True)

    def on_serve(self, server, config: MkDocsConfig, builder):
        assert self.settings is not None
        server.watch(str(self.settings.entries))
        if config.theme.custom_dir:  # the project's theme overrides (Material's own files do not change)
            server.watch(config.theme.custom_dir)
        return server


# What Material copies into every site for its own search (lunr, its languages and its worker):
# with no Material search plugin nothing loads them, so they are not published.
MATERIAL_SEARCH_FILES = ("assets/javascripts/lunr", "assets/javascripts/workers")


def _remove_unused_search(config: MkDocsConfig) -> None:
    if config.theme.name != "material" or {"search", "material/search"} & set(config.plugins):
        return
    for path in MATERIAL_SEARCH_FILES:
        shutil.rmtree(Path(config.site_dir) / path, ignore_errors=True)


def _look(config: MkDocsConfig) -> tuple[float, ...]:
    """When mkdocs.yml and the files of the theme overrides were last changed."""
    times = [os.stat(config.config_file_path).st_mtime_ns] if config.config_file_path else []
    if config.theme.custom_dir:
        times += sorted(p.stat().st_mtime_ns for p in Path(config.theme.custom_dir).rglob("*") if p.is_file())
    return tuple(times)


def _dirty_notice(record: logging.LogRecord) -> bool:
    """MkDocs warns on every dirty build that navigation may be stale, and `strict: true` turns
    the warning into a failed build. This briefing's navigation does not depend on the entries
    and the plugin keeps the search index whole, so the notice is told as information."""
    if record.levelno == logging.WARNING and str(record.msg).startswith("A 'dirty' build is being performed"):
        record.levelno, record.levelname = logging.INFO, "INFO"
        record.msg = "dirty build: only pages whose text changed are rebuilt"
    return True


def _entry_paths(loaded: Loaded) -> dict[str, str]:
    """Which YAML entry each generated page comes from, for "edit this page"."""
    folders = {"source": "sources", "actor": "actors", "topic": "topics"}
    return {f"{folders[f.kind]}/{f.stem}.md": f.path for f in loaded.files if f.readable}


def _relative_to(folder: str | None, root: Path) -> str | None:
    """The theme's custom_dir (MkDocs makes it absolute) as mkdocs.yml names it, from ``root``."""
    if not folder:
        return None
    try:
        return Path(folder).resolve().relative_to(root).as_posix()
    except ValueError:
        return str(Path(folder).resolve())
