"""The cache's version tokens, watched: what a test of ``caching.tokens_replaced_once`` counts."""

from communities.core import caching


def token_writes(monkeypatch) -> list[str]:
    """The keys of the version tokens written from now on, in order (one entry per write)."""
    writes = []
    original = caching.cache.set

    def counting_set(key, *args, **kwargs):
        if key.endswith(":version"):
            writes.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(caching.cache, "set", counting_set)
    return writes
