#!/usr/bin/env python3
"""Validate the starter vocabularies in vocab/data/ (standard library only).

    python scripts/check_vocabularies.py [--data-dir vocab/data] [--quiet]

Checks vocab/data/thesaurus.jsonl and vocab/data/gazetteer.jsonl (whose country places are
the countries of portal/core/data/countries.json, the one list of countries and themes):

* every line is one JSON object with the expected keys;
* ids are unique slugs;
* zh-hans, en and ru each have a non-empty ``pref`` label and a list of ``alt`` labels;
* a label uses a script that fits its language (no Cyrillic or Chinese in ``en``,
  Chinese characters in a ``zh-hans`` pref, Cyrillic in a ``ru`` pref, ...);
* no label is repeated inside one entry, and no ``pref`` label is used twice within one
  language in the same file (compared case-insensitively, ``ё`` = ``е``);
* thesaurus: ``broader`` ids exist and form no cycle, theme codes are the portal's ten,
  each theme has a top concept whose id is the theme code, ``source`` is null or a URI;
* gazetteer: ``kind`` is one of the known kinds, ``country`` is an SCO state's
  ISO 3166-1 alpha-2 code or null.

On the first error it prints ``file:line: message`` and exits with status 1; otherwise it
prints counts per theme, per kind and per country and exits with status 0.
"""

import argparse
import collections
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TAXONOMY_DIR = ROOT / "portal" / "core" / "data"  # the one list of countries and of themes


def _codes(name):
    with open(TAXONOMY_DIR / name, encoding="utf-8") as fh:
        return tuple(entry["code"] for entry in json.load(fh))


THEMES = _codes("themes.json")
# SCO members, observers and dialogue partners.
COUNTRIES = _codes("countries.json")

KINDS = (
    "country",
    "region",
    "city",
    "river",
    "lake",
    "sea",
    "mountains",
    "protected_area",
    "desert",
    "other",
)

LANGS = ("zh-hans", "en", "ru")

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URI_RE = re.compile(r"^https?://\S+$")
GEMET_RE = re.compile(r"^http://www\.eionet\.europa\.eu/gemet/concept/\d+$")
CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
CYR_RE = re.compile(r"[\u0400-\u04ff]")
LATIN_RE = re.compile(r"[A-Za-z]")

THESAURUS_KEYS = {"id", "broader", "themes", "source", "labels"}
GAZETTEER_KEYS = {"id", "kind", "country", "labels"}


class VocabularyError(Exception):
    def __init__(self, path, line, message):
        super().__init__(f"{path}:{line}: {message}")


def norm(label):
    return " ".join(label.replace("ё", "е").replace("Ё", "Е").casefold().split())


def check_script(lang, label, is_pref):
    """Return an error message if the label's script does not fit its language."""
    if lang == "en":
        if CJK_RE.search(label) or CYR_RE.search(label):
            return f"en label {label!r} contains Chinese or Cyrillic characters"
    elif lang == "zh-hans":
        if CYR_RE.search(label):
            return f"zh-hans label {label!r} contains Cyrillic characters"
        if is_pref and not CJK_RE.search(label):
            return f"zh-hans pref {label!r} contains no Chinese characters"
    elif lang == "ru":
        if CJK_RE.search(label):
            return f"ru label {label!r} contains Chinese characters"
        if is_pref and not CYR_RE.search(label):
            return f"ru pref {label!r} contains no Cyrillic characters"
        for word in re.findall(r"[^\W\d_]+", label):
            if CYR_RE.search(word) and LATIN_RE.search(word):
                return f"ru label {label!r} mixes Latin and Cyrillic letters in {word!r}"
    return None


def check_labels(labels):
    """Return an error message for a bad ``labels`` object, or None."""
    if not isinstance(labels, dict):
        return "labels must be an object"
    missing = [lang for lang in LANGS if lang not in labels]
    if missing:
        return f"labels lack language(s): {', '.join(missing)}"
    extra = sorted(set(labels) - set(LANGS))
    if extra:
        return f"labels have unknown language(s): {', '.join(extra)}"
    for lang in LANGS:
        entry = labels[lang]
        if not isinstance(entry, dict):
            return f"labels[{lang!r}] must be an object"
        unknown = sorted(set(entry) - {"pref", "alt"})
        if unknown:
            return f"labels[{lang!r}] has unknown key(s): {', '.join(unknown)}"
        pref = entry.get("pref")
        if not isinstance(pref, str) or not pref.strip():
            return f"labels[{lang!r}].pref is empty or not a string"
        if pref != pref.strip():
            return f"labels[{lang!r}].pref {pref!r} has leading or trailing spaces"
        alt = entry.get("alt", [])
        if not isinstance(alt, list):
            return f"labels[{lang!r}].alt must be a list"
        seen = {pref.casefold()}
        for a in alt:
            if not isinstance(a, str) or not a.strip():
                return f"labels[{lang!r}].alt has an empty or non-string label"
            if a != a.strip():
                return f"labels[{lang!r}].alt {a!r} has leading or trailing spaces"
            if a.casefold() in seen:
                return f"labels[{lang!r}] repeats the label {a!r}"
            seen.add(a.casefold())
        for i, label in enumerate([pref] + alt):
            message = check_script(lang, label, is_pref=(i == 0))
            if message:
                return message
    return None


def read_jsonl(path, required_keys):
    """Yield (line number, object) for each non-blank line; raise on bad JSON or keys."""
    with open(path, encoding="utf-8") as fh:
        for lineno, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise VocabularyError(path, lineno, f"invalid JSON: {exc}") from None
            if not isinstance(obj, dict):
                raise VocabularyError(path, lineno, "line is not a JSON object")
            missing = sorted(required_keys - set(obj))
            if missing:
                raise VocabularyError(path, lineno, f"missing key(s): {', '.join(missing)}")
            extra = sorted(set(obj) - required_keys)
            if extra:
                raise VocabularyError(path, lineno, f"unknown key(s): {', '.join(extra)}")
            yield lineno, obj


def check_common(path, lineno, obj, ids, prefs):
    """Id and label checks shared by both files."""
    ident = obj["id"]
    if not isinstance(ident, str) or not ID_RE.match(ident):
        raise VocabularyError(path, lineno, f"bad id {ident!r} (lowercase slug expected)")
    if ident in ids:
        raise VocabularyError(path, lineno, f"duplicate id {ident!r} (first on line {ids[ident]})")
    ids[ident] = lineno
    message = check_labels(obj["labels"])
    if message:
        raise VocabularyError(path, lineno, f"{ident}: {message}")
    for lang in LANGS:
        key = norm(obj["labels"][lang]["pref"])
        if key in prefs[lang]:
            other_id, other_line = prefs[lang][key]
            raise VocabularyError(
                path,
                lineno,
                f"{ident}: {lang} pref {obj['labels'][lang]['pref']!r} is also the pref of "
                f"{other_id!r} (line {other_line})",
            )
        prefs[lang][key] = (ident, lineno)


def check_thesaurus(path):
    ids, prefs, concepts = {}, {lang: {} for lang in LANGS}, []
    for lineno, obj in read_jsonl(path, THESAURUS_KEYS):
        check_common(path, lineno, obj, ids, prefs)
        ident = obj["id"]
        themes = obj["themes"]
        if not isinstance(themes, list) or not themes:
            raise VocabularyError(path, lineno, f"{ident}: themes must be a non-empty list")
        for theme in themes:
            if theme not in THEMES:
                raise VocabularyError(path, lineno, f"{ident}: unknown theme {theme!r}")
        if len(set(themes)) != len(themes):
            raise VocabularyError(path, lineno, f"{ident}: a theme is listed twice")
        broader = obj["broader"]
        if broader is not None and (not isinstance(broader, str) or broader == ident):
            raise VocabularyError(path, lineno, f"{ident}: bad broader {broader!r}")
        source = obj["source"]
        if source is not None:
            if not isinstance(source, str) or not URI_RE.match(source):
                raise VocabularyError(path, lineno, f"{ident}: source must be null or a URI")
            if "eionet.europa.eu/gemet" in source and not GEMET_RE.match(source):
                raise VocabularyError(
                    path,
                    lineno,
                    f"{ident}: malformed GEMET URI {source!r} "
                    "(expected http://www.eionet.europa.eu/gemet/concept/NNNN)",
                )
        concepts.append((lineno, obj))

    parents = {obj["id"]: obj["broader"] for _, obj in concepts}
    for lineno, obj in concepts:
        broader = obj["broader"]
        if broader is not None and broader not in parents:
            raise VocabularyError(path, lineno, f"{obj['id']}: broader {broader!r} does not exist")
    for lineno, obj in concepts:
        seen, node = set(), obj["id"]
        while node is not None:
            if node in seen:
                raise VocabularyError(path, lineno, f"{obj['id']}: broader chain has a cycle")
            seen.add(node)
            node = parents[node]
    for theme in THEMES:
        if theme not in ids:
            raise VocabularyError(path, 0, f"theme {theme!r} has no top concept with that id")
        lineno = ids[theme]
        obj = next(o for n, o in concepts if n == lineno)
        if theme not in obj["themes"]:
            raise VocabularyError(path, lineno, f"top concept {theme!r} does not list its own theme")
    return concepts


def country_places():
    """``(line number, place)`` of each country: the gazetteer's country places, from the taxonomy."""
    path = TAXONOMY_DIR / "countries.json"
    with open(path, encoding="utf-8") as fh:
        countries = json.load(fh)
    # One country a line, after the opening "[".
    return path, [
        (number, {"id": c["code"].lower(), "kind": "country", "country": c["code"], "labels": c["labels"]})
        for number, c in enumerate(countries, 2)
    ]


def check_gazetteer(path):
    ids, prefs, places = {}, {lang: {} for lang in LANGS}, []
    countries_path, countries = country_places()
    for lineno, obj in countries:
        check_common(countries_path, lineno, obj, ids, prefs)
        places.append((lineno, obj))
    for lineno, obj in read_jsonl(path, GAZETTEER_KEYS):
        check_common(path, lineno, obj, ids, prefs)
        ident = obj["id"]
        if obj["kind"] not in KINDS:
            raise VocabularyError(path, lineno, f"{ident}: unknown kind {obj['kind']!r}")
        country = obj["country"]
        if country is not None and country not in COUNTRIES:
            raise VocabularyError(path, lineno, f"{ident}: country {country!r} is not an SCO state code")
        if obj["kind"] == "country":
            raise VocabularyError(path, lineno, f"{ident}: countries belong in {countries_path}")
        places.append((lineno, obj))
    return places


def print_counts(title, counter, order=None):
    print(f"{title}:")
    keys = list(order) if order else sorted(counter, key=lambda k: (-counter[k], str(k)))
    for key in keys:
        print(f"  {key if key is not None else '(none)'}: {counter.get(key, 0)}")


def main(argv=None):
    root = ROOT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=root / "vocab" / "data")
    parser.add_argument("--quiet", action="store_true", help="print only errors")
    args = parser.parse_args(argv)

    thesaurus_path = args.data_dir / "thesaurus.jsonl"
    gazetteer_path = args.data_dir / "gazetteer.jsonl"
    try:
        concepts = check_thesaurus(thesaurus_path)
        places = check_gazetteer(gazetteer_path)
    except VocabularyError as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 1
    if args.quiet:
        return 0

    themes = collections.Counter(t for _, o in concepts for t in o["themes"])
    primary = collections.Counter(o["themes"][0] for _, o in concepts)
    print(
        f"{thesaurus_path}: {len(concepts)} concepts, "
        f"{sum(1 for _, o in concepts if o['source'])} with a source URI"
    )
    print("concepts per theme (any / first listed):")
    for theme in THEMES:
        print(f"  {theme}: {themes[theme]} / {primary[theme]}")
    labels = collections.Counter()
    for _, o in concepts:
        for lang in LANGS:
            labels[lang] += 1 + len(o["labels"][lang]["alt"])
    print("labels per language: " + ", ".join(f"{lang} {labels[lang]}" for lang in LANGS))

    print(f"{gazetteer_path}: {len(places)} places")
    print_counts("places per kind", collections.Counter(o["kind"] for _, o in places), KINDS)
    countries = collections.Counter(o["country"] for _, o in places)
    print_counts("places per country", countries, [c for c in COUNTRIES] + [None])
    labels = collections.Counter()
    for _, o in places:
        for lang in LANGS:
            labels[lang] += 1 + len(o["labels"][lang]["alt"])
    print("labels per language: " + ", ".join(f"{lang} {labels[lang]}" for lang in LANGS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
