"""The "Missing translations" report: any translated field, named and linked in the editor's language."""

import pytest
from wagtail.users.models import UserProfile

from portal.core.admin_views import pages_missing, translation_gaps
from projects.models import ProjectPage
from tests.factories import publish

pytestmark = pytest.mark.django_db


def add(index, slug, **fields):
    return publish(index, ProjectPage(slug=slug, **fields))


@pytest.fixture
def russian_editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("ed", "ed@example.org", "pw")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "ru"
    profile.save()
    client.force_login(user)
    return client


def test_a_page_missing_only_a_summary_in_russian_is_listed(russian_editor, project_index):
    titles = {"title_en": "Steppe", "title_ru": "Степь", "title_zh_hans": "草原"}
    gap = add(project_index, "gap", summary_en="Grazing.", summary_zh_hans="放牧。", **titles)
    complete = add(
        project_index,
        "complete",
        title_en="Water",
        title_ru="Вода",
        title_zh_hans="水",
        summary_en="Rivers.",
        summary_ru="Реки.",
        summary_zh_hans="河流。",
    )
    html = russian_editor.get("/admin/reports/missing-translations/", {"missing": "ru"}).content.decode()
    assert "Степь" in html  # the title is there in Russian, but the summary is not
    # The field and the language as a Russian editor reads them, with a link to write it.
    assert "Краткое содержание" in html or "Аннотация" in html or "Резюме" in html
    assert f"/admin/pages/{gap.pk}/edit/?language=ru" in html
    assert ">русский</a>" in html
    assert "summary" not in ProjectPage.objects.get(pk=complete.pk).missing_languages()
    assert gap.pk in pages_missing("ru") and gap.pk not in pages_missing("en")  # its body: in no language


def test_the_report_link_opens_the_form_on_the_missing_language(russian_editor, project_index):
    page = add(project_index, "only-en", title_en="Only English")
    html = russian_editor.get(f"/admin/pages/{page.pk}/edit/?language=zh-hans").content.decode()
    assert 'id="portal-l10n"' in html  # the form script reads ?language= and shows Chinese too


def test_the_database_finds_the_same_gaps_as_the_pages_in_one_query(project_index, django_assert_num_queries):
    """At 100,000 items the report cannot load every page to ask it: the database applies the same rule
    (a field written in another language but not in this one), whitespace and empty bodies included."""
    paragraph = [("paragraph", "<p>Text</p>")]
    pages = [
        add(project_index, "all", title_en="A", title_ru="А", title_zh_hans="甲", body_en=paragraph),
        add(project_index, "blank-ru", title_en="B", title_ru="Б", summary_en="S", summary_ru="  \n "),
        add(project_index, "body-zh", title_en="C", title_ru="В", title_zh_hans="丙", body_zh_hans=paragraph),
        add(project_index, "place-en", title_en="D", title_ru="Г", title_zh_hans="丁", place_name_en="Osh"),
        add(project_index, "nothing", title_en="E", title_ru="Д", title_zh_hans="戊"),
        add(project_index, "title-ru", title_ru="Е"),
    ]
    for code in ("zh-hans", "en", "ru"):
        expected = {
            page.pk
            for page in pages
            if any(code in codes for codes in translation_gaps(ProjectPage.objects.get(pk=page.pk)).values())
        }
        with django_assert_num_queries(1):
            found = set(pages_missing(code))
        assert found & {page.pk for page in pages} == expected, code
    # What that means for the pages above: the body and the place count like the title and summary.
    missing = {code: set(pages_missing(code)) for code in ("zh-hans", "en", "ru")}
    ids = {page.slug: page.pk for page in pages}
    assert {ids["all"], ids["blank-ru"], ids["body-zh"], ids["place-en"]} <= missing["ru"]
    assert ids["title-ru"] not in missing["ru"] and ids["title-ru"] in missing["en"]
    assert ids["nothing"] not in missing["ru"] | missing["en"] | missing["zh-hans"]
    assert ids["all"] not in missing["en"] and ids["body-zh"] in missing["en"]
