"""The owners' money over the API (issue 17): the rule on ``advance``, invoices and payments for
staff of the district only, the arrears, the public totals on the retrofit, query counts."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.access.choices import Role
from communities.elevators.choices import ElevatorStage, PaymentSource
from communities.elevators.models import Household, SharePayment
from tests.support.api import API, api_client, assert_matches_schema
from tests.support.elevators import at_stage
from tests.support.factories import make_community, make_district
from tests.support.pay import invoice, noticed_unit, pay
from tests.support.roles import grant

pytestmark = pytest.mark.django_db

D = Decimal
TAISHAN, DAIYUE = "370902", "370911"


def clerk_of(code: str, name: str):
    user = get_user_model().objects.create_user(f"clerk-{code}", password="pw-clerk-9x!")
    grant(user.username, Role.DISTRICT_STAFF, "--district", code)
    return api_client(get_user_model().objects.get(pk=user.pk))


def root():
    user = get_user_model().objects.filter(username="root").first()
    return api_client(
        user or get_user_model().objects.create_superuser("root", "root@example.com", "pw-r-9x!")
    )


def advance_url(retrofit) -> str:
    return f"{API}/elevator-retrofits/{retrofit.pk}/advance/"


CONSTRUCTION = {"to_stage": "construction", "on": "2021-06-01", "permit_number": "370902202106"}


# --- The rule through ``advance`` --------------------------------------------------------------


def test_advance_to_construction_answers_409_until_the_owners_part_is_collected():
    retrofit = at_stage(ElevatorStage.APPROVAL, collect=False)
    invoices = invoice(retrofit)
    pay(invoices[0])
    client = root()

    refused = client.post(advance_url(retrofit), CONSTRUCTION, format="json")

    assert refused.status_code == 409
    body = refused.json()
    assert [unmet["code"] for unmet in body["unmet"]] == ["owners_part_not_collected"]
    assert f"¥{invoices[0].amount:,.2f}" in body["detail"]
    assert f"¥{retrofit.owners_part:,.2f}" in body["detail"]
    retrofit.refresh_from_db()
    assert (retrofit.stage, retrofit.permit_number) == (ElevatorStage.APPROVAL, "")

    for each in invoices[1:]:
        pay(each)
    moved = client.post(advance_url(retrofit), CONSTRUCTION, format="json")

    assert moved.status_code == 200, moved.json()
    assert moved.json()["stage"] == "construction"
    assert moved.json()["owners_collected"] == f"{retrofit.owners_part:.2f}"


# --- Invoices and payments: staff of the district only ----------------------------------------


@pytest.fixture
def taishan_unit():
    community = make_community(district=make_district(code=TAISHAN, name="泰山区"))
    retrofit, _households = noticed_unit(community=community)
    return retrofit, invoice(retrofit)


def test_a_clerk_reads_the_invoices_of_the_district_with_rooms_and_owners(taishan_unit):
    _retrofit, invoices = taishan_unit
    pay(invoices[0], "100.00")

    response = clerk_of(TAISHAN, "泰山区").get(f"{API}/elevator-invoices/")

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [i.pk for i in invoices]
    assert rows[0]["owner_name"] == "王秘密"
    assert rows[0]["paid"] == "100.00"
    assert rows[0]["outstanding"] == f"{invoices[0].amount - D('100'):.2f}"
    assert_matches_schema(response.json(), "/api/v1/elevator-invoices/")


def test_a_clerk_of_another_district_sees_no_name_and_no_invoice(taishan_unit):
    _retrofit, invoices = taishan_unit
    make_district(code=DAIYUE, name="岱岳区")
    other = clerk_of(DAIYUE, "岱岳区")

    listed = other.get(f"{API}/elevator-invoices/")
    detail = other.get(f"{API}/elevator-invoices/{invoices[0].pk}/")
    payments = other.get(f"{API}/elevator-payments/")

    assert listed.status_code == 200 and listed.json()["results"] == []
    assert detail.status_code == 404
    assert payments.json()["results"] == []
    assert "王秘密" not in listed.content.decode()


def test_the_public_reads_no_invoice(taishan_unit):
    _retrofit, invoices = taishan_unit

    assert api_client().get(f"{API}/elevator-invoices/").json()["results"] == []
    assert api_client().get(f"{API}/elevator-invoices/{invoices[0].pk}/").status_code == 404


def test_the_arrears_are_the_invoices_not_paid_in_full(taishan_unit):
    _retrofit, invoices = taishan_unit
    pay(invoices[0])
    pay(invoices[1], "1.00")

    owing = root().get(f"{API}/elevator-invoices/?in_arrears=true")
    settled = root().get(f"{API}/elevator-invoices/?in_arrears=false")

    assert [row["id"] for row in owing.json()["results"]] == [i.pk for i in invoices[1:]]
    assert [row["id"] for row in settled.json()["results"]] == [invoices[0].pk]


def test_a_payment_is_recorded_and_never_takes_an_invoice_beyond_its_amount(taishan_unit):
    _retrofit, invoices = taishan_unit
    target = invoices[-1]
    client = root()
    payload = {
        "invoice": target.pk,
        "amount": "100.00",
        "paid_on": "2021-07-01",
        "source": "transfer",
        "reference": "TR-1",
    }

    made = client.post(f"{API}/elevator-payments/", payload, format="json")
    too_much = client.post(
        f"{API}/elevator-payments/", {**payload, "amount": f"{target.amount}"}, format="json"
    )

    assert made.status_code == 201, made.json()
    assert made.json()["retrofit"] == target.retrofit_id
    assert too_much.status_code == 400
    assert "amount" in too_much.json()
    assert SharePayment.objects.count() == 1


def test_the_fund_is_refused_beyond_what_the_retrofit_draws(taishan_unit):
    _retrofit, invoices = taishan_unit

    response = root().post(
        f"{API}/elevator-payments/",
        {
            "invoice": invoices[0].pk,
            "amount": "10.00",
            "paid_on": "2021-07-01",
            "source": PaymentSource.MAINTENANCE_FUND,
        },
        format="json",
    )

    assert response.status_code == 400
    assert "source" in response.json()


def test_an_invoice_with_payments_is_not_deleted(taishan_unit):
    _retrofit, invoices = taishan_unit
    pay(invoices[0], "10.00")

    response = root().delete(f"{API}/elevator-invoices/{invoices[0].pk}/")

    assert response.status_code == 409
    assert invoices[0].payments.count() == 1


def test_an_invoice_for_another_amount_than_the_share_is_refused(taishan_unit):
    retrofit, invoices = taishan_unit
    invoices[0].delete()

    response = root().post(
        f"{API}/elevator-invoices/",
        {
            "retrofit": retrofit.pk,
            "household": invoices[0].household_id,
            "amount": "1.00",
            "invoiced_on": "2021-07-01",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "amount" in response.json()


# --- The public totals --------------------------------------------------------------------------


def test_the_public_retrofit_carries_the_totals_and_no_household(taishan_unit):
    retrofit, invoices = taishan_unit
    pay(invoices[0])
    pay(invoices[1], "10.00")

    body = api_client().get(f"{API}/elevator-retrofits/{retrofit.pk}/").json()

    invoiced = sum(i.amount for i in invoices)
    collected = invoices[0].amount + D("10.00")
    assert body["owners_invoiced"] == f"{invoiced:.2f}"
    assert body["owners_collected"] == f"{collected:.2f}"
    percent = (collected * 100 / retrofit.owners_part).quantize(D("0.01"), rounding="ROUND_FLOOR")
    assert body["owners_collected_percent"] == f"{percent}"
    assert body["households_in_arrears"] == 2
    assert "王秘密" not in str(body)
    assert_matches_schema(body, "/api/v1/elevator-retrofits/{id}/")


def test_the_routes_are_in_the_schema():
    schema = api_client().get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()

    for path in (
        "/api/v1/elevator-invoices/",
        "/api/v1/elevator-invoices/{id}/",
        "/api/v1/elevator-payments/",
        "/api/v1/elevator-payments/{id}/",
    ):
        assert path in schema
    assert "owners_part_not_collected" in schema or "households_in_arrears" in schema


# --- Query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("resource", ["elevator-invoices", "elevator-payments"])
def test_the_lists_run_the_same_queries_for_3_and_30_rows(resource):
    community = make_community(district=make_district(code=TAISHAN, name="泰山区"))
    client = root()
    counts = []
    for rows in (3, 30):
        floors = [3 + index % 4 for index in range(rows)]
        retrofit, _households = noticed_unit(
            community=community, floors=floors, label=f"{rows}号楼"
        )
        for each in invoice(retrofit):
            pay(each, "1.00", on=retrofit.notice_on)
        url = f"{API}/{resource}/?retrofit={retrofit.pk}"
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.json()["count"] == rows
        counts.append(len(queries))
    # the token with its user, the count, the page (invoices: paid and outstanding in a
    # subquery, households joined)
    assert counts[0] == counts[1] == 3


def test_households_of_any_count_make_the_unit(taishan_unit):
    """The fixture's unit: three households, invoiced on the notice day."""
    retrofit, invoices = taishan_unit
    assert len(invoices) == Household.objects.filter(building=retrofit.building).count()
