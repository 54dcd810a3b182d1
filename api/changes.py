"""``/api/v1/changes/``: what left the API since a time (tombstones), for partners' delta sync.

A nightly sync (README, "Delta sync"): remember ``until`` from the previous
run; ask every list for ``updated_since=<until>`` and store what comes back;
ask ``/api/v1/changes/?since=<until>`` and delete what it names; keep the new
``until``. Objects that were removed and published again come back in the
lists with a newer ``last_updated`` and have no tombstone.
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from ninja import Query, Schema
from pydantic import Field

from api import params, schemas
from api.http import PageNotFound
from api.models import Tombstone
from api.resources import Context, resources


class Removed(Schema):
    resource: str = Field(description=gettext_lazy("The list it was in, e.g. projects."))
    id: int
    key: str = Field(description=gettext_lazy("The key of its detail URL."))
    external_id: str | None
    reason: str = Field(description=gettext_lazy("deleted or unpublished"))
    removed_at: datetime.datetime
    api_url: schemas.Uri = Field(description=gettext_lazy("Its former detail URL (now 404)."))


class Changes(Schema):
    since: datetime.datetime | None
    until: datetime.datetime = Field(
        description=gettext_lazy("The server's time when the answer was made: the next sync's since.")
    )
    count: int
    page: int
    page_size: int
    num_pages: int
    next: schemas.Uri | None
    previous: schemas.Uri | None
    removed: list[Removed]


def _resource_names(schema):
    """The valid names as an enum, read when the OpenAPI document is generated."""
    schema.get("items", schema)["enum"] = list(resources())


class ChangesParams(Schema):
    since: str = Field(None, json_schema_extra=params._date_or_time)
    resource: list[str] = Field(
        None,
        description=gettext_lazy("Only these lists (repeat for several)."),
        json_schema_extra=_resource_names,
    )
    page: int = Field(1, ge=1, le=params.MAX_PAGE)
    page_size: int = Field(params.DEFAULT_PAGE_SIZE, ge=1, le=params.MAX_PAGE_SIZE)


def last_removal(request):
    return Tombstone.objects.order_by("-removed_at").values_list("removed_at", flat=True).first()


def register(api, errors, conditional):
    @api.get(
        "/v1/changes/",
        response={200: Changes, **errors},
        summary=gettext_lazy("What was deleted or unpublished since a time"),
        description=gettext_lazy(
            "Tombstones of objects that left the API (deleted, or unpublished), oldest first. Together with "
            "updated_since on each list this mirrors the API exactly: see the README's nightly sync."
        ),
        tags=["sync"],
        url_name="changes",
    )
    @conditional(last_removal)
    def changes(request, query: Query[ChangesParams]):
        until = timezone.now()
        params.reject_unknown(request.GET, {"since", "resource", "page", "page_size"})
        since = params.parse_since(request.GET["since"], "since") if "since" in request.GET else None
        names = params.list_values(request.GET, "resource")
        for name in names:
            if name not in resources():
                raise params.BadParameter(
                    "resource", params._("Unknown value for %(name)s.") % {"name": "resource"}
                )
        page = params.parse_int(request.GET, "page", 1, 1, params.MAX_PAGE)
        size = params.parse_int(request.GET, "page_size", params.DEFAULT_PAGE_SIZE, 1, params.MAX_PAGE_SIZE)
        rows = Tombstone.objects.filter(removed_at__lte=until)
        if since:
            rows = rows.filter(removed_at__gte=since)
        if names:
            rows = rows.filter(resource__in=names)
        count = rows.count()
        num_pages = max(1, -(-count // size))
        if page > num_pages:
            raise PageNotFound(page, num_pages)
        ctx = Context("en", request)

        def link(number):
            query = request.GET.copy()
            query["page"] = str(number)
            return ctx.absolute(f"{request.path}?{query.urlencode()}")

        return {
            "since": since,
            "until": until,
            "count": count,
            "page": page,
            "page_size": size,
            "num_pages": num_pages,
            "next": link(page + 1) if page < num_pages else None,
            "previous": link(page - 1) if page > 1 else None,
            "removed": [
                {
                    "resource": row.resource,
                    "id": row.object_id,
                    "key": row.key,
                    "external_id": row.external_id or None,
                    "reason": row.reason,
                    "removed_at": row.removed_at,
                    "api_url": ctx.absolute(reverse(f"api_v1:detail_{row.resource}", args=(row.key,))),
                }
                for row in rows[(page - 1) * size : page * size]
            ],
        }
