"""Checks on the files editors upload: type by content, size, PDF and archive limits.

Wagtail checks an image's format against its extension, its file size
(``WAGTAILIMAGES_MAX_UPLOAD_SIZE``) and its pixel count
(``WAGTAILIMAGES_MAX_IMAGE_PIXELS``, also Pillow's decompression-bomb limit,
set in ``SecurityConfig.ready``). Documents only get a size limit
(``WAGTAILDOCS_MAX_UPLOAD_SIZE``), so :class:`DocumentForm`
(``WAGTAILDOCS_DOCUMENT_FORM_BASE``) adds: the content must be of the kind
its extension says (magic bytes, not the name or the browser's content type),
PDFs must open and have at most ``PORTAL_PDF_MAX_PAGES`` pages and no
JavaScript or launch actions, and archives (zip, Office, OpenDocument) must
not unpack to more than ``PORTAL_ARCHIVE_MAX_UNCOMPRESSED`` bytes.
"""

import codecs
import io
import os
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm

SNIFF_BYTES = 64 * 1024

PDF = b"%PDF-"
ZIP = (b"PK\x03\x04", b"PK\x05\x06")
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc, .xls, .ppt
BINARY_SIGNATURES = (
    PDF,
    *ZIP,
    OLE2,
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\x7fELF",
    b"MZ",
    b"RIFF",
    b"\x1f\x8b",
    b"BZh",
    b"7z\xbc\xaf",
    b"Rar!",
)

# extension -> kind of content it must have
KINDS = {
    "pdf": "pdf",
    "doc": "ole2",
    "xls": "ole2",
    "ppt": "ole2",
    "docx": "ooxml",
    "xlsx": "ooxml",
    "pptx": "ooxml",
    "odt": "odf",
    "ods": "odf",
    "odp": "odf",
    "zip": "zip",
    "csv": "text",
    "txt": "text",
}


def _read_head(f):
    f.seek(0)
    head = f.read(SNIFF_BYTES)
    f.seek(0)
    return head


def _is_text(head):
    """Plain text (CSV, TXT): no binary signature, no NUL bytes, decodes as UTF-8/16 or Windows-1251."""
    if head.startswith(BINARY_SIGNATURES):
        return False
    final = len(head) < SNIFF_BYTES  # else a character may be cut at the sniffing limit
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    elif b"\x00" in head:
        return False
    else:
        encodings = ("utf-8-sig", "cp1251")
    for encoding in encodings:
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=final)
            return True
        except UnicodeDecodeError:
            continue
    return False


def _check_archive(f, kind):
    f.seek(0)
    try:
        with zipfile.ZipFile(f) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError(
            _("This archive is damaged or not a zip archive."), code="bad_archive"
        ) from None
    finally:
        f.seek(0)
    limit = getattr(settings, "PORTAL_ARCHIVE_MAX_UNCOMPRESSED", 500 * 1024 * 1024)
    if sum(i.file_size for i in infos) > limit or len(infos) > 10000:
        raise ValidationError(_("This archive unpacks to too much data."), code="archive_too_large")
    if kind == "ooxml" and "[Content_Types].xml" not in names:
        raise ValidationError(_("This file is not an Office document."), code="wrong_type")
    if kind == "odf" and "mimetype" not in names:
        raise ValidationError(_("This file is not an OpenDocument file."), code="wrong_type")


def _check_pdf(f):
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    f.seek(0)
    data = f.read()
    f.seek(0)
    if b"/JavaScript" in data or b"/Launch" in data:
        raise ValidationError(
            _("PDF files with scripts or launch actions are not accepted."), code="pdf_active"
        )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        pages = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError):
        raise ValidationError(_("This PDF file is damaged and cannot be read."), code="bad_pdf") from None
    limit = getattr(settings, "PORTAL_PDF_MAX_PAGES", 2000)
    if pages > limit:
        raise ValidationError(
            _("This PDF has %(pages)d pages; at most %(limit)d are accepted.")
            % {"pages": pages, "limit": limit},
            code="pdf_too_long",
        )


def check_document(f, name=None):
    """Raise ValidationError unless ``f`` (a file object) is the kind of file its name says."""
    name = name or getattr(f, "name", "") or ""
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    kinds = getattr(settings, "PORTAL_DOCUMENT_KINDS", KINDS)
    kind = kinds.get(extension)
    if kind is None:
        raise ValidationError(
            _("Files of type .%(extension)s are not accepted.") % {"extension": extension or "?"},
            code="bad_extension",
        )
    limit = getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", None)
    if limit is not None and getattr(f, "size", 0) > limit:
        raise ValidationError(_("This file is too big."), code="file_too_large")
    head = _read_head(f)
    wrong = ValidationError(
        _("The content of this file is not a .%(extension)s file.") % {"extension": extension},
        code="wrong_type",
    )
    if kind == "pdf":
        if not head.startswith(PDF):
            raise wrong
        _check_pdf(f)
    elif kind == "ole2":
        if not head.startswith(OLE2):
            raise wrong
    elif kind in ("ooxml", "odf", "zip"):
        if not head.startswith(ZIP):
            raise wrong
        _check_archive(f, kind)
    elif kind == "text":
        if not _is_text(head):
            raise wrong


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form, with :func:`check_document` on the uploaded file."""

    def clean_file(self):
        f = self.cleaned_data.get("file")
        if f and f is not self.original_file and hasattr(f, "read"):
            check_document(f)
        return f
