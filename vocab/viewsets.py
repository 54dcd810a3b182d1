"""The thesaurus and gazetteer in the admin (see ``portal.core.snippet_views``)."""

from django.utils.translation import gettext_lazy as _

from portal.core.snippet_views import ObjectPhrases, TrilingualSnippetViewSet
from vocab.models import Concept, Place


class ConceptViewSet(TrilingualSnippetViewSet):
    model = Concept
    icon = "list-ul"
    phrases = ObjectPhrases(
        add=_("Add a concept"),
        choose=_("Choose a concept"),
        choose_another=_("Choose another concept"),
        edit=_("Edit this concept"),
        new=_("New concept"),
    )
    name_field = "pref_label"
    search_in = ("pref_label", "alt_labels", "identifier")
    list_display = ["pref_label", "identifier", "broader"]
    list_filter = ["themes"]


class PlaceViewSet(TrilingualSnippetViewSet):
    model = Place
    icon = "site"
    phrases = ObjectPhrases(
        add=_("Add a gazetteer place"),
        choose=_("Choose a gazetteer place"),
        choose_another=_("Choose another gazetteer place"),
        edit=_("Edit this gazetteer place"),
        new=_("New gazetteer place"),
    )
    name_field = "pref_label"
    search_in = ("pref_label", "alt_labels", "identifier")
    list_display = ["pref_label", "kind", "country", "identifier"]
    list_filter = ["kind", "country"]
