// Suggestions as you type, on every search box that asks for them
// (<input data-suggest-url="…&q=" list="…">): titles in any language from
// /api/search/suggest/. Choosing a suggestion opens that item. Loaded with
// defer; every form works without it.
(function () {
  "use strict";
  if (!window.fetch) return;
  Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest-url]"), function (input) {
    var list = input.list;
    var urls = {};  // suggested title -> the item's page
    var timer;
    if (!list) return;
    input.addEventListener("input", function () {
      var chosen = urls[input.value];
      if (chosen) {  // a suggestion was picked (or its whole title typed): open the item
        window.location.href = chosen;
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (input.value.trim().length < 2) return;
        fetch(input.dataset.suggestUrl + encodeURIComponent(input.value), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
          .then(function (data) {
            list.textContent = "";
            urls = {};
            (data.suggestions || []).forEach(function (s) {
              if (!s.title) return;
              var o = document.createElement("option");
              o.value = s.title;
              list.appendChild(o);
              if (s.url) urls[s.title] = s.url;
            });
          })
          .catch(function () {});
      }, 200);
    });
  });
})();
