"""Objections to a notice, as the services write them: filing only while the notice runs and
only from the unit / community, moderation, answers, and approval refused until every objection
is answered (elevator retrofits and design plans alike)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from communities.core.clock import today
from communities.core.errors import WrongState
from communities.elevators.choices import ElevatorStage
from communities.elevators.objections import elevator_objection_file
from communities.elevators.services import elevator_retrofit_advance
from communities.works.choices import DesignPlanStatus, ObjectionStatus
from communities.works.objections import (
    OBJECTIONS_UNANSWERED,
    design_plan_objection_file,
    objection_answer,
    objection_moderate,
    unanswered_objections_message,
)
from communities.works.services import design_plan_approve
from tests.support.factories import make_building, make_community
from tests.support.objections import (
    FILER,
    add_household,
    make_elevator_objection,
    make_plan_objection,
    plan_notice_ended,
    plan_under_notice,
    retrofit_notice_ended,
    retrofit_under_notice,
)

pytestmark = pytest.mark.django_db


def test_the_rule_names_how_many_objections_wait(english):
    assert unanswered_objections_message(0) is None
    assert "2 objection(s)" in unanswered_objections_message(2)


class TestElevatorFiling:
    def test_it_files_while_the_notice_runs_and_waits_for_moderation(self):
        retrofit = retrofit_under_notice()
        objection = elevator_objection_file(retrofit=retrofit, **FILER)
        assert objection.status == ObjectionStatus.PENDING
        assert objection.household is None  # no households entered: the room as given

    def test_it_refuses_a_retrofit_not_under_notice(self):
        retrofit = retrofit_under_notice(stage=ElevatorStage.DESIGN, notice_on=None)
        with pytest.raises(WrongState):
            elevator_objection_file(retrofit=retrofit, **FILER)

    def test_it_refuses_after_the_notice_ended(self):
        retrofit = retrofit_under_notice(notice_on=today() - timedelta(days=20))
        with pytest.raises(WrongState):
            elevator_objection_file(retrofit=retrofit, **FILER)
        assert retrofit.objections.count() == 0

    def test_it_takes_the_last_day(self):
        retrofit = retrofit_under_notice(notice_on=today() - timedelta(days=19))
        elevator_objection_file(retrofit=retrofit, **FILER)

    def test_it_refuses_a_room_outside_the_unit_once_households_are_entered(self):
        retrofit = retrofit_under_notice()
        household = add_household(retrofit, "101")
        with pytest.raises(ValidationError) as refused:
            elevator_objection_file(retrofit=retrofit, **{**FILER, "room": "999"})
        assert "room" in refused.value.message_dict
        objection = elevator_objection_file(retrofit=retrofit, **FILER)
        assert objection.household == household


class TestPlanFiling:
    def test_it_files_from_a_building_of_the_community(self):
        plan = plan_under_notice()
        building = make_building(community=plan.community, label="3号楼")
        objection = design_plan_objection_file(plan=plan, building=building, **FILER)
        assert objection.plan == plan

    def test_it_refuses_a_building_of_another_community(self):
        plan = plan_under_notice()
        other = make_building(community=make_community(name="别的小区"), label="1号楼")
        with pytest.raises(ValidationError) as refused:
            design_plan_objection_file(plan=plan, building=other, **FILER)
        assert "building" in refused.value.message_dict

    @pytest.mark.parametrize("status", [DesignPlanStatus.DRAFT, DesignPlanStatus.APPROVED])
    def test_it_refuses_a_plan_not_in_notice(self, status):
        plan = plan_notice_ended(status=status)
        building = make_building(community=plan.community, label="3号楼")
        with pytest.raises(WrongState):
            design_plan_objection_file(plan=plan, building=building, **FILER)

    def test_it_refuses_after_the_notice_ended(self):
        plan = plan_notice_ended()
        building = make_building(community=plan.community, label="3号楼")
        with pytest.raises(WrongState):
            design_plan_objection_file(plan=plan, building=building, **FILER)


class TestModeration:
    def test_hiding_needs_a_reason(self):
        objection = make_elevator_objection(retrofit=retrofit_under_notice())
        with pytest.raises(ValidationError):
            objection_moderate(objection=objection, publish=False)
        objection.refresh_from_db()
        assert objection.status == ObjectionStatus.PENDING
        objection_moderate(objection=objection, publish=False, reason="含辱骂内容")
        assert objection.status == ObjectionStatus.HIDDEN

    def test_an_empty_answer_is_refused(self):
        objection = make_elevator_objection(retrofit=retrofit_under_notice())
        with pytest.raises(ValidationError):
            objection_answer(objection=objection, answer="  ")
        assert not objection.is_answered


class TestApprovalWaitsForAnswers:
    def test_an_elevator_move_to_approval_is_refused_until_answered(self, django_user_model):
        clerk = django_user_model.objects.create_user("clerk", password="pw-clerk-9x!")
        retrofit = retrofit_notice_ended()
        first = make_elevator_objection(retrofit=retrofit)
        hidden = make_elevator_objection(retrofit=retrofit)
        objection_moderate(objection=hidden, publish=False, reason="重复提交")
        with pytest.raises(WrongState) as refused:
            elevator_retrofit_advance(
                retrofit=retrofit, to_stage=ElevatorStage.APPROVAL, on=today()
            )
        assert OBJECTIONS_UNANSWERED in refused.value.codes
        assert "2" in str(refused.value)
        retrofit.refresh_from_db()
        assert retrofit.stage == ElevatorStage.PUBLIC_NOTICE
        objection_answer(objection=first, answer="电梯井道位于北侧，不影响采光。", by=clerk)
        objection_answer(objection=hidden, answer="已合并答复。", by=clerk)
        elevator_retrofit_advance(retrofit=retrofit, to_stage=ElevatorStage.APPROVAL, on=today())
        assert retrofit.stage == ElevatorStage.APPROVAL
        first.refresh_from_db()
        assert first.answered_by == clerk and first.answered_on == today()

    def test_a_plan_is_not_approved_until_answered(self):
        plan = plan_notice_ended()
        objection = make_plan_objection(plan=plan)
        with pytest.raises(WrongState) as refused:
            design_plan_approve(plan=plan, on=today())
        assert refused.value.code == OBJECTIONS_UNANSWERED
        plan.refresh_from_db()
        assert plan.status == DesignPlanStatus.NOTICE
        objection_answer(objection=objection, answer="方案已调整。")
        design_plan_approve(plan=plan, on=today())
        assert plan.status == DesignPlanStatus.APPROVED

    def test_objections_to_another_retrofit_do_not_block(self):
        retrofit = retrofit_notice_ended()
        make_elevator_objection(retrofit=retrofit_notice_ended(building=make_building()))
        elevator_retrofit_advance(retrofit=retrofit, to_stage=ElevatorStage.APPROVAL, on=today())
