"""The shared cache (REDIS_URL) on a real Redis server: what several app servers count together,
and what a visitor gets while Redis restarts."""

import logging

import pytest

from core import cache as shared_cache
from core.cache import ResilientRedisCache
from core.ratelimit import RateLimit


def _app_server_cache(url: str) -> ResilientRedisCache:
    """The cache one app server process would have (settings.CACHES with REDIS_URL)."""
    return ResilientRedisCache(
        url,
        {"KEY_PREFIX": "test", "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}},
    )


@pytest.fixture
def redis_url(redis_server):
    if redis_server.process is None:  # a test that stopped it left it stopped
        redis_server.start()
    _app_server_cache(redis_server.url).clear()
    return redis_server.url


def test_two_app_servers_count_one_rate_limit_together(redis_url, settings, monkeypatch):
    first, second = _app_server_cache(redis_url), _app_server_cache(redis_url)
    settings.QUESTION_RATE_LIMIT, settings.QUESTION_RATE_WINDOW = 5, 60
    limit = RateLimit("loket", "QUESTION_RATE_LIMIT", "QUESTION_RATE_WINDOW")
    answers = []
    for attempt in range(8):  # a client's questions spread over two app servers
        monkeypatch.setattr("core.ratelimit.cache", first if attempt % 2 else second)
        answers.append(limit.hit("198.51.100.7"))
    assert answers == [True] * 5 + [False] * 3


def test_an_edit_clears_a_cached_lookup_for_every_app_server(redis_url):
    first, second = _app_server_cache(redis_url), _app_server_cache(redis_url)
    first.set("search:thesaurus", ["gezinscoach", "gezinsmanager"], 3600)
    assert second.get("search:thesaurus") == ["gezinscoach", "gezinsmanager"]
    second.delete("search:thesaurus")  # the editor saved the thesaurus on the other server
    assert first.get("search:thesaurus") is None


def test_while_redis_is_down_the_cache_answers_from_memory_and_logs_one_line(
    redis_server, redis_url, caplog, monkeypatch
):
    cache = _app_server_cache(redis_url)
    cache.set("kept", "in redis", 60)
    redis_server.stop()
    redis_server.wait(answering=False)
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        assert cache.get("kept") is None  # not an exception: the page goes on
        assert cache.add("ratelimit:loket:x", 1, 60) is True
        assert cache.incr("ratelimit:loket:x") == 2  # counting goes on, in this process
        cache.set("lookup", "computed again", 60)
        assert cache.get("lookup") == "computed again"
        assert cache.ping() is False
    lines = [r for r in caplog.records if r.name == "core.cache"]
    assert len(lines) == 1, [r.getMessage() for r in lines]
    assert "Redis did not answer" in lines[0].getMessage()
    assert "ConnectionError" in lines[0].getMessage()

    redis_server.start()
    monkeypatch.setattr(shared_cache, "RETRY_AFTER", 0.0)
    cache._down_until = 0.0  # the back-off has run out
    assert cache.ping() is True
    cache.set("after", "back in redis", 60)
    assert _app_server_cache(redis_url).get("after") == "back in redis"
