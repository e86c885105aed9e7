"""Browser tests: Playwright for Python driving the system Chromium against the live server.

Never a downloaded browser: Debian's ``chromium`` at ``/usr/bin/chromium`` (or the path in
``CHROMIUM_PATH``). Where it or Playwright is missing, every test here is skipped with the
reason. The page may only reach the live test server; any other host (map tiles, above all)
fails to resolve, as it would fail on a machine without internet, so the tests see the site
degrade, and each such request is recorded in the page's ``blocked``.
"""

import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

try:
    from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    # Every host but the live server's fails to resolve: nothing leaves the machine, without
    # routing each request through Playwright (which costs a round trip to this process per
    # request and turns the browser's cache off: the admin layout test took twice as long).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
HERE = Path(__file__).resolve().parent


def skip_reason() -> str | None:
    if sync_playwright is None:
        return "Playwright for Python is not installed (pip install -e '.[dev]')"
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        found = shutil.which("chromium")
        hint = f" (found {found}: set CHROMIUM_PATH)" if found else ""
        return (
            f"the system Chromium is absent at {CHROMIUM}{hint}: "
            "apt-get install chromium fonts-noto-cjk"
        )
    return None


def pytest_collection_modifyitems(config, items):
    reason = skip_reason()
    if reason is None:
        return
    for item in items:
        if Path(str(item.fspath)).resolve().parent == HERE:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser() -> Iterator["Browser"]:
    # Playwright's sync API runs an asyncio event loop in the test's thread; Django refuses ORM
    # calls from such a thread unless told the use is deliberate (the loop runs none of ours).
    unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True
        )
        yield browser
        browser.close()
    if unsafe is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = unsafe


# This worker's copy of the database as the demo load left it, on SQLite: the next browser
# module copies it back (SQLite's backup API, a fraction of a second) instead of loading the
# demo again (seconds). None until the first load, and on other databases.
_demo_snapshot: sqlite3.Connection | None = None
DEMO_DAY = "2026-12-05"


def _shared_snapshot_path(tmp_path_factory) -> Path | None:
    """Where the first pytest-xdist worker to load the demo leaves a copy for the others: the
    run's own temporary folder, which every worker of this run shares (none outside xdist,
    whose parent folder outlives the run). The other worker's first browser module then copies
    it in (0.3 s) instead of loading the demo itself (9-13 s)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return None
    return tmp_path_factory.getbasetemp().parent / f"browser-demo-{DEMO_DAY}.sqlite3"


def _media_of(snapshot: Path) -> Path:
    return snapshot.with_name(f"{snapshot.name}.media")


def _share(snapshot: sqlite3.Connection, shared: Path) -> None:
    """Leave ``snapshot`` and this worker's media files at ``shared`` for the other workers,
    written under other names and renamed, the database last: a worker that sees the database
    sees all of it, and the photo files beside it."""
    partial = shared.with_name(f"{shared.name}.{os.getpid()}")
    shutil.copytree(settings.MEDIA_ROOT, _media_of(partial))
    try:
        os.replace(_media_of(partial), _media_of(shared))
    except OSError:  # the other worker loaded it at the same time: the same files
        shutil.rmtree(_media_of(partial))
    with closing(sqlite3.connect(partial)) as copy:
        snapshot.backup(copy)
    os.replace(partial, shared)


def _load_demo_data(shared: Path | None) -> None:
    global _demo_snapshot
    if connection.vendor != "sqlite":
        call_command("load_demo_data", "--today", DEMO_DAY, verbosity=0)
        return
    connection.ensure_connection()
    if _demo_snapshot is not None:
        _demo_snapshot.backup(connection.connection)
        return
    _demo_snapshot = sqlite3.connect(":memory:", check_same_thread=False)
    if shared is not None and shared.is_file():
        # Every worker's test database is made by the same migrations in this run; the demo's
        # photo files come with it (MEDIA_ROOT is this worker's, tests/conftest.py).
        with closing(sqlite3.connect(shared)) as copy:
            copy.backup(_demo_snapshot)
        shutil.copytree(_media_of(shared), settings.MEDIA_ROOT, dirs_exist_ok=True)
        _demo_snapshot.backup(connection.connection)
        return
    call_command("load_demo_data", "--today", DEMO_DAY, verbosity=0)
    connection.connection.backup(_demo_snapshot)
    if shared is not None:
        _share(_demo_snapshot, shared)


@pytest.fixture(scope="module")
def demo_database(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[None]:
    """Tai'an's demo data, loaded once for the module (it takes seconds; on SQLite, once for
    the run and copied in for each module) and removed after it: the database is emptied and
    what the migrations seeded is put back, as Django's serialized rollback does."""
    with django_db_blocker.unblock():
        seeded = connection.creation.serialize_db_to_string()
        _load_demo_data(_shared_snapshot_path(tmp_path_factory))
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
            connection.creation.deserialize_db_from_string(seeded)


@pytest.fixture
def transactional_db(demo_database, django_db_blocker) -> Iterator[None]:
    """Database access for a browser test and the live server it drives.

    pytest-django's ``live_server`` asks for ``transactional_db``, whose own version empties
    the database after every test, so every test would reload the demo data. Browser tests
    only read, so in this folder it stands for the module's ``demo_database`` instead.
    """
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def demo_site(transactional_db, live_server) -> str:
    """The live server's address, serving the demo data."""
    return live_server.url


class Blocked(list):
    """The addresses a page tried to reach off the live server."""


def _context(browser: "Browser", base_url: str, viewport: dict) -> tuple["BrowserContext", list]:
    context = browser.new_context(
        base_url=base_url,
        viewport=viewport,
        locale="zh-CN",
        extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"},
    )
    context.set_default_timeout(15_000)
    blocked = Blocked()

    def off_the_live_server(request):
        if not request.url.startswith(base_url):
            blocked.append(request.url)

    context.on("requestfailed", off_the_live_server)
    return context, blocked


@pytest.fixture
def new_page(browser, demo_site):
    """Open pages at a viewport; JavaScript errors on any of them fail the test."""
    contexts = []
    errors: list[str] = []

    def open_page(viewport: dict = DESKTOP) -> "Page":
        context, blocked = _context(browser, demo_site, viewport)
        contexts.append(context)
        page = context.new_page()
        page.blocked = blocked
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == [], f"JavaScript errors: {errors}"


@pytest.fixture
def page(new_page) -> "Page":
    return new_page(DESKTOP)


@pytest.fixture
def screenshot():
    """Save a full-page screenshot to test-artifacts/screenshots/ for a reviewer."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: "Page", name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
