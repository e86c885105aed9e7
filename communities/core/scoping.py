"""Who may see and change which records: the one place that knows each model's way to its
district, and what a staff user's role and districts allow.

Every surface asks here: the admin (``admin/base.py``: changelists, selects, change and history
pages), the API (``api/base.py``: writes) and imports (``imports.py``). A record outside a
user's scope is treated as if it did not exist (404, not 403), so its existence does not leak.

- District staff, property companies, and anyone given districts or a company in their
  ``StaffScope`` see the records of those districts, plus, for a property company, the repair
  requests of the communities it serves and its own service records. District staff with no
  district see nothing.
- Superusers, city administrators, viewers with no district, and staff outside the roles
  (permissions granted one by one, no scope) see the whole city; their permissions alone
  limit what they do.
- Models with no district (renovation kinds, vote and subsidy rules, Open311 clients) are
  city-wide: what a role may do with them is a matter of permissions, not of scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Model, Q, QuerySet

from communities.access.models import Role, StaffScope
from communities.elevators.models import ElevatorRetrofit, Household, OwnerVote, StageTransition
from communities.participation.models import Proposal, Rating
from communities.places.models import Building, Community, District
from communities.property.models import PropertyService
from communities.repairs.models import GridAssignment, RepairEvent, RepairRequest
from communities.works.models.facilities import Facility
from communities.works.models.items import FundingLine, RenovationItem
from communities.works.models.plans import DesignDocument, DesignPlan

# The lookup from each model to its District ("" for the district itself). A model missing here
# is city-wide. Historical models (simple_history) share their model's path: their foreign keys
# carry the same names.
DISTRICT_PATHS: dict[type[Model], str] = {
    District: "",
    Community: "district",
    Building: "community__district",
    RenovationItem: "community__district",
    FundingLine: "item__community__district",
    Facility: "community__district",
    PropertyService: "community__district",
    Household: "building__community__district",
    ElevatorRetrofit: "building__community__district",
    OwnerVote: "retrofit__building__community__district",
    StageTransition: "retrofit__building__community__district",
    Proposal: "community__district",
    DesignPlan: "community__district",
    DesignDocument: "plan__community__district",
    Rating: "community__district",
    RepairRequest: "community__district",
    RepairEvent: "request__community__district",
    GridAssignment: "community__district",
}

# The annotation ``api.base.ScopedViewMixin`` puts on rows a limited scope reads: whether the
# row is in the reader's scope (personal data is shown only then).
IN_SCOPE = "_in_user_scope"

# What a property company sees beyond its districts: its own service records, and the repair
# requests (with their timelines) of the communities it serves.
COMPANY_MODELS = frozenset({PropertyService, RepairRequest, RepairEvent})


def _base_model(model: type[Model]) -> type[Model]:
    """The tracked model behind a simple_history historical model (itself otherwise)."""
    return getattr(model, "instance_type", model)


def district_path(model: type[Model]) -> str | None:
    """The lookup from ``model`` to its district; None for a city-wide model."""
    return DISTRICT_PATHS.get(_base_model(model))


def is_district_scoped(model: type[Model]) -> bool:
    return district_path(model) is not None


@dataclass(frozen=True)
class Scope:
    """What one user may see: everything, or some districts and/or one company's records."""

    everything: bool = False
    district_ids: frozenset[int] = field(default_factory=frozenset)
    company: str = ""

    def condition(self, model: type[Model]) -> Q | None:
        """The filter for ``model``'s rows in this scope; None when nothing is filtered."""
        path = district_path(model)
        if self.everything or path is None:
            return None
        condition = Q(pk__in=[])
        if self.district_ids:
            # The district itself by its own key: on its history the pk is the version's.
            own_key = _base_model(model)._meta.pk.attname
            lookup = f"{path}__in" if path else f"{own_key}__in"
            condition |= Q(**{lookup: self.district_ids})
        base = _base_model(model)
        if self.company and base in COMPANY_MODELS:
            if base is PropertyService:
                condition |= Q(provider_name=self.company)
            else:
                served = PropertyService.objects.filter(provider_name=self.company)
                community = path.removesuffix("__district")
                condition |= Q(**{f"{community}__in": served.values("community")})
        return condition


EVERYTHING = Scope(everything=True)
NOTHING = Scope()


def scope_for(user) -> Scope:
    """The user's scope. Runs up to three queries (groups, scope, districts), cached on the user
    object for the rest of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    cached = getattr(user, "_renovation_scope", None)
    if cached is not None:
        return cached
    roles = set(user.groups.values_list("name", flat=True))
    if Role.CITY_ADMIN in roles:
        scope = EVERYTHING
    else:
        staff_scope = StaffScope.objects.filter(user=user).prefetch_related("districts").first()
        district_ids = frozenset(d.pk for d in staff_scope.districts.all()) if staff_scope else ()
        company = staff_scope.company if staff_scope else ""
        scoped_role = roles & {Role.DISTRICT_STAFF, Role.PROPERTY_COMPANY}
        if scoped_role or district_ids or company:
            scope = Scope(district_ids=frozenset(district_ids), company=company)
        else:
            scope = EVERYTHING
    user._renovation_scope = scope
    return scope


def scope_queryset(queryset: QuerySet, user) -> QuerySet:
    """``queryset`` narrowed to what ``user`` may see (unchanged for a city-wide model)."""
    condition = scope_for(user).condition(queryset.model)
    if condition is None:
        return queryset
    return queryset.filter(condition)


def in_scope(user, obj: Model) -> bool:
    """Whether ``user`` may see ``obj`` (one query unless the scope is the whole city)."""
    model = type(obj)
    if scope_for(user).condition(model) is None:
        return True
    return scope_queryset(model._default_manager.filter(pk=obj.pk), user).exists()
