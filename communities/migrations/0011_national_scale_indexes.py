"""Indexes for a national deployment (issue 9): batch years and map bounds read by index, and
trigram indexes for searching communities by any part of their name or address.

The trigram indexes are PostgreSQL's (the ``pg_trgm`` extension, trusted since PostgreSQL 13, so
the database owner may create it); on SQLite the search reads the table, which at a city's size
is fast enough, and these operations do nothing.
"""

from django.db import migrations, models

# The columns the admin's search and the public list's ?q= match with icontains, which Django
# writes on PostgreSQL as UPPER("column"::text) LIKE UPPER(%s): each index is on that expression.
TRIGRAM_COLUMNS = ("name", "address", "subdistrict", "neighbourhood")
TABLE = "communities_community"


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in TRIGRAM_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS community_{column}_trgm ON {TABLE} "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in TRIGRAM_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS community_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0010_seed_staff_roles"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="community",
            index=models.Index(fields=["renovation_year"], name="community_renovation_year"),
        ),
        migrations.AddIndex(
            model_name="community",
            index=models.Index(fields=["latitude"], name="community_latitude"),
        ),
        migrations.AddIndex(
            model_name="community",
            index=models.Index(fields=["longitude"], name="community_longitude"),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
