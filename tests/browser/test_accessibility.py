"""Every public page passes axe-core's WCAG 2.1 A and AA rules, on a phone and a desktop, in
both languages: no violation of impact "serious" or "critical" (GB/T 37668-2019 asks the same of
a public service).

axe-core comes from npm (tests/browser/package.json, installed by ``make test`` with
``npm ci --prefix tests/browser``) and is evaluated in the page from the local file: nothing is
fetched. Without it these tests are skipped with the reason.
"""

from pathlib import Path

import pytest

from communities.elevators.models import ElevatorRetrofit
from communities.elevators.objection_models import ElevatorObjection
from communities.places.models import Community
from communities.repairs.choices import RepairStatus
from communities.repairs.models import RepairRequest
from communities.works.models.objections import DesignPlanObjection
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
LAPTOP = {"width": 1366, "height": 768}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}

if not AXE.is_file():
    pytestmark = [
        pytestmark,
        pytest.mark.skip(reason=f"axe-core is absent ({AXE}): npm ci --prefix tests/browser"),
    ]


def public_pages() -> dict[str, str]:
    """Every kind of public page, with the richest demo community of each kind."""
    leyuan = Community.objects.get(name="乐园小区")
    shares = next(
        (
            retrofit.building.community_id
            for retrofit in ElevatorRetrofit.objects.select_related("building").order_by("pk")
            if retrofit.shares_published
        ),
        leyuan.pk,
    )
    # A notice with published objections and their answers (communities/demo/objections.py).
    objected = ElevatorObjection.objects.filter(status="published").order_by("pk").first()
    plan_objected = DesignPlanObjection.objects.filter(status="published").order_by("pk").first()
    # The demo data always has both (issue #18's notice pages must be checked, not skipped).
    assert objected is not None and plan_objected is not None
    notices = {
        "elevator-notice": f"/elevators/{objected.retrofit_id}/notice/",
        "plan-notice": f"/plans/{plan_objected.plan_id}/notice/",
    }
    # A resolved demo request: its tracking page carries the "fixed" and "not fixed" forms.
    tracked = (
        RepairRequest.objects.filter(status=RepairStatus.RESOLVED).order_by("pk").first()
        or RepairRequest.objects.order_by("pk").first()
    )
    return {
        **notices,
        "report": "/report/",
        "report-finder": "/report/?q=乐园",
        "report-community": f"/communities/{leyuan.pk}/report/",
        "report-track": f"/report/track/{tracked.token}/",
        "regions": "/regions/",
        "region": "/regions/37/",
        "region-report": "/reports/3709/",
        "home": "/",
        "communities": "/communities/",
        "search": "/communities/?q=花园",
        "community": f"/communities/{leyuan.pk}/",
        "community-elevator-shares": f"/communities/{shares}/",
        "map": "/map/",
        "district": "/districts/370902/",
        "satisfaction": "/satisfaction/",
        "satisfaction-page-2": "/satisfaction/?page=2",
        "not-found": "/communities/0/",
    }


def violations(page) -> list[dict]:
    """The serious and critical violations of the page; axe-core is in every page of the
    context already (``add_init_script`` in the test: the browser reads the file itself)."""
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))",
        TAGS,
    )
    return [row for row in result if row["impact"] in FAILING_IMPACTS]


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["360x740", "1366x768"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_public_page_has_a_serious_accessibility_violation(
    new_page, demo_site, viewport, language
):
    page = new_page(viewport)
    page.context.add_init_script(path=AXE)
    # The language a visitor chose with the switch (Django's language cookie).
    page.context.add_cookies([{"name": "django_language", "value": language, "url": demo_site}])
    found = {}
    for name, url in public_pages().items():
        response = page.goto(url, wait_until="load")
        assert response.status == (404 if name == "not-found" else 200), url
        assert page.evaluate("document.documentElement.lang").lower().startswith(language[:2])
        bad = violations(page)
        if bad:
            found[name] = bad
    # The report form as it comes back with errors (an empty submit: a 400 with the marks).
    page.goto(public_pages()["report-community"], wait_until="load")
    with page.expect_navigation(wait_until="load"):
        page.click("button.report-submit")
    assert page.locator("#form-errors").count() == 1
    bad = violations(page)
    if bad:
        found["report-errors"] = bad
    assert found == {}, f"axe-core at {viewport['width']} px ({language}): {found}"
