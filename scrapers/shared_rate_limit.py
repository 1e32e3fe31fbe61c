"""Per-host politeness shared by every process that crawls: Celery workers on several machines must not
together hit one bureau's site faster than its `min_interval_seconds`, which a limiter in one process cannot
promise. The next free slot per host lives in Redis and is taken atomically (a Lua script on Redis's clock).

Used when MINZHENG_RATE_LIMIT_REDIS names a Redis (e.g. redis://127.0.0.1:6379/0); otherwise each process
keeps its own slots (scrapers.fetch.HostRateLimiter), which is right for one machine with one crawler per host.

A Redis that is named but does not answer refuses the crawl with one line (RateLimiterUnavailable), at the start
and mid-crawl alike; it does not fall back to the local limiter. The setting says several processes crawl: each
with its own limiter, a bureau's site would get their requests together, as many times faster than its interval
as there are workers, and the sites are what the politeness is for. One missed run is retried by the schedule;
unset MINZHENG_RATE_LIMIT_REDIS to crawl from one process on purpose.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit, urlunsplit

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


class RateLimiterUnavailable(RuntimeError):
    """The shared rate limiter's Redis does not answer: the crawl stops (one line, no traceback to read)."""


class RedisHostRateLimiter:
    """Same contract as HostRateLimiter.wait(host, interval), across processes and machines."""

    def __init__(self, url: str):
        import redis

        self.url = url
        self.client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self._take = self.client.register_script(TAKE_SLOT)
        self._call(self.client.ping)  # refused at the start, not after the first list page

    def wait(self, host: str, interval: float) -> None:
        if interval <= 0:
            return
        slot = self._call(lambda: self._take(keys=[KEY_PREFIX + host], args=[int(interval * 1_000_000)]))
        delay = int(slot) / 1_000_000
        if delay > 0:
            time.sleep(delay)

    def _call(self, command):
        import redis

        try:
            return command()
        except redis.RedisError as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise RateLimiterUnavailable(
                f"shared rate limiter: Redis at {_without_password(self.url)} (MINZHENG_RATE_LIMIT_REDIS) does not "
                f"answer ({reason}); start it, or unset MINZHENG_RATE_LIMIT_REDIS to crawl from one process"
            ) from None


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")))


def default_rate_limiter() -> HostRateLimiter | RedisHostRateLimiter:
    url = rate_limit_redis_url()
    return RedisHostRateLimiter(url) if url else HostRateLimiter()
