"""The seams between the project and the world: a fresh clone, a fork that publishes, the site's
address, `make` and its README, `make serve` on a busy port, the way off MkDocs 1.6."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from html import unescape
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from playwright.sync_api import expect

from briefing import facts
from briefing.project import archive_address, edit_uri_for, load_project, read_settings, web_address

from conftest import MINI, ROOT, StaticServer, briefing, free_port, run

BIN = Path(sys.executable).parent


# --- make help and the README's table of commands ---------------------------------------------------


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text("utf-8")
    [phony] = re.findall(r"^\.PHONY:(.*)$", text, re.M)
    return set(phony.split())


def test_make_help_lists_every_target():
    shown = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    listed = re.findall(r"^make (\S+) +\S", shown, re.M)
    assert sorted(listed) == sorted(makefile_targets())


def test_the_readme_table_of_commands_is_the_makefile():
    readme = (ROOT / "README.md").read_text("utf-8")
    table = readme[readme.index("| command | what it does |"):]
    rows = re.findall(r"^\| `make ([a-z-]+)` \|", table.split("\n\n", 1)[0], re.M)
    assert sorted(rows) == sorted(makefile_targets())


# --- the archive is part of the project ----------------------------------------------------------------


def test_the_real_archive_is_in_the_repository_and_named_by_mkdocs_yml(no_archive_env):
    settings = read_settings(ROOT / "mkdocs.yml")
    assert settings.archive.path == (ROOT / "archive").resolve() and settings.archive.available
    assert settings.archive.required  # configured, so never skipped
    assert not any(p.rule == "archive-missing" for p in load_project(settings).problems)
    gitattributes = (ROOT / ".gitattributes").read_text("utf-8")
    assert re.search(r"^archive/\*\* -text$", gitattributes, re.M)  # git never rewrites a byte of it


def test_a_configured_archive_that_is_missing_is_an_error_naming_mkdocs_yml(mini):
    config = mini / "mkdocs.yml"
    config.write_text(re.sub(r"archive: \S+", "archive: nowhere", config.read_text("utf-8")), "utf-8")
    result = briefing("validate", cwd=mini)
    assert result.returncode == 1
    [line] = [line for line in result.stdout.splitlines() if "archive-missing" in line]
    assert line.startswith("mkdocs.yml:0:0: error: the source archive ") and "nowhere does not exist" in line
    assert "Traceback" not in result.stderr


# --- where "edit this page" goes ----------------------------------------------------------------------


@pytest.mark.parametrize("remote, address", [
    ("git@github.com:owner/fork.git", "https://github.com/owner/fork"),
    ("ssh://git@github.com/owner/fork.git", "https://github.com/owner/fork"),
    ("https://github.com/owner/fork.git", "https://github.com/owner/fork"),
    ("https://x-access-token:ghp_secret@github.com/owner/fork", "https://github.com/owner/fork"),
    ("https://git.example.org:8443/team/briefing/", "https://git.example.org:8443/team/briefing"),
    ("/home/me/briefing", None),
    ("file:///home/me/briefing", None),
    ("https://github.com/owner", None),
    ("http://[::1", None),
    ("https://github.com:port/o/r", None),
])
def test_a_remote_becomes_a_web_address_without_credentials(remote, address):
    assert web_address(remote) == address


def test_the_edit_address_comes_from_the_environment_then_actions_then_origin():
    origin = "git@github.com:me/clone.git"
    assert edit_uri_for({}, origin, None) == "https://github.com/me/clone/edit/main/"
    assert edit_uri_for({}, origin, "trunk") == "https://github.com/me/clone/edit/trunk/"
    actions = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "owner/fork"}
    assert edit_uri_for(actions, origin, None) == "https://github.com/owner/fork/edit/main/"
    explicit = {**actions, "BRIEFING_REPOSITORY_URL": "https://git.example.org/a/b", "BRIEFING_EDIT_BRANCH": "dev"}
    assert edit_uri_for(explicit, origin, None) == "https://git.example.org/a/b/edit/dev/"
    assert edit_uri_for({}, "/home/me/briefing", None) is None


def test_the_archive_s_address_is_the_edit_address_s_repository_and_branch(tmp_path):
    """A source page links its archived copy in the repository, on the web: the repository and
    branch "edit this page" uses, and the archive folder's path in the project."""
    archive = tmp_path / "archive"
    github = "https://github.com/me/clone/edit/main/"
    assert archive_address(github, tmp_path, archive) == "https://github.com/me/clone/blob/main/archive/"
    assert archive_address("https://github.com/me/clone/edit/feature/x/", tmp_path, tmp_path / "data" / "my archive") \
        == "https://github.com/me/clone/blob/feature/x/data/my%20archive/"
    assert archive_address(github, tmp_path, tmp_path.parent / "elsewhere") is None  # BRIEFING_ARCHIVE outside
    assert archive_address(github, tmp_path, None) is None
    for unknown in (None, "edit/main/docs/", "https://github.com/me/clone/"):  # no repository known, or not this form
        assert archive_address(unknown, tmp_path, archive) is None


def _archive_link(site: Path) -> str | None:
    found = re.search(r'<a class="briefing-url" href="([^"]+)">read it in the repository</a>',
                      (site / "sources/hotline-talks/index.html").read_text("utf-8"))
    return found[1] if found else None


def _mini_without_edit_uri(mini: Path) -> Path:
    config = mini / "mkdocs.yml"
    config.write_text(re.sub(r"^edit_uri:.*\n", "", config.read_text("utf-8"), flags=re.M), "utf-8")
    return mini


def _edit_links(site: Path) -> dict[str, str]:
    links = {}
    for page in ("sources/hotline-talks/index.html", "index.html"):
        found = re.search(r'<a href="([^"]+)" title="Edit this page"', (site / page).read_text("utf-8"))
        links[page] = found[1] if found else None
    return links


@pytest.mark.site
def test_a_fork_built_in_actions_edits_its_own_entries(mini):
    mini = _mini_without_edit_uri(mini)
    result = run([sys.executable, "-m", "briefing.site", "--out", "site", "--quiet", "--no-pagefind"], mini,
                 env={"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "someone/their-fork"})
    assert result.returncode == 0, result.stderr
    assert _edit_links(mini / "site") == {
        "sources/hotline-talks/index.html": "https://github.com/someone/their-fork/edit/main/entries/sources/hotline-talks.yml",
        "index.html": "https://github.com/someone/their-fork/edit/main/docs/index.md"}
    assert _archive_link(mini / "site") == "https://github.com/someone/their-fork/blob/main/archive/doc1.txt"


@pytest.mark.site
def test_a_clone_edits_its_origin_and_a_local_copy_has_no_edit_button(mini):
    mini = _mini_without_edit_uri(mini)
    for command in (["init", "-q"], ["remote", "add", "origin", "git@github.com:me/briefing.git"]):
        subprocess.run(["git", *command], cwd=mini, check=True)
    env = {"GITHUB_REPOSITORY": "", "GITHUB_SERVER_URL": ""}
    result = run([sys.executable, "-m", "briefing.site", "--out", "site", "--quiet", "--no-pagefind"], mini, env=env)
    assert result.returncode == 0, result.stderr
    assert _edit_links(mini / "site")["sources/hotline-talks/index.html"] == \
        "https://github.com/me/briefing/edit/main/entries/sources/hotline-talks.yml"
    subprocess.run(["git", "remote", "set-url", "origin", str(mini)], cwd=mini, check=True)
    result = run([sys.executable, "-m", "briefing.site", "--out", "site", "--quiet", "--no-pagefind"], mini, env=env)
    assert result.returncode == 0, result.stderr
    assert _edit_links(mini / "site") == {"sources/hotline-talks/index.html": None, "index.html": None}
    assert _archive_link(mini / "site") is None  # no repository on the web to read the copy in


# --- facts a hand-written page cites ------------------------------------------------------------------


def test_facts_come_from_the_entries(no_archive_env):
    corpus = load_project(read_settings(MINI / "mkdocs.yml")).corpus
    text = "{{ briefing.sources }} sources, {{briefing.quotes}} quotes, {{ briefing.years }}."
    filled = facts.fill(text, corpus, "docs/index.md")
    assert filled == f"{len(corpus.sources)} sources, {len(corpus.quotes())} quotes, {facts._years(corpus)}."
    assert "{{" not in filled


def test_an_unknown_fact_names_the_page_and_line(no_archive_env):
    corpus = load_project(read_settings(MINI / "mkdocs.yml")).corpus
    with pytest.raises(facts.UnknownFact, match=r"^docs/index.md:3: '\{\{ briefing.source \}\}' is not a fact"):
        facts.fill("# T\n\n{{ briefing.source }} sources\n", corpus, "docs/index.md")


def test_the_year_span_says_about_where_a_date_is_approximate_or_inferred(no_archive_env):
    corpus = load_project(read_settings(ROOT / "mkdocs.yml")).corpus
    first = min((s.published for s in corpus.sources), key=lambda w: w.range[0])
    shown = facts._years(corpus)
    assert shown.startswith(("about " if first.precision == "approximate" or first.inferred else "") + str(first.year))


# --- the built site knows its address ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def served_site(tmp_path_factory):
    """The real briefing built for the address it is then served at, under a sub-path as a
    project site is (Material matches the sitemap's pages by path and port)."""
    port = free_port()
    root = tmp_path_factory.mktemp("addressed")
    site_url = f"http://127.0.0.1:{port}/their-fork/"
    result = run([sys.executable, "-m", "briefing.site", "--out", str(root / "their-fork"), "--quiet"], ROOT,
                 env={"BRIEFING_SITE_URL": site_url})
    assert result.returncode == 0, result.stderr[-3000:]
    server = StaticServer(root, port)
    yield root / "their-fork", site_url
    server.stop()


@pytest.fixture(scope="module")
def addressed_site(served_site) -> Path:
    return served_site[0]


@pytest.mark.site
def test_the_sitemap_lists_every_page_and_each_page_has_its_canonical_address(served_site):
    site, SITE_URL = served_site
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    listed = {loc.text for loc in ET.parse(site / "sitemap.xml").getroot().iterfind("s:url/s:loc", namespace)}
    pages = {p.relative_to(site).parent.as_posix() for p in site.rglob("index.html")}
    assert listed == {SITE_URL + ("" if page == "." else page + "/") for page in pages}
    for page in pages:
        html = (site / page / "index.html").read_text("utf-8")
        canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html)[1]
        assert canonical == SITE_URL + ("" if page == "." else page + "/")


@pytest.mark.site
def test_the_overview_gives_the_counts_the_entries_give(addressed_site, no_archive_env):
    corpus = load_project(read_settings(ROOT / "mkdocs.yml")).corpus
    text = re.sub(r"<[^>]+>", "", (addressed_site / "index.html").read_text("utf-8"))
    assert f"through {len(corpus.sources)} archived web pages" in text
    assert f"published from {facts._years(corpus)}:" in text
    assert "{{" not in text and "five archived" not in text


@pytest.mark.site
def test_the_site_is_readable_by_others(addressed_site):
    """The site's folders and files have the modes the umask gives ordinary ones (0755 and 0644
    under the usual 022), so a web server that is not the building user reads them."""
    umask = os.umask(0)
    os.umask(umask)
    for path in [addressed_site, *addressed_site.rglob("*")]:
        mode = path.stat().st_mode & 0o777
        assert mode == (0o777 if path.is_dir() else 0o666) & ~umask, (path, oct(mode))


# --- the way off MkDocs 1.6 ---------------------------------------------------------------------------------


@pytest.mark.site
def test_properdocs_builds_the_same_site(tmp_path):
    """ProperDocs, the maintained fork of MkDocs 1.6, runs the plugin and the theme unchanged and
    makes the same files, byte for byte but for the generator's name."""
    built = {}
    env = {"BRIEFING_FINDER": "off"}
    for engine in ("mkdocs", "properdocs"):
        out = tmp_path / engine
        result = run([str(BIN / engine), "build", "--strict", "--quiet", "-f", str(ROOT / "mkdocs.yml"),
                      "-d", str(out)],
                     ROOT, env=env)
        assert result.returncode == 0, (engine, result.stderr[-3000:])
        built[engine] = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    generator = re.compile(rb'\s*<meta name="generator" content="[^"]*">')
    assert sorted(built["mkdocs"]) == sorted(built["properdocs"])
    assert len(built["mkdocs"]) > 50
    different = [path for path, data in built["mkdocs"].items()
                 if generator.sub(b"", data) != generator.sub(b"", built["properdocs"][path])]
    assert different == []
    assert b"ProperDocs" in built["properdocs"]["index.html"]  # it really was the other engine


# --- make serve --------------------------------------------------------------------------------------------


def test_serving_on_a_taken_port_is_one_line_naming_a_free_one(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = briefing("serve", "--port", str(port), cwd=ROOT)
    assert result.returncode == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: port {port} on 127.0.0.1 is already in use")
    suggested = int(re.search(r"make serve PORT=(\d+)$", line)[1])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", suggested))  # the port it names is free


@pytest.mark.site
def test_make_serve_serves_on_the_port_asked_for(tmp_path):
    """`make serve PORT=...` (what the README says), through make, as a newcomer runs it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    scratch = tmp_path / "tmp"  # the serve's temporary folder: nothing of it may stay once it is stopped
    scratch.mkdir()
    proc = subprocess.Popen(["make", "-s", "serve", f"PORT={port}", f"PYTHON={sys.executable}"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
                            env={**os.environ, "TMPDIR": str(scratch)})
    stopped = False
    try:
        said = []
        for line in proc.stdout:  # (setup's lines first, when .venv is not up to date)
            said.append(line)
            if "Serving on" in line:
                break
        assert f"serving the briefing on http://127.0.0.1:{port}/ (Ctrl-C stops" in "".join(said), said
        import urllib.request
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sources/", timeout=30) as response:
            assert response.status == 200 and b"Sources" in response.read()
    finally:
        # As a `kill` of the group does (an editor's stop button): make passes a SIGTERM of its own on
        # to the server a moment later, which once hung it half way through its shutdown.
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
            deadline = time.monotonic() + 20
            while subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True).returncode == 0:
                assert time.monotonic() < deadline, "the server outlived make by 20 s"
                time.sleep(0.2)
            stopped = True
        except subprocess.TimeoutExpired:
            pass
        finally:
            if not stopped:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
    assert stopped and list(scratch.iterdir()) == [], list(scratch.iterdir())


# --- instant navigation, every page kind, in real Chromium ----------------------------------------------------


@pytest.mark.browser
def test_every_menu_item_opens_under_instant_navigation(page, served_site):
    """With site_url set Material turns instant navigation on: clicking a menu item fetches the page
    and swaps it in. Every page kind must open that way, with no JavaScript error (the pictures'
    SVG links once threw in Material's link rewriting and the page never changed)."""
    site, base = served_site
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(base)
    # The menu's items, and those of its sections ("For editors"), opened by their label first.
    items = page.locator("nav.md-nav--primary > ul > li > a.md-nav__link, "
                         "nav.md-nav--primary > ul > li > nav:not(.md-nav--secondary) > ul > li > a.md-nav__link")
    targets = [items.nth(i).evaluate("a => a.href") for i in range(items.count())]
    assert len(targets) >= 10, targets
    # Two rounds, so that every page is entered from a picture page as well as left for one.
    for target in targets[1:] + targets[::-1]:
        path = target.removeprefix(base)
        html = (site / path / "index.html").read_text("utf-8")
        heading = unescape(re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)[1])).strip()
        page.evaluate("() => { window.__instant = true }")  # gone after a full page load
        item = items.nth(targets.index(target))
        if not item.is_visible():  # in a closed section
            toggle = item.evaluate("a => a.closest('li.md-nav__item--nested').querySelector(':scope > input').id")
            page.locator(f"li.md-nav__item--nested > label[for='{toggle}']").click()
        item.click()
        page.wait_for_url(target, timeout=10_000)
        page.wait_for_function("h => (document.querySelector('article h1') || {}).textContent?.trim().startsWith(h)",
                               arg=heading[:40], timeout=10_000)
        assert page.evaluate("() => window.__instant === true"), f"{path}: a full reload, not instant navigation"
    assert errors == []


@pytest.mark.browser
def test_a_missing_address_says_where_to_look(page, served_site):
    """A host serves 404.html at any address it has no file for (GitHub Pages does, for a project
    site too): an old link to a renamed source lands on it deep under the site. It must look like
    the briefing, say why the page is missing, link to the briefing's pages (not relative to the
    missing address) and let the reader search from it."""
    site, base = served_site
    missing = f"{base}sources/a-renamed-source/"
    page.route(missing, lambda route: route.fulfill(status=404, content_type="text/html; charset=utf-8",
                                                    body=(site / "404.html").read_bytes()))
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 and r.url != missing
            else None)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto(missing)
    expect(page).to_have_title(re.compile(r"^Page not found - "))
    expect(page.locator("article h1")).to_have_text("Page not found")
    expect(page.locator("article")).to_contain_text("renamed or removed")
    assert page.evaluate("""() => [...document.styleSheets].some(
        s => s.href && s.href.endsWith('/their-fork/assets/briefing.css') && s.cssRules.length > 0)""")
    links = page.locator("article a").evaluate_all("as => as.map(a => a.href)")  # as the browser resolves them
    assert len(links) == 6, links
    for href in links:
        assert href.startswith(base) and (site / href.removeprefix(base) / "index.html").is_file(), href
    page.keyboard.press("/")
    page.locator("#briefing-search-input").press_sequentially("security council staffs", delay=15)
    first = page.locator("#briefing-search-results > li").first
    expect(first).to_have_attribute("data-type", "quote")
    first.locator("a").click()
    page.wait_for_url(re.compile(re.escape(f"{base}sources/") + r"[^/]+/\?h=.*#"))
    expect(page.locator("article mark").first).to_be_visible()
    assert failed == [] and errors == []
    # The search's scripts were asked for at the site's own address (no "//" a strict host refuses).
    assert f"{base}pagefind/search.js" in asked, [u for u in asked if "pagefind" in u]
    assert not [u for u in asked if "//" in u.partition("://")[2]], asked


# --- make test finds or gets its browser ----------------------------------------------------------------------


def test_without_root_a_missing_browser_is_one_line_saying_how(tmp_path):
    """As root `make test` installs Debian's chromium itself; anyone else is told how, in one line."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "id").write_text("#!/bin/sh\necho 1000\n")
    (fake / "id").chmod(0o755)
    result = run(["sh", str(ROOT / "scripts" / "ensure-test-tools.sh")], ROOT,
                 env={"BRIEFING_TEST_CHROMIUM": str(tmp_path / "no-chromium"), "PATH": f"{fake}:{os.environ['PATH']}"})
    assert result.returncode == 1 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("error: the tests need Debian's chromium") and "sudo apt-get install -y chromium" in line
