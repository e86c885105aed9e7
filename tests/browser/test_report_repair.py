"""One resident's repair, end to end in a phone-sized browser: file a report with a photo on
the community's form (a point tapped on the map), follow the private tracking link, see it
dispatched by staff, resolved, then say "not fixed" with a reason and see it reopened. axe-core
checks the form and the tracking page; neither scrolls sideways at 360 px."""

from io import BytesIO
from pathlib import Path

import pytest

from communities.places.models import Community
from communities.repairs import services
from communities.repairs.choices import RepairStatus
from communities.repairs.models import RepairRequest
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def serious_violations(page) -> list[dict]:
    if not AXE.is_file():  # pragma: no cover - npm ci --prefix tests/browser
        pytest.skip(f"axe-core is absent ({AXE})")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))",
        TAGS,
    )
    return [row for row in result if row["impact"] in {"serious", "critical"}]


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_resident_reports_follows_and_reopens_a_repair(new_page, tmp_path, screenshot):
    from PIL import Image

    photo = tmp_path / "leak.jpg"
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())
    leyuan = Community.objects.get(name="乐园小区")

    page = new_page(PHONE)
    page.goto(f"/communities/{leyuan.pk}/report/", wait_until="load")
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    page.wait_for_selector("[data-report-map][data-state=ready]")
    assert no_sideways_scroll(page)
    assert serious_violations(page) == []

    page.select_option("#id_category", "electrical")
    page.fill("#id_description", "3号楼2单元楼道灯不亮")
    # Tap the map: the point fills the coordinates and the nearby list is fetched.
    page.click("#report-map", position={"x": 150, "y": 100})
    page.wait_for_selector("#report-form[data-nearby=shown]", state="attached")
    assert page.input_value("#id_latitude") != ""
    page.set_input_files("#id_photos", str(photo))
    page.fill("#id_reporter_name", "张三")
    page.fill("#id_reporter_phone", "139 0000 5678")
    page.click("button.report-submit")

    page.wait_for_selector(".report-received")
    repair_request = RepairRequest.objects.get(reporter_phone="13900005678")
    assert f"/report/track/{repair_request.token}/" in page.url
    assert str(repair_request.pk) in page.inner_text(".report-received")
    assert repair_request.photo
    assert "13900005678" not in page.content() and "张三" not in page.content()
    assert no_sideways_scroll(page)
    assert serious_violations(page) == []
    screenshot(page, "report-tracking-phone")

    # Staff dispatch it, start and resolve it (the services the admin's actions call).
    services.repair_request_dispatch(repair_request=repair_request)
    page.goto(f"/report/track/{repair_request.token}/", wait_until="load")
    assert page.locator(".report-step--dispatch").count() == 1
    services.repair_request_start(repair_request=repair_request)
    services.repair_request_resolve(repair_request=repair_request, resolution="更换了灯泡")
    page.reload(wait_until="load")
    assert "更换了灯泡" in page.inner_text(".report-timeline")
    assert serious_violations(page) == []

    page.fill("#id_reason", "换了以后还是不亮")
    page.click("form[action$='not-fixed/'] button")
    page.wait_for_selector(".report-step--reopen")
    assert "换了以后还是不亮" in page.inner_text(".report-timeline")
    repair_request.refresh_from_db()
    assert (repair_request.status, repair_request.reopen_count) == (RepairStatus.DISPATCHED, 1)
