"""Key figures, the SCO map and the small charts, computed for server-side SVG.

Everything here returns plain data (numbers, coordinates, labels in the
reader's language); the templates in ``templates/includes/`` draw the SVG.
Results are cached per language and keyed on :func:`content_version`, which
changes whenever a page is published, unpublished, moved or deleted (and
when an editor saves a country or theme), so no page shows stale figures.
"""

from collections import Counter

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import translation
from wagtail.models import Page

from portal.core.models import Country, Theme
from portal.core.translated import shown

VERSION_KEY = "portal:home:content-version"
CACHE_SECONDS = 6 * 3600

# A schematic tile map ("cartogram") of the SCO region: each country is a
# rectangle on a grid, placed roughly where it lies (west → east, north → south),
# the large states drawn larger. (column, row, width, height) in grid cells.
TILES = {
    "BY": (1, 0, 1, 1),
    "RU": (2, 0, 11, 1),
    "KZ": (5, 1, 3, 1),
    "MN": (9, 1, 3, 1),
    "TR": (1, 2, 1, 1),
    "AM": (2, 2, 1, 1),
    "AZ": (3, 2, 1, 1),
    "UZ": (5, 2, 1, 1),
    "KG": (6, 2, 1, 1),
    "CN": (7, 2, 5, 2),
    "EG": (0, 3, 1, 1),
    "IR": (4, 3, 1, 1),
    "AF": (5, 3, 1, 1),
    "TJ": (6, 3, 1, 1),
    "SA": (2, 4, 1, 1),
    "KW": (3, 4, 1, 1),
    "PK": (5, 4, 1, 1),
    "IN": (6, 4, 2, 2),
    "NP": (8, 4, 1, 1),
    "MM": (9, 4, 1, 1),
    "LA": (10, 4, 1, 1),
    "BH": (3, 5, 1, 1),
    "QA": (4, 5, 1, 1),
    "AE": (5, 5, 1, 1),
    "KH": (10, 5, 1, 1),
    "MV": (5, 6, 1, 1),
    "LK": (7, 6, 1, 1),
}
CELL = 64
GAP = 4
MAP_COLUMNS = 13
MAP_ROWS = 7
# Five shades of the portal green, lightest for "no project"; text colours
# chosen so every label keeps a contrast of at least 4.5:1 on its tile.
SHADES = [
    ("#e8eeec", "#1b2430"),
    ("#c6e3d6", "#1b2430"),
    ("#8ccab0", "#1b2430"),
    ("#2f8f6b", "#ffffff"),
    ("#0b5e43", "#ffffff"),
]


def content_version():
    """A key that changes when published content (or the taxonomy) changes.

    Combines a counter bumped by the publish signals (``website/signals.py``)
    with a cheap fingerprint of the live pages, so even changes made without
    signals (a bulk import, a test rolling back its transaction) are seen.
    """
    bumped = publish_counter()
    live = Page.objects.live().aggregate(n=Count("id"), last=Max("last_published_at"))
    last = live["last"].timestamp() if live["last"] else 0
    return f"{bumped}-{live['n']}-{int(last * 1000)}"


def publish_counter():
    """The counter bumped after each publish (cheap: one cache read; the page cache keys on it)."""
    return cache.get_or_set(VERSION_KEY, 0, None)


def bump_version(**_kwargs):
    """Bump the counter once the change is committed.

    Bumping inside the editor's transaction would let a reader's request in
    between render the old content and cache it under the new counter.
    """
    transaction.on_commit(_bump)


def _bump():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)


def cached(name, compute, *parts):
    """``compute()`` cached per language and content version."""
    key = ":".join(
        ["portal:home", name, translation.get_language() or "", content_version(), *map(str, parts)]
    )
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


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
        projects = _project_model().objects.live()
        trainings = _training_model().objects.live()
        status_counts = dict(
            projects.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
        )
        by_status = [
            {"value": value, "label": str(label), "count": status_counts.get(value, 0)}
            for value, label in _project_model().Status.choices
        ]
        countries = set()
        for model_qs in (projects, trainings):
            countries.update(c for c in model_qs.values_list("countries__code", flat=True) if c)
        from projects.models import TrainingParticipants

        trained = TrainingParticipants.objects.filter(page__in=trainings).aggregate(n=Sum("count"))["n"] or 0
        return {
            "projects": sum(status_counts.values()),
            "by_status": by_status,
            "countries": len(countries),
            "trainings": trainings.count(),
            "people_trained": trained,
        }

    return cached("figures", compute)


# --- the map -------------------------------------------------------------------------


def projects_per_country():
    counts = Counter()
    for code in _project_model().objects.live().values_list("countries__code", flat=True):
        if code:
            counts[code] += 1
    return counts


def _shade(count, top):
    if not count:
        return SHADES[0]
    if top <= 1:
        return SHADES[3]
    step = 1 + min(3, int((count - 1) * 4 / top))
    return SHADES[min(step, 4)]


def sco_map(base_url, selected=""):
    """Tiles of the SCO map with the number of projects each country takes part in.

    ``base_url`` is the projects list; each tile links to it filtered by the
    country (``?country=KZ``). ``selected`` highlights one country.
    """

    def compute():
        counts = projects_per_country()
        names = country_names()
        top = max(counts.values(), default=0)
        tiles = []
        for code, (col, row, w, h) in TILES.items():
            if code not in names:
                continue
            fill, ink = _shade(counts.get(code, 0), top)
            x, y = col * CELL, row * CELL
            width, height = w * CELL - GAP, h * CELL - GAP
            tiles.append(
                {
                    "code": code,
                    "name": names[code],
                    "count": counts.get(code, 0),
                    "x": x,
                    "y": y,
                    "w": width,
                    "h": height,
                    "cx": x + width / 2,
                    "code_y": y + height / 2 - 3,
                    "count_y": y + height / 2 + 17,
                    "fill": fill,
                    "ink": ink,
                    "wide": w > 1,
                }
            )
        legend = [{"fill": fill, "ink": ink} for fill, ink in SHADES]
        return {
            "tiles": tiles,
            "width": MAP_COLUMNS * CELL,
            "height": MAP_ROWS * CELL,
            "top": top,
            "legend": legend,
            "total": sum(1 for t in tiles if t["count"]),
        }

    data = cached("map", compute)
    tiles = [
        {**t, "url": f"{base_url}?country={t['code']}", "selected": t["code"] == selected}
        for t in data["tiles"]
    ]
    return {**data, "tiles": tiles, "selected": selected}


# --- charts --------------------------------------------------------------------------

BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 190
CHART_WIDTH = 560


def bar_chart(rows):
    """Horizontal bars for ``rows`` = [(label, value, url or "")]; zero rows dropped."""
    rows = [r for r in rows if r[1]]
    top = max((value for _label, value, _url in rows), default=0)
    span = CHART_WIDTH - LABEL_WIDTH - 48
    bars = []
    for i, (label, value, url) in enumerate(rows):
        y = i * (BAR_HEIGHT + BAR_GAP)
        width = max(2, round(span * value / top)) if top else 0
        bars.append(
            {
                "label": label,
                "value": value,
                "url": url,
                "y": y,
                "text_y": y + BAR_HEIGHT / 2 + 5,
                "width": width,
                "value_x": LABEL_WIDTH + width + 6,
            }
        )
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": max(1, len(bars) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP),
        "label_width": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 8,
        "bar_height": BAR_HEIGHT,
    }


def projects_by_theme(base_url):
    def compute():
        counts = Counter(
            s for s in _project_model().objects.live().values_list("themes__slug", flat=True) if s
        )
        rows = [
            (str(shown(t, "name")), counts.get(t.slug, 0), f"?theme={t.slug}") for t in Theme.objects.all()
        ]
        rows.sort(key=lambda r: -r[1])
        return bar_chart(rows)

    return _prefix_urls(cached("chart-theme", compute), base_url)


def projects_by_year(base_url):
    def compute():
        counts = Counter(
            d.year for d in _project_model().objects.live().values_list("start_date", flat=True) if d
        )
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
