"""Article extraction on pages saved from live government sites: our parser beside trafilatura and
GeneralNewsExtractor, checks passed of each (title, 发布日期, where the body starts, where it ends).

    make benchmark-pages        (python -m benchmarks.article_pages --anchors .venv-pages/bin/python)

The pages and what a reader sees on each are tests/fixtures/real_pages (see its README); a second table scores
the pages written in the style of other CMSs (tests/fixtures/pages/cms_articles: dates among the page's furniture,
titles with markup, bodies after breadcrumbs). Without the anchors' venv only our parser is measured.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from pathlib import Path

from scrapers.parse import parse_content
from warehouse.settings import REPO_ROOT

PAGES = REPO_ROOT / "tests" / "fixtures" / "real_pages"
WRITTEN = REPO_ROOT / "tests" / "fixtures" / "pages" / "cms_articles"
CHECKS = ("title", "published", "body_starts", "body_ends")
_SPACE = re.compile(r"\s+")


def squeezed(text: str) -> str:
    return _SPACE.sub("", text or "")


def checks(seen: dict, title: str, published: str, text: str) -> dict[str, bool]:
    return {
        "title": squeezed(title) == squeezed(seen["title"]),
        "published": (published or "")[:10] == seen["published"][:10],
        "body_starts": squeezed(text).startswith(squeezed(seen["body_starts"])),
        "body_ends": squeezed(text).endswith(squeezed(seen["body_ends"])),
    }


def ours(page: Path, seen: dict) -> dict[str, bool]:
    document, _ = parse_content(page.read_bytes(), "text/html", page.name, seen["url"])
    return checks(seen, document.title, document.published_at or "", document.text)


def anchors(python: Path, folder: Path = PAGES) -> dict:
    if not python.exists():
        return {}
    result = subprocess.run(
        [str(python), str(Path(__file__).with_name("page_anchors.py")), str(folder)],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return json.loads(result.stdout)


def score(folder: Path, others: dict) -> tuple[int, dict[str, int]]:
    """Print one row per page and check; the number of checks and the checks each extractor passed."""
    totals = {"ours": 0, **{name: 0 for name in ("trafilatura", "gne") if others}}
    count = 0
    print(f"{'page':26} {'check':12} {'ours':>5} " + " ".join(f"{name:>11}" for name in totals if name != "ours"))
    for meta in sorted(folder.glob("*_article.json")):
        seen = json.loads(meta.read_text(encoding="utf-8"))
        results = {"ours": ours(meta.with_suffix(".html"), seen)}
        for name in ("trafilatura", "gne"):
            if others:
                extracted = others[meta.stem][name]
                results[name] = checks(seen, extracted["title"], extracted["published"], extracted["text"])
        for check in CHECKS:
            count += 1
            cells = []
            for name in totals:
                totals[name] += results[name][check]
                width = 5 if name == "ours" else 11
                cells.append(f"{'ok' if results[name][check] else '-':>{width}}")
            print(f"{meta.stem:26} {check:12} " + " ".join(cells))
    return count, totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--anchors",
        type=Path,
        default=REPO_ROOT / ".venv-pages" / "bin" / "python",
        help="the python of the venv with trafilatura and gne",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    count, totals = score(PAGES, anchors(args.anchors))
    print("\nchecks passed: " + ", ".join(f"{name} {passed}/{count}" for name, passed in totals.items()))
    print("\npages written in the style of other CMSs (tests/fixtures/pages/cms_articles):")
    written_count, written = score(WRITTEN, anchors(args.anchors, WRITTEN))
    print("\nwritten pages, checks passed: " + ", ".join(f"{name} {n}/{written_count}" for name, n in written.items()))
    if args.json:
        figures = {"checks": count, "passed": totals, "written": {"checks": written_count, "passed": written}}
        args.json.write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
