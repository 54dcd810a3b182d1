"""The editors' "Missing translations" report: pages lacking a language.

Filter by the missing language ("missing Russian") and by page type; each row
says which fields still need which language.
"""

import django_filters
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import ContentTypeFilter, WagtailFilterSet
from wagtail.admin.views.reports import PageReportView
from wagtail.models import Page, get_page_content_types

from portal import languages
from portal.core import content_types
from portal.core.panels import field_label


def _missing_title(code):
    column = languages.localized_field("title", code)
    return Q(**{f"{column}__isnull": True}) | Q(**{column: ""})


def translation_gaps(page):
    """{field: languages} for the fields written in some language but not in these.

    A field empty in every language is not a translation to make (nothing to
    translate from); the page's own status panel lists those.
    """
    return {
        field: codes
        for field, codes in page.missing_languages().items()
        if len(codes) < len(languages.LANGUAGE_CODES)
    }


def pages_missing(code):
    """Ids of the pages lacking language ``code`` in any translated field (not only the title).

    Content pages know their gaps (``missing_languages``, which skips optional
    fields a page does not use); other pages (index, home) are asked for a title.
    Read in Python, one query per page type: the report is for editors, not readers.
    """
    ids = set(Page.objects.filter(_missing_title(code)).values_list("pk", flat=True))
    for model in content_types.models():
        for page in model.objects.all().iterator(chunk_size=500):
            if any(code in codes for codes in translation_gaps(page).values()):
                ids.add(page.pk)
    return ids


class MissingLanguageFilter(django_filters.ChoiceFilter):
    def filter(self, qs, value):
        return qs.filter(pk__in=pages_missing(value)) if value else qs


class MissingTranslationsFilterSet(WagtailFilterSet):
    missing = MissingLanguageFilter(
        label=_("Missing language"),
        choices=lambda: [
            (code, languages.interface_language_name(code)) for code in languages.LANGUAGE_CODES
        ],
    )
    content_type = ContentTypeFilter(
        label=_("Type"), queryset=lambda request: get_page_content_types(include_base_page_type=False)
    )

    class Meta:
        model = Page
        fields = ["missing", "content_type"]


class MissingTranslationsView(PageReportView):
    page_title = _("Missing translations")
    header_icon = "globe"
    results_template_name = "core/admin/missing_translations_results.html"
    filterset_class = MissingTranslationsFilterSet
    index_url_name = "missing_translations"
    index_results_url_name = "missing_translations_results"
    list_export = ["title", "content_type", "missing_summary"]
    export_headings = {"content_type": _("Type"), "missing_summary": _("Missing")}
    any_permission_required = ["add", "change", "publish"]

    def get_queryset(self):
        self.queryset = (
            self.permission_policy.instances_user_has_permission_for(self.request.user, "change")
            .filter(depth__gt=1)
            .select_related("content_type")
            .order_by("-latest_revision_created_at")
        )
        return super().get_queryset()

    def decorate_paginated_queryset(self, object_list):
        for page in object_list:
            specific = page.specific
            missing = translation_gaps(specific) if hasattr(specific, "missing_languages") else {}
            if not missing:
                codes = [
                    c
                    for c in languages.LANGUAGE_CODES
                    if not getattr(page, languages.localized_field("title", c))
                ]
                missing = {"title": codes} if codes else {}
            model = type(specific)
            edit_url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
            page.missing = [
                (
                    field_label(model, field),
                    [
                        (languages.interface_language_name(code), f"{edit_url}?language={code}")
                        for code in codes
                    ],
                )
                for field, codes in missing.items()
            ]
            page.missing_summary = "; ".join(
                f"{label}: {', '.join(str(name) for name, _url in gaps)}" for label, gaps in page.missing
            )
        return object_list
