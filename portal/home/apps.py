from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """Top floor: the home page, country pages and site set-up commands."""

    name = "portal.home"
    label = "home"
    verbose_name = _("Home")

    def ready(self):
        from portal.home import signals

        signals.connect()
