"""An edit-view panel telling editors which fields still miss which language."""

from django.utils.text import capfirst
from wagtail.admin.panels import InlinePanel, Panel

from portal import languages


def field_label(model, name):
    """A field as editors see it ("Issuing body", "Выдавший орган"), not its name in the code."""
    try:
        return capfirst(model._meta.get_field(name).verbose_name)
    except Exception:  # not a model field
        return name


class TranslationStatusPanel(Panel):
    """Read-only: for the page being edited, the fields empty in each language."""

    def clone_kwargs(self):
        kwargs = super().clone_kwargs()
        kwargs.pop("help_text", None)
        return kwargs

    @property
    def clean_name(self):
        return super().clean_name or "translation_status"

    class BoundPanel(Panel.BoundPanel):
        template_name = "core/admin/translation_status_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            instance = self.instance
            missing = instance.missing_languages() if instance and instance.pk else {}
            context["rows"] = [
                (field_label(type(instance), field), [languages.interface_language_name(c) for c in codes])
                for field, codes in missing.items()
            ]
            context["is_new"] = not (instance and instance.pk)
            return context


class PhrasedInlinePanel(InlinePanel):
    """An inline panel whose "Add" button says a whole phrase: ``add_label=_("Add a file")``.

    Wagtail's button is "Add {{ label }}" with the panel's label in the
    nominative ("Добавить Файлы"); a phrase of our own is translated whole
    ("Добавить файл"), like the snippets' ``ObjectPhrases``.
    """

    def __init__(self, *args, add_label="", **kwargs):
        super().__init__(*args, **kwargs)
        self.add_label = add_label

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "add_label": self.add_label}

    class BoundPanel(InlinePanel.BoundPanel):
        template_name = "core/admin/inline_panel.html"
