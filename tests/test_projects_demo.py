"""The projects demo loader: idempotent, trilingual, with deliberate gaps to show fallback."""

import io

import pytest
from django.utils import translation

from portal.core.models import Organisation
from projects import demo
from projects.models import (
    ProgrammeSeries,
    ProjectIndexPage,
    ProjectPage,
    TrainingIndexPage,
    TrainingProgrammePage,
    TrainingSession,
)

pytestmark = pytest.mark.django_db


def counts():
    return (
        ProjectIndexPage.objects.count(),
        TrainingIndexPage.objects.count(),
        ProjectPage.objects.count(),
        TrainingProgrammePage.objects.count(),
        TrainingSession.objects.count(),
        Organisation.objects.count(),
        ProgrammeSeries.objects.count(),
    )


def test_demo_loads_twice_without_duplicates(home):
    out = io.StringIO()
    demo.load(home, out)
    first = counts()
    assert first[:2] == (1, 1)
    assert first[2] >= 8 and first[3] >= 8
    demo.load(home, out)
    assert counts() == first
    assert "0 created" in out.getvalue().splitlines()[-1]
    assert all(p.live for p in ProjectPage.objects.all())
    # slugs are unique among siblings in every language
    for field in ("slug_en", "slug_ru", "slug_zh_hans"):
        values = list(ProjectPage.objects.values_list(field, flat=True))
        assert len(values) == len(set(values))
        assert all(v.isascii() for v in values)


def test_demo_pages_render_with_fallbacks(client, home):
    demo.load(home, io.StringIO())
    ru_only = ProjectPage.objects.get(external_id="demo-project-russia-solid-waste")
    assert ru_only.languages_present() == ["ru"]
    zh_only = ProjectPage.objects.get(external_id="demo-project-2-26-cities")
    assert zh_only.languages_present() == ["zh-hans"]
    for code in ("zh-hans", "en", "ru"):
        for page in (*ProjectPage.objects.all(), *TrainingProgrammePage.objects.all()):
            with translation.override(code):
                url = page.get_url()
            response = client.get(url)
            assert response.status_code == 200, url
        with translation.override(code):
            for index in (ProjectIndexPage.objects.get(), TrainingIndexPage.objects.get()):
                html = client.get(index.get_url()).content.decode()
                assert html.count('class="card"') >= 8
    html = client.get(ru_only.get_url()).content.decode()
    assert '<h1 lang="ru">' in html
    training = TrainingProgrammePage.objects.get(external_id="demo-training-informatisation-2016")
    assert training.start_date.isoformat() == "2016-09-12"
    assert training.live_projects().filter(external_id="demo-project-info-sharing-platform").exists()
