"""Data Docs pages pointed at the site's own copies of their CSS and JS (installed from npm by make install)."""

from __future__ import annotations

import pytest

from warehouse.release.data_docs_assets import CDN_FILES, localise, sri_digest
from warehouse.settings import DATA_DOCS_ASSETS

JQUERY = "https://code.jquery.com/jquery-3.7.1.min.js"
POPPER = "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js"
FONT_AWESOME = "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css"
LOGO = "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=20260101&dataContextId=x"

needs_packages = pytest.mark.skipif(
    not (DATA_DOCS_ASSETS / "jquery").exists(), reason=f"{DATA_DOCS_ASSETS} is missing: make install runs npm ci"
)


def a_site(tmp_path, body: str):
    site = tmp_path / "local_site"
    (site / "validations" / "suite" / "run").mkdir(parents=True)
    (site / "static" / "images").mkdir(parents=True)
    (site / "static" / "images" / "logo-long.png").write_bytes(b"png")
    page = site / "validations" / "suite" / "run" / "page.html"
    page.write_text(f"<html><head>{body}</head><body>ok</body></html>", encoding="utf-8")
    return site, page


@needs_packages
def test_every_address_gx_uses_has_a_file_in_its_package():
    missing = [
        f"{package}/{file}" for package, file in CDN_FILES.values() if not (DATA_DOCS_ASSETS / package / file).is_file()
    ]
    assert not missing


@needs_packages
def test_a_page_loads_its_scripts_from_the_site_with_the_pinned_digest_checked(tmp_path):
    popper = DATA_DOCS_ASSETS / "popper.js" / "dist" / "umd" / "popper.min.js"
    site, page = a_site(
        tmp_path,
        f'<script src="{JQUERY}"></script>'
        f'<script src="{POPPER}" integrity="{sri_digest(popper)}" crossorigin="anonymous"></script>'
        f'<link rel="stylesheet" href="{FONT_AWESOME}"/><img src="{LOGO}">',
    )
    assert localise(site).pages_rewritten == 1
    html = page.read_text(encoding="utf-8")
    assert "https://" not in html and "dataContextId" not in html
    assert '<script src="../../../static/vendor/jquery/dist/jquery.min.js">' in html
    assert '<script src="../../../static/vendor/popper.js/dist/umd/popper.min.js"></script>' in html
    assert '<img src="../../../static/images/logo-long.png">' in html
    assert (site / "static/vendor/@fortawesome/fontawesome-free/webfonts/fa-solid-900.woff2").exists()
    assert localise(site).pages_rewritten == 0  # a page already pointed at the site is left alone


@needs_packages
def test_a_file_that_is_not_the_one_the_template_pinned_stays_on_the_cdn(tmp_path, caplog):
    site, page = a_site(
        tmp_path, f'<script src="{POPPER}" integrity="sha384-notthisfile" crossorigin="anonymous"></script>'
    )
    localise(site)
    assert POPPER in page.read_text(encoding="utf-8")
    assert "differs from the file" in caplog.text


def test_without_the_packages_pages_keep_their_cdn_addresses_and_say_why(tmp_path, caplog):
    site, page = a_site(tmp_path, f'<script src="{JQUERY}"></script>')
    result = localise(site, packages=tmp_path / "node_modules")
    assert "jquery" in result.missing
    assert JQUERY in page.read_text(encoding="utf-8")
    assert "make install runs npm ci" in caplog.text
