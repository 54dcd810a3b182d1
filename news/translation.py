"""Which news fields exist in every language (modeltranslation)."""

from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from portal.core.pages import ContentPage

from .models import NewsIndexPage, NewsPage


@register(NewsIndexPage)
class NewsIndexPageTR(TranslationOptions):
    fields = ("intro",)


@register(NewsPage)
class NewsPageTR(TranslationOptions):
    fields = (*ContentPage.TRANSLATED_FIELDS, "place", "source")
