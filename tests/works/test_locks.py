"""A renovation item's started and completed work stays decided: its kind and place once work
started, its budget once completed, through the API (409), the admin and ``import_records``."""

import csv
import io
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from communities.places.choices import RenovationStatus
from communities.works.choices import ItemStatus
from communities.works.models.items import RenovationItem, RenovationKind
from tests.support.api import API, writer
from tests.support.factories import make_community, make_item

pytestmark = pytest.mark.django_db

COMPLETED = "The completion of the work (2022-10-01) fixed %s: the final account goes in “spent”."
STARTED = (
    "The start of work (2022-04-01) fixed %s: cancel this item and add a new one for other "
    "work or another place."
)


def patch(item, changes):
    return writer("renovationitem").patch(
        f"{API}/renovation-items/{item.pk}/", changes, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )


def test_a_completed_items_budget_is_frozen():
    item = make_item(status=ItemStatus.COMPLETED, spent=Decimal("90000.00"))

    response = patch(item, {"budget": "500000.00"})

    assert response.status_code == 409
    assert response.json()["frozen"] == {"budget": [COMPLETED % "budget (yuan)"]}
    item.refresh_from_db()
    assert item.budget == Decimal("100000.00")


def test_a_started_items_kind_is_frozen_but_its_budget_is_not():
    # In a community under way: an item under construction elsewhere is refused (issue 15).
    community = make_community(renovation_status=RenovationStatus.UNDER_CONSTRUCTION)
    item = make_item(community=community, status=ItemStatus.UNDER_CONSTRUCTION)

    kind = patch(item, {"kind": "greening"})
    budget = patch(item, {"budget": "120000.00"})

    assert kind.status_code == 409
    assert kind.json()["frozen"] == {"kind": [STARTED % "kind"]}
    assert budget.status_code == 200, budget.json()
    item.refresh_from_db()
    assert (item.kind.code, item.budget) == ("roads", Decimal("120000.00"))


def test_a_planned_item_changes_freely():
    item = make_item()

    assert patch(item, {"kind": "greening", "budget": "1.00"}).status_code == 200


def test_import_records_refuses_to_rewrite_a_completed_budget(tmp_path):
    item = make_item(status=ItemStatus.COMPLETED)
    path = tmp_path / "items.csv"
    buffer = io.StringIO()
    writer_ = csv.writer(buffer)
    writer_.writerow(["id", "budget"])
    writer_.writerow([item.pk, "999999.00"])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    err = StringIO()

    with pytest.raises(CommandError, match="1 invalid row"):
        call_command("import_records", "renovationitem", str(path), stderr=err, stdout=StringIO())

    assert "budget" in err.getvalue()
    assert RenovationItem.objects.get(pk=item.pk).budget == Decimal("100000.00")


def test_the_admin_refuses_to_move_a_started_item(staff_client, admin_form_data):
    item = make_item(status=ItemStatus.UNDER_CONSTRUCTION)
    url = reverse("admin:communities_renovationitem_change", args=[item.pk])
    data = admin_form_data(staff_client.get(url))
    data["kind"] = RenovationKind.objects.get(code="greening").pk

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["kind"]
    assert RenovationItem.objects.get(pk=item.pk).kind.code == "roads"
