"""Admin additions of the ground floor: the trilingual edit form and the "Missing translations" report."""

from django.contrib import messages
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, json_script
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from portal import languages
from portal.core import admin_language
from portal.core.admin_views import MissingTranslationsView


def translated_form_fields():
    """{"title_ru": "ru", …}: every translation column of every model, and its language."""
    from modeltranslation.translator import translator

    fields = {}
    for model in translator.get_registered_models():
        for name in translator.get_options_for_model(model).all_fields:
            for code in languages.LANGUAGE_CODES:
                fields[languages.localized_field(name, code)] = code
    return fields


def _drop_modeltranslation_stream_copy():
    """wagtail-modeltranslation's "Copy content from" buttons: English-only, and they copy one
    language's text into another, which editors must do by writing, not by a click."""
    registered = hooks._hooks.get("insert_editor_js", [])
    registered[:] = [entry for entry in registered if entry[0].__name__ != "streamfields_translation_copy"]


_drop_modeltranslation_stream_copy()


@hooks.register("insert_editor_js")
def translation_form_js():
    config = {
        "fields": translated_form_fields(),
        "languages": languages.LANGUAGES,
        "names": {code: str(languages.interface_language_name(code)) for code in languages.LANGUAGE_CODES},
        "editorLanguage": get_language(),
        "strings": {
            "picker": _("Languages shown"),
            "missing": _("not written yet"),
            "translateFrom": _("Translate from"),
            "noSource": _("(no source)"),
            "source": _("Source text in %(language)s, read-only"),
            "empty": _("(empty)"),
        },
    }
    return json_script(config, "portal-l10n") + format_html(
        '<script defer src="{}"></script>', static("core/admin/translation_form.js")
    )


@hooks.register("insert_global_admin_css")
def translation_form_css():
    return format_html('<link rel="stylesheet" href="{}">', static("core/admin/translation_form.css"))


@hooks.register("register_admin_urls")
def register_missing_translations_url():
    return [
        path("reports/missing-translations/", MissingTranslationsView.as_view(), name="missing_translations"),
        path(
            "reports/missing-translations/results/",
            MissingTranslationsView.as_view(results_only=True),
            name="missing_translations_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_missing_translations_menu_item():
    return MenuItem(
        gettext_lazy("Missing translations"),
        reverse("missing_translations"),
        name="missing-translations",
        icon_name="globe",
    )


@hooks.register("construct_homepage_summary_items", order=100)  # after Wagtail's own items
def name_the_site_in_the_admin_language(request, items):
    items[:] = [admin_language.SiteNamedInAdminLanguage(item) for item in items]


@hooks.register("insert_global_admin_js")
def admin_language_js():
    return json_script(admin_language.template_strings(), "portal-admin-language") + format_html(
        '<script defer src="{}"></script>', static("core/admin/admin_language.js")
    )


@hooks.register("before_edit_page")
def warn_when_go_live_has_passed(request, page):
    """A page due to go live that is not live means scheduled publishing is not running: say so."""
    if request.method != "GET":
        return None
    revision = page.scheduled_revision
    if revision is None or revision.approved_go_live_at is None:
        return None
    if revision.approved_go_live_at >= timezone.now():
        return None
    local = timezone.localtime(revision.approved_go_live_at)
    messages.warning(
        request,
        _(
            "This page was due to go live at %(time)s and is not live yet: scheduled publishing "
            "is not running. Ask the portal's administrator to start it (command: %(command)s)."
        )
        # The time names its zone (portal/formats); the command is the same in every language.
        % {"time": formats.date_format(local, "DATETIME_FORMAT"), "command": "manage.py run_scheduler"},
    )
    return None
