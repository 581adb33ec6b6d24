"""Shared fixtures: a copy of the mini test project, and helpers to validate a YAML text."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI = FIXTURES / "mini"
CHROMIUM = "/usr/bin/chromium"

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

pytest_plugins = ["samples"]  # shared sample entries and the `corpus` fixture (mini, hostile, the briefing)


def with_theme_overrides(project: Path, copy_from: Path | None = None) -> Path:
    """Give ``project``'s mkdocs.yml the theme's custom_dir ``overrides/`` (a copy of ``copy_from``'s,
    else empty) and return that folder: where a project's own templates go (``briefing/``)."""
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  name: material\n",
                                                        "  name: material\n  custom_dir: overrides\n", 1), "utf-8")
    overrides = project / "overrides"
    if copy_from is not None:
        shutil.copytree(copy_from, overrides)
    else:
        overrides.mkdir(exist_ok=True)
    return overrides


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A fresh copy of the mini briefing project (its own archive, entries and docs)."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture
def no_archive_env(monkeypatch):
    """Tests of small projects use the archive their mkdocs.yml names, not CI's."""
    monkeypatch.delenv("BRIEFING_ARCHIVE", raising=False)


def run(cmd: list[str], cwd: Path, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("BRIEFING_ARCHIVE", None)
    env.update(kw.pop("env", {}))
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, **kw)


def briefing(*args: str, cwd: Path, **kw) -> subprocess.CompletedProcess:
    return run([sys.executable, "-m", "briefing.cli", *args], cwd, **kw)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StaticServer:
    """``python -m http.server`` on 127.0.0.1 and a free port, serving ``root``."""

    def __init__(self, root: Path, port: int | None = None):
        self.port = port or free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(self.port), "--bind", "127.0.0.1", "--directory", str(root)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("http.server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(5)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make browser` (apt-get install -y chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--no-sandbox",
                 "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"],
    }


@pytest.fixture
def local_only(page):
    """Fail the test if the page asks any host but the local server."""
    foreign: list[str] = []
    page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:", "blob:"))
            else None)
    yield foreign
    assert foreign == []
