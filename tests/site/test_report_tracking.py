"""The private tracking link (/report/track/<token>/): the public timeline, "fixed" (rated)
and "not fixed" (reopened through the reopen rule); the QR posters; Open311's updates."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
import segno

from communities.repairs import services
from communities.repairs.choices import RepairStatus
from communities.repairs.models import RepairEvent
from communities.site.posters import QR_BORDER
from tests.support.factories import make_building, make_community, make_service
from tests.support.repairs import SECRET_NAME, SECRET_PHONE, make_request

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def community(db):
    community = make_community(
        name="乐园小区", latitude=Decimal("36.190000"), longitude=Decimal("117.120000")
    )
    make_service(community=community, provider_name="泰安红心物业有限公司")
    return community


def _track(token: str) -> str:
    return f"/report/track/{token}/"


def test_the_timeline_shows_each_step_with_the_handlers_public_note(
    anonymous_client, community, django_assert_num_queries
):
    request = make_request(
        community=community,
        state="resolved",
        description=f"{SECRET_NAME}家楼道漏水 {SECRET_PHONE}",
    )
    services.repair_request_edit(
        repair_request=request, by=None, changes={"address": "内部备注：地下室"}
    )
    # The request with its places and me-too count; its public timeline; its photos.
    with django_assert_num_queries(3):
        response = anonymous_client.get(_track(request.token))
    body = response.content.decode()
    assert response.status_code == 200
    assert "泰安红心物业有限公司" in body  # dispatched to whom
    assert "更换了水管" in body  # what was done
    assert body.count('class="timeline__event report-step') == 4  # no staff edit
    assert SECRET_NAME not in body and SECRET_PHONE not in body
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_an_unknown_or_odd_token_is_404(anonymous_client, db):
    for token in ("nope", "x" * 40):
        assert anonymous_client.get(_track(token)).status_code == 404
    assert anonymous_client.get(_track("a%00b")).status_code in {400, 404}


def test_fixed_rates_and_closes_the_request(anonymous_client, community):
    request = make_request(community=community, state="resolved")
    response = anonymous_client.post(
        f"{_track(request.token)}fixed/", {"rating": "4", "comment": "很好"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.rating, request.rating_comment) == ("closed", 4, "很好")
    assert (
        RepairEvent.objects.filter(request=request).last().actor_label == "报修人"
    )  # "the reporter"


def test_a_rating_outside_1_to_5_is_refused(anonymous_client, community):
    request = make_request(community=community, state="resolved")
    for rating in ("0", "6", "x", ""):
        response = anonymous_client.post(f"{_track(request.token)}fixed/", {"rating": rating})
        assert response.status_code == 400
    request.refresh_from_db()
    assert request.status == RepairStatus.RESOLVED


def test_not_fixed_reopens_with_the_reason_and_shows_it(anonymous_client, community):
    request = make_request(community=community, state="resolved")
    url = f"{_track(request.token)}not-fixed/"
    assert anonymous_client.post(url, {"reason": " "}).status_code == 400
    response = anonymous_client.post(url, {"reason": "还在漏水"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.reopen_count) == (RepairStatus.DISPATCHED, 1)
    body = anonymous_client.get(_track(request.token)).content.decode()
    assert "还在漏水" in body
    assert "report-confirm" not in body  # nothing to confirm until it is resolved again


def test_only_a_resolved_request_can_be_confirmed_or_reopened(anonymous_client, community):
    request = make_request(community=community, state="dispatched")
    assert "report-confirm" not in anonymous_client.get(_track(request.token)).content.decode()
    response = anonymous_client.post(f"{_track(request.token)}not-fixed/", {"reason": "没修"})
    assert response.status_code == 400
    response = anonymous_client.post(f"{_track(request.token)}fixed/", {"rating": "5"})
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.status == RepairStatus.DISPATCHED


# --- Posters ------------------------------------------------------------------------------------


def _poster_matrix(svg: bytes) -> tuple[list[list[int]], ET.Element]:
    root = ET.fromstring(svg)
    path = root.find(f"{SVG}g[@id='qr']/{SVG}path").get("d")
    squares = [part.split("h")[0][1:].split() for part in path.split("z") if part]
    cells = {(int(x), int(y)) for x, y in squares}
    side = max(max(x, y) for x, y in cells) + 1 + QR_BORDER
    return [[int((x, y) in cells) for x in range(side)] for y in range(side)], root


@pytest.mark.parametrize("kind", ["community", "building"])
def test_the_poster_is_an_a4_svg_whose_code_opens_the_report_form(anonymous_client, db, kind):
    community = make_community(name="松园小区")
    building = make_building(community=community, label="5号楼")
    if kind == "community":
        url = f"/communities/{community.pk}/poster.svg"
        expected = f"http://testserver/communities/{community.pk}/report/"
    else:
        url = f"/communities/{community.pk}/buildings/{building.pk}/poster.svg"
        expected = f"http://testserver/communities/{community.pk}/report/?building={building.pk}"
    response = anonymous_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    matrix, root = _poster_matrix(response.content)
    assert (root.get("width"), root.get("height")) == ("210mm", "297mm")
    assert "松园小区" in response.content.decode()
    code = segno.make(expected, error="m", micro=False)
    assert matrix == [list(row) for row in code.matrix_iter(scale=1, border=QR_BORDER)]


def test_a_building_of_another_community_has_no_poster(anonymous_client, db):
    community = make_community(name="松园小区")
    other = make_building(community=make_community(name="天平花园"), label="1号楼")
    url = f"/communities/{community.pk}/buildings/{other.pk}/poster.svg"
    assert anonymous_client.get(url).status_code == 404


def test_the_community_page_links_its_report_form_and_poster(anonymous_client, db):
    community = make_community(name="松园小区")
    body = anonymous_client.get(f"/communities/{community.pk}/").content.decode()
    assert f'href="/communities/{community.pk}/report/"' in body
    assert f'href="/communities/{community.pk}/poster.svg"' in body


def test_the_admin_links_the_posters(staff_client, db):
    community = make_community(name="松园小区")
    building = make_building(community=community, label="5号楼")
    page = staff_client.get(f"/admin/communities/community/{community.pk}/change/")
    assert f"/communities/{community.pk}/poster.svg" in page.content.decode()
    page = staff_client.get(f"/admin/communities/building/{building.pk}/change/")
    assert f"/communities/{community.pk}/buildings/{building.pk}/poster.svg" in (
        page.content.decode()
    )


# --- Open311 updates ----------------------------------------------------------------------------


def test_open311_lists_the_public_timeline_as_updates(anonymous_client, community):
    request = make_request(
        community=community, state="resolved", is_public=True, description="楼道漏水"
    )
    services.repair_request_reopen(repair_request=request, reason=f"没修好 {SECRET_PHONE}")
    (row,) = anonymous_client.get(f"/open311/v2/requests/{request.pk}.json").json()
    updates = row["updates"]
    assert [update["status"] for update in updates] == [
        "submitted",
        "dispatched",
        "in_progress",
        "resolved",
        "dispatched",
    ]
    assert updates[1]["description"] == "泰安红心物业有限公司"
    assert updates[3]["description"] == "更换了水管"
    assert SECRET_PHONE not in updates[4]["description"]
    assert updates[0]["updated_datetime"] == "2025-06-02T09:00:00+08:00"
    assert all(
        set(update) == {"update_id", "status", "description", "updated_datetime"}
        for update in updates
    )
    xml = anonymous_client.get(f"/open311/v2/requests/{request.pk}.xml").content
    root = ET.fromstring(xml)
    assert len(root.findall("request/updates/update")) == 5


def test_staff_see_the_extra_photos_and_me_toos_in_the_admin(
    staff_client, anonymous_client, community, settings, tmp_path
):
    from communities.repairs.models import RepairSupport
    from tests.support.report import photo, report_data

    settings.MEDIA_ROOT = tmp_path
    anonymous_client.post(
        f"/communities/{community.pk}/report/",
        report_data(photos=[photo("a.jpg"), photo("b.jpg"), photo("c.jpg")]),
    )
    from communities.repairs.models import RepairRequest

    request = RepairRequest.objects.get()
    services.repair_request_set_public(repair_request=request, is_public=True, by=None)
    anonymous_client.post(
        f"/report/me-too/{request.pk}/", report_data(reporter_phone="13611112222")
    )
    assert RepairSupport.objects.filter(request=request).count() == 1
    page = staff_client.get(f"/admin/communities/repairrequest/{request.pk}/change/")
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count("repair-photos/") >= 3  # the request's photo and the two more
    assert "me toos" in body.lower() or "我也遇到了" in body
