"""The measures against hand-computed values; the classified-management view; renewal
reminders; masking personal data in public text."""

from datetime import date, datetime, timedelta

import pytest

from communities.core.masking import public_text
from communities.property.choices import ManagementMode
from communities.property.selectors import management_modes, renewal_reminders
from communities.repairs import services
from communities.repairs.selectors import repair_measures
from tests.support.factories import make_community, make_district, make_service
from tests.support.repairs import SHANGHAI, T0, at, make_request

JULY = T0 + timedelta(days=30)


@pytest.fixture
def city(db):
    """Eight requests whose measures are worked out by hand in the tests below.

    Communities: A and B in one district, C in another. A is served by 甲物业 and C by 乙物业;
    B has no contract, so the neighbourhood (东湖社区) handles its requests. Hours after
    submission (dispatch / resolve):

    June  #1 A closed      1 / 10, rated 5
          #2 A closed      3 / 80 (deadline 72: late), rated 2
          #3 A resolved    2 / 20, reopened at 25, resolved again at 40
          #4 B closed      5 / 30, rated 4
          #5 B dispatched  4 / —
    July  #6 C rejected    — (from submitted)
          #7 C closed      0.5 / 6, an elevator (deadline 24), rated 3
          #8 C submitted   —
    """
    first, second = make_district(), make_district()
    a = make_community(district=first, name="A小区")
    b = make_community(district=first, name="B小区", neighbourhood="东湖社区")
    c = make_community(district=second, name="C小区")
    make_service(community=a, provider_name="甲物业", contract_start=date(2024, 1, 1))
    make_service(community=c, provider_name="乙物业", contract_start=date(2024, 1, 1))

    make_request(community=a, state="closed", hours={"dispatch": 1, "resolve": 10}, rating=5)
    make_request(
        community=a,
        state="closed",
        hours={"dispatch": 3, "start": 4, "resolve": 80, "close": 90},
        rating=2,
    )
    third = make_request(community=a, state="resolved", hours={"dispatch": 2, "resolve": 20})
    third = services.repair_request_reopen(repair_request=third, reason="又漏了", at=at(25))
    third = services.repair_request_start(repair_request=third, at=at(26))
    services.repair_request_resolve(repair_request=third, resolution="换了整段管", at=at(40))
    make_request(
        community=b,
        state="closed",
        hours={"dispatch": 5, "start": 6, "resolve": 30, "close": 40},
        rating=4,
    )
    make_request(community=b, state="dispatched", hours={"dispatch": 4})
    make_request(community=c, state="rejected", start=JULY)
    make_request(
        community=c,
        state="closed",
        start=JULY,
        category="elevator",
        hours={"dispatch": 0.5, "start": 1, "resolve": 6, "close": 8},
        rating=3,
    )
    make_request(community=c, start=JULY)
    return {"first": first, "second": second, "a": a, "b": b, "c": c}


MEASURES_A = {
    "requests": 3,
    "open": 0,
    "overdue": 0,
    "resolved": 3,
    "resolved_within_deadline": 2,
    "share_resolved_within_deadline": 0.6667,
    "median_hours_to_dispatch": 2.0,
    "median_hours_to_resolve": 40.0,
    "rated": 2,
    "average_rating": 3.5,
    "reopened": 1,
}
MEASURES_B = {
    "requests": 2,
    "open": 1,
    "overdue": 1,
    "resolved": 1,
    "resolved_within_deadline": 1,
    "share_resolved_within_deadline": 1.0,
    "median_hours_to_dispatch": 4.5,
    "median_hours_to_resolve": 30.0,
    "rated": 1,
    "average_rating": 4.0,
    "reopened": 0,
}
MEASURES_C = {
    "requests": 3,
    "open": 1,
    "overdue": 1,
    "resolved": 1,
    "resolved_within_deadline": 1,
    "share_resolved_within_deadline": 1.0,
    "median_hours_to_dispatch": 0.5,
    "median_hours_to_resolve": 6.0,
    "rated": 1,
    "average_rating": 3.0,
    "reopened": 0,
}
MEASURES_FIRST_DISTRICT = {  # A and B, which are also the June requests
    "requests": 5,
    "open": 1,
    "overdue": 1,
    "resolved": 4,
    "resolved_within_deadline": 3,
    "share_resolved_within_deadline": 0.75,
    "median_hours_to_dispatch": 3.0,  # 1 2 [3] 4 5
    "median_hours_to_resolve": 35.0,  # 10 [30 40] 80
    "rated": 3,
    "average_rating": 3.67,  # (5 + 2 + 4) / 3
    "reopened": 1,
}


def test_it_counts_requests_by_status_and_category(city):
    measures = repair_measures()

    assert measures["total"] == 8
    assert measures["by_status"] == {
        "submitted": 1,
        "dispatched": 1,
        "in_progress": 0,
        "resolved": 1,
        "closed": 4,
        "rejected": 1,
    }
    assert measures["by_category"]["plumbing"] == 7
    assert measures["by_category"]["elevator"] == 1
    assert measures["by_category"]["greening"] == 0


def test_overall_measures_match_the_hand_computed_values(city):
    assert repair_measures()["overall"] == {
        "requests": 8,
        "open": 2,
        "overdue": 2,
        "resolved": 5,
        "resolved_within_deadline": 4,  # all but #2
        "share_resolved_within_deadline": 0.8,
        "median_hours_to_dispatch": 2.5,  # 0.5 1 [2 3] 4 5
        "median_hours_to_resolve": 30.0,  # 6 10 [30] 40 80
        "rated": 4,
        "average_rating": 3.5,  # (5 + 2 + 4 + 3) / 4
        "reopened": 1,
    }


def _strip(row: dict, *keys: str) -> dict:
    return {key: value for key, value in row.items() if key not in keys}


def test_measures_by_community(city):
    rows = {row["community_name"]: row for row in repair_measures()["by_community"]}

    assert _strip(rows["A小区"], "community", "community_name", "district") == MEASURES_A
    assert _strip(rows["B小区"], "community", "community_name", "district") == MEASURES_B
    assert _strip(rows["C小区"], "community", "community_name", "district") == MEASURES_C
    assert rows["A小区"]["community"] == city["a"].pk
    assert rows["C小区"]["district"] == city["second"].code


def test_measures_by_property_company_including_the_neighbourhood_fallback(city):
    rows = {
        (row["handler_kind"], row["handler_name"]): _strip(row, "handler_kind", "handler_name")
        for row in repair_measures()["by_handler"]
    }

    assert rows[("covering_service", "甲物业")] == MEASURES_A
    assert rows[("neighbourhood_fallback", "东湖社区")] == MEASURES_B
    assert rows[("covering_service", "乙物业")]["median_hours_to_resolve"] == 6.0
    not_dispatched = rows[(None, None)]
    assert (not_dispatched["requests"], not_dispatched["open"]) == (2, 1)
    assert not_dispatched["median_hours_to_dispatch"] is None
    assert not_dispatched["share_resolved_within_deadline"] is None


def test_measures_by_district(city):
    rows = {row["district"]: row for row in repair_measures()["by_district"]}

    assert _strip(rows[city["first"].code], "district", "district_name") == (
        MEASURES_FIRST_DISTRICT
    )
    assert _strip(rows[city["second"].code], "district", "district_name") == MEASURES_C
    assert rows[city["first"].code]["district_name"] == city["first"].name


def test_measures_by_month(city):
    rows = repair_measures()["by_month"]

    assert [row["month"] for row in rows] == ["2025-06", "2025-07"]
    assert _strip(rows[0], "month") == MEASURES_FIRST_DISTRICT
    assert _strip(rows[1], "month") == MEASURES_C


def test_the_month_is_the_local_one(db):
    # 00:30 on 1 July in Tai'an is still 30 June in UTC.
    make_request(start=datetime(2025, 7, 1, 0, 30, tzinfo=SHANGHAI))
    assert [row["month"] for row in repair_measures()["by_month"]] == ["2025-07"]


def test_the_measures_narrow_to_a_district_a_category_and_dates(city):
    assert repair_measures(district=city["second"].code)["total"] == 3
    assert repair_measures(community=city["b"].pk)["total"] == 2
    assert repair_measures(category="elevator")["overall"]["median_hours_to_resolve"] == 6.0
    assert repair_measures(since=JULY.date())["total"] == 3
    assert repair_measures(until=T0.date())["total"] == 5
    assert repair_measures(since=date(2030, 1, 1))["overall"]["requests"] == 0


def test_overdue_is_counted_as_of_the_given_moment(city):
    # Before any deadline has passed, nothing is overdue.
    assert repair_measures(now=at(1))["overall"]["overdue"] == 0


def test_no_requests_give_zeros_and_no_medians(db):
    measures = repair_measures()
    assert measures["total"] == 0
    assert measures["overall"]["median_hours_to_resolve"] is None
    assert measures["overall"]["average_rating"] is None
    assert measures["by_community"] == []


def test_the_measures_cost_the_same_queries_however_many_requests(city, django_assert_num_queries):
    # by status; by category; overall: aggregate and two medians; then by community, by
    # property company, by district and by month: aggregate and two medians each.
    with django_assert_num_queries(17):
        repair_measures()


# --- Property services over time --------------------------------------------------------------


def test_the_classified_management_view_counts_communities_by_mode(db):
    on = date(2025, 6, 1)
    district = make_district()
    make_service(
        community=make_community(district=district),
        is_red_property=True,
        fee_per_m2_month="0.60",
        contract_start=date(2024, 1, 1),
    )
    make_service(
        community=make_community(district=district),
        fee_per_m2_month="1.00",
        contract_start=date(2024, 1, 1),
    )
    make_service(
        community=make_community(district=district),
        mode=ManagementMode.FALLBACK,
        fee_per_m2_month="0",
        contract_start=date(2024, 1, 1),
    )
    make_service(
        community=make_community(district=district),
        mode=ManagementMode.SELF_MANAGED,
        contract_start=date(2024, 1, 1),
    )
    make_service(
        community=make_community(district=district),
        contract_start=date(2023, 1, 1),
        contract_end=date(2025, 5, 31),
    )
    make_community(district=district)
    make_community()  # another district

    modes = {row["mode"]: row for row in management_modes(on=on, district=district.code)}

    assert modes["professional"] == {
        "mode": "professional",
        "communities": 2,
        "red_property": 1,
        "average_fee_per_m2_month": 0.8,
    }
    assert modes["fallback"]["communities"] == 1
    assert modes["fallback"]["average_fee_per_m2_month"] == 0.0
    assert modes["self_managed"]["communities"] == 1
    assert modes["none"] == {
        "mode": "none",
        "communities": 2,
        "red_property": 0,
        "average_fee_per_m2_month": None,
    }


def test_renewal_reminders_come_soonest_first_with_their_community(db, django_assert_num_queries):
    on = date(2025, 6, 1)
    later = make_service(contract_start=date(2024, 1, 1), contract_end=date(2025, 7, 20))
    sooner = make_service(contract_start=date(2024, 1, 1), contract_end=date(2025, 6, 10))
    make_service(contract_start=date(2024, 1, 1), contract_end=date(2025, 9, 1))

    with django_assert_num_queries(1):
        reminders = list(renewal_reminders(on=on))
        names = [service.community.district.name for service in reminders]

    assert reminders == [sooner, later]
    assert len(names) == 2
    assert list(renewal_reminders(on=on, district=later.community.district.code)) == [later]


# --- Public text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("请联系13912345678", "请联系***********"),
        ("电话 139 1234 5678 谢谢", "电话 *** **** **** 谢谢"),
        ("+86 139-1234-5678", "+** ***-****-****"),
        ("物业 0538-1234567", "物业 ****-*******"),
        ("3号楼2单元，2025年6月", "3号楼2单元，2025年6月"),
        ("编号 123456789012", "编号 123456789012"),
    ],
)
def test_public_text_masks_phone_numbers(text, masked):
    assert public_text(text) == masked


def test_public_text_masks_the_reporters_name():
    assert public_text("王秘密家门口漏水", names=("王秘密",)) == "***家门口漏水"
    assert public_text("王家门口", names=("王",)) == "王家门口"  # one character: too common
