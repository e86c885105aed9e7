"""The staff admin for elevator retrofits: the retrofit with its vote, stage history, subsidy and
cost shares; the stage-move page; households; vote and subsidy rules."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from communities.elevators.choices import ElevatorStage, VoteChoice
from communities.elevators.models import (
    ElevatorRetrofit,
    Household,
    OwnerVote,
    StageTransition,
    SubsidyRule,
    VoteRule,
)
from communities.places.choices import SafetyGrade
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


def admin_url(view: str, *args) -> str:
    return reverse(f"admin:communities_{view}", args=args)


def stage_url(retrofit) -> str:
    return admin_url("elevatorretrofit_stage", retrofit.pk)


def change_url(retrofit) -> str:
    return admin_url("elevatorretrofit_change", retrofit.pk)


@pytest.fixture
def en_client(staff_client) -> Client:
    """The city admin, reading the admin in English."""
    staff_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return staff_client


def page_text(response) -> str:
    return response.content.decode()


def twelve_households(building, *, unit: int = 1) -> list[Household]:
    """Two flats of 80 m² on each of six floors."""
    return add_households(building, SIX_FLOORS, unit=unit)


def with_vote(choices: list[str], **kwargs) -> tuple[ElevatorRetrofit, list[Household]]:
    """A retrofit registered in a Tai'an building, its twelve households voting ``choices``
    (floor by floor from the ground; missing ones did not vote)."""
    building = taian_building()
    retrofit = new_retrofit(building=building, **kwargs)
    households = twelve_households(building)
    voted = [
        (household, choice)
        for household, choice in zip(households, choices, strict=False)
        if choice
    ]
    cast(retrofit, [household for household, _ in voted], [choice for _, choice in voted])
    return retrofit, households


# --- The changelist ---------------------------------------------------------------------------


def test_the_retrofit_changelist_runs_the_same_queries_for_3_and_30_rows(
    staff_client, django_assert_num_queries
):
    url = admin_url("elevatorretrofit_changelist")

    def add(count: int) -> None:
        for _row in range(count):
            building = make_building(storeys=6, entrance_units=1)
            retrofit = make_elevator(building=building)
            households = twelve_households(building)
            cast(retrofit, households[:5], [VoteChoice.AGREE] * 5)

    add(3)
    staff_client.get(url)

    # session, user, district and vote rule filter options, count, the page's rows (building,
    # community, district and rule joined; votes and households counted in subqueries), date
    # hierarchy bounds, date hierarchy years
    with django_assert_num_queries(8):
        response = staff_client.get(url)
    assert response.context["cl"].result_count == 3
    add(27)
    with django_assert_num_queries(8):
        response = staff_client.get(url)

    assert response.context["cl"].result_count == 30
    assert "5 / 12" in page_text(response)


def test_the_retrofit_changelist_shows_the_owners_part(staff_client):
    make_elevator(total_cost=Decimal("480000.00"), subsidy=Decimal("150000.00"))
    make_elevator(
        building=make_building(),
        total_cost=Decimal("480000.00"),
        subsidy=Decimal("150000.00"),
        other_funding=Decimal("30000.00"),
    )

    content = page_text(staff_client.get(admin_url("elevatorretrofit_changelist")))

    assert "¥330,000.00" in content
    assert "¥300,000.00" in content


def test_the_retrofit_changelist_filters_by_stage_and_district(staff_client):
    district = make_district()
    building = make_building(community=make_community(district=district))
    wanted = make_elevator(building=building, entrance_unit=1, stage=ElevatorStage.CONSENT)
    make_elevator(building=building, entrance_unit=2)
    make_elevator(stage=ElevatorStage.CONSENT)

    response = staff_client.get(
        admin_url("elevatorretrofit_changelist"),
        {
            "stage__exact": ElevatorStage.CONSENT,
            "building__community__district__id__exact": district.pk,
        },
    )

    assert list(response.context["cl"].result_list) == [wanted]


# --- The add and change pages -----------------------------------------------------------------


def test_the_retrofit_add_page_renders_in_a_few_queries(
    staff_client, django_assert_max_num_queries
):
    staff_client.get(admin_url("elevatorretrofit_add"))

    # session, user, the vote rules' select and the city's default rule
    with django_assert_max_num_queries(5):
        assert staff_client.get(admin_url("elevatorretrofit_add")).status_code == 200


@pytest.mark.parametrize("households", [3, 30])
def test_the_change_page_runs_the_same_queries_however_many_households(
    staff_client, django_assert_num_queries, households
):
    building = taian_building(storeys=7, entrance_units=1)
    retrofit = new_retrofit(building=building)
    rows = [(1 + index % 7, f"{1 + index % 7}{index:02d}", "70.00") for index in range(households)]
    created = add_households(building, rows)
    cast(retrofit, created, [VoteChoice.AGREE] * households)
    url = change_url(retrofit)
    staff_client.get(url)

    # session, user, the retrofit (building, community, district and both rules joined), votes
    # recorded? (the unit is then read-only), the vote rules' select, the vote's tally, the
    # subsidy the rules give (the building, the rules in force), the cost shares, the
    # households' votes, the votes inline and its households' select, the stage history with
    # who moved it, the objections to the notice, the owners' invoices (paid in a subquery)
    with django_assert_num_queries(15):
        response = staff_client.get(url)

    assert response.status_code == 200


def test_the_retrofit_admin_refuses_an_elevator_serving_one_storey(
    staff_client, admin_form_data, admin_errors
):
    retrofit = make_elevator(storeys_served=6)
    url = change_url(retrofit)
    data = admin_form_data(staff_client.get(url))
    data["storeys_served"] = "1"

    response = staff_client.post(url, data)

    assert admin_errors(response)["storeys_served"] == [
        _("Ensure this value is greater than or equal to %(limit_value)s.") % {"limit_value": 2}
    ]
    retrofit.refresh_from_db()
    assert retrofit.storeys_served == 6


def test_the_retrofit_admin_refuses_an_elevator_for_a_single_storey_building(
    staff_client, admin_form_data, admin_errors
):
    bungalow = make_building(storeys=1, entrance_units=1)
    data = admin_form_data(staff_client.get(admin_url("elevatorretrofit_add")))
    data.update(
        building=bungalow.pk, entrance_unit="1", storeys_served="2", intention_on="2022-01-04"
    )

    response = staff_client.post(admin_url("elevatorretrofit_add"), data)

    assert admin_errors(response)["building"] == [
        _("An elevator needs a building of at least 2 storeys.")
    ]
    assert not ElevatorRetrofit.objects.exists()


def test_registering_an_intention_goes_through_the_service(
    staff_client, admin_form_data, city_admin
):
    building = taian_building(entrance_units=3)
    data = admin_form_data(staff_client.get(admin_url("elevatorretrofit_add")))
    data.update(
        building=building.pk,
        entrance_unit="2",
        storeys_served="6",
        intention_on="2022-01-04",
        total_cost="480000.00",
        other_funding="0",
        note="居民联名申请",
    )

    response = staff_client.post(admin_url("elevatorretrofit_add"), data)

    assert response.status_code == 302
    retrofit = ElevatorRetrofit.objects.get(building=building)
    assert (retrofit.entrance_unit, retrofit.stage) == (2, ElevatorStage.INTENTION)
    # Tai'an's rule: ¥150,000 for a building of 4 storeys or more, from 2021.
    assert retrofit.subsidy == Decimal("150000.00")
    assert retrofit.subsidy_rule == SubsidyRule.objects.get(region_code="370900")
    [registered] = retrofit.transitions.all()
    assert (registered.from_stage, registered.to_stage) == ("", ElevatorStage.INTENTION)
    assert (registered.on, registered.by, registered.note) == (
        date(2022, 1, 4),
        city_admin,
        "居民联名申请",
    )
    assert retrofit.history.count() == 1


def test_the_stage_and_its_dates_are_not_fields_of_the_change_form(staff_client):
    retrofit = make_elevator()

    form = staff_client.get(change_url(retrofit)).context["adminform"].form

    assert "stage" not in form.fields
    assert not {"intention_on", "consent_on", "in_service_on", "withdrawn_on"} & set(form.fields)


def test_posting_a_stage_to_the_change_form_moves_nothing(staff_client, admin_form_data):
    retrofit = make_elevator()
    url = change_url(retrofit)
    data = admin_form_data(staff_client.get(url))
    data.update(stage=ElevatorStage.CONSENT, consent_on="2021-04-01")

    response = staff_client.post(url, data)

    assert response.status_code == 302
    retrofit.refresh_from_db()
    assert (retrofit.stage, retrofit.consent_on) == (ElevatorStage.INTENTION, None)


def test_the_retrofit_history_page_lists_changes_made_through_the_admin(
    staff_client, admin_form_data, city_admin
):
    retrofit = make_elevator(storeys_served=6)
    url = change_url(retrofit)
    data = admin_form_data(staff_client.get(url))
    data["storeys_served"] = "5"
    staff_client.post(url, data)

    response = staff_client.get(admin_url("elevatorretrofit_history", retrofit.pk))

    assert response.status_code == 200
    assert retrofit.history.latest().storeys_served == 5
    assert city_admin.username in page_text(response)


# --- The unit is the vote's -----------------------------------------------------


def test_the_unit_and_rule_can_be_corrected_before_anyone_votes(staff_client, admin_form_data):
    building = make_building(storeys=6, entrance_units=3)
    retrofit = make_elevator(building=building, entrance_unit=1)
    url = change_url(retrofit)
    data = admin_form_data(staff_client.get(url))
    data.update(entrance_unit="3", vote_rule=VoteRule.objects.get(code="chengdu-2018").pk)

    assert staff_client.post(url, data).status_code == 302

    retrofit.refresh_from_db()
    assert (retrofit.entrance_unit, retrofit.vote_rule.code) == (3, "chengdu-2018")


def test_the_unit_is_read_only_once_votes_are_recorded(staff_client):
    retrofit, _households = with_vote([VoteChoice.AGREE])

    form = staff_client.get(change_url(retrofit)).context["adminform"].form

    assert not {"building", "entrance_unit"} & set(form.fields)
    assert "vote_rule" in form.fields  # the model checks the vote still passes under a new one


# --- The owners' vote -------------------------------------------------------------------------


def test_the_vote_is_summarised_by_headcount_and_area_as_exact_shares(en_client):
    # 8 of 12 households take part: exactly 2/3 by headcount and by area (all 80 m²); 6 of the
    # 8 agree: exactly 3/4. The Civil Code's "at least" includes the threshold.
    choices = [VoteChoice.AGREE] * 6 + [VoteChoice.DISAGREE] * 2
    retrofit, _households = with_vote([None] * 4 + choices)

    content = page_text(en_client.get(change_url(retrofit)))

    assert "Taking part, by headcount" in content
    assert "8 / 12" in content
    assert "2/3" in content
    assert "66.66%" in content  # rounded down: exactly 2/3 never shows as more
    assert "6 / 8" in content
    assert "75.00%" in content
    assert "The vote passes." in content


def test_a_vote_one_household_short_says_which_condition_fails(en_client):
    # 5 of 8 participants agree: 5/8 < 3/4 by headcount and by area.
    choices = [VoteChoice.AGREE] * 5 + [VoteChoice.DISAGREE] * 3
    retrofit, _households = with_vote([None] * 4 + choices)

    content = page_text(en_client.get(change_url(retrofit)))

    assert "The vote does not pass:" in content
    assert "At least 3/4 of the participating owners must agree; 62.50% did." in content


def test_staff_record_votes_in_the_inline_through_the_service(staff_client, admin_form_data):
    building = taian_building()
    retrofit = new_retrofit(building=building)
    households = twelve_households(building)
    url = change_url(retrofit)
    data = admin_form_data(staff_client.get(url))
    data.update(
        {
            "votes-TOTAL_FORMS": "1",
            "votes-0-household": str(households[5].pk),
            "votes-0-choice": VoteChoice.AGREE,
            "votes-0-voted_on": "2021-03-05",
            "votes-0-note": "签字确认",
        }
    )

    response = staff_client.post(url, data)

    assert response.status_code == 302
    vote = OwnerVote.objects.get(retrofit=retrofit)
    assert (vote.household, vote.choice, vote.voted_on, vote.note) == (
        households[5],
        VoteChoice.AGREE,
        date(2021, 3, 5),
        "签字确认",
    )


def test_the_vote_inline_offers_only_the_units_households(
    staff_client, admin_form_data, admin_errors
):
    building = taian_building(entrance_units=2)
    retrofit = new_retrofit(building=building)
    twelve_households(building)
    neighbour = add_households(building, [(3, "301", "80.00")], unit=2)[0]
    url = change_url(retrofit)
    data = admin_form_data(staff_client.get(url))
    data.update(
        {
            "votes-TOTAL_FORMS": "1",
            "votes-0-household": str(neighbour.pk),
            "votes-0-choice": VoteChoice.AGREE,
            "votes-0-voted_on": "2021-03-05",
        }
    )

    errors = admin_errors(staff_client.post(url, data))

    assert "votes-0-household" in errors
    assert not OwnerVote.objects.exists()


def test_the_votes_are_a_record_once_consent_is_reached(staff_client):
    retrofit = at_stage(ElevatorStage.CONSENT)

    response = staff_client.get(change_url(retrofit))

    [votes] = [
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is OwnerVote
    ]
    assert not votes.has_add_permission
    assert not votes.has_change_permission
    assert not votes.has_delete_permission


# --- The stage history ------------------------------------------------------------------------


def test_the_stage_history_is_shown_read_only(staff_client, city_admin):
    retrofit = at_stage(ElevatorStage.DESIGN, by=city_admin)

    response = staff_client.get(change_url(retrofit))

    [history] = [
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is StageTransition
    ]
    assert not history.has_add_permission
    assert not history.has_change_permission
    assert not history.has_delete_permission
    assert len(history.formset.forms) == 3  # registered, consent, design


# --- Moving a stage ---------------------------------------------------------------------------


def move(client, retrofit, **data):
    data.setdefault("on", "2021-04-01")
    data.setdefault("note", "")
    return client.post(stage_url(retrofit), data)


def test_the_change_page_links_to_the_stage_page(staff_client):
    retrofit = make_elevator()

    content = page_text(staff_client.get(change_url(retrofit)))

    assert stage_url(retrofit) in content


def test_the_stage_page_offers_the_next_stage_or_withdrawal(staff_client):
    retrofit = at_stage(ElevatorStage.DESIGN)

    form = staff_client.get(stage_url(retrofit)).context["form"]

    assert [value for value, _label in form.fields["to_stage"].choices] == [
        ElevatorStage.PUBLIC_NOTICE,
        ElevatorStage.WITHDRAWN,
        "reopen_vote",  # the recorded way back (tests/elevators/test_locks.py)
    ]


def test_a_move_to_consent_records_who_when_and_why(en_client, city_admin):
    retrofit, _households = with_vote([VoteChoice.AGREE] * 12)

    response = move(
        en_client, retrofit, to_stage=ElevatorStage.CONSENT, on="2021-04-01", note="全体同意"
    )

    assert response.status_code == 302
    assert response["Location"] == change_url(retrofit)
    retrofit.refresh_from_db()
    assert (retrofit.stage, retrofit.consent_on) == (ElevatorStage.CONSENT, date(2021, 4, 1))
    moved = retrofit.transitions.get(to_stage=ElevatorStage.CONSENT)
    assert (moved.from_stage, moved.by, moved.note) == (
        ElevatorStage.INTENTION,
        city_admin,
        "全体同意",
    )
    followed = en_client.get(response["Location"])
    assert "Moved from “Intention” to “Owners&#x27; consent” on 2021-04-01." in page_text(followed)


def test_a_move_to_consent_without_a_passed_vote_shows_why_and_moves_nothing(en_client):
    choices = [VoteChoice.AGREE] * 5 + [VoteChoice.DISAGREE] * 3
    retrofit, _households = with_vote([None] * 4 + choices)

    response = move(en_client, retrofit, to_stage=ElevatorStage.CONSENT)

    assert response.status_code == 200
    content = page_text(response)
    assert "The retrofit was not moved." in content
    assert "The owners&#x27; vote has not passed." in content
    assert "At least 3/4 of the participating owners must agree; 62.50% did." in content
    retrofit.refresh_from_db()
    assert retrofit.stage == ElevatorStage.INTENTION
    assert retrofit.transitions.count() == 1


def test_approval_waits_for_the_public_notice_to_run_its_days(en_client):
    retrofit = at_stage(ElevatorStage.PUBLIC_NOTICE)  # notice from 1 May 2021, 20 days

    early = move(en_client, retrofit, to_stage=ElevatorStage.APPROVAL, on="2021-05-20")
    in_time = move(en_client, retrofit, to_stage=ElevatorStage.APPROVAL, on="2021-05-21")

    assert "approval may come on 2021-05-21 at the earliest" in page_text(early)
    assert in_time.status_code == 302
    retrofit.refresh_from_db()
    assert retrofit.approved_on == date(2021, 5, 21)


def test_construction_above_the_threshold_needs_a_permit_number_given_with_the_move(en_client):
    retrofit = at_stage(ElevatorStage.APPROVAL)  # ¥480,000

    refused = move(en_client, retrofit, to_stage=ElevatorStage.CONSTRUCTION, on="2021-06-01")
    moved = move(
        en_client,
        retrofit,
        to_stage=ElevatorStage.CONSTRUCTION,
        on="2021-06-01",
        permit_number="370902202106010001",
    )

    assert "give the construction permit number" in page_text(refused)
    assert moved.status_code == 302
    retrofit.refresh_from_db()
    assert (retrofit.stage, retrofit.permit_number) == (
        ElevatorStage.CONSTRUCTION,
        "370902202106010001",
    )


def test_construction_waits_for_a_dangerous_building_to_be_reinforced(en_client):
    building = taian_building(
        safety_grade=SafetyGrade.C, appraised_on=date(2020, 5, 1), entrance_units=1, households=3
    )
    retrofit = at_stage(ElevatorStage.APPROVAL, building=building)

    response = move(
        en_client,
        retrofit,
        to_stage=ElevatorStage.CONSTRUCTION,
        on="2021-06-01",
        permit_number="370902202106010001",
    )

    assert response.status_code == 200
    assert "Reinforce first: the building is graded C" in page_text(response)
    retrofit.refresh_from_db()
    assert retrofit.stage == ElevatorStage.APPROVAL


def test_service_needs_the_registration_number(en_client):
    retrofit = at_stage(ElevatorStage.ACCEPTANCE)

    refused = move(en_client, retrofit, to_stage=ElevatorStage.IN_SERVICE, on="2021-09-20")
    moved = move(
        en_client,
        retrofit,
        to_stage=ElevatorStage.IN_SERVICE,
        on="2021-09-20",
        registration_number="梯11鲁J00042(21)",
    )

    assert "special-equipment registration number" in page_text(refused)
    assert moved.status_code == 302
    retrofit.refresh_from_db()
    assert (retrofit.stage, retrofit.registration_number) == (
        ElevatorStage.IN_SERVICE,
        "梯11鲁J00042(21)",
    )


def test_a_move_dated_in_the_future_is_refused_on_its_date(en_client):
    retrofit, _households = with_vote([VoteChoice.AGREE] * 12)

    response = move(en_client, retrofit, to_stage=ElevatorStage.CONSENT, on="2099-01-01")

    assert response.context["form"].errors["on"] == ["This date is in the future."]
    retrofit.refresh_from_db()
    assert retrofit.stage == ElevatorStage.INTENTION


def test_a_stage_that_is_not_offered_is_refused(en_client):
    retrofit = make_elevator()

    response = move(en_client, retrofit, to_stage=ElevatorStage.IN_SERVICE)

    assert "to_stage" in response.context["form"].errors
    retrofit.refresh_from_db()
    assert retrofit.stage == ElevatorStage.INTENTION


def test_a_withdrawn_retrofit_keeps_its_history_and_moves_no_more(en_client):
    retrofit = at_stage(ElevatorStage.DESIGN)

    move(en_client, retrofit, to_stage=ElevatorStage.WITHDRAWN, on="2021-05-01", note="诉讼")
    page = en_client.get(stage_url(retrofit))
    change = en_client.get(change_url(retrofit))

    retrofit.refresh_from_db()
    assert retrofit.stage == ElevatorStage.WITHDRAWN
    assert retrofit.transitions.count() == 4
    assert page.context["form"] is None
    assert "does not move any more" in page_text(page)
    assert stage_url(retrofit) not in page_text(change)


def test_moving_a_stage_needs_the_change_permission(django_user_model):
    retrofit = make_elevator()
    viewer = django_user_model.objects.create_user("viewer", password="pw-view-9x!", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_elevatorretrofit"))
    client = Client()
    client.force_login(viewer)

    page = client.get(change_url(retrofit))
    refused = move(client, retrofit, to_stage=ElevatorStage.WITHDRAWN)

    assert page.status_code == 200
    assert stage_url(retrofit) not in page_text(page)
    assert refused.status_code == 403
    retrofit.refresh_from_db()
    assert retrofit.stage == ElevatorStage.INTENTION


def test_the_list_action_opens_the_stage_page_of_one_retrofit(staff_client):
    first = make_elevator()
    second = make_elevator(building=make_building())
    url = admin_url("elevatorretrofit_changelist")

    one = staff_client.post(url, {"action": "move_stage", "_selected_action": [first.pk]})
    two = staff_client.post(
        url, {"action": "move_stage", "_selected_action": [first.pk, second.pk]}, follow=True
    )

    assert one.status_code == 302
    assert one["Location"] == stage_url(first)
    with translation.override("zh-hans"):
        warning = _("Select one retrofit: each move has its own date, note and numbers.")
    assert warning in [str(message) for message in two.context["messages"]]


# --- Cost and subsidy -------------------------------------------------------------------------


def test_the_cost_shares_are_shown_per_household_and_per_floor(en_client):
    retrofit, _households = with_vote([VoteChoice.AGREE] * 12)  # ¥480,000 − ¥150,000

    content = page_text(en_client.get(change_url(retrofit)))

    assert "Owners' part ¥330000.00" in content
    assert "业主601" in content  # staff see the owners
    assert "By floor" in content
    # Floors 3–6 weigh 0.7, 0.8, 0.9, 1.0 × 160 m²: 330,000 × 1.0 / 3.4 for the 6th floor.
    assert "97058.82" in content


def test_the_subsidy_follows_the_rules_when_the_cost_changes(staff_client, admin_form_data):
    retrofit = new_retrofit(total_cost=Decimal("480000.00"))
    url = change_url(retrofit)
    data = admin_form_data(staff_client.get(url))
    data["total_cost"] = "120000.00"

    assert staff_client.post(url, data).status_code == 302

    retrofit.refresh_from_db()
    assert (retrofit.total_cost, retrofit.subsidy) == (Decimal("120000.00"), Decimal("120000.00"))


def test_setting_the_subsidy_by_hand_needs_the_tick_and_a_reason(
    en_client, admin_form_data, admin_errors, english
):
    retrofit = new_retrofit()
    url = change_url(retrofit)
    data = admin_form_data(en_client.get(url))

    untick = admin_errors(en_client.post(url, {**data, "subsidy": "100000.00"}))
    no_reason = admin_errors(
        en_client.post(url, {**data, "subsidy": "100000.00", "subsidy_override": "on"})
    )

    assert untick["subsidy"] == [
        "Tick “subsidy set by staff” and give the reason to set the subsidy by hand."
    ]
    assert no_reason["subsidy_override_reason"] == [
        "Give the reason for setting the subsidy by hand."
    ]
    retrofit.refresh_from_db()
    assert retrofit.subsidy == Decimal("150000.00")


def test_a_subsidy_set_by_hand_is_kept_with_its_reason_and_can_go_back_to_the_rules(
    en_client, admin_form_data
):
    retrofit = new_retrofit()
    url = change_url(retrofit)
    data = admin_form_data(en_client.get(url))
    data.update(
        subsidy="180000.00", subsidy_override="on", subsidy_override_reason="市政府专项批复"
    )

    assert en_client.post(url, data).status_code == 302
    retrofit.refresh_from_db()
    assert (retrofit.subsidy, retrofit.subsidy_rule, retrofit.subsidy_override_reason) == (
        Decimal("180000.00"),
        None,
        "市政府专项批复",
    )
    content = page_text(en_client.get(url))
    assert "¥150,000.00 under" in content  # what the rules would give, next to it
    assert "Reason: 市政府专项批复" in content

    data = admin_form_data(en_client.get(url))
    data.pop("subsidy_override")
    assert en_client.post(url, data).status_code == 302
    retrofit.refresh_from_db()
    assert (retrofit.subsidy, retrofit.subsidy_override, retrofit.subsidy_override_reason) == (
        Decimal("150000.00"),
        False,
        "",
    )
    assert retrofit.subsidy_rule is not None


# --- Households and rules ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("admin_name", "queries"),
    [
        # session, user, district and floor filter options, count, the page's households
        # (building and community joined, votes counted in a subquery)
        ("household", 6),
        # session, user, count, the page's rules (retrofits counted in a subquery)
        ("voterule", 4),
        # session, user, region and storeys filter options, count, the page's rules
        ("subsidyrule", 6),
    ],
)
def test_the_other_changelists_run_the_same_queries_for_3_and_30_rows(
    staff_client, django_assert_num_queries, admin_name, queries
):
    url = admin_url(f"{admin_name}_changelist")
    building = make_building(storeys=6, entrance_units=1)

    def add(start: int, count: int) -> None:
        for number in range(start, start + count):
            if admin_name == "household":
                add_households(building, [(1 + number % 6, f"R{number}", "60.00")])
            elif admin_name == "voterule":
                VoteRule.objects.create(
                    code=f"rule-{number}",
                    name=f"规则{number}",
                    approval_area_num=1,
                    approval_area_den=2,
                    approval_headcount_num=1,
                    approval_headcount_den=2,
                )
            else:
                SubsidyRule.objects.create(
                    region_name="测试市",
                    region_code="379900",
                    min_storeys=number + 1,
                    amount_per_elevator=Decimal("100000.00"),
                    valid_from_year=2022,
                )

    add(0, 3)
    staff_client.get(url)
    with django_assert_num_queries(queries):
        staff_client.get(url)
    add(3, 27)

    with django_assert_num_queries(queries):
        response = staff_client.get(url)
    assert response.status_code == 200


def test_households_are_found_by_owner_and_show_their_votes(staff_client):
    _retrofit, households = with_vote([VoteChoice.AGREE] * 12)

    response = staff_client.get(admin_url("household_changelist"), {"q": "业主601"})

    assert list(response.context["cl"].result_list) == [households[10]]
    assert "13800000601" in page_text(response)


def test_the_add_household_link_fills_in_the_unit(staff_client):
    retrofit = make_elevator(building=make_building(entrance_units=2), entrance_unit=2)
    shares = page_text(staff_client.get(change_url(retrofit)))
    link = reverse("admin:communities_household_add")

    assert f"{link}?building={retrofit.building_id}&amp;entrance_unit=2" in shares
    form = (
        staff_client.get(link, {"building": retrofit.building_id, "entrance_unit": 2})
        .context["adminform"]
        .form
    )
    assert (form.initial["building"], form.initial["entrance_unit"]) == (
        str(retrofit.building_id),
        "2",
    )


def test_a_household_that_voted_cannot_be_deleted(staff_client):
    _retrofit, households = with_vote([VoteChoice.AGREE])

    response = staff_client.post(admin_url("household_delete", households[0].pk), {"post": "yes"})

    assert response.status_code == 200  # the page lists what protects it instead
    assert Household.objects.filter(pk=households[0].pk).exists()


def test_a_vote_rule_that_decided_a_vote_cannot_be_rewritten(
    staff_client, admin_form_data, admin_errors
):
    at_stage(ElevatorStage.CONSENT)
    rule = VoteRule.objects.get(code="civil-code-278")
    url = admin_url("voterule_change", rule.pk)
    data = admin_form_data(staff_client.get(url))
    data["approval_area_num"] = "2"
    data["approval_area_den"] = "3"

    errors = admin_errors(staff_client.post(url, data))

    assert errors["__all__"]
    rule.refresh_from_db()
    assert (rule.approval_area_num, rule.approval_area_den) == (3, 4)


def test_the_vote_rule_list_shows_thresholds_as_fractions(staff_client):
    content = page_text(staff_client.get(admin_url("voterule_changelist")))

    assert "2/3 · 2/3" in content  # the Civil Code: taking part
    assert "3/4 · 3/4" in content  # agreeing
    assert "— · —" in content  # Chengdu sets no participation threshold
