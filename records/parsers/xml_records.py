"""The loop XML exports share (EndNote XML, PubMed XML): parse safely, then one record per
element, each with its place, its verbatim XML and a failure for an element that is no record."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from lxml import etree

from records.errors import InputError
from records.model import CSLItem, Failure, IssnKind, ParseResult, Record, SourceRef
from records.xmlsafe import parse_xml

Element = etree._Element


def element_records(
    text: str,
    origin: str,
    name: str,
    elements: Callable[[Element], Iterable[Element]],
    to_csl: Callable[[Element], tuple[CSLItem, dict[str, IssnKind], str | None]],
    usable: Callable[[CSLItem, str | None], bool],
    unusable: str,
) -> ParseResult:
    """Records of the ``elements`` of the document: ``to_csl`` gives an element's CSL, ISSN
    kinds and own id; an element that is not ``usable`` is a failure (``unusable`` says why)
    at its position and line. A document that is not well-formed (or is hostile) is one
    failure."""
    try:
        root = parse_xml(text, origin)
    except InputError as exc:
        return ParseResult(failures=[Failure(origin, exc.reason, line=exc.line)])
    result = ParseResult()
    for position, element in enumerate(elements(root), start=1):
        csl, kinds, own_id = to_csl(element)
        if not usable(csl, own_id):
            result.failures.append(
                Failure(origin, unusable, record=position, line=element.sourceline)
            )
            continue
        raw = etree.tostring(element, encoding="unicode", with_tail=False)
        source = SourceRef(name, origin, own_id, position, element.sourceline)
        result.records.append(Record(csl, source, raw, kinds))
    return result
