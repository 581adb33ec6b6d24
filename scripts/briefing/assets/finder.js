// The "Find a quote" page: Pagefind's own UI over one record per quote (see briefing/finder.py).
// Everything is loaded from the folder this file is served from, so the page works under any
// sub-path and asks no other host for anything. A page opts in with <div id="briefing-finder">.
(function () {
  var here = new URL(".", document.currentScript.src);

  function start() {
    var element = document.getElementById("briefing-finder");
    if (!element || element.dataset.started) return;
    element.dataset.started = "yes";
    var term = "";
    new PagefindUI({
      element: element,
      bundlePath: here.pathname,
      showImages: false,
      showSubResults: false,
      excerptLength: 40,
      pageSize: 10,
      openFilters: ["speaker", "year"],
      autofocus: true,
      translations: { placeholder: "Search the quotes: a phrase, a name…" },
      processTerm: function (value) { term = value; return value; },
      // Material's search.highlight marks the searched words on the page a result opens (?h=).
      processResult: function (result) {
        var url = new URL(result.url, location.href);
        if (term) url.searchParams.set("h", term.replace(/"/g, ""));
        result.url = url.pathname + url.search + url.hash;
        return result;
      }
    });
    // Pagefind's input has only a title; give it a name of its own (axe: label-title-only).
    var input = element.querySelector("input");
    if (input) input.setAttribute("aria-label", "Search the quotes");
  }

  if (window.PagefindUI) {
    start();
  } else {
    ["pagefind-ui.css", "finder.css"].forEach(function (name) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = new URL(name, here).href;
      document.head.appendChild(css);
    });
    var ui = document.createElement("script");
    ui.src = new URL("pagefind-ui.js", here).href;
    ui.onload = start;
    document.head.appendChild(ui);
  }
  // Material's instant navigation swaps the page content without reloading the document.
  if (window.document$) window.document$.subscribe(start);
})();
