"""renovation.cache.RedisCache: Django's Redis cache, one client per pool (needs local Redis)."""

import socket

import pytest

from renovation.cache import RedisCache

REDIS = ("127.0.0.1", 6379)


def _redis_is_up() -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(REDIS) == 0


pytestmark = pytest.mark.skipif(not _redis_is_up(), reason="no Redis on 127.0.0.1:6379")


@pytest.fixture
def cache():
    backend = RedisCache("redis://127.0.0.1:6379/14", {"KEY_PREFIX": "rt-test-cache-backend"})
    yield backend
    backend.clear()


def test_it_stores_reads_and_deletes_like_djangos(cache):
    assert cache.add("k", {"v": 1}, 30)
    assert not cache.add("k", {"v": 2}, 30)
    assert cache.get("k") == {"v": 1}
    cache.set_many({"a": 1, "b": 2}, 30)
    assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
    assert cache.incr("a") == 2
    cache.delete("k")
    assert cache.get("k") is None


def test_each_pool_has_one_client_made_once(cache):
    client = cache._cache
    first = client.get_client(write=True)
    cache.set("k", 1, 30)
    cache.get("k")
    assert client.get_client(write=True) is first
    assert len(client._clients) == 1
