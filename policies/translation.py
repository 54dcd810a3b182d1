"""Which policy fields exist in every language (modeltranslation)."""

from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import PolicyAttachment, PolicyDocumentPage, PolicyIndexPage


@register(PolicyIndexPage)
class PolicyIndexPageTR(TranslationOptions):
    fields = ("intro",)


@register(PolicyDocumentPage)
class PolicyDocumentPageTR(TranslationOptions):
    fields = PolicyDocumentPage.TRANSLATED_FIELDS


@register(PolicyAttachment)
class PolicyAttachmentTR(TranslationOptions):
    fields = ("label",)
