"""CSL-JSON and CSL-YAML -> records.

CSL-JSON is the record model's own shape, so reading it is mostly validation: an array of items
or one item; each item's ``id`` kept; names given as strings parsed; numbers made strings;
``{"raw": "2014-07"}`` and plain-string dates read; an unknown ``type`` mapped through the type
table (or ``document``); keys that are no CSL variables dropped (CSL is the model's contract).
A non-object element is a failure, the other items still import. Array elements are decoded one
by one with :meth:`json.JSONDecoder.raw_decode`, so each record keeps its verbatim text and line.
A top-level array is read as the text comes (:class:`_ArrayStream`): a million-item export is
held an item at a time, not whole (no JSON library here decodes an array's elements
incrementally and gives each one's verbatim text and offset, which the records keep).

CSL-YAML (pandoc's ``references:`` metadata, or a bare list) is read with PyYAML's *safe*
loader only; no tags, no object construction.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

import yaml

from records.model import CSLItem, Failure, ParseResult, Record, SourceRef
from records.normalize.dates import parse_date
from records.normalize.names import parse_name
from records.normalize.types import normalize_type
from records.parsers.base import Parser, StreamingParser, collect, stripped_head

CSL_TYPES = frozenset(
    """article article-journal article-magazine article-newspaper bill book broadcast chapter
    classic collection dataset document entry entry-dictionary entry-encyclopedia event figure
    graphic hearing interview legal_case legislation manuscript map motion_picture musical_score
    pamphlet paper-conference patent performance periodical personal_communication post
    post-weblog regulation report review review-book software song speech standard thesis
    treaty webpage""".split()
)
NAME_VARIABLES = frozenset(
    """author chair collection-editor compiler composer container-author contributor curator
    director editor editorial-director editor-translator executive-producer guest host
    illustrator interviewer narrator organizer original-author performer producer recipient
    reviewed-author script-writer series-creator translator""".split()
)
DATE_VARIABLES = frozenset(
    "accessed available-date event-date issued original-date submitted".split()
)
TEXT_VARIABLES = frozenset(
    """abstract annote archive archive_collection archive_location archive-place authority
    call-number chapter-number citation-key citation-label collection-number collection-title
    collection-title-short container-title container-title-short dimensions division DOI
    edition event event-place event-title first-reference-note-number genre ISBN ISSN issue
    jurisdiction keyword language license locator medium note number number-of-pages
    number-of-volumes original-publisher original-publisher-place original-title page
    page-first part-number part-title PMCID PMID printing publisher publisher-place references
    reviewed-genre reviewed-title scale section source status supplement-number title
    title-short URL version volume volume-title volume-title-short year-suffix""".split()
)
_JSON_START_RE = re.compile(r'^\s*(?:\[\s*)?\{\s*"([A-Za-z-]+)"\s*:')
_YAML_START_RE = re.compile(
    r"^(?:---[ \t]*\n)?(?:references:[ \t]*\n)?[ \t]*- +(?:id|type|title|author|issued)\s*:",
)
# Keys a CSL item starts with in real exports (Zotero, citation-js, pandoc, Better BibTeX,
# manubot). "status" is a CSL variable too, but it is how a Crossref API response starts.
_ITEM_STARTS = frozenset(
    """id type title author editor issued DOI citation-key container-title URL ISSN ISBN
    abstract page volume issue language publisher note accessed source PMID""".split()
)
_DECODER = json.JSONDecoder()
_TOO_DEEP = "invalid JSON: nested too deeply to be a CSL item"
_KINDS = {
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    list: "an array",
    type(None): "null",
}


def _name(value: Any) -> dict[str, str] | None:
    if isinstance(value, str):
        return parse_name(value) or None
    if isinstance(value, dict):
        name = {k: str(v) for k, v in value.items() if isinstance(v, (str, int)) and str(v)}
        return name or None
    return None


def _date(value: Any) -> dict[str, Any] | None:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return {"date-parts": [[value.year, value.month, value.day]]}
    if isinstance(value, (str, int)):
        return parse_date(str(value))
    if not isinstance(value, dict):
        return None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts:
        clean = []
        for part in parts:
            if not isinstance(part, list):
                return None
            try:
                numbers = [int(p) for p in part if str(p).strip()]
            except (TypeError, ValueError):
                return None
            if numbers:
                clean.append(numbers)
        if clean:
            out: dict[str, Any] = {"date-parts": clean}
            if value.get("circa"):
                out["circa"] = value["circa"]
            return out
    for key in ("raw", "literal"):
        if isinstance(value.get(key), str):
            parsed = parse_date(value[key])
            return parsed or ({"literal": value[key]} if key == "literal" else None)
    return None


def item_to_csl(item: dict[str, Any]) -> tuple[CSLItem, dict[str, str]]:
    """A validated CSL item and what was changed (``original``)."""
    csl: CSLItem = {}
    original: dict[str, str] = {}
    for key, value in item.items():
        if value is None:
            continue
        if key == "type":
            text = str(value)
            if text in CSL_TYPES:
                csl["type"] = text
            else:
                csl["type"] = normalize_type(text.replace("_", " ").replace("-", " ")) or "document"
                original["type"] = text
        elif key in NAME_VARIABLES:
            names = value if isinstance(value, list) else [value]
            parsed = [n for n in (_name(v) for v in names) if n]
            if parsed:
                csl[key] = parsed
        elif key in DATE_VARIABLES:
            date = _date(value)
            if date:
                csl[key] = date
        elif key in TEXT_VARIABLES:
            if isinstance(value, list):  # keyword lists, several ISSNs
                value = ", ".join(str(v) for v in value if v not in (None, ""))
            elif isinstance(value, (dict, bool)):
                continue
            csl[key] = str(value)
    return csl, original


class _JSONError(NamedTuple):
    """Where the JSON stopped being readable: the last thing :func:`_json_items` yields."""

    message: str
    offset: int


def _json_items(text: str) -> Iterator[tuple[int, Any, str] | _JSONError]:
    """(offset, value, raw) for each top-level item, then a :class:`_JSONError` if any."""
    i = 0
    n = len(text)
    while i < n and text[i] in " \t\r\n\ufeff":
        i += 1
    if i < n and text[i] == "{":
        try:
            value, end = _DECODER.raw_decode(text, i)
        except json.JSONDecodeError as exc:
            yield _JSONError(f"invalid JSON: {exc.msg}", exc.pos)
            return
        except RecursionError:
            yield _JSONError(_TOO_DEEP, i)
            return
        if isinstance(value, dict) and not ({"id", "type", "title"} & value.keys()):
            for key in ("items", "references"):
                if isinstance(value.get(key), list):
                    for v in value[key]:
                        yield i, v, json.dumps(v, ensure_ascii=False)
                    return
        yield i, value, text[i:end]
        return
    if i >= n or text[i] != "[":
        yield _JSONError("not CSL-JSON: expected an array or an object", i)
        return
    i += 1
    while True:
        while i < n and text[i] in " \t\r\n,":
            i += 1
        if i >= n:
            yield _JSONError("invalid JSON: the array is not closed", n)
            return
        if text[i] == "]":
            return
        try:
            value, end = _DECODER.raw_decode(text, i)
        except json.JSONDecodeError as exc:
            yield _JSONError(f"invalid JSON: {exc.msg}; the rest of the file was not read", exc.pos)
            return
        except RecursionError:  # arrays in arrays 100,000 deep: the decoder recurses
            yield _JSONError(_TOO_DEEP + "; the rest of the file was not read", i)
            return
        yield i, value, text[i:end]
        i = end


class _ArrayStream:
    """:func:`_json_items` of a top-level array whose text comes in pieces: the same items,
    offsets and errors, holding the text of the item being read (and the rest of its piece)
    rather than the file.

    An element that does not decode may only be cut by the end of what was read so far: more
    text is read and it is decoded again, and only at the end of the text is the error the
    file's. Each retry at least doubles what is held, so a file broken early costs linear
    time (and is then held whole, as the whole-text reader holds it). A value that ends within
    two characters of what was read may go on ("1." + "5", "1e" + "+5"): it is decoded again
    with more text too.
    """

    def __init__(self, pieces: Iterator[str]) -> None:
        self._pieces = pieces
        self._more = True
        self.buf = ""
        self.base = 0  # offset of buf[0] in the whole text
        # The line at buf[_mark]: lines are counted from the last place asked for (offsets
        # only move forward), not from the piece's start, which was quadratic in a piece.
        self._line = 1
        self._mark = 0

    def read_more(self, i: int, at_least: int = 1) -> tuple[int, bool]:
        """Forget the text before ``i`` (an index into ``buf``) and append at least
        ``at_least`` characters: ``i``'s new index, and False if the text had ended."""
        if not self._more:
            return i, False
        self._line += self.buf.count("\n", self._mark, i)
        self._mark = 0
        parts, size = [self.buf[i:]], 0
        self.base += i
        while size < at_least:
            piece = next(self._pieces, None)
            if piece is None:
                self._more = False
                break
            parts.append(piece)
            size += len(piece)
        self.buf = "".join(parts)
        return 0, size > 0

    def line_at(self, i: int) -> int:
        """The line of ``buf[i]``; ``i`` at or after the last one asked for."""
        self._line += self.buf.count("\n", self._mark, i)
        self._mark = i
        return self._line

    def skip(self, i: int, blanks: str) -> int:
        """The index of the first character not in ``blanks`` from ``i``, reading more text as
        needed; ``len(buf)`` at the end of the text."""
        while True:
            while i < len(self.buf) and self.buf[i] in blanks:
                i += 1
            if i < len(self.buf):
                return i
            i, more = self.read_more(i)
            if not more:
                return i

    def items(self, i: int) -> Iterator[tuple[int, Any, str] | _JSONError]:
        """(line, value, raw) for each element after the ``[`` at ``buf[i - 1]``."""
        while True:
            i = self.skip(i, " \t\r\n,")
            if i >= len(self.buf):
                yield _JSONError("invalid JSON: the array is not closed", self.base + i)
                return
            if self.buf[i] == "]":
                return
            try:
                value, end = _DECODER.raw_decode(self.buf, i)
            except json.JSONDecodeError as exc:
                at = exc.pos - i
                i, more = self.read_more(i, len(self.buf) - i + 1)
                if more:
                    continue
                yield _JSONError(
                    f"invalid JSON: {exc.msg}; the rest of the file was not read",
                    self.base + i + at,
                )
                return
            except RecursionError:  # arrays in arrays 100,000 deep: the decoder recurses
                yield _JSONError(_TOO_DEEP + "; the rest of the file was not read", self.base + i)
                return
            if len(self.buf) - end < 3 and self._more:
                i, _ = self.read_more(i)
                continue
            yield self.line_at(i), value, self.buf[i:end]
            i = end


def _stream_items(pieces: Callable[[], Iterator[str]]) -> tuple[_ArrayStream, int] | None:
    """The array stream and the index after its ``[``, or None when the text is no array."""
    stream = _ArrayStream(pieces())
    i = stream.skip(0, " \t\r\n\ufeff")
    if i >= len(stream.buf) or stream.buf[i] != "[":
        return None
    return stream, i + 1


def _with_lines(
    text: str, items: Iterable[tuple[int, Any, str] | _JSONError]
) -> Iterator[tuple[int, Any, str] | _JSONError]:
    """(line, value, raw) for (offset, value, raw), offsets ascending: each stretch of text is
    counted once (counting from the start for every item was quadratic); an error as it is."""
    line, last = 1, 0
    for item in items:
        if isinstance(item, _JSONError):
            yield item
            continue
        offset, value, raw = item
        line += text.count("\n", last, offset)
        last = offset
        yield line, value, raw


def _read_json_items(
    format_name: str,
    origin: str,
    found: Iterable[tuple[int, Any, str] | _JSONError],
    line_of: Callable[[int], int],
) -> Iterator[Record | Failure]:
    """The records of ``found``'s (line, value, raw) items, then a failure where the JSON
    stopped being readable, at the line ``line_of`` gives for its offset."""
    errors: list[_JSONError] = []

    def items() -> Iterator[tuple[int, Any, str]]:
        for item in found:
            if isinstance(item, _JSONError):
                errors.append(item)
            else:
                yield item

    count = 0
    for record in _read_items(format_name, origin, items()):
        count += 1
        yield record
    for error in errors:
        yield Failure(origin, error.message, record=count + 1, line=line_of(error.offset))


class CSLJSONParser(StreamingParser):
    name = "csl-json"
    label = "CSL-JSON"
    aliases = ("csljson", "json")

    def sniff(self, text: str) -> float:
        match = _JSON_START_RE.match(stripped_head(text, "\ufeff", 2000))
        if not match:
            return 0.0
        # The first key must be a CSL variable: other JSON (a Crossref API response starts
        # with "status") is not CSL-JSON, though it may hold titles and types further in.
        return 0.95 if match.group(1) in _ITEM_STARTS else 0.0

    def read(self, text: str, origin: str) -> Iterator[Record | Failure]:
        """Items are decoded one at a time, so only the batch being read is held; an input
        that is one object (or ``{"items": [...]}``) is decoded whole."""
        return _read_json_items(
            self.name,
            origin,
            _with_lines(text, _json_items(text)),
            lambda offset: text.count("\n", 0, offset) + 1,
        )

    streams = True

    def read_pieces(
        self, pieces: Callable[[], Iterator[str]], origin: str
    ) -> Iterator[Record | Failure]:
        """:meth:`read` of a text read in pieces: an array's items as the text comes; one
        object (or ``{"items": [...]}``) or what is no JSON is read whole."""
        found = _stream_items(pieces)
        if found is None:
            return self.read("".join(pieces()), origin)
        stream, start = found
        # The stream stops at an error: its text is still held when its line is asked for.
        return _read_json_items(
            self.name,
            origin,
            stream.items(start),
            lambda offset: stream.line_at(offset - stream.base),
        )


class CSLYAMLParser(Parser):
    name = "csl-yaml"
    label = "CSL-YAML"
    aliases = ("yaml",)

    def sniff(self, text: str) -> float:
        return 0.9 if _YAML_START_RE.match(stripped_head(text, "\ufeff", 2000)) else 0.0

    def parse(self, text: str, origin: str) -> ParseResult:
        try:
            # The reader checks every character up front (ReaderError on a control character).
            loader = yaml.SafeLoader(text)
        except yaml.YAMLError as exc:
            return ParseResult(failures=[_yaml_failure(origin, exc, text)])
        try:
            root = loader.get_single_node()
            if isinstance(root, yaml.MappingNode):  # pandoc metadata: references: [...]
                root = next(
                    (v for k, v in root.value if getattr(k, "value", None) == "references"), root
                )
            nodes: list[yaml.Node] = (
                root.value if isinstance(root, yaml.SequenceNode) else [root] if root else []
            )
            items = [
                (
                    node.start_mark.line + 1,
                    loader.construct_object(node, deep=True),
                    text[node.start_mark.index : node.end_mark.index],
                )
                for node in nodes
            ]
        except yaml.YAMLError as exc:
            return ParseResult(failures=[_yaml_failure(origin, exc, text)])
        except RecursionError:  # the composer and constructor recurse per nesting level
            return ParseResult(failures=[Failure(origin, "invalid YAML: nested too deeply")])
        finally:
            loader.dispose()
        return collect(_read_items(self.name, origin, items))


def _yaml_failure(origin: str, exc: yaml.YAMLError, text: str) -> Failure:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    if isinstance(exc, yaml.reader.ReaderError):
        character = exc.character if isinstance(exc.character, str) else chr(exc.character)
        reason = f"character U+{ord(character):04X} is not allowed in YAML"
        line = text.count("\n", 0, exc.position) + 1
    else:
        reason = " ".join(str(getattr(exc, "problem", None) or exc).split())
    return Failure(origin, f"invalid YAML: {reason}", line=line)


def _read_items(
    format_name: str, origin: str, items: Iterable[tuple[int, Any, str]]
) -> Iterator[Record | Failure]:
    for position, (line, value, raw) in enumerate(items, start=1):
        if not isinstance(value, dict):
            kind = _KINDS.get(type(value), type(value).__name__)
            yield Failure(origin, f"CSL item is {kind}, not an object", record=position, line=line)
            continue
        csl, original = item_to_csl(value)
        own_id = value.get("id")
        source = SourceRef(
            format_name, origin, str(own_id) if own_id not in (None, "") else None, position, line
        )
        yield Record(csl, source, raw, {}, original)
