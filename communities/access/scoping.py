"""How a staff user's scope is read from their role and their ``StaffScope``.

- District staff, property companies, and anyone given districts or a company in their
  ``StaffScope`` see the records of those districts, plus, for a property company, the repair
  requests of the communities it serves and its own service records. District staff with no
  district see nothing.
- City administrators, viewers with no district, and staff outside the roles (permissions
  granted one by one, no scope) see the whole city; their permissions alone limit what they do.
"""

from communities.access.choices import Role
from communities.access.models import StaffScope
from communities.core.scoping import EVERYTHING, Scope


def scope_of(user) -> Scope:
    """Up to three queries: the user's groups, their staff scope, its districts."""
    roles = set(user.groups.values_list("name", flat=True))
    if Role.CITY_ADMIN in roles:
        return EVERYTHING
    staff_scope = StaffScope.objects.filter(user=user).prefetch_related("districts").first()
    district_ids = frozenset(d.pk for d in staff_scope.districts.all()) if staff_scope else ()
    company = staff_scope.company if staff_scope else ""
    scoped_role = roles & {Role.DISTRICT_STAFF, Role.PROPERTY_COMPANY}
    if scoped_role or district_ids or company:
        return Scope(district_ids=frozenset(district_ids), company=company)
    return EVERYTHING
