"""The public community page's construction record: inspections by kind, orders open and
closed, acceptances with the companies present (residents' representatives only counted),
budget, spent and settled per item, in a constant number of queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.construction.choices import AcceptanceConclusion, InspectionKind
from communities.construction.services import (
    rectification_order_close,
    rectification_order_report_fixed,
)
from communities.places.choices import RenovationStatus
from tests.support.acc import completed_item, make_settlement, record_acceptance
from tests.support.construction import make_finding, make_inspection, make_order
from tests.support.factories import make_community

pytestmark = pytest.mark.django_db


def build(count: int):
    community = make_community(renovation_status=RenovationStatus.UNDER_CONSTRUCTION)
    for number in range(count):
        item = completed_item(community=community, title=f"工程{number}", budget=Decimal("1000"))
        inspection = make_inspection(item=item, kind=InspectionKind.QUALITY)
        make_inspection(item=item, kind=InspectionKind.COMPLETION, visited_on=date(2022, 10, 5))
        order = make_order(finding=make_finding(inspection=inspection))
        if number % 2:
            rectification_order_report_fixed(order=order, note="已整改")
            rectification_order_close(order=order)
        conclusion = (
            AcceptanceConclusion.WITH_CONDITIONS if number % 3 else AcceptanceConclusion.ACCEPTED
        )
        record_acceptance(item, conclusion=conclusion)
        make_settlement(
            item,
            settled_amount=Decimal("1200") if number == 0 else Decimal("900"),
            explanation="设计变更" if number == 0 else "",
        )
    return community


def test_the_page_shows_the_record_and_only_counts_the_residents(client):
    community = build(2)
    client.cookies["django_language"] = "en"

    response = client.get(reverse("site:community", args=[community.pk]))

    content = response.content.decode()
    assert 'id="construction-record"' in content
    assert "泰安测试建设工程有限公司" in content  # the companies by name
    assert "泰山区老旧小区改造办公室" in content
    assert "李秘密" not in content and "赵秘密" not in content  # representatives only counted
    assert "2 residents' representatives" in content
    assert "Rectification orders: 1 open, 1 closed." in content
    assert "Quality: 2 inspections, 0 without findings" in content
    assert "Completion check: 2 inspections, 2 without findings" in content
    assert "1 condition still open" in content
    assert "¥1,200" in content and "over budget" in content


@pytest.mark.parametrize("count", [3, 30])
def test_the_record_costs_the_same_queries_however_many_records(client, count):
    community = build(count)
    url = reverse("site:community", args=[community.pk])

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == 200
    record = [q["sql"] for q in queries.captured_queries]
    # The whole page: the community page's own ten here (no design plan, so no documents
    # query) and the record's five: inspections by kind, orders open/closed, acceptances (with
    # their counts), their parties with the party, the items with their settlement.
    assert len(record) == 15, "\n".join(record)
