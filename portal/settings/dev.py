"""Local development: DEBUG on, a throwaway secret, any local host."""

import os
import warnings

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-not-secret")
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
WHITENOISE_USE_FINDERS = True
# No collectstatic here: WhiteNoise need not warn that STATIC_ROOT is missing.
warnings.filterwarnings(
    "ignore", message="No directory at", module="whitenoise.base"
)  # static files straight from the apps' folders
WHITENOISE_AUTOREFRESH = True
# Template edits show at once; PAGE_CACHE_SECONDS=300 tries the production behaviour.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0"))
