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


class AnalysedText(models.Model):
    """The analysed tokens of one page's text in one language: the cache that makes rebuilds cheap.

    Analysis (jieba, Snowball) is most of the cost of indexing. A row holds
    the ``*_terms`` of every text role of a page in a language, with the digest
    of the text they were made from; preparation reuses them while the digest
    matches, so a page is re-analysed only in the languages whose text changed
    (a new revision, a renamed country shown in its tags, a new attachment).
    """

    page_id = models.PositiveIntegerField()
    language = models.CharField(max_length=10)
    digest = models.CharField(max_length=40)
    terms = models.BinaryField()  # zlib-compressed JSON {role: "analysed tokens"}

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page_id", "language"], name="analysed_text_page_lang")
        ]
        verbose_name = "analysed text"

    def __str__(self):
        return f"page {self.page_id} ({self.language})"


class DocumentText(models.Model):
    """The text layer of an uploaded document, extracted once, outside the editor's request.

    A row is written (empty, ``extracted_at`` null) when a document is saved
    with a new file; ``search_worker`` and the rebuild extract it
    (:func:`search.attachments.extract_pending`) and reindex the pages that
    use the document. Indexing reads ``text`` and never opens the file.
    """

    document = models.OneToOneField(
        "wagtaildocs.Document", on_delete=models.CASCADE, primary_key=True, related_name="search_text"
    )
    # Which file the text is of: Wagtail's file hash (set by the admin) and the stored name.
    fingerprint = models.CharField(max_length=400, blank=True)
    text = models.TextField(blank=True)
    extracted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = "document text"

    def __str__(self):
        return f"text of document {self.document_id}"
