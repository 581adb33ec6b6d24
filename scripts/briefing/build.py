"""The one place that runs things: parallel work, background work, the caches `mkdocs serve` keeps
between rebuilds, writing files, and swapping a finished folder in.

Everything before this module is a pure function of the entries (load, validate, model) or of
the corpus (render, exports, pictures, finder's records); everything after it is a door (the
MkDocs plugin, the command line, the site build) that calls it. It is the only caller of
``parallel`` and of ``write``'s writers.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import jinja2
import jinja2.bccache

from .exports import ACTOR_MAP_PAGE, ACTOR_MAP_SVG, plan_exports
from .load import EntryFile
from .model import Corpus, SiteInfo
from .pages import PageJob, plan_pages
from .parallel import slices, start_in_background, workers_available
from .project import Loaded, Settings, collector_paused, load_project
from .render import Pages, check_templates, read_again
from .write import Content, Outputs, write_atomic

R = TypeVar("R")
Exports = Sequence[tuple[str, Callable[[], Content]]]
log = logging.getLogger("mkdocs.plugins.briefing")
TIMINGS_ENV = "BRIEFING_TIMINGS"  # a file to write the generator's time in a site build to (scripts/bench.py)


def load(settings: Settings, cache: dict[Path, EntryFile] | None = None) -> Loaded:
    """The project's entries, loaded and checked: on every core, or (given the ``cache`` a
    server keeps) in this process, reading again only files whose size or time changed."""
    return load_project(settings, cache=cache) if cache is not None else \
        load_project(settings, workers=workers_available(), run=slices)


@dataclass(frozen=True)
class Kept:
    """A page rendered earlier, with everything its text was made from (see ``Memo``)."""

    template: str
    site: SiteInfo
    context: dict[str, Any]
    reads: dict[Any, Any]
    text: str


class Memo:
    """The pages `mkdocs serve` rendered last, so that a rebuild renders again only a page whose
    inputs changed: its template, the site settings, its context (compared by value; model
    objects of unchanged entries are the same objects, so this is quick) or anything it read of
    the corpus (recorded while it rendered, ``Pages.page_and_reads``, and asked again of the new
    corpus). Nothing is listed by hand, so a template that starts reading something is tracked.

    A read that handed the corpus to a function (a picture) is asked again by calling it, which
    costs what drawing it did; it is asked last, so a page whose other inputs changed never pays
    it, and not at all when the entries are the same as last time (a hand-written page or
    mkdocs.yml was saved): every kept page was checked against the last corpus."""

    def __init__(self) -> None:
        self.kept: dict[str, Kept] = {}
        self.rendered = 0  # pages rendered (not kept) since this memo was made
        self.last: Corpus | None = None  # the corpus every kept page was made from or checked against

    def pages(self, corpus: Corpus, site: SiteInfo, jobs: Sequence[PageJob]) -> Iterator[tuple[str, str]]:
        """(path, Markdown) for each job, in order; afterwards the memo holds exactly these pages."""
        for gone in set(self.kept) - {job.path for job in jobs}:
            del self.kept[gone]
        pages, answers = Pages(corpus, site), dict[Any, Any]()
        same_entries = self.last is not None and _same_entries(self.last, corpus)
        self.last = None  # until every page is checked against this corpus
        for job in jobs:
            context, kept = job.context(), self.kept.get(job.path)
            if kept is not None and kept.template == job.template and kept.site == site and kept.context == context \
                    and (same_entries or all(_same(corpus, key, was, answers) for key, was in kept.reads.items())):
                yield job.path, kept.text
                continue
            self.rendered += 1
            text, reads = pages.page_and_reads(job.path, job.template, context)
            in_order = sorted(reads.items(), key=lambda read: read[0][0] == "call")  # calls last: the dearest
            self.kept[job.path] = Kept(job.template, site, context, {k: _digest(a) for k, a in in_order}, text)
            yield job.path, text
        self.last = corpus


class _Digest(bytes):
    """A long text a page read (a picture), kept as its digest: the text itself is in the page."""


def _digest(answer: Any) -> Any:
    if isinstance(answer, str) and len(answer) > 256:
        return _Digest(hashlib.blake2b(answer.encode("utf-8", "surrogatepass"), digest_size=16).digest())
    return answer


def _same_entries(old: Corpus, new: Corpus) -> bool:
    """Whether two corpora hold the same entries (everything else in a corpus is made from them).
    Quick when they are: the model objects of unchanged entries are the same objects."""
    return old.sources == new.sources and old.actors == new.actors and old.topics == new.topics


def _same(corpus: Corpus, key: tuple[Any, ...], was: Any, answers: dict[Any, Any]) -> bool:
    """Whether a recorded read answers the same on ``corpus``; ``answers`` keeps what each call
    answered, for the other pages that made the same call (the actor graph, on every actor page)."""
    try:
        shared = (key[1], key[2].args) if key[0] == "call" and not key[2].kwargs else None
        hash(shared)
    except TypeError:  # a list among the arguments: asked again for this page alone
        shared = None
    if shared is None:
        now = read_again(corpus, key)
    elif shared in answers:
        now = answers[shared]
    else:
        now = answers[shared] = read_again(corpus, key)
    if type(was) is _Digest:
        return _digest(now) == was
    return now is was or now == was


def outputs(corpus: Corpus, site: SiteInfo, deliver: Callable[[str, Content], R],
            jobs: Sequence[PageJob] | None = None, exports: Exports | None = None,
            workers: int = 1, memo: Memo | None = None) -> Iterator[R]:
    """Make every generated file (the pages of ``jobs`` and the ``exports``, by default all) and
    hand each to ``deliver(path, text)`` where it was made; yield what ``deliver`` returns.

    ``workers`` > 1 makes them on that many cores; ``deliver`` then runs in the workers, so a
    deliverer that writes the file (``Outputs.write``) never sends a page between processes. The
    exports are the largest tasks, one to a slice, taken first by the forked helpers (see
    ``parallel.slices``); but the actor map's SVG goes with the actor map page, in the first slice
    of pages, so that one worker lays the map out (and imports numpy) for both. A ``memo`` (one
    process only: `mkdocs serve`) keeps pages whose inputs did not change from being rendered again.
    """
    check_templates(site)  # a project's template that does not compile: told before anything is written
    jobs = plan_pages(corpus, site) if jobs is None else jobs
    exports = plan_exports(corpus, site) if exports is None else exports
    if memo is not None:
        assert workers <= 1, "a memo lives in one process"
        yield from (deliver(path, text) for path, text in memo.pages(corpus, site, jobs))
        yield from (deliver(path, make()) for path, make in exports)
        return
    beside, alone = split_exports(exports)
    together = beside + [j for j in jobs if j.path == ACTOR_MAP_PAGE]
    tasks: list[Any] = [*together, *(j for j in jobs if j.path != ACTOR_MAP_PAGE), *alone]
    made: dict[str, Pages] = {}

    def make(start: int, stop: int) -> list[R]:
        results = []
        for task in tasks[start:stop]:
            if isinstance(task, PageJob):
                pages = made.get("pages") or made.setdefault("pages", Pages(corpus, site))  # one per process
                results.append(deliver(task.path, pages.page(task.path, task.template, **task.context())))
            else:
                results.append(deliver(task[0], task[1]()))
        return results

    # Slices of 16: 64 timeline pages (213 KB each) were 13.6 MB held, pickled and read back at once.
    yield from slices(make, len(tasks), workers=workers, large=len(alone), size=16)


def split_exports(exports: Exports) -> tuple[list, list]:
    """(the exports made beside the pages, the rest): the actor map's SVG is made with the map's
    page, so that one process lays the map out for both; every other export stands alone."""
    return [e for e in exports if e[0] == ACTOR_MAP_SVG], [e for e in exports if e[0] != ACTOR_MAP_SVG]


def pages_back_files_aside(folder: Path) -> Callable[[str, Content], tuple[str, bytes | None]]:
    """A deliverer for ``outputs``: pages come back as UTF-8; every other file (the exports,
    tens of megabytes each in a large briefing) is written into ``folder`` by the worker that made
    it and comes back as None, so no large file travels between processes or sits in memory."""
    def deliver(path: str, text: Content) -> tuple[str, bytes | None]:
        if isinstance(text, str) and path.endswith(".md"):  # a page (an export comes in pieces)
            return path, text.encode("utf-8")
        write_atomic(folder / path, text)
        return path, None

    return deliver


def write_pages(corpus: Corpus, site: SiteInfo, out: Path) -> tuple[int, int, int, int, int]:
    """Every generated page and export written under ``out`` (on every core, each worker writing
    what it made): (pages, exports, written, unchanged, removed). All of them are made in a folder
    beside ``out`` first, and only then is what changed moved in: a page that fails to render (a
    template of the project's own) leaves ``out`` as it was, not half old and half new."""
    jobs, exports = plan_pages(corpus, site), plan_exports(corpus, site)
    paths = [job.path for job in jobs] + [path for path, _ in exports]
    files = Outputs(out, paths)  # refuses a file in the way that is not ours, before anything is made
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        staged = Outputs(stage, paths)
        sum(outputs(corpus, site, staged.write, jobs, exports, workers=workers_available()))
        written = files.take(stage)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    removed = files.finish()
    return len(jobs), len(exports), written, len(files.paths) - written, removed


def swap(new: Path, out: Path, old: Path) -> None:
    """Put the folder ``new`` in the place of ``out``: ``out`` goes aside to ``old`` (which must
    not exist) and is removed once ``new`` is in. A reader never sees half a folder, and a kill
    between the two renames leaves the previous folder whole in ``old`` (site.recover puts it back)."""
    had = out.exists()
    if had:
        os.replace(out, old)
    os.replace(new, out)
    if had:
        shutil.rmtree(old, ignore_errors=True)


def empty(folder: Path) -> None:
    """Empty a served folder: the next dirty build then makes every page again."""
    if folder.is_dir():
        for child in folder.iterdir():
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()


class CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates as Jinja compiled them, kept in memory between the builds of one
    `mkdocs serve` (MkDocs makes the theme's environment anew for each, and compiling Material's
    templates again cost a tenth of a rebuild). Jinja checks each against its template's text, so
    an edited override is compiled again."""

    def __init__(self) -> None:
        self.kept: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.kept.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.kept[bucket.key] = bucket.bytecode_to_string()


class Session:
    """What one MkDocs run keeps between its builds (`mkdocs serve` rebuilds on every save): the
    loaded entry files, the rendered pages, what was written, the theme's compiled templates, the
    background work."""

    def __init__(self, serving: bool) -> None:
        self.serving = serving
        self.compiled = CompiledTemplates()
        self.entry_cache: dict[Path, EntryFile] = {}
        self.memo = Memo()
        self.folder: Path | None = None  # generated files (serve: all, rewritten only when they change)
        self.written: dict[str, str] = {}  # what was last written to each file of folder
        self.exporting: Callable[[], bool] | None = None  # waits for the exports written in the background
        self.exports_due: tuple[Exports, Outputs] | None = None  # serve: this build's exports, not yet written
        self.records: list | None = None  # the finder's records as last indexed (serve)
        self.finder: threading.Thread | None = None
        self.look: tuple[float, ...] | None = None
        self.timings: dict[str, float] = {}

    def load(self, settings: Settings) -> Loaded:
        return load(settings, self.entry_cache if self.serving else None)

    def generate(self, corpus: Corpus, site: SiteInfo, jobs: Sequence[PageJob], exports: Exports,
                 extra: Sequence[tuple[str, str]]) -> list[tuple[str, bytes | None]]:
        """Every generated file (pages, exports and the ``extra`` pages made elsewhere) as (path,
        its bytes, or None when it is a file in ``self.folder``).

        Serving, everything is a file, rendered again only when what it shows changed (the memo)
        and written only when its text changed: a dirty build then rebuilds only those pages. One
        process: no forking beside the server's threads. After the first build the exports, which
        depend on every entry (half a second of a rebuild at N = 1,000), are left to
        ``write_exports_later``, once the edited page is served. Building, pages are made on every
        core and come back in memory; the exports are written by a process of their own while
        MkDocs reads the pages (``wait_for_exports`` waits for it)."""
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="briefing-generated-"))
        paths = [path for path, _ in exports] + [job.path for job in jobs] + [path for path, _ in extra]
        if self.serving:
            self.wait_for_exports()  # the last build's, written into the same folder
            later = bool(exports) and all((self.folder / path).is_file() for path, _ in exports)  # not the first
            with collector_paused():  # the server's heap is large: a full collection mid-render costs 0.3 s
                files = Outputs(self.folder, paths, marker=False)
                written = sum(outputs(corpus, site, self._write_changed(files), jobs, [] if later else exports,
                                      memo=self.memo))
                written += sum(files.write(path, text) for path, text in extra)
                removed = files.finish()
            self.exports_due = (exports, files) if later else None
            if written or removed:
                log.info(f"briefing: {written} generated file(s) changed, {removed} removed")
            return [(path, None) for path in paths]
        deliver = pages_back_files_aside(self.folder)
        beside, alone = split_exports(exports)
        made = list(outputs(corpus, site, deliver, jobs, beside, workers=workers_available()))
        self.exporting = start_in_background(partial(_write_exports, alone, deliver))
        return made + [(path, None) for path, _ in alone] + [(path, text.encode("utf-8")) for path, text in extra]

    def write_exports_later(self, site_dir: Path) -> None:
        """Serving: write this build's exports (if it left them) in a thread, each one that changed
        into the generated folder and, swapped in whole, into the served ``site_dir``, where MkDocs
        copied last build's (it copies a file again only when it is newer, and the copy keeps the
        time). The next build, and the end of the server, wait for it."""
        if self.exports_due is None:
            return
        exports, files = self.exports_due
        self.exports_due = None
        done: list[bool] = []

        def write() -> None:
            try:  # the collector stays on: pausing it is the whole process's, and the next build may pause it
                changed = 0
                for path, make in exports:
                    if files.write(path, make()):
                        _publish(files.out / path, site_dir / path)
                        changed += 1
                done.append(True)
                if changed:
                    log.info(f"briefing: {changed} export file(s) changed")
            except Exception as exc:  # the server goes on; the next build writes them again
                log.error(f"briefing: the exports were not updated: {exc}")

        def wait() -> bool:
            thread.join()
            return bool(done)

        thread = threading.Thread(target=write, daemon=True)
        thread.start()
        self.exporting = wait

    def _write_changed(self, files: Outputs) -> Callable[[str, Content], bool]:
        """Outputs.write, skipping a page the memo kept (the very text written last time)."""
        last = self.written

        def write(path: str, text: Content) -> bool:
            if isinstance(text, str):  # a page (an export comes in pieces, made anew)
                if last.get(path) is text:
                    return False
                last[path] = text
            return files.write(path, text)

        return write

    def wait_for_exports(self) -> bool:
        """Whether the exports written in the background (if any) were all written."""
        finished = self.exporting() if self.exporting is not None else True
        self.exporting = None
        return finished

    def index(self, corpus: Corpus, site_dir: Path) -> None:
        """The finder's search index in ``site_dir``: building, here and now; serving, in the
        background, the records too, and written only when a record changed (``wait_for_finder``
        waits for it)."""
        if not self.serving:
            from .finder import write_index  # asyncio and all: not in the workers
            folder = write_index(corpus, site_dir)
            log.info(f"finder: {len(corpus.quotes())} quotes indexed in {folder}")
            return
        # One at a time, as each swaps the same folder in: this one starts when the last is done.
        self.finder = threading.Thread(target=self._refresh_finder, args=(corpus, site_dir, self.finder), daemon=True)
        self.finder.start()

    def _refresh_finder(self, corpus: Corpus, site_dir: Path, after: threading.Thread | None) -> None:
        from .finder import INDEX_FOLDER, finder_records
        if after is not None:
            after.join()
        try:
            records = finder_records(corpus)
        except Exception as exc:  # a failed index must not stop the server; say so
            log.error(f"finder: the quote index was not updated: {exc}")
            return
        if records == self.records and (site_dir / INDEX_FOLDER).is_dir():
            return
        self.records = records
        _write_finder(corpus, site_dir, records)

    def wait_for_finder(self) -> None:
        if self.finder is not None:
            self.finder.join()
            self.finder = None

    def settle(self) -> None:
        """Wait for everything written into the served folder in the background (the search index,
        the exports): before that folder is emptied."""
        self.wait_for_finder()
        self.wait_for_exports()

    def look_changed(self, look: tuple[float, ...]) -> bool:
        """Whether ``look`` (when mkdocs.yml and the theme overrides last changed) differs from last build's."""
        changed = self.look is not None and look != self.look
        self.look = look
        if changed:  # a template in the overrides may have changed: every page is rendered again
            self.memo = Memo()
        return changed

    def record_timings(self, **more: float) -> None:
        """With BRIEFING_TIMINGS naming a file, write how long this build spent in the generator
        (reading and checking the entries, making pages and exports) there, as JSON: the benchmark
        divides it by the same build's time, so the share is measured within one build."""
        self.timings.update(more)
        target = os.environ.get(TIMINGS_ENV)
        if target:
            Path(target).write_text(json.dumps(self.timings) + "\n", "utf-8")

    def close(self) -> None:
        self.settle()  # the exports are written into the folder too: done before it goes
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


def end_on_terminate() -> Callable[[], None]:
    """Take SIGTERM (`kill`, an editor's or a container's stop button) and SIGHUP (the terminal
    closed) as the end of the run, as Ctrl-C is: SystemExit, so that MkDocs's shutdown runs
    (``Session.close``: the generated folder, 57 MB at 1,000 sources, removed from the temporary
    folder) instead of the process vanishing and leaving it. A forked helper that gets the signal
    dies as it would without this. Only from the main thread, and only for a signal whose handler is
    the default (never over one someone else set); returns what puts the defaults back."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    taken = [s for s in (signal.SIGTERM, getattr(signal, "SIGHUP", None))
             if s is not None and signal.getsignal(s) is signal.SIG_DFL]
    owner, ending = os.getpid(), list[float]()  # when the first signal came

    def end(signum: int, frame: Any) -> None:
        if os.getpid() != owner:  # a forked helper: as if no handler had been set
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        if ending:  # already shutting down: `make` passes its own SIGTERM on, a moment after the
            # group's (a second SystemExit midway through MkDocs's shutdown left its server thread
            # running, and the process hung); a signal a while later ends it as if no handler were set
            if time.monotonic() - ending[0] > 2:
                signal.signal(signum, signal.SIG_DFL)
                os.kill(os.getpid(), signum)
            return
        ending.append(time.monotonic())
        raise SystemExit(128 + signum)

    def restore() -> None:
        for signum in taken:
            signal.signal(signum, signal.SIG_DFL)

    for signum in taken:
        signal.signal(signum, end)
    return restore


def _publish(made: Path, served: Path) -> None:
    """Copy ``made`` over ``served`` in one step (``write_atomic``), so a download never gets half a
    file, with its time, so MkDocs does not copy it again."""
    write_atomic(served, made.read_bytes())
    shutil.copystat(made, served)


def _write_exports(exports: Exports, deliver: Callable[[str, Content], Any]) -> None:
    for path, make in exports:
        deliver(path, make())


def _write_finder(corpus: Corpus, site_dir: Path, records: list) -> None:
    """Write the finder's index of ``records`` beside the served site, then swap it in, so a
    search never reads half an index."""
    from .finder import INDEX_FOLDER, write_index
    staging = Path(tempfile.mkdtemp(prefix=".finder-", dir=site_dir))
    try:
        write_index(corpus, staging, records)
        old = site_dir / f".{INDEX_FOLDER}-old"
        shutil.rmtree(old, ignore_errors=True)
        swap(staging / INDEX_FOLDER, site_dir / INDEX_FOLDER, old)
        log.info(f"finder: {len(corpus.quotes())} quotes indexed")
    except Exception as exc:  # a failed index must not stop the server; say so
        log.error(f"finder: the quote index was not updated: {exc}")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
