"""Dropped files: the analyst's path into the raw layer, and every way a file can be bad."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from scrapers.drop_folder import ingest_folder
from tests.conftest import FIXTURES

SEEDS = FIXTURES.parent.parent / "data" / "seeds"


def quarantined(store):
    """Open quarantine by file name (items are the folder and the name, or the sidecar's url)."""
    return {Path(row[0]).name: row[1] for row in store.query("select item, error_kind from quarantine_open")}


def keys(store):
    return {row[0] for row in store.query("select file_name from documents")}


def test_seed_documents_land_with_header_metadata(tmp_path, store):
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, tmp_path)
    report = ingest_folder(tmp_path, store)
    assert report.documents_added == 5 and report.quarantined == 0
    rows = dict(store.query("select file_name, publisher from documents"))
    assert rows["001_e56da56907128640.txt"] == "湖州市民政局"
    assert rows["003_964adb30ad5d0ead.txt"] == "温州市民政局"


def test_sidecar_metadata_wins(tmp_path, store):
    (tmp_path / "report.txt").write_text("全市低保标准提高至每人每月1000元。", encoding="utf-8")
    (tmp_path / "report.meta.json").write_text(
        json.dumps(
            {
                "url": "https://mzj.example.gov.cn/art/1.html",
                "publisher": "某市民政局",
                "title": "某市2024年工作总结",
                "published_at": "2025-01-05",
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    ingest_folder(tmp_path, store)
    assert store.query(
        "select document_key, file_name, url, publisher, title, published_at::varchar from documents"
    ) == [
        (
            "dropped:/art/1.html",  # the url's identity (docs/ingest.md): the same document from any host
            "report.txt",
            "https://mzj.example.gov.cn/art/1.html",
            "某市民政局",
            "某市2024年工作总结",
            "2025-01-05",
        )
    ]


def _encrypted_pdf() -> bytes:
    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password="secret", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_bad_files_are_quarantined_and_good_ones_still_land(tmp_path, store):
    (tmp_path / "good.txt").write_text("全市共有养老机构86家。", encoding="utf-8")
    (tmp_path / "gbk.txt").write_bytes("全市共有养老机构86家，机构床位10635张。".encode("gbk"))
    (tmp_path / "zero.txt").write_bytes(b"")
    (tmp_path / "fake.pdf").write_text("<html>not a pdf</html>")
    (tmp_path / "locked.pdf").write_bytes(_encrypted_pdf())
    (tmp_path / "table.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    (tmp_path / "program.exe").write_bytes(b"MZ\x90\x00")
    (tmp_path / "with space 'and' \"quotes\".txt").write_text("低保标准达到每人每月1190元。", encoding="utf-8")
    (tmp_path / "broken.txt").write_text("新增救助对象5292人。", encoding="utf-8")
    (tmp_path / "broken.meta.json").write_text("{not json", encoding="utf-8")
    outside = tmp_path.parent / "outside.txt"
    outside.write_text("secret")
    (tmp_path / "link.txt").symlink_to(outside)

    report = ingest_folder(tmp_path, store)

    assert keys(store) == {"good.txt", "gbk.txt", "with space 'and' \"quotes\".txt", "broken.txt"}
    assert quarantined(store) == {
        "zero.txt": "empty",
        "fake.pdf": "not_pdf",
        "locked.pdf": "encrypted_pdf",
        "table.xls": "bad_workbook",
        "program.exe": "unsupported_type",
        "broken.meta.json": "bad_sidecar",
        "link.txt": "unsafe_path",
    }
    assert report.quarantined == 7
    text, encoding = store.query("select text, encoding from documents where file_name = 'gbk.txt'")[0]
    assert "机构床位10635张" in text and encoding == "gb18030"


def test_names_climbing_out_of_the_folder_are_refused(tmp_path, store):
    (tmp_path.parent / "secret.txt").write_text("do not read")
    ingest_folder(tmp_path, store, names=["../secret.txt", "..", "a/../../b.txt"])
    assert set(quarantined(store).values()) == {"unsafe_path"}
    assert keys(store) == set()


def test_dropping_the_same_folder_twice_adds_nothing(tmp_path, store):
    shutil.copy(SEEDS / "000_c62b87d9ede609d7.txt", tmp_path)
    ingest_folder(tmp_path, store)
    report = ingest_folder(tmp_path, store)
    assert report.unchanged == 1 and report.documents_added == 0
    assert store.query("select count(*) from documents") == [(1,)]


def test_a_fixed_file_leaves_the_quarantine(tmp_path, store):
    (tmp_path / "late.txt").write_bytes(b"")
    ingest_folder(tmp_path, store)
    assert "late.txt" in quarantined(store)
    (tmp_path / "late.txt").write_text("全市共有养老机构86家。", encoding="utf-8")
    ingest_folder(tmp_path, store)
    assert "late.txt" not in quarantined(store)


def test_missing_folder_is_a_clear_error(tmp_path, store):
    with pytest.raises(NotADirectoryError):
        ingest_folder(tmp_path / "nope", store)


def test_office_files_of_every_kind_land_with_their_format(tmp_path, store):
    attachments = Path(__file__).resolve().parent.parent / "fixtures" / "attachments"
    for name in ("report.doc", "report.wps", "statistics.xls", "statistics.xlsx", "statistics.et", "truncated.doc"):
        shutil.copyfile(attachments / name, tmp_path / name)
    ingest_folder(tmp_path, store)
    formats = dict(store.query("select file_name, format from documents_current"))
    assert formats == {
        "report.doc": "doc",
        "report.wps": "doc",
        "statistics.xls": "xls",
        "statistics.xlsx": "xlsx",
        "statistics.et": "xls",
    }
    assert quarantined(store) == {"truncated.doc": "bad_doc"}
