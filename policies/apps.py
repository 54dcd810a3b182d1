from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    """Policy documents: laws, strategies, plans, notices, standards, agreements."""

    name = "policies"
    verbose_name = _("Policy documents")
