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

import json
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from markupsafe import Markup, escape
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from . import fields
from .exports import plan_exports, structured_data
from .facts import UnknownFact, fill
from .finder import INDEX_FOLDER, finder_records, write_index
from .load import EntryFile
from .model import build_corpus
from .parallel import start_in_background, workers_available
from .problems import errors
from .project import (
    ConfigError,
    Loaded,
    Settings,
    collector_paused,
    edit_uri_for,
    git_origin,
    load_project,
    settings_from,
)
from .render import Kept, iter_outputs, pages_back_files_aside, plan_pages, split_exports
from .write import Content, Outputs

log = logging.getLogger("mkdocs.plugins.briefing")
TIMINGS_ENV = "BRIEFING_TIMINGS"  # a file to write the generator's time in a site build to (scripts/bench.py)


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
        self.timings: dict[str, float] = {}
        self.exporting: Callable[[], bool] | None = None  # waits for the exports written in the background
        self.pages_dir: Path | None = None  # generated files (serve: all, rewritten only when they change)
        self.entry_cache: dict[Path, EntryFile] = {}
        self.render_memo: dict[str, Kept] = {}  # pages re-rendered only when what they show changed
        self.written_texts: dict[str, str] = {}  # what was last written to each file of pages_dir
        self.generated: set[str] = set()
        self.removed: set[str] = set()
        self.page_urls: set[str] = set()
        self.built: set[str] = set()
        self.finder_records: list | None = None
        self.finder_thread: threading.Thread | None = None
        self.look: tuple[float, ...] | None = None  # serve: mkdocs.yml and theme overrides, as last built
        self.good: Loaded | None = None  # serve: the last load without errors, previewed while one has them
        self.showing: tuple[str, ...] = ()  # serve: the problems every page shows now

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.dirty = dirty
        if self.serving and dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(_dirty_notice)

    def on_shutdown(self) -> None:
        self._wait_for_finder()
        if self.pages_dir is not None:
            shutil.rmtree(self.pages_dir, ignore_errors=True)

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
                                          config.edit_uri, docs_rel, Path(config.config_file_path or "mkdocs.yml").name)
        except ConfigError as exc:  # MkDocs tells it as one line, with no traceback
            raise PluginError(str(exc)) from None
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        assert self.settings is not None
        self._wait_for_finder()  # a clean rebuild empties the site folder it writes into
        if self.serving and self.dirty:
            self._rebuild_all_if_the_look_changed(config)
        self.built = set()
        started = time.perf_counter()
        if self.serving:  # files whose size and time are unchanged are not read again
            self.loaded = load_project(self.settings, cache=self.entry_cache)
        else:
            self.loaded = load_project(self.settings, workers=workers_available())
        self.timings = {"load_seconds": time.perf_counter() - started}
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
            _empty(Path(config.site_dir))
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
        if self.pages_dir is None:
            self.pages_dir = Path(tempfile.mkdtemp(prefix="briefing-generated-"))
        folder = str(self.pages_dir)
        if self.serving:
            # Pages are rendered again only when what they show changed, and written to files only
            # when their text changed: a dirty build (`make serve`) then rebuilds only those pages.
            # One process: no forking beside the server's threads.
            with collector_paused():  # the server's heap is large: a full collection mid-render costs 0.3 s
                outputs = Outputs(self.pages_dir, paths + [fields.PAGE], marker=False)
                written = sum(iter_outputs(corpus, site, self._write_changed(outputs), jobs, exports,
                                           memo=self.render_memo))
                written += outputs.write(fields.PAGE, fields.page())  # a file, rewritten only when it changed
                removed = outputs.finish()
                if written or removed:
                    log.info(f"briefing: {written} generated file(s) changed, {removed} removed")
                made = [File.generated(config, path, abs_src_path=f"{folder}/{path}")
                        for path in paths + [fields.PAGE]]
        else:  # building: pages made on every core and handed to MkDocs in memory; exports as files
            started = time.perf_counter()
            deliver = pages_back_files_aside(self.pages_dir)
            # The exports that stand alone are written by a process of their own while MkDocs reads
            # the pages on one core: on_env waits for it before MkDocs copies them into the site.
            beside, alone = split_exports(exports)
            made = [File.generated(config, path, content=data) if data is not None else
                    File.generated(config, path, abs_src_path=f"{folder}/{path}")
                    for path, data in iter_outputs(corpus, site, deliver, jobs, beside, workers=workers_available())]
            self.exporting = start_in_background(partial(_write_exports, alone, deliver))
            made += [File.generated(config, path, abs_src_path=f"{folder}/{path}") for path, _ in alone]
            self._record_timings(render_seconds=time.perf_counter() - started)
            # The field reference, made from the JSON Schemas on every build, so it cannot go stale.
            made.append(File.generated(config, fields.PAGE, content=fields.page()))
        sources = _entry_paths(self.loaded)
        for file in made:
            file.edit_uri = sources.get(file.src_uri)
            files.append(file)
        now = {file.src_uri for file in made}
        self.removed, self.generated = self.generated - now, now
        self.page_urls = {file.url for file in files if file.is_documentation_page()}
        return files

    def _record_timings(self, **more: float) -> None:
        """With BRIEFING_TIMINGS naming a file, write how long this build spent in the generator
        (reading and checking the entries, making pages and exports) there, as JSON: the benchmark
        divides it by the same build's time, so the share is measured within one build."""
        self.timings.update(more)
        target = os.environ.get(TIMINGS_ENV)
        if target:
            Path(target).write_text(json.dumps(self.timings) + "\n", "utf-8")

    def _write_changed(self, outputs: Outputs):
        """Outputs.write, skipping a page the memo kept (the very text written last time)."""
        last = self.written_texts

        def write(path: str, text: Content) -> bool:
            if isinstance(text, str):  # a page (an export comes in pieces, made anew)
                if last.get(path) is text:
                    return False
                last[path] = text
            return outputs.write(path, text)

        return write

    def on_env(self, env, config: MkDocsConfig, files: Files):
        """The exports must be written before MkDocs copies the site's files (next, in a build)."""
        if self.exporting is not None:
            started = time.perf_counter()
            finished = self.exporting()
            self.exporting = None
            self._record_timings(export_wait_seconds=time.perf_counter() - started)
            if not finished:
                raise PluginError("writing the briefing's exports failed (the error is printed above); "
                                  "nothing was published")
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
        _remove_unused_search(config)
        # The search index (the header box and the Find a quote page), for `mkdocs build` and `mkdocs serve` alike.
        # BRIEFING_FINDER=off skips it (python -m briefing.site --no-pagefind).
        if self.loaded is None or self.loaded.corpus is None or os.environ.get("BRIEFING_FINDER") == "off":
            return
        corpus, site_dir = self.loaded.corpus, Path(config.site_dir)
        if not self.serving:
            folder = write_index(corpus, site_dir)
            log.info(f"finder: {len(corpus.quotes())} quotes indexed in {folder}")
            return
        records = finder_records(corpus)
        if records == self.finder_records and (site_dir / INDEX_FOLDER).is_dir():
            return
        self.finder_records = records
        self.finder_thread = threading.Thread(target=_write_finder, args=(corpus, site_dir), daemon=True)
        self.finder_thread.start()

    def _rebuild_all_if_the_look_changed(self, config: MkDocsConfig) -> None:
        """A dirty build rebuilds only pages whose text changed; after an edit to mkdocs.yml or to
        the theme overrides every page must change (navigation, header, templates): empty the
        served folder, and the next build makes every page again."""
        look = _look(config)
        if self.look is not None and look != self.look:
            _empty(Path(config.site_dir))
            log.info("briefing: mkdocs.yml or the theme overrides changed, so every page is rebuilt")
        self.look = look

    def _remove_stale_pages(self, config: MkDocsConfig) -> None:
        """A dirty build leaves the pages of deleted entries in the site: remove them."""
        for path in self.removed:
            file = File(path, config.docs_dir, config.site_dir, config.use_directory_urls)
            Path(file.abs_dest_path).unlink(missing_ok=True)

    def _wait_for_finder(self) -> None:
        if self.finder_thread is not None:
            self.finder_thread.join()
            self.finder_thread = None

    def on_serve(self, server, config: MkDocsConfig, builder):
        assert self.settings is not None
        server.watch(str(self.settings.entries))
        if config.theme.custom_dir:  # the project's theme overrides (Material's own files do not change)
            server.watch(config.theme.custom_dir)
        return server


def _empty(site_dir: Path) -> None:
    """Empty the served folder: the next dirty build then makes every page again."""
    if site_dir.is_dir():
        for child in site_dir.iterdir():
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()


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


def _write_exports(exports, deliver) -> None:
    for path, make in exports:
        deliver(path, make())


def _write_finder(corpus, site_dir: Path) -> None:
    """Write the finder's index beside the served site, then swap it in, so a search never reads
    half an index."""
    staging = Path(tempfile.mkdtemp(prefix=".finder-", dir=site_dir))
    try:
        write_index(corpus, staging)
        target = site_dir / INDEX_FOLDER
        old = site_dir / f".{INDEX_FOLDER}-old"
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            os.replace(target, old)
        os.replace(staging / INDEX_FOLDER, target)
        shutil.rmtree(old, ignore_errors=True)
        log.info(f"finder: {len(corpus.quotes())} quotes indexed")
    except Exception as exc:  # a failed index must not stop the server; say so
        log.error(f"finder: the quote index was not updated: {exc}")
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _entry_paths(loaded: Loaded) -> dict[str, str]:
    """Which YAML entry each generated page comes from, for "edit this page"."""
    folders = {"source": "sources", "actor": "actors", "topic": "topics"}
    return {f"{folders[f.kind]}/{f.stem}.md": f.path for f in loaded.files if f.readable}
