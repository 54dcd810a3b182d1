from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Ground floor: languages, taxonomy, blocks and base page mixins.

    Nothing here imports the content, search or home apps.
    """

    name = "portal.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        # wagtail-modeltranslation (whose ready() runs before ours) makes the
        # default language's title required on Page. Our pages may exist in any
        # one language (TrilingualPageForm asks for at least one title), so the
        # English title column may be blank.
        from wagtail.models import Page

        from portal import languages

        Page._meta.get_field(languages.localized_field("title", languages.DEFAULT_LANGUAGE)).blank = True

        # Wagtail's draft save writes the active language's title from a
        # fallback ("invented translations"): see honest_translations.
        from portal.core import honest_translations

        honest_translations.install()

        # modeltranslation's "slug already in use" check loaded every sibling on each save.
        from portal.core import sibling_slugs

        sibling_slugs.install()

        # modeltranslation's page routing loaded every child to find the one a URL names.
        from portal.core import child_routes

        child_routes.install()

        # The "Missing translations" report's filter: each page's gaps, kept when its content is saved.
        from django.db.models.signals import post_save

        from portal.core import translation_gaps

        post_save.connect(translation_gaps.on_page_saved, dispatch_uid="portal.core.translation_gaps")

        # Wagtail admin labels translated at import time, in English: see admin_language.
        from portal.core import admin_language

        admin_language.install()

        # Tab and panel ids built from headings in the first editor's language: see panel_ids.
        from portal.core import panel_ids

        panel_ids.install()
