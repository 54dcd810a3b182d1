"""Which taxonomy fields exist in every language (modeltranslation)."""

from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import Country, Organisation, Theme


@register(Country)
class CountryTR(TranslationOptions):
    fields = ("name",)


@register(Theme)
class ThemeTR(TranslationOptions):
    fields = ("name", "description")


@register(Organisation)
class OrganisationTR(TranslationOptions):
    fields = ("name", "acronym")
