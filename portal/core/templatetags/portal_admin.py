"""Template filters of the admin's own templates (``portal/core/templates/wagtailadmin/``)."""

from django import template

from portal.core import admin_language

register = template.Library()


@register.filter
def in_admin_language(site_name):
    """The site's name in the admin's language: Wagtail shows ``Site.site_name`` as stored (English)."""
    return admin_language.site_name(site_name)
