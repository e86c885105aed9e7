"""What the load and fault tests ask of the database, through the ORM: the load-test user and
its token, the ids and codes to request, the writes the run left, and a few facts about the
data the run was measured on.

The harness calls these after ``django.setup()``. The setup step alone (``DATABASE_URL`` picks
the database)::

    python manage.py shell -c "from tests.load.db import ensure_load_user; ensure_load_user()"
"""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from rest_framework.authtoken.models import Token

from communities.places.models import Community, District
from communities.repairs.models import RepairRequest
from tests.load.tools import marker_text

LOAD_USERNAME = "load-test"
# Filing a repair request through the API needs a staff user with ``add_repairrequest``; the
# view permission lets the answer show the staff fields. No role and no district scope: staff
# with permissions granted one by one see the whole city (communities/core/scoping.py).
LOAD_PERMISSIONS = ["add_repairrequest", "view_repairrequest"]


def ensure_load_user(username: str = LOAD_USERNAME) -> str:
    """Create the load-test staff user and its API token if they are missing; the token key.
    Idempotent: a second run finds both and changes nothing but lost permissions."""
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"is_staff": True, "email": ""}
    )
    if created:
        user.set_unusable_password()  # the API token is its only way in
        user.save(update_fields=["password"])
    elif not user.is_staff or not user.is_active:
        user.is_staff = user.is_active = True
        user.save(update_fields=["is_staff", "is_active"])
    permissions = Permission.objects.filter(
        content_type__app_label="communities", codename__in=LOAD_PERMISSIONS
    )
    user.user_permissions.add(*permissions)
    token, _ = Token.objects.get_or_create(user=user)
    return token.key


def sample_targets(*, seed: int, communities: int = 400, districts: int = 150) -> dict:
    """Community ids and district codes to request, drawn with ``seed`` from the whole table
    (so a run touches rows all over it, not only the first pages), the same on every run.

    Two queries: every community id (an index-only scan), and the codes of districts that
    have communities."""
    rng = random.Random(seed)
    ids = list(Community.objects.order_by("pk").values_list("pk", flat=True))
    codes = list(
        District.objects.filter(pk__in=Community.objects.values("district_id"))
        .order_by("code")
        .values_list("code", flat=True)
    )
    if not ids or not codes:
        raise RuntimeError("the database has no communities: load some data first")
    return {
        "communities": sorted(rng.sample(ids, min(communities, len(ids)))),
        "districts": sorted(rng.sample(codes, min(districts, len(codes)))),
    }


def last_repair_request_id() -> int:
    """The highest repair request id before the run: its writes all come after it."""
    return RepairRequest.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def stored_descriptions(ids: list[int]) -> dict[int, str]:
    """``{id: description}`` of the repair requests with these ids that exist."""
    stored: dict[int, str] = {}
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        stored.update(RepairRequest.objects.filter(pk__in=chunk).values_list("pk", "description"))
    return stored


def run_records(*, run_id: str, after_id: int):
    """The repair requests this run wrote, acknowledged or not (found by the run's marker
    prefix among the ids above ``after_id``, so the scan stays on the primary key)."""
    return RepairRequest.objects.filter(
        pk__gt=after_id, description__contains=marker_text(f"{run_id}-")[:-1]
    )


def delete_run_records(*, run_id: str, after_id: int) -> int:
    """Remove what the run wrote, and the history rows its writes and deletions left."""
    records = run_records(run_id=run_id, after_id=after_id)
    ids = list(records.values_list("pk", flat=True))
    if not ids:
        return 0
    RepairRequest.objects.filter(pk__in=ids).delete()
    RepairRequest.history.model.objects.filter(id__in=ids).delete()
    return len(ids)


def table_estimates() -> dict[str, int]:
    """Rows per table as PostgreSQL estimates them (an exact count of 5M rows takes seconds)."""
    if connection.vendor != "postgresql":
        return {}
    tables = {
        "communities": Community._meta.db_table,
        "districts": District._meta.db_table,
        "repair_requests": RepairRequest._meta.db_table,
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class WHERE relname = ANY(%s)",
            [list(tables.values())],
        )
        by_table = dict(cursor.fetchall())
    return {name: int(by_table.get(table, -1)) for name, table in tables.items()}
