"""manage.py import_content: JSON Lines in, published trilingual pages out.

The file is validated whole before anything is written; errors name line and field.
"""

import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from news.models import NewsPage
from projects.models import ProjectPage

pytestmark = pytest.mark.django_db


def project(external_id="prj-1", **overrides):
    record = {
        "external_id": external_id,
        "type": "project",
        "translations": {
            "zh-hans": {
                "title": "聊城市大气污染源解析",
                "summary": "源解析与排放清单",
                "body": "第一段。\n\n第二段。",
            },
            "ru": {"title": "Источники загрязнения воздуха в Ляочэне"},
        },
        "countries": ["CN"],
        "themes": ["air", "monitoring"],
        "status": "completed",
        "start_date": "2017-09-14",
        "end_date": "2018-03-31",
    }
    record.update(overrides)
    return record


def write(tmp_path, *records, raw_lines=()):
    path = tmp_path / "items.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in records] + list(raw_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def run_import(path, capsys):
    call_command("import_content", path)
    return capsys.readouterr().out


def test_import_creates_published_pages_in_the_languages_given(tmp_path, capsys, client, home):
    out = run_import(
        write(tmp_path, project("prj-1"), project("prj-2", status="ongoing", end_date=None)), capsys
    )
    assert "2 created, 0 updated, 0 unchanged" in out
    page = ProjectPage.objects.get(external_id="prj-1")
    assert page.live
    assert page.title_zh_hans == "聊城市大气污染源解析"
    assert page.title_en in ("", None)
    assert sorted(page.countries.values_list("code", flat=True)) == ["CN"]
    assert sorted(page.themes.values_list("slug", flat=True)) == ["air", "monitoring"]
    html = client.get(page.get_url()).content.decode()
    assert "第二段。" in html
    # The Russian reader sees the Russian title, and the Chinese summary marked as such.
    with translation.override("ru"):
        ru_url = page.get_url()
    assert ru_url.endswith("/istochniki-zagryazneniya-vozdukha-v-lyaochene/")  # its own language's slug
    with_ru = client.get(ru_url).content.decode()
    assert "Источники загрязнения воздуха в Ляочэне" in with_ru
    # English has no title of its own: its address is the default slug, from the first title.
    with translation.override("en"):
        assert page.get_url().endswith("/liao-cheng-shi-da-qi-wu-ran-yuan-jie-xi/")


def test_reimport_updates_and_never_duplicates(tmp_path, capsys, home):
    path = write(tmp_path, project("prj-1"))
    run_import(path, capsys)
    out = run_import(path, capsys)
    assert "0 created, 0 updated, 1 unchanged" in out
    changed = project("prj-1", status="ongoing", end_date=None)
    changed["translations"]["en"] = {"title": "Liaocheng air pollution sources"}
    out = run_import(write(tmp_path, changed), capsys)
    assert "0 created, 1 updated, 0 unchanged" in out
    page = ProjectPage.objects.get(external_id="prj-1")
    assert ProjectPage.objects.count() == 1
    assert page.status == "ongoing"
    assert page.title_en == "Liaocheng air pollution sources"


@pytest.mark.parametrize(
    "bad, expected",
    [
        (project("x", countries=["CN", "XX"]), "line 2, countries: unknown code(s) XX"),
        (project("x", themes=["air", "noise"]), "line 2, themes: unknown code(s) noise"),
        (project("x", start_date="2018-02-30"), "line 2, start_date:"),
        (
            project("x", translations={"ru": {"summary": "без заголовка"}}),
            "line 2, translations: missing title",
        ),
        (project("x", type="blog"), "line 2, type: 'blog' is not one of"),
        (project("x", status="finished"), "line 2, status:"),
        (project("x", translations={"de": {"title": "Luft"}}), "line 2, translations.de: unknown language"),
        (project("x", colour="green"), "line 2, colour: unknown field for project"),
        (project("x", start_date="2018-05-01", end_date="2018-01-01"), "line 2, end_date:"),
    ],
)
def test_bad_item_names_line_and_field_and_writes_nothing(tmp_path, capsys, home, bad, expected):
    path = write(tmp_path, project("good-1"), bad)
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_content", path)
    assert expected in capsys.readouterr().err
    assert not ProjectPage.objects.exists()


def test_malformed_json_names_the_line(tmp_path, capsys, home):
    path = write(tmp_path, project("good-1"), raw_lines=['{"external_id": "broken", '])
    with pytest.raises(CommandError):
        call_command("import_content", path)
    assert "line 2: not valid JSON" in capsys.readouterr().err
    assert not ProjectPage.objects.exists()


def test_duplicate_external_id_in_one_file_is_an_error(tmp_path, capsys, home):
    path = write(tmp_path, project("same"), project("same"))
    with pytest.raises(CommandError):
        call_command("import_content", path)
    assert "line 2, external_id: 'same' already on line 1" in capsys.readouterr().err


def test_missing_file_says_so(home):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_content", "/nonexistent/items.jsonl")


# --- What the import defers during the writes and does in bulk after them ------------


def test_imported_pages_are_in_wagtails_search_index_and_the_fallback_finds_them(
    tmp_path, capsys, client, home, settings
):
    english = project("prj-en", translations={"en": {"title": "Saxaul shelterbelts of Kyzylkum"}})
    run_import(write(tmp_path, english, project("prj-zh")), capsys)
    found = ProjectPage.objects.live().search("Kyzylkum")  # Wagtail's database index itself
    assert [p.external_id for p in found] == ["prj-en"]
    settings.ELASTICSEARCH_URL = ""  # the portal's fallback search
    data = client.get("/api/search/", {"q": "Kyzylkum", "lang": "en"}).json()
    assert data["engine"] == "database"
    assert [r["title"] for r in data["results"]] == ["Saxaul shelterbelts of Kyzylkum"]


def test_search_index_updates_on_save_again_after_an_import(tmp_path, capsys, home):
    run_import(write(tmp_path, project("prj-1")), capsys)
    page = ProjectPage.objects.get(external_id="prj-1")
    page.title_en = "Karakum dust storms"
    page.save_revision().publish()
    assert [p.pk for p in ProjectPage.objects.live().search("Karakum")] == [page.pk]


def test_outbox_holds_one_row_per_imported_page(tmp_path, capsys, home):
    from search.models import IndexTask

    IndexTask.objects.all().delete()
    run_import(write(tmp_path, project("prj-1"), project("prj-2"), project("prj-3")), capsys)
    pages = sorted(ProjectPage.objects.values_list("pk", flat=True))
    rows = list(IndexTask.objects.filter(done_at__isnull=True).values_list("page_id", "action"))
    assert sorted(rows) == [(pk, "index") for pk in pages]


def test_imported_pages_are_published_with_a_revision_and_localized_url_paths(tmp_path, capsys, home):
    run_import(write(tmp_path, project("prj-1"), project("prj-2")), capsys)
    first, second = ProjectPage.objects.order_by("pk")
    for page in (first, second):
        assert page.live and not page.has_unpublished_changes
        assert page.first_published_at and page.live_revision_id == page.latest_revision_id
        parent = page.get_parent()
        for code in ("zh-hans", "en", "ru"):
            assert getattr(page, f"url_path_{code.replace('-', '_')}").startswith(parent.url_path_en)
    # Same first title: the second page gets the next free slug, in every language.
    assert second.slug_en == f"{first.slug_en}-2"
    assert second.url_path_en.endswith(f"/{first.slug_en}-2/")


def test_slug_taken_in_another_language_is_not_reused(tmp_path, capsys, home):
    from portal.core.slugs import slug_from_title

    run_import(write(tmp_path, project("prj-1")), capsys)
    first = ProjectPage.objects.get()
    taken = slug_from_title("聊城市大气污染源解析")  # what a new page with that title gets
    first.slug_en, first.slug_ru = "first", taken  # free in English, taken in Russian
    first.save_revision().publish()
    run_import(write(tmp_path, project("prj-1"), project("prj-2")), capsys)
    second = ProjectPage.objects.get(external_id="prj-2")
    assert second.slug_en == f"{taken}-2"


def test_a_title_shared_by_two_languages_keeps_one_slug_and_a_namesake_gets_the_next(tmp_path, capsys, home):
    """An item may use its own slug in several languages; a sibling's namesake is numbered in all."""

    def same_title(external_id):
        texts = {"title": "Aral Sea restoration"}
        return {"type": "news", "external_id": external_id, "translations": {"en": texts, "ru": texts}}

    run_import(write(tmp_path, same_title("aral-1"), same_title("aral-2")), capsys)
    first = NewsPage.objects.get(external_id="aral-1")
    second = NewsPage.objects.get(external_id="aral-2")
    assert first.slug_en == first.slug_ru == "aral-sea-restoration"
    assert second.slug_en == second.slug_ru == "aral-sea-restoration-2"
