"""Countries and themes come from one source: portal/core/data/*.json."""

import subprocess
import sys
from pathlib import Path

import pytest

from portal.core import taxonomy_data

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_the_seeded_taxonomy_is_the_data_files():
    from portal.core.models import Country, Theme

    assert list(Country.objects.values_list("code", flat=True)) == taxonomy_data.country_codes()
    assert list(Theme.objects.values_list("slug", flat=True)) == taxonomy_data.theme_codes()
    kazakhstan = Country.objects.get(code="KZ")
    assert (kazakhstan.name_zh_hans, kazakhstan.name_ru, kazakhstan.sco_status) == (
        "哈萨克斯坦",
        "Казахстан",
        "member",
    )


@pytest.mark.django_db
def test_every_country_is_a_gazetteer_place_with_its_variants(vocabularies):
    from vocab.models import Place

    countries = Place.objects.filter(kind="country").select_related("country")
    assert sorted(p.country.code for p in countries) == sorted(taxonomy_data.country_codes())
    assert "КНР" in Place.objects.get(identifier="cn").all_labels()["ru"]


def test_the_vocabulary_checker_accepts_the_data_and_refuses_a_country_in_the_gazetteer(tmp_path):
    script = [sys.executable, str(ROOT / "scripts" / "check_vocabularies.py"), "--quiet"]
    ok = subprocess.run(script, capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert ok.returncode == 0, ok.stderr
    data = ROOT / "vocab" / "data"
    (tmp_path / "thesaurus.jsonl").write_text((data / "thesaurus.jsonl").read_text(encoding="utf-8"))
    gazetteer = (data / "gazetteer.jsonl").read_text(encoding="utf-8")
    country = (
        '{"id": "xx", "kind": "country", "country": "KZ", "labels": {'
        '"zh-hans": {"pref": "某国", "alt": []}, "en": {"pref": "Someland", "alt": []}, '
        '"ru": {"pref": "Некая страна", "alt": []}}}\n'
    )
    (tmp_path / "gazetteer.jsonl").write_text(gazetteer + country, encoding="utf-8")
    bad = subprocess.run(
        [*script, "--data-dir", str(tmp_path)], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert bad.returncode == 1
    assert "countries belong in" in bad.stderr and "countries.json" in bad.stderr
