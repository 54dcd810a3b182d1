"""The "Missing translations" report: any translated field, named and linked in the editor's language."""

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page
from wagtail.users.models import UserProfile

from portal.core.models import TranslationGaps
from portal.core.translation_gaps import pages_missing
from projects.models import ProjectPage
from tests.factories import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def project_index(shared_project_index):
    """The projects list, made once for this module (conftest's ``shared_project_index``)."""
    return shared_project_index


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


# --- The filter reads the gaps kept per page, not every page ---------------------------------------


def _complete(index, slug):
    return add(index, slug, title_en=f"Done {slug}", title_ru=f"Готово {slug}", title_zh_hans=f"完成 {slug}")


def test_filtering_on_a_language_reads_only_the_pages_shown(russian_editor, project_index):
    complete = {_complete(project_index, f"c{n}").pk for n in range(15)}
    gap = add(project_index, "gap", title_en="English only")
    loaded = []

    def note(sender, instance, **kwargs):
        if isinstance(instance, Page):
            loaded.append(instance.pk)

    post_init.connect(note)
    try:
        html = russian_editor.get("/admin/reports/missing-translations/", {"missing": "ru"}).content.decode()
    finally:
        post_init.disconnect(note)
    assert f"/admin/pages/{gap.pk}/edit/?language=ru" in html
    assert not any(f"/admin/pages/{pk}/edit/" in html for pk in complete)
    assert not complete & set(loaded), "the report loaded pages it does not list"


def test_the_gaps_follow_what_is_published_not_drafts(project_index):
    page = add(project_index, "steppe", title_en="Steppe", summary_en="Grazing.")
    assert page.pk in pages_missing("ru")
    page.title_ru, page.summary_ru = "Степь", "Выпас."
    page.save_revision()  # a draft: the published page still lacks Russian
    assert page.pk in pages_missing("ru")
    page.get_latest_revision().publish()
    assert page.pk not in pages_missing("ru") and page.pk in pages_missing("zh-hans")


def test_pages_whose_gaps_were_never_stored_are_found(project_index):
    page = add(project_index, "unknown", title_ru="Только по-русски")
    TranslationGaps.objects.filter(page_id=page.pk).delete()  # as after a column changed behind the ORM
    assert page.pk in pages_missing("en")
    assert TranslationGaps.objects.get(page_id=page.pk).missing == " zh-hans en "


def test_a_filtered_report_reads_the_page_table_whole_only_when_a_pages_gaps_are_unknown(
    russian_editor, project_index
):
    """Every gap known: two counts on narrow indexes, no anti-join over the page table (0.3 s at 100k)."""
    known = add(project_index, "known", title_en="Known")
    with CaptureQueriesContext(connection) as queries:
        html = russian_editor.get("/admin/reports/missing-translations/", {"missing": "ru"}).content.decode()
    assert f"/admin/pages/{known.pk}/edit/?language=ru" in html
    assert not [q["sql"] for q in queries if "NOT EXISTS" in q["sql"]]
    assert max(q["sql"].count("% ru %") for q in queries) == 1  # the filter applied once, not twice
    TranslationGaps.objects.filter(page_id=known.pk).delete()  # as after a column changed behind the ORM
    with CaptureQueriesContext(connection) as queries:
        html = russian_editor.get("/admin/reports/missing-translations/", {"missing": "ru"}).content.decode()
    assert [q["sql"] for q in queries if "NOT EXISTS" in q["sql"]]  # looked for, and found:
    assert f"/admin/pages/{known.pk}/edit/?language=ru" in html
    assert TranslationGaps.objects.filter(page_id=known.pk).exists()


def _report_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/reports/missing-translations/", {"missing": "ru"}).status_code == 200
    return len(queries)


def test_the_reports_queries_do_not_grow_with_its_rows(russian_editor, project_index):
    for n in range(3):
        add(project_index, f"few-{n}", title_en=f"Few {n}")
    few = _report_queries(russian_editor)
    for n in range(12):
        add(project_index, f"more-{n}", title_en=f"More {n}")
    assert _report_queries(russian_editor) == few  # no query per row (status, workflow, type)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
@pytest.mark.parametrize("url", ["/admin/reports/missing-translations/?missing=ru", "explorer"])
def test_newest_edits_first_are_read_in_index_order_not_sorted(russian_editor, project_index, url):
    """With an index the planner may use, a screen of 50 reads 50 rows, not the whole table sorted."""
    add(project_index, "one", title_en="One")
    url = f"/admin/pages/{project_index.pk}/" if url == "explorer" else url
    with CaptureQueriesContext(connection) as queries:
        russian_editor.get(url)
    newest_first = 'ORDER BY "wagtailcore_page"."latest_revision_created_at" DESC'
    listing = [q["sql"] for q in queries if newest_first in q["sql"]]
    assert listing, "no query lists pages newest edit first"
    with connection.cursor() as cursor:
        # A tiny table is cheaper to sort: ask whether the index can give the order at all.
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {listing[0]}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan; RESET enable_sort")
    assert (
        "portal_page_latest_edit" in plan
        and "Sort Key: wagtailcore_page.latest_revision_created_at" not in plan
    )
