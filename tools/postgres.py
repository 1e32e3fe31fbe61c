"""Databases on the local PostgreSQL (127.0.0.1:5432, trust authentication) for Airflow's metadata, the BI
serving copy, the dbt build on PostgreSQL, and the tests and benchmarks that use them."""

from __future__ import annotations

import uuid
from contextlib import contextmanager

HOST, PORT, USER = "127.0.0.1", 5432, "postgres"


def sqlalchemy_url(name: str, host: str = HOST, port: int = PORT, user: str = USER) -> str:
    return f"postgresql+psycopg2://{user}@{host}:{port}/{name}"


def libpq_dsn(name: str, host: str = HOST, port: int = PORT, user: str = USER) -> str:
    """The same database as a libpq connection string (psycopg2, MINZHENG_ANALYTICS_PG)."""
    return f"host={host} port={port} user={user} dbname={name}"


def admin_connection(host: str = HOST, port: int = PORT, user: str = USER):
    """An autocommit connection to the `postgres` database (creating and dropping databases)."""
    import psycopg2

    admin = psycopg2.connect(host=host, port=port, user=user, dbname="postgres", connect_timeout=5)
    admin.autocommit = True
    return admin


def ensure_database(name: str, host: str = HOST, port: int = PORT, user: str = USER) -> str:
    """The SQLAlchemy URL of database `name`, created if missing."""
    admin = admin_connection(host, port, user)
    try:
        with admin.cursor() as cursor:
            cursor.execute("select 1 from pg_database where datname = %s", [name])
            if not cursor.fetchall():
                cursor.execute(f'create database "{name}"')
    finally:
        admin.close()
    return sqlalchemy_url(name, host, port, user)


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
