"""Reading XML by local names: MODS, Crossref UNIXREF/UNIXSD and Primo PNX come with, without
and with varying namespaces (``mods:``, a default namespace, none at all), so the readers
address elements by their local name alone."""

from __future__ import annotations

from lxml import etree

from records.xmlsafe import local_name, text_of

Element = etree._Element


def children(element: Element | None, *names: str) -> list[Element]:
    """The elements reached from ``element`` by the path of local ``names`` (child by child)."""
    found = [element] if element is not None else []
    for name in names:
        found = [c for e in found for c in e if isinstance(c.tag, str) and local_name(c) == name]
    return found


def child(element: Element | None, *names: str) -> Element | None:
    found = children(element, *names)
    return found[0] if found else None


def text(element: Element | None, *names: str) -> str:
    """The whole text of the first element at the path (``""`` when there is none)."""
    return text_of(child(element, *names)) if names else text_of(element)


def texts(element: Element | None, *names: str) -> list[str]:
    return [t for t in (text_of(e) for e in children(element, *names)) if t]


def descendants(element: Element, name: str) -> list[Element]:
    return [e for e in element.iter() if isinstance(e.tag, str) and local_name(e) == name]
