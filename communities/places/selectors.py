"""Reads of places shared by the site and the admin."""

from django.db import connections

from communities.places.models import Community


def batch_years() -> list[int]:
    """The renovation batch years that communities carry, newest first (1 query).

    ``SELECT DISTINCT`` would read all 220,000 communities of a national deployment; this
    steps down the index on the year (``community_renovation_year``), one probe per year.
    """
    queryset = Community.objects.all()
    connection = connections[queryset.db]
    table = connection.ops.quote_name(Community._meta.db_table)
    year = connection.ops.quote_name("renovation_year")
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE years(year) AS ("
            f"SELECT MAX({year}) FROM {table} "
            f"UNION ALL SELECT (SELECT MAX({year}) FROM {table} WHERE {year} < years.year) "
            f"FROM years WHERE years.year IS NOT NULL"
            f") SELECT year FROM years WHERE year IS NOT NULL"
        )
        return [row[0] for row in cursor.fetchall()]
