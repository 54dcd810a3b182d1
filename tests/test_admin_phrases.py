"""The admin's "Add …" and "Choose …" buttons say whole phrases, grammatical in Russian.

Wagtail builds them from a model's name ("Choose %(object)s"), which in Russian
leaves the noun in the nominative ("Выбрать организация"). Each page type's
form, each snippet list and chooser is checked in the Russian admin: our phrase
is there, and Wagtail's assembled one is not, wherever the two differ.
"""

import html as html_lib

import pytest
from django.apps import apps
from django.utils import translation
from django.utils.translation import gettext

from policies.models import PolicyIndexPage
from portal.core.panels import PhrasedInlinePanel
from portal.core.snippet_views import TrilingualSnippetViewSet
from projects.models import ProjectIndexPage, TrainingIndexPage
from tests.factories import publish, titled

pytestmark = pytest.mark.django_db


def wagtails_phrase(template, name):
    """What Wagtail would say, in the active language: "Выбрать организация"."""
    return gettext(template) % {"object": name, "label": name, "model_name": name}


def snippet_viewsets():
    from website.wagtail_hooks import ReferenceLists

    return [viewset for viewset in ReferenceLists.items if issubclass(viewset, TrilingualSnippetViewSet)]


def inline_panels(model):
    """The PhrasedInlinePanels of a page type's edit form."""
    found = []

    def walk(panel):
        if isinstance(panel, PhrasedInlinePanel):
            found.append(panel)
        for child in getattr(panel, "children", ()):
            walk(child)

    walk(model.get_edit_handler())
    return found


@pytest.fixture
def sections(home):
    return {
        "projects/projectpage": publish(home, ProjectIndexPage(**titled({"en": "Projects"}, "projects"))),
        "projects/trainingprogrammepage": publish(
            home, TrainingIndexPage(**titled({"en": "Training"}, "training"))
        ),
        "policies/policydocumentpage": publish(
            home, PolicyIndexPage(**titled({"en": "Policies"}, "policies"))
        ),
    }


def russian_page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return html_lib.unescape(response.content.decode())


def test_every_inline_add_button_is_a_whole_phrase_in_russian(admin_in, sections):
    client = admin_in("ru")
    checked = 0
    for path, parent in sections.items():
        page = russian_page(client, f"/admin/pages/add/{path}/{parent.pk}/")
        for panel in inline_panels(apps.get_model(parent.specific_class.child_page_model)):
            with translation.override("ru"):
                ours = str(panel.add_label)
                theirs = wagtails_phrase("Add %(label)s", panel.label)
            assert ours in page, (path, ours)
            if ours != theirs:
                assert theirs not in page, (path, theirs)
            checked += 1
    assert checked >= 8  # every inline panel of projects, trainings and policy documents
    policy_form = russian_page(
        client, f"/admin/pages/add/policies/policydocumentpage/{sections['policies/policydocumentpage'].pk}/"
    )
    assert "Добавить файл" in policy_form and "Добавить Файлы" not in policy_form


def test_every_snippet_chooser_button_is_a_whole_phrase_in_russian(admin_in, sections):
    client = admin_in("ru")
    forms = "".join(
        russian_page(client, f"/admin/pages/add/{path}/{parent.pk}/") for path, parent in sections.items()
    )
    forms += russian_page(client, "/admin/snippets/vocab/concept/add/")  # its "broader concept" chooser
    assert "Выбрать организацию" in forms and "Выбрать организация" not in forms
    for viewset in snippet_viewsets():
        model = viewset.model
        with translation.override("ru"):
            name = str(model._meta.verbose_name)
            pairs = [
                (viewset.phrases.choose, "Choose %(object)s"),
                (viewset.phrases.choose_another, "Choose another %(object)s"),
                (viewset.phrases.edit, "Edit this %(object)s"),
            ]
            pairs = [(str(ours), wagtails_phrase(template, name)) for ours, template in pairs]
        for ours, theirs in pairs:
            if ours != theirs:
                assert theirs not in forms, theirs


def test_every_snippet_list_and_chooser_names_its_object_in_russian(admin_in):
    client = admin_in("ru")
    for viewset in snippet_viewsets():
        model = viewset.model
        base = f"/admin/snippets/{model._meta.app_label}/{model._meta.model_name}/"
        listing = russian_page(client, base)
        chooser = client.get(
            f"/admin/snippets/choose/{model._meta.app_label}/{model._meta.model_name}/"
        ).json()
        with translation.override("ru"):
            name = str(model._meta.verbose_name)
            add, choose = str(viewset.phrases.add), str(viewset.phrases.choose)
            wrong_add = wagtails_phrase("Add %(model_name)s", name)
        assert add in listing, add
        assert choose in chooser["html"], choose
        if add.lower() != wrong_add.lower():
            assert wrong_add.lower() not in listing.lower(), wrong_add


def test_every_snippet_add_form_is_headed_with_its_own_phrase_in_russian(admin_in):
    client = admin_in("ru")
    for viewset in snippet_viewsets():
        model = viewset.model
        page = russian_page(client, f"/admin/snippets/{model._meta.app_label}/{model._meta.model_name}/add/")
        with translation.override("ru"):
            ours = str(viewset.phrases.new)
            theirs = wagtails_phrase("New: %(model_name)s", str(model._meta.verbose_name))
        assert ours in page, ours
        assert theirs not in page, theirs
