"""The Redis server that tests of shared rate limits use, and cleaning up their keys."""

from __future__ import annotations

import os

import pytest
import redis

#: a Redis the tests may write to; each test keeps to keys of a site name of its own
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def answering_redis() -> str:
    """The test Redis's URL; the test skips when it does not answer, and fails in CI."""
    client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        reason = f"no Redis answers at {TEST_REDIS_URL} ({exc}); set TEST_REDIS_URL"
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis tests cannot run in CI: {reason}")
        pytest.skip(reason)
    finally:
        client.close()
    return TEST_REDIS_URL


def keys_under(prefix: str) -> list[str]:
    client = redis.Redis.from_url(TEST_REDIS_URL, decode_responses=True)
    try:
        return sorted(client.scan_iter(match=f"{prefix}*"))
    finally:
        client.close()


def delete_keys_under(prefix: str) -> None:
    client = redis.Redis.from_url(TEST_REDIS_URL)
    try:
        for key in client.scan_iter(match=f"{prefix}*"):
            client.delete(key)
    finally:
        client.close()
