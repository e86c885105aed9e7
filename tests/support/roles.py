"""Staff roles for tests, granted with the ``grant_role`` command as an operator would."""

from io import StringIO

from django.core.management import call_command


def grant(username: str, role: str, *options: str) -> str:
    out = StringIO()
    call_command("grant_role", username, role, *options, stdout=out)
    return out.getvalue()
