"""Runs in .venv-pages (make benchmark-pages): what trafilatura and GeneralNewsExtractor make of each saved page,
as JSON on stdout. Kept apart from the product's venv: their pins are not ours."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(folder: str) -> int:
    import trafilatura
    from gne import GeneralNewsExtractor

    gne = GeneralNewsExtractor()
    results = {}
    for html_path in sorted(Path(folder).glob("*_article.html")):
        html = html_path.read_text(encoding="utf-8", errors="replace")
        extracted = trafilatura.bare_extraction(html, with_metadata=True, as_dict=True) or {}
        try:
            general = gne.extract(html)
        except Exception as exc:
            general = {"error": str(exc)}
        results[html_path.stem] = {
            "trafilatura": {
                "title": extracted.get("title") or "",
                "published": extracted.get("date") or "",
                "text": extracted.get("text") or "",
            },
            "gne": {
                "title": general.get("title") or "",
                "published": general.get("publish_time") or "",
                "text": general.get("content") or "",
            },
        }
    json.dump(results, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
