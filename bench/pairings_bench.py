"""Learning term pairings over a generated corpus: how long, and what the pairings are (issue 15, item 3).

    .venv/bin/python bench/pairings_bench.py --size 10000
    .venv/bin/python bench/pairings_bench.py --size 2000 --samples 30

No database and no Elasticsearch: ``bench/corpus.py``'s items (the same
generator as the blind evaluation's distractors) are analysed as the index
analyses them (titles and summaries of the items in several languages), then
``search.pairings.learn`` runs on those tokens. Printed:

- the time of learning against the baseline measured in the same process:
  analysing the same titles and summaries (what a rebuild does anyway before
  learning), as a ratio; learning must stay a small fraction of it;
- where the learnt pairings come from (learnt as the portal learns them, the
  thesaurus's and gazetteer's labels explained first; and without that, for
  comparison). The generated items are made of the thesaurus's and
  gazetteer's labels in three languages, sentence templates translated by
  hand (``bench/corpus.py``) and generated names, so a pairing learnt from
  them is legitimate only if it is a real translation: each is classed as
  *vocabulary* (both terms are labels of one concept or place), *template*
  (both are words of one template's translations), or *other* (generated
  names, or partial pairings of several-word names and labels), with samples
  of each to read.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CODES = ("zh-hans", "en", "ru")


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()


def translated_items(size, seed):
    """``[(external id, {code: {"title", "summary"}})]`` of the generated items in several languages."""
    from bench.corpus import generate

    return [
        (record["external_id"], record["translations"])
        for record in generate(size, seed=seed)
        if len(record["translations"]) >= 2
    ]


def analysed(items):
    """The items' titles and summaries as the index has them (``search.analysis``), per language."""
    from search.analysis import analyzed_text

    return [
        (
            key,
            {
                code: {role: analyzed_text(texts.get(role, "")) for role in ("title", "summary")}
                for code, texts in by_code.items()
            },
        )
        for key, by_code in items
    ]


def vocabulary_index():
    """``{(language, term): {entry number}}`` of the thesaurus's and gazetteer's labels, from their files.

    The shape of ``search.pairings.vocabulary_index`` (which reads the database).
    """
    import json
    from collections import defaultdict

    from search.analysis import analyze

    index, number = defaultdict(set), 0
    for name in ("vocab/data/thesaurus.jsonl", "vocab/data/gazetteer.jsonl"):
        with open(ROOT / name, encoding="utf-8") as fh:
            for line in fh:
                for code, labels in json.loads(line)["labels"].items():
                    for label in [labels["pref"], *labels["alt"]]:
                        for term in analyze(label):
                            index[(code, term)].add(number)
                number += 1
    with open(ROOT / "portal/core/data/countries.json", encoding="utf-8") as fh:
        for country in json.load(fh):
            for code, value in country["labels"].items():
                for label in _strings(value):
                    for term in analyze(label):
                        index[(code, term)].add(number)
            number += 1
    return index


def _strings(value):
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def template_groups():
    from bench.corpus import ORGANISATION_PATTERNS, SENTENCES, TITLE_PATTERNS
    from search.analysis import analyze

    templates = list(SENTENCES) + list(ORGANISATION_PATTERNS)
    templates += [t for patterns in TITLE_PATTERNS.values() for t in patterns]
    return [
        {t for text in template for t in analyze(text.replace("{", " ").replace("}", " "))}
        for template in templates
    ]


def classify(pairing, vocabulary, templates):
    pair = {pairing.term, pairing.other_term}
    left = vocabulary.get((pairing.language, pairing.term), set())
    if left & vocabulary.get((pairing.other_language, pairing.other_term), set()):
        return "vocabulary"
    if any(pair <= group for group in templates):
        return "template"
    return "other"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=15, help="15: the blind evaluation's distractors")
    parser.add_argument("--samples", type=int, default=12, help="pairings printed per class")
    args = parser.parse_args()
    setup()
    from search.pairings import learn

    items = translated_items(args.size, args.seed)
    print(f"{len(items)} of {args.size} generated items are in several languages", flush=True)
    started = time.process_time()
    tokens = analysed(items)
    analysis = time.process_time() - started
    vocabulary = vocabulary_index()
    raw = learn(tokens)
    started = time.process_time()
    learnt = learn(tokens, vocabulary=vocabulary)
    learning = time.process_time() - started
    again = learn(list(reversed(tokens)), vocabulary=vocabulary)
    print(f"baseline, analysing their titles and summaries: {analysis:.2f} s CPU")
    print(f"learning the pairings from those tokens:        {learning:.2f} s CPU")
    print(
        f"ratio learning / analysis: {learning / analysis:.3f}; {len(learnt)} pairings; "
        f"same result from the items in reverse order: {again == learnt}"
    )
    raw_known = sum(1 for p in raw if classify(p, vocabulary, []) == "vocabulary")
    print(
        f"without taking out what the vocabularies explain: {len(raw)} pairings, {raw_known} of them "
        f"two words of one concept's or place's labels"
    )
    templates = template_groups()
    classes = {}
    for pairing in learnt:
        classes.setdefault(classify(pairing, vocabulary, templates), []).append(pairing)
    rng = random.Random(0)
    for name in ("vocabulary", "template", "other"):
        found = classes.get(name, [])
        print(f"\n{name}: {len(found)} ({len(found) / max(1, len(learnt)):.0%})")
        for p in sorted(rng.sample(found, min(args.samples, len(found))), key=lambda p: (p.language, p.term)):
            print(
                f"  {p.language:>7} {p.term:<22} {p.other_language:>7} {p.other_term:<22} "
                f"items {p.items:>4}  dice {p.score:.2f}"
            )


if __name__ == "__main__":
    main()
