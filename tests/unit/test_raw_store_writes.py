"""A batch of document versions lands in one statement; each row still hears whether it was new."""

from scrapers.parse import parse_content
from warehouse.landing.store import DOCUMENT_COLUMNS, RawStore

TEXT = DOCUMENT_COLUMNS.index("text")


def _row(store: RawStore, key: str, text: str) -> list:
    body = f"发布日期:2025-01-10\n某县民政局2024年工作总结\n{text}".encode()
    parsed, encoding = parse_content(body, name=f"{key}.txt")
    return store.document_row(
        run_id="r", source_id="s", document_key=key, kind="dropped", body=body, parsed=parsed, encoding=encoding
    )


def test_a_version_already_stored_or_earlier_in_the_batch_is_not_added_again(tmp_path):
    store = RawStore(tmp_path / "raw")
    first, second = _row(store, "a", "低保标准每人每月900元。"), _row(store, "b", "养老床位1200张。")
    assert store.write(documents=[first, second, first]) == [True, True, False]
    third = _row(store, "a", "低保标准每人每月950元。")  # a changed text: a new version of the same key
    assert store.write(documents=[second, third]) == [False, True]
    rows = store.query("select document_key, text_chars, published_at from documents order by ingested_at")
    assert [key for key, _, _ in rows] == ["a", "b", "a"]
    assert str(rows[0][2]) == "2025-01-10"


def test_a_batch_lands_its_metadata_as_typed_columns(tmp_path):
    store = RawStore(tmp_path / "raw")
    store.write(documents=[_row(store, "a", "低保标准每人每月900元。")])
    ((published, chars, attachments, ingested),) = store.query(
        "select typeof(published_at), typeof(text_chars), attachments, typeof(ingested_at) from documents"
    )
    assert (published, chars, attachments, ingested) == ("DATE", "INTEGER", "[]", "TIMESTAMP")


def test_the_current_version_of_each_document_is_kept_as_versions_land(tmp_path):
    store = RawStore(tmp_path / "raw")
    a1, b1 = _row(store, "a", "低保标准每人每月900元。"), _row(store, "b", "养老床位1200张。")
    store.write(documents=[a1, b1])
    a2, a3 = _row(store, "a", "低保标准每人每月950元。"), _row(store, "a", "低保标准每人每月990元。")
    store.write(documents=[a2, a3, b1])  # two new versions of a in one batch, b again: nothing new for b
    assert store.query("select document_key, text from documents_current order by 1") == [
        ("a", a3[TEXT]),
        ("b", b1[TEXT]),
    ]
    window = """select version_id from documents
        qualify row_number() over (partition by document_key order by ingested_at desc, version_id) = 1"""
    assert sorted(store.query(window)) == sorted(store.query("select version_id from current_versions"))


def test_a_raw_layer_from_before_current_versions_gets_them_once(tmp_path):
    store = RawStore(tmp_path / "raw")
    store.write(documents=[_row(store, "a", "低保标准每人每月900元。"), _row(store, "b", "养老床位1200张。")])
    with store.connect() as con:
        con.execute("drop view documents_current")
        con.execute("drop table current_versions")
    reopened = RawStore(tmp_path / "raw")
    assert reopened.query("select count(*) from documents_current") == [(2,)]
