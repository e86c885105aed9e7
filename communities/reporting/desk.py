"""The staff desk: what the admin's home page shows a clerk first, in their scope.

Today's to-do (repair requests overdue or due today, public notices of elevator retrofits
ending this week, owners' votes short of the threshold, property contracts ending within 60
days with no successor, renovation items under construction unchanged for 30 days), each a
count linking to the admin list filtered to exactly those records, and the six headline
figures of the clerk's districts (the city's for a city administrator).

Every count is one aggregate query over ``scope_queryset`` and an index (see each row), and
the figures come from ``selectors.headline_figures`` through the statistics cache, so the
page costs the same few queries whatever the size of the data: the user's scope and
permissions, their districts' names, one count per row, and on a cold cache four queries per
district for the figures.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from communities.core.clock import end_of_today, local_midnight
from communities.core.scoping import scope_for, scope_queryset
from communities.elevators.models import ElevatorRetrofit
from communities.elevators.selectors import notices_ending_this_week, votes_short
from communities.places.models import District
from communities.property.models import PropertyService
from communities.property.selectors import RENEWAL_DAYS
from communities.repairs.models import RepairRequest
from communities.reporting.selectors import cached_statistics, headline_figures
from communities.works.choices import ItemStatus
from communities.works.models.items import RenovationItem

# An item under construction unchanged for this many days is stalled.
STALLED_DAYS = 30


@dataclass(frozen=True)
class ToDo:
    key: str
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: str
    unit: str = ""


@dataclass(frozen=True)
class Desk:
    scope_label: str
    todo: list[ToDo]
    figures: list[Figure]


def stalled_since(today: date) -> datetime:
    """Local midnight ``STALLED_DAYS`` days before ``today``: an item last changed before it
    has made no progress since."""
    return local_midnight(today - timedelta(days=STALLED_DAYS))


def _changelist(model, **params) -> str:
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{urlencode(params)}"


def _todo_rows(today: date) -> list[tuple[str, str, type, QuerySet, dict]]:
    """(key, label, model, the records, the changelist's query) for each row of the to-do."""
    stalled = stalled_since(today)
    return [
        (
            # The partial index repair_open_deadline (open requests by deadline).
            "repairs_due",
            _("Repair requests overdue or due today"),
            RepairRequest,
            RepairRequest.objects.overdue(end_of_today()),
            {"overdue": "by_today"},
        ),
        (
            # The index elevator_stage: the few retrofits under public notice.
            "notices_ending",
            _("Public notices of elevator retrofits ending this week"),
            ElevatorRetrofit,
            notices_ending_this_week(ElevatorRetrofit.objects.all(), today),
            {"attention": "notice_ending"},
        ),
        (
            # The index elevator_stage, then per retrofit the unit's households
            # (household_unit_floor) and its votes (the one-vote-per-household constraint).
            "votes_short",
            _("Owners' votes short of the threshold"),
            ElevatorRetrofit,
            votes_short(ElevatorRetrofit.objects.all()),
            {"attention": "vote_short"},
        ),
        (
            # The index service_contract_end.
            "contracts_ending",
            _("Property contracts ending within %(days)s days") % {"days": RENEWAL_DAYS},
            PropertyService,
            PropertyService.objects.ending_within(RENEWAL_DAYS, today),
            {"in_force": "renewal"},
        ),
        (
            # The index item_status_updated.
            "items_stalled",
            _("Items under construction without progress for %(days)s days")
            % {"days": STALLED_DAYS},
            RenovationItem,
            RenovationItem.objects.filter(
                status=ItemStatus.UNDER_CONSTRUCTION, updated_at__lt=stalled
            ),
            {"status__exact": ItemStatus.UNDER_CONSTRUCTION, "updated_at__lt": stalled.isoformat()},
        ),
    ]


def _number(value, places: int = 0) -> str:
    return f"{Decimal(value or 0):,.{places}f}"


def _figures(codes: list[str | None]) -> list[Figure]:
    """The six headline figures summed over ``codes`` (None: the whole city), each district's
    from the statistics cache (``headline_figures``: four queries when it is cold)."""
    totals: dict[str, Decimal] = {}
    for code in codes:
        found = cached_statistics(
            "headline", lambda code=code: headline_figures(district=code), code
        )
        for key, value in found.items():
            totals[key] = totals.get(key, Decimal(0)) + Decimal(value or 0)
    figures = [
        ("communities_renovated", _("Communities renovated"), 0, ""),
        ("renovated_floor_area_m2", _("Floor area renovated"), 0, "m²"),
        ("households_benefited", _("Households benefited"), 0, ""),
        ("elevators_in_service", _("Elevators added, in service"), 0, ""),
        ("children_play_area_m2", _("Children's play area renovated"), 0, "m²"),
        ("communities_with_property_service", _("Communities under property service"), 0, ""),
    ]
    return [
        Figure(key=key, label=label, value=_number(totals.get(key), places), unit=unit)
        for key, label, places, unit in figures
    ]


def staff_desk(user, *, today: date | None = None) -> Desk:
    """The desk of ``user``: the to-do rows of the models they may view, each counted in
    their scope, and the headline figures of their districts (the city's when their scope is
    the whole city; none for a scope of no district, such as a property company's)."""
    today = today or timezone.localdate()
    scope = scope_for(user)
    todo = [
        ToDo(
            key=key,
            label=label,
            count=scope_queryset(records, user).count(),
            url=_changelist(model, **params),
        )
        for key, label, model, records, params in _todo_rows(today)
        if user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
    ]
    if scope.everything:
        return Desk(scope_label=_("The whole city"), todo=todo, figures=_figures([None]))
    districts = list(
        District.objects.filter(pk__in=scope.district_ids)
        .order_by("code")
        .values_list("code", "name")
    )
    figures = _figures([code for code, _name in districts]) if districts else []
    label = "、".join(name for _code, name in districts) or _("No district")
    return Desk(scope_label=label, todo=todo, figures=figures)
