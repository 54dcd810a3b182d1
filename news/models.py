"""News and events, in one list.

One page type with a ``kind`` (news or event) rather than two: both have a
title, summary, body, countries and themes and are read in the same stream; an
event only adds an end date and a place. One model keeps one index, one import
type and one template, and the list can still be narrowed to events (the
``kind`` filter).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from portal.core.content_types import COUNTRIES, THEMES, YEARS, ContentTypeOptions, choice, listing_index
from portal.core.listing import IndexPage
from portal.core.pages import ContentPage


class NewsIndexPage(IndexPage):
    """The filterable list of news and events (kind, country, theme, year)."""

    child_page_model = "news.NewsPage"
    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.NewsPage"]
    max_count = 1

    class Meta:
        verbose_name = _("news list")


class NewsPage(ContentPage):
    """A news item or an event.

    ``date`` is the day a news item is dated, or the first day of an event;
    ``end_date`` and ``place`` are for events only.
    """

    type_options = ContentTypeOptions(
        import_name="news",  # events are news items of kind "event"
        api_name="news",
        listing_date="date",
        facets=(COUNTRIES, THEMES, choice("kind", api_param="type"), YEARS),
        nav_order=40,
        feed=True,
        import_fields=("kind", "date", "end_date", "place", "source", "source_url"),
        import_aliases={"start_date": "date"},
        optional_fields=("place", "source"),
    )

    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        EVENT = "event", _("Event")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NEWS)
    date = models.DateField(_("date"), default=datetime.date.today, help_text=_("For events: the first day."))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Events only: the last day, if not the first.")
    )
    place = models.CharField(
        _("place"), max_length=255, blank=True, help_text=_("Events only: city and venue, or “online”.")
    )
    source = models.CharField(
        _("source"), max_length=255, blank=True, help_text=_("Where the news was first published.")
    )
    source_url = models.URLField(_("source link"), blank=True)

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []

    content_panels = ContentPage.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldRowPanel([FieldPanel("date"), FieldPanel("end_date")]),
                FieldPanel("place"),
                FieldRowPanel([FieldPanel("source"), FieldPanel("source_url")]),
            ],
            heading=_("Date and place"),
        ),
        *ContentPage.taxonomy_panels,
    ]

    class Meta:
        verbose_name = _("news item or event")
        verbose_name_plural = _("news and events")
        indexes = [listing_index("date", "news_listing")]

    @property
    def is_event(self):
        return self.kind == self.Kind.EVENT

    @property
    def is_multi_day(self):
        return bool(self.is_event and self.end_date and self.end_date != self.date)

    def validate_values(self):
        """Rules on the item's own values (the importer calls this too)."""
        errors = {}
        if self.end_date and self.kind != self.Kind.EVENT:
            errors["end_date"] = _("Only events have an end date.")
        elif self.end_date and self.date and self.end_date < self.date:
            errors["end_date"] = _("An event cannot end before it starts.")
        if errors:
            raise ValidationError(errors)
