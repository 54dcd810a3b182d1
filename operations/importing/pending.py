"""Parts of imported pages that wait until the whole file is written.

The file is read and written in one pass, so a record may name an
organisation or a page whose line comes later (a project linking a training
further down, a policy amending a newer one). Applying such a part fails with
``KeyError`` or ``ObjectDoesNotExist``; :func:`apply_parts` then keeps only
the record's key and that part's cleaned value (never its texts) in
:class:`Pending`, and :meth:`Pending.write` applies them once every line is
written. The reader has checked by then that every key named is declared
somewhere (:class:`operations.importing.parts.KeySet`).
"""

from django.core.exceptions import ObjectDoesNotExist

from operations.importing.parts import parts_for


def apply_parts(page, model, parts, refs, pending):
    """Set ``parts`` ({record key: cleaned value}) on ``page`` (unsaved); True if any changed.

    A part naming something not written yet goes to ``pending`` instead.
    """
    changed, waiting = False, {}
    declared = parts_for(model)
    for key, cleaned in parts.items():
        try:
            changed = declared[key].apply(page, cleaned, refs) or changed
        except (KeyError, ObjectDoesNotExist):
            waiting[key] = cleaned
    if waiting:
        pending.add(model, page.external_id, waiting)
    return changed


class Pending:
    """The parts waiting for the rest of the file: ``[(model, external_id, {key: cleaned})]``."""

    def __init__(self):
        self.entries = []

    def add(self, model, external_id, parts):
        self.entries.append((model, external_id, parts))

    def write(self, refs, republish):
        """Apply the waiting parts; ``republish(page)`` saves and publishes each page they change."""
        refs.forget_snippets()
        for model, external_id, parts in self.entries:
            page = model.objects.get(external_id=external_id)
            changed = False
            declared = parts_for(model)
            for key, cleaned in parts.items():
                changed = declared[key].apply(page, cleaned, refs) or changed
            if changed:
                republish(page)
