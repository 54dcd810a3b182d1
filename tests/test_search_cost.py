"""What the node is asked to do for a search sorted by date (issue 14), on the real node.

By date, a score only orders the items of one date: the search sends the cheap
first pass, not the whole ranking query over every match, and matches the
same items as the same words by relevance.
"""

import datetime

import pytest

from search.analysis import analyse_query
from search.query import SearchRequest, build_body, search
from tests.factories import make_page
from tests.search_support import index_now

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]


def body(q, **kwargs):
    return build_body(SearchRequest(q=q, lang="en", **kwargs), analyse_query(q, "en"))


def test_by_date_the_request_is_the_first_pass_without_a_rescore(db):
    by_date, by_relevance = body("air pollution monitoring", sort="date"), body("air pollution monitoring")
    assert by_date["query"] == by_relevance["query"]  # the first pass: the same matches
    assert "rescore" in by_relevance and "rescore" not in by_date
    assert by_date["sort"][0] == {"date": {"order": "desc", "missing": "_last"}}
    assert '"phrase"' not in str(by_date) and "cross_fields" not in str(by_date)  # the ranking's dear clauses


def test_by_date_the_same_items_as_by_relevance_newest_first(home, es):
    dates = {
        "2019": datetime.date(2019, 4, 1),
        "2023": datetime.date(2023, 4, 1),
        "2021": datetime.date(2021, 4, 1),
    }
    make_page(home, title={"en": "Air pollution control"}, start_date=dates["2019"])
    make_page(home, title={"en": "Air quality monitoring"}, start_date=dates["2023"])
    make_page(home, title={"en": "Pollution of rivers"}, start_date=dates["2021"])
    make_page(home, title={"en": "Grassland survey"}, start_date=dates["2021"])
    index_now(es)
    by_relevance = search(SearchRequest(q="air pollution", lang="en"))
    by_date = search(SearchRequest(q="air pollution", lang="en", sort="date"))
    assert by_date.engine == by_relevance.engine == "elasticsearch"
    assert by_date.total == by_relevance.total == 3
    assert {h.id for h in by_date.hits} == {h.id for h in by_relevance.hits}
    assert [h.date for h in by_date.hits] == sorted((h.date for h in by_date.hits), reverse=True)
    assert by_relevance.hits[0].title == "Air pollution control"  # relevance still the ranking's


def test_the_first_pass_gives_lucene_best_scores_to_skip_by(db):
    first_pass = str(body("air pollution monitoring")["query"])
    # combined_fields has no best score (Lucene scored every match); function_score and
    # dis_max hide their terms' own best scores from the top-level skipping.
    assert "combined_fields" not in first_pass and "function_score" not in first_pass
    assert "dis_max" not in first_pass and "multi_match" not in first_pass
    assert "'body_en_terms'" in first_pass and "'title_en_terms'" in first_pass  # each a term of its own
    # What that saves shows only on an index far larger than a test's (Lucene decides what to
    # skip window by window of documents): bench/search_bench.py --existing at 100,000 items.


def test_items_that_say_a_word_only_in_their_bodies_are_skipped_not_scored(home, es, settings):
    """The node scores fewer items than match, and finds and counts them all (issue 14)."""
    from search import client
    from search.query import build_bodies

    settings.SEARCH_RESCORE_WINDOW = 5
    titled = [make_page(home, title={"en": f"Wetland birds {n}"}) for n in range(8)]
    for n in range(40):
        make_page(home, title={"en": f"Grassland report {n}"}, results={"en": "A wetland was seen nearby."})
    index_now(es)
    request = SearchRequest(q="wetland", lang="en", page_size=5)
    bodies = build_bodies(request, analyse_query("wetland", "en"))
    profiled = es.search(index=client.read_alias(), body={**bodies["hits"], "profile": True})
    scored = profiled["profile"]["shards"][0]["searches"][0]["query"][0]["breakdown"]["score_count"]
    assert scored < 48 / 2  # most of the 40 body-only items passed over
    results = search(request)
    assert results.total == 48
    assert {h.id for h in results.hits} <= {p.pk for p in titled}  # the titles first, as before
