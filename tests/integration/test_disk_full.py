"""A full disk under the raw layer or the build (issue 34 item 6), on a real full filesystem: a tmpfs of a few
megabytes mounted for the test (we run as root here; where mounting is refused the test skips, saying so). A
filler file takes what is left, so the next write gets ENOSPC from the kernel, as on a full production disk."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from scrapers.drop_folder import ingest_folder
from warehouse.landing.store import RawStore
from warehouse.transform.finish import BuildNotFinished, finish_build

pytestmark = pytest.mark.integration
REPORT = "德清县民政局2024年工作总结\n全县共有养老机构86家,机构床位10635张。\n"


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], capture_output=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a small tmpfs to fill (needs root): {mounted.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path, leave: int) -> None:
    """Take all but `leave` bytes of the filesystem."""
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with open(disk / "filler", "wb") as handle:
        try:
            handle.write(b"\0" * max(free - leave, 0))
        except OSError as full:
            assert full.errno == errno.ENOSPC


def leftovers(root: Path) -> list[str]:
    return [str(path) for path in root.rglob("*") if path.is_file() and path.name.startswith("tmp")]


def test_a_drop_on_a_full_disk_records_its_failure_and_leaves_no_temporary_file(tmp_path, small_disk):
    raw = small_disk / "raw"
    store = RawStore(raw)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "big.txt").write_text(REPORT + "养老服务。" * 100_000, encoding="utf-8")  # 1.5 MB: its blob cannot fit
    fill(small_disk, leave=300_000)
    report = ingest_folder(docs, store)
    assert report.documents_added == 0 and report.quarantined == 1
    assert "disk is full" in report.problems[0]
    assert leftovers(raw / "blobs") == []  # the half-written blob's temporary file is gone
    assert store.query("select error_kind from quarantine_open") == [("disk_full",)]  # the row reached the store


def test_a_build_whose_file_cannot_be_checkpointed_fails(small_disk):
    warehouse = small_disk / "warehouse.duckdb"
    # a build whose changes are still in the WAL, as dbt-duckdb leaves it when its checkpoint on close fails
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; con = duckdb.connect(sys.argv[1]);"
            "con.execute('pragma disable_checkpoint_on_shutdown'); con.execute(\"set checkpoint_threshold = '1TB'\");"
            "con.execute('create table facts as select range as id, repeat(md5(range::varchar), 4) as v"
            " from range(4000)'); con.close()",
            str(warehouse),
        ],
        check=True,
    )
    assert Path(f"{warehouse}.wal").exists()
    fill(small_disk, leave=64_000)
    with pytest.raises(BuildNotFinished, match="could not be checkpointed"):
        finish_build(warehouse)
    os.remove(small_disk / "filler")
    # with room again the same build finishes (in a new process: DuckDB keeps a database that hit a fatal error
    # invalid for the life of the process that opened it)
    finish = "import sys; from warehouse.transform.finish import finish_build; finish_build(sys.argv[1])"
    subprocess.run([sys.executable, "-c", finish, str(warehouse)], check=True, env={**os.environ, "PYTHONPATH": "."})
    assert not Path(f"{warehouse}.wal").exists()
    assert duckdb.connect(str(warehouse), read_only=True).execute("select count(*) from facts").fetchone() == (4000,)
