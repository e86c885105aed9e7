"""``/open311/v2/``: Open311 GeoReport v2, each resource in ``.json`` or ``.xml``."""

from django.urls import re_path

from communities.repairs.open311 import views as open311

app_name = "open311"

FORMAT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^discovery" + FORMAT, open311.discovery, name="discovery"),
    re_path(r"^services" + FORMAT, open311.service_list, name="services"),
    re_path(
        r"^services/(?P<service_code>[^/]+?)" + FORMAT,
        open311.service_definition,
        name="service-definition",
    ),
    re_path(r"^requests" + FORMAT, open311.requests, name="requests"),
    re_path(
        r"^requests/(?P<service_request_id>[^/]+?)" + FORMAT,
        open311.request_detail,
        name="request",
    ),
    re_path(r"^tokens/(?P<token>[^/]+?)" + FORMAT, open311.token_detail, name="token"),
]
