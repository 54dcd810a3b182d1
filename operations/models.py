"""What the import remembers of each page it wrote, so that importing the same file again costs little."""

from django.db import models


class ImportedPage(models.Model):
    """The digest of the record a page was last imported from, and the revision that import made.

    A re-import skips a record whose digest is unchanged while the page's
    latest revision is still this one, without reading the page
    (:mod:`operations.importing.digests`). Any save of the page since (an
    editor's draft or publish, a scheduled publish) makes a new revision, so
    such a page is compared column by column again, as before there were digests.
    """

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, primary_key=True, related_name="import_record"
    )
    digest = models.CharField(max_length=40)
    revision_id = models.IntegerField()  # the page's latest revision once the import had written it

    def __str__(self):
        return f"page {self.page_id}: {self.digest} at revision {self.revision_id}"
