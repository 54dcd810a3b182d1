"""A version number of "the labels search matches queries against".

Query understanding (``search.expansion``) builds its label tables once per
process. Saving or deleting a concept, a place or a taxonomy snippet bumps a
counter in the database (so every process notices) and tells the listeners in
this process at once. Other apps add the models whose names they match with
:func:`watch` (the search app watches programme series).
"""

import logging
import threading
import weakref

from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)

KEY = "labels"
_listeners = []
_watched = set()
_built = weakref.WeakSet()


def add_listener(func):
    """``func()`` is called in this process after any watched model changes."""
    if func not in _listeners:
        _listeners.append(func)
    return func


def current(key=KEY):
    """The stored version of ``key`` (0 before anything was ever bumped).

    ``KEY`` is the labels'; ``search.pairings`` keeps its learnt pairings' under a key of its own.
    """
    from vocab.models import VocabularyVersion

    row = VocabularyVersion.objects.filter(key=key).values_list("version", flat=True).first()
    return row or 0


class Built:
    """What this process builds from a stored version (label tables, learnt pairings).

    ``build(version)`` returns an object with a ``version`` attribute; ``get()``
    rebuilds it when the stored version of ``key`` moved on. Readers take the
    current value without the lock; one thread rebuilds while others wait.
    """

    def __init__(self, build, key=KEY):
        self.build, self.key = build, key
        self.value = None
        self._lock = threading.Lock()
        _built.add(self)

    def get(self):
        version = current(self.key)
        value = self.value
        if value is None or value.version != version:
            with self._lock:
                if self.value is None or self.value.version != version:
                    self.value = self.build(version)
                value = self.value
        return value

    def forget(self):
        """Build again at the next ``get()`` (after a change this process made)."""
        self.value = None


def forget_everything():
    """Every :class:`Built` of this process builds again, and the listeners are told.

    For a database replaced under the process (the tests put a saved copy
    back): its stored versions may repeat numbers this process already built from.
    """
    for built in list(_built):
        built.forget()
    _notify()


def bump(key=KEY):
    """Count one more change of ``key``; the labels' listeners are told of a change of theirs."""
    from vocab.models import VocabularyVersion

    updated = VocabularyVersion.objects.filter(key=key).update(version=F("version") + 1)
    if not updated:
        VocabularyVersion.objects.get_or_create(key=key, defaults={"version": 1})
    if key == KEY:
        _notify()


def _notify():
    for func in list(_listeners):
        try:
            func()
        except Exception:  # a listener must not break an editor's save
            logger.exception("vocabulary listener %r failed", func)


def _changed(sender, **kwargs):
    bump()
    # Also after the commit, so a process that rebuilt its tables in between
    # (another request reading the old rows) is told again.
    transaction.on_commit(_notify)


def watch(*models):
    for model in models:
        if model in _watched:
            continue
        _watched.add(model)
        uid = f"vocab.version.{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid + ".save", weak=False)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + ".delete", weak=False)
