"""One writer at a time: an exclusive lock on a file beside what is written, holding the holder's pid and
command, so the second comer says at once what it waits for and who holds it, keeps saying so while it waits
(up to a timeout), and then fails naming the holder instead of failing inside DuckDB."""

from __future__ import annotations

import fcntl
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

log = logging.getLogger(__name__)
REPORT_EVERY_SECONDS = 15.0


class Busy(RuntimeError):
    """Another process holds the lock for longer than we wait."""


def _holder(handle: IO[str]) -> tuple[str, str]:
    """The pid and command the holder wrote into the lock file ("unknown" when it wrote nothing yet)."""
    handle.seek(0)
    pid, _, command = handle.read().strip().partition(" ")
    return pid or "unknown", command or "command unknown"


def _this_command() -> str:
    return " ".join([Path(sys.executable).name, *sys.argv])[:300].replace("\n", " ")


@contextmanager
def exclusive(
    lock_path: Path | str,
    what: str,
    timeout: float,
    poll: float = 0.05,
    say: Callable[[str], None] | None = None,
    report_every: float = REPORT_EVERY_SECONDS,
) -> Iterator[None]:
    """Hold `lock_path` exclusively. While another process holds it, `say` (a warning in the log by default)
    hears at once which lock, which pid and command, then every `report_every` seconds how long so far."""
    lock_path = Path(lock_path)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    say = say or log.warning
    with open(lock_path, "a+") as handle:
        started = time.monotonic()
        next_report = None
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - started
                pid, command = _holder(handle)
                if waited > timeout:
                    raise Busy(
                        f"{what}: another process (pid {pid}) holds {lock_path} ({command}); "
                        f"waited {timeout:.0f} s — try again when it has finished"
                    ) from None
                if next_report is None:
                    say(
                        f"{what}: waiting for {lock_path}, held by pid {pid} ({command}); "
                        f"giving up after {timeout:.0f} s"
                    )
                    next_report = report_every
                elif waited >= next_report:
                    say(f"{what}: still waiting for {lock_path} (pid {pid}, {command}) after {waited:.0f} s")
                    next_report += report_every
                time.sleep(poll)
        _write_holder(handle, f"{os.getpid()} {_this_command()}")
        try:
            yield
        finally:
            _write_holder(handle, "")
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_holder(handle: IO[str], text: str) -> None:
    """Who holds the lock, for those who wait: on a full disk the lock still holds, only unnamed."""
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(text)
        handle.flush()
    except OSError:
        handle.seek(0)
        handle.truncate()
