"""Security headers at the cost of a dictionary lookup.

django-csp builds the ``Content-Security-Policy`` header from the settings on every response:
two policies (enforced and report-only) through ``dataclasses.asdict`` and string joins, 60 µs
of every response, where this middleware takes 8 µs (docs/national-scale.md). Unless a view
changes its policy (django-csp's decorators) or a template asks for a nonce, the header is a
function of the settings alone, so ``CSPMiddleware`` builds it once and answers the same text
until a setting changes; every other response goes through django-csp unchanged.
"""

from __future__ import annotations

from functools import cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# What django-csp's decorators set on a response: such a response has its own policy.
_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)
_SETTINGS = ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")


@cache
def _policies() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(header, value, excluded path prefixes) of the enforced and report-only policies, as
    the settings give them; a policy that builds to nothing is left out."""
    policies = []
    for header, name, report_only in (
        (HEADER, "CONTENT_SECURITY_POLICY", False),
        (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
    ):
        value = build_policy(report_only=report_only)
        if value:
            prefixes = (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            policies.append((header, value, tuple(prefixes)))
    return tuple(policies)


@receiver(setting_changed)
def _forget_policies(*, setting, **kwargs) -> None:
    if setting in _SETTINGS:
        _policies.cache_clear()


class CSPMiddleware(DjangoCSPMiddleware):
    """django-csp's middleware, with the settings' policy built once (see the module)."""

    def process_response(self, request, response):
        if (
            getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _PER_RESPONSE)
            or (settings.DEBUG and response.status_code in (404, 500))
        ):
            return super().process_response(request, response)
        path = request.path_info
        for header, value, excluded in _policies():
            if header not in response and not path.startswith(excluded):
                response[header] = value
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
