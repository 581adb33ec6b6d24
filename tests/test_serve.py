"""`mkdocs serve` (what `make serve` runs): an edited entry shows up; a broken one is reported
with its location and, once fixed, the site comes back without a restart."""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import free_port, with_theme_overrides

pytestmark = pytest.mark.site


# A bare environment, as an editor's shell may be; the code under test first on the path, when the
# tests are run with PYTHONPATH set (a checkout that is not the installed one).
BARE_ENV = {"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin",
            **{name: os.environ[name] for name in ("PYTHONPATH",) if name in os.environ}}


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(url: str, text: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    body = ""
    while time.monotonic() < deadline:
        try:
            body = fetch(url)
            if text in body:
                return body
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{text!r} did not appear at {url} within {seconds} s")


def _default_signals() -> None:
    """As in an editor's terminal, whatever runs the tests (nohup ignores SIGHUP, and a child keeps that)."""
    for stop in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop, signal.SIG_DFL)


class Log(list):
    """The server's lines as they come; a line is read from its pipe a moment after the server
    acts on what it says (serves the page, swaps the index in), so a test waits for a line."""

    proc: subprocess.Popen

    def lines_with(self, text: str) -> int:
        return sum(text in line for line in self)

    def wait_for(self, text: str, times: int = 1, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while self.lines_with(text) < times:
            assert time.monotonic() < deadline, f"no {text!r} in the log:\n" + "".join(self)
            time.sleep(0.2)


@contextmanager
def serving(project, *options: str, finder: bool = False, env: dict[str, str] | None = None):
    """`mkdocs serve` on a free port; yields its address and its log, lines as they come (and,
    as ``log.proc``, the process)."""
    port = free_port()
    env = {**BARE_ENV, **({} if finder else {"BRIEFING_FINDER": "off"}), **(env or {})}
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", *options],
                            cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            preexec_fn=_default_signals)
    log = Log()
    log.proc = proc
    threading.Thread(target=lambda: log.extend(proc.stdout), daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}", log
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(params=["clean", "dirty"])
def served(mini, request):
    """`mkdocs serve` as an editor may run it, and with --dirty as `make serve` does."""
    with serving(mini, *(["--dirty"] if request.param == "dirty" else [])) as (url, log):
        yield mini, url, log


def test_edited_entry_shows_without_restart(served):
    project, url, _ = served
    page = f"{url}/sources/hotline-talks/"
    body = wait_for(page, "Ministers agree on a hotline")
    assert "livereload" in body  # the browser reloads itself on a rebuild
    entry = project / "entries/sources/hotline-talks.yml"
    entry.write_text(entry.read_text().replace('title: "Ministers agree on a hotline"',
                                               'title: "Ministers agree on a red telephone"'))
    wait_for(page, "Ministers agree on a red telephone")


def test_broken_entry_is_reported_and_fixing_it_recovers(served):
    project, url, log = served
    page = f"{url}/actors/ada-quill/"
    wait_for(page, "Ada Quill")
    entry = project / "entries/actors/ada-quill.yml"
    good = entry.read_text()
    entry.write_text(good.replace("kind: person", "kind: human"))
    log.wait_for("entries/actors/ada-quill.yml:4:7: error")
    # The preview goes on with the last good briefing, and every page says what is wrong and where.
    for shown in (page, f"{url}/", f"{url}/sources/hotline-talks/"):
        body = wait_for(shown, 'class="briefing-problems"')
        assert "entries/actors/ada-quill.yml:4:7: error: &#39;kind&#39; is &#39;human&#39;" in body, shown
    assert "Ada Quill" in fetch(page)  # the last good briefing
    entry.write_text(good.replace('name: "Ada Quill"', 'name: "Ada Quill-Fixed"'))
    body = wait_for(page, "Ada Quill-Fixed")
    assert "briefing-problems" not in body
    assert "briefing-problems" not in wait_for(f"{url}/sources/hotline-talks/", "Ministers agree")


def test_a_project_broken_from_the_start_is_previewed_with_its_problems(mini):
    """Even the first build: the pages are there (without the entries) and say what to fix."""
    entry = mini / "entries/actors/ada-quill.yml"
    good = entry.read_text()
    entry.write_text(good.replace("kind: person", "kind: human"))
    with serving(mini, "--dirty") as (url, log):
        body = wait_for(f"{url}/", 'class="briefing-problems"')
        assert "entries/actors/ada-quill.yml:4:7: error" in body
        entry.write_text(good)
        body = wait_for(f"{url}/actors/ada-quill/", "Ada Quill")
        assert "briefing-problems" not in body


def test_a_broken_template_is_told_by_its_line_and_fixing_it_recovers(mini):
    """A template of the project's own (overrides/briefing/) saved with a typo: `make serve` says
    which file and line, with no traceback, and goes on; saved right, the page shows it."""
    (with_theme_overrides(mini) / "briefing").mkdir()
    package = (Path(__file__).resolve().parents[1] / "scripts" / "briefing" / "templates" / "topic.md.j2").read_text()
    template = mini / "overrides" / "briefing" / "topic.md.j2"
    template.write_text("Our own topic page.\n\n" + package)
    with serving(mini, "--dirty") as (url, log):
        page = f"{url}/topics/diplomacy/"
        wait_for(page, "Our own topic page.")
        template.write_text("{{ t.name( }}\n" + package)
        log.wait_for("overrides/briefing/topic.md.j2:1: error: ")
        template.write_text("Our topic page, mended.\n\n" + package)
        wait_for(page, "Our topic page, mended.")
        assert not any("Traceback" in line for line in log), "".join(log)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP])
def test_a_stopped_serve_leaves_nothing_in_the_temporary_folder(mini, tmp_path, stop):
    """`kill` (SIGTERM: an editor's or a container's stop button) or a closed terminal (SIGHUP) ends
    `make serve` as Ctrl-C does, so the generated pages it keeps in the temporary folder (57 MB at
    1,000 sources) and MkDocs's served site go with it. Both stayed behind before, each time."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    with serving(mini, "--dirty", env={"TMPDIR": str(scratch)}) as (url, log):
        wait_for(f"{url}/sources/hotline-talks/", "Ministers agree")
        assert list(scratch.glob("briefing-generated-*")), list(scratch.iterdir())  # what it serves from
        log.proc.send_signal(stop)
        assert log.proc.wait(30) == 128 + stop
    assert list(scratch.iterdir()) == []


def test_the_strict_build_still_refuses_a_broken_entry(mini):
    entry = mini / "entries/actors/ada-quill.yml"
    entry.write_text(entry.read_text().replace("kind: person", "kind: human"))
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(mini / "out")], cwd=mini,
                            capture_output=True, text=True, env={**BARE_ENV, "BRIEFING_FINDER": "off"})
    assert result.returncode == 1 and "entries/actors/ada-quill.yml:4:7: error" in result.stderr
    assert not (mini / "out" / "actors").exists()


@pytest.fixture
def served_dirty(mini):
    """What `make serve` runs: dirty rebuilds, with the finder's index."""
    with serving(mini, "--dirty", finder=True) as (url, log):
        yield mini, url, log


# Every record of the served search index, as the browser reads it (the page is opened anew each
# time, so Pagefind loads the index as it is now): [{url, content}].
_RECORDS = """async () => {
  const pf = await import(new URL('pagefind/pagefind.js', location.href).href);
  await pf.options({noWorker: true});
  const all = await pf.search(null, {filters: {}});
  return Promise.all(all.results.map(r => r.data().then(d => ({url: d.url, content: d.content}))));
}"""


def search_records(page, url: str) -> list[dict]:
    page.goto(f"{url}/")
    return page.evaluate(_RECORDS)


def records_until(page, url: str, done, seconds: float = 60) -> list[dict]:
    """The index's records once ``done(records)`` holds: it is rewritten in the background."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            records = search_records(page, url)
        except Exception:  # the index is being swapped in, or not there yet
            records = None
        if records is not None and done(records):
            return records
        assert time.monotonic() < deadline, f"the search index did not change as expected: {records}"
        time.sleep(0.3)


def content(records: list[dict], path: str) -> str:
    return " ".join(r["content"] for r in records if r["url"].endswith(path))


def counts(records: list[dict]) -> Counter:
    return Counter(record["url"] for record in records)


# A quote's context (its text must stay verbatim in the archived document).
OLD, NEW = "Speaking after the meeting in Port Azure.", "Speaking after the summit in Port Coral."


@pytest.mark.browser
def test_dirty_rebuilds_keep_the_search_index_whole_and_current(served_dirty, page):
    """After dirty rebuilds (`make serve`) the search index holds every page once, as its entry
    says now: the edited quote holds its new words only, a new source is found, a deleted
    one is gone, and nothing is listed twice."""
    project, url, log = served_dirty
    wait_for(f"{url}/sources/hotline-talks/", "Ministers agree on a hotline")
    before = records_until(page, url, lambda records: len(records) > 0)
    assert sorted(counts(before)) == ["/actors/ada-quill/", "/actors/atlantis/", "/sources/hotline-talks/",
                                      "/topics/diplomacy/"]
    assert OLD in content(before, "/sources/hotline-talks/")
    entry = project / "entries/sources/hotline-talks.yml"
    assert OLD in entry.read_text()
    entry.write_text(entry.read_text().replace(OLD, NEW))
    wait_for(f"{url}/sources/hotline-talks/", "Port Coral")
    after = records_until(page, url, lambda records: NEW in content(records, "/sources/hotline-talks/"))
    # Every page is still in the index, once: the edited record replaced, not added.
    assert counts(after) == counts(before)
    assert OLD not in " ".join(r["content"] for r in after)

    # A new entry gets its record; deleting it takes the record away again.
    copy = project / "entries/sources/hotline-copy.yml"
    copy.write_text(entry.read_text().replace("id: hotline-talks", "id: hotline-copy")
                    .replace("Port Coral", "Port Second"))
    wait_for(f"{url}/sources/hotline-copy/", "Port Second")
    added = records_until(page, url, lambda records: "/sources/hotline-copy/" in counts(records))
    assert counts(added) == counts(after) + Counter(["/sources/hotline-copy/"])
    assert "Speaking after the summit in Port Second." in content(added, "/sources/hotline-copy/")
    copy.unlink()
    gone = records_until(page, url, lambda records: "/sources/hotline-copy/" not in counts(records))
    assert counts(gone) == counts(after)
    with pytest.raises(urllib.error.HTTPError):
        fetch(f"{url}/sources/hotline-copy/")


def test_dirty_rebuilds_update_the_finder_in_the_background(served_dirty):
    project, url, log = served_dirty
    wait_for(f"{url}/sources/hotline-talks/", "Ministers agree on a hotline")
    log.wait_for("finder:")
    first = fetch(f"{url}/pagefind/pagefind-entry.json")
    entry = project / "entries/sources/hotline-talks.yml"
    entry.write_text(entry.read_text().replace('title: "Ministers agree on a hotline"',
                                               'title: "Ministers agree on a red telephone"'))
    wait_for(f"{url}/sources/hotline-talks/", "red telephone")
    deadline = time.monotonic() + 60
    while fetch(f"{url}/pagefind/pagefind-entry.json") == first:  # the quote records name the source's title
        assert time.monotonic() < deadline, "the finder's index was not rewritten"
        time.sleep(0.3)
    # The index is swapped in before its "finder:" line is logged: wait for the line, then make
    # sure the edit rewrote the index once, not twice.
    log.wait_for("finder:", times=2)
    time.sleep(1)
    assert log.lines_with("finder:") == 2, "".join(log)


def test_dirty_rebuilds_every_page_when_mkdocs_yml_changes(served_dirty):
    project, url, log = served_dirty
    page = f"{url}/actors/atlantis/"
    body = wait_for(page, "Atlantis")
    config = project / "mkdocs.yml"
    old_name = re.search(r"^site_name: (.+)$", config.read_text(), re.M).group(1).strip().strip('"')
    assert old_name in body
    config.write_text(config.read_text().replace("site_name: ", "site_name: Renamed ", 1))
    wait_for(page, "Renamed")  # a page whose entry did not change shows the new site name too
    log.wait_for("every page is rebuilt")


def _rebuild(config_file, dirty: bool) -> tuple[threading.Event, threading.Thread]:
    """A rebuild in the background (a new config, the same plugin, as `mkdocs serve` makes them):
    an event set when it ends, and its thread."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(config_file), site_dir=str(config_file.parent / "served"))
    done = threading.Event()
    thread = threading.Thread(target=lambda: (build(config, dirty=dirty), done.set()), daemon=True)
    thread.start()
    return done, thread


@pytest.mark.parametrize("dirty", [True, False])
def test_a_dirty_rebuild_does_not_wait_for_the_last_search_index(mini, no_archive_env, monkeypatch, dirty):
    """`make serve` (dirty rebuilds): an edit shows without waiting for the search index the last
    build is still writing in the background (at N = 1,000 the wait was most of the time from
    saving to seeing the page); the next index is written after it. A clean rebuild empties the
    site folder, so it waits."""
    from mkdocs.config import load_config

    from briefing import build as building

    release, written = threading.Event(), []
    write_finder = building._write_finder

    def slow_finder(corpus, site_dir, records):
        if not written:  # the first build's: held until released
            written.append("held")
            assert release.wait(60)
        write_finder(corpus, site_dir, records)
        written.append(corpus.source_by_id["hotline-talks"].title)

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setattr(building, "_write_finder", slow_finder)
    config_file = mini / "mkdocs.yml"
    plugin = load_config(str(config_file)).plugins["briefing"]  # kept across rebuilds (it has on_startup)
    plugin.on_startup(command="serve", dirty=dirty)
    rebuilt = None
    try:
        first, _ = _rebuild(config_file, dirty=False)
        assert first.wait(60) and plugin.session.finder is not None and plugin.session.finder.is_alive()
        entry = mini / "entries" / "sources" / "hotline-talks.yml"
        entry.write_text(entry.read_text("utf-8").replace("Ministers agree on a hotline", "Ministers agree"), "utf-8")
        rebuilt, thread = _rebuild(config_file, dirty=dirty)
        assert rebuilt.wait(60 if dirty else 2) is dirty
        page = (mini / "served" / "sources" / "hotline-talks" / "index.html").read_text("utf-8")
        assert ("Ministers agree on a hotline" not in page) is dirty
    finally:
        release.set()
        if rebuilt is not None:
            thread.join(60)
        plugin.on_shutdown()
    # Both indexes were written, the last build's last.
    assert written == ["held", "Ministers agree on a hotline", "Ministers agree"]


def test_serve_compiles_the_theme_s_templates_once(mini, no_archive_env, monkeypatch):
    """MkDocs makes the theme's environment anew for every build; under `make serve` the plugin
    keeps what Jinja compiled (a tenth of a rebuild at N = 1,000), so a rebuild compiles no
    template of the theme's again, but one whose text changed (an edited override) it does."""
    import jinja2
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    compiled: list[str | None] = []
    compile_ = jinja2.Environment.compile

    def counted(self, source, name=None, filename=None, *args, **kwargs):
        compiled.append(name)
        return compile_(self, source, name, filename, *args, **kwargs)

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    (with_theme_overrides(mini) / "partials").mkdir()
    footer = mini / "overrides" / "partials" / "footer.html"
    footer.write_text("<footer>Our footer</footer>\n", "utf-8")
    config_file = mini / "mkdocs.yml"
    plugin = load_config(str(config_file)).plugins["briefing"]
    plugin.on_startup(command="serve", dirty=True)
    served = mini / "served"
    try:
        build(load_config(str(config_file), site_dir=str(served)), dirty=False)
        first = [name for name in compiled if name and name.endswith(".html")]
        assert "main.html" in first and "partials/footer.html" in first, first
        compiled.clear()
        entry = mini / "entries" / "sources" / "hotline-talks.yml"
        entry.write_text(entry.read_text("utf-8").replace("Ministers agree on a hotline", "Ministers agree"), "utf-8")
        build(load_config(str(config_file), site_dir=str(served)), dirty=True)
        assert [name for name in compiled if name and name.endswith(".html")] == []
        assert "Ministers agree" in (served / "sources" / "hotline-talks" / "index.html").read_text("utf-8")
        compiled.clear()
        footer.write_text("<footer>Our new footer</footer>\n", "utf-8")
        build(load_config(str(config_file), site_dir=str(served)), dirty=True)
        assert [name for name in compiled if name and name.endswith(".html")] == ["partials/footer.html"]
        assert "Our new footer" in (served / "sources" / "hotline-talks" / "index.html").read_text("utf-8")
    finally:
        plugin.on_shutdown()


def test_a_rebuild_serves_the_edited_page_before_it_writes_the_exports(mini, no_archive_env, monkeypatch, caplog):
    """`make serve`: the exports depend on every entry (half a second of a rebuild at N = 1,000),
    so after the first build they are written once the edited page is served, into the generated
    folder and the served one; the next build and the end of the server wait for them."""
    from mkdocs.config import load_config

    from briefing import plugin as door

    held, release = threading.Event(), threading.Event()
    plan = door.plan_exports

    def held_exports(corpus, site):
        def hold(make):
            def made():
                if held.is_set():
                    assert release.wait(60)
                return make()
            return made
        return [(path, hold(make)) for path, make in plan(corpus, site)]

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setattr(door, "plan_exports", held_exports)
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.briefing")
    config_file = mini / "mkdocs.yml"
    plugin = load_config(str(config_file)).plugins["briefing"]
    plugin.on_startup(command="serve", dirty=True)
    served = mini / "served"
    try:
        first, _ = _rebuild(config_file, dirty=False)
        assert first.wait(60)
        assert "Ministers agree on a hotline" in (served / "exports" / "briefing.json").read_text("utf-8")
        held.set()
        entry = mini / "entries" / "sources" / "hotline-talks.yml"
        entry.write_text(entry.read_text("utf-8").replace("Ministers agree on a hotline", "Ministers agree"), "utf-8")
        rebuilt, thread = _rebuild(config_file, dirty=True)
        assert rebuilt.wait(60), "the rebuild waited for the exports"
        page = (served / "sources" / "hotline-talks" / "index.html").read_text("utf-8")
        assert "Ministers agree on a hotline" not in page and "Ministers agree" in page
        assert "Ministers agree on a hotline" in (served / "exports" / "briefing.json").read_text("utf-8")
        release.set()
        assert plugin.session.wait_for_exports()
        told = [r.getMessage() for r in caplog.records if "export file(s)" in r.getMessage()]
        assert told and all(re.fullmatch(r"briefing: [1-8] export file\(s\) changed", m) for m in told), told
        now = (served / "exports" / "briefing.json").read_text("utf-8")
        assert "Ministers agree on a hotline" not in now and "Ministers agree" in now
        assert now == (plugin.session.folder / "exports" / "briefing.json").read_text("utf-8")
        thread.join(60)
    finally:
        release.set()
        plugin.on_shutdown()
