"""Tombstones for delta sync: notice what leaves the API (connected in ``ApiConfig.ready``).

A page unpublished or deleted, or a taxonomy term, series or concept deleted,
leaves a :class:`api.models.Tombstone`; a page published again takes its
tombstone back. Edits need nothing here: ``last_updated`` fields and
publication times carry them (``api/resources.py``).
"""

from django.db.models.signals import post_delete
from django.utils import timezone
from wagtail.signals import page_published, page_unpublished

from api.models import Tombstone
from api.resources import resource_for_model, resources


def _tombstone(resource, obj, reason):
    key = resource.key(obj) if hasattr(resource, "key") else obj.pk
    Tombstone.objects.update_or_create(
        resource=resource.name,
        object_id=obj.pk,
        defaults={
            "key": str(key),
            "external_id": str(getattr(obj, "external_id", "") or ""),
            "reason": reason,
            "removed_at": timezone.now(),
        },
    )


def _page_resource(instance):
    resource = resource_for_model(type(instance))
    return resource if resource is not None and hasattr(resource, "date_field") else None


def on_unpublished(sender, instance, **kwargs):
    resource = _page_resource(instance)
    if resource:
        _tombstone(resource, instance, Tombstone.Reason.UNPUBLISHED)


def on_published(sender, instance, **kwargs):
    """A page published again takes its tombstone back.

    A first publish has none to take (ids are never reused: AUTOINCREMENT on
    SQLite, sequences on PostgreSQL), so it costs no query: the bulk importer
    publishes thousands of new pages at once.
    """
    resource = _page_resource(instance)
    if resource is None or instance.first_published_at == instance.last_published_at:
        return
    Tombstone.objects.filter(resource=resource.name, object_id=instance.pk).delete()


def on_deleted(sender, instance, **kwargs):
    """Fires for the Page row and the specific row of a page; the specific one names the resource."""
    resource = resource_for_model(type(instance))
    if resource is None:
        return
    if hasattr(resource, "date_field") and not instance.live and _already_gone(resource, instance):
        Tombstone.objects.filter(resource=resource.name, object_id=instance.pk).update(
            reason=Tombstone.Reason.DELETED
        )
        return
    _tombstone(resource, instance, Tombstone.Reason.DELETED)


def _already_gone(resource, instance):
    return Tombstone.objects.filter(resource=resource.name, object_id=instance.pk).exists()


def connect():
    page_unpublished.connect(on_unpublished, dispatch_uid="api.unpublished")
    page_published.connect(on_published, dispatch_uid="api.published")
    for resource in resources().values():
        post_delete.connect(on_deleted, sender=resource.model, dispatch_uid=f"api.deleted.{resource.name}")
