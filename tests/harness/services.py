"""Whether the local services the distributed and PostgreSQL parts need are up: None when they answer,
else the reason, for a test to skip with or a benchmark to print."""

from __future__ import annotations

REDIS_URL = "redis://127.0.0.1:6379"


def redis_unreachable(url: str = REDIS_URL) -> str | None:
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=2).ping()
    except redis.exceptions.ConnectionError as exc:
        return f"Redis is not reachable on 127.0.0.1:6379: {exc}"
    return None


def postgres_unreachable() -> str | None:
    import psycopg2

    from warehouse.postgres import HOST, PORT, admin_connection

    try:
        admin_connection().close()
    except psycopg2.OperationalError as exc:
        return f"PostgreSQL is not reachable on {HOST}:{PORT}: {exc}"
    return None
