// The live interview page (docs/interviews.md): while "自动更新实录" is ticked, the transcript and questions are
// fetched again every data-refresh seconds and replaced in place (the page's cache is dropped at every new
// line). Unticked, nothing moves (WCAG 2.2.2); without JavaScript the "刷新" link reloads the page.
(function () {
  "use strict";
  var root = document.querySelector("[data-live]");
  var toggle = document.getElementById("live-auto");
  if (!root || !toggle || !window.fetch || !window.DOMParser) return;
  toggle.parentElement.hidden = false;
  var seconds = Math.max(10, parseInt(root.getAttribute("data-refresh"), 10) || 30);
  function refresh() {
    if (!toggle.checked) return;
    fetch(window.location.pathname, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-live-part]");
        var old = document.querySelector("[data-live-part]");
        if (fresh && old) old.replaceWith(fresh);
        if (!fresh || !new DOMParser().parseFromString(html, "text/html").querySelector("[data-live]")) {
          window.clearInterval(timer);  // the interview has ended
        }
      })
      .catch(function () {});
  }
  var timer = window.setInterval(refresh, seconds * 1000);
})();
