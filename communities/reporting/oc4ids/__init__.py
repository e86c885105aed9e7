"""Each community's renovation batch as an OC4IDS project (Open Contracting for
Infrastructure Data Standard 0.9.4), for ``/api/v1/oc4ids/``.

One project per community in the programme (a batch year and a status past "not started"):
type ``rehabilitation``; status mapped to the projectStatus codelist; the community's point
and address as its location; the budget of its items not cancelled, broken down by funding
source (each source a ``funder`` party); parties: the district's housing bureau as the public
authority, and the contractors and supervisors the items name as suppliers; physical and
financial progress (``reporting.progress``) as metrics; completion once completed. Only
public data: nothing about residents.

The schema, codelists and licence (Apache-2.0) are vendored in ``schema/``: the tests
validate every package against them with ``jsonschema``. Settings (``RENOVATION``):
``OC4IDS_PREFIX`` (the project identifier's prefix, registered with the OC4IDS registry by a
real publisher), ``OC4IDS_PUBLISHER`` and ``OC4IDS_LICENSE``.
"""

from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.utils import timezone

from communities.places.choices import RenovationStatus
from communities.places.models import Community, Region
from communities.places.selectors import area_lookup
from communities.reporting import progress
from communities.works.choices import FundingSource, ItemStatus
from communities.works.models.items import FundingLine, RenovationItem

SCHEMA_DIR = Path(__file__).parent / "schema"
VERSION = "0.9"
CURRENCY = "CNY"
PAGE_SIZE = 100
DEFAULT_PREFIX = "oc4ids-rtcn"
DEFAULT_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
DEFAULT_PUBLISHER = "Old community renovation: public information"

# RenovationStatus → projectStatus (a closed codelist).
PROJECT_STATUS = {
    RenovationStatus.NOT_STARTED: "identification",
    RenovationStatus.PLANNED: "preparation",
    RenovationStatus.UNDER_CONSTRUCTION: "implementation",
    RenovationStatus.COMPLETED: "completion",
}


def _setting(name: str, default: str) -> str:
    return settings.RENOVATION.get(name) or default


def published_communities(*, area: str | None = None, year: int | None = None) -> QuerySet:
    """The communities published as projects: in the programme, in ``area`` (a province's,
    city's or district's code) and batch ``year``, oldest first."""
    communities = (
        Community.objects.filter(renovation_year__isnull=False)
        .exclude(renovation_status=RenovationStatus.NOT_STARTED)
        .select_related("district")
    )
    if area:
        communities = communities.filter(**area_lookup(area))
    if year:
        communities = communities.filter(renovation_year=year)
    return communities.order_by("id")


def _moment(day: date | datetime) -> str:
    """An RFC 3339 date-time: a day is its local midnight."""
    if isinstance(day, datetime):
        return timezone.localtime(day).isoformat()
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone()).isoformat()


def _value(amount: Decimal) -> dict:
    return {"amount": float(amount), "currency": CURRENCY}


def _percent_observation(number: str, value: Decimal, on: date) -> dict:
    return {
        "id": number,
        "measure": float(value),
        "unit": {"name": "percent"},
        "period": {"startDate": _moment(on), "endDate": _moment(on)},
    }


def _authority(community: Community) -> dict:
    district = community.district
    return {
        "id": f"authority-{district.code}",
        "name": f"{district.name}住房和城乡建设局",
    }


def projects(communities: list[Community], request_today: date) -> list[dict]:
    """The OC4IDS projects of ``communities`` (3 queries: their items' sums and names, their
    funding by source, the names of their regions)."""
    ids = [community.pk for community in communities]
    live = RenovationItem.objects.exclude(status=ItemStatus.CANCELLED).filter(community_id__in=ids)
    sums = {
        row.pop("community_id"): row
        for row in live.values("community_id")
        .annotate(**progress.progress_sums(), updated=Max("updated_at"))
        .order_by()
    }
    names: dict[int, dict[str, set]] = {}
    for community_id, contractor, supervisor in live.values_list(
        "community_id", "contractor", "supervisor"
    ):
        entry = names.setdefault(community_id, {"contractors": set(), "supervisors": set()})
        if contractor:
            entry["contractors"].add(contractor)
        if supervisor:
            entry["supervisors"].add(supervisor)
    funding: dict[int, list[tuple[str, Decimal]]] = {}
    for row in (
        FundingLine.objects.filter(item__in=live)
        .values("item__community_id", "source")
        .annotate(amount=Sum("amount"))
        .order_by("item__community_id", "source")
    ):
        funding.setdefault(row["item__community_id"], []).append((row["source"], row["amount"]))
    cities = {
        region.code: region.name
        for region in Region.objects.filter(
            code__in={community.district.code[:4] for community in communities}
            | {community.district.code[:2] for community in communities}
        )
    }
    prefix = _setting("OC4IDS_PREFIX", DEFAULT_PREFIX)
    return [
        _project(
            community,
            prefix=prefix,
            sums=sums.get(community.pk, {}),
            names=names.get(community.pk, {"contractors": set(), "supervisors": set()}),
            funding=funding.get(community.pk, []),
            regions=cities,
            today=request_today,
        )
        for community in communities
    ]


def _project(community, *, prefix, sums, names, funding, regions, today) -> dict:
    code = community.district.code
    figures = progress.progress(sums)
    authority = _authority(community)
    parties = [
        {
            **authority,
            "roles": ["publicAuthority"],
            "address": {
                "locality": community.district.name,
                **({"region": regions[code[:2]]} if code[:2] in regions else {}),
                "countryName": "中国",
            },
        }
    ]
    suppliers = sorted(names["contractors"] | names["supervisors"])
    parties += [
        {"id": f"supplier-{number}", "name": name, "roles": ["supplier"]}
        for number, name in enumerate(suppliers, start=1)
    ]
    labels = dict(FundingSource.choices)
    parties += [
        {"id": f"funder-{source}", "name": str(labels.get(source, source)), "roles": ["funder"]}
        for source, _amount in funding
    ]
    project = {
        "id": f"{prefix}-{code}-{community.pk}",
        "updated": _moment(max(filter(None, [community.updated_at, sums.get("updated")]))),
        "language": "zh",
        "title": f"{community.name}老旧小区改造（{community.renovation_year}年批次）",
        "description": (
            f"{regions.get(code[:4], '')}{community.district.name}{community.address}"
            f"：{community.households}户，建筑面积{community.floor_area_m2}平方米，"
            f"建于{community.year_built or '（未记录）'}年。"
        ),
        "type": "rehabilitation",
        "status": PROJECT_STATUS[community.renovation_status],
        "publicAuthority": authority,
        "parties": parties,
        "locations": [_location(community, regions)],
        "budget": {"amount": _value(figures["budget"])},
        "identifiers": [{"id": f"community-{community.pk}", "scheme": "renovation-tracker"}],
    }
    if funding:
        project["budget"]["budgetBreakdowns"] = [
            {
                "id": "funding-sources",
                "budgetBreakdown": [
                    {
                        "id": source,
                        "amount": _value(amount),
                        "sourceParty": {
                            "id": f"funder-{source}",
                            "name": str(labels.get(source, source)),
                        },
                    }
                    for source, amount in funding
                ],
            }
        ]
    period = {}
    if community.started_on:
        period["startDate"] = _moment(community.started_on)
    if community.completed_on:
        period["endDate"] = _moment(community.completed_on)
    if period:
        project["period"] = period
    metrics = []
    if figures["physical_progress"] is not None:
        metrics.append(
            {
                "id": "physicalProgress",
                "observations": [_percent_observation("1", figures["physical_progress"], today)],
            }
        )
    if figures["financial_progress"] is not None:
        observation = _percent_observation("1", figures["financial_progress"], today)
        spent = {"id": "2", "value": _value(figures["spent"]), "notes": "已支出金额（元）"}
        metrics.append({"id": "financialProgress", "observations": [observation, spent]})
    if metrics:
        project["metrics"] = metrics
    if community.renovation_status == RenovationStatus.COMPLETED and community.completed_on:
        project["completion"] = {
            "endDate": _moment(community.completed_on),
            "finalValue": _value(figures["spent"]),
        }
    return project


def _location(community: Community, regions: dict) -> dict:
    code = community.district.code
    address = {
        "locality": community.district.name,
        "countryName": "中国",
        **({"region": regions[code[:2]]} if code[:2] in regions else {}),
        **({"streetAddress": community.address} if community.address else {}),
    }
    location: dict = {"id": "1", "address": address}
    if community.latitude is not None and community.longitude is not None:
        location["geometry"] = {
            "type": "Point",
            "coordinates": [float(community.longitude), float(community.latitude)],
        }
    return location


def package(*, uri: str, projects_: list[dict], links: dict) -> dict:
    """The project package around ``projects_`` (at least one: the schema requires it)."""
    published = max((project["updated"] for project in projects_), default=_moment(timezone.now()))
    return {
        "uri": uri,
        "publishedDate": published,
        "version": VERSION,
        "publisher": {"name": _setting("OC4IDS_PUBLISHER", DEFAULT_PUBLISHER)},
        "license": _setting("OC4IDS_LICENSE", DEFAULT_LICENSE),
        "projects": projects_,
        "links": links,
    }
