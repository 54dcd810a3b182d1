"""Create the demo editor account admin/admin, only with DEBUG on (scripts/run)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create the superuser admin/admin for local development (refused unless DEBUG)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create a demo admin with DEBUG off; use createsuperuser.")
        User = get_user_model()
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser("admin", "admin@example.org", "admin")
            self.stdout.write("Created the demo editor: admin / admin")
