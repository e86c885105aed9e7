"""Decisions stay decided: what the owners' consent, the public notice and the approval of a
retrofit fixed cannot be rewritten through the API, the admin, a history revert or a service;
only the recorded way back (withdrawing the notice) reopens it."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from communities.elevators import services
from communities.elevators.choices import ElevatorStage, VoteChoice
from communities.elevators.models import ElevatorRetrofit
from communities.elevators.selectors import votes_short
from tests.support.api import API, api_client, make_user, writer
from tests.support.elevators import (
    SIX_FLOORS,
    add_households,
    advance,
    at_stage,
    cast,
    new_retrofit,
    taian_building,
)

pytestmark = pytest.mark.django_db

D = Decimal
NOTICE_FIXED = (
    "The public notice of 2021-05-01 fixed the shares (%s): withdraw the notice and notice the "
    "retrofit again to change them."
)
APPROVAL_FIXED = (
    "The approval of 2021-05-21 fixed the shares (%s): withdraw the notice and notice the "
    "retrofit again to change them."
)


def url(retrofit, action: str = "") -> str:
    return f"{API}/elevator-retrofits/{retrofit.pk}/{action + '/' if action else ''}"


def patch(retrofit, changes):
    return writer("elevatorretrofit").patch(
        url(retrofit), changes, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )


# --- Through the API --------------------------------------------------------------------------


def test_the_notice_cannot_be_shortened_once_it_runs():
    retrofit = at_stage(ElevatorStage.PUBLIC_NOTICE)  # noticed 2021-05-01 for 20 days

    response = patch(retrofit, {"notice_days": 1})

    assert response.status_code == 409
    assert response.json()["frozen"] == {"notice_days": [NOTICE_FIXED % "public notice days"]}
    assert response.json()["detail"] == NOTICE_FIXED % "public notice days"
    retrofit.refresh_from_db()
    assert retrofit.notice_days == 20
    mover = api_client(make_user("communities.change_elevatorretrofit"))
    approved = mover.post(url(retrofit, "advance"), {"to_stage": "approval", "on": "2021-05-02"})
    assert approved.status_code == 409
    assert [row["code"] for row in approved.json()["unmet"]] == ["notice_too_short"]


def test_the_notice_days_can_change_before_the_notice():
    retrofit = at_stage(ElevatorStage.DESIGN)

    response = patch(retrofit, {"notice_days": 30})

    assert response.status_code == 200, response.json()
    assert response.json()["notice_days"] == 30


def test_published_shares_cannot_change_after_approval():
    retrofit = at_stage(ElevatorStage.APPROVAL)
    before = [row.share for row in retrofit.cost_sharing().households]

    response = patch(retrofit, {"floor_coefficients": {"5": "2.5"}})

    assert response.status_code == 409
    frozen = APPROVAL_FIXED % "floor coefficients"
    assert response.json()["frozen"] == {"floor_coefficients": [frozen]}
    retrofit.refresh_from_db()
    assert retrofit.floor_coefficients == {}
    assert [row.share for row in retrofit.cost_sharing().households] == before


@pytest.mark.parametrize(
    "changes",
    [{"total_cost": "900000.00"}, {"other_funding": "10000.00"}],
)
def test_the_costs_are_fixed_by_the_notice(changes):
    retrofit = at_stage(ElevatorStage.PUBLIC_NOTICE)

    response = patch(retrofit, changes)

    assert response.status_code == 409
    assert set(response.json()["frozen"]) >= set(changes)
    retrofit.refresh_from_db()
    assert (retrofit.total_cost, retrofit.other_funding) == (D("480000.00"), D("0.00"))


def test_a_subsidy_set_by_hand_after_the_notice_is_refused():
    retrofit = at_stage(ElevatorStage.PUBLIC_NOTICE)

    response = patch(
        retrofit, {"subsidy_override": True, "subsidy": "1.00", "subsidy_override_reason": "x"}
    )

    assert response.status_code == 409
    retrofit.refresh_from_db()
    assert (retrofit.subsidy, retrofit.subsidy_override) == (D("150000.00"), False)


def test_what_no_decision_froze_still_changes_after_the_notice():
    retrofit = at_stage(ElevatorStage.APPROVAL)

    response = patch(retrofit, {"permit_number": "370902202106"})

    assert response.status_code == 200, response.json()


# --- Through the services ---------------------------------------------------------------------


def test_the_cost_service_refuses_a_noticed_retrofit():
    retrofit = at_stage(ElevatorStage.PUBLIC_NOTICE)

    with pytest.raises(ValidationError) as caught:
        services.elevator_retrofit_set_costs(retrofit=retrofit, total_cost=D("500000.00"))

    assert "total_cost" in caught.value.message_dict
    assert ElevatorRetrofit.objects.get(pk=retrofit.pk).total_cost == D("480000.00")


# --- Through the admin ------------------------------------------------------------------------


def change_url(retrofit) -> str:
    return reverse("admin:communities_elevatorretrofit_change", args=[retrofit.pk])


@pytest.fixture
def en_client(staff_client):
    staff_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return staff_client


def test_the_admin_refuses_to_change_the_published_shares(en_client, admin_form_data):
    retrofit = at_stage(ElevatorStage.PUBLIC_NOTICE)
    data = admin_form_data(en_client.get(change_url(retrofit)))
    data.update(total_cost="600000.00", notice_days="5")

    response = en_client.post(change_url(retrofit), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["notice_days"] == [NOTICE_FIXED % "public notice days, total cost (yuan)"]
    retrofit.refresh_from_db()
    assert (retrofit.total_cost, retrofit.notice_days) == (D("480000.00"), 20)


def test_a_history_revert_cannot_restore_shares_the_notice_fixed(en_client, admin_form_data):
    retrofit = at_stage(ElevatorStage.DESIGN)
    services.elevator_retrofit_set_costs(retrofit=retrofit, total_cost=D("520000.00"))
    earlier = retrofit.history.filter(total_cost=D("480000.00")).latest()
    advance(retrofit, ElevatorStage.PUBLIC_NOTICE, date(2021, 5, 1))
    version_url = reverse(
        "admin:communities_elevatorretrofit_simple_history",
        args=[retrofit.pk, earlier.history_id],
    )
    data = admin_form_data(en_client.get(version_url))
    assert data["total_cost"] == "480000.00"

    response = en_client.post(version_url, data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["total_cost"] == [NOTICE_FIXED % "total cost (yuan)"]
    retrofit.refresh_from_db()
    assert retrofit.total_cost == D("520000.00")


# --- The ways back ----------------------------------------------------------------------------


def mover():
    return api_client(make_user("communities.change_elevatorretrofit"))


def test_withdrawing_the_notice_reopens_the_shares_and_the_notice_runs_again():
    retrofit = at_stage(ElevatorStage.APPROVAL)

    response = mover().post(
        url(retrofit, "renotice"), {"on": "2021-05-25", "reason": "楼层系数调整，重新公示"}
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["stage"], response.json()["notice_on"]) == ("design", None)
    assert response.json()["approved_on"] is None
    back = retrofit.transitions.latest("id")
    assert (back.from_stage, back.to_stage, back.on, back.note) == (
        ElevatorStage.APPROVAL,
        ElevatorStage.DESIGN,
        date(2021, 5, 25),
        "楼层系数调整，重新公示",
    )
    assert patch(retrofit, {"floor_coefficients": {"2": "0.2"}}).status_code == 200
    client = mover()
    noticed = client.post(
        url(retrofit, "advance"), {"to_stage": "public_notice", "on": "2021-06-01"}
    )
    assert noticed.status_code == 200, noticed.json()
    early = client.post(url(retrofit, "advance"), {"to_stage": "approval", "on": "2021-06-10"})
    assert early.status_code == 409  # the new notice runs its full 20 days
    assert patch(retrofit, {"floor_coefficients": {}}).status_code == 409


def test_the_notice_cannot_be_withdrawn_once_construction_started():
    retrofit = at_stage(ElevatorStage.CONSTRUCTION)

    response = mover().post(url(retrofit, "renotice"), {"on": "2021-06-02", "reason": "x"})

    assert response.status_code == 409
    retrofit.refresh_from_db()
    assert retrofit.stage == ElevatorStage.CONSTRUCTION


def test_a_way_back_needs_its_reason():
    retrofit = at_stage(ElevatorStage.PUBLIC_NOTICE)

    response = mover().post(url(retrofit, "renotice"), {"on": "2021-05-02", "reason": " "})

    assert response.status_code == 400
    assert ElevatorRetrofit.objects.get(pk=retrofit.pk).stage == ElevatorStage.PUBLIC_NOTICE


def test_reopening_the_vote_goes_back_to_intention_with_the_votes_open():
    retrofit = at_stage(ElevatorStage.DESIGN)

    response = mover().post(
        url(retrofit, "reopen-vote"), {"on": "2021-04-20", "reason": "业主要求重新表决"}
    )

    assert response.status_code == 200, response.json()
    retrofit.refresh_from_db()
    assert (retrofit.stage, retrofit.consent_on, retrofit.design_on) == (
        ElevatorStage.INTENTION,
        None,
        None,
    )
    assert retrofit.transitions.latest("id").to_stage == ElevatorStage.INTENTION


def test_the_vote_cannot_be_reopened_under_a_notice():
    retrofit = at_stage(ElevatorStage.PUBLIC_NOTICE)

    response = mover().post(url(retrofit, "reopen-vote"), {"on": "2021-05-02", "reason": "x"})

    assert response.status_code == 409


def test_the_admin_stage_page_withdraws_a_notice(staff_client):
    retrofit = at_stage(ElevatorStage.PUBLIC_NOTICE)
    stage_url = reverse("admin:communities_elevatorretrofit_stage", args=[retrofit.pk])

    without_reason = staff_client.post(stage_url, {"to_stage": "renotice", "on": "2021-05-03"})
    response = staff_client.post(
        stage_url, {"to_stage": "renotice", "on": "2021-05-03", "note": "费用调整"}
    )

    assert without_reason.status_code == 200
    assert without_reason.context["form"].errors["note"]
    assert response.status_code == 302
    retrofit.refresh_from_db()
    assert (retrofit.stage, retrofit.notice_on) == (ElevatorStage.DESIGN, None)


# --- The roster -------------------------------------------------------------------------------


def test_four_of_twelve_households_entered_do_not_reach_consent():
    building = taian_building()  # 36 households over 3 units: 12 in unit 1
    retrofit = new_retrofit(building=building)
    upper = add_households(building, [row for row in SIX_FLOORS if row[0] >= 5])
    cast(retrofit, upper, [VoteChoice.AGREE] * 4)

    vote = api_client().get(url(retrofit, "vote"), HTTP_ACCEPT_LANGUAGE="en").json()
    response = mover().post(url(retrofit, "advance"), {"to_stage": "consent", "on": "2021-04-01"})

    assert (vote["passes"], vote["failed"][0], vote["expected_households"]) == (
        False,
        "roster_incomplete",
        12,
    )
    assert vote["failure_messages"][0] == (
        "Roster incomplete: 4 household(s) entered, but the entrance unit has 12; the vote "
        "counts only when every household is entered."
    )
    assert response.status_code == 409
    assert [row["code"] for row in response.json()["unmet"]] == ["vote_not_passed"]
    assert votes_short(ElevatorRetrofit.objects.all()).get() == retrofit


def test_households_cannot_join_after_consent():
    retrofit = at_stage(ElevatorStage.CONSENT)  # one unit of three households, all agreed
    client = api_client(make_user("communities.add_household", is_staff=True))

    response = client.post(
        url(retrofit, "households"),
        {"floor": 6, "room_number": "601", "floor_area_m2": "80.00"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 409
    assert response.json()["detail"].startswith("The owners' consent of 2021-04-01 closed")
    assert retrofit.unit_households().count() == 3
    assert retrofit.vote_summary().passes


def test_after_a_re_vote_households_may_join_again():
    retrofit = at_stage(ElevatorStage.CONSENT)
    services.elevator_retrofit_reopen_vote(retrofit=retrofit, on=date(2021, 4, 2), reason="补录")
    client = api_client(make_user("communities.add_household", is_staff=True))

    response = client.post(
        url(retrofit, "households"), {"floor": 6, "room_number": "601", "floor_area_m2": "80.00"}
    )

    assert response.status_code == 201, response.json()


def test_a_households_area_is_frozen_after_consent(en_client, admin_form_data):
    retrofit = at_stage(ElevatorStage.CONSENT)
    household = retrofit.unit_households().first()
    household_url = reverse("admin:communities_household_change", args=[household.pk])
    data = admin_form_data(en_client.get(household_url))
    data["floor_area_m2"] = "120.00"

    response = en_client.post(household_url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["floor_area_m2"] == [
        "The owners' consent of 2021-04-01 closed the roster of this entrance unit (floor area "
        "(m²)): households join, leave or change only after a recorded re-vote reopens the vote."
    ]
    household.refresh_from_db()
    assert household.floor_area_m2 == D("80.00")


def test_the_admin_neither_adds_nor_deletes_a_household_of_a_closed_roster(
    en_client, admin_form_data
):
    retrofit = at_stage(ElevatorStage.CONSENT)
    household = retrofit.unit_households().first()
    delete_url = reverse("admin:communities_household_delete", args=[household.pk])
    add = {
        "building": retrofit.building_id,
        "entrance_unit": "1",
        "floor": "6",
        "room_number": "601",
        "floor_area_m2": "80.00",
    }

    added = en_client.post(reverse("admin:communities_household_add"), add)
    deleted = en_client.post(delete_url, {"post": "yes"})

    assert added.status_code == 200
    assert "closed the roster" in added.context["adminform"].form.errors["entrance_unit"][0]
    assert deleted.status_code == 403
    assert retrofit.unit_households().count() == 3


# --- The subsidy shown is the subsidy saved ---------------------------------------------------


def test_the_admin_shows_the_subsidy_the_notice_fixed_not_a_fresh_quote(en_client):
    retrofit = at_stage(ElevatorStage.PUBLIC_NOTICE)
    # A record from before the rules were kept: no subsidy saved, the shares on the full cost.
    ElevatorRetrofit.objects.filter(pk=retrofit.pk).update(subsidy=0, subsidy_rule=None)

    response = en_client.get(change_url(retrofit))

    assert response.status_code == 200
    shown = response.context["adminform"].model_admin.subsidy_by_rules(
        ElevatorRetrofit.objects.get(pk=retrofit.pk)
    )
    assert "150,000" not in shown
    assert "fixed by the public notice of 2021-05-01" in shown


def test_before_the_notice_the_admin_warns_when_the_rules_give_another_subsidy(en_client):
    retrofit = at_stage(ElevatorStage.DESIGN)
    ElevatorRetrofit.objects.filter(pk=retrofit.pk).update(subsidy=0, subsidy_rule=None)

    response = en_client.get(change_url(retrofit))

    assert response.status_code == 200
    shown = response.context["adminform"].model_admin.subsidy_by_rules(
        ElevatorRetrofit.objects.get(pk=retrofit.pk)
    )
    assert "150,000" in shown
    assert "Saved: ¥0.00" in shown


# --- The maintenance fund is the owners' money ------------------------------------------------


def test_the_maintenance_fund_is_part_of_the_owners_part_not_other_funding():
    retrofit = at_stage(ElevatorStage.DESIGN)  # ¥480,000, subsidy ¥150,000

    response = patch(retrofit, {"maintenance_fund": "60000.00"})
    shares = api_client().get(url(retrofit, "cost-shares")).json()

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["other_funding"], body["maintenance_fund"], body["owners_part"]) == (
        "0.00",
        "60000.00",
        "330000.00",
    )
    assert (shares["maintenance_fund"], shares["owners_part"]) == ("60000.00", "330000.00")


def test_the_maintenance_fund_cannot_exceed_the_owners_part():
    retrofit = at_stage(ElevatorStage.DESIGN)

    response = patch(retrofit, {"maintenance_fund": "330000.01"})

    assert response.status_code == 400
    assert "maintenance_fund" in response.json()


def test_the_maintenance_fund_is_fixed_with_the_shares():
    retrofit = at_stage(ElevatorStage.PUBLIC_NOTICE)

    response = patch(retrofit, {"maintenance_fund": "10000.00"})

    assert response.status_code == 409
    assert list(response.json()["frozen"]) == ["maintenance_fund"]
