"""Ranking: a word's rarity in titles is its rarity among titles, not in running text (issue 15).

``SEARCH_BODY_APART`` (``search.ranking.Representation._apart``). Matched over
the titles, summaries, tags and bodies as one field (``cross_fields``), a word
was as rare as in the field where it is commonest: a word that most items'
bodies say (监测站, "monitoring station", in nearly every Chinese body of the
archive) was worth almost nothing in a title too, so the item *about* it lost
to an item mentioning another word of the query once in its body. The blind
evaluation's pattern (``bench/crosslang_blind_eval.py``): «Хоргос пост
мониторинга воздуха», the Chinese monitoring station's item second.
"""

import pytest

from tests.search_support import fresh_index, index_now, ranked

pytestmark = [pytest.mark.django_db]

EN = "en"

# Every report's body says "station" (running text of a monitoring archive); none says "glacier".
REPORTS = {
    f"report-{n}": ("Quarterly report", "The station recorded the data of the station network.")
    for n in range(8)
}
ITEMS = {
    # the item about a station: the word in its title, nowhere in a body
    "title-station": ("Mountain weather station", ""),
    # another word of the query, once, in running text
    "body-glacier": ("Annual review", "A glacier was visited once."),
    **REPORTS,
}


@pytest.fixture(scope="module")
def body_corpus(django_db_setup, django_db_blocker):
    from tests.factories import make_page, remove_committed
    from website.models import HomePage

    with django_db_blocker.unblock():
        es = fresh_index()
        home = HomePage.objects.get()
        pages = {
            key: make_page(home, title={EN: title}, results_en=f"<p>{body}</p>" if body else "")
            for key, (title, body) in ITEMS.items()
        }
        index_now(es)
    yield {page.pk: key for key, page in pages.items()}
    with django_db_blocker.unblock():
        remove_committed(pages.values())


@pytest.mark.elasticsearch
def test_a_word_in_a_title_counts_by_its_rarity_among_titles(body_corpus):
    q = "station glacier"
    blended = ranked(body_corpus, q, EN, SEARCH_BODY_APART=False)
    # One field: "station" is in nine bodies of ten, so in a title it weighs less than a rare word in a body.
    assert blended.index("body-glacier") < blended.index("title-station")
    apart = ranked(body_corpus, q, EN)
    # Apart: one title of ten says "station"; the item about a station comes first.
    assert apart[0] == "title-station"
    assert apart.index("title-station") < apart.index("body-glacier")
