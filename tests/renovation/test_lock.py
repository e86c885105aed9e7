"""The product installs from lock files with hashes, and they pin every dependency that
pyproject.toml names (a dependency added without `make lock` fails here)."""

import re
import tomllib

import pytest

from tests.support.processes import ROOT

LOCKS = {
    None: "requirements.txt",
    "dev": "requirements-dev.txt",
    "load": "requirements-load.txt",
}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[;\s]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _pinned(lock: str) -> dict[str, str]:
    text = (ROOT / lock).read_text()
    return {
        name.lower().replace("_", "-"): version
        for name, version in re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)", text, re.M)
    }


@pytest.mark.parametrize(("extra", "lock"), list(LOCKS.items()))
def test_every_dependency_is_pinned_with_hashes(extra, lock):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    if extra:
        wanted += project["optional-dependencies"][extra]
    pinned = _pinned(lock)
    missing = sorted({_name(r) for r in wanted} - set(pinned))
    assert missing == [], f"{lock} lacks {missing}: run `make lock`"
    text = (ROOT / lock).read_text()
    hashed = re.findall(r"^[A-Za-z0-9_.\-]+==\S+ \\\n\s+--hash=sha256:[0-9a-f]{64}", text, re.M)
    assert len(hashed) == len(pinned), "every pinned package carries its hashes"


def test_the_locks_agree_on_the_versions_they_share():
    runtime, dev, load = (_pinned(lock) for lock in LOCKS.values())
    for other in (dev, load):
        shared = set(runtime) & set(other)
        assert {n: runtime[n] for n in shared} == {n: other[n] for n in shared}
