"""The IATI rulesets applied to an activity file, as the IATI Validator applies them.

The rules themselves are IATI's: the 2.03 ``standard_ruleset.json`` shipped in
PyPI's pyIATI (installed with ``--no-deps`` by scripts/bootstrap: only its data
is read, its code needs libraries pinned years ago), plus the rules the current
IATI-Rulesets ``standard.json`` added since (``time_limit``: a budget period is
at most one year, rule 7.5.3; ``strict_sum`` of sector percentages per
vocabulary; ``date_now``: last-updated-datetime not in the future), written
below in the same notation. The evaluator implements the ruleset
specification's rule types (IATI-Rulesets SPEC): ``atleast_one``,
``no_more_than_one``, ``date_order``, ``regex_matches``, ``sum``,
``strict_sum``, ``time_limit``, ``date_now``.
"""

import datetime
import importlib.util
import json
import re
from decimal import Decimal
from pathlib import Path

RULES_SINCE_PYIATI = {
    "//iati-activity": {
        "time_limit": {
            "cases": [{"start": "budget/period-start/@iso-date", "end": "budget/period-end/@iso-date"}]
        },
        "strict_sum": {
            "cases": [{"paths": ["sector[@vocabulary = '1' or not(@vocabulary)]/@percentage"], "sum": 100}]
        },
        "date_now": {"cases": [{"date": "@last-updated-datetime"}]},
    }
}


def official_ruleset():
    """IATI's 2.03 standard ruleset as shipped in pyIATI (read as data, the package is not imported)."""
    spec = importlib.util.find_spec("iati")
    folder = Path(next(iter(spec.submodule_search_locations)))
    path = folder / "resources" / "standard" / "2-03" / "rulesets" / "standard_ruleset.json"
    return json.loads(path.read_text())


def codelist(name):
    spec = importlib.util.find_spec("iati")
    folder = Path(next(iter(spec.submodule_search_locations)))
    from lxml import etree

    root = etree.parse(str(folder / "resources" / "standard" / "2-03" / "codelists" / f"{name}.xml"))
    return {code.text for code in root.iter("code")}


def _values(element, path):
    found = element.xpath(path)
    return [str(v) for v in found] if isinstance(found, list) else [str(found)]


def _date(text):
    return datetime.date.fromisoformat(text[:10])


def _check(rule, case, element, now):
    """None if ``element`` passes ``case`` of ``rule``, else a message."""
    if rule == "atleast_one":
        if case.get("condition") and not element.xpath(case["condition"]):
            return None
        return None if any(element.xpath(p) for p in case["paths"]) else f"none of {case['paths']}"
    if rule == "no_more_than_one":
        return (
            None
            if sum(len(element.xpath(p)) for p in case["paths"]) <= 1
            else f"more than one {case['paths']}"
        )
    if rule == "date_order":
        less = [_date(v) for v in _values(element, case["less"])] if case["less"] != "NOW" else [now]
        more = [_date(v) for v in _values(element, case["more"])] if case["more"] != "NOW" else [now]
        bad = [(a, b) for a in less for b in more if a > b]
        return f"{case['less']} after {case['more']}: {bad}" if bad else None
    if rule == "regex_matches":
        pattern = re.compile(case["regex"])
        bad = [v for p in case["paths"] for v in _values(element, p) if not pattern.fullmatch(v)]
        return f"{bad} do not match {case['regex']}" if bad else None
    if rule in ("sum", "strict_sum"):
        values = [Decimal(v) for p in case["paths"] for v in _values(element, p)]
        if not values:
            return None
        return None if sum(values) == Decimal(case["sum"]) else f"{case['paths']} add up to {sum(values)}"
    if rule == "time_limit":
        starts, ends = _values(element, case["start"]), _values(element, case["end"])
        bad = [(a, b) for a, b in zip(starts, ends, strict=False) if (_date(b) - _date(a)).days > 366]
        return f"periods over a year: {bad}" if bad else None
    if rule == "date_now":
        bad = [v for v in _values(element, case["date"]) if _date(v) > now]
        return f"in the future: {bad}" if bad else None
    raise AssertionError(f"unknown rule type {rule}")


def errors(document, now=None):
    """Every failed rule of the document: ``[(context, rule, message)]``."""
    now = now or datetime.date.today()
    found = []
    for ruleset in (official_ruleset(), RULES_SINCE_PYIATI):
        for context, rules in ruleset.items():
            for element in document.xpath(context):
                for rule, body in rules.items():
                    for case in body["cases"]:
                        message = _check(rule, case, element, now)
                        if message:
                            found.append((context, rule, message))
    return found
