"""Reading and writing vocabulary entries in the JSONL shape of ``vocab/data/``.

One entry per line::

    {"id": "air-pollution", "broader": "air", "themes": ["air"], "source": null,
     "labels": {"zh-hans": {"pref": "大气污染", "alt": [...]}, "en": {...}, "ru": {...}}}
    {"id": "almaty", "kind": "city", "country": "KZ", "labels": {...}}

Everything is validated first; nothing is written unless the whole file is good.
The SKOS commands produce and consume the same entries (see ``skos.py``).
"""

import json
import re
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from portal import languages
from portal.core import taxonomy_data
from portal.core.models import Country, Theme
from vocab import versioning
from vocab.models import Concept, Place, split_lines

DATA_DIR = Path(settings.BASE_DIR) / "vocab" / "data"
THESAURUS = DATA_DIR / "thesaurus.jsonl"
GAZETTEER = DATA_DIR / "gazetteer.jsonl"
IDENTIFIER = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


class VocabularyError(ValueError):
    """A bad vocabulary file: the message says where and why."""


def read_jsonl(path):
    entries = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as exc:
                raise VocabularyError(f"{path}:{number}: {_('not valid JSON')}: {exc}") from exc
            if not isinstance(entry, dict):
                raise VocabularyError(f"{path}:{number}: {_('each line must be a JSON object')}")
            entry["_where"] = f"{path}:{number}"
            entries.append(entry)
    return entries


def country_places():
    """The gazetteer's country places (id: the lowercase ISO code), from the one country list.

    ``gazetteer.jsonl`` holds every other place; a country's names and their
    variants are in ``portal/core/data/countries.json``.
    """
    return [
        {
            "id": country["code"].lower(),
            "kind": "country",
            "country": country["code"],
            "labels": country["labels"],
            "_where": f"countries.json:{country['code']}",
        }
        for country in taxonomy_data.countries()
    ]


def _check_labels(entry):
    where = entry.get("_where", entry.get("id", "?"))
    labels = entry.get("labels")
    if not isinstance(labels, dict):
        raise VocabularyError(f"{where}: {_('labels must be an object')}")
    unknown = set(labels) - set(languages.LANGUAGE_CODES)
    if unknown:
        raise VocabularyError(f"{where}: {_('unknown language(s)')}: {', '.join(sorted(unknown))}")
    if not any((labels.get(code) or {}).get("pref") for code in languages.LANGUAGE_CODES):
        raise VocabularyError(f"{where}: {_('no preferred label in any language')}")
    for code, entry_labels in labels.items():
        if not isinstance(entry_labels, dict):
            raise VocabularyError(f"{where}: {_('labels of a language must be an object')} ({code})")
        pref, alts = entry_labels.get("pref"), entry_labels.get("alt", [])
        if pref is not None and not isinstance(pref, str):
            raise VocabularyError(f"{where}: {_('a preferred label must be text')} ({code})")
        if not isinstance(alts, list) or not all(isinstance(a, str) and "\n" not in a for a in alts):
            raise VocabularyError(f"{where}: {_('alternative labels must be a list of one-line texts')}")


def _check_identifiers(entries):
    seen = set()
    for entry in entries:
        ident = entry.get("id")
        if not isinstance(ident, str) or not IDENTIFIER.match(ident) or len(ident) > 100:
            raise VocabularyError(f"{entry.get('_where', ident)}: {_('bad identifier')}: {ident!r}")
        if ident in seen:
            raise VocabularyError(f"{entry.get('_where', ident)}: {_('duplicate identifier')}: {ident}")
        seen.add(ident)
    return seen


def validate_concepts(entries):
    """Raise :class:`VocabularyError` for the first problem; entries may reference stored concepts."""
    ids = _check_identifiers(entries)
    known = ids | set(Concept.objects.values_list("identifier", flat=True))
    themes = set(Theme.objects.values_list("slug", flat=True))
    parents = {}
    for entry in entries:
        where = entry.get("_where", entry["id"])
        _check_labels(entry)
        broader = entry.get("broader")
        if broader is not None and broader not in known:
            raise VocabularyError(f"{where}: {_('unknown broader concept')}: {broader}")
        if broader == entry["id"]:
            raise VocabularyError(f"{where}: {_('a concept cannot be broader than itself')}")
        parents[entry["id"]] = broader
        bad = [t for t in entry.get("themes") or [] if t not in themes]
        if bad:
            raise VocabularyError(f"{where}: {_('unknown theme(s)')}: {', '.join(bad)}")
        source = entry.get("source")
        if source is not None and not (isinstance(source, str) and re.match(r"^https?://\S+$", source)):
            raise VocabularyError(f"{where}: {_('source must be an http(s) URI or null')}")
    for start in parents:  # no cycles among the file's own entries
        seen, node = set(), start
        while node in parents and parents[node] is not None:
            if node in seen:
                raise VocabularyError(f"{start}: {_('broader concepts form a cycle')}")
            seen.add(node)
            node = parents[node]


def validate_places(entries):
    _check_identifiers(entries)
    kinds = set(Place.Kind.values)
    countries = set(Country.objects.values_list("code", flat=True))
    for entry in entries:
        where = entry.get("_where", entry["id"])
        _check_labels(entry)
        if entry.get("kind") not in kinds:
            raise VocabularyError(f"{where}: {_('unknown kind')}: {entry.get('kind')!r}")
        country = entry.get("country")
        if country is not None and country not in countries:
            raise VocabularyError(f"{where}: {_('unknown country')}: {country}")


LABEL_FIELDS = ["pref_label"] + [
    languages.localized_field(name, code)
    for name in ("pref_label", "alt_labels")
    for code in languages.LANGUAGE_CODES
]


def _values(obj, names):
    """Field values for change detection; alternative labels as a set (RDF has no order)."""
    return [
        sorted(split_lines(getattr(obj, name))) if name.startswith("alt_labels") else getattr(obj, name)
        for name in names
    ]


def _upsert(model, entries, fields_of, progress=None):
    """Create or update ``model`` rows keyed by identifier, in bulk; returns ``{id: obj}``.

    Bulk writes send no per-row signals, so Wagtail's admin search index is
    updated here in one go, and the vocabulary version is bumped once.
    """
    existing = {
        obj.identifier: obj for obj in model.objects.filter(identifier__in=[e["id"] for e in entries])
    }
    to_create, to_update = [], []
    names = None
    for number, entry in enumerate(entries, 1):
        fields = fields_of(entry)
        names = names or [*fields, *LABEL_FIELDS]
        obj = existing.get(entry["id"])
        fresh = model(identifier=entry["id"], **fields)
        fresh.set_labels(entry["labels"])
        if obj is None:
            to_create.append(fresh)
        elif _values(obj, names) != _values(fresh, names):
            for name in names:
                setattr(obj, name, getattr(fresh, name))
            to_update.append(obj)
        if progress:
            progress(number, len(entries))
    model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(to_update, names, batch_size=500)
    saved = {obj.identifier: obj for obj in model.objects.filter(identifier__in=[e["id"] for e in entries])}
    changed = [saved[o.identifier] for o in (*to_create, *to_update)]
    if changed:
        try:
            from wagtail.search.backends import get_search_backend

            get_search_backend().add_bulk(model, changed)
        except Exception:  # the admin's search is a convenience; the data is saved
            pass
    return saved, len(to_create), len(to_update)


@transaction.atomic
def load_concepts(entries, progress=None):
    """Create or update concepts keyed by identifier (validate first).

    Returns ``(created, updated)``.
    """
    validate_concepts(entries)
    themes = {t.slug: t for t in Theme.objects.all()}
    saved, created, updated = _upsert(
        Concept, entries, lambda e: {"source_uri": e.get("source") or ""}, progress
    )
    # Broader links and themes once every concept exists.
    relinked = []
    Through = Concept.themes.through
    current = {}
    for row in Through.objects.filter(concept__in=saved.values()).values_list("concept_id", "theme_id"):
        current.setdefault(row[0], set()).add(row[1])
    for entry in entries:
        obj = saved[entry["id"]]
        broader = entry.get("broader")
        target = (saved.get(broader) or Concept.objects.get(identifier=broader)) if broader else None
        if obj.broader_id != (target.pk if target else None):
            obj.broader = target
            relinked.append(obj)
        wanted = {themes[t].pk for t in entry.get("themes") or []}
        have = current.get(obj.pk, set())
        if wanted != have:
            Through.objects.filter(concept=obj).exclude(theme_id__in=wanted).delete()
            Through.objects.bulk_create([Through(concept=obj, theme_id=t) for t in wanted - have])
            if have:  # not a concept created just now
                updated += 1
    if relinked:
        Concept.objects.bulk_update(relinked, ["broader"], batch_size=500)
    if created or updated or relinked:
        versioning.bump()
    return created, updated


@transaction.atomic
def load_places(entries, progress=None):
    validate_places(entries)
    countries = {c.code: c.pk for c in Country.objects.all()}
    _saved, created, updated = _upsert(
        Place,
        entries,
        lambda e: {"kind": e["kind"], "country_id": countries.get(e.get("country"))},
        progress,
    )
    if created or updated:
        versioning.bump()
    return created, updated


def labels_entry(obj):
    """The ``labels`` object of a stored concept or place."""
    out = {}
    for code in languages.LANGUAGE_CODES:
        pref, alts = obj.labels_in(code)
        if pref or alts:
            out[code] = {"pref": pref, "alt": alts}
    return out


def concept_entries():
    for concept in Concept.objects.select_related("broader").prefetch_related("themes"):
        yield {
            "id": concept.identifier,
            "broader": concept.broader.identifier if concept.broader else None,
            "themes": sorted(t.slug for t in concept.themes.all()),
            "source": concept.source_uri or None,
            "labels": labels_entry(concept),
        }
