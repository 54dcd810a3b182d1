"""The demo's policy documents have real PDFs, found by the search engine by their text.

The PDFs are made by load_demo from the records, in each language a document
has, with DejaVu and WenQuanYi fonts embedded; the search engine reads their
text layer, so words that are only inside a PDF find the document. Every
policy page's links say where they lead.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.utils import translation
from pypdf import PdfReader

from policies.models import PolicyDocumentPage
from portal import languages
from portal.core import content_types
from search.query import SearchRequest, search
from tests.search_support import refresh

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]

# Words of the PDFs' colophon (operations/demo_pdfs.COLOPHON), in no page's own text.
ONLY_IN_PDFS = {"en": "facsimile", "ru": "факсимиле", "zh-hans": "演示副本"}


@pytest.fixture
def demo(demo_load, es):
    call_command("search_index", "rebuild")  # extracts the PDFs' text first, as the worker would
    refresh(es)


def fonts_of(reader):
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded"
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    return fonts


def test_every_policy_has_an_embedded_font_pdf_per_language_and_its_words_find_it(demo):
    policies = list(PolicyDocumentPage.objects.all())
    assert len(policies) == 13
    for page in policies:
        attachments = {a.language: a for a in page.attachments.select_related("document")}
        assert sorted(attachments) == sorted(page.languages_present()), page.external_id
        for code, attachment in attachments.items():
            data = attachment.document.file.read()
            assert data.startswith(b"%PDF-")
            reader = PdfReader(io.BytesIO(data))
            text = "".join(p.extract_text() for p in reader.pages)
            title = getattr(page, languages.localized_field("title", code))
            assert re.sub(r"\s+", "", title[:12]) in re.sub(r"\s+", "", text), (page.external_id, code)
            fonts = fonts_of(reader)
            expected = {"zh-hans": "WenQuanYiMicroHei", "en": "DejaVuSans", "ru": "DejaVuSans"}[code]
            assert any(font.startswith(expected) for font in fonts), fonts

    # Words only inside the PDFs find the policy documents, in each language.
    for code in languages.LANGUAGE_CODES:
        assert_only_pdfs_have(ONLY_IN_PDFS[code], code)


def assert_only_pdfs_have(word, code):
    # Not in any page's own fields: a hit can only come from a PDF.
    for model in content_types.models():
        fields = [
            f.name for f in model._meta.get_fields() if f.name.startswith(("title_", "summary_", "body_"))
        ]
        query = Q()
        for name in fields:
            query |= Q(**{f"{name}__icontains": word})
        assert not model.objects.filter(query).exists(), model
    results = search(SearchRequest(q=word, lang=code))
    assert results.engine == "elasticsearch"
    with_pdf_in_language = set(
        PolicyDocumentPage.objects.filter(attachments__language=code).values_list("external_id", flat=True)
    )
    top = [hit.external_id for hit in results.hits[:5]]
    assert top and set(top) <= with_pdf_in_language, (code, top)


def test_policy_pages_link_where_they_say(demo_load, client):
    for page in PolicyDocumentPage.objects.all():
        for code in languages.LANGUAGE_CODES:
            with translation.override(code):
                url = page.get_url()
            html = client.get(url).content.decode()
            assert "localhost" not in html
            # The printed reference is the page's own address, on the host the reader used.
            assert f'<a href="http://testserver{url}">http://testserver{url}</a>' in html
            # The official source's link text is the host it leads to.
            source = re.search(
                r'<a href="(https?://([^/"]+)[^"]*)" rel="external noopener">([^<]+)</a>', html
            )
            assert source and source.group(3) == source.group(2), (url, source and source.groups())
            # Each file's link opens that file.
            for href in re.findall(r'<li><a href="([^"]+)" hreflang=', html):
                assert client.get(href).status_code == 200, href
