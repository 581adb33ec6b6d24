"""A reader searching in real Chromium: the header's search box and the "Find a quote" page, two
views of the site's one search (Pagefind; briefing/finder.py and assets/search.js).

The briefing itself is built once for this module and served under a sub-path
(http://127.0.0.1:PORT/briefing/), as a project site on a static host is. Every test here fails
on a request to any other host (local_only).
"""

from __future__ import annotations

import json
import re
import sys
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from briefing.project import load_project, read_settings
from briefing.quotesearch import words

from conftest import ROOT, StaticServer, briefing, run

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"

TREATY = "sources/russia-iran-partnership-treaty-2024/"
BAQERI = "sources/baqeri-lukyanov-security-agreement-2011/"
NORAVANK = "sources/noravank-russia-iran-nuclear-cooperation-2005/"
MOSCOW = "sources/velayati-patrushev-moscow-talks-2016/"
TEHRAN = "sources/patrushev-tehran-security-talks-2011/"

# (what the reader types, the quote it must find first: page and anchor)
PHRASES = [
    ("step-by-step", BAQERI, "q-baqeri-step-by-step"),                             # hyphens
    ("unbalanced, unprofessional", BAQERI, "q-iaea-report-dismissed"),              # a comma
    ("strengthening Russian-Iranian relations", TREATY, "q-lavrov-treaty-serious-factor"),  # past the heading's cut
    ("highly prepared across all fronts", TREATY, "q-halevi-prepared-all-fronts"),
    ("Iran's recent actions", NORAVANK, "q-putin-no-nuclear-weapons"),              # an apostrophe
    ("US administration's behavior", MOSCOW, "q-khamenei-no-trust-americans"),      # ' typed, ’ printed; U.S. elsewhere
    # The measurements: marks all over the landing page, and a topic page ranked first.
    ("serious factor in strengthening Russian-Iranian relations", TREATY, "q-lavrov-treaty-serious-factor"),
    ("ambiguity that penetrated the resolution on Libya", BAQERI, "q-lavrov-us-share-libya"),
    ("know how to reach Iran", TREATY, "q-halevi-reach-iran"),
    ("security council staffs", TEHRAN, "q-patrushev-security-council-staffs"),
]
# (a name or another spelling of it, the actor page it must find first, the speaker the finder shows first)
NAMES = [
    ("Ali Baqeri", "actors/ali-bagheri-kani/", "Ali Bagheri Kani"),
    ("Sergey Lavrov", "actors/sergei-lavrov/", "Sergei Lavrov"),
    ("Patrushev", "actors/nikolai-patrushev/", "Nikolai Patrushev"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("served")
    result = run([sys.executable, "-m", "briefing.site", "--out", str(root / "briefing"), "--quiet"], ROOT)
    assert result.returncode == 0, result.stderr
    return root / "briefing"


@pytest.fixture(scope="module")
def site(built):
    server = StaticServer(built.parent)
    yield f"{server.url}/briefing/"
    server.stop()


@pytest.fixture(scope="module")
def corpus():
    with pytest.MonkeyPatch.context() as env:
        env.delenv("BRIEFING_ARCHIVE", raising=False)
        return load_project(read_settings(ROOT / "mkdocs.yml")).corpus


def wait_until_settled(page: Page, selector: str, quiet_ms: int = 600, limit_ms: int = 10000) -> None:
    """Wait until the HTML of ``selector`` has stayed the same for ``quiet_ms``."""
    last, same, waited = None, 0, 0
    while same < quiet_ms and waited < limit_ms:
        now = page.locator(selector).inner_html()
        same = same + 100 if now == last else 0
        last = now
        page.wait_for_timeout(100)
        waited += 100
    assert same >= quiet_ms, f"{selector} kept changing for {limit_ms} ms"


def header_search(page: Page, site: str, query: str, key: str = "/"):
    """Open the header's search box from the keyboard, type, and wait for the whole query's results."""
    page.goto(site)
    page.keyboard.press(key)
    box = page.locator("#briefing-search-input")
    expect(box).to_be_focused()
    box.press_sequentially(query, delay=15)
    status = page.locator("#briefing-search-status")
    shown = query if query.startswith('"') else f"“{query}”"
    expect(status).to_contain_text(f"for {shown}")  # the results of the whole query, not of a prefix
    wait_until_settled(page, "#briefing-search-results")
    return page.locator("#briefing-search-results > li")


def finder_search(page: Page, site: str, query: str):
    page.goto(f"{site}find/")
    box = page.locator(".finder-input")
    box.press_sequentially(query, delay=15)
    expect(page.locator(".finder-message")).to_contain_text(re.compile(r"results? for"))
    wait_until_settled(page, "#briefing-finder")  # the results of the whole query, not of a prefix
    return page.locator(".finder-result")


def quotation_marks(element) -> list[str]:
    """What the result's text is drawn between (its ::before and ::after), "" for nothing."""
    return element.evaluate("""e => ['::before', '::after'].map(p => {
        const c = getComputedStyle(e, p).content; return c === 'none' || c === 'normal' ? '' : JSON.parse(c); })""")


def expect_marked_in_the_quote(page: Page, site: str, path: str, anchor: str, query: str):
    """The landing: the quote in view, and the words searched marked inside that quote only, whole
    words, as a run (the phrase), never a stop word alone."""
    page.wait_for_url(re.compile(re.escape(f"{site}{path}") + r"\?h=.*#" + anchor))
    expect(page.locator(f"#{anchor}")).to_be_in_viewport()
    expect_date_line_above(page, anchor)
    quote = page.locator(f".briefing-quote:has(> #{anchor}) blockquote")
    expect(quote.locator("mark").first).to_be_visible()
    marks = page.locator("mark")
    assert marks.count() == quote.locator("mark").count()  # nowhere else on the page
    text = quote.inner_text()
    marked = []
    for i in range(marks.count()):
        mark = marks.nth(i)
        marked.append(mark.inner_text())
        # Never part of a word: no letter or digit right before or after a mark.
        around = mark.evaluate("m => [m.previousSibling ? m.previousSibling.textContent.slice(-1) : '', "
                               "m.nextSibling ? m.nextSibling.textContent.slice(0, 1) : '']")
        assert not any(c.isalnum() for c in around), (marked[-1], around, text)
    assert words(" ".join(marked)) == words(query), (marked, text)


# Where a quote's heading and, for a quote said with others, their shared date line are in the view.
PLACES = """anchor => {
  const heading = document.getElementById(anchor), box = heading.getBoundingClientRect();
  const facts = heading.closest('.briefing-quote-group')?.querySelector(':scope > .briefing-group-facts');
  const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
  return {header, height: innerHeight, heading: [box.top, box.bottom],
          facts: facts ? [facts.getBoundingClientRect().top, facts.getBoundingClientRect().bottom] : null};
}"""


def expect_date_line_above(page: Page, anchor: str) -> None:
    """A quote said with the quotes around it has its date said once, above them: landing on it,
    the reader sees that line whole, below the header, and the quote's heading below the line."""
    try:
        page.wait_for_function(f"""anchor => {{ const p = ({PLACES})(anchor);
            return !p.facts || (p.facts[0] >= p.header - 1 && p.facts[1] <= p.heading[0] + 1
                                && p.heading[1] <= p.height); }}""", arg=anchor, timeout=5000)
    except Exception:  # noqa: BLE001 (say where they were)
        pytest.fail(f"the date line is not above #{anchor}: {page.evaluate(PLACES, anchor)}")


@pytest.mark.parametrize("width", [1280, 390])
def test_quotes_said_together_keep_their_date_in_view(page, site, local_only, width):
    """The last of seven quotes said at one meeting, opened from a link: its date line shows above
    it; scrolling back through the seven keeps the line under the header, and Material's "Back to
    top" button, which scrolling up brings out, does not cover it."""
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(f"{site}{MOSCOW}#q-khamenei-syria-plot")
    expect_date_line_above(page, "q-khamenei-syria-plot")
    landed = page.evaluate(PLACES, "q-khamenei-syria-plot")
    # Right below it, with the same room whatever the line's height (measured: it wraps on a phone).
    assert 16 <= landed["heading"][0] - landed["facts"][1] <= 30, landed
    facts = page.locator(".briefing-quote-group:has(#q-khamenei-syria-plot) > .briefing-group-facts")
    expect(facts).to_contain_text("These 7 quotes: said 23 November 2015")
    page.locator("#q-khamenei-no-trust-americans").scroll_into_view_if_needed()
    page.mouse.wheel(0, -150)
    expect(page.locator(".md-top")).to_be_visible()
    places = page.evaluate(PLACES, "q-khamenei-no-trust-americans")
    assert abs(places["facts"][0] - places["header"]) <= 1, places  # held under the header
    line, button = facts.bounding_box(), page.locator(".md-top").bounding_box()
    assert button["y"] >= line["y"] + line["height"], (line, button)


def test_a_malformed_address_breaks_nothing(page, site, local_only):
    """A link whose #fragment is not valid percent-encoding ("#%E0%A4%A") opens the page with no
    error in either script, and the search still works after Material's instant navigation."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site}{TEHRAN}?h=security#%E0%A4%A")
    expect(page.locator(".briefing-quote-group").first).to_be_visible()
    page.locator(".md-nav__link", has_text="Find a quote").first.click()  # an instant navigation
    page.wait_for_url(f"{site}find/")
    page.locator(".finder-input").press_sequentially("security council staffs", delay=15)
    expect(page.locator(".finder-result").first).to_contain_text("security council staffs")
    assert errors == []


def test_the_index_holds_the_pages_a_reader_lands_on_and_nothing_else(page, site, local_only, corpus):
    """Source, actor and topic pages, each once; not the list pages, the timeline or an actor's or
    topic's lists, which only repeat what the source pages say."""
    page.goto(f"{site}find/")
    urls = page.evaluate("""async () => {
      const pf = await import(new URL('../pagefind/pagefind.js', location.href).href);
      await pf.options({noWorker: true});
      const all = await pf.search(null, {filters: {}});
      return Promise.all(all.results.map(r => r.data().then(d => d.url)));
    }""")
    want = [f"/briefing/sources/{s.id}/" for s in corpus.sources] + \
        [f"/briefing/actors/{a}/" for a in corpus.actors] + [f"/briefing/topics/{t}/" for t in corpus.topics]
    assert sorted(urls) == sorted(want)


def test_quote_headings_are_short_in_the_contents_and_the_quote_is_shown_once(built):
    """The table of contents shows a short label; the page shows the quote once, in its card, under
    the speaker's name."""
    html = (built / TREATY / "index.html").read_text("utf-8")
    quote = ("The treaty on a comprehensive strategic partnership between Russia and Iran that is being prepared "
             "will become a serious factor in strengthening Russian-Iranian relations,")
    card = re.search(r'id="q-lavrov-treaty-serious-factor">.*?</h3>\s*<blockquote[^>]*>\s*<p>(.*?)</p>', html, re.S)
    assert unescape(card.group(1)) == quote
    shown = [unescape(p) for p in re.findall(r"<p>(.*?)</p>", html, re.S)]
    assert shown.count(quote) == 1
    short = "Sergei Lavrov: “The treaty on a comprehensive strategic partnership between Russia an…”"
    toc = re.search(r'<a href="#q-lavrov-treaty-serious-factor" class="md-nav__link">(.*?)</a>', html, re.S)
    assert unescape(" ".join(re.sub(r"<[^>]+>", " ", toc.group(1)).split())) == short
    speaker = re.search(r'id="q-lavrov-treaty-serious-factor">(.*?)<a class="headerlink"', html, re.S)
    assert unescape(re.sub(r"<[^>]+>", "", speaker.group(1))).strip() == "Sergei Lavrov"
    assert "hidden" not in speaker.group(0) and "data-search-exclude" not in html  # no text for a search engine only


def test_nothing_is_loaded_for_search_before_the_first_keystroke(page, site, local_only):
    """No index, no Pagefind, no search script or style until the reader types in the box; nothing
    of Material's search (lunr, its worker, search_index.json) ever."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site)
    page.wait_for_load_state("networkidle")
    page.locator("#briefing-search-input").click()  # opening the box is not searching
    expect(page.locator("#briefing-search-input")).to_be_focused()
    page.wait_for_timeout(500)
    page.goto(f"{site}{TREATY}")  # another page (a full load)
    page.wait_for_load_state("networkidle")
    searching = [u for u in requests if "/pagefind/" in u or re.search(r"search|lunr", u)]
    assert searching == []
    page.keyboard.press("s")
    page.locator("#briefing-search-input").press_sequentially("t")
    expect(page.locator("#briefing-search-status")).to_contain_text("for “t”")
    loaded = {urlsplit(u).path.rpartition("/")[2] for u in requests if "/pagefind/" in u}
    assert {"search.js", "search.css", "pagefind.js", "pagefind-entry.json"} <= loaded
    assert not [u for u in requests if re.search(r"lunr|workers/search|search_index\.json|pagefind-(worker|ui)", u)]


def test_a_word_of_one_or_two_letters_is_searched_only_when_the_reader_pauses(page, site, local_only):
    """Pagefind would download every part of the index holding words that begin with what is
    typed so far: a word of one or two letters waits for a pause, a longer one for typing to slow."""
    chunks: list[str] = []
    page.on("request", lambda request: chunks.append(request.url) if ".pf_index" in request.url else None)
    page.goto(site)
    page.keyboard.press("/")
    page.locator("#briefing-search-input").press_sequentially("se", delay=20)
    page.wait_for_timeout(350)  # less than the pause: no part of the index is asked for yet
    assert chunks == []
    expect(page.locator("#briefing-search-status")).to_contain_text("for “se”")
    assert chunks
    pauses = page.evaluate("""() => ["s", "se", "sec", "security c", "security co", "security coo", "security ",
                                    '"step-by', "Iran's", "ab1", "— ", ""].map(window.briefingSearch.pauseFor)""")
    assert pauses == [700, 700, 300, 700, 700, 300, 300, 300, 300, 300, 300, 300]


@pytest.mark.parametrize("query, path, anchor", PHRASES)
def test_header_search_lands_on_the_quote_with_the_phrase_marked(page, site, local_only, query, path, anchor):
    first = header_search(page, site, query).first
    link = first.locator("a")
    assert first.get_attribute("data-type") == "quote"
    href = link.get_attribute("href")
    assert href.startswith(f"/briefing/{path}?h=") and href.endswith(f"#{anchor}")
    assert parse_qs(urlsplit(href).query)["h"] == [query]
    # The result shows the quote with the words marked, who said it, when and in which source.
    assert words(" ".join(first.locator("mark").all_inner_texts())) == words(query)
    for label in ("Speaker: ", "Date: ", "Source: "):
        expect(first).to_contain_text(label)
    assert quotation_marks(first.locator(".briefing-search__title")) == ["“", "”"]  # a quote, not a page's title
    link.click()
    expect_marked_in_the_quote(page, site, path, anchor, query)


@pytest.mark.parametrize("query, path, anchor", PHRASES)
def test_finder_lands_on_the_quote(page, site, local_only, query, path, anchor):
    results = finder_search(page, site, query)
    link = results.first.locator(".finder-result-link")
    assert quotation_marks(results.first.locator(".finder-result-quote")) == ["“", "”"]
    assert link.get_attribute("href").startswith(f"/briefing/{path}?h=")
    assert link.get_attribute("href").endswith(f"#{anchor}")
    link.click()
    expect_marked_in_the_quote(page, site, path, anchor, query)


def test_a_quoted_phrase_is_marked_as_a_phrase_and_a_lone_stop_word_never(page, site, local_only):
    """Words searched without quotes are marked where they stand together in the quote; a stop word
    ("in", "the") is marked only inside such a run, never alone."""
    first = header_search(page, site, '"know how to reach Iran"').first
    assert first.locator("a").get_attribute("href").endswith("#q-halevi-reach-iran")
    first.locator("a").click()
    expect_marked_in_the_quote(page, site, TREATY, "q-halevi-reach-iran", "know how to reach Iran")
    first = header_search(page, site, "factor in the treaty").first
    marks = first.locator("mark").all_inner_texts()
    assert marks and not {m.lower() for m in marks} & {"in", "the", "to", "a", "on"}, marks


def test_every_quote_is_the_first_result_for_its_own_text(page, site, local_only, corpus):
    """For every phrase that is the text of a quote, that quote is what the header box lists first."""
    page.goto(f"{site}find/")
    page.wait_for_function("window.briefingSearch && window.briefingSearch.topResults")
    quotes = [(q.anchor, q.text) for s in corpus.sources for q in s.quotes]
    assert len(quotes) > 20
    found = page.evaluate("async (quotes) => { const out = [];"
                          " for (const q of quotes) out.push(await window.briefingSearch.topResults(q[1], 8));"
                          " return out; }", quotes)
    wrong = [(anchor, text, results[:1]) for (anchor, text), results in zip(quotes, found, strict=True)
             if not results or results[0]["type"] != "quote" or words(results[0]["text"]) != words(text)]
    assert wrong == []


def test_every_name_and_other_spelling_finds_its_actor_first(page, site, local_only, corpus):
    """An actor's name, aliases and the spellings sources use find the actor's page first."""
    from briefing.finder import finder_records

    page.goto(f"{site}find/")
    page.wait_for_function("window.briefingSearch && window.briefingSearch.topResults")
    names = {}
    for record in finder_records(corpus):
        if record.kind == "actor":
            for name in [record.title, *filter(None, record.about.split(", "))]:
                names.setdefault(name, set()).add(record.url)
    assert len(names) > 2 * len(corpus.actors)
    found = page.evaluate("async (names) => { const out = [];"
                          " for (const n of names) out.push(await window.briefingSearch.topResults(n, 8));"
                          " return out; }", list(names))
    wrong = [(name, results[:1]) for name, results in zip(names, found, strict=True)
             if not results or results[0]["type"] != "actor" or results[0]["url"].split("/briefing/")[-1]
             not in names[name]]
    assert wrong == []


def test_a_word_only_a_summary_has_finds_its_source_and_a_summary_phrase_finds_no_page(page, site, local_only, corpus):
    """A source's summary is indexed as its words (briefing.finder.summary_words): each still finds
    the source, while a phrase is looked for in the page's text, not in that list of words."""
    tehran = next(s for s in corpus.sources if f"sources/{s.id}/" == TEHRAN)
    assert "Bushehr reactor" in " ".join(tehran.summary.split())
    assert not any("reactor" in f"{tehran.title} {' '.join(tehran.key_points)} {q.text} {q.context or ''}".lower()
                   for q in tehran.quotes)  # the summary's own word, nowhere else on the page's searched text
    results = header_search(page, site, "Bushehr reactor")
    expect(results.first).to_be_visible()
    hrefs = [results.nth(i).locator("a").get_attribute("href") for i in range(results.count())]
    assert any(h.split("?")[0].endswith(TEHRAN) for h in hrefs), hrefs
    # A phrase only the summary has finds no page: it could match the list falsely (the words,
    # each once, sit next to others than in the summary), so the list is never searched for phrases.
    page.wait_for_function("window.briefingSearch && window.briefingSearch.topResults")
    found = page.evaluate("q => window.briefingSearch.topResults(q, 8)", '"supplier and builder of Iran"')
    assert [r for r in found if r["type"] == "source"] == []


def test_a_quote_that_says_the_words_ranks_above_a_description_that_mentions_them(page, site, local_only):
    """Words, not a phrase: the actors named by them come first, then the quote that says them,
    before the actors and topics whose descriptions only mention them (it was not among the eight)."""
    page.goto(f"{site}find/")
    page.wait_for_function("window.briefingSearch && window.briefingSearch.topResults")
    found = page.evaluate("q => window.briefingSearch.topResults(q, 8)", "security council")
    shown = [r.get("anchor") or r["url"].split("/briefing/")[-1] for r in found]
    assert shown[:3] == ["actors/russian-security-council/", "actors/iran-supreme-national-security-council/",
                         "actors/un-security-council/"], shown
    assert "q-patrushev-security-council-staffs" in shown, shown
    assert shown.index("q-patrushev-security-council-staffs") < shown.index("actors/nikolai-patrushev/"), shown


@pytest.mark.parametrize("name, actor_page, speaker", NAMES)
def test_names_and_other_spellings_find_the_actor_and_their_quotes(page, site, local_only, name, actor_page, speaker):
    first = header_search(page, site, name).first
    assert first.get_attribute("data-type") == "actor"
    assert first.locator("a").get_attribute("href").startswith(f"/briefing/{actor_page}")
    assert quotation_marks(first.locator(".briefing-search__title")) == ["", ""]  # a page's title, unquoted
    finder_search(page, site, name)
    quotes = page.locator(".finder-result[data-type=quote]")
    expect(quotes.first.locator(".finder-result-facts")).to_contain_text(f"Speaker: {speaker}")


def test_every_fact_under_a_result_says_what_it_is(page, site, local_only):
    """Under each result, each fact has its label ("Speaker: ...", "Also written: ..."); a source's
    outlet and date read "Published: WND (inferred) · 6 September 2011", not a bare line."""
    results = header_search(page, site, "security council")
    facts = results.locator(".briefing-search__fact").all_text_contents()
    assert facts and all(re.match(r"^[A-Z][a-z]+( [a-z]+)*: \S", fact) for fact in facts), facts
    source = page.locator("#briefing-search-results > li[data-type=source] .briefing-search__fact").all_text_contents()
    assert source == ["Page: Source", "Published: WND (inferred) · 6 September 2011"], source


def test_the_cli_and_the_site_find_the_same_quotes(page, site, local_only):
    """`briefing quotes PHRASE` in the terminal and "PHRASE" in the search box: the same quotes."""
    for phrase in [p for p, _, _ in PHRASES] + ["Iran", "security council", "nuclear"]:
        cli = briefing("quotes", phrase, "--json", cwd=ROOT)
        assert cli.returncode in (0, 1), cli.stderr
        want = sorted(q["url"] for q in json.loads(cli.stdout or "[]"))
        finder_search(page, site, f'"{phrase}"')
        got = sorted(re.sub(r"^/briefing/|\?[^#]*", "", href) for href in all_result_links(page, "quote"))
        assert got == want, phrase


def test_keyboard_and_screen_reader(page, site, local_only):
    """`s` or `/` opens the box with the focus in it; the results are a list and their number is
    announced (role=status); the arrow keys move through the results; Escape closes the box and
    gives the focus back."""
    page.goto(f"{site}{TREATY}")
    link = page.locator(".md-content a[href]").first
    link.focus()
    page.keyboard.press("Escape")  # nothing open: nothing happens
    page.keyboard.press("s")
    box = page.locator("#briefing-search-input")
    expect(box).to_be_focused()
    expect(page.locator("#__search")).to_be_checked()
    status = page.locator("#briefing-search-status")
    assert status.get_attribute("role") == "status"
    assert box.get_attribute("aria-describedby") == "briefing-search-status"
    assert page.locator("#briefing-search").get_attribute("role") == "dialog"
    box.press_sequentially("Lavrov", delay=15)
    expect(status).to_have_text(re.compile(r"^(The first )?\d+ results? for “Lavrov”$"))
    results = page.locator("ol#briefing-search-results > li > a")
    expect(results.first).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(results.first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(results.nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(box).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#__search")).not_to_be_checked()
    expect(link).to_be_focused()
    # Typing `s` or `/` in a text field types it.
    page.goto(f"{site}find/")
    page.locator(".finder-input").press_sequentially("s/", delay=15)
    expect(page.locator(".finder-input")).to_have_value("s/")
    expect(page.locator("#__search")).not_to_be_checked()


def test_a_search_reopens_from_its_address(page, site, local_only):
    """The header box leads to the full view on the Find a quote page; what is searched there, with
    filters, a date range and the order, is kept in the address, which opens the same results."""
    header_search(page, site, "Iran")
    page.locator("#briefing-search-all").click()
    page.wait_for_url(re.compile(r"/briefing/find/\?q=Iran$"))
    expect(page.locator(".finder-input")).to_have_value("Iran")
    expect(page.locator(".finder-message")).to_contain_text("for “Iran”")
    filter_value(page, "speaker", "Sergei Lavrov").check()
    page.locator("select.finder-sort").select_option("date")
    expect(page.locator(".finder-message")).to_contain_text("for “Iran”")
    wait_until_settled(page, "#briefing-finder")
    shown = all_result_links(page)
    assert shown
    address = page.url
    query = parse_qs(urlsplit(address).query)
    assert query == {"q": ["Iran"], "speaker": ["Sergei Lavrov"], "sort": ["date"]}
    page.goto("about:blank")
    page.goto(address)
    expect(page.locator(".finder-message")).to_contain_text("for “Iran”")
    wait_until_settled(page, "#briefing-finder")
    assert all_result_links(page) == shown
    expect(filter_value(page, "speaker", "Sergei Lavrov")).to_be_checked()
    expect(page.locator("select.finder-sort")).to_have_value("date")


def test_results_can_be_listed_by_date_and_narrowed_to_a_range_of_dates(page, site, local_only, corpus):
    finder_search(page, site, "Iran")
    page.locator("select.finder-sort").select_option("date")
    wait_until_settled(page, "#briefing-finder")
    anchors = [h.rpartition("#")[2] for h in all_result_links(page, "quote")]
    when = {q.anchor: (q.said or s.published).range[1] for s in corpus.sources for q in s.quotes}
    assert len(anchors) > 5 and [when[a] for a in anchors] == sorted((when[a] for a in anchors), reverse=True)
    page.locator("input.finder-date[name=from]").fill("2011-01")
    page.locator("input.finder-date[name=to]").fill("2011-12-31")
    page.locator("input.finder-date[name=to]").press("Enter")
    wait_until_settled(page, "#briefing-finder")
    inside = [h.rpartition("#")[2] for h in all_result_links(page, "quote")]
    assert inside and set(inside) < set(anchors)
    assert all(when[a] >= "2011-01-01" and (dict((q.anchor, (q.said or s.published).range[0])
               for s in corpus.sources for q in s.quotes)[a] <= "2011-12-31") for a in inside)
    assert parse_qs(urlsplit(page.url).query)["from"] == ["2011-01"]


def test_a_date_applies_as_it_is_typed(page, site, local_only, corpus):
    """The reader's review: the date boxes applied only on Enter or on leaving the box, so a reader
    who typed 2016 in both and waited still saw 2024's quotes. A whole date now applies as typed."""
    finder_search(page, site, "Iran")
    wait_until_settled(page, "#briefing-finder")
    every = all_result_links(page, "quote")
    for name in ("from", "to"):
        page.locator(f"input.finder-date[name={name}]").press_sequentially("2016", delay=60)
    expect(page).to_have_url(re.compile(r"from=2016.*to=2016"))
    wait_until_settled(page, "#briefing-finder")
    inside = [h.rpartition("#")[2] for h in all_result_links(page, "quote")]
    span = {q.anchor: (q.said or s.published).range for s in corpus.sources for q in s.quotes}
    assert inside and len(inside) < len(every)
    assert all(span[a][1] >= "2016-01-01" and span[a][0] <= "2016-12-31" for a in inside), inside
    page.locator("input.finder-date[name=to]").press_sequentially("-0", delay=60)  # half a date: as it was
    page.wait_for_timeout(800)
    wait_until_settled(page, "#briefing-finder")
    assert [h.rpartition("#")[2] for h in all_result_links(page, "quote")] == inside


def result_count(page: Page) -> int:
    message = page.locator(".finder-message")
    return int(re.match(r"(\d+) results?", message.inner_text()).group(1))


def all_result_links(page: Page, kind: str | None = None) -> list[str]:
    """Every result's address ("Show more results" pressed until it is gone), of one kind or all."""
    more = page.locator(".finder-more")
    while more.is_visible():
        shown = page.locator(".finder-result").count()
        more.click()
        expect(page.locator(".finder-result")).not_to_have_count(shown)
        wait_until_settled(page, "#briefing-finder", quiet_ms=300)
    links = page.locator(".finder-result" + (f"[data-type={kind}]" if kind else "") + " .finder-result-link")
    return [links.nth(i).get_attribute("href") for i in range(links.count())]


def filter_value(page: Page, kind: str, value: str):
    """The checkbox of one filter value, its panel opened first (values load only then)."""
    panel = page.locator(f".finder-filter[data-kind='{kind}']")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    return panel.locator(f"input[type=checkbox][value={json.dumps(value)}]")  # a value may hold a '


def every_result(page: Page) -> int:
    """How many results the page lists once every record is read ("Show more results" pressed)."""
    wait_until_settled(page, "#briefing-finder", quiet_ms=300)
    links = all_result_links(page)
    expect(page.locator(".finder-message")).to_have_text(re.compile(rf"^{len(links)} results? for "))
    return len(links)


def test_finder_filters_narrow_and_clearing_restores(page, site, local_only):
    filter_requests = []
    page.on("request", lambda request: "/pagefind/filter/" in request.url and filter_requests.append(request.url))
    finder_search(page, site, "Iran")
    everything = every_result(page)
    assert everything > 10
    assert filter_requests == []  # a search alone loads no filter values
    speaker = filter_value(page, "speaker", "Sergei Lavrov")
    expect(speaker).to_have_count(1)
    assert len(filter_requests) == 1  # opening a panel loads that filter's values only
    expect(speaker).to_be_visible()
    # The briefing's few sources are all read, and the panel counts quotes: it says so.
    expect(page.locator(f"label[for='{speaker.get_attribute('id')}'] .finder-count")).to_have_text(
        re.compile(r"^\(\d+ quotes?\)$"))
    speaker.check()
    expect(page.locator(".finder-message")).not_to_contain_text(re.compile(rf"^{everything} result"))
    lavrov = every_result(page)
    assert 0 < lavrov < everything
    # Lavrov's source holds other speakers' quotes too: only his are shown, every one of them.
    tags = page.locator(".finder-result-facts")
    expect(tags).to_have_count(lavrov)
    for i in range(tags.count()):
        assert "Speaker: Sergei Lavrov" in tags.nth(i).inner_text()
    assert parse_qs(urlsplit(page.url).query)["speaker"] == ["Sergei Lavrov"]
    speaker.uncheck()
    expect(page.locator(".finder-result[data-type=actor]").first).to_be_visible()  # pages again, unfiltered
    assert every_result(page) == everything
    assert "speaker" not in parse_qs(urlsplit(page.url).query)

    year = filter_value(page, "year", "2011")
    year.check()
    expect(page.locator(".finder-result[data-type=actor]")).to_have_count(0)
    in_2011 = every_result(page)
    assert 0 < in_2011 < everything
    expect(tags).to_have_count(in_2011)
    for i in range(tags.count()):
        assert re.search(r"Date: .*2011", tags.nth(i).inner_text())
    year.uncheck()
    expect(page.locator(".finder-result[data-type=actor]").first).to_be_visible()
    assert every_result(page) == everything


def test_finder_opens_from_the_nav_and_shows_results(page, site, local_only):
    page.goto(site)
    page.locator(".md-nav a", has_text="Find a quote").first.click()  # Material's instant navigation
    page.wait_for_url(f"{site}find/")
    page.locator(".finder-input").press_sequentially("strategic partnership", delay=15)
    first = page.locator(".finder-result").first
    expect(first.locator(".finder-result-link")).to_be_visible()  # the quote itself
    expect(first.locator("mark").first).to_be_visible()
    for label in ("Speaker: ", "Date: ", "Source: "):
        expect(first.locator(".finder-result-facts")).to_contain_text(label)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "finder.png"), full_page=True)


def test_finder_phrase_does_not_run_from_a_quote_into_its_context(page, site, local_only):
    """A record holds the quote, a mark, then the context: Lavrov's quote ends "…Russian-Iranian
    relations," and its context begins "Lavrov on the treaty", but that is no phrase anyone said."""
    expect(finder_search(page, site, '"relations Lavrov"')).to_have_count(0)
    expect(finder_search(page, site, '"Russian-Iranian relations"').first).to_contain_text("serious factor")


def test_finder_shows_only_the_quotes_that_hold_every_word(page, site, local_only):
    """Pagefind finds sources: the Baqeri source holds "step-by-step" in one quote and "incompatible"
    in another. A result is a quote, and no quote says both."""
    for word, anchor in [("step-by-step", "q-baqeri-step-by-step"), ("incompatible", "q-baqeri-sanctions-dead-end")]:
        link = finder_search(page, site, word).first.locator(".finder-result-link")
        assert link.get_attribute("href").endswith(f"#{anchor}")
    expect(finder_search(page, site, "step-by-step incompatible")).to_have_count(0)
    expect(page.locator(".finder-message")).to_have_text("0 results for “step-by-step incompatible”")


# --- the finder alone, over a synthetic briefing of more sources than it reads at once ---------------


SYNTHETIC_SOURCES = 30  # the search reads 5 records at a time
MANY_SOURCES = 45  # more than a filter panel reads to count quotes (search.js: MAX_COUNTED, 40)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    yield from serve_synthetic(tmp_path_factory, SYNTHETIC_SOURCES)


@pytest.fixture(scope="module")
def synthetic_many(tmp_path_factory):
    yield from serve_synthetic(tmp_path_factory, MANY_SOURCES)


def serve_synthetic(tmp_path_factory, sources: int):
    """A synthetic briefing's finder index and a bare page with the finder (no MkDocs build: the
    finder needs only its index and its page), served; and the quotes, to know what must be found."""
    from briefing.finder import finder_records, write_index
    from briefing.project import load_project, read_settings
    from briefing.synthetic import write_corpus

    root = write_corpus(tmp_path_factory.mktemp("synthetic") / "project", sources)
    (root / "mkdocs.yml").write_text("site_name: Synthetic\nplugins:\n  - briefing:\n      archive: archive\n", "utf-8")
    with pytest.MonkeyPatch.context() as env:
        env.delenv("BRIEFING_ARCHIVE", raising=False)  # the synthetic project's own archive, not CI's
        loaded = load_project(read_settings(root / "mkdocs.yml"))
    assert loaded.corpus is not None, [p.format() for p in loaded.problems][:3]
    site = root / "site"
    write_index(loaded.corpus, site)
    (site / "find").mkdir()
    (site / "find/index.html").write_text('<!doctype html><html lang="en"><head><meta charset="utf-8">'
                                          '<title>Find</title></head><body>'
                                          '<main><div id="briefing-finder"></div><script src="../pagefind/search.js">'
                                          '</script></main></body></html>', "utf-8")
    server = StaticServer(site)
    yield f"{server.url}/", finder_records(loaded.corpus)
    server.stop()


def all_results(page: Page) -> list[str]:
    """Every quote the finder lists, "Show more results" pressed until it is gone: source/#anchor."""
    more = page.locator(".finder-more")
    while more.is_visible():
        shown = page.locator(".finder-result").count()
        expect(page.locator(".finder-message")).to_contain_text(" so far, from ")
        more.click()
        expect(page.locator(".finder-result")).not_to_have_count(shown)
        wait_until_settled(page, "#briefing-finder", quiet_ms=300)
    links = page.locator(".finder-result[data-type=quote] .finder-result-link")
    return [re.sub(r"\?[^#]*", "", links.nth(i).get_attribute("href")).split("/sources/")[1]
            for i in range(links.count())]


def expected(records, keep) -> list[str]:
    return sorted(f"{r.url.split('/')[1]}/#{q.anchor}" for r in records for q in r.quotes if keep(q))


def says(quote, *words) -> bool:
    """Every word is said somewhere in the quote's three parts (the synthetic words have one form each)."""
    said = re.findall(r"\w+", f"{quote.text} {quote.context} {quote.said_by}".lower())
    return all(word in said for word in words)


@pytest.mark.parametrize("query, keep", [
    ("security council", lambda q: says(q, "security", "council")),  # more quotes than one page
    # A "phrase" is looked for in the quote's own text, as `briefing quotes` does, in every
    # record whose words hold it.
    ('"defence strategic"', lambda q: re.search(r"\bdefence strategic\b", q.text.lower())),
])
def test_finder_reads_sources_a_few_at_a_time_and_finds_every_quote(page, synthetic, local_only, query, keep):
    url, records = synthetic
    want = expected(records, keep)
    assert len({w.split("/")[0] for w in want}) > 5  # more sources than one reading
    page.goto(f"{url}find/")
    page.locator(".finder-input").press_sequentially(query, delay=10)
    expect(page.locator(".finder-message")).to_contain_text(re.compile(r"results? for "))
    wait_until_settled(page, "#briefing-finder")
    if len(want) > 20:  # a first page reads sources until it has 10 quotes, not all of them
        expect(page.locator(".finder-message")).to_contain_text(
            re.compile(r"\d+ results for \S.* so far, from \d+ of \d+ matching pages$"))
    found = all_results(page)
    assert sorted(found) == want and len(found) == len(set(found))
    shown = page.locator(".finder-result").count()  # the quotes, and the pages whose own text says the words
    expect(page.locator(".finder-message")).to_have_text(re.compile(rf"^{shown} results for \S"))


def test_finder_filters_narrow_to_the_quotes_that_pass_every_filter(page, synthetic, local_only):
    """A synthetic source's five quotes have five speakers and four topics: the source passes
    Pagefind's filters when one quote does, the finder shows only the quotes that do."""
    url, records = synthetic
    topic, speaker = records[0].quotes[0].topics[0], records[0].quotes[1].speaker
    page.goto(f"{url}find/")
    filter_value(page, "topic", topic).check()
    expect(page.locator(".finder-message")).to_contain_text("for the chosen filters")
    wait_until_settled(page, "#briefing-finder")
    assert sorted(all_results(page)) == expected(records, lambda q: topic in q.topics)
    filter_value(page, "speaker", speaker).check()  # the speaker of another quote of the first source
    expect(page.locator(".finder-message")).to_have_text(re.compile(r"^\d+ results? for the chosen filters$"))
    wait_until_settled(page, "#briefing-finder")
    assert sorted(all_results(page)) == expected(records, lambda q: topic in q.topics and q.speaker == speaker)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_finder_results_and_filter_panels_pass_axe(page, site, local_only, scheme):
    """The site-wide axe check sees the finder page empty; this one sees results, marks and open panels."""
    axe = ROOT / "node_modules/axe-core/axe.min.js"
    assert axe.is_file(), "run `npm ci` for axe-core"
    page.emulate_media(color_scheme=scheme)
    finder_search(page, site, "Iran")
    for kind in ("speaker", "year"):
        expect(filter_value(page, kind, "2011" if kind == "year" else "Sergei Lavrov")).to_be_visible()
    page.add_script_tag(path=str(axe))
    violations = page.evaluate(
        "async () => (await axe.run('#briefing-finder', {resultTypes: ['violations']})).violations")
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations
            if v["impact"] in ("serious", "critical")] == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_header_search_with_results_passes_axe(page, site, local_only, scheme):
    axe = ROOT / "node_modules/axe-core/axe.min.js"
    page.emulate_media(color_scheme=scheme)
    header_search(page, site, "strategic partnership")
    expect(page.locator("#briefing-search-results mark").first).to_be_visible()
    page.add_script_tag(path=str(axe))
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations
            if v["impact"] in ("serious", "critical")] == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_of_the_search(page, site, local_only, scheme, width):
    """For a person to look at (test-artifacts/): the header box with results and the Find a quote
    page with an open filter panel, wide and narrow, light and dark."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    items = header_search(page, site, "security council")
    expect(items.first).to_be_visible()
    assert page.locator("#briefing-search-input").bounding_box()["width"] > width / 2 - 40
    # A result's title is a heading in the page's type, but without the rule a page's section has
    # above it (a second thin line inside every result).
    rules = page.locator("#briefing-search-results .briefing-search__title").evaluate_all(
        "titles => titles.map(t => getComputedStyle(t).borderTopStyle)")
    assert rules and set(rules) == {"none"}
    page.screenshot(path=str(ARTIFACTS / f"search-header-{width}-{scheme}.png"))
    finder_search(page, site, "security council")
    expect(filter_value(page, "speaker", "Nikolai Patrushev")).to_be_visible()
    # The date boxes show their whole placeholder, the form a date takes (it was cut on a phone).
    room = page.locator("input.finder-date").evaluate_all("""boxes => boxes.map(box => {
        const style = getComputedStyle(box), pen = document.createElement("canvas").getContext("2d");
        pen.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        return box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
               - pen.measureText(box.placeholder).width; })""")
    assert len(room) == 2 and min(room) >= 0, room
    # On a phone the options stand one under the other, their boxes lined up (the reader's review:
    # "From" and "To" began at different places); wide, they stand in one row.
    boxes = [page.locator(f"#briefing-finder .finder-options [name={name}]").bounding_box()
             for name in ("from", "to", "sort")]
    if width < 700:
        assert max(b["x"] for b in boxes) - min(b["x"] for b in boxes) < 1, boxes
        assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]
    else:
        assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"] and abs(boxes[0]["y"] - boxes[2]["y"]) < 12, boxes
    page.screenshot(path=str(ARTIFACTS / f"search-find-{width}-{scheme}.png"), full_page=True)


# --- what a filter panel counts -------------------------------------------------------------------


def panel_counts(page: Page, kind: str) -> dict[str, str]:
    """The values an opened panel lists, each with its count as shown: {"Sergei Lavrov": "(2 quotes)"}."""
    panel = page.locator(f".finder-filter[data-kind='{kind}']")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    expect(panel.locator(".finder-values")).not_to_have_text("Loading…")
    wait_until_settled(page, "#briefing-finder")
    values = panel.locator("li.finder-value")
    return {values.nth(i).locator("input").get_attribute("value"): values.nth(i).locator(".finder-count").inner_text()
            for i in range(values.count())}


def quotes_counted(count: str) -> int:
    match = re.fullmatch(r"\((\d+) (quotes?)\)", count)
    assert match and (match.group(2) == "quote") == (match.group(1) == "1"), count
    return int(match.group(1))


def shown_when_ticked(page: Page, kind: str, value: str) -> int:
    """How many quotes the finder lists with ``value`` ticked ("Show more results" pressed), then unticked."""
    def redrawn(change):
        # The listed quotes are replaced, even when by the same ones: mark those shown now.
        page.evaluate("document.querySelectorAll('.finder-result').forEach(r => r.dataset.before = '')")
        change()
        expect(page.locator(".finder-result[data-before]")).to_have_count(0)
        wait_until_settled(page, "#briefing-finder")

    redrawn(filter_value(page, kind, value).check)
    shown = len(all_results(page))
    redrawn(filter_value(page, kind, value).uncheck)
    return shown


def test_finder_panels_count_the_quotes_a_value_would_show(page, site, local_only):
    """Lavrov's sources hold other speakers' quotes: a panel counted them (by source) though
    ticking one showed nothing. It lists only the values of quotes that hold the match, each with
    the number of quotes ticking it shows."""
    finder_search(page, site, "Lavrov")
    speakers = panel_counts(page, "speaker")
    assert list(speakers) == ["Sergei Lavrov"]  # not Herzi Halevi, Ali Bagheri Kani, Russia, …
    assert quotes_counted(speakers["Sergei Lavrov"]) == shown_when_ticked(page, "speaker", "Sergei Lavrov") > 0
    for kind in ("year", "topic"):
        counts = panel_counts(page, kind)
        assert counts, kind
        for value, count in counts.items():
            assert quotes_counted(count) == shown_when_ticked(page, kind, value) > 0, (kind, value)


def test_finder_panel_counts_respect_the_other_chosen_filters(page, site, local_only):
    """A value ticked in one panel narrows the counts in another, not in its own."""
    finder_search(page, site, "Iran")
    years = panel_counts(page, "year")
    assert len(years) > 1
    filter_value(page, "year", "2011").check()
    expect(page.locator(".finder-message")).not_to_contain_text(" so far")  # the briefing's few sources at once
    wait_until_settled(page, "#briefing-finder")
    in_2011 = len(all_results(page))
    assert 0 < in_2011 < sum(quotes_counted(c) for c in years.values())
    # Its own panel still counts every year (the ticked one too), as before the tick.
    assert panel_counts(page, "year") == years and quotes_counted(years["2011"]) == in_2011
    speakers = panel_counts(page, "speaker")
    assert sum(quotes_counted(c) for c in speakers.values()) == in_2011  # a quote has one speaker
    for speaker, count in speakers.items():
        assert quotes_counted(count) == shown_when_ticked(page, "speaker", speaker), speaker
    # The ticked year stays listed, to be unticked, when the words searched leave it no quote.
    page.locator(".finder-input").fill("Halevi")
    expect(page.locator(".finder-message")).to_have_text("0 results for “Halevi”")
    halevi = panel_counts(page, "year")
    assert halevi["2011"] == "(0 quotes)" and len(halevi) > 1
    expect(filter_value(page, "year", "2011")).to_be_checked()

    # A source ticked (a filter Pagefind applies to whole records) narrows the speakers' counts too.
    filter_value(page, "year", "2011").click()  # unticked, it has no quote to show: it goes
    expect(filter_value(page, "year", "2011")).to_have_count(0)
    page.locator(".finder-input").fill("Iran")
    expect(page.locator(".finder-message")).to_contain_text("for “Iran”")
    sources = panel_counts(page, "source")
    assert len(sources) > 1
    filter_value(page, "source", next(iter(sources))).check()
    expect(page.locator(".finder-message")).to_contain_text("for “Iran”")
    wait_until_settled(page, "#briefing-finder")
    from_one = len(all_results(page))
    assert from_one == quotes_counted(next(iter(sources.values())))
    assert sum(quotes_counted(c) for c in panel_counts(page, "speaker").values()) == from_one


def test_finder_panels_count_sources_past_the_sources_they_read(page, synthetic_many, local_only):
    """Words found in more sources than a panel reads (40): Pagefind's counts, of sources. Words
    found in fewer: quotes, as the quotes themselves say."""
    url, records = synthetic_many
    assert sum(any(says(q, "security") for q in r.quotes) for r in records) > 40
    page.goto(f"{url}find/")
    page.locator(".finder-input").press_sequentially("security", delay=10)
    expect(page.locator(".finder-message")).to_contain_text("results for")
    counts = panel_counts(page, "speaker")
    assert counts and all(re.fullmatch(r"\(\d+ sources?\)", c) for c in counts.values()), counts

    # A speaker's name is found in fewer records (the sources that quote them, their own page):
    # the panel reads those and counts the quotes that say every word of it.
    def text_of(record):
        return " ".join([*(t for t, _ in record.parts),
                         *(f"{q.text} {q.context} {q.said_by}" for q in record.quotes)]).lower()

    speakers = sorted({q.speaker for r in records for q in r.quotes if q.speaker != "Unidentified speaker"})
    name, holding = next((n, h) for n in speakers
                         if 0 < len(h := [r for r in records if all(w in re.findall(r"\w+", text_of(r))
                                                                   for w in n.lower().split())]) <= 40)
    said = [q for r in holding for q in r.quotes if says(q, *name.lower().split())]
    assert said
    page.locator(".finder-input").fill("")
    page.locator(".finder-input").press_sequentially(name, delay=10)
    expect(page.locator(".finder-message")).to_contain_text(f"results for “{name}”")
    counts = panel_counts(page, "speaker")
    want = {}
    for q in said:
        want[q.speaker] = want.get(q.speaker, 0) + 1
    assert {speaker: quotes_counted(c) for speaker, c in counts.items()} == want
