// Follows an audit's progress: asks the server where it is, redraws the phases, and shows
// the report once it is done; then makes the report's frame as tall as the report, so that
// the page scrolls once, not twice. No framework, no build step; the page works without it
// (it then refreshes itself every two seconds, and the frame keeps its own scroll bar).
(function () {
  "use strict";
  var frame = document.querySelector("iframe.report");
  if (!frame) { return; }
  function fit() {
    var doc = frame.contentDocument;  // null, or about:blank, until the report has loaded
    if (!doc || !doc.body || !doc.querySelector("main")) { return; }
    frame.style.height = (doc.documentElement.scrollHeight + 4) + "px";
  }
  frame.addEventListener("load", function () {
    fit();
    if (window.ResizeObserver && frame.contentDocument) {
      new ResizeObserver(fit).observe(frame.contentDocument.body);
    }
  });
  fit();
}());

(function () {
  "use strict";
  var section = document.getElementById("progress");
  if (!section || section.dataset.finished === "yes") { return; }
  var job = section.dataset.job;
  var last = "";

  function redraw() {
    fetch(window.location.href, {headers: {"Accept": "text/html"}})
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("progress");
        if (fresh && fresh.dataset.finished === "yes") { window.location.reload(); return; }
        if (fresh) { section.replaceWith(fresh); section = fresh; }
      });
  }

  function poll() {
    fetch("/api/jobs/" + encodeURIComponent(job), {headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (state) {
        var seen = JSON.stringify(state.phases) + state.waiting + state.finished;
        if (state.finished) { window.location.reload(); return; }
        if (seen !== last) { last = seen; redraw(); }
        window.setTimeout(poll, 500);
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 300);
}());
