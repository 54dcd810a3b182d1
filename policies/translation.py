"""Which policy fields exist in every language (modeltranslation)."""

from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from portal.core.pages import ContentPage

from .models import PolicyAttachment, PolicyDocumentPage, PolicyIndexPage


@register(PolicyIndexPage)
class PolicyIndexPageTR(TranslationOptions):
    fields = ("intro",)


@register(PolicyDocumentPage)
class PolicyDocumentPageTR(TranslationOptions):
    fields = (*ContentPage.TRANSLATED_FIELDS, "issuing_body")


@register(PolicyAttachment)
class PolicyAttachmentTR(TranslationOptions):
    fields = ("label",)
