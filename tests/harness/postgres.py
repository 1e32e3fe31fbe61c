"""Throw-away PostgreSQL databases for tests and benchmarks."""

from __future__ import annotations

import uuid
from contextlib import contextmanager

from warehouse.postgres import HOST, PORT, USER, admin_connection


@contextmanager
def scratch_database(prefix: str = "scratch", host: str = HOST, port: int = PORT, user: str = USER):
    """A throw-away database `<prefix>_<8 hex>`; yields its name. Dropped on exit (sessions still connected are
    ended), with the BI role a publish into it may have created (bi_reader_<8 hex>).
    Raises psycopg2.OperationalError when no server answers."""
    admin = admin_connection(host, port, user)
    suffix = uuid.uuid4().hex[:8]
    name = f"{prefix}_{suffix}"
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'create database "{name}"')
        yield name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'drop database if exists "{name}" with (force)')
            cursor.execute(f'drop role if exists "bi_reader_{suffix}"')
        admin.close()
