"""A community's page in the admin: its record with the buildings, items, facilities and
property services of every part as inlines, and the list built for national scale."""

from datetime import date

from django.contrib import admin, messages
from django.db import connections
from django.db.models import Max, Min, Q, QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _

from communities.core.admin import (
    BaseAdmin,
    SelectRelatedFilter,
    SharedChoicesInline,
    child_average,
    child_count,
    child_sum,
    yuan,
)
from communities.core.scoping import scope_for
from communities.places.admin import SortKeyAdminMixin
from communities.places.models import Building, Community, CommunityQuerySet, District
from communities.places.policy import short_search_term
from communities.places.resources import CommunityResource
from communities.places.selectors import batch_years, community_search_q
from communities.places.services import building_appraisal_record_initial
from communities.property.models import PropertyService
from communities.works.choices import ItemStatus
from communities.works.models.facilities import Facility
from communities.works.models.items import FundingLine, RenovationItem
from communities.works.services import community_follow_items, renovation_item_saved

LIVE_ITEMS = {"exclude": {"status": ItemStatus.CANCELLED}}
# The changelist's computed columns (items, budget, progress) as their orderings. Sorting by
# one aggregates the items of every community listed before the first page can be shown: up to
# COMPUTED_SORT_MAX communities (a few districts) that answers well within a second; past it the
# changelist keeps its default order and says why, as the API's city-wide measures do.
COMPUTED_ORDERINGS = frozenset({"item_count", "budget_total", "progress_average"})
COMPUTED_SORT_MAX = 5_000
# The changelist's computed columns, by name, and the figure each sorts by.
COMPUTED_COLUMNS = {"items": "item_count", "budget": "budget_total", "progress": "progress_average"}
# A search matching at most this many communities is run once, and the changelist's reads
# take the matching ids (CommunityAdmin._searched).
SEARCH_IDS_MAX = 1_000
# The community's own columns the admin searches, each with a trigram index on PostgreSQL.
COMMUNITY_SEARCH_COLUMNS = ("name", "address", "subdistrict", "neighbourhood")


class BuildingInline(admin.TabularInline):
    model = Building
    fields = [
        "label",
        "storeys",
        "entrance_units",
        "households",
        "year_built",
        "safety_grade",
        "appraised_on",
        "appraiser",
    ]
    extra = 0
    show_change_link = True

    def get_queryset(self, request) -> QuerySet:
        # Each row's title is str(building), which names its community.
        return super().get_queryset(request).select_related("community")


class RenovationItemInline(SharedChoicesInline, admin.TabularInline):
    """A community's items at a glance, in a 1366 px screen: the key columns, with the actual
    dates a change of status needs beside it; the planned dates, funding and contractors are
    edited on each item's own page (its change link)."""

    model = RenovationItem
    fields = [
        "title",
        "kind",
        "building",
        "status",
        "progress",
        "budget",
        "funding",
        "actual_start",
        "actual_end",
    ]
    readonly_fields = ["funding"]
    shared_choice_fields = ("kind", "building")
    extra = 0
    show_change_link = True

    def get_queryset(self, request) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(funding_sum=child_sum(FundingLine, "item", "amount"))
        )

    def scope_choices(self, name, queryset, parent):
        if name == "building":
            return queryset.filter(community=parent) if parent else queryset.none()
        return queryset

    def choice_label(self, name):
        # Every building offered belongs to this community: its number says enough.
        return (lambda building: building.label) if name == "building" else None

    @admin.display(description=_("funding"))
    def funding(self, item: RenovationItem) -> str:
        return yuan(item.funding_total())


class FacilityInline(SharedChoicesInline, admin.TabularInline):
    model = Facility
    fields = ["name", "kind", "capacity", "area_m2", "opened_on", "renovation_item"]
    shared_choice_fields = ("renovation_item",)
    extra = 0
    show_change_link = True

    def scope_choices(self, name, queryset, parent):
        return queryset.filter(community=parent) if parent else queryset.none()


class PropertyServiceInline(admin.TabularInline):
    model = PropertyService
    # The key columns; contacts and the trial period on the service's own page (its link).
    fields = [
        "mode",
        "is_red_property",
        "provider_name",
        "contract_start",
        "contract_end",
        "fee_per_m2_month",
    ]
    extra = 0
    show_change_link = True

    def get_queryset(self, request) -> QuerySet:
        # Each row's title is str(service), which names its community.
        return super().get_queryset(request).select_related("community")


def completion_years() -> list[int]:
    """The years in which communities were completed, newest first (1 query): from the newest
    date, each step jumps to the latest date before that year, one probe of the date's index
    (``community_completed_on``) per year instead of a DISTINCT over 100,000 dates."""
    queryset = Community.objects.all()
    connection = connections[queryset.db]
    table = connection.ops.quote_name(Community._meta.db_table)
    column = connection.ops.quote_name("completed_on")
    start_of_year, params = connection.ops.date_trunc_sql("year", "years.last", (), None)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE years(last) AS ("
            f"SELECT MAX({column}) FROM {table} "
            f"UNION ALL SELECT (SELECT MAX({column}) FROM {table} WHERE {column} < "
            f"{start_of_year}) FROM years WHERE years.last IS NOT NULL"
            f") SELECT last FROM years WHERE last IS NOT NULL",
            params,
        )
        return [_year(row[0]) for row in cursor.fetchall()]


def _year(value: date | str) -> int:
    return value.year if isinstance(value, date) else int(str(value)[:4])


class CommunityAdminQuerySet(CommunityQuerySet):
    """The changelist's communities: the date hierarchy's years of completion, over every
    community, come from ``completion_years`` (Django would read all of them); over the
    communities a broad search or a filter keeps, from one probe per year
    (``_completion_years``); over the few a narrow search found by id, from Django's DISTINCT."""

    # The few communities (at most SEARCH_IDS_MAX) a narrow search found, taken by id: a
    # DISTINCT over them is one quick query, where a probe per year would send every id again.
    few = False
    # The first and last completion date, when the date hierarchy has asked (it asks first).
    bounds: dict | None = None

    def _clone(self):
        clone = super()._clone()
        clone.few = self.few
        return clone

    def aggregate(self, *args, **kwargs):
        result = super().aggregate(*args, **kwargs)
        if kwargs.keys() == {"first", "last"} and not args:
            first, last = kwargs["first"], kwargs["last"]
            if (
                isinstance(first, Min)
                and isinstance(last, Max)
                and getattr(first.get_source_expressions()[0], "name", None) == "completed_on"
                and getattr(last.get_source_expressions()[0], "name", None) == "completed_on"
            ):
                self.bounds = result  # what _completion_years would ask again
        return result

    def dates(self, field_name, kind, order="ASC"):
        if field_name != "completed_on" or kind != "year" or self.few:
            return super().dates(field_name, kind, order)
        years = self._completion_years() if self.query.has_filters() else completion_years()
        return [date(year, 1, 1) for year in sorted(years, reverse=order == "DESC")]

    def _completion_years(self) -> list[int]:
        """The years in which these communities were completed: the first and last date (the
        date hierarchy's own query, or 1), then whether any was completed in each year between
        (about eight probes, each stopping at its first row), instead of a DISTINCT over every
        match: a search of two common characters matches some 15,000 communities at national
        scale. The probes are one statement: the probe is built and compiled once, with
        placeholder dates, and sent with each year's dates (building and compiling it was
        most of each probe's time: 1-1.5 ms a year, against 0.1 ms in the database)."""
        bounds = self.bounds or self.order_by().aggregate(
            first=Min("completed_on"), last=Max("completed_on")
        )
        if bounds["first"] is None:
            return []
        years = range(bounds["first"].year, bounds["last"].year + 1)
        connection = connections[self.db]

        def span(year: int) -> tuple:  # the year's dates as the compiled query holds them
            return tuple(connection.ops.adapt_datefield_value(day) for day in _year_span(year))

        probe = self._completed_in(_SOME_YEAR).query.exists(limit=True)
        sql, params = probe.get_compiler(self.db).as_sql()
        if tuple(params[-2:]) != span(_SOME_YEAR):  # not where the filter put them
            return [year for year in years if self._completed_in(year).exists()]
        statement = " UNION ALL ".join([f"SELECT %s WHERE EXISTS ({sql})"] * len(years))
        arguments = [value for year in years for value in (year, *params[:-2], *span(year))]
        with connection.cursor() as cursor:
            cursor.execute(statement, arguments)
            return sorted(year for (year,) in cursor.fetchall())

    def _completed_in(self, year: int) -> QuerySet:
        start, end = _year_span(year)
        return self.order_by().filter(completed_on__gte=start, completed_on__lt=end)


# A year no completion date is in, whose dates stand in for each year's in the compiled probe.
_SOME_YEAR = 1


def _year_span(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year + 1, 1, 1)


class BatchYearFilter(admin.AllValuesFieldListFilter):
    """Django's filter by each batch year in use (and none). For staff who see every district
    the years come from stepping down the year's index (``views.batch_years``), not from a
    DISTINCT over every community; district staff's own communities are few."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        if scope_for(request.user).condition(model) is None:
            self.lookup_choices = [*reversed(batch_years()), None]


@admin.register(Community)
class CommunityAdmin(SortKeyAdminMixin, BaseAdmin):
    resource_classes = [CommunityResource]
    sort_keys = {"name": "name_sort"}
    list_display = [
        "name",
        "district",
        "renovation_status",
        "renovation_year",
        "year_built",
        "households",
        "floor_area_m2",
        "items",
        "budget",
        "progress",
        "is_demonstration",
    ]
    list_filter = [
        ("district", SelectRelatedFilter),
        "renovation_status",
        ("renovation_year", BatchYearFilter),
        "is_demonstration",
    ]
    list_select_related = ["district"]
    # Searched by get_search_results below, with the same meaning.
    search_fields = [*COMMUNITY_SEARCH_COLUMNS, "district__name"]
    autocomplete_fields = ["district"]
    date_hierarchy = "completed_on"
    readonly_fields = ["items", "budget", "progress", "created_at", "updated_at", "report_poster"]
    fieldsets = [
        (None, {"fields": ["name", "district", "subdistrict", "neighbourhood", "address"]}),
        (_("Location"), {"fields": [("latitude", "longitude")]}),
        (
            _("Survey"),
            {"fields": ["year_built", "buildings_count", "households", "floor_area_m2"]},
        ),
        (
            _("Renovation"),
            {
                "fields": [
                    "renovation_year",
                    "renovation_status",
                    ("started_on", "completed_on"),
                    ("is_demonstration", "demonstration_note"),
                ]
            },
        ),
        (
            _("Figures"),
            {"fields": [("items", "budget", "progress"), ("created_at", "updated_at")]},
        ),
        (_("Residents' repair reports"), {"fields": ["report_poster"]}),
    ]

    @admin.display(description=_("QR poster"))
    def report_poster(self, community: Community) -> str:
        """The printable QR poster of the community's report form (communities/site/posters.py)."""
        if community.pk is None:
            return "—"
        url = reverse("site:poster-community", kwargs={"pk": community.pk})
        return format_html('<a href="{}" target="_blank">{}</a>', url, _("QR poster (A4, SVG)"))

    inlines = [BuildingInline, RenovationItemInline, FacilityInline, PropertyServiceInline]

    def save_formset(self, request, form, formset, change):
        """Items and buildings edited here go through the same services as on their own pages:
        an item's place in its community, a new building's first appraisal record."""
        saved = formset.save()
        for obj in saved:
            if isinstance(obj, RenovationItem):
                renovation_item_saved(item=obj, created=obj in formset.new_objects, by=request.user)
            elif isinstance(obj, Building):
                building_appraisal_record_initial(building=obj, by=request.user)
        if formset.model is RenovationItem and formset.deleted_objects:
            community_follow_items(community=form.instance, by=request.user)

    def get_queryset(self, request) -> QuerySet:
        """Cancelled items are left out of the figures, as they are in the city's statistics."""
        queryset = super().get_queryset(request)
        # _db, not db: left unpinned, the queryset still sends writes (bulk delete) to the
        # primary when reads go to a replica.
        queryset = CommunityAdminQuerySet(Community, query=queryset.query, using=queryset._db)
        return queryset.annotate(
            item_count=child_count(RenovationItem, "community", **LIVE_ITEMS),
            budget_total=child_sum(RenovationItem, "community", "budget", **LIVE_ITEMS),
            progress_average=child_average(RenovationItem, "community", "progress", **LIVE_ITEMS),
        )

    def get_changelist(self, request, **kwargs):
        base = super().get_changelist(request, **kwargs)
        model_admin = self

        class BoundedSortChangeList(base):
            def get_queryset(self, request, exclude_parameters=None):
                # The list only reads its rows: the search grams stay in the table (the
                # change page, which saves them again, reads them in full).
                queryset = super().get_queryset(request, exclude_parameters)
                return queryset.defer("search_grams")

            def get_ordering_field(self, field_name):
                # "items" is also the name of the community's reverse relation to its items,
                # which Django would sort by (a join with a row per item, seconds nation-wide,
                # and every community repeated): the column sorts by its own figure.
                if field_name in COMPUTED_COLUMNS:
                    return COMPUTED_COLUMNS[field_name]
                return super().get_ordering_field(field_name)

            def get_ordering(self, request, queryset):
                ordering = super().get_ordering(request, queryset)
                if model_admin.computed_sort_refused(request, queryset, ordering):
                    default = model_admin.get_ordering(request) or self._get_default_ordering()
                    return self._get_deterministic_ordering(list(default))
                return ordering

        return BoundedSortChangeList

    def computed_sort_refused(self, request, queryset, ordering: list) -> bool:
        """Whether ``ordering`` sorts by a computed column over more than
        ``COMPUTED_SORT_MAX`` communities; if so, says so in a message and the changelist
        keeps its default order (1 query, counting no further than that, only when a
        computed column is asked for)."""
        if not any(
            isinstance(field, str) and field.lstrip("-") in COMPUTED_ORDERINGS for field in ordering
        ):
            return False
        listed = queryset.order_by().values("pk")[: COMPUTED_SORT_MAX + 1].count()
        if listed <= COMPUTED_SORT_MAX:
            return False
        self.message_user(
            request,
            _(
                "Sorting by items, budget or progress needs at most %(max)s communities: "
                "filter by district or batch year first."
            )
            % {"max": f"{COMPUTED_SORT_MAX:,}"},
            messages.WARNING,
        )
        return True

    def get_search_results(self, request, queryset, search_term):
        """Every word must be in the name, address, subdistrict or neighbourhood committee, or
        in the district's name, as Django's own search does, but indexed at national scale.

        The four columns have trigram indexes on PostgreSQL (migration 0011), and words of one
        or two characters use the search grams (migration 0017, places.selectors). The districts
        whose name holds the word are looked up first (1 query per word, over the small
        district table) and matched by id: an OR across the two tables in one query would
        make PostgreSQL read every community instead of using the indexes.
        """
        if not search_term:
            return queryset, False
        terms, broad = Q(), False
        for word in smart_split(search_term):
            if word.startswith(('"', "'")) and word[0] == word[-1]:
                word = unescape_string_literal(word)
            # A word of one or two characters through the search grams' GIN index.
            matches = community_search_q(word, using=queryset.db, localities=True)
            broad = broad or short_search_term(word) is not None
            districts = list(
                District.objects.filter(name__icontains=word).values_list("pk", flat=True)
            )
            if districts:
                matches |= Q(district__in=districts)
            terms &= matches
        if broad:  # 和平 is in 14,579 names: finding its ids first would be a query more
            return queryset.filter(terms), False
        return self._searched(request, queryset, terms), False

    def _searched(self, request, queryset: QuerySet, terms: Q) -> QuerySet:
        """The communities matching ``terms``, searched once.

        The changelist reads its queryset four times (the count, the page, the date
        hierarchy's first and last day, its years), and each would search the indexes again:
        a name with digits or a district's name costs ~35 ms per search at 220,000
        communities, as its common trigrams (泰山, 000) are in many rows. When at most
        ``SEARCH_IDS_MAX`` communities match (a name, an address, a district), their ids are
        found once and the four reads take them by primary key; a broader search (more
        matches, or a word of one or two characters: 和平 is in thousands of names) is left to
        the indexes as it was.
        """
        searched = queryset.filter(terms)
        ids = list(searched.order_by().values_list("pk", flat=True)[: SEARCH_IDS_MAX + 1])
        if len(ids) > SEARCH_IDS_MAX:
            return searched
        # How many there are is known too: the paginator need not count them again (the
        # changelist and the autocomplete only order the queryset after searching it).
        request._community_search_count = len(ids)
        few = queryset.filter(pk__in=ids)
        few.few = True  # CommunityAdminQuerySet: its dates() takes one DISTINCT
        return few

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        paginator = super().get_paginator(
            request, queryset, per_page, orphans, allow_empty_first_page
        )
        known = getattr(request, "_community_search_count", None)
        if known is not None:
            paginator.__dict__["count"] = known  # Paginator.count is a cached property
        return paginator

    @admin.display(description=_("items"), ordering="item_count")
    def items(self, community: Community):
        return getattr(community, "item_count", None)

    @admin.display(description=_("budget"), ordering="budget_total")
    def budget(self, community: Community) -> str:
        return yuan(getattr(community, "budget_total", None))

    @admin.display(description=_("progress"), ordering="progress_average")
    def progress(self, community: Community) -> str:
        """The average progress of the community's items."""
        average = getattr(community, "progress_average", None)
        if average is None:
            return self.get_empty_value_display()
        return f"{average:.0f}%"
