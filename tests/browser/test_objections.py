"""A resident objects to an elevator's public notice from a 360 px phone: the page neither
scrolls sideways nor has a serious accessibility violation (axe-core, served locally), the form
files, and the confirmation follows. (The one browser test of objections; the rules are tested
over HTTP in tests/objections/.)"""

from pathlib import Path

import pytest

from communities.elevators.objection_models import ElevatorObjection
from communities.places.models import Community
from tests.browser.conftest import PHONE
from tests.support.factories import make_building
from tests.support.objections import retrofit_under_notice

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is absent: npm ci --prefix tests/browser")
def test_a_resident_files_an_objection_from_a_phone(new_page, demo_site):
    community = Community.objects.get(name="牡丹花园")
    retrofit = retrofit_under_notice(
        building=make_building(community=community, label="99号楼"), entrance_unit=1
    )
    page = new_page(PHONE)
    page.goto(f"/elevators/{retrofit.pk}/notice/", wait_until="load")

    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth)"
        ".map(e => e.tagName + '.' + e.className + '#' + e.id + ':' + "
        "Math.round(e.getBoundingClientRect().right))"
    )
    assert widths[0] <= widths[1], f"the notice page scrolls sideways at 360 px: {wide}"
    page.evaluate(AXE.read_text(encoding="utf-8"))
    serious = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id))",
        TAGS,
    )
    assert serious == []

    page.fill("#id_name", "孙异议")
    page.fill("#id_room", "101")
    page.fill("#id_phone", "13900004444")
    page.fill("#id_text", "井道挡住了一楼厨房的窗户。")
    page.click(".objection-form button[type=submit]")
    page.wait_for_url(f"**/elevators/{retrofit.pk}/notice/filed/")
    assert page.locator("h1").inner_text()
    objection = ElevatorObjection.objects.get(retrofit=retrofit)
    assert objection.phone == "13900004444" and objection.status == "pending"
