"""Every page type, in every language, on a phone and on a desktop: what a reader would see.

One browser, one tab, 13 page types x 3 languages x 2 widths (360 px, 1280 px).
Each page is checked for what broke the Russian site before anyone noticed:

- no horizontal overflow (``scrollWidth <= innerWidth``);
- no text box narrower than one word of its own text (labels stacked a letter a line);
- every number in an SVG attribute (and in ``data-`` attributes that hold numbers) parses;
- no fallback note naming a language in another language ("shown in Русский");
- no console error, no Content-Security-Policy violation.

Screenshots go to ``var/screenshots/every-page-type/<lang>/`` and one contact
sheet per language (``contact-sheet-<lang>.png``, thumbnails at both widths)
beside them: look at them after a change to the design. The same visit checks
the home page's map on a phone (outlines, labels of 11 px or more in the
reader's language, links shared with the table) and that choosing a search
suggestion on the home page opens the item. One demo site, one tab: a few minutes.
"""

import re

import pytest
from django.conf import settings
from django.utils import translation

from portal import languages

pytestmark = [pytest.mark.browser]

WIDTHS = (360, 1280)
OUT = settings.BASE_DIR / "var" / "screenshots" / "every-page-type"

# Runs in the page: returns a list of problems (strings), empty when the page is right.
CHECKS = r"""
(pageLang) => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth) {
    const wide = [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 3).map((e) => e.tagName.toLowerCase() + "." + [...e.classList].join("."));
    problems.push(`overflow: ${doc.scrollWidth}px content in a ${window.innerWidth}px window ` +
                  `(${wide.join(", ")})`);
  }

  // Text boxes narrower than one word of their own text.
  const canvas = document.createElement("canvas").getContext("2d");
  const boxes = document.querySelectorAll(
    "main dt, main dd, main th, main td, main label, main button, main h1, main h2, main h3, main li, " +
    "main figcaption, main .status, main .fallback-note, main .bar-label, header a, header span"
  );
  for (const el of boxes) {
    const rect = el.getBoundingClientRect();
    const hidden = el.closest(".visually-hidden") || getComputedStyle(el).visibility === "hidden";
    if (rect.width <= 1 || hidden) continue;
    // Only the text a sighted reader sees in this box (not the screen-reader-only parts).
    const visible = el.cloneNode(true);
    visible.querySelectorAll(".visually-hidden").forEach((hidden) => hidden.remove());
    const text = (visible.textContent || "").trim();
    if (!text) continue;
    const style = getComputedStyle(el);
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    // A word: a run of letters (Han characters are words of one), at most 20 characters.
    const words = text.match(/[\p{L}\p{N}]{1,20}/gu) || [];
    const longest = Math.max(0, ...words.map((w) => /\p{Script=Han}/u.test(w) ? canvas.measureText(w[0]).width
                                                                           : canvas.measureText(w).width));
    const inner = rect.width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (longest > inner + 2 && inner < 200) {
      problems.push(`narrow box: <${el.tagName.toLowerCase()}> ${Math.round(inner)}px for a ` +
                    `${Math.round(longest)}px word in "${text.slice(0, 40)}"`);
    }
  }

  // Numbers a browser parses: SVG geometry and numeric data- attributes.
  const number = /^-?(\d+(\.\d+)?|\.\d+)(e-?\d+)?(px|em|%)?$/;
  const numeric = ["x", "y", "width", "height", "cx", "cy", "r", "rx", "ry", "x1", "x2", "y1", "y2", "dy"];
  for (const el of document.querySelectorAll("svg, svg *")) {
    for (const name of numeric) {
      const v = el.getAttribute(name);
      if (v !== null && !number.test(v.trim())) problems.push(`svg ${el.tagName}[${name}="${v}"]`);
    }
    const box = el.getAttribute("viewBox");
    if (box !== null) {
      const parts = box.trim().split(/\s+/);
      if (parts.length !== 4 || !parts.every((p) => number.test(p))) problems.push(`svg viewBox="${box}"`);
    }
  }
  for (const el of document.querySelectorAll("[data-count], [data-value]")) {
    for (const name of ["data-count", "data-value"]) {
      const v = el.getAttribute(name);
      if (v !== null && !number.test(v)) problems.push(`${name}="${v}"`);
    }
  }
  return problems;
}
"""


def page_urls():
    """(name, {lang: url}) for every page type the reader's site has."""
    from news.models import NewsIndexPage, NewsPage
    from policies.models import PolicyDocumentPage, PolicyIndexPage
    from projects.models import ProjectIndexPage, ProjectPage, TrainingIndexPage, TrainingProgrammePage
    from website.models import HomePage

    def first(model, **filters):
        return model.objects.live().filter(**filters).order_by("pk").first()

    event = first(NewsPage, kind="event") or first(NewsPage)
    # A project missing a language: its pages show the fallback notice.
    partial = next(
        (p for p in ProjectPage.objects.live().order_by("pk") if len(p.languages_present()) < 3),
        first(ProjectPage),
    )
    pages = [
        ("home", HomePage.objects.get()),
        ("projects", first(ProjectIndexPage)),
        ("project", first(ProjectPage)),
        ("project-fallback", partial),
        ("trainings", first(TrainingIndexPage)),
        ("training", first(TrainingProgrammePage)),
        ("policies", first(PolicyIndexPage)),
        ("policy", first(PolicyDocumentPage)),
        ("news", first(NewsIndexPage)),
        ("event", event),
    ]
    urls = []
    for name, page in pages:
        assert page is not None, f"the demo content has no {name} page"
        by_lang = {}
        for code in languages.LANGUAGE_CODES:
            with translation.override(code):
                by_lang[code] = page.get_url()
        urls.append((name, by_lang))
    queries = {"zh-hans": "大气污染", "en": "air pollution", "ru": "загрязнение воздуха"}
    urls += [
        ("countries", {c: f"/{c}/countries/" for c in languages.LANGUAGE_CODES}),
        ("country", {c: f"/{c}/countries/KZ/" for c in languages.LANGUAGE_CODES}),
        ("search", {c: f"/{c}/search/?q={queries.get(c, 'air')}" for c in languages.LANGUAGE_CODES}),
        ("not-found", {c: f"/{c}/no-such-page/" for c in languages.LANGUAGE_CODES}),
    ]
    return urls


def foreign_language_names(code):
    """Names of the other languages as they name themselves: none belongs in a note on a ``code`` page."""
    return [name for other, name in languages.LANGUAGES if other != code]


def contact_sheet(shots, path, title):
    """One PNG: every screenshot of a language as a thumbnail, labelled, phone and desktop side by side."""
    from PIL import Image, ImageDraw

    cell_w, cell_h, label_h, columns = 300, 620, 22, 6
    rows = -(-len(shots) // columns)
    sheet = Image.new("RGB", (columns * cell_w, rows * (cell_h + label_h) + 30), "white")
    draw = ImageDraw.Draw(sheet)
    draw.text((8, 8), title, fill="black")
    for i, (label, file) in enumerate(shots):
        x, y = (i % columns) * cell_w, 30 + (i // columns) * (cell_h + label_h)
        with Image.open(file) as shot:
            thumb = shot.convert("RGB")
            thumb.thumbnail((cell_w - 10, cell_h - 6))
        sheet.paste(thumb, (x + 5, y + label_h))
        draw.rectangle(
            (x + 4, y + label_h - 1, x + 5 + thumb.width, y + label_h + thumb.height), outline="#999"
        )
        draw.text((x + 6, y + 4), label, fill="black")
    sheet.save(path, optimize=True)


def check_map(page, code):
    """The home page map on a phone: real outlines, names in the reader's language, a link per country."""
    from portal.core.models import Country
    from portal.core.translated import shown

    countries = page.locator(".sco-map-svg a.country")
    assert countries.count() >= 25
    box = page.locator('.sco-map-svg a[data-country="KZ"] path').bounding_box()
    assert box and box["width"] > 20 and box["height"] > 10, box  # an outline, visible on a phone
    with translation.override(code):
        name = str(shown(Country.objects.get(code="KZ"), "name"))
    label = page.locator(".sco-map-svg .map-label", has_text=name)
    assert label.count() == 1 and label.is_visible()
    size = float(re.sub("px$", "", label.evaluate("e => getComputedStyle(e).fontSize")))
    scale = page.locator(".sco-map-svg").evaluate(
        "e => e.getBoundingClientRect().width / e.viewBox.baseVal.width"
    )
    assert size * scale >= 10.5, f"map labels are {size * scale:.1f}px on a phone"
    href = page.locator('.sco-map-svg a[data-country="KZ"]').get_attribute("href")
    assert href.endswith("?country=KZ")
    assert page.locator(".map-table a", has_text=name).first.get_attribute("href") == href


def check_home_suggestions_open_the_item(page, base):
    """Typing in the home page's search box suggests titles; choosing one opens that item."""
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{base}/ru/")
    box = page.locator("#home-q")
    box.press_sequentially("возд", delay=40)
    option = page.locator("#home-suggestions option").first
    option.wait_for(state="attached", timeout=10000)
    title = option.get_attribute("value")
    box.fill(title)  # what choosing a suggestion does: the box takes its title
    page.wait_for_url(lambda url: "/ru/" in url and not url.endswith("/ru/"))
    assert page.locator("main h1").first.inner_text().strip() == title


def test_every_page_type_in_every_language_at_phone_and_desktop_width(demo_site, page):
    base = demo_site.url
    urls = page_urls()
    console_errors = []  # (message, url of the resource it is about)
    page.on(
        "console", lambda m: m.type == "error" and console_errors.append((m.text, m.location.get("url", "")))
    )
    page.on("pageerror", lambda e: console_errors.append((str(e), "")))
    failures = []
    for code in languages.LANGUAGE_CODES:
        folder = OUT / code
        folder.mkdir(parents=True, exist_ok=True)
        shots = []
        for name, by_lang in urls:
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 800 if width == 360 else 900})
                console_errors.clear()
                page.csp_violations.clear()
                url = base + by_lang[code]
                response = page.goto(url, wait_until="load")
                expected = 404 if name == "not-found" else 200
                problems = []
                if response is None or response.status != expected:
                    problems.append(f"status {response.status if response else None}, expected {expected}")
                if page.locator("html").get_attribute("lang") != code:
                    problems.append(f'<html lang="{page.locator("html").get_attribute("lang")}">')
                problems += page.evaluate(CHECKS, code)
                for note in page.locator(".fallback-note, .lang-notice").all():
                    text = note.inner_text()
                    if any(foreign in text for foreign in foreign_language_names(code)):
                        problems.append(f'fallback note names a language in another language: "{text}"')
                    if note.get_attribute("lang") not in (None, code):
                        problems.append(f'fallback note in lang="{note.get_attribute("lang")}"')
                problems += [
                    f"console: {message}"
                    for message, source in console_errors
                    # The not-found page's own 404 is its point; anything else is an error.
                    if "Content Security Policy" not in message
                    and not (name == "not-found" and source == url)
                ]
                problems += [f"CSP: {m}" for m in page.csp_violations]
                if name == "home" and width == 360:
                    check_map(page, code)
                file = folder / f"{name}-{width}.jpg"  # JPEG: a third of the time of a PNG
                page.screenshot(path=str(file), full_page=True, type="jpeg", quality=70)
                shots.append((f"{name} {width}px", file))
                failures += [f"{url} @{width}px: {p}" for p in problems]
        contact_sheet(shots, OUT / f"contact-sheet-{code}.png", f"{code}: every page type at 360 and 1280 px")
    check_home_suggestions_open_the_item(page, base)
    assert not failures, "\n".join(failures[:40]) + (
        f"\n… {len(failures) - 40} more" if len(failures) > 40 else ""
    )
