"""`make bi`: Apache Superset on 127.0.0.1 with the warehouse connected and the dashboard 民政指标.

Runs with the Superset virtual environment (.venv-bi; its pins clash with Airflow's), so it imports nothing
of the project. Superset keeps its own metadata in .superset/ (SQLite); the admin password is generated once
per install into .superset/secrets.json. Provisioning goes through Superset's REST API and is idempotent:
database connections (the serving DuckDB file, read-only; PostgreSQL schema `analytics` when
MINZHENG_ANALYTICS_PG is set), datasets on the star schema, three charts and the dashboard.

    .venv-bi/bin/python tools/superset_up.py [--port 8088] [--serving warehouse/serving/warehouse.duckdb]
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

from warehouse.settings import REPO_ROOT, SERVING_WAREHOUSE, analytics_pg_dsn

SUPERSET = REPO_ROOT / ".venv-bi" / "bin" / "superset"
DASHBOARD_TITLE = "民政指标"
DASHBOARD_SLUG = "minzheng"
DUCKDB_NAME = "民政仓库 (DuckDB)"
POSTGRES_NAME = "民政仓库 (PostgreSQL analytics)"

DATASETS = {
    "indicator_values": """
select f.region_name as region, i.name_zh as indicator, f.indicator_code, i.unit, f.period_id as period,
       make_date(p.year, case when p.period_kind = 'half_year' then 6 else 12 end,
                 case when p.period_kind = 'half_year' then 30 else 31 end) as period_end,
       f.value_type, f.value, f.qualifier, f.evidence, d.title as document_title
from marts.fct_indicator_values as f
inner join marts.dim_indicator as i using (indicator_code)
inner join marts.dim_period as p using (period_id)
inner join marts.dim_document as d using (document_id)""",
    "target_attainment": """
select i.name_zh as indicator, a.region_name as region, a.period_id as period, a.unit, a.target_value,
       a.target_qualifier, a.actual_value, a.attainment_ratio
from marts.mart_target_attainment as a
inner join marts.dim_indicator as i using (indicator_code)""",
}


def _filter(column: str, value: str) -> dict:
    return {"expressionType": "SIMPLE", "subject": column, "operator": "==", "comparator": value, "clause": "WHERE"}


CHARTS = [
    (
        "低保标准（元/年）各地历年实际与目标",
        "indicator_values",
        {
            "viz_type": "echarts_timeseries_line",
            "x_axis": "period_end",
            "time_grain_sqla": "P1M",
            "metrics": [
                {
                    "expressionType": "SIMPLE",
                    "column": {"column_name": "value"},
                    "aggregate": "MAX",
                    "label": "低保标准",
                }
            ],
            "groupby": ["region", "value_type"],
            "adhoc_filters": [_filter("indicator_code", "dibao_standard")],
            "row_limit": 10000,
            "markerEnabled": True,
            "show_legend": True,
        },
    ),
    (
        "目标与实际（目标完成度）",
        "target_attainment",
        {
            "viz_type": "table",
            "query_mode": "raw",
            "all_columns": [
                "indicator",
                "region",
                "period",
                "unit",
                "target_value",
                "actual_value",
                "attainment_ratio",
            ],
            "order_by_cols": [],
            "row_limit": 1000,
            "adhoc_filters": [],
        },
    ),
    (
        "指标事实与原文证据",
        "indicator_values",
        {
            "viz_type": "table",
            "query_mode": "raw",
            "all_columns": [
                "region",
                "indicator",
                "period",
                "value_type",
                "value",
                "unit",
                "evidence",
                "document_title",
            ],
            "order_by_cols": [],
            "row_limit": 1000,
            "adhoc_filters": [],
        },
    ),
]


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

    def find(self, resource: str, column: str, value: str) -> int | None:
        query = {"filters": [{"col": column, "opr": "eq", "value": value}]}
        found = self.call("GET", f"/{resource}/", params={"q": json.dumps(query)})["result"]
        return found[0]["id"] if found else None

    def upsert(self, resource: str, column: str, body: dict) -> int:
        existing = self.find(resource, column, body[column])
        if existing is None:
            return self.call("POST", f"/{resource}/", json=body)["id"]
        self.call("PUT", f"/{resource}/{existing}", json={k: v for k, v in body.items() if k != "database"})
        return existing


def provision(api: Superset, serving: Path, postgres_dsn: str | None = None) -> str:
    """Connections, datasets, charts and the dashboard; returns the dashboard's path."""
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
    dataset_ids = {}
    for name, sql in DATASETS.items():
        existing = api.find("dataset", "table_name", name)
        if existing is None:
            existing = api.call(
                "POST",
                "/dataset/",
                json={"database": duckdb_id, "table_name": name, "sql": sql.strip(), "schema": "marts"},
            )["id"]
        api.call("PUT", f"/dataset/{existing}/refresh")
        dataset_ids[name] = existing
    dashboard_id = api.upsert(
        "dashboard", "dashboard_title", {"dashboard_title": DASHBOARD_TITLE, "slug": DASHBOARD_SLUG, "published": True}
    )
    chart_ids = []
    for title, dataset, params in CHARTS:
        body = {
            "slice_name": title,
            "viz_type": params["viz_type"],
            "datasource_id": dataset_ids[dataset],
            "datasource_type": "table",
            "params": json.dumps({**params, "datasource": f"{dataset_ids[dataset]}__table"}),
            "dashboards": [dashboard_id],
        }
        chart_ids.append(api.upsert("chart", "slice_name", body))
    api.call(
        "PUT",
        f"/dashboard/{dashboard_id}",
        json={"json_metadata": json.dumps({}), "position_json": json.dumps(_layout(chart_ids))},
    )
    return f"/superset/dashboard/{DASHBOARD_SLUG}/"


def _layout(chart_ids: list[int]) -> dict:
    """The line chart across the top, then the two tables one under the other, full width."""
    layout = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
        "HEADER_ID": {"type": "HEADER", "id": "HEADER_ID", "meta": {"text": DASHBOARD_TITLE}},
    }
    for index, chart_id in enumerate(chart_ids):
        row, chart = f"ROW-{index}", f"CHART-{chart_id}"
        layout["GRID_ID"]["children"].append(row)
        layout[row] = {
            "type": "ROW",
            "id": row,
            "children": [chart],
            "parents": ["ROOT_ID", "GRID_ID"],
            "meta": {"background": "BACKGROUND_TRANSPARENT"},
        }
        layout[chart] = {
            "type": "CHART",
            "id": chart,
            "children": [],
            "parents": ["ROOT_ID", "GRID_ID", row],
            "meta": {"chartId": chart_id, "width": 12, "height": 60 if index == 0 else 80},
        }
    return layout


# --- running Superset ---------------------------------------------------------------------------------


def write_private(path: Path, text: str) -> None:
    """A file only its owner reads (0600 from the moment it exists: it holds a secret)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # an older file keeps its mode on open
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


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
