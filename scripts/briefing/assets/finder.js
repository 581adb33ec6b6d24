// The "Find a quote" page: a small UI on Pagefind's JS API over one record per quote (see
// briefing/finder.py). Everything is loaded from the folder this file is served from, so the page
// works under any sub-path and asks no other host for anything. A page opts in with
// <div id="briefing-finder">.
//
// What a reader downloads is kept small: Pagefind is loaded on the first search, on the main
// thread (no worker file), and a filter's values are loaded only when its panel is opened, not all
// at start as Pagefind's default UI does.
(function () {
  var here = new URL(".", document.currentScript.src);
  var KINDS = [["speaker", "Speaker"], ["source", "Source"], ["outlet", "Outlet"], ["year", "Year"], ["topic", "Topic"]];
  var PAGE_SIZE = 10;
  var QUOTE_END = "\u00b6"; // ends the quote in a record's content (briefing.finder.QUOTE_END)
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

  // The words of `words` from `start` to `end`, each matched one (a Pagefind location) marked.
  function marked(words, start, end, locations) {
    var out = document.createDocumentFragment();
    for (var i = start; i < end; i++) {
      if (i > start) out.appendChild(document.createTextNode(" "));
      out.appendChild(locations.has(i) ? make("mark", {}, words[i]) : document.createTextNode(words[i]));
    }
    return out;
  }

  function start() {
    var element = document.getElementById("briefing-finder");
    if (!element || element.dataset.started) return;
    element.dataset.started = "yes";

    var form = make("form", { role: "search", class: "finder-form" });
    var input = make("input", {
      type: "search", class: "finder-input", autocomplete: "off", autofocus: "",
      "aria-label": "Search the quotes", placeholder: "Search the quotes: a phrase, a name…"
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
          boxes[kind].textContent = "Loading…";
          search();
        }
      });
      panels.appendChild(details);
    });

    var searchId = 0, timer = null, results = [], shown = 0, term = "";

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

    function search() {
      var id = ++searchId;
      term = input.value.trim();
      var chosen = filters();
      if (!term && !Object.keys(chosen).length) {
        results = [];
        message.textContent = "";
        list.textContent = "";
        more.hidden = true;
        return;
      }
      pagefind().then(function (pf) {
        return pf.search(term || null, { filters: chosen });
      }).then(function (response) {
        if (id !== searchId || !response) return;
        drawFilters(response.filters || {});
        if (!term && !anySelected()) {
          results = [];
          message.textContent = "";
          list.textContent = "";
          more.hidden = true;
          return;
        }
        results = response.results;
        shown = 0;
        list.textContent = "";
        var n = results.length;
        message.textContent = n + (n === 1 ? " result" : " results") + " for " +
          (term ? (/^".*"$/.test(term) ? term : "“" + term + "”") : "the chosen filters");  // a quoted phrase keeps its own quotes
        showMore(id);
      }).catch(function (error) {
        if (id !== searchId) return;
        message.textContent = "The quote index could not be loaded. Reload the page to try again.";
        console.error(error);
      });
    }

    function showMore(id) {
      var page = results.slice(shown, shown + PAGE_SIZE);
      shown += page.length;
      more.hidden = shown >= results.length;
      Promise.all(page.map(function (result) { return result.data(); })).then(function (data) {
        if (id !== searchId) return;
        data.forEach(function (quote) { list.appendChild(drawResult(quote)); });
      });
    }

    function drawResult(quote) {
      var words = quote.content.trim().split(/\s+/);
      var locations = new Set(quote.locations || []);
      var quoteEnd = words.indexOf(QUOTE_END);
      if (quoteEnd < 0) quoteEnd = words.length;
      var url = new URL(quote.url, location.href);
      // Material's search.highlight marks the searched words on the page a result opens (?h=).
      // Give it the bare words, as its own results do: a trailing "'s" or comma would leave an
      // empty pattern that marks every position on the page.
      var highlight = term.replace(/['’][sS]\b/g, " ").split(/[^\p{L}\p{N}]+/u).filter(Boolean).join(" ");
      if (highlight) url.searchParams.set("h", highlight);
      var item = make("li", { class: "finder-result" });
      var text = item.appendChild(make("p", { class: "finder-result-quote" }));
      var link = text.appendChild(make("a", { class: "finder-result-link", href: url.pathname + url.search + url.hash }));
      link.appendChild(marked(words, 0, quoteEnd, locations));
      // When the words were found in the quote's context, show that context too.
      var contextEnd = words.indexOf(QUOTE_END, quoteEnd + 1);
      if (contextEnd > quoteEnd + 1) {
        var inContext = false;
        locations.forEach(function (at) { if (at > quoteEnd && at < contextEnd) inContext = true; });
        if (inContext) {
          var context = item.appendChild(make("p", { class: "finder-result-context" }));
          context.appendChild(marked(words, quoteEnd + 1, contextEnd, locations));
        }
      }
      var filters = quote.filters || {};
      var facts = item.appendChild(make("p", { class: "finder-result-facts" }));
      var first = function (kind) { return (filters[kind] || [])[0] || ""; };
      [["Speaker", first("speaker")], ["Date", (quote.meta || {}).date || ""],
       ["Source", first("source") + (first("outlet") ? " (" + first("outlet") + ")" : "")]].forEach(function (fact) {
        if (fact[1]) facts.appendChild(make("span", { class: "finder-result-fact" }, fact[0] + ": " + fact[1]));
      });
      return item;
    }

    function drawFilters(counts) {
      KINDS.forEach(function (pair) {
        var kind = pair[0];
        if (!opened[kind]) return;
        var box = boxes[kind];
        var focused = box.contains(document.activeElement) ? document.activeElement.value : null;
        var values = Object.entries(counts[kind] || {}).filter(function (entry) {
          return entry[1] > 0 || selected[kind].has(entry[0]);
        });
        values.sort(kind === "year"
          ? function (a, b) { return b[0].localeCompare(a[0]); }
          : function (a, b) { return b[1] - a[1] || a[0].localeCompare(b[0]); });
        box.textContent = "";
        if (!values.length) box.appendChild(make("p", { class: "finder-none" }, "No " + pair[1].toLowerCase() + " among these results."));
        var listing = box.appendChild(make("ul", { class: "finder-value-list" }));
        values.forEach(function (entry, i) {
          var id = "finder-" + kind + "-" + i;
          var li = listing.appendChild(make("li", { class: "finder-value" }));
          var box_ = li.appendChild(make("input", { type: "checkbox", id: id, value: entry[0] }));
          box_.checked = selected[kind].has(entry[0]);
          var label = li.appendChild(make("label", { for: id }, entry[0] + " "));
          label.appendChild(make("span", { class: "finder-count" }, "(" + entry[1] + ")"));
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
