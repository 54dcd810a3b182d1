from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Ground floor: languages, taxonomy, blocks and base page mixins.

    Nothing here imports the content, search or home apps.
    """

    name = "portal.core"
    label = "core"
    verbose_name = _("Core")
