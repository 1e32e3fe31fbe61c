"""Hostile but fair input at landing, and crashes and races around publishing (docs/reliability.md): nothing
lost, nothing doubled, nothing stuck. Each case is one a user met."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import duckdb
import pytest

from scrapers.drop_folder import ingest_folder
from scrapers.parse.attachments import docx_document
from scrapers.parse.errors import ParseError
from warehouse.landing.lock import raw_layer_lock
from warehouse.landing.store import RawStore
from warehouse.locks import Busy, exclusive
from warehouse.settings import REPO_ROOT
from warehouse.transform.dbt import run_dbt

pytestmark = pytest.mark.integration
REPORT = "德清县民政局2024年工作总结\n全县共有养老机构86家,机构床位10635张。\n"


def quarantined(store) -> dict[str, str]:
    return {Path(item).name: kind for item, kind in store.query("select item, error_kind from quarantine_open")}


def landed(store) -> list[tuple]:
    return store.query("select file_name, title, published_at::varchar from documents_current order by file_name")


def sidecar(folder: Path, stem: str, **fields) -> None:
    (folder / f"{stem}.meta.json").write_text(json.dumps(fields, ensure_ascii=False), encoding="utf-8")


# --- 1. a bad sidecar or encoding is quarantined at landing; a corrected one is a new current version ------


def test_a_future_date_is_quarantined_and_the_corrected_sidecar_lands(tmp_path, store):
    (tmp_path / "report.txt").write_text(REPORT, encoding="utf-8")
    sidecar(tmp_path, "report", publisher="某市民政局", published_at="2099-12-31")
    report = ingest_folder(tmp_path, store)
    assert report.documents_added == 0 and quarantined(store) == {"report.txt": "future_date"}
    assert "2099-12-31 is in the future" in report.problems[0]

    sidecar(tmp_path, "report", publisher="某市民政局", published_at="2025-01-20")
    assert ingest_folder(tmp_path, store).documents_added == 1
    assert landed(store) == [("report.txt", "德清县民政局2024年工作总结", "2025-01-20")]
    assert quarantined(store) == {}


def test_a_corrected_title_with_the_same_bytes_is_a_new_current_version(tmp_path, store):
    (tmp_path / "report.txt").write_text(REPORT, encoding="utf-8")
    sidecar(tmp_path, "report", title="错误的标题")
    ingest_folder(tmp_path, store)
    sidecar(tmp_path, "report", title="德清县民政局2024年工作总结")
    assert ingest_folder(tmp_path, store).documents_added == 1
    assert [title for _, title, _ in landed(store)] == ["德清县民政局2024年工作总结"]
    assert store.query("select count(*) from documents") == [(2,)]  # append-only: the old version stays


def test_text_in_an_encoding_no_chinese_document_uses_is_quarantined(tmp_path, store):
    (tmp_path / "latin.txt").write_bytes(
        "Le maire a présenté le budget de la commune pour l année prochaine, avec des dépenses élevées.".encode(
            "latin-1"
        )
    )
    (tmp_path / "garbage.txt").write_bytes(b"\xff\xfe" + bytes(range(256)) * 8)
    (tmp_path / "invisible.txt").write_text("\u200b\u200c\u200d\ufeff" * 50, encoding="utf-8")
    ingest_folder(tmp_path, store)
    assert quarantined(store) == {
        "latin.txt": "bad_encoding",
        "garbage.txt": "bad_encoding",
        "invisible.txt": "no_text",
    }


def test_sidecar_fields_of_the_wrong_type_quarantine_the_sidecar(tmp_path, store):
    (tmp_path / "report.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "report.meta.json").write_text(
        json.dumps({"url": 123, "title": {"zh": "x"}, "publisher": ["a", "b"]}), encoding="utf-8"
    )
    report = ingest_folder(tmp_path, store)
    assert quarantined(store) == {"report.meta.json": "bad_sidecar"}
    assert "url is a int" in report.problems[0] and "publisher is a list" in report.problems[0]
    assert landed(store) == [("report.txt", "德清县民政局2024年工作总结", None)]  # the text's own metadata


def test_hidden_files_and_sidecars_without_a_document_are_reported(tmp_path, store):
    (tmp_path / "report.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    sidecar(tmp_path, "gone", title="没有文件的附注")
    report = ingest_folder(tmp_path, store)
    assert report.skipped == [".DS_Store", "gone.meta.json"]
    assert "2 skipped" in report.summary()


def test_the_quality_gate_judges_current_versions(tmp_path, store):
    """An old version landed before the landing checks (a future date) no longer blocks publishing once a
    corrected version is current."""
    from tests.old_raw_layer import land_unchecked
    from warehouse.landing.records import DocumentRecord, ParsedDocument
    from warehouse.landing.writer import RawWriter
    from warehouse.release.audit import RAW_QUERIES

    bad = ParsedDocument(format="text", text=REPORT, title="t", published_at="2099-12-31")
    good = ParsedDocument(format="text", text=REPORT, title="t", published_at="2025-01-20")
    records = [
        DocumentRecord(
            run_id="r",
            source_id="dropped",
            document_key="k",
            kind="dropped",
            body=REPORT.encode(),
            parsed=parsed,
            file_name="r.txt",
        )
        for parsed in (bad, good)
    ]
    land_unchecked(store, records[0])  # the writer refuses it now
    time.sleep(0.01)
    with RawWriter(store) as writer:
        assert writer.land(records[1]) is None
    con = duckdb.connect()
    con.execute(f"attach '{store.db_path}' as raw (read_only)")
    every_row = RAW_QUERIES["raw_documents"].format(scope="true")
    assert con.execute(every_row).df()["days_published_in_future"].max() <= 0


# --- 3. a named pipe never hangs a drop; a killed drop keeps what it landed ------------------------------


@pytest.mark.timeout(60)
def test_a_named_pipe_is_quarantined_and_never_opened(tmp_path, store):
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    os.mkfifo(tmp_path / "b.txt")
    (tmp_path / "c.txt").write_text(REPORT.replace("86家", "87家"), encoding="utf-8")
    report = ingest_folder(tmp_path, store)
    assert report.documents_added == 2 and quarantined(store) == {"b.txt": "not_a_file"}


def test_a_killed_drop_keeps_every_document_it_had_landed(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(300):
        (docs / f"r{n:03d}.txt").write_text(REPORT.replace("86家", f"{n}家"), encoding="utf-8")
    script = (
        "import sys, time\n"
        "import scrapers.drop_folder as dropped\n"
        "slow = dropped.parse_content\n"
        "def parse(*args, **kwargs):\n"
        "    time.sleep(0.05)\n"
        "    return slow(*args, **kwargs)\n"
        "dropped.parse_content = parse\n"
        "dropped.COMMIT_EVERY_SECONDS = 0.2\n"
        "from warehouse.landing.store import RawStore\n"
        f"dropped.ingest_folder({str(docs)!r}, RawStore({str(tmp_path / 'raw')!r}))\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script], cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    )
    time.sleep(6)
    process.send_signal(signal.SIGKILL)
    process.wait()
    kept = RawStore(tmp_path / "raw").query("select count(*) from documents")[0][0]
    assert 0 < kept < 300  # what was read more than a commit interval before the kill is there


# --- 4. archives and PDFs have limits ----------------------------------------------------------------------


def _docx(document_xml: bytes | None = None, extra: dict[str, bytes] | None = None) -> bytes:
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("全市共有养老机构86家。")
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml" and document_xml is not None:
                data = data.replace(b"<w:body>", b"<w:body>" + document_xml)
            target.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def test_archives_that_unpack_to_too_much_are_refused_at_once(tmp_path, store):
    bomb = _docx(extra={"word/media/zeros.bin": b"\0" * (300 * 1024 * 1024)})
    paragraphs = _docx(document_xml=b"<w:p/>" * 10_000_000)
    assert len(bomb) < 2_000_000 and len(paragraphs) < 200_000
    for body in (bomb, paragraphs):
        started = time.monotonic()
        with pytest.raises(ParseError) as refused:
            docx_document(body)
        assert refused.value.kind == "archive_limits" and time.monotonic() - started < 2
    (tmp_path / "bomb.docx").write_bytes(bomb)
    (tmp_path / "good.docx").write_bytes(_docx())
    ingest_folder(tmp_path, store)
    assert quarantined(store) == {"bomb.docx": "archive_limits"}
    assert [name for name, _, _ in landed(store)] == ["good.docx"]


# --- 5/6. the same name from two folders stays two documents; the same text is one ------------------------


def test_same_named_files_from_two_folders_are_two_documents(tmp_path, store):
    for folder, beds in (("city", "86家"), ("county", "12家")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "2024年工作总结.txt").write_text(REPORT.replace("86家", beds), encoding="utf-8")
        ingest_folder(tmp_path / folder, store)
    assert store.query("select count(*), count(distinct document_key) from documents_current") == [(2, 2)]


def test_identical_text_under_two_names_has_its_facts_once(tmp_path):
    """The report lands once, later a copy under another name: the fact table holds its facts once, as the
    first one's, and dim_document links the copy to it."""
    docs = tmp_path / "docs"
    docs.mkdir()
    seed = (REPO_ROOT / "data" / "seeds" / "000_c62b87d9ede609d7.txt").read_bytes()
    store = RawStore(tmp_path / "raw")
    (docs / "original.txt").write_bytes(seed)
    ingest_folder(docs, store)
    (docs / "copy.txt").write_bytes(seed)
    assert ingest_folder(docs, store).documents_added == 1
    built = run_dbt(["build", "--exclude", "test_type:data"], tmp_path / "raw", tmp_path / "w.duckdb", tmp_path)
    assert built.returncode == 0, built.stdout[-3000:]
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    facts = con.execute("select document, count(*) from marts.indicator_facts group by 1").fetchall()
    links = dict(
        con.execute(
            "select d.document, c.document from marts.dim_document as d inner join "
            "marts.dim_document as c on c.document_id = d.canonical_document_id"
        ).fetchall()
    )
    con.close()
    assert len(facts) == 1 and facts[0][0] == "original.txt" and facts[0][1] > 10
    assert links == {"original.txt": "original.txt", "copy.txt": "original.txt"}


# --- 7. arguments never reach a shell --------------------------------------------------------------------


def test_make_facts_takes_a_hostile_folder_name_as_a_name(tmp_path):
    docs = tmp_path / "x `touch BACKTICK` $(touch DOLLAR) ; touch SEMI"
    docs.mkdir()
    (docs / "report.txt").write_text(REPORT, encoding="utf-8")
    out = tmp_path / "out $(touch OUT).jsonl"
    result = subprocess.run(
        ["make", "--no-print-directory", "-s", "facts", f"DOCS={docs}", f"OUT={out}"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert out.exists() and "elderly_institutions" in out.read_text(encoding="utf-8")
    for planted in ("BACKTICK", "DOLLAR", "SEMI", "OUT"):
        assert not (REPO_ROOT / planted).exists() and not (tmp_path / planted).exists()


# --- 9. one writer at a time, with a clear message -------------------------------------------------------


def test_a_drop_during_a_build_waits_and_then_names_the_build(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "report.txt").write_text(REPORT, encoding="utf-8")
    store = RawStore(tmp_path / "raw", lock_timeout=1)
    holding, release = threading.Event(), threading.Event()

    def build():
        with raw_layer_lock(tmp_path / "raw"):
            holding.set()
            release.wait(10)

    builder = threading.Thread(target=build)
    builder.start()
    holding.wait(5)
    try:
        with pytest.raises(Busy, match=rf"pid {os.getpid()}"):
            ingest_folder(tmp_path / "docs", store)
    finally:
        release.set()
        builder.join()
    assert ingest_folder(tmp_path / "docs", store).documents_added == 1  # and lands once the build is done


def test_the_lock_names_its_holder_and_frees_on_exit(tmp_path):
    lock = tmp_path / "x.lock"
    with exclusive(lock, "publishing", timeout=1):
        with pytest.raises(Busy, match="publishing: another process"):
            with exclusive(lock, "publishing", timeout=0.2):
                pass
    with exclusive(lock, "publishing", timeout=0.2):
        pass


# --- issue 34: a date before the People's Republic is no publication date of a civil-affairs bureau ---------


def test_a_date_before_1949_10_01_is_quarantined_implausible_date(tmp_path, store):
    (tmp_path / "report.txt").write_text(REPORT, encoding="utf-8")
    sidecar(tmp_path, "report", publisher="某市民政局", published_at="1900-01-01")
    report = ingest_folder(tmp_path, store)
    assert report.documents_added == 0 and quarantined(store) == {"report.txt": "implausible_date"}
    assert "1900-01-01 is before 1949-10-01" in report.problems[0]

    sidecar(tmp_path, "report", publisher="某市民政局", published_at="1949-10-01")  # the first day is plausible
    assert ingest_folder(tmp_path, store).documents_added == 1
    assert quarantined(store) == {}


def test_a_drop_during_a_build_lands_at_once(tmp_path):
    """Issue 34 item 8: a build reads a snapshot of the raw layer, so a drop lands while dbt runs (it waited for
    the whole build, longer than a writer waits at national scale)."""
    (tmp_path / "seed").mkdir()
    (tmp_path / "seed" / "seed.txt").write_text(REPORT, encoding="utf-8")
    raw = tmp_path / "raw"
    ingest_folder(tmp_path / "seed", RawStore(raw))
    warehouse = tmp_path / "build" / "warehouse.duckdb"
    build = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "warehouse.transform.dbt",
            "build",
            "-s",
            "+int_segments_split",
            "--exclude",
            "resource_type:test",
        ],
        env={
            **os.environ,
            "PYTHONPATH": str(REPO_ROOT),
            "MINZHENG_RAW_DIR": str(raw),
            "MINZHENG_WAREHOUSE": str(warehouse),
        },
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        while not warehouse.exists() and build.poll() is None:  # dbt has attached the raw layer it reads
            time.sleep(0.1)
        assert build.poll() is None, build.stderr.read()
        (tmp_path / "docs").mkdir()
        (tmp_path / "docs" / "new.txt").write_text("某县民政局2025年工作要点\n养老床位1200张。\n", encoding="utf-8")
        assert ingest_folder(tmp_path / "docs", RawStore(raw, lock_timeout=2)).documents_added == 1
        assert build.poll() is None  # landed while the build was still running
    finally:
        assert build.wait(300) == 0, build.stderr.read()
