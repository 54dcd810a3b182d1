from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """Top floor: the reader's site (home page, sections, country pages, figures, feeds, sitemap)."""

    name = "website"
    label = "home"
    verbose_name = _("Home")

    def ready(self):
        from website import signals

        signals.connect()
