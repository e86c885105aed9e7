"""The rules on renovation items and their funding: through full_clean(), and in the database
when clean() is bypassed."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from communities.places.choices import SafetyGrade
from communities.places.services import building_appraisal_add
from communities.works.choices import FundingSource, ItemStatus
from communities.works.models.items import FundingLine, RenovationItem, RenovationKind
from tests.support.factories import make_building, make_community, make_funding, make_item

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

REINFORCE_FIRST = (
    "Reinforce first: building {building} is graded {grade}; no other work may start until it "
    "is reinforced and re-appraised A or B."
)


def errors_of(obj) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        obj.full_clean()
    return caught.value.message_dict


def assert_database_refuses(model, pk, **values) -> None:
    """The row cannot be written even by a bulk update, which skips clean() altogether."""
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=pk).update(**values)


def dangerous_building(grade=SafetyGrade.C, **fields):
    return make_building(safety_grade=grade, appraised_on=date(2021, 5, 1), **fields)


def reinforcement():
    return RenovationKind.objects.get(code="structural-reinforcement")


# Amounts and counts


def test_it_rejects_negative_spending_on_an_item():
    item = make_item()
    item.spent = Decimal("-0.01")

    assert errors_of(item) == {"spent": ["This cannot be negative."]}


def test_it_rejects_a_negative_budget():
    item = make_item()
    item.budget = Decimal("-0.01")

    assert "budget" in errors_of(item)


def test_it_explains_a_negative_budget_as_negative_money():
    item = make_item()
    item.budget = Decimal("-0.01")

    assert errors_of(item) == {"budget": ["This cannot be negative."]}


@pytest.mark.parametrize("field", ["budget", "spent"])
def test_the_database_refuses_negative_money_on_an_item(field):
    item = make_item()

    assert_database_refuses(RenovationItem, item.pk, **{field: Decimal("-1")})


def test_it_rejects_a_negative_quantity():
    item = make_item()
    item.quantity = Decimal("-5")

    assert errors_of(item) == {"__all__": ["The quantity cannot be negative."]}


def test_the_database_refuses_a_negative_quantity():
    item = make_item()

    assert_database_refuses(RenovationItem, item.pk, quantity=Decimal("-5"))


# Progress


@pytest.mark.parametrize(
    ("progress", "message"),
    [
        (101, "Ensure this value is less than or equal to 100."),
        (-1, "Ensure this value is greater than or equal to 0."),
    ],
)
def test_it_rejects_progress_outside_0_to_100(progress, message):
    item = make_item()
    item.progress = progress

    assert errors_of(item) == {"progress": [message]}


@pytest.mark.parametrize("progress", [101, -1])
def test_the_database_refuses_progress_outside_0_to_100(progress):
    item = make_item()

    assert_database_refuses(RenovationItem, item.pk, progress=progress)


@pytest.mark.parametrize("status", [ItemStatus.COMPLETED, ItemStatus.ACCEPTED])
def test_it_rejects_a_finished_item_short_of_100_percent(status):
    item = make_item(status=status)
    item.progress = 95

    assert errors_of(item) == {"progress": ["A completed item is 100% done."]}


@pytest.mark.parametrize("status", [ItemStatus.COMPLETED, ItemStatus.ACCEPTED])
def test_it_rejects_a_finished_item_without_its_completion_date(status):
    item = make_item(status=status)
    item.actual_end = None

    assert errors_of(item) == {"actual_end": ["A completed item needs its completion date."]}


def test_it_accepts_a_completed_item_at_100_percent_with_its_date():
    item = make_item(status=ItemStatus.COMPLETED, progress=100, actual_end=date(2022, 10, 1))

    assert item.status == ItemStatus.COMPLETED


def test_it_rejects_work_under_way_without_its_actual_start():
    item = make_item(status=ItemStatus.UNDER_CONSTRUCTION)
    item.actual_start = None

    assert errors_of(item) == {"actual_start": ["Work that has begun needs its actual start date."]}


# Dates


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("planned_start", "planned_end", "The planned end cannot be before the planned start."),
        ("actual_start", "actual_end", "The actual end cannot be before the actual start."),
    ],
)
def test_it_rejects_an_end_before_its_start(start, end, message):
    item = make_item()
    setattr(item, start, date(2022, 5, 1))
    setattr(item, end, date(2022, 4, 30))

    assert errors_of(item) == {"__all__": [message]}


def test_it_accepts_an_item_ending_the_day_it_starts():
    item = make_item(planned_start=date(2022, 5, 1), planned_end=date(2022, 5, 1))

    assert item.planned_end == item.planned_start


@pytest.mark.parametrize(
    ("start", "end"), [("planned_start", "planned_end"), ("actual_start", "actual_end")]
)
def test_the_database_refuses_an_end_before_its_start(start, end):
    item = make_item(**{start: date(2022, 5, 1)})

    assert_database_refuses(RenovationItem, item.pk, **{end: date(2022, 4, 30)})


# Places


def test_it_rejects_a_building_of_another_community():
    item = make_item()
    item.building = make_building()

    assert errors_of(item) == {"building": ["The building belongs to another community."]}


# Reinforce first


@pytest.mark.parametrize("grade", [SafetyGrade.C, SafetyGrade.D])
@pytest.mark.parametrize(
    "status", [ItemStatus.UNDER_CONSTRUCTION, ItemStatus.COMPLETED, ItemStatus.ACCEPTED]
)
def test_it_refuses_other_work_on_a_dangerous_building_before_reinforcement(grade, status):
    building = dangerous_building(grade, label="5号楼")
    item = make_item(community=building.community, building=building, status=status, validate=False)

    assert errors_of(item) == {"status": [REINFORCE_FIRST.format(building="5号楼", grade=grade)]}


@pytest.mark.parametrize("status", [ItemStatus.PLANNED, ItemStatus.DESIGNING, ItemStatus.CANCELLED])
def test_it_lets_other_work_on_a_dangerous_building_be_planned(status):
    building = dangerous_building()

    item = make_item(community=building.community, building=building, status=status)

    assert item.status == status


def test_it_lets_reinforcement_start_on_a_dangerous_building():
    building = dangerous_building(SafetyGrade.D)

    item = make_item(
        community=building.community,
        building=building,
        kind=reinforcement(),
        status=ItemStatus.UNDER_CONSTRUCTION,
    )

    assert item.status == ItemStatus.UNDER_CONSTRUCTION


def test_it_lets_other_work_start_once_the_building_is_re_appraised_b():
    building = dangerous_building()
    item = make_item(community=building.community, building=building)
    building_appraisal_add(
        building=building, appraised_on=date(2022, 3, 1), grade=SafetyGrade.B, appraiser="鉴定中心"
    )

    item.status, item.actual_start = ItemStatus.UNDER_CONSTRUCTION, date(2022, 4, 1)
    item.full_clean()

    assert item.building.safety_grade == SafetyGrade.B


def test_it_refuses_community_wide_work_while_a_building_is_dangerous_and_unreinforced():
    building = dangerous_building()

    with pytest.raises(ValidationError, match="Reinforce first"):
        make_item(community=building.community, status=ItemStatus.UNDER_CONSTRUCTION)


def test_it_lets_community_wide_work_start_once_the_reinforcement_is_completed():
    building = dangerous_building()
    make_item(
        community=building.community,
        building=building,
        kind=reinforcement(),
        status=ItemStatus.COMPLETED,
    )

    item = make_item(community=building.community, status=ItemStatus.UNDER_CONSTRUCTION)

    assert item.building is None


def test_community_wide_reinforcement_and_planning_go_ahead_while_a_building_is_dangerous():
    building = dangerous_building()

    make_item(community=building.community, status=ItemStatus.DESIGNING)
    make_item(
        community=building.community, kind=reinforcement(), status=ItemStatus.UNDER_CONSTRUCTION
    )


# Funding within budget


def test_it_accepts_funding_lines_up_to_the_budget():
    item = make_item(budget=Decimal("100000.00"))
    make_funding(item=item, source=FundingSource.CENTRAL_SUBSIDY, amount=Decimal("60000.00"))
    make_funding(item=item, source=FundingSource.LOCAL_BUDGET, amount=Decimal("40000.00"))

    assert item.funding_total() == Decimal("100000.00")


def test_it_refuses_a_funding_line_that_takes_funding_past_the_budget():
    item = make_item(budget=Decimal("100000.00"))
    make_funding(item=item, source=FundingSource.CENTRAL_SUBSIDY, amount=Decimal("60000.00"))
    line = FundingLine(item=item, source=FundingSource.RESIDENTS, amount=Decimal("40000.01"))

    assert errors_of(line) == {
        "amount": ["Funding would total ¥100000.01, more than the item's budget of ¥100000.00."]
    }


def test_it_does_not_count_a_funding_line_twice_when_it_is_edited():
    item = make_item(budget=Decimal("100000.00"))
    line = make_funding(item=item, amount=Decimal("60000.00"))
    line.amount = Decimal("100000.00")

    line.full_clean()

    assert line.amount == item.budget


def test_it_refuses_a_budget_lowered_below_its_funding():
    item = make_item(budget=Decimal("100000.00"))
    make_funding(item=item, amount=Decimal("80000.00"))
    item.budget = Decimal("50000.00")

    [message] = errors_of(item)["budget"]
    # SQLite sums decimals without their scale (¥80000), PostgreSQL keeps it (¥80000.00).
    assert re.fullmatch(
        r"The funding lines add up to ¥80000(\.00)?, more than this budget\.", message
    )


def test_it_accepts_a_budget_lowered_to_its_funding():
    item = make_item(budget=Decimal("100000.00"))
    make_funding(item=item, amount=Decimal("80000.00"))
    item.budget = Decimal("80000.00")

    item.full_clean()

    assert item.funding_total() == item.budget


def test_it_rejects_a_negative_funding_amount():
    line = make_funding()
    line.amount = Decimal("-1.00")

    assert errors_of(line) == {"amount": ["This cannot be negative."]}


def test_the_database_refuses_a_negative_funding_amount():
    line = make_funding()

    assert_database_refuses(FundingLine, line.pk, amount=Decimal("-1.00"))


def test_it_rejects_a_second_funding_line_from_the_same_source():
    line = make_funding(amount=Decimal("10.00"))
    twin = FundingLine(item=line.item, source=line.source, amount=Decimal("10.00"))

    assert errors_of(twin) == {
        "__all__": ["This item already has a funding line from this source."]
    }


def test_the_database_refuses_a_second_funding_line_from_the_same_source():
    item = make_item()
    make_funding(item=item, source=FundingSource.CENTRAL_SUBSIDY, amount=Decimal("10.00"))
    other = make_funding(item=item, source=FundingSource.OTHER, amount=Decimal("10.00"))

    assert_database_refuses(FundingLine, other.pk, source=FundingSource.CENTRAL_SUBSIDY)


def test_it_reads_the_funding_total_from_an_annotation_without_a_query(
    django_assert_num_queries,
):
    from django.db.models import Sum

    item = make_item(budget=Decimal("100000.00"))
    make_funding(item=item, amount=Decimal("30000.00"))
    annotated = RenovationItem.objects.annotate(funding_sum=Sum("funding__amount")).get(pk=item.pk)

    with django_assert_num_queries(0):
        assert annotated.funding_total() == Decimal("30000.00")


def test_it_counts_no_funding_on_an_unsaved_item():
    community = make_community()

    assert RenovationItem(community=community).funding_total() == Decimal("0")
