"""Cooperation projects and training programmes: rendering, fallback, lists, validation, admin."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from wagtail.documents import get_document_model

from portal import languages
from portal.core.models import Country, Organisation, Theme
from projects.models import (
    ProgrammeSeries,
    ProjectOrganisation,
    ProjectPage,
    TrainingIndexPage,
    TrainingParticipants,
    TrainingProgrammePage,
    TrainingSession,
)
from tests.factories import project_form, project_list, publish, rolled_back, titled, tr

pytestmark = pytest.mark.django_db


def make_project(index, slug, titles, *, countries=(), themes=(), **fields):
    summary = fields.pop("summary", {})
    page = ProjectPage(**titled(titles, slug), **tr("summary", summary), **fields)
    publish(index, page)
    if countries or themes:
        page.countries.set(Country.objects.filter(code__in=countries))
        page.themes.set(Theme.objects.filter(slug__in=themes))
        page.save_revision().publish()
    return page


def make_platform(project_index, training):
    """The project "platform" (China and Kazakhstan, one organisation, its results in English only)."""
    org = Organisation.objects.create(
        kind="centre", **tr("name", {"en": "China-SCO Environmental Protection Cooperation Center"})
    )
    page = ProjectPage(
        **titled(
            {
                "zh-hans": "上合组织环境信息共享平台",
                "en": "SCO environmental information sharing platform",
                "ru": "Платформа обмена экологической информацией ШОС",
            },
            "platform",
        ),
        **tr("summary", {"zh-hans": "中文摘要", "en": "English summary", "ru": "Краткое описание"}),
        **tr("place_name", {"zh-hans": "北京", "en": "Beijing", "ru": "Пекин"}),
        **tr("results", {"en": "<p>Portal launched in three languages</p>"}),
        status="ongoing",
        start_date=datetime.date(2014, 3, 1),
        budget_amount=Decimal("1500000"),
        budget_currency="USD",
        latitude=Decimal("39.9042"),
        longitude=Decimal("116.4074"),
    )
    page.organisations = [ProjectOrganisation(organisation=org, role="implementing")]
    publish(project_index, page)
    page.countries.set(Country.objects.filter(code__in=["CN", "KZ"]))
    page.related_trainings.set([training])
    page.save_revision().publish()
    return page


def make_training(training_index):
    """The programme "informatisation": two sessions, 13 participants, its audience not in Russian."""
    series = ProgrammeSeries.objects.create(
        slug="green-silk-road-envoys",
        **tr(
            "name",
            {
                "zh-hans": "绿色丝路使者计划",
                "en": "Green Silk Road Envoys Programme",
                "ru": "Зелёный Шёлковый путь: посланники",
            },
        ),
    )
    page = TrainingProgrammePage(
        **titled(
            {
                "zh-hans": "环境信息化培训班",
                "en": "Training course on environmental informatisation",
                "ru": "Курс по экологической информатизации",
            },
            "informatisation",
        ),
        **tr("target_audience", {"en": "Officials of environment ministries", "zh-hans": "环境部门官员"}),
        series=series,
        status="completed",
    )
    page.sessions = [
        TrainingSession(
            start_date=datetime.date(2016, 9, 12),
            end_date=datetime.date(2016, 9, 25),
            **tr("city", {"zh-hans": "北京", "en": "Beijing", "ru": "Пекин"}),
            languages="zh-hans, ru",
            capacity=30,
        ),
        TrainingSession(start_date=datetime.date(2017, 6, 5), online=True, languages="en"),
    ]
    page.participants = [
        TrainingParticipants(country=Country.objects.get(code="KZ"), count=8),
        TrainingParticipants(country=Country.objects.get(code="RU"), count=5),
    ]
    return publish(training_index, page)


def build_platform():
    """The training list with :func:`make_training`'s programme, the projects list ``/p/`` with
    :func:`make_platform`'s project linking to it; their ids."""
    from website.models import HomePage

    home = HomePage.objects.get()
    training_index = publish(
        home,
        TrainingIndexPage(**titled({"zh-hans": "培训", "en": "Training", "ru": "Обучение"}, "training")),
    )
    training = make_training(training_index)
    project = make_platform(project_list(home), training)
    return {"training_index": training_index.pk, "training": training.pk, "project": project.pk}


@pytest.fixture(scope="class")
def platform(django_db_setup, django_db_blocker):
    """:func:`build_platform` once for the class's tests, in a transaction rolled back after them."""
    yield from rolled_back(django_db_blocker, build_platform)


@pytest.fixture
def training_index(platform, db):
    return TrainingIndexPage.objects.get(pk=platform["training_index"])


@pytest.fixture
def training(platform, db):
    return TrainingProgrammePage.objects.get(pk=platform["training"])


@pytest.fixture
def project(platform, db):
    return ProjectPage.objects.get(pk=platform["project"])


# --- Detail pages ---------------------------------------------------------------


# --- Detail pages ---------------------------------------------------------------


class TestPlatform:
    """A project and the training it links to, read from one :func:`platform` made for the class."""

    @pytest.mark.parametrize(
        "code, title, summary, place",
        [
            ("zh-hans", "上合组织环境信息共享平台", "中文摘要", "北京"),
            ("en", "SCO environmental information sharing platform", "English summary", "Beijing"),
            ("ru", "Платформа обмена экологической информацией ШОС", "Краткое описание", "Пекин"),
        ],
    )
    def test_project_renders_in_each_language(self, client, project, code, title, summary, place):
        response = client.get(f"/{code}/p/platform/")
        assert response.status_code == 200
        html = response.content.decode()
        assert f'<html lang="{code}">' in html
        assert f'<h1 lang="{code}">{title}</h1>' in html
        assert f'<p class="summary" lang="{code}">{summary}</p>' in html
        assert f'<span lang="{code}">{place}</span>' in html
        assert "<dl>" in html
        assert "USD" in html
        assert "1,500,000" in html or "1 500 000" in html or "1\xa0500\xa0000" in html or "1500000" in html
        # the training it links to is listed
        assert "/training/informatisation/" in html

    def test_project_fallback_is_marked(self, client, project):
        html = client.get("/ru/p/platform/").content.decode()
        # results exist only in English: shown in English, marked, with lang="en"
        assert '<div lang="en"><p>Portal launched in three languages</p></div>' in html
        assert 'class="fallback-note"' in html
        # the organisation has only an English name
        assert '<span lang="en">China-SCO Environmental Protection Cooperation Center</span>' in html

    def test_project_organisation_role_and_metadata(self, client, project):
        html = client.get("/en/p/platform/").content.decode()
        assert "(Implementing)" in html
        assert '<time datetime="2014-03-01">' in html
        assert "latitude 39.9042, longitude 116.4074" in html
        assert '<a href="/en/p/?country=KZ">' in html

    @pytest.mark.parametrize(
        "code, title, series",
        [
            ("zh-hans", "环境信息化培训班", "绿色丝路使者计划"),
            ("en", "Training course on environmental informatisation", "Green Silk Road Envoys Programme"),
            ("ru", "Курс по экологической информатизации", "Зелёный Шёлковый путь: посланники"),
        ],
    )
    def test_training_renders_in_each_language(self, client, project, training, code, title, series):
        response = client.get(f"/{code}/training/informatisation/")
        assert response.status_code == 200
        html = response.content.decode()
        assert f'<h1 lang="{code}">{title}</h1>' in html
        assert f'<span lang="{code}">{series}</span>' in html
        # sessions, participants (8 + 5) and the linked project
        assert '<time datetime="2016-09-12">' in html
        assert "<td>13</td>" in html
        assert "/p/platform/" in html
        assert '<span lang="ru">Русский</span>' in html

    def test_training_fallback_for_missing_russian(self, client, training):
        html = client.get("/ru/training/informatisation/").content.decode()
        assert '<div lang="en"><p>Officials of environment ministries</p></div>' in html
        assert 'class="fallback-note" lang="ru"' in html
        zh = client.get("/zh-hans/training/informatisation/").content.decode()
        assert '<div lang="zh-hans"><p>环境部门官员</p></div>' in zh

    def test_training_dates_follow_sessions(self, training):
        assert training.start_date == datetime.date(2016, 9, 12)
        assert training.end_date == datetime.date(2017, 6, 5)

    def test_attachments_show_size_and_language(self, client, project):
        document = get_document_model().objects.create(
            title="Platform report", file=ContentFile(b"%PDF-1.4 demo" * 100, name="report.pdf")
        )
        project.documents.create(document=document, language="ru")
        project.save_revision().publish()
        html = client.get("/en/p/platform/").content.decode()
        assert "Platform report" in html
        assert "PDF, 1.3\xa0KB" in html
        assert '<span lang="ru">Русский</span>' in html

    def test_training_index_filters_by_status(self, client, training, training_index):
        other = TrainingProgrammePage(
            **titled({"en": "Pollution prevention technology"}, "pollution"), status="open"
        )
        other.sessions = [TrainingSession(start_date=START)]  # "open": not started yet
        publish(training_index, other)
        html = client.get("/en/training/").content.decode()
        assert card_titles(html) == [
            "Pollution prevention technology",
            "Training course on environmental informatisation",
        ]
        html = client.get("/en/training/?status=open").content.decode()
        assert card_titles(html) == ["Pollution prevention technology"]
        html = client.get("/en/training/?year=2016").content.decode()
        assert card_titles(html) == ["Training course on environmental informatisation"]

    def test_admin_edit_views_open(self, admin_client, project, training):
        for page in (project, training):
            response = admin_client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
            assert response.status_code == 200
            html = response.content.decode()
            assert 'name="title_ru"' in html and 'name="title_zh_hans"' in html
        html = admin_client.get(reverse("wagtailadmin_pages:edit", args=(training.pk,))).content.decode()
        assert 'name="sessions-0-venue_ru"' in html
        assert 'name="sessions-0-city_zh_hans"' in html
        assert 'name="target_audience_ru"' in html
        html = admin_client.get(reverse("wagtailadmin_pages:edit", args=(project.pk,))).content.decode()
        assert 'name="place_name_ru"' in html and 'name="results_en"' in html

    def test_missing_languages_ignores_optional_fields_left_empty(self, project):
        missing = project.missing_languages()
        assert "place_name" not in missing  # filled in all three
        assert missing["results"] == ["zh-hans", "ru"]  # filled in English only
        project.results_en = ""
        assert "results" not in project.missing_languages()


def test_russian_only_project_shows_russian_title_everywhere(client, project_index):
    make_project(project_index, "ru-only", {"ru": "Обращение с твёрдыми отходами"}, status="planned")
    for code in languages.LANGUAGE_CODES:
        html = client.get(f"/{code}/p/ru-only/").content.decode()
        assert '<h1 lang="ru">Обращение с твёрдыми отходами</h1>' in html
        if code != "ru":  # one notice for the page, naming Russian in the reader's language
            with translation.override(code):
                notice = str(languages.PAGE_SHOWN_IN["ru"])
            assert f'<p class="lang-notice" role="note">{notice}</p>' in html


# --- Validation -------------------------------------------------------------------


def test_end_before_start_is_rejected(project_index):
    page = ProjectPage(
        **titled({"en": "Backwards"}, "backwards"),
        start_date=datetime.date(2020, 5, 1),
        end_date=datetime.date(2019, 5, 1),
    )
    with pytest.raises(ValidationError) as error:
        project_index.add_child(instance=page)
    assert "end_date" in error.value.message_dict
    assert not ProjectPage.objects.filter(slug_en="backwards").exists()


def test_budget_needs_currency_and_coordinates_in_range(project_index):
    page = ProjectPage(**titled({"en": "Budget"}, "budget"), budget_amount=Decimal(10))
    with pytest.raises(ValidationError) as error:
        project_index.add_child(instance=page)
    assert "budget_currency" in error.value.message_dict
    page = ProjectPage(
        **titled({"en": "Far"}, "far"), latitude=Decimal(95), longitude=Decimal(10), budget_currency="USD"
    )
    with pytest.raises(ValidationError) as error:
        project_index.add_child(instance=page)
    assert "latitude" in error.value.message_dict


def test_session_end_before_start_and_bad_language_code():
    session = TrainingSession(
        start_date=datetime.date(2020, 5, 1), end_date=datetime.date(2020, 4, 1), languages="en, Russian!"
    )
    with pytest.raises(ValidationError) as error:
        session.clean()
    assert {"end_date", "languages"} <= set(error.value.message_dict)


# --- Lists ----------------------------------------------------------------------------


def make_three_projects(project_index):
    """Three projects the list's filters tell apart: country, theme, status and year each differ."""
    make_project(
        project_index,
        "liaocheng",
        {"en": "Liaocheng air quality", "zh-hans": "聊城空气质量"},
        status="completed",
        start_date=datetime.date(2017, 9, 14),
        end_date=datetime.date(2018, 3, 31),
        countries=["CN"],
        themes=["air"],
    )
    make_project(
        project_index,
        "kz-air",
        {"en": "Almaty air pollution control", "ru": "Борьба с загрязнением воздуха в Алматы"},
        status="ongoing",
        start_date=datetime.date(2018, 3, 1),
        countries=["KZ"],
        themes=["air"],
    )
    make_project(
        project_index,
        "kg-waste",
        {"en": "Bishkek household waste"},
        status="planned",
        start_date=datetime.date.today() + datetime.timedelta(days=400),  # planned: it starts later
        countries=["KG"],
        themes=["waste"],
    )


@pytest.fixture(scope="class")
def many_projects(django_db_setup, django_db_blocker):
    """The projects list ``/p/`` with :func:`make_three_projects`, for the class's tests, then rolled back."""
    from website.models import HomePage

    def build():
        index = project_list(HomePage.objects.get())
        make_three_projects(index)
        return index

    yield from rolled_back(django_db_blocker, build)


def card_titles(html):
    return re.findall(r'<h2><a href="[^"]+" lang="[^"]+">([^<]+)</a></h2>', html)


class TestProjectList:
    """The projects list's counts, filters and fallbacks, all read from one :func:`many_projects`."""

    def test_index_lists_all_with_counts(self, client, many_projects):
        html = client.get("/en/p/").content.decode()
        assert card_titles(html) == [
            "Bishkek household waste",
            "Almaty air pollution control",
            "Liaocheng air quality",
        ]
        assert "3 items" in html
        assert '<option value="air">' in html and "(2)</option>" in html
        assert '<option value="2018">2018 (1)</option>' in html

    @pytest.mark.parametrize(
        "query, expected",
        [
            ("country=KZ", ["Almaty air pollution control"]),
            ("theme=air", ["Almaty air pollution control", "Liaocheng air quality"]),
            ("status=planned", ["Bishkek household waste"]),
            ("year=2017", ["Liaocheng air quality"]),
            ("theme=air&status=completed", ["Liaocheng air quality"]),
        ],
    )
    def test_index_filters_narrow_the_list(self, client, many_projects, query, expected):
        response = client.get(f"/en/p/?{query}")
        assert response.status_code == 200
        html = response.content.decode()
        assert card_titles(html) == expected
        assert f"{len(expected)} item" in html

    def test_index_in_russian_marks_fallback_titles(self, client, many_projects):
        html = client.get("/ru/p/").content.decode()
        assert '<a href="/ru/p/kz-air/" lang="ru">Борьба с загрязнением воздуха в Алматы</a>' in html
        assert '<a href="/ru/p/kg-waste/" lang="en">Bishkek household waste</a>' in html
        assert 'class="fallback-note"' in html

    @pytest.mark.parametrize("query", ["country=XX", "status=lost", "year=1850", "theme=nope&page=zzz"])
    def test_unknown_filter_value_shows_list_with_notice(self, client, many_projects, query):
        response = client.get(f"/en/p/?{query}")
        assert response.status_code == 200
        html = response.content.decode()
        assert 'class="notice"' in html
        assert len(card_titles(html)) == 3


def test_index_paginates(client, project_index):
    for i in range(15):
        make_project(
            project_index, f"p{i}", {"en": f"Project {i:02d}"}, start_date=datetime.date(2000 + i, 1, 1)
        )
    first = client.get("/en/p/").content.decode()
    assert len(card_titles(first)) == 12
    assert 'rel="next" href="?page=2"' in first
    second = client.get("/en/p/?page=2").content.decode()
    assert card_titles(second) == ["Project 02", "Project 01", "Project 00"]
    assert "15 items" in second


# --- Admin --------------------------------------------------------------------------


def test_admin_creates_project_with_russian_title_only(admin_client, project_index):
    url = reverse("wagtailadmin_pages:add", args=("projects", "projectpage", project_index.pk))
    assert admin_client.get(url).status_code == 200
    data = project_form(
        title_ru="Переработка твёрдых коммунальных отходов",
        summary_ru="Пилотный проект",
        status="completed",  # the dates are past: any other status is refused (see test_status)
        start_date="2018-05-01",
        end_date="2020-12-31",
        **{"action-publish": "action-publish"},
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    page = ProjectPage.objects.get(title_ru="Переработка твёрдых коммунальных отходов")
    assert page.live
    assert page.slug_en == "pererabotka-tverdykh-kommunalnykh-otkhodov"[: len(page.slug_en)]
    html = admin_client.get(page.get_url()).content.decode()
    assert "Переработка твёрдых коммунальных отходов" in html


def test_admin_rejects_end_before_start(admin_client, project_index):
    url = reverse("wagtailadmin_pages:add", args=("projects", "projectpage", project_index.pk))
    data = project_form(title_en="Backwards", start_date="2020-05-01", end_date="2019-01-01")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors
    assert not ProjectPage.objects.filter(title_en="Backwards").exists()


START = datetime.date.today() + datetime.timedelta(days=120)  # "open" is for programmes not yet started


def test_import_keeps_training_dates_without_sessions(tmp_path, home):
    import json

    from django.core.management import call_command

    item = {
        "external_id": "imp-training-1",
        "type": "training",
        "translations": {"ru": {"title": "Курс по мониторингу воздуха"}},
        "status": "open",
        "start_date": START.isoformat(),
        "end_date": (START + datetime.timedelta(days=4)).isoformat(),
        "themes": ["air"],
    }
    path = tmp_path / "items.jsonl"
    path.write_text(json.dumps(item, ensure_ascii=False) + "\n")
    call_command("import_content", str(path))
    page = TrainingProgrammePage.objects.get(external_id="imp-training-1")
    assert page.live and page.start_date == START
    assert page.end_date == START + datetime.timedelta(days=4)
    assert page.get_parent().specific_class is TrainingIndexPage
