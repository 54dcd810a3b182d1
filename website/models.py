from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from portal.core.listing import content_language
from portal.core.pages import TranslatedTitleMixin


class HomePage(TranslatedTitleMixin, Page):
    """The site root: what the platform is, and the latest of each content type."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from website.sections import sections  # the sections read the models registry

        context = super().get_context(request, *args, **kwargs)
        language = content_language(request.GET)
        context["content_language"] = language
        context["sections"] = [
            {"section": s, "items": list(s.latest(limit=4, language=language))} for s in sections(request)
        ]
        return context
