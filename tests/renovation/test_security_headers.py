"""The Content-Security-Policy header built once: the same text django-csp writes, a changed
setting seen at once, per-view policies and nonces still django-csp's."""

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE
from csp.decorators import csp_exempt, csp_update
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from renovation.security import CSPMiddleware

pytestmark = pytest.mark.django_db

REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'none'"], "report-uri": "/csp-reports/"}}


def _headers(middleware_class, request, response):
    """The CSP headers the middleware writes on a response to the request."""
    middleware = middleware_class(lambda _request: response)
    middleware.process_request(request)
    answered = middleware.process_response(request, response)
    return {name: answered[name] for name in (HEADER, HEADER_REPORT_ONLY) if name in answered}


def _both(request_for, response_for):
    """(ours, django-csp's) headers for fresh copies of the same request and response."""
    return (
        _headers(CSPMiddleware, request_for(), response_for()),
        _headers(DjangoCSPMiddleware, request_for(), response_for()),
    )


def test_the_header_is_django_csps_on_a_page_and_on_the_api(client):
    for url in ("/", "/communities/", "/api/v1/communities/", "/healthz", "/no-such-page/"):
        response = client.get(url)
        ours = response[HEADER]
        theirs = _headers(DjangoCSPMiddleware, RequestFactory().get(url), HttpResponse())
        assert ours == theirs[HEADER], url
        assert "script-src 'self'" in ours
        assert HEADER_REPORT_ONLY not in response


def test_a_changed_policy_is_answered_at_once(client, settings):
    before = client.get("/healthz")[HEADER]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = REPORT_ONLY
    response = client.get("/healthz")

    assert before != response[HEADER] == "default-src 'self'"
    assert response[HEADER_REPORT_ONLY] == "default-src 'none'; report-uri /csp-reports/"


def test_excluded_prefixes_get_no_header(settings):
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "EXCLUDE_URL_PREFIXES": ["/api/"],
    }
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = REPORT_ONLY
    factory = RequestFactory()
    api, theirs = _both(lambda: factory.get("/api/v1/communities/"), HttpResponse)
    assert api == theirs
    assert set(api) == {HEADER_REPORT_ONLY}
    page, theirs = _both(lambda: factory.get("/communities/"), HttpResponse)
    assert page == theirs
    assert set(page) == {HEADER, HEADER_REPORT_ONLY}


def test_a_header_the_view_set_itself_is_kept():
    def response():
        answer = HttpResponse()
        answer[HEADER] = "default-src 'none'"
        return answer

    ours, theirs = _both(lambda: RequestFactory().get("/"), response)
    assert ours == theirs == {HEADER: "default-src 'none'"}


@pytest.mark.parametrize(
    "decorate",
    [csp_exempt(), csp_update({"img-src": ["https://tiles.example.cn"]})],
    ids=["exempt", "update"],
)
def test_a_views_own_policy_is_django_csps(decorate):
    view = decorate(lambda request: HttpResponse())
    request_for = RequestFactory().get
    ours, theirs = _both(lambda: request_for("/"), lambda: view(request_for("/")))
    assert ours == theirs


def test_a_nonce_asked_for_during_the_request_is_in_the_header(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}
    request = RequestFactory().get("/")
    middleware = CSPMiddleware(lambda _request: HttpResponse())
    middleware.process_request(request)
    nonce = str(request.csp_nonce)
    response = middleware.process_response(request, HttpResponse())

    assert f"script-src 'self' 'nonce-{nonce}'" in response[HEADER]
    assert str(request.csp_nonce) == nonce  # the same nonce afterwards, as django-csp answers


def test_a_nonce_asked_for_after_the_header_is_written_is_an_error():
    request = RequestFactory().get("/")
    middleware = CSPMiddleware(lambda _request: HttpResponse())
    middleware.process_request(request)
    middleware.process_response(request, HttpResponse())

    assert not request.csp_nonce  # django-csp's "was a nonce used" answer
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_debug_error_pages_are_left_without_a_header_as_django_csp_leaves_them(settings):
    settings.DEBUG = True
    for status in (404, 500):
        ours, theirs = _both(
            lambda: RequestFactory().get("/"), lambda status=status: HttpResponse(status=status)
        )
        assert ours == theirs == {}, status
