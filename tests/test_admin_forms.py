"""Details of the admin's forms editors meet every day."""

import html
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from news.models import NewsIndexPage
from policies.models import PolicyIndexPage
from portal.core import content_types
from portal.core.models import Country
from portal.core.pages import SLUG_TAKEN, SLUG_TAKEN_SUMMARY
from projects.models import ProjectIndexPage, ProjectPage, TrainingIndexPage
from tests.factories import project_form, publish, titled

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


# --- Currency codes ---------------------------------------------------------------------------


def test_a_lowercase_currency_is_accepted_and_stored_in_capitals(admin_client, project_index):
    url = reverse("wagtailadmin_pages:add", args=("projects", "projectpage", project_index.pk))
    data = project_form(
        title_en="Budgeted", budget_amount="1000", budget_currency=" usd", **{"action-publish": "publish"}
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert ProjectPage.objects.get(title_en="Budgeted").budget_currency == "USD"
    data = project_form(title_en="Badly budgeted", budget_amount="1000", budget_currency="us$")
    response = admin_client.post(url, data)
    assert response.status_code == 200 and "budget_currency" in response.context["form"].errors


def test_the_importer_stores_a_lowercase_currency_in_capitals(tmp_path, home):
    record = {
        "external_id": "prj-usd",
        "type": "project",
        "translations": {"en": {"title": "Imported budget"}},
        "budget_amount": "2500",
        "budget_currency": "usd",
    }
    path = tmp_path / "items.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    call_command("import_content", str(path), verbosity=0)
    assert ProjectPage.objects.get(external_id="prj-usd").budget_currency == "USD"


# --- Slugs ----------------------------------------------------------------------------------


def test_starting_a_page_again_beside_its_abandoned_draft_works(admin_in, project_index):
    client = admin_in("ru")
    url = reverse("wagtailadmin_pages:add", args=("projects", "projectpage", project_index.pk))
    # The first try, left as a draft (what Wagtail's autosave keeps of an abandoned new page).
    data = project_form(title_ru="Чистый воздух", slug_ru="чистый-воздух")  # as Wagtail's script fills it
    first = client.post(url, data)
    assert first.status_code == 302, first.context["form"].errors if first.context else first
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    slugs = sorted(ProjectPage.objects.filter(title_ru="Чистый воздух").values_list("slug_ru", flat=True))
    assert slugs == ["chistyy-vozdukh", "chistyy-vozdukh-2"]


def test_a_taken_slug_on_an_edit_is_explained_in_the_editors_language(admin_in, project_index):
    client = admin_in("zh-hans")
    url = reverse("wagtailadmin_pages:add", args=("projects", "projectpage", project_index.pk))
    client.post(url, project_form(title_en="First", slug_en="first"))
    client.post(url, project_form(title_en="Second", slug_en="second"))
    second = ProjectPage.objects.get(title_en="Second")
    edit = reverse("wagtailadmin_pages:edit", args=(second.pk,))
    response = client.post(edit, project_form(title_en="Second", slug_en="first"))
    assert response.status_code == 200
    form = response.context["form"]
    with translation.override("zh-hans"):
        expected = str(SLUG_TAKEN)
        summary = str(SLUG_TAKEN_SUMMARY)
    assert any(expected in message for message in form.errors["slug_en"])
    page = html.unescape(response.content.decode())
    assert summary in page and "already in use" not in page
