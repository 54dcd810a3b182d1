"""Programme series in the admin (see ``portal.core.snippet_views``)."""

from django.utils.translation import gettext_lazy as _

from portal.core.snippet_views import ObjectPhrases, TrilingualSnippetViewSet
from projects.models import ProgrammeSeries


class ProgrammeSeriesViewSet(TrilingualSnippetViewSet):
    model = ProgrammeSeries
    icon = "calendar-alt"
    phrases = ObjectPhrases(
        add=_("Add a programme series"),
        choose=_("Choose a programme series"),
        choose_another=_("Choose another programme series"),
        edit=_("Edit this programme series"),
        new=_("New programme series"),
    )
    search_in = ("name", "slug")
    list_display = ["name", "slug", "website"]
