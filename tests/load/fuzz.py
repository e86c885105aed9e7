"""``make fuzz-scale``: schemathesis against gunicorn on the national-scale database.

``make test`` fuzzes every operation in process on a small test database
(``tests/core/test_api_fuzz.py``). This runs the same checks over HTTP against the data a national
deployment holds (``DATABASE_URL``, by default ``rt_scale``): reads anonymously, writes with a
superuser's token, bounded examples per operation (``FUZZ_MAX_EXAMPLES``, default 10) and a
fixed seed. Writes change the database it runs on. The summary is printed and the JUnit report
written to ``bench-results/fuzz-<stamp>.xml``; the exit status is schemathesis's own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime

from tests.load.harness import BIN, Config, Server, close_django_connections, setup_django

FUZZ_USERNAME = "fuzz-scale"
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
]


def ensure_fuzz_user() -> str:
    """A superuser with an API token (the surface that can change everything); its key."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    user, created = get_user_model().objects.get_or_create(
        username=FUZZ_USERNAME, defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return Token.objects.get_or_create(user=user)[0].key


def main() -> int:
    config = Config.from_env()
    config.results_dir.mkdir(parents=True, exist_ok=True)
    setup_django(config)
    token = ensure_fuzz_user()
    close_django_connections()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    server = Server(config, config.workers, config.results_dir / f"fuzz-{stamp}-gunicorn.log")
    server.start()
    try:
        command = [
            str(BIN / "schemathesis"),
            "run",
            f"http://127.0.0.1:{config.port}/api/schema/?format=json",
            "--checks",
            ",".join(CHECKS),
            "--phases",
            "examples,fuzzing",
            "--max-examples",
            os.environ.get("FUZZ_MAX_EXAMPLES", "10"),
            "--seed",
            "1",
            "--request-timeout",
            "60",
            "--header",
            f"Authorization: Token {token}",
            "--report",
            "junit",
            "--report-junit-path",
            str(config.results_dir / f"fuzz-{stamp}.xml"),
        ]
        return subprocess.run(command, check=False).returncode
    finally:
        server.stop()
        print(f"gunicorn: {server.log_facts()}")


if __name__ == "__main__":
    sys.exit(main())
