"""Fixtures every test can use; helpers to build pages are in ``tests/factories.py``.

Once per run: the test database as ``setup_portal`` leaves it, the open
dictionaries' tables (built before the first test, never inside one), and a
search index prefix of this run's own (several people share the node).

Corpora that tests only read are made once per module: ``content`` (the
API's) inside a transaction rolled back at the module's end, ``vocabularies``
(the starter thesaurus and gazetteer) committed and removed at its end; each
test still runs in a transaction of its own, so what a test changes is rolled back.
"""

import json
import os
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command

# --- Once per run --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as ``setup_portal`` leaves it: taxonomy seeded, home page at the root."""
    with django_db_blocker.unblock():
        call_command("setup_portal", verbosity=0)


def pytest_sessionstart(session):
    """Build the dictionary tables' file in ``var/`` once, before any test (and before xdist's workers).

    Run with ``-n``, this is the controller: it writes the file the workers then
    only read (each worker's :func:`dictionary_tables` loads it), instead of
    every worker parsing the dictionaries at once on a fresh checkout.
    """
    if not hasattr(session.config, "workerinput"):
        from search import dictionaries

        dictionaries.tables()


@pytest.fixture(scope="session", autouse=True)
def dictionary_tables():
    """The cross-language dictionaries, read from ``var/`` before this process's first test."""
    from search import dictionaries

    dictionaries.tables()


@pytest.fixture(scope="session", autouse=True)
def search_index_prefix():
    """Index names of this run only; the run's indices are deleted at its end."""
    base = settings.ELASTICSEARCH_INDEX_PREFIX
    settings.ELASTICSEARCH_INDEX_PREFIX = f"{base}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    yield settings.ELASTICSEARCH_INDEX_PREFIX
    prefix = settings.ELASTICSEARCH_INDEX_PREFIX
    settings.ELASTICSEARCH_INDEX_PREFIX = base
    if settings.ELASTICSEARCH_URL:
        from search import client

        try:
            es = client.get_client()
            for name in es.indices.get(index=f"{prefix}-*", expand_wildcards="all"):
                es.indices.delete(index=name)
        except client.ENGINE_ERRORS:
            pass


# --- Each test -----------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language (a request leaves its language active)."""
    from django.utils import translation

    from portal import languages

    with translation.override(languages.DEFAULT_LANGUAGE):
        yield


@pytest.fixture
def home(db):
    from website.models import HomePage

    return HomePage.objects.get()


@pytest.fixture
def admin_in(client, django_user_model):
    """``admin_in("ru")``: the test client signed in as a superuser whose admin is in that language."""
    from wagtail.users.models import UserProfile

    user = django_user_model.objects.create_superuser("polyglot", "polyglot@example.org", "pw")
    client.force_login(user)

    def switch(code):
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = code
        profile.save()
        return client

    return switch


@pytest.fixture
def es(search_index_prefix):
    """A client on an empty index (fresh aliases). Fails, never skips, if the node is down."""
    from search import client
    from tests.search_support import fresh_index

    yield fresh_index()
    client.mark_up()


@pytest.fixture
def project_index(home):
    """The published projects list, titled in the three languages."""
    from tests.factories import project_list

    return project_list(home)


@pytest.fixture
def site_with_project(home):
    """A projects list with a trilingual-ish project (KZ) and a Chinese-only one (CN)."""
    from projects.models import ProjectIndexPage, ProjectPage
    from tests.factories import publish

    index = ProjectIndexPage(
        title="Cooperation projects",
        title_en="Cooperation projects",
        title_ru="Проекты сотрудничества",
        title_zh_hans="合作项目",
        slug="projects",
    )
    index = publish(home, index)
    page = ProjectPage(
        title="Almaty air",
        title_en="Almaty air",
        title_ru="Воздух Алматы",
        slug="almaty-air",
        summary_en="Cleaner air for Almaty.",
        status="ongoing",
    )
    page = publish(index, page, countries=("KZ",))
    only_zh = ProjectPage(title_zh_hans="聊城大气", slug="liaocheng", status="completed")
    only_zh = publish(index, only_zh, countries=("CN",))
    return index, page, only_zh


# --- Read-only corpora, committed once per module ----------------------------------------------


@pytest.fixture(scope="module")
def api_corpus(django_db_setup, django_db_blocker):
    """The API tests' pages and organisations (``tests/api_v1_support.make_content``), made once
    per module inside a transaction rolled back at its end (nothing to clean up)."""
    from tests.api_v1_support import module_corpus

    yield from module_corpus(django_db_blocker)


@pytest.fixture
def content(api_corpus, db):
    """:func:`api_corpus` for one test, in a savepoint of its own (what the test changes is undone)."""
    return api_corpus


@pytest.fixture(scope="module")
def demo_load(django_db_setup, django_db_blocker):
    """``manage.py load_demo`` run once for the module (what it printed), rolled back at its end.

    Loading the demo takes seconds; the demo's tests read it, and what one
    changes (a second load, ``setup_portal``) is undone by its own savepoint
    (the tests are marked ``django_db``: their transaction opens inside this one).
    """
    import io

    from tests.factories import rolled_back

    def load():
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        return out.getvalue()

    yield from rolled_back(django_db_blocker, load)


@pytest.fixture
def empty_cache():
    """The cache emptied before and after the test: the rate limits count in it, per client address."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def vocabularies(django_db_setup, django_db_blocker):
    """The starter thesaurus and gazetteer, loaded for the module and removed at its end."""
    from vocab import versioning
    from vocab.models import Concept, Place

    with django_db_blocker.unblock():
        call_command("load_vocabularies", verbosity=0)
    yield
    with django_db_blocker.unblock():
        Concept.objects.all().delete()
        Place.objects.all().delete()
        versioning.bump()


@pytest.fixture
def restore_portal(django_db_blocker, tmp_path):
    """Put the database back as the other tests expect it, after the transactional test's flush.

    The live server needs a transactional test, whose teardown empties every
    table (what the migrations and ``setup_portal`` made included). This takes
    a snapshot before the test and puts it back after it: on an SQLite file a
    copy of the file (``tests/snapshots.py``, milliseconds, no flush at all),
    elsewhere the serialized rows, loaded again right after the flush.
    """
    from django.db import connections
    from django.test import TransactionTestCase

    from tests import snapshots
    from tests.inflight import wait_until_quiet

    connection = connections["default"]
    original = TransactionTestCase.__dict__["_fixture_teardown"]
    if snapshots.cheap_restores() and not connection.in_atomic_block:
        saved = tmp_path / "before.sqlite3"
        with django_db_blocker.unblock():
            snapshots.save_database(saved)

        def teardown_then_restore(self):
            # No request of the live server may run into the restore (tests/inflight.py).
            wait_until_quiet()
            TransactionTestCase._fixture_teardown = original
            snapshots.restore_database(saved)

    else:
        with django_db_blocker.unblock():
            # Without the vocabulary's version counter: loading the concepts back
            # bumps it (vocab/versioning.py) and would collide with the saved row.
            snapshot = json.dumps(
                [
                    obj
                    for obj in json.loads(connection.creation.serialize_db_to_string())
                    if obj["model"] != "vocab.vocabularyversion"
                ]
            )

        def teardown_then_restore(self):
            # No request of the live server may run into the flush (tests/inflight.py).
            wait_until_quiet()
            # As with serialized rollback: the flush skips post_migrate (no fresh
            # content types or groups to collide with the snapshot's).
            self.serialized_rollback = True
            connection._test_serialized_contents = snapshot
            try:
                original(self)
            finally:
                TransactionTestCase._fixture_teardown = original
                del connection._test_serialized_contents
                connection.creation.deserialize_db_from_string(snapshot)

    # pytest-django's flush runs after this fixture's own teardown: the patch
    # removes itself once it has run.
    TransactionTestCase._fixture_teardown = teardown_then_restore
    yield


@pytest.fixture(scope="session")
def demo_snapshot(search_index_prefix):
    """The demo as first loaded in this process, put back by ``demo_site`` (SQLite: tests/snapshots.py)."""
    from tests import snapshots

    snapshot = snapshots.DemoSnapshot()
    yield snapshot
    es = None
    if settings.ELASTICSEARCH_URL:
        from search import client

        es = client.get_client()
    snapshot.discard(es)


# --- Order: the longest modules first ----------------------------------------------------------

# ``scripts/test`` runs the suite on one pytest-xdist worker per core, a whole
# file per worker at a time (``--dist loadfile --no-loadscope-reorder``), in the
# order below: the files that took longest in a measured run (``--durations``,
# per-file totals), longest first. Started first, the long ones (a live server
# with Schemathesis or a browser, the demo, the fault tests) run beside the many
# short files on the other worker instead of leaving one worker alone at the end.
# A file missing here runs after these, in collection order.
LONGEST_FIRST = (
    "tests/browser/test_editor_workflows.py",
    "tests/test_api_v1_schemathesis.py",
    "tests/browser/test_editor_journey.py",
    "tests/test_api_v1.py",
    "tests/browser/test_reader_journey.py",
    "tests/test_crosslang_units.py",
    "tests/test_projects.py",
    "tests/test_cluster_faults.py",
    "tests/test_demo.py",
    "tests/test_policies.py",
    "tests/test_demo_pdfs.py",
    "tests/test_faults.py",
    "tests/test_search_indexing.py",
    "tests/browser/test_every_page_type.py",
    "tests/test_search_engine.py",
    "tests/test_honest_translations.py",
    "tests/test_crosslang_search.py",
    "tests/test_reader_site.py",
    "tests/browser/test_accessibility.py",
    "tests/test_bench_corpus.py",
    "tests/test_search_scale.py",
    "tests/test_news.py",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Put :data:`LONGEST_FIRST`'s files first, keeping pytest-django's order within each file."""

    def rank(item):
        path = item.nodeid.split("::")[0]
        return LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)
