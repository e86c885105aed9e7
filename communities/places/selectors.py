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


def area_lookup(code: str, path: str = "district") -> dict[str, str]:
    """The filter that keeps the rows (reached from their district by ``path``) of an area: a
    6-digit district code names one district; a 2-digit province or 4-digit city code names
    every district whose code starts with it (370902 is in city 3709, province 37).

    The prefix is a ``LIKE '3709%'`` on ``District.code``: on PostgreSQL the
    ``varchar_pattern_ops`` index Django adds beside the unique index of a ``CharField``
    (``communities_district_code_…_like``) serves it, whatever the database's collation.
    """
    field = f"{path}__code" if path else "code"
    if len(code) == 6:
        return {field: code}
    return {f"{field}__startswith": code}
