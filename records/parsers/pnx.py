"""Primo normalized XML (PNX: ``<record><control>…<display>…<addata>…``) -> records.

What Ex Libris Primo shows behind a record ("Show PNX", ``…/primo_library/libweb/…&showPnx=true``,
the Primo REST API's ``pnx``) and what Zotero's "Primo Normalized XML" translator imports. The
``addata`` section carries the OpenURL citation fields (``au``/``addau``, ``atitle``/``btitle``/
``jtitle``, ``date``/``risdate``, ``volume``, ``issue``, ``spage``/``epage``/``pages``, ``issn``/
``eissn``/``isbn``, ``doi``, ``pub``/``cop``, ``abstract``, ``ristype``/``format``/``genre``);
``display`` the shown values (``type``, ``title``, ``creator``/``contributor`` split on ";",
``ispartof``, ``publisher`` "Place : Publisher", ``creationdate``, ``subject``, ``description``,
``language``), used where ``addata`` says nothing.
"""

from __future__ import annotations

import re
from typing import Any

from records.identifiers import normalize_pmid
from records.model import CSLItem, IssnKind, ParseResult
from records.normalize.dates import parse_date
from records.normalize.names import parse_name, split_names_with_roles
from records.parsers.base import Parser
from records.parsers.citation_line import parse_container_line
from records.parsers.fields import add_issn, add_standard_numbers, first_doi
from records.parsers.publication import split_publication_statement
from records.parsers.ris import TYPES as RIS_TYPES
from records.parsers.xml_local import Element, child, children, descendants, text, texts
from records.parsers.xml_records import element_records

# display/type values -> CSL (Primo's resource types)
_DISPLAY_TYPES = {
    "article": "article-journal",
    "journal_article": "article-journal",
    "review": "review",
    "book": "book",
    "books": "book",
    "ebook": "book",
    "book_chapter": "chapter",
    "book_chapters": "chapter",
    "conference_proceeding": "paper-conference",
    "conference_proceedings": "paper-conference",
    "dissertation": "thesis",
    "thesis": "thesis",
    "report": "report",
    "journal": "periodical",
    "journals": "periodical",
    "newspaper_article": "article-newspaper",
    "magazinearticle": "article-magazine",
    "reference_entry": "entry-encyclopedia",
    "web_resource": "webpage",
    "website": "webpage",
    "dataset": "dataset",
    "database": "dataset",
    "image": "graphic",
    "images": "graphic",
    "map": "map",
    "maps": "map",
    "video": "motion_picture",
    "audio": "song",
    "score": "musical_score",
    "scores": "musical_score",
    "patent": "patent",
    "legal_document": "legislation",
    "government_document": "report",
    "manuscript": "manuscript",
    "text_resource": "document",
    "other": "document",
}


def _date(value: str) -> dict[str, Any] | None:
    """PNX dates: "20120117" (addata), "2012", "1961-70" (display)."""
    if found := re.fullmatch(r"(\d{4})(\d{2})(\d{2})?", value.strip()):
        parts = [int(p) for p in found.groups() if p]
        if 1 <= parts[1] <= 12 and (len(parts) < 3 or 1 <= parts[2] <= 31):
            return {"date-parts": [parts]}
    return parse_date(value)


def _names(values: list[str]) -> list[dict[str, str]]:
    names = []
    for value in values:
        for name, _role in split_names_with_roles(value.replace(";", "\n")):
            if parsed := parse_name(name):
                names.append(parsed)
    return names


def pnx_to_csl(record: Element) -> tuple[CSLItem, dict[str, IssnKind], str | None]:
    csl: CSLItem = {}
    kinds: dict[str, IssnKind] = {}
    display, addata = child(record, "display"), child(record, "addata")

    def add(*names: str) -> str:
        return next((v for n in names if (v := text(addata, n))), "")

    kind = _DISPLAY_TYPES.get(text(display, "type").lower().replace(" ", "_"))
    kind = kind or RIS_TYPES.get(add("ristype").upper())
    csl["type"] = kind or "document"
    # the title Primo shows first (addata's atitle often carries a cataloguer's final ".")
    if csl["type"] == "chapter":
        title, container = text(display, "title") or add("atitle"), add("btitle")
    elif csl["type"] in ("book", "thesis", "report"):
        title, container = text(display, "title") or add("btitle"), ""
    else:
        title = text(display, "title") or add("atitle") or add("btitle")
        container = add("jtitle") or (add("btitle") if add("atitle") else "")
    if title:
        csl["title"] = title
    if container:
        csl["container-title"] = container
    if short := add("stitle"):
        csl["container-title-short"] = short
    if series := add("seriestitle"):
        csl["collection-title"] = series
    authors = [
        n
        for n in (
            parse_name(v)
            for v in texts(addata, "au") + texts(addata, "aucorp") + texts(addata, "addau")
        )
        if n
    ]
    csl_authors = authors or _names(texts(display, "creator") + texts(display, "contributor"))
    if csl_authors:
        csl["author"] = csl_authors
    date = _date(add("date", "risdate")) or _date(text(display, "creationdate"))
    for field, value in (
        ("volume", add("volume")),
        ("issue", add("issue")),
        ("edition", add("edition") or text(display, "edition")),
        ("abstract", add("abstract") or " ".join(texts(display, "description"))),
        ("publisher-place", add("cop")),
        ("publisher", add("pub")),
    ):
        if value:
            csl[field] = value
    start, end, pages = add("spage"), add("epage"), add("pages")
    if re.fullmatch(r"\w+\s*-\s*\w+", pages) and (not start or pages.startswith(start)):
        csl["page"] = pages  # the whole range, where spage alone is only its start
    elif start:
        csl["page"] = f"{start}-{end}" if end and end != start else start
    elif pages and csl["type"] not in ("book", "thesis", "report"):
        csl["page"] = pages
    elif pages and re.fullmatch(r"\d+", pages):
        csl["number-of-pages"] = pages
    if "publisher" not in csl and (statement := text(display, "publisher")):
        for key, value in split_publication_statement(statement).items():
            if key != "issued":
                csl.setdefault(key, value)
    if not container and (part := text(display, "ispartof")) and csl["type"] != "book":
        parsed = parse_container_line(part)
        for key in ("container-title", "volume", "issue", "page"):
            if parsed.get(key):
                csl.setdefault(key, parsed[key])
        if not date and parsed.get("year"):
            date = parse_date(str(parsed["year"]))
    if date:
        csl["issued"] = date
    for value in texts(addata, "issn"):
        for issn in re.findall(r"\d{4}-?\d{3}[\dXx]", value):
            add_issn(csl, kinds, f"{issn[:4]}-{issn[-4:]}".upper(), "print")
    for value in texts(addata, "eissn"):
        for issn in re.findall(r"\d{4}-?\d{3}[\dXx]", value):
            add_issn(csl, kinds, f"{issn[:4]}-{issn[-4:]}".upper(), "electronic")
    for value in texts(addata, "isbn") + texts(addata, "eisbn"):
        add_standard_numbers(csl, kinds, value)
    if doi := first_doi(add("doi"), *texts(display, "identifier")):
        csl["DOI"] = doi
    if pmid := normalize_pmid(add("pmid")):
        csl["PMID"] = pmid
    # "Water -- Chemistry": LCSH subdivisions are separate keywords (as Zotero reads them)
    subjects = [s.strip(" .") for v in texts(display, "subject") for s in re.split(r";|\s--\s", v)]
    subjects = [s for s in subjects if s]
    if subjects:
        csl["keyword"] = ", ".join(dict.fromkeys(subjects))
    languages = texts(display, "language")
    if languages:
        csl["language"] = languages[0].split(";")[0].strip()
    links = " ".join(texts(record, "links", "linktorsrc"))  # "$$Uhttps://...$$Eonline"
    if found := re.search(r"https?://[^\s$]+", links):
        csl["URL"] = found.group(0)
    own = text(record, "control", "recordid") or text(record, "control", "sourcerecordid")
    return csl, kinds, own or None


class PNXParser(Parser):
    name = "pnx"
    label = "Primo normalized XML (PNX)"
    aliases = ("primo-xml", "primo-pnx")

    def sniff(self, text: str) -> float:
        head = text[:20000]
        if (
            re.search(r"<(?:\w+:)?control[\s>]", head)
            and re.search(r"<(?:\w+:)?(?:addata|display)[\s>]", head)
            and re.search(r"<(?:\w+:)?(?:recordid|sourceid|sourcesystem)[\s>]", head)
        ):
            return 0.95
        return 0.0

    def parse(self, text: str, origin: str) -> ParseResult:
        return element_records(
            text,
            origin,
            self.name,
            _records,
            pnx_to_csl,
            lambda csl, _: bool(csl.get("title")),
            "PNX record without a title (display/title, addata/atitle or btitle)",
        )


def _records(root: Element) -> list[Element]:
    """The ``record`` elements that hold a ``display`` or ``addata`` section (a PNX file, a
    ``<records>`` list or an API answer's ``<pnx>`` wrappers)."""
    return [
        r for r in descendants(root, "record") if children(r, "display") or children(r, "addata")
    ]
