"""The API's documentation page: the generated OpenAPI document, rendered on the server.

No scripts and no CDN (a partner on a slow link reads it as plain HTML); in the
reader's language (``?lang=`` or Accept-Language), since the document's
descriptions are translated.
"""

from django.shortcuts import render
from django.utils import translation

from api.endpoints import api
from portal import languages


def docs(request):
    lang = request.GET.get("lang")
    if lang not in languages.LANGUAGE_CODES:
        lang = translation.get_language_from_request(request)
        lang = lang if lang in languages.LANGUAGE_CODES else languages.DEFAULT_LANGUAGE
    with translation.override(lang):
        spec = api.get_openapi_schema(path_prefix="/api")
        return render(request, "api/docs.html", {"spec": spec, "lang": lang})
