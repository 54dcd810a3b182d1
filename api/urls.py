"""The API's URLs, under ``/api/``: django-ninja's operations (``api/endpoints.py``) and the docs page.

Every operation's view is wrapped by :func:`api.http.api_endpoint` (methods,
rate limit, gzip, JSON 404s); CORS comes from django-cors-headers' middleware.
"""

from django.urls import URLPattern, URLResolver, path, re_path
from django.utils.translation import gettext as _

from api.endpoints import api
from api.http import api_endpoint, error
from api.views import docs


def _wrapped(patterns):
    out = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            out.append(pattern)
            continue
        assert isinstance(pattern, URLPattern)
        pattern.callback = api_endpoint(pattern.callback)
        out.append(pattern)
    return out


ninja_patterns, ninja_app, _namespace = api.urls


def not_found(request, rest=""):
    return error(None, _("Not found."), status=404)


urlpatterns = [
    path("v1/docs/", api_endpoint(docs), name="api_docs"),
    re_path(r"^(?P<rest>.*)$", api_endpoint(not_found), name="api_not_found"),
]
api_patterns = (_wrapped(ninja_patterns), ninja_app)
