"""The staff admin for renovation kinds, items (with their funding inline) and funding lines."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from communities.places.choices import RenovationStatus, SafetyGrade
from communities.works.choices import Category, FundingSource, ItemStatus
from communities.works.models.items import FundingLine, RenovationItem, RenovationKind
from tests.support.factories import (
    make_building,
    make_community,
    make_funding,
    make_item,
    make_kind,
)

pytestmark = pytest.mark.django_db

OVER_BUDGET = "The funding lines add up to ¥%(total)s, more than the item's budget of ¥%(budget)s."


def admin_url(view: str, *args) -> str:
    return reverse(f"admin:communities_{view}", args=args)


def funded_item(budget="100000.00", **lines) -> RenovationItem:
    """An item with a funding line per keyword: source=amount."""
    item = make_item(budget=Decimal(budget))
    for source, amount in lines.items():
        make_funding(item=item, source=source, amount=Decimal(amount))
    return item


def funding_of(item) -> dict[str, Decimal]:
    return dict(item.funding.values_list("source", "amount"))


def line_index(data: dict, source: str) -> int:
    """The inline row showing the line from ``source``."""
    total = int(data["funding-TOTAL_FORMS"])
    return next(n for n in range(total) if data[f"funding-{n}-source"] == source)


# Kinds


def test_the_kind_changelist_runs_the_same_queries_for_few_and_many_rows(
    staff_client, django_assert_num_queries
):
    url = admin_url("renovationkind_changelist")
    make_item()
    staff_client.get(url)

    # session, user, count, the page's rows with their item counts as a subquery
    with django_assert_num_queries(4):
        response = staff_client.get(url)
    seeded = response.context["cl"].result_count
    for _row in range(27):
        make_item(kind=make_kind())
    with django_assert_num_queries(4):
        response = staff_client.get(url)

    assert response.context["cl"].result_count == seeded + 27


def test_the_kind_changelist_filters_by_category_and_reinforcement(staff_client):
    response = staff_client.get(
        admin_url("renovationkind_changelist"),
        {"category__exact": Category.BASIC, "is_reinforcement__exact": "1"},
    )

    codes = [kind.code for kind in response.context["cl"].result_list]
    assert codes == ["structural-reinforcement"]


def test_the_kind_add_and_change_pages_render(staff_client, django_assert_max_num_queries):
    kind = RenovationKind.objects.get(code="roads")
    staff_client.get(admin_url("renovationkind_change", kind.pk))

    # session, user; the change page adds the kind and its measures (inline)
    with django_assert_max_num_queries(2):
        assert staff_client.get(admin_url("renovationkind_add")).status_code == 200
    with django_assert_max_num_queries(4):
        assert staff_client.get(admin_url("renovationkind_change", kind.pk)).status_code == 200


def test_the_kind_admin_adds_a_city_kind_and_refuses_a_code_taken(
    staff_client, admin_form_data, admin_errors
):
    data = admin_form_data(staff_client.get(admin_url("renovationkind_add")))
    data.update(code="safety-patrol", name="安全巡查", category=Category.BASIC, sort_order="40")

    created = staff_client.post(admin_url("renovationkind_add"), data)
    refused = staff_client.post(admin_url("renovationkind_add"), data)

    assert created.status_code == 302
    assert set(admin_errors(refused)) == {"code"}
    assert RenovationKind.objects.filter(code="safety-patrol").count() == 1


# Items: changelist


def test_the_item_changelist_runs_the_same_queries_for_3_and_30_rows(
    staff_client, django_assert_num_queries
):
    url = admin_url("renovationitem_changelist")

    def add_items(count: int) -> None:
        for _row in range(count):
            community = make_community(renovation_year=2022, renovation_status="planned")
            item = make_item(
                community=community,
                building=make_building(community=community),
                planned_start=date(2023, 3, 1),
            )
            make_funding(item=item, amount=Decimal("1000.00"))

    add_items(3)
    staff_client.get(url)

    # session, user, kind filter options, district filter options, count, the page's rows
    # (community, kind and building joined; funding total as a subquery), date hierarchy
    # bounds, date hierarchy years, batch-year filter options
    with django_assert_num_queries(9):
        response = staff_client.get(url)
    assert response.context["cl"].result_count == 3
    add_items(27)
    with django_assert_num_queries(9):
        response = staff_client.get(url)

    assert response.context["cl"].result_count == 30


def test_the_item_changelist_shows_each_items_funding_total(staff_client):
    funded_item(central_subsidy="60000.00", local_budget="15000.50")

    response = staff_client.get(admin_url("renovationitem_changelist"))

    assert "¥75,000.50" in response.content.decode()
    assert "¥100,000.00" in response.content.decode()


def test_the_item_changelist_filters_by_status_category_district_and_year(staff_client):
    community = make_community(renovation_status="planned", renovation_year=2023)
    wanted = make_item(community=community, status=ItemStatus.DESIGNING)
    make_item(community=community, status=ItemStatus.PLANNED)
    make_item(
        community=community,
        status=ItemStatus.DESIGNING,
        kind=RenovationKind.objects.get(code="elevator"),
    )
    make_item(
        community=make_community(renovation_status="planned", renovation_year=2022),
        status=ItemStatus.DESIGNING,
    )

    response = staff_client.get(
        admin_url("renovationitem_changelist"),
        {
            "status__exact": ItemStatus.DESIGNING,
            "kind__category__exact": Category.BASIC,
            "community__district__id__exact": community.district_id,
            "community__renovation_year": 2023,
        },
    )

    assert list(response.context["cl"].result_list) == [wanted]


# Items: add and change pages


def test_the_item_change_page_runs_the_same_queries_for_one_and_seven_funding_lines(
    staff_client, django_assert_num_queries
):
    item = funded_item(budget="700000.00", central_subsidy="1000.00")
    item.building = make_building(community=item.community)
    item.save()
    url = admin_url("renovationitem_change", item.pk)
    staff_client.get(url)

    # session, user, the item (with its funding total), its funding lines, its quantities,
    # and the autocomplete labels of its community, building (with its community) and kind
    with django_assert_num_queries(8):
        assert staff_client.get(url).status_code == 200
    for source in FundingSource.values[1:]:
        make_funding(item=item, source=source, amount=Decimal("1000.00"))
    with django_assert_num_queries(8):
        response = staff_client.get(url)

    [funding, _quantities] = response.context["inline_admin_formsets"]
    assert len(funding.formset.forms) == 7


def test_the_item_add_page_renders(staff_client, django_assert_max_num_queries):
    staff_client.get(admin_url("renovationitem_add"))

    # session, user
    with django_assert_max_num_queries(2):
        assert staff_client.get(admin_url("renovationitem_add")).status_code == 200


def test_the_item_admin_refuses_progress_over_100(staff_client, admin_form_data, admin_errors):
    item = make_item(status=ItemStatus.UNDER_CONSTRUCTION, progress=40)
    url = admin_url("renovationitem_change", item.pk)
    data = admin_form_data(staff_client.get(url))
    data["progress"] = "101"

    response = staff_client.post(url, data)

    assert admin_errors(response) == {
        "progress": [
            _("Ensure this value is less than or equal to %(limit_value)s.") % {"limit_value": 100}
        ]
    }
    item.refresh_from_db()
    assert item.progress == 40


def test_the_item_admin_refuses_completion_without_100_percent_and_its_date(
    staff_client, admin_form_data, admin_errors
):
    item = make_item(status=ItemStatus.UNDER_CONSTRUCTION, progress=90)
    url = admin_url("renovationitem_change", item.pk)
    data = admin_form_data(staff_client.get(url))
    data["status"] = ItemStatus.COMPLETED

    response = staff_client.post(url, data)

    assert admin_errors(response) == {
        "progress": [_("A completed item is 100% done.")],
        "actual_end": [_("A completed item needs its completion date.")],
    }
    item.refresh_from_db()
    assert item.status == ItemStatus.UNDER_CONSTRUCTION


def test_the_item_admin_refuses_an_end_before_the_start(
    staff_client, admin_form_data, admin_errors
):
    item = make_item(planned_start=date(2023, 3, 1), planned_end=date(2023, 9, 1))
    url = admin_url("renovationitem_change", item.pk)
    data = admin_form_data(staff_client.get(url))
    data["planned_end"] = "2023-02-28"

    response = staff_client.post(url, data)

    assert admin_errors(response) == {
        "__all__": [_("The planned end cannot be before the planned start.")]
    }
    item.refresh_from_db()
    assert item.planned_end == date(2023, 9, 1)


def test_the_item_admin_refuses_a_negative_budget(staff_client, admin_form_data, admin_errors):
    item = funded_item(central_subsidy="10000.00")
    url = admin_url("renovationitem_change", item.pk)
    data = admin_form_data(staff_client.get(url))
    data["budget"] = "-1.00"

    response = staff_client.post(url, data)

    # The item reports its own budget; the funding inline adds nothing to it.
    assert set(admin_errors(response)) == {"budget"}
    item.refresh_from_db()
    assert item.budget == Decimal("100000.00")


def test_the_item_admin_refuses_work_on_a_dangerous_building_before_reinforcement(
    staff_client, admin_form_data, admin_errors
):
    building = make_building(
        label="5号楼", safety_grade=SafetyGrade.D, appraised_on=date(2021, 5, 1)
    )
    item = make_item(community=building.community, building=building)
    url = admin_url("renovationitem_change", item.pk)
    data = admin_form_data(staff_client.get(url))
    data.update(status=ItemStatus.UNDER_CONSTRUCTION, actual_start="2022-04-01", progress="10")

    response = staff_client.post(url, data)

    assert admin_errors(response) == {
        "status": [
            _(
                "Reinforce first: building %(building)s is graded %(grade)s; no other work may "
                "start until it is reinforced and re-appraised A or B."
            )
            % {"building": "5号楼", "grade": "D"}
        ]
    }
    item.refresh_from_db()
    assert item.status == ItemStatus.PLANNED


def test_the_item_admin_lets_reinforcement_start_on_a_dangerous_building(
    staff_client, admin_form_data
):
    building = make_building(
        community=make_community(renovation_status=RenovationStatus.PLANNED),
        safety_grade=SafetyGrade.C,
        appraised_on=date(2021, 5, 1),
    )
    item = make_item(
        community=building.community,
        building=building,
        kind=RenovationKind.objects.get(code="structural-reinforcement"),
    )
    url = admin_url("renovationitem_change", item.pk)
    data = admin_form_data(staff_client.get(url))
    data.update(status=ItemStatus.UNDER_CONSTRUCTION, actual_start="2022-04-01", progress="10")

    response = staff_client.post(url, data)

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.UNDER_CONSTRUCTION


def test_the_item_admin_adds_an_item_with_its_funding(staff_client, admin_form_data):
    community = make_community()
    data = admin_form_data(staff_client.get(admin_url("renovationitem_add")))
    data.update(
        {
            "community": community.pk,
            "kind": RenovationKind.objects.get(code="roads").pk,
            "title": "小区道路修缮",
            "budget": "200000.00",
            "funding-TOTAL_FORMS": "2",
            "funding-0-source": FundingSource.CENTRAL_SUBSIDY,
            "funding-0-amount": "120000.00",
            "funding-1-source": FundingSource.RESIDENTS,
            "funding-1-amount": "80000.00",
        }
    )

    response = staff_client.post(admin_url("renovationitem_add"), data)

    assert response.status_code == 302
    item = RenovationItem.objects.get(title="小区道路修缮")
    assert funding_of(item) == {
        FundingSource.CENTRAL_SUBSIDY: Decimal("120000.00"),
        FundingSource.RESIDENTS: Decimal("80000.00"),
    }


# Items: the funding inline weighs every line, as edited, against the budget, as edited


def test_the_funding_inline_refuses_new_lines_past_the_budget_on_a_new_item(
    staff_client, admin_form_data, admin_errors
):
    community = make_community()
    data = admin_form_data(staff_client.get(admin_url("renovationitem_add")))
    data.update(
        {
            "community": community.pk,
            "kind": RenovationKind.objects.get(code="roads").pk,
            "title": "小区道路修缮",
            "budget": "100000.00",
            "funding-TOTAL_FORMS": "2",
            "funding-0-source": FundingSource.CENTRAL_SUBSIDY,
            "funding-0-amount": "70000",
            "funding-1-source": FundingSource.LOCAL_BUDGET,
            "funding-1-amount": "40000",
        }
    )

    response = staff_client.post(admin_url("renovationitem_add"), data)

    assert admin_errors(response) == {
        "funding": [_(OVER_BUDGET) % {"total": "110000.00", "budget": "100000.00"}]
    }
    assert not RenovationItem.objects.filter(title="小区道路修缮").exists()


def test_the_funding_inline_refuses_a_line_added_past_the_budget_once(
    staff_client, admin_form_data, admin_errors
):
    item = funded_item(central_subsidy="60000.00")
    url = admin_url("renovationitem_change", item.pk)
    data = admin_form_data(staff_client.get(url))
    data.update(
        {
            "funding-TOTAL_FORMS": "2",
            "funding-1-source": FundingSource.RESIDENTS,
            "funding-1-amount": "40000.01",
        }
    )

    response = staff_client.post(url, data)

    assert admin_errors(response) == {
        "funding": [_(OVER_BUDGET) % {"total": "100000.01", "budget": "100000.00"}]
    }
    assert funding_of(item) == {FundingSource.CENTRAL_SUBSIDY: Decimal("60000.00")}


def test_the_funding_inline_refuses_a_budget_lowered_below_the_lines_once(
    staff_client, admin_form_data, admin_errors
):
    item = funded_item(central_subsidy="60000.00", local_budget="20000.00")
    url = admin_url("renovationitem_change", item.pk)
    data = admin_form_data(staff_client.get(url))
    data["budget"] = "50000.00"

    response = staff_client.post(url, data)

    # One message, on the funding, not a second one on the budget field.
    assert admin_errors(response) == {
        "funding": [_(OVER_BUDGET) % {"total": "80000.00", "budget": "50000.00"}]
    }
    item.refresh_from_db()
    assert item.budget == Decimal("100000.00")


def test_the_funding_inline_accepts_a_budget_lowered_together_with_its_lines(
    staff_client, admin_form_data
):
    item = funded_item(central_subsidy="60000.00", local_budget="20000.00")
    url = admin_url("renovationitem_change", item.pk)
    data = admin_form_data(staff_client.get(url))
    data["budget"] = "50000.00"
    data[f"funding-{line_index(data, FundingSource.CENTRAL_SUBSIDY)}-amount"] = "30000.00"

    response = staff_client.post(url, data)

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.budget == Decimal("50000.00")
    assert funding_of(item) == {
        FundingSource.CENTRAL_SUBSIDY: Decimal("30000.00"),
        FundingSource.LOCAL_BUDGET: Decimal("20000.00"),
    }


def test_the_funding_inline_accepts_money_moved_between_lines_within_the_budget(
    staff_client, admin_form_data
):
    # Line by line against the lines as saved, the raised line would seem to overrun:
    # 60,000 (saved) + 70,000 > 100,000. Together, as edited, they come to 100,000.
    item = funded_item(central_subsidy="60000.00", local_budget="40000.00")
    url = admin_url("renovationitem_change", item.pk)
    data = admin_form_data(staff_client.get(url))
    data[f"funding-{line_index(data, FundingSource.CENTRAL_SUBSIDY)}-amount"] = "30000.00"
    data[f"funding-{line_index(data, FundingSource.LOCAL_BUDGET)}-amount"] = "70000.00"

    response = staff_client.post(url, data)

    assert response.status_code == 302
    assert funding_of(item) == {
        FundingSource.CENTRAL_SUBSIDY: Decimal("30000.00"),
        FundingSource.LOCAL_BUDGET: Decimal("70000.00"),
    }


def test_the_funding_inline_does_not_count_a_line_being_deleted(staff_client, admin_form_data):
    item = funded_item(central_subsidy="60000.00", local_budget="40000.00")
    url = admin_url("renovationitem_change", item.pk)
    data = admin_form_data(staff_client.get(url))
    data[f"funding-{line_index(data, FundingSource.LOCAL_BUDGET)}-DELETE"] = "on"
    data.update(
        {
            "funding-TOTAL_FORMS": "3",
            "funding-2-source": FundingSource.SPECIAL_BONDS,
            "funding-2-amount": "40000.00",
        }
    )

    response = staff_client.post(url, data)

    assert response.status_code == 302
    assert funding_of(item) == {
        FundingSource.CENTRAL_SUBSIDY: Decimal("60000.00"),
        FundingSource.SPECIAL_BONDS: Decimal("40000.00"),
    }


def test_the_funding_inline_reports_a_negative_line_on_its_row_only(
    staff_client, admin_form_data, admin_errors
):
    item = funded_item(central_subsidy="60000.00")
    url = admin_url("renovationitem_change", item.pk)
    data = admin_form_data(staff_client.get(url))
    data.update(
        {
            "funding-TOTAL_FORMS": "2",
            "funding-1-source": FundingSource.OTHER,
            "funding-1-amount": "-5.00",
        }
    )

    response = staff_client.post(url, data)

    assert admin_errors(response) == {"funding-1-amount": [_("This cannot be negative.")]}
    assert funding_of(item) == {FundingSource.CENTRAL_SUBSIDY: Decimal("60000.00")}


def test_the_funding_inline_refuses_two_lines_from_one_source(
    staff_client, admin_form_data, admin_errors
):
    item = funded_item(central_subsidy="10000.00")
    url = admin_url("renovationitem_change", item.pk)
    data = admin_form_data(staff_client.get(url))
    data.update(
        {
            "funding-TOTAL_FORMS": "2",
            "funding-1-source": FundingSource.CENTRAL_SUBSIDY,
            "funding-1-amount": "5000.00",
        }
    )

    response = staff_client.post(url, data)

    # Refused on the new line itself (the inline checks the whole record, its uniqueness too).
    assert any(key.startswith("funding") for key in admin_errors(response))
    assert funding_of(item) == {FundingSource.CENTRAL_SUBSIDY: Decimal("10000.00")}


# Funding lines on their own


def test_the_funding_changelist_runs_the_same_queries_for_3_and_30_rows(
    staff_client, django_assert_num_queries
):
    url = admin_url("fundingline_changelist")
    for _row in range(3):
        make_funding()
    staff_client.get(url)

    # session, user, district filter options, count, the page's rows (item and community joined)
    with django_assert_num_queries(5):
        response = staff_client.get(url)
    assert response.context["cl"].result_count == 3
    for _row in range(27):
        make_funding()
    with django_assert_num_queries(5):
        response = staff_client.get(url)

    assert response.context["cl"].result_count == 30


def test_the_funding_add_and_change_pages_render(staff_client, django_assert_max_num_queries):
    line = make_funding()
    staff_client.get(admin_url("fundingline_change", line.pk))

    # session, user; the change page adds the line and its item's autocomplete label
    with django_assert_max_num_queries(2):
        assert staff_client.get(admin_url("fundingline_add")).status_code == 200
    with django_assert_max_num_queries(4):
        assert staff_client.get(admin_url("fundingline_change", line.pk)).status_code == 200


def test_the_funding_admin_refuses_a_line_past_the_items_budget(
    staff_client, admin_form_data, admin_errors
):
    item = funded_item(central_subsidy="60000.00")
    data = admin_form_data(staff_client.get(admin_url("fundingline_add")))
    data.update(item=item.pk, source=FundingSource.SOCIAL_CAPITAL, amount="50000.00")

    response = staff_client.post(admin_url("fundingline_add"), data)

    [message] = admin_errors(response)["amount"]
    assert "¥110000.00" in message
    assert funding_of(item) == {FundingSource.CENTRAL_SUBSIDY: Decimal("60000.00")}


def test_the_funding_admin_adds_a_line_within_the_budget(staff_client, admin_form_data):
    item = funded_item(central_subsidy="60000.00")
    data = admin_form_data(staff_client.get(admin_url("fundingline_add")))
    data.update(item=item.pk, source=FundingSource.SOCIAL_CAPITAL, amount="40000.00")

    response = staff_client.post(admin_url("fundingline_add"), data)

    assert response.status_code == 302
    assert FundingLine.objects.get(item=item, source=FundingSource.SOCIAL_CAPITAL).amount == (
        Decimal("40000.00")
    )


# Staff who may change items but not their funding


def clerk_client(django_user_model, *codenames):
    from django.contrib.auth.models import Permission
    from django.test import Client

    clerk = django_user_model.objects.create_user("district-clerk", password="pw-clerk-9x!")
    clerk.is_staff = True
    clerk.save()
    clerk.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(clerk)
    return client


def test_the_funding_inline_weighs_lines_a_clerk_may_only_view(
    django_user_model, admin_form_data, admin_errors
):
    client = clerk_client(
        django_user_model, "view_renovationitem", "change_renovationitem", "view_fundingline"
    )
    item = funded_item(central_subsidy="60000.00", local_budget="20000.00")
    url = admin_url("renovationitem_change", item.pk)
    data = admin_form_data(client.get(url))
    data["budget"] = "50000.00"

    response = client.post(url, data)

    assert admin_errors(response) == {
        "funding": [_(OVER_BUDGET) % {"total": "80000.00", "budget": "50000.00"}]
    }
    item.refresh_from_db()
    assert item.budget == Decimal("100000.00")


def test_the_item_weighs_its_saved_funding_when_a_clerk_may_not_see_it(
    django_user_model, admin_form_data, admin_errors
):
    client = clerk_client(django_user_model, "view_renovationitem", "change_renovationitem")
    item = funded_item(central_subsidy="60000.00", local_budget="20000.00")
    url = admin_url("renovationitem_change", item.pk)
    page = client.get(url)
    data = admin_form_data(page)
    data["budget"] = "50000.00"

    response = client.post(url, data)

    assert page.context["inline_admin_formsets"] == []
    assert list(admin_errors(response)) == ["budget"]
    item.refresh_from_db()
    assert item.budget == Decimal("100000.00")


def test_the_item_history_page_lists_changes_made_through_the_admin(
    staff_client, admin_form_data, city_admin
):
    item = funded_item(central_subsidy="10000.00")
    url = admin_url("renovationitem_change", item.pk)
    data = admin_form_data(staff_client.get(url))
    data["contractor"] = "泰安市建工集团"
    staff_client.post(url, data)

    response = staff_client.get(admin_url("renovationitem_history", item.pk))

    assert response.status_code == 200
    assert item.history.latest().contractor == "泰安市建工集团"
    assert city_admin.username in response.content.decode()
