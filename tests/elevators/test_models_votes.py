"""The elevator models' own rules: households, votes, vote and subsidy rules, and the
retrofit's clean() holding the stage, money and coefficient rules for direct edits."""

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import translation

from communities.elevators.choices import ElevatorStage, VoteChoice
from communities.elevators.models import (
    STAGE_DATE_FIELDS,
    ElevatorRetrofit,
    Household,
    OwnerVote,
    StageTransition,
    SubsidyRule,
    VoteRule,
)
from communities.elevators.policy import (
    CHENGDU_2018,
    CIVIL_CODE_278,
    PARTICIPATING_VOTES,
    VOTE_ABSENT,
)
from communities.places.choices import SafetyGrade
from tests.support.factories import make_building, make_elevator

pytestmark = pytest.mark.django_db

D = Decimal
START = date(2021, 3, 1)


def make_household(*, building, validate=True, **fields) -> Household:
    fields.setdefault("entrance_unit", 1)
    fields.setdefault("floor", 3)
    fields.setdefault("room_number", f"{fields['floor']}01")
    fields.setdefault("floor_area_m2", D("80.00"))
    fields.setdefault("owner_name", "张三")
    fields.setdefault("owner_phone", "13800000000")
    household = Household(building=building, **fields)
    if validate:
        household.full_clean()
    household.save()
    return household


def retrofit_at(stage: str, *, building=None, **fields) -> ElevatorRetrofit:
    """A valid retrofit at ``stage``: stages a month apart, a permit once built, registered
    once in service."""
    ordered = ElevatorStage.ordered()
    for index, step in enumerate(ordered[: ordered.index(stage) + 1]):
        fields.setdefault(STAGE_DATE_FIELDS[step], START + timedelta(days=30 * index))
    if ordered.index(stage) >= ordered.index(ElevatorStage.CONSTRUCTION):
        fields.setdefault("permit_number", "370902202105010101")
    if stage == ElevatorStage.IN_SERVICE:
        fields.setdefault("registration_number", f"梯11鲁J{ordered.index(stage):05d}(21)")
    return make_elevator(building=building or make_building(), stage=stage, **fields)


def vote(retrofit, household, choice=VoteChoice.AGREE, **fields) -> OwnerVote:
    fields.setdefault("voted_on", date(2021, 3, 10) if choice != VoteChoice.ABSENT else None)
    record = OwnerVote(retrofit=retrofit, household=household, choice=choice, **fields)
    record.full_clean()
    record.save()
    return record


def errors_of(instance) -> dict:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


# --- Seeded rules ----------------------------------------------------------------------------


class TestSeededRules:
    def test_the_civil_code_rule_is_seeded_with_its_thresholds(self):
        rule = VoteRule.objects.get(code="civil-code-278")
        assert rule.thresholds() == CIVIL_CODE_278

    def test_the_chengdu_rule_is_seeded_with_its_thresholds(self):
        rule = VoteRule.objects.get(code="chengdu-2018")
        assert rule.thresholds() == CHENGDU_2018

    def test_taians_subsidy_rule_is_seeded(self):
        rule = SubsidyRule.objects.get(region_code="370900")
        assert (rule.min_storeys, rule.amount_per_elevator) == (4, D("150000.00"))
        assert (rule.valid_from_year, rule.valid_to_year, rule.cap_percent) == (2021, None, None)

    def test_vote_codes_match_the_policy(self):
        assert set(VoteChoice.values) == {*PARTICIPATING_VOTES, VOTE_ABSENT}

    def test_rules_show_their_name_in_the_active_language(self):
        rule = VoteRule.objects.get(code="civil-code-278")
        with translation.override("en"):
            assert str(rule) == "Civil Code art. 278"
        assert str(rule) == "民法典第二百七十八条"


# --- Vote rules ------------------------------------------------------------------------------


class TestVoteRule:
    def rule(self, **fields) -> VoteRule:
        values = {
            "code": "test-rule",
            "name": "测试规则",
            "approval_area_num": 1,
            "approval_area_den": 2,
            "approval_headcount_num": 1,
            "approval_headcount_den": 2,
        }
        return VoteRule(**{**values, **fields})

    def test_it_accepts_a_simple_majority_rule(self):
        rule = self.rule()
        rule.full_clean()
        rule.save()
        assert rule.thresholds().approval_area == Fraction(1, 2)

    def test_it_rejects_a_threshold_above_one(self):
        assert "approval_area_num" in errors_of(self.rule(approval_area_num=3))

    def test_it_rejects_a_zero_denominator(self):
        assert "participation_area_den" in errors_of(self.rule(participation_area_den=0))

    def test_it_rejects_an_approval_threshold_of_zero(self):
        assert "approval_headcount_num" in errors_of(self.rule(approval_headcount_num=0))

    def test_the_database_rejects_improper_fractions(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            self.rule(approval_area_num=5).save()

    def test_it_refuses_to_rewrite_a_rule_that_decided_a_vote(self):
        rule = VoteRule.objects.get(code="chengdu-2018")
        retrofit_at(ElevatorStage.DESIGN, vote_rule=rule)
        rule.approval_area_num = 1
        with translation.override("en"):
            messages = errors_of(rule)["__all__"]
        assert messages == [
            "Retrofits have reached consent under this rule; its thresholds cannot change. "
            "Add a new rule instead."
        ]

    def test_it_allows_renaming_a_rule_that_decided_a_vote(self):
        rule = VoteRule.objects.get(code="chengdu-2018")
        retrofit_at(ElevatorStage.DESIGN, vote_rule=rule)
        rule.name_en = "Chengdu (2018)"
        rule.full_clean()

    def test_it_allows_changing_a_rule_only_used_before_consent(self):
        rule = VoteRule.objects.get(code="chengdu-2018")
        retrofit_at(ElevatorStage.INTENTION, vote_rule=rule)
        rule.approval_area_num = 3
        rule.approval_area_den = 4
        rule.full_clean()


# --- Households ------------------------------------------------------------------------------


class TestHousehold:
    def test_it_records_a_household_of_an_entrance_unit(self):
        building = make_building(storeys=6, entrance_units=2)
        household = make_household(building=building, entrance_unit=2, floor=6, room_number="601")
        assert list(Household.objects.of_unit(building.pk, 2)) == [household]
        assert "601" in str(household)

    def test_it_rejects_a_second_household_with_the_same_room_in_a_unit(self):
        building = make_building()
        make_household(building=building, room_number="301")
        duplicate = Household(
            building=building, entrance_unit=1, floor=3, room_number="301", floor_area_m2=70
        )
        assert "__all__" in errors_of(duplicate)
        other_unit = Household(
            building=building, entrance_unit=2, floor=3, room_number="301", floor_area_m2=70
        )
        other_unit.full_clean()

    def test_it_rejects_a_floor_above_the_building(self):
        building = make_building(storeys=6)
        household = Household(
            building=building, entrance_unit=1, floor=7, room_number="701", floor_area_m2=70
        )
        assert "floor" in errors_of(household)

    def test_it_rejects_an_entrance_unit_the_building_does_not_have(self):
        building = make_building(entrance_units=2)
        household = Household(
            building=building, entrance_unit=3, floor=3, room_number="301", floor_area_m2=70
        )
        assert "entrance_unit" in errors_of(household)

    @pytest.mark.parametrize("area", [D("0"), D("-1")])
    def test_it_rejects_an_area_that_is_not_positive(self, area):
        household = Household(
            building=make_building(),
            entrance_unit=1,
            floor=3,
            room_number="301",
            floor_area_m2=area,
        )
        assert "floor_area_m2" in errors_of(household)

    def test_the_database_rejects_a_zero_area(self):
        building = make_building()
        with pytest.raises(IntegrityError), transaction.atomic():
            make_household(building=building, floor_area_m2=D("0"), validate=False)


# --- Owners' votes ---------------------------------------------------------------------------


class TestOwnerVote:
    def test_it_keeps_one_vote_per_household_and_retrofit(self):
        retrofit = retrofit_at(ElevatorStage.INTENTION)
        household = make_household(building=retrofit.building)
        vote(retrofit, household)
        second = OwnerVote(
            retrofit=retrofit, household=household, choice="disagree", voted_on=date(2021, 3, 9)
        )
        assert "__all__" in errors_of(second)
        with pytest.raises(IntegrityError), transaction.atomic():
            second.save()

    def test_it_needs_the_date_of_a_vote_cast(self):
        retrofit = retrofit_at(ElevatorStage.INTENTION)
        household = make_household(building=retrofit.building)
        record = OwnerVote(retrofit=retrofit, household=household, choice=VoteChoice.AGREE)
        assert "voted_on" in errors_of(record)
        with pytest.raises(IntegrityError), transaction.atomic():
            record.save()

    def test_a_household_that_did_not_take_part_needs_no_date(self):
        retrofit = retrofit_at(ElevatorStage.INTENTION)
        household = make_household(building=retrofit.building)
        assert vote(retrofit, household, VoteChoice.ABSENT).voted_on is None

    def test_it_rejects_a_household_from_another_entrance_unit(self):
        retrofit = retrofit_at(ElevatorStage.INTENTION)
        household = make_household(building=retrofit.building, entrance_unit=2)
        record = OwnerVote(
            retrofit=retrofit, household=household, choice="agree", voted_on=date(2021, 3, 9)
        )
        assert "household" in errors_of(record)

    def test_it_rejects_a_vote_dated_in_the_future(self):
        retrofit = retrofit_at(ElevatorStage.INTENTION)
        household = make_household(building=retrofit.building)
        record = OwnerVote(
            retrofit=retrofit,
            household=household,
            choice="agree",
            voted_on=date.today() + timedelta(days=1),
        )
        assert "voted_on" in errors_of(record)

    @pytest.mark.parametrize("stage", [ElevatorStage.CONSENT, ElevatorStage.CONSTRUCTION])
    def test_the_vote_is_closed_once_consent_is_recorded(self, stage):
        building = make_building()
        household = make_household(building=building)  # entered before consent
        retrofit = retrofit_at(stage, building=building)
        record = OwnerVote(
            retrofit=retrofit, household=household, choice="agree", voted_on=date(2021, 3, 9)
        )
        assert "retrofit" in errors_of(record)

    def test_a_household_that_voted_cannot_be_deleted(self):
        retrofit = retrofit_at(ElevatorStage.INTENTION)
        household = make_household(building=retrofit.building)
        vote(retrofit, household)
        with pytest.raises(ProtectedError):
            household.delete()


# --- Subsidy rules ---------------------------------------------------------------------------


class TestSubsidyRule:
    def rule(self, **fields) -> SubsidyRule:
        values = {
            "region_name": "济南市",
            "region_code": "370100",
            "min_storeys": 4,
            "amount_per_elevator": D("200000.00"),
            "valid_from_year": 2020,
        }
        return SubsidyRule(**{**values, **fields})

    def test_it_accepts_a_rule_for_another_city(self):
        rule = self.rule(cap_percent=D("40"))
        rule.full_clean()
        rule.save()
        assert rule.terms().cap_percent == D("40")

    def test_it_rejects_overlapping_years_for_the_same_region_and_storeys(self):
        self.rule(valid_to_year=2022).save()
        assert "valid_from_year" in errors_of(self.rule(valid_from_year=2022))
        self.rule(valid_from_year=2023).full_clean()  # after it ended
        self.rule(valid_from_year=2021, min_storeys=7).full_clean()  # another tier

    def test_it_rejects_a_rule_overlapping_one_still_in_force(self):
        assert "valid_from_year" in errors_of(
            SubsidyRule(
                region_name="泰安市",
                region_code="370900",
                min_storeys=4,
                amount_per_elevator=D("1"),
                valid_from_year=2019,
                valid_to_year=2021,
            )
        )

    def test_it_rejects_years_out_of_order(self):
        assert "valid_to_year" in errors_of(self.rule(valid_from_year=2022, valid_to_year=2021))
        with pytest.raises(IntegrityError), transaction.atomic():
            self.rule(valid_from_year=2022, valid_to_year=2021).save()

    @pytest.mark.parametrize("cap", [D("0"), D("100.01")])
    def test_it_rejects_a_cap_outside_zero_to_a_hundred_percent(self, cap):
        assert "cap_percent" in errors_of(self.rule(cap_percent=cap))

    def test_it_rejects_a_malformed_region_code(self):
        assert "region_code" in errors_of(self.rule(region_code="3709"))

    def test_in_force_filters_by_year(self):
        self.rule(valid_to_year=2021).save()
        in_2022 = SubsidyRule.objects.in_force(2022).values_list("region_code", flat=True)
        in_2021 = SubsidyRule.objects.in_force(2021).values_list("region_code", flat=True)
        assert sorted(in_2022) == ["370900"]
        assert sorted(in_2021) == ["370100", "370900"]


# --- The retrofit's clean() for direct edits -------------------------------------------------


class TestRetrofitDefaults:
    def test_a_new_retrofit_gets_the_civil_code_and_twenty_days_of_notice(self):
        retrofit = retrofit_at(ElevatorStage.INTENTION)
        assert retrofit.vote_rule.code == "civil-code-278"
        assert retrofit.notice_days == 20

    def test_a_city_can_choose_another_rule_and_notice(self, settings):
        settings.RENOVATION = {
            **settings.RENOVATION,
            "ELEVATOR_VOTE_RULE": "chengdu-2018",
            "ELEVATOR_NOTICE_DAYS": 30,
        }
        retrofit = retrofit_at(ElevatorStage.INTENTION)
        assert retrofit.vote_rule.code == "chengdu-2018"
        assert retrofit.notice_days == 30

    def test_owners_part_is_cost_less_subsidy_and_other_funding(self):
        retrofit = ElevatorRetrofit(
            total_cost=D("500000.00"), subsidy=D("150000.00"), other_funding=D("20000.50")
        )
        assert retrofit.owners_part == D("329999.50")


class TestRetrofitClean:
    def test_it_rejects_an_elevator_in_service_without_registration(self):
        retrofit = retrofit_at(ElevatorStage.ACCEPTANCE)
        retrofit.stage = ElevatorStage.IN_SERVICE
        retrofit.in_service_on = retrofit.accepted_on + timedelta(days=10)
        assert "registration_number" in errors_of(retrofit)
        with pytest.raises(IntegrityError), transaction.atomic():
            retrofit.save()

    def test_it_rejects_a_registration_number_used_by_another_elevator(self):
        first = retrofit_at(ElevatorStage.IN_SERVICE)
        second = retrofit_at(ElevatorStage.ACCEPTANCE)
        second.registration_number = first.registration_number
        assert "__all__" in errors_of(second)

    def test_it_rejects_construction_above_the_threshold_without_a_permit(self):
        retrofit = retrofit_at(ElevatorStage.APPROVAL, total_cost=D("300000.01"))
        retrofit.stage = ElevatorStage.CONSTRUCTION
        retrofit.construction_on = retrofit.approved_on + timedelta(days=1)
        assert "permit_number" in errors_of(retrofit)

    def test_it_accepts_construction_at_the_threshold_without_a_permit(self):
        retrofit = retrofit_at(
            ElevatorStage.CONSTRUCTION, total_cost=D("300000.00"), permit_number=""
        )
        retrofit.full_clean()

    def test_the_permit_threshold_is_a_setting(self, settings):
        settings.RENOVATION = {**settings.RENOVATION, "ELEVATOR_PERMIT_ABOVE": 500000}
        retrofit = retrofit_at(
            ElevatorStage.CONSTRUCTION, total_cost=D("480000.00"), permit_number=""
        )
        retrofit.full_clean()

    def test_it_rejects_a_withdrawn_retrofit_that_had_been_built_without_a_permit(self):
        retrofit = retrofit_at(
            ElevatorStage.CONSTRUCTION, total_cost=D("400000.00"), permit_number="P-1"
        )
        retrofit.stage = ElevatorStage.WITHDRAWN
        retrofit.withdrawn_on = retrofit.construction_on + timedelta(days=5)
        retrofit.full_clean()
        retrofit.permit_number = ""
        assert "permit_number" in errors_of(retrofit)

    def test_it_rejects_an_approval_before_the_notice_has_lasted_its_days(self):
        retrofit = retrofit_at(ElevatorStage.APPROVAL)
        retrofit.approved_on = retrofit.notice_on + timedelta(days=19)
        assert "approved_on" in errors_of(retrofit)
        retrofit.approved_on = retrofit.notice_on + timedelta(days=20)
        retrofit.full_clean()

    def test_it_rejects_a_withdrawal_dated_before_the_last_stage(self):
        retrofit = retrofit_at(ElevatorStage.DESIGN)
        retrofit.stage = ElevatorStage.WITHDRAWN
        retrofit.withdrawn_on = retrofit.design_on - timedelta(days=1)
        assert "withdrawn_on" in errors_of(retrofit)

    def test_it_rejects_consent_when_the_recorded_vote_does_not_pass(self):
        retrofit = retrofit_at(ElevatorStage.INTENTION)
        for floor in (3, 4, 5):
            household = make_household(building=retrofit.building, floor=floor)
            vote(retrofit, household, VoteChoice.AGREE if floor == 3 else VoteChoice.DISAGREE)
        retrofit.stage = ElevatorStage.CONSENT
        retrofit.consent_on = retrofit.intention_on + timedelta(days=20)
        with translation.override("en"):
            messages = errors_of(retrofit)["stage"]
        assert messages[0].startswith("The owners' vote recorded for this retrofit does not pass")

    def test_it_accepts_consent_when_the_recorded_vote_passes(self):
        building = make_building(entrance_units=1, households=3)
        retrofit = retrofit_at(ElevatorStage.INTENTION, building=building)
        for floor in (3, 4, 5):
            vote(retrofit, make_household(building=retrofit.building, floor=floor))
        retrofit.stage = ElevatorStage.CONSENT
        retrofit.consent_on = retrofit.intention_on + timedelta(days=20)
        retrofit.full_clean()

    def test_it_accepts_consent_without_votes_recorded_for_older_records(self):
        retrofit_at(ElevatorStage.CONSENT).full_clean()

    def test_it_rejects_consent_on_an_incomplete_roster(self):
        retrofit = retrofit_at(ElevatorStage.INTENTION)  # 12 households in the unit
        for floor in (3, 4, 5):
            vote(retrofit, make_household(building=retrofit.building, floor=floor))
        retrofit.stage = ElevatorStage.CONSENT
        retrofit.consent_on = retrofit.intention_on + timedelta(days=20)
        assert "stage" in errors_of(retrofit)

    def test_it_rejects_switching_to_a_rule_the_recorded_vote_fails(self):
        building = make_building(entrance_units=1, households=4)
        retrofit = retrofit_at(ElevatorStage.INTENTION, building=building)
        for floor, choice in ((3, "agree"), (4, "agree"), (5, "agree"), (6, "disagree")):
            vote(retrofit, make_household(building=retrofit.building, floor=floor), choice)
        retrofit.stage = ElevatorStage.CONSENT
        retrofit.consent_on = retrofit.intention_on + timedelta(days=20)
        retrofit.full_clean()  # 3/4 under the Civil Code
        retrofit.vote_rule = VoteRule.objects.get(code="chengdu-2018")
        assert "stage" in errors_of(retrofit)  # one objection

    def test_it_rejects_a_subsidy_override_without_a_reason(self):
        retrofit = retrofit_at(ElevatorStage.INTENTION)
        retrofit.subsidy_override = True
        retrofit.subsidy_override_reason = "   "
        assert "subsidy_override_reason" in errors_of(retrofit)
        retrofit.subsidy_override_reason = ""
        with pytest.raises(IntegrityError), transaction.atomic():
            retrofit.save()

    def test_it_rejects_subsidy_and_other_funding_above_the_cost(self):
        retrofit = retrofit_at(ElevatorStage.INTENTION)
        retrofit.other_funding = retrofit.total_cost - retrofit.subsidy + D("0.01")
        assert "other_funding" in errors_of(retrofit)
        with pytest.raises(IntegrityError), transaction.atomic():
            retrofit.save()

    def test_it_stores_floor_coefficients_as_exact_strings(self):
        retrofit = retrofit_at(ElevatorStage.INTENTION)
        retrofit.floor_coefficients = {3: 0.75, "2": "0.30", " 6 ": 1, "5": "10.000"}
        retrofit.full_clean()
        assert retrofit.floor_coefficients == {"2": "0.3", "3": "0.75", "5": "10", "6": "1"}
        assert retrofit.coefficient_for(3) == D("0.75")
        assert retrofit.coefficient_for(4) == D("0.8")  # the common scheme

    @pytest.mark.parametrize(
        "coefficients",
        [
            {"x": "1"},
            {"7": "1"},  # the building has 6 storeys
            {"0": "1"},
            {"3": "-0.1"},
            {"3": "lots"},
            {"3": "0.0001"},
            {"3": "11"},
            {"3": True},
            ["0.7"],
        ],
    )
    def test_it_rejects_bad_floor_coefficients(self, coefficients):
        retrofit = retrofit_at(ElevatorStage.INTENTION)
        retrofit.floor_coefficients = coefficients
        assert "floor_coefficients" in errors_of(retrofit)

    def test_reinforce_first_still_blocks_construction_on_a_dangerous_building(self):
        building = make_building(safety_grade=SafetyGrade.C, appraised_on=date(2020, 5, 1))
        retrofit = retrofit_at(ElevatorStage.APPROVAL, building=building)
        retrofit.stage = ElevatorStage.CONSTRUCTION
        retrofit.construction_on = retrofit.approved_on + timedelta(days=1)
        retrofit.permit_number = "P-1"
        assert "stage" in errors_of(retrofit)


class TestStageTransition:
    def test_a_retrofit_with_moves_cannot_be_deleted(self):
        retrofit = retrofit_at(ElevatorStage.INTENTION)
        StageTransition.objects.create(
            retrofit=retrofit, from_stage="", to_stage=ElevatorStage.INTENTION, on=START
        )
        with pytest.raises(ProtectedError):
            retrofit.delete()

    def test_a_move_must_go_to_another_stage(self):
        retrofit = retrofit_at(ElevatorStage.DESIGN)
        with pytest.raises(IntegrityError), transaction.atomic():
            StageTransition.objects.create(
                retrofit=retrofit, from_stage="design", to_stage="design", on=START
            )

    def test_it_reads_as_from_to_and_date(self):
        move = StageTransition(from_stage="design", to_stage="public_notice", on=date(2021, 5, 1))
        with translation.override("en"):
            assert str(move) == "Design → Public notice (2021-05-01)"
