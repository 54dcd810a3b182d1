"""A partner's nightly sync, written from the README's "Delta sync" section alone, mirrors the API exactly.

The mirror is a dict per list; each night: fetch every list with
``updated_since=<until of the last run>`` (all pages) and store what comes back,
then fetch ``/api/v1/changes/?since=<same>`` (all pages) and delete what it
names; the new ``until`` is the ``until`` of that changes answer.
"""

import pytest
from django.utils import timezone

from tests.api_v1_support import clear_cache, make_content

pytestmark = pytest.mark.django_db

LISTS = ("projects", "trainings", "policies", "news", "countries", "themes", "organisations", "concepts")


def pages(client, url, params):
    """Every page of a list (follows ``next``)."""
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    body = response.json()
    yield body
    while body["next"]:
        body = client.get(body["next"]).json()
        yield body


def nightly_sync(client, mirror, since):
    """One run of the README's sync; returns the ``since`` of the next run."""
    changes_params = {"since": since} if since else {}
    first = client.get("/api/v1/changes/", changes_params).json()
    until = first["until"]
    for name in LISTS:
        params = {"lang": "all", "page_size": 100}
        if since:
            params["updated_since"] = since
        for body in pages(client, f"/api/v1/{name}/", params):
            for item in body["results"]:
                mirror.setdefault(name, {})[item["api_url"]] = item
    for body in pages(client, "/api/v1/changes/", changes_params):
        for removed in body["removed"]:
            mirror.get(removed["resource"], {}).pop(removed["api_url"], None)
    return until


def nonempty(mirror):
    return {name: items for name, items in mirror.items() if items}


def server_state(client):
    state = {}
    for name in LISTS:
        for body in pages(client, f"/api/v1/{name}/", {"lang": "all", "page_size": 100}):
            for item in body["results"]:
                state.setdefault(name, {})[item["api_url"]] = item
    return state


def test_nightly_sync_mirrors_creates_updates_and_deletes(client, home):
    clear_cache()
    content = make_content(home)
    mirror = {}
    since = nightly_sync(client, mirror, None)
    assert nonempty(mirror) == server_state(client)

    # A day of editing: an update, an unpublication, a deletion, a new organisation, a renamed country.
    from portal.core.models import Country, Organisation

    air = content["air"]
    air.title_en = "Almaty clean air"
    air.save_revision().publish()
    content["water"].unpublish()
    content["news"].delete()
    Organisation.objects.create(name="Steppe Institute", kind="centre")
    kz = Country.objects.get(code="KZ")
    kz.name_ru = "Республика Казахстан"
    kz.save()
    content["fund"].delete()

    since = nightly_sync(client, mirror, since)
    assert nonempty(mirror) == server_state(client)
    air_item = next(i for i in mirror["projects"].values() if i["external_id"] == "prj-air")
    assert air_item["title"]["en"] == "Almaty clean air"
    assert {c["name"]["ru"] for c in air_item["countries"] if c["code"] == "KZ"} == {"Республика Казахстан"}

    # Published again: it comes back.
    water = content["water"]
    water.save_revision().publish()
    nightly_sync(client, mirror, since)
    assert nonempty(mirror) == server_state(client)
    assert any(i["external_id"] == "prj-water" for i in mirror["projects"].values())
    assert timezone.now()
