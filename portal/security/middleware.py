"""Content-Security-Policy on every response.

The public site gets a strict policy: everything from the portal's own origin,
no inline script except one carrying the request's nonce
(``<script nonce="{{ csp_nonce }}">``, see ``context_processors.csp_nonce``),
no plugins, no framing. Wagtail's admin (``/admin/``) needs inline scripts and
styles, so it gets a looser policy scoped to its own path.

Policies come from settings (``CSP_POLICY``, ``CSP_ADMIN_POLICY``, dicts of
directive → list of sources, ``CSP_ADMIN_PREFIX``) and ``CSP_REPORT_ONLY``
sends them as ``Content-Security-Policy-Report-Only`` instead.
"""

import secrets

from django.conf import settings

DEFAULT_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "{nonce}"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'", "https://www.youtube.com", "https://player.vimeo.com"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

ADMIN_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'", "https:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],  # the admin previews pages in an iframe
}


def nonce(request):
    """The request's CSP nonce, made on first use."""
    value = getattr(request, "_csp_nonce", None)
    if value is None:
        value = request._csp_nonce = secrets.token_urlsafe(16)
    return value


def render_policy(policy, nonce_value):
    parts = []
    for directive, sources in policy.items():
        values = [s.replace("{nonce}", f"'nonce-{nonce_value}'") for s in sources]
        parts.append(" ".join([directive, *values]))
    return "; ".join(parts)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        header = (
            "Content-Security-Policy-Report-Only"
            if getattr(settings, "CSP_REPORT_ONLY", False)
            else "Content-Security-Policy"
        )
        if header in response:  # a view set its own
            return response
        admin_prefix = getattr(settings, "CSP_ADMIN_PREFIX", "/admin/")
        if request.path.startswith(admin_prefix):
            policy = getattr(settings, "CSP_ADMIN_POLICY", ADMIN_POLICY)
        else:
            policy = getattr(settings, "CSP_POLICY", DEFAULT_POLICY)
        response[header] = render_policy(policy, nonce(request))
        return response
