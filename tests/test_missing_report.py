"""The "Missing translations" report: any translated field, named and linked in the editor's language."""

import pytest
from wagtail.users.models import UserProfile

from portal.core.admin_views import pages_missing
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
