"""`mkdocs serve` (what `make serve` runs): an edited entry shows up; a broken one is reported
with its location and, once fixed, the site comes back without a restart."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from contextlib import contextmanager

import pytest

from conftest import free_port

pytestmark = pytest.mark.site


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


@contextmanager
def serving(project, *options: str, finder: bool = False):
    """`mkdocs serve` on a free port; yields its address and its log, lines as they come."""
    port = free_port()
    env = {"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", **({} if finder else {"BRIEFING_FINDER": "off"})}
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", *options],
                            cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log: list[str] = []
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
    deadline = time.monotonic() + 30
    while not any("entries/actors/ada-quill.yml:4:7: error" in line for line in log):
        assert time.monotonic() < deadline, "".join(log)
        time.sleep(0.2)
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


def test_the_strict_build_still_refuses_a_broken_entry(mini):
    entry = mini / "entries/actors/ada-quill.yml"
    entry.write_text(entry.read_text().replace("kind: person", "kind: human"))
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(mini / "out")], cwd=mini,
                            capture_output=True, text=True, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin",
                                                                 "BRIEFING_FINDER": "off"})
    assert result.returncode == 1 and "entries/actors/ada-quill.yml:4:7: error" in result.stderr
    assert not (mini / "out" / "actors").exists()


@pytest.fixture
def served_dirty(mini):
    """What `make serve` runs: dirty rebuilds, with the finder's index."""
    with serving(mini, "--dirty", finder=True) as (url, log):
        yield mini, url, log


def search_entries(url: str) -> list[dict]:
    return json.loads(fetch(f"{url}/search/search_index.json"))["docs"]


def counts(entries: list[dict]) -> Counter:
    return Counter(entry["location"] for entry in entries)


def test_dirty_rebuilds_keep_the_search_index_whole(served_dirty):
    project, url, log = served_dirty
    page = f"{url}/sources/hotline-talks/"
    wait_for(page, "Ministers agree on a hotline")
    before = search_entries(url)
    assert any(e["location"].startswith("actors/ada-quill/") for e in before)
    entry = project / "entries/sources/hotline-talks.yml"
    entry.write_text(entry.read_text().replace('title: "Ministers agree on a hotline"',
                                               'title: "Ministers agree on a red telephone"'))
    wait_for(page, "Ministers agree on a red telephone")
    after = search_entries(url)
    # Every page is still in the index, each section once: the rebuilt ones replaced, not added.
    assert counts(after) == counts(before)
    titles = " ".join(e["title"] + " " + e["text"] for e in after)
    assert "red telephone" in titles and "Ministers agree on a hotline" not in titles

    # A new entry gets its page and its index entries; deleting it takes both away again.
    copy = project / "entries/sources/hotline-copy.yml"
    copy.write_text(entry.read_text().replace("id: hotline-talks", "id: hotline-copy")
                    .replace("red telephone", "second line"))
    wait_for(f"{url}/sources/hotline-copy/", "second line")
    assert any(e["location"].startswith("sources/hotline-copy/") for e in search_entries(url))
    copy.unlink()
    deadline = time.monotonic() + 30
    while any(e["location"].startswith("sources/hotline-copy/") for e in search_entries(url)):
        assert time.monotonic() < deadline, "the deleted entry stayed in the search index"
        time.sleep(0.3)
    assert counts(search_entries(url)) == counts(after)
    with pytest.raises(urllib.error.HTTPError):
        fetch(f"{url}/sources/hotline-copy/")


def test_dirty_rebuilds_update_the_finder_in_the_background(served_dirty):
    project, url, log = served_dirty
    wait_for(f"{url}/sources/hotline-talks/", "Ministers agree on a hotline")
    deadline = time.monotonic() + 60
    while not any("finder:" in line for line in log):
        assert time.monotonic() < deadline, "".join(log)
        time.sleep(0.3)
    first = fetch(f"{url}/pagefind/pagefind-entry.json")
    entry = project / "entries/sources/hotline-talks.yml"
    entry.write_text(entry.read_text().replace('title: "Ministers agree on a hotline"',
                                               'title: "Ministers agree on a red telephone"'))
    wait_for(f"{url}/sources/hotline-talks/", "red telephone")
    deadline = time.monotonic() + 60
    while fetch(f"{url}/pagefind/pagefind-entry.json") == first:  # the quote records name the source's title
        assert time.monotonic() < deadline, "the finder's index was not rewritten"
        time.sleep(0.3)
    assert sum("finder:" in line for line in log) == 2


def test_dirty_rebuilds_every_page_when_mkdocs_yml_changes(served_dirty):
    project, url, log = served_dirty
    page = f"{url}/actors/atlantis/"
    body = wait_for(page, "Atlantis")
    config = project / "mkdocs.yml"
    old_name = re.search(r"^site_name: (.+)$", config.read_text(), re.M).group(1).strip().strip('"')
    assert old_name in body
    config.write_text(config.read_text().replace("site_name: ", "site_name: Renamed ", 1))
    wait_for(page, "Renamed")  # a page whose entry did not change shows the new site name too
    assert any("every page is rebuilt" in line for line in log)
