"""The satisfaction figures against values computed by hand, the rankings, and what a
community's page reads of its proposals, plans and ratings."""

from datetime import date
from decimal import Decimal

import pytest

from communities.participation.choices import ProposalStatus
from communities.participation.selectors import (
    ProposalCounts,
    Satisfaction,
    by_district,
    by_year,
    city_satisfaction,
    community_participation,
    community_ranking,
    contractor_ranking,
    satisfaction,
    scoped_ratings,
)
from communities.places.choices import RenovationStatus
from communities.works.choices import DesignPlanStatus, ItemStatus
from tests.support.factories import make_district, make_item
from tests.support.participation import (
    make_completed_community,
    make_finished_item,
    make_plan,
    make_proposal,
    make_rating,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    """Three completed communities, three rated items, eight ratings:

    ========  ==========  ====  =========  =========================  =====
    district  community   year  subject    ratings (work, process,    sum
                                           management)
    ========  ==========  ====  =========  =========================  =====
    370902    乐园小区    2022  whole      (5,5,5) (4,4,3)            15 11
    370902    乐园小区    2022  甲 item    (3,3,3) (5,4,4)             9 13
    370902    乐园小区    2022  乙 item    (4,5,4)                    13
    370902    松园小区    2021  whole      (2,3,1) (4,4,4)             6 12
    370911    天平花园    2022  乙 item    (5,5,4)                    14
    ========  ==========  ====  =========  =========================  =====
    """
    taishan = make_district(code="370902", name="泰山区")
    daiyue = make_district(code="370911", name="岱岳区")
    leyuan = make_completed_community(district=taishan, name="乐园小区", renovation_year=2022)
    songyuan = make_completed_community(district=taishan, name="松园小区", renovation_year=2021)
    tianping = make_completed_community(district=daiyue, name="天平花园", renovation_year=2022)
    pipes = make_finished_item(community=leyuan, title="供水管网", contractor="甲建设")
    roofs = make_finished_item(community=leyuan, title="屋面防水", contractor="乙工程")
    roads = make_finished_item(community=tianping, title="道路修缮", contractor="乙工程")
    for scores in [(5, 5, 5), (4, 4, 3)]:
        make_rating(community=leyuan, scores=scores)
    for scores in [(3, 3, 3), (5, 4, 4)]:
        make_rating(item=pipes, scores=scores)
    make_rating(item=roofs, scores=(4, 5, 4))
    for scores in [(2, 3, 1), (4, 4, 4)]:
        make_rating(community=songyuan, scores=scores)
    make_rating(item=roads, scores=(5, 5, 4))
    return {
        "leyuan": leyuan,
        "songyuan": songyuan,
        "tianping": tianping,
        "pipes": pipes,
        "roofs": roofs,
        "roads": roads,
    }


def figures(satisfaction: Satisfaction) -> dict:
    return {key: str(value) for key, value in satisfaction.as_dict().items()}


def test_the_city_figures_match_the_hand_computed_ones(city):
    overall = satisfaction()

    # work 32, process 33, management 28 over 8 ratings; sums ≥ 12: 15 13 13 12 14
    assert figures(overall) == {
        "ratings": "8",
        "satisfied": "5",
        "average": "3.88",  # 93 / 24 = 3.875
        "share_satisfied": "62.5",
        "work_average": "4.00",
        "process_average": "4.13",  # 33 / 8 = 4.125, half up
        "management_average": "3.50",
        "work_share_satisfied": "75.0",
        "process_share_satisfied": "75.0",
        "management_share_satisfied": "62.5",
    }


def test_figures_by_district_and_by_batch_year(city):
    ratings = scoped_ratings()

    districts = {row["district"]: row["figures"] for row in by_district(ratings)}
    years = {row["year"]: row["figures"] for row in by_year(ratings)}

    # 370902: 7 ratings, sum 79 of 21 scores, satisfied 4; 370911: (5,5,4)
    assert (districts["370902"].average, districts["370902"].share_satisfied) == (
        Decimal("3.76"),
        Decimal("57.1"),
    )
    assert (districts["370911"].average, districts["370911"].share_satisfied) == (
        Decimal("4.67"),
        Decimal("100.0"),
    )
    # 2021: (2,3,1) (4,4,4) = 18 / 6; 2022: 75 / 18, satisfied 4 of 6
    assert (years[2021].average, years[2021].share_satisfied) == (Decimal("3.00"), Decimal("50.0"))
    assert (years[2022].average, years[2022].share_satisfied) == (Decimal("4.17"), Decimal("66.7"))
    assert [row["district_name"] for row in by_district(ratings)] == ["泰山区", "岱岳区"]


def test_every_rating_in_a_community_counts_for_it_and_items_for_their_contractor(city):
    ratings = scoped_ratings()

    communities = community_ranking(ratings, min_ratings=1)
    contractors = contractor_ranking(ratings, min_ratings=1)

    # 乐园小区: 15 11 9 13 13 = 61 / 15; 天平花园: 14 / 3; 松园小区: 18 / 6
    assert [
        (r.rank, r.key["name"], str(r.figures.average), str(r.figures.share_satisfied))
        for r in communities
    ] == [
        (1, "天平花园", "4.67", "100.0"),
        (2, "乐园小区", "4.07", "60.0"),
        (3, "松园小区", "3.00", "50.0"),
    ]
    # Whole-community ratings count for no contractor. 乙: 13 + 14 = 27 / 6; 甲: 9 + 13 = 22 / 6
    assert [
        (r.rank, r.key["contractor"], r.key["items"], str(r.figures.average), r.figures.ratings)
        for r in contractors
    ] == [(1, "乙工程", 2, "4.50", 2), (2, "甲建设", 1, "3.67", 2)]


def test_rankings_leave_out_subjects_with_too_few_ratings(city):
    statistics = city_satisfaction(min_ratings=3)

    assert [row.key["name"] for row in statistics["communities"]] == ["乐园小区"]
    assert statistics["unranked_communities"] == 2
    assert statistics["contractors"] == []
    # The figures themselves still count every rating.
    assert statistics["overall"].ratings == 8
    assert sum(row["figures"].ratings for row in statistics["by_district"]) == 8


def test_the_minimum_defaults_to_the_setting(city, settings):
    settings.RENOVATION = {**settings.RENOVATION, "SATISFACTION_MIN_RATINGS": 2}

    statistics = city_satisfaction()

    assert statistics["min_ratings"] == 2
    assert [row.key["name"] for row in statistics["communities"]] == ["乐园小区", "松园小区"]


def test_equal_figures_share_a_rank():
    district = make_district()
    for name, scores in [("甲小区", (4, 4, 4)), ("乙小区", (4, 4, 4)), ("丙小区", (3, 3, 3))]:
        community = make_completed_community(district=district, name=name)
        make_rating(community=community, scores=scores)
    make_rating(community=community, scores=(3, 3, 3))  # 丙 has more ratings, lower average

    ranking = community_ranking(scoped_ratings(), min_ratings=1)

    # tied: listed by number of ratings, then name (乙 U+4E59 before 甲 U+7532)
    assert [(row.rank, row.key["name"]) for row in ranking] == [
        (1, "乙小区"),
        (1, "甲小区"),
        (3, "丙小区"),
    ]


def test_a_lower_share_satisfied_ranks_lower_at_an_equal_average():
    district = make_district()
    even = make_completed_community(district=district, name="平均小区")
    split = make_completed_community(district=district, name="两极小区")
    for scores in [(4, 4, 4), (4, 4, 4)]:
        make_rating(community=even, scores=scores)
    for scores in [(5, 5, 5), (3, 3, 3)]:
        make_rating(community=split, scores=scores)

    ranking = community_ranking(scoped_ratings(), min_ratings=1)

    assert [(row.rank, row.key["name"]) for row in ranking] == [(1, "平均小区"), (2, "两极小区")]


def test_scoping_by_district_year_and_community(city):
    assert satisfaction(scoped_ratings(district="370911")).ratings == 1
    assert satisfaction(scoped_ratings(year=2021)).ratings == 2
    leyuan = scoped_ratings(community=city["leyuan"].pk)
    assert satisfaction(leyuan).ratings == 5


def test_the_items_of_a_community_have_their_own_figures(city):
    statistics = city_satisfaction(community=city["leyuan"].pk)

    assert [
        (row["title"], row["contractor"], str(row["figures"].average))
        for row in statistics["by_item"]
    ] == [("供水管网", "甲建设", "3.67"), ("屋面防水", "乙工程", "4.33")]
    assert city_satisfaction()["by_item"] is None


def test_without_ratings_there_are_no_averages():
    empty = satisfaction()

    assert (empty.ratings, empty.average, empty.share_satisfied) == (0, None, None)
    assert empty.aspects[0]["average"] is None


def test_shares_and_averages_round_half_up():
    # 1 of 16 satisfied is 6.25 %; 33 of 8 ratings' work scores is 4.125
    figures = Satisfaction(ratings=16, satisfied=1, work_total=66, work_satisfied=1)

    assert figures.share_satisfied == Decimal("6.3")
    assert figures.aspect_average("work") == Decimal("4.13")
    assert figures.aspect_share_satisfied("work_score") == Decimal("6.3")


def test_the_figures_of_disjoint_sets_add_up(city):
    ratings = scoped_ratings()
    parts = [row["figures"] for row in by_district(ratings)]

    assert sum(parts, Satisfaction()) == satisfaction(ratings)


def test_the_city_figures_take_a_fixed_number_of_queries(city, django_assert_num_queries):
    # overall, by district, by year, communities ranked, contractors ranked, unranked count
    with django_assert_num_queries(6):
        city_satisfaction()
    # ... and the items of the community
    with django_assert_num_queries(7):
        city_satisfaction(community=city["leyuan"].pk)


# --- A community's page -----------------------------------------------------------------------


@pytest.fixture
def leyuan():
    community = make_completed_community(name="乐园小区", renovation_year=2022)
    done = make_finished_item(community=community, title="幸福食堂")
    planned = make_item(community=community, title="充电车棚", status=ItemStatus.PLANNED)
    make_proposal(
        community=community,
        title="建老年食堂",
        status=ProposalStatus.ADOPTED,
        item=done,
        submitted_on=date(2021, 9, 1),
    )
    make_proposal(
        community=community, title="建充电车棚", status=ProposalStatus.ADOPTED, item=planned
    )
    make_proposal(community=community, title="建地下停车场", status=ProposalStatus.DECLINED)
    make_proposal(community=community, title="增设快递柜", submitted_on=date(2023, 12, 1))
    make_plan(community=community, status=DesignPlanStatus.SUPERSEDED, batch_year=2022)
    make_plan(community=community, version=2, status=DesignPlanStatus.APPROVED, batch_year=2022)
    make_plan(community=community, version=3, batch_year=2022)  # a draft: not public
    make_rating(community=community, scores=(5, 5, 5), comment="改造后住着舒心。")
    make_rating(
        community=community, scores=(2, 2, 2), comment="施工队老张电话1390000", comment_hidden=True
    )
    make_rating(item=done, scores=(4, 4, 4), comment="")
    return community


def test_a_community_page_reads_its_proposals_plans_and_ratings(leyuan, django_assert_num_queries):
    # proposals with their items, public plans, their documents, ratings per subject, comments
    with django_assert_num_queries(5):
        page = community_participation(leyuan)

    # newest first; on the same day, the later record first
    assert [p.title for p in page.proposals] == [
        "增设快递柜",
        "建地下停车场",
        "建充电车棚",
        "建老年食堂",
    ]
    assert page.counts == ProposalCounts(received=4, adopted=2, declined=1, pending=1, done=1)
    assert [(plan.version, plan.status) for plan in page.plans] == [
        (2, "approved"),
        (1, "superseded"),
    ]
    assert page.current_plan.version == 2
    assert (page.satisfaction.ratings, str(page.satisfaction.average)) == (3, "3.67")
    assert page.whole_community.ratings == 2
    assert [(row["title"], row["figures"].ratings) for row in page.items] == [("幸福食堂", 1)]
    assert [rating.comment for rating in page.comments] == ["改造后住着舒心。"]
    assert page.ranked is False  # 3 ratings, fewer than the 10 the city ranks from


def test_the_current_plan_is_the_approved_one_of_the_batch_else_one_in_notice():
    community = make_completed_community(renovation_year=2022)
    make_plan(community=community, batch_year=2021, status=DesignPlanStatus.APPROVED)
    noticed = make_plan(community=community, batch_year=2022, status=DesignPlanStatus.NOTICE)

    assert community_participation(community).current_plan == noticed


def test_a_community_without_any_of_it_reads_empty():
    community = make_completed_community(renovation_status=RenovationStatus.PLANNED)

    page = community_participation(community)

    assert (page.proposals, page.plans, page.current_plan, page.comments) == ([], [], None, [])
    assert page.satisfaction == Satisfaction()
