"""Production: every secret from the environment, secure defaults.

Required: DJANGO_SECRET_KEY (50+ characters), DJANGO_ALLOWED_HOSTS, DATABASE_URL (PostgreSQL).
Optional: ELASTICSEARCH_URL (strongly recommended), WAGTAILADMIN_BASE_URL.
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def _required(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} is not set. Production settings read it from the environment; "
            f"set it (see README.md, 'Settings') and start again."
        )
    return value


def _secret_key():
    key = _required("DJANGO_SECRET_KEY")
    if len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-"):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is too weak (it needs at least 50 characters, 5 of them different). "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    return key


DEBUG = False
SECRET_KEY = _secret_key()
DATABASES["default"] = dj_database_url.parse(_required("DATABASE_URL"), conn_max_age=60)  # noqa: F405
DATABASES["default"]["ATOMIC_REQUESTS"] = True  # noqa: F405
# A connection kept between requests is checked first: a restarted database is reconnected.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and (  # noqa: F405
    "django.contrib.postgres" not in INSTALLED_APPS  # noqa: F405
):
    INSTALLED_APPS.append("django.contrib.postgres")  # noqa: F405
ALLOWED_HOSTS = [h.strip() for h in _required("DJANGO_ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Static files: hashed names (collectstatic), compressed, served by WhiteNoise
# with far-future caching; uploaded media by the front proxy (see docker-compose.yml).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# One cache for every gunicorn worker on every machine: the page cache, the API's
# rate limit, login throttling and the figures. On PostgreSQL it is a table of the
# portal's own database (``setup_portal`` creates it), reached through its own
# connection so cache writes never join a request's transaction; why not Redis:
# see portal/core/cache.py. On another database, files under PORTAL_CACHE_DIR
# (shared by the workers of one machine only).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["cache"] = {**DATABASES["default"], "ATOMIC_REQUESTS": False}  # noqa: F405
    DATABASE_ROUTERS = ["portal.core.cache.CacheRouter"]
    CACHES = {
        "default": {
            "BACKEND": "portal.core.cache.DatabaseCache",
            "LOCATION": "portal_cache",
            "OPTIONS": {"MAX_ENTRIES": 50_000, "CULL_FREQUENCY": 4},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("PORTAL_CACHE_DIR", str(VAR_DIR / "cache")),  # noqa: F405
        }
    }

LOGGING["root"] = {"handlers": ["console"], "level": "WARNING"}  # noqa: F405
