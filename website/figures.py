"""Key figures, the SCO map and the small charts, computed for server-side SVG.

Everything here returns plain data (numbers, coordinates, labels in the
reader's language); the templates in ``templates/includes/`` draw the SVG.
Results are kept per language until the next publish (``portal.core.freshness``:
the publish counter moves whenever a page is published, unpublished, moved or
deleted, an import commits, or an editor saves a country or theme), so no page
shows stale figures. The counter and the figures are read in one cache query:
the figures used to be keyed on a count of every live page, five such
aggregates a home page (0.8 s at 100,000 items).
"""

import logging
import math
from collections import Counter

from django.db.models import Sum
from django.utils import translation

from portal.core import content_types, facts, freshness
from portal.core.models import Country, Theme
from portal.core.translated import shown
from website import geography

logger = logging.getLogger(__name__)

# Five shades of the portal green, lightest for "none"; the labels are dark
# ink on a white halo, legible on every shade.
SHADES = ["#e8eeec", "#c6e3d6", "#8ccab0", "#2f8f6b", "#0b5e43"]
# Label sizes (SVG user units on a 1000-unit-wide map) for a wide, a medium and
# a narrow map (CSS container queries pick one, see portal.css "map"): each
# renders at 11 px or more. A label is drawn at a size only where it fits.
LABEL_SIZES = {"w": 13, "m": 21, "n": 34}
SMALL_AREA = 200  # countries smaller than this (square units) also get a dot, to be seen and tapped


def cached(name, compute, *parts):
    """``compute()`` kept per language until the next publish."""
    key = ":".join(["portal:home", name, translation.get_language() or "", *map(str, parts)])
    return freshness.remember(key, compute)


def _project_model():
    from django.apps import apps

    return apps.get_model("projects", "ProjectPage")


def _training_model():
    from django.apps import apps

    return apps.get_model("projects", "TrainingProgrammePage")


def country_names():
    return {c.code: str(shown(c, "name")) for c in Country.objects.all()}


# --- key figures -----------------------------------------------------------------


def key_figures():
    def compute():
        projects = facts.of(_project_model())
        trainings = facts.of(_training_model())
        status_counts = projects.count(projects.rows(), "status")
        by_status = [
            {"value": value, "label": str(label), "count": status_counts.get(value, 0)}
            for value, label in _project_model().Status.choices
        ]
        countries = set(count_per_country(_project_model())) | set(count_per_country(_training_model()))
        from projects.models import TrainingParticipants

        live = _training_model().objects.live()
        trained = TrainingParticipants.objects.filter(page__in=live).aggregate(n=Sum("count"))["n"] or 0
        return {
            "projects": len(projects),
            "by_status": by_status,
            "countries": len(countries),
            "trainings": len(trainings),
            "people_trained": trained,
        }

    return cached("figures", compute)


# --- the map -------------------------------------------------------------------------


def _model_for(kind):
    return _training_model() if kind == "trainings" else _project_model()


def count_per_country(model):
    """{country code: number of live pages of ``model`` concerning it}, from the type's facts.

    Counting with the database grew with the archive: a grouped aggregate over
    every live page of the type (100,000 items: a second per type and language
    after each publish, the countries page asking for all four).
    """
    type_facts = facts.of(model)
    if content_types.COUNTRIES.name not in type_facts.values:
        return Counter()
    return type_facts.count(type_facts.rows(), content_types.COUNTRIES.name)


def items_per_country(kind):
    """{country code: number of live projects (or training programmes) concerning it}."""
    return count_per_country(_model_for(kind))


def projects_per_country():
    return items_per_country("projects")


def shade_bins(top):
    """Upper bounds of the four non-empty classes for counts up to ``top``: (1, 2, 4, 8) or fewer."""
    if top <= 0:
        return []
    bounds = []
    for share in (0.25, 0.5, 0.75, 1.0):
        bound = max(1, math.ceil(top * share))
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return bounds


def _shade(count, bounds):
    if not count:
        return 0
    for i, bound in enumerate(bounds):
        if count <= bound:
            # Spread fewer classes over the darker end so "some" never looks like "none".
            return 4 - (len(bounds) - 1 - i)
    return 4


def _legend(bounds):
    rows = [{"fill": SHADES[0], "label": "0"}]
    low = 1
    for i, bound in enumerate(bounds):
        label = str(low) if low == bound else f"{low}–{bound}"
        rows.append({"fill": SHADES[4 - (len(bounds) - 1 - i)], "label": label})
        low = bound + 1
    return rows


def _text_width(text, size):
    """A generous estimate of a label's width: Han characters are square, others about 0.6 em."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.62 for ch in text)


def _label_fits(shapes, labels, width, height):
    """{code: "fit-w fit-m fit-n"}: at which sizes each country's label is drawn.

    Largest countries first; a label must stay within the map, roughly within
    its country, and clear of every label already placed at that size.
    """
    fits = {code: [] for code in shapes}
    for tier, size in LABEL_SIZES.items():
        placed = []
        for shape in sorted(shapes.values(), key=lambda s: -s.area):
            w = max(_text_width(labels[shape.code][0], size), _text_width(labels[shape.code][1], size))
            h = size * 2.3
            box = (shape.label_x - w / 2, shape.label_y - h / 2, shape.label_x + w / 2, shape.label_y + h / 2)
            inside_map = box[0] >= 0 and box[1] >= 0 and box[2] <= width and box[3] <= height
            inside_country = w <= shape.width * 1.25 and h <= shape.height * 1.4
            clear = all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in placed)
            if inside_map and inside_country and clear:
                placed.append(box)
                fits[shape.code].append(f"fit-{tier}")
    return {code: " ".join(v) for code, v in fits.items()}


def sco_map(kind, base_url, selected=""):
    """The SCO choropleth: projects (or trainings) per country, outlines from Natural Earth.

    ``base_url`` is the list the countries link to (``?country=KZ``);
    ``selected`` outlines one country. ``rows`` carries the same numbers for
    the table beside the map; ``shapes`` is empty when the outlines are not
    installed (the table still shows).
    """

    def compute():
        counts = items_per_country(kind)
        other = items_per_country("projects" if kind == "trainings" else "trainings")
        countries = list(Country.objects.all())
        names = {c.code: str(shown(c, "name")) for c in countries}
        try:
            geometry = geography.map_geometry(list(names))
        except geography.AtlasMissing as error:
            logger.warning("SCO map drawn as a table only: %s", error)
            geometry = None
        top = max((counts.get(code, 0) for code in names), default=0)
        bounds = shade_bins(top)
        shapes = geometry.shapes if geometry else {}
        labels = {code: (names[code], str(counts.get(code, 0))) for code in shapes}
        fits = _label_fits(shapes, labels, geometry.width, geometry.height) if geometry else {}
        rows = []
        for country in countries:
            code = country.code
            count = counts.get(code, 0)
            shape = shapes.get(code)
            rows.append(
                {
                    "code": code,
                    "name": names[code],
                    "count": count,
                    "other": other.get(code, 0),
                    "fill": SHADES[_shade(count, bounds)],
                    "shape": shape,
                    "fits": fits.get(code, ""),
                    "dot": bool(shape and shape.area < SMALL_AREA),
                }
            )
        return {
            "kind": kind,
            "rows": rows,
            "drawn": [r for r in sorted(rows, key=lambda r: -r["shape"].area) if r["shape"]]
            if shapes
            else [],
            "width": geometry.width if geometry else 0,
            "height": geometry.height if geometry else 0,
            "context": geometry.context if geometry else (),
            "legend": _legend(bounds),
            "top": top,
        }

    data = cached(f"map-{kind}", compute)
    mark = (selected or "").upper()

    def link(row):
        return {
            **row,
            "url": f"{base_url}?country={row['code']}" if base_url else "",
            "selected": row["code"] == mark,
        }

    return {
        **data,
        "rows": [link(r) for r in data["rows"]],
        "drawn": [link(r) for r in data["drawn"]],
        "selected": mark,
        "base_url": base_url,
    }


# --- charts --------------------------------------------------------------------------


def bar_chart(rows):
    """Bars for ``rows`` = [(label, value, url or "")], zero rows dropped.

    Each bar's length is a share of the longest (``percent``, 0–100); the
    template draws labels and values as HTML text (legible and wrapping at any
    width) and only the bar itself as a one-rectangle SVG.
    """
    rows = [r for r in rows if r[1]]
    top = max((value for _label, value, _url in rows), default=0)
    bars = [
        {"label": label, "value": value, "url": url, "percent": max(1.0, 100 * value / top) if top else 0}
        for label, value, url in rows
    ]
    return {"bars": bars, "top": top}


def projects_by_theme(base_url):
    def compute():
        projects = facts.of(_project_model())
        counts = projects.count(projects.rows(), content_types.THEMES.name)
        rows = [
            (str(shown(t, "name")), counts.get(t.slug, 0), f"?theme={t.slug}") for t in Theme.objects.all()
        ]
        rows.sort(key=lambda r: -r[1])
        return bar_chart(rows)

    return _prefix_urls(cached("chart-theme", compute), base_url)


def projects_by_year(base_url):
    def compute():
        projects = facts.of(_project_model())
        counts = projects.count(projects.rows(), content_types.YEARS.name)
        rows = [(str(year), counts[year], "") for year in sorted(counts)]
        return bar_chart(rows)

    return cached("chart-year", compute)


def participants_by_country(base_url):
    def compute():
        from projects.models import TrainingParticipants

        names = country_names()
        rows = (
            TrainingParticipants.objects.filter(page__in=_training_model().objects.live())
            .values_list("country__code")
            .annotate(n=Sum("count"))
            .order_by("-n", "country__code")
        )
        return bar_chart([(names.get(code, code), n, f"?country={code}") for code, n in rows])

    return _prefix_urls(cached("chart-participants", compute), base_url)


def _prefix_urls(chart, base_url):
    if not base_url:
        return {**chart, "bars": [{**b, "url": ""} for b in chart["bars"]]}
    return {**chart, "bars": [{**b, "url": base_url + b["url"] if b["url"] else ""} for b in chart["bars"]]}
