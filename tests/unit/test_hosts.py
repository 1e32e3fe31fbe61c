"""Which URLs and addresses a source's crawl may reach (scrapers/hosts.py)."""

from __future__ import annotations

import pytest

from scrapers.hosts import HostBoundary, is_internal


def public(host: str) -> list[str]:
    return ["61.153.1.1"]  # what a public bureau's name resolves to; never connected to here


@pytest.fixture
def bureau() -> HostBoundary:
    return HostBoundary.of("https://mzj.example.gov.cn", ["cdn.example.gov.cn", "files.example.gov.cn:8443"], public)


@pytest.mark.parametrize(
    "url",
    [
        "https://mzj.example.gov.cn/art/2025/1/1/art_1.html",
        "http://mzj.example.gov.cn/art/1.html",  # the same host on http's standard port
        "https://MZJ.example.gov.cn./x",  # names are case-insensitive, the root dot is no other host
        "https://cdn.example.gov.cn/files/plan.pdf",
        "https://files.example.gov.cn:8443/a.docx",
    ],
)
def test_the_source_s_hosts_are_allowed(bureau, url):
    assert bureau.refusal(url) is None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://evil.example.com/art/1.html", "host evil.example.com is not one the source names"),
        ("https://mzj.example.gov.cn:8080/x", "host mzj.example.gov.cn:8080"),
        ("https://files.example.gov.cn/a.docx", "host files.example.gov.cn is not"),  # only its port 8443
        ("http://169.254.169.254/latest/meta-data/", "host 169.254.169.254"),
        ("file:///etc/passwd", "scheme 'file' refused"),
        ("ftp://mzj.example.gov.cn/a.pdf", "scheme 'ftp' refused"),
        ("javascript:void(0)", "scheme 'javascript' refused"),
        ("https://mzj.example.gov.cn:99999/x", "not a URL that can be fetched"),
    ],
)
def test_other_hosts_ports_and_schemes_are_refused_with_the_reason(bureau, url, reason):
    assert reason in bureau.refusal(url)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",
        "::1",
        "fe80::1%eth0",
        "::ffff:10.0.0.1",
        "0.0.0.0",
    ],
)
def test_a_public_source_may_not_use_internal_addresses(bureau, address):
    assert is_internal(address)
    assert "is internal" in bureau.address_refusal(address)


def test_a_public_address_is_fine_and_an_internal_source_may_use_internal_addresses(bureau):
    assert bureau.address_refusal("61.153.1.1") is None
    mirror = HostBoundary.of("http://127.0.0.1:8780")
    assert mirror.address_refusal("127.0.0.1") is None
    assert mirror.refusal("http://127.0.0.1:8781/art/1.html") is not None  # another mirror site: another port
    assert HostBoundary.of("http://localhost:8780").internal_allowed  # a name that resolves to loopback
