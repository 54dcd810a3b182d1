"""The editors' "Missing translations" report: pages lacking a language.

Filter by the missing language ("missing Russian") and by page type; each row
says which fields still need which language.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import ContentTypeFilter, WagtailFilterSet
from wagtail.admin.views.reports import PageReportView
from wagtail.models import Page, get_page_content_types

from portal import languages


def _missing_title(code):
    column = languages.localized_field("title", code)
    return Q(**{f"{column}__isnull": True}) | Q(**{column: ""})


class MissingLanguageFilter(django_filters.ChoiceFilter):
    def filter(self, qs, value):
        return qs.filter(_missing_title(value)) if value else qs


class MissingTranslationsFilterSet(WagtailFilterSet):
    missing = MissingLanguageFilter(label=_("Missing language"), choices=languages.LANGUAGES)
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
            missing = specific.missing_languages() if hasattr(specific, "missing_languages") else {}
            if not missing:
                codes = [
                    c
                    for c in languages.LANGUAGE_CODES
                    if not getattr(page, languages.localized_field("title", c))
                ]
                missing = {"title": codes} if codes else {}
            page.missing = missing
            page.missing_summary = "; ".join(
                f"{field}: {', '.join(codes)}" for field, codes in missing.items()
            )
        return object_list
