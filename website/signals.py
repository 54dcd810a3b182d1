"""Bump the publish counter (``portal.core.freshness``) when published content changes.

Cached pages, figures and the API's counts are stale after any publish,
unpublish, move or delete, and after an edit of a snippet the pages show by
name (countries, themes, organisations, programme series).
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from portal.core.freshness import bump_version
from portal.core.models import Country, Organisation, Theme
from projects.models import ProgrammeSeries


def connect():
    page_published.connect(bump_version, dispatch_uid="home-figures-published")
    page_unpublished.connect(bump_version, dispatch_uid="home-figures-unpublished")
    post_page_move.connect(bump_version, dispatch_uid="home-figures-moved")
    post_delete.connect(bump_version, sender=Page, dispatch_uid="home-figures-deleted")
    for model in (Country, Theme, Organisation, ProgrammeSeries):
        post_save.connect(bump_version, sender=model, dispatch_uid=f"home-figures-{model.__name__}-saved")
        post_delete.connect(bump_version, sender=model, dispatch_uid=f"home-figures-{model.__name__}-deleted")
