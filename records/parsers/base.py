"""What every parser is: a name, a sniffer that scores content, and a reader."""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from functools import cache
from importlib import resources
from typing import Any, ClassVar

from records.model import Failure, ParseResult


class Parser(ABC):
    """One input format or page layout.

    ``sniff`` returns a confidence in [0, 1] that ``text`` is in this format, from content alone
    (never the file name). ``parse`` reads every record in it; a malformed record becomes a
    :class:`~records.model.Failure` in the result while the others are still read.
    """

    name: ClassVar[str]
    label: ClassVar[str]
    aliases: ClassVar[tuple[str, ...]] = ()
    # A layout of one record's web page (not a list, not an export): a record read from a page
    # fetched from an http(s) address gets that address as its ``URL`` when the page gave none.
    page: ClassVar[bool] = False

    @abstractmethod
    def sniff(self, text: str) -> float: ...

    @abstractmethod
    def parse(self, text: str, origin: str) -> ParseResult: ...


SNIFF_WINDOW = 200_000


def head(text: str, lines: int) -> list[str]:
    """The first ``lines`` lines of the input's first 200 kB: what sniffers look at.

    Sniffers run on every input, also on a 100k-record export in another format, so they never
    split or scan the whole text.
    """
    return text[:SNIFF_WINDOW].splitlines()[:lines]


_MARKUP = re.compile(r"^\s*(?:\ufeff)?<[!?A-Za-z]")


def is_markup(text: str) -> bool:
    """HTML or XML source: the text-layout parsers leave it to the markup parsers."""
    return bool(_MARKUP.match(text[:1000]))


@cache
def catalog_labels() -> dict[str, Any]:
    """Field labels and page chrome of catalog and publisher record views, in 21 UI languages."""
    data = (
        resources.files("records.parsers").joinpath("data/catalog_labels.json").read_text("utf-8")
    )
    return json.loads(data)


def require_titles(result: ParseResult, origin: str, label: str) -> ParseResult:
    """Page records without a title become failures: a page layout always shows the title,
    so a record without one means the text was not that layout (or was cut off)."""
    kept = []
    for record in result.records:
        if str(record.csl.get("title") or "").strip():
            kept.append(record)
        else:
            result.failures.append(
                Failure(
                    origin,
                    f"no title found (read as {label})",
                    record=record.source.position,
                    line=record.source.line,
                )
            )
    result.records = kept
    return result


def split_paragraphs(lines: list[str]) -> list[str]:
    """Blank-line separated paragraphs of copied page text, each with its lines kept (a heading
    alone on its line, "Hintergrund", is structure the abstract reader uses)."""
    out: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            out.append("\n".join(current))
            current = []
    return out
