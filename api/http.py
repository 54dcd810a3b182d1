"""What every API response shares, from well-kept libraries, wrapped around django-ninja's views.

- CORS: django-cors-headers (``CORS_URLS_REGEX`` covers ``/api/``; settings in
  ``portal/settings/base.py``).
- Rate limit: counted per client address
  (:func:`portal.security.client.client_address`, one trust rule) and fixed
  window in the cache named by ``API_RATE_LIMIT_CACHE`` (default
  ``"default"``), with :func:`portal.core.cache.count_hit`: one upsert per
  request on production's PostgreSQL cache table, exact across every worker
  and machine sharing it (a client gets at most ``requests`` answers per
  window, never more, whichever worker answers). ``API_RATE_LIMIT =
  (requests, seconds)``, default ``(120, 60)``; ``None`` turns it off.
- Read-only: GET and HEAD; every other method is a 405 JSON answer with
  ``Allow`` (CSRF does not apply: nothing is written). Hence no transaction
  either (``non_atomic_requests``, against ``ATOMIC_REQUESTS``): on SQLite every
  request's transaction begins IMMEDIATE, which takes the database's one write
  lock, so each API read queued behind any writer (an editor's save, an import,
  another request) for up to the lock timeout, 20 s; outside a transaction the
  reads go on beside a writer (WAL). The cache writes (rate limit, memo) never
  were the request's: production's cache table has its own connection.
- Compression: gzip when the client accepts it (Django's ``gzip_page``).
- Conditional GET: Django's ``condition()`` on each operation, with the ETag and
  Last-Modified computed from the data's last change before the body is built.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import JsonResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.gzip import gzip_page

from portal.core.cache import count_hit
from portal.security.client import client_address

DEFAULT_RATE_LIMIT = (120, 60)
ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS")
CACHE_CONTROL = "public, max-age=60"
ETAG_VERSION = "v1.2"  # bump when the shape of answers changes, so clients' copies go stale


def json_response(body, status=200):
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def error(parameter, message, status=400):
    """``{"error": message, "parameter": name or null}``: every error of the API."""
    return json_response({"error": str(message), "parameter": parameter}, status=status)


def rate_setting():
    return getattr(settings, "API_RATE_LIMIT", DEFAULT_RATE_LIMIT)


def rate_limited(request):
    """None if the client may go on, else the 429 answer (with Retry-After).

    Windows are fixed (``seconds`` long, counted from the epoch): a client's
    count starts again at each window's start.
    """
    setting = rate_setting()
    if not setting:
        return None
    limit, seconds = setting
    now = time.time()
    window = int(now // seconds)
    client = hashlib.sha1(client_address(request).encode()).hexdigest()
    cache = caches[getattr(settings, "API_RATE_LIMIT_CACHE", "default")]
    count = count_hit(f"portal:rate:api:{seconds}:{window}:{client}", seconds + 1, cache)
    request.api_quota = (limit, max(limit - count, 0))
    if count <= limit:
        return None
    retry_after = max(1, math.ceil((window + 1) * seconds - now))
    response = json_response(
        {
            "error": _(
                "Too many requests: at most %(limit)s per %(window)s seconds. Retry after %(retry)s seconds."
            )
            % {"limit": limit, "window": seconds, "retry": retry_after},
            "parameter": None,
            "retry_after": retry_after,
        },
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


def method_not_allowed():
    response = error(None, _("This API is read-only: use GET."), status=405)
    response["Allow"] = ", ".join(ALLOWED_METHODS)
    return response


def api_endpoint(view):
    """Wrap one of the API's URL views: methods, rate limit, quota headers, gzip, JSON 404s.

    No transaction (the API writes nothing): see this module's docstring.
    """

    @transaction.non_atomic_requests
    @csrf_exempt
    @gzip_page
    def wrapper(request, *args, **kwargs):
        if request.method not in ALLOWED_METHODS:
            return method_not_allowed()
        if request.method == "OPTIONS":  # not a CORS preflight (django-cors-headers answers those)
            response = json_response({}, status=200)
            response["Allow"] = ", ".join(ALLOWED_METHODS)
            return response
        response = rate_limited(request) or view(request, *args, **kwargs)
        if response.status_code == 404:
            request.urlconf = "api.not_prefixed_urls"  # no redirect to /<lang>/… (see that module)
        quota = getattr(request, "api_quota", None)
        if quota:
            response["X-RateLimit-Limit"] = str(quota[0])
            response["X-RateLimit-Remaining"] = str(quota[1])
        patch_vary_headers(response, ("Accept-Language",))
        if response.status_code in (200, 304) and not response.has_header("Cache-Control"):
            response["Cache-Control"] = CACHE_CONTROL
        return response

    return wrapper


def etag_of(request, changed_at, *parts):
    """A strong validator from what the answer is made of: the request and the data's last change."""
    query = sorted((k, v) for k in request.GET for v in request.GET.getlist(k))
    raw = repr((ETAG_VERSION, request.path, query, changed_at.isoformat() if changed_at else None, *parts))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


# --- Errors the operations raise (answered by handlers in api/endpoints.py) ---------------------


class PageNotFound(Exception):
    """A page past the last: 404 naming ``page`` (the request was well formed; the page does not exist)."""

    def __init__(self, page, last):
        super().__init__(page)
        self.page, self.last = page, last


class EmptyExport(Exception):
    """No project matches: a 404 rather than a file, because IATI 2.03 cannot express "none".

    The 2.03 ``iati-activities-schema.xsd`` declares ``iati-activity`` with
    ``minOccurs="1"``: an empty ``<iati-activities/>`` would be schema-invalid
    (``tests/test_api_v1_exports.py`` reads that from the XSD itself).
    """


def empty_export_message():
    """Says there is nothing to export and how to get something (the 404 body and its OpenAPI description)."""
    return _(
        "Nothing to export: no project matches these filters, and an IATI file needs at least one "
        "activity. Remove a filter or widen it (another year, status, country or theme) and try again."
    )
