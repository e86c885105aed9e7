"""Repair requests (报修): a resident's or a grid inspector's report, dispatched to whoever keeps
the community up, handled, rated and closed; with its timeline, the grid inspectors who file
requests on patrol, and the outside systems (Open311 clients) allowed to file them.

The pure rules (which move is allowed from which status, the deadline of a category) sit at the
top of this module and run no query; ``communities/repairs/services.py`` applies them.
"""

import hashlib
import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    FileExtensionValidator,
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.core import files
from communities.core.bounds import BoundedDateField
from communities.core.constraints import CheckedInOneQuery
from communities.core.history import HistoricalRecords
from communities.places.models import (
    CHINA_LAT,
    CHINA_LNG,
    Building,
    Community,
    latitude_field,
    longitude_field,
)
from communities.property.models import PropertyService
from communities.repairs.choices import (
    ClosedBy,
    HandlerKind,
    RepairAction,
    RepairCategory,
    RepairSource,
    RepairStatus,
)
from communities.repairs.policy import allowed_moves, is_overdue

# --- Photo ------------------------------------------------------------------------------------

# Photos are checked by decoding them and stored re-encoded, without EXIF (communities.core.files).
PHOTO_EXTENSIONS = files.PHOTO_EXTENSIONS
PHOTO_MAX_BYTES = files.PHOTO_MAX_BYTES
# The name migration 0006 gives the photo's check.
ImageFileValidator = files.PhotoValidator


def photo_upload_to(instance, filename: str) -> str:
    """``repair-photos/2025/06/<random>.jpg``: the resident's file name is not kept."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    today = timezone.localdate()
    return f"repair-photos/{today:%Y/%m}/{secrets.token_hex(12)}.{extension}"


phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 \-]{4,28}[0-9]$", _("Enter a phone number of digits, spaces and dashes.")
)


def new_token() -> str:
    return secrets.token_urlsafe(18)


# --- Repair requests ------------------------------------------------------------------------


class RepairRequestQuerySet(models.QuerySet):
    def public(self) -> "RepairRequestQuerySet":
        """The only requests anonymous users and Open311 readers without a key ever see."""
        return self.filter(is_public=True)

    def open(self) -> "RepairRequestQuerySet":
        return self.filter(status__in=RepairStatus.open())

    def overdue(self, now: datetime | None = None) -> "RepairRequestQuerySet":
        """Open past their deadline (served by the partial index ``repair_open_deadline``)."""
        return self.filter(status__in=RepairStatus.open(), deadline_at__lt=now or timezone.now())

    def not_overdue(self, now: datetime | None = None) -> "RepairRequestQuerySet":
        return self.exclude(status__in=RepairStatus.open(), deadline_at__lt=now or timezone.now())

    def due_for_auto_close(self, *, now: datetime, days: int) -> "RepairRequestQuerySet":
        """Resolved and left unrated for ``days`` days."""
        return self.filter(
            status=RepairStatus.RESOLVED, resolved_at__lte=now - timedelta(days=days)
        )


class RepairRequest(CheckedInOneQuery, models.Model):
    """A repair request (报修工单) about the common parts of a community."""

    # No cached public page shows it (core.caching): its changes leave them as they are.
    shown_on_public_pages = False

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "community__district"

    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        related_name="repair_requests",
        verbose_name=_("community"),
    )
    building = models.ForeignKey(
        Building,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="repair_requests",
        verbose_name=_("building"),
    )
    entrance_unit = models.PositiveSmallIntegerField(
        _("entrance unit"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("For example 2 for 2单元."),
    )
    category = models.CharField(_("category"), max_length=20, choices=RepairCategory)
    is_emergency = models.BooleanField(
        _("emergency"),
        default=False,
        help_text=_("Danger to people or property: the emergency deadline applies."),
    )
    description = models.TextField(_("description"), validators=[MaxLengthValidator(4000)])
    photo = files.UploadField(
        _("photo"),
        upload_to=photo_upload_to,
        blank=True,
        validators=[FileExtensionValidator(PHOTO_EXTENSIONS), files.PhotoValidator()],
    )
    photo_url = models.URLField(
        _("photo link"), max_length=500, blank=True, help_text=_("A photo sent as a link.")
    )
    source = models.CharField(_("source"), max_length=20, choices=RepairSource)
    # Personal data: staff only, never in an anonymous response.
    reporter_name = models.CharField(_("reporter's name"), max_length=50, blank=True)
    reporter_phone = models.CharField(
        _("reporter's phone"), max_length=30, blank=True, validators=[phone_validator]
    )
    latitude = latitude_field()
    longitude = longitude_field()
    address = models.CharField(
        _("location description"),
        max_length=200,
        blank=True,
        help_text=_("Where exactly, in the reporter's words."),
    )
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_(
            "Shown to the public (without the reporter's name or phone) once staff have checked it."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RepairStatus, default=RepairStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    deadline_at = models.DateTimeField(_("deadline"))
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    started_at = models.DateTimeField(_("work started at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(
        _("closed at"), null=True, blank=True, help_text=_("When it was closed or rejected.")
    )
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    handler_kind = models.CharField(
        _("dispatched by"), max_length=30, choices=HandlerKind, blank=True
    )
    # RESTRICT: a contract that handled requests cannot be deleted on its own, but deleting
    # the community removes both.
    property_service = models.ForeignKey(
        PropertyService,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="repair_requests",
        verbose_name=_("handling property service"),
    )
    handler_name = models.CharField(
        _("handled by"),
        max_length=100,
        blank=True,
        help_text=_("The provider or neighbourhood committee, as it was named at dispatch."),
    )
    resolution = models.TextField(_("what was done"), blank=True)
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("The reporter's satisfaction, 1 to 5."),
    )
    rating_comment = models.TextField(_("reporter's comment"), blank=True)
    closed_by = models.CharField(_("closed by"), max_length=10, choices=ClosedBy, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    grid_inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="patrol_repair_requests",
        verbose_name=_("grid inspector"),
        help_text=_("Who filed it on patrol."),
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="filed_repair_requests",
        verbose_name=_("entered by"),
    )
    open311_client = models.ForeignKey(
        "Open311Client",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="repair_requests",
        verbose_name=_("filed through"),
    )
    # Open311 "token": lets a client follow a request it filed without knowing its id first.
    token = models.CharField(_("tracking token"), max_length=32, unique=True, default=new_token)
    history = HistoricalRecords(excluded_fields=["token"])

    objects = RepairRequestQuerySet.as_manager()

    class Meta:
        app_label = "communities"
        verbose_name = _("repair request")
        verbose_name_plural = _("repair requests")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            # Default ordering; Open311 start_date/end_date and the by-month measures.
            models.Index(fields=["-submitted_at", "-id"], name="repair_submitted"),
            # The "overdue" filter: open requests whose deadline has passed.
            models.Index(
                fields=["deadline_at"],
                condition=Q(status__in=["submitted", "dispatched", "in_progress"]),
                name="repair_open_deadline",
            ),
            # A community's requests by status (community page, ?community=, by-community
            # measures).
            models.Index(fields=["community", "status"], name="repair_community_status"),
            # ?status= and ?category= / Open311 service_code, and the by-category counts.
            models.Index(fields=["status", "category"], name="repair_status_category"),
            # A property service's queue and the by-company measures.
            models.Index(fields=["property_service", "status"], name="repair_service_status"),
            # Auto-close: resolved requests by when they were resolved.
            models.Index(fields=["status", "resolved_at"], name="repair_status_resolved"),
            # What anonymous readers list: public requests, newest first.
            models.Index(
                fields=["-submitted_at"], condition=Q(is_public=True), name="repair_public"
            ),
            # The report form's cap: how many open requests one mobile number has
            # (services.repair_request_report).
            models.Index(
                fields=["reporter_phone"],
                condition=Q(status__in=["submitted", "dispatched", "in_progress"]),
                name="repair_open_phone",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    (Q(dispatched_at__isnull=False) & ~Q(handler_kind=""))
                    | Q(status__in=["submitted", "rejected"])
                )
                & (
                    Q(started_at__isnull=False)
                    | ~Q(status__in=["in_progress", "resolved", "closed"])
                )
                & (Q(resolved_at__isnull=False) | ~Q(status__in=["resolved", "closed"]))
                & (
                    Q(closed_at__isnull=False, status__in=["closed", "rejected"])
                    | (Q(closed_at__isnull=True) & ~Q(status__in=["closed", "rejected"]))
                )
                & (
                    (~Q(reject_reason="") & Q(status="rejected"))
                    | (Q(reject_reason="") & ~Q(status="rejected"))
                )
                & (
                    (~Q(closed_by="") & Q(status="closed"))
                    | (Q(closed_by="") & ~Q(status="closed"))
                ),
                name="%(app_label)s_%(class)s_status_has_its_dates",
                violation_error_message=_("The dates and notes do not match the status."),
            ),
            models.CheckConstraint(
                condition=Q(deadline_at__gt=F("submitted_at"))
                & (Q(dispatched_at__isnull=True) | Q(dispatched_at__gte=F("submitted_at")))
                & (Q(started_at__isnull=True) | Q(started_at__gte=F("dispatched_at")))
                & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=F("started_at")))
                & (Q(closed_at__isnull=True) | Q(closed_at__gte=F("submitted_at"))),
                name="%(app_label)s_%(class)s_dates_in_order",
                violation_error_message=_("The steps of a request cannot go back in time."),
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True)
                | (Q(rating__gte=1) & Q(rating__lte=5) & Q(closed_by="rating")),
                name="%(app_label)s_%(class)s_rating_1_to_5_closes",
                violation_error_message=_("A rating is 1 to 5 and closes the request."),
            ),
            models.CheckConstraint(
                condition=Q(handler_kind="neighbourhood_fallback")
                | Q(handler_kind="", property_service__isnull=True)
                | Q(handler_kind="covering_service", property_service__isnull=False),
                name="%(app_label)s_%(class)s_covering_service_named",
                violation_error_message=_(
                    "A request dispatched to a covering service must name that service."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    (Q(latitude__isnull=True) & Q(longitude__isnull=True))
                    | (
                        Q(latitude__gte=CHINA_LAT[0], latitude__lte=CHINA_LAT[1])
                        & Q(longitude__gte=CHINA_LNG[0], longitude__lte=CHINA_LNG[1])
                    )
                )
                & (Q(entrance_unit__isnull=True) | Q(building__isnull=False))
                & (~Q(source="grid_patrol") | Q(grid_inspector__isnull=False)),
                name="%(app_label)s_%(class)s_where_and_who",
                violation_error_message=_(
                    "Give both latitude and longitude inside China or neither, a building for an "
                    "entrance unit, and the grid inspector of a patrol report."
                ),
            ),
        ]

    def __str__(self) -> str:
        return _("Repair request #%(id)s") % {"id": self.pk or "—"}

    @classmethod
    def company_condition(cls, company: str) -> Q:
        """The requests of the communities a property company serves (``core.scoping``)."""
        served = PropertyService.objects.filter(provider_name=company)
        return Q(community__in=served.values("community"))

    # Reading

    @property
    def is_overdue(self) -> bool:
        return is_overdue(status=self.status, deadline_at=self.deadline_at, now=timezone.now())

    @property
    def is_open(self) -> bool:
        return self.status in RepairStatus.open()

    @property
    def resolved_within_deadline(self) -> bool | None:
        if self.resolved_at is None or self.deadline_at is None:
            return None
        return self.resolved_at <= self.deadline_at

    def allowed_moves(self) -> list[str]:
        return allowed_moves(self.status)

    def public_location(self) -> tuple:
        """Where to put the request on a map: its own point, else its community's."""
        if self.latitude is not None:
            return self.latitude, self.longitude
        return self.community.latitude, self.community.longitude

    def place_label(self) -> str:
        """Most specific first, as Open311 wants: 3号楼 2单元, 乐园小区, 泰山区."""
        parts = []
        if self.building_id:
            unit = _("unit %(unit)s") % {"unit": self.entrance_unit} if self.entrance_unit else ""
            parts.append(f"{self.building.label} {unit}".strip())
        parts += [self.community.name, self.community.district.name]
        return ", ".join(parts)

    # Rules on one row

    def clean(self) -> None:
        errors: dict[str, list] = {}

        def add(field: str, message) -> None:
            errors.setdefault(field, []).append(message)

        if self.building_id and self.community_id:
            if self.building.community_id != self.community_id:
                add("building", _("The building belongs to another community."))
            elif self.entrance_unit and self.entrance_unit > self.building.entrance_units:
                add(
                    "entrance_unit",
                    _("Building %(building)s has only %(count)s entrance unit(s).")
                    % {"building": self.building.label, "count": self.building.entrance_units},
                )
        if self.entrance_unit and not self.building_id:
            add("building", _("Name the building of the entrance unit."))
        if (self.latitude is None) != (self.longitude is None):
            add(
                "longitude" if self.longitude is None else "latitude",
                _("Enter both latitude and longitude, or neither."),
            )
        if self.source == RepairSource.GRID_PATROL and not self.grid_inspector_id:
            add("grid_inspector", _("A patrol report names the grid inspector who filed it."))
        if self.rating is not None and self.status != RepairStatus.CLOSED:
            add("rating", _("Only a closed request has a rating."))
        if self.property_service_id and self.community_id:
            service = self.property_service
            if (
                service.community_id != self.community_id
                and self.handler_kind != HandlerKind.NEIGHBOURHOOD_FALLBACK
            ):
                add("property_service", _("This property service serves another community."))
        if errors:
            raise ValidationError(errors)


class RepairEvent(models.Model):
    """One entry of a request's timeline: who did what, when, from which status to which."""

    # No cached public page shows it (core.caching): its changes leave them as they are.
    shown_on_public_pages = False

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "request__community__district"

    request = models.ForeignKey(
        RepairRequest,
        on_delete=models.CASCADE,
        related_name="timeline",
        verbose_name=_("repair request"),
    )
    action = models.CharField(_("action"), max_length=20, choices=RepairAction)
    from_status = models.CharField(
        _("from status"), max_length=20, choices=RepairStatus, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=20, choices=RepairStatus)
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_label = models.CharField(
        _("by (as recorded)"),
        max_length=150,
        help_text=_("The user, Open311 client or automatic job, as named at the time."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        app_label = "communities"
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["request_id", "at", "id"]
        indexes = [
            # A request's timeline in order (detail page, admin inline, API).
            models.Index(fields=["request", "at", "id"], name="repair_event_timeline"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.actor_label}"

    @classmethod
    def company_condition(cls, company: str) -> Q:
        """The timelines of the requests a property company reaches (``core.scoping``)."""
        served = PropertyService.objects.filter(provider_name=company)
        return Q(request__community__in=served.values("community"))


# --- What residents add: more photos, "me too" --------------------------------------------


def supporter_key(phone: str) -> str:
    """A me-too's mobile number as kept: its hash only, enough to count each number once."""
    return hashlib.sha256(f"repair-support:{phone}".encode()).hexdigest()


class RepairPhoto(models.Model):
    """The second and third photo of a request filed on the report form (the first is
    ``RepairRequest.photo``, which Open311 and the admin show)."""

    # No cached public page shows it (core.caching): its changes leave them as they are.
    shown_on_public_pages = False

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "request__community__district"

    request = models.ForeignKey(
        RepairRequest,
        on_delete=models.CASCADE,
        related_name="more_photos",
        verbose_name=_("repair request"),
    )
    photo = files.UploadField(
        _("photo"),
        upload_to=photo_upload_to,
        validators=[FileExtensionValidator(PHOTO_EXTENSIONS), files.PhotoValidator()],
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        app_label = "communities"
        verbose_name = _("repair photo")
        verbose_name_plural = _("repair photos")
        ordering = ["request_id", "id"]
        indexes = [
            # A request's photos in order (tracking page, admin).
            models.Index(fields=["request", "id"], name="repair_photo_request"),
        ]

    def __str__(self) -> str:
        return _("Photo of request #%(id)s") % {"id": self.request_id}

    @classmethod
    def company_condition(cls, company: str) -> Q:
        served = PropertyService.objects.filter(provider_name=company)
        return Q(request__community__in=served.values("community"))


class RepairSupport(models.Model):
    """A resident's "me too" (我也遇到了) on an open request: the same problem, reported once.
    Only a hash of the mobile number is kept, so each number counts once per request."""

    # No cached public page shows it (core.caching): its changes leave them as they are.
    shown_on_public_pages = False

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "request__community__district"

    request = models.ForeignKey(
        RepairRequest,
        on_delete=models.CASCADE,
        related_name="supports",
        verbose_name=_("repair request"),
    )
    supporter_hash = models.CharField(max_length=64, editable=False)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        app_label = "communities"
        verbose_name = _("me too")
        verbose_name_plural = _("me toos")
        ordering = ["request_id", "at", "id"]
        constraints = [
            # Also serves counting a request's me-toos (the index leads with the request).
            models.UniqueConstraint(
                fields=["request", "supporter_hash"],
                name="%(app_label)s_%(class)s_once_per_number",
                violation_error_message=_("This number has already said “me too” here."),
            ),
        ]

    def __str__(self) -> str:
        return _("Me too on request #%(id)s") % {"id": self.request_id}

    @classmethod
    def company_condition(cls, company: str) -> Q:
        served = PropertyService.objects.filter(provider_name=company)
        return Q(request__community__in=served.values("community"))


# --- Grid inspectors ------------------------------------------------------------------------


class GridAssignmentQuerySet(models.QuerySet):
    def active(self, on: date) -> "GridAssignmentQuerySet":
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on), started_on__lte=on)


class GridAssignment(CheckedInOneQuery, models.Model):
    """A staff user who patrols a community as its grid inspector (网格员) for a period."""

    # No cached public page shows it (core.caching): its changes leave them as they are.
    shown_on_public_pages = False

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "community__district"

    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="grid_assignments",
        verbose_name=_("grid inspector"),
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        related_name="grid_assignments",
        verbose_name=_("community"),
    )
    grid = models.CharField(
        _("grid"), max_length=50, blank=True, help_text=_("The grid's name, e.g. 第3网格.")
    )
    started_on = BoundedDateField(_("from"))
    ended_on = BoundedDateField(_("until"), null=True, blank=True)
    history = HistoricalRecords()

    objects = GridAssignmentQuerySet.as_manager()

    class Meta:
        app_label = "communities"
        verbose_name = _("grid assignment")
        verbose_name_plural = _("grid assignments")
        ordering = ["community_id", "grid", "-started_on"]
        indexes = [
            # Does this inspector patrol this community on that day (filing a patrol report)?
            models.Index(
                fields=["inspector", "community", "started_on"], name="grid_inspector_community"
            ),
            # A community's grid inspectors, in the default order.
            models.Index(fields=["community", "grid", "started_on"], name="grid_community"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="%(app_label)s_%(class)s_end_after_start",
                violation_error_message=_("An assignment cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        grid = f" {self.grid}" if self.grid else ""
        return f"{self.inspector} · {self.community}{grid}"

    def clean(self) -> None:
        """One assignment at a time per inspector and community (runs one query)."""
        if not (self.inspector_id and self.community_id and self.started_on):
            return
        clash = GridAssignment.objects.filter(
            inspector_id=self.inspector_id, community_id=self.community_id
        ).exclude(pk=self.pk)
        clash = clash.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=self.started_on))
        if self.ended_on:
            clash = clash.filter(started_on__lte=self.ended_on)
        if clash.exists():
            raise ValidationError(
                {"started_on": _("This inspector already patrols this community then.")}
            )


# --- Open311 clients ------------------------------------------------------------------------


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class Open311ClientQuerySet(models.QuerySet):
    def authenticate(self, key: str) -> "Open311Client | None":
        """The active client holding ``key`` (one query), or None."""
        if not key:
            return None
        return self.filter(key_hash=hash_api_key(key), is_active=True).first()


class Open311Client(models.Model):
    """An outside system allowed to file requests through Open311: the 12345 hotline, the
    WeChat mini-program. Only a hash of its API key is kept; the key is shown once."""

    # No cached public page shows it (core.caching): its changes leave them as they are.
    shown_on_public_pages = False

    name = models.CharField(_("name"), max_length=100, unique=True)
    source = models.CharField(
        _("source of its requests"),
        max_length=20,
        choices=RepairSource,
        default=RepairSource.HOTLINE_12345,
    )
    key_prefix = models.CharField(_("key begins"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["key_hash"])

    objects = Open311ClientQuerySet.as_manager()

    class Meta:
        app_label = "communities"
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")
        ordering = ["name"]  # served by the unique index on name

    def __str__(self) -> str:
        return self.name

    def set_key(self) -> str:
        """Give the client a new random key; returns it (only its hash is kept)."""
        key = secrets.token_urlsafe(32)
        self.key_prefix = key[:8]
        self.key_hash = hash_api_key(key)
        return key
