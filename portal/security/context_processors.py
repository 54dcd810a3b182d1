from portal.security.middleware import nonce


def csp_nonce(request):
    """``{{ csp_nonce }}`` for ``<script nonce="…">``: the only inline scripts the policy runs."""
    return {"csp_nonce": lambda: nonce(request)}
