"""Details of the admin's forms editors meet every day."""

import re

import pytest
from django.utils import translation

from news.models import NewsIndexPage
from policies.models import PolicyIndexPage
from portal.core import content_types
from portal.core.models import Country
from projects.models import ProjectIndexPage, TrainingIndexPage
from tests.factories import publish, titled

pytestmark = pytest.mark.django_db


@pytest.fixture
def sections(home):
    """Every section with pages that carry countries and themes, keyed by its child page model."""
    made = {}
    for index_model in (ProjectIndexPage, TrainingIndexPage, PolicyIndexPage, NewsIndexPage):
        index = publish(
            home, index_model(**titled({"en": index_model.__name__}, index_model.__name__.lower()))
        )
        made[index_model.child_page_model] = index
    return made


def test_countries_and_themes_are_checkboxes_on_every_page_type(admin_in, sections):
    client = admin_in("ru")
    with_taxonomy = [t.model for t in content_types.all() if hasattr(t.model, "countries")]
    assert {m._meta.label for m in with_taxonomy} == set(sections)
    for model in with_taxonomy:
        parent = sections[model._meta.label]
        url = f"/admin/pages/add/{model._meta.app_label}/{model._meta.model_name}/{parent.pk}/"
        page = client.get(url).content.decode()
        for field in ("countries", "themes"):
            assert re.search(rf'<input type="checkbox" name="{field}"', page), (url, field)
            assert not re.search(rf'<select name="{field}"[^>]*multiple', page), (url, field)
        with translation.override("ru"):
            kazakhstan = Country.objects.get(code="KZ").name
        assert re.search(rf'name="countries" value="\d+" id="[^"]+">\s*{kazakhstan}</label>', page)
