"""What every API response shares: CORS, a per-client rate limit, conditional GET, JSON errors.

Settings (all optional):

- ``API_RATE_LIMIT``: ``(requests, seconds)`` per client, default ``(120, 60)``;
  ``None`` turns the limit off. Counted in Django's default cache, so every
  process of one deployment shares the count when the cache is shared (Redis,
  Memcached, database); with the local-memory cache each process counts alone.
- ``API_TRUST_X_FORWARDED_FOR``: behind a proxy, take the client's address from
  the first ``X-Forwarded-For`` entry (default False: ``REMOTE_ADDR``).
"""

import functools
import hashlib
import json
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _

from search.params import BadParameter

logger = logging.getLogger(__name__)

DEFAULT_RATE_LIMIT = (120, 60)
ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS")
EXPOSED_HEADERS = "ETag, Last-Modified, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining"


def json_response(body, status=200):
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def error(parameter, message, status=400):
    """``{"error": message, "parameter": name or null}``: the search API's error shape."""
    return json_response({"error": str(message), "parameter": parameter}, status=status)


def client_address(request):
    if getattr(settings, "API_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.headers.get("X-Forwarded-For", "")
        if forwarded.strip():
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_limit(request):
    """None if the client may go on, else ``(limit, retry_after seconds)``; sets ``request.api_quota``."""
    setting = getattr(settings, "API_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    if not setting:
        return None
    limit, window = setting
    now = time.time()
    slot = int(now // window)
    key = f"api-v1-rate:{client_address(request)}:{slot}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    request.api_quota = (limit, max(limit - count, 0))
    if count > limit:
        return limit, max(1, math.ceil((slot + 1) * window - now))
    return None


def add_cors(response):
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def preflight():
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Methods"] = ", ".join(ALLOWED_METHODS)
    response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since, Accept, Accept-Language"
    response["Access-Control-Max-Age"] = "86400"
    return add_cors(response)


def conditional(request, response, last_modified=None):
    """Add ETag (a hash of the body) and Last-Modified; answer 304 when the client's copy is current."""
    if response.status_code != 200 or response.streaming:
        return response
    etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    response["ETag"] = etag
    timestamp = int(last_modified.timestamp()) if last_modified else None  # HTTP dates have whole seconds
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    response["Cache-Control"] = "public, max-age=60"
    return get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)


def api_view(view):
    """Wrap an API view: methods, rate limit, CORS, errors as JSON, conditional GET."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            return preflight()
        if request.method not in ALLOWED_METHODS:
            response = error(None, _("This API is read-only: use GET."), status=405)
            response["Allow"] = ", ".join(ALLOWED_METHODS)
            return add_cors(response)
        limited = rate_limit(request)
        if limited:
            limit, retry_after = limited
            response = json_response(
                {
                    "error": _(
                        "Too many requests: at most %(limit)s per %(window)s seconds. "
                        "Retry after %(retry)s seconds."
                    )
                    % {
                        "limit": limit,
                        "window": getattr(settings, "API_RATE_LIMIT", DEFAULT_RATE_LIMIT)[1],
                        "retry": retry_after,
                    },
                    "parameter": None,
                    "retry_after": retry_after,
                },
                status=429,
            )
            response["Retry-After"] = str(retry_after)
            _quota_headers(request, response)
            return add_cors(response)
        try:
            result = view(request, *args, **kwargs)
        except BadParameter as exc:
            result = error(exc.parameter, exc.message)
        except Http404:
            result = error(None, _("Not found."), status=404)
        except Exception:
            logger.exception("API v1 failed for %s", request.get_full_path())
            result = error(None, _("Internal error; it has been logged."), status=500)
        if isinstance(result, tuple):
            response, last_modified = result
        else:
            response, last_modified = result, None
        if response.status_code == 404:
            request.urlconf = "api.not_prefixed_urls"  # no redirect to /<lang>/… (see that module)
        response = conditional(request, response, last_modified)
        patch_vary_headers(response, ("Accept-Language",))
        _quota_headers(request, response)
        return add_cors(response)

    return wrapper


def _quota_headers(request, response):
    quota = getattr(request, "api_quota", None)
    if quota:
        response["X-RateLimit-Limit"] = str(quota[0])
        response["X-RateLimit-Remaining"] = str(quota[1])


def dumps(body):
    return json.dumps(body, ensure_ascii=False, indent=None)
