"""Search against the real Elasticsearch node: languages, facets, highlights, API, page."""

import pytest

from search import query
from search.query import SearchRequest, search
from tests.factories import make_page, rolled_back
from tests.search_support import fresh_index, index_now

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]


def titles(q, lang="en", **filters):
    results = search(SearchRequest(q=q, lang=lang, filters=filters))
    assert results.engine == "elasticsearch"
    return [h.title for h in results.hits]


def test_exact_phrase_ranks_above_scattered_terms(home, es):
    make_page(home, title={"en": "Water and air: soil quality programme"}, summary={"en": "quality of water"})
    make_page(home, title={"en": "Water quality monitoring network"})
    index_now(es)
    assert titles("water quality")[0] == "Water quality monitoring network"


def phrase_fields(body):
    """Every field a phrase clause of a request body names."""
    if isinstance(body, dict):
        mm = body.get("multi_match")
        own = mm["fields"] if isinstance(mm, dict) and mm.get("type") == "phrase" else []
        return own + [f for value in body.values() for f in phrase_fields(value)]
    return [f for value in body for f in phrase_fields(value)] if isinstance(body, list) else []


def test_phrases_are_matched_in_titles_summaries_and_tags_not_bodies(home, settings):
    """A phrase in a body of thousands of words was the request's dearest clause (issue 14)."""
    from search.analysis import analyse_query
    from search.query import build_body

    def fields(q="water quality"):
        return phrase_fields(build_body(SearchRequest(q=q), analyse_query(q, "en")))

    assert "title_en^3.0" in fields() and not [f for f in fields() if f.startswith("body_")]
    settings.SEARCH_PHRASES_IN_BODY = True
    assert "body_en^1.0" in fields()


def test_words_only_in_the_text_find_the_item_the_index_keeps_no_copy_of(home, es):
    """Bodies and analysed terms are searched but left out of the stored source (issue 14)."""
    from search import client

    page = make_page(home, title={"en": "Grassland survey"}, results={"en": "Saxaul seedlings took root."})
    index_now(es)
    assert titles("saxaul") == ["Grassland survey"]
    stored = es.get(index=client.read_alias(), id=page.pk)["_source"]
    assert stored["title_en"] == "Grassland survey"
    # Only the card's fields: no bodies, terms, tags, suggestion titles or filter-only fields.
    unshown = [n for n in stored if n.endswith("_terms") or n.startswith(("body_", "tags_", "suggest"))]
    assert not unshown and not {"organisations", "status", "year"} & set(stored)
    assert [s["title"] for s in query.suggest("grass", "en")] == ["Grassland survey"]  # titles read elsewhere


def test_title_ranks_above_body(home, es):
    make_page(
        home, title={"en": "Regional cooperation"}, summary={"en": "Desertification control in the steppe."}
    )
    make_page(home, title={"en": "Desertification control"}, summary={"en": "Regional cooperation."})
    index_now(es)
    assert titles("desertification")[0] == "Desertification control"


@pytest.fixture(scope="class")
def corpus(django_db_setup, django_db_blocker, search_index_prefix):
    """Four projects (Russian, Chinese, English, one with markup in its title), indexed once for the
    class's tests, which only search them; rolled back (and the engine marked up) after them."""
    from portal.core.models import Country, Theme
    from search import client
    from website.models import HomePage

    def build():
        home = HomePage.objects.get()
        es = fresh_index()
        kz, cn = Country.objects.get(code="KZ"), Country.objects.get(code="CN")
        themes = list(Theme.objects.all()[:2])
        pages = {
            "ru": make_page(
                home,
                title={"ru": "Мониторинг загрязнение воздуха в Алматы"},
                summary={"ru": "Сеть станций для наблюдения за качеством воздуха."},
                status="ongoing",
            ),
            "zh": make_page(
                home,
                title={"zh-hans": "京津冀地区大气污染联防联控"},
                summary={"zh-hans": "加强区域大气污染治理合作。"},
                status="completed",
            ),
            "en": make_page(
                home,
                title={"en": "Protecting freshwater ecosystems of the Aral Sea basin"},
                summary={"en": "Restoring wetlands and monitoring water quality."},
                status="ongoing",
            ),
            "script": make_page(
                home, title={"en": "Water <script>alert(1)</script> policy"}, status="planned"
            ),
        }
        pages["ru"].countries.set([kz])
        pages["ru"].themes.set(themes[:1])
        pages["zh"].countries.set([cn, kz])
        pages["en"].countries.set([kz])
        for page in pages.values():
            page.save_revision().publish()
        index_now(es)
        return pages

    yield from rolled_back(django_db_blocker, build)
    client.mark_up()


class TestOneCorpus:
    """Languages, facets, highlights, the API and the page, on one :func:`corpus`."""

    # Cross-language expansion may add the other languages' air-pollution item
    # below it; the item in the query's own language comes first.
    def test_inflected_russian_query_finds_russian_item(self, corpus):
        assert titles("загрязнения воздуха", lang="ru")[0] == "Мониторинг загрязнение воздуха в Алматы"

    def test_unsegmented_chinese_query_finds_chinese_item(self, corpus):
        assert titles("大气污染防治", lang="zh-hans")[0] == "京津冀地区大气污染联防联控"

    def test_single_han_character_finds_item(self, corpus):
        assert "京津冀地区大气污染联防联控" in titles("冀", lang="zh-hans")

    def test_english_stemmed_query_finds_english_item(self, corpus):
        assert (
            titles("protected ecosystem", lang="en")[0]
            == "Protecting freshwater ecosystems of the Aral Sea basin"
        )

    def test_query_with_elasticsearch_syntax_is_text(self, corpus):
        for q in ['air" OR title:*', "(((", "a AND b ||", "\\", "~2 ^3 /regex/", "{}[]"]:
            assert search(SearchRequest(q=q)).engine == "elasticsearch"

    def test_facets_count_and_filter(self, corpus):
        results = search(SearchRequest(q="", lang="en", filters={"country": ["KZ"]}))
        assert results.total == 3
        facets = {k: dict(v) for k, v in results.facets.items()}
        # The country facet ignores its own filter: every country with its count.
        assert facets["country"] == {"KZ": 3, "CN": 1}
        assert facets["status"] == {"ongoing": 2, "completed": 1}
        assert facets["type"] == {"project": 3}
        filtered = search(SearchRequest(q="", filters={"country": ["KZ"], "status": ["ongoing"]}))
        assert filtered.total == 2

    def test_highlights_are_escaped(self, corpus):
        results = search(SearchRequest(q="water policy", lang="en"))
        hit = next(h for h in results.hits if "script" in h.title)
        assert "<script>" not in hit.title_html
        assert "&lt;script&gt;" in hit.title_html
        assert "<mark>" in hit.title_html

    def test_each_language_marked_with_its_own_words(self, corpus):
        """An English query marks its Chinese and Russian expansions in those items' titles; no stop words."""
        hits = {h.title_lang: h for h in search(SearchRequest(q="air pollution", lang="en")).hits}
        assert "<mark>大气污染</mark>" in hits["zh-hans"].title_html
        russian = hits["ru"].title_html
        assert "<mark>загрязнение</mark>" in russian and "<mark>Мониторинг</mark>" not in russian
        stop_words = search(SearchRequest(q="воздуха в Алматы", lang="ru")).hits[0].title_html
        assert "<mark>воздуха</mark>" in stop_words and "<mark>в</mark>" not in stop_words

    def test_an_inflected_word_marks_the_other_forms_of_it(self, corpus):
        """Stems mark as prefixes: "станции" marks "станций", "ecosystem" marks "ecosystems"."""
        hit = search(SearchRequest(q="станции наблюдения", lang="ru")).hits[0]
        assert hit.title_lang == "ru" and "<mark>станций</mark>" in hit.snippet
        assert "<mark>наблюдения</mark>" in hit.snippet
        hit = search(SearchRequest(q="ecosystem", lang="en")).hits[0]
        assert "<mark>ecosystems</mark>" in hit.title_html

    def test_result_in_readers_language_or_marked_fallback(self, corpus):
        results = search(SearchRequest(q="大气污染", lang="ru"))
        hit = results.hits[0]
        assert hit.title_lang == "zh-hans" and hit.is_fallback
        assert hit.url.startswith("/ru/")
        assert "<mark>" in hit.snippet  # highlight in the language shown

    def test_api_shape(self, client, corpus):
        data = client.get("/api/search/", {"q": "воздуха", "lang": "ru"}).json()
        assert set(data) == {
            "query", "lang", "engine", "total", "complete", "page", "page_size", "results", "facets",
        }  # fmt: skip
        assert data["engine"] == "elasticsearch" and data["total"] >= 1
        assert data["complete"] is True  # the engine counts every match (only the fallback may stop early)
        result = data["results"][0]
        assert set(result) == {
            "id", "external_id", "type", "title", "title_lang", "url", "snippet",
            "languages", "countries", "themes", "date", "score",
        }  # fmt: skip
        assert result["title_lang"] == "ru" and result["countries"] == ["KZ"]
        assert set(data["facets"]) == {"type", "country", "theme", "year", "language"}
        kz = next(f for f in data["facets"]["country"] if f["value"] == "KZ")
        assert kz["label"] == "Казахстан"
        assert kz["count"] == sum("KZ" in r["countries"] for r in data["results"]) == data["total"]

    def test_a_chosen_facet_narrows_the_others_not_itself(self, corpus):
        """A reader who chose China sees the other countries' counts still, and the rest narrowed."""
        counts = lambda results, param: dict(results.facets[param])  # noqa: E731
        every = search(SearchRequest(q="", lang="en"))
        china = search(SearchRequest(q="", lang="en", filters={"country": ["CN"]}))
        assert china.total == 1 and [h.title for h in china.hits] == ["京津冀地区大气污染联防联控"]
        assert counts(china, "country") == counts(every, "country") == {"KZ": 3, "CN": 1}
        assert counts(every, "language")["en"] == 2 and counts(china, "language") == {"zh-hans": 1}
        both = search(SearchRequest(q="", lang="en", filters={"country": ["CN"], "language": ["en"]}))
        assert both.total == 0 and counts(both, "country") == {"KZ": 1}  # the English items' countries
        assert counts(both, "language") == {"zh-hans": 1}  # what choosing another language would give

    def test_search_page_renders(self, client, corpus):
        response = client.get("/ru/search/", {"q": "загрязнения воздуха"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "Мониторинг" in html and "<mark>" in html
        script = client.get("/en/search/", {"q": "policy"}).content.decode()
        assert "<script>alert(1)" not in script

    def test_search_page_empty_result_offers_to_remove_filters(self, client, corpus):
        html = client.get("/en/search/", {"q": "nothingmatchesthis", "country": "KZ"}).content.decode()
        assert 'class="empty-result"' in html and "?q=nothingmatchesthis" in html

    def test_suggest_titles_in_any_language(self, client, corpus):
        data = client.get("/api/search/suggest/", {"q": "Мони", "lang": "en"}).json()
        assert data["suggestions"][0]["title"].startswith("Мониторинг")
