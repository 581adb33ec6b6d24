"""A reader in real Chromium: open a source page, see a quote and who said it."""

from __future__ import annotations

import shutil
import sys

import pytest

from conftest import MINI, ROOT, StaticServer, run

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory):
    project = tmp_path_factory.mktemp("browser") / "mini"
    shutil.copytree(MINI, project)
    out = project / "site"
    result = run([sys.executable, "-m", "briefing.site", "--out", str(out), "--no-pagefind", "--quiet"], project)
    assert result.returncode == 0, result.stderr
    server = StaticServer(out)
    yield server.url
    server.stop()


def test_source_page_shows_quote_with_speaker(page, mini_site, local_only):
    page.goto(f"{mini_site}/sources/hotline-talks/")
    quote = page.locator("#q-hotline-agreed + blockquote")
    assert quote.inner_text().strip() == "We have agreed on a hotline between our capitals,"
    # The quote's card names the speaker above the words, and links to them.
    speaker = page.locator("#q-hotline-agreed a:not(.headerlink)")
    assert speaker.inner_text() == "Ada Quill"
    assert page.locator("#q-hotline-agreed ~ p.briefing-attribution").first.inner_text().startswith("Direct speech")
    speaker.click()
    page.wait_for_url("**/actors/ada-quill/")
    assert page.locator("h1").inner_text().startswith("Ada Quill")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "mini-actor.png"), full_page=True)
