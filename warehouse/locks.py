"""One writer at a time: an exclusive lock on a file beside what is written, holding the holder's pid, so
the second comer waits (up to a timeout) and then says who holds it instead of failing inside DuckDB."""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path


class Busy(RuntimeError):
    """Another process holds the lock for longer than we wait."""


@contextmanager
def exclusive(lock_path: Path | str, what: str, timeout: float, poll: float = 0.05):
    lock_path = Path(lock_path)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "unknown"
                    raise Busy(
                        f"{what}: another process (pid {holder}) holds {lock_path}; "
                        f"waited {timeout:.0f} s — try again when it has finished"
                    ) from None
                time.sleep(poll)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle, fcntl.LOCK_UN)
