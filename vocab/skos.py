"""The thesaurus as SKOS (Turtle or RDF/XML), out and in.

Each concept is a ``skos:Concept`` in one ``skos:ConceptScheme``, with
``skos:prefLabel`` / ``skos:altLabel`` tagged ``@zh-Hans``, ``@en``, ``@ru``,
``skos:broader`` to its broader concept, ``skos:exactMatch`` to its source URI
(GEMET, AGROVOC, UNBIS) and ``dcterms:subject`` to the portal's themes.

Import is validated as a whole before anything is written (through
:func:`vocab.loading.load_concepts`, which is atomic and keyed by identifier):
a file that does not parse, a concept without a preferred label, two preferred
labels in one language, an unknown broader concept or theme all stop it with
a message naming the concept.
"""

import re

from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext as _
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from portal import languages
from vocab.loading import VocabularyError, concept_entries, load_concepts

FORMATS = {"turtle": "turtle", "ttl": "turtle", "xml": "xml", "rdf": "xml"}
# BCP 47 tags of the portal's language codes (zh-hans is written zh-Hans).
LANGUAGE_TAGS = {"zh-hans": "zh-Hans", "en": "en", "ru": "ru"}
TAG_ALIASES = {"zh": "zh-hans", "zh-cn": "zh-hans", "zh-sg": "zh-hans"}


def base_uri():
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/vocab/"


def namespaces():
    base = Namespace(base_uri())
    return Namespace(base + "concept/"), Namespace(base + "theme/"), URIRef(base + "thesaurus")


def language_tag(code):
    return LANGUAGE_TAGS.get(code, code)


def portal_code(tag):
    """A literal's language tag -> a portal language code, or None."""
    tag = (tag or "").lower()
    if tag in languages.LANGUAGE_CODES:
        return tag
    if tag in TAG_ALIASES:
        return TAG_ALIASES[tag]
    primary = tag.split("-")[0]
    return primary if primary in languages.LANGUAGE_CODES else None


# --- Export ---------------------------------------------------------------------------------


def to_graph(entries=None):
    concept_ns, theme_ns, scheme = namespaces()
    graph = Graph()
    graph.bind("skos", SKOS)
    graph.bind("dcterms", DCTERMS)
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, DCTERMS.title, Literal(settings.WAGTAIL_SITE_NAME + " thesaurus", lang="en")))
    for entry in concept_entries() if entries is None else entries:
        node = concept_ns[entry["id"]]
        graph.add((node, RDF.type, SKOS.Concept))
        graph.add((node, SKOS.inScheme, scheme))
        for code, labels in entry["labels"].items():
            tag = language_tag(code)
            if labels.get("pref"):
                graph.add((node, SKOS.prefLabel, Literal(labels["pref"], lang=tag)))
            for alt in labels.get("alt") or []:
                graph.add((node, SKOS.altLabel, Literal(alt, lang=tag)))
        if entry.get("broader"):
            graph.add((node, SKOS.broader, concept_ns[entry["broader"]]))
        else:
            graph.add((node, SKOS.topConceptOf, scheme))
        if entry.get("source"):
            graph.add((node, SKOS.exactMatch, URIRef(entry["source"])))
        for theme in entry.get("themes") or []:
            graph.add((node, DCTERMS.subject, theme_ns[theme]))
    return graph


def export(path, fmt="turtle"):
    graph = to_graph()
    graph.serialize(destination=str(path), format=FORMATS[fmt], encoding="utf-8")
    return sum(1 for _ in graph.subjects(RDF.type, SKOS.Concept))


# --- Import ---------------------------------------------------------------------------------


def identifier_of(uri):
    """A concept URI -> identifier: ours keep theirs; others get a slug of the URI's tail."""
    concept_ns, _theme_ns, _scheme = namespaces()
    text = str(uri)
    if text.startswith(str(concept_ns)):
        return text[len(str(concept_ns)) :]
    tail = re.split(r"[/#:]", text.rstrip("/#"))[-1]
    host = re.sub(r"^https?://(www\.)?", "", text).split("/")[0].split(".")[0]
    slug = slugify(tail)
    return f"{slugify(host)}-{slug}" if slug.isdigit() or not slug else slug


def parse_file(path, fmt=None):
    graph = Graph()
    if fmt is None:
        fmt = "xml" if str(path).lower().endswith((".rdf", ".xml", ".owl")) else "turtle"
    try:
        graph.parse(str(path), format=FORMATS.get(fmt, fmt))
    except FileNotFoundError:
        raise
    except Exception as exc:
        raise VocabularyError(
            _("%(path)s is not valid SKOS (%(fmt)s): %(error)s")
            % {
                "path": path,
                "fmt": fmt,
                "error": exc,
            }
        ) from exc
    return graph


def entries_from_graph(graph):
    """JSONL-shaped entries of every ``skos:Concept`` in the graph (checked)."""
    _concept_ns, theme_ns, _scheme = namespaces()
    concepts = sorted(set(graph.subjects(RDF.type, SKOS.Concept)), key=str)
    if not concepts:
        raise VocabularyError(_("the file holds no skos:Concept"))
    ids = {}
    for node in concepts:
        ident = identifier_of(node)
        if ident in ids.values():
            raise VocabularyError(_("two concepts get the identifier %(id)s") % {"id": ident})
        ids[node] = ident
    entries = []
    for node in concepts:
        ident = ids[node]
        labels = {}
        for predicate, kind in ((SKOS.prefLabel, "pref"), (SKOS.altLabel, "alt")):
            for literal in graph.objects(node, predicate):
                code = portal_code(getattr(literal, "language", None))
                if code is None:
                    continue
                text = " ".join(str(literal).split())
                entry = labels.setdefault(code, {"pref": "", "alt": []})
                if kind == "pref":
                    if entry["pref"] and entry["pref"] != text:
                        raise VocabularyError(
                            _("%(id)s: two preferred labels in %(lang)s") % {"id": ident, "lang": code}
                        )
                    entry["pref"] = text
                elif text not in entry["alt"]:
                    entry["alt"].append(text)
        for entry in labels.values():
            entry["alt"] = sorted(a for a in entry["alt"] if a != entry["pref"])
        broader = sorted(graph.objects(node, SKOS.broader), key=str)
        if len(broader) > 1:
            raise VocabularyError(_("%(id)s: more than one broader concept") % {"id": ident})
        broader_id = None
        if broader:
            broader_id = ids.get(broader[0]) or identifier_of(broader[0])
        sources = sorted(str(o) for o in graph.objects(node, SKOS.exactMatch))
        themes = sorted(
            str(o)[len(str(theme_ns)) :]
            for o in graph.objects(node, DCTERMS.subject)
            if str(o).startswith(str(theme_ns))
        )
        entries.append(
            {
                "id": ident,
                "broader": broader_id,
                "themes": themes,
                "source": sources[0] if sources else None,
                "labels": labels,
                "_where": str(node),
            }
        )
    return entries


def import_file(path, fmt=None):
    """Validate the whole file, then create or update its concepts. Returns (created, updated)."""
    entries = entries_from_graph(parse_file(path, fmt))
    return load_concepts(entries)
