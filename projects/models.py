"""Cooperation projects and training programmes, with their index pages.

Field choices follow what partners' systems use: IATI activity status, roles
(funding, implementing, partner) and ISO 4217 budget currencies for projects;
a UNITAR-style catalogue (series, sessions, audience, eligibility, places)
for training. Every reader-facing text field is translated (translation.py).
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.fields import RichTextField
from wagtail.models import Orderable
from wagtail.search import index

from portal import languages
from portal.core.content_types import COUNTRIES, THEMES, YEARS, ContentTypeOptions, choice, listing_index
from portal.core.listing import IndexPage
from portal.core.models import last_updated_field
from portal.core.pages import ContentPage
from portal.core.panels import PhrasedInlinePanel

# BCP 47 primary language subtags (optionally with a region/script): "kk", "zh-hans", "en-gb".
LANGUAGE_CODE_RE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")


class StatusFromDatesMixin:
    """A status that cannot contradict the dates: "completed" once the end date has passed.

    The dates decide whenever they are known: before the start date the item is
    planned (a training may also be open for applications), between the dates
    it is ongoing, after the end date completed. The editor's choice counts
    only where no date decides. The stored ``status`` column (lists, facets,
    the API) is checked on save and in the importer (``validate_values``);
    ``current_status`` is what readers see, right even on the day a date passes,
    and ``manage.py update_statuses`` (daily, from cron) moves the stored
    column on when time does.
    """

    STATUSES_BEFORE_START = ("planned",)

    def statuses_for_dates(self, today=None):
        """The statuses the dates allow today, the likeliest first; empty when no date decides."""
        today = today or timezone.localdate()
        if self.end_date and self.end_date < today:
            return ("completed",)
        if self.start_date and self.start_date > today:
            return self.STATUSES_BEFORE_START
        if self.start_date:
            return ("ongoing",)
        return ()

    def status_from_dates(self, today=None):
        """The status the dates imply (the stored one if they allow it), or None without dates."""
        allowed = self.statuses_for_dates(today)
        if not allowed:
            return None
        return self.status if self.status in allowed else allowed[0]

    @property
    def current_status(self):
        return self.status_from_dates() or self.status

    def get_current_status_display(self):
        return dict(self.Status.choices).get(self.current_status, self.current_status)

    def status_errors(self):
        """``{"status": message}`` when the stored status contradicts the dates, else ``{}``."""
        allowed = self.statuses_for_dates()
        if not allowed or self.status in allowed:
            return {}
        labels = dict(self.Status.choices)
        wanted = " / ".join(f"“{labels[s]}”" for s in allowed)
        if allowed == ("completed",):
            message = _("It ended on %(date)s, so its status is %(status)s.")
            when = self.end_date
        elif self.start_date > timezone.localdate():
            message = _("It starts on %(date)s, so its status is %(status)s until then.")
            when = self.start_date
        else:
            message = _(
                "It started on %(date)s and has no past end date, so its status is %(status)s "
                "(give the end date if it has ended)."
            )
            when = self.start_date
        return {"status": message % {"date": date_format(when, "DATE_FORMAT"), "status": wanted}}


# --- Shared inline parts ------------------------------------------------------


class Attachment(Orderable):
    """A document attached to a page, with the language it is written in."""

    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("document"), on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(
        _("language of the document"), max_length=10, choices=languages.DOCUMENT_LANGUAGES
    )

    panels = [FieldRowPanel([FieldPanel("document"), FieldPanel("language")])]

    class Meta(Orderable.Meta):
        abstract = True


# --- Projects -------------------------------------------------------------------


class CurrencyCodeField(models.CharField):
    """An ISO 4217 code, stored in capitals whoever typed it: "usd" from the admin or an import is USD.

    ``to_python`` runs in every model validation (the admin's form, the importer's
    ``full_clean``) before the validators, so the code is uppercased before it is checked.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return value.strip().upper() if value else value


class ProjectPage(StatusFromDatesMixin, ContentPage):
    """A cooperation project (pilot, demonstration, joint research, platform)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")

    type_options = ContentTypeOptions(
        import_name="project",
        api_name="projects",
        listing_date="start_date",
        facets=(COUNTRIES, THEMES, choice("status", index_field="status"), YEARS),
        nav_order=10,
        feed=True,
        import_fields=(
            "status",
            "start_date",
            "end_date",
            "budget_amount",
            "budget_currency",
            "latitude",
            "longitude",
        ),
        optional_fields=("place_name", "results"),
    )

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ONGOING)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    budget_amount = models.DecimalField(
        _("budget"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    budget_currency = CurrencyCodeField(
        _("currency"),
        max_length=3,
        blank=True,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code, e.g. USD or CNY."))],
        help_text=_("ISO 4217 code, e.g. USD, CNY, RUB, KZT."),
    )
    place_name = models.CharField(_("place"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    results = RichTextField(
        _("results and outcomes"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    related_trainings = ParentalManyToManyField(
        "projects.TrainingProgrammePage",
        verbose_name=_("related training programmes"),
        blank=True,
        related_name="related_projects",
    )

    content_panels = ContentPage.content_panels + [
        MultiFieldPanel(
            [FieldPanel("status"), FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")])],
            heading=_("Status and dates"),
        ),
        PhrasedInlinePanel(
            "organisations",
            heading=_("Participating organisations"),
            label=_("organisation"),
            add_label=_("Add an organisation"),
        ),
        FieldRowPanel([FieldPanel("budget_amount"), FieldPanel("budget_currency")], heading=_("Budget")),
        MultiFieldPanel(
            [FieldPanel("place_name"), FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")])],
            heading=_("Location"),
        ),
        FieldPanel("results"),
        PhrasedInlinePanel(
            "documents", heading=_("Documents"), label=_("document"), add_label=_("Add a document")
        ),
        PhrasedInlinePanel(
            "policy_links",
            heading=_("Related policy documents"),
            label=_("policy document"),
            add_label=_("Add a policy document"),
        ),
        FieldPanel("related_trainings"),
        *ContentPage.taxonomy_panels,
    ]
    search_fields = ContentPage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("results"),
        index.SearchField("place_name"),
        index.FilterField("status"),
        index.FilterField("start_date"),
    ]

    parent_page_types = ["projects.ProjectIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("cooperation project")
        verbose_name_plural = _("cooperation projects")
        indexes = [listing_index("start_date", "project_listing")]

    def validate_values(self):
        """Rules on the project's own values (ContentPage.clean() and the importer call this)."""
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.budget_currency:
            self.budget_currency = self.budget_currency.upper()
        if self.budget_amount is not None and not self.budget_currency:
            errors["budget_currency"] = _("Give the currency of the budget.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude" if self.longitude is None else "latitude"] = _(
                "Give both latitude and longitude, or neither."
            )
        if "end_date" not in errors:
            errors.update(self.status_errors())
        if errors:
            raise ValidationError(errors)

    def live_policy_documents(self):
        return [link.policy.specific for link in self.policy_links.all() if link.policy and link.policy.live]

    def live_trainings(self):
        return [t for t in self.related_trainings.all() if t.live]


class ProjectOrganisation(Orderable):
    class Role(models.TextChoices):
        FUNDING = "funding", _("Funding")
        IMPLEMENTING = "implementing", _("Implementing")
        PARTNER = "partner", _("Partner")

    page = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="organisations")
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="project_roles",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTNER)

    panels = [FieldRowPanel([FieldPanel("organisation"), FieldPanel("role")])]

    class Meta(Orderable.Meta):
        verbose_name = _("participating organisation")
        verbose_name_plural = _("participating organisations")


class ProjectDocument(Attachment):
    page = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="documents")

    class Meta(Attachment.Meta):
        verbose_name = _("project document")
        verbose_name_plural = _("project documents")


class ProjectPolicyLink(Orderable):
    page = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="policy_links")
    policy = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("policy document"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("policy", page_type="policies.PolicyDocumentPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("related policy document")
        verbose_name_plural = _("related policy documents")


class ProjectIndexPage(IndexPage):
    child_page_model = "projects.ProjectPage"
    parent_page_types = ["home.HomePage"]
    subpage_types = ["projects.ProjectPage"]
    max_count = 1

    class Meta:
        verbose_name = _("project index")


# --- Training --------------------------------------------------------------------


class ProgrammeSeries(index.Indexed, models.Model):
    """A named series training programmes belong to, e.g. the Green Silk Road Envoys Programme."""

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    last_updated = last_updated_field()

    panels = [FieldPanel("slug"), FieldPanel("name"), FieldPanel("description"), FieldPanel("website")]
    search_fields = [index.SearchField("name"), index.FilterField("slug")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme series")
        verbose_name_plural = _("programme series")

    def __str__(self):
        return self.name or self.slug


class TrainingProgrammePage(StatusFromDatesMixin, ContentPage):
    """A training course, workshop or seminar, held in one or more sessions."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open for applications")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")

    STATUSES_BEFORE_START = ("planned", "open")  # may be open for applications before it starts
    type_options = ContentTypeOptions(
        import_name="training",
        api_name="trainings",
        listing_date="start_date",
        facets=(COUNTRIES, THEMES, choice("status", index_field="status"), YEARS),
        nav_order=20,
        import_fields=("status", "start_date", "end_date"),
        optional_fields=("target_audience", "eligibility"),
    )

    series = models.ForeignKey(
        ProgrammeSeries,
        verbose_name=_("programme series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programmes",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    start_date = models.DateField(
        _("start date"),
        null=True,
        blank=True,
        help_text=_("Filled in from the first session when the programme has sessions."),
    )
    end_date = models.DateField(
        _("end date"),
        null=True,
        blank=True,
        help_text=_("Filled in from the last session when the programme has sessions."),
    )
    target_audience = models.TextField(_("target audience"), blank=True)
    eligibility = models.TextField(_("eligibility"), blank=True)
    organisers = ParentalManyToManyField(
        "core.Organisation", verbose_name=_("organisers"), blank=True, related_name="organised_trainings"
    )

    content_panels = ContentPage.content_panels + [
        MultiFieldPanel([FieldPanel("series"), FieldPanel("status")], heading=_("Programme")),
        PhrasedInlinePanel(
            "sessions", heading=_("Sessions"), label=_("session"), add_label=_("Add a session")
        ),
        MultiFieldPanel(
            [FieldPanel("target_audience"), FieldPanel("eligibility")], heading=_("Who can apply")
        ),
        FieldPanel("organisers"),
        PhrasedInlinePanel(
            "participants",
            heading=_("Participants by country"),
            label=_("country"),
            add_label=_("Add a country"),
        ),
        PhrasedInlinePanel(
            "materials", heading=_("Materials"), label=_("document"), add_label=_("Add a document")
        ),
        *ContentPage.taxonomy_panels,
    ]
    search_fields = ContentPage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("target_audience"),
        index.FilterField("status"),
        index.FilterField("start_date"),
    ]

    parent_page_types = ["projects.TrainingIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")
        indexes = [listing_index("start_date", "training_listing")]

    def sync_dates(self):
        """Start and end follow the sessions (kept as columns so lists sort and filter by them)."""
        sessions = list(self.sessions.all())
        starts = [s.start_date for s in sessions if s.start_date]
        ends = [s.end_date or s.start_date for s in sessions if s.end_date or s.start_date]
        if starts:
            self.start_date = min(starts)
        if ends:
            self.end_date = max(ends)

    def clean(self):
        self.sync_dates()
        super().clean()  # ContentPage.clean() runs validate_values()

    def validate_values(self):
        """Rules on the programme's own values (ContentPage.clean() and the importer call this)."""
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
        errors = self.status_errors()
        if errors:
            raise ValidationError(errors)

    def statuses_for_dates(self, today=None):
        """As for projects; before the start "open" comes first while an application deadline is ahead."""
        allowed = super().statuses_for_dates(today)
        if allowed == self.STATUSES_BEFORE_START and self._applications_open(today):
            return ("open", "planned")
        return allowed

    def _applications_open(self, today=None):
        today = today or timezone.localdate()
        deadlines = [s.application_deadline for s in self.sessions.all() if s.application_deadline]
        return any(d >= today for d in deadlines)

    def save(self, *args, **kwargs):
        self.sync_dates()
        return super().save(*args, **kwargs)

    def total_participants(self):
        return sum(p.count for p in self.participants.all())

    def live_projects(self):
        return ProjectPage.objects.live().filter(related_trainings=self).distinct()


class TrainingSession(Orderable):
    page = ParentalKey(TrainingProgrammePage, on_delete=models.CASCADE, related_name="sessions")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.ForeignKey(
        "core.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    online = models.BooleanField(_("online"), default=False)
    languages = models.CharField(
        _("languages"),
        max_length=100,
        blank=True,
        help_text=_("Language codes separated by commas, e.g. zh-hans, ru, en, kk."),
    )
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    application_deadline = models.DateField(_("application deadline"), null=True, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("venue"),
        FieldRowPanel([FieldPanel("city"), FieldPanel("country"), FieldPanel("online")]),
        FieldRowPanel([FieldPanel("languages"), FieldPanel("capacity"), FieldPanel("application_deadline")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def language_codes(self):
        return [c.strip().lower() for c in re.split(r"[,\s]+", self.languages or "") if c.strip()]

    def language_labels(self):
        return [(code, languages.document_language_name(code)) for code in self.language_codes()]

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        bad = [c for c in self.language_codes() if not LANGUAGE_CODE_RE.match(c)]
        if bad:
            errors["languages"] = _("Not a language code: %(codes)s") % {"codes": ", ".join(bad)}
        else:
            self.languages = ", ".join(self.language_codes())
        if self.application_deadline and self.start_date and self.application_deadline > self.start_date:
            errors["application_deadline"] = _("The application deadline must be before the session starts.")
        if errors:
            raise ValidationError(errors)


class TrainingParticipants(Orderable):
    page = ParentalKey(TrainingProgrammePage, on_delete=models.CASCADE, related_name="participants")
    country = models.ForeignKey(
        "core.Country", verbose_name=_("country"), on_delete=models.CASCADE, related_name="+"
    )
    count = models.PositiveIntegerField(_("participants"))

    panels = [FieldRowPanel([FieldPanel("country"), FieldPanel("count")])]

    class Meta(Orderable.Meta):
        verbose_name = _("participants from a country")
        verbose_name_plural = _("participants by country")


class TrainingMaterial(Attachment):
    page = ParentalKey(TrainingProgrammePage, on_delete=models.CASCADE, related_name="materials")

    class Meta(Attachment.Meta):
        verbose_name = _("training material")
        verbose_name_plural = _("training materials")


class TrainingIndexPage(IndexPage):
    child_page_model = "projects.TrainingProgrammePage"
    parent_page_types = ["home.HomePage"]
    subpage_types = ["projects.TrainingProgrammePage"]
    max_count = 1

    class Meta:
        verbose_name = _("training index")
