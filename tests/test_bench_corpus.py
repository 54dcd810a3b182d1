"""bench/corpus.py: the generated corpus is deterministic, realistic in shape, and importable."""

import collections
import json
import statistics

import pytest
from django.core.management import call_command

from bench import corpus
from operations.importing import importable_types
from portal import languages
from portal.core.models import Country, Theme

SIZE = 600


@pytest.fixture(scope="module")
def records():
    return list(corpus.generate(SIZE, seed=3, attachments=True))


def words(text, code):
    return len(text) / 1.7 if code == "zh-hans" else len(text.split())


def test_same_seed_same_corpus_and_item_n_independent_of_size(tmp_path):
    one = corpus.write(tmp_path / "a", 150, seed=9).read_bytes()
    two = corpus.write(tmp_path / "b", 150, seed=9).read_bytes()
    assert one == two
    assert corpus.write(tmp_path / "c", 150, seed=10).read_bytes() != one
    # Item n is the same whether the corpus has 60 or 150 items: a 10k corpus is a prefix of 100k.
    assert one.splitlines()[:60] == corpus.write(tmp_path / "d", 60, seed=9).read_bytes().splitlines()


def test_types_languages_and_lengths_are_realistic(records):
    types = collections.Counter(r["type"] for r in records)
    assert set(types) == {"policy", "news", "project", "training"}
    assert types["policy"] > types["project"] > types["training"]
    counts = collections.Counter(len(r["translations"]) for r in records)
    assert set(counts) == {1, 2, 3} and counts[1] > counts[2] > counts[3] * 0.8
    by_language = collections.Counter(code for r in records for code in r["translations"])
    assert min(by_language.values()) > SIZE * 0.3
    for code in corpus.CODES:
        summaries = [
            words(r["translations"][code]["summary"], code) for r in records if code in r["translations"]
        ]
        bodies = [words(r["translations"][code]["body"], code) for r in records if code in r["translations"]]
        assert 45 <= min(summaries) and max(summaries) <= 160, code
        assert 250 <= min(bodies) and max(bodies) <= 3600, code
        assert 500 < statistics.median(bodies) < 1500, code


def test_long_tail_of_names_and_vocabulary(records):
    titles = [t["title"] for r in records for t in r["translations"].values()]
    assert len(set(titles)) > 0.95 * len(titles)
    numbers = collections.Counter(r["document_number"] for r in records if r["type"] == "policy")
    assert sum(1 for n in numbers.values() if n == 1) > 0.9 * len(numbers)
    tokens = collections.Counter(
        w for r in records if "en" in r["translations"] for w in r["translations"]["en"]["body"].split()
    )
    once = sum(1 for n in tokens.values() if n == 1)
    assert once > 0.2 * len(tokens)  # hapaxes: rare names and terms
    assert tokens.most_common(1)[0][1] > 1000 * statistics.median(tokens.values())  # and a Zipf head


def test_statuses_agree_with_dates(records):
    for r in records:
        if r["type"] == "project":
            today = corpus.status_day().isoformat()
            assert (r["status"] == "completed") == (r["end_date"] < today), r
            assert (r["status"] == "planned") == (r["start_date"] > today), r
            assert r["start_date"] < r["end_date"]
        if r["type"] == "policy" and r["status"] != "draft":
            assert r["date_in_force"] >= r["document_date"]


def test_pdf_attachments_have_a_text_layer(tmp_path):
    from pypdf import PdfReader

    path = corpus.write(tmp_path, 120, seed=3)
    with_files = [json.loads(line) for line in path.read_text().splitlines() if '"attachments"' in line]
    assert with_files, "some items carry a PDF"
    attachment = with_files[0]["attachments"][0]
    assert "text" not in attachment  # the text went into the PDF
    reader = PdfReader(tmp_path / attachment["file"])
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Report:" in text and len(text.split()) > 150


@pytest.mark.django_db
def test_codes_exist_in_the_taxonomy_and_the_importer_accepts_the_corpus(records, tmp_path):
    countries = set(Country.objects.values_list("code", flat=True))
    themes = set(Theme.objects.values_list("slug", flat=True))
    assert {c for r in records for c in r["countries"]} <= countries
    assert {t for r in records for t in r["themes"]} <= themes
    path = corpus.write(tmp_path, 12, seed=5, attachments=False)
    call_command("import_content", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    types = importable_types()
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        page = types[record["type"]].objects.live().get(external_id=record["external_id"])
        for code, texts in record["translations"].items():
            assert getattr(page, languages.localized_field("title", code)) == texts["title"]
