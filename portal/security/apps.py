from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "portal.security"
    label = "security"
    verbose_name = "Security"

    def ready(self):
        from django.conf import settings
        from django.contrib.auth.signals import user_logged_in, user_login_failed
        from django.db.models.signals import post_migrate, post_save
        from PIL import Image

        from portal.security import groups, names, throttle

        # Pillow refuses decompression bombs at twice this; Wagtail checks the limit itself.
        Image.MAX_IMAGE_PIXELS = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
        user_login_failed.connect(throttle.on_login_failed, dispatch_uid="security.login_failed")
        user_logged_in.connect(throttle.on_logged_in, dispatch_uid="security.logged_in")
        post_migrate.connect(groups.on_post_migrate, sender=self, dispatch_uid="security.groups")
        post_save.connect(groups.on_page_saved, dispatch_uid="security.section_created")
        names.install()
