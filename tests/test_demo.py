"""manage.py load_demo: the demo content is data, loaded through the editors' importer.

The demo shows a reader every kind of item in every language, with the gaps a
real portal has (items in one language only), so these tests check what a
reader of the demo sees, and that loading it again changes nothing.
"""

import re

import pytest
from django.core.management import call_command

from news.models import NewsPage
from operations.management.commands.load_demo import demo_files
from policies.models import PolicyDocumentPage
from portal import languages
from portal.core.models import Organisation
from projects.models import ProjectPage, TrainingProgrammePage
from tests.factories import url

pytestmark = pytest.mark.django_db


def demo_lines():
    return sum(1 for path in demo_files() for line in path.read_text().splitlines() if line.strip())


def test_demo_loads_through_the_importer_and_again_changes_nothing(demo_load, capsys):
    assert f"Importing {demo_lines()} lines" in demo_load  # the editors' import_content did the work
    counts = {
        model: model.objects.live().count()
        for model in (ProjectPage, TrainingProgrammePage, PolicyDocumentPage, NewsPage)
    }
    # The items of the former Python demo, all published.
    assert counts == {ProjectPage: 11, TrainingProgrammePage: 10, PolicyDocumentPage: 13, NewsPage: 12}
    organisations = Organisation.objects.count()

    call_command("load_demo")
    out = capsys.readouterr().out
    assert f"0 created, 0 updated, {demo_lines()} unchanged" in out
    assert {m: m.objects.count() for m in counts} == counts
    assert Organisation.objects.count() == organisations


def test_demo_reads_as_before_in_every_language(demo_load, client):
    # Items in one language only stay so (setup_portal on every deploy must not "translate" them).
    call_command("setup_portal")
    kz_code = PolicyDocumentPage.objects.get(external_id="policy-kz-2021-environmental-code")
    assert kz_code.languages_present() == ["ru"]
    assert ProjectPage.objects.get(external_id="demo-project-2-26-cities").languages_present() == ["zh-hans"]
    html = client.get(url(kz_code, "en")).content.decode()
    assert '<h1 lang="ru">Экологический кодекс Республики Казахстан</h1>' in html
    assert 'class="lang-notice"' in html or 'class="fallback-note"' in html  # "shown in Russian"
    # Hand-picked English addresses of policies and news are kept.
    assert url(kz_code, "en") == "/en/policies/environmental-code-kazakhstan/"
    assert url(kz_code, "ru") == "/ru/policies/ekologicheskiy-kodeks-respubliki-kazakhstan/"

    # Relations: policy -> policy (both directions), project -> training and policy, training -> series.
    notice = PolicyDocumentPage.objects.get(external_id="policy-cn-2018-monitoring-institutions-notice")
    html = client.get(url(notice, "en")).content.decode()
    assert "Implements" in html and "Implemented by" in html
    assert "Ministry of Ecology and Environment of China" in html  # issuing organisation
    platform = ProjectPage.objects.get(external_id="demo-project-info-sharing-platform")
    html = client.get(url(platform, "ru")).content.decode()
    assert "Китайско-шосовский центр сотрудничества" in html  # organisation with its role
    training = TrainingProgrammePage.objects.get(external_id="demo-training-informatisation-2016")
    assert training.live_projects().filter(pk=platform.pk).exists()
    assert (
        training.start_date.isoformat() == "2016-09-12" and training.series.slug == "green-silk-road-envoys"
    )
    assert training.total_participants() == 27
    assert platform.documents.get().document.file.read().decode().startswith("上海合作组织环境信息共享平台")

    # Status follows the dates: the Kazakhstan project ended in 2021, so it is completed.
    for model in (ProjectPage, TrainingProgrammePage):
        for page in model.objects.all():
            assert not page.status_errors(), page.external_id
    ended = ProjectPage.objects.get(external_id="demo-project-kazakhstan-air-green-economy")
    assert ended.end_date.year == 2021 and ended.status == "completed"
    assert 'class="status status-completed"' in client.get(url(ended, "ru")).content.decode()

    # Every page answers in every language, its title marked with the language it is shown in.
    for model in (ProjectPage, TrainingProgrammePage, PolicyDocumentPage, NewsPage):
        for page in model.objects.all():
            for code in languages.LANGUAGE_CODES:
                response = client.get(url(page, code))
                assert response.status_code == 200, url(page, code)
                assert re.search(r'<h1( lang="[a-z-]+")?>', response.content.decode())
