"""What every parser is: a name, a sniffer that scores content, and a reader."""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from importlib import resources
from typing import Any, ClassVar

from records.model import Failure, ParseResult, Record
from records.normalize.plausibility import is_placeholder
from records.normalize.record import normalize_title

# Records per batch of Parser.iter_parse when the caller does not say.
DEFAULT_BATCH = 1000


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

    def iter_parse(
        self, text: str, origin: str, batch: int = DEFAULT_BATCH
    ) -> Iterator[ParseResult]:
        """The records (and failures) of ``text`` in batches of about ``batch``, in input order.

        This default reads the whole input and yields it as one batch: right for page layouts,
        XML and MARC, whose inputs are small or whose libraries read them whole. Formats that
        arrive as 100k-record exports derive from :class:`StreamingParser` instead.
        """
        result = self.parse(text, origin)
        if result.records or result.failures:
            yield result


class StreamingParser(Parser):
    """A parser that reads its input record by record.

    Subclasses write :meth:`read`, a generator of records and failures in input order; both
    :meth:`parse` (everything) and :meth:`iter_parse` (batches) are made from it, so the two
    cannot disagree, and a batch's memory is the batch's, not the file's.
    """

    # Whether :meth:`read_pieces` reads the text a piece at a time (else it joins the pieces).
    streams: ClassVar[bool] = False

    @abstractmethod
    def read(self, text: str, origin: str) -> Iterator[Record | Failure]: ...

    def read_pieces(
        self, pieces: Callable[[], Iterator[str]], origin: str
    ) -> Iterator[Record | Failure]:
        """:meth:`read` of the text ``pieces()`` yields in order (each call a fresh pass from
        the start): the same records and failures at the same places. Readers that can
        read as the text comes override this and set :attr:`streams`."""
        return self.read("".join(pieces()), origin)

    def parse(self, text: str, origin: str) -> ParseResult:
        return collect(self.read(text, origin))

    def iter_parse(
        self, text: str, origin: str, batch: int = DEFAULT_BATCH
    ) -> Iterator[ParseResult]:
        return batches(self.read(text, origin), batch)


def collect(items: Iterable[Record | Failure]) -> ParseResult:
    """One result holding all the records and failures."""
    result = ParseResult()
    for item in items:
        if isinstance(item, Record):
            result.records.append(item)
        else:
            result.failures.append(item)
    return result


def one_per_line(
    text: str, origin: str, read: Callable[[str, int, int], Record | str]
) -> ParseResult:
    """Inputs with one record per non-blank line (DOI lists, reference strings):
    ``read(line, position, line_number)`` gives the line's record, or why it is none (a
    failure at that record and line; the other lines are still read)."""
    result = ParseResult()
    position = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        position += 1
        got = read(line, position, number)
        if isinstance(got, Record):
            result.records.append(got)
        else:
            result.failures.append(Failure(origin, got, record=position, line=number))
    return result


def batches(items: Iterable[Record | Failure], size: int) -> Iterator[ParseResult]:
    """Records and failures grouped into results of ``size`` items (the last one smaller)."""
    size = max(1, size)
    result, count = ParseResult(), 0
    for item in items:
        if isinstance(item, Record):
            result.records.append(item)
        else:
            result.failures.append(item)
        count += 1
        if count >= size:
            yield result
            result, count = ParseResult(), 0
    if count:
        yield result


def iter_lines(text: str, chunk: int = 1 << 18) -> Iterator[str]:
    r"""``text.splitlines()`` one piece of about ``chunk`` characters at a time, so that a
    200 MB export is never held as a list of millions of lines (nor copied whole).

    Pieces end right after a ``\n``, which always ends a line (also in ``\r\n``), so the lines
    are exactly those of ``text.splitlines()``.
    """
    start, end_of_text = 0, len(text)
    while start < end_of_text:
        end = text.find("\n", start + chunk)
        end = end_of_text if end < 0 else end + 1
        yield from text[start:end].splitlines()
        start = end


def piece_lines(pieces: Iterable[str]) -> Iterator[str]:
    r"""The lines of the text ``pieces`` make, as ``"".join(pieces).splitlines()`` gives them,
    without joining them: text is split up to the last ``\n`` read (which always ends a line,
    also in ``\r\n``), the rest waits for the next piece."""
    pending: list[str] = []
    for piece in pieces:
        cut = piece.rfind("\n") + 1
        if not cut:
            pending.append(piece)
            continue
        if pending:
            pending.append(piece[:cut])
            yield from "".join(pending).splitlines()
            pending = []
        else:
            yield from piece[:cut].splitlines()
        if cut < len(piece):
            pending.append(piece[cut:])
    if pending:
        yield from "".join(pending).splitlines()


def without_bom(pieces: Iterable[str], strip_all: bool = False) -> Iterator[str]:
    """The pieces of a text without its leading byte order mark (``text[1:]`` when it starts
    with one; every leading one with ``strip_all``, as ``text.lstrip("\ufeff")``)."""
    leading = True
    for piece in pieces:
        if leading:
            if strip_all:
                piece = piece.lstrip("\ufeff")
                if not piece:
                    continue
            elif piece:
                piece = piece.removeprefix("\ufeff")
            else:
                continue
            leading = False
        yield piece


SNIFF_WINDOW = 200_000


def head(text: str, lines: int) -> list[str]:
    """The first ``lines`` lines of the input's first 200 kB: what sniffers look at.

    Sniffers run on every input, also on a 100k-record export in another format, so they never
    split or scan the whole text.
    """
    return text[:SNIFF_WINDOW].splitlines()[:lines]


def stripped_head(text: str, chars: str, size: int) -> str:
    """``text.lstrip(chars)[:size]`` without copying the whole text first (``lstrip`` does
    when there is something to strip, and sniffers see 200 MB exports)."""
    offset = 0
    while True:
        piece = text[offset : offset + 65536]
        rest = piece.lstrip(chars)
        if rest or not piece:
            break
        offset += len(piece)
    start = offset + len(piece) - len(rest)
    return text[start : start + size]


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
    labels: dict[str, Any] = json.loads(data)
    return labels


def require_titles(result: ParseResult, origin: str, label: str) -> ParseResult:
    """Page records without a title become failures: a page layout always shows the title,
    so a record without one means the text was not that layout (or was cut off)."""
    kept = []
    for record in result.records:
        # As normalization and the plausibility check will leave it: a title of markup alone
        # ("<A>") or a placeholder ("NONE", "n/a") is no title.
        title = record.csl.get("title")
        text = normalize_title(title).strip() if isinstance(title, str) else ""
        if text and not is_placeholder(text):
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
