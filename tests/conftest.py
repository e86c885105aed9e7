"""Fixtures shared by every test: the three kinds of user and their clients."""

from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

TESTS = Path(__file__).resolve().parent
# The files that take longest, with their seconds in CI's SQLite pass (6 December 2026, after the
# squashed migrations; only their order matters). pytest-xdist (--dist loadfile, pyproject.toml's
# --no-loadscope-reorder) hands files out in collection order: these first, longest first, the
# short ones after to fill the gaps, so that no worker is left alone with a long file at the
# end (xdist's own order, by number of tests, put the one-test browser files last).
LONGEST_FILES = {
    "browser/test_admin_layout.py": 62,
    "demo/test_demo_data.py": 50,
    "browser/test_accessibility.py": 41,
    "browser/test_public_site.py": 35,
    "access/test_scope_generated.py": 30,
    "renovation/test_settings.py": 26,
    "demo/test_demo_today.py": 22,
    "core/test_imports.py": 16,
    "site/test_rendered_text.py": 12,
    "elevators/test_admin.py": 11,
    "core/test_security_input.py": 9,
    "core/test_security.py": 8,
    "renovation/test_sqlite_concurrency.py": 8,
    "renovation/test_gunicorn.py": 8,
    "scale/test_data.py": 7,
    "elevators/test_api.py": 7,
    "core/test_admin_scoped_filters.py": 7,
    "core/test_api_blank_values.py": 6,
    "renovation/test_metrics.py": 6,
    "scale/test_extend.py": 6,
    "places/test_admin.py": 6,
}


def pytest_collection_modifyitems(items):
    """The longest files first (longest first), then the rest in their collected order; the
    tests of a file keep theirs. Stable: the same collection always gives the same order."""

    def seconds(item) -> int:
        path = Path(str(item.path))
        name = path.relative_to(TESTS).as_posix() if path.is_relative_to(TESTS) else ""
        return LONGEST_FILES.get(name, 0)

    items.sort(key=lambda item: -seconds(item))


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


@pytest.fixture(autouse=True, scope="session")
def _media_of_the_session(tmp_path_factory):
    """Uploaded files (the photos tests and the demo save) go to a temporary folder, never into
    the repository's media/. A test that looks at what was stored sets its own
    (``settings.MEDIA_ROOT = tmp_path``)."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


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
