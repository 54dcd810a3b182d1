// Suggestions as you type on the search page: titles in any language, from
// /api/search/suggest/. Loaded with defer; the form works without it.
(function () {
  "use strict";
  var input = document.getElementById("search-q");
  var list = document.getElementById("search-suggestions");
  var timer;
  if (!input || !list || !window.fetch || !input.dataset.suggestUrl) return;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (input.value.trim().length < 2) return;
      fetch(input.dataset.suggestUrl + encodeURIComponent(input.value), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) {
          list.textContent = "";
          (data.suggestions || []).forEach(function (s) {
            var o = document.createElement("option");
            o.value = s.title;
            list.appendChild(o);
          });
        })
        .catch(function () {});
    }, 200);
  });
})();
