"""Projects as IATI activity XML, version 2.03 (https://iatistandard.org/en/iati-standard/203/).

One ``iati-activity`` per project, its children in the order the schema's
sequence requires: iati-identifier, reporting-org, title, description,
participating-org, activity-status, activity-date, recipient-country,
location, tag, budget, document-link.

Codes used (IATI 2.03 codelists):

- OrganisationRole: funding -> 1 (Funding), implementing and partner -> 4
  (Implementing); the reporting organisation, when a project names no
  organisation, is listed as 2 (Accountable).
- OrganisationType: ministry, agency -> 10 (Government); centre, university ->
  80 (Academic, Training and Research); company -> 70 (Private Sector);
  international -> 40 (Multilateral); NGO -> 22 (National NGO) with a country,
  21 (International NGO) without.
- ActivityStatus: planned -> 1 (Pipeline/identification), ongoing -> 2
  (Implementation), completed -> 4 (Closed).
- ActivityDateType: start -> 2 (actual start) once started, else 1 (planned);
  end -> 4 (actual end) for completed projects ended in the past, else 3 (planned).
  A project without a start date gets its first publication date as planned
  start (the schema requires an activity-date).
- Sectors: each theme maps to a DAC 5-digit purpose code (vocabulary 1, the
  one IATI's validator and the OECD's statistics read): see ``THEME_SECTORS``;
  a theme added later by editors counts as 41010 (Environmental policy and
  administrative management), as does a project without themes. Percentages
  share 100 equally (two decimals, the first ones take the remainder). The
  themes themselves are also ``tag`` elements, vocabulary 99 (Reporting
  Organisation) with the API's themes list as vocabulary-uri.
- Budget: yearly ``budget`` elements (type 1 Original, status 1 Indicative),
  the project's dates cut into periods of at most one year (IATI rule: a budget
  period is at most a year), the amount shared by days (the last period takes
  the rounding remainder, so the periods add up to the amount). A project with
  an amount but no end date cannot be cut into periods: its total is stated in
  a ``description`` of type 4 (Other) instead, never dropped.
- participating-org: ``@ref`` is the organisation's identifier when editors
  entered one (Organisation.identifier).
- ``last-updated-datetime`` is the project's ``last_updated`` (as in the JSON);
  the file's ``generated-datetime`` is the latest change of the data, so the
  same data gives the same bytes (and the same ETag).
- description type 1 (General) is the summary (the title when there is none:
  the schema requires one); type 4 (Other) the results and outcomes.
- Narratives carry ``xml:lang`` with ISO 639-1 codes (zh-hans -> zh).
- document-link: the project's page in each language (category A12, Activity
  web page) and each attached document (category A02, Objectives / Purpose).

The reporting organisation comes from ``settings.API_IATI_REPORTING_ORG``
(``{"ref", "type", "names": {lang: name}}``); identifiers are
``<ref>-<external_id or "page-<id>">``.
"""

import datetime
import mimetypes
import re
import xml.etree.ElementTree as ET
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from portal import languages

VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

DEFAULT_REPORTING_ORG = {
    "ref": "XM-SCO-ENV",
    "type": "40",
    "names": {
        "zh-hans": "上海合作组织环境合作",
        "en": "SCO Environmental Cooperation",
        "ru": "Экологическое сотрудничество ШОС",
    },
}

ROLE_CODES = {"funding": "1", "implementing": "4", "partner": "4"}
ACCOUNTABLE = "2"
ORG_TYPE_CODES = {
    "ministry": "10",
    "agency": "10",
    "centre": "80",
    "university": "80",
    "company": "70",
    "international": "40",
}
STATUS_CODES = {"planned": "1", "ongoing": "2", "completed": "4"}
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"
ACTIVITY_WEB_PAGE, OBJECTIVES = "A12", "A02"
TAG_VOCABULARY_REPORTING_ORG = "99"
SECTOR_VOCABULARY_DAC = "1"
DEFAULT_SECTOR = "41010"  # Environmental policy and administrative management
THEME_SECTORS = {
    "air": "41020",  # Biosphere protection (air pollution control)
    "water": "14010",  # Water sector policy and administrative management
    "waste": "14050",  # Waste management / disposal
    "climate": "41010",  # Environmental policy and administrative management
    "biodiversity": "41030",  # Bio-diversity
    "land": "31210",  # Forestry policy and administrative management (land, desertification)
    "energy": "23210",  # Energy generation, renewable sources
    "monitoring": "41082",  # Environmental research
    "capacity-building": "41081",  # Environmental education / training
    "policy-dialogue": "41010",  # Environmental policy and administrative management
}


def iati_lang(code):
    """ISO 639-1, as IATI's Language codelist: zh-hans -> zh."""
    return code.split("-")[0].lower()


def reporting_org():
    return getattr(settings, "API_IATI_REPORTING_ORG", DEFAULT_REPORTING_ORG)


def identifier(page):
    local = page.external_id or f"page-{page.pk}"
    local = re.sub(r"[^A-Za-z0-9._:-]+", "-", local).strip("-")
    return f"{reporting_org()['ref']}-{local}"


def org_type(org):
    if org.kind == "ngo":
        return "22" if org.country_id else "21"
    return ORG_TYPE_CODES.get(org.kind)


def _narratives(parent, values):
    """One ``narrative`` per language that has a text (values: {code: text})."""
    for code in languages.LANGUAGE_CODES:
        text = values.get(code)
        if text and str(text).strip():
            narrative = ET.SubElement(parent, "narrative")
            narrative.set(XML_LANG, iati_lang(code))
            narrative.text = str(text).strip()


def _field(obj, name):
    return {
        code: getattr(obj, languages.localized_field(name, code), None) for code in languages.LANGUAGE_CODES
    }


def _has_text(values):
    return any(v and str(v).strip() for v in values.values())


def activity_dates(page, today):
    dates = []
    if page.start_date:
        started = page.status != "planned" and page.start_date <= today
        dates.append((ACTUAL_START if started else PLANNED_START, page.start_date))
    elif page.first_published_at:
        dates.append((PLANNED_START, page.first_published_at.date()))
    else:
        dates.append((PLANNED_START, today))
    if page.end_date:
        ended = page.status == "completed" and page.end_date <= today
        dates.append((ACTUAL_END if ended else PLANNED_END, page.end_date))
    return dates


def percentages(n):
    """``n`` shares adding up to exactly 100 with two decimals (first ones take the remainder)."""
    base = (10000 // n) / 100
    extra = 10000 - int(round(base * 100)) * n
    return [f"{base + (0.01 if i < extra else 0):.2f}" for i in range(n)]


def sectors(page):
    """``[(DAC code, percentage)]``: one per distinct code of the project's themes, adding up to 100."""
    codes = []
    for theme in sorted(page.themes.all(), key=lambda t: (t.sort_order, t.slug)):
        code = THEME_SECTORS.get(theme.slug, DEFAULT_SECTOR)
        if code not in codes:
            codes.append(code)
    codes = codes or [DEFAULT_SECTOR]
    return list(zip(codes, percentages(len(codes)), strict=True))


def budget_periods(start, end, amount):
    """``[(start, end, amount)]``: periods of at most a year from ``start``, the amount shared by days."""
    periods = []
    cursor = start
    while cursor <= end:
        try:
            next_start = cursor.replace(year=cursor.year + 1)
        except ValueError:  # 29 February
            next_start = cursor.replace(year=cursor.year + 1, day=28)
        period_end = min(end, next_start - datetime.timedelta(days=1))
        periods.append((cursor, period_end))
        cursor = period_end + datetime.timedelta(days=1)
    total_days = (end - start).days + 1
    out, given = [], Decimal(0)
    for n, (a, b) in enumerate(periods):
        if n == len(periods) - 1:
            share = amount - given
        else:
            share = (amount * ((b - a).days + 1) / total_days).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
        given += share
        out.append((a, b, share))
    return out


def activity(page, urls, absolute, today, last_updated=None):
    """The ``iati-activity`` element of one project (with its relations prefetched)."""
    el = ET.Element("iati-activity")
    if last_updated:
        el.set("last-updated-datetime", last_updated.replace(microsecond=0).isoformat())
    el.set(XML_LANG, iati_lang(languages.DEFAULT_LANGUAGE))
    if page.budget_currency:
        el.set("default-currency", page.budget_currency)
    el.set("hierarchy", "1")

    ET.SubElement(el, "iati-identifier").text = identifier(page)

    org = reporting_org()
    rep = ET.SubElement(el, "reporting-org", ref=org["ref"], type=org["type"])
    _narratives(rep, org["names"])

    title = ET.SubElement(el, "title")
    _narratives(title, _field(page, "title"))

    summary = _field(page, "summary")
    description = ET.SubElement(el, "description", type="1")  # 1: General
    _narratives(description, summary if _has_text(summary) else _field(page, "title"))
    results = _field(page, "results")
    if _has_text(results):
        outcomes = ET.SubElement(el, "description", type="4")  # 4: Other (results and outcomes)
        _narratives(outcomes, {code: strip_tags(v or "") for code, v in results.items()})
    if page.budget_amount is not None and page.budget_currency and not (page.start_date and page.end_date):
        note = ET.SubElement(el, "description", type="4")
        _narratives(note, unperiodised_budget(page))

    links = list(page.organisations.all())
    if links:
        for link in links:
            o = link.organisation
            attrs = {"role": ROLE_CODES.get(link.role, "4")}
            if o.identifier:
                attrs["ref"] = o.identifier
            if org_type(o):
                attrs["type"] = org_type(o)
            part = ET.SubElement(el, "participating-org", **attrs)
            _narratives(part, _field(o, "name"))
    else:
        part = ET.SubElement(el, "participating-org", ref=org["ref"], type=org["type"], role=ACCOUNTABLE)
        _narratives(part, org["names"])

    ET.SubElement(el, "activity-status", code=STATUS_CODES.get(page.status, "2"))
    for kind, day in activity_dates(page, today):
        ET.SubElement(el, "activity-date", type=kind, **{"iso-date": day.isoformat()})

    countries = sorted(page.countries.all(), key=lambda c: (c.sort_order, c.code))
    shares = percentages(len(countries)) if len(countries) > 1 else [None] * len(countries)
    for country, share in zip(countries, shares, strict=True):
        rc = ET.SubElement(el, "recipient-country", code=country.code)
        if share:
            rc.set("percentage", share)
        _narratives(rc, _field(country, "name"))

    place = _field(page, "place_name")
    if _has_text(place) or page.latitude is not None:
        loc = ET.SubElement(el, "location")
        if _has_text(place):
            _narratives(ET.SubElement(loc, "name"), place)
        if page.latitude is not None and page.longitude is not None:
            point = ET.SubElement(loc, "point", srsName="http://www.opengis.net/def/crs/EPSG/0/4326")
            ET.SubElement(point, "pos").text = f"{page.latitude.normalize():f} {page.longitude.normalize():f}"

    for code, share in sectors(page):
        ET.SubElement(el, "sector", vocabulary=SECTOR_VOCABULARY_DAC, code=code, percentage=share)

    themes_uri = absolute(reverse("api_v1:list_themes"))
    for theme in sorted(page.themes.all(), key=lambda t: (t.sort_order, t.slug)):
        tag = ET.SubElement(
            el,
            "tag",
            vocabulary=TAG_VOCABULARY_REPORTING_ORG,
            code=theme.slug,
            **{"vocabulary-uri": themes_uri},
        )
        _narratives(tag, _field(theme, "name"))

    if page.budget_amount is not None and page.budget_currency and page.start_date and page.end_date:
        for start, end, amount in budget_periods(page.start_date, page.end_date, page.budget_amount):
            budget = ET.SubElement(el, "budget", type="1", status="1")
            ET.SubElement(budget, "period-start", **{"iso-date": start.isoformat()})
            ET.SubElement(budget, "period-end", **{"iso-date": end.isoformat()})
            value = ET.SubElement(
                budget, "value", currency=page.budget_currency, **{"value-date": start.isoformat()}
            )
            value.text = f"{amount:.2f}"

    titles = _field(page, "title")
    for code in languages.LANGUAGE_CODES:
        url = urls.get(code)
        if not url or not (titles.get(code) or "").strip():
            continue
        link = ET.SubElement(el, "document-link", url=url, format="text/html")
        _narratives(ET.SubElement(link, "title"), {code: titles[code]})
        ET.SubElement(link, "category", code=ACTIVITY_WEB_PAGE)
        ET.SubElement(link, "language", code=iati_lang(code))
    for attachment in page.documents.all():
        doc = attachment.document
        fmt = mimetypes.guess_type(doc.file.name)[0] or "application/octet-stream"
        link = ET.SubElement(el, "document-link", url=absolute(doc.url), format=fmt)
        _narratives(ET.SubElement(link, "title"), {languages.DEFAULT_LANGUAGE: doc.title})
        ET.SubElement(link, "category", code=OBJECTIVES)
        if attachment.language != "mul":
            ET.SubElement(link, "language", code=iati_lang(attachment.language))
    return el


def unperiodised_budget(page):
    """The total of a project without an end date, said in each language (IATI budgets need periods)."""
    from django.utils import translation
    from django.utils.translation import gettext

    amount = f"{page.budget_amount:,.2f}"
    out = {}
    for code in languages.LANGUAGE_CODES:
        with translation.override(code):
            out[code] = gettext("Total budget: %(amount)s %(currency)s (end date not yet known).") % {
                "amount": amount,
                "currency": page.budget_currency,
            }
    return out


def opening(generated):
    """The start of the file, up to the first activity (the export streams the rest)."""
    generated = (generated or timezone.now()).replace(microsecond=0)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<iati-activities version="{VERSION}" generated-datetime="{generated.isoformat()}">\n'
    ).encode()


def closing():
    return b"</iati-activities>\n"


def activity_bytes(page, urls, absolute, generated):
    """One activity, serialised (the page's ``api_last_updated`` set by the caller, if any)."""
    today = (generated or timezone.now()).date()
    el = activity(
        page, urls, absolute, today, getattr(page, "api_last_updated", None) or page.last_published_at
    )
    ET.indent(el, level=1)
    return b"  " + ET.tostring(el, encoding="utf-8", xml_declaration=False) + b"\n"


def prefetch(queryset):
    return queryset.prefetch_related("documents__document")
