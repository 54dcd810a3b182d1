"""The top floor: navigation, home page, country pages."""

import pytest

from projects.models import ProjectIndexPage, ProjectPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_with_project(home):
    from portal.core.models import Country

    index = ProjectIndexPage(
        title="Cooperation projects",
        title_en="Cooperation projects",
        title_ru="Проекты сотрудничества",
        title_zh_hans="合作项目",
        slug="projects",
    )
    home.add_child(instance=index)
    index.save_revision().publish()
    page = ProjectPage(
        title="Almaty air",
        title_en="Almaty air",
        title_ru="Воздух Алматы",
        slug="almaty-air",
        summary_en="Cleaner air for Almaty.",
        status="ongoing",
    )
    index.add_child(instance=page)
    page.countries.set([Country.objects.get(code="KZ")])
    page.save_revision().publish()
    only_zh = ProjectPage(title_zh_hans="聊城大气", slug="liaocheng", status="completed")
    index.add_child(instance=only_zh)
    only_zh.countries.set([Country.objects.get(code="CN")])
    only_zh.save_revision().publish()
    return index, page, only_zh


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


def test_country_page_lists_what_is_tied_to_it(client, site_with_project):
    response = client.get("/ru/countries/KZ/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Казахстан</h1>" in html
    assert "Воздух Алматы" in html
    assert "聊城大气" not in html
    assert client.get("/en/countries/XX/").status_code == 404
