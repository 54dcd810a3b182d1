"""Snippets in the admin as editors of three languages use them: lists, search, filters, choosers.

Wagtail's defaults search a snippet through its search backend, which indexes
the text of the language active when the row was saved, and builds its button
labels from the model's ``verbose_name`` ("Choose %(object)s"). Here:

* the list and the chooser search the row's columns in every language
  (``search_every_language``): "Министерство", "部" and "Ministry" each find
  the organisations named so;
* the name column shows the name in the editor's language, or the one it falls
  back to, marked "shown in Russian" in the editor's language;
* the filters a viewset declares (``list_filter``) are offered in the list and
  in the chooser;
* "Add", "Choose", "Choose another" and "Edit this" are whole phrases per kind
  of object (``ObjectPhrases``), so that each language can inflect the noun
  ("Выбрать организацию", not "Выбрать организация").

Apps declare their viewsets with ``TrilingualSnippetViewSet``; the admin menu
groups them (``website/wagtail_hooks.py``).
"""

from dataclasses import dataclass

from django import forms
from django.db.models import Q
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views.snippets import CreateView, IndexView, SnippetViewSet
from wagtail.snippets.widgets import AdminSnippetChooser

from portal import languages
from portal.core.translated import shown

# A search of more words than this keeps the first ones: each word is one more
# condition over every column, and nobody types a name that long.
MAX_SEARCH_WORDS = 8


@dataclass(frozen=True)
class ObjectPhrases:
    """The admin's phrases about one kind of object, each translated whole.

    Russian declines the noun after a verb and agrees "another"/"this" with its
    gender, which Wagtail's "Choose %(object)s" cannot do: its catalogue gives
    "Выбрать организация". A phrase per object lets each catalogue say it right.
    """

    add: str  # the list's "Add" button: "Add an organisation"
    choose: str  # the chooser button on a form: "Choose an organisation"
    choose_another: str  # the same once one is chosen
    edit: str  # the link to the chosen object: "Edit this organisation"
    new: str  # the add form's heading: "New organisation" (Wagtail: "New: %(model_name)s")


# --- Search ---------------------------------------------------------------------------


def searched_columns(model, fields):
    """The columns holding ``fields``: every language's column of a translated one, else itself."""
    from modeltranslation.translator import NotRegistered, translator

    try:
        translated = set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        translated = set()
    columns = []
    for name in fields:
        if name in translated:
            columns += [languages.localized_field(name, code) for code in languages.LANGUAGE_CODES]
        else:
            columns.append(name)
    return columns


def _spellings(word):
    """The word as typed and in the usual cases.

    SQLite's LIKE (Django's ``icontains`` there) ignores case for ASCII letters
    only: "министерство" would not find "Министерство". PostgreSQL folds every
    script itself; the extra spellings cost it nothing noticeable on lists of
    hundreds of rows.
    """
    return {word, word.lower(), word.upper(), word.capitalize()}


def search_every_language(queryset, query, fields):
    """The rows where each word of ``query`` occurs in one of ``fields``, in any language.

    Substrings, not whole words: Chinese names have no spaces ("部" finds
    "生态环境部"), and an editor typing "Минист" expects the ministries.
    """
    columns = searched_columns(queryset.model, fields)
    for word in (query or "").split()[:MAX_SEARCH_WORDS]:
        condition = Q()
        for column in columns:
            for spelling in _spellings(word):
                condition |= Q(**{f"{column}__icontains": spelling})
        queryset = queryset.filter(condition)
    return queryset


# --- The name column ------------------------------------------------------------------


def shown_name(instance, field):
    """The name in the editor's language, or its fallback marked "shown in Russian" (HTML)."""
    value = shown(instance, field)
    if not value:
        return ""
    if not value.is_fallback:
        return format_html('<span lang="{}">{}</span>', value.lang, value.value)
    return format_html(
        '<span lang="{}">{}</span> <span class="w-status w-status--label">{}</span>',
        value.lang,
        value.value,
        value.shown_in,
    )


class ShownNameMixin:
    """A column whose value is the row's ``name_field`` as the editor should read it."""

    name_field = "name"

    def get_value(self, instance):
        value = shown_name(instance, self.name_field)
        if value or not isinstance(self, TitleColumn):
            return value
        return str(instance)


def shown_name_column(base, name_field):
    return type(f"ShownName{base.__name__}", (ShownNameMixin, base), {"name_field": name_field})


# --- List (index) view ----------------------------------------------------------------


class TrilingualIndexView(IndexView):
    """The snippet list: every language searched, the name in the editor's language."""

    search_in = ("name",)
    name_field = "name"
    add_label = None

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return search_every_language(queryset, self.search_query, self.search_in)

    @cached_property
    def columns(self):
        columns = super().columns
        for i, column in enumerate(columns):
            if isinstance(column, TitleColumn):
                # The same column (label, sorting, buttons), its value as the editor should read it.
                columns[i] = self._get_title_column(
                    self.list_display[0],
                    column_class=shown_name_column(TitleColumn, self.name_field),
                    classname="l10n-name",  # translation_form.css: never narrower than a long word
                )
                break
        # Other translated columns (an acronym) too: a fallback is marked, not passed off as ours.
        translated = set(searched_columns(self.model, self.list_display)) - set(self.list_display)
        for i, column in enumerate(columns):
            name = getattr(column, "accessor", None)
            if isinstance(name, str) and not isinstance(column, TitleColumn):
                if languages.localized_field(name, languages.DEFAULT_LANGUAGE) in translated:
                    columns[i] = self._get_custom_column(name, column_class=shown_name_column(Column, name))
        return columns

    @cached_property
    def add_item_label(self):
        return capfirst(self.add_label) if self.add_label else super().add_item_label


class TrilingualCreateView(CreateView):
    """The add form, headed with the object's own phrase ("Новая организация")."""

    new_label = None

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        if self.new_label and items:
            items[-1] = {**items[-1], "label": capfirst(self.new_label)}
        return items


class NamedInOneLanguageForm:
    """A form mixin: the name in any one language is enough.

    modeltranslation requires the default language's column (``name_en``), so a
    ministry known only by its Russian name could not be added. The model's
    own rule (``name`` required) is kept as "in at least one language".
    """

    name_field = "name"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code in languages.LANGUAGE_CODES:
            field = self.fields.get(languages.localized_field(self.name_field, code))
            if field is not None:
                field.required = False

    def clean(self):
        cleaned = super().clean()
        columns = [languages.localized_field(self.name_field, code) for code in languages.LANGUAGE_CODES]
        present = [name for name in columns if name in self.fields]
        if present and not any((cleaned.get(name) or "").strip() for name in present):
            self.add_error(present[0], _("Give a name in at least one language."))
        return cleaned


# --- Chooser --------------------------------------------------------------------------


def _filter_field(model, name):
    """A form field choosing one value of the model field ``name`` (a choice or a related row)."""
    model_field = model._meta.get_field(name)
    attrs = {"data-chooser-modal-search-filter": True}
    label = capfirst(model_field.verbose_name)
    if model_field.is_relation:
        return forms.ModelChoiceField(
            queryset=model_field.related_model.objects.all(),
            required=False,
            label=label,
            empty_label=_("All"),
            widget=forms.Select(attrs=attrs),
        )
    return forms.ChoiceField(
        choices=[("", _("All")), *model_field.choices],
        required=False,
        label=label,
        widget=forms.Select(attrs=attrs),
    )


def chooser_filter_form(model, search_in, filters):
    """The chooser's search box and filters: the same search and filters as the list."""

    class ChooserFilterForm(BaseFilterForm):
        q = forms.CharField(
            label=_("Search term"),
            widget=forms.TextInput(attrs={"placeholder": _("Search")}),
            required=False,
        )

        def filter(self, objects):
            for name in filters:
                value = self.cleaned_data.get(name)
                if value not in (None, ""):
                    objects = objects.filter(**{name: value})
            query = (self.cleaned_data.get("q") or "").strip()
            if query:
                self.is_searching = True
                self.search_query = query
                objects = search_every_language(objects, query, search_in)
            return objects

    for name in filters:
        ChooserFilterForm.base_fields[name] = _filter_field(model, name)
    return ChooserFilterForm


class TrilingualChooseMixin:
    """The chooser's results: the name in the editor's language, filters and search as in the list."""

    name_field = "name"
    search_in = ("name",)
    filters = ()

    def get_filter_form_class(self):
        return chooser_filter_form(self.model_class, self.search_in, self.filters)

    @property
    def page_subtitle(self):
        """None: the title ("Choose a gazetteer place") already names the object; Wagtail repeats it."""
        return None

    def get_results_page(self, request):
        """An out-of-range page number (a stale link, a changed filter) shows the last page, not a 404."""
        try:
            return super().get_results_page(request)
        except Http404:
            return self.paginator.page(self.paginator.num_pages)

    @property
    def title_column(self):
        column = super().title_column
        column.__class__ = shown_name_column(type(column), self.name_field)
        return column


class TrilingualChooseView(TrilingualChooseMixin, snippet_chooser.ChooseView):
    pass


class TrilingualChooseResultsView(TrilingualChooseMixin, snippet_chooser.ChooseResultsView):
    pass


class PhrasedSnippetChooser(AdminSnippetChooser):
    """Wagtail's snippet chooser widget with the object's own phrases (``ObjectPhrases``)."""

    phrases = None

    def __init__(self, model=None, **kwargs):
        super().__init__(model, **kwargs)
        if self.phrases:
            self.choose_one_text = self.phrases.choose
            self.choose_another_text = self.phrases.choose_another
            self.link_to_chosen_text = self.phrases.edit


class TrilingualChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    """The chooser of a ``TrilingualSnippetViewSet``: its search, filters, name column and phrases."""

    choose_view_class = TrilingualChooseView
    choose_results_view_class = TrilingualChooseResultsView
    base_widget_class = PhrasedSnippetChooser
    # Set by TrilingualSnippetViewSet.chooser_viewset.
    phrases = None
    search_in = ("name",)
    name_field = "name"
    filters = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.phrases:
            self.page_title = self.phrases.choose

    @cached_property
    def widget_class(self):
        widget = super().widget_class
        widget.phrases = self.phrases
        return widget

    def _results_kwargs(self):
        return {"search_in": self.search_in, "name_field": self.name_field, "filters": self.filters}

    @property
    def choose_view(self):
        return self.construct_view(
            self.inject_view_methods(self.choose_view_class, ["get_object_list"]),
            icon=self.icon,
            page_title=self.page_title,
            search_tab_label=self.search_tab_label,
            creation_tab_label=self.creation_tab_label,
            **self._results_kwargs(),
        )

    @property
    def choose_results_view(self):
        return self.construct_view(
            self.inject_view_methods(self.choose_results_view_class, ["get_object_list"]),
            **self._results_kwargs(),
        )


# --- The viewset ----------------------------------------------------------------------


class TrilingualSnippetViewSet(SnippetViewSet):
    """A snippet whose names exist in three languages.

    Declare ``model``, ``phrases`` (``ObjectPhrases``), ``search_in`` (the fields
    searched, translated ones in every language), ``name_field`` (shown in the
    list and chooser) and ``list_filter`` (also the chooser's filters).
    """

    index_view_class = TrilingualIndexView
    add_view_class = TrilingualCreateView
    chooser_viewset_class = TrilingualChooserViewSet
    phrases = None
    search_in = ("name",)
    name_field = "name"
    list_filter = ()
    # The list's search runs on the database over every language's column.
    search_backend_name = None

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            search_in=self.search_in,
            name_field=self.name_field,
            add_label=self.phrases.add if self.phrases else None,
            **kwargs,
        )

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        bases = (NamedInOneLanguageForm, form_class)
        return type(form_class.__name__, bases, {"name_field": self.name_field})

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(new_label=self.phrases.new if self.phrases else None, **kwargs)

    def get_copy_view_kwargs(self, **kwargs):
        # Wagtail's copy view reuses the add view's arguments; it is not a TrilingualCreateView.
        return super().get_add_view_kwargs(**kwargs)

    @property
    def chooser_viewset(self):
        return self.chooser_viewset_class(
            self.get_chooser_admin_url_namespace(),
            model=self.model,
            url_prefix=self.get_chooser_admin_base_path(),
            icon=self.icon,
            per_page=self.chooser_per_page,
            phrases=self.phrases,
            search_in=self.search_in,
            name_field=self.name_field,
            filters=tuple(self.list_filter or ()),
        )
