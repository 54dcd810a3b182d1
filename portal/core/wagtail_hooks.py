"""Admin additions of the ground floor: the "Missing translations" report."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from portal.core.admin_views import MissingTranslationsView


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
        _("Missing translations"),
        reverse("missing_translations"),
        name="missing-translations",
        icon_name="globe",
    )
