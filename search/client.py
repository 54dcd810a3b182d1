"""The Elasticsearch connection, index names, and whether the engine is usable.

Everything that talks to Elasticsearch gets its client here, so timeouts and
the "is it down?" memory are the same for the worker, the rebuild and queries.

When a call fails to connect, :func:`mark_down` remembers it for
``RETRY_AFTER`` seconds: meanwhile queries go straight to the database
fallback and editors' requests skip the in-process drain, instead of each
waiting for a timeout. After that the next call tries again, so the site
recovers by itself.
"""

import threading
import time

from django.conf import settings
from elasticsearch import ApiError, Elasticsearch, TransportError

RETRY_AFTER = 10.0  # seconds during which a failed engine is not retried
TIMEOUT = 5.0  # per request; bulk and rebuild pass their own

# Errors meaning "the engine cannot serve us now" (connection refused, timeout,
# 5xx, missing index): callers fall back or keep their outbox rows.
ENGINE_ERRORS = (TransportError, ApiError)

_clients = {}
_lock = threading.Lock()
_down_until = 0.0


def url():
    return getattr(settings, "ELASTICSEARCH_URL", "") or ""


def is_configured():
    return bool(url())


def nodes():
    """The node URLs of ``ELASTICSEARCH_URL``: one, or several separated by commas (a cluster)."""
    return [part.strip() for part in url().split(",") if part.strip()]


def get_client():
    """One client per URL (tests switch the URL to a closed port and back).

    With one node a failed request is not retried (the caller falls back at
    once). With a cluster a request that cannot reach a node, or that a node
    answers 502/503/504 while shards move, is retried on the next node, so a
    node stopping is invisible to readers and to the indexing worker.
    """
    key = url()
    if not key:
        raise RuntimeError("ELASTICSEARCH_URL is not set")
    with _lock:
        if key not in _clients:
            hosts = nodes()
            _clients[key] = Elasticsearch(
                hosts,
                request_timeout=TIMEOUT,
                max_retries=len(hosts) - 1,
                retry_on_status=(502, 503, 504),
                retry_on_timeout=len(hosts) > 1,
            )
        return _clients[key]


def mark_down():
    global _down_until
    _down_until = time.monotonic() + RETRY_AFTER


def mark_up():
    global _down_until
    _down_until = 0.0


def is_available():
    """Configured and not known to be down (does not itself call the engine)."""
    return is_configured() and time.monotonic() >= _down_until


def ping():
    """Ask the node for its health; True when it answers (and clears the down mark).

    Our development node has no ``GET /`` handler, so ``client.ping()`` would
    report it down; cluster health exists on every 8.x node.
    """
    if not is_configured():
        return False
    try:
        get_client().cluster.health(timeout="1s")
    except ENGINE_ERRORS:
        mark_down()
        return False
    mark_up()
    return True


# --- Index names -------------------------------------------------------------------


def prefix():
    return settings.ELASTICSEARCH_INDEX_PREFIX


def read_alias():
    """What queries search: always points at one complete physical index."""
    return f"{prefix()}-items"


def write_alias():
    """Where the outbox worker writes; moved together with the read alias."""
    return f"{prefix()}-items-write"


def building_alias():
    """The index a rebuild is loading, while it runs: the outbox writes there too."""
    return f"{prefix()}-items-building"


def new_physical_name():
    """A fresh physical index name, ordered by creation time."""
    return f"{prefix()}-items-v{time.strftime('%Y%m%d%H%M%S')}-{time.monotonic_ns() % 1_000_000:06d}"
