"""Rules from parts above the works that an item's validation must ask (the works cannot import
them): each part registers a guard when its app is ready, and ``RenovationItem.clean()`` asks
every guard. Construction supervision registers "a major hazard stops the item"."""

from collections.abc import Callable
from typing import Any

# A guard takes the item as it would be saved and returns (field, message) pairs; empty when
# the item may be saved.
ProgressGuard = Callable[[Any], list[tuple[str, str]]]

_guards: list[ProgressGuard] = []


def register_progress_guard(guard: ProgressGuard) -> None:
    if guard not in _guards:
        _guards.append(guard)


def progress_guard_errors(item) -> list[tuple[str, str]]:
    """Every registered guard's refusals of ``item`` (each guard may run queries)."""
    return [error for guard in _guards for error in guard(item)]
