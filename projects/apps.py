from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """Cooperation projects and training programmes."""

    name = "projects"
    verbose_name = _("Projects and training")
