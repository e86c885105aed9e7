"""Fixtures shared by every test: the three kinds of user and their clients."""

import pytest
from django.test import Client
from django.utils import translation

# The modules that take longest (measured; docs/operations.md → CI), handed to the xdist workers
# first. With --dist loadfile a module runs whole on one worker, so a long one started last
# leaves the other worker idle until it ends. Only the order changes: nothing is selected or
# skipped here. The rest follow, the modules with most tests first, as xdist would order them
# (make test passes --no-loadscope-reorder so that xdist keeps this order).
SLOW_FIRST = [
    "tests/browser/test_admin_layout.py",
    "tests/renovation/test_settings.py",
    "tests/browser/test_accessibility.py",
    "tests/renovation/test_sqlite_concurrency.py",
    "tests/renovation/test_gunicorn.py",
    "tests/core/test_imports.py",
    "tests/demo/test_demo_data.py",
    "tests/site/test_rendered_text.py",
    "tests/renovation/test_metrics.py",
    "tests/browser/test_public_site.py",
    "tests/browser/test_objections.py",
    "tests/browser/test_report_repair.py",
    "tests/site/test_participation.py",
    "tests/renovation/test_logs.py",
    "tests/reporting/test_desk.py",
    "tests/scale/test_data.py",
    "tests/demo/test_demo_decisions.py",
    "tests/elevators/test_selectors.py",
    "tests/reporting/test_api.py",
]


def pytest_collection_modifyitems(config, items):
    """Longest modules first (SLOW_FIRST), then by number of tests; the order within a module
    is kept."""
    rank = {path: index for index, path in enumerate(SLOW_FIRST)}
    counts: dict[str, int] = {}
    for item in items:
        module = item.nodeid.split("::")[0]
        counts[module] = counts.get(module, 0) + 1
    first_seen = {module: index for index, module in enumerate(counts)}

    def key(item) -> tuple:
        module = item.nodeid.split("::")[0]
        return (rank.get(module, len(rank)), -counts[module], first_seen[module])

    items.sort(key=key)


@pytest.fixture(autouse=True)
def _chinese_by_default():
    """Tests run in the site's default language unless they switch."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: no throttle counts or cached figures carry over."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anonymous_client() -> Client:
    return Client()


@pytest.fixture
def city_admin(django_user_model):
    """A superuser: the city housing bureau's administrator."""
    return django_user_model.objects.create_superuser(
        "city-admin", "city@example.com", "pw-city-9x!"
    )


@pytest.fixture
def staff_client(city_admin) -> Client:
    client = Client()
    client.force_login(city_admin)
    return client


@pytest.fixture
def english():
    """Switch the test's own language to English, to compare messages with their msgids."""
    with translation.override("en"):
        yield


def _post_value(bound_field):
    """A bound field's current value as a browser would post it (None when it posts nothing)."""
    from django.forms import CheckboxInput

    value = bound_field.value()
    if isinstance(bound_field.field.widget, CheckboxInput):
        return "on" if value else None
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return str(value)


def _admin_form_data(response) -> dict:
    data: dict = {}

    def add(form) -> None:
        for bound_field in form:
            value = _post_value(bound_field)
            if value is not None:
                data[bound_field.html_name] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


@pytest.fixture
def admin_form_data():
    """Read an admin add/change page's response into the POST data that would submit it as it
    stands, inlines and their management forms included; tests then change what they test."""
    return _admin_form_data


def _admin_errors(response) -> dict:
    from django.utils.html import escape

    assert response.status_code == 200, f"the post was not refused: {response.status_code}"
    errors: dict = {}
    for field, messages in response.context["adminform"].form.errors.items():
        errors[field] = list(messages)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        if formset.non_form_errors():
            errors[formset.prefix] = list(formset.non_form_errors())
        for form in formset.forms:
            for field, messages in form.errors.items():
                errors[form.add_prefix(field)] = list(messages)
    content = response.content.decode()
    for messages in errors.values():
        for message in messages:
            assert escape(message) in content, f"{message!r} is not shown on the page"
    return errors


@pytest.fixture
def admin_errors():
    """Read the errors an admin page refused a post with, and check that each is shown.

    Returns ``{field: [messages]}``: the main form's by field name (``__all__`` for the form as
    a whole), an inline form's by its prefixed name (``funding-0-amount``), and an inline
    formset's own by its prefix (``funding``).
    """
    return _admin_errors


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Hash test users' passwords cheaply: the production hasher's 1,000,000 rounds cost about
    half a second per user. For the whole session, so that data built once for a module
    (tests/support/ci.py) is hashed cheaply too; a test that changes PASSWORD_HASHERS itself
    still can (``settings``), and gets this back after it."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield
