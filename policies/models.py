"""Policy documents (laws, strategies, notices, agreements…) and their index.

Field choices follow what legal databases such as FAOLEX and ECOLEX record for
a text: type, issuing body, number, jurisdiction, dates of issue and entry into
force, status, original language, files per language, and the links between
texts (a notice *implements* an opinion, a law is *amended by* another).
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Orderable

from portal import languages
from portal.core.content_types import COUNTRIES, THEMES, YEARS, ContentTypeOptions, choice, listing_index
from portal.core.listing import IndexPage
from portal.core.pages import ContentPage
from portal.core.panels import PhrasedInlinePanel


class PolicyIndexPage(IndexPage):
    """The filterable list of policy documents (type, status, country, theme, year)."""

    child_page_model = "policies.PolicyDocumentPage"
    parent_page_types = ["home.HomePage"]
    subpage_types = ["policies.PolicyDocumentPage"]
    max_count = 1

    class Meta:
        verbose_name = _("policy document list")


class PolicyDocumentPage(ContentPage):
    """One legal or policy text.

    The full text is the base ``body`` StreamField, not a separate rich-text
    field: it is already translated (``body_zh_hans``, ``body_en``, ``body_ru``),
    the importer fills it from a record's ``body``, search indexes it with every
    other content type's body, and its blocks (headings, tables, quotes,
    documents) are what legal texts are made of. ``summary`` is the abstract.
    """

    type_options = ContentTypeOptions(
        import_name="policy",
        api_name="policies",
        listing_date="date_issued",
        facets=(
            COUNTRIES,
            THEMES,
            choice("document_type", api_param="type"),
            choice("status", index_field="status"),
            YEARS,
        ),
        nav_order=30,
        feed=True,
        import_fields=(
            "document_type",
            "document_number",
            "scope",
            "date_issued",
            "date_in_force",
            "status",
            "original_language",
            "source_url",
            "issuing_body",  # translated: free text for bodies not in the Organisation taxonomy
        ),
        import_aliases={"document_date": "date_issued"},
        optional_fields=("issuing_body",),
    )

    class DocumentType(models.TextChoices):
        LAW = "law", _("Law")
        REGULATION = "regulation", _("Regulation")
        STRATEGY = "strategy", _("Strategy")
        PLAN = "plan", _("Plan or programme")
        NOTICE = "notice", _("Notice")
        STANDARD = "standard", _("Standard")
        AGREEMENT = "agreement", _("Agreement or treaty")
        OPINION = "opinion", _("Opinion or guideline")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        AMENDED = "amended", _("Amended")
        REPEALED = "repealed", _("Repealed")
        DRAFT = "draft", _("Draft")

    class Scope(models.TextChoices):
        NATIONAL = "national", _("National")
        MULTILATERAL = "multilateral", _("SCO / multilateral")

    document_type = models.CharField(
        _("document type"), max_length=20, choices=DocumentType.choices, default=DocumentType.OTHER
    )
    document_number = models.CharField(
        _("document number"),
        max_length=100,
        blank=True,
        help_text=_("As printed on the document, e.g. 厅字〔2017〕35号."),
    )
    issuing_organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("issuing organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="policy_documents",
    )
    issuing_body = models.CharField(
        _("issuing body (free text)"),
        max_length=255,
        blank=True,
        help_text=_("For bodies not in the organisation list, or to name several issuers."),
    )
    scope = models.CharField(_("jurisdiction"), max_length=20, choices=Scope.choices, default=Scope.NATIONAL)
    jurisdiction = models.ForeignKey(
        "core.Country",
        verbose_name=_("country of jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For national documents. Leave empty for SCO or other multilateral texts."),
    )
    date_issued = models.DateField(_("date issued"), null=True, blank=True)
    date_in_force = models.DateField(_("date in force"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_FORCE)
    original_language = models.CharField(
        _("original language"), max_length=10, choices=languages.DOCUMENT_LANGUAGES, blank=True
    )
    source_url = models.URLField(
        _("official source"),
        max_length=500,
        blank=True,
        help_text=_("Where the issuing body publishes the text, e.g. its page on the official legal portal."),
    )

    parent_page_types = ["policies.PolicyIndexPage"]
    subpage_types = []

    content_panels = ContentPage.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("document_type"), FieldPanel("status")]),
                FieldPanel("document_number"),
                FieldPanel("issuing_organisation"),
                FieldPanel("issuing_body"),
                FieldRowPanel([FieldPanel("scope"), FieldPanel("jurisdiction")]),
                FieldRowPanel([FieldPanel("date_issued"), FieldPanel("date_in_force")]),
                FieldPanel("original_language"),
                FieldPanel("source_url"),
            ],
            heading=_("Document details"),
        ),
        PhrasedInlinePanel(
            "attachments",
            label=_("file"),
            heading=_("Files (one per language)"),
            add_label=_("Add a file"),
        ),
        PhrasedInlinePanel(
            "relations",
            label=_("Relation"),
            heading=_("Relations to other documents"),
            add_label=_("Add a relation"),
        ),
        *ContentPage.taxonomy_panels,
    ]

    class Meta:
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")
        indexes = [listing_index("date_issued", "policy_listing")]

    def validate_values(self):
        """Rules on the document's own values (the importer calls this too)."""
        errors = {}
        if self.date_issued and self.date_in_force and self.date_in_force < self.date_issued:
            errors["date_in_force"] = _("A document cannot enter into force before it is issued.")
        if self.scope == self.Scope.MULTILATERAL and self.jurisdiction_id:
            errors["jurisdiction"] = _(
                "A multilateral document has no single country of jurisdiction; "
                "list the parties under countries instead."
            )
        if errors:
            raise ValidationError(errors)

    def clean(self):
        super().clean()  # ContentPage.clean() runs validate_values()
        # The country filter of the list reads ``countries``: the country whose
        # law this is belongs there too.
        # (Until the page has a primary key its relations are not usable; the
        # first revision, saved right after creation, adds it.)
        if self.pk and self.jurisdiction_id and self.jurisdiction not in self.countries.all():
            self.countries.add(self.jurisdiction)

    @property
    def original_language_name(self):
        return (
            languages.document_language_reader_name(self.original_language) if self.original_language else ""
        )

    def get_context(self, request, *args, **kwargs):
        """The printed reference is this page's address on the host the reader reached, not the Site's."""
        context = super().get_context(request, *args, **kwargs)
        context["permalink"] = request.build_absolute_uri(self.get_url(request))
        return context

    @property
    def source_host(self):
        """The official source's host name, shown as its link text: readers see where it leads."""
        return urlsplit(self.source_url).hostname or "" if self.source_url else ""

    def live_attachments(self):
        return self.attachments.select_related("document").all()

    def related_documents(self):
        """Links in both directions, grouped: [(label, [page, …]), …].

        A relation is stored once, on the document that states it ("B amends
        A"); A shows it as "amended by B". Only live pages are shown.
        """
        labels_out = dict(PolicyRelation.Kind.choices)
        labels_in = dict(PolicyRelation.INVERSE_LABELS)
        groups = {}

        def add(label, page):
            pages = groups.setdefault(str(label), [])
            if page.pk != self.pk and all(p.pk != page.pk for p in pages):
                pages.append(page)

        for rel in self.relations.all():
            target = rel.target
            if target is not None and target.live:
                add(labels_out[rel.relation_type], target)
        incoming = (
            PolicyRelation.objects.filter(target=self, page__live=True)
            .select_related("page")
            .order_by("page__date_issued", "pk")
        )
        for rel in incoming:
            add(labels_in[rel.relation_type], rel.page)
        return list(groups.items())


class PolicyAttachment(Orderable):
    """A file of the document in one language (the original, or a translation)."""

    page = ParentalKey(PolicyDocumentPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("file"), on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(_("language"), max_length=10, choices=languages.DOCUMENT_LANGUAGES)
    label = models.CharField(
        _("label"), max_length=255, blank=True, help_text=_("e.g. Official text, Unofficial translation")
    )

    panels = [FieldPanel("document"), FieldPanel("language"), FieldPanel("label")]

    class Meta(Orderable.Meta):
        verbose_name = _("file")
        verbose_name_plural = _("files")

    @property
    def language_name(self):
        """The file's language, named in the reader's language."""
        return languages.document_language_reader_name(self.language)


class PolicyRelation(Orderable):
    """ "This document <relation> that one", stated on this document."""

    class Kind(models.TextChoices):
        AMENDS = "amends", _("Amends")
        IMPLEMENTS = "implements", _("Implements")
        REPLACES = "replaces", _("Replaces")
        RELATED = "related", _("Related to")

    # How the target shows the same relation.
    INVERSE_LABELS = [
        (Kind.AMENDS, _("Amended by")),
        (Kind.IMPLEMENTS, _("Implemented by")),
        (Kind.REPLACES, _("Replaced by")),
        (Kind.RELATED, _("Related to")),
    ]

    page = ParentalKey(PolicyDocumentPage, on_delete=models.CASCADE, related_name="relations")
    relation_type = models.CharField(_("relation"), max_length=20, choices=Kind.choices)
    target = models.ForeignKey(
        PolicyDocumentPage,
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="incoming_relations",
    )

    panels = [FieldPanel("relation_type"), FieldPanel("target")]

    class Meta(Orderable.Meta):
        verbose_name = _("relation")
        verbose_name_plural = _("relations")

    def clean(self):
        super().clean()
        if self.page_id and self.target_id and self.page_id == self.target_id:
            raise ValidationError({"target": _("A document cannot be related to itself.")})
