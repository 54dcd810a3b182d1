"""The indexing outbox: what has to be (re)indexed, written with the change itself.

A row is written in the same database transaction as the publish, unpublish,
move or delete that makes it necessary (see ``signals.py``), so a change can
never be committed without its row, whether or not Elasticsearch is up. The
worker (``indexing.drain``) marks rows done once Elasticsearch has accepted
them; done rows are kept a while as a journal the rebuild catches up from.
"""

from django.db import models


class IndexTask(models.Model):
    class Action(models.TextChoices):
        INDEX = "index", "index"
        DELETE = "delete", "delete"

    # Not a foreign key: the page may be gone by the time the row is drained.
    page_id = models.PositiveIntegerField(db_index=True)
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.INDEX)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "search index task"

    def __str__(self):
        return f"{self.action} page {self.page_id}"
