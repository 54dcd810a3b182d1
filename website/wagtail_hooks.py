"""The admin menu's "Reference lists": every app's snippets under one heading.

The viewsets live with their models' apps (``portal/core/viewsets.py``,
``vocab/viewsets.py``, ``projects/viewsets.py``); this top-floor module only
groups them, so no app imports another to build the menu.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from portal.core.viewsets import CountryViewSet, OrganisationViewSet, ThemeViewSet
from projects.viewsets import ProgrammeSeriesViewSet
from vocab.viewsets import ConceptViewSet, LearntPairingViewSet, PlaceViewSet


class ReferenceLists(SnippetViewSetGroup):
    menu_label = _("Reference lists")
    menu_icon = "folder-open-inverse"
    menu_order = 250
    items = (
        OrganisationViewSet,
        CountryViewSet,
        ThemeViewSet,
        PlaceViewSet,
        ConceptViewSet,
        ProgrammeSeriesViewSet,
        LearntPairingViewSet,
    )


@hooks.register("register_admin_viewset")
def register_reference_lists():
    return ReferenceLists()
