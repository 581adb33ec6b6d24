/* The briefing's three small helpers; nothing here asks any host for anything.
 *
 * 1. A quote's "link" copies the quote's address: its card on its source page (there, it is also shown
 *    in the address bar, without a jump; on an actor, topic or quotes page the page stays as it is).
 *    Without a clipboard (an insecure context, an old browser) it is an ordinary link to the quote.
 * 2. Tables name each cell's column (data-label), so that on a phone, where CSS stacks a row's
 *    cells, each cell says what it is.
 * 3. Quotes said together share one line saying when, which stays in view above them (CSS): each
 *    group learns that line's height (--briefing-group-facts), so that a jump to one of its quotes
 *    stops below the line, not under it; a page opened at such a quote is brought there again
 *    once the height is known.
 *
 * Material's instant navigation swaps pages without reloading this script: the click is caught on
 * the document (capture, so before Material's own link handling) and the tables are labelled on
 * each new page through Material's document$.
 */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element && event.target.closest("a.briefing-quote-link");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (!navigator.clipboard || !window.isSecureContext) return;
    var url = new URL(link.href, location.href);  // Material's instant navigation makes hrefs absolute
    var here = url.pathname === location.pathname;  // a source page's own quote, or one listed elsewhere
    var address = url.origin + url.pathname + url.hash;  // not ?h=: a search's highlight is no part of the link
    event.preventDefault();
    event.stopPropagation();
    if (here) history.replaceState(history.state, "", location.pathname + url.hash);
    navigator.clipboard.writeText(address).then(function () {
      say(link, "link copied");
    }, function () {
      if (here) location.hash = url.hash;  // no permission: the address bar holds the link
      else location.href = address;  // or the link is followed, to the quote on its source page
    });
  }, true);

  function say(link, text) {
    if (!link.dataset.label) link.dataset.label = link.textContent;
    link.textContent = text;
    link.classList.add("briefing-copied");
    clearTimeout(link.briefingTimer);
    link.briefingTimer = setTimeout(function () {
      link.textContent = link.dataset.label;
      link.classList.remove("briefing-copied");
    }, 2500);
  }

  function labelTables() {
    document.querySelectorAll(".md-typeset table").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          if (heads[i]) cell.setAttribute("data-label", heads[i]);
        });
      });
    });
  }

  function measureGroups() {
    document.querySelectorAll(".md-typeset .briefing-quote-group").forEach(function (group) {
      var facts = group.querySelector(":scope > .briefing-group-facts");
      if (facts) group.style.setProperty("--briefing-group-facts", facts.offsetHeight + "px");
    });
  }

  function onPage() {
    labelTables();
    measureGroups();
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (malformed) { return; }  // "#%E0": no target
    var target = id && document.getElementById(id);
    if (target && target.closest(".briefing-quote-group")) target.scrollIntoView();
  }

  var resized;
  window.addEventListener("resize", function () {
    clearTimeout(resized);
    resized = setTimeout(measureGroups, 100);
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(onPage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onPage);
  } else {
    onPage();
  }
})();
