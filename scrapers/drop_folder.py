"""Dropped files: an analyst's folder of .txt/.html/.pdf/.docx documents, landed in the raw layer
the same way as fetched pages. A sidecar `<stem>.meta.json` (report.pdf → report.meta.json) may
give `url`, `publisher`, `title`, `published_at` (YYYY-MM-DD); otherwise metadata comes from the
text itself. Bad files become quarantine rows with a clear message.

A dropped document is known by its source: the sidecar's url (as a crawled page is, by its source and path:
warehouse/landing/identity.py), else the folder and file name, so the same name in two folders is two
documents. Only regular files are read (a named pipe would hang the drop), and rows are committed at least
every second, so a stuck or killed drop loses nothing landed before it.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import stat
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from scrapers.parse import SUPPORTED_SUFFIXES, ParseError, parse_content
from scrapers.parse.dates import find_date
from warehouse.landing.identity import document_identity
from warehouse.landing.records import DocumentRecord, QuarantineRecord
from warehouse.landing.store import RawStore
from warehouse.landing.writer import RawWriter

log = logging.getLogger(__name__)
SIDECAR_SUFFIX = ".meta.json"
SIDECAR_FIELDS = ("url", "publisher", "title", "published_at")
MAX_FILE_BYTES = 50 * 1024 * 1024
COMMIT_EVERY_SECONDS = 1.0
DISK_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


@dataclass
class DropReport:
    run_id: str
    seen: int = 0
    documents_added: int = 0
    unchanged: int = 0
    quarantined: int = 0
    skipped: list[str] = field(default_factory=list)  # hidden files, sidecars without a document
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        skipped = f", {len(self.skipped)} skipped ({', '.join(self.skipped[:5])})" if self.skipped else ""
        return (
            f"[dropped] {self.seen} files: {self.documents_added} new documents, {self.unchanged} unchanged, "
            f"{self.quarantined} quarantined{skipped}"
        )


class SidecarError(ValueError):
    pass


class DiskFull(OSError):
    """The raw layer's disk filled up during a drop and not even the quarantine row could be written."""


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> dict[str, str]:
    """The metadata a sidecar gives; raises SidecarError when it is not usable."""
    try:
        values = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SidecarError(f"{path.name} is not valid JSON: {exc}") from exc
    if not isinstance(values, dict):
        raise SidecarError(f"{path.name} must hold a JSON object, not {type(values).__name__}")
    wrong = [
        f"{key} is a {type(values[key]).__name__}"
        for key in SIDECAR_FIELDS
        if values.get(key) is not None and not isinstance(values[key], str)
    ]
    if wrong:
        raise SidecarError(f"{path.name}: every field is text ({'; '.join(wrong)})")
    meta = {key: values[key].strip() for key in SIDECAR_FIELDS if values.get(key) not in (None, "")}
    if "published_at" in meta:
        date = find_date(meta["published_at"])
        if date is None:
            raise SidecarError(f"{path.name}: published_at {meta['published_at']!r} is not a YYYY-MM-DD date")
        meta["published_at"] = date
    return meta


def _unsafe(name: str) -> str | None:
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name:
        return "a file name must not contain path separators or NUL"
    if ".." in Path(name).parts:
        return "a file name must not climb out of the folder"
    return None


def candidate_names(folder: Path) -> list[str]:
    return sorted(
        entry.name
        for entry in os.scandir(folder)
        if not entry.name.endswith(SIDECAR_SUFFIX) and not entry.name.startswith(".")
    )


def skipped_names(folder: Path) -> list[str]:
    """What a drop reads no document from: hidden files, and sidecars whose document is not there."""
    names = {entry.name for entry in os.scandir(folder)}
    hidden = [name for name in names if name.startswith(".")]
    orphans = [
        name
        for name in names
        if name.endswith(SIDECAR_SUFFIX)
        and not name.startswith(".")
        and not any(
            other != name and not other.endswith(SIDECAR_SUFFIX) and Path(other).stem + SIDECAR_SUFFIX == name
            for other in names
        )
    ]
    return sorted(hidden + orphans)


class DroppedFiles:
    def __init__(
        self,
        folder: Path | str,
        store: RawStore,
        run_id: str | None = None,
        source_id: str = "dropped",
        progress: Callable[[str], None] | None = None,
    ):
        self.folder = Path(folder).resolve()
        self.store = store
        self.run_id = run_id or uuid.uuid4().hex
        self.source_id = source_id
        self.report = DropReport(self.run_id)
        self.writer = RawWriter(store, batch_size=50)
        self.progress = progress or log.info
        self.last_commit = time.monotonic()

    def key(self, name: str, url: str | None = None) -> str:
        """The document's identity: its url's where the sidecar gives one, else the folder and the name."""
        if not url:
            return f"{self.folder}/{name}"
        try:
            return document_identity(self.source_id, url)
        except ValueError:  # a sidecar's url that names no web document is still the name it gives
            return url

    def _quarantine(
        self, name: str, stage: str, kind: str, error: str, body: bytes | None = None, url: str | None = None
    ) -> None:
        record = QuarantineRecord(self.run_id, self.source_id, self.key(name, url), stage, kind, error, body)
        self._noted_quarantine(name, self.writer.land(record))

    def _noted_quarantine(self, name: str, quarantined: QuarantineRecord) -> None:
        self.report.quarantined += 1
        self.report.problems.append(f"{name}: {quarantined.error_kind}: {quarantined.error}")
        log.warning("[dropped] quarantined %r (%s): %s", name, quarantined.error_kind, quarantined.error)

    def run(self, names: Iterable[str] | None = None) -> DropReport:
        if not self.folder.is_dir():
            raise NotADirectoryError(f"{self.folder} is not a folder")
        if names is None:
            self.report.skipped = skipped_names(self.folder)
        with self.writer:
            for name in candidate_names(self.folder) if names is None else names:
                self.report.seen += 1
                try:
                    self.ingest_one(name)
                except OSError as exc:
                    if exc.errno not in DISK_FULL:
                        self._quarantine(name, "ingest", type(exc).__name__, repr(exc))
                    else:  # not the file's fault, and every file after it would fail the same way: stop here
                        self._quarantine(
                            name,
                            "ingest",
                            "disk_full",
                            f"{name}: the raw layer's disk is full ({exc.strerror}): it and the files after it were"
                            " not landed; free space and drop the folder again",
                        )
                        try:
                            self.writer.flush()  # the row reaches the store now, or the error says it could not
                        except Exception as failed:
                            raise DiskFull(
                                errno.ENOSPC,
                                f"the raw layer's disk is full: {name} and the files after it were not landed, and"
                                f" not even their quarantine row could be written ({failed}); free space and drop"
                                " the folder again",
                            ) from failed
                        break
                except Exception as exc:  # one bad file never stops the others
                    self._quarantine(name, "ingest", type(exc).__name__, repr(exc))
                if time.monotonic() - self.last_commit >= COMMIT_EVERY_SECONDS:
                    self.writer.flush()
                    self.last_commit = time.monotonic()
                if self.report.seen % 50 == 0:
                    self.progress(f"[dropped] {self.report.seen} files read, {self.report.documents_added} parsed")
        self.progress(self.report.summary())
        return self.report

    def ingest_one(self, name: str) -> None:
        if reason := _unsafe(name):
            return self._quarantine(name, "dropped", "unsafe_path", reason)
        path = self.folder / name
        if not path.resolve().is_relative_to(self.folder):
            return self._quarantine(name, "dropped", "unsafe_path", "the file links outside the dropped folder")
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            return self._quarantine(name, "dropped", "unsupported_type", "sub-folders are not read; drop files")
        if not stat.S_ISREG(mode):
            return self._quarantine(
                name, "dropped", "not_a_file", "not a regular file (a pipe, socket or device): it is never opened"
            )
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
            return self._quarantine(
                name,
                "dropped",
                "unsupported_type",
                f"{path.suffix or 'no extension'} is not supported (use {supported})",
            )
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return self._quarantine(name, "dropped", "too_large", f"{size} bytes exceeds {MAX_FILE_BYTES}")
        body = path.read_bytes()
        meta: dict[str, str] = {}
        if sidecar_path(path).exists():
            try:
                meta = read_sidecar(sidecar_path(path))
            except SidecarError as exc:
                # The document still lands, with metadata read from its text; the sidecar waits for a fix.
                self._quarantine(sidecar_path(path).name, "sidecar", "bad_sidecar", str(exc))
        url = meta.get("url")
        try:
            parsed, encoding = parse_content(body, name=name, url=url or "")
        except ParseError as exc:
            return self._quarantine(name, "parse", exc.kind, f"{name}: {exc}", body, url)
        parsed.title = meta.get("title") or parsed.title  # no title is better than the file name: kind rules read it
        parsed.publisher = meta.get("publisher") or parsed.publisher
        parsed.published_at = meta.get("published_at") or parsed.published_at
        record = DocumentRecord(
            run_id=self.run_id,
            source_id=self.source_id,
            document_key=self.key(name, url),
            kind="dropped",
            body=body,
            parsed=parsed,
            url=url,
            file_name=name,
            encoding=encoding,
            context=name,
        )
        if (refused := self.writer.land(record, self._count)) is not None:
            self._noted_quarantine(name, refused)

    def _count(self, added: bool) -> None:
        if added:
            self.report.documents_added += 1
        else:
            self.report.unchanged += 1


def ingest_folder(
    folder: Path | str,
    store: RawStore | None = None,
    run_id: str | None = None,
    names: Iterable[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> DropReport:
    return DroppedFiles(folder, store or RawStore(), run_id, progress=progress).run(names)
