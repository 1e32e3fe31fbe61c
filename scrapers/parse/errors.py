"""What a parser raises for a page or file that cannot become a document."""

from __future__ import annotations


class ParseError(ValueError):
    """A page or file that cannot become a document; `kind` is a short stable code for the quarantine."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
