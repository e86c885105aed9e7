"""Transactional tests: the seeded rows (vote rules, renovation kinds) a flush removes, put back."""

from django.db import connections

# Transactional tests end with a flush, which also empties the rows the data migrations seed
# (vote rules, renovation kinds, …). ``serialized_rollback`` puts them back before each such test,
# and ``_seeded_rows_restored`` after the last one, for the tests that follow and for a test
# database reused by the next run (--reuse-db).
TRANSACTIONAL = {"transaction": True, "serialized_rollback": True}


def restore_seeded_rows() -> None:
    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents:
            connections[alias].creation.deserialize_db_from_string(contents)
