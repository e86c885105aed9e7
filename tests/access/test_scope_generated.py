"""District scope, proved route by route: nobody writes a case per endpoint.

The test walks every route of the API router (every viewset, every ``@action``, every
method) and every admin page of every district-scoped model, as a clerk of 泰山区 and as the
staff of a property company serving one 泰山区 community, against records of 岱岳区 served by
another company. Each gets:

- on anything but a public read: no 2xx, and no 400 either (a 400 would mean the payload was
  read before the scope was checked); the record unchanged;
- on a public read: nothing more than an anonymous visitor gets for the same record;
- on a create: no 2xx, while the same payload from a superuser is created (so the payload was
  valid and only the scope refused it).

A new endpoint or admin that forgets the scope fails here without anyone writing a case.
"""

import copy
import json
from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.test import Client
from django.urls import reverse

from communities.access.choices import Role
from communities.construction.models import (
    Acceptance,
    Finding,
    Inspection,
    ItemParty,
    RectificationOrder,
    Settlement,
)
from communities.construction.photo_models import Photo
from communities.core.scoping import is_district_scoped
from communities.elevators.choices import ElevatorStage
from communities.elevators.models import ElevatorRetrofit, Household, OwnerVote, StageTransition
from communities.elevators.objection_models import ElevatorObjection
from communities.elevators.payment_models import ShareInvoice, SharePayment
from communities.elevators.services import owner_vote_record
from communities.following.models import Subscription
from communities.participation.models import Proposal, Rating
from communities.places.models import Building, BuildingAppraisal, Community, District
from communities.property.models import PropertyService
from communities.repairs.models import GridAssignment, RepairEvent, RepairRequest
from communities.reporting.models import AnnualPlan
from communities.works.choices import ItemStatus
from communities.works.models.facilities import Facility
from communities.works.models.items import FundingLine, RenovationItem, RenovationKind
from communities.works.models.objections import DesignPlanObjection
from communities.works.models.plans import DesignDocument, DesignPlan
from communities.works.models.quantities import ItemQuantity
from renovation.api_urls import router
from tests.support.acc import make_settlement, record_acceptance
from tests.support.ci import built_once
from tests.support.construction import link, make_finding, make_inspection, make_order, make_party
from tests.support.factories import (
    make_building,
    make_community,
    make_district,
    make_elevator,
    make_facility,
    make_funding,
    make_service,
)
from tests.support.following import make_subscription
from tests.support.objections import (
    make_elevator_objection,
    make_plan_objection,
    plan_under_notice,
    retrofit_under_notice,
)
from tests.support.participation import (
    make_completed_community,
    make_finished_item,
    make_plan,
    make_proposal,
    make_rating,
)
from tests.support.pay import make_invoices
from tests.support.pho import image_bytes, make_photo
from tests.support.repairs import make_inspector, make_request
from tests.support.returns import make_annual_plan, make_quantity

pytestmark = pytest.mark.django_db

OUR_COMPANY = "本区物业公司"
THEIR_COMPANY = "外区物业公司"
REFUSED = {401, 403, 404, 405}


def _household(building, floor: int, **fields) -> Household:
    household = Household(
        building=building,
        entrance_unit=1,
        floor=floor,
        room_number=f"{floor}01",
        floor_area_m2=Decimal("80.00"),
        owner_name="王秘密",
        owner_phone="13912345678",
        **fields,
    )
    household.full_clean()
    household.save()
    return household


def _grant(username: str, role: str, *options: str) -> None:
    from io import StringIO

    call_command("grant_role", username, role, *options, stdout=StringIO())


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    """Built once for the module (hundreds of tests read it); each test's changes are rolled
    back (tests/support/ci.py)."""
    yield from built_once(django_db_blocker, _build_world)


@pytest.fixture
def world(_world, db):
    """泰山区 (ours) and 岱岳区 (theirs), one record of every district-scoped model in 岱岳区,
    and the two users who must not reach them."""
    return copy.deepcopy(_world)


def _build_world():
    django_user_model = get_user_model()
    ours = make_district(code="370902", name="泰山区")
    theirs = make_district(code="370911", name="岱岳区")

    our_community = make_community(district=ours, name="本区小区")
    make_service(community=our_community, provider_name=OUR_COMPANY)

    community = make_completed_community(district=theirs, name="外区小区")
    building = make_building(community=community, label="1号楼")
    item = make_finished_item(community=community)
    funding = make_funding(item=item)
    service = make_service(community=community, provider_name=THEIR_COMPANY)
    facility = make_facility(community=community)
    retrofit = make_elevator(building=building, stage=ElevatorStage.INTENTION)
    households = [_household(building, floor) for floor in (1, 2, 3)]
    owner_vote_record(
        retrofit=retrofit, household=households[0], choice="agree", voted_on=date(2021, 3, 10)
    )
    elevator_in_notice = make_elevator(
        building=make_building(community=community, label="2号楼"),
        stage=ElevatorStage.PUBLIC_NOTICE,
    )
    repair = make_request(community=community, is_public=False)
    public_repair = make_request(community=community, is_public=True)
    inspector = make_inspector(django_user_model, community, username="外区网格员")
    proposal = make_proposal(community=community)
    plan = make_plan(community=community)
    rating = make_rating(item=item, comment="一般", comment_hidden=True)
    # Objections to notices under way (filing is open, so a superuser's copy is valid).
    elevator_objection = make_elevator_objection(
        retrofit=retrofit_under_notice(building=make_building(community=community, label="3号楼"))
    )
    plan_objection = make_plan_objection(
        plan=plan_under_notice(community=community, version=2), building=building
    )

    parking = make_finished_item(
        community=community, kind=RenovationKind.objects.get(code="parking"), title="停车位"
    )
    quantity = make_quantity(item=parking, measure="parking_spaces", amount=Decimal("40"))
    annual_plan = make_annual_plan(district=theirs, communities=[community])
    inspection = make_inspection(item=item)
    finding = make_finding(inspection=inspection)
    party = make_party(contact_person="外区联系人", contact_phone="13900000000")
    item_party = link(item, party)
    order = make_order(finding=make_finding(inspection=inspection), contractor=party)
    photo = make_photo(item=item, inspection=inspection)

    # The owners' money (issue 17): an invoice nothing protects, and a payment of another one.
    share_invoice, share_payment = make_invoices(community=community)

    # Acceptance and settlement (issue 17).
    acceptance = record_acceptance(
        make_finished_item(community=community, status=ItemStatus.COMPLETED, title="验收项")
    )
    settlement = make_settlement(item)

    deleted = make_facility(community=community, name="拆除的车棚")
    deleted.delete()

    django_user_model.objects.create_user("clerk", password="pw-clerk-9x!")
    _grant("clerk", Role.DISTRICT_STAFF, "--district", ours.code)
    django_user_model.objects.create_user("company", password="pw-comp-9x!")
    _grant("company", Role.PROPERTY_COMPANY, "--company", OUR_COMPANY)
    superuser = django_user_model.objects.create_superuser("root", "root@example.com", "pw-r-9x!")

    records = {
        District: theirs,
        Community: community,
        Building: building,
        BuildingAppraisal: BuildingAppraisal.objects.create(
            building=building, appraised_on=date(2021, 5, 1), grade="B", appraiser="鉴定中心"
        ),
        RenovationItem: item,
        FundingLine: funding,
        PropertyService: service,
        Facility: facility,
        ElevatorRetrofit: retrofit,
        Household: households[1],
        OwnerVote: OwnerVote.objects.get(retrofit=retrofit),
        StageTransition: StageTransition.objects.filter(retrofit=retrofit).first(),
        RepairRequest: repair,
        RepairEvent: RepairEvent.objects.filter(request=repair).first(),
        GridAssignment: GridAssignment.objects.get(inspector=inspector),
        Proposal: proposal,
        DesignPlan: plan,
        DesignDocument: DesignDocument.objects.filter(plan=plan).first(),
        Rating: rating,
        Subscription: make_subscription(community=community),
        ItemQuantity: quantity,
        AnnualPlan: annual_plan,
        ElevatorObjection: elevator_objection,
        DesignPlanObjection: plan_objection,
        Inspection: inspection,
        Finding: finding,
        ItemParty: item_party,
        RectificationOrder: order,
        ShareInvoice: share_invoice,
        SharePayment: share_payment,
        Photo: photo,
        Acceptance: acceptance,
        Settlement: settlement,
    }
    users = {
        "clerk": django_user_model.objects.get(username="clerk"),
        "company": django_user_model.objects.get(username="company"),
    }
    return {
        "records": records,
        "users": users,
        "superuser": superuser,
        "public_repair": public_repair,
        "elevator_in_notice": elevator_in_notice,
        "deleted": deleted,
    }


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _json(response):
    try:
        return json.loads(response.content)
    except ValueError:
        return None


# --- The API ------------------------------------------------------------------------------------


def api_routes():
    """(basename, route name, method, action, detail, viewset) for every route of the router."""
    for _prefix, viewset, basename in router.registry:
        model = getattr(getattr(viewset, "queryset", None), "model", None)
        if model is not None and not is_district_scoped(model):
            continue  # city-wide (renovation kinds): permissions alone decide
        for route in router.get_routes(viewset):
            for method, action in router.get_method_map(viewset, route.mapping).items():
                if method in {"options", "head"}:
                    continue
                name = route.name.format(basename=basename)
                yield pytest.param(
                    name, method, action, route.detail, viewset, id=f"{method} {name}"
                )


def _record_for(world, viewset, name: str):
    model = getattr(getattr(viewset, "queryset", None), "model", None)
    record = world["records"].get(model)
    if model is ElevatorRetrofit and name.endswith("cost-shares"):
        record = world["elevator_in_notice"]  # its shares are public: a clerk gets no names
    return model, record


def _url(name: str, viewset, record, detail: bool) -> str:
    if not detail:
        return reverse(f"api:{name}")
    lookup = viewset.lookup_url_kwarg or viewset.lookup_field
    value = getattr(record, viewset.lookup_field if viewset.lookup_field != "pk" else "pk")
    return reverse(f"api:{name}", kwargs={lookup: value})


def _rows(body) -> list | None:
    if isinstance(body, dict) and isinstance(body.get("results"), list):
        return body["results"]
    if isinstance(body, list):
        return body
    if isinstance(body, dict) and body.get("type") == "FeatureCollection":
        return body["features"]
    return None


def _row_of(rows: list, record) -> dict | None:
    for row in rows:
        if isinstance(row, dict) and (
            row.get("id") == record.pk or row.get("code") == getattr(record, "code", object())
        ):
            return row
    return None


def _writable_payload(viewset, body: dict, method: str) -> dict:
    """What the superuser read, limited to what the create serializer takes."""
    view = viewset()
    view.action = "create"
    view.request = None
    view.format_kwarg = None
    view.kwargs = {}
    serializer_class = view.get_serializer_class()
    fields = serializer_class().fields
    payload = {
        name: body[name]
        for name, field in fields.items()
        if not field.read_only and name in body and body[name] is not None
    }
    # A required file (a photo) is uploaded, not copied: what was read is its URL.
    for name, field in fields.items():
        if getattr(field, "use_url", None) is not None and field.required and not field.read_only:
            payload[name] = SAMPLE_FILE
    return payload


SAMPLE_FILE = object()


def _post(client, url: str, payload: dict):
    """JSON, or multipart with a fresh small JPEG where the payload needs a file."""
    if SAMPLE_FILE not in payload.values():
        return client.post(url, payload, content_type="application/json")
    return client.post(
        url,
        {
            key: SimpleUploadedFile("sample.jpg", image_bytes(), "image/jpeg")
            if value is SAMPLE_FILE
            else value
            for key, value in payload.items()
        },
    )


class _RolledBack(Exception):
    pass


def _valid_payload(superuser, url: str, payload: dict) -> tuple[dict, bool]:
    """The payload, less the fields a superuser's create refuses (a computed subsidy and the
    like), and whether the superuser's create then succeeds. Nothing is kept."""
    client = client_of(superuser)
    for _attempt in range(4):
        try:
            with transaction.atomic():
                response = _post(client, url, payload)
                raise _RolledBack
        except _RolledBack:
            pass
        if response.status_code == 201:
            return payload, True
        errors = _json(response)
        refused = set(errors) & set(payload) if isinstance(errors, dict) else set()
        if response.status_code != 400 or not refused:
            return payload, False
        payload = {key: value for key, value in payload.items() if key not in refused}
    return payload, False


def _away_from_uniqueness(model, payload: dict) -> dict:
    """Text fields that take part in a uniqueness rule changed, so the copy is not a twin."""
    unique = {field.name for field in model._meta.fields if field.unique}
    for constraint in model._meta.constraints:
        unique.update(getattr(constraint, "fields", ()) or ())
    for together in model._meta.unique_together:
        unique.update(together)
    return {
        key: f"{value}甲" if key in unique and isinstance(value, str) else value
        for key, value in payload.items()
    }


def _snapshot(model, record):
    if model is None or record is None:
        return None
    rows = model._default_manager.filter(pk=record.pk).values()
    return list(rows)


@pytest.mark.parametrize(("name", "method", "action", "detail", "viewset"), list(api_routes()))
@pytest.mark.parametrize("who", ["clerk", "company"])
def test_no_api_route_reaches_another_districts_records(
    world, who, name, method, action, detail, viewset
):
    user = world["users"][who]
    model, record = _record_for(world, viewset, name)
    if detail and record is None:
        pytest.fail(f"{name}: no record of {model} in the fixture: add one to world()")
    url = _url(name, viewset, record, detail)
    client = client_of(user)

    extra = getattr(getattr(viewset, action), "kwargs", {})
    public_read = method == "get" and (action in {"list", "retrieve"} or extra.get("public_read"))

    if public_read:
        mine = client.get(url)
        anonymous = Client().get(url)
        if mine.status_code >= 300:
            return
        assert anonymous.status_code < 300, f"{name}: {who} reads what the public cannot"
        mine_body, their_body = _json(mine), _json(anonymous)
        rows = _rows(mine_body)
        if rows is not None and record is not None and not detail:
            anonymous_rows = _rows(their_body) or []
            assert _row_of(rows, record) == _row_of(anonymous_rows, record), (
                f"{name}: {who} reads more of 岱岳区's record than the public"
            )
        else:
            assert mine_body == their_body, f"{name}: {who} reads more than the public"
        return

    if not detail and method == "post" and action == "create":
        reading = client_of(world["superuser"]).get(
            _url(name.replace("-list", "-detail"), viewset, record, True)
        )
        payload = _writable_payload(viewset, _json(reading), method)
        # The record read is removed first where nothing protects it, so that the same payload
        # is valid again; then the superuser's answer, rolled back, proves the payload valid.
        try:
            with transaction.atomic():
                model._default_manager.filter(pk=record.pk).delete()
        except (ProtectedError, RestrictedError):
            payload = _away_from_uniqueness(model, payload)
        payload, valid = _valid_payload(world["superuser"], url, payload)
        before = model._default_manager.count()
        refused = _post(client, url, payload)
        assert model._default_manager.count() == before, f"{name}: {who} created in 岱岳区"
        expected = REFUSED if valid else {401, 403}
        assert refused.status_code in expected, (
            f"{name}: {who} got {refused.status_code} creating a record in 岱岳区"
            + ("" if valid else " (and no valid payload could be built to prove more)")
        )
        return

    before = _snapshot(model, record)
    payload = {} if method in {"post", "patch"} else None
    response = getattr(client, method)(url, payload, content_type="application/json")
    assert response.status_code in REFUSED, (
        f"{method.upper()} {name}: {who} got {response.status_code} on 岱岳区's record"
    )
    assert _snapshot(model, record) == before


def test_the_walk_covers_every_district_scoped_resource_and_action():
    """A resource left out of the walk would be left unproved."""
    names = [p.values[0] for p in api_routes()]
    walked = {
        basename
        for _prefix, _viewset, basename in router.registry
        if any(name.startswith(f"{basename}-") for name in names)
    }
    scoped = {
        basename
        for _prefix, viewset, basename in router.registry
        if getattr(viewset, "queryset", None) is None or is_district_scoped(viewset.queryset.model)
    }
    assert walked >= scoped
    actions = [p for p in api_routes() if p.values[2] not in {"list", "retrieve", "create"}]
    assert len(actions) >= 30


# --- The admin ----------------------------------------------------------------------------------


def admin_models():
    for model, model_admin in admin.site._registry.items():
        if is_district_scoped(model):
            yield pytest.param(model, model_admin, id=model._meta.model_name)


def _admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize(("model", "model_admin"), list(admin_models()))
@pytest.mark.parametrize("who", ["clerk", "company"])
def test_no_admin_page_reaches_another_districts_records(world, who, model, model_admin):
    record = world["records"].get(model)
    assert record is not None, f"no {model.__name__} in the fixture: add one to world()"
    client = client_of(world["users"][who])
    pk = quote(record.pk)
    version = record.history.order_by("-history_id").first()
    before = _snapshot(model, record)

    pages = [
        ("GET", _admin_url(model, "change", pk)),
        ("POST", _admin_url(model, "change", pk)),
        ("GET", _admin_url(model, "delete", pk)),
        ("POST", _admin_url(model, "delete", pk)),
        ("GET", _admin_url(model, "history", pk)),
        ("GET", _admin_url(model, "simple_history", pk, version.history_id)),
        ("POST", _admin_url(model, "simple_history", pk, version.history_id)),
    ]
    for method, url in pages:
        response = client.get(url) if method == "GET" else client.post(url, {"post": "yes"})
        assert response.status_code in {403, 404}, (
            f"{method} {url}: {who} got {response.status_code}"
        )
    assert _snapshot(model, record) == before

    changelist = client.get(_admin_url(model, "changelist"))
    assert changelist.status_code in {200, 403}
    if changelist.status_code == 200:
        shown = {obj.pk for obj in changelist.context["cl"].result_list}
        assert record.pk not in shown, f"{who} lists 岱岳区's {model.__name__}"

    deleted = client.get(_admin_url(model, "deleted"))
    assert deleted.status_code in {200, 403}
    if deleted.status_code == 200 and model is Facility:
        assert "拆除的车棚" not in deleted.content.decode()

    export = client.get(_admin_url(model, "export"))
    assert export.status_code in {200, 403}
    if export.status_code == 200:
        form = export.context["form"]
        prefix = form.fields and next(iter(form.fields))
        data = {"format": "0", "resource": "0"}
        data.update({field: "on" for field in form.fields if field not in {"format", "resource"}})
        del prefix
        exported = client.post(_admin_url(model, "export"), data)
        assert exported.status_code == 200
        text = exported.content.decode("utf-8-sig")
        lines = text.splitlines()[1:]
        ids = {line.split(",")[0] for line in lines}
        assert str(record.pk) not in ids, f"{who} exports 岱岳区's {model.__name__}"


@pytest.mark.parametrize("who", ["clerk", "company"])
def test_admin_autocomplete_offers_nothing_of_another_district(world, who):
    client = client_of(world["users"][who])
    for model, field in [(Building, "building"), (Community, "community")]:
        source = {Building: ElevatorRetrofit, Community: Building}[model]
        response = client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": source._meta.app_label,
                "model_name": source._meta.model_name,
                "field_name": field,
                "term": "",
            },
        )
        if response.status_code != 200:
            assert response.status_code in {403, 404}
            continue
        ids = {row["id"] for row in response.json()["results"]}
        assert str(world["records"][model].pk) not in ids


def test_a_superuser_still_reaches_everything(world):
    """The control: the same pages answer the city administrator."""
    client = client_of(world["superuser"])
    community = world["records"][Community]
    assert client.get(_admin_url(Community, "change", community.pk)).status_code == 200
    retrofit = world["records"][ElevatorRetrofit]
    votes = client.get(reverse("api:elevatorretrofit-votes", kwargs={"pk": retrofit.pk}))
    assert votes.status_code == 200
    assert {row["owner_name"] for row in votes.json()} == {"王秘密"}
