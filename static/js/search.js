/*
 * /zoeken/ in place: a little plain JavaScript on top of a search that works without it.
 *
 * The contract with templates/search/search.html (keep both in step; the browser tests rely on it):
 *   form[data-search-form]                 the one GET form; it holds the whole search state.
 *   [data-search-region="facets"]          #search-facets: the facet checkboxes. Replaced in place.
 *   [data-search-region="results"]         #search-results: count, chips, sort, results, paging,
 *                                          export links. Replaced in place; aria-busy="true" while
 *                                          a request is out.
 *   #results-heading                       the result count ("23 resultaten", tabindex="-1"): focus
 *                                          goes here after paging, removing a chip, "Alle filters
 *                                          verwijderen" and back/forward; its text is announced.
 *   [data-search-status]                   #search-status, a polite live region outside the regions.
 *   a[data-search-link]                    links that lead to another state of this search (chips,
 *                                          "Alle filters verwijderen", pagination, "Bedoelde u").
 *   [data-search-no-js]                    buttons only needed without JavaScript (hidden by CSS
 *                                          once the form has data-search-enhanced).
 *   [data-search-filters-details]          the <details> that folds the facets away on a phone.
 *   [data-search-show-results]             #search-show-results, "Toon N resultaten" after the facets
 *                                          (shown on a phone): jumps to #results-heading.
 *   checkboxes                             id="facet-<param>-<value>", name="<param>", value="<value>".
 *
 * How: a checkbox or the sort select changing, or the form being submitted, builds exactly the
 * URL the form itself would produce (action + its fields); a data-search-link uses its href.
 * The page at that URL is fetched (the same HTML a normal visit gets), parsed with DOMParser,
 * and the two regions are swapped; history.pushState records the URL, popstate fetches the
 * state again. A later request wins (AbortController plus a sequence number). When a fetch
 * fails the browser simply navigates to the URL, so nothing is lost.
 *
 * Hooks for tests: the form carries data-search-state="idle|loading", and document receives
 * a "search:updated" event (detail: {url}) after every swap.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-search-form]");
  if (!form || !window.fetch || !window.DOMParser || !window.history || !history.pushState) {
    return;  // the plain form keeps working
  }

  var REGIONS = ["facets", "results"];
  var PHONE = window.matchMedia ? window.matchMedia("(max-width: 50rem)") : null;
  var sequence = 0;
  var controller = null;
  // The state the page shows or is loading: back/forward compare with it, so pressing Back
  // while a request is out still loads the entry Back went to.
  var wantedUrl = withoutHash(location.href);

  function withoutHash(url) {
    var u = new URL(url, location.href);
    u.hash = "";
    return u.href;
  }

  function region(root, name) {
    return root.querySelector('[data-search-region="' + name + '"]');
  }

  // Exactly what submitting the form would request (GET: action?field=value&...).
  function formUrl(submitter) {
    var data;
    try {
      data = submitter ? new FormData(form, submitter) : new FormData(form);
    } catch (e) {
      data = new FormData(form);  // older browsers have no FormData(form, submitter)
    }
    var params = new URLSearchParams();
    data.forEach(function (value, name) {
      if (typeof value === "string") params.append(name, value);
    });
    var action = new URL(form.getAttribute("action") || location.pathname, location.href);
    action.search = params.toString();
    action.hash = "";
    return action.href;
  }

  // Something that identifies a control in the next page's DOM.
  function describe(el) {
    if (!el || !form.contains(el)) return null;
    return { id: el.id, name: el.name, value: el.type === "checkbox" ? el.value : null };
  }

  function find(root, what) {
    if (!what) return null;
    if (what.id) {
      var byId = root.querySelector("#" + CSS.escape(what.id));
      if (byId) return byId;
    }
    if (what.name && what.value !== null) {
      return root.querySelector(
        '[name="' + CSS.escape(what.name) + '"][value="' + CSS.escape(what.value) + '"]'
      );
    }
    return null;
  }

  function setBusy(busy) {
    form.setAttribute("data-search-state", busy ? "loading" : "idle");
    var results = region(document, "results");
    if (results) {
      if (busy) results.setAttribute("aria-busy", "true");
      else results.removeAttribute("aria-busy");
    }
  }

  // <details> the visitor opened or closed keep that state across a swap.
  function detailsState() {
    var state = {};
    form.querySelectorAll("details[id]").forEach(function (d) { state[d.id] = d.open; });
    return state;
  }

  function restoreDetails(state) {
    Object.keys(state).forEach(function (id) {
      var d = document.getElementById(id);
      if (!d) return;
      // The phone fold keeps the visitor's choice; a facet's "all values" stays open when the
      // visitor had opened it or when the server opened it (a chosen value is inside).
      if (d.hasAttribute("data-search-filters-details")) d.open = state[id];
      else d.open = state[id] || d.open;
    });
  }

  function openAncestors(el) {
    for (var p = el.parentElement; p; p = p.parentElement) {
      if (p.tagName === "DETAILS") p.open = true;
    }
  }

  function announce() {
    var status = document.querySelector("[data-search-status]");
    var heading = document.getElementById("results-heading");
    if (!status || !heading) return;
    var text = heading.textContent.replace(/\s+/g, " ").trim();
    // Clear first, so the same count twice in a row is still announced.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function swap(doc, url, options) {
    var openState = detailsState();
    // The control that has focus now (the visitor may have tabbed on since the request).
    var active = document.activeElement;
    var activeControl = describe(active);
    var focusWasInRegions = REGIONS.some(function (name) {
      var r = region(document, name);
      return r && active && r.contains(active);
    });

    REGIONS.forEach(function (name) {
      var current = region(document, name);
      var next = region(doc, name);
      if (current && next) {
        // Keep the region element itself (and its aria-busy), replace what is inside it.
        current.replaceChildren.apply(current, Array.prototype.slice.call(next.childNodes));
      }
    });
    restoreDetails(openState);

    // The query box lives outside the regions: keep it in step (back/forward, "Bedoelde u").
    var q = form.querySelector("#search-q");
    var nextQ = doc.querySelector("#search-q");
    if (q && nextQ && document.activeElement !== q) q.value = nextQ.value;
    if (doc.title) document.title = doc.title;
    ["link[rel=canonical]", 'link[rel=alternate][type="application/atom+xml"]'].forEach(function (sel) {
      var mine = document.head.querySelector(sel);
      var theirs = doc.head && doc.head.querySelector(sel);
      if (mine && theirs) mine.setAttribute("href", theirs.getAttribute("href"));
    });

    var target = null;
    if (options.focus === "control") {
      target = focusWasInRegions ? find(document, activeControl) : null;
    } else if (options.focus === "results" || (options.focus === "auto" && focusWasInRegions)) {
      target = document.getElementById("results-heading");
    }
    if (options.focus === "control" && !target && focusWasInRegions) {
      target = document.getElementById("results-heading");  // the control is gone
    }
    if (target) {
      openAncestors(target);
      target.focus({ preventScroll: options.focus === "control" });
      if (options.focus !== "control" && target.scrollIntoView) {
        target.scrollIntoView({ block: "start" });
      }
    }
    announce();
    document.dispatchEvent(new CustomEvent("search:updated", { detail: { url: url } }));
  }

  function go(url, options) {
    options = options || {};
    var mine = ++sequence;
    wantedUrl = withoutHash(url);
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    setBusy(true);
    if (options.push) {
      // The URL follows at once; a failure below navigates there anyway.
      history.pushState({ search: true }, "", url);
    }
    fetch(url, {
      headers: { Accept: "text/html" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        if (mine !== sequence) return;  // a later request has been made: it wins
        var doc = new DOMParser().parseFromString(html, "text/html");
        if (!REGIONS.every(function (name) { return region(doc, name); })) {
          throw new Error("no search regions in the response");
        }
        swap(doc, url, options);
        setBusy(false);
      })
      .catch(function (error) {
        if (mine !== sequence || (error && error.name === "AbortError")) return;
        window.location.href = url;  // fall back to an ordinary visit
      });
  }

  // A facet ticked or unticked: the form's new state; focus stays on the control that has it.
  // The sort list is not applied on change: arrow keys on a closed <select> fire "change" at
  // every step; its "Sorteren" button submits it (see below).
  form.addEventListener("change", function (event) {
    var el = event.target;
    if (!(el instanceof HTMLInputElement && el.type === "checkbox")) return;
    go(formUrl(), { push: true, focus: "control" });
  });

  // The query submitted (Enter or the button); also "Filters toepassen" when the CSS still shows it.
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var showResults = event.submitter && event.submitter.hasAttribute("data-search-show-results");
    if (showResults && withoutHash(formUrl()) === wantedUrl) {
      // "Toon N resultaten": the regions already show (or are loading) this choice; only jump.
      var heading = document.getElementById("results-heading");
      heading.focus({ preventScroll: true });
      heading.scrollIntoView({ block: "start" });
      return;
    }
    var active = document.activeElement;
    var focus = "results";
    if (active && active.id === "search-q") focus = "none";
    else if (event.submitter && event.submitter.id === "search-sort-apply") focus = "control";
    go(formUrl(event.submitter), { push: true, focus: focus });
  });

  // A chip, "Alle filters verwijderen", a page number, a suggestion.
  form.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-search-link]");
    if (!link || !form.contains(link)) return;
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
        event.shiftKey || event.altKey) {
      return;  // a new tab or window: let the browser do it
    }
    event.preventDefault();
    go(link.href, { push: true, focus: "results" });
  });

  // Back and forward: show the state of that history entry.
  window.addEventListener("popstate", function () {
    if (withoutHash(location.href) === wantedUrl) return;  // only the #fragment changed
    go(location.href, { push: false, focus: "auto" });
  });

  // On a phone the facets start folded away (without JavaScript they are simply open);
  // on a wider screen the summary is hidden, so the facets must be open.
  function fitFilters() {
    var details = form.querySelector("[data-search-filters-details]");
    if (!details) return;
    if (!PHONE || !PHONE.matches) details.open = true;
  }
  if (PHONE && PHONE.matches) {
    var initial = form.querySelector("[data-search-filters-details]");
    if (initial) initial.open = false;
  }
  if (PHONE) {
    if (PHONE.addEventListener) PHONE.addEventListener("change", fitFilters);
    else if (PHONE.addListener) PHONE.addListener(fitFilters);
  }

  history.replaceState({ search: true }, "", location.href);
  form.setAttribute("data-search-enhanced", "");
  form.setAttribute("data-search-state", "idle");
})();
