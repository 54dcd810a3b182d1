from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Top floor: setting up, importing, demo content, backup and restore."""

    name = "operations"
    verbose_name = _("Operations")
