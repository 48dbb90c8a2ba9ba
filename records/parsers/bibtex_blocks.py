"""The blocks of a BibTeX text, read a piece at a time: bibtexparser's splitter, with a fast path.

bibtexparser v2's :class:`~bibtexparser.splitter.Splitter` reads the whole text in one call and
steps through it mark by mark (every brace, comma, quote and newline) in Python: about 120 us an
entry, half of what importing a 100k-entry file costs once the mapping is fast. So:

* **Pieces.** The text is cut before the block starts that begin a line (``@article{``). The
  splitter opens a block at such a place whatever came before: outside a block it starts the
  next one; inside an unclosed one it aborts that one (its error recovery) and starts the next.
  So each piece splits into the blocks the whole text splits into, except that a block the cut
  leaves unfinished is reported as failed at the piece's end where the whole text goes on: that
  block starts the next piece instead. This is what lets :func:`read_blocks` stream.
* **Fast path.** A piece holding one plain entry (``@type{key, field = {value}, ...}`` with
  braced, quoted or bare values, nothing after it but whitespace) is read by two regular
  expressions that follow the splitter's rules for exactly that shape: a brace (or quote,
  comma...) after a backslash is no mark, a quote inside braces and a brace inside quotes are
  text, ``{"}`` inside quotes is a quote character, keys and values are the stripped text between
  marks. Anything else (``@string``, comments, ``@`` block marks inside values, a backslash
  outside braces and quotes, syntax errors, braces nested deeper than :data:`MAX_DEPTH`) goes to
  bibtexparser, so the hard cases are read by the library, and the fast path only ever answers
  where both agree (``tests/records/parsers/test_bibtex_blocks.py`` checks that on every fixture
  and on generated entries).

Line numbers follow bibtexparser's count, which skips a newline right after a backslash.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from bibtexparser.exceptions import BlockAbortedException
from bibtexparser.model import (
    Block,
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ParsingFailedBlock,
    String,
)
from bibtexparser.splitter import Splitter


class RawEntry(NamedTuple):
    """An entry as split: lower-cased type, key, fields (key, value) as written (stripped, not
    evaluated), verbatim text, and the 1-based line of its ``@``."""

    entry_type: str
    key: str
    fields: list[tuple[str, str]]
    raw: str
    line: int


class RawString(NamedTuple):
    """An ``@string`` definition as split: its key and value as written (stripped)."""

    key: str
    value: str


class FailedBlock(NamedTuple):
    """A block bibtexparser could not split, with its reason, verbatim text and line."""

    reason: str
    raw: str
    line: int | None


# A block start at the start of a line, found from the newline before it (a literal first
# character makes the search fast); the piece starts after that newline.
_LINE_BLOCK_START_RE = re.compile(r"\n[ \t]*@\w*[ \t]*[{(]")
# Any block mark of the splitter: inside a value it may abort the entry, so the fast path
# leaves an entry with a second one to bibtexparser.
_BLOCK_MARK_RE = re.compile(r"@\w*[ \t]*[{(]")

MAX_DEPTH = 8
# Inside braces: text without braces or backslashes, or backslashes with the brace they escape
# (a brace right after a backslash is no mark for the splitter). Possessive, so that a regex
# can never reread an escaped brace as a real one by backtracking.
_ATOM = r"[^{}\\]++|\\++[{}]?+"


def _braces(depth: int) -> str:
    inner = _ATOM if depth == 0 else f"{_ATOM}|{_braces(depth - 1)}"
    return rf"\{{(?:{inner})*+\}}"


# A quoted value. Inside quotes the splitter counts no braces and ends at the next quote that
# is a mark: not one after a backslash, and not the quote of {"} (its escape for a quote
# character, when anything follows).
_QUOTED = r'"(?:[^"\\{]++|\{"\}(?=[\s\S])|\{|\\++"?+)*+"'
_HEAD_RE = re.compile(r"[ \t]*@(\w+)[ \t]*\{([^{}\",=\n\\@]*),")
# One field: its key up to "=", its value (bare text, braced groups and quoted strings; no
# backslash or "=" outside them) up to the "," or "}" that ends it.
_FIELD_RE = re.compile(
    rf"([^{{}}\",=\\@]*)=((?:[^{{}}\",=\\@]++|{_braces(MAX_DEPTH)}|{_QUOTED})*+)([,}}])"
)
_END_RE = re.compile(r"\s*\}")
_SPECIAL_TYPES = ("comment", "preamble", "string")


def fast_entry(piece: str, line: int) -> RawEntry | None:
    """The plain entry ``piece`` holds, as bibtexparser splits it; ``None`` if it is anything
    else (see the module docstring). ``line`` is the 1-based line the piece starts on."""
    head = _HEAD_RE.match(piece)
    if head is None:
        return None
    entry_type = head.group(1).lower()
    if entry_type.startswith(_SPECIAL_TYPES):
        return None
    at = piece.index("@")
    if piece.find("@", at + 1) >= 0 and _BLOCK_MARK_RE.search(piece, at + 1):
        return None
    fields: list[tuple[str, str]] = []
    pos = head.end()
    while True:
        end = _END_RE.match(piece, pos)
        if end is not None:
            close = end.end()
            break
        field = _FIELD_RE.match(piece, pos)
        if field is None:
            return None
        fields.append((field.group(1).strip(), field.group(2).strip()))
        pos = field.end()
        if field.group(3) == "}":
            close = pos
            break
    rest = piece[close:]
    if rest and not rest.isspace():
        return None
    return RawEntry(entry_type, head.group(2).strip(), fields, piece[at:close], line)


def count_lines(text: str, start: int, end: int) -> int:
    """The newlines in ``text[start:end]`` as bibtexparser counts them (not after a backslash)."""
    return text.count("\n", start, end) - text.count("\\\n", start, end)


def _runs_to_end(block: Block, piece: str) -> bool:
    """Whether the splitter gave up on ``block`` at the end of ``piece`` (its text is the piece
    after a newline it adds, hence the + 1)."""
    error = getattr(block, "error", None)
    return (
        type(block) is ParsingFailedBlock
        and isinstance(error, BlockAbortedException)
        and error.end_index == len(piece) + 1
    )


def _line(start_line: int | None, offset: int) -> int | None:
    """bibtexparser counts lines from 0 (here from the piece's start); people count from 1."""
    return None if start_line is None else start_line + offset + 1


def _why(error: Exception) -> str:
    reason = getattr(error, "abort_reason", None) or str(error) or type(error).__name__
    return " ".join(str(reason).split())


def as_entry(block: Block) -> Entry | None:
    """The entry a block holds: itself, or the one inside a duplicate-key report (kept: BibTeX
    warns about duplicates but reads them)."""
    if isinstance(block, (DuplicateBlockKeyBlock, DuplicateFieldKeyBlock)):
        inner = block.ignore_error_block
        return inner if isinstance(inner, Entry) else None
    return block if isinstance(block, Entry) else None


def converted(
    blocks: list[Block], offset: int, strings: bool = False
) -> Iterator[RawEntry | RawString | FailedBlock]:
    """bibtexparser's blocks as :func:`read_blocks` gives them (``offset``: lines before), with
    the ``@string`` definitions if ``strings`` (a repeated key, reported by bibtexparser as a
    duplicate, is left out as it is by the whole text's split)."""
    for block in blocks:
        if strings and isinstance(block, String):
            yield RawString(block.key, block.value)
            continue
        entry = as_entry(block)
        if entry is not None:
            fields = [(field.key, field.value) for field in entry.fields]
            line = (entry.start_line or 0) + offset + 1
            yield RawEntry(entry.entry_type.lower(), entry.key, fields, entry.raw or "", line)
        elif type(block) is ParsingFailedBlock:
            yield FailedBlock(_why(block.error), block.raw or "", _line(block.start_line, offset))


def cut_points(text: str) -> Iterator[int]:
    """Where ``text`` may be cut into pieces: the starts of lines that start a block."""
    return (m.start() + 1 for m in _LINE_BLOCK_START_RE.finditer(text))


def _entry_reader() -> Callable[[str, int], RawEntry | None]:
    """:func:`fast_entry`, or the native accelerator's reader when it is enabled."""
    from records.parsers.bibtex_native import entry_reader  # late: it builds on this module

    return entry_reader()


def read_blocks(text: str) -> Iterator[RawEntry | FailedBlock]:
    """The entries and failed blocks of ``text`` in order, as bibtexparser splits the whole text
    (``@string``, ``@preamble`` and comments left out), one piece at a time."""
    fast = _entry_reader()
    starts = cut_points(text)
    end_of_text = len(text)
    pos, line, carried = 0, 0, False
    end = next(starts, end_of_text)
    while pos < end_of_text:
        piece = text[pos:end]
        entry = None if carried else fast(piece, line + 1)
        next_pos = end
        if entry is not None:
            yield entry
        else:
            blocks = Splitter(piece).split().blocks
            if end < end_of_text and blocks and _runs_to_end(blocks[-1], piece):
                next_pos = end - len(blocks.pop().raw or "")
            for block in converted(blocks, line):
                if not isinstance(block, RawString):  # not asked for: strings=False
                    yield block
        line += count_lines(text, pos, next_pos)
        carried = next_pos < end
        pos = next_pos
        end = next(starts, end_of_text)


class _Window:
    """A text that comes in pieces, held from the reader's place to as far as it has been read,
    with its cut points (:func:`cut_points`) found as it comes. Offsets are from the start of
    the whole text."""

    def __init__(self, pieces: Iterable[str]) -> None:
        self._pieces = iter(pieces)
        self._text = ""
        self._base = 0  # the offset of _text[0]
        self._scanned = 0  # cut points before this offset are found
        self._cuts: deque[int] = deque()
        self.ended = False

    def _read(self) -> None:
        piece = next(self._pieces, None)
        if piece is None:
            self.ended = True
            limit = len(self._text)
        else:
            self._text += piece
            # A block start is searched from the newline before it and holds no other newline:
            # one that starts before the last newline read is complete; one at it is not yet.
            limit = max(0, self._text.rfind("\n"))
        start = self._scanned - self._base
        if limit > start or self.ended:
            matches = _LINE_BLOCK_START_RE.finditer(self._text, start, limit)
            self._cuts.extend(self._base + m.start() + 1 for m in matches)
            self._scanned = self._base + max(limit, start)

    def next_cut(self, after: int) -> int | None:
        """The first cut point after offset ``after``; ``None`` when there is none (the text
        ends first: then :attr:`ended` is true and :meth:`end` is its length)."""
        while True:
            while self._cuts and self._cuts[0] <= after:
                self._cuts.popleft()
            if self._cuts:
                return self._cuts[0]
            if self.ended:
                return None
            self._read()

    def end(self) -> int:
        return self._base + len(self._text)

    def slice(self, start: int, end: int) -> str:
        return self._text[start - self._base : end - self._base]

    def forget(self, before: int) -> None:
        """Drop the text before offset ``before`` (once there is a piece's worth of it: the
        window is copied each time)."""
        drop = before - self._base
        if drop > 1 << 20 or drop > len(self._text) // 2:
            self._text = self._text[drop:]
            self._base = before


def read_blocks_stream(pieces: Iterable[str]) -> Iterator[RawEntry | FailedBlock]:
    """:func:`read_blocks` of the text ``pieces`` make, read as they come: the same blocks with
    the same lines, holding the text from the block being read to the next cut point only."""
    fast = _entry_reader()
    window = _Window(pieces)
    pos, line, carried = 0, 0, False
    end = window.next_cut(0)
    while True:
        last = end is None
        stop = window.end() if end is None else end
        if pos >= stop:
            break
        piece = window.slice(pos, stop)
        entry = None if carried else fast(piece, line + 1)
        next_pos = stop
        if entry is not None:
            yield entry
        else:
            blocks = Splitter(piece).split().blocks
            if not last and blocks and _runs_to_end(blocks[-1], piece):
                next_pos = stop - len(blocks.pop().raw or "")
            for block in converted(blocks, line):
                if not isinstance(block, RawString):  # not asked for: strings=False
                    yield block
        line += count_lines(piece, 0, next_pos - pos)
        carried = next_pos < stop
        pos = next_pos
        window.forget(pos)
        if end is not None:
            end = window.next_cut(end)


def iter_regions(pieces: Iterable[str]) -> Iterator[tuple[str, int]]:
    """The regions of the text ``pieces`` make (the text between two cut points, as
    :func:`read_regions` reads them), each with the number of lines before it."""
    window = _Window(pieces)
    start, line = 0, 0
    while True:
        end = window.next_cut(start)
        stop = window.end() if end is None else end
        if start >= stop:
            return
        region = window.slice(start, stop)
        yield region, line
        line += count_lines(region, 0, len(region))
        start = stop
        window.forget(start)


def region_blocks(region: str, line: int) -> Iterator[RawEntry | RawString | FailedBlock]:
    """The entries, ``@string`` definitions and failed blocks of one region (see
    :func:`iter_regions`); ``line``: the lines before it."""
    entry = _entry_reader()(region, line + 1)
    if entry is not None:
        yield entry
    else:
        yield from converted(Splitter(region).split().blocks, line, strings=True)


def read_regions(text: str, hits: Iterable[int]) -> Iterator[RawEntry | RawString | FailedBlock]:
    """The entries, ``@string`` definitions and failed blocks around the given offsets
    (ascending), in text order: each from its region, the text between the line-start block
    starts around it, which holds the whole text's blocks (see the module docstring; a block
    left unfinished at a region's end fails in both). This reads the few ``@string`` or
    ``crossref`` places of a file without reading it all."""
    fast = _entry_reader()
    starts = array("q", cut_points(text))
    line, last, previous = 0, 0, -2
    for hit in hits:
        i = bisect_right(starts, hit) - 1
        if i == previous:
            continue
        previous = i
        begin = starts[i] if i >= 0 else 0
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        line += count_lines(text, last, begin)
        last = begin
        piece = text[begin:end]
        entry = fast(piece, line + 1)
        if entry is not None:
            yield entry
        else:
            yield from converted(Splitter(piece).split().blocks, line, strings=True)
