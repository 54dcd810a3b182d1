"""Template tags every public page uses: language links and visible fallbacks."""

from django import template
from django.urls import translate_url
from django.utils import translation

from portal import languages
from portal.core.numbers import plain_number
from portal.core.translated import languages_present, shown

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context, page=None):
    """One entry per portal language: its URL for the page being read.

    For a Wagtail page the URL is the page's own (translated slug) URL in that
    language; elsewhere the current path with its language prefix swapped.
    ``missing`` is true when the page has no title in that language, so the
    switcher can say the reader will see a fallback. The query string (filters,
    page number) is kept, so switching language keeps the reader's place.
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
            url = translate_url(request.path, code)
        else:
            url = f"/{code}/"
        links.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "switch_url": _keep_query(url, request, current, code),
                "current": code == current,
                "missing": code not in present,
            }
        )
    return links


def _keep_query(url, request, current, code):
    """``url`` with the reader's query string: filters, search words and page number stay.

    "Only items in my language" follows the reader into the new language.
    """
    if not url or request is None or not request.GET or "?" in url:
        return url
    params = request.GET.copy()
    if params.get(languages.CONTENT_LANGUAGE_PARAM) == current:
        params[languages.CONTENT_LANGUAGE_PARAM] = code
    return f"{url}?{params.urlencode()}"


@register.simple_tag
def translated(obj, field):
    """``{% translated page "summary" as s %}``: value plus the language it is in."""
    return shown(obj, field)


def page_fallback_lang(context):
    """The language the page being read is shown in, when that is a fallback ("" otherwise).

    Base.html then says once, at the top, "this page is shown in English"; the
    page's own fields in that language need no note of their own.
    """
    if "_page_fallback_lang" not in context.render_context:
        page = context.get("page")
        lang = ""
        if page is not None and hasattr(page, "get_url"):
            title = shown(page, "title")
            lang = title.lang if title.is_fallback else ""
        context.render_context["_page_fallback_lang"] = lang
    return context.render_context["_page_fallback_lang"]


@register.simple_tag(takes_context=True)
def page_fallback_notice(context):
    """ "This page is not translated into your language yet: it is shown in English." or ""."""
    lang = page_fallback_lang(context)
    return str(languages.PAGE_SHOWN_IN[lang]) if lang else ""


@register.inclusion_tag("includes/fallback_note.html", takes_context=True)
def fallback_note(context, item, *covered_by):
    """The small "shown in English" note for a value that is a fallback: once per page and item.

    No note when the page-level notice already names the language, or when one
    of ``covered_by`` (e.g. the item's title, which carries the item's note) is
    a fallback into the same language.
    """
    show = bool(getattr(item, "is_fallback", False))
    if show and item.lang == page_fallback_lang(context):
        show = False
    if show and any(getattr(c, "is_fallback", False) and c.lang == item.lang for c in covered_by):
        show = False
    return {"item": item, "show": show}


@register.filter
def iso_date(value):
    """ "2018-09-01" (as the search index stores dates) -> a date, for ``|date`` to write for the reader."""
    import datetime

    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


@register.filter
def num(value):
    """A number for SVG, CSS, JSON or a ``data-`` attribute: always a dot (``606.5``), never localised."""
    return plain_number(value)


@register.inclusion_tag("includes/content_language.html", takes_context=True)
def content_language_choice(context):
    """Two links: every item (fallbacks marked) or only those written in the reader's language.

    They keep the other parameters of the query (filters, search words) and go
    back to the first page, since the list changes.
    """
    request = context.get("request")
    current = translation.get_language() or languages.DEFAULT_LANGUAGE
    param = languages.CONTENT_LANGUAGE_PARAM
    params = request.GET.copy() if request is not None else {}
    selected = params.get(param, "")
    for key in ("page", param):
        params.pop(key, None)
    all_url = "?" + params.urlencode() if params else "?"
    params[param] = current
    return {
        "only_label": languages.ONLY_IN[current],
        "only_url": "?" + params.urlencode(),
        "all_url": all_url,
        "only": selected == current,
        "other": selected not in ("", current),
    }


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()
