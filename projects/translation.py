"""Which project and training fields exist in every language (modeltranslation).

Pages register ``TRANSLATED_FIELDS`` (the ContentPage base's plus their own);
``title`` and ``slug`` come from Page, registered by wagtail_modeltranslation.
"""

from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

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
    fields = ProjectPage.TRANSLATED_FIELDS


@register(TrainingProgrammePage)
class TrainingProgrammePageTR(TranslationOptions):
    fields = TrainingProgrammePage.TRANSLATED_FIELDS


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
