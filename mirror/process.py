"""The offline mirror in a process of its own, as remote sites would be: a benchmark that served the sites
from its own process would measure the server as much as the crawler (they would share one GIL)."""

from __future__ import annotations

import subprocess
import sys

from mirror.content import build_sites
from warehouse.settings import REPO_ROOT


class MirrorProcess:
    """`python -m mirror` on free ports; env() gives the MIRROR_<SITE>_URL variables the registry reads, as
    mirror.server.Mirror.env() does (so scratch_pipeline takes either)."""

    def __init__(self, extra_fillers: int = 0, fleet: int = 0):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mirror",
                "--base-port",
                "0",
                "--extra-fillers",
                str(extra_fillers),
                "--fleet",
                str(fleet),
            ],
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO_ROOT,
        )
        self.urls: dict[str, str] = {}
        for _ in range(len(build_sites()) + fleet):  # one `export MIRROR_<SITE>_URL=…` line per site
            name, value = self.process.stdout.readline().removeprefix("export ").strip().split("=", 1)
            self.urls[name] = value

    def env(self) -> dict[str, str]:
        return dict(self.urls)

    def fleet_urls(self) -> dict[str, str]:
        """The fleet sites' base URLs by site key (fleet001 …), as mirror.fleet.fleet_registry takes them."""
        return {
            name.removeprefix("MIRROR_").removesuffix("_URL").lower(): url
            for name, url in self.urls.items()
            if name.startswith("MIRROR_FLEET")
        }

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait()

    def __enter__(self) -> MirrorProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
