"""Reads of places shared by the site and the admin."""

from django.core.cache import cache
from django.db import connections
from django.db.models import BooleanField, F, Func, Q
from django.db.models.signals import post_delete, post_save

from communities.places.models import Community, District
from communities.places.policy import LOCALITY_PREFIX, short_search_term

# A district code known to exist, for the lists' ?district= (places.filters): districts are
# added rarely and removed almost never, and every list filtered by one asked the database.
_DISTRICT_CODE_KEY = "district-code-exists:{}"
DISTRICT_CODE_SECONDS = 3600


def district_code_exists(code: str) -> bool:
    """Whether a district has this code: from the cache when it was found before (the entry
    goes when any district is saved or deleted), else one query. What cannot be a code (six
    ASCII digits, as ``District.code`` holds) is no district: no query, and no cache key made
    of whatever a client sent (control characters, 20-digit numbers)."""
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return False
    key = _DISTRICT_CODE_KEY.format(code)
    if cache.get(key):
        return True
    exists = District.objects.filter(code=code).exists()
    if exists:
        cache.set(key, True, DISTRICT_CODE_SECONDS)
    return exists


def _forget_district_code(instance: District, **_signal_arguments) -> None:
    cache.delete(_DISTRICT_CODE_KEY.format(instance.code))


def connect_signals() -> None:
    """Called once the app registry is ready (``PlacesConfig.ready``). A district whose code
    changes is forgotten under its new code; its old code would be found again only until the
    entry's hour runs out, and the list filtered by it would be empty, not refused."""
    post_save.connect(_forget_district_code, sender=District, dispatch_uid="district-code")
    post_delete.connect(_forget_district_code, sender=District, dispatch_uid="district-code-del")


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


class _GramsOverlap(Func):
    """``search_gram_array(search_grams) && ARRAY[…]`` on PostgreSQL: true when the community
    has any of the grams; served by the GIN index ``community_search_grams`` (migration 0017,
    which defines the function: the grams split at spaces), whose expression this is."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, grams: list[str]):
        super().__init__(F("search_grams"))
        self.grams = grams

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        return f"search_gram_array({column}) && %s::text[]", [*params, self.grams]


def community_search_q(term: str, *, using: str, localities: bool = False) -> Q:
    """Communities whose name or address (with ``localities``, also subdistrict or
    neighbourhood committee) contains ``term``, as icontains means it, on any database.

    On PostgreSQL a term of one or two characters is matched through the search grams and
    their GIN index (policy.search_grams: the same rows as icontains, without reading every
    community); longer terms use icontains, which the trigram indexes of migration 0011 serve.
    SQLite always uses icontains.
    """
    columns = ["name", "address"] + (["subdistrict", "neighbourhood"] if localities else [])
    short = short_search_term(term)
    if short is not None and connections[using].vendor == "postgresql":
        grams = [short] + ([LOCALITY_PREFIX + short] if localities else [])
        return Q(_GramsOverlap(grams))
    return Q.create([(f"{column}__icontains", term) for column in columns], connector=Q.OR)


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
