"""Phone numbers in published free text are masked however they are written: full-width
digits, dots, spaces or dashes between the groups, an area code in brackets. Everything else
in the text is left as it was written, and so are dates, amounts and building numbers.

Every surface that gives residents' free text to anonymous readers is checked: the REST API
(repair requests, proposals, ratings), Open311 (JSON and XML) and the community page."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from communities.core.masking import mask_phones, public_text
from communities.participation.choices import ProposalStatus
from communities.repairs.models import RepairRequest
from tests.support.factories import make_community
from tests.support.participation import make_completed_community, make_proposal, make_rating
from tests.support.repairs import SECRET_NAME, make_request

FULL_WIDTH = "１３９１２３４５６７８"
DOTTED = "139.1234.5678"
TEXT = f"楼道漏水，请打{FULL_WIDTH}或{DOTTED}，2024-03-01起"
MASKED = "楼道漏水，请打***********或***.****.****，2024-03-01起"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        # Mobile numbers, however written.
        ("13912345678", "***********"),
        (FULL_WIDTH, "***********"),
        (DOTTED, "***.****.****"),
        ("139 1234 5678", "*** **** ****"),
        ("139-1234-5678", "***-****-****"),
        ("139 - 1234 - 5678", "*** - **** - ****"),
        ("１３９．１２３４．５６７８", "***．****．****"),
        ("１３９－１２３４－５６７８", "***－****－****"),
        ("139\u30001234\u30005678", "***\u3000****\u3000****"),  # ideographic spaces
        ("139—1234—5678", "***—****—****"),
        ("+86 139 1234 5678", "+** *** **** ****"),
        ("(+86)13912345678", "(+**)***********"),
        ("0086-13912345678", "****-***********"),
        # Landlines with their area code.
        ("0538-1234567", "****-*******"),
        ("0538 12345678", "**** ********"),
        ("(0538)1234567", "(****)*******"),
        ("（0538）12345678", "（****）********"),
        ("(0538) 1234-5678", "(****) ****-****"),
        ("０５３８－１２３４５６７", "****－*******"),
        ("0538.1234.5678", "****.****.****"),
        # In a sentence: only the digits change.
        (TEXT, MASKED),
        ("王先生１３９ １２３４ ５６７８，谢谢", "王先生*** **** ****，谢谢"),
        # Not phone numbers: left alone.
        ("2024-03-01", "2024-03-01"),
        ("2024.03.01 09:30", "2024.03.01 09:30"),
        ("3号楼2单元501室", "3号楼2单元501室"),
        ("12-3-501", "12-3-501"),
        ("12,345.00", "12,345.00"),
        ("合计12,345.00元，2024-03-01完工", "合计12,345.00元，2024-03-01完工"),
        ("编号 123456789012", "编号 123456789012"),
        ("面积 1,390.5 平方米", "面积 1,390.5 平方米"),
        ("", ""),
    ],
)
def test_phone_numbers_are_masked_however_they_are_written(text, masked):
    assert mask_phones(text) == masked
    assert public_text(text) == masked


def test_the_reporters_name_is_masked_with_the_number():
    assert public_text(f"{SECRET_NAME}{FULL_WIDTH}", names=(SECRET_NAME,)) == "*" * 14


# --- Every anonymous surface ------------------------------------------------------------------


def _assert_masked(body: str) -> None:
    assert FULL_WIDTH not in body
    assert DOTTED not in body
    # The digits of the numbers in no other form either; timestamps' microseconds, ids and
    # counts (numbers, not text), which may hold them by chance, are left out of the search.
    searched = re.sub(r"\d{2}:\d{2}:\d{2}\.\d+|/\d+/|\"\w+\": ?\d+|#[a-z-]+\d+|>\d+<", "", body)
    assert "1234" not in searched.replace("2024-03-01", "")


@pytest.fixture
def public_request(db):
    request = make_request(
        community=make_community(name="乐园小区"), state="closed", is_public=True, description=TEXT
    )
    RepairRequest.objects.filter(pk=request.pk).update(resolution=f"已修好，回访{DOTTED}")
    return request


def test_the_rest_list_and_detail_mask_the_numbers(anonymous_client, public_request):
    url = reverse("api:repairrequest-list")

    listed = anonymous_client.get(url)
    detail = anonymous_client.get(f"{url}{public_request.pk}/")

    assert (listed.status_code, detail.status_code) == (200, 200)
    (row,) = listed.json()["results"]
    assert row["description"] == MASKED
    assert detail.json()["description"] == MASKED
    assert detail.json()["resolution"] == "已修好，回访***.****.****"
    _assert_masked(listed.content.decode())
    _assert_masked(detail.content.decode())


def test_open311_json_masks_the_numbers(anonymous_client, public_request):
    listed = anonymous_client.get("/open311/v2/requests.json", {"start_date": "2025-06-01"})
    single = anonymous_client.get(f"/open311/v2/requests/{public_request.pk}.json")

    assert (listed.status_code, single.status_code) == (200, 200)
    (row,) = single.json()
    assert row["description"] == MASKED
    assert row["status_notes"] == "已修好，回访***.****.****"
    assert [row["description"] for row in listed.json()] == [MASKED]
    _assert_masked(listed.content.decode())


def test_open311_xml_masks_the_numbers(anonymous_client, public_request):
    response = anonymous_client.get(f"/open311/v2/requests/{public_request.pk}.xml")

    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.find("request/description").text == MASKED
    assert root.find("request/status_notes").text == "已修好，回访***.****.****"
    _assert_masked(response.content.decode())


@pytest.fixture
def participation(db):
    community = make_completed_community(name="乐园小区")
    make_proposal(community=community, title=f"停车难，联系{FULL_WIDTH}", description=TEXT)
    make_proposal(
        community=community,
        title="加装充电桩",
        status=ProposalStatus.DECLINED,
        decline_reason=f"已另行安排，咨询{DOTTED}",
    )
    make_rating(community=community, comment=f"很满意，有事打{FULL_WIDTH}或{DOTTED}")
    return community


def test_the_community_page_masks_proposals_and_comments(anonymous_client, participation):
    response = anonymous_client.get(participation.get_absolute_url())

    assert response.status_code == 200
    body = response.content.decode()
    _assert_masked(body)
    assert "停车难，联系***********" in body
    assert "楼道漏水，请打***********或***.****.****，2024-03-01起" in body
    assert "已另行安排，咨询***.****.****" in body
    assert "很满意，有事打***********或***.****.****" in body


def test_the_rest_proposals_and_ratings_mask_the_numbers(anonymous_client, participation):
    proposals = anonymous_client.get(reverse("api:proposal-list"))
    ratings = anonymous_client.get(reverse("api:rating-list"))

    assert (proposals.status_code, ratings.status_code) == (200, 200)
    rows = {row["title"]: row for row in proposals.json()["results"]}
    assert rows["停车难，联系***********"]["description"] == MASKED
    assert rows["加装充电桩"]["decline_reason"] == "已另行安排，咨询***.****.****"
    (rating,) = ratings.json()["results"]
    assert rating["comment"] == "很满意，有事打***********或***.****.****"
    _assert_masked(proposals.content.decode())
    _assert_masked(ratings.content.decode())


def test_staff_of_the_whole_city_read_the_text_as_written(staff_client, participation):
    proposals = staff_client.get(reverse("api:proposal-list"))
    ratings = staff_client.get(reverse("api:rating-list"))

    assert f"停车难，联系{FULL_WIDTH}" in {row["title"] for row in proposals.json()["results"]}
    (rating,) = ratings.json()["results"]
    assert rating["comment"] == f"很满意，有事打{FULL_WIDTH}或{DOTTED}"
