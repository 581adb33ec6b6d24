// The "Find a quote" page: a small UI on Pagefind's JS API over one record per source (see
// briefing/finder.py). Everything is loaded from the folder this file is served from, so the page
// works under any sub-path and asks no other host for anything. A page opts in with
// <div id="briefing-finder">.
//
// What a reader downloads is kept small: Pagefind is loaded on the first search, on the main
// thread (no worker file), and a filter's values are loaded only when its panel is opened, not all
// at start as Pagefind's default UI does.
//
// Pagefind finds sources; the reader is shown quotes. A record is split back into its quotes (three
// parts each: text, context, who said it, each ended by QUOTE_END), and a quote is shown only when
// it holds the match itself (every word searched, or the whole quoted phrase) and passes every
// chosen filter: Pagefind's filters pass a source when any of its quotes does.
//
// So a filter panel counts quotes too: when the words searched are found in few enough sources, it
// reads them all and shows, beside each value, how many quotes ticking it would show (the other
// kinds' chosen values applied, not its own kind's, as faceted search does), and hides values no
// shown quote has. Beyond that, or with no words searched, it shows Pagefind's counts of sources.
(function () {
  var here = new URL(".", document.currentScript.src);
  var KINDS = [["speaker", "Speaker"], ["source", "Source"], ["outlet", "Outlet"], ["year", "Year"], ["topic", "Topic"]];
  var PAGE_SIZE = 10;    // show at least this many more quotes at a time, when there are
  var SOURCE_BATCH = 5;  // source records loaded together
  var QUOTE_END = "\u00b6";  // ends each part of a quote in a record (briefing.finder.QUOTE_END)
  var QUOTES_FIELD = "quotes";  // the record's quote details (briefing.finder.QUOTES_FIELD)
  // The most sources a panel reads to count quotes: reading them is a download each (Pagefind
  // keeps what it has read, for the results too). Past this, a panel shows Pagefind's counts of sources.
  var MAX_COUNTED_SOURCES = 40;
  var QUOTE_WEIGHT = 2;  // a match in the quote's own text against one in its context (finder.py)
  // Where a quote's details sit in its entry of the record's QUOTES_FIELD: [anchor, speaker, date, year, [topic]]
  var ANCHOR = 0, SPEAKER = 1, DATE = 2, YEAR = 3, TOPICS = 4;
  // The characters Pagefind drops from a search before it looks words up (so "Iran's" is "irans").
  var PUNCTUATION = /[\p{Pd}\p{Pe}\p{Pf}\p{Pi}\p{Po}\p{Ps}]/gu;
  var loading = null;

  function pagefind() {
    if (!loading) {
      loading = import(new URL("pagefind.js", here).href).then(function (pf) {
        return pf.options({ noWorker: true }).then(function () { return pf; });
      });
    }
    return loading;
  }

  function make(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // The words of `words` from `start` to `end`, each matched one (in `hits`, a Set of positions) marked.
  function marked(words, start, end, hits) {
    var out = document.createDocumentFragment();
    for (var i = start; i < end; i++) {
      if (i > start) out.appendChild(document.createTextNode(" "));
      out.appendChild(hits.has(i) ? make("mark", {}, words[i]) : document.createTextNode(words[i]));
    }
    return out;
  }

  // A word as Pagefind compares it: lower case, without accents or punctuation.
  function bare(word) {
    return word.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(PUNCTUATION, "");
  }

  function commonStart(a, b) {
    var n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) n++;
    return n;
  }

  // How much of a searched word another word must start with to be that word in another form.
  // Pagefind matches stems ("relations" finds "relationship") and the English stemmer cuts only
  // after the first vowel-then-consonant of a word (Porter's R1), so that much must be shared.
  function stemFloor(term) {
    var vowel = /[aeiouy]/, i = 0;
    while (i < term.length && !vowel.test(term[i])) i++;
    while (i < term.length && vowel.test(term[i])) i++;
    return Math.min(term.length, Math.max(i + 1, 2));
  }

  // What the reader searched: the words as Pagefind reads them, and whether they are a "quoted phrase".
  function readQuery(term) {
    var terms = term.split(/\s+/).map(bare).filter(Boolean);
    return { terms: terms, phrase: /^\s*".+"\s*$/.test(term), floors: terms.map(stemFloor) };
  }

  // Which searched words the word at a matched position is: each piece of it ("Russian-Iranian" is
  // "russianiranian", "russian" and "iranian", as Pagefind indexes it) counts for the searched
  // words it shares the longest start with, past their stem floor. Pagefind matched the word to
  // some searched word, so when none reaches its floor (Pagefind also takes the longest indexed
  // word a searched word starts with), the word counts for those it shares the longest start with.
  function termsOf(word, query) {
    var pieces = [bare(word)].concat(word.split(PUNCTUATION).map(bare)).filter(Boolean);
    function closest(useFloor) {
      var found = new Set();
      pieces.forEach(function (piece) {
        var best = 0, which = [];
        query.terms.forEach(function (term, t) {
          var shared = commonStart(piece, term);
          if (useFloor && shared < query.floors[t]) return;
          if (shared > best) { best = shared; which = [t]; }
          else if (shared === best && shared > 0) which.push(t);
        });
        which.forEach(function (t) { found.add(t); });
      });
      return found;
    }
    var found = closest(true);
    if (!found.size) found = closest(false);
    if (!found.size && query.terms.length === 1) found.add(0);
    return found;
  }

  // A quoted phrase: Pagefind gives only its first place in a record; find every other place the
  // same words stand in a row (never across a QUOTE_END, which is no word).
  function phrasePlaces(words, located, length) {
    var first = located.map(function (l) { return l.location; }).sort(function (a, b) { return a - b; });
    if (first.length !== length || first[length - 1] - first[0] !== length - 1) return located;
    var wanted = words.slice(first[0], first[0] + length).map(bare).join(" ");
    var places = [];
    for (var i = 0; i + length <= words.length; i++) {
      if (words.slice(i, i + length).map(bare).join(" ") !== wanted) continue;
      for (var j = i; j < i + length; j++) places.push({ location: j, balanced_score: 1 });
    }
    return places;
  }

  // The quotes of one source record that hold the match and pass every chosen filter, each with
  // what ranks it: the longest run of searched words in a row, how many searched words its own
  // text holds, and Pagefind's score of its matched words (weighted like the record).
  function quotesIn(data, rank, query, selected) {
    var words = data.content.trim().split(/\s+/);
    var details;
    try { details = JSON.parse(((data.filters || {})[QUOTES_FIELD] || [])[0] || "[]"); } catch (e) { details = []; }
    var parts = [], start = 0;
    for (var i = 0; i <= words.length; i++) {
      if (i === words.length || words[i] === QUOTE_END) { parts.push([start, i]); start = i + 1; }
    }
    if (parts.length !== details.length * 3) return [];  // not a record this finder wrote
    var partOf = [];
    parts.forEach(function (range, p) { for (var w = range[0]; w < range[1]; w++) partOf[w] = p; });
    var located = data.weighted_locations || [];
    if (query.phrase && query.terms.length > 1) located = phrasePlaces(words, located, query.terms.length);
    var found = details.map(function () { return { hits: new Set(), terms: new Set(), inText: new Set(), score: 0 }; });
    located.forEach(function (l) {
      var p = partOf[l.location];
      if (p === undefined) return;
      var quote = found[Math.floor(p / 3)];
      quote.hits.add(l.location);
      quote.score += query.phrase ? (p % 3 === 0 ? QUOTE_WEIGHT * QUOTE_WEIGHT : 1) : l.balanced_score;
      termsOf(words[l.location], query).forEach(function (t) {
        quote.terms.add(t);
        if (p % 3 === 0) quote.inText.add(t);
      });
    });
    var source = ((data.filters || {}).source || [""])[0], outlet = ((data.filters || {}).outlet || [""])[0];
    var quotes = [];
    details.forEach(function (detail, q) {
      var f = found[q];
      if (query.terms.length && (!f.hits.size || (!query.phrase && f.terms.size < query.terms.length))) return;
      if (selected.speaker.size && !selected.speaker.has(detail[SPEAKER])) return;
      if (selected.year.size && !selected.year.has(detail[YEAR])) return;
      if (selected.topic.size && !detail[TOPICS].some(function (t) { return selected.topic.has(t); })) return;
      if (selected.source.size && !selected.source.has(source)) return;
      if (selected.outlet.size && !selected.outlet.has(outlet)) return;
      var run = 0, longest = 0;
      Array.from(f.hits).sort(function (a, b) { return a - b; }).forEach(function (at, k, all) {
        run = k && at === all[k - 1] + 1 && partOf[at] === partOf[all[k - 1]] ? run + 1 : 1;
        longest = Math.max(longest, run);
      });
      quotes.push({
        words: words, text: parts[3 * q], context: parts[3 * q + 1], hits: f.hits, detail: detail,
        url: data.url, source: source, outlet: outlet,
        rank: [longest, f.inText.size, f.score, -rank, -q]
      });
    });
    return quotes;
  }

  // A quote's values of one filter kind.
  function valuesOf(quote, kind) {
    if (kind === "speaker") return [quote.detail[SPEAKER]];
    if (kind === "year") return [quote.detail[YEAR]];
    if (kind === "topic") return Array.from(new Set(quote.detail[TOPICS]));
    return [quote[kind]];  // source, outlet: the record's
  }

  function byRank(a, b) {
    for (var i = 0; i < a.rank.length; i++) if (a.rank[i] !== b.rank[i]) return b.rank[i] - a.rank[i];
    return 0;
  }

  function start() {
    var element = document.getElementById("briefing-finder");
    if (!element || element.dataset.started) return;
    element.dataset.started = "yes";

    var form = make("form", { role: "search", class: "finder-form" });
    var input = make("input", {
      type: "search", class: "finder-input", autocomplete: "off", autofocus: "",
      "aria-label": "Search the quotes", placeholder: "Search the quotes: a phrase, a name\u2026"
    });
    form.appendChild(input);
    var body = make("div", { class: "finder-body" });
    var panels = make("div", { class: "finder-filters", role: "group", "aria-label": "Narrow the results" });
    var area = make("div", { class: "finder-area" });
    var message = make("p", { class: "finder-message", role: "status" });
    var list = make("ol", { class: "finder-results" });
    var more = make("button", { type: "button", class: "finder-more", hidden: "" }, "Show more results");
    area.append(message, list, more);
    body.append(panels, area);
    element.append(form, body);

    var selected = {};   // kind -> Set of chosen values
    var opened = {};     // kind -> true once its panel was opened (its values are loaded)
    var boxes = {};      // kind -> the element listing its values
    KINDS.forEach(function (pair) {
      var kind = pair[0];
      selected[kind] = new Set();
      var details = make("details", { class: "finder-filter", "data-kind": kind });
      details.appendChild(make("summary", {}, pair[1]));
      boxes[kind] = details.appendChild(make("div", { class: "finder-values" }));
      details.addEventListener("toggle", function () {
        if (details.open && !opened[kind]) {
          opened[kind] = true;
          boxes[kind].textContent = "Loading\u2026";
          search();
        }
      });
      panels.appendChild(details);
    });

    // results: the sources Pagefind found, best first; loaded: how many of them were read;
    // shown: the quotes listed so far.
    var searchId = 0, timer = null, results = [], loaded = 0, shown = 0, term = "", query = readQuery("");

    function filters() {
      var chosen = {};
      KINDS.forEach(function (pair) {
        var kind = pair[0];
        // {none: []} narrows nothing but makes Pagefind load this filter and count its values.
        if (selected[kind].size) chosen[kind] = { any: Array.from(selected[kind]) };
        else if (opened[kind]) chosen[kind] = { none: [] };
      });
      return chosen;
    }

    function anySelected() {
      return KINDS.some(function (pair) { return selected[pair[0]].size > 0; });
    }

    function clear() {
      results = [];
      message.textContent = "";
      list.textContent = "";
      more.hidden = true;
    }

    function search() {
      var id = ++searchId;
      term = input.value.trim();
      var chosen = filters();
      if (!term && !Object.keys(chosen).length) return clear();
      pagefind().then(function (pf) {
        return pf.search(term || null, { filters: chosen }).then(function (response) {
          if (id !== searchId || !response) return;
          var counting = countFilters(pf, id, response);
          if (!term && !anySelected()) return counting.then(clear);
          query = readQuery(term);
          results = response.results;
          loaded = shown = 0;
          list.textContent = "";
          return Promise.all([counting, showMore(id)]);
        });
      }).catch(function (error) {
        if (id !== searchId) return;
        message.textContent = "The quote index could not be loaded. Reload the page to try again.";
        console.error(error);
      });
    }

    // Draw the opened panels: with the quotes each value would show, when the words searched are
    // found in at most MAX_COUNTED_SOURCES sources, else with Pagefind's counts of sources.
    function countFilters(pf, id, response) {
      var kinds = KINDS.map(function (pair) { return pair[0]; }).filter(function (kind) { return opened[kind]; });
      var words = term, sourceCounts = response.filters || {};
      if (!kinds.length) return Promise.resolve();
      if (!words) { drawFilters(sourceCounts, "source"); return Promise.resolve(); }
      // A panel's counts ignore its own kind's chosen values, so they count among every source
      // the words are found in, not only those the chosen filters pass.
      var found = anySelected() ? pf.search(words) : Promise.resolve(response);
      return found.then(function (unfiltered) {
        if (id !== searchId || !unfiltered) return;
        if (unfiltered.results.length > MAX_COUNTED_SOURCES) return drawFilters(sourceCounts, "source");
        return Promise.all(unfiltered.results.map(function (result) { return result.data(); })).then(function (records) {
          if (id !== searchId) return;
          var wanted = readQuery(words), counts = {};
          kinds.forEach(function (kind) {
            var others = {};
            KINDS.forEach(function (pair) { others[pair[0]] = pair[0] === kind ? new Set() : selected[pair[0]]; });
            var tally = counts[kind] = Object.create(null);  // a value may be "constructor"
            records.forEach(function (record) {
              quotesIn(record, 0, wanted, others).forEach(function (quote) {
                valuesOf(quote, kind).forEach(function (value) { tally[value] = (tally[value] || 0) + 1; });
              });
            });
          });
          drawFilters(counts, "quote");
        });
      });
    }

    // Read the next sources, a few at a time, until PAGE_SIZE more quotes are found or none are
    // left; list those quotes best first.
    function showMore(id) {
      var found = [];
      more.hidden = true;
      function next() {
        if (loaded >= results.length || found.length >= PAGE_SIZE) return Promise.resolve();
        var batch = results.slice(loaded, loaded + SOURCE_BATCH), first = loaded;
        loaded += batch.length;
        return Promise.all(batch.map(function (result) { return result.data(); })).then(function (data) {
          if (id !== searchId) return;
          data.forEach(function (record, i) { found = found.concat(quotesIn(record, first + i, query, selected)); });
          return next();
        });
      }
      return next().then(function () {
        if (id !== searchId) return;
        found.sort(byRank).forEach(function (quote) { list.appendChild(drawResult(quote)); });
        shown += found.length;
        var what = term ? (/^".*"$/.test(term) ? term : "\u201c" + term + "\u201d") : "the chosen filters";  // a quoted phrase keeps its own quotes
        var text = shown + (shown === 1 ? " result" : " results") + " for " + what;
        if (loaded < results.length) text += ", from the first " + loaded + " of " + results.length + " sources found";
        message.textContent = text;
        more.hidden = loaded >= results.length;
      });
    }

    function drawResult(quote) {
      var words = quote.words;
      var url = new URL(quote.url, location.href);
      url.hash = quote.detail[ANCHOR];
      // Material's search.highlight marks the searched words on the page a result opens (?h=).
      // Give it the bare words, as its own results do: a trailing "'s" or comma would leave an
      // empty pattern that marks every position on the page.
      var highlight = term.replace(/['\u2019][sS]\b/g, " ").split(/[^\p{L}\p{N}]+/u).filter(Boolean).join(" ");
      if (highlight) url.searchParams.set("h", highlight);
      var item = make("li", { class: "finder-result" });
      var text = item.appendChild(make("p", { class: "finder-result-quote" }));
      var link = text.appendChild(make("a", { class: "finder-result-link", href: url.pathname + url.search + url.hash }));
      link.appendChild(marked(words, quote.text[0], quote.text[1], quote.hits));
      // When the words were found in the quote's context, show that context too.
      var context = quote.context, inContext = false;
      quote.hits.forEach(function (at) { if (at >= context[0] && at < context[1]) inContext = true; });
      if (inContext) {
        item.appendChild(make("p", { class: "finder-result-context" })).appendChild(marked(words, context[0], context[1], quote.hits));
      }
      var facts = item.appendChild(make("p", { class: "finder-result-facts" }));
      [["Speaker", quote.detail[SPEAKER]], ["Date", quote.detail[DATE]],
       ["Source", quote.source + (quote.outlet ? " (" + quote.outlet + ")" : "")]].forEach(function (fact) {
        if (fact[1]) facts.appendChild(make("span", { class: "finder-result-fact" }, fact[0] + ": " + fact[1]));
      });
      return item;
    }

    // counts: kind -> {value: how many}; unit: what is counted, "quote" or "source". A value
    // counted 0 is left out, unless it is chosen (so that it can be unticked).
    function drawFilters(counts, unit) {
      KINDS.forEach(function (pair) {
        var kind = pair[0];
        if (!opened[kind]) return;
        var box = boxes[kind];
        var focused = box.contains(document.activeElement) ? document.activeElement.value : null;
        var all = Object.assign(Object.create(null), counts[kind] || {});
        selected[kind].forEach(function (value) { all[value] = all[value] || 0; });
        var values = Object.entries(all).filter(function (entry) {
          return entry[1] > 0 || selected[kind].has(entry[0]);
        });
        values.sort(kind === "year"
          ? function (a, b) { return b[0].localeCompare(a[0]); }
          : function (a, b) { return b[1] - a[1] || a[0].localeCompare(b[0]); });
        box.textContent = "";
        if (!values.length) {
          box.appendChild(make("p", { class: "finder-none" }, "No " + pair[1].toLowerCase() + " among these results."));
          return;
        }
        var listing = box.appendChild(make("ul", { class: "finder-value-list" }));
        values.forEach(function (entry, i) {
          var id = "finder-" + kind + "-" + i;
          var li = listing.appendChild(make("li", { class: "finder-value" }));
          var box_ = li.appendChild(make("input", { type: "checkbox", id: id, value: entry[0] }));
          box_.checked = selected[kind].has(entry[0]);
          var label = li.appendChild(make("label", { for: id }, entry[0] + " "));
          // Say what is counted: quotes, or sources where Pagefind's counts are shown (a record is a source).
          label.appendChild(make("span", { class: "finder-count" }, "(" + entry[1] + " " + unit + (entry[1] === 1 ? ")" : "s)")));
          box_.addEventListener("change", function () {
            if (box_.checked) selected[kind].add(entry[0]);
            else selected[kind].delete(entry[0]);
            search();
          });
          if (focused === entry[0]) box_.focus();
        });
      });
    }

    input.addEventListener("input", function () {
      pagefind();  // start loading while the reader types
      clearTimeout(timer);
      timer = setTimeout(search, 250);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      search();
    });
    more.addEventListener("click", function () { showMore(searchId); });
  }

  function load() {
    if (!document.querySelector("link[data-briefing-finder]")) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = new URL("finder.css", here).href;
      css.dataset.briefingFinder = "";
      document.head.appendChild(css);
    }
    start();
  }

  load();
  // Material's instant navigation swaps the page content without reloading the document.
  if (window.document$) window.document$.subscribe(load);
})();
