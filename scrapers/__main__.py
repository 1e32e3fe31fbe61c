"""Command line: python -m scrapers {crawl,drop,report,probe,check-sources} — the same steps the ingest DAG runs,
a probe of a site not yet in the registry, and the check of sources.yml (exit 2 with one line per mistake)."""

from __future__ import annotations

import argparse
import logging
import sys
import uuid

from scrapers.crawl_run import crawl_sources
from scrapers.drop_folder import ingest_folder
from scrapers.registry import DEFAULT_REGISTRY, Source, enabled_sources, load_sources
from scrapers.shared_rate_limit import RateLimiterUnavailable, default_rate_limiter
from scrapers.source_schema import SourcesError
from warehouse.landing.health import RawLayerDamaged
from warehouse.landing.report import raw_layer_report
from warehouse.landing.store import RawStore
from warehouse.locks import Busy


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
    check = commands.add_parser("check-sources", help="check sources.yml: one line per mistake, exit 2 if any")
    check.add_argument("path", nargs="?", help="a registry file (default: scrapers/sources.yml or $MINZHENG_SOURCES)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    # a lost connection is reported once, as its fetch outcome; urllib3's retry warnings would say it again
    logging.getLogger("urllib3.connectionpool").setLevel(logging.ERROR)
    if args.command == "probe":
        from scrapers.probe import ProbeFailed
        from scrapers.probe import probe as probe_site

        try:
            print(probe_site(args.url), end="")
        except ProbeFailed as failed:
            print(f"nothing probed: {failed}", file=sys.stderr)
            return 1
        return 0

    try:
        if args.command == "check-sources":
            return check_sources(args.path)
        sources = sources_to_crawl(args.source) if args.command == "crawl" else []
        rate_limiter = default_rate_limiter() if args.command == "crawl" else None  # Redis named and down: here
        store = RawStore(args.raw_dir)
    except (SourcesError, RateLimiterUnavailable, RawLayerDamaged, Busy) as refused:
        print(refused, file=sys.stderr)  # one line per mistake, before anything is fetched or written
        return 2 if isinstance(refused, (SourcesError, RateLimiterUnavailable)) else 1
    run_id = uuid.uuid4().hex
    failures = []
    if args.command == "crawl":
        failures = crawl_sources(sources, store, run_id, rate_limiter, progress=lambda line: print(line, flush=True))
    elif args.command == "drop":
        ingest_folder(args.folder, store, run_id, progress=lambda line: print(line, flush=True))
    print(raw_layer_report(store, run_id if args.command != "report" else None))
    for failure in failures:  # after every other source was crawled; each also an alert (.run/alerts.jsonl)
        print(failure, file=sys.stderr)
    return 1 if failures else 0


def check_sources(path: str | None) -> int:
    sources = load_sources(path)
    enabled = sum(source.enabled for source in sources)
    print(f"{path or DEFAULT_REGISTRY}: {len(sources)} sources ({enabled} enabled), no mistakes")
    return 0


def sources_to_crawl(source_ids: list[str] | None) -> list[Source]:
    if not source_ids:
        return enabled_sources()
    by_id = {source.id: source for source in load_sources()}
    unknown = [source_id for source_id in source_ids if source_id not in by_id]
    if unknown:
        raise SourcesError(
            [f"{DEFAULT_REGISTRY}: no source {', '.join(map(repr, unknown))} (known: {', '.join(by_id)})"]
        )
    return [by_id[source_id] for source_id in source_ids]


if __name__ == "__main__":
    sys.exit(main())
