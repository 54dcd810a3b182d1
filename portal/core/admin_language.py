"""Wagtail 8 admin text that stays English whatever the catalogues say, shown in the editor's language.

Strings Wagtail marks for translation but whose zh_Hans/ru catalogues lack are
supplied by ours (``admin_catalogue.py``). These three kinds no catalogue can reach:

* translated once, at import, in English (``gettext`` where ``gettext_lazy`` was
  meant): the comment field of the workflow's "Request changes" dialog;
* the site's name, which Wagtail shows as stored in ``Site.site_name`` (English)
  on the dashboard: its heading and the "… pages created in <site>" summary;
* written into Wagtail's templates without ``{% trans %}``: the header's "Actions"
  landmark (a template override, ``templates/wagtailadmin/shared/headers/_actions.html``)
  and the screen-reader "Search" buttons (``static/core/admin/admin_language.js``).

The browser journeys (``tests/browser/admin_text.py``) find any English left.
"""

from django.utils.translation import gettext, gettext_lazy
from wagtail.admin.ui.components import Component


def install():
    """Re-label what Wagtail translated at import time (CoreConfig.ready)."""
    from wagtail.forms import TaskStateCommentForm

    TaskStateCommentForm.base_fields["comment"].label = gettext_lazy("Comment")


def site_name(name):
    """The site's name in the admin's language (the portal's name is in the catalogues); else as stored."""
    return gettext(name) if name else name


class SiteNamedInAdminLanguage(Component):
    """A dashboard summary item (pages, images, documents) naming the site in the admin's language."""

    def __init__(self, item):
        self.item = item
        self.order = item.order
        self.template_name = item.template_name

    def is_shown(self):
        return self.item.is_shown()

    @property
    def media(self):
        return self.item.media

    def get_context_data(self, parent_context):
        context = self.item.get_context_data(parent_context)
        if "site_name" in context:
            context["site_name"] = site_name(context["site_name"])
        return context


def template_strings():
    """[selector, attribute, text]: English written into Wagtail's templates, and its translation."""
    return [
        # The dashboard's and listings' search forms end with a screen-reader-only submit button.
        ["form[role=search] input[type=submit][value=Search]", "value", gettext("Search")],
    ]
