"""Acceptances and settlements in the admin: the "record" box goes through the service (the
item is accepted), refusals are form errors, a recorded acceptance and a settlement are
frozen, the item's own page cannot accept it, and the lists keep their query count."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.construction.choices import AcceptanceConclusion
from communities.construction.models import Acceptance, Settlement
from communities.works.choices import ItemStatus
from tests.support.acc import completed_item, make_settlement, record_acceptance
from tests.support.construction import make_party

pytestmark = pytest.mark.django_db

ADD = reverse("admin:communities_acceptance_add")


def add_data(staff_client, admin_form_data, item, **fields) -> dict:
    data = admin_form_data(staff_client.get(ADD))
    party = make_party(is_contractor=True)
    data.update(
        {
            "item": str(item.pk),
            "accepted_on": "2022-10-20",
            "conclusion": "accepted",
            "builder": "泰山区老旧小区改造办公室",
            "parties-TOTAL_FORMS": "1",
            "parties-0-role": "contractor",
            "parties-0-party": str(party.pk),
            "residents-TOTAL_FORMS": "1",
            "residents-0-name": "李秘密",
            "residents-0-room_number": "301",
            "record": "on",
        }
    )
    data.update(fields)
    return data


def test_recording_in_the_admin_accepts_the_item_through_the_service(staff_client, admin_form_data):
    item = completed_item()

    response = staff_client.post(ADD, add_data(staff_client, admin_form_data, item))

    assert response.status_code == 302
    acceptance = Acceptance.objects.get(item=item)
    assert acceptance.recorded_on is not None
    assert acceptance.parties.count() == 1 and acceptance.residents.count() == 1
    item.refresh_from_db()
    assert item.status == ItemStatus.ACCEPTED


def test_a_draft_leaves_the_item_completed(staff_client, admin_form_data):
    item = completed_item()
    data = add_data(staff_client, admin_form_data, item)
    del data["record"]

    assert staff_client.post(ADD, data).status_code == 302

    assert Acceptance.objects.get(item=item).recorded_on is None
    item.refresh_from_db()
    assert item.status == ItemStatus.COMPLETED


def test_with_conditions_but_none_listed_is_a_form_error(
    staff_client, admin_form_data, admin_errors
):
    item = completed_item()
    data = add_data(staff_client, admin_form_data, item, conclusion="with_conditions")

    errors = admin_errors(staff_client.post(ADD, data))

    assert "__all__" in errors
    assert not Acceptance.objects.exists()


def test_with_conditions_listed_is_recorded(staff_client, admin_form_data):
    item = completed_item()
    data = add_data(
        staff_client,
        admin_form_data,
        item,
        conclusion="with_conditions",
        **{
            "conditions-TOTAL_FORMS": "1",
            "conditions-0-description": "补种行道树12株",
            "conditions-0-deadline": "2022-12-31",
        },
    )

    assert staff_client.post(ADD, data).status_code == 302

    assert Acceptance.objects.get(item=item).conditions.count() == 1
    item.refresh_from_db()
    assert item.status == ItemStatus.ACCEPTED


def test_an_item_already_accepted_is_a_form_error(staff_client, admin_form_data, admin_errors):
    item = completed_item()
    record_acceptance(item)
    item.refresh_from_db()

    errors = admin_errors(staff_client.post(ADD, add_data(staff_client, admin_form_data, item)))

    assert "__all__" in errors
    assert Acceptance.objects.filter(item=item).count() == 1


def test_a_recorded_acceptance_is_frozen_in_the_admin(staff_client, admin_form_data, admin_errors):
    acceptance = record_acceptance()
    url = reverse("admin:communities_acceptance_change", args=[acceptance.pk])
    data = admin_form_data(staff_client.get(url))
    data.update(conclusion="not_accepted", **{"residents-0-name": "改名"})

    errors = admin_errors(staff_client.post(url, data))

    assert "conclusion" in errors
    acceptance.refresh_from_db()
    assert acceptance.conclusion == AcceptanceConclusion.ACCEPTED
    assert set(acceptance.residents.values_list("name", flat=True)) == {"李秘密", "赵秘密"}


def test_a_condition_is_met_from_the_admin_page(staff_client, admin_form_data):
    acceptance = record_acceptance(conclusion=AcceptanceConclusion.WITH_CONDITIONS)
    url = reverse("admin:communities_acceptance_change", args=[acceptance.pk])
    data = admin_form_data(staff_client.get(url))
    data.update({"conditions-0-met_on": "2022-11-20", "conditions-0-met_note": "已补种"})

    assert staff_client.post(url, data).status_code == 302

    assert acceptance.conditions.get().met_on.isoformat() == "2022-11-20"


def test_the_item_admin_cannot_accept_an_item_without_a_record(
    staff_client, admin_form_data, admin_errors
):
    item = completed_item()
    url = reverse("admin:communities_renovationitem_change", args=[item.pk])
    data = admin_form_data(staff_client.get(url))
    data["status"] = "accepted"

    errors = admin_errors(staff_client.post(url, data))

    assert "status" in errors
    item.refresh_from_db()
    assert item.status == ItemStatus.COMPLETED


def test_a_settlement_over_the_budget_needs_its_explanation_in_the_admin(
    staff_client, admin_form_data, admin_errors
):
    item = completed_item()
    url = reverse("admin:communities_settlement_add")
    data = admin_form_data(staff_client.get(url))
    data.update(
        item=str(item.pk),
        settled_amount="130000.00",
        auditor="山东泰信工程造价咨询有限公司",
        audited_on="2022-12-15",
        explanation="",
    )

    errors = admin_errors(staff_client.post(url, data))
    assert "explanation" in errors
    data["explanation"] = "增加雨水管线（设计变更）"
    assert staff_client.post(url, data).status_code == 302
    assert Settlement.objects.get(item=item).settled_amount == Decimal("130000.00")


def test_a_recorded_settlement_is_frozen_in_the_admin(staff_client, admin_form_data, admin_errors):
    settlement = make_settlement()
    url = reverse("admin:communities_settlement_change", args=[settlement.pk])
    data = admin_form_data(staff_client.get(url))
    data["settled_amount"] = "1.00"

    errors = admin_errors(staff_client.post(url, data))

    assert "settled_amount" in errors
    settlement.refresh_from_db()
    assert settlement.settled_amount == Decimal("95000.00")


@pytest.mark.parametrize("name", ["acceptance", "settlement"])
def test_the_changelists_run_the_same_queries_for_3_and_30(staff_client, name):
    def count(n: int) -> int:
        for _ in range(n):
            make_settlement(record_acceptance().item)
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(reverse(f"admin:communities_{name}_changelist"))
        assert response.status_code == 200
        return len(queries)

    assert count(3) == count(27)


def test_district_staff_keep_acceptances_and_settlements_and_the_viewer_reads_them():
    from django.contrib.auth import get_user_model

    from communities.access.choices import Role
    from tests.support.factories import make_district
    from tests.support.roles import grant

    users = get_user_model().objects
    users.create_user("clerk")
    users.create_user("reader")
    grant("clerk", Role.DISTRICT_STAFF, "--district", make_district(code="370902").code)
    grant("reader", Role.VIEWER)
    clerk, reader = users.get(username="clerk"), users.get(username="reader")

    for model in ("acceptance", "acceptanceparty", "acceptanceresident", "settlement"):
        assert clerk.has_perm(f"communities.change_{model}")
        assert reader.has_perm(f"communities.view_{model}")
        assert not reader.has_perm(f"communities.change_{model}")
