"""A project's or training's status cannot contradict its dates."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from projects.models import ProjectIndexPage, ProjectPage, TrainingProgrammePage, TrainingSession
from search.models import IndexTask

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize(
    "start, end, allowed",
    [
        (TODAY - 400 * DAY, TODAY - DAY, ("completed",)),  # ended yesterday
        (TODAY - 400 * DAY, None, ("ongoing",)),  # started, no end date
        (TODAY - DAY, TODAY, ("ongoing",)),  # its last day
        (TODAY + DAY, TODAY + 9 * DAY, ("planned",)),
        (None, None, ()),  # no dates: the editor's choice stands
        (None, TODAY - DAY, ("completed",)),
    ],
)
def test_the_dates_decide_the_status(start, end, allowed):
    assert ProjectPage(start_date=start, end_date=end).statuses_for_dates() == allowed


def test_a_status_that_contradicts_the_dates_is_refused_with_what_to_choose():
    page = ProjectPage(
        status="ongoing", start_date=datetime.date(2018, 9, 1), end_date=datetime.date(2021, 12, 31)
    )
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        page.validate_values()
    [message] = caught.value.message_dict["status"]
    assert message.startswith("It ended on ") and "2021" in message
    assert message.endswith(", so its status is “Completed”.")
    with pytest.raises(ValidationError) as caught, translation.override("ru"):
        page.validate_values()
    assert "31 декабря 2021" in caught.value.message_dict["status"][0]
    page.status = "completed"
    page.validate_values()


def test_a_training_before_its_start_is_open_while_a_deadline_is_ahead():
    training = TrainingProgrammePage(status="completed")
    training.sessions = [TrainingSession(start_date=TODAY + 30 * DAY, application_deadline=TODAY + 10 * DAY)]
    training.sync_dates()
    assert training.statuses_for_dates() == ("open", "planned")
    training.sessions = [TrainingSession(start_date=TODAY + 30 * DAY, application_deadline=TODAY - DAY)]
    assert training.statuses_for_dates() == ("planned", "open")


def record(**overrides):
    item = {
        "external_id": "prj-kz",
        "type": "project",
        "translations": {"en": {"title": "Almaty air quality and the green economy"}},
        "start_date": "2018-09-01",
        "end_date": "2021-12-31",
    }
    item.update(overrides)
    return json.dumps(item)


def test_the_importer_derives_a_missing_status_and_refuses_a_wrong_one(tmp_path, capsys, home):
    path = tmp_path / "items.jsonl"
    path.write_text(record(status="ongoing") + "\n")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_content", str(path))
    assert "line 1, status: It ended on" in capsys.readouterr().err
    assert not ProjectPage.objects.exists()

    path.write_text(
        record() + "\n" + record(external_id="prj-new", start_date=str(TODAY + DAY), end_date=None)
    )
    call_command("import_content", str(path))
    assert ProjectPage.objects.get(external_id="prj-kz").status == "completed"
    assert ProjectPage.objects.get(external_id="prj-new").status == "planned"


def test_readers_see_the_status_of_today_and_update_statuses_moves_the_column(client, home, capsys):
    index = ProjectIndexPage(title="Projects", slug="p")
    home.add_child(instance=index)
    index.save_revision().publish()
    page = ProjectPage(title="Tashkent waste", slug="tashkent", status="planned", start_date=TODAY + DAY)
    index.add_child(instance=page)
    page.save_revision().publish()
    # Time passes: the start date is now behind us, the stored column still says "planned".
    ProjectPage.objects.filter(pk=page.pk).update(start_date=TODAY - DAY)
    html = client.get("/en/p/tashkent/").content.decode()
    assert 'class="status status-ongoing">Ongoing<' in html
    assert "status-planned" not in client.get("/en/p/").content.decode()

    IndexTask.objects.all().delete()
    call_command("update_statuses")
    assert "tashkent" not in capsys.readouterr().err
    assert ProjectPage.objects.get(pk=page.pk).status == "ongoing"
    assert list(IndexTask.objects.values_list("page_id", flat=True)) == [page.pk]
    call_command("update_statuses")
    assert "Every status agrees with its dates." in capsys.readouterr().out
