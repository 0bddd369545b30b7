// On paper a link cannot be followed, so print.css writes each link's address after it. A
// relative address ("/wijken/...") means nothing on paper: this gives every link in the content
// its absolute address on the site's public address (SITE_URL, which the canonical link
// carries), in data-print-href, which print.css prints. Without JavaScript the printed page
// shows the relative addresses.
(function () {
  "use strict";
  var canonical = document.querySelector('link[rel="canonical"]');
  var base = canonical ? new URL(canonical.href).origin : window.location.origin;
  document.querySelectorAll('main a[href^="/"]').forEach(function (link) {
    link.setAttribute("data-print-href", new URL(link.getAttribute("href"), base).href);
  });
})();
