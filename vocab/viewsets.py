"""Thesaurus and gazetteer in the admin (``portal.core.snippet_views``); learnt pairings, read-only."""

from django.utils import formats, translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet

from portal import languages
from portal.core.snippet_views import ObjectPhrases, TrilingualSnippetViewSet
from vocab.models import Concept, LearntPairing, Place


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


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Nobody adds, edits or deletes a learnt pairing: ``search.pairings`` writes them, editors read them."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete", "copy", "lock", "unlock", "publish"):
            return False
        return super().user_has_permission(user, action)


class ExamplesColumn(Column):
    """The titles of the items a pairing was learnt from, in the editor's language (or a fallback)."""

    def get_value(self, instance):
        ids = [pk for pk in instance.examples or [] if isinstance(pk, int)]
        active = translation.get_language() or ""
        code = active if active in languages.LANGUAGE_CODES else languages.DEFAULT_LANGUAGE
        chain = languages.fallback_chain(code)
        fields = {c: languages.localized_field("title", c) for c in chain}
        rows = Page.objects.filter(pk__in=ids).values("pk", *fields.values())
        titles = {row["pk"]: _title_as_read(row, fields, code) for row in rows}
        return "; ".join(titles.get(pk) or f"#{pk}" for pk in ids)


def _title_as_read(row, fields, code):
    """The title in the editor's language, or the first fallback with "(shown in Russian)" after it."""
    for lang, field in fields.items():
        if row[field]:
            return row[field] if lang == code else f"{row[field]} ({languages.shown_in(lang)})"
    return ""


class ScoreColumn(Column):
    """The Dice score with two decimals in the editor's number format: "0,67", not "0,6667" beside "1,0"."""

    def get_value(self, instance):
        return formats.number_format(round(instance.score, 2), 2)  # number_format cuts, not rounds


class LearntPairingViewSet(SnippetViewSet):
    """The pairings search learnt from the items in several languages, read-only, with their items."""

    model = LearntPairing
    icon = "resubmit"
    menu_label = _("Learnt pairings")
    list_per_page = 50
    inspect_view_enabled = True
    # One column for the pair, with its languages named: readable on a phone too.
    list_display = [
        "__str__",
        "items",
        ScoreColumn("score", label=capfirst(_("score")), sort_key="score"),
        ExamplesColumn("examples", label=capfirst(_("example items"))),
    ]
    list_filter = ["language", "other_language"]
    search_fields = None

    def get_queryset(self, request):
        return LearntPairing.objects.order_by("-items", "language", "term", "other_term")


register_permission_policy(LearntPairing, ReadOnlyPolicy(LearntPairing))
