"""Publishing: the audited candidate warehouse swapped into the file BI tools read (warehouse/serving/) by an
atomic rename, the previous good version kept beside it for `make rollback`. The order of the steps around
it (build, audit, publish, the PostgreSQL copy, dbt docs) is warehouse/release/steps.py.

Readers that have the serving file open keep reading the version they opened (the rename swaps the
directory entry, not the bytes under them); new readers see the new version. Nobody sees half of one.

One publisher at a time (a lock beside the serving file says who holds it). `make publish` builds into a
copy of the build file made for this run, audits that copy and publishes that very file, so a build
started meanwhile cannot change what was audited; the DAG's publish refuses a build file that changed
since its audit. Every file copy is written to a temporary name, fsynced and renamed: a crash leaves the
old file or the new one, never a torn one. A file is served only after every block of it has been read back
(warehouse/release/servable.py): the staged copy of each candidate, and the previous version before a rollback.
A damaged serving file is never kept as the previous version.
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.locks import exclusive
from warehouse.release.servable import NotServable, check_servable, is_servable
from warehouse.settings import BUILD_WAREHOUSE, PUBLISH_LOCK_TIMEOUT, RAW_DIR, SERVING_WAREHOUSE

__all__ = ["NotServable", "Paths", "check_servable", "publish_candidate", "rollback"]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Paths:
    raw: Path = RAW_DIR
    build: Path = BUILD_WAREHOUSE
    serving: Path = SERVING_WAREHOUSE

    @property
    def previous(self) -> Path:
        return self.serving.with_name(self.serving.stem + ".previous" + self.serving.suffix)

    @property
    def lock(self) -> Path:
        return self.serving.with_name("publish.lock")

    def for_run(self) -> Paths:
        """The same paths with a build file of this run's own (a copy of the shared one)."""
        return Paths(
            self.raw, self.build.with_name(f"{self.build.stem}.run-{os.getpid()}{self.build.suffix}"), self.serving
        )


def build_fingerprint(path: Path) -> str:
    """What identifies one state of a build file: a publish checks the file is the one audited."""
    status = Path(path).stat()
    return f"{status.st_ino}:{status.st_size}:{status.st_mtime_ns}"


def checkpoint(path: Path) -> None:
    con = duckdb.connect(str(path))  # fold any WAL into the file so one file is the whole warehouse
    con.execute("checkpoint")
    con.close()


def publish_candidate(paths: Paths, audited: str | None = None) -> Path:
    """Swap the audited candidate in. `audited` is its fingerprint at the audit: a file rebuilt since is refused."""
    with exclusive(paths.lock, "publishing", PUBLISH_LOCK_TIMEOUT):
        if audited is not None and build_fingerprint(paths.build) != audited:
            raise RuntimeError(f"{paths.build} changed after it was audited (another build ran): not published")
        return _swap_in(paths.build, paths)


def copy_durably(source: Path, target: Path) -> Path:
    """Copy to a temporary name beside the target, fsync, rename over it, fsync the folder."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(source, temporary)
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    _fsync_folder(target.parent)
    return target


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _swap_in(source: Path, paths: Paths, keep_current: bool = True) -> Path:
    """Stage a copy of `source` beside the serving file, keep the current one as previous (unless told it is
    damaged), rename over it."""
    if source == paths.build:
        checkpoint(source)
    staged = copy_durably(source, paths.serving.with_name(paths.serving.name + ".incoming"))
    try:
        check_servable(staged)
    except NotServable:
        staged.unlink(missing_ok=True)
        raise
    if keep_current and paths.serving.exists():
        copy_durably(paths.serving, paths.previous)
    os.replace(staged, paths.serving)
    _fsync_folder(paths.serving.parent)
    return paths.serving


def rollback(paths: Paths) -> Path:
    """Put the previous published version back, once every block of it has been read. The current version
    becomes the previous one; a damaged current version is dropped instead, and the previous stays as it is."""
    with exclusive(paths.lock, "publishing", PUBLISH_LOCK_TIMEOUT):
        if not paths.previous.exists():
            raise NotServable(
                f"there is no previous version to roll back to ({paths.previous} does not exist): "
                "a rollback needs two publishes"
            )
        try:
            check_servable(paths.previous)
        except NotServable as damaged:
            raise NotServable(
                f"the previous version {damaged}; the serving file is unchanged, and the next `make publish` "
                "keeps it as the previous version"
            ) from damaged
        keep_current = is_servable(paths.serving)
        if paths.serving.exists() and not keep_current:
            log.warning("the serving file %s is damaged: the previous version replaces it and stays", paths.serving)
        return _swap_in(paths.previous, paths, keep_current=keep_current)
