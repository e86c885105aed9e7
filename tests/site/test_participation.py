"""The public pages of residents' participation: the city-wide satisfaction ranking, and what a
community's page shows of its proposals, design plan and ratings."""

import re
from datetime import date

import pytest
from django.urls import reverse

from communities.participation.choices import ProposalStatus
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

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def get(client, url, **params):
    response = client.get(url, params, **EN)
    assert response.status_code == 200
    return response, response.content.decode()


def row(html: str, element_id: str, attribute: str, value) -> str:
    """The table row of ``element_id`` whose ``attribute`` is ``value``, without its tags."""
    table = re.search(rf'id="{element_id}".*?</table>', html, re.S).group(0)
    match = re.search(rf'<tr {attribute}="{value}">(.*?)</tr>', table, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip() if match else ""


# --- The city-wide page -----------------------------------------------------------------------


@pytest.fixture
def rated(settings):
    """乐园小区 rated 3 times, 松园小区 twice, 天平花园 once; the city ranks from 2 ratings."""
    settings.RENOVATION = {**settings.RENOVATION, "SATISFACTION_MIN_RATINGS": 2}
    taishan = make_district(code="370902", name="泰山区")
    daiyue = make_district(code="370911", name="岱岳区")
    leyuan = make_completed_community(district=taishan, name="乐园小区")
    songyuan = make_completed_community(district=taishan, name="松园小区", renovation_year=2021)
    tianping = make_completed_community(district=daiyue, name="天平花园")
    roofs = make_finished_item(community=leyuan, contractor="泰安岳安防水工程有限公司")
    for scores in [(5, 5, 5), (4, 4, 4)]:
        make_rating(community=leyuan, scores=scores)
    make_rating(item=roofs, scores=(3, 4, 5))
    for scores in [(3, 3, 3), (4, 4, 2)]:
        make_rating(community=songyuan, scores=scores)
    make_rating(community=tianping, scores=(5, 5, 5))
    return {"leyuan": leyuan, "songyuan": songyuan, "tianping": tianping}


def test_the_satisfaction_page_shows_the_city_figures(client, rated):
    _response, html = get(client, reverse("site:satisfaction"))

    # 15 + 12 + 12 + 9 + 10 + 15 = 73 of 18 scores; satisfied: 15, 12, 12, 15 of 6
    overall = re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split('id="satisfaction-overall"')[1][:800])
    )
    assert "4.06 / 5" in overall
    assert "66.7 %" in overall
    assert row(html, "satisfaction-aspects", "data-aspect", "work") == "The work itself 4.00 66.7%"
    assert row(html, "satisfaction-by-district", "data-district", "370902") == "泰山区 5 3.87 60.0%"
    assert row(html, "satisfaction-by-year", "data-year", "2021") == "2021 2 3.17 0.0%"


def test_the_ranking_leaves_out_communities_with_too_few_ratings(client, rated):
    _response, html = get(client, reverse("site:satisfaction"))

    leyuan, songyuan = rated["leyuan"].pk, rated["songyuan"].pk
    assert (
        row(html, "community-ranking", "data-community", leyuan)
        == "1 乐园小区 泰山区 2022 3 4.33 100.0%"
    )
    assert (
        row(html, "community-ranking", "data-community", songyuan)
        == "2 松园小区 泰山区 2021 2 3.17 0.0%"
    )
    assert f'data-community="{rated["tianping"].pk}"' not in html
    assert "1 more community has fewer than 2 ratings and is not ranked." in html
    assert reverse("site:community", args=[leyuan]) in html


def test_contractors_are_ranked_by_the_ratings_of_their_items(client, rated, settings):
    settings.RENOVATION = {**settings.RENOVATION, "SATISFACTION_MIN_RATINGS": 1}

    _response, html = get(client, reverse("site:satisfaction"))

    table = html.split('id="contractor-ranking"')[1].split("</table>")[0]
    assert "泰安岳安防水工程有限公司" in table
    assert re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table)).count("4.00") == 1


def test_the_satisfaction_page_filters_by_district(client, rated):
    _response, html = get(client, reverse("site:satisfaction"), district="370911")

    assert 'data-district="370902"' not in html
    assert (
        row(html, "satisfaction-by-district", "data-district", "370911") == "岱岳区 1 5.00 100.0%"
    )


def test_an_unknown_filter_is_shown_as_an_error_with_the_city_figures(client, rated):
    _response, html = get(client, reverse("site:satisfaction"), district="999999", year="abc")

    assert 'class="alert"' in html
    assert 'data-district="370902"' in html and 'data-district="370911"' in html


def test_the_satisfaction_page_takes_a_fixed_number_of_queries(
    client, rated, django_assert_num_queries
):
    # districts, batch years, overall, by district, by year, communities, contractors, unranked
    with django_assert_num_queries(8):
        client.get(reverse("site:satisfaction"))
    for _more in range(5):
        make_rating(community=rated["tianping"])
    with django_assert_num_queries(8):
        client.get(reverse("site:satisfaction"))


def test_the_satisfaction_page_without_ratings_says_so(client):
    _response, html = get(client, reverse("site:satisfaction"))

    assert "No ratings yet." in html
    assert "No community has 10 ratings yet." in html


def test_the_satisfaction_page_is_in_chinese_by_default(client, rated):
    html = client.get(reverse("site:satisfaction")).content.decode()

    assert 'lang="zh-Hans"' in html
    assert "乐园小区" in html


# --- A community's page -----------------------------------------------------------------------


@pytest.fixture
def leyuan():
    community = make_completed_community(name="乐园小区", households=600)
    canteen = make_finished_item(community=community, title="幸福食堂", contractor="泰安岱宗建设")
    sheds = make_item(
        community=community, title="电动车充电车棚", status=ItemStatus.DESIGNING, progress=10
    )
    make_proposal(
        community=community,
        title="建老年食堂",
        supporters=320,
        status=ProposalStatus.ADOPTED,
        item=canteen,
    )
    make_proposal(
        community=community, title="建充电车棚", status=ProposalStatus.ADOPTED, item=sheds
    )
    make_proposal(
        community=community,
        title="建地下停车场",
        status=ProposalStatus.DECLINED,
        decline_reason="地下管线密集，不具备建设条件。",
    )
    make_proposal(community=community, title="增设快递柜", submitted_on=date(2023, 12, 1))
    make_plan(
        community=community,
        batch_year=2022,
        title="乐园小区改造设计方案",
        status=DesignPlanStatus.APPROVED,
        comments_received=23,
        comments_summary="居民希望保留大树。",
        approval_reference="泰住建发〔2022〕7号",
    )
    make_plan(community=community, batch_year=2022, version=2, title="草稿中的修改稿")
    make_rating(
        community=community, scores=(5, 5, 4), comment="改造后住着舒心。", room_number="502"
    )
    make_rating(
        community=community,
        scores=(1, 1, 1),
        comment="施工队老张电话13900000000",
        comment_hidden=True,
        room_number="601",
    )
    make_rating(item=canteen, scores=(4, 4, 4), room_number="702")
    return community


def community_page(client, community) -> str:
    return get(client, reverse("site:community", args=[community.pk]))[1]


def test_the_community_page_shows_what_residents_asked_and_what_became_of_it(client, leyuan):
    html = community_page(client, leyuan)
    section = html.split('id="proposals"')[1].split("</section>")[0]

    assert "Residents made 4 proposals." in section
    assert "Adopted: 2 (1 done). Declined: 1. Under consideration: 1." in section
    assert "supported by 320 households" in section
    assert "建老年食堂" in section and "幸福食堂" in section
    assert 'aria-valuenow="10"' in section  # the charging sheds, designing
    assert "地下管线密集，不具备建设条件。" in section
    assert "Under consideration by the housing bureau." in section


def test_the_community_page_shows_the_plan_and_its_notice(client, leyuan):
    html = community_page(client, leyuan)
    section = html.split('id="design-plan"')[1].split("</section>")[0]

    assert "乐园小区改造设计方案" in section
    assert "Notice ended" in section
    assert "Comments received" in section and "23" in section
    assert "居民希望保留大树。" in section
    assert "泰住建发〔2022〕7号" in section
    assert "草稿中的修改稿" not in html  # drafts stay with staff


def test_a_plan_whose_notice_has_ended_awaits_approval_before_work_starts(client):
    community = make_completed_community(renovation_status="planned", renovation_year=2025)
    make_plan(community=community, title="2025年改造设计方案", status=DesignPlanStatus.NOTICE)

    html = community_page(client, community)
    section = html.split('id="design-plan"')[1].split("</section>")[0]

    assert "2025年改造设计方案" in section
    assert "Notice ended, awaiting approval" in section
    assert "Work may start only once the plan is approved, after its public notice." in section


def test_a_notice_running_today_invites_comments(client):
    community = make_completed_community(renovation_status="planned", renovation_year=2025)
    today = date.today()
    make_plan(
        community=community, status=DesignPlanStatus.NOTICE, notice_start=today, notice_end=today
    )

    html = community_page(client, community)

    assert "Open for comments now" in html


def test_the_community_page_shows_its_ratings_anonymously(client, leyuan):
    html = community_page(client, leyuan)
    section = html.split('id="ratings"')[1].split("</section>")[0]

    # 14 + 3 + 12 = 29 of 9 scores; satisfied: 14 and 12 of 3
    assert "3 ratings: average 3.22 out of 5, 66.7% satisfied." in section
    assert "Too few ratings to be ranked (at least 10)." in section
    assert row(section, "ratings-by-subject", "data-subject", "community") == (
        "The community as a whole 2 2.83 50.0%"
    )
    assert "改造后住着舒心。" in section
    assert "13900000000" not in html  # the hidden comment
    for room in ("502", "601", "702"):
        assert room not in section


def test_a_community_not_yet_completed_invites_ratings_later(client):
    community = make_completed_community(renovation_status="planned", renovation_year=2025)

    html = community_page(client, community)

    assert "Residents rate the work once it is completed." in html
    assert "No proposals from residents have been recorded for this community yet." in html
    assert "No design plan has been put up for public notice for this community yet." in html
