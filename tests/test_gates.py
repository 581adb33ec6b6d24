"""Quality gates on the real, built briefing: valid HTML, links that resolve, no serious a11y fault.

The site is built once per session from the repository's own entries, with the archive CI
uses (archive/, as mkdocs.yml says). The checkers come from npm at the exact
versions in package-lock.json (`make test` installs them into node_modules/).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, StaticServer, run
from sitecheck import broken_links, links_checked

VNU = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"
AXE = ROOT / "node_modules/axe-core/axe.min.js"

# Nu Html Checker errors that come from mkdocs-material's own templates, not from the briefing.
# Each: (pattern on the message, reason it is the theme's and harmless).
THEME_EXCEPTIONS: list[tuple[str, str]] = [
    (r"^Attribute “autocomplete” is only allowed when the input type is",
     "material/templates/base.html: the drawer and search toggles are checkboxes with autocomplete=off "
     "(keeps Firefox from restoring their state); browsers ignore the attribute there"),
    (r"^The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control",
     "material/templates/partials/toc.html: the table of contents' title is a label for the #__toc toggle, "
     "which nav-item.html only writes for a page in the navigation with headings; a dangling label does nothing"),
]


def _need(path: Path) -> None:
    if not path.is_file():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: run `make test` (it runs npm ci) "
                    "or `npm ci --ignore-scripts`")


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("real") / "site"
    result = run([sys.executable, "-m", "briefing.site", "--out", str(out), "--quiet"], ROOT)  # archive/
    assert result.returncode == 0, "the real briefing does not build:\n" + (result.stdout + result.stderr)[-4000:]
    return out


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_is_valid_html(real_site):
    _need(VNU)
    pages = _pages(real_site)
    result = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--errors-only", "--exit-zero-always",
                             *map(str, pages)], capture_output=True, text=True, timeout=300)
    report = json.loads(result.stderr or result.stdout)
    errors = [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]
    excused = [m for m in errors if any(re.search(p, m.get("message", "")) for p, _ in THEME_EXCEPTIONS)]
    left = [f"{Path(m['url'].removeprefix('file:')).relative_to(real_site)}:{m.get('lastLine', 0)}: {m['message']}"
            for m in errors if m not in excused]
    print(f"\nvnu: {len(pages)} pages, {len(errors)} errors, {len(excused)} excused as the theme's, {len(left)} left")
    assert left == []


def test_every_internal_link_and_anchor_resolves(real_site):
    broken = broken_links(real_site)
    print(f"\nlinks: {len(_pages(real_site))} pages, {links_checked(real_site)} links and references, "
          f"{len(broken)} broken")
    assert broken == []


def _page_kinds(site: Path) -> dict[str, str]:
    """One page of each kind the briefing has."""
    def first(folder: str) -> str:
        found = sorted(p for p in (site / folder).glob("*/index.html"))
        assert found, f"no page under {folder}/"
        return found[0].parent.relative_to(site).as_posix() + "/"

    kinds = {"home": "", "sources index": "sources/", "source": first("sources"), "actors index": "actors/",
             "actor": first("actors"), "topics index": "topics/", "topic": first("topics"), "quotes": "quotes/",
             "timeline": "timeline/", "not found": "404.html"}  # served at root here, so its root links hold
    for name, path in {"find": "find/", "actor map": "actor-map/", "about": "about/", "fields": "fields/"}.items():
        if (site / path / "index.html").is_file():
            kinds[name] = path
    return kinds


@pytest.fixture(scope="module")
def real_server(real_site):
    server = StaticServer(real_site)
    yield server.url
    server.stop()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation(page, real_site, real_server, scheme):
    """Both palettes: the site follows the reader's prefers-color-scheme."""
    _need(AXE)
    found, checked = {}, 0
    page.emulate_media(color_scheme=scheme)
    for kind, path in _page_kinds(real_site).items():
        page.goto(f"{real_server}/{path}")
        page.wait_for_load_state("load")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
        checked += 1
        for v in result:
            if v["impact"] in ("serious", "critical"):
                found[f"{kind} ({path or '/'}): {v['id']}"] = [n["target"] for n in v["nodes"]][:5]
                print(f"{scheme} {kind}: {v['id']} ({v['impact']}): {v['help']}: "
                      f"{[n['target'] for n in v['nodes']][:3]} {v['nodes'][0].get('failureSummary', '')[:300]!r}")
    print(f"\naxe ({scheme}): {checked} kinds of page, {len(found)} serious or critical violations")
    assert found == {}
