"""The owners' money in the admin (issue 17): the stage page refuses construction until the
owners' part is collected; invoices with their payments, the arrears filter, scope, and the
retrofit's invoices; the public community page's totals."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.access.choices import Role
from communities.elevators.choices import ElevatorStage
from communities.elevators.models import ShareInvoice, SharePayment
from tests.support.elevators import at_stage
from tests.support.factories import make_community, make_district
from tests.support.pay import invoice, noticed_unit, pay
from tests.support.roles import grant

pytestmark = pytest.mark.django_db

D = Decimal
TAISHAN, DAIYUE = "370902", "370911"


def admin_url(view: str, *args) -> str:
    return reverse(f"admin:communities_{view}", args=args)


@pytest.fixture
def en_client(staff_client) -> Client:
    staff_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return staff_client


def clerk(code: str) -> Client:
    user = get_user_model().objects.create_user(f"clerk-{code}", password="pw-clerk-9x!")
    grant(user.username, Role.DISTRICT_STAFF, "--district", code)
    client = Client()
    client.force_login(get_user_model().objects.get(pk=user.pk))
    return client


# --- The stage page ---------------------------------------------------------------------------


def test_the_stage_page_refuses_construction_until_the_owners_have_paid(en_client):
    retrofit = at_stage(ElevatorStage.APPROVAL, collect=False)
    invoices = invoice(retrofit)
    pay(invoices[0])
    data = {
        "to_stage": ElevatorStage.CONSTRUCTION,
        "on": "2021-06-01",
        "note": "",
        "permit_number": "370902202106010001",
    }

    refused = en_client.post(admin_url("elevatorretrofit_stage", retrofit.pk), data)

    assert refused.status_code == 200
    text = refused.content.decode()
    assert "The owners&#x27; part is not collected" in text
    assert f"¥{invoices[0].amount:,.2f} paid of ¥{retrofit.owners_part:,.2f} required" in text
    retrofit.refresh_from_db()
    assert (retrofit.stage, retrofit.permit_number) == (ElevatorStage.APPROVAL, "")

    for each in invoices[1:]:
        pay(each)
    moved = en_client.post(admin_url("elevatorretrofit_stage", retrofit.pk), data)

    assert moved.status_code == 302
    retrofit.refresh_from_db()
    assert retrofit.stage == ElevatorStage.CONSTRUCTION


def test_the_list_action_invoices_the_shares(staff_client):
    retrofit = at_stage(ElevatorStage.APPROVAL, collect=False)

    response = staff_client.post(
        admin_url("elevatorretrofit_changelist"),
        {"action": "issue_invoices", "_selected_action": [retrofit.pk]},
    )

    assert response.status_code == 302
    assert ShareInvoice.objects.filter(retrofit=retrofit).count() == 3
    assert sum(i.amount for i in ShareInvoice.objects.all()) == retrofit.owners_part


def test_the_retrofit_page_lists_its_invoices_with_what_is_owed(staff_client):
    retrofit = at_stage(ElevatorStage.APPROVAL, collect=False)
    invoices = invoice(retrofit)
    pay(invoices[0], "10.00")

    text = staff_client.get(admin_url("elevatorretrofit_change", retrofit.pk)).content.decode()

    assert admin_url("shareinvoice_change", invoices[0].pk) in text
    assert f"{invoices[0].amount - D('10'):,.2f}" in text


# --- Invoices and payments ---------------------------------------------------------------------


def test_payments_are_added_inline_and_refused_beyond_the_invoice(
    staff_client, admin_form_data, admin_errors
):
    community = make_community(district=make_district(code=TAISHAN, name="泰山区"))
    retrofit, _households = noticed_unit(community=community)
    target = invoice(retrofit)[0]
    url = admin_url("shareinvoice_change", target.pk)
    data = admin_form_data(staff_client.get(url))
    data.update(
        {
            "payments-0-amount": f"{target.amount + 1}",
            "payments-0-paid_on": "2021-07-01",
            "payments-0-source": "cash",
        }
    )

    refused = staff_client.post(url, data)

    assert "amount" in str(admin_errors(refused))
    assert not SharePayment.objects.exists()

    data["payments-0-amount"] = f"{target.amount}"
    saved = staff_client.post(url, data)

    assert saved.status_code == 302
    payment = SharePayment.objects.get()
    assert (payment.amount, payment.retrofit_id) == (target.amount, retrofit.pk)


def test_the_arrears_filter_lists_who_has_not_paid_in_full(staff_client):
    community = make_community(district=make_district(code=TAISHAN, name="泰山区"))
    retrofit, _households = noticed_unit(community=community)
    invoices = invoice(retrofit)
    pay(invoices[0])

    owing = staff_client.get(admin_url("shareinvoice_changelist") + "?arrears=owing")
    paid = staff_client.get(admin_url("shareinvoice_changelist") + "?arrears=paid")

    assert [i.pk for i in owing.context["cl"].result_list] == [i.pk for i in invoices[1:]]
    assert [i.pk for i in paid.context["cl"].result_list] == [invoices[0].pk]


def test_a_clerk_of_another_district_sees_no_invoice_and_no_name():
    community = make_community(district=make_district(code=TAISHAN, name="泰山区"))
    retrofit, _households = noticed_unit(community=community)
    invoices = invoice(retrofit)
    pay(invoices[0], "5.00")
    make_district(code=DAIYUE, name="岱岳区")
    ours, theirs = clerk(TAISHAN), clerk(DAIYUE)

    mine = ours.get(admin_url("shareinvoice_changelist") + "?arrears=owing")
    other = theirs.get(admin_url("shareinvoice_changelist") + "?arrears=owing")

    assert "王秘密" in mine.content.decode()
    assert list(other.context["cl"].result_list) == []
    assert "王秘密" not in other.content.decode()
    assert theirs.get(admin_url("shareinvoice_change", invoices[0].pk)).status_code in {302, 404}
    assert list(theirs.get(admin_url("sharepayment_changelist")).context["cl"].result_list) == []


def _paid_unit(community, rows: int, label: str):
    floors = [3 + index % 4 for index in range(rows)]
    retrofit, _households = noticed_unit(community=community, floors=floors, label=label)
    for each in invoice(retrofit):
        pay(each, "1.00", on=retrofit.notice_on)
    return retrofit


def _queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("admin_name", ["shareinvoice", "sharepayment"])
def test_the_changelists_run_the_same_queries_for_3_and_30_rows(staff_client, admin_name):
    community = make_community(district=make_district(code=TAISHAN, name="泰山区"))
    url = admin_url(f"{admin_name}_changelist")
    _paid_unit(community, 3, "1号楼")
    three = _queries(staff_client, url)
    _paid_unit(community, 27, "2号楼")

    thirty = _queries(staff_client, url)

    # session, user, the filters' options, count, the page (paid in a subquery, the
    # household, retrofit, building, community and district joined)
    assert three == thirty
    assert len(staff_client.get(url).context["cl"].result_list) == 30


# --- The public community page ---------------------------------------------------------------


def test_the_community_page_shows_the_totals_and_no_name(client):
    community = make_community(district=make_district(code=TAISHAN, name="泰山区"))
    retrofit, _households = noticed_unit(community=community)
    invoices = invoice(retrofit)
    pay(invoices[0])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    text = client.get(reverse("site:community", args=[community.pk])).content.decode()

    assert "Invoiced to the households" in text
    assert f"¥{sum(i.amount for i in invoices):,.0f}" in text
    assert "Households yet to pay in full" in text
    assert "王秘密" not in text


def test_the_community_page_runs_the_same_queries_for_3_and_30_households_paying(client):
    community = make_community(district=make_district(code=TAISHAN, name="泰山区"))
    url = reverse("site:community", args=[community.pk])
    _paid_unit(community, 3, "1号楼")
    three = _queries(client, url)
    _paid_unit(community, 27, "2号楼")

    # the totals are subqueries of the elevators' query: no query per elevator or household
    assert _queries(client, url) == three
