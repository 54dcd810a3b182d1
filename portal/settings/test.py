"""Settings for the test suite (pytest reads them from pyproject.toml).

The suite needs a real Elasticsearch node: ``scripts/test`` starts one and
exports ``ELASTICSEARCH_URL``; tests that need the engine fail when it is down.
"""

import os
import warnings

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# One folder per pytest-xdist worker ("gw0", "gw1"; "main" without xdist): the backup
# test's restore replaces the media folder, which must not pull files from under another worker.
MEDIA_ROOT = VAR_DIR / "test-media" / os.environ.get("PYTEST_XDIST_WORKER", "main")
ELASTICSEARCH_INDEX_PREFIX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "test-sco-portal")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files from the apps' folders, no collectstatic needed (WhiteNoise).
WHITENOISE_USE_FINDERS = True
# No collectstatic here: WhiteNoise need not warn that STATIC_ROOT is missing.
warnings.filterwarnings("ignore", message="No directory at")  # pytest: see pyproject's filterwarnings
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's shared in-memory database: the browser tests' live
    # server answers the admin's concurrent requests (autosave, editing-session
    # pings) on connections of their own, as in production, with the
    # IMMEDIATE/WAL options of base.py. One file per run (several people).
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}  # noqa: F405
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # Several people run the suite against one server: a test database per run.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}  # noqa: F405
# Tests roll their transactions back, so the after-commit publish counter never
# moves: pages are cached only in the tests that turn the cache on.
PAGE_CACHE_SECONDS = 0
CONTENT_MEMO_SECONDS = 0
# Every test client comes from one address, so the API's rate limit would count
# the whole run's requests against it and answer 429 depending on test order:
# off here, and on (with small limits) in the tests of the limit itself.
API_RATE_LIMIT = None
# Counts the live server's requests in flight, so a browser test's flush waits for them (tests/inflight.py).
MIDDLEWARE = ["tests.inflight.InFlightMiddleware", *MIDDLEWARE]  # noqa: F405
