"""Requests the live server is still answering, so a test's flush can wait for them.

Browser tests end with a tab that may still send an autosave or an
editing-session ping (Chromium sends them as the tab goes away). If the
transactional test's flush and reload ran under such a request, the request
wrote into a half-emptied database and left the page tree inconsistent
("Page with this Path already exists"), or deadlocked with the flush on
PostgreSQL. The test settings add this middleware; ``restore_portal`` waits.
"""

import threading
import time

_lock = threading.Lock()
_count = 0


class InFlightMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        global _count
        with _lock:
            _count += 1
        try:
            return self.get_response(request)
        finally:
            with _lock:
                _count -= 1


def wait_until_quiet(timeout=15.0, settle=0.3):
    """Return once no request has been in flight for ``settle`` seconds (or after ``timeout``)."""
    deadline = time.monotonic() + timeout
    quiet_since = None
    while time.monotonic() < deadline:
        if _count == 0:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= settle:
                return True
        else:
            quiet_since = None
        time.sleep(0.05)
    return False
