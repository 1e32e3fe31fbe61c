"""The environment every Airflow process of this project runs with (CLI, demo, `make airflow`, tests).

Secrets (JWT secret, API secret key, the admin password) are generated once per install into
.airflow/secrets.json (git-ignored): never a default password, and the same values for every
component so that tokens one process signs another accepts. It and the simple auth manager's password file
are created 0600 (tools/private_files.py): no moment in which another user can read them.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path

from tools.private_files import write_private
from warehouse.settings import RAW_DIR, REPO_ROOT

ADMIN_USER = "admin"


def _secrets(home: Path) -> dict[str, str]:
    path = home / "secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    values = {
        "jwt_secret": secrets.token_urlsafe(32),
        "secret_key": secrets.token_urlsafe(32),
        "admin_password": secrets.token_urlsafe(12),
    }
    home.mkdir(parents=True, exist_ok=True)
    write_private(path, json.dumps(values))
    return values


def airflow_env(home: Path | str | None = None, port: int | None = None, base: dict | None = None) -> dict[str, str]:
    """A full environment for an Airflow subprocess. An explicit metadata-DB URL in the environment
    (AIRFLOW__DATABASE__SQL_ALCHEMY_CONN, e.g. PostgreSQL) wins over the embedded SQLite default."""
    env = dict(os.environ if base is None else base)
    home = Path(home or env.get("AIRFLOW_HOME") or REPO_ROOT / ".airflow").resolve()
    port = int(port or env.get("AIRFLOW_PORT", 8080))
    values = _secrets(home)
    passwords = home / "simple_auth_manager_passwords.json"
    write_private(passwords, json.dumps({ADMIN_USER: values["admin_password"]}))
    python_path = [str(REPO_ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    env.update(
        {
            "AIRFLOW_HOME": str(home),
            "PYTHONPATH": os.pathsep.join(python_path),
            "AIRFLOW__CORE__DAGS_FOLDER": str(REPO_ROOT / "dags"),
            "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO_ROOT / "plugins"),  # the run notes of build_warehouse
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{ADMIN_USER}:admin",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
            "AIRFLOW__API_AUTH__JWT_SECRET": values["jwt_secret"],
            "AIRFLOW__API__SECRET_KEY": values["secret_key"],
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API__PORT": str(port),
            "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": env.get("AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL", "30"),
            "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home / "logs"),
            "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
            "DO_NOT_TRACK": "1",
            "SCARF_ANALYTICS": "false",
            "AIRFLOW__CORE__UNIT_TEST_MODE": env.get("AIRFLOW__CORE__UNIT_TEST_MODE", "False"),
        }
    )
    env.setdefault("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", f"sqlite:///{home / 'airflow.db'}")
    env.setdefault("MINZHENG_RAW_DIR", str(RAW_DIR))
    return env


def admin_password(home: Path | str | None = None) -> str:
    home = Path(home or os.environ.get("AIRFLOW_HOME") or REPO_ROOT / ".airflow")
    return _secrets(home)["admin_password"]


if __name__ == "__main__":
    for key, value in sorted(airflow_env().items()):
        if key.startswith(("AIRFLOW", "PYTHONPATH", "MINZHENG")):
            print(f"export {key}={value!r}", file=sys.stdout)
