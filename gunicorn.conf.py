"""gunicorn settings: ``gunicorn portal.wsgi`` (or ``-c gunicorn.conf.py``) reads this file.

Everything can be changed from the environment (GUNICORN_BIND, GUNICORN_WORKERS,
GUNICORN_THREADS, GUNICORN_TIMEOUT).
"""

import multiprocessing
import os

wsgi_app = "portal.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Threads overlap waits on the database and Elasticsearch; workers use the cores.
workers = int(os.environ.get("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9)))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread"
# Load the portal (settings, models, URL patterns: portal/wsgi.py) once in the
# master and fork the workers from it: they share its memory pages, start in
# well under a second, and none spends its first request importing.
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (memory held by jieba, dictionaries, caches).
max_requests = 2000
max_requests_jitter = 200
# Behind the proxy in docker-compose.yml (or any proxy): trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
