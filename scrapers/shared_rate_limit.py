"""Per-host politeness shared by every process that crawls: Celery workers on several machines must not
together hit one bureau's site faster than its `min_interval_seconds`, which a limiter in one process cannot
promise. The next free slot per host lives in Redis and is taken atomically (a Lua script on Redis's clock).

Used when MINZHENG_RATE_LIMIT_REDIS names a Redis (e.g. redis://127.0.0.1:6379/0); otherwise each process
keeps its own slots (scrapers.fetch.HostRateLimiter), which is right for one machine with one crawler per host.
"""

from __future__ import annotations

import time

from scrapers.fetch import HostRateLimiter
from warehouse.settings import rate_limit_redis_url

KEY_PREFIX = "minzheng:next_slot:"
# returns microseconds to wait; the key expires a minute after its slot so idle hosts leave nothing behind
TAKE_SLOT = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local interval = tonumber(ARGV[1])
local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or now))
redis.call('SET', KEYS[1], slot + interval, 'PX', math.floor((slot + interval - now) / 1000) + 60000)
return slot - now
"""


class RedisHostRateLimiter:
    """Same contract as HostRateLimiter.wait(host, interval), across processes and machines."""

    def __init__(self, url: str):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=5)
        self._take = self.client.register_script(TAKE_SLOT)

    def wait(self, host: str, interval: float) -> None:
        if interval <= 0:
            return
        delay = int(self._take(keys=[KEY_PREFIX + host], args=[int(interval * 1_000_000)])) / 1_000_000
        if delay > 0:
            time.sleep(delay)


def default_rate_limiter() -> HostRateLimiter | RedisHostRateLimiter:
    url = rate_limit_redis_url()
    return RedisHostRateLimiter(url) if url else HostRateLimiter()
