"""Template tags of the API app: the export links under a list, a schema in a word or two."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal import languages

register = template.Library()

EXPORT_LABELS = {"csv": _("CSV"), "json": _("JSON"), "xml": _("IATI XML")}


@register.inclusion_tag("api/export_links.html")
def api_export_links(listing, resource, formats="csv json xml"):
    """Links exporting the list as filtered now (the valid choices of ``listing``), whatever its page."""
    params = [(f.param, f.selected) for f in listing.active]
    lang = get_language()
    links = []
    for fmt in formats.split():
        query = list(params)
        if fmt != "xml" and lang in languages.LANGUAGE_CODES:
            query.append(("lang", lang))
        url = reverse(f"api_v1:export_{resource}_{fmt}")
        links.append(
            {"format": fmt, "label": EXPORT_LABELS[fmt], "url": f"{url}?{urlencode(query)}" if query else url}
        )
    return {"links": links}


@register.simple_tag
def schema_summary(schema):
    """``string (date)``, ``one of: a, b``, ``array of string``, ``Text``…"""
    if not isinstance(schema, dict):
        return ""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "oneOf" in schema:
        return " | ".join(schema_summary(s) for s in schema["oneOf"])
    kind = schema.get("type", "")
    if isinstance(kind, list):
        kind = " | ".join(str(k) for k in kind)
    if kind == "array":
        return f"array of {schema_summary(schema.get('items', {}))}"
    out = kind
    if schema.get("format"):
        out += f" ({schema['format']})"
    if schema.get("enum"):
        values = [str(v) for v in schema["enum"] if v is not None]
        out += ": " + ", ".join(values[:20]) + (" …" if len(values) > 20 else "")
    return out
