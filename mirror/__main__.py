"""Run the offline mirror in the foreground: python -m mirror [--base-port 8780]."""

import argparse
import contextlib
import signal
import threading

from mirror.server import Mirror


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--base-port", type=int, default=8780, help="first port; each site takes the next one (0 = any free ports)"
    )
    parser.add_argument(
        "--extra-fillers", type=int, default=0, help="more filler articles in every column (for benchmarks)"
    )
    parser.add_argument(
        "--fleet",
        type=int,
        default=0,
        help="add this many simulated county sites (mirror.fleet, for the fleet benchmark)",
    )
    args = parser.parse_args()
    mirror = Mirror(base_port=args.base_port, extra_fillers=args.extra_fillers, fleet=args.fleet).start()
    for name, value in mirror.env().items():
        print(f"export {name}={value}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    mirror.stop()


if __name__ == "__main__":
    main()
