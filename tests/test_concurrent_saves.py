"""An editor's "Save draft" overlapping Wagtail 8's autosave of the same page never gives a 500 (issue 16).

On SQLite this needs base.py's options (IMMEDIATE transactions, a busy
timeout, WAL): with SQLite's default deferred transactions two requests that
both read and then write deadlock on the lock upgrade and one fails at once
with "database is locked". The requests run in threads with connections of
their own (the test database is a file, see settings/test.py), committing as
the development server and production do.
"""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from projects.models import ProjectIndexPage, ProjectPage
from tests.factories import project_form

ROUNDS = 6


@pytest.fixture
def draft(restore_portal, transactional_db):
    from website.models import HomePage

    index = ProjectIndexPage(title="Projects", title_en="Projects", slug="projects")
    HomePage.objects.get().add_child(instance=index)
    index.save_revision().publish()
    page = ProjectPage(title_ru="Черновик", slug="draft", live=False)
    index.add_child(instance=page)
    page.save_revision()
    user = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw")
    return page, user


def test_save_and_autosave_at_the_same_moment_never_fail(draft):
    page, user = draft
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    barrier = threading.Barrier(2)
    results, errors = [], []

    def editor(kind, n):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        data = project_form(title_ru=f"Черновик {kind} {n}", summary_ru=f"Текст {kind} {n}")
        headers = {"HTTP_ACCEPT": "application/json"} if kind == "autosave" else {}
        try:
            barrier.wait(timeout=30)
            response = client.post(url, data, **headers)
            results.append((kind, response.status_code, response.content[:300]))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))
        finally:
            connection.close()

    for n in range(ROUNDS):
        threads = [threading.Thread(target=editor, args=(kind, n)) for kind in ("save", "autosave")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert errors == []
    assert len(results) == 2 * ROUNDS
    failures = [r for r in results if r[1] >= 500]
    assert failures == [], failures
    # Saves redirect back to the form; an autosave answers JSON (a conflict with the
    # other editor's newer version is a 400 the admin shows, never a 500).
    assert {status for kind, status, _ in results if kind == "save"} == {302}
    assert {status for kind, status, _ in results if kind == "autosave"} <= {200, 400}
    page.refresh_from_db()
    assert page.title_ru.startswith("Черновик ")
    assert not page.title_en and not page.title_zh_hans  # and no language invented on the way
