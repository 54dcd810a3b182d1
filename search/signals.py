"""The one place that notices content changes and asks for reindexing.

Connected in ``SearchConfig.ready()``. Content apps know nothing of search;
search listens to Wagtail's and Django's signals and writes outbox rows
(``indexing.enqueue``) in the transaction of the change.

Wagtail 8 does not itself wrap publishing in a transaction; when the caller
does (``ATOMIC_REQUESTS``, imports, Wagtail's move) the row commits with the
change, otherwise right after it. ``manage.py search_index check --fix``
enqueues anything that ever slipped through.
"""

from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from portal.core.models import Country, Organisation, Theme
from search import attachments
from search.indexing import enqueue
from search.models import IndexTask
from search.prepare import relation_paths
from search.types import indexed_models, type_for_model

TAXONOMY_MODELS = (Country, Theme, Organisation)


def _is_indexed(instance):
    return type_for_model(type(instance)) is not None


def on_published(sender, instance, **kwargs):
    if _is_indexed(instance):
        enqueue([instance.pk])


def on_unpublished(sender, instance, **kwargs):
    if _is_indexed(instance):
        enqueue([instance.pk], IndexTask.Action.DELETE)


def on_deleted(sender, instance, **kwargs):
    # Fires for the Page row and for the specific row; the specific one is enough.
    if isinstance(instance, Page) and _is_indexed(instance):
        enqueue([instance.pk], IndexTask.Action.DELETE)


def on_moved(sender, instance, **kwargs):
    """A move changes the URLs of the page and everything below it."""
    pages = Page.objects.descendant_of(instance, inclusive=True).live()
    enqueue(pages.values_list("pk", flat=True))


def pages_showing(obj):
    """Ids of the pages of every indexed type that point at a taxonomy object."""
    ids = []
    for model in indexed_models():
        for path in relation_paths(model, type(obj)):
            ids += model.objects.filter(**{path: obj}).values_list("pk", flat=True)
    return ids


def on_taxonomy_saved(sender, instance, created=False, **kwargs):
    if not created:  # a new term is on no page yet
        enqueue(pages_showing(instance))


def on_taxonomy_deleting(sender, instance, **kwargs):
    # Before the delete, while the pages still point at it.
    enqueue(pages_showing(instance))


def connect():
    attachments.connect()  # a saved PDF is marked for text extraction (by the worker)
    page_published.connect(on_published, dispatch_uid="search.published")
    page_unpublished.connect(on_unpublished, dispatch_uid="search.unpublished")
    post_delete.connect(on_deleted, dispatch_uid="search.deleted")
    post_page_move.connect(on_moved, dispatch_uid="search.moved")
    for model in TAXONOMY_MODELS:
        post_save.connect(on_taxonomy_saved, sender=model, dispatch_uid=f"search.saved.{model.__name__}")
        pre_delete.connect(
            on_taxonomy_deleting, sender=model, dispatch_uid=f"search.deleting.{model.__name__}"
        )
