"""Acceptances and settlements through the API: a create records the acceptance through the
service, a move of the item to accepted without one is refused, the record is frozen (409),
residents' representatives are named only to staff in scope, a settlement over the budget
needs its explanation and is frozen; lists keep a constant number of queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.construction.choices import AcceptanceConclusion
from communities.construction.models import Acceptance, Settlement
from communities.works.choices import ItemStatus
from tests.support.acc import completed_item, make_settlement, record_acceptance
from tests.support.api import API, api_client, assert_matches_schema, make_user, writer
from tests.support.construction import make_party

pytestmark = pytest.mark.django_db


def acceptances_client(is_staff: bool = True):
    return api_client(
        make_user(
            "communities.view_acceptance",
            "communities.add_acceptance",
            "communities.change_acceptance",
            "communities.delete_acceptance",
            is_staff=is_staff,
        )
    )


def payload(item, **fields) -> dict:
    contractor = make_party(is_contractor=True)
    body = {
        "item": item.pk,
        "accepted_on": "2022-10-20",
        "conclusion": "accepted",
        "builder": "泰山区老旧小区改造办公室",
        "parties": [{"party": contractor.pk, "role": "contractor"}],
        "residents": [{"name": "李秘密", "entrance_unit": 2, "room_number": "301"}],
    }
    body.update(fields)
    return body


def test_a_create_records_the_acceptance_and_accepts_the_item():
    item = completed_item()

    response = acceptances_client().post(f"{API}/acceptances/", payload(item), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["recorded_on"] is not None
    assert body["resident_count"] == 1
    assert body["parties"][0]["role"] == "contractor"
    item.refresh_from_db()
    assert item.status == ItemStatus.ACCEPTED
    assert_matches_schema(body, "/api/v1/acceptances/", "post", 201)


def test_a_create_not_accepted_leaves_the_item_completed():
    item = completed_item()

    response = acceptances_client().post(
        f"{API}/acceptances/", payload(item, conclusion="not_accepted"), format="json"
    )

    assert response.status_code == 201
    item.refresh_from_db()
    assert item.status == ItemStatus.COMPLETED


def test_with_conditions_without_conditions_is_409_and_saves_nothing():
    item = completed_item()

    response = acceptances_client().post(
        f"{API}/acceptances/", payload(item, conclusion="with_conditions"), format="json"
    )

    assert response.status_code == 409
    assert not Acceptance.objects.exists()
    item.refresh_from_db()
    assert item.status == ItemStatus.COMPLETED


def test_an_acceptance_before_the_completion_is_400():
    item = completed_item()

    response = acceptances_client().post(
        f"{API}/acceptances/", payload(item, accepted_on="2022-09-01"), format="json"
    )

    assert response.status_code == 400
    assert "accepted_on" in response.json()
    assert not Acceptance.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"item": "x"},
        {"item": [1]},
        {"parties": "none"},
        {"residents": [{"name": ""}]},
        {"conditions": [{"description": "x", "deadline": "never"}]},
        {"conclusion": "maybe"},
    ],
)
def test_odd_input_is_400_never_500(body):
    item = completed_item()

    response = acceptances_client().post(
        f"{API}/acceptances/", {**payload(item), **body}, format="json"
    )

    assert response.status_code == 400
    assert not Acceptance.objects.exists()


def test_a_bad_party_in_the_list_is_refused_in_the_shape_the_schema_documents():
    item = completed_item()

    response = acceptances_client().post(
        f"{API}/acceptances/",
        payload(item, parties=[{"party": 999_999_999, "role": "contractor"}]),
        format="json",
    )

    assert response.status_code == 400
    assert "party" in str(response.json()["parties"])
    assert_matches_schema(response.json(), f"{API}/acceptances/", "post", 400)
    assert not Acceptance.objects.exists()


def test_the_item_api_cannot_accept_an_item_without_a_record():
    item = completed_item()

    response = writer("renovationitem").patch(
        f"{API}/renovation-items/{item.pk}/", {"status": "accepted"}, format="json"
    )

    assert response.status_code == 400
    assert "竣工验收记录" in " ".join(response.json()["status"])  # in the default language
    item.refresh_from_db()
    assert item.status == ItemStatus.COMPLETED


def test_a_recorded_acceptance_is_frozen_409_but_its_note_may_change():
    acceptance = record_acceptance()
    client = acceptances_client()
    url = f"{API}/acceptances/{acceptance.pk}/"

    frozen = client.patch(url, {"conclusion": "not_accepted"}, format="json")
    note = client.patch(url, {"note": "会议纪要已归档"}, format="json")
    deleted = client.delete(url)

    assert frozen.status_code == 409
    assert "conclusion" in frozen.json()["frozen"]
    assert note.status_code == 200
    assert deleted.status_code == 409
    acceptance.refresh_from_db()
    assert acceptance.conclusion == AcceptanceConclusion.ACCEPTED


def test_meeting_a_condition_through_the_action():
    acceptance = record_acceptance(conclusion=AcceptanceConclusion.WITH_CONDITIONS)
    condition = acceptance.conditions.get()
    url = f"{API}/acceptances/{acceptance.pk}/meet-condition/"
    client = acceptances_client()

    met = client.post(
        url, {"condition": condition.pk, "note": "已补种", "met_on": "2022-11-20"}, format="json"
    )
    again = client.post(url, {"condition": condition.pk, "note": "再次"}, format="json")
    missing = client.post(url, {"condition": 0, "note": "无"}, format="json")

    assert met.status_code == 200
    assert met.json()["conditions"][0]["met_on"] == "2022-11-20"
    assert again.status_code == 409
    assert missing.status_code == 400


def test_the_public_counts_the_residents_and_staff_in_scope_read_their_names():
    acceptance = record_acceptance()
    url = f"{API}/acceptances/{acceptance.pk}/"

    public = api_client().get(url).json()
    staff = api_client(make_user(is_staff=True, is_superuser=True)).get(url).json()

    assert public["resident_count"] == 2
    assert "residents" not in public
    assert "李秘密" not in str(public)
    assert {row["name"] for row in staff["residents"]} == {"李秘密", "赵秘密"}


def test_the_list_of_acceptances_runs_the_same_queries_for_3_and_30():
    def count(n: int) -> int:
        for _ in range(n):
            record_acceptance(conclusion=AcceptanceConclusion.WITH_CONDITIONS)
        client = api_client()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{API}/acceptances/?page_size=50")
        assert response.status_code == 200
        return len(queries)

    few = count(3)
    Acceptance.objects.all().delete()
    many = count(27)
    # count, page, then parties (+ their party), residents (+ building), documents, conditions.
    assert few == many


# --- Settlements --------------------------------------------------------------------------------


def test_a_settlement_over_the_budget_without_explanation_is_400():
    item = completed_item()
    body = {
        "item": item.pk,
        "settled_amount": "120000.00",
        "auditor": "山东泰信工程造价咨询有限公司",
        "audited_on": "2022-12-15",
    }
    client = writer("settlement")

    refused = client.post(f"{API}/settlements/", body, format="json")
    created = client.post(
        f"{API}/settlements/", {**body, "explanation": "设计变更增加雨水管线"}, format="json"
    )

    assert refused.status_code == 400
    assert "explanation" in refused.json()
    assert created.status_code == 201
    assert created.json()["overspend"] == "20000.00"
    assert created.json()["budget"] == "100000.00"


def test_a_settlement_is_frozen_and_not_deleted():
    settlement = make_settlement()
    client = writer("settlement")
    url = f"{API}/settlements/{settlement.pk}/"

    changed = client.patch(url, {"settled_amount": "1.00"}, format="json")
    deleted = client.delete(url)

    assert changed.status_code == 409
    assert deleted.status_code == 409
    assert Settlement.objects.filter(pk=settlement.pk).exists()


def test_overspent_filter():
    within = make_settlement()
    over = make_settlement(
        completed_item(budget=100),
        settled_amount=150,
        explanation="材料涨价",
        audited_on=date(2022, 12, 1),
    )

    rows = api_client().get(f"{API}/settlements/?overspent=true").json()["results"]

    assert [row["id"] for row in rows] == [over.pk]
    assert within.pk not in [row["id"] for row in rows]


def test_the_list_of_settlements_runs_the_same_queries_for_3_and_30():
    def count(n: int) -> int:
        for _ in range(n):
            make_settlement()
        with CaptureQueriesContext(connection) as queries:
            response = api_client().get(f"{API}/settlements/?page_size=50")
        assert response.status_code == 200
        return len(queries)

    few = count(3)
    many = count(27)
    assert few == many  # count, page with its items


def test_a_draft_is_recorded_through_the_action_and_hidden_from_the_public_until_then():
    from tests.support.acc import draft_acceptance

    draft = draft_acceptance()
    url = f"{API}/acceptances/{draft.pk}/"

    hidden = api_client().get(url)
    recorded = acceptances_client().post(f"{url}record/", {}, format="json")
    again = acceptances_client().post(f"{url}record/", {}, format="json")

    assert hidden.status_code == 404
    assert recorded.status_code == 200
    assert recorded.json()["recorded_on"] is not None
    assert again.status_code == 409
    assert api_client().get(url).status_code == 200
    draft.item.refresh_from_db()
    assert draft.item.status == ItemStatus.ACCEPTED
