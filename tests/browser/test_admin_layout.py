"""Every admin page fits a 1366 px screen: Chromium at 1366×768 against the live server with
Tai'an's demo data, signed in as a superuser, opens every registered model's list and the
change page of its first record and fails where the page scrolls sideways.

Screenshots of a community's change page and of the repair list go to
test-artifacts/screenshots/ for a reviewer.
"""

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.urls import reverse

from communities.access.choices import Role
from communities.places.models import District
from tests.support.roles import grant

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
PASSWORD = "layout-check-Pa55word"

# What scrolls sideways: the page itself, or a box within it that hides columns behind its own
# scroll bar (the admin's list sits in such a box): "what (its width in px)" of each.
OVERFLOW = """() => {
  const found = [];
  const page = document.documentElement;
  const columns = (table) => [...table.querySelectorAll("thead th")].map(
    (th) => `${th.innerText.trim() || "-"} ${Math.round(th.getBoundingClientRect().width)}`
  ).join(" | ");
  if (page.scrollWidth > window.innerWidth) {
    found.push(`page (${page.scrollWidth} px)`);
    for (const table of document.querySelectorAll("table")) {
      const right = table.getBoundingClientRect().right;
      if (right > window.innerWidth) {
        const group = table.closest(".inline-group");
        found.push(`${group ? group.id : "table"} to ${Math.round(right)} px: ${columns(table)}`);
      }
    }
  }
  for (const box of document.querySelectorAll("body *")) {
    // The cheap test first: only a box wider inside than outside can hide a column.
    if (box.scrollWidth <= box.clientWidth + 1) continue;
    const overflow = getComputedStyle(box).overflowX;
    // A select or a text area scrolls its own text: no column of the page hides there.
    const ownText = ["TEXTAREA", "SELECT"].includes(box.tagName);
    if ((overflow === "auto" || overflow === "scroll") && !ownText) {
      const name = box.id ? `#${box.id}` : `${box.tagName.toLowerCase()}.${box.className}`;
      found.push(`${name} (${box.scrollWidth} px in ${box.clientWidth}: ${columns(box)})`);
    }
  }
  return found;
}"""


@pytest.fixture
def taishan_clerk(demo_site):
    """A district clerk of 泰山区."""
    user = get_user_model().objects.filter(username="layout-clerk").first()
    if user is None:
        user = get_user_model().objects.create_user("layout-clerk", password=PASSWORD)
        code = District.objects.get(name="泰山区").code
        grant("layout-clerk", Role.DISTRICT_STAFF, "--district", code)
    return user


@pytest.fixture
def superuser(demo_site):
    user = get_user_model().objects.filter(username="layout-check").first()
    if user is None:
        user = get_user_model().objects.create_superuser(
            "layout-check", "layout@example.invalid", PASSWORD
        )
    return user


def sign_in(page, username: str) -> None:
    page.goto(reverse("admin:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def admin_pages():
    """(name, url) of the admin's home, every registered model's changelist and its first
    record's change page."""
    pages = [("index", reverse("admin:index"))]
    for model in sorted(admin.site._registry, key=lambda model: model._meta.label):
        opts = model._meta
        info = opts.app_label, opts.model_name
        pages.append((f"{opts.model_name} list", reverse("admin:{}_{}_changelist".format(*info))))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            url = reverse("admin:{}_{}_change".format(*info), args=[quote(first.pk)])
            pages.append((f"{opts.model_name} #{first.pk}", url))
    return pages


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_admin_page_fits_a_1366_px_screen(
    new_page, superuser, screenshot, live_server, language
):
    page = new_page(LAPTOP)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    sign_in(page, superuser.username)

    too_wide = {}
    for name, url in admin_pages():
        response = page.goto(url)
        assert response is not None and response.status == 200, f"{name}: {url}"
        overflow = page.evaluate(OVERFLOW)
        if overflow:
            too_wide[name] = f"{url}: {', '.join(overflow)}"
        suffix = "" if language == "zh-hans" else f"-{language}"
        if name == "index":
            screenshot(page, f"admin-staff-home{suffix}")
        elif name.startswith("community #"):
            screenshot(page, f"admin-community-change{suffix}")
        elif name == "repairrequest list":
            screenshot(page, f"admin-repair-list{suffix}")

    assert too_wide == {}, f"wider than {LAPTOP['width']} px in {language}: {too_wide}"
    assert page.blocked == []


def test_bad_booleans_are_warnings_not_ticks(new_page, superuser):
    page = new_page(LAPTOP)
    sign_in(page, superuser.username)

    page.goto(reverse("admin:communities_repairrequest_changelist"))

    table = page.locator("#result_list")
    assert table.locator("tbody tr").count() > 0
    assert table.locator("td.field-urgent img, td.field-overdue img").count() == 0
    urgent = table.locator("td.field-urgent .admin-warning")
    overdue = table.locator("td.field-overdue .admin-warning")
    assert urgent.count() > 0 and overdue.count() > 0  # the demo data has both
    assert set(urgent.all_inner_texts()) == {"⚠ 紧急"}
    assert set(overdue.all_inner_texts()) == {"⚠ 已超期"}
    # Nothing at all on a request that is neither: no red cross, no dash.
    quiet = table.locator("td.field-urgent:not(:has(.admin-warning))")
    assert quiet.count() > 0
    assert {text.strip() for text in quiet.all_inner_texts()} == {""}


def test_select_all_on_the_export_page_works_under_the_csp(new_page, superuser):
    page = new_page(LAPTOP)
    refused = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Refused" in message.text else None,
    )
    sign_in(page, superuser.username)
    page.goto(reverse("admin:communities_community_export"))
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]:visible')
    assert fields.count() > 5

    page.locator("#select-all-toggle").uncheck()
    assert not any(box.is_checked() for box in fields.all())
    page.locator("#select-all-toggle").check()
    assert all(box.is_checked() for box in fields.all())
    assert refused == []


def test_a_district_clerks_lists_leave_out_the_district_column(new_page, taishan_clerk):
    page = new_page(LAPTOP)
    sign_in(page, taishan_clerk.username)

    for model in ("repairrequest", "community", "propertyservice"):
        page.goto(reverse(f"admin:communities_{model}_changelist"))
        assert page.locator("#result_list tbody tr").count() > 0, model
        assert page.locator("#result_list .column-district").count() == 0, model
        assert page.evaluate(OVERFLOW) == [], model
