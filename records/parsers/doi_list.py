"""A list of DOIs, one per line (``10.1007/…``, ``doi:10.1007/…``, ``https://doi.org/10.1007/…``).

Each DOI becomes a record that holds only its DOI; enrichment (Crossref) fills in the rest.
This is also how ``harvester add 10.1007/s11154-017-9431-2`` reads a DOI typed as an argument.
"""

from __future__ import annotations

import re

from records.identifiers import normalize_doi
from records.model import ParseResult, Record, SourceRef
from records.parsers.base import Parser, head, one_per_line

_DOI_LINE = re.compile(
    r"^\s*(?:doi\s*:?\s*|https?://(?:dx\.)?doi\.org/)?10\.\d{4,9}/\S+\s*$", re.IGNORECASE
)


class DOIListParser(Parser):
    name = "doi"
    label = "DOIs, one per line"
    aliases = ("dois", "doi-list")

    def sniff(self, text: str) -> float:
        lines = [line for line in head(text, 200) if line.strip()]
        if not lines:
            return 0.0
        return 0.95 if all(_DOI_LINE.match(line) for line in lines) else 0.0

    def parse(self, text: str, origin: str) -> ParseResult:
        def read(line: str, position: int, number: int) -> Record | str:
            doi = normalize_doi(line) if _DOI_LINE.match(line) else None
            if doi is None:
                return f"not a DOI: {line.strip()[:60]!r}"
            return Record(
                csl={"DOI": doi},
                source=SourceRef(self.name, origin, doi, position, number),
                raw=line.strip(),
            )

        return one_per_line(text, origin, read)
