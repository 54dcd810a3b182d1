"""Production settings: deploy checks, secrets from the environment, security headers, CSP."""

import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client, override_settings

from tests.factories import make_page

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = secrets.token_urlsafe(50)


def manage(*args, env_overrides, drop=()):
    # Not inherited: the settings module, and what other tests put in the environment
    # (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE, which --deploy rightly rejects).
    inherited = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", *drop}
    env = {k: v for k, v in os.environ.items() if k not in inherited}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args, "--settings=portal.settings.production"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(**overrides):
    return {
        "DJANGO_SECRET_KEY": STRONG_KEY,
        "DJANGO_ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": os.environ.get("DATABASE_URL") or "postgres://portal:x@127.0.0.1:5432/portal",
        **overrides,
    }


def test_check_deploy_is_clean():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"])
def test_missing_secret_stops_start_up_with_a_clear_message(missing):
    env = production_env()
    env.pop(missing)
    result = manage("check", env_overrides=env, drop=(missing,))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{missing} is not set" in result.stderr


def test_weak_secret_is_refused():
    result = manage("check", env_overrides=production_env(DJANGO_SECRET_KEY="x"))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too weak" in result.stderr


def production_settings():
    """The values portal/settings/production.py computes, read in a child process."""
    code = (
        "import json, portal.settings.production as s; "
        "print(json.dumps({k: getattr(s, k) for k in dir(s) if k.startswith(('SECURE_', 'SESSION_', 'CSRF_', "
        "'X_FRAME')) or k in ('STORAGES',)}, default=str))"
    )
    env = {**os.environ, **production_env()}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    import json

    return json.loads(out.stdout)


def test_production_security_settings():
    s = production_settings()
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"] and s["SESSION_COOKIE_HTTPONLY"]
    assert s["SECURE_HSTS_SECONDS"] >= 31536000 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert s["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert s["SECURE_REFERRER_POLICY"] == "same-origin"
    assert s["SECURE_SSL_REDIRECT"]
    assert (
        s["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


# --- Headers and CSP on real pages -----------------------------------------------------


class InlineCode(HTMLParser):
    """Collects what a strict CSP would block: inline scripts without a nonce, style attributes, handlers."""

    EXECUTABLE = {"", "text/javascript", "module", "application/javascript"}

    def __init__(self):
        super().__init__()
        self.scripts = []  # (nonce, has_src)
        self.style_attrs = []
        self.handlers = []
        self.style_elements = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and (attrs.get("type") or "").lower() in self.EXECUTABLE:
            self.scripts.append((attrs.get("nonce"), "src" in attrs))
        if tag == "style":
            self.style_elements.append(attrs.get("nonce"))
        if "style" in attrs:
            self.style_attrs.append(tag)
        self.handlers += [name for name in attrs if name.startswith("on")]
        for name in ("href", "src", "action"):
            if (attrs.get(name) or "").strip().lower().startswith("javascript:"):
                self.handlers.append(name)


def csp_of(response):
    header = response["Content-Security-Policy"]
    return dict(
        (part.split(" ", 1)[0], part.split(" ", 1)[1] if " " in part else "")
        for part in (p.strip() for p in header.split(";"))
        if part
    )


SECURE = {
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_CONTENT_TYPE_NOSNIFF": True,
    "SECURE_REFERRER_POLICY": "same-origin",
}


@pytest.fixture
def pages(home):
    project = make_page(home, title={"en": "Air quality monitoring", "ru": "Мониторинг воздуха"})
    return ["/en/", "/ru/", project.get_url(), "/en/search/?q=air", "/zh-hans/countries/"]


@pytest.mark.django_db
def test_public_pages_satisfy_their_csp_and_send_security_headers(pages):
    with override_settings(**SECURE):
        client = Client()
        for url in pages:
            response = client.get(url, secure=True, follow=True)
            assert response.status_code == 200, url
            assert response["Strict-Transport-Security"].startswith("max-age=31536000")
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Referrer-Policy"] == "same-origin"
            policy = csp_of(response)
            assert policy["default-src"] == "'self'"
            assert "'unsafe-inline'" not in policy["script-src"]
            assert "'unsafe-inline'" not in policy["style-src"]
            assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
            nonce = re.search(r"'nonce-([^']+)'", policy["script-src"]).group(1)
            found = InlineCode()
            found.feed(response.content.decode())
            inline = [n for n, has_src in found.scripts if not has_src]
            assert all(n == nonce for n in inline), f"{url}: inline <script> without the CSP nonce"
            assert found.style_attrs == [], f"{url}: style= attributes violate style-src 'self'"
            assert found.style_elements == [], f"{url}: <style> elements violate style-src 'self'"
            assert found.handlers == [], f"{url}: inline event handlers violate script-src"


@pytest.mark.django_db
def test_nonce_differs_per_response(home):
    client = Client()
    first = csp_of(client.get("/en/"))["script-src"]
    second = csp_of(client.get("/en/"))["script-src"]
    assert first != second


@pytest.mark.django_db
def test_admin_gets_its_own_scoped_policy(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    policy = csp_of(response)
    assert policy["default-src"] == "'self'" and policy["frame-ancestors"] == "'self'"
    assert policy["object-src"] == "'none'"


def test_static_files_are_served_by_whitenoise():
    from django.conf import settings

    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE
