"""Springer Medizin and SpringerLink article pages, copied as text.

Springer Medizin (springermedizin.de) pages start with a date line and a breadcrumb:

    03.10.2017 | Ausgabe 4/2017            <- online date DD.MM.YYYY | issue N/YYYY
    Reviews in Endocrine and Metabolic Disorders 4/2017
    <title>
    Reviews in Endocrine and Metabolic Disorders > Ausgabe 4/2017
    Louis de Mestier, Magaly Zappa, ...    <- "Given Family", comma-separated
    <abstract paragraphs>
    <site chrome: login prompts, product ads, newsletter>

and may end with a metadata block (``Titel``, ``verfasst von``, ``Publikationsdatum``,
``Verlag``, ``Erschienen in``, ``Print ISSN``, ``Elektronische ISSN``, ``DOI``), each label on
its own line with the value on the next lines; where present it is authoritative.
The pages print no volume and usually no DOI: Crossref fills those in later.
"""

from __future__ import annotations

import re

from records.identifiers import find_dois, find_issns
from records.model import CSLItem, ParseResult, Record, SourceRef
from records.normalize.dates import parse_date
from records.normalize.language import guess_language
from records.normalize.names import parse_name, parse_name_list, strip_affiliation_marks
from records.parsers.base import Parser

_DATE_LINE = re.compile(
    r"^\s*(?P<date>\d{1,2}\.\d{1,2}\.\d{4})\s*(?:\|\s*(?:(?P<kind>[^|]*?)\s*\|\s*)?"
    r"(?:Ausgabe|Heft|Issue)\s+(?P<issue>[\w-]+)/(?P<year>\d{4}))?\s*$"
)
_BREADCRUMB = re.compile(
    r"^\s*(?P<journal>.+?)\s*>\s*(?:Ausgabe|Heft|Issue)\s+(?P<issue>[\w-]+)/(?P<year>\d{4})\s*$"
)
_JOURNAL_ISSUE = re.compile(
    r"^\s*(?P<journal>.+?)\s+(?P<issue>[\w-]+)/(?P<year>\d{4})(?:\s+Zur Ausgabe)?\s*$"
)

# Lines that end the article part of the page (login walls, ads, navigation), in German and
# English; a paragraph starting with one of these is never part of the abstract.
_CHROME = re.compile(
    r"^\s*(?:Bitte loggen Sie sich ein|Einloggen|Jetzt einloggen|Log in|Login|Anmelden|"
    r"Weitere Produktempfehlungen|Produktempfehlungen|Über diesen Artikel|About this article|"
    r"Weitere Artikel der Ausgabe|Literatur|References|Zurück zum Zitat|Anzeige|"
    r"Passend zum Thema|Bildnachweise|Zitierlink|Metadaten|PDF-Version|Neu im Fachgebiet|"
    r"Newsletter|Mail Icon|Bestellen Sie unseren|© Springer|Jetzt e\.Med|e\.Med|"
    r"Für Ihren Erfolg in Klinik und Praxis|Mit e\.Med|Sie können e\.Med|Open Access|"
    r"Skip to main content|Zum Inhalt springen|Erschienen in:|Zusatzmaterial|Fußnoten|"
    r"Download|Share|Teilen|Cite this article|Zitieren)",
    re.IGNORECASE,
)
_ABSTRACT_HEADINGS = {"zusammenfassung", "abstract", "summary"}
_FOOTER_LABELS = {
    "titel": "title",
    "title": "title",
    "verfasst von": "authors",
    "authors": "authors",
    "autoren": "authors",
    "publikationsdatum": "date",
    "publication date": "date",
    "erscheinungsdatum": "date",
    "verlag": "publisher",
    "publisher": "publisher",
    "erschienen in": "container",
    "published in": "container",
    "print issn": "issn_print",
    "elektronische issn": "issn_electronic",
    "electronic issn": "issn_electronic",
    "online issn": "issn_electronic",
    "doi": "doi",
}
_FOOTER_RE = re.compile(
    r"^\s*(?P<label>"
    + "|".join(re.escape(k) for k in sorted(_FOOTER_LABELS, key=len, reverse=True))
    + r")\s*:?\s*(?P<value>.*)$",
    re.IGNORECASE,
)


class SpringerPageParser(Parser):
    name = "springer-text"
    label = "Springer Medizin / SpringerLink article page (text)"
    aliases = ("springer",)

    def sniff(self, text: str) -> float:
        head = text.splitlines()[:60]
        score = 0.0
        if any(_DATE_LINE.match(line) and "|" in line for line in head):
            score += 0.5
        if any(_BREADCRUMB.match(line) for line in head):
            score += 0.4
        if "springer" in text.casefold():
            score += 0.2
        return min(score, 1.0)

    def parse(self, text: str, origin: str) -> ParseResult:
        return ParseResult(records=[_parse_page(text, SourceRef(self.name, origin, None, 1, 1))])


def _paragraphs(lines: list[str]) -> list[str]:
    out: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            # Lines stay lines: a heading on its own line ("Hintergrund") is structure.
            out.append("\n".join(current))
            current = []
    return out


def _parse_footer(lines: list[str]) -> dict[str, list[str]]:
    """The metadata block: label lines, each followed by its value lines."""
    found: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines:
        match = _FOOTER_RE.match(line)
        if match and (match.group("value") == "" or ":" in line[: match.end("label") + 2]):
            current = _FOOTER_LABELS[match.group("label").casefold()]
            found.setdefault(current, [])
            if match.group("value").strip():
                found[current].append(match.group("value").strip())
            continue
        if current and line.strip():
            found[current].append(line.strip())
        elif not line.strip():
            current = None if current != "authors" else current
    return found


def _parse_page(text: str, source: SourceRef) -> Record:
    lines = text.splitlines()
    csl: CSLItem = {"type": "article-journal"}
    record = Record(csl=csl, source=source, raw=text)

    date_at = next((i for i, ln in enumerate(lines) if _DATE_LINE.match(ln)), None)
    crumb_at = next((i for i, ln in enumerate(lines) if _BREADCRUMB.match(ln)), None)
    if date_at is not None:
        match = _DATE_LINE.match(lines[date_at])
        assert match is not None
        if date := parse_date(match.group("date")):
            csl["issued"] = date
        if match.group("issue"):
            csl["issue"] = match.group("issue")
    if crumb_at is not None:
        crumb = _BREADCRUMB.match(lines[crumb_at])
        assert crumb is not None
        csl["container-title"] = crumb.group("journal")
        csl.setdefault("issue", crumb.group("issue"))
        csl.setdefault("issued", {"date-parts": [[int(crumb.group("year"))]]})
        # The title sits between the first breadcrumb ("Journal 4/2017") and the second.
        start = (date_at + 1) if date_at is not None else 0
        between = [ln.strip() for ln in lines[start:crumb_at] if ln.strip()]
        between = [
            ln
            for ln in between
            if not (_JOURNAL_ISSUE.match(ln) and ln.startswith(crumb.group("journal")))
        ]
        between = [ln for ln in between if not _CHROME.match(ln)]
        if between:
            csl["title"] = between[-1] if len(between[-1]) > 3 else " ".join(between)
        body = lines[crumb_at + 1 :]
    else:
        body = lines
    paragraphs = _paragraphs(body)
    # Authors: the first paragraph after the breadcrumb ("Given Family, Given Family, ...").
    if paragraphs and not _CHROME.match(paragraphs[0]) and _looks_like_author_list(paragraphs[0]):
        names = [strip_affiliation_marks(n) for n in paragraphs[0].split(",")]
        csl["author"] = [parse_name(n) for n in names if n]
        paragraphs = paragraphs[1:]
    abstract: list[str] = []
    for paragraph in paragraphs:
        if _CHROME.match(paragraph):
            break
        if paragraph.casefold().rstrip(":") in _ABSTRACT_HEADINGS and not abstract:
            continue
        abstract.append(paragraph)
    if abstract:
        csl["abstract"] = "\n\n".join(abstract)

    footer = _parse_footer(lines)
    if footer.get("title"):
        csl["title"] = " ".join(footer["title"])
    if footer.get("authors"):
        names = [n for line in footer["authors"] for n in parse_name_list(line)]
        if names:
            csl["author"] = names
    if footer.get("date") and (date := parse_date(footer["date"][0])):
        csl["issued"] = date
    if footer.get("publisher"):
        csl["publisher"] = footer["publisher"][0]
    if footer.get("container"):
        container = _JOURNAL_ISSUE.match(footer["container"][0].replace(" / Ausgabe", ""))
        if container:
            csl["container-title"] = container.group("journal")
            csl["issue"] = container.group("issue")
        else:
            csl["container-title"] = footer["container"][0]
    issns: list[str] = []
    for key, kind in (("issn_print", "print"), ("issn_electronic", "electronic")):
        for issn in find_issns(" ".join(footer.get(key, []))):
            issns.append(issn)
            record.issn_kinds[issn] = kind  # type: ignore[assignment]
    if issns:
        csl["ISSN"] = ", ".join(dict.fromkeys(issns))
    if footer.get("doi") and (doi := next(find_dois(" ".join(footer["doi"])), None)):
        csl["DOI"] = doi
    language = guess_language(" ".join([csl.get("title", ""), csl.get("abstract", "")]))
    if language:
        csl["language"] = language
    return record


def _looks_like_author_list(paragraph: str) -> bool:
    names = [n.strip() for n in paragraph.split(",") if n.strip()]
    return (
        bool(names)
        and len(paragraph) < 2000
        and all(
            1 <= len(n.split()) <= 5 and not n.endswith(".") and not re.search(r"\d{3,}", n)
            for n in names
        )
    )
