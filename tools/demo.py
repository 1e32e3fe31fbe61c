"""`make demo`: run the ingest DAG for real through Airflow against the offline mirror, then show
what landed in the raw layer and how to open the Airflow UI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

from mirror.content import build_sites
from mirror.server import Mirror
from tools.airflow_env import airflow_env
from warehouse.landing.report import raw_layer_report
from warehouse.landing.store import RawStore
from warehouse.settings import BUILD_WAREHOUSE, REPO_ROOT
from warehouse.transform.dbt import run_dbt

WAREHOUSE = BUILD_WAREHOUSE
REGIONS = """
select region, count(*) as facts, count(distinct indicator_code) as indicators, min(period) as first_period,
       max(period) as last_period, count(distinct document) as documents
from marts.indicator_facts
group by region
order by facts desc, region
"""
SAMPLE_FACTS = """
select f.region, f.period, f.value_type, f.scope, f.value, f.unit, f.qualifier, i.name_zh as indicator, f.evidence
from marts.indicator_facts as f
inner join marts.dim_indicator as i using (indicator_code)
where f.indicator_code = 'dibao_standard'
order by f.region, f.period, f.value_type, f.scope
limit 25
"""

AIRFLOW = str(REPO_ROOT / ".venv" / "bin" / "airflow")
PROGRESS = re.compile(
    r"\[[a-z_]+\] (crawling|\d+ (list pages|requests))|sources crawled|quarantined|"
    r"Marking task as (SUCCESS|FAILED)|Traceback|Error",
    re.I,
)
NOISE = re.compile(r"Returned value was|XCom not found")
AIRFLOW_LOG_LINE = re.compile(r"\[(?:info|warning|error)\s*\] (.*?) \[[\w.]+\] loc=")


def step(message: str) -> None:
    print(f"\n==> {message}", flush=True)


def run_airflow(args: list[str], env: dict, log_path) -> int:
    """Run an airflow command, keep its full output in a log file, show the progress lines."""
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [AIRFLOW, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO_ROOT
        )
        for line in process.stdout:
            log.write(line)
            if PROGRESS.search(line) and not NOISE.search(line):
                message = AIRFLOW_LOG_LINE.search(line)
                print("   " + (message.group(1) if message else line.rstrip()), flush=True)
        return process.wait()


def main() -> int:
    env = airflow_env()
    logs = REPO_ROOT / ".run"
    logs.mkdir(exist_ok=True)
    step(f"Airflow metadata database: {env['AIRFLOW__DATABASE__SQL_ALCHEMY_CONN'].split('@')[-1]}")
    started = time.monotonic()
    if run_airflow(["db", "migrate"], env, logs / "airflow-db-migrate.log") != 0:
        print(f"airflow db migrate failed; see {logs / 'airflow-db-migrate.log'}")
        return 1
    # Stable ports: documents are keyed by URL, so a mirror on new ports would look like new documents.
    base_port = int(os.environ.get("MIRROR_BASE_PORT", "8780"))
    try:
        mirror = Mirror(base_port=base_port).start()
    except OSError as exc:
        print(
            f"\nThe mirror's ports {base_port}-{base_port + len(build_sites()) - 1} are taken ({exc}). "
            "Is `make airflow` running? "
            "Stop it, or set MIRROR_BASE_PORT to other free ports."
        )
        return 1
    with mirror:
        env.update(mirror.env())
        step("Offline mirror of the disclosure sites is serving on 127.0.0.1:")
        for key in mirror.servers:
            print(f"   {key:10s} {mirror.url(key)}")
        step("Running the ingest DAG through Airflow (airflow dags test ingest_disclosure_sites)")
        code = run_airflow(["dags", "test", "ingest_disclosure_sites"], env, logs / "demo-ingest.log")
    if code != 0:
        print(f"\nThe ingest DAG run failed (exit {code}); full log: {logs / 'demo-ingest.log'}")
        return code
    step(f"What landed in the raw layer ({env['MINZHENG_RAW_DIR']}), {time.monotonic() - started:.0f}s in all:")
    print(raw_layer_report(RawStore(env["MINZHENG_RAW_DIR"])))
    step(f"Building the star schema with dbt into {WAREHOUSE.relative_to(REPO_ROOT)}")
    built = run_dbt(["build"], env["MINZHENG_RAW_DIR"], WAREHOUSE, logs / "dbt")
    if built.returncode != 0:
        print(built.stdout[-4000:] + built.stderr[-2000:])
        return built.returncode
    print("   " + (built.stdout.strip().splitlines() or ["done"])[-1])
    import duckdb

    con = duckdb.connect(str(WAREHOUSE), read_only=True)
    try:
        counts = con.execute(
            "select count(*), count(distinct indicator_code), count(distinct document) from marts.indicator_facts"
        ).fetchall()[0]
        step(f"{counts[0]} indicator facts of {counts[1]} indicators from {counts[2]} documents, by region:")
        print(con.sql(REGIONS).fetchdf().to_string(index=False))
        step("The minimum living allowance (低保标准) as the documents state it, first rows:")
        print(con.sql(SAMPLE_FACTS))
    finally:
        con.close()
    step("Next")
    print(
        f'   Query the warehouse: .venv/bin/python -c "import duckdb; '
        f"print(duckdb.connect('{WAREHOUSE.relative_to(REPO_ROOT)}', read_only=True)"
        ".sql('from marts.indicator_facts'))\""
    )
    print(f"   Full DAG log:        {logs / 'demo-ingest.log'}")
    print("   Airflow UI:          make airflow   (prints the URL and a login generated for this install)")
    print("   Query the raw layer: .venv/bin/python -m scrapers report")
    return 0


if __name__ == "__main__":
    sys.exit(main())
