"""Command line: python -m scrapers {crawl,drop,report,probe} — the same steps the ingest DAG runs, and a probe
of a site not yet in the registry."""

from __future__ import annotations

import argparse
import logging
import sys
import uuid

from scrapers.drop_folder import ingest_folder
from scrapers.ingest import crawl_source
from scrapers.registry import enabled_sources, get_source
from warehouse.landing.report import raw_layer_report
from warehouse.landing.store import RawStore


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scrapers", description=__doc__)
    parser.add_argument("--raw-dir", help="raw layer folder (default: warehouse/raw or $MINZHENG_RAW_DIR)")
    commands = parser.add_subparsers(dest="command", required=True)
    crawl = commands.add_parser("crawl", help="crawl sources from the registry")
    crawl.add_argument("--source", action="append", help="a source id (repeatable); default: every enabled source")
    drop = commands.add_parser("drop", help="ingest a folder of dropped files")
    drop.add_argument("folder")
    commands.add_parser("report", help="print what the raw layer holds")
    probe = commands.add_parser("probe", help="fetch one list page, tell its site family, print a sources.yml entry")
    probe.add_argument("url")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    if args.command == "probe":
        from scrapers.probe import probe as probe_site

        try:
            print(probe_site(args.url), end="")
        except RuntimeError as failed:
            print(f"nothing probed: {failed}", file=sys.stderr)
            return 1
        return 0

    store = RawStore(args.raw_dir)
    run_id = uuid.uuid4().hex
    if args.command == "crawl":
        sources = [get_source(source_id) for source_id in args.source] if args.source else enabled_sources()
        for source in sources:
            crawl_source(source, store, run_id, progress=lambda line: print(line, flush=True))
    elif args.command == "drop":
        ingest_folder(args.folder, store, run_id, progress=lambda line: print(line, flush=True))
    print(raw_layer_report(store, run_id if args.command != "report" else None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
