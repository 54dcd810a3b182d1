"""Admin login throttling, per username and client address, in Django's cache.

The first ``LOGIN_FREE_ATTEMPTS`` failures cost nothing. After that each new
attempt for the same username from the same address must wait a delay that
doubles with every failure (``LOGIN_BASE_DELAY`` seconds, at most
``LOGIN_MAX_DELAY``); an attempt made sooner is refused without checking the
password. After ``LOGIN_LOCK_AFTER`` failures the pair is locked for
``LOGIN_LOCKOUT`` seconds. A successful login clears the record.

Settings (all optional): ``LOGIN_THROTTLE = {"free_attempts": 3, "base_delay": 1,
"max_delay": 60, "lock_after": 10, "lockout": 900}``; the client's address comes
from :func:`portal.security.client.client_address` (``SECURITY_PROXY_COUNT``).
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from portal.security.client import client_address

DEFAULTS = {"free_attempts": 3, "base_delay": 1.0, "max_delay": 60.0, "lock_after": 10, "lockout": 900}


def config():
    return {**DEFAULTS, **getattr(settings, "LOGIN_THROTTLE", {})}


def _key(username, ip):
    raw = f"{(username or '').strip().casefold()}|{ip}"
    return "login-throttle:" + hashlib.sha256(raw.encode()).hexdigest()


@dataclass
class Verdict:
    allowed: bool
    wait: int = 0  # seconds until the next attempt is accepted
    locked: bool = False


def check(username, request):
    """May this username try to log in from this address now?"""
    record = cache.get(_key(username, client_address(request)))
    if not record:
        return Verdict(True)
    cfg = config()
    now = time.time()
    failures, last = record["failures"], record["last"]
    if failures >= cfg["lock_after"]:
        remaining = last + cfg["lockout"] - now
        if remaining > 0:
            return Verdict(False, wait=int(remaining) + 1, locked=True)
        return Verdict(True)
    if failures >= cfg["free_attempts"]:
        delay = min(cfg["base_delay"] * 2 ** (failures - cfg["free_attempts"]), cfg["max_delay"])
        remaining = last + delay - now
        if remaining > 0:
            return Verdict(False, wait=int(remaining) + 1)
    return Verdict(True)


def record_failure(username, request):
    key = _key(username, client_address(request))
    record = cache.get(key) or {"failures": 0, "last": 0.0}
    record = {"failures": record["failures"] + 1, "last": time.time()}
    cache.set(key, record, timeout=int(config()["lockout"]) + int(config()["max_delay"]) + 60)
    return record["failures"]


def reset(username, request):
    cache.delete(_key(username, client_address(request)))


def on_login_failed(sender, credentials, request=None, **kwargs):
    record_failure(credentials.get("username", ""), request)


def on_logged_in(sender, request, user, **kwargs):
    reset(user.get_username(), request)
