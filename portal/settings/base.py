"""Settings shared by every environment. dev/test/production override a few.

Every value that differs between machines comes from the environment:
``DATABASE_URL`` (default: SQLite in var/), ``ELASTICSEARCH_URL`` (unset: Wagtail's
database search backend), ``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS``.
"""

import os
from pathlib import Path

import dj_database_url

from portal import languages

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Local state (SQLite database, media, the development Elasticsearch): git-ignored.
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # SQLite cannot create its folder

INSTALLED_APPS = [
    # modeltranslation must come before the apps whose models it patches
    # (it registers Page's own fields before our pages subclass it).
    "wagtail_modeltranslation",
    "wagtail_modeltranslation.makemigrations",
    "wagtail_modeltranslation.migrate",
    # Ground floor: languages, taxonomy, blocks, base page mixins.
    "portal.core",
    # Thesaurus and gazetteer (cross-language search); ground floor only.
    "vocab",
    # Content apps stand on it.
    "projects",
    "policies",
    "news",
    # Search stands on content.
    "search.apps.SearchConfig",
    # Top floor: the reader's site (home, sections, countries, figures, feeds, sitemap).
    "website",
    # The partners' read API (/api/v1/, /api/search/): stands on everything, nothing imports it.
    "api",
    "ninja",
    "corsheaders",
    # Set-up, import, demo content, backup and restore commands.
    "operations",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Last, so that every app's permissions exist when it grants them after migrate.
    "portal.security",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files with hashed names and far-future caching, from the app itself.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # CORS for the partners' API (/api/…), before anything that may answer early.
    "corsheaders.middleware.CorsMiddleware",
    # Content-Security-Policy on every response (policy below).
    "portal.security.middleware.ContentSecurityPolicyMiddleware",
    # Gzip for anonymous HTML/JSON/feeds only (BREACH: see portal/security/compression.py).
    # Outside the page cache (below), which so stores and replays plain pages: each
    # reader gets gzip or not by their own Accept-Encoding.
    "portal.security.compression.SafeGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Whole pages for anonymous readers, per URL and publish (website/pagecache.py).
    "website.pagecache.PageCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.security.context_processors.csp_nonce",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}", conn_max_age=60)
}
DATABASE_ENGINE = DATABASES["default"]["ENGINE"]
if DATABASE_ENGINE == "django.db.backends.postgresql":
    # Wagtail's database search (the public search's fallback, the admin's
    # search) uses PostgreSQL's full-text search; Django's postgres app adds
    # its lookups and the unaccent/trigram helpers.
    INSTALLED_APPS.append("django.contrib.postgres")
elif DATABASE_ENGINE == "django.db.backends.sqlite3":
    # Editors' saves overlap Wagtail 8's autosave. SQLite's default deferred
    # transactions upgrade to a write lock mid-transaction and fail at once with
    # "database is locked"; IMMEDIATE takes the write lock at BEGIN and waits for
    # it (timeout, seconds), and WAL lets readers go on while one request writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
# Every request is one transaction, so an editor's publish and the search
# outbox row it writes (search/signals.py) commit together or not at all.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Editors' security (portal/security/) -----------------------------------------
# Django's model backend that refuses throttled username+address pairs first.
AUTHENTICATION_BACKENDS = ["portal.security.backends.ThrottledModelBackend"]
WAGTAILADMIN_USER_LOGIN_FORM = "portal.security.forms.ThrottledLoginForm"
# Failures per username+address: 3 free, then waits doubling from 1 s (max 60 s),
# locked 15 minutes after 10. Counted in the default cache.
LOGIN_THROTTLE = {"free_attempts": 3, "base_delay": 1.0, "max_delay": 60.0, "lock_after": 10, "lockout": 900}
# Trusted reverse proxies in front that append to X-Forwarded-For (0: use REMOTE_ADDR).
SECURITY_PROXY_COUNT = int(os.environ.get("PORTAL_PROXY_COUNT", "0"))

# --- Partners' API (api/) ------------------------------------------------------------
# Requests per client address (portal.security.client) and window in seconds; None: no limit.
# Counted in the cache API_RATE_LIMIT_CACHE (api/http.py): shared by every process
# when that cache is (production: see portal/settings/production.py).
API_RATE_LIMIT = (120, 60)
API_RATE_LIMIT_CACHE = "default"
# Browsers' apps on any origin may read the API (read-only, no cookies).
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_HEADERS = ("accept", "accept-language", "if-none-match", "if-modified-since")
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified", "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining")
CORS_PREFLIGHT_MAX_AGE = 86400
# Tombstones of removed objects are kept this long (a partner syncing less often reloads everything).
API_TOMBSTONE_DAYS = 400

# Uploads: documents checked by content (portal/security/uploads.py), sizes capped.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "portal.security.uploads.DocumentForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000  # also Pillow's decompression-bomb limit
PORTAL_PDF_MAX_PAGES = 2000
PORTAL_ARCHIVE_MAX_UNCOMPRESSED = 500 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # request bodies other than files
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # larger uploads go to a temporary file

# Content-Security-Policy: portal/security/middleware.py (strict on the public
# site, inline scripts only with {{ csp_nonce }}; looser under /admin/).
CSP_ADMIN_PREFIX = "/admin/"

# --- Languages -------------------------------------------------------------
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = languages.DEFAULT_LANGUAGE
LANGUAGES = languages.LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["portal.formats"]

MODELTRANSLATION_DEFAULT_LANGUAGE = languages.DEFAULT_LANGUAGE
MODELTRANSLATION_LANGUAGES = tuple(languages.LANGUAGE_CODES)
MODELTRANSLATION_FALLBACK_LANGUAGES = {
    "default": tuple(languages.LANGUAGE_CODES),
    **languages.FALLBACK_LANGUAGES,
}
WAGTAILMODELTRANSLATION_TRANSLATE_SLUGS = True
# Its picker hid whole panels; portal/core/static/core/admin/translation_form.js replaces it.
WAGTAILMODELTRANSLATION_LOCALE_PICKER = False

# Wagtail's admin in each editor's chosen language.
WAGTAILADMIN_PERMITTED_LANGUAGES = languages.LANGUAGES
WAGTAIL_I18N_ENABLED = False  # translation is field-level (modeltranslation), not page copies

# --- Static and media --------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("PORTAL_MEDIA_ROOT", VAR_DIR / "media"))

# --- Wagtail -------------------------------------------------------------------
WAGTAIL_SITE_NAME = "SCO Environmental Cooperation Portal"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
# The admin's Content-Security-Policy allows images and connections to the
# portal's own origin only: no Gravatar (editors get Wagtail's built-in avatar
# or the one they upload) and no update check against releases.wagtail.org.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "odt", "xls", "xlsx", "csv", "ppt", "pptx", "txt", "zip"]
# The admin's own search (page explorer, snippets) always uses the database;
# the public search has its own Elasticsearch index (see search/). Wagtail's
# database backend, without its whole-table title-norm pass on each publish
# (search/database_backend.py).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.database_backend"}}

# --- Search ----------------------------------------------------------------------
# Unset: the public search uses Wagtail's database backend, no Java needed.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
# Index names are prefixed so dev, tests and several portals can share a cluster.
ELASTICSEARCH_INDEX_PREFIX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "sco-portal")
# Query understanding (issue 5): thesaurus, gazetteer, taxonomy names,
# transliteration and dictionaries widen a query into the other languages.
SEARCH_QUERY_EXPANDERS = ["search.expansion.expand_query"]
# Cross-language ranking (issue 15, search/ranking.py): each switch exists so the
# evaluation (bench/crosslang_blind_eval.py) can measure what it is worth.
SEARCH_FAIR_LANGUAGES = True  # each language's items scored by the query in that language, equal weight
SEARCH_RARE_TERMS = True  # rare terms, numbers and years count most (IDF-normalised groups)
SEARCH_NAME_MATCHING = True  # pinyin <-> Han, Palladius and Cyrillic <-> Latin for unlisted names
SEARCH_LEARNT_PAIRINGS = True  # term pairings learnt from items in several languages (search.pairings)
SEARCH_LABEL_PAIRINGS = True  # the lists' labels, word by word, pick a dictionary word's sense
SEARCH_DOMAIN_SENSES = True  # a dictionary word's senses found in the lists' labels come first
SEARCH_PARTIAL_LABEL_TERMS = 3  # a list label this long matches the query with one word missing
SEARCH_READER_LANGUAGE_FACTOR = 1.001  # items in the reader's language win ties (was 1.05: a head start)
SEARCH_GROUP_CAP = True  # a group of the query scores at most search.ranking.GROUP_SCORE_CAP
SEARCH_FIELD_RARITY = True  # a group's words weighed by their rarity in each field (titles: among titles)
SEARCH_NAME_CUTS = True  # a foreign name read back from Chinese also tried as two words (Чон-Кемин)
SEARCH_OWN_VERSION = True  # an item with a version in the reader's language is scored on that version
SEARCH_LANGUAGE_BALANCE = True  # items in a language some query groups cannot reach: scored up
SEARCH_BALANCE_MIN_REACH = 0.5  # ... when that language reaches at least this share of the groups
# Issue 14: a cheap first pass ranks the matches, the full ranking query scores only
# this many of the best (0: the full query scores every match). 100, not 200, since the
# first pass is flat: the blind set ranks the same (rescore-200 in its evaluation), and
# at 100,000 items the search costs 1.6x Wagtail's search page instead of 1.9-2.1x.
SEARCH_RESCORE_WINDOW = 100
# The user's words as a phrase are matched in titles, summaries and tags, not in the
# bodies (search.ranking.phrase_roles; issue 14: the dearest clause of the request;
# the blind evaluation: cross-language unchanged, same-language MRR .829 -> .846).
SEARCH_PHRASES_IN_BODY = False
# A rebuilt index is merged into this many segments before the swap (0: left as loaded):
# the query reads each term once per segment (search.rebuild._merge_segments).
SEARCH_MERGE_SEGMENTS = 1
# Copies of each shard on other nodes: 0 on a single node (a replica could never
# be placed: the index would stay yellow), 1 on a cluster of 3 (a node may fail).
SEARCH_INDEX_REPLICAS = int(os.environ.get("ELASTICSEARCH_REPLICAS", "0"))
# Processes analysing text during a rebuild (0: one per core).
SEARCH_INDEX_WORKERS = int(os.environ.get("SEARCH_INDEX_WORKERS", "0"))
# Their niceness (0-19): above 0 they yield the CPU to readers' pages and editors'
# publishes on a machine that also serves the site (README, "Indexing speed").
SEARCH_INDEX_NICENESS = int(os.environ.get("SEARCH_INDEX_NICENESS", "10"))
# Bulk requests are cut by size, not by count: documents vary from 1 KB to 1 MB.
SEARCH_BULK_BYTES = 8 * 1024 * 1024

# --- Page cache (website/pagecache.py) ---------------------------------------------
# Anonymous readers' pages, invalidated by every publish; these bound their age.
# A publish makes every cached page stale at once: this bounds only what changes
# with no publish (a status turning on its date is shown up to this late), and
# how often an unchanged page is rendered again (at 100,000 items x 3 languages,
# often is costly).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "3600"))
PAGE_CACHE_SEARCH_SECONDS = 60
# Values computed over every live item (the API's counts and Last-Modified), kept
# until the next publish (portal/core/freshness.py) and at most this long.
CONTENT_MEMO_SECONDS = int(os.environ.get("CONTENT_MEMO_SECONDS", str(6 * 3600)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "portal": {"handlers": ["console"], "level": "INFO"},
        "search": {"handlers": ["console"], "level": "INFO"},
    },
}
