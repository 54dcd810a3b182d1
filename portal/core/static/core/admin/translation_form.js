/*
 * The trilingual edit form (issue 16): show the languages you work in, hide the others' fields,
 * never a whole panel.
 *
 * The server says which form fields are translations (portal/core/wagtail_hooks.py writes
 * {"fields": {"title_ru": "ru", ...}, "languages": [[code, name], ...], ...} into
 * <script id="portal-l10n" type="application/json">). Each such field's own wrapper is tagged
 * data-l10n-lang; a language switched off hides exactly those wrappers (CSS in
 * translation_form.css), so shared fields, panels, inline panels and their "Add" buttons always stay.
 *
 * The form opens on the languages the page has text in, plus the editor's own (the admin's
 * <html lang>), plus any language holding a validation error, so "Go to the first error" finds it.
 * "Translate from" shows, beside each field of the languages being written, the source language's
 * text, read-only.
 */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("portal-l10n")?.textContent || "null");
  const form = document.querySelector("form[data-edit-form]") || document.querySelector("main form");
  if (!config || !form) return;

  const codes = config.languages.map(([code]) => code);
  const suffixes = Object.fromEntries(codes.map((code) => [code, "_" + code.replace("-", "_")]));

  /* "title_ru" -> "title"; inline children carry a prefix in their ids, not their contentpath. */
  function baseName(path, code) {
    return path.slice(0, path.length - suffixes[code].length);
  }

  /* The element to hide for one translated field: its own wrapper, or the one-field section around it. */
  function wrapperOf(field) {
    let target = field.closest("[data-field-wrapper]") || field;
    if (target.parentElement?.classList.contains("w-panel__wrapper")) target = target.parentElement;
    const section = target.closest("section.w-panel");
    const path = field.dataset.contentpath;
    if (section && section.id && section.id.endsWith("-" + path + "-section")) target = section;
    return target;
  }

  function tag(root) {
    root.querySelectorAll("[data-contentpath]").forEach((field) => {
      const code = config.fields[field.dataset.contentpath];
      if (!code || field.dataset.l10nTagged) return;
      field.dataset.l10nTagged = "1";
      const wrapper = wrapperOf(field);
      wrapper.dataset.l10nLang = code;
      wrapper.dataset.l10nField = baseName(field.dataset.contentpath, code);
      wrapper.setAttribute("lang", code);
    });
  }

  function hasText(wrapper) {
    for (const input of wrapper.querySelectorAll("input, textarea, select")) {
      if (input.type === "hidden" && input.name.endsWith("-count")) {
        if (parseInt(input.value || "0", 10) > 0) return true;
      } else if (input.type !== "hidden" && input.type !== "checkbox" && input.value.trim()) {
        return true;
      } else if (input.type === "hidden" && /"text":\s*"[^"]/.test(input.value)) {
        return true; // rich text (Draftail keeps its content as JSON in a hidden input)
      }
    }
    return false;
  }

  function hasError(wrapper) {
    return Boolean(wrapper.querySelector(".error-message, .help-critical"));
  }

  /* Visible text of a field, for the read-only source beside its translation. */
  function textOf(wrapper) {
    const parts = [];
    wrapper.querySelectorAll("input, textarea").forEach((input) => {
      if (input.type === "text" || input.type === "url" || input.tagName === "TEXTAREA") {
        if (input.value.trim()) parts.push(input.value.trim());
      } else if (input.type === "hidden" && input.value.startsWith('{"blocks"')) {
        try {
          JSON.parse(input.value).blocks.forEach((block) => block.text && parts.push(block.text));
        } catch (error) {
          /* not rich text after all */
        }
      }
    });
    return parts.join("\n");
  }

  const shown = new Set();
  let source = "";

  function apply() {
    codes.forEach((code) => form.classList.toggle("l10n-hide-" + code, !shown.has(code)));
    bar.querySelectorAll("[data-l10n-toggle]").forEach((button) => {
      button.setAttribute("aria-pressed", String(shown.has(button.dataset.l10nToggle)));
    });
    renderSources();
  }

  function renderSources() {
    form.querySelectorAll(".l10n-source").forEach((box) => box.remove());
    if (!source) return;
    form.querySelectorAll("[data-l10n-lang]").forEach((wrapper) => {
      const code = wrapper.dataset.l10nLang;
      if (code === source || !shown.has(code)) return;
      const scope = wrapper.parentElement?.closest("[id]") || form;
      const twin = [...form.querySelectorAll(`[data-l10n-lang="${source}"]`)].find(
        (other) => other.dataset.l10nField === wrapper.dataset.l10nField && scope.contains(other),
      );
      if (!twin) return;
      const box = document.createElement("div");
      box.className = "l10n-source";
      box.setAttribute("role", "note");
      const heading = document.createElement("p");
      heading.className = "l10n-source__heading";
      heading.textContent = config.strings.source.replace("%(language)s", config.names[source]);
      const text = document.createElement("div");
      text.className = "l10n-source__text";
      text.setAttribute("lang", source);
      text.textContent = textOf(twin) || config.strings.empty;
      box.append(heading, text);
      const input = wrapper.querySelector("[data-field-input]");
      if (input) input.before(box);
      else wrapper.prepend(box);
    });
  }

  /* The picker bar: one toggle per language (with "missing" when the page has no text in it). */
  const bar = document.createElement("div");
  bar.className = "l10n-picker w-form-width";
  bar.setAttribute("role", "group");
  bar.setAttribute("aria-label", config.strings.picker);

  function build(present) {
    const label = document.createElement("span");
    label.className = "l10n-picker__label";
    label.textContent = config.strings.picker;
    bar.append(label);
    config.languages.forEach(([code, name]) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button button-small button-secondary l10n-picker__toggle";
      button.dataset.l10nToggle = code;
      button.setAttribute("lang", code);
      button.textContent = name;
      if (!present.has(code)) {
        const note = document.createElement("span");
        note.className = "l10n-picker__missing";
        note.textContent = " · " + config.strings.missing;
        button.append(note);
      }
      button.addEventListener("click", () => {
        if (shown.has(code) && shown.size > 1) shown.delete(code);
        else shown.add(code);
        apply();
      });
      bar.append(button);
    });
    const sourceLabel = document.createElement("label");
    sourceLabel.className = "l10n-picker__source";
    sourceLabel.textContent = config.strings.translateFrom + " ";
    const select = document.createElement("select");
    select.dataset.l10nSource = "";
    select.append(new Option(config.strings.noSource, ""));
    config.languages.forEach(([code, name]) => select.append(new Option(name, code)));
    select.addEventListener("change", () => {
      source = select.value;
      apply();
    });
    sourceLabel.append(select);
    bar.append(sourceLabel);
    // Under the tab list, so it stays in view whichever tab is open.
    const tabs = form.querySelector(".w-tabs__wrapper");
    if (tabs) tabs.after(bar);
    else form.prepend(bar);
  }

  tag(form);
  const present = new Set();
  const withErrors = new Set();
  form.querySelectorAll("[data-l10n-lang]").forEach((wrapper) => {
    // The default language's slug is made from any title (URLs fall back to it): not a translation.
    if (wrapper.dataset.l10nField !== "slug" && hasText(wrapper)) present.add(wrapper.dataset.l10nLang);
    if (hasError(wrapper)) withErrors.add(wrapper.dataset.l10nLang);
  });
  // "?language=ru": the "Missing translations" report's link to write the page in Russian.
  const asked = new URLSearchParams(window.location.search).get("language");
  [...present, config.editorLanguage, ...withErrors, asked].forEach((code) => codes.includes(code) && shown.add(code));
  if (!shown.size) shown.add(codes[0]);
  build(present);
  apply();

  // Inline children added later ("Add session", "Add files") are tagged as they appear.
  new MutationObserver((records) => {
    if (records.some((record) => record.addedNodes.length)) tag(form);
  }).observe(form, { childList: true, subtree: true });
  // Keep the sources up to date while the editor types in the source language.
  form.addEventListener("input", (event) => {
    if (source && event.target.closest(`[data-l10n-lang="${source}"]`)) renderSources();
  });
})();
