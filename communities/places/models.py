"""Places: districts, communities (the unit of renovation) and their buildings."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    FileExtensionValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from communities.core import files
from communities.core.bounds import BoundedDateField
from communities.core.clock import today
from communities.core.constraints import CheckedInOneQuery
from communities.core.history import HistoricalRecords
from communities.places.choices import RegionLevel, RenovationStatus, SafetyGrade
from communities.places.policy import SORT_KEY_LENGTH, natural_key, pinyin_key, search_grams

# Mainland China's extent, generously: a coordinate outside it is a typo (swapped lat/lng, a
# missing minus sign, degrees-minutes entered as decimals).
CHINA_LAT = (3.8, 53.6)
CHINA_LNG = (73.4, 135.1)
FIRST_YEAR = 1949
NOT_NEGATIVE = MinValueValidator(0, message=_("This cannot be negative."))


def sort_key_field(of: str) -> models.CharField:
    """The stored sort key of a name or number (policy.pinyin_key, natural_key): filled on
    save and bulk_create, never edited, indexed with what it orders by."""
    return models.CharField(
        _("sort key"),
        max_length=SORT_KEY_LENGTH,
        blank=True,
        default="",
        editable=False,
        help_text=format_lazy(_("Computed from the {field}, for ordering."), field=of),
    )


class SortKeyQuerySet(models.QuerySet):
    """bulk_create fills each object's sort keys first (save() does it one at a time)."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.fill_sort_keys()
        return super().bulk_create(objs, *args, **kwargs)


def save_with_sort_keys(obj: models.Model, keys: dict[str, str], kwargs: dict) -> None:
    """save()'s part for sort keys: fill them, and store them with their source field when
    only some fields are saved (``keys``: source field → key field)."""
    obj.fill_sort_keys()
    update_fields = kwargs.get("update_fields")
    if update_fields is not None:
        fields = set(update_fields)
        fields |= {key for source, key in keys.items() if source in fields}
        kwargs["update_fields"] = fields


def current_year() -> int:
    return date.today().year


def latitude_field() -> models.DecimalField:
    """An optional latitude inside China (communities, repair requests)."""
    return models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(CHINA_LAT[0]), MaxValueValidator(CHINA_LAT[1])],
    )


def longitude_field() -> models.DecimalField:
    """An optional longitude inside China (communities, repair requests)."""
    return models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(CHINA_LNG[0]), MaxValueValidator(CHINA_LNG[1])],
    )


class District(CheckedInOneQuery, models.Model):
    """A district, county or county-level city, known by its 6-digit administrative code."""

    # Scope (core.scoping): the lookup from here to the district.
    district_path = ""

    code = models.CharField(
        _("administrative code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("Enter the 6-digit administrative code."))],
    )
    name = models.CharField(_("name"), max_length=50)
    history = HistoricalRecords()

    class Meta:
        app_label = "communities"
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["code"]  # served by the unique index on code
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{6}$"),
                name="%(app_label)s_%(class)s_code_six_digits",
                violation_error_message=_("The administrative code must be 6 digits."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("site:district", args=[self.code])

    @property
    def city_code(self) -> str:
        """The code of the city (prefecture) above it: 370902 → 3709."""
        return self.code[:4]

    @property
    def province_code(self) -> str:
        """The code of the province above it: 370902 → 37."""
        return self.code[:2]


class Region(CheckedInOneQuery, models.Model):
    """A province (2-digit code) or a prefecture-level city (4-digit code) above the districts.

    The tree is in the codes themselves (district 370902 is in city 3709, in province 37), so
    a region holds no link to its districts: its districts are those whose code starts with
    its own (``District.objects.filter(code__startswith=region.code)``, served on PostgreSQL by
    the ``varchar_pattern_ops`` index Django adds to the unique ``District.code``). What a
    region adds is its name, which is data: seeded for Shandong and its cities, made by the
    national-scale generator for what it generates, edited in the admin.
    """

    code = models.CharField(
        _("administrative code"),
        max_length=4,
        unique=True,
        validators=[
            RegexValidator(
                r"^\d{2}(\d{2})?$",
                _("Enter a 2-digit province code or a 4-digit city code."),
            )
        ],
    )
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel)
    history = HistoricalRecords()

    class Meta:
        app_label = "communities"
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]  # served by the unique index on code
        constraints = [
            models.CheckConstraint(
                condition=Q(level=RegionLevel.PROVINCE, code__regex=r"^[0-9]{2}$")
                | Q(level=RegionLevel.CITY, code__regex=r"^[0-9]{4}$"),
                name="%(app_label)s_%(class)s_level_matches_code",
                violation_error_message=_(
                    "A province has a 2-digit code and a city a 4-digit code."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("site:region", args=[self.code])

    @property
    def display_name(self) -> str:
        """The name in the active language (region names are data, so they carry both)."""
        if self.name_en and not (get_language() or "zh").startswith("zh"):
            return self.name_en
        return self.name

    @property
    def parent_code(self) -> str:
        """The province above a city; empty for a province."""
        return self.code[:2] if len(self.code) == 4 else ""

    def clean(self) -> None:
        expected = RegionLevel.of_code(self.code or "")
        if expected is not None and self.level and self.level != expected:
            raise ValidationError(
                {"level": _("A province has a 2-digit code and a city a 4-digit code.")}
            )


# The text columns a search reads (their grams are in Community.search_grams).
SEARCHED_COLUMNS = ("name", "address", "subdistrict", "neighbourhood")


# An item's statuses as the works name them (communities.works.choices.ItemStatus; places sits
# below works and does not import it: tests/places/test_integrity.py checks they agree).
ITEM_FINISHED = ("completed", "accepted")
ITEM_CANCELLED = "cancelled"


class CommunityQuerySet(SortKeyQuerySet):
    def completed(self) -> "CommunityQuerySet":
        return self.filter(renovation_status=RenovationStatus.COMPLETED)


class Community(CheckedInOneQuery, models.Model):
    """An old residential community (小区): the unit the programme renovates."""

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "district"

    name = models.CharField(_("name"), max_length=100)
    # The name in pinyin order (policy.pinyin_key): the lists' and ?ordering=name's order.
    name_sort = sort_key_field(_("name"))
    # Every character and pair of neighbouring characters of the name, address, subdistrict
    # and neighbourhood committee (policy.search_grams), filled with the sort keys: searches of
    # one or two characters read it through a GIN index on PostgreSQL (places.selectors).
    search_grams = models.TextField(_("search grams"), blank=True, default="", editable=False)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="communities", verbose_name=_("district")
    )
    subdistrict = models.CharField(_("subdistrict"), max_length=50, blank=True)
    neighbourhood = models.CharField(_("neighbourhood committee"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = latitude_field()
    longitude = longitude_field()
    year_built = models.PositiveSmallIntegerField(
        _("year built"),
        null=True,
        blank=True,
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(current_year)],
    )
    buildings_count = models.PositiveIntegerField(
        _("number of buildings"),
        default=0,
        help_text=_("As surveyed; the buildings entered below may be fewer."),
    )
    households = models.PositiveIntegerField(_("households"), default=0)
    floor_area_m2 = models.DecimalField(
        _("gross floor area (m²)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[NOT_NEGATIVE],
    )
    renovation_year = models.PositiveSmallIntegerField(
        _("renovation batch year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    renovation_status = models.CharField(
        _("renovation status"),
        max_length=20,
        choices=RenovationStatus,
        default=RenovationStatus.NOT_STARTED,
    )
    started_on = BoundedDateField(_("started on"), null=True, blank=True)
    completed_on = BoundedDateField(_("completed on"), null=True, blank=True)
    is_demonstration = models.BooleanField(_("demonstration project"), default=False)
    demonstration_note = models.CharField(_("demonstration note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    # The grams are derived from the text and recomputed on save (a revert included).
    history = HistoricalRecords(excluded_fields=["search_grams"])

    objects = CommunityQuerySet.as_manager()

    class Meta:
        app_label = "communities"
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["district__code", "name_sort", "name"]
        indexes = [
            # The public list and the API filter by district and status together.
            models.Index(
                fields=["district", "renovation_status"], name="community_district_status"
            ),
            # The dashboard's per-year breakdown and ?renovation_year=.
            models.Index(
                fields=["renovation_status", "renovation_year"], name="community_status_year"
            ),
            # The batch years in use (the site's and the admin's year choices), one index
            # probe per year: views.batch_years().
            models.Index(fields=["renovation_year"], name="community_renovation_year"),
            # The map's first view, MIN() and MAX() of each coordinate (views._city_bounds).
            models.Index(fields=["latitude"], name="community_latitude"),
            models.Index(fields=["longitude"], name="community_longitude"),
            # ?built_before= and the eligibility checks.
            models.Index(fields=["year_built"], name="community_year_built"),
            # Name search and the default ordering within a district.
            models.Index(fields=["name"], name="community_name"),
            # Names in pinyin order: the admin, the public list and ?ordering=name.
            models.Index(fields=["name_sort", "id"], name="community_name_sort"),
            # "Latest completed communities" on the home page.
            models.Index(fields=["completed_on"], name="community_completed_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(floor_area_m2__gte=0),
                name="%(app_label)s_%(class)s_floor_area_not_negative",
                violation_error_message=_("The floor area cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(year_built__isnull=True) | Q(year_built__gte=FIRST_YEAR),
                name="%(app_label)s_%(class)s_year_built_from_1949",
                violation_error_message=_("The year built must be 1949 or later."),
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (
                    Q(latitude__isnull=False, longitude__isnull=False)
                    & Q(latitude__gte=CHINA_LAT[0], latitude__lte=CHINA_LAT[1])
                    & Q(longitude__gte=CHINA_LNG[0], longitude__lte=CHINA_LNG[1])
                ),
                name="%(app_label)s_%(class)s_location_in_china",
                violation_error_message=_(
                    "Enter both latitude and longitude, inside China, or neither."
                ),
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(completed_on__gte=models.F("started_on")),
                name="%(app_label)s_%(class)s_completed_after_started",
                violation_error_message=_("The completion date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        save_with_sort_keys(self, {"name": "name_sort"}, kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(SEARCHED_COLUMNS):
            kwargs["update_fields"] = {*update_fields, "search_grams"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("site:community", args=[self.pk])

    def fill_sort_keys(self) -> None:
        """The stored keys derived from the text: the name's sort key and the search grams
        (on save and bulk_create; the scale generator computes them itself)."""
        self.name_sort = pinyin_key(self.name)
        self.search_grams = search_grams(
            name=self.name,
            address=self.address,
            subdistrict=self.subdistrict,
            neighbourhood=self.neighbourhood,
        )

    def clean(self) -> None:
        errors: dict[str, str] = {}
        status = self.renovation_status
        if status == RenovationStatus.COMPLETED and not self.completed_on:
            errors["completed_on"] = _("A completed community needs its completion date.")
        if status != RenovationStatus.COMPLETED and self.completed_on:
            errors["completed_on"] = _("Only a completed community has a completion date.")
        if (
            status in {RenovationStatus.UNDER_CONSTRUCTION, RenovationStatus.COMPLETED}
            and not self.started_on
        ):
            errors["started_on"] = _("Work that has begun needs its start date.")
        if status != RenovationStatus.NOT_STARTED and not self.renovation_year:
            errors["renovation_year"] = _("A community in the programme needs its batch year.")
        built_before = settings.RENOVATION["ELIGIBLE_BUILT_BEFORE"]
        if (
            status != RenovationStatus.NOT_STARTED
            and self.year_built is not None
            and self.year_built >= built_before
        ):
            errors["year_built"] = _(
                "Only communities built before %(year)s are eligible for renovation."
            ) % {"year": built_before}
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude" if self.longitude is None else "latitude"] = _(
                "Enter both latitude and longitude, or neither."
            )
        for field, message in self.item_errors():
            errors.setdefault(field, message)
        if errors:
            raise ValidationError(errors)

    # --- The community's status follows its items (issue 15) ---------------------------------

    def items_summary(self) -> dict:
        """Its non-cancelled items in one row: how many, how many still open, the first actual
        start and the last completion. Runs a query (none for a new community)."""
        if self.pk is None:
            return {"total": 0, "open": 0, "first_start": None, "last_end": None}
        finished = Q(status__in=ITEM_FINISHED)
        return self.items.exclude(status=ITEM_CANCELLED).aggregate(
            total=Count("id"),
            open=Count("id", filter=~finished),
            first_start=Min("actual_start"),
            last_end=Max("actual_end", filter=finished),
        )

    def item_errors(self) -> list[tuple[str, str]]:
        """Completed only when every non-cancelled item is completed or accepted, on the last
        item's completion; begun on the first item's start; no completion in the future. The
        dates are kept in step by ``works.services.community_follow_items``. Runs a query."""
        errors: list[tuple[str, str]] = []
        if self.completed_on and self.completed_on > today():
            errors.append(("completed_on", _("The completion date cannot be in the future.")))
        if self.renovation_status not in {
            RenovationStatus.UNDER_CONSTRUCTION,
            RenovationStatus.COMPLETED,
        }:
            return errors
        summary = self.items_summary()
        completed = self.renovation_status == RenovationStatus.COMPLETED
        if completed and summary["open"]:
            errors.append(
                (
                    "renovation_status",
                    _(
                        "A community is completed only when all its items are: %(open)s of "
                        "its %(total)s items are still open."
                    )
                    % {"open": summary["open"], "total": summary["total"]},
                )
            )
        last_end = summary["last_end"]
        if completed and last_end and self.completed_on and self.completed_on != last_end:
            errors.append(
                (
                    "completed_on",
                    _("The community was completed when its last item was, on %(date)s.")
                    % {"date": last_end.isoformat()},
                )
            )
        first_start = summary["first_start"]
        if first_start and self.started_on and self.started_on != first_start:
            errors.append(
                (
                    "started_on",
                    _("The community's works began with its first item, on %(date)s.")
                    % {"date": first_start.isoformat()},
                )
            )
        return errors


class Building(CheckedInOneQuery, models.Model):
    """A residential building (楼栋) of a community, with its safety appraisal."""

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "community__district"

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="buildings", verbose_name=_("community")
    )
    label = models.CharField(_("building number"), max_length=30, help_text=_("For example 3号楼."))
    # The number in natural order (policy.natural_key): 1号楼, 2号楼 … 10号楼.
    label_sort = sort_key_field(_("building number"))
    storeys = models.PositiveSmallIntegerField(
        _("storeys"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    entrance_units = models.PositiveSmallIntegerField(
        _("entrance units"), default=1, validators=[MinValueValidator(1)]
    )
    households = models.PositiveIntegerField(_("households"), default=0)
    year_built = models.PositiveSmallIntegerField(
        _("year built"),
        null=True,
        blank=True,
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(current_year)],
    )
    safety_grade = models.CharField(
        _("safety grade"), max_length=12, choices=SafetyGrade, default=SafetyGrade.UNAPPRAISED
    )
    appraised_on = BoundedDateField(_("appraised on"), null=True, blank=True)
    appraiser = models.CharField(_("appraiser"), max_length=100, blank=True)
    history = HistoricalRecords()

    objects = SortKeyQuerySet.as_manager()

    class Meta:
        app_label = "communities"
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["community_id", "label_sort", "label"]
        indexes = [
            # A community's buildings in natural order (the default ordering).
            models.Index(fields=["community", "label_sort", "label"], name="building_label_sort"),
            # The admin's and the API's ?safety_grade= filter; dangerous-building reports.
            models.Index(fields=["safety_grade"], name="building_safety_grade"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "label"],
                name="%(app_label)s_%(class)s_unique_label",
                violation_error_message=_(
                    "This community already has a building with this number."
                ),
            ),
            models.CheckConstraint(
                condition=Q(storeys__gte=1) & Q(entrance_units__gte=1),
                name="%(app_label)s_%(class)s_storeys_and_units_positive",
                violation_error_message=_(
                    "A building has at least one storey and one entrance unit."
                ),
            ),
            models.CheckConstraint(
                condition=Q(year_built__isnull=True) | Q(year_built__gte=FIRST_YEAR),
                name="%(app_label)s_%(class)s_year_built_from_1949",
                violation_error_message=_("The year built must be 1949 or later."),
            ),
            models.CheckConstraint(
                condition=Q(safety_grade=SafetyGrade.UNAPPRAISED) | Q(appraised_on__isnull=False),
                name="%(app_label)s_%(class)s_grade_needs_appraisal_date",
                violation_error_message=_("A safety grade needs the date of its appraisal."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.label}"

    def save(self, *args, **kwargs) -> None:
        save_with_sort_keys(self, {"label": "label_sort"}, kwargs)
        super().save(*args, **kwargs)

    def fill_sort_keys(self) -> None:
        self.label_sort = natural_key(self.label)

    @property
    def is_dangerous(self) -> bool:
        return self.safety_grade in SafetyGrade.dangerous()

    def clean(self) -> None:
        self.clean_appraisal_dates()
        self.clean_grade_from_appraisals()

    def clean_appraisal_dates(self) -> None:
        if self.appraised_on and self.appraised_on > date.today():
            raise ValidationError(
                {"appraised_on": _("The appraisal date cannot be in the future.")}
            )
        if self.safety_grade != SafetyGrade.UNAPPRAISED and not self.appraised_on:
            raise ValidationError(
                {"appraised_on": _("A safety grade needs the date of its appraisal.")}
            )

    # --- The grade is the latest appraisal's (issue 15: decisions stay decided) -------------

    # The fields an appraisal record sets; changed only by adding an appraisal
    # (places.services.building_appraisal_add).
    APPRAISAL_FIELDS = ("safety_grade", "appraised_on", "appraiser")

    def latest_appraisal(self) -> "BuildingAppraisal | None":
        """The newest appraisal record (by date, then by entry). Runs a query."""
        if self.pk is None:
            return None
        return self.appraisals.order_by("-appraised_on", "-id").first()

    def clean_grade_from_appraisals(self) -> None:
        """A recorded building's grade, appraisal date and appraiser change only with a new
        appraisal record: an edit (admin, API, import, history revert) that changes them to
        anything but the latest appraisal's is refused. A new building may be entered with
        the appraisal it already has; the admin, the API and the import then record it as its
        first appraisal (``building_appraisal_record_initial``). Runs up to two queries."""
        if self.pk is None:
            return
        stored = Building.objects.filter(pk=self.pk).values_list(*self.APPRAISAL_FIELDS).first()
        proposed = tuple(getattr(self, name) for name in self.APPRAISAL_FIELDS)
        if stored is None or tuple(stored) == proposed:
            return
        latest = self.latest_appraisal()
        if latest is not None and proposed == (latest.grade, latest.appraised_on, latest.appraiser):
            return
        raise ValidationError(
            {
                "safety_grade": _(
                    "The safety grade comes from the building's appraisals: add an appraisal "
                    "record to change it (grade, date and appraiser)."
                )
            },
            code="add_an_appraisal",
        )


def appraisal_report_upload_to(instance: "BuildingAppraisal", filename: str) -> str:
    return f"appraisals/{timezone.localdate():%Y}/{filename}"


class BuildingAppraisal(CheckedInOneQuery, models.Model):
    """One safety appraisal of a building (房屋安全鉴定): its date, appraiser, report and grade.

    Appraisals are records, never edited: the newest (by date, then by entry) gives the
    building its grade (``places.services.building_appraisal_add``); a changed grade is a new
    appraisal, and the old ones stay as the history of the building's safety.
    """

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "building__community__district"

    building = models.ForeignKey(
        Building, on_delete=models.CASCADE, related_name="appraisals", verbose_name=_("building")
    )
    appraised_on = BoundedDateField(_("appraised on"))
    appraiser = models.CharField(_("appraiser"), max_length=100, blank=True)
    grade = models.CharField(
        _("safety grade"),
        max_length=12,
        choices=[(value, label) for value, label in SafetyGrade.choices if value != "unappraised"],
    )
    report = files.UploadField(
        _("appraisal report"),
        upload_to=appraisal_report_upload_to,
        max_length=255,
        blank=True,
        validators=[
            FileExtensionValidator(files.DOCUMENT_EXTENSIONS),
            files.MaxFileSizeValidator(files.DOCUMENT_MAX_BYTES),
            files.DocumentValidator(),
        ],
        help_text=_("PDF, image, drawing, Word or Excel file of at most 50 MB."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        app_label = "communities"
        verbose_name = _("building appraisal")
        verbose_name_plural = _("building appraisals")
        ordering = ["building_id", "-appraised_on", "-id"]
        indexes = [
            # A building's appraisals newest first (the default ordering, latest_appraisal()).
            models.Index(
                fields=["building", "-appraised_on", "-id"], name="appraisal_building_newest"
            ),
            # ?grade= in the API and the admin's filter.
            models.Index(fields=["grade"], name="appraisal_grade"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(grade__in=["A", "B", "C", "D"]),
                name="%(app_label)s_%(class)s_grade_a_to_d",
                violation_error_message=_("An appraisal grades the building A, B, C or D."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.building} {self.grade} {self.appraised_on}"

    def clean(self) -> None:
        if self.appraised_on and self.appraised_on > today():
            raise ValidationError(
                {"appraised_on": _("The appraisal date cannot be in the future.")}
            )
