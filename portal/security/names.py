"""The names of the editor groups, workflow and task that setup creates, read in the editor's language.

Wagtail's migrations create the groups "Moderators" and "Editors", the workflow
and task "Moderators approval"; ``groups.py`` adds "National editors" and
"Secretariat". Their rows keep these English names (the code looks groups up
by them, and they are the catalogue's msgids), but the admin shows a name
wherever it reads ``group.name``, ``task.name`` or ``str(workflow)``: lists,
the workflow status of a page, dashboards, choosers, notification e-mails.

So those models' ``name`` attribute reads as a :class:`TranslatedName`: equal
to the English name (lookups, comparisons, JSON), printed in the active
language. A name typed back in any language ("Секретариат" in a Russian
group form) is stored as the English one; any other name is kept as typed.
"""

from functools import cache

from django.db.models.query_utils import DeferredAttribute
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from portal import languages

KNOWN_NAMES = (
    gettext_noop("Moderators"),
    gettext_noop("Editors"),
    gettext_noop("Moderators approval"),
    gettext_noop("National editors"),
    gettext_noop("Secretariat"),
)


class TranslatedName(str):
    """A known English name that prints in the active language."""

    def __str__(self):
        return gettext(str.__str__(self))


@cache
def _english_names():
    """{name in any language: English name} for the known names."""
    names = {}
    for code in languages.LANGUAGE_CODES:
        with translation.override(code):
            names.update({gettext(name): name for name in KNOWN_NAMES})
    return names


def english_name(value):
    if isinstance(value, str) and not isinstance(value, TranslatedName):
        return _english_names().get(value.strip(), value)
    return value


class TranslatedNameAttribute(DeferredAttribute):
    """``instance.name``: a TranslatedName for a known name; set in any language, stored in English."""

    def __get__(self, instance, cls=None):
        value = super().__get__(instance, cls)
        if instance is not None and isinstance(value, str) and value in KNOWN_NAMES:
            return TranslatedName(value)
        return value

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = english_name(value)


def install():
    """Give Group, Workflow and Task (and its subclasses) the translated ``name`` (SecurityConfig.ready)."""
    from django.contrib.auth.models import Group
    from wagtail.models import Task, Workflow

    for model in (Group, Workflow, Task):
        model.name = TranslatedNameAttribute(model._meta.get_field("name"))
        # Their __str__ returns ``self.name``, which "%s" would print raw: make it plain text.
        model.__str__ = _printed_name


def _printed_name(instance):
    return str(instance.name)
