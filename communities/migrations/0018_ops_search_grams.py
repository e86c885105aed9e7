"""Short searches (issue 19): each community's search grams, filled for every existing row, and
on PostgreSQL a GIN index over them as an array, so that a search of one or two characters
(和, 和平) reads the index instead of every community. On SQLite the searches use icontains and
no index is made.
"""

from django.db import migrations, models

from communities.places.policy import search_grams

# Rows read and written per round trip (a nation's 220,000 communities, a batch at a time).
BATCH_SIZE = 2000
TABLE = "communities_community"
# places.selectors.community_search_q writes `search_gram_array(search_grams) && ARRAY[…]`: the
# index is on that very expression. The function is string_to_array(…, ' ') with a high cost:
# PostgreSQL otherwise prices splitting every row's grams as nearly free and reads the whole
# table for a common term, four times slower than the index (measured at 20,000 communities).
# Its SET clause keeps it from being inlined, which would lose the cost.
FUNCTION = "search_gram_array"
INDEX = "community_search_grams"


def fill_search_grams(apps, schema_editor, *, batch_size: int = BATCH_SIZE) -> None:
    Community = apps.get_model("communities", "Community")
    columns = ("name", "address", "subdistrict", "neighbourhood")
    rows = Community._base_manager.order_by("pk").only("pk", "search_grams", *columns)
    last = 0
    while batch := list(rows.filter(pk__gt=last)[:batch_size]):
        for row in batch:
            row.search_grams = search_grams(
                **{column: getattr(row, column) for column in columns}
            )
        Community._base_manager.bulk_update(batch, ["search_grams"], batch_size=batch_size)
        last = batch[-1].pk


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION {FUNCTION}(grams text) RETURNS text[] "
            f"LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000 "
            f"SET search_path = pg_catalog "
            f"AS $$ SELECT string_to_array(grams, ' ') $$"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON {TABLE} USING gin ({FUNCTION}(search_grams))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0017_fol_subscriptions"),
    ]

    operations = [
        migrations.AddField(
            model_name="community",
            name="search_grams",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="search grams"
            ),
        ),
        migrations.RunPython(fill_search_grams, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
