"""The publish counter: how every cache of published content knows it is stale.

One number in the shared cache, bumped after each publish, unpublish, move or
delete of a page and each edit of a country, theme, organisation or
programme series commits (``website/signals.py`` connects the signals).
Whatever is computed from published content (whole pages for anonymous
readers in ``website/pagecache.py``, the home page's figures, the API's
counts and validators) is stored with the counter it was computed under and
used only while the counter still has that value: one publish makes all of
it stale at once, on every worker, with no list of keys to delete.

Reading it is one cache read; :func:`remember` reads it together with the
value it guards, in one round trip (``get_many``: one query on production's
PostgreSQL cache table).
"""

import threading
import time
import uuid
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "portal:home:content-version"


def publish_counter():
    """The counter's current value (one cache read)."""
    value = cache.get(VERSION_KEY)
    return value if value is not None else start_counter()


def start_counter(key=VERSION_KEY):
    """Store a new counter when none is stored (first start, or culled from a full cache).

    It starts from the clock, not from 0: a counter that vanished and starts
    again must never come back to a value something was cached under.
    """
    value = time.time_ns() // 1000
    cache.add(key, value, None)
    return cache.get(key, value)


def bump_version(instance=None, **_kwargs):
    """Bump the counter once the change is committed (a signal receiver).

    Bumping inside the editor's transaction would let a reader's request in
    between compute the old content and cache it under the new counter.
    A change of one content type's page also bumps that type's counter
    (:func:`type_counters`); any other change bumps every type's.
    """
    if getattr(_bulk, "active", False):
        _bulk.wanted = True
        return
    model = _content_type_of(instance)
    page_id = instance.pk if model is not None else None  # read now: a deleted page's is None after
    transaction.on_commit(lambda: _bump(model, page_id))


# What a type's own values (its facts: portal.core.facts) are kept under: the type's counter,
# bumped by a change of one of its pages, and one for every type, bumped by any other change
# (a taxonomy edit, a section moved, an import, the daily status update). A policy document's
# publish then leaves the projects' facts (the home page's figures) as they were.
ALL_TYPES_KEY = "portal:types:content-version"


def type_counters(model):
    """The counter keys a value computed from ``model``'s live pages only is kept under."""
    return (ALL_TYPES_KEY, f"portal:type:{model._meta.label_lower}:content-version")


# Each bump of a type's counter by one page's change also notes that page's id under the counter's
# new value (its *change log*), so a value kept under the counters before can be brought up to date
# by reading those pages again instead of the whole type (:func:`remember_here`'s ``patch``; the
# facts of 35,000 policy documents: one second to read, milliseconds to patch with one page).
# More changes than this since a value was kept: it is computed anew.
CHANGE_LOG_LIMIT = 200


def _change_key(counter_key, value):
    return f"{counter_key}:change:{value}"


def changes_between(counters, old, new):
    """The ids of the pages whose changes moved ``counters`` (:func:`type_counters`) from ``old`` to
    ``new``, or None when they cannot be known: another counter than the type's moved (a taxonomy
    edit, an import: every page may have changed), too many changes, or a change not logged (a bump
    still between its counter and its log entry, or the entry culled from a full cache)."""
    if old is None or tuple(old[:-1]) != tuple(new[:-1]) or not 0 <= new[-1] - old[-1] <= CHANGE_LOG_LIMIT:
        return None
    keys = [_change_key(counters[-1], value) for value in range(old[-1] + 1, new[-1] + 1)]
    logged = cache.get_many(keys)
    if len(logged) != len(keys):
        return None
    return set(logged.values())


def _content_type_of(instance):
    """The model of the declared content type ``instance`` (a page, base or specific) is of, else None."""
    from wagtail.models import Page

    from portal.core import content_types

    if not isinstance(instance, Page):
        return None
    model = instance.specific_class
    return model if model is not None and content_types.by_model(model) is not None else None


_bulk = threading.local()  # inside one_bump_for_the_block(): whether a bump is wanted at its end


@contextmanager
def one_bump_for_the_block():
    """Within the block, this thread's changes register one bump between them, at its end.

    For bulk writers (an import publishes thousands of pages in one
    transaction): one ``on_commit`` callback a page would be held until the
    commit, growing with the file. One bump covers them all: it only has to
    differ from every value cached before the commit. If the block raises,
    nothing is registered (its transaction rolls back anyway).
    """
    if getattr(_bulk, "active", False):  # nested: the outer block registers
        yield
        return
    _bulk.active, _bulk.wanted = True, False
    try:
        yield
    finally:
        _bulk.active = False
    if _bulk.wanted:
        transaction.on_commit(_bump)


def _bump(model=None, page_id=None):
    """Bump the publish counter, and ``model``'s type counter (every type's when None); a change of
    the page ``page_id`` is logged under the type counter's new value (:func:`changes_between`)."""
    for key in (VERSION_KEY, type_counters(model)[1] if model is not None else ALL_TYPES_KEY):
        try:
            value = cache.incr(key)
        except ValueError:  # no counter stored: a new one is already past every old value
            start_counter(key)
            continue
        if key != VERSION_KEY and page_id is not None and memo_seconds():
            cache.set(_change_key(key, value), page_id, memo_seconds())


def lookup(key, counters=None):
    """``(value stored at key or None, current counter)`` in one cache read; a value stored under an
    older counter is None. Store what you compute with :func:`store` and the counter returned here
    (read *before* computing, so a publish committed meanwhile makes it stale at once).
    ``counters``: other counter keys than the publish counter's (the counter is then their values)."""
    found, counter = lookup_all([key], counters)
    return found.get(key), counter


def lookup_all(keys, counters=None):
    """:func:`lookup` for several keys in the same cache read: ``({key: fresh value}, counter)``,
    keys without a value stored under the current counter left out."""
    counter_keys = counters or (VERSION_KEY,)
    found = cache.get_many([*counter_keys, *keys])
    values = [found.get(k) for k in counter_keys]
    started = [
        start_counter(k) if value is None else value for k, value in zip(counter_keys, values, strict=True)
    ]
    counter = tuple(started) if counters else started[0]
    if None in values:  # a counter started anew: nothing stored before can be current
        return {}, counter
    return {
        key: entry[1] for key in keys if (entry := found.get(key)) is not None and entry[0] == counter
    }, counter


def memo_seconds(seconds=None):
    """How long a value computed from published content may be kept: ``seconds`` at most
    ``CONTENT_MEMO_SECONDS`` (0: not at all, as in the tests)."""
    limit = getattr(settings, "CONTENT_MEMO_SECONDS", 6 * 3600)
    return limit if seconds is None else min(seconds, limit)


def store(key, value, counter, seconds):
    cache.set(key, (counter, value), seconds)


_here = {}  # remember_here's values in this process: {key: (stamp, value, counter)}


def remember_here(key, compute, seconds=None, counters=None, patch=None):
    """:func:`remember`, also kept in this process while the shared cache says it is current.

    For values too large to read from the shared cache on every use (a type's
    facts: a megabyte at 35,000 pages): the shared cache holds the value and a
    small stamp (a random token) under the counter (or ``counters``: see
    :func:`type_counters`); a process that holds the
    value with the current stamp uses its own copy after one small cache read
    (the counter and the stamp, together). A publish, a full cache that
    dropped the stamp, or another process computing the value anew all change
    what that read returns, so no process keeps a value the others dropped.

    ``patch(value, page_ids)``: the value brought up to date from one kept under
    older ``counters`` by reading again only the pages whose changes moved them
    (:func:`changes_between`); the value this process holds is patched first (no
    megabyte read from the shared cache), else the shared cache's older one; when
    the changes cannot be known, ``compute()`` reads it all again.
    """
    seconds = memo_seconds(seconds)
    if not seconds:
        return compute()
    stamp_key = f"{key}:stamp"
    stamp, counter = lookup(stamp_key, counters)
    held = _here.get(key)
    if held is not None and stamp is not None and held[0] == stamp:
        return held[1]
    kept = cache.get(key)  # (counter, (stamp, value)), current or not
    if kept is not None and kept[0] == counter and stamp is not None and kept[1][0] == stamp:
        stamp, value = kept[1]
    else:
        older = [held[1:]] if held is not None else []
        if kept is not None:
            older.append((kept[1][1], kept[0]))
        value = _patched(older, patch, counters, counter)
        if value is None:
            value = compute()
        stamp = uuid.uuid4().hex
        store(key, (stamp, value), counter, seconds)
        store(stamp_key, stamp, counter, seconds)
    _here[key] = (stamp, value, counter)
    return value


def _patched(older, patch, counters, counter):
    """The first of ``older`` (``(value, counter)`` pairs) that ``patch`` can bring to ``counter``,
    patched; None if none can (see :func:`remember_here`)."""
    if patch is None or counters is None:
        return None
    for value, kept_under in older:
        changed = changes_between(counters, kept_under, counter)
        if changed is not None:
            return patch(value, changed)
    return None


def remember(key, compute, seconds=None):
    """``compute()``, cached until the next publish, at most ``seconds`` or ``CONTENT_MEMO_SECONDS``.

    ``CONTENT_MEMO_SECONDS = 0`` turns every such cache off (the tests, whose
    rolled-back transactions never bump the counter).
    """
    seconds = memo_seconds(seconds)
    if not seconds:
        return compute()
    value, counter = lookup(key)
    if value is None:
        value = compute()
        store(key, value, counter, seconds)
    return value
