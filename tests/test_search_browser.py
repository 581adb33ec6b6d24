"""A reader searching quotes in real Chromium: Material's search box and the "Find a quote" page.

The briefing itself is built once for this module and served under a sub-path
(http://127.0.0.1:PORT/briefing/), as a project site on a static host is.
"""

from __future__ import annotations

import json
import re
import sys
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from conftest import ROOT, StaticServer, run

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"

TREATY = "sources/russia-iran-partnership-treaty-2024/"
BAQERI = "sources/baqeri-lukyanov-security-agreement-2011/"
NORAVANK = "sources/noravank-russia-iran-nuclear-cooperation-2005/"
MOSCOW = "sources/velayati-patrushev-moscow-talks-2016/"

# (what the reader types, the quote it must find first: page and anchor)
PHRASES = [
    ("step-by-step", BAQERI, "q-baqeri-step-by-step"),                             # hyphens
    ("unbalanced, unprofessional", BAQERI, "q-iaea-report-dismissed"),              # a comma
    ("strengthening Russian-Iranian relations", TREATY, "q-lavrov-treaty-serious-factor"),  # past the heading's cut
    ("highly prepared across all fronts", TREATY, "q-halevi-prepared-all-fronts"),
    ("Iran's recent actions", NORAVANK, "q-putin-no-nuclear-weapons"),              # an apostrophe
    ("US administration's behavior", MOSCOW, "q-khamenei-no-trust-americans"),      # ' typed, ’ printed; U.S. elsewhere
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


def material_search(page: Page, site: str, query: str):
    page.goto(site)
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=15)
    first = page.locator(".md-search-result__item").first
    expect(first).to_be_visible()
    # Material searches as the reader types, in a worker: wait until the results of the whole
    # query have replaced those of a prefix typed on the way (the list stops changing).
    wait_until_settled(page, ".md-search-result__list")
    # Results come per page: the page itself first, then its best-matching sections.
    expect(page.locator(".md-search-result__meta")).to_contain_text("matching")
    return first


def finder_search(page: Page, site: str, query: str):
    page.goto(f"{site}find/")
    box = page.locator(".finder-input")
    box.press_sequentially(query, delay=15)
    expect(page.locator(".finder-message")).to_contain_text(re.compile(r"results? for"))
    wait_until_settled(page, "#briefing-finder")  # the results of the whole query, not of a prefix
    return page.locator(".finder-result")


def expect_quote_highlighted(page: Page, site: str, path: str, anchor: str):
    page.wait_for_url(re.compile(re.escape(f"{site}{path}") + r"\?h=.*#" + anchor))
    heading = page.locator(f"#{anchor}")
    expect(heading).to_be_in_viewport()
    expect(page.locator(f"#{anchor} + blockquote mark[data-md-highlight]").first).to_be_visible()


def test_boilerplate_sections_stay_out_of_the_search_index(built):
    """The citation box and the provenance note repeat the title, outlet and date and a fixed
    sentence on every source page: in Material's index (which every reader who searches downloads
    whole) they were a sixth of each source page and matched searches for any outlet's name."""
    docs = json.loads((built / "search/search_index.json").read_text("utf-8"))["docs"]
    sections = {d["location"].rpartition("#")[2] for d in docs if d["location"].startswith(TREATY)}
    assert {"summary", "actors", "events", "q-lavrov-treaty-serious-factor"} <= sections
    assert not {"cite", "provenance"} & sections
    # Nor the Quotes heading (its quotes are sections of their own) or the topic names (each
    # topic is found on its page, not on every source filed under it).
    assert not {"quotes", "topics"} & sections
    html = (built / TREATY / "index.html").read_text("utf-8")
    assert 'href="#cite"' in html and 'href="#provenance"' in html  # still on the page and in its contents


def test_lists_stay_out_of_the_search_index(built):
    """Each source, quote and event is found on its source's page; the pages and sections that
    list them again (the list pages, the timeline, an actor's or topic's lists of sources, events
    and quotes) stay out of the index, so a search for a title leads to its source, not to every
    list naming it, and the index grows only with what it can find."""
    docs = json.loads((built / "search/search_index.json").read_text("utf-8"))["docs"]
    pages = {d["location"].partition("#")[0] for d in docs}
    sections = {d["location"] for d in docs}
    assert not {p for p in pages if p in ("sources/", "actors/", "topics/") or p.startswith(("timeline/", "quotes/"))}
    assert not {p for p in pages if "/page-" in p or p.count("/") > 2}  # paged lists and listing pages
    actor, topic = "actors/sergei-lavrov/", "topics/counter-terrorism/"
    assert actor in sections and f"{actor}#roles" in sections  # the actor is found by name and title
    assert topic in sections
    assert not [s for s in sections if s.startswith((f"{actor}#from-", f"{actor}#quotes", f"{actor}#sources"))]
    assert not {f"{topic}#sources", f"{topic}#events", f"{topic}#quotes"} & sections
    assert {f"{TREATY}#events", f"{TREATY}#summary"} <= sections  # where each is found
    html = (built / actor / "index.html").read_text("utf-8")
    assert 'id="sources"' in html and 'id="from-' in html  # still on the page


def test_quote_sections_give_search_the_whole_quote(built):
    """Material's search (lunr) ranks words, not phrases, and weighs a title word 1000 times a text
    word: a quote section whose title held only the heading's first 70 characters lost to any page
    whose title shared two of the words. The search title is the whole quote; the table of contents
    shows a short label and the page shows the quote once, in its card, under the speaker's name."""
    docs = json.loads((built / "search/search_index.json").read_text("utf-8"))["docs"]
    [lavrov] = [d for d in docs if d["location"] == f"{TREATY}#q-lavrov-treaty-serious-factor"]
    assert lavrov["title"] == ("Sergei Lavrov: “The treaty on a comprehensive strategic partnership between Russia "
                               "and Iran that is being prepared will become a serious factor in strengthening "
                               "Russian-Iranian relations,”")
    # The text under that title says who said it, when and how we know, not the quote again.
    assert lavrov["text"].startswith("<p>— Sergei Lavrov · direct speech · said c. 31 October 2024")
    assert "will become a serious factor" not in lavrov["text"] and "Context: Lavrov on the treaty" in lavrov["text"]
    html = (built / TREATY / "index.html").read_text("utf-8")
    assert "<blockquote>\n<p>The treaty on a comprehensive strategic partnership between Russia and Iran" in html
    short = "Sergei Lavrov: “The treaty on a comprehensive strategic partnership between Russia an…”"
    toc = re.search(r'<a href="#q-lavrov-treaty-serious-factor" class="md-nav__link">(.*?)</a>', html, re.S)
    assert unescape(" ".join(re.sub(r"<[^>]+>", " ", toc.group(1)).split())) == short
    shown = re.search(r'id="q-lavrov-treaty-serious-factor"><span hidden>.*?</span><span data-search-exclude>(.*?)</span>',
                      html)
    assert unescape(re.sub(r"<[^>]+>", "", shown.group(1))) == "Sergei Lavrov"


@pytest.mark.parametrize("query, path, anchor", PHRASES)
def test_material_search_lands_on_the_quote(page, site, local_only, query, path, anchor):
    first = material_search(page, site, query)
    assert first.locator("a").first.get_attribute("href").startswith(f"{site}{path}")
    best = first.locator("a[href*='#']").first
    assert best.get_attribute("href").endswith(f"#{anchor}")
    best.click()
    expect_quote_highlighted(page, site, path, anchor)


@pytest.mark.parametrize("query, path, anchor", PHRASES)
def test_finder_lands_on_the_quote(page, site, local_only, query, path, anchor):
    results = finder_search(page, site, query)
    link = results.first.locator(".finder-result-link")
    assert link.get_attribute("href").startswith(f"/briefing/{path}?h=")
    assert link.get_attribute("href").endswith(f"#{anchor}")
    # The page highlights the bare words: no "'s" or punctuation that would make an empty pattern.
    highlight = parse_qs(urlsplit(link.get_attribute("href")).query)["h"][0]
    assert highlight == " ".join(re.findall(r"[^\W_]+", re.sub(r"['’][sS]\b", " ", query)))
    link.click()
    expect_quote_highlighted(page, site, path, anchor)


@pytest.mark.parametrize("name, actor_page, speaker", NAMES)
def test_names_and_other_spellings_find_the_actor_and_their_quotes(page, site, local_only, name, actor_page, speaker):
    first = material_search(page, site, name)
    assert first.locator("a").first.get_attribute("href").startswith(f"{site}{actor_page}")
    results = finder_search(page, site, name)
    expect(results.first.locator(".finder-result-facts")).to_contain_text(f"Speaker: {speaker}")


def result_count(page: Page) -> int:
    message = page.locator(".finder-message")
    return int(re.match(r"(\d+) results?", message.inner_text()).group(1))


def filter_value(page: Page, kind: str, value: str):
    """The checkbox of one filter value, its panel opened first (values load only then)."""
    panel = page.locator(f".finder-filter[data-kind='{kind}']")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    return panel.locator(f"input[type=checkbox][value={json.dumps(value)}]")  # a value may hold a '



def test_finder_filters_narrow_and_clearing_restores(page, site, local_only):
    filter_requests = []
    page.on("request", lambda request: "/pagefind/filter/" in request.url and filter_requests.append(request.url))
    finder_search(page, site, "Iran")
    everything = result_count(page)
    assert everything > 10
    assert filter_requests == []  # a search alone loads no filter values
    speaker = filter_value(page, "speaker", "Sergei Lavrov")
    expect(speaker).to_have_count(1)
    assert len(filter_requests) == 1  # opening a panel loads that filter's values only
    expect(speaker).to_be_visible()
    # The briefing's few sources are all read, and the panel counts quotes: it says so.
    expect(page.locator("label[for='%s'] .finder-count" % speaker.get_attribute("id"))).to_have_text(
        re.compile(r"^\(\d+ quotes?\)$"))
    speaker.check()
    expect(page.locator(".finder-message")).not_to_contain_text(f"{everything} result")
    lavrov = result_count(page)
    assert 0 < lavrov < everything
    # Lavrov's source holds other speakers' quotes too: only his are shown, every one of them
    # (the briefing's few sources are read at once, so the count is exact).
    expect(page.locator(".finder-message")).not_to_contain_text("from the first")
    tags = page.locator(".finder-result-facts")
    expect(tags).to_have_count(lavrov)
    for i in range(tags.count()):
        assert "Speaker: Sergei Lavrov" in tags.nth(i).inner_text()
    speaker.uncheck()
    expect(page.locator(".finder-message")).to_contain_text(f"{everything} results")

    year = filter_value(page, "year", "2011")
    year.check()
    expect(page.locator(".finder-message")).not_to_contain_text(f"{everything} result")
    in_2011 = result_count(page)
    assert 0 < in_2011 < everything
    expect(tags).to_have_count(in_2011)
    for i in range(tags.count()):
        assert re.search(r"Date: .*2011", tags.nth(i).inner_text())
    year.uncheck()
    expect(page.locator(".finder-message")).to_contain_text(f"{everything} results")


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


SYNTHETIC_SOURCES = 30  # the finder reads 5 sources at a time
MANY_SOURCES = 45  # more than a filter panel reads to count quotes (finder.js: MAX_COUNTED_SOURCES, 40)


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
    (site / "find/index.html").write_text('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Find</title></head><body>'
                                          '<main><div id="briefing-finder"></div><script src="../pagefind/finder.js">'
                                          '</script></main></body></html>', "utf-8")
    server = StaticServer(site)
    yield f"{server.url}/", finder_records(loaded.corpus)
    server.stop()


def all_results(page: Page) -> list[str]:
    """Every quote the finder lists, "Show more results" pressed until it is gone: source/#anchor."""
    more = page.locator(".finder-more")
    while more.is_visible():
        shown = page.locator(".finder-result").count()
        expect(page.locator(".finder-message")).to_contain_text("from the first")
        more.click()
        expect(page.locator(".finder-result")).not_to_have_count(shown)
        wait_until_settled(page, "#briefing-finder", quiet_ms=300)
    links = page.locator(".finder-result-link")
    return [re.sub(r"\?[^#]*", "", links.nth(i).get_attribute("href")).split("/sources/")[1] for i in range(links.count())]


def expected(records, keep) -> list[str]:
    return sorted(f"{r.url.split('/')[1]}/#{q.anchor}" for r in records for q in r.quotes if keep(q))


def says(quote, *words) -> bool:
    """Every word is said somewhere in the quote's three parts (the synthetic words have one form each)."""
    said = re.findall(r"\w+", f"{quote.text} {quote.context} {quote.said_by}".lower())
    return all(word in said for word in words)


@pytest.mark.parametrize("query, keep", [
    ("security council", lambda q: says(q, "security", "council")),  # more quotes than one page
    # Pagefind gives a quoted phrase's first place in a record only; in this briefing one source
    # says "visit talks" in two quotes, and both must be found.
    ('"visit talks"', lambda q: any(re.search(r"\bvisit talks\b", part.lower()) for part in (q.text, q.context))),
])
def test_finder_reads_sources_a_few_at_a_time_and_finds_every_quote(page, synthetic, local_only, query, keep):
    url, records = synthetic
    want = expected(records, keep)
    assert len({w.split("/")[0] for w in want}) > 5  # more sources than one reading
    if query.startswith('"'):
        assert len({w.split("/")[0] for w in want}) < len(want)  # two quotes of one source say it
    page.goto(f"{url}find/")
    page.locator(".finder-input").press_sequentially(query, delay=10)
    expect(page.locator(".finder-message")).to_contain_text(re.compile(r"results? for "))
    wait_until_settled(page, "#briefing-finder")
    if len(want) > 20:  # a first page reads sources until it has 10 quotes, not all of them
        expect(page.locator(".finder-message")).to_contain_text(re.compile(r", from the first \d+ of \d+ sources found$"))
    found = all_results(page)
    assert sorted(found) == want and len(found) == len(set(found))
    expect(page.locator(".finder-message")).to_have_text(re.compile(rf"^{len(found)} results for \S"))


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
    violations = page.evaluate("async () => (await axe.run('#briefing-finder', {resultTypes: ['violations']})).violations")
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations
            if v["impact"] in ("serious", "critical")] == []


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
    expect(page.locator(".finder-message")).not_to_contain_text("from the first")  # the briefing's few sources at once
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

    phrase = re.compile(r"\bvisit talks\b")
    said = [q for r in records for q in r.quotes if any(phrase.search(p.lower()) for p in (q.text, q.context))]
    assert 0 < len({r.url for r in records for q in r.quotes if q in said}) <= 40
    page.locator(".finder-input").fill("")
    page.locator(".finder-input").press_sequentially('"visit talks"', delay=10)
    expect(page.locator(".finder-message")).to_contain_text("results for")
    counts = panel_counts(page, "speaker")
    want = {}
    for q in said:
        want[q.speaker] = want.get(q.speaker, 0) + 1
    assert {speaker: quotes_counted(c) for speaker, c in counts.items()} == want
