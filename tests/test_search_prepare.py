"""Batch document preparation: the same documents as one page at a time, a few queries a chunk."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from portal import languages
from portal.core.models import Country, Theme
from search.documents import url_field
from search.prepare import prepare, prepare_many
from tests.factories import make_page

pytestmark = pytest.mark.django_db


def _pages(home, n=6):
    pages = []
    for i in range(n):
        page = make_page(
            home,
            title={"ru": f"Охрана степей {i}", **({"en": f"Steppe protection {i}"} if i % 2 else {})},
            summary={"ru": "Пастбища."},
            status="ongoing",
        )
        page.countries.set(Country.objects.order_by("code")[i % 3 : i % 3 + 2])
        page.themes.set(Theme.objects.all()[:1])
        if i == 0:  # a translated slug: a URL of its own in Russian
            page.slug_ru = f"stepi-{page.pk}"
        page.save_revision().publish()
        pages.append(page)
    return [type(page).objects.get(pk=page.pk) for page in pages]  # as the worker reads them


def test_urls_are_what_get_url_gives_in_each_language(home):
    pages = _pages(home, 3)
    docs = prepare_many(pages)
    for page, doc in zip(pages, docs, strict=True):
        for code in languages.LANGUAGE_CODES:
            with translation.override(code):
                assert doc[url_field(code)] == page.get_url()
    assert docs[0][url_field("ru")] == f"/ru/stepi-{pages[0].pk}/"


def test_batch_equals_one_page_at_a_time_with_taxonomy(home):
    pages = _pages(home)
    batch = prepare_many(pages)
    assert batch == [prepare(page) for page in pages]
    assert batch[1]["countries"] == sorted(batch[1]["countries"]) and len(batch[1]["countries"]) == 2
    assert batch[1]["themes"] and "Steppe protection 1" in batch[1]["title_en"]
    assert batch[1]["tags_en"]  # country and theme names, per language


def test_batch_costs_a_fixed_number_of_queries(home):
    few, many = _pages(home, 2), _pages(home, 8)
    with CaptureQueriesContext(connection) as small:
        prepare_many(few)
    with CaptureQueriesContext(connection) as large:
        prepare_many(many)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_generic_page_objects_are_prepared_as_their_specific_type(home):
    from wagtail.models import Page

    page = _pages(home, 1)[0]
    assert prepare(Page.objects.get(pk=page.pk)) == prepare(page)
