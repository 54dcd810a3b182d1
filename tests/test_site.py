"""The top floor: navigation, home page, country pages."""

import pytest

from portal.core.models import Country

pytestmark = pytest.mark.django_db


def test_navigation_links_sections_in_the_readers_language(client, site_with_project):
    html = client.get("/ru/").content.decode()
    assert "Проекты сотрудничества</a>" in html
    assert 'href="/ru/countries/"' in html
    assert 'href="/ru/search/"' in html


def test_home_page_lists_the_latest_items_with_visible_fallback(client, site_with_project):
    html = client.get("/ru/").content.decode()
    assert "Воздух Алматы" in html
    # The Chinese-only project is listed in Chinese, marked as such.
    assert '<a href="/ru/projects/liaocheng/" lang="zh-hans">聊城大气</a>' in html


def test_country_list_counts_items_per_country(client, site_with_project):
    html = client.get("/en/countries/").content.decode()
    assert 'href="/en/countries/KZ/">Kazakhstan</a> <span class="count">1 item</span>' in html
    assert "Member state" in html and "Dialogue partner" in html


def test_country_list_counts_each_item_once_per_country(client, site_with_project):
    """Counted in grouped queries: more items, not more queries (nor a row read per item)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from projects.models import ProjectIndexPage
    from tests.factories import make_page

    client.get("/en/countries/")  # per-process lookups (site, root paths) done once
    cache.clear()  # both requests compute the figures the page shows
    with CaptureQueriesContext(connection) as before:
        client.get("/en/countries/")
    index = ProjectIndexPage.objects.get()
    for n, codes in enumerate([("KZ", "CN"), ("KZ",), ("CN", "RU")]):
        page = make_page(index, title={"en": f"Steppe {n}"}, status="completed", publish=False)
        page.countries.set(Country.objects.filter(code__in=codes))
        page.save_revision().publish()
    cache.clear()
    with CaptureQueriesContext(connection) as after:
        html = client.get("/en/countries/").content.decode()
    assert len(after.captured_queries) == len(before.captured_queries)
    assert 'href="/en/countries/KZ/">Kazakhstan</a> <span class="count">3 items</span>' in html
    assert 'href="/en/countries/CN/">China</a> <span class="count">3 items</span>' in html
    assert 'href="/en/countries/RU/">Russia</a> <span class="count">1 item</span>' in html


def test_country_page_lists_what_is_tied_to_it(client, site_with_project):
    response = client.get("/ru/countries/KZ/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Казахстан</h1>" in html
    assert "Воздух Алматы" in html
    assert "聊城大气" not in html
    assert client.get("/en/countries/XX/").status_code == 404
