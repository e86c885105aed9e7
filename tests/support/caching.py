"""The cache, watched: which keys a test's requests read or write."""

from collections.abc import Callable

from communities.core import caching


def watched_keys(monkeypatch, method: str, wanted: Callable[[str], bool]) -> list[str]:
    """The keys, among those ``wanted``, that the cache's ``method`` (``get``, ``set``) is
    called with from now on, in order (one entry per call)."""
    keys = []
    original = getattr(caching.cache, method)

    def watched(key, *args, **kwargs):
        if wanted(key):
            keys.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(caching.cache, method, watched)
    return keys


def token_writes(monkeypatch) -> list[str]:
    """The version tokens written from now on (``caching.tokens_replaced_once`` counts them)."""
    return watched_keys(monkeypatch, "set", lambda key: key.endswith(":version"))
