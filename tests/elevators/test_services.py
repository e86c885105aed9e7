"""The elevator services and reads: creating, moving stages (every guard), the subsidy, votes,
the vote summary and the shares of the cost, as the admin and the API will call them."""

from datetime import date, timedelta
from fractions import Fraction
from itertools import pairwise

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from communities.core.errors import WrongState
from communities.elevators import services
from communities.elevators.choices import ElevatorStage, VoteChoice
from communities.elevators.models import (
    ElevatorRetrofit,
    NamedHouseholdShare,
    OwnerVote,
    StageTransition,
    SubsidyRule,
    VoteRule,
)
from communities.elevators.policy import (
    MOVE_FINAL_STAGE,
    MOVE_NOT_NEXT_STAGE,
    MOVE_NOTICE_TOO_SHORT,
    MOVE_PERMIT_MISSING,
    MOVE_REGISTRATION_MISSING,
    MOVE_REINFORCE_FIRST,
    MOVE_VOTE_NOT_PASSED,
)
from communities.places.choices import SafetyGrade
from tests.support.elevators import (
    SIX_FLOORS,
    START,
    D,
    add_households,
    advance,
    at_stage,
    cast,
    consented,
    new_retrofit,
    refused,
    taian_building,
)
from tests.support.factories import make_building

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(django_user_model):
    return django_user_model.objects.create_user("district-clerk", password="pw-clerk-9x!")


# --- Creating --------------------------------------------------------------------------------


class TestCreate:
    def test_it_registers_the_intention_with_a_first_history_row(self, clerk):
        retrofit = new_retrofit(by=clerk, note="居民申请")
        assert retrofit.stage == ElevatorStage.INTENTION
        assert retrofit.intention_on == START
        [row] = retrofit.transitions.all()
        assert (row.from_stage, row.to_stage, row.on, row.by, row.note) == (
            "",
            ElevatorStage.INTENTION,
            START,
            clerk,
            "居民申请",
        )

    def test_it_gives_the_city_vote_rule_and_notice_days(self):
        retrofit = new_retrofit()
        assert retrofit.vote_rule.code == "civil-code-278"
        assert retrofit.notice_days == 20

    def test_it_takes_another_vote_rule_when_given(self):
        chengdu = VoteRule.objects.get(code="chengdu-2018")
        assert new_retrofit(vote_rule=chengdu).vote_rule == chengdu

    def test_it_applies_taians_subsidy(self):
        retrofit = new_retrofit(on=date(2021, 3, 1))
        assert retrofit.subsidy == D("150000.00")
        assert retrofit.subsidy_rule == SubsidyRule.objects.get(region_code="370900")

    def test_a_three_storey_building_gets_no_subsidy(self):
        building = taian_building(storeys=3)
        retrofit = services.elevator_retrofit_create(
            building=building, entrance_unit=1, storeys_served=3, on=START, total_cost=D("300000")
        )
        assert (retrofit.subsidy, retrofit.subsidy_rule) == (D("0.00"), None)

    def test_a_retrofit_registered_before_the_rule_gets_no_subsidy_yet(self):
        retrofit = new_retrofit(on=date(2020, 11, 1))
        assert retrofit.subsidy == D("0.00")

    def test_a_building_outside_taian_gets_no_subsidy(self):
        retrofit = new_retrofit(building=make_building(storeys=6))  # district 3790xx
        assert retrofit.subsidy == D("0.00")

    def test_the_subsidy_leaves_room_for_other_funding(self):
        retrofit = new_retrofit(total_cost=D("200000.00"), other_funding=D("80000.00"))
        assert retrofit.subsidy == D("120000.00")
        assert retrofit.owners_part == D("0.00")

    def test_it_refuses_a_second_active_retrofit_for_the_unit(self):
        building = taian_building()
        new_retrofit(building=building)
        with pytest.raises(ValidationError):
            new_retrofit(building=building)

    def test_it_refuses_a_future_date(self):
        with pytest.raises(ValidationError) as caught:
            new_retrofit(on=date.today() + timedelta(days=1))
        assert "on" in caught.value.message_dict


# --- Moving through the stages: every guard, allowed and refused ----------------------------


class TestAdvance:
    def test_consent_after_a_passed_vote_is_recorded_with_who_and_when(self, clerk):
        building = taian_building()
        retrofit = new_retrofit(building=building)
        households = add_households(building, SIX_FLOORS)
        cast(retrofit, households, [VoteChoice.AGREE] * 9 + [VoteChoice.DISAGREE] * 3)
        move = advance(retrofit, ElevatorStage.CONSENT, date(2021, 4, 1), by=clerk, note="表决通过")
        assert (move.from_stage, move.to_stage, move.on, move.by) == (
            ElevatorStage.INTENTION,
            ElevatorStage.CONSENT,
            date(2021, 4, 1),
            clerk,
        )
        retrofit.refresh_from_db()
        assert (retrofit.stage, retrofit.consent_on) == (ElevatorStage.CONSENT, date(2021, 4, 1))

    def test_consent_after_a_failed_vote_is_refused_and_nothing_is_saved(self):
        building = taian_building()
        retrofit = new_retrofit(building=building)
        households = add_households(building, SIX_FLOORS)
        # 8 of 12 take part (2/3); 5 of those 8 agree: one short of 3/4.
        choices = [VoteChoice.AGREE] * 5 + [VoteChoice.DISAGREE] * 3 + [VoteChoice.ABSENT] * 4
        cast(retrofit, households, choices)
        with translation.override("en"), pytest.raises(WrongState) as caught:
            advance(retrofit, ElevatorStage.CONSENT, date(2021, 4, 1))
        assert caught.value.codes == [MOVE_VOTE_NOT_PASSED]
        assert "At least 3/4 of the participating owners must agree" in str(caught.value)
        retrofit.refresh_from_db()
        assert retrofit.stage == ElevatorStage.INTENTION
        assert retrofit.consent_on is None
        assert retrofit.transitions.count() == 1

    def test_consent_one_household_more_passes_the_same_vote(self):
        building = taian_building()
        retrofit = new_retrofit(building=building)
        households = add_households(building, SIX_FLOORS)
        choices = [VoteChoice.AGREE] * 6 + [VoteChoice.DISAGREE] * 2 + [VoteChoice.ABSENT] * 4
        cast(retrofit, households, choices)
        advance(retrofit, ElevatorStage.CONSENT, date(2021, 4, 1))
        assert retrofit.stage == ElevatorStage.CONSENT

    def test_consent_is_refused_when_no_households_are_recorded(self):
        assert refused(new_retrofit(), ElevatorStage.CONSENT, date(2021, 4, 1)) == [
            MOVE_VOTE_NOT_PASSED
        ]

    def test_consent_follows_the_retrofits_own_rule(self):
        building = taian_building()
        chengdu = VoteRule.objects.get(code="chengdu-2018")
        retrofit = new_retrofit(building=building, vote_rule=chengdu)
        households = add_households(building, SIX_FLOORS)
        cast(retrofit, households, [VoteChoice.AGREE] * 11 + [VoteChoice.DISAGREE])
        assert refused(retrofit, ElevatorStage.CONSENT, date(2021, 4, 1)) == [MOVE_VOTE_NOT_PASSED]

    def test_design_and_public_notice_follow_consent(self):
        retrofit = at_stage(ElevatorStage.PUBLIC_NOTICE)
        assert (retrofit.design_on, retrofit.notice_on) == (date(2021, 4, 15), date(2021, 5, 1))

    def test_approval_is_allowed_on_the_day_the_notice_has_lasted_twenty_days(self):
        retrofit = at_stage(ElevatorStage.PUBLIC_NOTICE)
        advance(retrofit, ElevatorStage.APPROVAL, date(2021, 5, 21))
        assert retrofit.approved_on == date(2021, 5, 21)

    def test_approval_is_refused_a_day_earlier(self):
        retrofit = at_stage(ElevatorStage.PUBLIC_NOTICE)
        assert refused(retrofit, ElevatorStage.APPROVAL, date(2021, 5, 20)) == [
            MOVE_NOTICE_TOO_SHORT
        ]

    def test_approval_waits_for_a_longer_notice_the_retrofit_set(self):
        retrofit = at_stage(ElevatorStage.PUBLIC_NOTICE)
        ElevatorRetrofit.objects.filter(pk=retrofit.pk).update(notice_days=30)
        assert refused(retrofit, ElevatorStage.APPROVAL, date(2021, 5, 21)) == [
            MOVE_NOTICE_TOO_SHORT
        ]
        advance(retrofit, ElevatorStage.APPROVAL, date(2021, 5, 31))

    def test_construction_above_the_threshold_is_refused_without_a_permit(self):
        retrofit = at_stage(ElevatorStage.APPROVAL)
        assert refused(retrofit, ElevatorStage.CONSTRUCTION, date(2021, 6, 1)) == [
            MOVE_PERMIT_MISSING
        ]

    def test_construction_saves_the_permit_number_given_with_the_move(self):
        retrofit = at_stage(ElevatorStage.APPROVAL)
        advance(retrofit, ElevatorStage.CONSTRUCTION, date(2021, 6, 1), permit_number=" P-2021-7 ")
        retrofit.refresh_from_db()
        assert (retrofit.stage, retrofit.permit_number) == (ElevatorStage.CONSTRUCTION, "P-2021-7")

    def test_a_refused_move_does_not_keep_the_numbers_given_with_it(self):
        building = taian_building(
            safety_grade=SafetyGrade.D,
            appraised_on=date(2020, 1, 1),
            entrance_units=1,
            households=3,
        )
        retrofit = at_stage(ElevatorStage.APPROVAL, building=building)
        refused(retrofit, ElevatorStage.CONSTRUCTION, date(2021, 6, 1), permit_number="P-1")
        retrofit.refresh_from_db()
        assert retrofit.permit_number == ""

    def test_construction_at_the_threshold_needs_no_permit(self):
        retrofit = at_stage(ElevatorStage.APPROVAL, total_cost=D("300000.00"))
        advance(retrofit, ElevatorStage.CONSTRUCTION, date(2021, 6, 1))
        assert retrofit.stage == ElevatorStage.CONSTRUCTION

    def test_the_permit_threshold_is_a_setting(self, settings):
        settings.RENOVATION = {**settings.RENOVATION, "ELEVATOR_PERMIT_ABOVE": 500000}
        retrofit = at_stage(ElevatorStage.APPROVAL)  # ¥480,000
        advance(retrofit, ElevatorStage.CONSTRUCTION, date(2021, 6, 1))
        assert retrofit.stage == ElevatorStage.CONSTRUCTION

    @pytest.mark.parametrize("grade", [SafetyGrade.C, SafetyGrade.D])
    def test_construction_on_a_dangerous_building_is_refused(self, grade):
        building = taian_building(
            safety_grade=grade, appraised_on=date(2020, 1, 1), entrance_units=1, households=3
        )
        retrofit = at_stage(ElevatorStage.APPROVAL, building=building)
        codes = refused(retrofit, ElevatorStage.CONSTRUCTION, date(2021, 6, 1), permit_number="P")
        assert codes == [MOVE_REINFORCE_FIRST]

    def test_acceptance_follows_construction(self):
        retrofit = at_stage(ElevatorStage.ACCEPTANCE)
        assert retrofit.accepted_on == date(2021, 9, 1)

    def test_service_is_refused_without_the_registration_number(self):
        retrofit = at_stage(ElevatorStage.ACCEPTANCE)
        assert refused(retrofit, ElevatorStage.IN_SERVICE, date(2021, 9, 20)) == [
            MOVE_REGISTRATION_MISSING
        ]

    def test_service_with_the_registration_number_records_it(self):
        retrofit = at_stage(ElevatorStage.IN_SERVICE)
        retrofit.refresh_from_db()
        assert retrofit.registration_number == "梯11鲁J0001"
        assert ElevatorRetrofit.objects.in_service().filter(pk=retrofit.pk).exists()

    def test_every_move_is_in_the_history_in_order(self):
        retrofit = at_stage(ElevatorStage.IN_SERVICE)
        moves = list(retrofit.transitions.values_list("from_stage", "to_stage"))
        ordered = ElevatorStage.ordered()
        assert moves == [("", ordered[0]), *pairwise(ordered)]

    @pytest.mark.parametrize(
        ("stage", "to_stage"),
        [
            (ElevatorStage.CONSENT, ElevatorStage.PUBLIC_NOTICE),
            (ElevatorStage.PUBLIC_NOTICE, ElevatorStage.DESIGN),
            (ElevatorStage.CONSTRUCTION, ElevatorStage.CONSTRUCTION),
        ],
    )
    def test_it_refuses_skipping_going_back_or_staying(self, stage, to_stage):
        retrofit = at_stage(stage)
        assert refused(retrofit, to_stage, date(2021, 12, 1)) == [MOVE_NOT_NEXT_STAGE]

    def test_a_withdrawn_retrofit_keeps_its_history_and_moves_no_more(self, clerk):
        retrofit = at_stage(ElevatorStage.DESIGN)
        advance(retrofit, ElevatorStage.WITHDRAWN, date(2021, 5, 1), by=clerk, note="业主撤回")
        retrofit.refresh_from_db()
        assert retrofit.stage == ElevatorStage.WITHDRAWN
        assert (retrofit.consent_on, retrofit.design_on, retrofit.withdrawn_on) == (
            date(2021, 4, 1),
            date(2021, 4, 15),
            date(2021, 5, 1),
        )
        assert [move.to_stage for move in retrofit.transitions.all()] == [
            ElevatorStage.INTENTION,
            ElevatorStage.CONSENT,
            ElevatorStage.DESIGN,
            ElevatorStage.WITHDRAWN,
        ]
        assert refused(retrofit, ElevatorStage.PUBLIC_NOTICE, date(2021, 6, 1)) == [
            MOVE_FINAL_STAGE
        ]

    def test_a_withdrawn_unit_can_start_a_new_retrofit(self):
        retrofit = new_retrofit()
        advance(retrofit, ElevatorStage.WITHDRAWN, date(2021, 3, 5))
        again = new_retrofit(building=retrofit.building, on=date(2021, 8, 1))
        assert again.stage == ElevatorStage.INTENTION

    def test_an_elevator_in_service_cannot_be_withdrawn(self):
        retrofit = at_stage(ElevatorStage.IN_SERVICE)
        assert refused(retrofit, ElevatorStage.WITHDRAWN, date(2021, 12, 1)) == [MOVE_FINAL_STAGE]

    def test_it_rejects_a_date_before_the_stage_reached_before(self):
        retrofit = consented()
        with pytest.raises(ValidationError) as caught:
            advance(retrofit, ElevatorStage.DESIGN, date(2021, 3, 31))
        assert "design_on" in caught.value.message_dict
        assert StageTransition.objects.filter(retrofit=retrofit).count() == 2

    def test_it_rejects_a_future_date(self):
        with pytest.raises(ValidationError):
            advance(consented(), ElevatorStage.DESIGN, date.today() + timedelta(days=1))

    def test_it_rejects_an_unknown_stage(self):
        with pytest.raises(ValidationError):
            advance(consented(), "demolished", date(2021, 5, 1))

    def test_the_refusal_message_is_translated(self):
        retrofit = at_stage(ElevatorStage.ACCEPTANCE)
        with translation.override("en"), pytest.raises(WrongState) as caught:
            advance(retrofit, ElevatorStage.IN_SERVICE, date(2021, 9, 20))
        assert caught.value.messages == [
            "An elevator goes into service only with its special-equipment registration number."
        ]

    def test_the_public_notice_fixes_the_subsidy_by_the_rules_of_its_year(self):
        building = taian_building()
        retrofit = new_retrofit(building=building, on=date(2020, 9, 1))
        assert retrofit.subsidy == D("0.00")  # no rule in 2020
        households = add_households(building, SIX_FLOORS)
        cast(retrofit, households, [VoteChoice.AGREE] * len(households))
        advance(retrofit, ElevatorStage.CONSENT, date(2020, 10, 1))
        advance(retrofit, ElevatorStage.DESIGN, date(2020, 11, 1))
        advance(retrofit, ElevatorStage.PUBLIC_NOTICE, date(2021, 1, 10))
        retrofit.refresh_from_db()
        assert retrofit.subsidy == D("150000.00")
        assert retrofit.subsidy_rule.region_code == "370900"
        advance(retrofit, ElevatorStage.APPROVAL, date(2021, 2, 1))
        retrofit.refresh_from_db()
        assert retrofit.subsidy == D("150000.00")

    def test_the_approval_keeps_the_subsidy_the_notice_published(self):
        building = taian_building()
        retrofit = new_retrofit(building=building, on=date(2020, 9, 1))
        households = add_households(building, SIX_FLOORS)
        cast(retrofit, households, [VoteChoice.AGREE] * len(households))
        advance(retrofit, ElevatorStage.CONSENT, date(2020, 10, 1))
        advance(retrofit, ElevatorStage.DESIGN, date(2020, 11, 1))
        advance(retrofit, ElevatorStage.PUBLIC_NOTICE, date(2020, 12, 15))
        advance(retrofit, ElevatorStage.APPROVAL, date(2021, 1, 10))
        retrofit.refresh_from_db()
        assert retrofit.subsidy == D("0.00")  # no rule in 2020, when the shares were published

    def test_notice_and_approval_leave_a_subsidy_set_by_staff(self):
        retrofit = at_stage(ElevatorStage.DESIGN)
        services.elevator_retrofit_set_subsidy(
            retrofit=retrofit, amount=D("100000.00"), reason="区级专项资金替代"
        )
        advance(retrofit, ElevatorStage.PUBLIC_NOTICE, date(2021, 5, 1))
        advance(retrofit, ElevatorStage.APPROVAL, date(2021, 5, 21))
        retrofit.refresh_from_db()
        assert retrofit.subsidy == D("100000.00")

    def test_it_updates_the_callers_instance(self):
        retrofit = consented()
        advance(retrofit, ElevatorStage.DESIGN, date(2021, 4, 15))
        assert (retrofit.stage, retrofit.design_on) == (ElevatorStage.DESIGN, date(2021, 4, 15))

    def test_a_move_runs_a_known_number_of_queries(self, django_assert_num_queries):
        retrofit = at_stage(ElevatorStage.PUBLIC_NOTICE)
        # 25, most of them Django's own validation:
        #   the transaction's SAVEPOINT and RELEASE (2);
        #   the locked retrofit with its building and vote rule (1);
        #   its unanswered objections to the notice, counted (1);
        #   (the subsidy was fixed by the public notice: none here)
        #   full_clean(): building, subsidy rule and vote rule exist (3); votes recorded, and
        #   their tally (2); its 9 check constraints in one query in a savepoint (3) and its 2
        #   unique constraints, each in its own savepoint (6) (core.constraints);
        #   UPDATE and the history INSERT (2);
        #   the move: its retrofit exists (1), its constraint (3), INSERT (1).
        with django_assert_num_queries(25):
            advance(retrofit, ElevatorStage.APPROVAL, date(2021, 5, 21))


# --- Subsidy and costs -----------------------------------------------------------------------


class TestSubsidyAndCosts:
    def test_staff_can_set_the_subsidy_with_a_reason(self):
        retrofit = new_retrofit()
        services.elevator_retrofit_set_subsidy(
            retrofit=retrofit, amount=D("90000.00"), reason="  按区政府会议纪要  "
        )
        retrofit.refresh_from_db()
        assert (retrofit.subsidy, retrofit.subsidy_override) == (D("90000.00"), True)
        assert retrofit.subsidy_override_reason == "按区政府会议纪要"
        assert retrofit.subsidy_rule is None

    def test_staff_cannot_set_the_subsidy_without_a_reason(self):
        retrofit = new_retrofit()
        with pytest.raises(ValidationError) as caught:
            services.elevator_retrofit_set_subsidy(retrofit=retrofit, amount=D("90000.00"))
        assert "subsidy_override_reason" in caught.value.message_dict
        retrofit.refresh_from_db()
        assert retrofit.subsidy == D("150000.00")

    def test_clearing_the_override_goes_back_to_the_rules(self):
        retrofit = new_retrofit()
        services.elevator_retrofit_set_subsidy(retrofit=retrofit, amount=D("1.00"), reason="x")
        services.elevator_retrofit_set_subsidy(retrofit=retrofit, amount=None)
        retrofit.refresh_from_db()
        assert (retrofit.subsidy, retrofit.subsidy_override) == (D("150000.00"), False)
        assert retrofit.subsidy_override_reason == ""

    def test_a_lower_cost_lowers_the_computed_subsidy(self):
        retrofit = new_retrofit()
        services.elevator_retrofit_set_costs(retrofit=retrofit, total_cost=D("120000.00"))
        assert retrofit.subsidy == D("120000.00")
        services.elevator_retrofit_set_costs(
            retrofit=retrofit, total_cost=D("400000.00"), other_funding=D("50000.00")
        )
        retrofit.refresh_from_db()
        assert (retrofit.subsidy, retrofit.owners_part) == (D("150000.00"), D("200000.00"))

    def test_a_cost_below_a_subsidy_set_by_staff_is_refused(self):
        retrofit = new_retrofit()
        services.elevator_retrofit_set_subsidy(retrofit=retrofit, amount=D("150000"), reason="x")
        with pytest.raises(ValidationError):
            services.elevator_retrofit_set_costs(retrofit=retrofit, total_cost=D("100000.00"))

    def test_the_quote_names_the_rule_and_year(self):
        retrofit = new_retrofit()
        quote = retrofit.subsidy_quote(year=2020)
        assert (quote.rule, quote.amount, quote.year) == (None, D("0.00"), 2020)
        quote = retrofit.subsidy_quote()
        assert (quote.rule.region_code, quote.amount, quote.year) == (
            "370900",
            D("150000.00"),
            2021,
        )


# --- Votes -----------------------------------------------------------------------------------


class TestOwnerVoteRecord:
    def test_a_second_answer_replaces_the_first(self):
        building = taian_building()
        retrofit = new_retrofit(building=building)
        [household] = add_households(building, [(4, "401", "90.00")])
        cast(retrofit, [household], [VoteChoice.DISAGREE])
        cast(retrofit, [household], [VoteChoice.AGREE])
        [record] = OwnerVote.objects.filter(retrofit=retrofit)
        assert record.choice == VoteChoice.AGREE
        assert record.history.count() == 2

    def test_it_refuses_a_household_of_another_unit(self):
        building = taian_building()
        retrofit = new_retrofit(building=building)
        [other] = add_households(building, [(4, "401", "90.00")], unit=2)
        with pytest.raises(ValidationError):
            cast(retrofit, [other], [VoteChoice.AGREE])

    def test_it_refuses_votes_once_consent_is_recorded(self):
        retrofit = consented()
        household = retrofit.unit_households().first()
        with pytest.raises(ValidationError) as caught:
            cast(retrofit, [household], [VoteChoice.DISAGREE])
        assert "retrofit" in caught.value.message_dict


# --- Reads: the vote summary and the cost shares ---------------------------------------------


class TestVoteSummary:
    def test_it_tallies_the_unit_by_area_and_headcount(self):
        building = taian_building()
        retrofit = new_retrofit(building=building)
        households = add_households(
            building, [(3, "301", "90.00"), (4, "401", "90.00"), (5, "501", "60.00")]
        )
        add_households(building, [(6, "601", "99.00")], unit=2)  # another unit: not counted
        cast(retrofit, households[:2], [VoteChoice.AGREE, VoteChoice.ABSTAIN])
        summary = retrofit.vote_summary()
        assert (summary.households, summary.area_total) == (3, D("240.00"))
        assert (summary.participating_count, summary.participating_area) == (2, D("180.00"))
        assert summary.participation_area_ratio == Fraction(3, 4)
        assert summary.approval_headcount_ratio == Fraction(1, 2)
        assert not summary.passes

    def test_it_ignores_votes_on_another_retrofit_of_the_unit(self):
        building = taian_building()
        old = new_retrofit(building=building)
        households = add_households(building, [(3, "301", "90.00"), (4, "401", "90.00")])
        cast(old, households, [VoteChoice.AGREE, VoteChoice.AGREE])
        advance(old, ElevatorStage.WITHDRAWN, date(2021, 3, 20))
        fresh = new_retrofit(building=building, on=date(2021, 8, 1))
        assert fresh.vote_summary().participating_count == 0

    def test_it_lists_each_household_with_its_vote(self):
        building = taian_building()
        retrofit = new_retrofit(building=building)
        households = add_households(building, [(3, "301", "90.00"), (4, "401", "90.00")])
        cast(retrofit, households[:1], [VoteChoice.AGREE])
        rows = list(retrofit.households_with_votes().values_list("room_number", "vote", "voted_on"))
        assert rows == [("301", "agree", START), ("401", None, None)]

    def test_it_takes_one_query_with_the_rule_and_building_loaded(self, django_assert_num_queries):
        building = taian_building()
        retrofit = new_retrofit(building=building)
        cast(retrofit, add_households(building, SIX_FLOORS), [VoteChoice.AGREE] * 12)
        retrofit = ElevatorRetrofit.objects.select_related("vote_rule", "building").get(
            pk=retrofit.pk
        )
        # The unit's households, each with its vote from a subquery.
        with django_assert_num_queries(1):
            assert retrofit.vote_summary().passes


class TestCostSharing:
    def test_it_shares_the_owners_part_by_floor_to_the_cent(self):
        building = taian_building(storeys=7)
        retrofit = new_retrofit(building=building, total_cost=D("250000.01"))
        add_households(building, [(floor, f"{floor}01", "80.00") for floor in range(1, 8)])
        sharing = retrofit.cost_sharing()
        assert sharing.owners_part == D("100000.01")
        assert sharing.problem is None
        assert [row.share for row in sharing.households] == [
            D("0.00"),
            D("0.00"),
            D("15555.56"),
            D("17777.78"),
            D("20000.00"),
            D("22222.22"),
            D("24444.45"),
        ]
        assert sum(floor.amount for floor in sharing.floors) == D("100000.01")

    def test_staff_see_names_and_the_public_does_not(self):
        building = taian_building()
        retrofit = new_retrofit(building=building)
        add_households(building, [(3, "301", "80.00")])
        [staff_row] = retrofit.cost_sharing().households
        [public_row] = retrofit.cost_sharing(public=True).households
        assert isinstance(staff_row, NamedHouseholdShare)
        assert staff_row.owner_name == "业主301"
        assert not hasattr(public_row, "owner_name")
        assert not hasattr(public_row, "owner_phone")
        assert public_row.share == staff_row.share == D("330000.00")

    def test_per_floor_totals(self):
        building = taian_building()
        retrofit = new_retrofit(building=building)
        add_households(building, SIX_FLOORS)
        floors = retrofit.cost_sharing().floors
        assert [(f.floor, f.households, f.area, f.coefficient) for f in floors[:3]] == [
            (1, 2, D("160.00"), D("0")),
            (2, 2, D("160.00"), D("0")),
            (3, 2, D("160.00"), D("0.7")),
        ]
        assert sum(floor.amount for floor in floors) == D("330000.00")

    def test_it_uses_the_retrofits_own_coefficients(self):
        building = taian_building()
        retrofit = new_retrofit(building=building, total_cost=D("250000.00"))
        add_households(building, [(2, "201", "80.00"), (3, "301", "80.00")])
        retrofit.floor_coefficients = {"2": "0.3"}
        retrofit.full_clean()
        retrofit.save()
        shares = [row.share for row in retrofit.cost_sharing().households]
        assert shares == [D("30000.00"), D("70000.00")]

    def test_it_explains_when_only_ground_floors_are_recorded(self):
        building = taian_building()
        retrofit = new_retrofit(building=building)
        add_households(building, [(1, "101", "80.00"), (2, "201", "80.00")])
        sharing = retrofit.cost_sharing()
        assert sharing.problem
        assert [row.share for row in sharing.households] == [None, None]
        assert sharing.floors == []

    def test_it_explains_when_no_households_are_recorded(self):
        sharing = new_retrofit().cost_sharing()
        assert sharing.problem
        assert sharing.households == []

    def test_it_takes_one_query(self, django_assert_num_queries):
        building = taian_building()
        retrofit = new_retrofit(building=building)
        add_households(building, SIX_FLOORS)
        # The unit's households (with names for staff).
        with django_assert_num_queries(1):
            retrofit.cost_sharing()
        with django_assert_num_queries(1):
            retrofit.cost_sharing(public=True)


def test_a_stale_retrofit_cannot_reopen_a_closed_vote():
    retrofit = consented()
    stale = ElevatorRetrofit.objects.get(pk=retrofit.pk)
    stale.stage = ElevatorStage.INTENTION  # as read before the move to consent
    household = retrofit.unit_households().first()
    with pytest.raises(ValidationError) as caught:
        cast(stale, [household], [VoteChoice.DISAGREE])
    assert "retrofit" in caught.value.message_dict
