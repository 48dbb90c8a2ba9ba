"""The one way this project parses XML: lxml, made safe for files from strangers.

Every XML format (EndNote XML, PubMed XML, MARCXML) goes through :func:`parse_xml`, or for a
large export through :func:`pull_parser` (below). It

* refuses any document whose DOCTYPE declares entities (``<!ENTITY``): that is where both
  entity-expansion bombs ("billion laughs") and external entities (``SYSTEM "file:///etc/passwd"``)
  live, and no bibliographic export needs its own entities;
* never loads a DTD, never touches the network, never resolves an entity
  (``load_dtd=False``, ``no_network=True``, ``resolve_entities=False``), keeps libxml2's
  size limits (``huge_tree=False``), and does not process XInclude;
* reads past one error only, undeclared namespace prefixes (SRU responses), and
* turns any other syntax error into an :class:`~records.errors.InputError` naming the line.

A PubMed efetch file's ``<!DOCTYPE PubmedArticleSet PUBLIC ... "https://...dtd">`` is allowed:
the DTD is named, never fetched.

Large exports (PubMed XML, EndNote XML) are read a piece at a time by
:mod:`records.parsers.xml_records` with :func:`pull_parser` (the same options, no recovery).
Every rule above still holds there: a text with ``<!ENTITY`` anywhere (stricter than the prolog
check), an entity reference, an undeclared prefix or any syntax error is not read in pieces but
handed whole to :func:`parse_xml`, which refuses or reads it as it always did.
"""

from __future__ import annotations

import re
from typing import TypedDict

from lxml import etree

from records.errors import InputError, UnsafeInput

DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_DOCTYPE_RE = re.compile(r"<!DOCTYPE\b", re.IGNORECASE)
_ENTITY_RE = re.compile(r"<!ENTITY\b", re.IGNORECASE)


# The options that make lxml safe for files from strangers (see the module docstring): one
# place, so the whole-text parser and the pull parser cannot drift apart.
class _Options(TypedDict):
    resolve_entities: bool
    no_network: bool
    load_dtd: bool
    dtd_validation: bool
    huge_tree: bool
    remove_blank_text: bool


_SAFE_OPTIONS = _Options(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_blank_text=False,
)


def safe_parser(*, recover: bool = False) -> etree.XMLParser:
    """A new lxml parser that resolves nothing and fetches nothing (see the module docstring)."""
    return etree.XMLParser(recover=recover, **_SAFE_OPTIONS)


def pull_parser(tag: tuple[str, ...]) -> etree.XMLPullParser:
    """A new lxml pull parser (text fed a piece at a time; the start and end of the elements
    whose tag is one of ``tag`` read as they come) with the options of :func:`safe_parser`. It
    checks no prolog and refuses no entity reference: its callers do (see
    :mod:`records.parsers.xml_records`), and it never recovers from an error."""
    return etree.XMLPullParser(events=("start", "end"), tag=tag, **_SAFE_OPTIONS)


def check_prolog(text: str, origin: str) -> None:
    """Raise :class:`UnsafeInput` if the document declares entities."""
    doctype = _DOCTYPE_RE.search(text, 0, 65536)
    if doctype is None:
        return
    # The internal subset ends at the first "]>" after the DOCTYPE; entity declarations there
    # (or anywhere in the prolog, to be safe) are refused.
    root_start = text.find("]>", doctype.end())
    prolog = text[: root_start + 2] if root_start >= 0 else text[:65536]
    entity = _ENTITY_RE.search(prolog)
    if entity:
        line = text.count("\n", 0, entity.start()) + 1
        raise UnsafeInput(
            origin,
            "XML declares its own entities (<!ENTITY>); refused: entity expansion and "
            "external entities are never resolved",
            line=line,
        )


def parse_xml(text: str, origin: str) -> etree._Element:
    """The root element of an XML text, parsed safely; raises :class:`InputError` subclasses."""
    check_prolog(text, origin)
    # lxml refuses str input that carries an encoding declaration; the text is already decoded,
    # so drop the declaration and hand lxml UTF-8 bytes.
    body = DECLARATION_RE.sub("", text.lstrip("\ufeff"), count=1)
    return _parse(body.encode("utf-8"), origin)


def parse_xml_bytes(data: bytes, origin: str) -> etree._Element:
    """As :func:`parse_xml`, for bytes as they arrive over the network (OAI-PMH responses):
    lxml reads the encoding from the XML declaration."""
    check_prolog(data[:65536].decode("utf-8", errors="replace"), origin)
    return _parse(data, origin)


def _parse(data: bytes, origin: str) -> etree._Element:
    try:
        try:
            root = etree.fromstring(data, safe_parser())
        except etree.XMLSyntaxError as exc:
            # SRU responses copied from catalogs use prefixes ("zs:") they never declare; that
            # namespace slip is the only error read past, with libxml2's recovery mode.
            if "Namespace prefix" not in str(exc):
                raise
            root = etree.fromstring(data, safe_parser(recover=True))
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if getattr(exc, "lineno", None) else None
        message = " ".join(str(exc.msg if hasattr(exc, "msg") else exc).split())
        raise InputError(origin, f"invalid XML: {message}", line=line) from None
    if root is None:
        raise InputError(origin, "invalid XML: no root element")
    for node in root.iter(etree.Entity):  # an undeclared entity reference left unresolved
        raise UnsafeInput(
            origin, f"XML refers to an entity ({node.text}); refused", line=node.sourceline
        )
    return root


def local_name(element: etree._Element) -> str:
    """A tag without its namespace: ``{http://www.loc.gov/MARC21/slim}record`` -> ``record``."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def text_of(element: etree._Element | None) -> str:
    """All text inside an element (EndNote wraps values in ``<style>``), whitespace collapsed."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())
