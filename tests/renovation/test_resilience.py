"""The database goes away: every request answers a clear 503, nothing unconfirmed is
acknowledged, and the next request after the database is back succeeds with no restart.

Two kinds of test: on both databases the cursor is made to fail (``execute_wrapper``), which
reaches views, DRF, templates, sessions, login lockouts, history and middleware alike; on
PostgreSQL the test's own connection is really killed with ``pg_terminate_backend`` from a
second connection, and requests go through Django's WSGI handler, which (unlike the test client)
runs the connection housekeeping of a real server between requests.
"""

import json
import logging
from contextlib import contextmanager

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.handlers.wsgi import WSGIHandler
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import include, path
from django.utils import translation
from django.utils.translation import gettext
from rest_framework.authtoken.models import Token

from communities.places.api.views import DistrictViewSet
from communities.places.models import Community, District
from tests.support.database import TRANSACTIONAL, restore_seeded_rows
from tests.support.factories import make_community, make_district

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def _seeded_rows_restored(django_db_blocker):
    yield
    with django_db_blocker.unblock():
        restore_seeded_rows()


API = "/api/v1"
MESSAGE = "The service is temporarily unavailable. Please try again in a few moments."


def translated(language: str) -> str:
    """The message as the site says it in ``language`` (Simplified Chinese by default)."""
    with translation.override(language):
        return gettext(MESSAGE)


@contextmanager
def failing_queries(error=OperationalError, message="server closed the connection", match=""):
    """Every query (or every query whose SQL contains ``match``) fails as when the server is
    gone."""

    def wrapper(execute, sql, params, many, context):
        if match in sql:
            raise error(message)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield


def assert_unavailable_json(response, detail=None):
    detail = detail or translated("zh-hans")
    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Retry-After"] == "10"
    assert response.headers["Cache-Control"] == "no-store"
    assert json.loads(response.content) == {"detail": detail}


def assert_unavailable_html(response, text=None):
    text = text or translated("zh-hans")
    body = response.content.decode()
    assert response.status_code == 503
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.headers["Retry-After"] == "10"
    assert "<html" in body and text in body
    assert "Traceback" not in body and "OperationalError" not in body


# --- What the answer looks like ----------------------------------------------------------------


def test_an_api_read_answers_503_json_in_chinese(anonymous_client):
    with failing_queries():
        response = anonymous_client.get(f"{API}/communities/")

    assert_unavailable_json(response)
    assert response.headers["Content-Language"] == "zh-hans"


def test_an_api_read_answers_503_json_in_english_on_request(anonymous_client):
    with failing_queries():
        response = anonymous_client.get(f"{API}/districts/", HTTP_ACCEPT_LANGUAGE="en")

    assert_unavailable_json(response, detail=MESSAGE)
    assert response.headers["Content-Language"] == "en"


def test_an_interface_error_is_unavailable_too(anonymous_client):
    with failing_queries(error=InterfaceError, message="connection already closed"):
        response = anonymous_client.get(f"{API}/districts/")

    assert_unavailable_json(response)


def test_open311_answers_503_json(anonymous_client):
    with failing_queries():
        response = anonymous_client.get("/open311/v2/requests.json")

    assert_unavailable_json(response)


def test_a_public_page_answers_the_standalone_503_page(anonymous_client):
    community = make_community()

    with failing_queries():
        response = anonymous_client.get(community.get_absolute_url())

    assert_unavailable_html(response)
    assert 'lang="zh-Hans"' in response.content.decode()


def test_the_503_page_speaks_english_on_request(anonymous_client):
    with failing_queries():
        response = anonymous_client.get("/communities/", HTTP_ACCEPT_LANGUAGE="en")

    assert_unavailable_html(response, text=MESSAGE)
    assert "Reload this page in about 10 seconds" in response.content.decode()


def test_a_page_asked_for_as_json_answers_json(anonymous_client):
    with failing_queries():
        response = anonymous_client.get("/communities/", HTTP_ACCEPT="application/json")

    assert_unavailable_json(response)


def test_the_503_page_renders_without_the_database(anonymous_client):
    """It must not extend base.html or run context processors: with every query failing and
    the template rendered, a query attempted while rendering it would have raised."""
    attempted = []

    def wrapper(execute, sql, params, many, context):
        attempted.append(sql)
        raise OperationalError("the database system is shutting down")

    with connection.execute_wrapper(wrapper):
        response = anonymous_client.get("/")

    assert response.status_code == 503
    assert len(attempted) == 1  # the view's first query, none from the 503 page


def test_the_failure_is_logged_once_as_a_warning_without_traceback(anonymous_client, caplog):
    caplog.set_level(logging.INFO)

    with failing_queries(message="terminating connection due to administrator command"):
        anonymous_client.get(f"{API}/communities/")

    records = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert [record.levelname for record in records] == ["WARNING"]
    assert records[0].name == "renovation.unavailable"
    assert "terminating connection due to administrator command" in records[0].getMessage()
    assert records[0].exc_info is None


def test_other_errors_still_answer_500(monkeypatch):

    def broken(*args, **kwargs):
        raise RuntimeError("a bug, not an outage")

    monkeypatch.setattr(DistrictViewSet, "list", broken)

    response = Client(raise_request_exception=False).get(f"{API}/districts/")

    assert response.status_code == 500
    assert "Retry-After" not in response.headers


def test_with_debug_on_a_view_meeting_the_outage_still_answers_503(settings, anonymous_client):
    settings.DEBUG = True

    with failing_queries():
        response = anonymous_client.get(f"{API}/districts/")

    assert_unavailable_json(response)


def test_redis_going_away_answers_503_too(monkeypatch):
    redis = pytest.importorskip("redis")
    from django.core.cache import cache

    def refuse(*args, **kwargs):
        raise redis.exceptions.ConnectionError("Error 111 connecting to cache:6379.")

    # The public page cache (middleware) and DRF's throttles (view) read it on every request.
    monkeypatch.setattr(cache, "get", refuse)

    response = Client(raise_request_exception=False).get(f"{API}/districts/")

    assert_unavailable_json(response)


# --- Where the database is met ------------------------------------------------------------------


def test_a_logged_in_users_session_lookup_answers_503(staff_client):
    with failing_queries(match="django_session"):
        response = staff_client.get("/admin/")

    assert_unavailable_html(response)


def test_a_token_lookup_answers_503(city_admin):
    token = Token.objects.create(user=city_admin)

    with failing_queries(match="authtoken_token"):
        response = Client().get(f"{API}/districts/", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert_unavailable_json(response)


def test_a_login_lockout_record_answers_503(city_admin):
    """django-axes records the failed login in the database."""
    with failing_queries(match="axes_accessattempt"):
        response = Client().post(
            "/admin/login/?next=/admin/", {"username": "city-admin", "password": "wrong"}
        )

    assert_unavailable_html(response)


def test_a_history_record_that_fails_undoes_the_write_and_answers_503(city_admin):
    token = Token.objects.create(user=city_admin)

    with failing_queries(match='INSERT INTO "communities_historicaldistrict"'):
        response = Client().post(
            f"{API}/districts/",
            {"code": "370999", "name": "新区"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token.key}",
        )

    assert_unavailable_json(response)
    assert not District.objects.filter(code="370999").exists()


def test_a_write_that_fails_is_not_acknowledged(city_admin):
    token = Token.objects.create(user=city_admin)
    community = make_community(name="旧名")

    with failing_queries(match='UPDATE "communities_community"'):
        response = Client().patch(
            f"{API}/communities/{community.pk}/",
            {"name": "新名"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token.key}",
        )

    assert_unavailable_json(response)
    assert Community.objects.get(pk=community.pk).name == "旧名"


class FailingMiddleware:
    """Stands for any middleware that queries the database outside the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise OperationalError("could not connect to server: Connection refused")


def test_a_middleware_meeting_the_outage_answers_503(settings, caplog):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.FailingMiddleware"]
    caplog.set_level(logging.INFO)

    response = Client(raise_request_exception=False).get(f"{API}/districts/")

    assert_unavailable_json(response)
    levels = [record.levelname for record in caplog.records if record.levelno >= logging.WARNING]
    assert levels == ["WARNING"]


def _set_session_value(request):
    request.session["seen"] = True
    return HttpResponse("remembered-ok")


# The site's URLs plus one view that changes the session, with the site's error handlers.
handler500 = "renovation.resilience.server_error"
urlpatterns = [
    path("remember/", _set_session_value),
    path("", include("renovation.urls")),
]


def test_a_session_saved_on_the_way_out_answers_503_not_200(settings, monkeypatch):
    """SessionMiddleware saves a changed session after the view: if that fails, the view's 200
    must not reach the client."""
    settings.ROOT_URLCONF = __name__

    def refuse(self, must_create=False):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(SessionStore, "save", refuse)

    response = Client(raise_request_exception=False).get("/remember/")

    assert_unavailable_html(response)
    assert b"remembered-ok" not in response.content


def test_the_next_request_succeeds_when_the_database_answers_again(anonymous_client):
    make_district(code="370902", name="泰山区")

    with failing_queries():
        down = anonymous_client.get(f"{API}/districts/")
    up = anonymous_client.get(f"{API}/districts/")

    assert down.status_code == 503
    assert up.status_code == 200
    assert [row["code"] for row in up.json()["results"]] == ["370902"]


# --- Really killing the connection (PostgreSQL) ------------------------------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_terminate_backend is PostgreSQL's"
)


def serve(method: str, path: str, body: str = "", **headers) -> tuple[int, dict, bytes]:
    """One request through Django's WSGI handler, as gunicorn makes it: the request_started and
    request_finished signals run the connection housekeeping (health checks, dropping a broken
    connection) that the test client switches off."""
    environ = RequestFactory().generic(method, path, body, "application/json", **headers).environ
    answer: dict = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(response_headers)

    result = WSGIHandler()(environ, start_response)
    try:
        content = b"".join(result)
    finally:
        result.close()  # request_finished
    return answer["status"], answer["headers"], content


def kill_backend(pid: int) -> None:
    import psycopg2

    killer = psycopg2.connect(**connection.get_connection_params())
    killer.autocommit = True
    try:
        with killer.cursor() as cursor:
            # Waits (up to 5 s) until the backend has really gone.
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
            assert cursor.fetchone() == (True,)
    finally:
        killer.close()


def backend_pid() -> int:
    connection.ensure_connection()
    return connection.connection.info.backend_pid


@pytest.fixture
def persistent_connections(settings):
    """Connections kept between requests, as in production with CONN_MAX_AGE; every request
    reaches the database (no answer from the public page cache)."""
    settings.PUBLIC_CACHE_SECONDS = 0
    connection.close()
    before = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 60
    yield
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = before


@postgres_only
@pytest.mark.django_db(**TRANSACTIONAL)
def test_a_connection_killed_between_requests_is_replaced_by_the_next(persistent_connections):
    first, _, _ = serve("GET", f"{API}/districts/")
    killed = backend_pid()
    kill_backend(killed)

    second, _, _ = serve("GET", f"{API}/districts/")
    replacement = backend_pid()
    third, _, _ = serve("GET", f"{API}/districts/")

    assert (first, second, third) == (200, 200, 200)
    assert replacement != killed  # the health check found it dead and reconnected


@contextmanager
def killed_during_request(match: str = ""):
    """Kills this connection's server process just before the first query containing
    ``match`` runs."""
    done = []

    def wrapper(execute, sql, params, many, context):
        if not done and match in sql:
            done.append(sql)
            kill_backend(context["connection"].connection.info.backend_pid)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield done


@postgres_only
@pytest.mark.django_db(**TRANSACTIONAL)
def test_a_connection_killed_during_a_request_answers_503_then_recovers(persistent_connections):
    serve("GET", f"{API}/districts/")

    with killed_during_request() as killed:
        status, headers, content = serve("GET", f"{API}/districts/")
    after, _, _ = serve("GET", f"{API}/districts/")
    page, page_headers, _ = serve("GET", "/communities/")

    assert killed
    assert status == 503
    assert headers["Retry-After"] == "10"
    assert json.loads(content) == {"detail": translated("zh-hans")}
    assert after == 200
    assert page == 200 and page_headers["Content-Type"].startswith("text/html")


@postgres_only
@pytest.mark.django_db(**TRANSACTIONAL)
def test_a_write_killed_before_commit_is_not_acknowledged_and_the_next_one_lands(
    persistent_connections, django_user_model
):
    admin = django_user_model.objects.create_superuser("fault-admin", "f@example.com", "pw-9x!")
    token = Token.objects.create(user=admin).key
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    payload = json.dumps({"code": "370911", "name": "岱岳区"})

    with killed_during_request(match='INSERT INTO "communities_district"') as killed:
        lost, _, content = serve("POST", f"{API}/districts/", payload, **auth)
    retried, _, _ = serve("POST", f"{API}/districts/", payload, **auth)

    assert killed
    assert lost == 503 and b"Traceback" not in content
    assert retried == 201
    assert list(District.objects.values_list("code", "name")) == [("370911", "岱岳区")]
