"""Scheduled publishing that runs by itself: Wagtail's ``publish_scheduled`` in a loop.

Wagtail publishes a page whose go-live time has come (and unpublishes an
expired one) only when ``manage.py publish_scheduled`` runs. ``scripts/run``
starts ``manage.py run_scheduler`` next to the development server, and the
production instructions run it as a process of its own (docker compose's
``scheduler`` service, or cron); one Python process looping costs less than
starting Django every minute.
"""

import logging
import threading

from django.core.management import call_command
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from wagtail.models import Page, Revision

logger = logging.getLogger("portal.scheduling")

DEFAULT_INTERVAL = 20  # seconds between passes when nothing falls due sooner
# A pass runs this long after the next go-live or expiry time (publish_scheduled compares
# with "<"), so a page due at 01:14:00 is live at 01:14:00 and a moment, not 01:14:20.
JUST_AFTER = 0.2


def _drop_stale_connection():
    """A long-running loop must not keep a dead or expired connection (outside a transaction)."""
    if not connection.in_atomic_block:
        close_old_connections()


def publish_due(stdout=None):
    """One pass: publish what is due, unpublish what has expired. Never raises.

    Returns how many scheduled versions were due (and are now published), or
    None when the pass failed (it is retried at the next one).
    """
    _drop_stale_connection()
    try:
        scheduled = _scheduled_ids()
        # One transaction per pass: stopped mid-pass (Ctrl-C, a deploy), nothing is left half
        # done, such as a page live without its log entry; the pass is simply run again.
        with transaction.atomic():
            call_command("publish_scheduled")
        due = len(scheduled - _scheduled_ids())  # publishing clears a version's go-live time
    except Exception:  # a database hiccup must not stop scheduling for good
        logger.exception("Scheduled publishing failed; retrying at the next pass")
        return None
    finally:
        _drop_stale_connection()
    if due and stdout is not None:
        stdout.write(f"{timezone.now():%Y-%m-%d %H:%M:%S %Z}: published {due} scheduled version(s).")
    return due


def run(interval=DEFAULT_INTERVAL, stop=None, stdout=None):
    """Publish what is due every ``interval`` seconds until ``stop`` (a threading.Event) is set."""
    stop = stop or threading.Event()
    while not stop.is_set():
        publish_due(stdout=stdout)
        stop.wait(seconds_to_next_pass(interval))


def seconds_to_next_pass(interval):
    """``interval``, or less when a go-live or expiry time comes before it: the pass runs just after.

    An editor who schedules a page for 14:00 sees it live at 14:00, not up to
    ``interval`` later; between such times the loop still checks every ``interval``
    (a version scheduled meanwhile in another process, a clock change).
    """
    try:
        due = _next_time()
    except Exception:  # the pass itself reports database trouble; keep the plain interval
        logger.debug("Could not read the next scheduled time", exc_info=True)
        return interval
    finally:
        _drop_stale_connection()
    if due is None:
        return interval
    return min(interval, max(JUST_AFTER, (due - timezone.now()).total_seconds() + JUST_AFTER))


def _next_time():
    """The earliest future go-live time of a scheduled version or expiry time of a live page, or None."""
    now = timezone.now()
    go_live = Revision.objects.filter(approved_go_live_at__gt=now).order_by("approved_go_live_at")
    expiry = Page.objects.filter(live=True, expire_at__gt=now).order_by("expire_at")
    times = [
        go_live.values_list("approved_go_live_at", flat=True).first(),
        expiry.values_list("expire_at", flat=True).first(),
    ]
    return min((moment for moment in times if moment is not None), default=None)


def _scheduled_ids():
    return set(Revision.objects.filter(approved_go_live_at__isnull=False).values_list("pk", flat=True))
