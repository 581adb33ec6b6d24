"""Reading the real briefing in real Chromium, on a desk (1280 px) and on a phone (390 px), in light and dark.

Every kind of page opens without a page error and never scrolls sideways; a full-page screenshot of
each is saved to test-artifacts/reading/ for a person to look at. The source page's reading design
(each quote once, as a card, with a link; the evidence a click away; a citation that wraps) is
checked where a reader would see it.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from conftest import MINI, ROOT, StaticServer, run

ARTIFACTS = ROOT / "test-artifacts" / "reading"
BAQERI = "sources/baqeri-lukyanov-security-agreement-2011/"
WIDTHS = {"desk": 1280, "phone": 390}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reading") / "site"
    result = run([sys.executable, "-m", "briefing.site", "--out", str(out), "--quiet"], ROOT)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return out


@pytest.fixture(scope="module")
def site(built):
    server = StaticServer(built)
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def paged(tmp_path_factory) -> str:
    """The real briefing with two items to a list page, so that an actor's and a topic's long
    lists are split over listing pages, as a larger briefing's are; served."""
    copy = tmp_path_factory.mktemp("paged") / "project"
    copy.mkdir()
    for folder in ("docs", "entries", "archive", "overrides"):
        shutil.copytree(ROOT / folder, copy / folder)
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    assert "page_size: 100" in config
    (copy / "mkdocs.yml").write_text(config.replace("page_size: 100", "page_size: 2"), "utf-8")
    result = run([sys.executable, "-m", "briefing.site", "--out", "site", "--quiet"], copy)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    server = StaticServer(copy / "site")
    listings = sorted((copy / "site").glob("*/*/sources/index.html"))
    assert listings, "two items to a page made no listing page"
    yield f"{server.url}/{listings[0].parent.relative_to(copy / 'site').as_posix()}/"
    server.stop()


def page_kinds(site: Path) -> dict[str, str]:
    """One page of each kind the real briefing has (listing pages: see ``paged``)."""
    kinds = {"overview": "", "sources index": "sources/", "source": BAQERI, "actors index": "actors/",
             "actor": "actors/ali-bagheri-kani/", "topics index": "topics/", "topic": "topics/nuclear-programme/",
             "quotes": "quotes/", "timeline": "timeline/", "actor map": "actor-map/", "find": "find/",
             "about": "about/", "fields": "fields/",
             "not found": "404.html"}  # what a host serves at a missing address (at the root here, as built)
    return kinds


KINDS = ["overview", "sources index", "source", "actors index", "actor", "topics index", "topic", "quotes",
         "timeline", "actor map", "find", "about", "fields", "not found", "listing"]


def open_page(page: Page, url: str, width: int, scheme: str) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    page.goto(url)
    page.wait_for_load_state("load")
    return errors


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("kind", KINDS)
def test_every_page_kind_reads_without_sideways_scrolling(page, built, site, request, local_only, kind, width,
                                                          scheme):
    url = request.getfixturevalue("paged") if kind == "listing" else f"{site}/{page_kinds(built)[kind]}"
    errors = open_page(page, url, WIDTHS[width], scheme)
    page.wait_for_timeout(300)  # Material's scripts, the finder's first render
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{kind.replace(' ', '-')}-{width}-{scheme}.png"), full_page=True)
    assert errors == []
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll > inner:  # name what sticks out, for the report
        wide = page.evaluate("""() => [...document.querySelectorAll('.md-content *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
        pytest.fail(f"the page scrolls sideways: {scroll} px wide in a {inner} px window; {wide}")
    # No word in a table is broken across two lines (an address may be): the cells wrap between
    # words, at hyphens and slashes. Breaking anywhere let "organization" come out as "organizatio / n".
    broken = page.evaluate("""() => {
        const broken = [];
        for (const cell of document.querySelectorAll('article td, article th')) {
            const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const node = walker.currentNode, word = /[^\\s\\-\u2010-\u2014\\/]+/g;
                let found;
                while ((found = word.exec(node.data))) {
                    if (found[0].length > 24) continue;  // an address or a long name: it may break
                    const range = document.createRange();
                    range.setStart(node, found.index);
                    range.setEnd(node, found.index + found[0].length);
                    const lines = new Set([...range.getClientRects()].filter(r => r.width > 0)
                                                .map(r => Math.round(r.bottom)));
                    if (lines.size > 1) broken.push(found[0]);
                }
            }
        }
        return broken; }""")
    assert broken == [], f"words broken across lines in a table: {broken[:10]}"
    # The body text is set for reading: a line of running text holds at most about 80 characters
    # (of the alphabet and spaces, in the paragraph's own font).
    measure = page.evaluate("""() => { const p = document.querySelector('article.md-content__inner > p');
        if (!p) return 0;
        const ch = document.createElement('span'); ch.textContent = 'abcdefghijklmnopqrstuvwxyz '.repeat(4);
        ch.style.visibility = 'hidden'; ch.style.position = 'absolute'; ch.style.whiteSpace = 'pre'; p.append(ch);
        const per = ch.getBoundingClientRect().width / ch.textContent.length; ch.remove();
        return p.getBoundingClientRect().width / per; }""")
    assert measure <= 80, f"lines of about {measure:.0f} characters"


@pytest.mark.browser
@pytest.mark.parametrize("width", list(WIDTHS))
def test_source_page_shows_each_quote_once_as_a_card_with_a_link(page, built, site, local_only, width):
    from briefing.project import load_project, read_settings

    loaded = load_project(read_settings(ROOT / "mkdocs.yml"))
    [source] = [s for s in loaded.corpus.sources if s.id == BAQERI.split("/")[1]]
    open_page(page, f"{site}/{BAQERI}", WIDTHS[width], "light")
    article = page.locator("article.md-content__inner")
    text = " ".join(article.inner_text().split())
    # Summary and key points come before the quotes; the record's evidence is folded away.
    assert text.index("Summary") < text.index("Key points") < text.index("Quotes")
    for q in source.quotes:
        card = page.locator(f".briefing-quote:has(#{q.anchor})")
        expect(card).to_have_count(1)
        said = " ".join(q.text.split())
        shown = page.evaluate("""said => [...document.querySelectorAll(
                'article h3, article blockquote, article p:not(blockquote p)')]
            .filter(e => e.innerText.replace(/[\\s“”]+/g, ' ').trim() === said).length""", said)
        assert shown == 1, f"{q.anchor} is shown {shown} times"
        link = card.locator(f"a.briefing-quote-link[href$='#{q.anchor}']")  # instant navigation makes it absolute
        expect(link).to_be_visible()
    for basis in page.locator("details.briefing-evidence").all():
        assert basis.get_attribute("open") is None
        expect(basis.locator("summary")).to_be_visible()
    # Nothing in the article is set smaller than 13 px.
    smallest = page.evaluate("""() => Math.min(...[...document.querySelectorAll('article *')]
        .filter(e => e.offsetParent && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
        .map(e => parseFloat(getComputedStyle(e).fontSize)))""")
    assert smallest >= 13, f"text set at {smallest} px"
    # No table has an empty header cell.
    assert page.locator("article th:empty").count() == 0
    # The citation wraps inside its box, and has a copy button.
    cite = page.locator("#cite-text pre")
    assert cite.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    expect(page.locator("#cite-text button[data-md-type=copy]")).to_have_count(1)  # Material's copy button
    # No line of a citation can run under its copy button: the wrapped text stops left of it (the
    # treaty source's plain citation ran "[Fox" into the button).
    room = page.evaluate("""() => [...document.querySelectorAll('.briefing-cite pre')].map(pre => {
        const button = pre.querySelector('button[data-md-type=copy]').getBoundingClientRect();
        const code = pre.querySelector('code'), style = getComputedStyle(code);
        const textRight = code.getBoundingClientRect().right - parseFloat(style.paddingRight)
                          - parseFloat(style.borderRightWidth);
        return button.left - textRight; })""")
    assert room and min(room) >= 0, f"the text runs {-min(room):.0f} px under the copy button ({room})"


@pytest.mark.browser
def test_a_quote_link_copies_its_address(page, site, local_only, context):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_page(page, f"{site}/{BAQERI}", 1280, "light")
    link = page.locator("a.briefing-quote-link[href$='#q-baqeri-step-by-step']")
    link.click()
    expect(link).to_contain_text("copied")
    assert page.evaluate("navigator.clipboard.readText()") == f"{site}/{BAQERI}#q-baqeri-step-by-step"


@pytest.mark.browser
@pytest.mark.parametrize("kind", ["actor", "topic", "quotes"])
def test_quotes_listed_elsewhere_are_the_source_page_s_cards(page, built, site, local_only, context, kind):
    """An actor's, a topic's and the quotes page show each quote as the source page does: a card with
    the words, what kind of quote, when said and how it came, a link to it in its source, and a link
    that copies the quote's address on its source page."""
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    path = page_kinds(built)[kind]
    open_page(page, f"{site}/{path}", 390, "light")
    cards = page.locator("article .briefing-quote")
    assert cards.count() > 0
    assert page.locator("article blockquote:not(.briefing-quote blockquote)").count() == 0  # no quote the old way
    for card in cards.all():
        expect(card.locator("blockquote")).to_have_count(1)
        expect(card.locator("p.briefing-attribution")).to_contain_text(
            re.compile(r"^(Direct speech|Reported fragment)"))
        link = card.locator("a.briefing-quote-link")
        expect(link).to_be_visible()
        assert re.search(r"/sources/[^/]+/#q-[\w-]+$", link.get_attribute("href")), link.get_attribute("href")
        speaker = card.locator("p.briefing-quote-speaker")
        expect(speaker).to_have_count(0 if kind == "actor" else 1)
    link = cards.first.locator("a.briefing-quote-link")
    target = link.get_attribute("href").split("/sources/")[1]
    link.click()
    expect(link).to_contain_text("copied")
    assert page.evaluate("navigator.clipboard.readText()") == f"{site}/sources/{target}"
    # The page stays where the reader is. Material's navigation.tracking may write the heading in
    # view into the address once the click has scrolled to the card (it did under load): only the
    # page itself counts.
    assert page.url.partition("#")[0] == f"{site}/{path}"
    assert "#q-" not in page.url


@pytest.mark.browser
@pytest.mark.parametrize("path", [BAQERI, "sources/velayati-patrushev-moscow-talks-2016/", "actors/ali-khamenei/"])
def test_a_printed_page_keeps_every_quote_and_drops_the_buttons(page, site, local_only, path):
    """Printed, or saved as PDF for a file: the copy links (useless on paper, as Material's own
    copy buttons, which it hides) go, every quote and its attribution stay, a card is kept on one
    sheet, a group's date line prints once where it stands, and the evidence, folded on screen, is
    opened for printing (Material opens every <details> then)."""
    page.emulate_media(media="print")
    open_page(page, f"{site}/{path}", 800, "light")
    cards = page.locator("article .briefing-quote")
    assert cards.count() > 0
    for card in cards.all():
        expect(card.locator("blockquote")).to_be_visible()
        expect(card.locator("p.briefing-attribution")).to_be_visible()
        expect(card.locator("a.briefing-quote-link")).to_be_hidden()
        assert card.evaluate("c => getComputedStyle(c).breakInside") == "avoid"
    for facts in page.locator(".briefing-quote-group > .briefing-group-facts").all():
        assert facts.evaluate("f => getComputedStyle(f).position") == "static"
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    for basis in page.locator("article details").all():
        expect(basis).to_have_attribute("open", "")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"print-{path.strip('/').replace('/', '-')}.png", full_page=True)


def test_a_source_that_spells_a_name_its_own_way_shows_both():
    """An actor item of a source may carry ``spelled`` (how this source writes the name): the page
    shows that spelling with the actor's own name, in the quotes and in the actors table."""
    from briefing.project import load_project, read_settings
    from briefing.render import render_site

    settings = read_settings(MINI / "mkdocs.yml")
    loaded = load_project(settings)
    assert loaded.ok, [p.format() for p in loaded.problems]
    source = loaded.corpus.sources[0]
    quill = next(a for a in source.actors if a.id == "ada-quill")
    plain = render_site(loaded.corpus, settings.site)[f"sources/{source.id}.md"]
    assert "Ada Kwill" not in plain

    @dataclasses.dataclass(frozen=True)
    class Spelled:  # what model.SourceActor carries once the schema has the field
        id: str
        role: str
        spelled: str | None = None

    actors = tuple(Spelled(a.id, a.role, "Ada Kwill" if a is quill else None) for a in source.actors)
    corpus = dataclasses.replace(loaded.corpus, sources=(dataclasses.replace(source, actors=actors),),
                                 source_by_id={source.id: dataclasses.replace(source, actors=actors)})
    page = render_site(corpus, settings.site)[f"sources/{source.id}.md"]
    shown = re.findall(r"Ada Kwill \(\[Ada Quill\]\([^)]*\)\)", page)
    assert len(shown) >= 2  # a quote card and the actors table


@pytest.mark.browser
def test_on_a_phone_a_row_s_note_is_not_set_bold_with_its_title(page, site, local_only):
    """A phone stacks a table's rows and sets each row's first cell in bold, as its title; a note
    in that cell (a role's "Called 'Russian Foreign Minister' in the ... article") is read as a
    note, in the body's weight."""
    open_page(page, f"{site}/actors/sergei-lavrov/", WIDTHS["phone"], "light")
    cells = page.evaluate("""() => [...document.querySelectorAll('article td:first-child')]
        .filter(td => td.querySelector('small'))
        .map(td => [getComputedStyle(td).fontWeight, getComputedStyle(td.querySelector('small')).fontWeight])""")
    assert cells and all(title == "600" and note == "400" for title, note in cells), cells
