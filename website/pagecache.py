"""Whole HTML pages for anonymous readers, from a cache shared by every worker.

Most requests are anonymous readers asking for the same home pages, lists
and items again. Rendering one costs tens of queries; replaying it costs one
cache read. What is cached, and for how long:

- GET/HEAD of the reader's site (a URL under a language prefix, so the key
  holds the page *and* the language), by a reader who is not logged in, when
  the response is a plain 200 HTML page, or an RSS or Atom feed (feed readers
  poll them: 80–540 ms each at 100,000 items), that sets no cookie and used no
  CSRF token (editors, the admin and the API are never cached);
- keyed by the full path and query string; each entry remembers the publish
  counter it was rendered under (:mod:`portal.core.freshness`,
  bumped after every publish, unpublish, move, delete or taxonomy edit
  commits) and is replayed only while the counter still has that value, so a
  publish makes every cached page stale at once. The counter and the entry are
  read together, in one cache round trip (``get_many``: one query on the
  PostgreSQL cache table), the only work a hit does besides the middleware
  around it; ``PAGE_CACHE_SECONDS`` (default 3600) bounds the
  age of anything changed without a signal; search pages, whose results also
  depend on the index catching up, at most ``PAGE_CACHE_SEARCH_SECONDS`` (60);
- the page's Content-Security-Policy nonce is replaced on every replay by
  the new request's own (the CSP middleware, outside this one, sends it).

Replayed responses carry ``X-Page-Cache: hit``, fresh ones ``miss``.
"""

import hashlib

from django.conf import settings

from portal import languages
from portal.core import freshness
from portal.security.middleware import nonce

HEADER = "X-Page-Cache"
CACHED_TYPES = ("text/html", "application/rss+xml", "application/atom+xml")
LANGUAGE_PREFIXES = tuple(f"/{code}/" for code in languages.LANGUAGE_CODES)
MAX_QUERY_CHARS = 600  # longer query strings are not worth a cache entry
# Headers set later by middleware outside this one (or per response) are not stored.
SKIPPED_HEADERS = {
    "set-cookie",
    "content-security-policy",
    "content-security-policy-report-only",
    HEADER.lower(),
}


def _seconds(request):
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name == "search":
        return getattr(settings, "PAGE_CACHE_SEARCH_SECONDS", 60)
    return getattr(settings, "PAGE_CACHE_SECONDS", 3600)


def cacheable_request(request):
    return (
        getattr(settings, "PAGE_CACHE_SECONDS", 3600) > 0
        and request.method in ("GET", "HEAD")
        and request.path.startswith(LANGUAGE_PREFIXES)
        and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_CHARS
        and not request.user.is_authenticated
    )


def cacheable_response(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith(CACHED_TYPES)
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.META.get("CSRF_COOKIE_USED")
        and "no-store" not in response.get("Cache-Control", "")
        and "private" not in response.get("Cache-Control", "")
    )


def key_for(request):
    raw = f"{request.path}?{request.META.get('QUERY_STRING', '')}"
    digest = hashlib.sha1(raw.encode("utf-8", "surrogateescape")).hexdigest()
    return f"portal:page:{digest}"


class PageCacheMiddleware:
    """Serve and store anonymous readers' pages (place it after the authentication middleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not cacheable_request(request):
            return self.get_response(request)
        key = key_for(request)
        entry, counter = freshness.lookup(key)
        if entry is not None:
            return self.replay(request, entry)
        response = self.get_response(request)
        if cacheable_response(request, response):
            # Stored under the counter read *before* rendering: a publish committed
            # meanwhile makes this entry stale at once rather than 5 minutes later.
            freshness.store(key, self.entry(request, response), counter, _seconds(request))
            response[HEADER] = "miss"
        return response

    @staticmethod
    def entry(request, response):
        headers = [(k, v) for k, v in response.items() if k.lower() not in SKIPPED_HEADERS]
        return {
            "status": response.status_code,
            "headers": headers,
            "content": response.content,
            "nonce": getattr(request, "_csp_nonce", None),
        }

    @staticmethod
    def replay(request, entry):
        from django.http import HttpResponse

        content = entry["content"]
        if entry["nonce"]:
            content = content.replace(entry["nonce"].encode(), nonce(request).encode())
        response = HttpResponse(content, status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        response[HEADER] = "hit"
        return response
