"""Which page types the search indexes: the declared content types (``portal.core.content_types``).

Each item's ``type`` in the index (and in the ``type`` facet) is its type's
``import_name``. This module only adapts the registry to search's vocabulary.
"""

from portal.core import content_types


def indexed_types():
    """The declarations (``ContentTypeOptions``) of every indexed type, in navigation order."""
    return content_types.all()


def indexed_models():
    return content_types.models()


def type_for_model(model):
    """The declaration of a model class (or of its declared parent), else None."""
    return content_types.by_model(model)
