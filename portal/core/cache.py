"""A cache shared by every process of the portal: a table in its PostgreSQL database.

Why the database and not Redis: the portal already needs PostgreSQL, every
gunicorn worker on every machine already reaches it, and it is already backed
up and monitored; a cache table adds no daemon to install, secure and watch.
Its costs are known and small here: a cache hit is one primary-key read (well
under a millisecond on the same network), a miss writes a row, and the
entries that matter (rendered pages, rate-limit counters, login-throttle
records, figures) are few thousand, not millions. Redis would become worth
its daemon if cache traffic ever dominated the database's load.

Two things Django's ``DatabaseCache`` lacks for this job:

- ``incr`` is a read followed by a write, so two workers counting the same
  client's requests can lose one; :class:`DatabaseCache` locks the row
  (``SELECT … FOR UPDATE``), so rate limits count every request;
- counting a request costs ``add`` (a ``COUNT(*)`` of the table, an insert)
  then ``incr`` (a transaction of four statements): :meth:`DatabaseCache.count_hit`
  does it in one statement on PostgreSQL (an upsert), which the API's rate
  limit calls on every request;
- its queries run on the request's connection, inside ``ATOMIC_REQUESTS``'
  transaction (a row lock would be held until the view ends, and a cache
  write would vanish with a rolled-back request). :class:`CacheRouter` sends
  the cache table to its own connection alias, ``cache``, in autocommit.
"""

import base64
import datetime
import pickle

from django.core.cache.backends import db
from django.db import connections, router, transaction
from django.utils import timezone

CACHE_ALIAS = "cache"


class DatabaseCache(db.DatabaseCache):
    """Django's database cache with an atomic ``incr``/``decr``."""

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        quote = connection.ops.quote_name
        table, value_col, key_col, expires_col = (
            quote(n) for n in (self._table, "value", "cache_key", "expires")
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now().replace(microsecond=0))
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {value_col} FROM {table} WHERE {key_col} = %s AND {expires_col} > %s{lock}",
                [key, now],
            )
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(row[0].encode())) + delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(f"UPDATE {table} SET {value_col} = %s WHERE {key_col} = %s", [encoded, key])
        return value

    def count_hit(self, key, seconds):
        """Count one hit on ``key`` and return the count so far: 1 the first time (the key then
        lives ``seconds``). Exact across processes and machines, and one round trip on PostgreSQL.

        The count is stored as plain decimal text, not pickled: such a key is
        only ever read through this method (``get`` or ``incr`` on it fail).
        On other databases, Django's ``add`` then the atomic :meth:`incr`.
        """
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        if connection.vendor != "postgresql":
            return count_by_add(self, key, seconds)
        key = self.make_and_validate_key(key)
        now = timezone.now().replace(microsecond=0)
        expires = now + datetime.timedelta(seconds=seconds)
        table = connection.ops.quote_name(self._table)
        with connection.cursor() as cursor:
            # An expired row under the same key (a clock set back) starts again from 1.
            cursor.execute(
                f"INSERT INTO {table} AS t (cache_key, value, expires) VALUES (%s, '1', %s) "
                "ON CONFLICT (cache_key) DO UPDATE SET "
                "value = CASE WHEN t.expires > %s THEN (t.value::bigint + 1)::text ELSE '1' END, "
                "expires = CASE WHEN t.expires > %s THEN t.expires ELSE EXCLUDED.expires END "
                "RETURNING t.value",
                [key, expires, now, now],
            )
            return int(cursor.fetchone()[0])


def count_hit(key, seconds, cache=None):
    """Count one hit on ``key`` in ``cache`` (default: the default cache) and return the count so far.

    One statement on production's :class:`DatabaseCache`; on any other cache
    :func:`count_by_add`.
    """
    if cache is None:
        from django.core.cache import cache
    if isinstance(cache, DatabaseCache):
        return cache.count_hit(key, seconds)
    return count_by_add(cache, key, seconds)


def count_by_add(cache, key, seconds):
    """``add`` then ``incr``: atomic in Django's local-memory cache, Redis and :class:`DatabaseCache`
    (the file cache may lose a count when two processes count the same key at once)."""
    if cache.add(key, 1, seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls: this hit opens a new count
        cache.add(key, 1, seconds)
        return 1


class CacheRouter:
    """The cache table on the ``cache`` connection (same database, autocommit), when it is configured."""

    def _alias(self, model):
        if model._meta.app_label == "django_cache" and CACHE_ALIAS in connections.settings:
            return CACHE_ALIAS
        return None

    def db_for_read(self, model, **hints):
        return self._alias(model)

    def db_for_write(self, model, **hints):
        return self._alias(model)
