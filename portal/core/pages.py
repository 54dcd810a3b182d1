"""The base every content page stands on: shared fields, the trilingual form.

Content apps (projects, policies, news) subclass :class:`ContentPage` and
declare their type in a ``type_options`` (``portal.core.content_types``); their
``translation.py`` registers ``ContentPage.TRANSLATED_FIELDS`` plus their own.
"""

from django import forms
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from portal import languages
from portal.core import content_types
from portal.core.blocks import BodyBlock
from portal.core.panels import TranslationStatusPanel
from portal.core.slugs import free_slug, slug_from_title
from portal.core.translated import languages_present


class TrilingualPageForm(WagtailAdminPageForm):
    """A page may exist in any one of the three languages, not only the default.

    modeltranslation makes the default language's title required; we ask for a
    title in at least one language instead, and derive an ASCII slug for the
    default language (the one URLs fall back to) from whichever title exists.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code in languages.LANGUAGE_CODES:
            for name in ("title", "slug"):
                field = self.fields.get(languages.localized_field(name, code))
                if field is not None:
                    field.required = False
        name_languages(self.fields, self._meta.model)
        for formset in self.formsets.values():
            name_languages(formset.form.base_fields, formset.model)

    def full_clean(self):
        """Each error on a translation names its language: "Russian: This field is required."."""
        super().full_clean()
        self._explain_taken_slugs()
        for name in list(getattr(self, "_errors", None) or {}):
            code = language_of_field(self._meta.model, name)
            if code:
                name_of = languages.interface_language_name(code)
                self._errors[name] = self.error_class(
                    [f"{name_of}: {message}" for message in self._errors[name]], field_id=name
                )

    def _explain_taken_slugs(self):
        """wagtail-modeltranslation says "This slug is already in use" in the slug's language, on
        the Promote tab only: say it in the editor's language, on the field and above the form."""
        taken = False
        for code in languages.LANGUAGE_CODES:
            name = languages.localized_field("slug", code)
            messages = (getattr(self, "_errors", None) or {}).get(name)
            if not messages or not any(_is_slug_taken(message) for message in messages):
                continue
            taken = True
            self._errors[name] = self.error_class(
                [SLUG_TAKEN if _is_slug_taken(message) else message for message in messages], field_id=name
            )
        if taken:
            self.add_error(None, SLUG_TAKEN_SUMMARY)

    def clean(self):
        cleaned = super().clean()
        titles = [cleaned.get(languages.localized_field("title", c)) for c in languages.LANGUAGE_CODES]
        titles = [t for t in titles if t]
        if not titles:
            self.add_error(
                languages.localized_field("title", languages.DEFAULT_LANGUAGE),
                _("Give the page a title in at least one language."),
            )
            return cleaned
        default_slug = languages.localized_field("slug", languages.DEFAULT_LANGUAGE)
        if default_slug in self.fields and not cleaned.get(default_slug):
            cleaned[default_slug] = slug_from_title(titles[0])
        for code in languages.LANGUAGE_CODES:
            # Wagtail's script fills a slug from the title as typed (Cyrillic,
            # Han); the portal's slugs are ASCII, made as the importer makes them.
            name = languages.localized_field("slug", code)
            slug = cleaned.get(name)
            if slug and not slug.isascii():
                cleaned[name] = slug_from_title(slug)
        self._free_new_page_slugs(cleaned)
        return cleaned

    def _free_new_page_slugs(self, cleaned):
        """A new page beside a namesake gets ``-2`` on its address, as an imported one does.

        The namesake is often the editor's own: Wagtail's autosave keeps an
        abandoned new page as a hidden draft, and starting it again used to
        fail with "This slug is already in use". Edits of existing pages keep
        their slugs (a changed address breaks links): there the error stays.
        """
        parent = getattr(self, "parent_page", None)
        if self.instance.pk or parent is None:
            return
        columns = [languages.localized_field("slug", code) for code in languages.LANGUAGE_CODES]
        typed = {cleaned[name] for name in columns if cleaned.get(name)}
        if not typed:
            return
        # Only the namesakes and their numbered variants ("water", "water-2"…), not every
        # child's slugs: a section may hold 35,000 pages.
        near = Q()
        for column in columns:
            for slug in typed:
                near |= Q(**{column: slug}) | Q(**{f"{column}__startswith": f"{slug}-"})
        rows = parent.get_children().filter(near).values_list(*columns)
        taken = {slug for row in rows for slug in row if slug}
        for name in columns:
            if cleaned.get(name) in taken:
                cleaned[name] = free_slug(cleaned[name], taken)


SLUG_TAKEN = _("Another page in this section already has this address.")
SLUG_TAKEN_SUMMARY = _(
    "Another page in this section already has this page's address: change the slug on the Promote tab."
)


# wagtail-modeltranslation's msgid (its catalogue's, not ours: a variable, so makemessages skips it).
_MODELTRANSLATION_SLUG_TAKEN = "This slug is already in use"


def _is_slug_taken(message):
    """Whether a slug error is wagtail-modeltranslation's "already in use", in whichever language it came."""
    text = str(message)
    if _MODELTRANSLATION_SLUG_TAKEN in text:
        return True
    for code in languages.LANGUAGE_CODES:
        with translation.override(code):
            if translation.gettext(_MODELTRANSLATION_SLUG_TAKEN) in text:
                return True
    return False


def language_of_field(model, name):
    """The language of a translation column (``title_ru`` -> ``ru``), or None for a shared field."""
    try:
        field = model._meta.get_field(name)
    except Exception:  # a form-only field (comments, workflow actions)
        return None
    code = getattr(field, "language", None)
    return code if getattr(field, "translated_field", None) is not None else None


def name_languages(fields, model):
    """Label each translation's form field "Title (Russian)", in the editor's language.

    modeltranslation labels them "title [ru]": a code, not a name.
    """
    for name, form_field in fields.items():
        code = language_of_field(model, name)
        if code:
            base = model._meta.get_field(name).translated_field
            form_field.label = format_lazy(
                "{} ({})", capfirst(base.verbose_name), languages.interface_language_name(code)
            )


class TranslatedTitleMixin:
    """Admin listings show each page's title in the editor's own language.

    Wagtail shows ``draft_title``, a single column written in whatever language
    was active when the page was saved; ``title`` reads the active language's
    column (with fallback), and the admin activates the editor's language.
    """

    def get_admin_display_title(self):
        return self.title or super().get_admin_display_title()


class ContentPage(TranslatedTitleMixin, Page):
    """Fields every piece of published knowledge has, whatever its type."""

    # Translated on every type; each app's translation.py adds the type's own.
    TRANSLATED_FIELDS = ("summary", "body")

    external_id = models.CharField(
        _("external ID"),
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Stable identifier used by imports and partners' systems."),
    )
    summary = models.TextField(_("summary"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    countries = ParentalManyToManyField(
        "core.Country", verbose_name=_("countries"), blank=True, related_name="+"
    )
    themes = ParentalManyToManyField("core.Theme", verbose_name=_("themes"), blank=True, related_name="+")

    base_form_class = TrilingualPageForm

    content_panels = (
        [TranslationStatusPanel(heading=_("Translations"))]
        + Page.content_panels
        + [
            FieldPanel("summary"),
            FieldPanel("body"),
        ]
    )
    # Checkboxes, not a multiple <select>: one click each, no Ctrl, every choice
    # visible (the lists are short: the SCO's countries, the portal's themes).
    taxonomy_panels = [
        MultiFieldPanel(
            [
                FieldPanel("countries", widget=forms.CheckboxSelectMultiple),
                FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("external_id"),
            ],
            heading=_("Classification"),
        )
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        self.validate_values()

    def validate_values(self):
        """Rules between this type's own fields (an end date after the start, …).

        Kept apart from clean(), which also checks the page's place in the tree,
        so the importer can check an item before it has a place. Raise
        ValidationError({field: message}).
        """

    def languages_present(self):
        """Languages this page has a title in: the ones it "exists in"."""
        return languages_present(self, "title")

    def missing_languages(self):
        """Per field, the languages an editor still has to fill in.

        An optional field (``type_options.optional_fields``) left empty in
        every language is not a gap: the type simply does not use it here.
        """
        options = content_types.by_model(type(self))
        fields = options.translated_fields if options else ("title", *self.TRANSLATED_FIELDS)
        optional = options.optional_fields if options else ()
        missing = {}
        for field in fields:
            present = languages_present(self, field)
            if field in optional and not present:
                continue
            gaps = [c for c in languages.LANGUAGE_CODES if c not in present]
            if gaps:
                missing[field] = gaps
        return missing
