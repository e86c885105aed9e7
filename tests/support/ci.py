"""Test data built once per module and shared by its tests: Django's ``setUpTestData`` for
pytest fixtures.

A module-scoped fixture builds the records inside a transaction of its own; every test of the
module then runs in a savepoint inside it (pytest-django's ``db``), rolled back when the test
ends, so each test starts from exactly the records the fixture built, whatever the test before
it wrote. The transaction is rolled back after the module's last test. Each test gets a deep
copy of the Python objects, so a test that changes an instance in memory (or refreshes it) does
not change it for the next test.

Only for tests that run inside a transaction (``db``, not ``transactional_db`` or the live
server): a test that commits would see the shared transaction, not a fresh database.

    @pytest.fixture(scope="module")
    def _world(django_db_setup, django_db_blocker):
        yield from built_once(django_db_blocker, make_world)

    @pytest.fixture
    def world(_world, db):
        return copy.deepcopy(_world)
"""

from collections.abc import Callable, Iterator
from typing import TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import translation

T = TypeVar("T")


def built_once(
    django_db_blocker, build: Callable[[], T], using: str = DEFAULT_DB_ALIAS
) -> Iterator[T]:
    """Build the records once (in the site's default language, as a test's own fixture would)
    in a transaction kept open for the module's tests and rolled back after them."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic(using=using)
        atomic.__enter__()
        try:
            with translation.override("zh-hans"):
                data = build()
            # PostgreSQL defers the foreign keys' checks to the commit. At the end of every
            # test pytest-django checks those pending (Django's SET CONSTRAINTS ALL IMMEDIATE),
            # and the rollback of the test's savepoint brings back, still pending, those of the
            # rows built here: each test of a module sharing the demo's 100,000 rows spent ~2 s
            # checking them all again. Checked once now, none is left pending.
            connections[using].check_constraints()
        except BaseException as error:
            atomic.__exit__(type(error), error, error.__traceback__)
            raise
    try:
        yield data
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True, using=using)
            atomic.__exit__(None, None, None)
