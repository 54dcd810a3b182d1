"""Which project and training fields exist in every language (modeltranslation).

The one list of each type's translated fields: the base's
(``ContentPage.TRANSLATED_FIELDS``) plus its own; ``title`` and ``slug`` come
from Page, registered by wagtail_modeltranslation. Everything else reads it
back from modeltranslation (``type_options.translated_fields``).
"""

from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from portal.core.pages import ContentPage

from .models import (
    ProgrammeSeries,
    ProjectIndexPage,
    ProjectPage,
    TrainingIndexPage,
    TrainingProgrammePage,
    TrainingSession,
)


@register(ProjectPage)
class ProjectPageTR(TranslationOptions):
    fields = (*ContentPage.TRANSLATED_FIELDS, "place_name", "results")


@register(TrainingProgrammePage)
class TrainingProgrammePageTR(TranslationOptions):
    fields = (*ContentPage.TRANSLATED_FIELDS, "target_audience", "eligibility")


@register(ProjectIndexPage)
class ProjectIndexPageTR(TranslationOptions):
    fields = ("intro",)


@register(TrainingIndexPage)
class TrainingIndexPageTR(TranslationOptions):
    fields = ("intro",)


@register(ProgrammeSeries)
class ProgrammeSeriesTR(TranslationOptions):
    fields = ("name", "description")


@register(TrainingSession)
class TrainingSessionTR(TranslationOptions):
    fields = ("venue", "city")
