"""Where a benchmark works: the folder given with --keep (kept), or a temporary one removed after a
successful run and kept, with its logs, after a failed one."""

from __future__ import annotations

import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def scratch_folder(keep: Path | None, prefix: str):
    folder = keep or Path(tempfile.mkdtemp(prefix=prefix))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        yield folder
    except BaseException:
        print(f"scratch folder kept for a look: {folder}", file=sys.stderr)
        raise
    if not keep:
        shutil.rmtree(folder, ignore_errors=True)
