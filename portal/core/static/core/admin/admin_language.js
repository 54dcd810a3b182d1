/*
 * English that Wagtail 8 writes into its admin templates without {% trans %}, put into the
 * editor's language (portal/core/admin_language.py lists each: selector, attribute, text).
 */
(function () {
  "use strict";

  const fixes = JSON.parse(document.getElementById("portal-admin-language")?.textContent || "[]");

  function apply() {
    for (const [selector, attribute, text] of fixes) {
      document.querySelectorAll(selector).forEach((element) => element.setAttribute(attribute, text));
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", apply);
  else apply();
})();
