"""``generate_scale_data`` leaves the tables it wrote vacuumed on PostgreSQL: a count reads an
index alone only where the visibility map says the pages are all visible, and autovacuum, off
on some clusters (as on the test machines'), must not be what the benchmark waits for."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from communities.places.models import Building, Community, District
from communities.repairs.models import RepairRequest
from communities.works.models.items import FundingLine, RenovationItem
from tests.support.database import TRANSACTIONAL, restore_seeded_rows

# Outside the test's transaction (VACUUM refuses to run inside one), so the test database is
# flushed afterwards: the seeded rows are put back for the tests that follow.
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="VACUUM and the visibility map are PostgreSQL's"
)


@pytest.fixture(scope="module", autouse=True)
def _seeded_rows_restored(django_db_blocker):
    yield
    with django_db_blocker.unblock():
        restore_seeded_rows()


@pytest.mark.django_db(**TRANSACTIONAL)
def test_outside_a_transaction_it_vacuums_what_it_wrote():
    out = StringIO()
    call_command("generate_scale_data", communities=20, seed=7, stdout=out)

    assert "VACUUM (ANALYZE)" in out.getvalue()
    tables = [
        model._meta.db_table
        for model in (District, Community, Building, RenovationItem, FundingLine, RepairRequest)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, relpages, relallvisible FROM pg_class WHERE relname = ANY(%s)",
            [tables],
        )
        pages = {name: (total, visible) for name, total, visible in cursor.fetchall()}
    assert set(pages) == set(tables)
    assert {name for name, (total, visible) in pages.items() if visible < total} == set()
    assert pages[Community._meta.db_table][1] > 0
