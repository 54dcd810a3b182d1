"""Tags of the site design: navigation, breadcrumbs, SEO head, figures, map, charts."""

from django import template
from django.apps import apps
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal import languages
from portal.core.translated import shown
from website import figures
from website.sections import sections

register = template.Library()

# Open Graph wants territory locales.
OG_LOCALES = {"zh-hans": "zh_CN", "en": "en_GB", "ru": "ru_RU"}


@register.inclusion_tag("includes/main_nav.html", takes_context=True)
def main_nav(context):
    """Home, one link per section with a live index page, countries, search."""
    request = context.get("request")
    path = request.path if request else ""
    links = []
    for section in sections(request):
        if section.index:
            url = section.index.get_url(request=request)
            links.append({"url": url, "title": section.index.title, "current": path.startswith(url)})
    lang = translation.get_language()
    countries_url = reverse("countries")
    search_url = reverse("search:search")
    return {
        "links": links,
        "home_current": path == f"/{lang}/",
        "countries_url": countries_url,
        "countries_current": path.startswith(countries_url),
        "search_url": search_url,
        "search_current": path.startswith(search_url),
    }


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page=None, *trail):
    """Home › ancestors › this page, for Wagtail pages; ``trail`` adds (url, title) pairs for views.

    ``{% breadcrumbs page %}`` or ``{% breadcrumbs None url1 title1 url2 title2 … %}``
    (the last title is the current page, its url may be empty).
    """
    request = context.get("request")
    lang = translation.get_language()
    crumbs = []
    if hasattr(page, "get_ancestors"):
        for ancestor in page.get_ancestors().filter(depth__gt=1).specific():
            title = shown(ancestor, "title")
            crumbs.append({"url": ancestor.get_url(request=request), "title": title, "lang": title.lang})
        if crumbs:
            crumbs[0]["home"] = True
        title = shown(page, "title")
        crumbs.append({"url": "", "title": title, "lang": title.lang, "current": True})
    else:
        from django.utils.translation import gettext

        crumbs.append({"url": f"/{lang}/", "title": gettext("Home"), "lang": lang, "home": True})
        pairs = list(zip(trail[::2], trail[1::2], strict=False))
        for i, (url, title) in enumerate(pairs):
            last = i == len(pairs) - 1
            crumbs.append({"url": "" if last else url, "title": title, "lang": lang, "current": last})
    # Nothing to show on the home page itself.
    return {"crumbs": crumbs if len(crumbs) > 1 else []}


@register.simple_tag(takes_context=True)
def canonical_url(context, page=None):
    """The page's own absolute URL in the current language (list pages keep ?page=N)."""
    request = context.get("request")
    if request is None:
        return ""
    if hasattr(page, "get_url"):
        path = page.get_url(request=request) or request.path
    else:
        path = request.path
    url = request.build_absolute_uri(path)
    number = request.GET.get("page", "")
    if number.isdigit() and number != "1":
        url += f"?page={number}"
    return url


@register.simple_tag(takes_context=True)
def absolute(context, url):
    request = context.get("request")
    if not url or request is None:
        return url
    return request.build_absolute_uri(url)


SITE_DESCRIPTION = _(
    "The knowledge portal of environmental cooperation among the Shanghai Cooperation Organisation states: "
    "cooperation projects, training programmes, policy documents, news and events, "
    "in Chinese, English and Russian."
)


@register.simple_tag
def meta_description(page=None):
    """A page's description for search engines and link previews, never empty.

    The editor's search description, else the summary, else the introduction
    (index and home pages), in the reader's language or its fallback; pages
    without any get the site's own description, translated.
    """
    if page is not None and hasattr(page, "get_url"):
        for field in ("search_description", "summary", "intro"):
            value = shown(page, field)
            if value:
                return " ".join(str(value).split())
    return str(SITE_DESCRIPTION)


@register.simple_tag
def og_locale(code=None):
    return OG_LOCALES.get(code or translation.get_language(), "en_GB")


@register.simple_tag
def og_alternate_locales():
    current = translation.get_language()
    return [OG_LOCALES[c] for c in languages.LANGUAGE_CODES if c != current]


@register.simple_tag(takes_context=True)
def feed_links(context):
    """(title, url, type) of the RSS and Atom feeds of the sections, in the current language."""
    links = []
    for section in sections(context.get("request")):
        if not section.options.feed:
            continue
        name = section.options.api_name
        title = shown(section.index, "title") if section.index else section.label
        links.append(
            {
                "title": f"{title} (RSS)",
                "url": reverse("feed-rss", args=[name]),
                "type": "application/rss+xml",
            }
        )
        links.append(
            {
                "title": f"{title} (Atom)",
                "url": reverse("feed-atom", args=[name]),
                "type": "application/atom+xml",
            }
        )
    return links


def _section_index_url(label, request=None):
    model = apps.get_model(label)
    for section in sections(request):
        if section.model is model and section.index:
            return section.index.get_url(request=request)
    return ""


@register.simple_tag
def key_figures():
    return figures.key_figures()


# The list each map kind links to.
MAP_LISTS = {"projects": "projects.ProjectPage", "trainings": "projects.TrainingProgrammePage"}


@register.inclusion_tag("includes/sco_map.html", takes_context=True)
def sco_map(context, selected="", kind="projects"):
    """The SCO map: projects (or trainings) per country, each country linking to the filtered list.

    ``{% sco_map %}``, ``{% sco_map "KZ" %}`` (outline Kazakhstan),
    ``{% sco_map request.GET.country "trainings" %}``.
    """
    kind = kind if kind in MAP_LISTS else "projects"
    base = _section_index_url(MAP_LISTS[kind], context.get("request"))
    return {"map": figures.sco_map(kind, base, selected if isinstance(selected, str) else "")}


@register.inclusion_tag("includes/bar_chart.html", takes_context=True)
def chart(context, kind, heading_id, heading=""):
    """A horizontal bar chart: "theme" / "year" (projects), "participants" (training)."""
    request = context.get("request")
    if kind == "participants":
        data = figures.participants_by_country(_section_index_url("projects.TrainingProgrammePage", request))
    elif kind == "year":
        data = figures.projects_by_year("")
    else:
        data = figures.projects_by_theme(_section_index_url("projects.ProjectPage", request))
    return {"chart": data, "heading": heading, "heading_id": heading_id, "kind": kind}
