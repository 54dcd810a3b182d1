"""Thesaurus concepts and gazetteer places, edited as snippets in three languages.

Labels are translated field by field (``translation.py``): ``pref_label_ru``,
``alt_labels_zh_hans``... Alternative labels are one per line.
"""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index

from portal import languages
from portal.core.models import last_updated_field


def split_lines(text):
    """Alternative labels as a list: one per line, blank lines and repeats dropped."""
    return list(dict.fromkeys(line.strip() for line in (text or "").splitlines() if line.strip()))


class LabelledMixin(models.Model):
    """A preferred label and alternative labels, per language (modeltranslation)."""

    pref_label = models.CharField(_("preferred label"), max_length=255)
    alt_labels = models.TextField(
        _("alternative labels"),
        blank=True,
        help_text=_("Synonyms, abbreviations, spelling variants: one per line."),
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.pref_label or self.identifier

    def labels_in(self, code):
        """``(pref, [alt, ...])`` in one language, without fallback."""
        pref = getattr(self, languages.localized_field("pref_label", code), None) or ""
        alts = split_lines(getattr(self, languages.localized_field("alt_labels", code), None))
        return pref, [a for a in alts if a != pref]

    def all_labels(self):
        """``{code: [pref, *alts]}`` for every language that has any."""
        out = {}
        for code in languages.LANGUAGE_CODES:
            pref, alts = self.labels_in(code)
            labels = ([pref] if pref else []) + alts
            if labels:
                out[code] = labels
        return out

    def set_labels(self, labels):
        """Fill the columns from ``{code: {"pref": str, "alt": [str]}}`` (the JSONL shape)."""
        for code in languages.LANGUAGE_CODES:
            entry = labels.get(code) or {}
            setattr(self, languages.localized_field("pref_label", code), entry.get("pref") or "")
            setattr(self, languages.localized_field("alt_labels", code), "\n".join(entry.get("alt") or []))
        default = labels.get(languages.DEFAULT_LANGUAGE) or {}
        if default.get("pref"):
            self.pref_label = default["pref"]


class Concept(index.Indexed, LabelledMixin):
    identifier = models.SlugField(
        _("identifier"), max_length=100, unique=True, help_text=_("A stable code, e.g. air-pollution")
    )
    broader = models.ForeignKey(
        "self",
        verbose_name=_("broader concept"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="narrower",
    )
    source_uri = models.URLField(
        _("source URI"),
        max_length=500,
        blank=True,
        help_text=_("The same concept in GEMET, AGROVOC or UNBIS, if any."),
    )
    themes = models.ManyToManyField("core.Theme", verbose_name=_("themes"), blank=True, related_name="+")
    last_updated = last_updated_field()

    panels = [
        FieldPanel("identifier"),
        MultiFieldPanel([FieldPanel("pref_label"), FieldPanel("alt_labels")], heading=_("Labels")),
        FieldPanel("broader"),
        FieldPanel("source_uri"),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = [
        index.SearchField("pref_label"),
        index.SearchField("alt_labels"),
        index.FilterField("identifier"),
    ]

    class Meta:
        ordering = ["identifier"]
        verbose_name = _("concept")
        verbose_name_plural = _("concepts")


class Place(index.Indexed, LabelledMixin):
    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        REGION = "region", _("Province or region")
        CITY = "city", _("City")
        RIVER = "river", _("River")
        LAKE = "lake", _("Lake")
        SEA = "sea", _("Sea")
        MOUNTAINS = "mountains", _("Mountain range")
        PROTECTED_AREA = "protected_area", _("Protected area")
        DESERT = "desert", _("Desert")
        OTHER = "other", _("Other")

    identifier = models.SlugField(
        _("identifier"), max_length=100, unique=True, help_text=_("A stable code, e.g. almaty")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.ForeignKey(
        "core.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("identifier"),
        FieldPanel("kind"),
        FieldPanel("country"),
        MultiFieldPanel([FieldPanel("pref_label"), FieldPanel("alt_labels")], heading=_("Labels")),
    ]
    search_fields = [
        index.SearchField("pref_label"),
        index.SearchField("alt_labels"),
        index.FilterField("identifier"),
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["identifier"]
        verbose_name = _("gazetteer place")
        verbose_name_plural = _("gazetteer places")


class VocabularyVersion(models.Model):
    """A counter bumped whenever labels change, so every process rebuilds its tables."""

    key = models.CharField(max_length=40, unique=True)
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("vocabulary version")
        verbose_name_plural = _("vocabulary versions")

    def __str__(self):
        return f"{self.key}: {self.version}"


class LearntPairing(models.Model):
    """Two terms, in two languages, that the portal's own translated items use for each other.

    Written only by ``search.pairings`` (from the analysed titles and summaries
    of items that exist in several languages), never by hand: editors read
    these rows in the admin to see what search learnt and from which items,
    and correct a wrong pairing by correcting the thesaurus or gazetteer
    (whose labels count more) or the items themselves. The terms are analysed
    forms (Snowball stems, jieba words), as the index has them.
    """

    language = models.CharField(_("language"), max_length=10)
    term = models.CharField(_("term"), max_length=100)
    other_language = models.CharField(_("other language"), max_length=10)
    other_term = models.CharField(_("other term"), max_length=100)
    items = models.PositiveIntegerField(
        _("number of items"), help_text=_("Items whose two language versions both use the terms.")
    )
    score = models.FloatField(_("score"), help_text=_("Dice coefficient, from 0 to 1."))
    examples = models.JSONField(_("example items"), default=list, blank=True)

    class Meta:
        ordering = ["language", "term", "-score"]
        verbose_name = _("learnt pairing")
        verbose_name_plural = _("learnt pairings")
        constraints = [
            models.UniqueConstraint(
                fields=["language", "term", "other_language", "other_term"], name="learnt_pairing_terms"
            )
        ]

    def __str__(self):
        """批准 (Chinese) ↔ approv (English): the languages named in the reader's language."""
        first, second = _language(self.language), _language(self.other_language)
        return f"{self.term} ({first}) ↔ {self.other_term} ({second})"


def _language(code):
    return languages.reader_name(code) if code in languages.LANGUAGE_CODES else code
