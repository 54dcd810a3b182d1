"""manage.py update_statuses: move stored statuses on as dates pass (daily, from cron).

A project's or training's status follows its dates (``StatusFromDatesMixin``):
pages show the right one at once, but the stored column, which lists, facets,
key figures and the API filter on, changes only when someone saves the page.
This command updates that column for every page whose dates have moved it
(planned → ongoing → completed) and queues the pages for re-indexing.
Editors' drafts are left alone: only the column of the live page changes.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from portal.core import content_types, freshness
from search.indexing import enqueue


def pages_with_stale_status():
    """``[(page, status the dates imply)]`` for every page whose stored status contradicts its dates."""
    stale = []
    for model in content_types.models():
        if not hasattr(model, "statuses_for_dates"):
            continue
        pages = model.objects.exclude(start_date=None, end_date=None)
        if hasattr(model, "sessions"):
            pages = pages.prefetch_related("sessions")
        for page in pages:
            allowed = page.statuses_for_dates()
            if allowed and page.status not in allowed:
                stale.append((page, allowed[0]))
    return stale


class Command(BaseCommand):
    help = "Update the stored status of projects and trainings whose dates have passed (run daily)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only list what would change")

    def handle(self, *args, **options):
        stale = pages_with_stale_status()
        for page, status in stale:
            self.stdout.write(f"{page.external_id or page.pk}: {page.status} → {status}")
        if options["dry_run"] or not stale:
            self.stdout.write(
                f"{len(stale)} status(es) to update." if stale else "Every status agrees with its dates."
            )
            return
        with transaction.atomic():
            for page, status in stale:
                type(page).objects.filter(pk=page.pk).update(status=status)
            enqueue([page.pk for page, _status in stale])
            freshness.bump_version()  # cached pages, figures and API counts show the old statuses
        self.stdout.write(self.style.SUCCESS(f"Updated {len(stale)} status(es); re-indexing queued."))
