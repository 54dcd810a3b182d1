"""The bulk import writes what Wagtail's own publish writes.

``operations/importing/bulk.py`` bypasses ``add_child``, ``save_revision``
and ``publish`` for speed. Here one item is imported in bulk and the same item
is published the ordinary way (``add_child`` + ``save_revision().publish()``,
what the admin's "Publish" runs), and the two pages are compared row by row:
page and model columns, revision, history, relations, reference index,
Wagtail's search index, the outbox and the search document. The only
differences allowed are the ones two distinct pages must have (id, tree
path, slug, translation key, the moment of publishing), and those are
checked for what they must be instead.
"""

import json
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision

from news.models import NewsPage
from operations.importing import import_lines, read_items
from operations.importing.engine import _assign, _index_page_for
from projects.models import ProjectPage, TrainingProgrammePage
from tests.factories import rolled_back

pytestmark = pytest.mark.django_db

# Columns that differ between any two pages, checked separately below.
OWN = {"id", "page_ptr_id", "pk", "path", "translation_key", "external_id", "draft_title", "title"}
MOMENTS = {"first_published_at", "last_published_at", "latest_revision_created_at"}
REVISION_LINKS = {"latest_revision_id", "live_revision_id", "latest_revision", "live_revision"}
SLUGS = {f"{name}{suffix}" for name in ("slug", "url_path") for suffix in ("", "_zh_hans", "_en", "_ru")}
SAME_EXCEPT = OWN | MOMENTS | REVISION_LINKS | SLUGS
BLOCK_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def without_block_ids(value):
    """A body with the random ids Wagtail gives each block (a new one per save) taken out."""
    if hasattr(value, "raw_data"):
        return [{k: v for k, v in block.items() if k != "id"} for block in value.raw_data]
    if isinstance(value, str) and value.startswith("[{"):
        return [{k: v for k, v in block.items() if k != "id"} for block in json.loads(value)]
    return value


def differences(ours, theirs):
    """Names whose values differ, bodies compared without their block ids."""
    return {name for name in ours if without_block_ids(ours[name]) != without_block_ids(theirs[name])}


def record(external_id, home_id):
    """A project in two languages, with a body linking to the home page (a reference to index)."""
    return {
        "external_id": external_id,
        "type": "project",
        "translations": {
            "zh-hans": {
                "title": "阿拉木图空气质量监测",
                "summary": "监测网络与排放清单",
                "body": f'<p>见<a data-linktype="page" data-id="{home_id}" href="/">首页</a>。</p>',
            },
            "ru": {"title": "Мониторинг качества воздуха в Алматы", "summary": "Сеть мониторинга"},
        },
        "countries": ["KZ", "CN"],
        "themes": ["air", "monitoring"],
        "status": "completed",
        "start_date": "2021-03-01",
        "end_date": "2023-12-31",
        "budget_amount": "125000.00",
        "budget_currency": "USD",
        "latitude": 43.25,
        "longitude": 76.95,
    }


def publish_through_wagtail(item):
    """The item published the ordinary way, one page, Wagtail doing everything."""
    page = ProjectPage(external_id=item.external_id)
    _assign(page, item)
    page.slug_en = page.slug = "wagtail-published"
    parent = _index_page_for(ProjectPage)
    parent.add_child(instance=page)
    page.countries.set(page.countries.model.objects.filter(code__in=item.countries))
    page.themes.set(page.themes.model.objects.filter(slug__in=item.themes))
    page.save_revision().publish()
    return ProjectPage.objects.get(pk=page.pk)


def build_pair():
    """The same item bulk-imported and published through Wagtail (outbox emptied first); their ids."""
    from search.models import IndexTask
    from website.models import HomePage

    home = HomePage.objects.get()
    IndexTask.objects.all().delete()
    [item] = read_items([json.dumps(record("wagtail", home.pk), ensure_ascii=False)])
    reference = publish_through_wagtail(item)
    import_lines([json.dumps(record("bulk", home.pk), ensure_ascii=False)])
    return ProjectPage.objects.get(external_id="bulk").pk, reference.pk


@pytest.fixture(scope="class")
def imported_pair(django_db_setup, django_db_blocker):
    """:func:`build_pair` once for the class's tests, in a transaction rolled back after them."""
    yield from rolled_back(django_db_blocker, build_pair)


@pytest.fixture
def pair(imported_pair, db):
    """(bulk-imported page, Wagtail-published page) of the same item, read afresh for the test."""
    return tuple(ProjectPage.objects.get(pk=pk) for pk in imported_pair)


def columns(page):
    row = Page.objects.filter(pk=page.pk).values()[0]
    row.update(ProjectPage.objects.filter(pk=page.pk).values()[0])
    return row


class TestOneItemTwoWays:
    """The pair's pages compared, read from one :func:`imported_pair` made for the class."""

    def test_page_and_model_columns_are_the_same(self, pair):
        bulk, reference = pair
        ours, theirs = columns(bulk), columns(reference)
        assert ours.keys() == theirs.keys()
        differing = differences(ours, theirs)
        assert differing <= SAME_EXCEPT, {n: (ours[n], theirs[n]) for n in differing - SAME_EXCEPT}
        assert (
            (ours["latitude"], ours["longitude"]) == (theirs["latitude"], theirs["longitude"]) != (None, None)
        )
        assert ours["live"] and not ours["has_unpublished_changes"] and ours["numchild"] == 0
        assert ours["draft_title"] == bulk.title and ours["locale_id"] == theirs["locale_id"]

    def test_tree_position_slugs_and_url_paths_follow_the_parent(self, pair):
        bulk, reference = pair
        parent = reference.get_parent()
        assert bulk.get_parent().pk == parent.pk and bulk.depth == reference.depth
        assert (
            parent.get_children().count() == parent.numchild == Page.objects.get(pk=parent.pk).numchild == 2
        )
        assert bulk.slug_en and bulk.slug_en != reference.slug_en
        for code in ("zh_hans", "en", "ru"):
            own_slug = getattr(bulk, f"slug_{code}") or bulk.slug_en
            assert getattr(bulk, f"url_path_{code}") == getattr(parent, f"url_path_{code}") + own_slug + "/"
        Page.fix_tree(fix_paths=False)  # treebeard finds nothing to repair: depth, numchild, paths agree
        assert Page.find_problems() == ([], [], [], [], [])

    def test_one_revision_that_is_live_and_holds_the_same_content(self, pair):
        bulk, reference = pair
        ours, theirs = Revision.page_revisions.filter(object_id=str(bulk.pk)), reference.revisions.all()
        assert ours.count() == theirs.count() == 1
        ours, theirs = ours.get(), theirs.get()
        assert bulk.live_revision_id == bulk.latest_revision_id == ours.pk
        assert bulk.latest_revision_created_at == ours.created_at
        for name in (
            "content_type_id",
            "base_content_type_id",
            "object_str",
            "user_id",
            "approved_go_live_at",
        ):
            assert getattr(ours, name) == getattr(theirs, name), name
        content, expected = dict(ours.content), dict(theirs.content)
        assert content.keys() == expected.keys()
        differing = differences(content, expected)
        assert differing <= SAME_EXCEPT, {k: (content[k], expected[k]) for k in differing - SAME_EXCEPT}
        assert content["pk"] == bulk.pk and content["live"] is True
        assert ours.as_object().title == bulk.title  # the admin can open and compare it

    def test_history_shows_created_and_published(self, pair):
        bulk, reference = pair

        def history(page):
            entries = PageLogEntry.objects.filter(page=page).order_by("action")
            return [
                (
                    e.action,
                    e.label,
                    e.content_changed,
                    e.user_id,
                    e.data,
                    e.revision_id == page.live_revision_id,
                )
                for e in entries
            ]

        assert history(bulk) == history(reference)
        assert [entry[0] for entry in history(bulk)] == ["wagtail.create", "wagtail.publish"]

    def test_relations_reference_index_and_wagtail_search_index_are_the_same(self, pair):
        from wagtail.search.models import IndexEntry

        bulk, reference = pair
        assert sorted(bulk.countries.values_list("code", flat=True)) == ["CN", "KZ"]
        for name in ("countries", "themes"):
            assert list(getattr(bulk, name).values_list("pk")) == list(
                getattr(reference, name).values_list("pk")
            )

        def references(page):
            rows = ReferenceIndex.objects.filter(object_id=str(page.pk))
            fields = ("content_type_id", "to_content_type_id", "to_object_id", "content_path")
            return sorted((*row[:3], BLOCK_ID.sub("<block>", row[3])) for row in rows.values_list(*fields))

        assert references(bulk) == references(reference) != []  # the link to the home page

        def entry(page):
            row = IndexEntry.objects.filter(object_id=str(page.pk)).values()[0]
            return {
                name: value for name, value in row.items() if name not in ("id", "object_id", "title_norm")
            }

        assert entry(bulk) == entry(reference)
        found = sorted(page.pk for page in ProjectPage.objects.live().search("Алматы"))
        assert found == sorted([reference.pk, bulk.pk])

    def test_translation_gaps_are_the_same(self, pair):
        from portal.core.models import TranslationGaps

        bulk, reference = pair

        def gaps(page):
            return TranslationGaps.objects.get(page_id=page.pk).missing

        assert gaps(bulk) == gaps(reference) != ""  # written in two of three languages

    def test_outbox_row_and_search_document_are_the_same(self, pair):
        from search.models import IndexTask
        from search.prepare import prepare

        bulk, reference = pair
        rows = IndexTask.objects.filter(done_at__isnull=True)
        assert sorted(rows.values_list("page_id", "action")) == [(reference.pk, "index"), (bulk.pk, "index")]
        ours, theirs = prepare(bulk), prepare(reference)
        skip = {"_id", "page_id", "external_id", "published_at", "url_zh_hans", "url_en", "url_ru"}
        assert {k: v for k, v in ours.items() if k not in skip} == {
            k: v for k, v in theirs.items() if k not in skip
        }

    def test_an_editor_can_edit_and_republish_a_bulk_imported_page(self, pair, client):
        bulk, _reference = pair
        bulk.title_en = "Almaty air quality monitoring"
        bulk.save_revision().publish()
        bulk.refresh_from_db()
        assert bulk.revisions.count() == 2 and bulk.live_revision_id == bulk.latest_revision_id
        assert client.get(bulk.url).status_code == 200


def test_new_pages_cost_a_fixed_number_of_queries_per_batch(home, tmp_path):
    """The point of the bulk path: 50 new pages cost about what 5 do, not ten times more."""

    def queries_for(n, start):
        lines = [json.dumps(record(f"q-{start + i}", home.pk), ensure_ascii=False) for i in range(n)]
        with CaptureQueriesContext(connection) as captured:
            import_lines(lines)
        return len(captured.captured_queries)

    queries_for(1, 0)  # sections, taxonomy caches
    few, many = queries_for(5, 100), queries_for(50, 200)
    assert many <= few + 10, (few, many)


def test_a_model_rule_failing_at_write_time_names_the_line_and_writes_nothing(
    home, tmp_path, monkeypatch, capsys
):
    from django.core.exceptions import ValidationError

    def refuse(self):
        if self.external_id == "bad":
            raise ValidationError({"status": "refused by the model"})

    monkeypatch.setattr(ProjectPage, "clean", refuse)
    path = tmp_path / "items.jsonl"
    good, bad = record("good", home.pk), record("bad", home.pk)
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in (good, bad)) + "\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_content", str(path))
    assert "line 2, status: refused by the model" in capsys.readouterr().err
    assert not ProjectPage.objects.exists()


# --- Streaming: batches written as the file is read, all or nothing -------------------


def test_the_file_is_written_in_batches_as_it_is_read(home, monkeypatch):
    """Pages of the first batches exist (in the transaction) before the last line is read."""
    from operations.importing import engine

    monkeypatch.setattr(engine, "BATCH", 5)
    seen_while_reading = []

    def lines():
        for n in range(12):
            if n == 11:
                seen_while_reading.append(ProjectPage.objects.count())
            yield json.dumps(record(f"s-{n}", home.pk), ensure_ascii=False)

    summary = import_lines(lines())
    assert seen_while_reading == [10]  # two batches of five written before line 12 was read
    assert summary.created == ProjectPage.objects.count() == 12


def test_a_bad_line_after_written_batches_rolls_everything_back(home, tmp_path, monkeypatch, capsys):
    from operations.importing import engine
    from search.models import IndexTask

    monkeypatch.setattr(engine, "BATCH", 5)
    IndexTask.objects.all().delete()
    revisions, publications = (
        Revision.objects.count(),
        PageLogEntry.objects.filter(action="wagtail.publish").count(),
    )
    lines = [json.dumps(record(f"r-{n}", home.pk), ensure_ascii=False) for n in range(12)]
    lines.append('{"external_id": "r-bad", "type": "project", "translations": {"en": {"title": "x"}}')
    lines.append(json.dumps(record("r-bad-date", home.pk) | {"start_date": "2021-13-01"}, ensure_ascii=False))
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="2 error"):
        call_command("import_content", str(path))
    err = capsys.readouterr().err
    assert "line 13: not valid JSON" in err and "line 14, start_date" in err
    assert not ProjectPage.objects.exists() and not IndexTask.objects.exists()
    # Nothing of the twelve good lines stays: no revision, no publication in the log.
    assert Revision.objects.count() == revisions
    assert PageLogEntry.objects.filter(action="wagtail.publish").count() == publications


def test_an_unchanged_reimport_writes_nothing(home):
    lines = [json.dumps(record(f"u-{n}", home.pk), ensure_ascii=False) for n in range(8)]
    import_lines(lines)
    with CaptureQueriesContext(connection) as captured:
        summary = import_lines(lines)
    assert (summary.created, summary.updated, summary.skipped) == (0, 0, 8)
    writes = [
        q["sql"] for q in captured.captured_queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")
    ]
    assert writes == []


def test_standard_input_is_imported_as_a_stream(home, monkeypatch, capsys):
    import io

    lines = [json.dumps(record(f"in-{n}", home.pk), ensure_ascii=False) for n in range(3)]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    call_command("import_content", "-")
    assert "3 created" in capsys.readouterr().out
    assert ProjectPage.objects.filter(external_id__startswith="in-").count() == 3


# --- Memory: what the import keeps per item stays small, however long the file ---------


def _lines(prefix, n, home_id):
    return [json.dumps(record(f"{prefix}-{i}", home_id), ensure_ascii=False) for i in range(n)]


def test_an_import_of_30_pages_registers_each_commit_callback_once(
    home, monkeypatch, django_capture_on_commit_callbacks
):
    """One publish-counter bump and one outbox drain a transaction, not one a page (each held to the end)."""
    from operations.importing import engine

    monkeypatch.setattr(engine, "BATCH", 5)
    with django_capture_on_commit_callbacks() as callbacks:
        import_lines(_lines("cb", 30, home.pk))
    assert ProjectPage.objects.filter(external_id__startswith="cb-").count() == 30
    names = [callback.__name__ for callback in callbacks]
    assert sorted(names) == ["_bump", "drain_after_commit"], names


def test_under_debug_the_query_log_holds_a_batch_not_the_whole_file(home, monkeypatch, settings):
    """``manage.py`` runs with DEBUG on: Django's query log must not keep every batch's INSERTs."""
    from django.db import reset_queries

    from operations.importing import engine

    monkeypatch.setattr(engine, "BATCH", 5)
    settings.DEBUG = True

    def logged_after(prefix, n):
        reset_queries()
        import_lines(_lines(prefix, n, home.pk))
        return sum(len(query["sql"]) for query in connection.queries)

    few, many = logged_after("log-few", 10), logged_after("log-many", 40)
    assert ProjectPage.objects.filter(external_id__startswith="log-").count() == 50
    assert many <= few * 1.2, (few, many)  # eight batches hold no more than two


def test_outbox_rows_are_written_batch_by_batch_not_kept_to_the_end(home, monkeypatch):
    """The search outbox's rows of a batch are inserted with it (committed together with the rest)."""
    from operations.importing import engine
    from search.models import IndexTask

    monkeypatch.setattr(engine, "BATCH", 5)
    IndexTask.objects.all().delete()
    seen_while_reading = []

    def lines():
        for n, line in enumerate(_lines("ob", 12, home.pk)):
            if n == 11:
                seen_while_reading.append(IndexTask.objects.count())
            yield line

    import_lines(lines())
    assert seen_while_reading == [10]  # the first two batches' rows, before line 12 was read
    assert IndexTask.objects.count() == 12


# --- What the prepared rows write: every type, every part, as Wagtail would -----------

TRAINING_AND_PARTS = [
    {
        "type": "organisation",
        "external_id": "org-rows",
        "kind": "centre",
        "country": "CN",
        "translations": {"en": {"name": "Rows Centre"}, "ru": {"name": "Центр строк"}},
    },
    {"type": "series", "external_id": "rows-series", "translations": {"en": {"name": "Rows series"}}},
    {
        "type": "training",
        "external_id": "rows-training",
        "translations": {"en": {"title": "Urban air"}, "ru": {"title": "Воздух городов", "body": "Текст"}},
        "series": "rows-series",
        "organisers": ["org-rows"],
        "sessions": [
            {
                "start_date": "2018-09-10",
                "end_date": "2018-09-21",
                "country": "CN",
                "languages": "zh-hans, ru",
                "capacity": 35,
                "translations": {"en": {"city": "Beijing"}, "ru": {"city": "Пекин"}},
            },
            {"start_date": "2018-11-06", "end_date": "2018-11-08", "online": True},
        ],
        "participants": {"KZ": 9, "UZ": 6},
    },
    {"type": "policy", "external_id": "rows-policy-2", "translations": {"en": {"title": "Air code"}}},
    {
        "type": "policy",
        "external_id": "rows-policy",
        "translations": {"ru": {"title": "Об охране атмосферного воздуха", "body": "Статья 1.\n\nСтатья 2."}},
        "issuing_organisation": "org-rows",
        "jurisdiction": "KZ",
        "relations": [{"relation": "related", "target": "rows-policy-2"}],
    },
    {
        "type": "project",
        "external_id": "rows-project",
        "translations": {"zh-hans": {"title": "聊城空气质量", "body": "<p>监测<b>网络</b></p>"}},
        "start_date": "2017-09-14",
        "end_date": "2018-03-31",
        "budget_amount": "125000.50",
        "budget_currency": "usd",
        "organisations": [{"organisation": "org-rows", "role": "implementing"}],
        "trainings": ["rows-training"],
        "policies": ["rows-policy"],
    },
    {"type": "news", "external_id": "rows-news", "translations": {"en": {"title": "Envoys meet"}}},
]


@pytest.fixture
def imported_with_parts(home, monkeypatch):
    from operations.importing import engine

    monkeypatch.setattr(engine, "BATCH", 1)  # a link to a page of the same batch waits for the end
    import_lines([json.dumps(r, ensure_ascii=False) for r in TRAINING_AND_PARTS])
    return [page.specific for page in Page.objects.filter(depth__gt=3)]


def test_each_revision_holds_the_page_as_save_revision_would_serialise_it(imported_with_parts):
    """Built from the rows' values, the content equals Wagtail's own ``serializable_data()``.

    Every type, with sessions, participants, organisers, organisations with
    roles, links and relations (each named after its target, so every page is
    written in bulk, in one revision); compared with the page read back from
    the database (the moments of publishing and the revision links are what
    ``save_revision`` sees before ``publish`` sets them).
    """
    pages = [p for p in imported_with_parts if getattr(p, "external_id", "").startswith("rows-")]
    assert all(Revision.page_revisions.filter(object_id=str(p.pk)).count() == 1 for p in pages)
    assert {type(p).__name__ for p in pages} >= {
        "TrainingProgrammePage",
        "ProjectPage",
        "PolicyDocumentPage",
        "NewsPage",
    }
    for page in pages:
        revision = page.live_revision
        expected = page.serializable_data()
        for name in ("first_published_at", "last_published_at", "latest_revision_created_at"):
            expected[name] = None
        expected["latest_revision"] = expected["live_revision"] = None
        expected = json.loads(json.dumps(expected, cls=DjangoJSONEncoder))
        content = dict(revision.content)
        assert content.keys() == expected.keys(), page
        differing = differences(content, expected)
        assert not differing, {k: (content[k], expected[k]) for k in differing}
        assert revision.as_object().serializable_data().keys() == page.serializable_data().keys()
    training = next(p for p in pages if isinstance(p, TrainingProgrammePage))
    sessions = training.live_revision.content["sessions"]
    assert [s["city_ru"] for s in sessions] == ["Пекин", ""] and len(
        training.live_revision.content["participants"]
    ) == 2


def test_texts_are_stored_as_written_and_read_back_the_same(imported_with_parts):
    """Bodies are JSON stored with their letters as they are (not \\u escapes) and read back equal."""
    project = next(p for p in imported_with_parts if getattr(p, "external_id", "") == "rows-project")
    assert [b.block_type for b in project.body_zh_hans] == ["paragraph"]
    assert "监测" in str(project.body_zh_hans[0].value)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT body_zh_hans FROM projects_projectpage WHERE page_ptr_id = %s", [project.pk]
            )
            (raw,) = cursor.fetchone()
        assert "监测" in raw and "\\u76d1" not in raw
    assert project.budget_amount == Decimal("125000.50") and project.budget_currency == "USD"


def test_wagtail_search_norms_are_computed_once_over_all_new_entries(home):
    """The title norms Wagtail's database search ranks with: average title length / own length."""
    from django.db.models.functions import Length
    from wagtail.search.models import IndexEntry

    lines = []
    for n, title in enumerate(("Air", "Air quality monitoring network", "Water", "Desertification control")):
        lines.append(
            json.dumps({"type": "news", "external_id": f"norm-{n}", "translations": {"en": {"title": title}}})
        )
    import_lines(lines)
    entries = IndexEntry.objects.annotate(length=Length("title")).filter(length__gt=0)
    average = sum(e.length for e in entries) / len(entries)  # over the whole index, as Wagtail's
    imported = [e for e in entries if int(e.object_id) in set(NewsPage.objects.values_list("pk", flat=True))]
    assert len(imported) == 4
    for entry in imported:
        assert entry.title_norm == pytest.approx(average / entry.length), entry.title
    by_length = sorted(imported, key=lambda e: e.length)
    assert by_length[0].title_norm > by_length[-1].title_norm  # short titles weigh more, none left at 1.0


def test_wagtail_search_entries_of_realistic_items_are_what_modelsearch_writes(home):
    """Long bodies in three languages, every type: the bulk path's entries are modelsearch's own.

    On PostgreSQL the import writes the entries itself (texts copied in, vectors
    made by the server); here modelsearch's ``add_bulk`` then writes each page
    again over them, and nothing but the norm (recomputed by it) may change.
    """
    from modelsearch.backends import get_search_backend
    from wagtail.search.models import IndexEntry

    from bench.corpus import generate
    from portal.core import content_types

    import_lines(json.dumps(r, ensure_ascii=False) for r in generate(24, seed=5))

    def entries():
        rows = IndexEntry.objects.order_by("content_type_id", "object_id").values()
        return [{k: v for k, v in row.items() if k not in ("id", "title_norm")} for row in rows]

    written = entries()
    backend = get_search_backend()
    models = {content_types.by_import_name(kind).model for kind in ("project", "training", "policy", "news")}
    pages = 0
    for model in models:
        found = list(model.objects.filter(external_id__isnull=False).exclude(external_id=""))
        pages += len(found)
        if found:
            backend.add_bulk(model, found)
    assert pages == 24 and len(written) >= 24
    assert entries() == written


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the server-made entries are PostgreSQL's")
def test_on_postgresql_the_fallback_backend_entries_are_made_by_the_server(home, monkeypatch):
    """The portal's own fallback backend (a subclass of modelsearch's) gets the bulk path too.

    When the portal's backend began subclassing modelsearch's index class, the
    importer no longer recognised it and wrote every entry through
    modelsearch's per-text expressions: a first import of 10,000 items at less
    than half its rate. Here modelsearch's own ``add_items`` may not run at all.
    """
    from modelsearch.backends import get_search_backend
    from modelsearch.backends.database.postgres.postgres import PostgresIndex
    from wagtail.search.models import IndexEntry

    from operations.importing.searchindex import PostgresEntries

    assert PostgresEntries.serves(get_search_backend().get_index_for_model(NewsPage))

    def refused(self, model, objs):
        raise AssertionError("modelsearch's add_items ran: the import's bulk entries were not used")

    monkeypatch.setattr(PostgresIndex, "add_items", refused)
    lines = [
        json.dumps(
            {"type": "news", "external_id": f"srv-{n}", "translations": {"en": {"title": f"Step {n}"}}}
        )
        for n in range(3)
    ]
    assert import_lines(lines).created == 3
    new = NewsPage.objects.filter(external_id__startswith="srv-")
    ids = {str(pk) for pk in new.values_list("pk", flat=True)}
    assert set(IndexEntry.objects.filter(object_id__in=ids).values_list("object_id", flat=True)) == ids


# --- Re-import: unchanged records skipped by their stored digest ------------------------


def test_an_unchanged_reimport_reads_no_page_texts(home):
    """Unchanged records are known by their digest: no page's body or title is read back."""
    lines = [json.dumps(record(f"d-{n}", home.pk), ensure_ascii=False) for n in range(6)]
    import_lines(lines)
    with CaptureQueriesContext(connection) as captured:
        summary = import_lines(lines)
    assert (summary.created, summary.updated, summary.skipped) == (0, 0, 6)
    read = " ".join(q["sql"] for q in captured.captured_queries)
    assert "body_en" not in read and "summary_ru" not in read


def test_a_changed_record_is_updated_and_then_skipped_by_its_new_digest(home):
    from operations.models import ImportedPage

    lines = [json.dumps(record(f"c-{n}", home.pk), ensure_ascii=False) for n in range(3)]
    import_lines(lines)
    changed = record("c-1", home.pk)
    changed["translations"]["ru"]["title"] = "Мониторинг воздуха в Алматы, второй этап"
    lines[1] = json.dumps(changed, ensure_ascii=False)
    summary = import_lines(lines)
    assert (summary.created, summary.updated, summary.skipped) == (0, 1, 2)
    page = ProjectPage.objects.get(external_id="c-1")
    assert page.title_ru == "Мониторинг воздуха в Алматы, второй этап" and page.revisions.count() == 2
    assert ImportedPage.objects.get(page=page).revision_id == page.latest_revision_id
    with CaptureQueriesContext(connection) as captured:
        summary = import_lines(lines)
    assert (summary.updated, summary.skipped) == (0, 3)
    assert "body_en" not in " ".join(q["sql"] for q in captured.captured_queries)


def test_a_page_an_editor_published_since_is_compared_not_skipped(home):
    """The digest matches the record, but the page is not what the import wrote: the record wins back."""
    line = json.dumps(record("ed-1", home.pk), ensure_ascii=False)
    import_lines([line])
    page = ProjectPage.objects.get(external_id="ed-1")
    page.title_ru = "Заголовок, исправленный редактором"
    page.save_revision().publish()
    summary = import_lines([line])
    assert (summary.updated, summary.skipped) == (1, 0)
    page.refresh_from_db()
    assert page.title_ru == "Мониторинг качества воздуха в Алматы" and page.revisions.count() == 3


def test_a_draft_saved_since_is_compared_and_the_live_page_left_alone(home):
    """A draft makes a new latest revision: the record is compared with the live page, found the same."""
    from operations.models import ImportedPage

    line = json.dumps(record("dr-1", home.pk), ensure_ascii=False)
    import_lines([line])
    page = ProjectPage.objects.get(external_id="dr-1")
    page.title_ru = "Черновик редактора"
    draft = page.save_revision()
    summary = import_lines([line])
    assert (summary.updated, summary.skipped) == (0, 1)
    page = ProjectPage.objects.get(external_id="dr-1")
    assert page.latest_revision_id == draft.pk and page.has_unpublished_changes  # the draft is kept
    assert ImportedPage.objects.get(page=page).revision_id == draft.pk  # next time: skipped unread
