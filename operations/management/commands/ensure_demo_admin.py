"""Create the demo editor account admin/admin, only with DEBUG on (scripts/run)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

DEMO_ADMIN_NAME = ("Demo", "Editor")


class Command(BaseCommand):
    help = "Create the superuser admin/admin for local development (refused unless DEBUG)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create a demo admin with DEBUG off; use createsuperuser.")
        User = get_user_model()
        user = User.objects.filter(username="admin").first()
        if user is None:
            user = User.objects.create_superuser("admin", "admin@example.org", "admin")
            self.stdout.write("Created the demo editor: admin / admin")
        # A name, so the admin's greeting, revisions and moderation history show a person, not "admin".
        if not (user.first_name or user.last_name):
            user.first_name, user.last_name = DEMO_ADMIN_NAME
            user.save(update_fields=["first_name", "last_name"])
