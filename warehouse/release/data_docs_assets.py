"""Data Docs that render with no network: GX's page templates load Bootstrap, bootstrap-table, Font Awesome,
jQuery and Vega from CDNs. `make install` installs those packages from the npm registry at the versions the
templates name (expectations/data_docs_assets/package.json); after each audit the files a page uses are
copied into the site under static/vendor/ and the pages are pointed at them."""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from warehouse.settings import DATA_DOCS_ASSETS

log = logging.getLogger(__name__)

VENDOR = Path("static") / "vendor"

# every CDN address in GX's templates → (npm package, file in it); copying a file copies the folders named
# beside it too (Font Awesome's CSS loads its fonts from ../webfonts/)
CDN_FILES = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": (
        "bootstrap",
        "dist/css/bootstrap.min.css",
    ),
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": ("bootstrap", "dist/js/bootstrap.min.js"),
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": (
        "@forevolve/bootstrap-dark",
        "dist/css/bootstrap-prefers-dark.css",
    ),
    "https://cdn.jsdelivr.net/npm/vega@5": ("vega", "build/vega.min.js"),
    "https://cdn.jsdelivr.net/npm/vega-lite@5": ("vega-lite", "build/vega-lite.min.js"),
    "https://cdn.jsdelivr.net/npm/vega-embed@6": ("vega-embed", "build/vega-embed.min.js"),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": (
        "bootstrap-datepicker",
        "dist/css/bootstrap-datepicker.min.css",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": (
        "bootstrap-datepicker",
        "dist/js/bootstrap-datepicker.min.js",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": (
        "@fortawesome/fontawesome-free",
        "css/all.min.css",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": (
        "popper.js",
        "dist/umd/popper.min.js",
    ),
    "https://code.jquery.com/jquery-3.7.1.min.js": ("jquery", "dist/jquery.min.js"),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": (
        "bootstrap-table",
        "dist/bootstrap-table.min.css",
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": (
        "bootstrap-table",
        "dist/bootstrap-table.min.js",
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js": (
        "bootstrap-table",
        "dist/extensions/filter-control/bootstrap-table-filter-control.min.js",
    ),
    # the templates ask for 1.19.0's filter-control CSS beside 1.19.1's tables; 1.19.1 ships the same file
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css": (
        "bootstrap-table",
        "dist/extensions/filter-control/bootstrap-table-filter-control.css",
    ),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css": (
        "bootstrap-table",
        "dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
    ),
}
# GX's logo is fetched from S3 with the data context's id in the query string; GX ships the same image
GX_IMAGES = {
    "logo-long.png": re.compile(
        r"https://great-expectations-web-assets\.s3\.us-east-2\.amazonaws\.com/logo-long\.png[^\"'\s)]*"
    ),
    "logo-long-vector.svg": re.compile(
        r"https://great-expectations-web-assets\.s3\.us-east-2\.amazonaws\.com/full_logo_dark\.png"
    ),
}
TAG = re.compile(r"<(?:script|link)\b[^>]*>")
INTEGRITY = re.compile(r'\s+integrity="([^"]+)"')
CROSSORIGIN = re.compile(r'\s+crossorigin="[^"]*"')
FOLDERS_BESIDE = {("@fortawesome/fontawesome-free", "css/all.min.css"): ["webfonts"]}


@dataclass
class Localised:
    pages_rewritten: int = 0
    missing: list[str] = field(default_factory=list)  # packages not installed: their CDN addresses stay


def vendor_files(site: Path, packages: Path = DATA_DOCS_ASSETS) -> tuple[dict[str, Path], list[str]]:
    """Copy every asset into the site; the CDN address → its copy, and the packages that are not installed."""
    copies, missing = {}, set()
    for url, (package, file) in CDN_FILES.items():
        source = packages / package / file
        if not source.is_file():
            missing.add(package)
            continue
        target = site / VENDOR / package / file
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.stat().st_size != source.stat().st_size:
            shutil.copyfile(source, target)
        for folder in FOLDERS_BESIDE.get((package, file), []):
            shutil.copytree(source.parents[1] / folder, target.parents[1] / folder, dirs_exist_ok=True)
        copies[url] = target
    return copies, sorted(missing)


def point_page_at(page: Path, copies: dict[str, Path], site: Path) -> bool:
    """Replace the CDN addresses in one page by relative paths to the site's copies; whether it changed."""
    html = page.read_text(encoding="utf-8")
    kept_on_cdn = set()

    def local(url: str) -> str:
        return Path(os.path.relpath(copies[url], page.parent)).as_posix()

    def rewrite_tag(match: re.Match) -> str:
        tag = match.group(0)
        url = next((url for url in copies if f'"{url}"' in tag), None)
        if url is None:
            return tag
        integrity = INTEGRITY.search(tag)
        if integrity:
            # a copy must be the very file the template pinned; a page opened from disk (file://) refuses
            # crossorigin loads, so once checked here the attributes go
            if integrity.group(1) != sri_digest(copies[url]):
                log.warning("%s differs from the file %s pins: it stays on the CDN", copies[url], url)
                kept_on_cdn.add(url)
                return tag
            tag = CROSSORIGIN.sub("", INTEGRITY.sub("", tag))
        return tag.replace(url, local(url))

    changed = TAG.sub(rewrite_tag, html)
    for url in copies.keys() - kept_on_cdn:  # addresses outside <script>/<link>: images, CSS url()
        if url in changed:
            changed = changed.replace(url, local(url))
    for image, pattern in GX_IMAGES.items():
        if (site / "static" / "images" / image).exists():
            changed = pattern.sub(
                Path(os.path.relpath(site / "static" / "images" / image, page.parent)).as_posix(), changed
            )
    if changed == html:
        return False
    temporary = page.with_suffix(".html.tmp")
    temporary.write_text(changed, encoding="utf-8")
    temporary.replace(page)  # a reader sees the old page or the new one
    return True


def sri_digest(path: Path) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(path.read_bytes()).digest()).decode()


def localise(site: Path, packages: Path = DATA_DOCS_ASSETS) -> Localised:
    """Make a Data Docs site self-contained; pages GX rendered again since the last call are rewritten."""
    copies, missing = vendor_files(site, packages)
    result = Localised(missing=missing)
    if missing:
        log.warning(
            "Data Docs keep loading %s from CDNs: %s is not installed (make install runs npm ci)",
            ", ".join(missing),
            packages,
        )
    for page in site.rglob("*.html"):
        result.pages_rewritten += point_page_at(page, copies, site)
    return result
