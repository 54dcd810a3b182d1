"""The starter taxonomy: the SCO's countries and the portal's themes, defined once.

``portal/core/data/countries.json`` and ``themes.json`` are the one list of
each. Read by the seed migration (``core.0002_seed_taxonomy``), by the
gazetteer (each country is also a place: ``vocab.loading.country_places``)
and by ``scripts/check_vocabularies.py``
(which reads the files directly: it runs without Django). Editors own the
countries and themes in the admin once the portal is set up; these files
only seed a new database.

A country::

    {"code": "KZ", "sco_status": "member",
     "labels": {"zh-hans": {"pref": "哈萨克斯坦", "alt": [...]}, "en": {...}, "ru": {...}}}

``labels`` are the gazetteer's (``pref`` is the country's name). A theme::

    {"code": "air", "names": {"zh-hans": "大气", "en": "Air", "ru": "Воздух"}}
"""

import json
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def countries():
    """The countries in their display order (members, observers, dialogue partners)."""
    return json.loads((DATA_DIR / "countries.json").read_text(encoding="utf-8"))


@cache
def themes():
    """The themes in their display order."""
    return json.loads((DATA_DIR / "themes.json").read_text(encoding="utf-8"))


def country_codes():
    return [country["code"] for country in countries()]


def theme_codes():
    return [theme["code"] for theme in themes()]


def country_name(country, code):
    """A country's name in the language ``code`` (its preferred label)."""
    return country["labels"][code]["pref"]
