"""`make bi`: Apache Superset on 127.0.0.1 with the warehouse connected and the dashboard 民政指标.

Runs with the Superset virtual environment (.venv-bi; its pins clash with Airflow's), so of the project it
imports only the settings and the dashboard's definition (standard library both). Superset keeps its own
metadata in .superset/ (SQLite); the admin password is generated once per install into .superset/secrets.json.
Provisioning goes through Superset's REST API and is idempotent: database connections (the serving DuckDB
file, read-only; PostgreSQL schema `analytics` when MINZHENG_ANALYTICS_PG is set), datasets on the marts, the
charts, native filters and the dashboard that tools/superset_dashboard.py defines.

    .venv-bi/bin/python -m tools.superset_up [--port 8088] [--serving warehouse/serving/warehouse.duckdb]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from tools.private_files import write_private
from tools.superset_dashboard import (
    CHARTS,
    DASHBOARD_SLUG,
    DASHBOARD_TITLE,
    DEFAULT_INDICATOR,
    Dataset,
    datasets_with_scope_order,
    empty_states_css,
    layout,
    native_filters,
)
from warehouse.settings import REPO_ROOT, SERVING_WAREHOUSE, analytics_pg_dsn

SUPERSET = REPO_ROOT / ".venv-bi" / "bin" / "superset"
DUCKDB_NAME = "民政仓库 (DuckDB)"
POSTGRES_NAME = "民政仓库 (PostgreSQL analytics)"
RETIRED_DATASETS = ("indicator_values", "target_attainment")  # the SQL datasets of earlier releases


class Superset:
    """Superset's REST API with a logged-in session (JWT plus the CSRF token its forms expect)."""

    def __init__(self, url: str):
        self.url = url.rstrip("/")
        self.session = requests.Session()

    def login(self, username: str, password: str) -> Superset:
        response = self.session.post(
            f"{self.url}/api/v1/security/login",
            json={"username": username, "password": password, "provider": "db", "refresh": True},
            timeout=60,
        )
        response.raise_for_status()
        self.session.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        csrf = self.session.get(f"{self.url}/api/v1/security/csrf_token/", timeout=60)
        csrf.raise_for_status()
        self.session.headers.update({"X-CSRFToken": csrf.json()["result"], "Referer": self.url})
        return self

    def call(self, method: str, path: str, **kwargs) -> dict:
        response = self.session.request(method, f"{self.url}/api/v1{path}", timeout=120, **kwargs)
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:800]}")
        return response.json()

    def find_all(self, resource: str, column: str, value) -> list[dict]:
        query = {"filters": [{"col": column, "opr": "eq", "value": value}], "page_size": 100}
        return self.call("GET", f"/{resource}/", params={"q": json.dumps(query)})["result"]

    def find(self, resource: str, column: str, value: str) -> int | None:
        found = self.find_all(resource, column, value)
        return found[0]["id"] if found else None

    def upsert(self, resource: str, column: str, body: dict) -> int:
        existing = self.find(resource, column, body[column])
        if existing is None:
            return self.call("POST", f"/{resource}/", json=body)["id"]
        self.call("PUT", f"/{resource}/{existing}", json={k: v for k, v in body.items() if k != "database"})
        return existing


COLUMN_FIELDS = ("id", "column_name", "type", "verbose_name", "description", "expression", "filterable", "groupby")
COLUMN_FIELDS += ("is_active", "is_dttm", "python_date_format")


def provision_dataset(api: Superset, database_id: int, dataset: Dataset) -> int:
    """A physical dataset on a mart, its columns read from the table, plus its calculated columns and metrics."""
    found = [
        row
        for row in api.find_all("dataset", "table_name", dataset.table)
        if row.get("schema") == dataset.schema and (row.get("database") or {}).get("id") == database_id
    ]
    virtual = {"sql": dataset.sql} if dataset.sql else {}
    if found:
        dataset_id = found[0]["id"]
        if virtual:
            api.call("PUT", f"/dataset/{dataset_id}", json=virtual)  # the query as defined now
    else:
        body = {"database": database_id, "schema": dataset.schema, "table_name": dataset.table, **virtual}
        dataset_id = api.call("POST", "/dataset/", json=body)["id"]
    api.call("PUT", f"/dataset/{dataset_id}/refresh")  # a mart's (or the query's) new columns appear
    current = api.call("GET", f"/dataset/{dataset_id}")["result"]
    columns = [
        {key: column[key] for key in COLUMN_FIELDS if key in column}
        for column in current["columns"]
        if column["column_name"] not in dataset.calculated_columns
    ]
    for name, expression in dataset.calculated_columns.items():
        columns.append(_keeping_id(current["columns"], "column_name", name, {"expression": expression}))
    for column in columns:
        if column["column_name"] in dataset.labels:
            column["verbose_name"] = dataset.labels[column["column_name"]]
    metrics = [
        {"id": m["id"], "metric_name": m["metric_name"], "expression": m["expression"]}
        for m in current["metrics"]
        if m["metric_name"] not in dataset.metrics
    ]
    for name, (expression, label) in dataset.metrics.items():
        fields = {"expression": expression, "verbose_name": label}
        metrics.append(_keeping_id(current["metrics"], "metric_name", name, fields))
    api.call(
        "PUT",
        f"/dataset/{dataset_id}",
        params={"override_columns": "false"},
        json={"columns": columns, "metrics": metrics},
    )
    return dataset_id


def _keeping_id(current: list[dict], key: str, name: str, fields: dict) -> dict:
    """A column or metric to PUT: the id Superset gave it when it exists already (else it would be added twice)."""
    existing = next((item for item in current if item[key] == name), None)
    return {**({"id": existing["id"]} if existing else {}), key: name, **fields}


def indicator_name(serving: Path, code: str) -> str | None:
    import duckdb

    con = duckdb.connect(str(serving), read_only=True)
    try:
        row = con.execute("select name_zh from marts.dim_indicator where indicator_code = ?", [code]).fetchone()
    finally:
        con.close()
    return row[0] if row else None


def published_tables(serving: Path) -> set[tuple[str, str]]:
    """(schema, table) of every table and view in the serving file: a chart on a mart not published yet waits."""
    import duckdb

    con = duckdb.connect(str(serving), read_only=True)
    try:
        return set(con.execute("select table_schema, table_name from information_schema.tables").fetchall())
    finally:
        con.close()


def scopes_in_order(serving: Path) -> list[str]:
    """The scopes in dim_scope's sort_order (the whole first): the order of the scope filter's options."""
    import duckdb

    con = duckdb.connect(str(serving), read_only=True)
    try:
        return [row[0] for row in con.execute("select scope from marts.dim_scope order by sort_order").fetchall()]
    except duckdb.CatalogException as error:
        raise RuntimeError(f"{serving} was published before facts had a scope: run `make publish`") from error
    finally:
        con.close()


def retire_earlier_releases(api: Superset, dashboard_id: int, database_id: int) -> None:
    """Charts on the dashboard that CHARTS no longer names, and the SQL datasets that earlier releases made."""
    titles = {chart.title for chart in CHARTS}
    for chart in api.call("GET", f"/dashboard/{dashboard_id}/charts")["result"]:
        if chart["slice_name"] not in titles:
            api.call("DELETE", f"/chart/{chart['id']}")
    for name in RETIRED_DATASETS:
        for row in api.find_all("dataset", "table_name", name):
            if (row.get("database") or {}).get("id") == database_id:
                for chart in api.call("GET", f"/dataset/{row['id']}/related_objects")["charts"]["result"]:
                    api.call("DELETE", f"/chart/{chart['id']}")
                api.call("DELETE", f"/dataset/{row['id']}")


def provision(api: Superset, serving: Path, postgres_dsn: str | None = None) -> str:
    """Connections, datasets, charts, filters and the dashboard; returns the dashboard's path."""
    duckdb_id = api.upsert(
        "database",
        "database_name",
        {
            "database_name": DUCKDB_NAME,
            "sqlalchemy_uri": f"duckdb:///{serving.resolve()}",
            "expose_in_sqllab": True,
            "allow_run_async": False,
            # read-only: BI never takes the write lock the publish needs; one connection per query, so a newly
            # published file (swapped in by rename) is seen by the next query
            "extra": json.dumps({"engine_params": {"connect_args": {"read_only": True}}}),
        },
    )
    if postgres_dsn:
        parts = dict(item.split("=", 1) for item in postgres_dsn.split())
        api.upsert(
            "database",
            "database_name",
            {
                "database_name": POSTGRES_NAME,
                "expose_in_sqllab": True,
                "sqlalchemy_uri": f"postgresql://{parts.get('user', 'bi_reader')}@{parts.get('host', '127.0.0.1')}:"
                f"{parts.get('port', '5432')}/{parts['dbname']}",
            },
        )
    dashboard_id = api.upsert(
        "dashboard", "dashboard_title", {"dashboard_title": DASHBOARD_TITLE, "slug": DASHBOARD_SLUG, "published": True}
    )
    retire_earlier_releases(api, dashboard_id, duckdb_id)
    published = published_tables(serving)
    datasets = {
        name: dataset
        for name, dataset in datasets_with_scope_order(scopes_in_order(serving)).items()
        if dataset.sql or (dataset.schema, dataset.table) in published
    }
    dataset_ids = {name: provision_dataset(api, duckdb_id, dataset) for name, dataset in datasets.items()}
    chart_ids = {}
    for chart in CHARTS:
        if chart.dataset not in dataset_ids:
            print(f"chart {chart.title} left out: {chart.dataset} is not in {serving} (publish the mart first)")
            continue
        dataset_id = dataset_ids[chart.dataset]
        body = {
            "slice_name": chart.title,
            "viz_type": chart.params["viz_type"],
            "datasource_id": dataset_id,
            "datasource_type": "table",
            "params": json.dumps({**chart.params, "datasource": f"{dataset_id}__table"}),
            "dashboards": [dashboard_id],
        }
        chart_ids[chart.key] = api.upsert("chart", "slice_name", body)
    metadata = {
        "native_filter_configuration": native_filters(
            dataset_ids, chart_ids, indicator_name(serving, DEFAULT_INDICATOR)
        ),
        "show_native_filters": True,
        "cross_filters_enabled": False,
        "refresh_frequency": 0,
    }
    api.call(
        "PUT",
        f"/dashboard/{dashboard_id}",
        json={
            "json_metadata": json.dumps(metadata),
            "position_json": json.dumps(layout(chart_ids)),
            "css": empty_states_css(chart_ids),
        },
    )
    return f"/superset/dashboard/{DASHBOARD_SLUG}/"


# --- running Superset ---------------------------------------------------------------------------------


def superset_env(home: Path) -> dict[str, str]:
    home.mkdir(parents=True, exist_ok=True)
    secrets_file = home / "secrets.json"
    if not secrets_file.exists():
        write_private(
            secrets_file,
            json.dumps({"secret_key": secrets.token_urlsafe(42), "admin_password": secrets.token_urlsafe(12)}),
        )
    values = json.loads(secrets_file.read_text())
    config = home / "superset_config.py"
    write_private(
        config,
        f"SECRET_KEY = {values['secret_key']!r}\n"
        f"SQLALCHEMY_DATABASE_URI = 'sqlite:///{home / 'superset.db'}'\n"
        "FEATURE_FLAGS = {'DASHBOARD_RBAC': False}\n"
        # a region's line runs through the years it reports, over the years only other regions report
        "from superset import config as _defaults\n"
        "THEME_DEFAULT = {**_defaults.THEME_DEFAULT, 'echartsOptionsOverridesByChartType': "
        "{'echarts_timeseries_line': {'series': {'connectNulls': True}}}}\n"
        "THUMBNAIL_SELENIUM_USER = None\n",
    )
    return {
        **os.environ,
        "SUPERSET_CONFIG_PATH": str(config),
        "SUPERSET_HOME": str(home),
        "FLASK_APP": "superset",
        "SUPERSET_LOAD_EXAMPLES": "no",
        "SCARF_ANALYTICS": "false",
        "DO_NOT_TRACK": "1",
    }


def admin_password(home: Path) -> str:
    return json.loads((home / "secrets.json").read_text())["admin_password"]


def initialise(home: Path, env: dict) -> None:
    """Create Superset's metadata database and admin once per install."""
    stamp = home / ".initialised"
    if stamp.exists():
        return
    for args in (
        ["db", "upgrade"],
        [
            "fab",
            "create-admin",
            "--username",
            "admin",
            "--firstname",
            "BI",
            "--lastname",
            "Admin",
            "--email",
            "admin@localhost",
            "--password",
            admin_password(home),
        ],
        ["init"],
    ):
        result = subprocess.run([str(SUPERSET), *args], env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"superset {' '.join(args[:2])} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    stamp.touch()


def start(home: Path, env: dict, port: int) -> subprocess.Popen:
    with open(home / "superset.log", "w") as log:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [str(SUPERSET), "run", "-h", "127.0.0.1", "-p", str(port), "--with-threads"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"superset exited with {process.returncode}")
        try:
            if requests.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise TimeoutError(f"Superset did not answer on {url} within {timeout}s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=int(os.environ.get("SUPERSET_PORT", "8088")))
    parser.add_argument("--serving", type=Path, default=SERVING_WAREHOUSE)
    parser.add_argument("--home", type=Path, default=REPO_ROOT / ".superset")
    parser.add_argument("--provision-only", action="store_true", help="provision, then stop Superset")
    args = parser.parse_args()
    if not args.serving.exists():
        print(f"no published warehouse at {args.serving}: run `make demo` and `make publish` first", file=sys.stderr)
        return 2
    env = superset_env(args.home)
    initialise(args.home, env)
    url = f"http://127.0.0.1:{args.port}"
    process = start(args.home, env, args.port)
    try:
        wait_healthy(url, process)
        api = Superset(url).login("admin", admin_password(args.home))
        dashboard = provision(api, args.serving, analytics_pg_dsn())
        print(
            f"Superset:   {url}{dashboard}\nlogin:      admin / {admin_password(args.home)}\n"
            f"logs:       {args.home / 'superset.log'}\nCtrl-C stops it.",
            flush=True,
        )
        if args.provision_only:
            return 0
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        while process.poll() is None:
            time.sleep(2)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop(process)


if __name__ == "__main__":
    sys.exit(main())
