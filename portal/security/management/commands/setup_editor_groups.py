"""``manage.py setup_editor_groups``: (re)create the editor groups and section permissions."""

from django.core.management.base import BaseCommand

from portal.security.groups import ensure_all, section_pages


class Command(BaseCommand):
    help = "Create the National editors and Secretariat groups and grant them every section (idempotent)."

    def handle(self, *args, **options):
        groups = ensure_all()
        self.stdout.write(f"Groups {', '.join(groups)}; sections: {section_pages().count()}.")
