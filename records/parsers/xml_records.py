"""The loop XML exports share (EndNote XML, PubMed XML, MODS): parse safely, then one record per
element, each with its place, its verbatim XML and a failure for an element that is no record.

Two readers give the same records and failures:

* :func:`whole_records` reads a whole text: :func:`records.xmlsafe.parse_xml`, then the
  format's elements of the tree;
* :func:`stream_records` reads a text a piece at a time (a 500 MB PubMed search held a record
  at a time, not as a tree many times the file): the pieces are parsed twice with
  :func:`records.xmlsafe.pull_parser`. The first pass only checks the document (well-formed,
  no entity declared or referred to); only a clean document is read a second time for its
  records, so a document that breaks at its end yields no record (as whole: a file that is not
  well-formed is one failure, and an import stores nothing of it). A document that is not
  clean is read whole by :func:`whole_records`, so that its failure is worded and placed
  exactly as before (libxml2's push parser words some errors differently, and misplaces an
  undeclared entity): memory as before, for a broken or hostile file only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from lxml import etree

from records.errors import InputError
from records.model import CSLItem, Failure, IssnKind, ParseResult, Record, SourceRef
from records.parsers.base import without_bom
from records.xmlsafe import DECLARATION_RE, parse_xml, pull_parser

Element = etree._Element
ToCSL = Callable[[Element], tuple[CSLItem, dict[str, IssnKind], str | None]]

# Text handed to libxml2 at a time (characters): pieces may be a few bytes long.
_FEED_CHARS = 1 << 18
_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)


@dataclass(frozen=True)
class ElementFormat:
    """How a format's records are found and read.

    ``elements`` selects them in a whole tree (document order). The streamed reader sees the
    elements whose tag is one of ``tags`` as they start, and keeps those ``is_record`` accepts
    (called at the element's start: its ancestors are known, its content not yet): the two must
    select the same elements. ``wrap`` gives the element a record is read from (default: the
    element itself). ``to_csl`` gives an element's CSL, ISSN kinds and own id; an element that
    is not ``usable`` is a failure (``unusable`` says why) at its position and line."""

    name: str
    elements: Callable[[Element], Iterable[Element]]
    to_csl: ToCSL
    usable: Callable[[CSLItem, str | None], bool]
    unusable: str
    tags: tuple[str, ...] = ()
    is_record: Callable[[Element], bool] = lambda element: True
    wrap: Callable[[Element], Element] = lambda element: element


def element_records(
    text: str,
    origin: str,
    name: str,
    elements: Callable[[Element], Iterable[Element]],
    to_csl: ToCSL,
    usable: Callable[[CSLItem, str | None], bool],
    unusable: str,
) -> ParseResult:
    """:func:`whole_records` of a format read whole only (MODS, Crossref XML, PNX)."""
    return whole_records(text, origin, ElementFormat(name, elements, to_csl, usable, unusable))


def whole_records(text: str, origin: str, fmt: ElementFormat) -> ParseResult:
    """Records of the format's elements of the whole ``text``. A document that is not
    well-formed (or is hostile) is one failure."""
    try:
        root = parse_xml(text, origin)
    except InputError as exc:
        return ParseResult(failures=[Failure(origin, exc.reason, line=exc.line)])
    result = ParseResult()
    for position, element in enumerate(fmt.elements(root), start=1):
        item = _item(element, position, origin, fmt)
        if isinstance(item, Record):
            result.records.append(item)
        else:
            result.failures.append(item)
    return result


def _item(element: Element, position: int, origin: str, fmt: ElementFormat) -> Record | Failure:
    element = fmt.wrap(element)
    csl, kinds, own_id = fmt.to_csl(element)
    if not fmt.usable(csl, own_id):
        return Failure(origin, fmt.unusable, record=position, line=element.sourceline)
    raw = etree.tostring(element, encoding="unicode", with_tail=False)
    source = SourceRef(fmt.name, origin, own_id, position, element.sourceline)
    return Record(csl, source, raw, kinds)


def stream_records(
    pieces: Callable[[], Iterator[str]], origin: str, fmt: ElementFormat
) -> Iterator[Record | Failure]:
    """:func:`whole_records` of the text ``pieces()`` yields (each call a fresh pass from the
    start), read a record at a time when the document is clean (see the module docstring)."""
    if not _clean(pieces(), fmt):
        yield from whole_items("".join(pieces()), origin, fmt)
        return
    position = 0
    try:
        for element in _record_elements(_body(pieces()), fmt):
            position += 1
            yield _item(element, position, origin, fmt)
    except (etree.XMLSyntaxError, _Unclean) as exc:
        # Only when the input changed between the passes (a file written as it is read).
        line = getattr(exc, "lineno", None) or None
        yield Failure(origin, f"invalid XML: {_one_line(exc)}", record=position + 1, line=line)


def whole_items(text: str, origin: str, fmt: ElementFormat) -> Iterator[Record | Failure]:
    """:func:`whole_records` as the items :meth:`StreamingParser.read` gives."""
    return _as_items(whole_records(text, origin, fmt))


def _as_items(result: ParseResult) -> Iterator[Record | Failure]:
    """A whole reading's records and failures in input order (by position; a failure of the
    whole document has none and comes alone)."""
    items: list[Record | Failure] = [*result.records, *result.failures]
    return iter(
        sorted(items, key=lambda i: (i.source.position if isinstance(i, Record) else i.record) or 0)
    )


def _one_line(exc: BaseException) -> str:
    return " ".join(str(getattr(exc, "msg", None) or exc).split())


class _Unclean(Exception):
    """The document is not one the streamed reader reads as the whole-text reader would."""


def _clean(pieces: Iterable[str], fmt: ElementFormat) -> bool:
    """Whether the text is well-formed, declares no entity (no ``<!ENTITY`` anywhere: the
    whole-text check refuses one in the prolog, a stricter rule is as safe and needs no
    prolog bounds) and refers to none: the first pass, which keeps nothing."""
    try:
        for _ in _record_elements(_body(_undeclared(pieces)), fmt):
            pass
    except (etree.XMLSyntaxError, _Unclean):
        return False
    except (ValueError, UnicodeError):  # what the whole-text reader meets too: it words it
        return False
    return True


def _undeclared(pieces: Iterable[str]) -> Iterator[str]:
    """The pieces as they are, up to a ``<!ENTITY`` (any case, also across a boundary): there
    :class:`_Unclean` is raised, before the piece is handed to the parser."""
    tail = ""
    for piece in pieces:
        if _ENTITY_DECLARATION.search(tail + piece):
            raise _Unclean("entity declaration")
        tail = (tail + piece[-7:])[-7:]  # shorter than the word: no match is seen twice
        yield piece


def _body(pieces: Iterable[str]) -> Iterator[bytes]:
    """The UTF-8 bytes :func:`records.xmlsafe.parse_xml` hands lxml for the text: leading byte
    order marks and the XML declaration dropped, in chunks of about :data:`_FEED_CHARS`."""
    stripped = iter(without_bom(pieces, strip_all=True))
    # The declaration, when there is one, ends at the text's first ">": the expression gives
    # on the text up to there what it gives on the whole text.
    head: list[str] = []
    for piece in stripped:
        head.append(piece)
        if ">" in piece:
            break
    pending = [DECLARATION_RE.sub("", "".join(head), count=1)]
    size = len(pending[0])
    for piece in stripped:
        if size >= _FEED_CHARS:
            yield "".join(pending).encode("utf-8")
            pending, size = [], 0
        pending.append(piece)
        size += len(piece)
    if size:
        yield "".join(pending).encode("utf-8")


def _record_elements(body: Iterable[bytes], fmt: ElementFormat) -> Iterator[Element]:
    """The format's record elements of the document, in document order (an outer record before
    the records inside it), each complete; once a record and those inside it have been taken,
    it is emptied and the elements before it dropped, so the tree holds about one record.
    Raises :class:`lxml.etree.XMLSyntaxError`, or :class:`_Unclean` for an entity reference
    (what the whole-text reader refuses)."""
    parser = pull_parser(fmt.tags)
    queue: list[_Started] = []  # records started and not yet taken, in document order
    for data in body:
        parser.feed(data)
        yield from _taken(parser.read_events(), fmt, queue)
    root = parser.close()
    yield from _taken(parser.read_events(), fmt, queue)
    if root is None:
        raise _Unclean("no root element")
    _check_entities(root)


@dataclass
class _Started:
    element: Element
    ended: bool = False


def _taken(
    events: Iterable[tuple[str, Element]], fmt: ElementFormat, queue: list[_Started]
) -> Iterator[Element]:
    """The records complete after these events, in document order: a record inside another
    waits for the outer one (``queue``: the records started and not yet taken)."""
    for event, element in events:
        if event == "start":
            if fmt.is_record(element):
                queue.append(_Started(element))
            continue
        # records nest rarely and shallowly: the one ending is at or near the queue's end
        started = next((s for s in reversed(queue) if s.element is element), None)
        if started is None:
            continue
        started.ended = True
        while queue and queue[0].ended:
            yield queue.pop(0).element
        if not queue:  # the outermost record and every record in it are taken
            _drop(element)


def _drop(element: Element) -> None:
    """Empty a taken record and drop the elements before it (checked for entity references
    first: they will not be in the tree at its end)."""
    _check_entities(element)
    parent = element.getparent()
    if parent is not None:
        while (before := element.getprevious()) is not None:
            _check_entities(before)
            parent.remove(before)
    element.clear(keep_tail=True)


def _check_entities(element: etree._Element) -> None:
    for _ in element.iter(etree.Entity):
        raise _Unclean("entity reference")
