"""The record every parser produces: one document's metadata and clean text."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


class ParseError(ValueError):
    """A page or file that cannot become a document; `kind` is a short stable code for the quarantine."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class AttachmentLink:
    url: str
    name: str


@dataclass
class ParsedDocument:
    format: str  # html | docshare | pdf | docx | txt
    text: str
    title: str = ""
    publisher: str = ""
    published_at: str | None = None  # YYYY-MM-DD
    written_at: str | None = None
    index_no: str = ""
    doc_no: str = ""
    column_name: str = ""
    topic: str = ""
    content_source: str = ""
    attachments: list[AttachmentLink] = field(default_factory=list)

    def metadata(self) -> dict:
        values = asdict(self)
        values.pop("text")
        return values
