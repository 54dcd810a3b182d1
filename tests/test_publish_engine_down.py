"""An editor publishing through the admin while Elasticsearch is down loses nothing."""

import pytest
from django.test import override_settings
from django.urls import reverse

from projects.models import ProjectPage
from search import client
from search.indexing import pending_count
from search.query import SearchRequest, elasticsearch_search
from tests.factories import project_form
from tests.search_support import index_now

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]

CLOSED_PORT = "http://127.0.0.1:9"  # nothing listens on the discard port

TITLES = ["Снежный барс Памира", "Ледники Тянь-Шаня", "Степные водно-болотные угодья"]


def test_admin_publishes_while_engine_is_down_then_everything_is_indexed_once(
    admin_client,
    project_index,
    es,
    django_capture_on_commit_callbacks,
):
    url = reverse("wagtailadmin_pages:add", args=("projects", "projectpage", project_index.pk))
    with override_settings(ELASTICSEARCH_URL=CLOSED_PORT):
        for title in TITLES:
            with django_capture_on_commit_callbacks(execute=True):
                response = admin_client.post(
                    url, project_form(title_ru=title, **{"action-publish": "publish"})
                )
            assert response.status_code == 302
        pages = list(ProjectPage.objects.filter(title_ru__in=TITLES))
        assert len(pages) == 3 and all(p.live for p in pages)
        assert pending_count() == 3
        # Readers are unaffected: the pages render and search answers from the database.
        assert admin_client.get(pages[0].get_url()).status_code == 200
        api = admin_client.get("/api/search/", {"q": "Памира", "lang": "ru"}).json()
        assert api["engine"] == "database"
        assert [r["id"] for r in api["results"]] == [pages[0].pk]

    client.mark_up()  # the engine is back
    result = index_now(es)
    assert result.indexed == 3 and pending_count() == 0
    found = elasticsearch_search(SearchRequest(q="ледники тянь-шаня", lang="ru")).hits
    assert [hit.id for hit in found] == [pages[1].pk]
    assert index_now(es).indexed == 0  # nothing is indexed twice
