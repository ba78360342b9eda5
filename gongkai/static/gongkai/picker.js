/* The body search of the application form and the mailbox letter form: matches as you type, from
   /bodies/pick/ (progressive: without this script the 查找 button posts the form and the server answers with
   the matches, everything typed kept). The failure message comes from the page (data-failed), translated. */
(function () {
  "use strict";

  Array.prototype.forEach.call(document.querySelectorAll("[data-picker]"), function (box) {
    var form = box.closest("form");
    var query = box.querySelector("input[type='search']");
    var results = form && form.querySelector("[data-pick-results]");
    var status = form && form.querySelector("[data-pick-status]");
    if (!form || !query || !results || !status) { return; }
    var timer = null;
    var asked = 0;
    function search() {
      var chosen = form.querySelector("input[name='body']:checked");
      var url = query.getAttribute("data-pick-url") + "?q=" + encodeURIComponent(query.value) +
        (chosen ? "&chosen=" + encodeURIComponent(chosen.value) : "");
      var mine = ++asked;
      fetch(url, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.text();
        })
        .then(function (html) {
          if (mine !== asked) { return; } /* an answer to an older query */
          var before = form.querySelector("input[name='body']:checked");
          results.innerHTML = html; /* rendered and escaped by the server's template */
          if (before) { /* chosen while the answer was on its way: keep it chosen */
            var again = results.querySelector("input[name='body'][value='" + before.value + "']");
            if (again) { again.checked = true; }
          }
          var count = results.querySelector("[data-pick-count]");
          status.textContent = count ? count.textContent : "";
        })
        .catch(function () { status.textContent = status.getAttribute("data-failed") || ""; });
    }
    query.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 250);
    });
    query.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); window.clearTimeout(timer); search(); }
    });
    var find = box.querySelector("button[name='find_body']");
    if (find) {
      find.addEventListener("click", function (event) { event.preventDefault(); search(); });
    }
  });
})();
