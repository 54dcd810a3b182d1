"""The import format beyond a page's own fields: organisations, series, sessions, files, links.

What an editor's file can say about a project, a training or a policy, and
how a mistake in any of it is reported (file line and field) with nothing written.
"""

import json

import pytest
from django.core.management import CommandError, call_command
from wagtail.documents import get_document_model

from policies.models import PolicyDocumentPage
from portal.core.models import Organisation
from projects.models import ProgrammeSeries, ProjectPage, TrainingProgrammePage

pytestmark = pytest.mark.django_db

ORG = {
    "type": "organisation",
    "external_id": "org-csec",
    "kind": "centre",
    "country": "CN",
    "translations": {
        "en": {"name": "China-SCO Environmental Protection Cooperation Center", "acronym": "CSEC"}
    },
}
SERIES = {"type": "series", "external_id": "gsre", "translations": {"en": {"name": "Green Silk Road Envoys"}}}
TRAINING = {
    "type": "training",
    "external_id": "trn-1",
    "translations": {"en": {"title": "Urban air quality management"}},
    "series": "gsre",
    "organisers": ["org-csec"],
    "sessions": [
        {
            "start_date": "2018-09-10",
            "end_date": "2018-09-21",
            "country": "CN",
            "languages": "zh-hans, ru",
            "capacity": 35,
            "translations": {"en": {"city": "Beijing"}, "ru": {"city": "Пекин"}},
        },
        {"start_date": "2018-11-06", "end_date": "2018-11-08", "online": True},
    ],
    "participants": {"KZ": 9, "UZ": 6},
    "materials": [{"file": "files/brief.txt", "language": "ru", "title": "Brief"}],
}
POLICY = {
    "type": "policy",
    "external_id": "pol-notice",
    "translations": {"en": {"title": "Notice on monitoring institutions"}},
    "issuing_organisation": "org-csec",
    "jurisdiction": "CN",
    "attachments": [
        {
            "file": "files/brief.txt",
            "language": "en",
            "label": {"en": "Official text", "ru": "Официальный текст"},
        }
    ],
    "relations": [{"relation": "implements", "target": "pol-opinion"}],  # defined on a later line
}
OPINION = {
    "type": "policy",
    "external_id": "pol-opinion",
    "translations": {"zh-hans": {"title": "关于深化环境监测改革的意见"}},
}
PROJECT = {
    "type": "project",
    "external_id": "prj-1",
    "translations": {"en": {"title": "Liaocheng air quality"}},
    "start_date": "2017-09-14",
    "end_date": "2018-03-31",
    "organisations": [{"organisation": "org-csec", "role": "implementing"}],
    "trainings": ["trn-1"],
    "policies": ["pol-notice"],
}


def write(folder, *records):
    (folder / "files").mkdir(exist_ok=True)
    (folder / "files" / "brief.txt").write_text("Краткое изложение программы.\n", encoding="utf-8")
    path = folder / "items.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return str(path)


def test_a_file_with_every_part_imports_and_reimports_unchanged(tmp_path, capsys, client, home):
    path = write(tmp_path, PROJECT, POLICY, TRAINING, ORG, SERIES, OPINION)  # order does not matter
    call_command("import_content", path)
    assert "6 created" in capsys.readouterr().out

    training = TrainingProgrammePage.objects.get(external_id="trn-1")
    assert training.series == ProgrammeSeries.objects.get(slug="gsre")
    assert [o.external_id for o in training.organisers.all()] == ["org-csec"]
    sessions = list(training.sessions.all())
    assert [(s.city_en, s.city_ru, s.country_id and s.country.code, s.online) for s in sessions] == [
        ("Beijing", "Пекин", "CN", False),
        ("", "", None, True),
    ]
    assert (training.start_date.isoformat(), training.end_date.isoformat()) == ("2018-09-10", "2018-11-08")
    assert training.status == "completed"  # from the dates
    assert {p.country.code: p.count for p in training.participants.all()} == {"KZ": 9, "UZ": 6}
    assert training.materials.get().document.title == "Brief"

    notice = PolicyDocumentPage.objects.get(external_id="pol-notice")
    assert notice.issuing_organisation.acronym_en == "CSEC"
    assert notice.jurisdiction.code == "CN" and "CN" in notice.countries.values_list("code", flat=True)
    assert [(r.relation_type, r.target.external_id) for r in notice.relations.all()] == [
        ("implements", "pol-opinion")
    ]
    # One stored document for the file, though two items attach it.
    assert get_document_model().objects.count() == 1
    attachment = notice.attachments.get()
    assert (attachment.label_en, attachment.label_ru, attachment.label_zh_hans) == (
        "Official text",
        "Официальный текст",
        "",
    )

    project = ProjectPage.objects.get(external_id="prj-1")
    assert [(o.organisation.external_id, o.role) for o in project.organisations.all()] == [
        ("org-csec", "implementing")
    ]
    assert [t.pk for t in project.live_trainings()] == [training.pk]
    assert [p.pk for p in project.live_policy_documents()] == [notice.pk]
    html = client.get(project.get_url()).content.decode()
    assert "China-SCO Environmental Protection Cooperation Center" in html and "Urban air quality" in html

    call_command("import_content", path)
    assert "0 created, 0 updated, 6 unchanged" in capsys.readouterr().out
    assert (
        get_document_model().objects.count() == 1
        and Organisation.objects.filter(external_id="org-csec").count() == 1
    )


def test_only_records_naming_a_later_line_are_written_twice(tmp_path, home):
    """Parts that can be set at once go in with the bulk-created page (one revision);
    a link to a page further down is set when the file is written (a second, published one)."""
    path = write(tmp_path, PROJECT, POLICY, TRAINING, ORG, SERIES, OPINION)
    call_command("import_content", path)

    # Organisations and series in the same batch are written before the pages that name them.
    for plain in ("pol-opinion", "trn-1"):
        page = PolicyDocumentPage.objects.filter(
            external_id=plain
        ).first() or TrainingProgrammePage.objects.get(external_id=plain)
        assert page.revisions.count() == 1 and page.live_revision_id == page.latest_revision_id
    for linked in (
        ProjectPage.objects.get(external_id="prj-1"),
        PolicyDocumentPage.objects.get(external_id="pol-notice"),
    ):
        assert linked.revisions.count() == 2
        assert linked.live and linked.live_revision_id == linked.latest_revision_id
        assert not linked.has_unpublished_changes
    assert ProjectPage.objects.get(external_id="prj-1").related_trainings.get().external_id == "trn-1"


@pytest.mark.parametrize(
    "bad, expected",
    [
        (
            {**PROJECT, "organisations": [{"organisation": "org-nowhere"}]},
            "organisations[1].organisation: unknown",
        ),
        (
            {**PROJECT, "organisations": [{"organisation": "org-csec", "role": "boss"}]},
            "organisations[1].role: 'boss'",
        ),
        ({**PROJECT, "trainings": ["trn-missing"]}, "trainings[1]: unknown training page 'trn-missing'"),
        ({**TRAINING, "sessions": [{"end_date": "2018-09-21"}]}, "sessions[1].start_date: required"),
        (
            {**TRAINING, "sessions": [{"start_date": "2018-09-10", "end_date": "2018-09-01"}]},
            "sessions[1].end_date: The end date cannot be before the start date.",
        ),
        (
            {**TRAINING, "sessions": [{"start_date": "2018-09-10", "languages": "русский"}]},
            "sessions[1].languages",
        ),
        ({**TRAINING, "participants": {"KZ": -3}}, "participants.KZ: expected a whole number"),
        ({**TRAINING, "participants": {"XX": 3}}, "participants.XX: unknown country code"),
        ({**TRAINING, "series": "nope"}, "series: unknown series 'nope'"),
        (
            {**TRAINING, "materials": [{"file": "files/missing.pdf", "language": "ru"}]},
            "materials[1].file: no file",
        ),
        ({**TRAINING, "materials": [{"file": "../../etc/passwd", "language": "ru"}]}, "materials[1].file:"),
        (
            {**TRAINING, "materials": [{"file": "files/brief.txt", "language": "xx"}]},
            "materials[1].language: 'xx'",
        ),
        (
            {**POLICY, "relations": [{"relation": "likes", "target": "pol-opinion"}]},
            "relations[1].relation: 'likes'",
        ),
        (
            {**POLICY, "relations": [{"relation": "amends", "target": "pol-notice"}]},
            "relations[1].target: a document",
        ),
        ({**POLICY, "jurisdiction": "XX"}, "jurisdiction: unknown country"),
        ({**ORG, "external_id": "org-2", "kind": "club"}, "kind: 'club' is not one of"),
        (
            {**ORG, "external_id": "org-2", "translations": {"en": {"acronym": "X"}}},
            "translations: missing name",
        ),
    ],
)
def test_a_mistake_in_any_part_names_line_and_field_and_writes_nothing(tmp_path, capsys, home, bad, expected):
    path = write(tmp_path, ORG, SERIES, OPINION, bad)
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_content", path)
    assert f"line 4, {expected}" in capsys.readouterr().err
    assert not Organisation.objects.filter(external_id="org-csec").exists()
    assert not PolicyDocumentPage.objects.exists()


def test_a_fake_pdf_is_refused_like_an_upload(tmp_path, capsys, home):
    path = write(
        tmp_path,
        ORG,
        {**POLICY, "relations": [], "attachments": [{"file": "files/fake.pdf", "language": "en"}]},
    )
    (tmp_path / "files" / "fake.pdf").write_text("not a pdf")
    with pytest.raises(CommandError):
        call_command("import_content", path)
    assert "line 2, attachments[1].file: files/fake.pdf: The content of this file is not a .pdf file." in (
        capsys.readouterr().err
    )


def test_errors_across_several_files_name_the_file(tmp_path, capsys, home):
    first = write(tmp_path, ORG)
    second = tmp_path / "more.jsonl"
    second.write_text(json.dumps({**PROJECT, "trainings": ["trn-x"], "policies": []}) + "\n")
    with pytest.raises(CommandError):
        call_command("import_content", first, str(second))
    assert f"{second} line 1, trainings[1]: unknown training page 'trn-x'" in capsys.readouterr().err


# --- Re-import: unchanged records skipped by their stored digest ------------------------


def test_a_changed_attachment_under_the_same_name_is_imported_again(tmp_path, capsys, home):
    """A record's digest covers its files' content: the same line with a new file is a change."""
    path = write(tmp_path, ORG, SERIES, TRAINING)
    call_command("import_content", path)
    (tmp_path / "files" / "brief.txt").write_text("Новая редакция программы.\n", encoding="utf-8")
    call_command("import_content", path)
    assert "0 created, 1 updated, 2 unchanged" in capsys.readouterr().out.splitlines()[-1]
    material = TrainingProgrammePage.objects.get(external_id="trn-1").materials.get()
    assert material.document.file.read().decode() == "Новая редакция программы.\n"
