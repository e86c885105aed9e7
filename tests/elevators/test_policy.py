"""The elevator rules as pure functions: the vote, stage guards, subsidy rules, cost sharing.

No database: these are the rules every surface goes through (``elevators/policy.py``).
"""

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from communities.elevators.choices import ElevatorStage
from communities.elevators.policy import (
    CHENGDU_2018,
    CIVIL_CODE_278,
    MOVE_FINAL_STAGE,
    MOVE_NOT_NEXT_STAGE,
    MOVE_NOTICE_TOO_SHORT,
    MOVE_PERMIT_MISSING,
    MOVE_REGISTRATION_MISSING,
    MOVE_REINFORCE_FIRST,
    MOVE_VOTE_NOT_PASSED,
    VOTE_ABSENT,
    VOTE_ABSTAIN,
    VOTE_AGREE,
    VOTE_APPROVAL_AREA,
    VOTE_APPROVAL_HEADCOUNT,
    VOTE_DISAGREE,
    VOTE_NO_HOUSEHOLDS,
    VOTE_OBJECTION,
    VOTE_PARTICIPATION_AREA,
    VOTE_PARTICIPATION_HEADCOUNT,
    Ballot,
    CostSharingImpossible,
    ShareUnit,
    StageMove,
    SubsidyTerms,
    default_floor_coefficient,
    elevator_move_unmet,
    elevator_stage_reached,
    format_share,
    next_elevator_stage,
    pick_subsidy_rule,
    region_prefix,
    room_sort_key,
    share_cost,
    shares_by_floor,
    subsidy_amount,
    tally_vote,
)
from communities.places.choices import SafetyGrade

D = Decimal


def ballots(*groups: tuple[int, str | None, str]) -> list[Ballot]:
    """``(count, vote, area)`` groups into ballots."""
    return [Ballot(area=D(area), vote=vote) for count, vote, area in groups for _ in range(count)]


def tally(rule, *groups):
    return tally_vote(ballots=ballots(*groups), rule=rule)


# --- The vote under the Civil Code (art. 278) -------------------------------------------------


class TestCivilCodeParticipation:
    def test_it_passes_with_exactly_two_thirds_taking_part_by_area_and_headcount(self):
        summary = tally(CIVIL_CODE_278, (2, VOTE_AGREE, "100.00"), (1, None, "100.00"))
        assert summary.participation_area_ratio == Fraction(2, 3)
        assert summary.participation_headcount_ratio == Fraction(2, 3)
        assert summary.passes
        assert summary.failed == ()

    def test_it_passes_with_exactly_two_thirds_of_the_area_on_unequal_flats(self):
        summary = tally(
            CIVIL_CODE_278,
            (1, VOTE_AGREE, "120.00"),
            (1, VOTE_AGREE, "80.00"),
            (1, VOTE_ABSENT, "100.00"),
        )
        assert summary.participation_area_ratio == Fraction(2, 3)
        assert summary.passes

    def test_it_fails_when_the_area_taking_part_is_one_square_centimetre_short(self):
        # 199.9999 of 299.9999 m² took part: 0.0001 m² (1 cm²) short of 2/3.
        summary = tally(
            CIVIL_CODE_278,
            (1, VOTE_AGREE, "100.0000"),
            (1, VOTE_AGREE, "99.9999"),
            (1, None, "100.0000"),
        )
        assert summary.participation_area_ratio < Fraction(2, 3)
        assert summary.participation_headcount_ratio == Fraction(2, 3)
        assert summary.failed == (VOTE_PARTICIPATION_AREA,)

    def test_it_fails_when_the_area_taking_part_is_one_hundredth_of_a_square_metre_short(self):
        # The smallest step the register records (0.01 m²).
        summary = tally(
            CIVIL_CODE_278,
            (1, VOTE_AGREE, "100.00"),
            (1, VOTE_AGREE, "99.99"),
            (1, None, "100.00"),
        )
        assert summary.failed == (VOTE_PARTICIPATION_AREA,)

    def test_it_passes_with_exactly_six_of_nine_households_taking_part(self):
        summary = tally(CIVIL_CODE_278, (6, VOTE_AGREE, "80.00"), (3, None, "80.00"))
        assert summary.participation_headcount_ratio == Fraction(2, 3)
        assert summary.passes

    def test_it_fails_when_one_household_short_of_two_thirds_take_part(self):
        # Five big flats of nine take part: enough area (500/540), one household too few.
        summary = tally(CIVIL_CODE_278, (5, VOTE_AGREE, "100.00"), (4, None, "10.00"))
        assert summary.participation_area_ratio > Fraction(2, 3)
        assert summary.participation_headcount_ratio == Fraction(5, 9)
        assert summary.failed == (VOTE_PARTICIPATION_HEADCOUNT,)

    def test_it_counts_abstaining_as_taking_part_without_agreeing(self):
        summary = tally(
            CIVIL_CODE_278,
            (6, VOTE_AGREE, "90.00"),
            (2, VOTE_ABSTAIN, "90.00"),
            (4, VOTE_ABSENT, "90.00"),
        )
        assert summary.participating_count == 8
        assert summary.abstain_count == 2
        assert summary.approval_headcount_ratio == Fraction(6, 8)
        assert summary.passes

    def test_it_counts_households_without_a_record_as_not_taking_part(self):
        with_record = tally(CIVIL_CODE_278, (2, VOTE_AGREE, "50.00"), (1, VOTE_ABSENT, "50.00"))
        without = tally(CIVIL_CODE_278, (2, VOTE_AGREE, "50.00"), (1, None, "50.00"))
        assert with_record == without
        assert without.absent_count == 1
        assert without.absent_area == D("50.00")


class TestCivilCodeApproval:
    def test_it_passes_with_exactly_three_quarters_of_the_participants_agreeing(self):
        summary = tally(CIVIL_CODE_278, (3, VOTE_AGREE, "90.00"), (1, VOTE_DISAGREE, "90.00"))
        assert summary.approval_area_ratio == Fraction(3, 4)
        assert summary.approval_headcount_ratio == Fraction(3, 4)
        assert summary.passes

    def test_it_fails_when_the_agreeing_area_is_one_square_centimetre_short(self):
        summary = tally(
            CIVIL_CODE_278,
            (2, VOTE_AGREE, "90.0000"),
            (1, VOTE_AGREE, "89.9999"),
            (1, VOTE_DISAGREE, "90.0000"),
        )
        assert summary.approval_area_ratio < Fraction(3, 4)
        assert summary.approval_headcount_ratio == Fraction(3, 4)
        assert summary.failed == (VOTE_APPROVAL_AREA,)

    def test_it_fails_when_one_participating_household_short_of_three_quarters_agree(self):
        # 5 of 8 participants agree (6 needed), holding most of the area.
        summary = tally(CIVIL_CODE_278, (5, VOTE_AGREE, "120.00"), (3, VOTE_DISAGREE, "20.00"))
        assert summary.approval_area_ratio > Fraction(3, 4)
        assert summary.approval_headcount_ratio == Fraction(5, 8)
        assert summary.failed == (VOTE_APPROVAL_HEADCOUNT,)

    def test_it_passes_with_six_of_eight_participants_when_four_stayed_away(self):
        # 6 agree of 8 taking part of 12: 3/4 of the participants, only half of all owners.
        summary = tally(
            CIVIL_CODE_278,
            (6, VOTE_AGREE, "70.00"),
            (2, VOTE_DISAGREE, "70.00"),
            (4, None, "70.00"),
        )
        assert summary.passes

    def test_it_reports_every_unmet_condition_in_order(self):
        summary = tally(CIVIL_CODE_278, (1, VOTE_AGREE, "50.00"), (1, VOTE_DISAGREE, "50.00"))
        summary_absent = tally(CIVIL_CODE_278, (1, VOTE_AGREE, "50.00"), (3, None, "50.00"))
        assert summary.failed == (VOTE_APPROVAL_AREA, VOTE_APPROVAL_HEADCOUNT)
        assert summary_absent.failed == (
            VOTE_PARTICIPATION_AREA,
            VOTE_PARTICIPATION_HEADCOUNT,
        )

    def test_it_fails_a_unit_with_no_households(self):
        summary = tally_vote(ballots=[], rule=CIVIL_CODE_278)
        assert summary.failed == (VOTE_NO_HOUSEHOLDS,)
        assert summary.participation_area_ratio is None

    def test_it_fails_when_nobody_takes_part(self):
        summary = tally(CIVIL_CODE_278, (4, None, "60.00"))
        assert summary.approval_area_ratio is None
        assert VOTE_APPROVAL_AREA in summary.failed


# --- The vote under Chengdu 2018 -------------------------------------------------------------


class TestChengduRule:
    def test_it_passes_with_exactly_two_thirds_of_all_owners_agreeing_and_no_objection(self):
        summary = tally(CHENGDU_2018, (6, VOTE_AGREE, "80.00"), (3, None, "80.00"))
        assert summary.approval_area_ratio == Fraction(2, 3)
        assert summary.approval_headcount_ratio == Fraction(2, 3)
        assert summary.passes

    def test_it_fails_when_the_agreeing_area_is_one_square_centimetre_short(self):
        summary = tally(
            CHENGDU_2018,
            (1, VOTE_AGREE, "100.0000"),
            (1, VOTE_AGREE, "99.9999"),
            (1, VOTE_ABSTAIN, "100.0000"),
        )
        assert summary.failed == (VOTE_APPROVAL_AREA,)

    def test_it_fails_when_one_household_short_of_two_thirds_of_all_agree(self):
        summary = tally(CHENGDU_2018, (5, VOTE_AGREE, "100.00"), (4, VOTE_ABSTAIN, "10.00"))
        assert summary.approval_headcount_ratio == Fraction(5, 9)
        assert summary.failed == (VOTE_APPROVAL_HEADCOUNT,)

    def test_it_fails_on_a_single_objection_that_the_civil_code_would_outvote(self):
        groups = ((8, VOTE_AGREE, "80.00"), (1, VOTE_DISAGREE, "80.00"))
        assert tally(CIVIL_CODE_278, *groups).passes
        assert tally(CHENGDU_2018, *groups).failed == (VOTE_OBJECTION,)

    def test_it_counts_approval_among_all_owners_not_only_participants(self):
        groups = ((6, VOTE_AGREE, "70.00"), (2, VOTE_ABSTAIN, "70.00"), (4, None, "70.00"))
        assert tally(CIVIL_CODE_278, *groups).passes
        chengdu = tally(CHENGDU_2018, *groups)
        assert chengdu.approval_headcount_ratio == Fraction(6, 12)
        assert chengdu.failed == (VOTE_APPROVAL_AREA, VOTE_APPROVAL_HEADCOUNT)

    def test_it_sets_no_participation_threshold(self):
        summary = tally(CHENGDU_2018, (2, VOTE_AGREE, "80.00"), (1, None, "1.00"))
        assert summary.participation_headcount_ratio == Fraction(2, 3)
        assert summary.passes


class TestVoteSummaryOutput:
    def test_it_explains_each_failure_in_english(self):
        summary = tally(CHENGDU_2018, (5, VOTE_AGREE, "100.00"), (4, VOTE_DISAGREE, "10.00"))
        with translation.override("en"):
            messages = summary.failure_messages()
        assert messages == [
            "At least 2/3 of the owners must agree; 55.55% did.",
            "The rule allows no objection; 4 owner(s) disagreed.",
        ]

    def test_it_rounds_displayed_shares_down_so_a_short_vote_never_looks_met(self):
        assert format_share(Fraction(2, 3)) == "66.66%"
        assert format_share(Fraction(3, 4)) == "75.00%"
        assert format_share(None) == "—"

    def test_it_serialises_exact_ratios_as_fractions(self):
        summary = tally(CIVIL_CODE_278, (3, VOTE_AGREE, "90.50"), (1, VOTE_DISAGREE, "90.50"))
        data = summary.as_dict()
        assert data["approval_headcount_ratio"] == "3/4"
        assert data["participation_area_ratio"] == "1"
        assert data["area_total"] == "362.00"
        assert data["thresholds"]["approval_area"] == "3/4"
        assert data["passes"] is True
        assert data["failed"] == []


# --- Stage guards ----------------------------------------------------------------------------

NOTICE_ON = date(2021, 5, 1)


def unmet_codes(stage, to_stage, **facts) -> list[str]:
    facts.setdefault("on", date(2021, 6, 1))
    move = StageMove(stage=stage, to_stage=to_stage, **facts)
    return [condition.code for condition in elevator_move_unmet(move)]


PASSED = tally(CIVIL_CODE_278, (3, VOTE_AGREE, "80.00"))
FAILED = tally(CIVIL_CODE_278, (1, VOTE_AGREE, "80.00"), (2, VOTE_DISAGREE, "80.00"))


class TestStageGuards:
    def test_consent_is_allowed_after_a_passed_vote(self):
        assert unmet_codes(ElevatorStage.INTENTION, ElevatorStage.CONSENT, vote=PASSED) == []

    def test_consent_is_refused_after_a_failed_vote_with_the_reasons(self):
        move = StageMove(
            stage=ElevatorStage.INTENTION, to_stage=ElevatorStage.CONSENT, on=NOTICE_ON, vote=FAILED
        )
        with translation.override("en"):
            [condition] = elevator_move_unmet(move)
        assert condition.code == MOVE_VOTE_NOT_PASSED
        assert condition.message.startswith("The owners' vote has not passed.")
        assert "participating owners must agree" in condition.message

    def test_consent_is_refused_without_a_vote(self):
        assert unmet_codes(ElevatorStage.INTENTION, ElevatorStage.CONSENT) == [MOVE_VOTE_NOT_PASSED]

    @pytest.mark.parametrize(
        ("stage", "to_stage"),
        [
            (ElevatorStage.CONSENT, ElevatorStage.DESIGN),
            (ElevatorStage.DESIGN, ElevatorStage.PUBLIC_NOTICE),
            (ElevatorStage.CONSTRUCTION, ElevatorStage.ACCEPTANCE),
        ],
    )
    def test_stages_without_a_condition_of_their_own_are_allowed(self, stage, to_stage):
        assert unmet_codes(stage, to_stage) == []

    def test_approval_is_allowed_once_the_notice_has_lasted_its_days(self):
        assert (
            unmet_codes(
                ElevatorStage.PUBLIC_NOTICE,
                ElevatorStage.APPROVAL,
                on=NOTICE_ON + timedelta(days=20),
                notice_on=NOTICE_ON,
                notice_days=20,
            )
            == []
        )

    def test_approval_is_refused_a_day_before_the_notice_has_lasted_its_days(self):
        move = StageMove(
            stage=ElevatorStage.PUBLIC_NOTICE,
            to_stage=ElevatorStage.APPROVAL,
            on=NOTICE_ON + timedelta(days=19),
            notice_on=NOTICE_ON,
            notice_days=20,
        )
        with translation.override("en"):
            [condition] = elevator_move_unmet(move)
        assert condition.code == MOVE_NOTICE_TOO_SHORT
        assert "2021-05-21" in condition.message

    def test_approval_counts_the_retrofits_own_notice_days(self):
        codes = unmet_codes(
            ElevatorStage.PUBLIC_NOTICE,
            ElevatorStage.APPROVAL,
            on=NOTICE_ON + timedelta(days=20),
            notice_on=NOTICE_ON,
            notice_days=30,
        )
        assert codes == [MOVE_NOTICE_TOO_SHORT]

    def test_construction_at_the_threshold_needs_no_permit(self):
        assert (
            unmet_codes(
                ElevatorStage.APPROVAL, ElevatorStage.CONSTRUCTION, total_cost=D("300000.00")
            )
            == []
        )

    def test_construction_a_cent_above_the_threshold_needs_a_permit(self):
        codes = unmet_codes(
            ElevatorStage.APPROVAL, ElevatorStage.CONSTRUCTION, total_cost=D("300000.01")
        )
        assert codes == [MOVE_PERMIT_MISSING]

    def test_construction_above_the_threshold_is_allowed_with_a_permit(self):
        codes = unmet_codes(
            ElevatorStage.APPROVAL,
            ElevatorStage.CONSTRUCTION,
            total_cost=D("480000.00"),
            permit_number="370902202106010101",
        )
        assert codes == []

    def test_a_blank_permit_number_does_not_count(self):
        codes = unmet_codes(
            ElevatorStage.APPROVAL,
            ElevatorStage.CONSTRUCTION,
            total_cost=D("480000.00"),
            permit_number="   ",
        )
        assert codes == [MOVE_PERMIT_MISSING]

    @pytest.mark.parametrize("grade", [SafetyGrade.C, SafetyGrade.D])
    def test_construction_on_a_dangerous_building_is_refused_reinforce_first(self, grade):
        codes = unmet_codes(ElevatorStage.APPROVAL, ElevatorStage.CONSTRUCTION, safety_grade=grade)
        assert codes == [MOVE_REINFORCE_FIRST]

    @pytest.mark.parametrize("grade", [SafetyGrade.A, SafetyGrade.B, SafetyGrade.UNAPPRAISED])
    def test_construction_on_a_sound_building_is_allowed(self, grade):
        assert (
            unmet_codes(ElevatorStage.APPROVAL, ElevatorStage.CONSTRUCTION, safety_grade=grade)
            == []
        )

    def test_construction_reports_both_reinforcement_and_permit(self):
        codes = unmet_codes(
            ElevatorStage.APPROVAL,
            ElevatorStage.CONSTRUCTION,
            safety_grade=SafetyGrade.C,
            total_cost=D("500000.00"),
        )
        assert codes == [MOVE_REINFORCE_FIRST, MOVE_PERMIT_MISSING]

    def test_service_is_refused_without_the_registration_number(self):
        assert unmet_codes(ElevatorStage.ACCEPTANCE, ElevatorStage.IN_SERVICE) == [
            MOVE_REGISTRATION_MISSING
        ]

    def test_service_is_allowed_with_the_registration_number(self):
        codes = unmet_codes(
            ElevatorStage.ACCEPTANCE,
            ElevatorStage.IN_SERVICE,
            registration_number="梯11鲁J00001(21)",
        )
        assert codes == []

    @pytest.mark.parametrize(
        ("stage", "to_stage"),
        [
            (ElevatorStage.INTENTION, ElevatorStage.DESIGN),  # skips consent
            (ElevatorStage.DESIGN, ElevatorStage.APPROVAL),  # skips the notice
            (ElevatorStage.APPROVAL, ElevatorStage.IN_SERVICE),
            (ElevatorStage.CONSTRUCTION, ElevatorStage.APPROVAL),  # backwards
            (ElevatorStage.DESIGN, ElevatorStage.DESIGN),  # nowhere
        ],
    )
    def test_it_refuses_anything_but_the_next_stage(self, stage, to_stage):
        assert unmet_codes(stage, to_stage, vote=PASSED) == [MOVE_NOT_NEXT_STAGE]

    @pytest.mark.parametrize(
        "stage", [s for s in ElevatorStage.ordered() if s != ElevatorStage.IN_SERVICE]
    )
    def test_it_allows_withdrawing_from_every_stage_before_service(self, stage):
        assert unmet_codes(stage, ElevatorStage.WITHDRAWN) == []

    @pytest.mark.parametrize("stage", [ElevatorStage.IN_SERVICE, ElevatorStage.WITHDRAWN])
    @pytest.mark.parametrize("to_stage", [ElevatorStage.WITHDRAWN, ElevatorStage.CONSENT])
    def test_nothing_moves_from_a_final_stage(self, stage, to_stage):
        assert unmet_codes(stage, to_stage) == [MOVE_FINAL_STAGE]

    def test_next_stage_follows_the_order_and_ends(self):
        assert next_elevator_stage(ElevatorStage.INTENTION) == ElevatorStage.CONSENT
        assert next_elevator_stage(ElevatorStage.ACCEPTANCE) == ElevatorStage.IN_SERVICE
        assert next_elevator_stage(ElevatorStage.IN_SERVICE) is None
        assert next_elevator_stage(ElevatorStage.WITHDRAWN) is None

    def test_a_withdrawn_retrofit_has_reached_the_stages_it_has_dates_for(self):
        dates = {ElevatorStage.CONSENT: date(2021, 4, 1)}
        assert elevator_stage_reached(ElevatorStage.WITHDRAWN, ElevatorStage.CONSENT, dates=dates)
        assert not elevator_stage_reached(
            ElevatorStage.WITHDRAWN, ElevatorStage.DESIGN, dates=dates
        )


# --- Subsidy rules ---------------------------------------------------------------------------

TAIAN_2021 = SubsidyTerms(
    key="taian",
    region_code="370900",
    min_storeys=4,
    amount_per_elevator=D("150000.00"),
    valid_from_year=2021,
)
TAISHAN = "370902"  # 泰山区, a district of Tai'an


COST = D("500000.00")


def subsidy(rules, *, storeys=6, year=2022, region_code=TAISHAN, total_cost=COST):
    terms = pick_subsidy_rule(rules, region_code=region_code, storeys=storeys, year=year)
    return terms, subsidy_amount(terms, total_cost=total_cost)


class TestSubsidyRules:
    def test_taian_gives_150000_to_a_building_of_four_storeys(self):
        assert subsidy([TAIAN_2021], storeys=4) == (TAIAN_2021, D("150000.00"))

    def test_a_building_below_the_minimum_storeys_gets_nothing(self):
        assert subsidy([TAIAN_2021], storeys=3) == (None, D("0.00"))

    def test_a_rule_does_not_apply_before_its_first_year(self):
        assert subsidy([TAIAN_2021], year=2020) == (None, D("0.00"))

    def test_a_rule_does_not_apply_after_its_last_year(self):
        ended = SubsidyTerms(**{**TAIAN_2021.__dict__, "valid_to_year": 2022})
        assert subsidy([ended], year=2022)[1] == D("150000.00")
        assert subsidy([ended], year=2023) == (None, D("0.00"))

    def test_a_rule_does_not_apply_outside_its_region(self):
        assert subsidy([TAIAN_2021], region_code="370102") == (None, D("0.00"))  # Jinan

    def test_the_subsidy_never_exceeds_the_cost(self):
        assert subsidy([TAIAN_2021], total_cost=D("120000.50"))[1] == D("120000.50")

    def test_the_cap_limits_the_subsidy_to_a_share_of_the_cost(self):
        capped = SubsidyTerms(**{**TAIAN_2021.__dict__, "cap_percent": D("40")})
        assert subsidy([capped], total_cost=D("300000.00"))[1] == D("120000.00")
        assert subsidy([capped], total_cost=D("500000.00"))[1] == D("150000.00")

    def test_the_cap_rounds_down_to_the_cent(self):
        capped = SubsidyTerms(**{**TAIAN_2021.__dict__, "cap_percent": D("33.33")})
        # 100000.01 × 33.33% = 33330.0033…
        assert subsidy([capped], total_cost=D("100000.01"))[1] == D("33330.00")

    def test_no_cost_means_no_subsidy(self):
        assert subsidy([TAIAN_2021], total_cost=D("0"))[1] == D("0.00")

    def test_the_most_local_rule_wins(self):
        province = SubsidyTerms(
            key="shandong",
            region_code="370000",
            min_storeys=4,
            amount_per_elevator=D("100000.00"),
            valid_from_year=2020,
        )
        district = SubsidyTerms(
            key="taishan",
            region_code=TAISHAN,
            min_storeys=4,
            amount_per_elevator=D("180000.00"),
            valid_from_year=2021,
        )
        rules = [province, TAIAN_2021, district]
        assert subsidy(rules)[0] == district
        assert subsidy(rules, region_code="370911")[0] == TAIAN_2021  # 岱岳区
        assert subsidy(rules, region_code="370102")[0] == province  # Jinan
        assert subsidy(rules, region_code="510104")[0] is None  # Chengdu

    def test_taller_buildings_get_their_own_tier(self):
        tall = SubsidyTerms(
            key="tall",
            region_code="370900",
            min_storeys=7,
            amount_per_elevator=D("200000.00"),
            valid_from_year=2021,
        )
        assert subsidy([TAIAN_2021, tall], storeys=6)[0] == TAIAN_2021
        assert subsidy([TAIAN_2021, tall], storeys=7)[0] == tall

    def test_a_newer_rule_replaces_an_older_one(self):
        newer = SubsidyTerms(**{**TAIAN_2021.__dict__, "key": "2023", "valid_from_year": 2023})
        assert subsidy([TAIAN_2021, newer], year=2022)[0] == TAIAN_2021
        assert subsidy([TAIAN_2021, newer], year=2023)[0] == newer

    def test_region_prefix_drops_trailing_zero_pairs(self):
        assert region_prefix("370900") == "3709"
        assert region_prefix("370000") == "37"
        assert region_prefix("370902") == "370902"


# --- Cost sharing by floor -------------------------------------------------------------------


def units(*rows) -> list[ShareUnit]:
    """``(floor, room, area)`` rows into share units keyed by room."""
    return [
        ShareUnit(key=room, floor=floor, room_number=room, area=D(area))
        for floor, room, area in rows
    ]


def seven_floors(area="80.00") -> list[ShareUnit]:
    return units(*[(floor, f"{floor}01", area) for floor in range(1, 8)])


class TestCostSharing:
    def test_the_common_scheme(self):
        expected = {1: "0", 2: "0", 3: "0.7", 4: "0.8", 5: "0.9", 6: "1.0", 7: "1.1", 8: "1.2"}
        for floor, coefficient in expected.items():
            assert default_floor_coefficient(floor) == D(coefficient)
        assert default_floor_coefficient(9) == D("1.3")

    def test_floors_above_nine_go_on_rising_by_a_tenth(self):
        assert default_floor_coefficient(10) == D("1.4")
        assert default_floor_coefficient(12) == D("1.6")

    def test_it_adds_up_to_the_cent_on_an_awkward_total_over_seven_households(self):
        shares = share_cost(owners_part=D("100000.01"), units=seven_floors())
        assert sum(share.amount for share in shares) == D("100000.01")
        # Weights 0.7 + 0.8 + 0.9 + 1.0 + 1.1 = 4.5 of equal areas: 3F pays 0.7/4.5.
        assert [share.amount for share in shares] == [
            D("0.00"),
            D("0.00"),
            D("15555.56"),
            D("17777.78"),
            D("20000.00"),
            D("22222.22"),
            D("24444.45"),
        ]

    def test_ground_floors_pay_nothing(self):
        shares = share_cost(owners_part=D("350000.00"), units=seven_floors())
        assert [share.amount for share in shares[:2]] == [D("0.00"), D("0.00")]

    def test_equal_flats_pay_more_the_higher_they_live(self):
        shares = share_cost(owners_part=D("333333.33"), units=seven_floors("67.31"))
        amounts = [share.amount for share in shares]
        assert amounts == sorted(amounts)
        assert len(set(amounts[2:])) == 5

    def test_each_share_is_within_a_cent_of_its_exact_value(self):
        rows = [(3, "301", "71.23"), (3, "302", "88.08"), (5, "501", "71.23"), (6, "601", "59.9")]
        shares = share_cost(owners_part=D("99999.99"), units=units(*rows))
        for share in shares:
            assert abs(Fraction(share.amount) - share.exact) < Fraction(1, 100)

    def test_the_last_cent_goes_to_the_largest_remainder(self):
        # 0.02 over weights 0.7×100 = 70 and 1.1×100 = 110: exact 0.7778 and 1.2222 cents.
        shares = share_cost(
            owners_part=D("0.02"), units=units((3, "301", "100"), (7, "701", "100"))
        )
        assert [share.amount for share in shares] == [D("0.01"), D("0.01")]
        shares = share_cost(
            owners_part=D("0.01"), units=units((3, "301", "100"), (7, "701", "100"))
        )
        assert [share.amount for share in shares] == [D("0.00"), D("0.01")]

    def test_a_tied_cent_goes_to_the_higher_floor(self):
        shares = share_cost(
            owners_part=D("0.01"),
            units=units((3, "301", "80"), (4, "401", "80")),
            coefficients={3: D("1"), 4: D("1")},
        )
        assert [share.amount for share in shares] == [D("0.00"), D("0.01")]

    def test_a_tied_cent_on_one_floor_goes_to_the_lower_room_number(self):
        shares = share_cost(owners_part=D("0.01"), units=units((5, "502", "80"), (5, "501", "80")))
        assert {share.key: share.amount for share in shares} == {
            "501": D("0.01"),
            "502": D("0.00"),
        }

    def test_room_numbers_sort_naturally(self):
        rooms = ["1201", "302", "10-301", "301", "2-301"]
        assert sorted(rooms, key=room_sort_key) == ["2-301", "10-301", "301", "302", "1201"]

    def test_the_result_does_not_depend_on_the_order_given(self):
        rows = [(f, f"{f}0{r}", f"{60 + 7 * r}.{f}3") for f in range(1, 8) for r in (1, 2)]
        forward = share_cost(owners_part=D("200000.03"), units=units(*rows))
        backward = share_cost(owners_part=D("200000.03"), units=units(*reversed(rows)))
        assert {s.key: s.amount for s in forward} == {s.key: s.amount for s in backward}

    def test_a_retrofit_may_set_its_own_coefficients(self):
        shares = share_cost(
            owners_part=D("100000.00"),
            units=units((2, "201", "80"), (3, "301", "80")),
            coefficients={2: D("0.3")},
        )
        assert [share.coefficient for share in shares] == [D("0.3"), D("0.7")]
        assert [share.amount for share in shares] == [D("30000.00"), D("70000.00")]

    def test_nothing_to_share_gives_zero_shares(self):
        shares = share_cost(owners_part=D("0"), units=seven_floors())
        assert {share.amount for share in shares} == {D("0.00")}

    def test_it_refuses_a_cost_that_only_ground_floors_could_carry(self):
        with pytest.raises(CostSharingImpossible):
            share_cost(owners_part=D("10.00"), units=units((1, "101", "80")))

    def test_it_refuses_fractions_of_a_cent_and_negative_parts(self):
        with pytest.raises(ValueError, match="cents"):
            share_cost(owners_part=D("10.005"), units=seven_floors())
        with pytest.raises(ValueError, match="negative"):
            share_cost(owners_part=D("-1.00"), units=seven_floors())

    def test_floor_totals_add_up(self):
        rows = [(3, "301", "70"), (3, "302", "90"), (4, "401", "70"), (1, "101", "70")]
        shares = share_cost(owners_part=D("54321.09"), units=units(*rows))
        floors = shares_by_floor(shares)
        assert [floor.floor for floor in floors] == [1, 3, 4]
        assert [floor.households for floor in floors] == [1, 2, 1]
        assert floors[1].area == D("160")
        assert floors[1].coefficient == D("0.7")
        assert sum(floor.amount for floor in floors) == D("54321.09")


@st.composite
def unit_layouts(draw):
    count = draw(st.integers(min_value=1, max_value=24))
    rows = []
    for index in range(count):
        floor = draw(st.integers(min_value=1, max_value=14))
        area_cents = draw(st.integers(min_value=1000, max_value=25000))
        rows.append((floor, f"{floor}{index:02d}", D(area_cents) / 100))
    if all(floor <= 2 for floor, _, _ in rows):
        rows.append((draw(st.integers(min_value=3, max_value=14)), "top", D("75.00")))
    return units(*rows)


class TestCostSharingProperties:
    @settings(max_examples=300, deadline=None, derandomize=True, database=None)
    @given(layout=unit_layouts(), cents=st.integers(min_value=0, max_value=200_000_000))
    def test_shares_are_exact_fair_and_never_negative(self, layout, cents):
        owners_part = D(cents) / 100
        shares = share_cost(owners_part=owners_part, units=layout)
        assert sum((share.amount for share in shares), D("0")) == owners_part
        for share in shares:
            assert share.amount >= 0
            assert share.amount == share.amount.quantize(D("0.01"))
            assert abs(Fraction(share.amount) - share.exact) < Fraction(1, 100)
            if share.floor <= 2:
                assert share.amount == 0
        # Equal areas: a higher floor never pays less than a lower one.
        for low in shares:
            for high in shares:
                if low.area == high.area and high.floor > low.floor:
                    assert high.amount >= low.amount
