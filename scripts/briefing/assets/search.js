// The site's one search, on Pagefind: the header box (overrides/partials/search.html) and the Find
// a quote page (<div id="briefing-finder">) are two views of it. The records are briefing/finder.py's:
// one per page a reader lands on (a source with its quotes, an actor, a topic); the reader is shown
// quotes (each its own result, with speaker, date and source) and pages.
//
// Nothing is downloaded before the reader uses the search: the header's inline script loads this
// file on the first keystroke in the box (or when a page is opened from a result, to mark the
// words), and this file loads Pagefind on the first search, on the main thread (no worker file).
// Everything comes from the folder this file is served from, so the site works under any
// sub-path and asks no other host for anything.
//
// Pagefind finds records; a record is split back into its parts (the page's own, then three per
// quote: text, context, who said it, each ended by PART_END). A quote is a result when it holds
// the match itself: every word searched (Pagefind's matches, stems included), or, for a "quoted
// phrase", the phrase in its own text, with words split exactly as `briefing quotes` splits them
// (SEPARATOR below is briefing.quotesearch.SEPARATOR, a test checks), so the terminal and the
// site find the same quotes.
(function () {
  "use strict";
  if (window.briefingSearch) { window.briefingSearch.start(); return; }
  var here = new URL(".", document.currentScript.src);  // the index folder
  var root = new URL("..", here);                        // the site root
  var PART_END = "\u00b6";  // briefing.finder.PART_END
  var DETAILS = "details";  // briefing.finder.DETAILS_FIELD
  // Where a quote's facts sit in its entry of the record's details.quotes
  var ANCHOR = 0, SPEAKER = 1, DATE = 2, YEAR = 3, TOPICS = 4, KIND = 5, FIRST = 6, LAST = 7;
  var KINDS = [["speaker", "Speaker"], ["source", "Source"], ["outlet", "Outlet"], ["year", "Year"],
               ["topic", "Topic"], ["kind", "Kind of quote"]];
  var SEPARATOR = new RegExp(String.raw`['’][sS](?:[\s\-‐‑‒–—―,:;!?'’‘"“”«»…()\[\]/.]+|$)|[\s\-‐‑‒–—―,:;!?'’‘"“”«»…()\[\]/]+|\.(?!\d)|&(?:amp|lt|gt|quot);`, "g");
  // The characters Pagefind drops from a word before it looks it up (so "Iran's" is "irans").
  var PUNCTUATION = /[\p{Pd}\p{Pe}\p{Pf}\p{Pi}\p{Po}\p{Ps}]/gu;
  // Words never marked alone on a landing page (they are marked inside a marked phrase).
  var STOP = new Set(("a an and are as at be but by for from has have he her his i in into is it its of on or our " +
    "she so than that the their them they this to was we were what when which who will with you").split(" "));
  var PAGE_SIZE = 10;   // show at least this many more results at a time, when there are
  var BATCH = 5;        // records read together
  var MIN_READ = 10;    // records read at least, by relevance (Search.more)
  var MAX_COUNTED = 40; // the most records a filter panel reads to count quotes (else Pagefind's counts of sources)
  var loading = null;

  // How long to wait after a keystroke before searching. A word being typed that is only one or
  // two letters long so far would make Pagefind download every part of the index that holds
  // words beginning with them (at 5,000 sources, hundreds of kilobytes for "s"), so it is
  // searched only when the reader pauses; a longer one once the typing slows (300 ms, as
  // Pagefind's own debounced search waits).
  var TYPING_PAUSE = 300, SHORT_WORD_PAUSE = 700;
  function pauseFor(value) {
    var last = /(\S*)$/.exec(value)[1].replace(/[^\p{L}\p{N}]/gu, "");
    return last && last.length < 3 ? SHORT_WORD_PAUSE : TYPING_PAUSE;
  }

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

  // --- words, phrases and marks ----------------------------------------------------------------

  // Each word of `text` with where it is: [{word, start, end}], split as briefing.quotesearch.words.
  function spans(text) {
    var out = [], lower = text.toLowerCase().replace(/&/g, " "), at = 0, m;
    SEPARATOR.lastIndex = 0;
    while ((m = SEPARATOR.exec(lower)) !== null) {
      if (m.index > at) out.push({ word: lower.slice(at, m.index), start: at, end: m.index });
      at = m.index + m[0].length;
      if (!m[0].length) SEPARATOR.lastIndex++;
    }
    if (at < lower.length) out.push({ word: lower.slice(at), start: at, end: lower.length });
    return out;
  }

  function words(text) { return spans(text).map(function (s) { return s.word; }); }

  // A word as Pagefind compares it: lower case, without accents or punctuation.
  function bare(word) {
    return word.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(PUNCTUATION, "");
  }

  function commonStart(a, b) {
    var n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) n++;
    return n;
  }

  // How much of a searched word another word must start with to be that word in another form:
  // the English stemmer cuts only after the first vowel-then-consonant (Porter's R1).
  function stemFloor(term) {
    var vowel = /[aeiouy]/, i = 0;
    while (i < term.length && !vowel.test(term[i])) i++;
    while (i < term.length && vowel.test(term[i])) i++;
    return Math.min(term.length, Math.max(i + 1, 2));
  }

  // What the reader searched: Pagefind's words, the quotesearch words, and whether it is a "phrase".
  function readQuery(raw) {
    raw = raw || "";
    var phrase = /^\s*".+"\s*$/.test(raw);
    var plain = raw.replace(/"/g, " ");
    // The words as the terminal splits them ("step-by-step" is step, by, step), as Pagefind has them.
    var terms = Array.from(new Set(words(plain).map(bare).filter(Boolean)));
    return { raw: raw.trim(), plain: plain.trim(), phrase: phrase, terms: terms, floors: terms.map(stemFloor),
             words: words(plain) };
  }

  // Whether `list` holds `wanted` as a run of words; where it starts, or -1.
  function runAt(list, wanted, from) {
    if (!wanted.length) return -1;
    outer: for (var i = from || 0; i + wanted.length <= list.length; i++) {
      for (var j = 0; j < wanted.length; j++) if (list[i + j] !== wanted[j]) continue outer;
      return i;
    }
    return -1;
  }

  // briefing.quotesearch.contains_phrase
  function containsPhrase(text, phrase) {
    return runAt(words(text), words(phrase)) >= 0;
  }

  // Whether a word of a text is a searched word in another form (stems: "relations", "relationship").
  function sameWord(word, term) {
    if (word === term) return true;
    var shared = commonStart(word, term);
    return shared >= 4 && shared >= stemFloor(term) && (shared === term.length || shared === word.length ||
                                                          shared >= Math.min(word.length, term.length) - 3);
  }

  // The character ranges of `text` to mark for `query`: the phrase wherever it stands (a "phrase"),
  // else each run of searched words in a row; whole words only, and never a stop word alone.
  function markRanges(text, query) {
    var list = spans(text), ranges = [];
    if (!query.words.length) return ranges;
    if (query.phrase) {
      var wanted = query.words, ws = list.map(function (s) { return s.word; }), at = runAt(ws, wanted, 0);
      while (at >= 0) {
        ranges.push([list[at].start, list[at + wanted.length - 1].end]);
        at = runAt(ws, wanted, at + wanted.length);
      }
      return ranges;
    }
    // The words searched, in a row, as the quote says them: that phrase only.
    var ws = list.map(function (s) { return s.word; }), at = runAt(ws, query.words, 0);
    if (query.words.length > 1 && at >= 0) return markRanges(text, { phrase: true, words: query.words });
    var run = [];
    function close() {
      if (run.length && !(run.length === 1 && STOP.has(run[0].word))) ranges.push([run[0].start, run[run.length - 1].end]);
      run = [];
    }
    list.forEach(function (s) {
      var hit = query.words.some(function (term) { return sameWord(s.word, term); });
      if (hit) run.push(s); else close();
    });
    close();
    return ranges;
  }

  // `text` as a fragment with `ranges` in <mark>.
  function marked(text, ranges) {
    var out = document.createDocumentFragment(), at = 0;
    ranges.forEach(function (r) {
      if (r[0] > at) out.appendChild(document.createTextNode(text.slice(at, r[0])));
      out.appendChild(make("mark", {}, text.slice(r[0], r[1])));
      at = r[1];
    });
    if (at < text.length) out.appendChild(document.createTextNode(text.slice(at)));
    return out;
  }

  // --- records to results ----------------------------------------------------------------------

  // Which searched words the word at a matched position is: each piece of it ("Russian-Iranian" is
  // "russianiranian", "russian" and "iranian", as Pagefind indexes it) counts for the searched
  // words it shares the longest start with, past their stem floor; else (Pagefind also takes the
  // longest indexed word a searched word starts with) those it shares the longest start with.
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

  function longestRun(positions, partOf) {
    var run = 0, longest = 0;
    positions.sort(function (a, b) { return a - b; }).forEach(function (at, k, all) {
      run = k && at === all[k - 1] + 1 && partOf[at] === partOf[all[k - 1]] ? run + 1 : 1;
      longest = Math.max(longest, run);
    });
    return longest;
  }

  // The results one record holds: its quotes that hold the match and pass every chosen filter,
  // and the page itself when its own parts hold the match (and no filter is chosen). Each has a
  // rank, compared in order, highest first (see byRank).
  function resultsIn(data, rank, query, chosen) {
    var words_ = data.content.trim().split(/\s+/), details;
    try { details = JSON.parse(((data.filters || {})[DETAILS] || [])[0] || "null"); } catch (e) { details = null; }
    if (!details) return [];
    var parts = [], start = 0;
    for (var i = 0; i <= words_.length; i++) {
      if (i === words_.length || words_[i] === PART_END) { parts.push([start, i]); start = i + 1; }
    }
    var own = details.parts, quotes = details.quotes || [];
    if (parts.length !== own + 3 * quotes.length) return [];  // not a record this site wrote
    var partOf = [];
    parts.forEach(function (range, p) { for (var w = range[0]; w < range[1]; w++) partOf[w] = p; });
    function text(p) { return words_.slice(parts[p][0], parts[p][1]).join(" "); }
    // Per unit (0: the page; 1 + q: quote q): the matched positions and the searched words they are.
    var units = [{ hits: [], terms: new Set(), main: new Set(), score: 0 }];
    quotes.forEach(function () { units.push({ hits: [], terms: new Set(), main: new Set(), score: 0 }); });
    (data.weighted_locations || []).forEach(function (l) {
      var p = partOf[l.location];
      if (p === undefined) return;
      var unit = units[p < own ? 0 : 1 + Math.floor((p - own) / 3)];
      var main = p < own ? p === 0 : (p - own) % 3 === 0;  // the title; the quote's own text
      unit.hits.push(l.location);
      unit.score += l.balanced_score;
      termsOf(words_[l.location], query).forEach(function (t) { unit.terms.add(t); if (main) unit.main.add(t); });
    });
    var filters = data.filters || {}, found = [];
    var source = details.kind === "source" ? details.title : "", outlet = ((filters.outlet || [])[0]) || "";
    var titleWords = words(details.title), aboutWords = words(details.about);
    var n = query.words.length;
    function tier(mainText, isQuote) {
      if (!n) return 0;
      if (isQuote && words(mainText).join(" ") === query.words.join(" ")) return 4;  // the quote's whole text
      if (runAt(words(mainText), query.words) >= 0) return isQuote ? 2 : 1;
      return 0;
    }
    if (query.terms.length && !anyChosen(chosen)) {
      var page = units[0], ownText = "";
      // A phrase is searched in the page's text, not in a list of its words (details.listed: a
      // source's summary, each word once; see briefing.finder.summary_words).
      for (var p = 1; p < own; p++) if (p !== details.listed) ownText += " " + text(p);
      var holds = query.phrase ? containsPhrase(details.title + " " + ownText, query.plain)
                               : page.terms.size >= query.terms.length;
      if (holds) {
        // A name or another spelling of it finds its actor first: the actor it is the whole name
        // of ("Russia"), then those whose names hold it ("Security Council of Russia").
        var names = details.kind === "actor" && n ? [titleWords].concat(details.about.split(", ").map(words)) : [];
        var named = names.some(function (name) { return name.join(" ") === query.words.join(" "); }) ? 6 :
          names.some(function (name) { return runAt(name, query.words) >= 0; }) ? 5 : 0;
        found.push({ type: details.kind, url: data.url, title: details.title, about: details.about, query: query,
                     rank: [named || tier(details.title, false), longestRun(page.hits.filter(function (h) { return partOf[h] === 0; }), partOf),
                            page.main.size, 0, page.score, -rank, 0] });
      }
    }
    quotes.forEach(function (q, k) {
      var unit = units[1 + k], at = own + 3 * k, quoteText = text(at);
      if (query.terms.length) {
        if (query.phrase ? !containsPhrase(quoteText, query.plain) : unit.terms.size < query.terms.length) return;
      }
      if (!passes(q, source, outlet, chosen)) return;
      found.push({ type: "quote", url: data.url, anchor: q[ANCHOR], text: quoteText, context: text(at + 1),
                   speaker: q[SPEAKER], date: q[DATE], year: q[YEAR], topics: q[TOPICS], kind: q[KIND],
                   first: q[FIRST], last: q[LAST], source: source, outlet: outlet, query: query,
                   rank: [tier(quoteText, true), longestRun(unit.hits.filter(function (h) { return partOf[h] === at; }), partOf),
                          unit.main.size, 1, unit.score, -rank, -k] });
    });
    return found;
  }

  function anyChosen(chosen) {
    return KINDS.some(function (pair) { return chosen[pair[0]] && chosen[pair[0]].size; }) || !!(chosen.from || chosen.to);
  }

  // Whether a quote passes every chosen filter (`chosen`: kind -> Set, and from/to, ISO prefixes).
  function passes(q, source, outlet, chosen) {
    function ok(kind, values) {
      var set = chosen[kind];
      return !set || !set.size || values.some(function (v) { return set.has(v); });
    }
    if (!ok("speaker", [q[SPEAKER]]) || !ok("year", [q[YEAR]]) || !ok("topic", q[TOPICS]) || !ok("kind", [q[KIND]]) ||
        !ok("source", [source]) || !ok("outlet", [outlet])) return false;
    if (chosen.from && q[LAST] < chosen.from) return false;
    if (chosen.to && q[FIRST] > chosen.to) return false;
    return true;
  }

  function valuesOf(result, kind) {
    if (kind === "topic") return Array.from(new Set(result.topics));
    return [result[kind]];
  }

  function byRank(a, b) {
    for (var i = 0; i < a.rank.length; i++) if (a.rank[i] !== b.rank[i]) return b.rank[i] - a.rank[i];
    return 0;
  }

  function byDate(a, b) {
    return (b.last || "").localeCompare(a.last || "") || byRank(a, b);
  }

  // A date typed as YYYY, YYYY-MM or YYYY-MM-DD: its first or last day, ISO; "" if it is none.
  function day(value, last) {
    var m = /^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\s*$/.exec(value || "");
    if (!m) return "";
    if (m[3]) return m[1] + "-" + m[2] + "-" + m[3];
    if (m[2]) return m[1] + "-" + m[2] + "-" + (last ? String(new Date(Date.UTC(+m[1], +m[2], 0)).getUTCDate()) : "01");
    return m[1] + (last ? "-12-31" : "-01-01");
  }

  // Pagefind's filters for the chosen values: a date range narrows by the years it spans.
  function pagefindFilters(chosen, opened) {
    var filters = {};
    KINDS.forEach(function (pair) {
      var kind = pair[0];
      // {none: []} narrows nothing but makes Pagefind load this filter and count its values.
      if (chosen[kind] && chosen[kind].size) filters[kind] = { any: Array.from(chosen[kind]) };
      else if (opened && opened[kind]) filters[kind] = { none: [] };
    });
    if (chosen.from || chosen.to) {
      var years = [], first = +(chosen.from || "1900").slice(0, 4), last = +(chosen.to || "2100").slice(0, 4);
      for (var y = first; y <= last && years.length < 300; y++) years.push(String(y));
      if (filters.year && filters.year.any) years = years.filter(function (y) { return chosen.year.has(y); });
      filters.year = { any: years.length ? years : ["none"] };
    }
    return filters;
  }

  // One search: Pagefind's records, read a few at a time until `want` more results are found.
  // `alive` (optional) says whether the reader still wants it: once a newer search has started,
  // no more of its records are downloaded.
  function Search(query, chosen, sort, opened, alive) {
    this.query = query; this.chosen = chosen; this.sort = sort; this.opened = opened;
    this.alive = alive || function () { return true; };
    this.records = []; this.loaded = 0; this.response = null;
  }
  Search.prototype.run = function () {
    var self = this;
    return pagefind().then(function (pf) {
      var options = { filters: pagefindFilters(self.chosen, self.opened) };
      if (self.sort === "date") options.sort = { date: "desc" };
      return pf.search(self.query.plain || null, options).then(function (response) {
        self.response = response;
        self.records = response ? response.results : [];
        return self;
      });
    });
  };
  Search.prototype.more = function (want) {
    var self = this, found = [];
    function next() {
      // By relevance, at least MIN_READ records are read: a page Pagefind ranks a little below
      // some sources (an actor below the sources quoting them) still competes for the first places.
      var enough = found.length >= want && (self.sort === "date" || self.loaded >= MIN_READ);
      if (self.loaded >= self.records.length || enough || !self.alive()) return Promise.resolve(found);
      var batch = self.records.slice(self.loaded, self.loaded + BATCH), first = self.loaded;
      self.loaded += batch.length;
      return Promise.all(batch.map(function (r) { return r.data(); })).then(function (data) {
        data.forEach(function (record, i) {
          found = found.concat(resultsIn(record, first + i, self.query, self.chosen));
        });
        return next();
      });
    }
    return next().then(function (list) {
      if (self.sort === "date") return list.filter(function (r) { return r.type === "quote"; }).sort(byDate);
      return list.sort(byRank);
    });
  };
  Search.prototype.done = function () { return this.loaded >= this.records.length; };

  // A result's address: the quote's anchor on its source page (or the page), with what was
  // searched in ?h=, which the landing page marks inside that quote.
  function resultUrl(result) {
    var url = new URL(result.url, root);
    if (result.query.raw) url.searchParams.set("h", result.query.raw);
    if (result.anchor) url.hash = result.anchor;
    return url;
  }

  var TYPE_NAMES = { source: "Source", actor: "Actor", topic: "Topic" };
  // What a page's `about` line holds: an actor's other names, a source's outlet and date.
  var ABOUT_LABELS = { actor: "Also written", source: "Published" };

  // One result, drawn for a list (`classes`: the header's Material classes or the page's own).
  function drawResult(result, classes, href) {
    var item = make("li", { class: classes.item, "data-type": result.type });
    var link = make("a", { class: classes.link, href: href });
    var body = link.appendChild(make(classes.bodyTag, { class: classes.body }));
    var facts;
    if (result.type === "quote") {
      var text = body.appendChild(make(classes.titleTag, { class: classes.title }));
      text.appendChild(marked(result.text, markRanges(result.text, result.query)));
      facts = [["Speaker", result.speaker], ["Date", result.date],
               ["Source", result.source], ["Outlet", result.outlet]];  // "(inferred)" when it is
    } else {
      body.appendChild(make(classes.titleTag, { class: classes.title }, result.title));
      facts = [["Page", TYPE_NAMES[result.type]], [ABOUT_LABELS[result.type] || "", result.about]];
    }
    var line = body.appendChild(make("p", { class: classes.facts }));
    facts.forEach(function (fact) {
      if (fact[1]) line.appendChild(make("span", { class: classes.fact }, (fact[0] ? fact[0] + ": " : "") + fact[1]));
    });
    item.appendChild(link);
    return item;
  }

  // --- the landing page: the searched words marked inside the quote opened ---------------------

  function markLanding() {
    var h = new URLSearchParams(location.search).get("h");
    var id = "";
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (malformed) { return; }  // "#%E0": no quote
    var heading = h && id && document.getElementById(id);
    var card = heading && heading.parentElement;  // a quote's card: its heading, then the quote
    var quote = card && card.classList.contains("briefing-quote") && card.querySelector("blockquote");
    if (!quote || quote.dataset.marked === h) return;  // marked already (start runs on load and on document$)
    quote.dataset.marked = h;
    var query = readQuery(h), nodes = [], text = "";
    var walker = document.createTreeWalker(quote, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) { nodes.push({ node: walker.currentNode, start: text.length }); text += walker.currentNode.data; }
    var ranges = markRanges(text, query);
    // Wrap from the last range back, so that earlier offsets stay right.
    for (var r = ranges.length - 1; r >= 0; r--) {
      for (var k = nodes.length - 1; k >= 0; k--) {
        var n = nodes[k], from = Math.max(ranges[r][0], n.start), to = Math.min(ranges[r][1], n.start + n.node.data.length);
        if (from >= to) continue;
        var range = document.createRange();
        range.setStart(n.node, from - n.start);
        range.setEnd(n.node, to - n.start);
        range.surroundContents(make("mark", { class: "briefing-landing" }));
      }
    }
  }

  // The first results of a search by relevance, as the header box lists them: records are read
  // until `want` results are found, then ranked.
  function best(search, want) {
    return search.run().then(function () { return search.more(want); });
  }

  // What the header box would list for `raw`: [{type, url, anchor, text}] (for tests and the console).
  function topResults(raw, want) {
    want = want || HEADER_RESULTS;
    return best(new Search(readQuery(raw), {}, "relevance", null), want).then(function (found) {
      return found.slice(0, want).map(function (r) {
        return { type: r.type, url: r.url, anchor: r.anchor || "", text: r.type === "quote" ? r.text : r.title, rank: r.rank };
      });
    });
  }

  // --- the header box --------------------------------------------------------------------------

  var HEADER_CLASSES = { item: "md-search-result__item", link: "md-search-result__link", bodyTag: "article",
                         body: "md-search-result__article md-typeset", titleTag: "h2", title: "briefing-search__title",
                         facts: "briefing-search__facts", fact: "briefing-search__fact" };
  var HEADER_RESULTS = 8;

  function startHeader() {
    var input = document.getElementById("briefing-search-input");
    if (!input || input.dataset.started) return;
    input.dataset.started = "yes";
    var toggle = document.getElementById("__search");
    var status = document.getElementById("briefing-search-status");
    var list = document.getElementById("briefing-search-results");
    var all = document.getElementById("briefing-search-all");
    var timer = null, id = 0;

    function run() {
      var mine = ++id, query = readQuery(input.value);
      if (!query.terms.length) { status.textContent = "Type to search quotes, sources, actors and topics"; list.textContent = ""; all.hidden = true; return; }
      var search = new Search(query, {}, "relevance", null, function () { return mine === id; });
      best(search, HEADER_RESULTS).then(function (found) {
        if (mine !== id) return;
        list.textContent = "";
        found.slice(0, HEADER_RESULTS).forEach(function (result) {
          var url = resultUrl(result);
          list.appendChild(drawResult(result, HEADER_CLASSES, url.pathname + url.search + url.hash));
        });
        var shown = Math.min(found.length, HEADER_RESULTS), more = !search.done() || found.length > HEADER_RESULTS;
        status.textContent = (shown ? (more ? "The first " + shown + " results" : shown + (shown === 1 ? " result" : " results")) : "No results") +
          " for " + (query.phrase ? query.raw : "\u201c" + query.raw + "\u201d");
        var page = new URL("find/", root);
        page.searchParams.set("q", query.raw);
        all.href = page.pathname + page.search;
        all.hidden = false;
      }).catch(function (error) {
        if (mine !== id) return;
        status.textContent = "The search could not be loaded. Reload the page to try again.";
        console.error(error);
      });
    }

    input.addEventListener("input", function () {
      pagefind();  // start loading while the reader types
      clearTimeout(timer);
      timer = setTimeout(run, pauseFor(input.value));
    });
    input.form.addEventListener("reset", function () { setTimeout(run, 0); });
    input.form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      run();
    });
    // Arrow keys move between the box and the results.
    document.getElementById("briefing-search").addEventListener("keydown", function (event) {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      var links = Array.prototype.slice.call(list.querySelectorAll("a")).concat(all.hidden ? [] : [all]);
      if (!links.length) return;
      var at = links.indexOf(document.activeElement);
      var next = event.key === "ArrowDown" ? at + 1 : (at < 0 ? links.length - 1 : at - 1);
      event.preventDefault();
      if (next < 0) input.focus(); else links[Math.min(next, links.length - 1)].focus();
    });
    // A result opens its page (Material's instant navigation, or a full load): close the box.
    document.getElementById("briefing-search").addEventListener("click", function (event) {
      if (event.target instanceof Element && event.target.closest("a[href]")) {
        toggle.checked = false;
        toggle.dispatchEvent(new Event("change"));
      }
    });
    // Typed before this file arrived: searched when the typing pauses, as any keystroke is.
    if (input.value.trim()) timer = setTimeout(run, pauseFor(input.value));
  }

  // --- the Find a quote page -------------------------------------------------------------------

  var PAGE_CLASSES = { item: "finder-result", link: "finder-result-link", bodyTag: "div", body: "finder-result-body",
                       titleTag: "p", title: "finder-result-quote", facts: "finder-result-facts", fact: "finder-result-fact" };

  function startPage() {
    var element = document.getElementById("briefing-finder");
    if (!element || element.dataset.started) return;
    element.dataset.started = "yes";
    var params = new URLSearchParams(location.search);

    var form = make("form", { role: "search", class: "finder-form" });
    var input = make("input", {
      type: "search", class: "finder-input", autocomplete: "off", name: "q",
      "aria-label": "Search the quotes and pages", placeholder: "Search the quotes: a phrase, a name\u2026"
    });
    form.appendChild(input);
    var options = form.appendChild(make("div", { class: "finder-options" }));
    function field(label, control) {
      var wrap = options.appendChild(make("label", { class: "finder-option" }));
      wrap.append(make("span", { class: "finder-option-name" }, label), control);
      return control;
    }
    var from = field("From", make("input", { type: "text", name: "from", class: "finder-date", inputmode: "numeric",
                                             placeholder: "YYYY[-MM[-DD]]", pattern: "\\d{4}(-\\d{2}(-\\d{2})?)?" }));
    var to = field("To", make("input", { type: "text", name: "to", class: "finder-date", inputmode: "numeric",
                                         placeholder: "YYYY[-MM[-DD]]", pattern: "\\d{4}(-\\d{2}(-\\d{2})?)?" }));
    var sort = field("Sort by", make("select", { name: "sort", class: "finder-sort" }));
    sort.append(make("option", { value: "relevance" }, "relevance"), make("option", { value: "date" }, "date, newest first"));
    var body = make("div", { class: "finder-body" });
    var panels = make("div", { class: "finder-filters", role: "group", "aria-label": "Narrow the results" });
    var area = make("div", { class: "finder-area" });
    var message = make("p", { class: "finder-message", role: "status" });
    var list = make("ol", { class: "finder-results", "aria-label": "Results" });
    var more = make("button", { type: "button", class: "finder-more", hidden: "" }, "Show more results");
    area.append(message, list, more);
    body.append(panels, area);
    element.append(form, body);

    var selected = {}, opened = {}, boxes = {};
    KINDS.forEach(function (pair) {
      var kind = pair[0];
      selected[kind] = new Set(params.getAll(kind));
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
      if (selected[kind].size) { opened[kind] = true; details.open = true; }
    });
    input.value = params.get("q") || "";
    from.value = params.get("from") || "";
    to.value = params.get("to") || "";
    sort.value = params.get("sort") === "date" ? "date" : "relevance";

    var searchId = 0, timer = null, current = null, shown = 0;

    function chosen() {
      var c = {};
      KINDS.forEach(function (pair) { c[pair[0]] = selected[pair[0]]; });
      c.from = day(from.value, false);
      c.to = day(to.value, true);
      return c;
    }

    // The search in the address, so that it can be linked and reopened.
    function remember() {
      var url = new URL(location.href), c = chosen();
      url.search = "";
      if (input.value.trim()) url.searchParams.set("q", input.value.trim());
      KINDS.forEach(function (pair) { selected[pair[0]].forEach(function (v) { url.searchParams.append(pair[0], v); }); });
      if (c.from) url.searchParams.set("from", from.value.trim());
      if (c.to) url.searchParams.set("to", to.value.trim());
      if (sort.value === "date") url.searchParams.set("sort", "date");
      if (url.href !== location.href) history.replaceState(history.state, "", url.href);
    }

    function clear() {
      message.textContent = "";
      list.textContent = "";
      more.hidden = true;
    }

    function search() {
      var id = ++searchId, query = readQuery(input.value), c = chosen();
      remember();
      if (!query.terms.length && !anyChosen(c) && !KINDS.some(function (p) { return opened[p[0]]; })) return clear();
      var s = new Search(query, c, sort.value, opened, function () { return id === searchId; });
      s.run().then(function () {
        if (id !== searchId) return;
        var counting = countFilters(s, id);
        if (!query.terms.length && !anyChosen(c)) return counting.then(clear);
        current = s;
        shown = 0;
        list.textContent = "";
        return Promise.all([counting, showMore(id)]);
      }).catch(function (error) {
        if (id !== searchId) return;
        message.textContent = "The search could not be loaded. Reload the page to try again.";
        console.error(error);
      });
    }

    function showMore(id) {
      more.hidden = true;
      var s = current;
      return s.more(PAGE_SIZE).then(function (found) {
        if (id !== searchId) return;
        found.forEach(function (result) {
          var url = resultUrl(result);
          list.appendChild(drawResult(result, PAGE_CLASSES, url.pathname + url.search + url.hash));
        });
        shown += found.length;
        var what = s.query.raw ? (s.query.phrase ? s.query.raw : "\u201c" + s.query.raw + "\u201d") : "the chosen filters";
        var text = shown + (shown === 1 ? " result" : " results") + " for " + what;
        // Pages are read a few at a time: say that more may come ("Show more results").
        if (!s.done()) text += " so far, from " + s.loaded + " of " + s.records.length + " matching pages";
        message.textContent = text;
        more.hidden = s.done();
      });
    }

    // Draw the opened panels: with the quotes each value would show, when the words searched are
    // found in at most MAX_COUNTED records, else with Pagefind's counts of records (sources).
    function countFilters(s, id) {
      var kinds = KINDS.map(function (pair) { return pair[0]; }).filter(function (kind) { return opened[kind]; });
      var counts = (s.response && s.response.filters) || {};
      if (!kinds.length) return Promise.resolve();
      if (!s.query.terms.length) { drawFilters(counts, "source"); return Promise.resolve(); }
      // A panel's counts ignore its own kind's chosen values: they count among every record the
      // words are found in, not only those the chosen filters pass.
      var all = new Search(s.query, {}, "relevance", null);
      var found = anyChosen(s.chosen) ? all.run() : Promise.resolve({ records: s.records });
      return found.then(function (unfiltered) {
        if (id !== searchId) return;
        if (unfiltered.records.length > MAX_COUNTED) return drawFilters(counts, "source");
        return Promise.all(unfiltered.records.map(function (r) { return r.data(); })).then(function (records) {
          if (id !== searchId) return;
          var tallies = {};
          kinds.forEach(function (kind) {
            var others = Object.assign({}, s.chosen);
            others[kind] = new Set();
            var tally = tallies[kind] = Object.create(null);  // a value may be "constructor"
            records.forEach(function (record) {
              resultsIn(record, 0, s.query, others).forEach(function (result) {
                if (result.type !== "quote") return;
                valuesOf(result, kind).forEach(function (value) { tally[value] = (tally[value] || 0) + 1; });
              });
            });
          });
          drawFilters(tallies, "quote");
        });
      });
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
          var tick = li.appendChild(make("input", { type: "checkbox", id: id, value: entry[0] }));
          tick.checked = selected[kind].has(entry[0]);
          var label = li.appendChild(make("label", { for: id }, entry[0] + " "));
          label.appendChild(make("span", { class: "finder-count" }, "(" + entry[1] + " " + unit + (entry[1] === 1 ? ")" : "s)")));
          tick.addEventListener("change", function () {
            if (tick.checked) selected[kind].add(entry[0]);
            else selected[kind].delete(entry[0]);
            search();
          });
          if (focused === entry[0]) tick.focus();
        });
      });
    }

    input.addEventListener("input", function () {
      pagefind();  // start loading while the reader types
      clearTimeout(timer);
      timer = setTimeout(search, pauseFor(input.value));
    });
    [from, to].forEach(function (box) {
      box.addEventListener("change", function () { clearTimeout(timer); search(); });
      // As the reader types, as the words do: once the box holds a whole date (or nothing); a date
      // half typed ("2016-0") leaves the results as they are.
      box.addEventListener("input", function () {
        if (box.value.trim() && !day(box.value, false)) return;
        clearTimeout(timer);
        timer = setTimeout(search, 400);
      });
    });
    sort.addEventListener("change", function () { clearTimeout(timer); search(); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      search();
    });
    more.addEventListener("click", function () { showMore(searchId); });
    if (input.value.trim() || anyChosen(chosen())) search();
  }

  function start() {
    if (!document.querySelector("link[data-briefing-search]")) {
      document.head.appendChild(make("link", { rel: "stylesheet", href: new URL("search.css", here).href, "data-briefing-search": "" }));
    }
    startHeader();
    startPage();
    markLanding();
  }

  window.briefingSearch = { start: start, words: words, containsPhrase: containsPhrase, markRanges: markRanges,
                            readQuery: readQuery, topResults: topResults, pauseFor: pauseFor };
  // This file may run before the page below the header is parsed (it is loaded from the header, and
  // a cached copy runs at once): start when the document is there. Material's instant navigation
  // then swaps pages without reloading the document (document$), and sets the address (location$)
  // before or after it: the landing is marked once both are there.
  function boot() {
    start();
    if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(start);
    if (window.location$ && typeof window.location$.subscribe === "function") {
      window.location$.subscribe(function () { setTimeout(markLanding, 0); });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
