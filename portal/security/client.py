"""The client's address, with one trust rule for everything that counts per client.

The admin login throttle and the partners' API rate limit both read it. Behind
``SECURITY_PROXY_COUNT`` trusted reverse proxies (``PORTAL_PROXY_COUNT`` in the
environment), each proxy appends the address it received the request from to
``X-Forwarded-For``, so the client's address is the entry that many places from
the right: anything further left was written by the client and is ignored (a
client cannot dodge a limit by sending a new header each time). With no proxy
(the default) the header is ignored and ``REMOTE_ADDR`` is the client.
"""

from django.conf import settings


def client_address(request):
    """The address of whoever sent ``request``, as far as the trusted proxies vouch for it."""
    if request is None:
        return "-"
    proxies = int(getattr(settings, "SECURITY_PROXY_COUNT", 0) or 0)
    if proxies > 0:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "-"
