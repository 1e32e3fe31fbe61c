"""A document is its source and its place on the site, not the scheme, host and port serving the site today."""

import duckdb
import pytest

from scrapers.parse import parse_content
from tests.old_raw_layer import BEFORE_METADATA_VERSIONS, blob_keeper, insert_rows, make_old_raw_layer
from warehouse.landing.identity import document_identity, is_url_key
from warehouse.landing.records import DocumentRecord
from warehouse.landing.rows import document_row
from warehouse.landing.schema import DOCUMENT_COLUMNS
from warehouse.landing.store import RawStore
from warehouse.landing.writer import RawWriter


@pytest.mark.parametrize(
    "url",
    [
        "http://mzj.example.gov.cn/art/2024/1/5/art_1_1.html",
        "https://mzj.example.gov.cn/art/2024/1/5/art_1_1.html",
        "http://mzj.example.gov.cn:80/art/2024/1/5/art_1_1.html",
        "https://mzj.example.gov.cn:443/art/2024/1/5/art_1_1.html",
        "http://127.0.0.1:8780/art/2024/1/5/art_1_1.html",
        "http://127.0.0.1:40973/art/2024/1/5/art_1_1.html",
        "HTTPS://MZJ.NEW-HOST.GOV.CN:8443/art/2024/1/5/art_1_1.html",
        "http://user:secret@mzj.example.gov.cn/art/2024/1/5/art_1_1.html",
        "http://mzj.example.gov.cn/art/2024/1/5/art_1_1.html#top",
        "http://mzj.example.gov.cn//art/2024/1/5//art_1_1.html",
        "http://mzj.example.gov.cn/art/2024/1/x/../5/./art_1_1.html",
        "http://mzj.example.gov.cn/%61rt/2024/1/5/art_1_1.html",
        "  http://mzj.example.gov.cn/art/2024/1/5/art_1_1.html\n",
    ],
)
def test_scheme_host_port_and_spelling_do_not_change_the_identity(url):
    assert document_identity("zs", url) == "zs:/art/2024/1/5/art_1_1.html"


def test_trailing_slashes_and_an_empty_path():
    assert document_identity("zs", "http://a.gov.cn/col/col1/") == document_identity("zs", "http://a.gov.cn/col/col1")
    assert document_identity("zs", "http://a.gov.cn") == document_identity("zs", "https://b.gov.cn/") == "zs:/"


def test_the_query_names_the_document_and_its_order_is_kept():
    page = "http://a.gov.cn/module/download/downfile.jsp?classid=0&filename=1.pdf"
    assert document_identity("zs", page) == "zs:/module/download/downfile.jsp?classid=0&filename=1.pdf"
    assert document_identity("zs", page) != document_identity("zs", page.replace("1.pdf", "2.pdf"))
    assert document_identity("zs", "http://a.gov.cn/x.html?") == document_identity("zs", "http://a.gov.cn/x.html")


def test_attachments_with_chinese_names_are_one_document_however_escaped():
    written = "http://a.gov.cn/attach/0/舟山市2024年工作总结.pdf"
    escaped = (
        "https://b.gov.cn/attach/0/%e8%88%9f%e5%b1%b1%e5%b8%822024%E5%B9%B4%E5%B7%A5%E4%BD%9C%E6%80%BB%E7%BB%93.pdf"
    )
    assert document_identity("zs", written) == document_identity("zs", escaped)
    assert document_identity("zs", written).startswith("zs:/attach/0/%E8%88%9F")


def test_two_sources_and_two_paths_are_two_documents():
    assert document_identity("zs", "http://a.gov.cn/x.html") != document_identity("hz", "http://a.gov.cn/x.html")
    assert document_identity("zs", "http://a.gov.cn/x.html") != document_identity("zs", "http://a.gov.cn/X.html")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "mailto:mzj@example.gov.cn",
        "file:///etc/passwd",
        "ftp://a.gov.cn/x.pdf",
        "/art/2024/1/5/art_1_1.html",
        "http:///art/1.html",
        "http://a.gov.cn:99999/x.html",
        "http://a.gov.cn:port/x.html",
        "http://a.gov.cn/x\x00.html",
        "http://a.gov.cn/x y.html",
        "",
    ],
)
def test_hostile_urls_have_no_identity(url):
    with pytest.raises(ValueError):
        document_identity("zs", url)


def test_a_path_never_climbs_above_the_root_and_an_identity_is_never_a_url():
    assert document_identity("zs", "http://a.gov.cn/../../etc/passwd") == "zs:/etc/passwd"
    assert document_identity("zs", "http://a.gov.cn/%2e%2e/%2E%2E/x") == "zs:/x"
    assert not is_url_key(document_identity("http", "http://a.gov.cn//b.gov.cn/x"))
    assert is_url_key("https://a.gov.cn/x") and not is_url_key("dropped/folder/a.txt")


def _old_record(url: str, text: str, kind: str = "article", parent: str | None = None) -> DocumentRecord:
    """A document as the code before identity landed it: keyed by its URL (and its parent's URL)."""
    body = f"发布日期:2025-01-10\n舟山市民政局2024年工作总结\n{text}".encode()
    parsed, encoding = parse_content(body, name="page.txt")
    return DocumentRecord(
        run_id="old",
        source_id="zs",
        document_key=url,
        url=url,
        kind=kind,
        parent_key=parent,
        body=body,
        parsed=parsed,
        encoding=encoding,
    )


def test_a_raw_layer_keyed_by_url_is_keyed_by_identity_when_opened(tmp_path):
    """A layer that already doubled (the site moved port before this code): one document per identity again,
    every row and version id kept, the old keys in document_aliases."""
    db_path = make_old_raw_layer(tmp_path / "raw")
    put_blob = blob_keeper(tmp_path / "raw")
    old, moved = "http://127.0.0.1:8780/art/1.html", "http://127.0.0.1:9780/art/1.html"
    rows = [
        document_row(_old_record(old, "低保标准每人每月900元。"), put_blob),
        document_row(
            _old_record(old.replace("art/1.html", "f.pdf"), "附件：床位1200张。", "attachment", old), put_blob
        ),
    ]
    later = [document_row(_old_record(moved, "低保标准每人每月900元。"), put_blob)]
    # written as the old code wrote them: straight into the tables its schema had, keys unchanged
    insert_rows(db_path, "documents", rows + later, current=True)
    with duckdb.connect(str(db_path)) as con:
        con.execute("update documents set ingested_at = ingested_at + interval 1 hour where url = ?", [moved])
        assert con.execute("select count(*) from documents_current").fetchall() == [(3,)]

    reopened = RawStore(tmp_path / "raw")
    assert reopened.query("select version_id, document_key, parent_key from documents order by ingested_at, kind") == [
        (rows[0][0], "zs:/art/1.html", None),
        (rows[1][0], "zs:/f.pdf", "zs:/art/1.html"),
        (later[0][0], "zs:/art/1.html", None),
    ]
    assert reopened.query("select document_key, url from documents_current order by 1") == [
        ("zs:/art/1.html", moved),
        ("zs:/f.pdf", "http://127.0.0.1:8780/f.pdf"),
    ]
    assert reopened.query("select old_key, document_key from document_aliases order by 1") == [
        ("http://127.0.0.1:8780/art/1.html", "zs:/art/1.html"),
        ("http://127.0.0.1:8780/f.pdf", "zs:/f.pdf"),
        ("http://127.0.0.1:9780/art/1.html", "zs:/art/1.html"),
    ]
    assert set(reopened.known_versions("zs")) == {"zs:/art/1.html", "zs:/f.pdf"}
    assert RawStore(tmp_path / "raw").migrations_applied == ()  # opened again: nothing left to migrate
    assert reopened.query("select count(*) from document_aliases") == [(3,)]


def test_a_raw_layer_rebuilt_from_a_journal_of_url_keys_is_keyed_by_identity(tmp_path):
    """The journal keeps rows as they landed: a layer recovered from URL-keyed rows is migrated by the recovery."""
    from warehouse.landing.recover import recover

    store = RawStore(tmp_path / "raw")
    with RawWriter(store) as writer:
        writer.land(_old_record("http://127.0.0.1:8780/art/1.html", "低保标准每人每月900元。"))
    recover(tmp_path / "raw")
    with duckdb.connect(str(store.db_path), read_only=True) as con:
        assert con.execute("select document_key, url from documents_current").fetchall() == [
            ("zs:/art/1.html", "http://127.0.0.1:8780/art/1.html")
        ]
        assert con.execute("select old_key from document_aliases").fetchall() == [("http://127.0.0.1:8780/art/1.html",)]


def test_a_copy_stored_under_two_old_keys_keeps_the_later_key_and_is_migrated_once(tmp_path):
    """A layer from before meta_sha256 (the oldest layout: no metadata fingerprint) that doubled: the same bytes
    and metadata under two ports. The unique key allows one of them per identity: the later keeps its URL key,
    and the next open finds nothing more to migrate."""
    db_path = make_old_raw_layer(tmp_path / "raw", BEFORE_METADATA_VERSIONS)
    put_blob = blob_keeper(tmp_path / "raw")
    meta = DOCUMENT_COLUMNS.index("meta_sha256")
    rows = [
        document_row(_old_record(f"http://127.0.0.1:{port}/art/1.html", "低保标准每人每月900元。"), put_blob)
        for port in (8780, 9780)
    ]
    insert_rows(db_path, "documents", [row[:meta] + row[meta + 1 :] for row in rows])
    with duckdb.connect(str(db_path)) as con:
        con.execute(
            "update documents set ingested_at = ingested_at + interval 1 hour where version_id = ?", [rows[1][0]]
        )
    migrated = RawStore(tmp_path / "raw")
    assert migrated.query("select document_key from documents order by ingested_at") == [
        ("zs:/art/1.html",),
        ("http://127.0.0.1:9780/art/1.html",),
    ]
    assert migrated.query("select count(*) from document_aliases") == [(2,)]
    aliased_at = migrated.query("select aliased_at from document_aliases order by 1")
    assert RawStore(tmp_path / "raw").migrations_applied == ()  # a kept key is an alias already
    assert migrated.query("select aliased_at from document_aliases order by 1") == aliased_at
