"""Build real temporary projects with MkDocs, strictly, and check what a reader gets."""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

import pytest

from conftest import run
from sitecheck import broken_links

pytestmark = pytest.mark.site


def mkdocs_build(project: Path, out: Path):
    return run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)], project)


@pytest.fixture
def built(mini, tmp_path, no_archive_env):
    out = tmp_path / "site"
    result = mkdocs_build(mini, out)
    assert result.returncode == 0, result.stderr
    return out


def test_strict_build_has_every_page(built):
    for page in ["index.html", "sources/index.html", "sources/hotline-talks/index.html",
                 "actors/index.html", "actors/ada-quill/index.html", "actors/atlantis/index.html",
                 "topics/index.html", "topics/diplomacy/index.html", "quotes/index.html", "timeline/index.html"]:
        assert (built / page).is_file(), page


def test_every_internal_link_and_anchor_resolves(built):
    assert broken_links(built) == []


def test_source_page_shows_quotes_with_anchor_and_speaker(built):
    html = (built / "sources/hotline-talks/index.html").read_text()
    assert 'id="q-hotline-agreed"' in html
    assert "<p>We have agreed on a hotline between our capitals,</p>" in html
    # Each quote is a card: the speaker heads it (linked), the kind closes it.
    card = html[html.index('id="q-hotline-agreed"'):html.index('id="q-step-by-step"')]
    assert '<a href="../../actors/ada-quill/">Ada Quill</a>' in card.split("<blockquote>")[0]
    assert ">Direct speech<" in card.split("</blockquote>")[1]
    assert "<em>unidentified speaker</em>" in html


def test_actor_page_lists_their_quotes_and_sources(built):
    html = (built / "actors/ada-quill/index.html").read_text()
    assert "step-by-step" in html and "We have agreed on a hotline" in html
    assert 'href="../../sources/hotline-talks/#q-step-by-step"' in html
    assert "Ada O&#39;Quill" in html or "Ada O'Quill" in html


def test_edit_links_open_the_yaml_entry(built):
    edit = "https://github.com/example-org/mini/edit/main/"
    assert f'href="{edit}entries/sources/hotline-talks.yml"' in (built / "sources/hotline-talks/index.html").read_text()
    assert f'href="{edit}entries/actors/ada-quill.yml"' in (built / "actors/ada-quill/index.html").read_text()
    assert f'href="{edit}docs/index.md"' in (built / "index.html").read_text()


def test_no_third_party_requests_in_pages(built):
    for page in built.rglob("*.html"):
        html = page.read_text()
        loaded = re.findall(r'\ssrc="(https?:)?//', html) + re.findall(r'<link[^>]+href="(https?:)?//', html)
        assert loaded == [], page  # scripts, images, styles and fonts all come from the site itself
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_nothing_is_written_into_docs(mini, tmp_path, no_archive_env):
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (mini / "docs").rglob("*")}
    assert mkdocs_build(mini, tmp_path / "site").returncode == 0
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (mini / "docs").rglob("*")}
    assert before == after


def test_bad_entry_fails_build_and_keeps_previous_site(mini, tmp_path, no_archive_env):
    out = tmp_path / "site"
    ok = run([sys.executable, "-m", "briefing.site", "--out", str(out), "--no-pagefind", "--quiet"], mini)
    assert ok.returncode == 0, ok.stderr
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    entry = mini / "entries/actors/ada-quill.yml"
    entry.write_text(entry.read_text().replace("kind: person", "kind: human"))
    bad = run([sys.executable, "-m", "briefing.site", "--out", str(out), "--no-pagefind", "--quiet"], mini)
    assert bad.returncode != 0
    assert "entries/actors/ada-quill.yml:4:7: error: 'kind' is 'human'" in bad.stderr
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert not list(tmp_path.glob(".site.*")), "staging folder left behind"


def test_hand_written_page_is_never_replaced(mini, tmp_path, no_archive_env):
    (mini / "docs/timeline").mkdir()
    (mini / "docs/timeline/index.md").write_text("# My own timeline\n")
    result = mkdocs_build(mini, tmp_path / "site")
    assert result.returncode != 0
    assert "docs/timeline/index.md is hand-written" in result.stderr
    assert (mini / "docs/timeline/index.md").read_text() == "# My own timeline\n"
