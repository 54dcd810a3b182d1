"""Fixtures every test can use; helpers to build pages are in ``tests/factories.py``.

Once per run: the test database as ``setup_portal`` leaves it, the open
dictionaries' tables (built before the first test, never inside one), and a
search index prefix of this run's own (several people share the node).

Corpora that tests read are made once per module: ``content`` (the API's) and
``site_with_project`` inside a transaction rolled back at the module's end,
``vocabularies`` (the starter thesaurus and gazetteer) committed, with the
database copied before and put back at its end (``tests/snapshots.py``); each
test still runs in a transaction of its own, so what a test changes is rolled back.
Live-server tests commit: ``restore_portal`` puts a copy of the database back after them.
"""

import gc
import os
import socket
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command

# Imported first: it notes every database connection opened from here on (tests/snapshots.py).
from tests import snapshots

# --- Once per run --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """The test database as ``setup_portal`` leaves it: taxonomy seeded, home page at the root.

    Migrated once per run: the first xdist worker migrates (ten seconds of CPU)
    and saves a copy (``tests/snapshots.py``: :class:`~tests.snapshots.Run`),
    which the others put back as their own test database, under the run's lock.
    """
    from django.test.utils import setup_databases, teardown_databases

    run = snapshots.Run(request.config)
    migrated = run.database("migrated")
    with django_db_blocker.unblock(), run.lock("migrated"):
        if run.is_made("migrated"):
            databases = snapshots.use_test_database()
            migrated.restore()
        else:
            databases = setup_databases(
                verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set()
            )
            call_command("setup_portal", verbosity=0)
            if run.workers > 1:
                migrated.save()
                run.mark_made("migrated")
    freeze_what_the_session_set_up()
    yield
    with django_db_blocker.unblock():
        snapshots.close_connections()  # those of other threads too: PostgreSQL drops no database in use
        teardown_databases(databases, verbosity=0)


# Python's cyclic garbage collector took a sixth of a test process's CPU (measured with
# gc.callbacks over test_api_v1, test_reader_site and test_projects: 10.0 of 59.8 s), most of
# it in full collections walking the same long-lived objects again and again: the modules of
# Django, Wagtail and the app, the URL resolvers, the migration state. With those frozen
# (never collected: they live to the end) and young collections after 20,000 allocations
# instead of 700, the same tests spent 4.0 s; peak memory 362 -> 378 MB a process.
GC_THRESHOLDS = (20_000, 10, 10)


def pytest_configure(config):
    gc.set_threshold(*GC_THRESHOLDS)


def freeze_what_the_session_set_up():
    """Leave the objects made so far (imports, the test database's set-up) out of every collection."""
    gc.collect()
    gc.freeze()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """Each xdist worker is told the run it belongs to (:class:`tests.snapshots.Run`)."""
    node.workerinput["portal_run"] = str(os.getpid())


def pytest_sessionfinish(session):
    """The controller (or the only process) removes what the run's processes shared."""
    if hasattr(session.config, "workerinput"):
        return
    es = None
    if settings.ELASTICSEARCH_URL:
        from search import client

        es = client.get_client()
    from pytest_django.plugin import blocking_manager_key

    try:
        with session.config.stash[blocking_manager_key].unblock():
            snapshots.Run(session.config).remove(es)
    except Exception as error:  # noqa: BLE001 - the verdict of the run stands; say what was left
        print(f"\nThe run's shared test copies were not all removed: {error!r}")


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


@pytest.fixture(scope="module")
def project_list_of_module(django_db_setup, django_db_blocker):
    """The projects list ``/p/`` (:func:`tests.factories.project_list`) made once for a module, in a
    transaction rolled back at its end; its id. Read through :func:`shared_project_index`."""
    from tests.factories import project_list, rolled_back
    from website.models import HomePage

    yield from rolled_back(django_db_blocker, lambda: project_list(HomePage.objects.get()).pk)


@pytest.fixture
def shared_project_index(project_list_of_module, db):
    """:func:`project_index` made once per module: for a module whose tests each add pages of their own
    under an empty list (what a test adds is undone by its savepoint). A module opts in by defining
    its ``project_index`` as this; one that builds a ``/p/`` of its own elsewhere must not."""
    from projects.models import ProjectIndexPage

    return ProjectIndexPage.objects.get(pk=project_list_of_module)


def build_site_with_project():
    """A projects list with a trilingual-ish project (KZ) and a Chinese-only one (CN); their ids.

    Never indexed (their outbox rows are dropped): a search test in the same
    module indexes only its own pages.
    """
    from projects.models import ProjectIndexPage, ProjectPage
    from search.models import IndexTask
    from tests.factories import publish
    from website.models import HomePage

    index = ProjectIndexPage(
        title="Cooperation projects",
        title_en="Cooperation projects",
        title_ru="Проекты сотрудничества",
        title_zh_hans="合作项目",
        slug="projects",
    )
    index = publish(HomePage.objects.get(), index)
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
    IndexTask.objects.all().delete()
    return index.pk, page.pk, only_zh.pk


@pytest.fixture(scope="module")
def project_site(django_db_setup, django_db_blocker):
    """:func:`build_site_with_project` once per module, in a transaction rolled back at its end."""
    from tests.factories import rolled_back

    yield from rolled_back(django_db_blocker, build_site_with_project)


@pytest.fixture
def site_with_project(project_site, db):
    """(projects list, KZ project, Chinese-only project): the module's pages, read afresh for each test.

    Each test runs in a savepoint of its own, so what one writes is undone
    before the next; the instances are new, so what one changes in memory is too.
    """
    from wagtail.models import Page

    return tuple(Page.objects.get(pk=pk).specific for pk in project_site)


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
def vocabularies(database_copies, django_db_blocker):
    """The starter thesaurus and gazetteer, committed for the module; at its end the database is put
    back as it was before (a copy, ``tests/snapshots.py``: deleting thousands of concepts took seconds)."""
    before = snapshots.DatabaseCopy("before-vocabularies", database_copies)
    with django_db_blocker.unblock():
        before.save()
        call_command("load_vocabularies", verbosity=0)
    yield
    with django_db_blocker.unblock():
        before.restore(keep=False)


@pytest.fixture(scope="session")
def database_copies(django_db_setup, django_db_blocker, tmp_path_factory):
    """The folder of this process's database copies (``tests/snapshots.py``), removed at the end."""
    folder = tmp_path_factory.mktemp("database-copies")
    yield folder
    with django_db_blocker.unblock():
        for label in ("before", "before-vocabularies"):
            snapshots.DatabaseCopy(label, folder).discard()


@pytest.fixture(scope="session")
def live_server(live_server):
    """pytest-django's live server, its connections with Nagle's algorithm off (``TCP_NODELAY``).

    Django's development server writes a response's headers and its body in two
    ``send`` calls. With Nagle on, the body waits for the client to acknowledge
    the headers, and the client delays that acknowledgement by 40 ms: every
    request on a kept-alive connection (Chromium's, Schemathesis's) cost 40 ms
    of nothing. Measured on one Schemathesis piece: 630 cases in 26.9 s, 7.7 s
    with this. Linux gives accepted sockets the listening socket's option, so it
    is set once here. Gunicorn, which production runs, sets it itself.
    """
    live_server.thread.httpd.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return live_server


@pytest.fixture
def restore_portal(django_db_blocker, database_copies):
    """Put the database back as the other tests expect it, instead of the transactional test's flush.

    The live server needs a transactional test, whose teardown would empty every
    table (what the migrations and ``setup_portal`` made included). This copies
    the database before the test and puts the copy back after it
    (``tests/snapshots.py``: SQLite's backup API, PostgreSQL's ``CREATE DATABASE
    … TEMPLATE``), in a fraction of a second and with no flush at all.
    """
    from django.db import connections
    from django.test import TransactionTestCase

    from tests.inflight import wait_until_quiet

    if connections["default"].in_atomic_block:
        pytest.fail("restore_portal is for transactional tests: a module's rolled-back corpus is open here")
    original = TransactionTestCase.__dict__["_fixture_teardown"]
    before = snapshots.DatabaseCopy("before", database_copies)
    with django_db_blocker.unblock():
        before.save()

    def teardown_then_restore(self):
        # No request of the live server may run into the restore (tests/inflight.py).
        wait_until_quiet()
        TransactionTestCase._fixture_teardown = original
        with django_db_blocker.unblock():
            before.restore(keep=False)

    # pytest-django's flush runs after this fixture's own teardown: the patch
    # removes itself once it has run.
    TransactionTestCase._fixture_teardown = teardown_then_restore
    yield


@pytest.fixture(scope="session")
def demo_snapshot(request, search_index_prefix, django_db_setup):
    """The demo as first loaded in this run (by any worker), put back by ``demo_site`` (snapshots.py)."""
    return snapshots.DemoSnapshot(snapshots.Run(request.config))


# --- Order: the longest first, spread over the workers -------------------------------------

# ``scripts/test`` runs the suite on one pytest-xdist worker per core plus one
# (``--dist loadfile --no-loadscope-reorder``). A worker takes a whole file at a time
# (a module's corpus is built once), except the files of :data:`SPREAD_BY_TEST`,
# whose tests are handed out one by one (:func:`pytest_xdist_make_scheduler`).
# Work is handed out in the order below: the files (or single tests, ``file::name``)
# that took longest in a measured run, longest first, so that the long ones start
# early, beside the many short files on the other workers, instead of leaving one
# worker alone at the end. A file missing here runs after these, in collection order.
LONGEST_FIRST = (
    # Mostly waits for one real minute (the scheduler's go-live time): it costs a worker, not CPU.
    "tests/browser/test_editor_workflows.py::test_scheduled_pages_go_live_by_themselves_while_the_scheduler_runs",
    "tests/test_api_v1_schemathesis.py",
    "tests/browser/test_editor_workflows.py",
    "tests/browser/test_editor_journey.py",
    "tests/browser/test_every_page_type.py",
    "tests/test_demo.py",
    "tests/test_demo_pdfs.py",
    "tests/test_projects.py",
    # Not earlier: the 3-node cluster it waits for starts beside the first tests (scripts/test).
    "tests/test_cluster_faults.py",
    "tests/test_search_indexing.py",
    "tests/test_faults.py",
    "tests/test_news.py",
    "tests/test_serving_scale.py",
    "tests/test_honest_translations.py",
    "tests/test_fuzz.py",
    "tests/test_api_v1.py",
    "tests/test_policies.py",
    "tests/test_crosslang_units.py",
    "tests/test_search_scale.py",
    "tests/test_crosslang_search.py",
    "tests/test_reader_site.py",
    "tests/test_ranking.py",
    "tests/browser/test_reader_journey.py",
    "tests/test_pairings.py",
    "tests/test_import_bulk.py",
    "tests/browser/test_accessibility.py",
    "tests/test_site_seo.py",
)

# Files whose tests share nothing built per module (each test sets up its own live
# server data), long enough to be worth spreading: Schemathesis in pieces of the API
# (tests/test_api_v1_schemathesis.py), the editors' browser journeys.
SPREAD_BY_TEST = (
    "tests/test_api_v1_schemathesis.py",
    "tests/browser/test_editor_workflows.py",
    # Not test_editor_journey.py: it runs as one file on one worker, in file order, as in every
    # earlier green run (spreading it saved little; its picker test's wait: see that test).
)


def _rank(nodeid):
    """The place of a test in :data:`LONGEST_FIRST` (its own entry, else its file's)."""
    for place, entry in enumerate(LONGEST_FIRST):
        if nodeid == entry or nodeid.startswith((entry + "::", entry + "[")):
            return place
    return len(LONGEST_FIRST)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Put :data:`LONGEST_FIRST`'s tests first, keeping pytest-django's order within each file."""
    items.sort(key=lambda item: _rank(item.nodeid))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile``, except that the tests of :data:`SPREAD_BY_TEST` go out one by one."""
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SpreadingScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid):
            path = nodeid.split("::", 1)[0]
            return nodeid if path in SPREAD_BY_TEST else path

    return SpreadingScheduling(config, log)
