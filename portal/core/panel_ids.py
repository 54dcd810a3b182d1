"""The ids of an edit form's tabs and panels, in one language whoever opened a form first.

Wagtail names each tab and panel of an edit form after its heading
(``id="tab-content"``, ``panel-child-content-child-…``): ``PanelGroup.child_identifiers``,
a cached property of the model's edit handler, itself built once per model and
process. The headings are translated, so the ids were those of whichever
language's editor first opened that type's form in the process: after a Russian
editor, every editor of that process got ``tab-u0421u043e…`` instead of
``tab-content``, while another process said ``tab-content``. Wagtail's tabs open
the tab named in the address (``…/edit/#tab-promote``, a link an editor sends to a
colleague), so such a link opened one tab or another depending on the process that
answered; and a test that selected ``#tab-content`` failed only in whole runs.

:func:`install` (from ``CoreConfig.ready()``) computes the identifiers in the
default language, always; the headings editors read stay in theirs. Tested in
``tests/test_panel_ids.py``.
"""

from django.utils import translation
from django.utils.functional import cached_property
from wagtail.admin.panels import PanelGroup

from portal import languages


def install():
    """Replace ``PanelGroup.child_identifiers`` by the same computation in the default language."""
    current = PanelGroup.__dict__["child_identifiers"]
    if getattr(current.func, "in_default_language", False):
        return  # installed already
    wagtails = current.func

    def child_identifiers(self):
        with translation.override(languages.DEFAULT_LANGUAGE):
            return wagtails(self)

    child_identifiers.__doc__ = wagtails.__doc__
    child_identifiers.in_default_language = True
    identifiers = cached_property(child_identifiers)
    identifiers.__set_name__(PanelGroup, "child_identifiers")
    PanelGroup.child_identifiers = identifiers
