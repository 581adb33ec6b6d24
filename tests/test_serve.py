"""`mkdocs serve` (what `make serve` runs): an edited entry shows up; a broken one is reported
with its location and, once fixed, the site comes back without a restart."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import urllib.request

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


@pytest.fixture
def served(mini, monkeypatch):
    port = free_port()
    env = {"NO_MKDOCS_2_WARNING": "1", "BRIEFING_FINDER": "off", "PATH": "/usr/bin:/bin"}
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=mini, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(proc.stdout), daemon=True).start()
    try:
        yield mini, f"http://127.0.0.1:{port}", log
    finally:
        proc.terminate()
        proc.wait(10)


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
    # MkDocs holds page requests while the build is broken; the files on disk are the last good ones.
    entry.write_text(good.replace('name: "Ada Quill"', 'name: "Ada Quill-Fixed"'))
    wait_for(page, "Ada Quill-Fixed")
