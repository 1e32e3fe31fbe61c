"""What the launchers leave on the machine: secrets only their owner reads, no log server on every interface."""

import stat

from tools.airflow_up import COMPONENTS, celery_workers
from tools.superset_up import superset_env


def test_superset_secrets_are_private(tmp_path):
    superset_env(tmp_path)
    for name in ("secrets.json", "superset_config.py"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name
    (tmp_path / "superset_config.py").chmod(0o644)  # an older install's file is made private too
    superset_env(tmp_path)
    assert stat.S_IMODE((tmp_path / "superset_config.py").stat().st_mode) == 0o600


def test_no_airflow_component_starts_a_log_server_on_every_interface():
    """Airflow 3.3 binds its log servers to 0.0.0.0/[::]; on one machine the api-server reads logs from disk."""
    argvs = {name: argv for name, argv, _ in (c if isinstance(c, tuple) else (c, [c], {}) for c in COMPONENTS)}
    assert "--skip-serve-logs" in argvs["scheduler"] and "--skip-serve-logs" in argvs["triggerer"]
    assert all("--skip-serve-logs" in argv for _, argv, _ in celery_workers(2))
