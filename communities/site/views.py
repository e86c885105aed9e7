"""The public, read-only website: dashboard, community finder, community pages, map, districts.

Every figure comes from ``reporting.selectors`` (the reads behind ``/api/v1/stats/``, so the
site and the API agree by construction); the list, its downloads and the map filter through
``dossier.filters.CommunityFilter``, the FilterSet the API uses. Nothing private is read
here: no resident names, no personal phone numbers.
"""

import csv
import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import F, Max, Min, QuerySet
from django.http import Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from communities.construction.gallery import community_gallery
from communities.construction.selectors import community_construction_record
from communities.core import bounds
from communities.core.api.pagination import EstimatingPaginator
from communities.core.exports import neutralise_row
from communities.core.filters import option_tags
from communities.core.throttles import throttle
from communities.dossier.filters import PROPERTY_MODE_CHOICES, CommunityFilter
from communities.elevators.choices import ElevatorStage
from communities.elevators.models import STAGE_DATE_FIELDS, ElevatorRetrofit, cost_sharings
from communities.elevators.payments import read_collection, share_percent
from communities.participation.selectors import city_satisfaction, community_participation
from communities.places.choices import RenovationStatus
from communities.places.models import Community, District
from communities.places.selectors import batch_years
from communities.property.models import PropertyService
from communities.reporting import selectors
from communities.site.templatetags.site_format import grouped, money_short
from communities.works.choices import Category, FacilityKind, FundingSource, ItemStatus
from communities.works.models.facilities import Facility
from communities.works.models.items import RenovationItem

PAGE_SIZE = 25
# A search by words counts its matches up to this many and then says "more than": one or two
# common characters match thousands of communities at national scale (和平: 18,263 of 220,000),
# and counting them all cost more than the rest of the page (23 ms of 53). Nobody pages past
# the 20th page of a search; the filters (district, batch, status) narrow it, and count exactly.
SEARCH_COUNT_MAX = 500
SATISFACTION_PAGE_SIZE = 25
LATEST_COMPLETED = 6
# A city's dashboard charts every district; a province or the whole country has hundreds or
# thousands, so past this many the charts and the district links show the leading districts
# and say what the others add up to (drawing ~2,800 bars took most of the page's 670 ms).
HOME_DISTRICTS = 20

# OpenStreetMap's standard tiles unless the city points MAP_TILE_URL at its own tile server;
# an empty MAP_TILE_URL draws the markers on a plain background with no tiles at all.
DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_TILE_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
# The API's GeoJSON of communities, filtered by the same CommunityFilter as the list.
GEOJSON_URL_NAME = "api:community-geojson"

# ?sort= values: label and ordering; every ordering ends in a unique key so pages are stable.
SORTS: dict[str, tuple] = {
    "district": (gettext_lazy("District, then name"), ("district__code", "name_sort", "id")),
    "name": (gettext_lazy("Name"), ("name_sort", "id")),
    "-renovation_year": (
        gettext_lazy("Newest batch first"),
        (F("renovation_year").desc(nulls_last=True), "name_sort", "id"),
    ),
    "renovation_year": (
        gettext_lazy("Oldest batch first"),
        (F("renovation_year").asc(nulls_last=True), "name_sort", "id"),
    ),
    "-completed_on": (
        gettext_lazy("Recently completed"),
        (F("completed_on").desc(nulls_last=True), "name_sort", "id"),
    ),
    "-households": (gettext_lazy("Most households"), ("-households", "name_sort", "id")),
    "-floor_area_m2": (
        gettext_lazy("Largest floor area"),
        ("-floor_area_m2", "name_sort", "id"),
    ),
}
DEFAULT_SORT = "district"
# Query parameters that shape the page, not the set of communities.
PAGE_PARAMS = {"page", "sort"}


# --- Charts -------------------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    value: Decimal | int
    display: str
    cells: list[str] = field(default_factory=list)
    href: str = ""
    percent: float = 0.0


@dataclass
class Chart:
    """A horizontal bar chart with the table of its numbers (readable without JavaScript)."""

    id: str
    title: str
    label_header: str
    value_header: str
    columns: list[str]
    bars: list[Bar]
    # Under the chart: what the bars leave out (the districts past HOME_DISTRICTS).
    note: str = ""

    def __post_init__(self) -> None:
        top = max((bar.value for bar in self.bars), default=0)
        for bar in self.bars:
            bar.percent = round(float(bar.value) / float(top) * 100, 1) if top else 0.0


def _list_url(**params) -> str:
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    return reverse("site:community-list") + (f"?{query}" if query else "")


def _headline_cards(stats: dict, district: str = "") -> list[dict]:
    """The six figures, each linking to the list of communities behind it."""
    completed = _list_url(district=district, status=RenovationStatus.COMPLETED)
    return [
        {
            "key": "communities_renovated",
            "value": grouped(stats["communities_renovated"]),
            "unit": "",
            "label": _("Communities renovated"),
            "href": completed,
        },
        {
            "key": "renovated_floor_area_m2",
            "value": grouped(stats["renovated_floor_area_m2"]),
            "unit": "m²",
            "label": _("Floor area renovated"),
            "href": completed,
        },
        {
            "key": "households_benefited",
            "value": grouped(stats["households_benefited"]),
            "unit": "",
            "label": _("Households benefited"),
            "href": completed,
        },
        {
            "key": "elevators_in_service",
            "value": grouped(stats["elevators_in_service"]),
            "unit": "",
            "label": _("Elevators added, in service"),
            "href": _list_url(district=district, has_elevator="true"),
        },
        {
            "key": "children_play_area_m2",
            "value": grouped(stats["children_play_area_m2"]),
            "unit": "m²",
            "label": _("Children's play area renovated"),
            "href": _list_url(district=district, facility=FacilityKind.CHILDREN_PLAY_AREA),
        },
        {
            "key": "communities_with_property_service",
            "value": grouped(stats["communities_with_property_service"]),
            "unit": "",
            "label": _("Communities under property service"),
            "href": _list_url(district=district, property_service="true"),
        },
    ]


def _leading(rows: list[dict], key: str) -> tuple[list[dict], int, Decimal | int]:
    """All the rows in their order, when there are at most ``HOME_DISTRICTS``; otherwise the
    ``HOME_DISTRICTS`` with the largest ``key``, largest first, then how many rows are left
    out and the sum of their ``key``."""
    if len(rows) <= HOME_DISTRICTS:
        return rows, 0, 0
    shown = heapq.nsmallest(HOME_DISTRICTS, rows, key=lambda row: (-row[key], row["district"]))
    total = sum((row[key] for row in rows), 0)
    return shown, len(rows) - len(shown), total - sum((row[key] for row in shown), 0)


def _others_note(shown: list[dict], others: int, others_total, display) -> str:
    if not others:
        return ""
    return _(
        "The %(shown)s districts with the highest figures of %(total)s; the other "
        "%(others)s together: %(value)s."
    ) % {
        "shown": grouped(len(shown)),
        "total": grouped(len(shown) + others),
        "others": grouped(others),
        "value": display(others_total),
    }


def _district_charts(rows: list[dict]) -> list[Chart]:
    """Communities renovated and investment by district: every district of a city, or the
    leading ``HOME_DISTRICTS`` of a province or the country with the others' total."""
    renovated, *renovated_others = _leading(rows, "communities_renovated")
    invested, *invested_others = _leading(rows, "budget")
    return [
        Chart(
            id="chart-district-communities",
            title=_("Communities renovated by district"),
            label_header=_("District"),
            value_header=_("Renovated"),
            columns=[_("In the programme"), _("Households benefited")],
            bars=[
                Bar(
                    label=row["district_name"],
                    value=row["communities_renovated"],
                    display=grouped(row["communities_renovated"]),
                    cells=[grouped(row["communities"]), grouped(row["households_benefited"])],
                    href=reverse("site:district", args=[row["district"]]),
                )
                for row in renovated
            ],
            note=_others_note(renovated, *renovated_others, grouped),
        ),
        Chart(
            id="chart-district-investment",
            title=_("Investment by district"),
            label_header=_("District"),
            value_header=_("Budget"),
            columns=[_("Spent")],
            bars=[
                Bar(
                    label=row["district_name"],
                    value=row["budget"],
                    display=money_short(row["budget"]),
                    cells=[money_short(row["spent"])],
                    href=reverse("site:district", args=[row["district"]]),
                )
                for row in invested
            ],
            note=_others_note(invested, *invested_others, money_short),
        ),
    ]


def _charts(stats: dict, *, district: str = "") -> list[Chart]:
    """The dashboard's charts, drawn from ``selectors.city_statistics`` and nothing else."""
    charts = [] if district else _district_charts(stats["by_district"])
    years = stats["by_year"]
    charts.append(
        Chart(
            id="chart-year-communities",
            title=_("Communities renovated by batch year"),
            label_header=_("Batch year"),
            value_header=_("Renovated"),
            columns=[_("In the programme"), _("Floor area renovated (m²)")],
            bars=[
                Bar(
                    label=str(row["year"]),
                    value=row["communities_renovated"],
                    display=grouped(row["communities_renovated"]),
                    cells=[grouped(row["communities"]), grouped(row["renovated_floor_area_m2"])],
                    href=_list_url(district=district, renovation_year=row["year"]),
                )
                for row in years
            ],
        )
    )
    charts.append(
        Chart(
            id="chart-year-investment",
            title=_("Investment by batch year"),
            label_header=_("Batch year"),
            value_header=_("Budget"),
            columns=[_("Spent")],
            bars=[
                Bar(
                    label=str(row["year"]),
                    value=row["budget"],
                    display=money_short(row["budget"]),
                    cells=[money_short(row["spent"])],
                )
                for row in years
            ],
        )
    )
    categories = dict(Category.choices)
    charts.append(
        Chart(
            id="chart-category-investment",
            title=_("Investment by national category"),
            label_header=_("Category"),
            value_header=_("Budget"),
            columns=[_("Items"), _("Spent")],
            bars=[
                Bar(
                    label=str(categories.get(row["category"], row["category"])),
                    value=row["budget"],
                    display=money_short(row["budget"]),
                    cells=[grouped(row["items"]), money_short(row["spent"])],
                )
                for row in sorted(stats["by_category"], key=lambda r: _category_rank(r["category"]))
            ],
        )
    )
    kinds = dict(FacilityKind.choices)
    charts.append(
        Chart(
            id="chart-facilities",
            title=_("Facilities open, by kind"),
            label_header=_("Kind"),
            value_header=_("Facilities"),
            columns=[_("Capacity"), _("Area (m²)")],
            bars=[
                Bar(
                    label=str(kinds.get(row["kind"], row["kind"])),
                    value=row["facilities"],
                    display=grouped(row["facilities"]),
                    cells=[grouped(row["capacity"]), grouped(row["area_m2"])],
                    href=_list_url(district=district, facility=row["kind"]),
                )
                for row in sorted(stats["facilities_by_kind"], key=lambda r: -r["facilities"])
            ],
        )
    )
    return charts


def _category_rank(category: str) -> int:
    """Basic, improvement, enhancement: the national order, not the alphabet's."""
    values = list(Category.values)
    return values.index(category) if category in values else len(values)


def _latest_completed(district: District | None = None) -> list[Community]:
    """The most recently completed communities (1 query)."""
    # Completed communities always carry the date; saying so lets PostgreSQL walk the date's
    # index from the newest instead of first stepping over every NULL (100 ms at 220,000).
    communities = (
        Community.objects.completed().filter(completed_on__isnull=False).select_related("district")
    )
    if district is not None:
        communities = communities.filter(district=district)
    return list(communities.order_by("-completed_on", "name", "id")[:LATEST_COMPLETED])


# --- Maps ---------------------------------------------------------------------------------


def _map_settings() -> dict:
    """The tile server and attribution: settings, so a city can point at its own tiles."""
    return {
        "tile_url": getattr(settings, "MAP_TILE_URL", DEFAULT_TILE_URL),
        "tile_attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", DEFAULT_TILE_ATTRIBUTION),
    }


def _city_bounds() -> str:
    """``min_lat,min_lng,max_lat,max_lng`` of every located community, the map's first view
    before the markers load (1 query); empty when no community has a location."""
    box = Community.objects.aggregate(
        min_lat=Min("latitude"),
        min_lng=Min("longitude"),
        max_lat=Max("latitude"),
        max_lng=Max("longitude"),
    )
    if box["min_lat"] is None:
        return ""
    # SQLite hands the aggregates back with float noise; coordinates are stored to 6 places.
    return ",".join(
        f"{Decimal(box[key]):.6f}" for key in ("min_lat", "min_lng", "max_lat", "max_lng")
    )


# --- Filtering ----------------------------------------------------------------------------


def _filtered(request) -> tuple[CommunityFilter, str]:
    """The list's FilterSet bound to the query string, and the chosen sort key."""
    # Read-only rows: the search grams (a few hundred characters each) stay in the table.
    communities = Community.objects.select_related("district").defer("search_grams")
    filterset = CommunityFilter(request.GET, queryset=communities)
    sort = request.GET.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT
    return filterset, sort


def _sorted(queryset: QuerySet, sort: str) -> QuerySet:
    return queryset.order_by(*SORTS[sort][1])


def _filter_query(request, *, drop: Iterable[str] = PAGE_PARAMS) -> str:
    """The query string of the filters alone, for downloads, the map and page links."""
    params = request.GET.copy()
    for name in drop:
        params.pop(name, None)
    for name in [name for name, values in params.lists() if not any(values)]:
        params.pop(name)
    return params.urlencode()


def _filter_controls(filterset: CommunityFilter) -> dict:
    """What the filter form offers (2 queries: districts, batch years)."""
    data = filterset.data
    districts = District.objects.order_by("code").values_list("code", "name")
    return {
        "district_options": option_tags(districts, data.get("district", "")),
        "statuses": RenovationStatus.choices,
        "years": [str(year) for year in batch_years()],
        "property_modes": PROPERTY_MODE_CHOICES,
        "facility_kinds": FacilityKind.choices,
        "sorts": [(key, label) for key, (label, _ordering) in SORTS.items()],
        "current": {
            name: data.get(name, "")
            for name in (
                "q",
                "district",
                "status",
                "renovation_year",
                "property_mode",
                "has_elevator",
                "property_service",
                "facility",
                "sort",
            )
        },
    }


def _results_context(request, *, page_size: int = PAGE_SIZE) -> dict:
    """Everything the list and the map page share: form, results page, downloads."""
    filterset, sort = _filtered(request)
    valid = filterset.is_valid()
    communities = _sorted(filterset.qs, sort) if valid else Community.objects.none()
    # Unfiltered, a national table's size is PostgreSQL's estimate, not a COUNT(*) of it all.
    searched = valid and bool(filterset.form.cleaned_data.get("q"))
    paginator = EstimatingPaginator(
        communities, page_size, count_max=SEARCH_COUNT_MAX if searched else None
    )
    page = paginator.get_page(request.GET.get("page"))
    query = _filter_query(request)
    page_query = _filter_query(request, drop={"page"})
    geojson = reverse(GEOJSON_URL_NAME)
    return {
        "filterset": filterset,
        "valid": valid,
        "controls": _filter_controls(filterset),
        "page": page,
        "query": query,
        "page_query": page_query,
        "filtered": bool(query),
        "csv_url": reverse("site:community-export") + (f"?{query}" if query else ""),
        # The map fetches JSON; the download link asks for it explicitly (format=json), or a
        # browser following it would get the API's browsable HTML page.
        "geojson_url": geojson + (f"?{query}" if query else ""),
        "geojson_download_url": f"{geojson}?" + "&".join(filter(None, ["format=json", query])),
        "map": _map_settings(),
        "city_bounds": _city_bounds(),
        "statuses": RenovationStatus.choices,
    }


# --- Pages --------------------------------------------------------------------------------


@require_safe
def home(request):
    """The city's headline figures, charts and the latest completed communities: one cache
    read and one query when the statistics are cached (``selectors.city_statistics``), their
    10 aggregates more when not.

    With more than ``HOME_DISTRICTS`` districts the page links the leading ones and offers
    every district in a select that opens its communities, instead of thousands of links.
    """
    # What the page draws from the figures (cards, charts, the leading districts, the select
    # of every district) is cached with them, per language: read back in one piece, instead of
    # unpickling the country's 2,800 district rows and drawing from them on every request.
    parts = selectors.cached_statistics("home-page", _home_parts, translation.get_language())
    return render(request, "communities/home.html", {**parts, "latest": _latest_completed()})


def _home_parts() -> dict:
    """The home page's figures, charts and districts (``selectors.city_statistics``)."""
    stats = selectors.city_statistics()
    districts, others, _others_total = _leading(stats["by_district"], "communities_renovated")
    return {
        "figures": _headline_cards(stats),
        "charts": _charts(stats),
        "districts": districts,
        "all_districts": (
            # by_district comes in the order of the codes
            option_tags((row["district"], row["district_name"]) for row in stats["by_district"])
            if others
            else ""
        ),
    }


@require_safe
def district_detail(request, code: str):
    """The same figures and charts for one district; an unknown code is a 404."""
    if not bounds.is_path_text(code):  # a NUL byte names nothing (PostgreSQL refuses it)
        raise Http404
    district = get_object_or_404(District, code=code)
    stats = selectors.city_statistics(district=code)
    return render(
        request,
        "communities/district_detail.html",
        {
            "district": district,
            "stats": stats,
            "figures": _headline_cards(stats, district=code),
            "charts": _charts(stats, district=code),
            "latest": _latest_completed(district),
            "list_url": _list_url(district=code),
        },
    )


@require_safe
@throttle("site_list")
def community_list(request):
    """Search, filters, sort, pagination, a map of the results and their downloads."""
    return render(request, "communities/community_list.html", _results_context(request))


@require_safe
def community_map(request):
    """Every community as a marker, filtered as the list is; the list follows the map."""
    return render(request, "communities/map.html", _results_context(request))


CSV_COLUMNS = [
    "id",
    "name",
    "district_code",
    "district",
    "subdistrict",
    "neighbourhood",
    "address",
    "latitude",
    "longitude",
    "year_built",
    "buildings",
    "households",
    "floor_area_m2",
    "renovation_year",
    "status",
    "status_display",
    "started_on",
    "completed_on",
    "demonstration_project",
    "url",
]


class _Echo:
    """A file-like object whose ``write`` hands the line back, for streaming CSV."""

    def write(self, value: str) -> str:
        return value


def _csv_rows(request, communities: QuerySet) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # A byte-order mark, so spreadsheet programs read the Chinese names as UTF-8.
    yield "\ufeff" + writer.writerow(CSV_COLUMNS)
    for community in communities.iterator(chunk_size=500):
        # Text a spreadsheet program would run as a formula starts with a ' (OWASP).
        yield writer.writerow(
            neutralise_row(
                [
                    community.pk,
                    community.name,
                    community.district.code,
                    community.district.name,
                    community.subdistrict,
                    community.neighbourhood,
                    community.address,
                    community.latitude if community.latitude is not None else "",
                    community.longitude if community.longitude is not None else "",
                    community.year_built or "",
                    community.buildings_count,
                    community.households,
                    community.floor_area_m2,
                    community.renovation_year or "",
                    community.renovation_status,
                    community.get_renovation_status_display(),
                    community.started_on or "",
                    community.completed_on or "",
                    "yes" if community.is_demonstration else "no",
                    request.build_absolute_uri(community.get_absolute_url()),
                ]
            )
        )


@require_safe
@throttle("site_export")
def community_export(request):
    """The filtered list as CSV, every matching row in the list's order (2 queries)."""
    filterset, sort = _filtered(request)
    if not filterset.is_valid():
        errors = "\n".join(
            f"{name}: {' '.join(messages)}" for name, messages in filterset.errors.items()
        )
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    response = StreamingHttpResponse(
        _csv_rows(request, _sorted(filterset.qs, sort)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="communities-{stamp}.csv"'
    return response


# The stages of an elevator retrofit a resident follows; the paperwork between them (design,
# notice, approval, acceptance) shows in the elevator table, not on the timeline.
ELEVATOR_MILESTONES = [
    ElevatorStage.CONSENT,
    ElevatorStage.CONSTRUCTION,
    ElevatorStage.IN_SERVICE,
    ElevatorStage.WITHDRAWN,
]


@dataclass
class Milestone:
    on: date
    label: str
    planned: bool = False


@dataclass
class CategoryGroup:
    category: str
    label: str
    items: list[RenovationItem]
    budget: Decimal = Decimal("0")
    funded: Decimal = Decimal("0")


def _group_items(items: list[RenovationItem]) -> list[CategoryGroup]:
    """Items under their national category, in the national order, with the category's sums."""
    groups = {value: CategoryGroup(value, str(label), []) for value, label in Category.choices}
    for item in items:
        lines = list(item.funding.all())
        item.funding_sum = sum((line.amount for line in lines), Decimal("0"))
        item.funding_lines = sorted(lines, key=lambda line: _source_rank(line.source))
        group = groups.setdefault(
            item.kind.category, CategoryGroup(item.kind.category, item.kind.category, [])
        )
        group.items.append(item)
        if item.status != ItemStatus.CANCELLED:
            group.budget += item.budget
            group.funded += item.funding_sum
    return [group for group in groups.values() if group.items]


def _source_rank(source: str) -> int:
    values = list(FundingSource.values)
    return values.index(source) if source in values else len(values)


def _milestones(
    community: Community,
    items: list[RenovationItem],
    elevators: list[ElevatorRetrofit],
    facilities: list[Facility],
    service: PropertyService | None,
) -> list[Milestone]:
    """The community's timeline, from the dates its records already carry (no queries)."""
    events: list[Milestone] = []
    if community.started_on:
        events.append(Milestone(community.started_on, _("Renovation began")))
    if community.completed_on:
        events.append(Milestone(community.completed_on, _("Renovation completed")))
    for item in items:
        if item.status == ItemStatus.CANCELLED:
            continue
        if item.actual_start:
            events.append(Milestone(item.actual_start, _("Work began: %s") % item.title))
        elif item.planned_start:
            events.append(
                Milestone(item.planned_start, _("Work planned to begin: %s") % item.title, True)
            )
        if item.actual_end:
            events.append(Milestone(item.actual_end, _("Work finished: %s") % item.title))
        elif item.planned_end:
            events.append(
                Milestone(item.planned_end, _("Work planned to finish: %s") % item.title, True)
            )
    stages = dict(ElevatorStage.choices)
    for elevator in elevators:
        for stage in ELEVATOR_MILESTONES:
            reached = getattr(elevator, STAGE_DATE_FIELDS[stage])
            if reached:
                events.append(
                    Milestone(
                        reached,
                        _("Elevator, %(place)s: %(stage)s")
                        % {"place": _elevator_place(elevator), "stage": stages[stage]},
                    )
                )
    for facility in facilities:
        if facility.opened_on:
            events.append(Milestone(facility.opened_on, _("Opened: %s") % facility.name))
    if service is not None:
        events.append(
            Milestone(
                service.contract_start,
                _("Property service by %s began") % service.provider_name,
            )
        )
    return sorted(events, key=lambda event: (event.on, event.planned))


def _elevator_place(elevator: ElevatorRetrofit) -> str:
    return _("%(building)s, unit %(unit)s") % {
        "building": elevator.building.label,
        "unit": elevator.entrance_unit,
    }


def _elevator_rows(elevators: list[ElevatorRetrofit]) -> list[dict]:
    """Each elevator with its stage, the date it got there and how far along the path it is."""
    path = ElevatorStage.ordered()
    rows = []
    for elevator in elevators:
        withdrawn = elevator.stage == ElevatorStage.WITHDRAWN
        step = 0 if withdrawn else path.index(elevator.stage) + 1
        rows.append(
            {
                "elevator": elevator,
                "place": _elevator_place(elevator),
                "since": getattr(elevator, STAGE_DATE_FIELDS[elevator.stage]),
                "step": step,
                "steps": len(path),
                "withdrawn": withdrawn,
                "percent": round(step / len(path) * 100),
            }
        )
    return rows


def _elevator_shares(elevators: list[ElevatorRetrofit]) -> list[dict]:
    """How the owners share the cost of each elevator whose sharing is public (from its
    public notice on, unless withdrawn), by floor and without a name, room or phone, with what
    their owners were invoiced and have paid: two queries (all their households, and their
    collection totals), none when no elevator has got that far."""
    published = [elevator for elevator in elevators if elevator.shares_published]
    sharings = cost_sharings(published, public=True)
    read_collection(published)  # only these show their totals
    rows = []
    for elevator in published:
        sharing = sharings[elevator.pk]
        if sharing.problem or not sharing.floors:
            continue  # no households recorded yet, or nobody to carry the cost
        per_floor: dict[int, list[Decimal]] = {}
        for household in sharing.households:
            per_floor.setdefault(household.floor, []).append(household.share)
        floors = [
            {
                "floor": floor.floor,
                "households": floor.households,
                "area": floor.area,
                "coefficient": floor.coefficient,
                "amount": floor.amount,
                "lowest": min(per_floor[floor.floor]),
                "highest": max(per_floor[floor.floor]),
            }
            for floor in sharing.floors
        ]
        rows.append(
            {
                "elevator": elevator,
                "place": _elevator_place(elevator),
                "sharing": sharing,
                "floors": floors,
                "collected_percent": share_percent(elevator.owners_collected, sharing.owners_part),
            }
        )
    return rows


def _last_updated(
    community: Community, items: list[RenovationItem], elevators: list[ElevatorRetrofit]
) -> datetime:
    stamps = [community.updated_at]
    stamps += [item.updated_at for item in items]
    stamps += [elevator.updated_at for elevator in elevators]
    return max(stamps)


@require_safe
def community_detail(request, pk: int):
    """One community: its items by category, residents' proposals, design plan and ratings,
    timeline, facilities, elevators (and, once noticed, how their owners share the cost),
    property service and location (a fixed number of queries, however many items it has)."""
    community = get_object_or_404(Community.objects.select_related("district"), pk=pk)
    items = list(
        RenovationItem.objects.filter(community=community)
        .select_related("kind", "building", "settlement")
        .prefetch_related("funding")
        .order_by("kind__category", "kind__sort_order", "planned_start", "id")
    )
    elevators = list(
        ElevatorRetrofit.objects.filter(building__community=community)
        .select_related("building")
        .order_by("building__label", "entrance_unit")
    )
    facilities = list(Facility.objects.filter(community=community).order_by("kind", "name"))
    service = (
        PropertyService.objects.covering(date.today())
        .filter(community=community)
        .order_by("-contract_start")
        .first()
    )
    participation = community_participation(community)
    groups = _group_items(items)
    live = [item for item in items if item.status != ItemStatus.CANCELLED]
    return render(
        request,
        "communities/community_detail.html",
        {
            "community": community,
            "groups": groups,
            "items_count": len(live),
            "total_budget": sum((item.budget for item in live), Decimal("0")),
            "total_funded": sum((item.funding_sum for item in live), Decimal("0")),
            "milestones": _milestones(community, items, elevators, facilities, service),
            "elevators": _elevator_rows(elevators),
            "elevator_shares": _elevator_shares(elevators),
            "facilities": facilities,
            "service": service,
            "participation": participation,
            "last_updated": _last_updated(community, items, elevators),
            "map": _map_settings(),
            "point": (
                f"{community.latitude},{community.longitude}"
                if community.latitude is not None
                else ""
            ),
            "today": date.today(),
            "gallery": community_gallery(community),  # photos (construction/gallery.py)
            # inspections, orders, acceptances, settlements (construction/selectors.py)
            "construction": community_construction_record(community.pk, items=items),
        },
    )


class SatisfactionFilterForm(forms.Form):
    """?district=<code>&year=<batch year>; a value that is not one of the choices is a form
    error shown on the page, and the figures are then the whole city's."""

    district = forms.ChoiceField(label=gettext_lazy("District"), required=False)
    year = forms.TypedChoiceField(
        label=gettext_lazy("Batch year"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, districts: QuerySet, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", _("The whole city"))] + [
            (district.code, district.name) for district in districts
        ]
        self.fields["year"].choices = [("", _("Every year"))] + [(y, str(y)) for y in years]


def _batch_years() -> list[int]:
    """The batch years of the communities in the programme (one query)."""
    return list(
        Community.objects.filter(renovation_year__isnull=False)
        .order_by("renovation_year")
        .values_list("renovation_year", flat=True)
        .distinct()
    )


@require_safe
def satisfaction(request):
    """Residents' satisfaction across the city: the figures, by district and batch year, and
    the rankings of communities and contractors with enough ratings (8 queries)."""
    districts = list(District.objects.order_by("code"))
    form = SatisfactionFilterForm(request.GET or None, districts=districts, years=_batch_years())
    params = form.cleaned_data if form.is_valid() else {}
    district_code = params.get("district") or None
    statistics = city_satisfaction(district=district_code, year=params.get("year"))
    # A city ranks hundreds of communities: a page of them at a time, the filters kept in the
    # page links (the ranking is one query whatever the page).
    ranking = Paginator(statistics["communities"], SATISFACTION_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "communities/participation/satisfaction.html",
        {
            "form": form,
            "district": next((d for d in districts if d.code == district_code), None),
            "year": params.get("year"),
            "statistics": statistics,
            "overall": statistics["overall"],
            "ranking": ranking,
            "page_query": _filter_query(request, drop={"page"}),
        },
    )


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request):
    """``/favicon.ico``, which browsers ask for whatever the page links: the site's SVG icon
    (a temporary redirect: the static file's hashed name changes with its content)."""
    return HttpResponseRedirect(static("communities/favicon.svg"))
