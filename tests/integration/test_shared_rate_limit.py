"""Politeness across processes: crawlers in several processes share one per-host interval through Redis."""

from __future__ import annotations

import itertools
import multiprocessing
import time
import uuid

import pytest

from tests.harness.services import redis_unreachable

pytestmark = pytest.mark.integration
REDIS = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_url():
    reason = redis_unreachable(REDIS)
    if reason:
        pytest.skip(reason)
    return REDIS


def _take_slots(url: str, host: str, count: int, interval: float, out) -> None:
    from scrapers.shared_rate_limit import RedisHostRateLimiter

    limiter = RedisHostRateLimiter(url)
    for _ in range(count):
        limiter.wait(host, interval)
        out.put(time.time())


def test_four_processes_together_keep_one_hosts_interval(redis_url):
    host = f"bureau-{uuid.uuid4().hex[:8]}.example:80"
    interval, per_process, processes = 0.2, 4, 4
    out = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(target=_take_slots, args=(redis_url, host, per_process, interval, out))
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    stamps = sorted(out.get(timeout=5) for _ in range(per_process * processes))
    gaps = [later - earlier for earlier, later in itertools.pairwise(stamps)]
    assert min(gaps) >= interval * 0.5, f"requests {min(gaps):.3f}s apart, interval {interval}s"
    assert stamps[-1] - stamps[0] >= interval * (len(stamps) - 1) * 0.9


def test_hosts_do_not_wait_for_each_other(redis_url):
    from scrapers.shared_rate_limit import RedisHostRateLimiter

    limiter = RedisHostRateLimiter(redis_url)
    started = time.monotonic()
    for index in range(20):
        limiter.wait(f"site-{uuid.uuid4().hex[:8]}-{index}.example", 1.0)
    assert time.monotonic() - started < 1.0


def test_the_ingest_uses_redis_when_configured(redis_url, monkeypatch):
    from scrapers.fetch import HostRateLimiter
    from scrapers.shared_rate_limit import RedisHostRateLimiter, default_rate_limiter

    assert isinstance(default_rate_limiter(), HostRateLimiter)
    monkeypatch.setenv("MINZHENG_RATE_LIMIT_REDIS", redis_url)
    assert isinstance(default_rate_limiter(), RedisHostRateLimiter)
