"""An editor's admin session for the editor benchmarks: the edit form posted as the browser posts it.

The edit form's plain fields (inputs, selects, text areas, the rich-text
fields' hidden inputs, the inline panels' management forms) are read from the
form's HTML, as a browser would send them; a StreamField's inputs are made by
the browser's JavaScript, so they are built from the page's stored blocks with
Wagtail's own test helpers. Nothing here is specific to one content type.
"""

import json
from html.parser import HTMLParser

from django.core.exceptions import FieldDoesNotExist
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield


class _EditForm(HTMLParser):
    """The name/value pairs a browser would post from the form whose id is ``form_id``."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.data = form_id, False, {}
        self._select = self._textarea = None
        self._text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or not attrs.get("name") and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._add(attrs["name"], attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))
        elif tag == "textarea":
            self._textarea, self._text = attrs["name"], []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self._add(self._textarea, "".join(self._text).removeprefix("\n"))
            self._textarea = None

    def _add(self, name, value):
        if name in self.data:
            previous = self.data[name]
            self.data[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            self.data[name] = value


def _block_form_value(block, value):
    """A block's value as ``wagtail.test.utils.form_data`` expects it."""
    if isinstance(block, blocks.RichTextBlock):
        return rich_text(value.source)
    if isinstance(block, blocks.StructBlock):
        return {name: _block_form_value(block.child_blocks[name], value[name]) for name in block.child_blocks}
    if isinstance(block, blocks.ChooserBlock):
        return value.pk if value else ""
    if isinstance(block, (blocks.CharBlock, blocks.TextBlock)):
        return value or ""
    return json.dumps(block.get_prep_value(value))


def _streamfield_data(page, name):
    stream = getattr(page, name)
    return streamfield([(child.block_type, _block_form_value(child.block, child.value)) for child in stream])


def _is_field(page, name):
    try:
        type(page)._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def edit_form_data(client, page, **overrides):
    """The edit form of ``page`` as the browser would post it, with ``overrides`` (field: value)."""
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    if response.status_code != 200:
        raise SystemExit(f"GET /admin/pages/{page.pk}/edit/ answered {response.status_code}")
    parser = _EditForm("page-edit-form")
    parser.feed(response.content.decode())
    data = {k: v for k, v in parser.data.items() if k != "csrfmiddlewaretoken"}
    form_fields = type(page).get_edit_handler().get_form_class()().fields
    streams = {
        name: _streamfield_data(page, name)
        for name in form_fields
        if _is_field(page, name) and isinstance(type(page)._meta.get_field(name), StreamField)
    }
    for name in list(data):
        if any(name == s or name.startswith(f"{s}-") for s in streams):
            del data[name]
    flat = nested_form_data(streams)
    data.update(flat)
    data.update(overrides)
    return data
