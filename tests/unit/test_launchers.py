"""What the launchers leave on the machine: secrets only their owner reads, no log server on every interface."""

import contextlib
import os
import stat
import sys

from tools.airflow_up import COMPONENTS, celery_workers
from tools.superset_up import superset_env


def test_superset_secrets_are_private(tmp_path):
    seen = modes_while([tmp_path / "secrets.json", tmp_path / "superset_config.py"], lambda: superset_env(tmp_path))
    assert {oct(mode) for mode in seen} == {"0o600"}
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


def modes_while(paths, call) -> list[int]:
    """The permission bits of `paths` at every auditable step of `call()` (open, chmod, …): what another user
    could have read while the files were being written, not only at the end."""
    seen: list[int] = []
    watching = True

    def look(event, args):
        if watching:
            for path in paths:
                with contextlib.suppress(OSError):
                    seen.append(stat.S_IMODE(os.stat(path).st_mode))

    sys.addaudithook(look)  # a hook cannot be removed: it stops looking when the call returns
    umask = os.umask(0o022)  # the usual umask, under which a plain write makes a file world-readable
    try:
        call()
    finally:
        os.umask(umask)
        watching = False
    return seen


def test_airflow_secrets_are_never_world_readable(tmp_path):
    """secrets.json and the simple auth manager's password file are created 0600, not written and then
    narrowed: no moment in which another user can read them."""
    from tools.airflow_env import airflow_env

    secrets_files = [tmp_path / "secrets.json", tmp_path / "simple_auth_manager_passwords.json"]
    seen = modes_while(secrets_files, lambda: airflow_env(home=tmp_path, base={}))
    assert seen and all(path.exists() for path in secrets_files)
    assert {oct(mode) for mode in seen} == {"0o600"}
    secrets_files[1].chmod(0o644)  # an older install's file is made private too
    airflow_env(home=tmp_path, base={})
    assert stat.S_IMODE(secrets_files[1].stat().st_mode) == 0o600
