"""Open311 GeoReport v2 (``/open311/v2/``), so existing Open311 clients and the 12345 hotline
can file and follow repair requests.

Each repair category is a service (its code is the service code). Every method answers in JSON
or XML, chosen by the extension, with the specification's field names; errors are a list of
``{code, description}`` with HTTP 400 (invalid), 403 (API key) or 404 (not found).

Where the specification leaves a choice:

- Filing needs an API key (an ``Open311Client``); reading does not. Without a key only the
  requests staff have made public are listed; a valid key lists every request. Either way a
  response never carries the reporter's name or phone, and phone numbers typed into a
  description are masked.
- The location is the community: ``address_id`` is a community's id; a ``lat``/``long`` is
  filed under the nearest community within ``RENOVATION["OPEN311_MATCH_RADIUS_M"]``; an
  ``address_string`` under the community it names.
- Requests are created at once (``type: realtime``); the answer carries the
  ``service_request_id`` and also a ``token``, which ``tokens/<token>`` resolves, for clients
  that follow requests by token.
- ``email``, ``device_id`` and ``account_id`` are not kept: nothing here needs them.
"""

import json
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt

from communities.core import bounds
from communities.core.bounds import FORM_CONTENT_TYPES
from communities.core.client_ip import client_ip
from communities.core.masking import public_text
from communities.core.throttles import retry_after
from communities.places.models import CHINA_LAT, CHINA_LNG, Building, Community
from communities.repairs import selectors as selectors_repairs
from communities.repairs import services as services_repairs
from communities.repairs.choices import RepairCategory, RepairStatus
from communities.repairs.models import Open311Client, RepairRequest
from communities.repairs.policy import deadline_hours

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2025-06-01T00:00:00+08:00"
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# GET requests.json: the window when no dates are given, the widest allowed, and the cap.
DEFAULT_WINDOW = timedelta(days=90)
MAX_WINDOW = timedelta(days=90)
MAX_RESULTS = 1000
OPEN = frozenset(RepairStatus.open())

# Plural XML elements and the element of each of their items (everything else is a record).
XML_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
    "updates": "update",
    "endpoints": "endpoint",
    "formats": "format",
}


# Characters XML 1.0 does not allow, which a resident's text may still carry.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Open311Error(Exception):
    def __init__(self, status: int, *descriptions: str):
        super().__init__(descriptions[0] if descriptions else "")
        self.status = status
        self.descriptions = descriptions


class Open311Throttled(Open311Error):
    """Too many filings from one API key or address: 429 with ``Retry-After``."""

    def __init__(self, seconds: int):
        super().__init__(
            429, _("Too many requests: try again in %(seconds)s s.") % {"seconds": seconds}
        )
        self.retry_after = seconds


# --- Rendering --------------------------------------------------------------------------------


def _xml_value(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _xml_value(ET.SubElement(element, key), child)
    elif isinstance(value, list):
        for child in value:
            _xml_value(ET.SubElement(element, XML_ITEMS[element.tag]), child)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = _XML_FORBIDDEN.sub("", str(value))


def render(data, fmt: str, root: str, status: int = 200) -> HttpResponse:
    """``data`` as JSON, or as XML under ``root`` (lists become one element per item)."""
    if fmt == "xml":
        element = ET.Element(root)
        _xml_value(element, data)
        body = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, "unicode")
    else:
        body = json.dumps(data, ensure_ascii=False)
    return HttpResponse(body.encode(), status=status, content_type=CONTENT_TYPES[fmt])


def render_errors(fmt: str, status: int, descriptions) -> HttpResponse:
    errors = [{"code": status, "description": str(text)} for text in descriptions]
    return render(errors, fmt, "errors", status)


def open311_view(*methods: str) -> Callable:
    """Allow only ``methods``, check ``jurisdiction_id``, and turn an ``Open311Error`` into the
    specification's error list in the requested format."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, fmt: str, **kwargs):
            if request.method not in methods and not (
                request.method == "HEAD" and "GET" in methods
            ):
                response = render_errors(fmt, 405, [_("Method not allowed.")])
                response["Allow"] = ", ".join(methods)
                return response
            try:
                _check_jurisdiction(request)
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as error:
                response = render_errors(fmt, error.status, error.descriptions)
                if isinstance(error, Open311Throttled):
                    response["Retry-After"] = str(error.retry_after)
                return response

        return csrf_exempt(wrapper)

    return decorator


def _param(request, name: str) -> str:
    """A parameter from the form body or the query string; blank is the same as absent."""
    value = request.POST.get(name) if request.method == "POST" else None
    if value is None:
        value = request.GET.get(name)
    return (value or "").strip()


def _check_jurisdiction(request) -> None:
    jurisdiction = _param(request, "jurisdiction_id")
    expected = settings.RENOVATION["OPEN311_JURISDICTION"]
    if jurisdiction and expected and jurisdiction != expected:
        raise Open311Error(404, _("jurisdiction_id %(id)s was not found.") % {"id": jurisdiction})


def _client(request, *, required: bool) -> Open311Client | None:
    key = _param(request, "api_key")
    if not key:
        if required:
            raise Open311Error(403, _("An api_key is required to file a request."))
        return None
    client = Open311Client.objects.authenticate(key)
    if client is None:
        raise Open311Error(403, _("The api_key is not valid."))
    return client


def w3c(value: datetime | None) -> str | None:
    return None if value is None else timezone.localtime(value).isoformat(timespec="seconds")


# --- Services ---------------------------------------------------------------------------------

SERVICE_TEXT = {
    RepairCategory.PLUMBING: (
        gettext_lazy("Burst or leaking pipes, blocked drains, no water."),
        gettext_lazy("water, pipe"),
    ),
    RepairCategory.ELECTRICAL: (
        gettext_lazy("Stairwell lights, power failures in common parts, exposed wiring."),
        gettext_lazy("power, light"),
    ),
    RepairCategory.ELEVATOR: (
        gettext_lazy("An elevator stopped, faulty or unsafe."),
        gettext_lazy("lift, elevator"),
    ),
    RepairCategory.ROOF_LEAK: (
        gettext_lazy("Leaking roofs and walls, damaged waterproofing."),
        gettext_lazy("roof, leak"),
    ),
    RepairCategory.SANITATION: (
        gettext_lazy("Rubbish not collected, dirty common areas."),
        gettext_lazy("rubbish, waste"),
    ),
    RepairCategory.GREENING: (
        gettext_lazy("Trees, lawns and planting that need care."),
        gettext_lazy("trees, grass"),
    ),
    RepairCategory.SECURITY: (
        gettext_lazy("Gates, access control, cameras, fire safety."),
        gettext_lazy("gate, camera"),
    ),
    RepairCategory.PUBLIC_FACILITY: (
        gettext_lazy(
            "Roads, fitness equipment, charging sheds, benches and other shared facilities."
        ),
        gettext_lazy("road, facility"),
    ),
    RepairCategory.OTHER: (
        gettext_lazy("Anything else about the common parts of a community."),
        gettext_lazy("other"),
    ),
}
SERVICE_GROUP = {
    RepairCategory.PLUMBING: "building",
    RepairCategory.ELECTRICAL: "building",
    RepairCategory.ELEVATOR: "building",
    RepairCategory.ROOF_LEAK: "building",
    RepairCategory.SANITATION: "environment",
    RepairCategory.GREENING: "environment",
    RepairCategory.SECURITY: "safety",
    RepairCategory.PUBLIC_FACILITY: "facilities",
    RepairCategory.OTHER: "facilities",
}
GROUP_NAMES = {
    "building": gettext_lazy("Building services"),
    "environment": gettext_lazy("Environment"),
    "safety": gettext_lazy("Safety"),
    "facilities": gettext_lazy("Shared facilities"),
}


def _service_notice(category: str, is_emergency: bool) -> str:
    hours = deadline_hours(category=category, is_emergency=is_emergency)
    return _("To be resolved within %(hours)s hours.") % {"hours": hours}


def _service(category: RepairCategory) -> dict:
    description, keywords = SERVICE_TEXT[category]
    return {
        "service_code": category.value,
        "service_name": str(category.label),
        "description": f"{description} {_service_notice(category, False)}",
        "metadata": True,
        "type": "realtime",
        "keywords": str(keywords),
        "group": str(GROUP_NAMES[SERVICE_GROUP[category]]),
    }


@open311_view("GET")
def discovery(request, *, fmt: str) -> HttpResponse:
    """Service discovery: where this endpoint is and what it speaks."""
    endpoint = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt}))
    base = endpoint.rsplit("/", 1)[0] + "/"
    data = {
        "changeset": CHANGESET,
        "contact": _("The city housing bureau (市住建局)."),
        "key_service": _("API keys for filing requests are issued by the city housing bureau."),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return render(data, fmt, "discovery")


@open311_view("GET")
def service_list(request, *, fmt: str) -> HttpResponse:
    return render([_service(category) for category in RepairCategory], fmt, "services")


def _attributes(category: str) -> list[dict]:
    return [
        {
            "variable": True,
            "code": "emergency",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": None,
            "order": 1,
            "description": _(
                "Is there danger to people or property? Emergencies are resolved within "
                "%(hours)s hours."
            )
            % {"hours": deadline_hours(category=category, is_emergency=True)},
            "values": [
                {"key": "false", "name": _("No")},
                {"key": "true", "name": _("Yes")},
            ],
        },
        {
            "variable": True,
            "code": "building",
            "datatype": "string",
            "required": False,
            "datatype_description": _("The building number as written on it, e.g. 3号楼."),
            "order": 2,
            "description": _("Which building of the community?"),
        },
        {
            "variable": True,
            "code": "entrance_unit",
            "datatype": "number",
            "required": False,
            "datatype_description": _("A whole number, e.g. 2 for 2单元."),
            "order": 3,
            "description": _("Which entrance unit of the building?"),
        },
    ]


def _category(code: str) -> str:
    if not code:
        raise Open311Error(400, _("service_code was not provided."))
    if code not in RepairCategory.values:
        raise Open311Error(404, _("service_code %(code)s was not found.") % {"code": code})
    return code


@open311_view("GET")
def service_definition(request, service_code: str, *, fmt: str) -> HttpResponse:
    code = _category(service_code)
    data = {"service_code": code, "attributes": _attributes(code)}
    return render(data, fmt, "service_definition")


# --- Requests: reading ------------------------------------------------------------------------


def _media_url(request, repair_request: RepairRequest) -> str | None:
    if repair_request.photo:
        return request.build_absolute_uri(repair_request.photo.url)
    return repair_request.photo_url or None


def _status_notes(repair_request: RepairRequest) -> str:
    names = (repair_request.reporter_name,)
    if repair_request.status == RepairStatus.REJECTED:
        return public_text(repair_request.reject_reason, names=names)
    if repair_request.status in {RepairStatus.RESOLVED, RepairStatus.CLOSED}:
        return public_text(repair_request.resolution, names=names)
    return str(RepairStatus(repair_request.status).label)


def request_row(request, repair_request: RepairRequest) -> dict:
    """One request in the specification's fields: nothing personal is among them."""
    latitude, longitude = repair_request.public_location()
    return {
        "service_request_id": str(repair_request.pk),
        "status": "open" if repair_request.status in OPEN else "closed",
        "status_notes": _status_notes(repair_request),
        "service_name": str(RepairCategory(repair_request.category).label),
        "service_code": repair_request.category,
        "description": public_text(
            repair_request.description, names=(repair_request.reporter_name,)
        ),
        "agency_responsible": repair_request.handler_name or None,
        "service_notice": _service_notice(repair_request.category, repair_request.is_emergency),
        "requested_datetime": w3c(repair_request.submitted_at),
        "updated_datetime": w3c(repair_request.updated_at),
        "expected_datetime": w3c(repair_request.deadline_at),
        "address": repair_request.place_label(),
        "address_id": str(repair_request.community_id),
        "zipcode": None,
        "lat": None if latitude is None else float(latitude),
        "long": None if longitude is None else float(longitude),
        "media_url": _media_url(request, repair_request),
        "updates": _updates(repair_request),
    }


def _updates(repair_request: RepairRequest) -> list[dict]:
    """The request's public timeline, as FixMyStreet's Open311 extension lists updates: one
    entry per step (submitted, dispatched, started, resolved, reopened, rated, closed,
    rejected) with its status and public note; staff edits and publication are left out."""
    return [
        {
            "update_id": str(event.pk),
            "status": event.to_status,
            "description": selectors_repairs.public_note(event, repair_request),
            "updated_datetime": w3c(event.at),
        }
        for event in repair_request.public_events
    ]


def _readable(client: Open311Client | None):
    requests = RepairRequest.objects.all() if client is not None else RepairRequest.objects.public()
    return requests.select_related("community__district", "building").prefetch_related(
        Prefetch("timeline", queryset=selectors_repairs.public_events(), to_attr="public_events")
    )


def _moment(value: str, name: str, *, end: bool) -> datetime | None:
    if not value:
        return None
    # A plain date (2025-06-01) is the whole day: its start, or its end for end_date.
    try:
        moment = parse_date(value) if len(value) == 10 else None
        if moment is None:
            moment = parse_datetime(value)
    except ValueError:  # well formed, but no such day or time
        moment = None
    if moment is None:
        raise Open311Error(
            400,
            _("%(name)s must be a W3C date and time, e.g. 2025-06-01T00:00:00+08:00.")
            % {"name": name},
        )
    try:
        # Bounded before it is made aware or a window is added to it (year 1 or 9999 would
        # overflow there).
        return bounds.bounded_moment(moment, end=end)
    except ValidationError as exc:
        raise Open311Error(400, f"{name}: {exc.messages[0]}") from exc


def _codes(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _request_list(request, *, fmt: str) -> HttpResponse:
    client = _client(request, required=False)
    requests = _readable(client)
    ids = _codes(_param(request, "service_request_id"))
    if ids:
        numbers = [bounds.parse_id(part) for part in ids]
        if None in numbers:
            raise Open311Error(400, _("service_request_id must be numbers, comma separated."))
        rows = requests.filter(pk__in=numbers)
        return render([request_row(request, row) for row in rows], fmt, "service_requests")

    codes = _codes(_param(request, "service_code"))
    unknown = [code for code in codes if code not in RepairCategory.values]
    if unknown:
        raise Open311Error(
            400, _("Unknown service_code: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    if codes:
        requests = requests.filter(category__in=codes)

    statuses = _codes(_param(request, "status"))
    if any(value not in {"open", "closed"} for value in statuses):
        raise Open311Error(400, _("status must be open, closed, or both comma separated."))
    if set(statuses) == {"open"}:
        requests = requests.filter(status__in=OPEN)
    elif set(statuses) == {"closed"}:
        requests = requests.exclude(status__in=OPEN)

    start = _moment(_param(request, "start_date"), "start_date", end=False)
    end = _moment(_param(request, "end_date"), "end_date", end=True)
    if start and end:
        if end < start:
            raise Open311Error(400, _("end_date is before start_date."))
        if end - start > MAX_WINDOW:
            raise Open311Error(400, _("start_date and end_date may not span more than 90 days."))
    elif start:
        end = start + DEFAULT_WINDOW
    elif end:
        start = end - DEFAULT_WINDOW
    else:
        end = timezone.now()
        start = end - DEFAULT_WINDOW
    requests = requests.filter(submitted_at__gte=start, submitted_at__lte=end)
    rows = requests.order_by("-submitted_at", "-id")[:MAX_RESULTS]
    return render([request_row(request, row) for row in rows], fmt, "service_requests")


@open311_view("GET")
def request_detail(request, service_request_id: str, *, fmt: str) -> HttpResponse:
    client = _client(request, required=False)
    repair_request = None
    number = bounds.parse_id(service_request_id)
    if number is not None:
        repair_request = _readable(client).filter(pk=number).first()
    if repair_request is None:
        raise Open311Error(
            404, _("service_request_id %(id)s was not found.") % {"id": service_request_id}
        )
    return render([request_row(request, repair_request)], fmt, "service_requests")


@open311_view("GET")
def token_detail(request, token: str, *, fmt: str) -> HttpResponse:
    found = None
    if bounds.is_path_text(token):
        found = RepairRequest.objects.filter(token=token).values_list("pk", flat=True).first()
    if found is None:
        raise Open311Error(
            404, _("token %(token)s was not found.") % {"token": token.replace("\x00", "")}
        )
    return render([{"service_request_id": str(found), "token": token}], fmt, "service_requests")


# --- Requests: filing -------------------------------------------------------------------------


def _decimal(value: str, name: str) -> Decimal:
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise Open311Error(400, _("%(name)s must be a number.") % {"name": name})
    return number


def _distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def nearest_community(latitude: Decimal, longitude: Decimal, radius_m: int) -> Community | None:
    """The community whose centre is nearest the point, within ``radius_m`` (one query over
    the box around the point)."""
    lat, lng = float(latitude), float(longitude)
    d_lat = radius_m / 111_000
    d_lng = radius_m / (111_000 * max(math.cos(math.radians(lat)), 0.01))
    candidates = Community.objects.filter(
        latitude__gte=lat - d_lat,
        latitude__lte=lat + d_lat,
        longitude__gte=lng - d_lng,
        longitude__lte=lng + d_lng,
    ).only("pk", "name", "latitude", "longitude")
    best, best_distance = None, None
    for community in candidates:
        distance = _distance_m(lat, lng, float(community.latitude), float(community.longitude))
        if distance <= radius_m and (best_distance is None or distance < best_distance):
            best, best_distance = community, distance
    return best


def _location(request) -> tuple[Community, Decimal | None, Decimal | None]:
    address_id = _param(request, "address_id")
    lat, lng = _param(request, "lat"), _param(request, "long")
    address = _param(request, "address_string")
    latitude = longitude = None
    if lat or lng:
        if not (lat and lng):
            raise Open311Error(400, _("Send lat and long together."))
        latitude, longitude = _decimal(lat, "lat"), _decimal(lng, "long")
        if not (
            CHINA_LAT[0] <= latitude <= CHINA_LAT[1] and CHINA_LNG[0] <= longitude <= CHINA_LNG[1]
        ):
            raise Open311Error(400, _("lat/long is not inside China."))
        latitude, longitude = round(latitude, 6), round(longitude, 6)
    if address_id:
        community = None
        number = bounds.parse_id(address_id)
        if number is not None:
            community = Community.objects.filter(pk=number).first()
        if community is None:
            raise Open311Error(
                400, _("address_id %(id)s is not a known community.") % {"id": address_id}
            )
        return community, latitude, longitude
    if latitude is not None:
        radius = settings.RENOVATION["OPEN311_MATCH_RADIUS_M"]
        community = nearest_community(latitude, longitude, radius)
        if community is None:
            raise Open311Error(
                400,
                _("No community lies within %(radius)s m of lat/long; send its address_id.")
                % {"radius": radius},
            )
        return community, latitude, longitude
    if address:
        named = [
            community
            for community in Community.objects.only("pk", "name")
            if community.name and community.name in address
        ]
        longest = max((len(community.name) for community in named), default=0)
        named = [community for community in named if len(community.name) == longest]
        if len(named) != 1:
            raise Open311Error(
                400, _("address_string does not name one community; send its address_id.")
            )
        return named[0], None, None
    raise Open311Error(400, _("Give the location: lat and long, address_string or address_id."))


def _building(request, community: Community) -> tuple[Building | None, int | None]:
    label = _param(request, "attribute[building]")
    unit = _param(request, "attribute[entrance_unit]")
    building = None
    if label:
        candidates = [label, f"{label}号楼"] if not label.endswith("号楼") else [label]
        building = community.buildings.filter(label__in=candidates).first()
        if building is None:
            raise Open311Error(
                400,
                _("%(community)s has no building %(label)s.")
                % {"community": community.name, "label": label},
            )
    if unit and not (unit.isascii() and unit.isdigit() and int(unit) >= 1):
        raise Open311Error(400, _("attribute[entrance_unit] must be a whole number."))
    return building, int(unit) if unit else None


def _reporter_name(first: str, last: str) -> str:
    """Chinese names run family name first with no space; others given name first."""
    if any("\u4e00" <= char <= "\u9fff" for char in first + last):
        return f"{last}{first}"
    return f"{first} {last}".strip()


def _throttle(request, scope: str, ident: str) -> None:
    """Count a filing against ``scope``'s rate (settings ``OPEN311_THROTTLE_*``)."""
    seconds = retry_after(request, scope, ident)
    if seconds is not None:
        raise Open311Throttled(seconds)


def _create(request, *, fmt: str) -> HttpResponse:
    # Per address before anything else (keys that fail count too), then per key.
    _throttle(request, "open311_address", client_ip(request) or "")
    if request.content_type and request.content_type not in FORM_CONTENT_TYPES:
        # The specification's filing is a form; a JSON body would be silently ignored.
        raise Open311Error(
            400,
            _(
                "Send the request as a form (application/x-www-form-urlencoded or "
                "multipart/form-data), not %(type)s."
            )
            % {"type": request.content_type},
        )
    client = _client(request, required=True)
    _throttle(request, "open311_key", str(client.pk))
    category = _category(_param(request, "service_code"))
    community, latitude, longitude = _location(request)
    building, unit = _building(request, community)
    emergency = _param(request, "attribute[emergency]").lower()
    if emergency not in {"", "true", "false"}:
        raise Open311Error(400, _("attribute[emergency] must be true or false."))
    description = request.POST.get("description", "").strip()
    if not description:
        raise Open311Error(400, _("description was not provided: say what needs repair."))
    try:
        repair_request = services_repairs.repair_request_submit(
            community=community,
            category=category,
            description=description,
            source=client.source,
            client=client,
            is_emergency=emergency == "true",
            building=building,
            entrance_unit=unit,
            reporter_name=_reporter_name(
                _param(request, "first_name"), _param(request, "last_name")
            ),
            reporter_phone=_param(request, "phone"),
            latitude=latitude,
            longitude=longitude,
            photo_url=_param(request, "media_url"),
        )
    except ValidationError as exc:
        messages = (
            [f"{name}: {text}" for name, texts in exc.message_dict.items() for text in texts]
            if hasattr(exc, "error_dict")
            else exc.messages
        )
        raise Open311Error(400, *messages) from exc
    services_repairs.open311_client_record_use(client=client)
    data = [
        {
            "service_request_id": str(repair_request.pk),
            "token": repair_request.token,
            "service_notice": _service_notice(category, repair_request.is_emergency),
            "account_id": None,
        }
    ]
    return render(data, fmt, "service_requests", status=201)


@open311_view("GET", "POST")
def requests(request, *, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt=fmt)
    return _request_list(request, fmt=fmt)
