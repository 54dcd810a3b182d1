"""Editors' security: login throttling, section permissions, hostile uploads."""

import io
import struct
import zipfile
import zlib

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from portal.security import throttle
from portal.security.groups import NATIONAL_EDITORS, SECRETARIAT
from projects.models import ProjectPage
from tests.factories import project_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

LOGIN = "/admin/login/"


@pytest.fixture
def clock(monkeypatch):
    """A controllable clock for the throttle."""
    now = [1_000_000.0]
    monkeypatch.setattr(throttle.time, "time", lambda: now[0])
    return now


def login(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(client):
    return "_auth_user_id" in client.session


# --- Login throttling ------------------------------------------------------------


def test_failures_slow_down_then_lock_and_success_resets(client, django_user_model, clock):
    django_user_model.objects.create_superuser("ed", "ed@example.org", "right-password")
    cfg = throttle.config()
    for _ in range(cfg["free_attempts"]):  # the first failures cost nothing
        assert login(client, "ed", "wrong").status_code == 200
    # Now even the right password is refused until the delay has passed.
    response = login(client, "ed", "right-password")
    assert not logged_in(client)
    assert "Too many failed attempts" in response.content.decode()
    clock[0] += cfg["base_delay"] + 0.1
    assert login(client, "ed", "right-password").status_code == 302
    assert logged_in(client)
    client.logout()
    # The success cleared the record: a new failure is free again.
    assert login(client, "ed", "wrong").status_code == 200
    assert throttle.check("ed", None).allowed


def test_delay_doubles_then_locks_per_username_and_address(client, django_user_model, clock):
    django_user_model.objects.create_superuser("ed", "ed@example.org", "right-password")
    cfg = throttle.config()
    delays = []
    for _ in range(cfg["lock_after"]):
        login(client, "ed", "wrong")
        request = type("R", (), {"META": {"REMOTE_ADDR": "10.0.0.1"}})()
        verdict = throttle.check("ed", request)
        delays.append(verdict.wait)
        if not verdict.locked:
            clock[0] += verdict.wait  # the attacker waits as told, and fails again
    assert delays[cfg["free_attempts"] - 1] >= 1
    assert delays[cfg["free_attempts"]] > delays[cfg["free_attempts"] - 1]  # it grows
    response = login(client, "ed", "right-password")
    assert not logged_in(client)
    assert "locked" in response.content.decode()
    # Another address (or another username) is not locked out by this one.
    assert login(client, "ed", "right-password", ip="10.0.0.2").status_code == 302
    client.logout()
    # After the lock-out period the owner gets in.
    clock[0] += cfg["lockout"] + 1
    assert login(client, "ed", "right-password").status_code == 302


def test_backend_refuses_throttled_pair_on_any_login_path(django_user_model, clock, rf):
    from django.contrib.auth import authenticate

    django_user_model.objects.create_superuser("ed", "ed@example.org", "right-password")
    request = rf.post("/", REMOTE_ADDR="10.9.9.9")
    for _ in range(throttle.config()["lock_after"]):
        assert authenticate(request, username="ed", password="wrong") is None
        clock[0] += 61
    assert authenticate(request, username="ed", password="right-password") is None


# --- Groups and section permissions -----------------------------------------------


@pytest.fixture
def national_editor(django_user_model):
    user = django_user_model.objects.create_user("kz-editor", "kz@example.org", "pw")
    user.groups.add(Group.objects.get(name=NATIONAL_EDITORS))
    return user


@pytest.fixture
def secretary(django_user_model):
    user = django_user_model.objects.create_user("secretary", "sec@example.org", "pw")
    user.groups.add(Group.objects.get(name=SECRETARIAT))
    return user


def test_groups_exist_with_section_permissions(project_index):
    from wagtail.models import GroupPagePermission

    perms = {
        (p.group.name, p.permission.codename)
        for p in GroupPagePermission.objects.filter(page=project_index).select_related("group", "permission")
    }
    assert (NATIONAL_EDITORS, "add_page") in perms and (NATIONAL_EDITORS, "change_page") in perms
    assert (NATIONAL_EDITORS, "publish_page") not in perms
    assert (SECRETARIAT, "publish_page") in perms


def test_national_editor_can_submit_but_not_publish(client, national_editor, project_index):
    client.force_login(national_editor)
    url = reverse("wagtailadmin_pages:add", args=("projects", "projectpage", project_index.pk))
    assert client.get(url).status_code == 200
    # Publishing is refused: the page is saved as a draft at most, never live.
    client.post(url, project_form(title_en="Attempted publish", **{"action-publish": "action-publish"}))
    assert not ProjectPage.objects.filter(title_en="Attempted publish", live=True).exists()
    # Submitting for moderation works.
    response = client.post(
        url, project_form(title_en="Submitted draft", **{"action-submit": "action-submit"})
    )
    assert response.status_code == 302
    page = ProjectPage.objects.get(title_en="Submitted draft")
    assert not page.live
    assert page.current_workflow_state is not None
    assert page.current_workflow_state.status == "in_progress"
    # Publishing from the edit view is refused too.
    edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    client.post(edit, project_form(title_en="Submitted draft", **{"action-publish": "action-publish"}))
    page.refresh_from_db()
    assert not page.live


def test_secretariat_publishes(client, secretary, project_index):
    client.force_login(secretary)
    url = reverse("wagtailadmin_pages:add", args=("projects", "projectpage", project_index.pk))
    response = client.post(
        url, project_form(title_en="Secretariat news", **{"action-publish": "action-publish"})
    )
    assert response.status_code == 302
    assert ProjectPage.objects.get(title_en="Secretariat news").live


def test_secretariat_reviews_submissions(secretary, national_editor, project_index):
    from wagtail.models import Workflow

    workflow = Workflow.objects.filter(active=True).first()
    task = workflow.tasks.first().specific
    assert SECRETARIAT in {g.name for g in task.groups.all()}


# --- Uploads ------------------------------------------------------------------------


def png_bytes(width=8, height=8):
    buf = io.BytesIO()
    PILImage.new("RGB", (width, height), "white").save(buf, "PNG")
    return buf.getvalue()


def bomb_png(width=30000, height=30000):
    """A PNG header claiming 900 megapixels with a tiny compressed body."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = zlib.compress(b"\x00" * (width // 8 + 1) * 64, 9)  # only a few rows: the header is what matters
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def minimal_pdf(pages=1, extra=b""):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=72, height=72)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue() + extra


@pytest.fixture
def admin(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin2", "a@example.org", "pw"))
    return client


def upload_document(client, name, content):
    return client.post(
        reverse("wagtaildocs:add"),
        {"title": name, "file": SimpleUploadedFile(name, content), "collection": 1},
    )


def test_good_documents_are_accepted(admin):
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    for name, content in [
        ("report.pdf", minimal_pdf()),
        ("data.csv", "country,value\nKZ,1\nРоссия,2\n中国,3\n".encode()),
        ("notes.txt", b"Plain text"),
        ("plan.docx", docx.getvalue()),
    ]:
        response = upload_document(admin, name, content)
        assert response.status_code == 302, (name, response.context["form"].errors)
    assert get_document_model().objects.count() == 4


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("png-renamed.pdf", png_bytes(), "not a .pdf file"),
        ("script.pdf", minimal_pdf(extra=b"\n<< /S /JavaScript /JS (app.alert(1)) >>\n"), "scripts"),
        ("broken.pdf", b"%PDF-1.7\n garbage garbage", "damaged"),
        ("binary.csv", b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)), "not a .csv file"),
        ("nul.txt", b"abc\x00def", "not a .txt file"),
        ("fake.docx", b"PK\x03\x04 this is no zip", "damaged"),
        ("plain.docx", b"Hello, I am not an Office file", "not a .docx file"),
        ("program.exe", b"MZ\x90\x00", "not accepted"),
    ],
)
def test_hostile_documents_are_refused(admin, name, content, message):
    response = upload_document(admin, name, content)
    assert response.status_code == 200
    errors = str(response.context["form"].errors)
    assert message in errors, errors
    assert not get_document_model().objects.exists()


def test_oversized_document_and_long_pdf_are_refused(admin):
    with override_settings(WAGTAILDOCS_MAX_UPLOAD_SIZE=1024):
        response = upload_document(admin, "big.txt", b"a" * 2048)
    assert response.status_code == 200 and "too big" in str(response.context["form"].errors)
    with override_settings(PORTAL_PDF_MAX_PAGES=3):
        response = upload_document(admin, "long.pdf", minimal_pdf(pages=5))
    assert response.status_code == 200 and "at most 3" in str(response.context["form"].errors)
    assert not get_document_model().objects.exists()


def test_zip_bomb_is_refused(admin):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("zeros.bin", b"\x00" * (2 * 1024 * 1024))
    with override_settings(PORTAL_ARCHIVE_MAX_UNCOMPRESSED=1024 * 1024):
        response = upload_document(admin, "bomb.zip", buf.getvalue())
    assert response.status_code == 200 and "too much data" in str(response.context["form"].errors)


def upload_image(client, name, content):
    return client.post(
        reverse("wagtailimages:add"),
        {"title": name, "file": SimpleUploadedFile(name, content, content_type="image/png"), "collection": 1},
    )


def test_images_good_bomb_oversized_and_disguised(admin):
    assert PILImage.MAX_IMAGE_PIXELS == 40_000_000  # Pillow's own limit follows the setting
    assert upload_image(admin, "ok.png", png_bytes()).status_code == 302
    response = upload_image(admin, "bomb.png", bomb_png())
    assert response.status_code == 200 and "pixels" in str(response.context["form"].errors)
    with override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=100):
        response = upload_image(admin, "big.png", png_bytes(64, 64))
    assert response.status_code == 200 and "too big" in str(response.context["form"].errors)
    response = upload_image(admin, "pdf.png", minimal_pdf())
    assert response.status_code == 200
    assert get_image_model().objects.count() == 1
