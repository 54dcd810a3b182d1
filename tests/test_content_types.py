"""The content-type registry: one declaration per type, read by lists, search, API, feeds, import."""

from news.models import NewsPage
from policies.models import PolicyDocumentPage
from portal.core import content_types
from projects.models import ProjectPage, TrainingProgrammePage


def test_every_content_type_is_declared_once_in_navigation_order():
    declared = content_types.all()
    assert [o.model for o in declared] == [ProjectPage, TrainingProgrammePage, PolicyDocumentPage, NewsPage]
    assert len({o.import_name for o in declared}) == len(declared)
    assert len({o.api_name for o in declared}) == len(declared)


def test_lookups_by_model_import_name_and_api_name():
    assert content_types.by_model(PolicyDocumentPage).import_name == "policy"
    assert content_types.by_import_name("training").model is TrainingProgrammePage
    assert content_types.by_api_name("policies").model is PolicyDocumentPage
    assert content_types.by_import_name("publication") is None
    assert content_types.by_api_name("projects").listing_date == "start_date"


def test_translated_fields_are_read_from_modeltranslation():
    fields = content_types.by_model(ProjectPage).translated_fields
    assert fields == ("title", "summary", "body", "place_name", "results")
    assert "slug" not in content_types.by_model(NewsPage).translated_fields


def test_search_facets_are_the_type_and_every_indexed_facet_once():
    names = [f.name for f in content_types.search_facets()]
    assert names == ["type", "country", "theme", "status", "year", "language"]
    from search.query import FACETS

    assert FACETS["country"] == "countries" and FACETS["type"] == "type"


def test_the_api_names_choice_facets_by_their_api_parameter():
    policy = content_types.by_model(PolicyDocumentPage)
    assert policy.facet("document_type").api_name == "type"
    assert policy.facet("status").api_name == "status"
    assert content_types.choice_labels("status")["in_force"] == "In force"


def test_feeds_exist_only_for_types_that_declare_one(client, home):
    from projects.models import ProjectIndexPage, TrainingIndexPage

    home.add_child(instance=ProjectIndexPage(title="Projects", slug="projects"))
    home.add_child(instance=TrainingIndexPage(title="Training", slug="training"))
    assert client.get("/en/feeds/projects/rss.xml").status_code == 200
    assert client.get("/en/feeds/trainings/rss.xml").status_code == 404  # no feed declared
    assert client.get("/en/feeds/publications/rss.xml").status_code == 404
