"""The Redis cache degrades instead of failing requests while Redis is down."""

from __future__ import annotations

import logging

import pytest
import redis
from django.core.cache import caches

import tracker.cache

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _forget_outages():
    # The back-off state is per process; a port reused by a later test must start clean.
    tracker.cache._down_until.clear()
    yield
    tracker.cache._down_until.clear()


@pytest.fixture
def tolerant_cache(settings, own_redis):
    settings.CACHES = {
        "default": {
            "BACKEND": "tracker.cache.TolerantRedisCache",
            "LOCATION": own_redis.url(0),
            "KEY_PREFIX": "cache-test",
            # Try Redis again on the next call, so the test sees the recovery at once.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1, "DOWN_RETRY_SECONDS": 0},
        }
    }
    return caches["default"]


def test_reads_and_writes_go_to_redis_while_it_is_up(tolerant_cache):
    tolerant_cache.set("answer", {"km": 20}, 60)

    assert tolerant_cache.get("answer") == {"km": 20}
    assert tolerant_cache.get_many(["answer", "other"]) == {"answer": {"km": 20}}
    assert tolerant_cache.add("answer", "again") is False


def test_while_redis_is_down_reads_miss_and_writes_are_dropped(tolerant_cache, own_redis, caplog):
    # given a value stored while Redis was up
    tolerant_cache.set("answer", 42, 60)

    # when Redis goes away
    own_redis.stop()
    with caplog.at_level(logging.WARNING, logger="tracker.cache"):
        read = tolerant_cache.get("answer", "fallback")
        tolerant_cache.set("answer", 43, 60)
        computed = tolerant_cache.get_or_set("other", lambda: "computed", 60)
        many = tolerant_cache.get_many(["answer"])

    # then nothing raises: reads miss, writes vanish, and the outage is logged
    assert read == "fallback"
    assert computed == "computed"
    assert many == {}
    assert "cache unavailable, serving without it" in caplog.messages


def test_the_cache_is_used_again_once_redis_returns(tolerant_cache, own_redis):
    own_redis.stop()
    assert tolerant_cache.get("answer") is None

    own_redis.start()
    tolerant_cache.set("answer", "back", 60)

    assert tolerant_cache.get("answer") == "back"


def test_a_dead_redis_is_not_retried_on_every_call(settings, own_redis):
    settings.CACHES = {
        "default": {
            "BACKEND": "tracker.cache.TolerantRedisCache",
            "LOCATION": own_redis.url(0),
            "OPTIONS": {"DOWN_RETRY_SECONDS": 60},
        }
    }
    cache = caches["default"]
    own_redis.stop()
    assert cache.get("answer") is None  # this call finds Redis down

    own_redis.start()

    # Within the back-off window the cache does not even try; a miss, not an error.
    assert cache.get("answer", "skipped") == "skipped"
    cache.set("answer", "not stored", 60)
    assert redis.Redis.from_url(own_redis.url(0)).dbsize() == 0
