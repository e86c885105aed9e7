"""Decisions residents were told of stay decided: a decided proposal's decision, and what a
design plan showed in its public notice (``core.locks``)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from communities.participation.choices import ProposalStatus
from communities.works.choices import DesignPlanStatus
from tests.support.api import API, writer
from tests.support.participation import make_plan, make_proposal

pytestmark = pytest.mark.django_db


def test_a_decided_proposals_kind_is_frozen():
    proposal = make_proposal(status=ProposalStatus.DECLINED, decline_reason="已有停车规划")

    response = writer("proposal").patch(
        f"{API}/proposals/{proposal.pk}/",
        {"kind": "greening"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 409
    assert response.json()["frozen"]["kind"] == [
        "The decision of 2023-10-01 on this proposal fixed kind: residents were told; submit a "
        "new proposal instead."
    ]
    proposal.refresh_from_db()
    assert proposal.kind.code == "parking"


def test_a_submitted_proposal_may_be_corrected():
    proposal = make_proposal()

    response = writer("proposal").patch(
        f"{API}/proposals/{proposal.pk}/", {"kind": "greening"}, format="json"
    )

    assert response.status_code == 200, response.json()


def test_a_plan_in_notice_keeps_what_residents_saw():
    plan = make_plan(status=DesignPlanStatus.NOTICE)
    plan.title = "另一个方案"
    plan.comments_received = 12  # the record of the comments still fills in

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        plan.full_clean()

    assert caught.value.message_dict == {
        "title": [
            "The public notice of 2024-02-01 fixed title: residents saw this plan; put up a new "
            "version to change it."
        ]
    }


def test_a_draft_plan_changes_freely():
    plan = make_plan()
    plan.title = "修改后的方案"

    plan.full_clean()
