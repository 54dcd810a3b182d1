"""Sharing and discovery: feeds, sitemap, canonical and alternate links, the map and figures."""

import xml.etree.ElementTree as ET

import pytest

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def _sitemap_urls(client):
    """Every <url> of every file the index /sitemap.xml names, and those files' addresses."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    files = [loc.text for loc in ET.fromstring(index.content).iter(f"{SITEMAP}loc")]
    urls = []
    for address in files:
        response = client.get(address.removeprefix("http://testserver"))
        assert response.status_code == 200, address
        urls += ET.fromstring(response.content).iter(f"{SITEMAP}url")
    return urls, files


def test_sitemap_lists_every_language_with_alternates(client, site_with_project):
    urls, files = _sitemap_urls(client)
    assert files == ["http://testserver/sitemap-pages.xml", "http://testserver/sitemap-countries.xml"]
    locs = [u.find(f"{SITEMAP}loc").text for u in urls]
    for code in ("zh-hans", "en", "ru"):
        assert any(f"/{code}/" in loc for loc in locs), code
    assert "http://testserver/ru/projects/almaty-air/" in locs
    assert "http://testserver/ru/countries/KZ/" in locs
    assert len(locs) == len(set(locs))
    # The Chinese-only project is listed in Chinese only.
    assert not any("liaocheng" in loc and "/zh-hans/" not in loc for loc in locs)
    url = next(u for u in urls if u.find(f"{SITEMAP}loc").text.endswith("/en/projects/"))
    links = {link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
    assert set(links) == {"zh-hans", "en", "ru", "x-default"}
    assert links["x-default"] == "http://testserver/en/projects/"
    assert url.find(f"{SITEMAP}lastmod") is not None


def test_sitemap_is_paged_and_a_file_reads_its_pages_at_once(client, site_with_project, monkeypatch):
    """At 100,000 items one file cannot hold every URL (the protocol allows 50,000): the index names
    one file per slice of pages, and a file costs the same queries for many pages as for one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from website.sitemaps import PageSitemap

    whole, _files = _sitemap_urls(client)
    monkeypatch.setattr(PageSitemap, "limit", 1)
    paged, files = _sitemap_urls(client)
    assert "http://testserver/sitemap-pages.xml?p=4" in files  # home, the list and its two projects
    assert "http://testserver/sitemap-pages.xml?p=5" not in files
    assert sorted(u.find(f"{SITEMAP}loc").text for u in paged) == sorted(
        u.find(f"{SITEMAP}loc").text for u in whole
    )
    assert client.get("/sitemap-pages.xml?p=9").status_code == 404
    assert client.get("/sitemap-pages.xml?p=x").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404

    def queries(limit):
        monkeypatch.setattr(PageSitemap, "limit", limit)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/sitemap-pages.xml").status_code == 200
        return len(captured)

    assert queries(4) == queries(1)


@pytest.mark.parametrize("kind", ["rss", "atom"])
@pytest.mark.parametrize("code", ["zh-hans", "en", "ru"])
def test_feeds_are_xml_in_each_language(client, site_with_project, kind, code):
    response = client.get(f"/{code}/feeds/projects/{kind}.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    text = response.content.decode()
    assert root.tag in ("rss", "{http://www.w3.org/2005/Atom}feed")
    if code == "ru":
        assert "Воздух Алматы" in text
    assert f"/{code}/projects/" in text
    assert client.get(f"/{code}/feeds/nothing/{kind}.xml").status_code == 404


def test_head_has_canonical_alternates_feeds_and_open_graph(client, site_with_project):
    html = client.get("/ru/projects/almaty-air/").content.decode()
    assert '<link rel="canonical" href="http://testserver/ru/projects/almaty-air/">' in html
    assert 'hreflang="en" href="http://testserver/en/projects/almaty-air/"' in html
    assert 'hreflang="x-default" href="http://testserver/en/projects/almaty-air/"' in html
    assert 'hreflang="zh-hans"' not in html.split("</head>")[0]  # no Chinese title: no alternate
    assert (
        'type="application/atom+xml" title="Проекты сотрудничества (Atom)" href="/ru/feeds/projects/atom.xml"'
        in html
    )
    assert '<meta property="og:title" content="Воздух Алматы">' in html
    assert '<meta property="og:locale" content="ru_RU">' in html


def test_no_inline_scripts_styles_or_handlers(client, site_with_project):
    import re

    for path in (
        "/en/",
        "/ru/projects/",
        "/ru/projects/almaty-air/",
        "/zh-hans/countries/",
        "/en/countries/KZ/",
    ):
        html = client.get(path).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert " style=" not in html and "<style" not in html, path
        assert not re.search(r"\son[a-z]+=", html), path


def test_breadcrumbs_below_home(client, site_with_project):
    html = client.get("/en/projects/almaty-air/").content.decode()
    crumbs = html.split('class="breadcrumbs')[1].split("</nav>")[0]
    assert 'href="/en/"' in crumbs and 'href="/en/projects/"' in crumbs
    assert 'aria-current="page" lang="en">Almaty air</span>' in crumbs
    assert 'class="breadcrumbs' not in client.get("/en/").content.decode()


def test_map_counts_projects_per_country_and_links_to_the_filtered_list(client, site_with_project):
    html = client.get("/en/projects/").content.decode()
    kz = html.split('data-country="KZ"')[1].split("</a>")[0]
    assert "Kazakhstan: 1 project" in kz
    assert 'href="/en/projects/?country=KZ"' in html
    selected = client.get("/en/projects/?country=CN").content.decode()
    assert 'class="country is-selected" data-country="CN"' in selected


def test_key_figures_follow_publishing(client, site_with_project):
    _index, page, _only_zh = site_with_project
    html = client.get("/en/").content.decode()
    assert '<span class="figure-number" data-figure="projects">2</span>' in html
    page.unpublish()
    html = client.get("/en/").content.decode()
    assert '<span class="figure-number" data-figure="projects">1</span>' in html


def test_key_figures_are_kept_until_the_next_publish(
    site_with_project, settings, django_assert_num_queries, django_capture_on_commit_callbacks, empty_cache
):
    """Kept figures cost no query at all (they were keyed on a count of every live page: five
    aggregates over 100,000 pages a home page), and a publish makes them stale at once.

    From an empty cache: rolled-back tests never move the publish counter, so figures another
    test kept with the memo on (test_serving_scale's 20 projects) would still be current here."""
    from django.utils import translation

    from website.figures import key_figures

    settings.CONTENT_MEMO_SECONDS = 300
    _index, page, _only_zh = site_with_project
    with translation.override("en"):
        assert key_figures()["projects"] == 2
        with django_assert_num_queries(0):
            assert key_figures()["projects"] == 2
        with django_capture_on_commit_callbacks(execute=True):
            page.unpublish()
        assert key_figures()["projects"] == 1
