"""Tombstones: what partners must delete when they mirror the API (``/api/v1/changes/``).

An object that leaves the API (a page unpublished or deleted, a taxonomy term or
concept deleted) leaves a row here; a page published again takes its row back
(its ``last_updated`` then tells partners to fetch it). Rows are kept for
``API_TOMBSTONE_DAYS`` (default 400 days): a partner syncing less often than
that must reload everything.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tombstone(models.Model):
    class Reason(models.TextChoices):
        DELETED = "deleted", _("deleted")
        UNPUBLISHED = "unpublished", _("unpublished")

    resource = models.CharField(_("resource"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("object id"))
    key = models.CharField(_("key"), max_length=255, help_text=_("The key of its detail URL."))
    external_id = models.CharField(_("external ID"), max_length=255, blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    removed_at = models.DateTimeField(_("removed at"), db_index=True)

    class Meta:
        ordering = ["removed_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["resource", "object_id"], name="api_tombstone_once")]
        verbose_name = _("tombstone")
        verbose_name_plural = _("tombstones")

    def __str__(self):
        return f"{self.resource}/{self.key} ({self.reason})"
