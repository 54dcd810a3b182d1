"""The total and the facets a reader sees are exact, past the page shown (issue 14), on the real node.

A search sends two requests (``search.query.send``): the hits, which count
nothing, and the counts, which score nothing. These tests check that what the
reader is told (how many items match, how many of each type and country, with
a facet's own choice left out of its counts) is what the index holds, however
many items there are beyond the page, and that an item matching only in its
body is found and counted.
"""

import pytest

from search.analysis import analyse_query
from search.query import SearchRequest, build_bodies, search
from tests.factories import make_page
from tests.search_support import index_now

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]


def test_the_hits_request_counts_nothing_and_the_counts_request_scores_nothing(db):
    bodies = build_bodies(
        SearchRequest(q="wetland restoration", lang="en", filters={"type": ["project"]}),
        analyse_query("wetland restoration", "en"),
    )
    hits, counts = bodies["hits"], bodies["counts"]
    # The node may skip what cannot reach the page: no total, no aggregation, the choice a filter.
    assert hits["track_total_hits"] is False and "aggs" not in hits and "post_filter" not in hits
    assert hits["size"] == 20 and "rescore" in hits
    # The counts: every match counted, nothing scored, no hit read.
    assert counts["size"] == 0 and counts["track_total_hits"] is True
    assert "constant_score" in counts["query"] and "rescore" not in counts
    assert set(counts["aggs"]) >= {"type", "_filter_country"}  # the type facet ignores its own choice


def test_total_and_facets_are_exact_beyond_the_page(home, es):
    from portal.core.models import Country

    kz, cn = Country.objects.get(code="KZ"), Country.objects.get(code="CN")
    made = []  # (model, countries) of every item that says "wetland"
    for number in range(13):
        country = [kz] if number % 3 else [cn]
        page = make_page(home, title={"en": f"Wetland survey {number}"}, summary={"en": "Birds counted."})
        page.countries.set(country)
        page.save_revision().publish()
        made.append(("project", country, page.pk))
    for number in range(9):
        page = make_page(
            home,
            "policies.PolicyDocumentPage",
            title={"en": f"Rules on protected areas {number}"},
            summary={"en": "Wetland protection and water rights."},
        )
        if number % 2:
            page.countries.set([kz])
            page.save_revision().publish()
        made.append(("policy", [kz] if number % 2 else [], page.pk))
    body_only = make_page(
        home, title={"en": "Grassland monitoring"}, results={"en": "A small wetland was mapped too."}
    )
    made.append(("project", [], body_only.pk))
    for number in range(3):
        make_page(home, title={"en": f"Steppe fire report {number}"}, summary={"en": "Grass burnt."})
    index_now(es)

    first = search(SearchRequest(q="wetland", lang="en"))
    assert first.engine == "elasticsearch"
    assert first.total == len(made) and len(first.hits) == 20 and first.num_pages == 2
    facets = {param: dict(counts) for param, counts in first.facets.items()}
    assert facets["type"] == {"project": 14, "policy": 9}
    tagged = [countries for _model, countries, _pk in made]
    assert facets["country"] == {"KZ": sum(kz in c for c in tagged), "CN": sum(cn in c for c in tagged)}
    second = search(SearchRequest(q="wetland", lang="en", page=2))
    assert len(second.hits) == len(made) - 20 and second.total == first.total
    assert body_only.pk in {h.id for h in second.hits}  # found by its body, below every title and summary
    # What is counted (the counts request's filter) is what is found (the hits' first pass), item for item.
    assert {h.id for h in first.hits + second.hits} == {pk for _m, _c, pk in made}

    policies = search(SearchRequest(q="wetland", lang="en", filters={"type": ["policy"]}))
    assert policies.total == 9 and {h.type for h in policies.hits} == {"policy"}
    facets = {param: dict(counts) for param, counts in policies.facets.items()}
    assert facets["type"] == {"project": 14, "policy": 9}  # its own choice left out: what each would give
    assert facets["country"] == {"KZ": 4}  # the other facets under the choice
