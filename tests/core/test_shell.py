"""``manage.py shell`` starts quietly: every model auto-imported, no noise about the
historical models."""

import pytest

from communities.core.management.commands.shell import Command
from tests.support.processes import manage, production_env


@pytest.mark.own_database
def test_the_shell_imports_every_model_and_prints_no_import_failure(tmp_path):
    result = manage("shell", "-c", "print(Community.__name__)", env=production_env(tmp_path))

    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "could not be automatically imported" not in output
    assert "Community" in result.stdout.splitlines()


def test_the_historical_models_are_left_out_of_the_auto_imports():
    paths = Command().get_auto_imports()
    assert "communities.places.models.Community" in paths
    assert not [path for path in paths if ".Historical" in path]
