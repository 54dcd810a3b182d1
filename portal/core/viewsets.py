"""The taxonomy snippets in the admin: countries, themes, organisations (see ``snippet_views``)."""

from django.utils.translation import gettext_lazy as _

from portal.core.models import Country, Organisation, Theme
from portal.core.snippet_views import ObjectPhrases, TrilingualSnippetViewSet


class CountryViewSet(TrilingualSnippetViewSet):
    model = Country
    icon = "globe"
    phrases = ObjectPhrases(
        add=_("Add a country"),
        choose=_("Choose a country"),
        choose_another=_("Choose another country"),
        edit=_("Edit this country"),
        new=_("New country"),
    )
    search_in = ("name", "code")
    list_display = ["name", "code", "sco_status"]
    list_filter = ["sco_status"]


class ThemeViewSet(TrilingualSnippetViewSet):
    model = Theme
    icon = "tag"
    phrases = ObjectPhrases(
        add=_("Add a theme"),
        choose=_("Choose a theme"),
        choose_another=_("Choose another theme"),
        edit=_("Edit this theme"),
        new=_("New theme"),
    )
    search_in = ("name", "slug")
    list_display = ["name", "slug"]


class OrganisationViewSet(TrilingualSnippetViewSet):
    model = Organisation
    icon = "group"
    phrases = ObjectPhrases(
        add=_("Add an organisation"),
        choose=_("Choose an organisation"),
        choose_another=_("Choose another organisation"),
        edit=_("Edit this organisation"),
        new=_("New organisation"),
    )
    search_in = ("name", "acronym", "external_id", "identifier")
    list_display = ["name", "acronym", "kind", "country"]
    list_filter = ["kind", "country"]
