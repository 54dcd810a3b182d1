"""Gzip for HTML, JSON, XML and feeds, where it cannot leak a secret (BREACH).

BREACH recovers a secret from a compressed HTTPS response that also reflects
the attacker's input, by watching the response size. It needs both in one
response. This middleware compresses only responses that carry no secret:

- nothing under the admin (``CSP_ADMIN_PREFIX``, ``/admin/``): its pages carry CSRF tokens next to user input;
- nothing for a signed-in user (session-bound pages, CSRF tokens);
- nothing that sets a cookie.

Anonymous public pages and the API hold no token or personal data, so a
search page echoing ``?q=`` is safe to compress. Django's own ``GZipMiddleware``
(which this extends) adds random padding to each gzip stream as well, and
Django masks CSRF tokens per request: defence in depth.

Every compressible response says ``Vary: Accept-Encoding``, compressed or
not, so a shared cache (a proxy, a CDN) never hands gzip to a client that did
not ask for it, nor plain text forever to those that did. The portal's own
page cache (``website/pagecache.py``) sits inside this middleware: it stores
and replays uncompressed pages, and this middleware compresses each replay
for the reader who asked.
"""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers

COMPRESSIBLE_TYPES = (
    "text/html",
    "text/plain",
    "text/csv",
    "text/xml",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/ld+json",
    "application/vnd.oai.openapi+json",
)


def is_compressible(response):
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type in COMPRESSIBLE_TYPES


def holds_no_secret(request, response):
    """True when the response can carry no token or personal data (see the module's docstring)."""
    admin_prefix = getattr(settings, "CSP_ADMIN_PREFIX", "/admin/")
    if request.path.startswith(admin_prefix):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return not response.cookies


class SafeGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not is_compressible(response):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if not holds_no_secret(request, response):
            return response
        return super().process_response(request, response)
