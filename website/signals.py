"""Invalidate the cached figures, map and charts when published content changes."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from portal.core.models import Country, Theme
from website.figures import bump_version


def connect():
    page_published.connect(bump_version, dispatch_uid="home-figures-published")
    page_unpublished.connect(bump_version, dispatch_uid="home-figures-unpublished")
    post_page_move.connect(bump_version, dispatch_uid="home-figures-moved")
    post_delete.connect(bump_version, sender=Page, dispatch_uid="home-figures-deleted")
    for model in (Country, Theme):
        post_save.connect(bump_version, sender=model, dispatch_uid=f"home-figures-{model.__name__}-saved")
        post_delete.connect(bump_version, sender=model, dispatch_uid=f"home-figures-{model.__name__}-deleted")
