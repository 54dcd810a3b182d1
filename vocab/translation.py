"""Which vocabulary fields exist in every language (modeltranslation)."""

from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import Concept, Place


@register(Concept)
class ConceptTR(TranslationOptions):
    fields = ("pref_label", "alt_labels")


@register(Place)
class PlaceTR(TranslationOptions):
    fields = ("pref_label", "alt_labels")
