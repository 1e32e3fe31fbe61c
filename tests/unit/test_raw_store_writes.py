"""A batch of document versions lands in one statement; each row still hears whether it was new."""

from scrapers.parse import parse_content
from tests.old_raw_layer import blob_keeper, insert_rows, make_old_raw_layer
from warehouse.landing.records import DocumentRecord
from warehouse.landing.rows import document_row
from warehouse.landing.store import RawStore
from warehouse.landing.writer import RawWriter


def _record(key: str, text: str) -> DocumentRecord:
    body = f"发布日期:2025-01-10\n某县民政局2024年工作总结\n{text}".encode()
    parsed, encoding = parse_content(body, name=f"{key}.txt")
    return DocumentRecord(
        run_id="r", source_id="s", document_key=key, kind="dropped", body=body, parsed=parsed, encoding=encoding
    )


def _land(store: RawStore, *records: DocumentRecord) -> list[bool]:
    """Whether each record was a new version, as its writer's batch told it."""
    added: list[bool] = []
    with RawWriter(store) as writer:
        for record in records:
            assert writer.land(record, added.append) is None
    return added


def test_a_version_already_stored_or_earlier_in_the_batch_is_not_added_again(tmp_path):
    store = RawStore(tmp_path / "raw")
    first, second = _record("a", "低保标准每人每月900元。"), _record("b", "养老床位1200张。")
    assert _land(store, first, second, first) == [True, True, False]
    third = _record("a", "低保标准每人每月950元。")  # a changed text: a new version of the same key
    assert _land(store, second, third) == [False, True]
    rows = store.query("select document_key, text_chars, published_at from documents order by ingested_at")
    assert [key for key, _, _ in rows] == ["a", "b", "a"]
    assert str(rows[0][2]) == "2025-01-10"


def test_a_batch_lands_its_metadata_as_typed_columns(tmp_path):
    store = RawStore(tmp_path / "raw")
    _land(store, _record("a", "低保标准每人每月900元。"))
    ((published, chars, attachments, ingested),) = store.query(
        "select typeof(published_at), typeof(text_chars), attachments, typeof(ingested_at) from documents"
    )
    assert (published, chars, attachments, ingested) == ("DATE", "INTEGER", "[]", "TIMESTAMP")


def test_the_current_version_of_each_document_is_kept_as_versions_land(tmp_path):
    store = RawStore(tmp_path / "raw")
    a1, b1 = _record("a", "低保标准每人每月900元。"), _record("b", "养老床位1200张。")
    _land(store, a1, b1)
    a2, a3 = _record("a", "低保标准每人每月950元。"), _record("a", "低保标准每人每月990元。")
    _land(store, a2, a3, b1)  # two new versions of a in one batch, b again: nothing new for b
    assert store.query("select document_key, text from documents_current order by 1") == [
        ("a", a3.parsed.text),
        ("b", b1.parsed.text),
    ]
    window = """select version_id from documents
        qualify row_number() over (partition by document_key order by ingested_at desc, version_id) = 1"""
    assert sorted(store.query(window)) == sorted(store.query("select version_id from current_versions"))


def test_a_raw_layer_from_before_current_versions_gets_them_once(tmp_path):
    """Versions written by older code with current_versions left empty: the migration fills it."""
    db_path = make_old_raw_layer(tmp_path / "raw")
    put_blob = blob_keeper(tmp_path / "raw")
    rows = [document_row(_record(key, text), put_blob) for key, text in (("a", "900元"), ("b", "1200张"))]
    insert_rows(db_path, "documents", rows)
    reopened = RawStore(tmp_path / "raw")
    assert reopened.query("select count(*) from documents_current") == [(2,)]
