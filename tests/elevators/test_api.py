"""The API's elevator retrofits (既有住宅加装电梯), over HTTP: the resource, its vote, its cost
shares, its stage moves, and the households and votes of its unit."""

from datetime import date
from decimal import Decimal

import pytest

from communities.elevators.choices import ElevatorStage, VoteChoice
from communities.elevators.models import ElevatorRetrofit, Household, OwnerVote
from communities.places.choices import SafetyGrade
from tests.support.api import (
    API,
    api_client,
    assert_matches_schema,
    in_service_elevator,
    make_user,
    writer,
)
from tests.support.elevators import (
    SIX_FLOORS,
    add_households,
    at_stage,
    cast,
    new_retrofit,
    taian_building,
)
from tests.support.factories import make_building, make_community, make_district, make_elevator

pytestmark = pytest.mark.django_db

STAGE_MOVER = "communities.change_elevatorretrofit"
VOTE_RECORDER = ("communities.view_ownervote", "communities.add_ownervote")


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def url(retrofit, action: str = "") -> str:
    return f"{API}/elevator-retrofits/{retrofit.pk}/{action + '/' if action else ''}"


def staff(*permissions: str):
    """A token client for a staff user holding the permissions."""
    return api_client(make_user(*permissions, is_staff=True))


def mover():
    return api_client(make_user(STAGE_MOVER))


def voted(choices, **kwargs) -> tuple[ElevatorRetrofit, list[Household]]:
    """A retrofit in a Tai'an building with twelve households of 80 m², two a floor; the first
    ones vote ``choices`` (None: no record)."""
    building = taian_building()
    retrofit = new_retrofit(building=building, **kwargs)
    households = add_households(building, SIX_FLOORS)
    pairs = [(h, choice) for h, choice in zip(households, choices, strict=False) if choice]
    cast(retrofit, [h for h, _ in pairs], [choice for _, choice in pairs])
    return retrofit, households


# --- The resource -----------------------------------------------------------------------------


def test_retrofits_are_listed_with_their_building_community_and_district():
    district = make_district(code="370902", name="泰山区")
    building = make_building(community=make_community(district=district, name="牡丹花园"))
    elevator = in_service_elevator(building=building, entrance_unit=2)

    response = api_client().get(f"{API}/elevator-retrofits/", HTTP_ACCEPT_LANGUAGE="en")

    (row,) = response.json()["results"]
    assert row["id"] == elevator.pk
    assert (row["building"], row["building_label"]) == (building.pk, building.label)
    assert (row["community"], row["community_name"], row["district"]) == (
        building.community_id,
        "牡丹花园",
        "370902",
    )
    assert (row["stage"], row["stage_display"]) == ("in_service", "In service")
    assert row["in_service_on"] == "2021-10-08"
    assert (row["total_cost"], row["subsidy"], row["owners_part"]) == (
        "280000.00",
        "150000.00",
        "130000.00",
    )
    assert_matches_schema(response.json(), "/api/v1/elevator-retrofits/")
    detail = api_client().get(url(elevator))
    assert_matches_schema(detail.json(), "/api/v1/elevator-retrofits/{id}/")


@pytest.fixture
def building():
    """Six storeys and three entrance units in 泰山区, where Tai'an's subsidy applies."""
    return taian_building(entrance_units=3)


def elevator_payload(building, **overrides) -> dict:
    payload = {
        "building": building.pk,
        "entrance_unit": 2,
        "storeys_served": 6,
        "intention_on": "2023-03-01",
        "total_cost": "280000.00",
    }
    payload.update(overrides)
    return payload


def test_registering_an_intention_goes_through_the_service(building):
    user = make_user("communities.add_elevatorretrofit")

    response = api_client(user).post(
        f"{API}/elevator-retrofits/", elevator_payload(building), format="json"
    )

    assert response.status_code == 201, response.json()
    retrofit = ElevatorRetrofit.objects.get(pk=response.json()["id"])
    assert (retrofit.entrance_unit, retrofit.stage) == (2, ElevatorStage.INTENTION)
    assert retrofit.vote_rule.code == response.json()["vote_rule"] == "civil-code-278"
    assert response.json()["subsidy"] == "150000.00"  # Tai'an's rule, from 2021
    [registered] = retrofit.transitions.all()
    assert (registered.to_stage, registered.on, registered.by) == (
        ElevatorStage.INTENTION,
        date(2023, 3, 1),
        user,
    )
    assert_matches_schema(response.json(), "/api/v1/elevator-retrofits/", "post", 201)


def test_a_registration_without_a_day_is_registered_today(building):
    payload = elevator_payload(building)
    del payload["intention_on"]

    response = writer("elevatorretrofit").post(f"{API}/elevator-retrofits/", payload, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["intention_on"] == date.today().isoformat()


def test_a_registration_may_set_the_subsidy_by_hand_with_a_reason(building):
    response = writer("elevatorretrofit").post(
        f"{API}/elevator-retrofits/",
        elevator_payload(
            building,
            subsidy="180000.00",
            subsidy_override=True,
            subsidy_override_reason="市政府专项批复",
            floor_coefficients={"2": "0.2"},
        ),
        format="json",
    )

    assert response.status_code == 201, response.json()
    retrofit = ElevatorRetrofit.objects.get(pk=response.json()["id"])
    assert (retrofit.subsidy, retrofit.subsidy_rule, retrofit.floor_coefficients) == (
        Decimal("180000.00"),
        None,
        {"2": "0.2"},
    )


def test_it_updates_and_deletes_a_retrofit(building):
    retrofit = make_elevator(building=building)
    client = writer("elevatorretrofit")

    updated = client.patch(url(retrofit), {"storeys_served": 5}, format="json")
    deleted = client.delete(url(retrofit))

    assert updated.status_code == 200, updated.json()
    assert updated.json()["storeys_served"] == 5
    assert deleted.status_code == 204
    assert not ElevatorRetrofit.objects.filter(pk=retrofit.pk).exists()


def test_a_retrofit_with_a_stage_history_cannot_be_deleted(building):
    retrofit = new_retrofit(building=building)

    response = writer("elevatorretrofit").delete(url(retrofit))

    assert response.status_code == 409
    assert ElevatorRetrofit.objects.filter(pk=retrofit.pk).exists()


def test_a_new_cost_brings_the_subsidy_the_rules_give(building):
    retrofit = new_retrofit(building=building, total_cost=Decimal("480000.00"))

    response = writer("elevatorretrofit").patch(
        url(retrofit), {"total_cost": "120000.00"}, format="json"
    )

    assert response.status_code == 200, response.json()
    # The rules' ¥150,000, cut to the cost itself.
    assert (response.json()["subsidy"], response.json()["owners_part"]) == ("120000.00", "0.00")


def test_a_subsidy_set_by_hand_and_back_to_the_rules(building):
    retrofit = new_retrofit(building=building)
    client = writer("elevatorretrofit")

    by_hand = client.patch(
        url(retrofit),
        {"subsidy": "90000.00", "subsidy_override": True, "subsidy_override_reason": "超出标准"},
        format="json",
    )
    back = client.patch(url(retrofit), {"subsidy_override": False}, format="json")

    assert (by_hand.json()["subsidy"], by_hand.json()["subsidy_rule"]) == ("90000.00", None)
    assert back.status_code == 200, back.json()
    assert (back.json()["subsidy"], back.json()["subsidy_override_reason"]) == ("150000.00", "")
    assert back.json()["subsidy_rule"] is not None


ELEVATOR_RULES = [
    ("entrance unit the building lacks", {"entrance_unit": 4}, "entrance_unit"),
    ("more storeys than the building", {"storeys_served": 7}, "storeys_served"),
    ("a stage, which only moves", {"stage": "consent"}, "stage"),
    ("a stage date, which only moves", {"design_on": "2023-04-01"}, "design_on"),
    ("a subsidy without the override", {"subsidy": "100000.00"}, "subsidy"),
    (
        "a subsidy above the cost",
        {"subsidy": "300000.00", "subsidy_override": True, "subsidy_override_reason": "x"},
        "non_field_errors",
    ),
    (
        "a subsidy set by hand without a reason",
        {"subsidy": "100000.00", "subsidy_override": True},
        "subsidy_override_reason",
    ),
    ("a unit that already has one", {"entrance_unit": 1}, "non_field_errors"),
    ("serves one storey", {"storeys_served": 1}, "storeys_served"),
    ("an unknown field", {"colour": "red"}, "colour"),
]


@pytest.mark.parametrize(
    ("changes", "field"),
    [(changes, field) for _, changes, field in ELEVATOR_RULES],
    ids=[name for name, _, _ in ELEVATOR_RULES],
)
def test_it_refuses_a_retrofit_the_admin_would_refuse(building, changes, field):
    make_elevator(building=building, entrance_unit=1)

    response = writer("elevatorretrofit").post(
        f"{API}/elevator-retrofits/", elevator_payload(building, **changes), format="json"
    )

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert ElevatorRetrofit.objects.count() == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"stage": "construction"},
        {"construction_on": "2021-05-10"},
        {"intention_on": "2021-01-01"},
    ],
)
def test_stages_and_their_dates_are_read_only_once_registered(changes):
    retrofit = make_elevator(stage=ElevatorStage.APPROVAL)

    response = writer("elevatorretrofit").patch(url(retrofit), changes, format="json")

    assert response.status_code == 400
    assert list(response.json()) == list(changes)
    retrofit.refresh_from_db()
    assert (retrofit.stage, retrofit.construction_on) == (ElevatorStage.APPROVAL, None)


def test_the_unit_is_fixed_once_votes_are_recorded():
    retrofit, _households = voted([VoteChoice.AGREE])

    response = writer("elevatorretrofit").patch(url(retrofit), {"entrance_unit": 2}, format="json")

    assert response.status_code == 409
    assert "entrance_unit" in response.json()["frozen"]


def test_after_consent_the_rule_is_fixed():
    # 9 of 12 agree, 3 against: 3/4 passes the Civil Code; Chengdu allows no objection.
    retrofit, _households = voted([VoteChoice.AGREE] * 9 + [VoteChoice.DISAGREE] * 3)
    mover().post(url(retrofit, "advance"), {"to_stage": "consent", "on": "2021-04-01"})

    response = writer("elevatorretrofit").patch(
        url(retrofit), {"vote_rule": "chengdu-2018"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 409
    assert response.json()["frozen"]["vote_rule"] == [
        "The owners' consent of 2021-04-01 fixed vote rule: only a recorded re-vote reopens "
        "the vote."
    ]
    retrofit.refresh_from_db()
    assert (retrofit.stage, retrofit.vote_rule.code) == (ElevatorStage.CONSENT, "civil-code-278")


def test_the_unit_can_be_corrected_before_anyone_votes(building):
    retrofit = new_retrofit(building=building)

    response = writer("elevatorretrofit").patch(url(retrofit), {"entrance_unit": 3}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["entrance_unit"] == 3


def test_it_refuses_an_elevator_in_service_without_its_registration_number():
    retrofit = in_service_elevator()

    response = writer("elevatorretrofit").patch(
        url(retrofit), {"registration_number": ""}, format="json"
    )

    assert response.status_code == 400
    retrofit.refresh_from_db()
    assert retrofit.registration_number


@pytest.fixture
def retrofits():
    taishan = make_community(district=make_district(code="370902"))
    daiyue = make_community(district=make_district(code="370911"))
    first = make_building(community=taishan)
    return {
        "serving": in_service_elevator(building=first).pk,
        "planned": make_elevator(building=first, entrance_unit=2).pk,
        "elsewhere": make_elevator(building=make_building(community=daiyue)).pk,
        "taishan": taishan.pk,
        "first": first.pk,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stage=in_service", {"serving"}),
        ("stage=intention", {"planned", "elsewhere"}),
        ("district=370911", {"elsewhere"}),
        ("community={taishan}", {"serving", "planned"}),
        ("building={first}", {"serving", "planned"}),
    ],
)
def test_it_filters_retrofits(retrofits, query, expected):
    response = api_client().get(f"{API}/elevator-retrofits/?{query.format(**retrofits)}")

    assert _ids(response) == {retrofits[name] for name in expected}


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("stage=flying", "stage"),
        ("district=000000", "district"),
        ("community=one", "community"),
        ("building=1.5", "building"),
    ],
)
def test_it_rejects_a_malformed_retrofit_filter_with_400(query, parameter):
    response = api_client().get(f"{API}/elevator-retrofits/?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [parameter]


@pytest.mark.parametrize("rows", [5, 50])
def test_the_retrofit_list_runs_two_queries_whatever_the_page_size(rows, django_assert_num_queries):
    community = make_community()
    for number in range(rows):
        make_elevator(
            building=make_building(community=community, label=f"{number}号楼"),
            total_cost=Decimal("250000.00"),
        )
    client = api_client()

    # 1. count  2. the page of retrofits with building, community, district and vote rule
    with django_assert_num_queries(2):
        response = client.get(f"{API}/elevator-retrofits/?page_size={rows}")

    assert len(response.json()["results"]) == rows


# --- The vote ---------------------------------------------------------------------------------


def test_the_vote_summary_gives_exact_shares_at_the_threshold():
    # 8 of 12 take part (exactly 2/3 by headcount and by area); 6 of the 8 agree (exactly 3/4).
    choices = [None] * 4 + [VoteChoice.AGREE] * 6 + [VoteChoice.DISAGREE] * 2
    retrofit, _households = voted(choices)

    response = api_client().get(url(retrofit, "vote"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    body = response.json()
    assert (body["rule"], body["households"], body["area_total"]) == (
        "civil-code-278",
        12,
        "960.00",
    )
    assert (body["participation_headcount_ratio"], body["participation_area_ratio"]) == (
        "2/3",
        "2/3",
    )
    assert body["participation_headcount_percent"] == "66.66"  # rounded down, never up
    assert (body["approval_headcount_ratio"], body["approval_area_ratio"]) == ("3/4", "3/4")
    assert body["thresholds"]["approval_area"] == "3/4"
    assert (body["passes"], body["failed"], body["failure_messages"]) == (True, [], [])
    assert_matches_schema(body, "/api/v1/elevator-retrofits/{id}/vote/")


def test_the_vote_summary_says_which_conditions_fail():
    choices = [None] * 4 + [VoteChoice.AGREE] * 5 + [VoteChoice.DISAGREE] * 3
    retrofit, _households = voted(choices)

    body = api_client().get(url(retrofit, "vote"), HTTP_ACCEPT_LANGUAGE="en").json()

    assert body["passes"] is False
    assert body["failed"] == ["approval_area", "approval_headcount"]
    assert body["failure_messages"][1] == (
        "At least 3/4 of the participating owners must agree; 62.50% did."
    )
    assert body["approval_headcount_ratio"] == "5/8"


@pytest.mark.parametrize("households", [3, 30])
def test_the_vote_summary_runs_the_same_queries_however_many_households(
    households, django_assert_num_queries
):
    building = taian_building(storeys=7)
    retrofit = new_retrofit(building=building)
    rows = [(1 + index % 7, f"{1 + index % 7}{index:02d}", "70.00") for index in range(households)]
    cast(retrofit, add_households(building, rows), [VoteChoice.AGREE] * households)

    # 1. the retrofit with its building, community, district and rule  2. the households with
    # their votes
    with django_assert_num_queries(2):
        response = api_client().get(url(retrofit, "vote"))

    assert response.json()["households"] == households


# --- Cost shares ------------------------------------------------------------------------------


def test_staff_get_every_households_share_with_its_owner():
    retrofit = at_stage(ElevatorStage.PUBLIC_NOTICE)  # 301, 401, 501 of 80 m²; ¥330,000

    response = staff().get(url(retrofit, "cost-shares"))

    body = response.json()
    assert response.status_code == 200
    assert body["owners_part"] == "330000.00"
    assert [
        (row["room_number"], row["owner_name"], row["coefficient"], row["share"])
        for row in body["households"]
    ] == [
        ("301", "业主301", "0.700", "96250.00"),
        ("401", "业主401", "0.800", "110000.00"),
        ("501", "业主501", "0.900", "123750.00"),
    ]
    assert [(row["floor"], row["share"]) for row in body["floors"]] == [
        (3, "96250.00"),
        (4, "110000.00"),
        (5, "123750.00"),
    ]
    assert sum(Decimal(row["share"]) for row in body["households"]) == Decimal("330000.00")
    assert_matches_schema(body, "/api/v1/elevator-retrofits/{id}/cost-shares/")


def test_the_public_gets_shares_by_floor_and_area_without_owner_or_room():
    retrofit = at_stage(ElevatorStage.PUBLIC_NOTICE)

    body = api_client().get(url(retrofit, "cost-shares")).json()

    assert body["published"] is True
    assert [set(row) for row in body["households"]] == [
        {"floor", "floor_area_m2", "coefficient", "share"}
    ] * 3
    assert "业主" not in str(body) and "1380000" not in str(body)
    assert_matches_schema(body, "/api/v1/elevator-retrofits/{id}/cost-shares/")


def test_the_public_gets_no_shares_before_the_public_notice():
    retrofit = at_stage(ElevatorStage.DESIGN)

    public = api_client().get(url(retrofit, "cost-shares")).json()
    for_staff = staff().get(url(retrofit, "cost-shares")).json()

    assert (public["published"], public["households"], public["floors"]) == (False, [], [])
    assert public["problem"]
    assert len(for_staff["households"]) == 3


@pytest.mark.parametrize("households", [3, 30])
def test_the_cost_shares_run_the_same_queries_however_many_households(
    households, django_assert_num_queries
):
    building = taian_building(storeys=7)
    add_households(  # entered before consent closed the roster
        building,
        [(1 + index % 7, f"{1 + index % 7}{index:02d}", "70.00") for index in range(households)],
    )
    retrofit = make_elevator(building=building, stage=ElevatorStage.PUBLIC_NOTICE)

    # 1. the retrofit with its building, community, district and rule  2. the households
    with django_assert_num_queries(2):
        response = api_client().get(url(retrofit, "cost-shares"))

    assert len(response.json()["households"]) == households


# --- Moving a stage ---------------------------------------------------------------------------


def test_a_move_answers_the_new_state_and_is_recorded():
    retrofit, _households = voted([VoteChoice.AGREE] * 12)
    user = make_user(STAGE_MOVER)

    response = api_client(user).post(
        url(retrofit, "advance"),
        {"to_stage": "consent", "on": "2021-04-01", "note": "全体同意"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["stage"], response.json()["consent_on"]) == ("consent", "2021-04-01")
    moved = retrofit.transitions.get(to_stage=ElevatorStage.CONSENT)
    assert (moved.by, moved.note) == (user, "全体同意")
    assert_matches_schema(response.json(), "/api/v1/elevator-retrofits/{id}/advance/", "post")


def test_a_move_the_vote_does_not_allow_is_a_409_with_the_unmet_condition():
    choices = [None] * 4 + [VoteChoice.AGREE] * 5 + [VoteChoice.DISAGREE] * 3
    retrofit, _households = voted(choices)

    response = mover().post(
        url(retrofit, "advance"),
        {"to_stage": "consent", "on": "2021-04-01"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 409
    body = response.json()
    [unmet] = body["unmet"]
    assert unmet["code"] == "vote_not_passed"
    assert unmet["message"].startswith("The owners' vote has not passed.")
    assert unmet["message"] in body["detail"]
    assert_matches_schema(body, "/api/v1/elevator-retrofits/{id}/advance/", "post", 409)
    retrofit.refresh_from_db()
    assert retrofit.stage == ElevatorStage.INTENTION
    assert retrofit.transitions.count() == 1


@pytest.mark.parametrize(
    ("stage", "move", "code"),
    [
        (
            ElevatorStage.PUBLIC_NOTICE,
            {"to_stage": "approval", "on": "2021-05-20"},
            "notice_too_short",
        ),
        (
            ElevatorStage.APPROVAL,
            {"to_stage": "construction", "on": "2021-06-01"},
            "permit_missing",
        ),
        (
            ElevatorStage.ACCEPTANCE,
            {"to_stage": "in_service", "on": "2021-09-20"},
            "registration_missing",
        ),
        (ElevatorStage.DESIGN, {"to_stage": "approval", "on": "2021-06-01"}, "not_next_stage"),
        (ElevatorStage.IN_SERVICE, {"to_stage": "withdrawn", "on": "2021-10-01"}, "final_stage"),
    ],
)
def test_every_guard_answers_409_with_its_code(stage, move, code):
    retrofit = at_stage(stage)

    response = mover().post(url(retrofit, "advance"), move, format="json")

    assert response.status_code == 409
    assert [unmet["code"] for unmet in response.json()["unmet"]] == [code]
    retrofit.refresh_from_db()
    assert retrofit.stage == stage


def test_construction_on_a_dangerous_building_is_a_409_reinforce_first():
    building = taian_building(
        safety_grade=SafetyGrade.C, appraised_on=date(2021, 1, 5), entrance_units=1, households=3
    )
    retrofit = at_stage(ElevatorStage.APPROVAL, building=building)

    response = mover().post(
        url(retrofit, "advance"),
        {"to_stage": "construction", "on": "2021-06-01", "permit_number": "370902202106"},
        format="json",
    )

    assert response.status_code == 409
    assert [unmet["code"] for unmet in response.json()["unmet"]] == ["reinforce_first"]


def test_the_numbers_given_with_a_move_are_saved_with_it():
    retrofit = at_stage(ElevatorStage.APPROVAL)

    response = mover().post(
        url(retrofit, "advance"),
        {"to_stage": "construction", "on": "2021-06-01", "permit_number": "370902202106010001"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["permit_number"] == "370902202106010001"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"to_stage": "flying"}, "to_stage"),
        ({}, "to_stage"),
        ({"to_stage": "consent", "on": "first of April"}, "on"),
        ({"to_stage": "consent", "on": "2099-04-01"}, "on"),
        ({"to_stage": "consent", "colour": "red"}, "colour"),
    ],
)
def test_a_malformed_move_is_a_400(payload, field):
    retrofit, _households = voted([VoteChoice.AGREE] * 12)

    response = mover().post(url(retrofit, "advance"), payload, format="json")

    assert response.status_code == 400
    assert field in response.json(), response.json()
    retrofit.refresh_from_db()
    assert retrofit.stage == ElevatorStage.INTENTION


def test_moving_needs_authentication_and_the_change_permission():
    retrofit, _households = voted([VoteChoice.AGREE] * 12)
    move = {"to_stage": "consent", "on": "2021-04-01"}

    anonymous = api_client().post(url(retrofit, "advance"), move, format="json")
    may_only_add = api_client(make_user("communities.add_elevatorretrofit")).post(
        url(retrofit, "advance"), move, format="json"
    )

    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"] == "Token"
    assert may_only_add.status_code == 403
    retrofit.refresh_from_db()
    assert retrofit.stage == ElevatorStage.INTENTION


def test_the_stage_history_is_public_but_who_moved_it_is_for_staff():
    retrofit = at_stage(ElevatorStage.DESIGN, note="居民申请")

    public = api_client().get(url(retrofit, "transitions")).json()
    for_staff = staff().get(url(retrofit, "transitions")).json()

    assert [(row["from_stage"], row["to_stage"]) for row in public] == [
        ("", "intention"),
        ("intention", "consent"),
        ("consent", "design"),
    ]
    assert not {"by", "note"} & set(public[0])
    assert for_staff[0]["note"] == "居民申请"
    assert_matches_schema(public, "/api/v1/elevator-retrofits/{id}/transitions/")
    assert_matches_schema(for_staff, "/api/v1/elevator-retrofits/{id}/transitions/")


# --- Households and votes (staff) -------------------------------------------------------------


def test_staff_read_the_unit_households_with_their_votes():
    retrofit, _households = voted([VoteChoice.AGREE, VoteChoice.ABSENT])

    response = staff("communities.view_ownervote").get(url(retrofit, "votes"))

    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 12
    assert (rows[0]["owner_name"], rows[0]["vote"], rows[0]["voted_on"]) == (
        "业主101",
        "agree",
        "2021-03-01",
    )
    assert (rows[1]["vote"], rows[1]["voted_on"]) == ("absent", None)
    assert rows[2]["vote"] is None
    assert_matches_schema(rows, "/api/v1/elevator-retrofits/{id}/votes/")


def test_staff_record_and_correct_a_vote():
    retrofit, households = voted([])
    client = staff(*VOTE_RECORDER, "communities.change_ownervote")
    vote = {"household": households[6].pk, "choice": "disagree", "voted_on": "2021-03-03"}

    first = client.post(url(retrofit, "votes"), vote, format="json")
    corrected = client.post(url(retrofit, "votes"), {**vote, "choice": "agree"}, format="json")

    assert first.status_code == 201, first.json()
    assert corrected.status_code == 200, corrected.json()
    assert OwnerVote.objects.get(retrofit=retrofit).choice == VoteChoice.AGREE
    assert_matches_schema(corrected.json(), "/api/v1/elevator-retrofits/{id}/votes/", "post", 201)


def test_a_vote_for_a_household_of_another_unit_is_a_400():
    retrofit, _households = voted([])
    neighbour = add_households(retrofit.building, [(3, "301", "80.00")], unit=2)[0]
    client = staff(*VOTE_RECORDER, "communities.change_ownervote")

    response = client.post(
        url(retrofit, "votes"),
        {"household": neighbour.pk, "choice": "agree", "voted_on": "2021-03-03"},
        format="json",
    )

    assert response.status_code == 400
    assert "household" in response.json()
    assert not OwnerVote.objects.exists()


def test_a_vote_after_consent_is_a_409():
    retrofit = at_stage(ElevatorStage.CONSENT)
    household = Household.objects.of_unit(retrofit.building_id, 1).first()
    client = staff(*VOTE_RECORDER, "communities.change_ownervote")

    response = client.post(
        url(retrofit, "votes"),
        {"household": household.pk, "choice": "disagree", "voted_on": "2021-04-02"},
        format="json",
    )

    assert response.status_code == 409
    assert OwnerVote.objects.filter(choice=VoteChoice.DISAGREE).count() == 0


def test_households_and_votes_are_for_staff_only():
    retrofit, _households = voted([VoteChoice.AGREE])
    permissions = (*VOTE_RECORDER, "communities.change_ownervote", "communities.view_household")
    not_staff = api_client(make_user(*permissions))

    for action in ("votes", "households"):
        assert api_client().get(url(retrofit, action)).status_code == 401
        assert not_staff.get(url(retrofit, action)).status_code == 403
        assert staff().get(url(retrofit, action)).status_code == 403  # staff without the perm
    assert not_staff.post(url(retrofit, "votes"), {}, format="json").status_code == 403


def test_staff_add_a_household_to_the_unit():
    retrofit, _households = voted([])
    client = staff("communities.add_household", "communities.view_household")

    added = client.post(
        url(retrofit, "households"),
        {"floor": 6, "room_number": "603", "floor_area_m2": "45.50", "owner_name": "新业主"},
        format="json",
    )
    again = client.post(
        url(retrofit, "households"),
        {"floor": 6, "room_number": "603", "floor_area_m2": "45.50"},
        format="json",
    )
    listed = client.get(url(retrofit, "households"))

    assert added.status_code == 201, added.json()
    assert (added.json()["building"], added.json()["entrance_unit"]) == (
        retrofit.building_id,
        1,
    )
    assert again.status_code == 400
    assert len(listed.json()) == 13
    assert_matches_schema(listed.json(), "/api/v1/elevator-retrofits/{id}/households/")
    assert_matches_schema(added.json(), "/api/v1/elevator-retrofits/{id}/households/", "post", 201)


def test_a_household_above_the_top_floor_is_a_400():
    retrofit, _households = voted([])

    response = staff("communities.add_household").post(
        url(retrofit, "households"),
        {"floor": 9, "room_number": "901", "floor_area_m2": "80.00"},
        format="json",
    )

    assert response.status_code == 400
    assert "floor" in response.json()
