"""``manage.py warm_cache``: fill the shared cache after a deploy, before readers arrive.

After a deploy (or a flushed Redis) the first readers pay for what the cache normally holds:
the statistics (``reporting.selectors.city_statistics``, seconds city-wide at national scale),
the city's ``/api/v1/stats/`` JSON body, and the public pages. This command computes them once,
in this order, each step only while time is left (``--seconds``, 60 by default):

1. the whole city's statistics, and its ``/api/v1/stats/`` answer in every language;
2. the public pages ``/``, ``/communities/`` and ``/map/`` in every language, for each
   ``--host`` (the public response cache keys an answer by host, path, language and Accept:
   these are what a browser asking for HTML gets; they live ``PUBLIC_CACHE_SECONDS``);
3. the statistics of each district (its page and ``/api/v1/stats/?district=``), the districts
   with the most communities first, until the time is up.

It goes through the application's own views (``django.test.Client``, the whole middleware
stack) as an anonymous reader, so what it stores is exactly what a reader would have stored.
Useful only with a cache the server shares (``REDIS_URL``): the local-memory cache is the
command's own process's. It prints what it filled and exits 0 even when time ran out first.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.test import Client

from communities.places.models import District

# The public pages every deploy should have ready (the site's most read ones).
PAGES = ("/", "/communities/", "/map/")
# What a browser sends; the public cache keys answers by it.
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


class Command(BaseCommand):
    help = (
        "Fill the cache after a deploy: the city's statistics and /api/v1/stats/, the public "
        "home, list and map pages, then districts' statistics (most communities first), "
        "within --seconds."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seconds",
            type=float,
            default=60.0,
            help="Stop starting new work after this many seconds (default 60).",
        )
        parser.add_argument(
            "--host",
            action="append",
            dest="hosts",
            help=(
                "The host readers use (repeat for several); default: the first of "
                "DJANGO_ALLOWED_HOSTS that is not a wildcard."
            ),
        )
        parser.add_argument(
            "--https", action="store_true", help="Readers come over HTTPS (part of the key)."
        )
        parser.add_argument(
            "--districts",
            type=int,
            default=None,
            help="Warm at most this many districts (default: as many as time allows).",
        )

    def handle(self, *args, seconds: float, hosts, https: bool, districts, **options):
        if seconds <= 0:
            raise CommandError("--seconds must be more than 0.")
        hosts = hosts or [_default_host()]
        deadline = time.monotonic() + seconds
        languages = [code for code, _name in settings.LANGUAGES]
        filled: dict[str, int] = {"statistics": 0, "pages": 0, "districts": 0}
        started = time.monotonic()

        def fetch(client: Client, url: str, language: str, accept: str) -> bool:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language, HTTP_ACCEPT=accept)
            if response.status_code != 200:
                self.stderr.write(f"{url} ({language}) answered {response.status_code}")
                return False
            return True

        clients = [
            Client(HTTP_HOST=host, secure=https, raise_request_exception=False) for host in hosts
        ]
        # 1. The city's statistics and their JSON answer (also what the home page charts).
        for language in languages:
            if time.monotonic() >= deadline:
                break
            if fetch(clients[0], "/api/v1/stats/", language, "application/json"):
                filled["statistics"] += 1
        # 2. The public pages, per host and language.
        for client in clients:
            for language in languages:
                for url in PAGES:
                    if time.monotonic() >= deadline:
                        break
                    if fetch(client, url, language, BROWSER_ACCEPT):
                        filled["pages"] += 1
        # 3. Districts' statistics, the largest first, while time is left.
        largest = (
            District.objects.annotate(size=Count("communities"))
            .order_by("-size", "code")
            .values_list("code", flat=True)
        )
        if districts is not None:
            largest = largest[: max(districts, 0)]
        for code in largest.iterator() if time.monotonic() < deadline else ():
            if time.monotonic() >= deadline:
                break
            url = f"/api/v1/stats/?district={code}"
            if fetch(clients[0], url, languages[0], "application/json"):
                filled["districts"] += 1
        elapsed = time.monotonic() - started
        out_of_time = " (time ran out)" if time.monotonic() >= deadline else ""
        self.stdout.write(
            f"Warmed in {elapsed:.1f} s{out_of_time}: the city's statistics in "
            f"{filled['statistics']} language(s), {filled['pages']} public page(s) for "
            f"{', '.join(hosts)}, statistics of {filled['districts']} district(s)."
        )


def _default_host() -> str:
    for host in settings.ALLOWED_HOSTS:
        if host and "*" not in host and not host.startswith("."):
            return host
    return "localhost"
