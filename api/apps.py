from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The partners' read API under ``/api/v1/`` and ``/api/search/`` (top floor: nothing imports it)."""

    name = "api"
    label = "api"
    verbose_name = _("API for partners")

    def ready(self):
        from api import signals

        signals.connect()
