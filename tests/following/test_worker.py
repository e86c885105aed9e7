"""The real thing: a Celery worker process on Redis delivers the double-opt-in mail and an
alert to an SMTP server started here, and the unsubscribe link in the mail works.

The worker (``celery -A renovation worker --pool=solo``) runs against Redis db 13 (flushed
before and after) and the test database: PostgreSQL's test database as it is, or, on SQLite,
whose test database lives in this process's memory, a file copy of it that this process
switches to for the test. Skipped only when Redis is not reachable at 127.0.0.1:6379.
"""

import email
import os
import queue
import re
import socket
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from email import policy
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from django.db import connection
from django.test import Client

from communities.following import tasks
from communities.following.models import Subscription
from communities.works.choices import ItemStatus
from renovation.celery import app
from tests.support.database import TRANSACTIONAL, restore_seeded_rows
from tests.support.factories import make_community, make_item
from tests.support.following import make_subscription
from tests.support.processes import ROOT

BROKER = "redis://127.0.0.1:6379/13"
CELERY = Path(sys.executable).parent / "celery"
WAIT = 20  # seconds for one mail at most (the worker's start included)


@pytest.fixture(scope="module", autouse=True)
def _seeded_rows_restored(django_db_blocker):
    """The flush that ends the transactional test empties the seeded rows: put them back."""
    yield
    with django_db_blocker.unblock():
        restore_seeded_rows()


@pytest.fixture
def broker():
    client = redis.Redis.from_url(BROKER, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    client.flushdb()
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    _configure(broker_url=BROKER, task_always_eager=False)
    yield BROKER
    _configure(**saved)
    client.flushdb()


def _configure(**conf) -> None:
    """Point this process's Celery app at another broker: the connection pools made for the
    old one (even eager tasks make them) are dropped, to be made again on first use."""
    app.conf.update(conf)
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None


class _Inbox:
    def __init__(self) -> None:
        self.mails: queue.Queue = queue.Queue()

    async def handle_DATA(self, server, session, envelope):
        self.mails.put(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def next(self):
        try:
            return self.mails.get(timeout=WAIT)
        except queue.Empty:
            pytest.fail("no mail arrived")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


@contextmanager
def _shared_database(tmp_path: Path):
    """The URL the worker reaches this test's database at (see the module's docstring)."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
        yield (
            f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        )
        return
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    memory = connection.connection
    copy = sqlite3.connect(path)
    memory.backup(copy)
    copy.close()
    name = settings["NAME"]
    connection.connection = None
    settings["NAME"] = str(path)
    try:
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        settings["NAME"] = name
        connection.connection = memory


@pytest.fixture
def worker(broker, smtp, tmp_path):
    _inbox, port = smtp
    with _shared_database(tmp_path) as database_url:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_", "EMAIL_"))
        }
        env.update(
            DATABASE_URL=database_url,
            CELERY_BROKER_URL=broker,
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(port),
            SITE_URL="http://testserver",
        )
        process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "renovation",
                "worker",
                "--pool=solo",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=env,
            stdout=(tmp_path / "worker.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _link(message, kind: str) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(rf"http://testserver(/follow/{kind}/[^/\s]+/)", body)
    assert match, body
    return match.group(1)


@pytest.mark.django_db(**TRANSACTIONAL)
def test_a_real_worker_delivers_the_opt_in_and_an_alert_and_unsubscribe_works(smtp, worker):
    inbox, _port = smtp
    community = make_community(name="乐园小区")
    visitor = Client()

    # Subscribing queues the confirmation mail; the worker sends it.
    response = visitor.post(f"/follow/community/{community.pk}/", {"email": "li@example.com"})
    assert response.status_code == 200
    confirmation = inbox.next()
    assert confirmation["To"] == "li@example.com"
    assert "乐园小区" in str(confirmation["Subject"])
    unsubscribe = _link(confirmation, "unsubscribe")
    assert confirmation["List-Unsubscribe"].strip() == f"<http://testserver{unsubscribe}>"
    assert confirmation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Following the link confirms; news recorded after it goes out with the next alert run.
    assert visitor.get(_link(confirmation, "confirm")).status_code == 200
    assert Subscription.objects.get().confirmed_at is not None
    make_item(community=community, title="雨污分流改造", status=ItemStatus.UNDER_CONSTRUCTION)
    tasks.send_alerts.delay()
    alert = inbox.next()
    assert alert["To"] == "li@example.com"
    assert "雨污分流改造" in alert.get_body(preferencelist=("plain",)).get_content()
    assert alert["List-Unsubscribe"].strip() == f"<http://testserver{unsubscribe}>"

    # One click from the mail client stops the alerts.
    stopped = visitor.post(
        unsubscribe,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert stopped.status_code == 200
    assert Subscription.objects.get().unsubscribed_at is not None
    make_item(community=community, title="外墙保温", status=ItemStatus.UNDER_CONSTRUCTION)
    tasks.send_alerts.delay()
    # The solo worker runs its tasks in order: once this one's mail is here, the alert run
    # before it has finished, having sent nothing.
    sentinel = make_subscription(community=community, email="sentinel@example.com", confirmed=False)
    tasks.send_confirmation.delay(sentinel.pk)
    assert inbox.next()["To"] == "sentinel@example.com"
    assert inbox.mails.empty()
