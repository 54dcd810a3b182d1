# The portal's image: gunicorn serving the site; the same image runs the search worker.
#   docker build -t sco-portal .
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    PORTAL_VAR_DIR=/var/lib/portal \
    PORTAL_MEDIA_ROOT=/var/lib/portal/media

# gettext compiles the catalogues; the dictd files feed English-Russian query translation.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext mueller7-dict dict-freedict-eng-rus npm \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml ./
COPY . .
RUN pip install --no-cache-dir ".[postgres,production]" \
    && npm ci --prefix website/geodata --ignore-scripts --no-audit --no-fund --loglevel=error

# Build-time steps need settings but no real secrets or database.
RUN DJANGO_SECRET_KEY=build-only-build-only-build-only-build-only-build-only \
    DJANGO_ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    sh -c 'python manage.py compilemessages --ignore=.venv \
        && python manage.py collectstatic --noinput \
        && python manage.py build_dictionaries'

RUN useradd --system --uid 10001 --home-dir /var/lib/portal portal \
    && mkdir -p /var/lib/portal/media && chown -R portal:portal /var/lib/portal /app/var 2>/dev/null || true
USER portal
EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py"]
