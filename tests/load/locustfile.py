"""Locust's users for ``make load`` and ``make fault``: public pages, API reads and a few
authenticated writes, against ids and codes the harness sampled from the database.

Run by ``tests/load/harness.py``, which sets:

- ``LOAD_TARGETS``: a JSON file ``{"communities": [...], "districts": [...], "token": ...,
  "run_id": ...}``;
- ``LOAD_LEDGER``: where every acknowledged write goes, one JSON line ``{"id", "marker", "t"}``;
- ``LOAD_EVENTS``: where every failed request goes, one JSON line with its status, content
  type and the start of its body (the fault test reads them);
- ``LOAD_SEED``: seeds each user's choice of ids, so two runs ask for the same pages.
"""

import itertools
import json
import os
import random
import time
from urllib.parse import urlsplit

from locust import FastHttpUser, constant, events, task

from tests.load.tools import marker_text, write_payload

with open(os.environ["LOAD_TARGETS"], encoding="utf-8") as _file:
    TARGETS = json.load(_file)

COMMUNITIES: list[int] = TARGETS["communities"]
DISTRICTS: list[str] = TARGETS["districts"]
AUTH = {"Authorization": f"Token {TARGETS['token']}", "Accept": "application/json"}
API = {"Accept": "application/json"}
PAGE = {"Accept": "text/html"}
WRITE_URL = "/api/v1/service-requests/"

_ledger = open(os.environ["LOAD_LEDGER"], "a", encoding="utf-8")  # noqa: SIM115
_events = open(os.environ["LOAD_EVENTS"], "a", encoding="utf-8")  # noqa: SIM115
_user_numbers = itertools.count()
_write_numbers = itertools.count()


@events.request.add_listener
def record_failure(request_type, name, response_time, response, exception, start_time=None,
                   url=None, **kwargs):  # fmt: skip
    """Keep every failed request: the fault test judges each one (status, type, message)."""
    status = getattr(response, "status_code", 0) or 0
    if exception is None and 200 <= status < 300:
        return
    text = ""
    content_type = ""
    if response is not None and status:
        try:
            text = response.text or ""
        except Exception:  # an unreadable body is judged by its status alone
            text = ""
        content_type = (response.headers or {}).get("content-type", "") or ""
    started = start_time or time.time()
    event = {
        "t": round(started + (response_time or 0) / 1000, 3),
        "start": round(started, 3),
        "method": request_type,
        "name": name,
        "path": urlsplit(url or name).path,
        "status": status,
        "content_type": content_type,
        "traceback": "Traceback" in text,
        "body": text[:3000],
        "exception": repr(exception)[:300] if exception is not None else "",
    }
    _events.write(json.dumps(event, ensure_ascii=False) + "\n")
    _events.flush()


@events.quitting.add_listener
def close_files(environment, **kwargs):
    _ledger.close()
    _events.close()


class Visitor(FastHttpUser):
    """One of the concurrent clients: no think time, so the run measures what the server can
    carry. About 3% of its requests are writes."""

    wait_time = constant(float(os.environ.get("LOAD_WAIT", "0")))

    def on_start(self):
        number = next(_user_numbers)
        self.rng = random.Random(f"{os.environ.get('LOAD_SEED', '9')}-{number}")

    def community(self) -> int:
        return self.rng.choice(COMMUNITIES)

    def district(self) -> str:
        return self.rng.choice(DISTRICTS)

    # --- Public pages ----------------------------------------------------------------------

    @task(5)
    def home(self):
        self.client.get("/", headers=PAGE, name="/")

    @task(6)
    def community_list_page(self):
        self.client.get("/communities/", headers=PAGE, name="/communities/")

    @task(10)
    def community_page(self):
        self.client.get(
            f"/communities/{self.community()}/", headers=PAGE, name="/communities/<id>/"
        )

    @task(6)
    def district_page(self):
        self.client.get(f"/districts/{self.district()}/", headers=PAGE, name="/districts/<code>/")

    @task(3)
    def map_page(self):
        self.client.get("/map/", headers=PAGE, name="/map/")

    # --- API reads -------------------------------------------------------------------------

    @task(12)
    def api_communities_of_district(self):
        self.client.get(
            f"/api/v1/communities/?district={self.district()}",
            headers=API,
            name="/api/v1/communities/?district=<code>",
        )

    @task(15)
    def api_community(self):
        self.client.get(
            f"/api/v1/communities/{self.community()}/",
            headers=API,
            name="/api/v1/communities/<id>/",
        )

    @task(6)
    def api_stats(self):
        self.client.get("/api/v1/stats/", headers=API, name="/api/v1/stats/")

    @task(8)
    def api_stats_of_district(self):
        self.client.get(
            f"/api/v1/stats/?district={self.district()}",
            headers=API,
            name="/api/v1/stats/?district=<code>",
        )

    @task(7)
    def api_geojson_of_district(self):
        self.client.get(
            f"/api/v1/communities/geojson/?district={self.district()}",
            headers=API,
            name="/api/v1/communities/geojson/?district=<code>",
        )

    @task(12)
    def api_items_of_community(self):
        self.client.get(
            f"/api/v1/renovation-items/?community={self.community()}",
            headers=API,
            name="/api/v1/renovation-items/?community=<id>",
        )

    # --- Authenticated writes --------------------------------------------------------------

    @task(3)
    def file_repair_request(self):
        marker = f"{TARGETS['run_id']}-{os.getpid()}-{next(_write_numbers)}"
        payload = write_payload(community_id=self.community(), marker=marker)
        with self.client.post(
            WRITE_URL, json=payload, headers=AUTH, name=WRITE_URL, catch_response=True
        ) as response:
            if response.status_code != 201:
                return  # a failure by its status; the listener records it
            data = response.json()
            if marker_text(marker) not in (data.get("description") or ""):
                response.failure("the answer does not carry the written marker")
                return
            entry = {"id": data["id"], "marker": marker, "t": round(time.time(), 3)}
            _ledger.write(json.dumps(entry) + "\n")
            _ledger.flush()
