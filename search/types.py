"""Which page types the search indexes, and the ``type`` value each gets.

The one list of indexed types until the content-type registry (issue 11) lands
in the ground floor; then this module reads it instead of declaring its own.
A class whose app is not installed is skipped.
"""

from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class IndexedType:
    model_label: str  # "projects.ProjectPage"
    type: str  # value of the ``type`` field and facet

    @property
    def model(self):
        """The model class, or None while its app does not define it."""
        try:
            return apps.get_model(self.model_label)
        except LookupError:
            return None


INDEXED_TYPES = [
    IndexedType("projects.ProjectPage", "project"),
    IndexedType("projects.TrainingProgrammePage", "training"),
    IndexedType("policies.PolicyDocumentPage", "policy"),
    IndexedType("news.NewsPage", "news"),  # events are news items of kind "event"
]


def indexed_types():
    """The registered types whose model exists, in registry order."""
    return [t for t in INDEXED_TYPES if t.model is not None]


def indexed_models():
    return [t.model for t in indexed_types()]


def type_for_model(model):
    """The IndexedType of a model class (or of its concrete parent), else None."""
    for t in indexed_types():
        if issubclass(model, t.model):
            return t
    return None
