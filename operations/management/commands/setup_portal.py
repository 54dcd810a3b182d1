"""Bring a database to a working portal in one idempotent step.

Runs the migrations (without questions), fills modeltranslation's columns for
rows that predate them (never inventing a translation), recomputes the
per-language URL paths, makes sure the trilingual home page is the site root, and
indexes the per-language slugs and the texts the search's database fallback
reads, and refreshes the planner's statistics
(``operations.database``). Safe to run on every deploy.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Page, Site

from operations import database
from portal import languages
from portal.core import translation_gaps
from portal.core.honest_translations import fill_untranslated_rows
from website.models import HomePage

HOME_TITLES = {
    "zh-hans": "上海合作组织环境保护合作平台",
    "en": "SCO Environmental Cooperation Portal",
    "ru": "Портал экологического сотрудничества ШОС",
}
HOME_SLUGS = {"zh-hans": "home", "en": "home", "ru": "home"}


class Command(BaseCommand):
    help = "Migrate, sync translation fields and ensure the home page (idempotent)."

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        self.stdout.write("1/6 Applying migrations…")
        call_command("migrate", interactive=False, verbosity=max(0, verbosity - 1))
        call_command("createcachetable", verbosity=max(0, verbosity - 1))  # the shared cache, if a table
        self.stdout.write("2/6 Filling translation columns…")
        # Not modeltranslation's update_translation_fields: it invents translations.
        fill_untranslated_rows()
        self.stdout.write("3/6 Ensuring the home page…")
        created = self.ensure_home_page()
        self.stdout.write("4/6 Computing the URL path of every page in every language…")
        call_command("set_translation_url_paths", verbosity=max(0, verbosity - 1))
        self.stdout.write(
            "5/6 Indexing the slugs of every language and the texts the database search reads, "
            "refreshing the planner's statistics…"
        )
        database.ensure_slug_indexes()
        database.ensure_trigram_indexes(progress=self._index_progress)
        database.analyze()
        self.stdout.write(
            "6/6 Finding the languages each page still lacks (the missing-translations report)…"
        )
        found = translation_gaps.fill_unknown(progress=self._gaps_progress)
        if found:
            self.stdout.write(f"  {found} pages checked.")
        self.stdout.write(self.style.SUCCESS("Portal ready" + (" (home page created)." if created else ".")))

    def _index_progress(self, table, column):
        self.stdout.write(f"  indexing {table}.{column} for the database search…")

    def _gaps_progress(self, done):
        if done % 10_000 < translation_gaps.BATCH:
            self.stdout.write(f"  {done} pages checked…")

    @transaction.atomic
    def ensure_home_page(self):
        if HomePage.objects.exists():
            return False
        root = Page.get_first_root_node()
        fields = {}
        for code in languages.LANGUAGE_CODES:
            fields[languages.localized_field("title", code)] = HOME_TITLES[code]
            fields[languages.localized_field("slug", code)] = HOME_SLUGS[code]
        # Wagtail's installer leaves a "Welcome" page at the slug we want.
        for page in root.get_children():
            if page.specific_class is Page:
                page.delete()
        home = root.add_child(instance=HomePage(title=HOME_TITLES["en"], slug="home", **fields))
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name=HOME_TITLES["en"],
            )
        else:
            site.root_page = home
            site.save()
        return True
