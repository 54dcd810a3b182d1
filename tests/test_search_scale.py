"""Indexing at scale: cached analysis, parallel preparation, PDFs extracted once, bulk cut by size."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import override_settings
from wagtail.documents import get_document_model

from bench.corpus import pdf_bytes
from search import attachments, prepare, rebuild
from search.models import AnalysedText, DocumentText
from search.query import SearchRequest, elasticsearch_search
from tests.factories import make_page
from tests.search_support import as_stored, index_now, refresh

pytestmark = pytest.mark.django_db


def found(q, lang="en"):
    return {hit.id for hit in elasticsearch_search(SearchRequest(q=q, lang=lang, page_size=100)).hits}


@pytest.fixture
def analyses(monkeypatch):
    """Records each text analysed in this process: ``[(page title, {role: text}), …]``."""
    calls = []
    real = prepare.analyse_roles

    def counting(texts):
        calls.append(texts)
        return real(texts)

    monkeypatch.setattr(prepare, "analyse_roles", counting)
    return calls


def test_unchanged_text_is_not_analysed_again(home, analyses):
    page = make_page(home, title={"en": "Steppe grazing", "ru": "Выпас в степи"})
    first = prepare.prepare(page)
    assert len(analyses) == 3  # one per language (tags are in every language)
    analyses.clear()
    assert prepare.prepare(page) == first
    assert analyses == []  # all three from the cache
    page.title_ru = "Выпас скота в степи"
    page.save_revision().publish()
    second = prepare.prepare(type(page).objects.get(pk=page.pk))
    assert [texts["title"] for texts in analyses] == ["Выпас скота в степи"]  # only Russian again
    assert "скот" in second["title_ru_terms"] and second["title_en_terms"] == first["title_en_terms"]
    assert AnalysedText.objects.filter(page_id=page.pk).count() == 3


def test_parallel_preparation_gives_the_same_documents(home):
    pages = [
        make_page(home, title={"zh-hans": f"草原保护{i}", "en": f"Grassland {i}"}, summary={"ru": "Пастбища"})
        for i in range(12)
    ]
    pages = [type(p).objects.get(pk=p.pk) for p in pages]
    serial = prepare.prepare_many(pages)
    AnalysedText.objects.all().delete()
    with prepare.parallel_analysis(workers=2):
        assert prepare._pool is not None
        chunk = prepare.start(pages)
        assert chunk.in_pool  # the analysis runs in the pool
        parallel = chunk.result()
        stored = {(r.page_id, r.language): (r.digest, bytes(r.terms)) for r in AnalysedText.objects.all()}
        assert len(stored) == 3 * len(pages)  # the pool's analyses are cached
        warm = prepare.start(pages)
        assert warm.in_pool  # read back from the cache in the pool
        again = warm.result()
    assert prepare._pool is None
    assert parallel == serial
    assert again == serial
    assert {(r.page_id, r.language): (r.digest, bytes(r.terms)) for r in AnalysedText.objects.all()} == stored


@override_settings(SEARCH_INDEX_NICENESS=5)
def test_the_pool_yields_the_cpu_by_the_configured_niceness():
    import os

    with prepare.parallel_analysis(workers=2):
        assert prepare._pool.submit(os.nice, 0).result() == os.nice(0) + 5
    with override_settings(SEARCH_INDEX_NICENESS=0), prepare.parallel_analysis(workers=2):
        assert prepare._pool.submit(os.nice, 0).result() == os.nice(0)


def test_rebuild_with_small_bulk_requests_indexes_everything(home, es):
    pages = [make_page(home, title={"en": f"Wetland survey {i}"}) for i in range(25)]
    with override_settings(SEARCH_BULK_BYTES=4096):  # a request per document or two
        result = rebuild.rebuild(out=None)
    refresh(es)
    assert result.items == 25
    assert found("wetland survey") == {p.pk for p in pages}


class BusyNode:
    """The real node behind a client that answers 429 as a node short of indexing memory does:
    the whole first request, then the first two documents of the second."""

    def __init__(self, es):
        self.es, self.sizes = es, []

    def options(self, **kwargs):
        return self

    def bulk(self, index, operations):
        from elastic_transport import ApiResponseMeta, HttpHeaders, NodeConfig
        from elasticsearch import ApiError

        self.sizes.append(len(operations) // 2)
        if len(self.sizes) == 1:
            meta = ApiResponseMeta(429, "1.1", HttpHeaders(), 0.0, NodeConfig("http", "127.0.0.1", 9200))
            raise ApiError("es_rejected_execution_exception", meta, {})
        response = dict(self.es.bulk(index=index, operations=operations))
        if len(self.sizes) == 2:
            busy = {"status": 429, "error": {"type": "es_rejected_execution_exception"}}
            response["items"] = [{"index": busy}, {"index": busy}, *response["items"][2:]]
            response["errors"] = True
        return response


def test_a_busy_node_gets_the_refused_documents_again(home, es, monkeypatch):
    from search.indexing import create_physical_index

    pages = [make_page(home, title={"en": f"Tugai forest {i}"}) for i in range(5)]
    lines, _seconds = prepare.bulk_lines(pages[0]._meta.label, [p.pk for p in pages])
    index = create_physical_index(es)
    monkeypatch.setattr(rebuild, "BUSY_PAUSES", (0, 0, 0))
    try:
        busy = BusyNode(es)
        assert rebuild._send(busy, index, [line for pair in lines for line in pair]) == 5
        assert busy.sizes == [5, 5, 2]  # all refused, then two of them, sent again
        es.indices.refresh(index=index)
        assert es.count(index=index)["count"] == 5
        broken = [lines[0][0], lines[0][1].replace(b'"page_id"', b'"no_such_field"', 1)]
        with pytest.raises(RuntimeError, match="indexing failed"):  # a real refusal is not retried
            rebuild._send(es, index, broken)
    finally:
        es.indices.delete(index=index)


def test_pdf_text_is_extracted_once_by_the_worker_and_searchable(home, es, monkeypatch):
    Document = get_document_model()
    document = Document(title="Annex")
    document.file.save("annex.pdf", ContentFile(pdf_bytes("Annex", "Quagga mussel invasion in Lake Sevan")))
    document.save()
    assert DocumentText.objects.get(document=document).extracted_at is None  # pending, not extracted
    page = make_page(home, title={"en": "Lake monitoring"}, publish=False)
    page.documents.create(document=document, language="en")

    def no_file_opening(*args, **kwargs):
        raise AssertionError("a PDF was opened while publishing or indexing")

    monkeypatch.setattr(attachments, "extract_pdf_text", no_file_opening)
    page.save_revision().publish()  # the editor's request: no extraction
    index_now(es)
    assert found("quagga") == set()
    monkeypatch.undo()

    out = io.StringIO()
    call_command("search_worker", "--once", stdout=out)  # extracts, then indexes the page again
    refresh(es)
    assert found("quagga") == {page.pk}
    stored = DocumentText.objects.get(document=document)
    assert "Quagga mussel" in stored.text and stored.extracted_at is not None
    assert attachments.extract_pending() == []  # once: nothing pending any more

    document.file.save("annex2.pdf", ContentFile(pdf_bytes("Annex", "Zebra mussel")))
    document.save()  # a new file: pending again
    assert DocumentText.objects.get(document=document).extracted_at is None


def test_broken_pdf_is_indexed_without_text_and_not_retried(home, es):
    Document = get_document_model()
    document = Document(title="Broken")
    document.file.save("broken.pdf", ContentFile(b"%PDF-1.4 not really"))
    document.save()
    page = make_page(home, title={"en": "Broken attachment"}, publish=False)
    page.documents.create(document=document)
    page.save_revision().publish()
    assert attachments.extract_pending() == [page.pk]
    row = DocumentText.objects.get(document=document)
    assert row.extracted_at is not None and row.text == "" and row.error
    assert attachments.extract_pending() == []


def test_published_page_is_searchable_when_the_editors_request_ends(
    home, es, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = make_page(home, title={"en": "Saxaul planting"})
    # No refresh here, and no waiting for the periodic one: the after-commit drain refreshed.
    assert found("saxaul") == {page.pk}


@pytest.mark.django_db(transaction=True)
def test_the_pool_reads_prepares_and_serialises_the_pages_of_a_rebuild(restore_portal, home, es, monkeypatch):
    """Pool processes read the pages themselves (their own connections): the documents are the ones
    prepared in this process, each page once, and an editor's publishes during the load are in the
    new index after the swap."""
    from elasticsearch import helpers

    from search import client

    with override_settings(SEARCH_DRAIN_ON_COMMIT=False):
        pages = [
            make_page(
                home, title={"zh-hans": f"湿地调查{i}", "en": f"Wetland survey {i}"}, summary={"ru": "Болота"}
            )
            for i in range(14)
        ]
    expected = {
        doc["_id"]: doc for doc in prepare.prepare_many([type(p).objects.get(pk=p.pk) for p in pages])
    }
    analysed_here = {
        (r.page_id, r.language): (r.digest, prepare._unpack(r.terms)) for r in AnalysedText.objects.all()
    }
    AnalysedText.objects.all().delete()  # cold: the pool analyses and fills the cache
    monkeypatch.setattr(rebuild, "PARALLEL_MIN_ITEMS", 10)
    monkeypatch.setattr(prepare, "READ_CHUNK", 3)  # several tasks, results kept in order
    real_prepared = prepare.prepared_in_pool
    seen = {"lines": 0}

    def an_editor_publishes_midway(pool, **kwargs):
        for line in real_prepared(pool, **kwargs):
            seen["lines"] += 1
            if seen["lines"] == 5:  # drained into the old and the building index by the editor's request
                edited = type(pages[0]).objects.get(pk=pages[0].pk)
                edited.title_en = "Wetland survey renamed Quokkaville"
                edited.save_revision().publish()
                seen["new"] = make_page(home, title={"en": "Wetland survey added Wombatburg"})
            yield line

    monkeypatch.setattr(prepare, "prepared_in_pool", an_editor_publishes_midway)
    with override_settings(SEARCH_BULK_BYTES=20_000):  # several bulk requests
        result = rebuild.rebuild(out=None)
    assert seen["lines"] == 14 and result.items == 14
    # Where the time went: the steps in order, and the load split between the node and the pool's stages.
    assert list(result.phases) == ["start", "load", "merge", "swap", "pairings"]
    stages = {"load: waiting for the node", "pool: read", "pool: prepare", "pool: serialise"}
    assert stages <= set(result.details)
    assert result.details["load: waiting for the node"] > 0 and result.details["pool: prepare"] > 0
    refresh(es)
    indexed = {hit["_id"]: hit["_source"] for hit in helpers.scan(es, index=client.read_alias())}
    assert sorted(indexed) == sorted([*expected, str(seen["new"].pk)])  # none lost, none twice
    for page_id, doc in expected.items():  # what the index stores of them (search.documents.UNSHOWN_FIELDS)
        if page_id != str(pages[0].pk):
            assert indexed[page_id] == as_stored(doc)  # the bodies and terms: searched, not stored
    # The analysed terms the pool sent are the ones this process made (and cached):
    analysed_there = {
        (r.page_id, r.language): (r.digest, prepare._unpack(r.terms))
        for r in AnalysedText.objects.filter(page_id__in=[p.pk for p in pages[1:]])
    }
    assert analysed_there == {key: value for key, value in analysed_here.items() if key[0] != pages[0].pk}
    assert len(analysed_there) == 3 * (len(pages) - 1)
    assert found("quokkaville") == {pages[0].pk}
    assert found("wombatburg") == {seen["new"].pk}


def test_the_pool_processes_end_when_the_rebuild_is_killed(tmp_path):
    """``kill`` runs no cleanup in the rebuild; its pool processes must not wait for tasks forever."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    script = (
        "import django, os, sys, time; django.setup()\n"
        "from search import prepare\n"
        "with prepare.parallel_analysis(workers=2):\n"
        "    print(*[p.pid for p in prepare._pool._processes.values()], flush=True)\n"
        "    time.sleep(120)\n"
    )
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    parent = subprocess.Popen(
        [sys.executable, "-c", script], cwd=root, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        children = [int(pid) for pid in parent.stdout.readline().split()]
        assert len(children) == 2 and all(_alive(pid) for pid in children)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in children if _alive(pid)]
    for pid in left:  # not to leave them behind when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not left


def _alive(pid):
    """A process that exists and is not a zombie waiting for its (dead) parent's wait()."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False
