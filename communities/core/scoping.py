"""Who may see and change which records: the one mechanism every surface asks.

The admin (``core/admin.py``: changelists, selects, change, history, revert, export), the API
(``core/api/base.py``: ``ScopedViewMixin``) and imports (``core/imports.py``) narrow what a user
reaches through ``scope_queryset`` and ``in_scope``. A record outside a user's scope is treated
as if it did not exist (404, not 403), so its existence does not leak.

Each model says how it is scoped, so that no module here lists the domain's models:

- ``district_path``, a class attribute: the lookup from the model to its district (``""`` for
  the district itself). A model without one is city-wide (renovation kinds, vote and subsidy
  rules, Open311 clients): what a role may do with it is a matter of permissions, not of scope.
- ``company_condition(company)``, a class method, on the models a property company reaches
  beyond its districts (its own service records, the repair requests of the communities it
  serves, and their timelines).

Who a user is comes from ``communities.access`` (roles and staff scopes), which registers its
reading with ``register_resolver`` when the app is ready: superusers see everything, anonymous
and inactive users nothing, everyone else what the resolver says.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Model, Q, QuerySet

# The annotation ``api.base.ScopedViewMixin`` puts on rows a limited scope reads: whether the
# row is in the reader's scope (personal data is shown only then).
IN_SCOPE = "_in_user_scope"


def _base_model(model: type[Model]) -> type[Model]:
    """The tracked model behind a simple_history historical model (itself otherwise)."""
    return getattr(model, "instance_type", model)


def district_path(model: type[Model]) -> str | None:
    """The lookup from ``model`` to its district; None for a city-wide model. Historical
    models (simple_history) share their model's path: their foreign keys carry the same
    names."""
    return getattr(_base_model(model), "district_path", None)


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
        company_condition = getattr(_base_model(model), "company_condition", None)
        if self.company and company_condition is not None:
            condition |= company_condition(self.company)
        return condition


EVERYTHING = Scope(everything=True)
NOTHING = Scope()


_resolvers: list[Callable[[object], Scope]] = []


def register_resolver(resolver: Callable[[object], Scope]) -> None:
    """Say how a signed-in user's scope is read (``communities.access`` does, once)."""
    if resolver not in _resolvers:
        _resolvers.append(resolver)


def scope_for(user) -> Scope:
    """The user's scope, cached on the user object for the rest of the request (the resolver
    runs up to three queries)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    cached = getattr(user, "_renovation_scope", None)
    if cached is not None:
        return cached
    scope = _resolvers[-1](user) if _resolvers else NOTHING
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
