"""Template tags every public page uses: language links and visible fallbacks."""

from django import template
from django.urls import translate_url
from django.utils import translation

from portal import languages
from portal.core.translated import languages_present, shown

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context, page=None):
    """One entry per portal language: its URL for the page being read.

    For a Wagtail page the URL is the page's own (translated slug) URL in that
    language; elsewhere the current path with its language prefix swapped.
    ``missing`` is true when the page has no title in that language, so the
    switcher can say the reader will see a fallback.
    """
    request = context.get("request")
    if not hasattr(page, "get_url"):  # views without a page pass "" from the template
        page = None
    current = translation.get_language()
    present = languages_present(page) if page is not None else languages.LANGUAGE_CODES
    links = []
    for code, name in languages.LANGUAGES:
        if page is not None:
            with translation.override(code):
                url = page.get_url(request=request)
        elif request is not None:
            url = translate_url(request.get_full_path(), code)
        else:
            url = f"/{code}/"
        links.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "current": code == current,
                "missing": code not in present,
            }
        )
    return links


@register.simple_tag
def translated(obj, field):
    """``{% translated page "summary" as s %}``: value plus the language it is in."""
    return shown(obj, field)


@register.inclusion_tag("includes/fallback_note.html")
def fallback_note(item):
    """The small "shown in English" note for a value that is a fallback."""
    return {"item": item}


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()
