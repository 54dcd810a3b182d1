"""Text of uploaded documents (PDFs), extracted once and stored for indexing.

Extracting a PDF's text can take seconds. It is never done while an editor
waits nor while a page is being indexed: saving a document marks its
:class:`~search.models.DocumentText` row pending (cheap, in the request);
:func:`extract_pending`, run by ``search_worker`` between drains and by the
rebuild before it starts, opens the file, stores the text and names the
pages that use the document (found through Wagtail's reference index) for
the caller to reindex.
Preparation reads the stored text with :func:`texts_of`.
"""

import logging

from django.db.models.signals import post_save
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import ReferenceIndex

from search.models import DocumentText

logger = logging.getLogger(__name__)
MAX_CHARS = 200_000  # per document: a 2,000-page annex adds little after this


def is_pdf(document):
    return str(document.file.name).lower().endswith(".pdf")


def extract_pdf_text(file, max_chars=MAX_CHARS):
    """The text layer of a PDF, capped; empty when the file is unreadable."""
    from pypdf import PdfReader

    with file.open("rb") as fh:
        reader = PdfReader(fh)
        parts, size = [], 0
        for page in reader.pages:
            text = page.extract_text() or ""
            parts.append(text)
            size += len(text)
            if size >= max_chars:
                break
    return "\n".join(parts)[:max_chars]


def fingerprint(document):
    """Changes when the file does: Wagtail's hash of it (when set) and its stored name."""
    return f"{document.file_hash or ''}|{document.file.name}"[:400]


def on_document_saved(sender, instance, **kwargs):
    """Mark a new or replaced PDF pending; the worker extracts it."""
    if not is_pdf(instance):
        DocumentText.objects.filter(document=instance).delete()
        return
    row = DocumentText.objects.filter(document=instance).first()
    if row is None or row.fingerprint != fingerprint(instance):
        DocumentText.objects.update_or_create(
            document=instance,
            defaults={"fingerprint": fingerprint(instance), "text": "", "extracted_at": None, "error": ""},
        )


def connect():
    post_save.connect(on_document_saved, sender=get_document_model(), dispatch_uid="search.document_saved")


def pending_documents():
    """PDFs with no stored text yet (including ones uploaded before this module existed)."""
    Document = get_document_model()
    known = DocumentText.objects.filter(extracted_at__isnull=False).values("document_id")
    return [d for d in Document.objects.exclude(pk__in=known).order_by("pk") if is_pdf(d)]


def extract_pending(limit=None):
    """Extract the pending documents' text; returns the ids of the pages using them (to reindex)."""
    pages = set()
    for document in pending_documents()[:limit]:
        try:
            text, error = extract_pdf_text(document.file), ""
        except Exception as exc:  # a broken or missing file: indexed without its text
            logger.warning("could not extract text from %s", document.file.name, exc_info=True)
            text, error = "", str(exc)[:1000]
        DocumentText.objects.update_or_create(
            document=document,
            defaults={
                "fingerprint": fingerprint(document),
                "text": text,
                "extracted_at": timezone.now(),
                "error": error,
            },
        )
        pages.update(pages_using(document))
    return sorted(pages)


def pages_using(document):
    """Ids of the pages whose content refers to the document (inline children and blocks)."""
    from wagtail.models import Page

    references = ReferenceIndex.get_references_to(document)
    ids = set()
    for ref in references.select_related("base_content_type"):
        model = ref.base_content_type.model_class()
        if model is not None and issubclass(model, Page):
            ids.add(int(ref.object_id))
    return sorted(ids)


def texts_of(document_ids):
    """``{document id: text}`` of the stored texts (a document not yet extracted has none)."""
    return dict(
        DocumentText.objects.filter(document_id__in=set(document_ids), extracted_at__isnull=False)
        .exclude(text="")
        .values_list("document_id", "text")
    )
