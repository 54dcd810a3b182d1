"""Taxonomy shared by every content type: countries, themes, organisations.

Labels are translated field by field (see translation.py). These are Wagtail
snippets, so editors manage them in the admin.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


def last_updated_field():
    """When anything shown of the object last changed: set on creation and every save (the API's delta sync).

    ``auto_now`` also fills it in ``bulk_create``; the migration that added it set existing rows.
    """
    return models.DateTimeField(_("last updated"), auto_now=True, db_index=True)


class Country(index.Indexed, models.Model):
    class Status(models.TextChoices):
        MEMBER = "member", _("Member state")
        OBSERVER = "observer", _("Observer state")
        DIALOGUE_PARTNER = "dialogue_partner", _("Dialogue partner")
        OTHER = "other", _("Other")

    code = models.CharField(
        _("ISO code"), max_length=2, unique=True, help_text=_("ISO 3166-1 alpha-2, e.g. KZ")
    )
    name = models.CharField(_("name"), max_length=100)
    sco_status = models.CharField(_("SCO status"), max_length=20, choices=Status.choices)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    last_updated = last_updated_field()

    panels = [FieldPanel("code"), FieldPanel("name"), FieldPanel("sco_status"), FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.FilterField("code")]

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.name or self.code

    def save(self, *args, **kwargs):
        self.code = self.code.upper()
        super().save(*args, **kwargs)


class Theme(index.Indexed, models.Model):
    slug = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    last_updated = last_updated_field()

    panels = [FieldPanel("slug"), FieldPanel("name"), FieldPanel("description"), FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.FilterField("slug")]

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.name or self.slug


class Organisation(index.Indexed, models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        AGENCY = "agency", _("Government agency")
        CENTRE = "centre", _("Centre or institute")
        UNIVERSITY = "university", _("University")
        COMPANY = "company", _("Company")
        INTERNATIONAL = "international", _("International organisation")
        NGO = "ngo", _("Non-governmental organisation")

    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
        help_text=_("Leave empty for international organisations."),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    website = models.URLField(_("website"), blank=True)
    external_id = models.CharField(
        _("external ID"),
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Stable identifier used by imports and partners' systems."),
    )
    identifier = models.CharField(
        _("organisation identifier"),
        max_length=100,
        blank=True,
        validators=[RegexValidator(r"^[^/&|?]+$", _("An identifier cannot contain / & | or ?."))],
        help_text=_("Its IATI organisation identifier, e.g. XM-DAC-41114 or KZ-BIN-123456789012."),
    )
    last_updated = last_updated_field()

    panels = [
        FieldPanel("name"),
        FieldPanel("acronym"),
        FieldPanel("country"),
        FieldPanel("kind"),
        FieldPanel("identifier"),
        FieldPanel("website"),
        FieldPanel("external_id"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("acronym")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        if self.acronym:
            return f"{self.name} ({self.acronym})"
        return self.name


class TranslationGaps(models.Model):
    """The languages a page still lacks, kept beside it: the "Missing translations" report's filter.

    Computed by ``portal.core.translation_gaps`` from the page's row whenever
    Wagtail saves the page's content; a page without a row is unknown and is
    computed before the report filters (bulk imports leave them so). Asking
    every page for its gaps on each request read all 100,000 pages (minutes).
    """

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    # The codes of the missing languages between spaces (" en ru "), so one LIKE finds a language.
    missing = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("translation gaps")

    def __str__(self):
        return f"{self.page_id}: {self.missing.strip() or '-'}"
