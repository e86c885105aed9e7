"""Writes for repair requests (报修): submit, the lifecycle moves, edits, and Open311 clients.

Every function takes keyword arguments only, checks the request with ``full_clean()`` before
``save()``, runs in one transaction, and records a timeline entry for every change it makes:
who (a user, an Open311 client, or the automatic job), when, a note, and the status from → to.

Each move locks the request's row (``SELECT … FOR UPDATE`` on PostgreSQL), so two people
dispatching the same request at once cannot both succeed. ``at`` dates a move (the demo data
and imports replay history); it defaults to now and may not precede the request's last change.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communities.core.errors import WrongState
from communities.repairs.choices import (
    ClosedBy,
    RepairAction,
    RepairCategory,
    RepairSource,
    RepairStatus,
)
from communities.repairs.models import (
    GridAssignment,
    Open311Client,
    RepairEvent,
    RepairPhoto,
    RepairRequest,
    RepairSupport,
    supporter_key,
)
from communities.repairs.policy import deadline_for, move_allowed, move_target, normalise_mobile
from communities.repairs.selectors import dispatch_target

# A move dated a little ahead of the server's clock (a client's clock running fast) is fine.
CLOCK_SKEW = timedelta(minutes=5)

# What staff may correct after submission; the lifecycle fields move only through the moves.
EDITABLE_FIELDS = frozenset(
    {
        "category",
        "is_emergency",
        "description",
        "building",
        "entrance_unit",
        "latitude",
        "longitude",
        "address",
        "reporter_name",
        "reporter_phone",
        "photo",
        "photo_url",
    }
)


# What each move does, for "a closed request cannot be dispatched".
MOVE_VERBS = {
    RepairAction.DISPATCH: _("dispatched"),
    RepairAction.START: _("started"),
    RepairAction.RESOLVE: _("resolved"),
    RepairAction.RATE: _("rated"),
    RepairAction.AUTO_CLOSE: _("closed without a rating"),
    RepairAction.REOPEN: _("reopened"),
    RepairAction.REJECT: _("rejected"),
}


def transition_not_allowed(*, status: str, action: str) -> WrongState:
    """The refusal of a move that does not start from the request's current status."""
    return WrongState(
        _("A request that is “%(status)s” cannot be %(move)s.")
        % {"status": RepairStatus(status).label, "move": MOVE_VERBS[action]},
        code="invalid_transition",
    )


# --- Helpers ----------------------------------------------------------------------------------


def _actor_label(by, client: Open311Client | None, reporter: bool = False) -> str:
    if by is not None and getattr(by, "is_authenticated", False):
        return by.get_username()
    if client is not None:
        return f"Open311: {client.name}"
    if reporter:
        # The resident, through the report form or the private tracking link.
        return gettext("the reporter")
    return gettext("automatic")


def _user(by):
    return by if by is not None and getattr(by, "is_authenticated", False) else None


def _record(
    *,
    repair_request: RepairRequest,
    action: str,
    from_status: str,
    at: datetime,
    by=None,
    client: Open311Client | None = None,
    note: str = "",
    reporter: bool = False,
) -> RepairEvent:
    event = RepairEvent(
        request=repair_request,
        action=action,
        from_status=from_status,
        to_status=repair_request.status,
        at=at,
        actor=_user(by),
        actor_label=_actor_label(by, client, reporter),
        note=_text(note, "note"),
    )
    event.full_clean()
    event.save()
    return event


def _when(at: datetime | None, *, after: datetime | None) -> datetime:
    now = timezone.now()
    at = at or now
    if timezone.is_naive(at):
        raise ValidationError(_("Give the time with its time zone."), code="naive_datetime")
    if at > now + CLOCK_SKEW:
        raise ValidationError(_("A step cannot be dated in the future."), code="future")
    if after is not None and at < after:
        raise ValidationError(
            _("A step cannot be dated before the request's last change (%(last)s).")
            % {"last": timezone.localtime(after).strftime("%Y-%m-%d %H:%M")},
            code="before_last_change",
        )
    return at


def _locked(repair_request: RepairRequest) -> RepairRequest:
    """The request as the database has it now, locked until the transaction ends."""
    return (
        RepairRequest.objects.select_for_update(of=("self",))
        .select_related("community")
        .get(pk=repair_request.pk)
    )


def _text(value: str | None, field: str) -> str:
    """Text as stored: stripped, and refused if it carries a NUL (PostgreSQL cannot store
    one, and no keyboard types it)."""
    value = (value or "").strip()
    try:
        ProhibitNullCharactersValidator()(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}, code="null_characters") from exc
    return value


def _required(value: str, field: str, message) -> str:
    value = _text(value, field)
    if not value:
        raise ValidationError({field: message}, code="required")
    return value


def _move(
    *,
    current: RepairRequest,
    action: str,
    at: datetime | None,
    by=None,
    note: str = "",
    changes: dict | None = None,
    reporter: bool = False,
) -> RepairRequest:
    """Apply ``action`` to ``current`` (locked by ``_locked``): guard, date, change, check,
    save, and record it on the timeline."""
    if not move_allowed(current.status, action):
        raise transition_not_allowed(status=current.status, action=action)
    at = _when(at, after=current.updated_at)
    from_status = current.status
    current.status = move_target(action)
    current.updated_at = at
    for name, value in (changes or {}).items():
        setattr(current, name, value(at) if callable(value) else value)
    current.full_clean()
    current.save()
    _record(
        repair_request=current,
        action=action,
        from_status=from_status,
        at=at,
        by=by,
        note=note,
        reporter=reporter,
    )
    return current


# --- Submitting -------------------------------------------------------------------------------


@transaction.atomic
def repair_request_submit(
    *,
    community,
    category: str,
    description: str,
    source: str,
    by=None,
    client: Open311Client | None = None,
    is_emergency: bool = False,
    building=None,
    entrance_unit: int | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    latitude=None,
    longitude=None,
    address: str = "",
    photo=None,
    photo_url: str = "",
    grid_inspector=None,
    is_public: bool = False,
    at: datetime | None = None,
    reporter: bool = False,
) -> RepairRequest:
    """File a new request. Its deadline follows from its category and emergency flag.

    A patrol report (source ``grid_patrol``) names its grid inspector — ``by`` unless given —
    who must patrol the community on that day.
    """
    at = _when(at, after=None)
    if category not in RepairCategory.values:
        raise ValidationError({"category": _("Choose one of the categories.")}, code="invalid")
    if source == RepairSource.GRID_PATROL:
        grid_inspector = grid_inspector or _user(by)
        if grid_inspector is None:
            raise ValidationError(
                {"grid_inspector": _("A patrol report names the grid inspector who filed it.")}
            )
        patrols = (
            GridAssignment.objects.active(timezone.localdate(at))
            .filter(inspector=grid_inspector, community=community)
            .exists()
        )
        if not patrols:
            raise ValidationError(
                {
                    "grid_inspector": _(
                        "%(user)s does not patrol %(community)s as a grid inspector."
                    )
                    % {"user": grid_inspector.get_username(), "community": community}
                }
            )
    repair_request = RepairRequest(
        community=community,
        category=category,
        is_emergency=is_emergency,
        description=_text(description, "description"),
        source=source,
        building=building,
        entrance_unit=entrance_unit,
        reporter_name=_text(reporter_name, "reporter_name"),
        reporter_phone=_text(reporter_phone, "reporter_phone"),
        latitude=latitude,
        longitude=longitude,
        address=_text(address, "address"),
        photo_url=_text(photo_url, "photo_url"),
        grid_inspector=grid_inspector,
        filed_by=_user(by),
        open311_client=client,
        is_public=is_public,
        status=RepairStatus.SUBMITTED,
        submitted_at=at,
        updated_at=at,
    )
    if photo:
        repair_request.photo = photo
    repair_request.deadline_at = deadline_for(
        submitted_at=at, category=category, is_emergency=is_emergency
    )
    repair_request.full_clean()
    repair_request.save()
    _record(
        repair_request=repair_request,
        action=RepairAction.SUBMIT,
        from_status="",
        at=at,
        by=by,
        client=client,
        reporter=reporter,
    )
    return repair_request


# --- The public report form -----------------------------------------------------------------

# The report form takes up to this many photos: the request's own and RepairPhoto rows.
REPORT_MAX_PHOTOS = 3


def _mobile(value: str, field: str = "reporter_phone") -> str:
    phone = normalise_mobile(_text(value, field))
    if phone is None:
        raise ValidationError(
            {field: _("Enter a mobile number of 11 digits, e.g. 13800000000.")}, code="mobile"
        )
    return phone


@transaction.atomic
def repair_request_report(
    *,
    community,
    category: str,
    description: str,
    reporter_name: str,
    reporter_phone: str,
    building=None,
    is_emergency: bool = False,
    latitude=None,
    longitude=None,
    photos: list | tuple = (),
) -> RepairRequest:
    """A resident files a request on the public report form: name and mobile number are
    required (staff call back; neither is ever shown publicly), at most
    ``RENOVATION["REPORT_MAX_OPEN_PER_PHONE"]`` open requests per number (runs one count over
    the ``repair_open_phone`` index), up to three photos, each checked and re-encoded as the
    request's own photo is."""
    name = _required(reporter_name, "reporter_name", _("Enter your name."))
    phone = _mobile(reporter_phone)
    photos = [photo for photo in photos if photo]
    if len(photos) > REPORT_MAX_PHOTOS:
        raise ValidationError(
            {"photos": _("Send at most %(count)s photos.") % {"count": REPORT_MAX_PHOTOS}},
            code="too_many_photos",
        )
    cap = settings.RENOVATION["REPORT_MAX_OPEN_PER_PHONE"]
    if RepairRequest.objects.open().filter(reporter_phone=phone).count() >= cap:
        raise ValidationError(
            {
                "reporter_phone": _(
                    "This number already has %(count)s open requests: follow them with their "
                    "tracking links, or call the property service."
                )
                % {"count": cap}
            },
            code="too_many_open",
        )
    repair_request = repair_request_submit(
        community=community,
        category=category,
        description=description,
        source=RepairSource.WEB,
        is_emergency=is_emergency,
        building=building,
        reporter_name=name,
        reporter_phone=phone,
        latitude=latitude,
        longitude=longitude,
        photo=photos[0] if photos else None,
        reporter=True,
    )
    for photo in photos[1:]:
        extra = RepairPhoto(request=repair_request, photo=photo)
        try:
            extra.full_clean()
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}, code="invalid_photo") from exc
        extra.save()
    return repair_request


@transaction.atomic
def repair_request_support(*, repair_request: RepairRequest, phone: str) -> int:
    """A resident's "me too" on an open public request instead of filing the same problem
    again; each mobile number counts once (only its hash is kept). Returns the request's
    number of me-toos."""
    phone = _mobile(phone, "phone")
    current = _locked(repair_request)
    if not current.is_public or current.status not in RepairStatus.open():
        raise WrongState(_("Only an open public request can be supported."), code="not_supportable")
    key = supporter_key(phone)
    if RepairSupport.objects.filter(request=current, supporter_hash=key).exists():
        raise ValidationError(
            {"phone": _("This number has already said “me too” here.")}, code="already"
        )
    support = RepairSupport(request=current, supporter_hash=key)
    support.full_clean()
    support.save()
    return RepairSupport.objects.filter(request=current).count()


# --- The lifecycle ----------------------------------------------------------------------------


@transaction.atomic
def repair_request_dispatch(
    *, repair_request: RepairRequest, by=None, note: str = "", at: datetime | None = None
) -> RepairRequest:
    """Send the request to whoever keeps its community up on the day it was submitted: the
    property service whose contract covers that day, else the neighbourhood's fallback service.
    The route taken is recorded (``handler_kind``) with the handler's name at the time."""
    current = _locked(repair_request)
    target = dispatch_target(
        community=current.community, on=timezone.localdate(current.submitted_at)
    )
    return _move(
        current=current,
        action=RepairAction.DISPATCH,
        at=at,
        by=by,
        note=note or target.name,
        changes={
            "dispatched_at": lambda when: current.dispatched_at or when,
            "handler_kind": target.kind,
            "property_service": target.service,
            "handler_name": target.name[:100],
        },
    )


@transaction.atomic
def repair_request_start(
    *, repair_request: RepairRequest, by=None, note: str = "", at: datetime | None = None
) -> RepairRequest:
    """The handler is on it."""
    return _move(
        current=_locked(repair_request),
        action=RepairAction.START,
        at=at,
        by=by,
        note=note,
        changes={"started_at": lambda when: when},
    )


@transaction.atomic
def repair_request_resolve(
    *, repair_request: RepairRequest, resolution: str, by=None, at: datetime | None = None
) -> RepairRequest:
    """The work is done; ``resolution`` says what was done (shown to the public)."""
    resolution = _required(resolution, "resolution", _("Say what was done."))
    return _move(
        current=_locked(repair_request),
        action=RepairAction.RESOLVE,
        at=at,
        by=by,
        note=resolution,
        changes={"resolved_at": lambda when: when, "resolution": resolution},
    )


@transaction.atomic
def repair_request_rate(
    *,
    repair_request: RepairRequest,
    rating: int,
    comment: str = "",
    by=None,
    at: datetime | None = None,
    reporter: bool = False,
) -> RepairRequest:
    """The reporter rates the result (1–5), which closes the request. ``reporter``: rated by
    the resident through the tracking link (recorded as such on the timeline)."""
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Rate from 1 to 5.")}, code="invalid")
    comment = _text(comment, "comment")
    return _move(
        current=_locked(repair_request),
        action=RepairAction.RATE,
        at=at,
        by=by,
        note=gettext("Rated %(rating)s/5") % {"rating": rating},
        reporter=reporter,
        changes={
            "rating": rating,
            "rating_comment": comment,
            "closed_by": ClosedBy.RATING,
            "closed_at": lambda when: when,
        },
    )


@transaction.atomic
def repair_request_reopen(
    *,
    repair_request: RepairRequest,
    reason: str,
    by=None,
    at: datetime | None = None,
    reporter: bool = False,
) -> RepairRequest:
    """The reporter is not satisfied: back to the same handler, counted. The deadline stays the
    original one, so a failed fix is overdue rather than given a fresh allowance. ``reporter``:
    reopened by the resident through the tracking link."""
    reason = _required(reason, "reason", _("Say why the reporter is not satisfied."))
    current = _locked(repair_request)
    return _move(
        current=current,
        action=RepairAction.REOPEN,
        at=at,
        by=by,
        note=reason,
        reporter=reporter,
        changes={
            "resolved_at": None,
            "resolution": "",
            "reopen_count": current.reopen_count + 1,
        },
    )


@transaction.atomic
def repair_request_reject(
    *, repair_request: RepairRequest, reason: str, by=None, at: datetime | None = None
) -> RepairRequest:
    """Not a matter for the property service (a private part of a flat, a duplicate…); the
    reason is shown to the public."""
    reason = _required(reason, "reason", _("Give the reason for rejecting the request."))
    return _move(
        current=_locked(repair_request),
        action=RepairAction.REJECT,
        at=at,
        by=by,
        note=reason,
        changes={"reject_reason": reason, "closed_at": lambda when: when},
    )


@transaction.atomic
def repair_request_auto_close(
    *,
    repair_request: RepairRequest,
    by=None,
    at: datetime | None = None,
    days: int | None = None,
) -> RepairRequest:
    """Close a resolved request the reporter has not rated within ``days`` days (the setting
    ``RENOVATION["REPAIR_AUTO_CLOSE_DAYS"]`` by default). ``by`` is the staff user who closed
    it by hand; the daily job closes as "automatic"."""
    days = settings.RENOVATION["REPAIR_AUTO_CLOSE_DAYS"] if days is None else days
    at = at or timezone.now()
    current = _locked(repair_request)
    if current.status == RepairStatus.RESOLVED and current.resolved_at > at - timedelta(days=days):
        raise ValidationError(
            _("The reporter has %(days)s days to rate a resolved request.") % {"days": days},
            code="too_early",
        )
    return _move(
        current=current,
        action=RepairAction.AUTO_CLOSE,
        at=at,
        by=by,
        note=gettext("Not rated within %(days)s days") % {"days": days},
        changes={"closed_by": ClosedBy.TIMEOUT, "closed_at": lambda when: when},
    )


def repair_requests_auto_close(*, now: datetime | None = None, days: int | None = None) -> int:
    """Close every resolved request left unrated for ``days`` days; returns how many.

    Idempotent: a second run finds nothing left to close. Each request closes in its own
    transaction, so one failure does not undo the others.
    """
    days = settings.RENOVATION["REPAIR_AUTO_CLOSE_DAYS"] if days is None else days
    now = now or timezone.now()
    due = RepairRequest.objects.due_for_auto_close(now=now, days=days).order_by("resolved_at")
    closed = 0
    for repair_request in due.only("pk"):
        try:
            repair_request_auto_close(repair_request=repair_request, at=now, days=days)
        except WrongState:
            continue  # rated or reopened meanwhile
        closed += 1
    return closed


# --- Edits and publication --------------------------------------------------------------------


@transaction.atomic
def repair_request_edit(
    *, repair_request: RepairRequest, by, changes: dict, at: datetime | None = None
) -> RepairRequest:
    """Correct what was reported (a wrong category, a missing building…). A new category or
    emergency flag moves the deadline, counted from submission as before. A closed or rejected
    request is a record and stays as it is."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    current = _locked(repair_request)
    if current.status in RepairStatus.finished():
        raise ValidationError(
            _("A closed or rejected request can no longer be changed."), code="finished"
        )
    changed = [name for name, value in changes.items() if getattr(current, name) != value]
    if not changed:
        return current
    at = _when(at, after=current.updated_at)
    for name in changed:
        value = changes[name]
        setattr(current, name, _text(value, name) if isinstance(value, str) else value)
    if {"category", "is_emergency"} & set(changed):
        current.deadline_at = deadline_for(
            submitted_at=current.submitted_at,
            category=current.category,
            is_emergency=current.is_emergency,
        )
    current.updated_at = at
    current.full_clean()
    current.save()
    labels = [str(RepairRequest._meta.get_field(name).verbose_name) for name in changed]
    _record(
        repair_request=current,
        action=RepairAction.EDIT,
        from_status=current.status,
        at=at,
        by=by,
        note=", ".join(labels),
    )
    return current


@transaction.atomic
def repair_request_set_public(
    *, repair_request: RepairRequest, is_public: bool, by, at: datetime | None = None
) -> RepairRequest:
    """Show the request to the public (never the reporter's name or phone), or hide it."""
    current = _locked(repair_request)
    if current.is_public == is_public:
        return current
    at = _when(at, after=current.updated_at)
    current.is_public = is_public
    current.updated_at = at
    current.full_clean()
    current.save()
    _record(
        repair_request=current,
        action=RepairAction.PUBLISH if is_public else RepairAction.UNPUBLISH,
        from_status=current.status,
        at=at,
        by=by,
    )
    return current


# --- Open311 clients --------------------------------------------------------------------------


@transaction.atomic
def open311_client_create(
    *, name: str, source: str = RepairSource.HOTLINE_12345
) -> tuple[Open311Client, str]:
    """A new client and its API key. Only the key's hash is stored: hand the key over now."""
    client = Open311Client(name=(name or "").strip(), source=source)
    key = client.set_key()
    client.full_clean()
    client.save()
    return client, key


@transaction.atomic
def open311_client_rotate_key(*, client: Open311Client) -> str:
    """Replace a client's key (the old one stops working at once)."""
    key = client.set_key()
    client.full_clean()
    client.save(update_fields=["key_prefix", "key_hash"])
    return key


def open311_client_record_use(*, client: Open311Client, at: datetime | None = None) -> None:
    """Note when a client last filed a request (one UPDATE, no history entry)."""
    Open311Client.objects.filter(pk=client.pk).update(last_used_at=at or timezone.now())
