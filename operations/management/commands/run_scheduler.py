"""Publish scheduled pages by themselves: ``publish_scheduled`` every few seconds, until stopped."""

from django.core.management.base import BaseCommand

from portal.core import scheduling


class Command(BaseCommand):
    help = "Run scheduled publishing in a loop (scripts/run starts it; production runs it as a process)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=scheduling.DEFAULT_INTERVAL,
            help=f"Seconds between passes (default {scheduling.DEFAULT_INTERVAL}).",
        )
        parser.add_argument("--once", action="store_true", help="One pass, then exit (for cron).")

    def handle(self, *args, interval, once, **options):
        if once:
            scheduling.publish_due(stdout=self.stdout)
            return
        self.stdout.write(f"Scheduled publishing: checking every {interval:g} s (Ctrl-C to stop).")
        try:
            scheduling.run(interval=interval, stdout=self.stdout)
        except KeyboardInterrupt:
            self.stdout.write("Scheduled publishing stopped.")
