"""Springer Medizin and SpringerLink article pages, copied as text (German and English UIs).

Springer Medizin (springermedizin.de) pages start with a date line and a breadcrumb:

    03.10.2017 | Ausgabe 4/2017            <- online date DD.MM.YYYY [| category] | issue N/YYYY
    Reviews in Endocrine and Metabolic Disorders 4/2017
    <title>
    Reviews in Endocrine and Metabolic Disorders > Ausgabe 4/2017
    Louis de Mestier, Magaly Zappa, ...    <- "Given Family", comma-separated
    <abstract paragraphs>
    <site chrome: login prompts, product ads, newsletter>

and may end with a metadata block (``Titel``, ``verfasst von``, ``Publikationsdatum``,
``Verlag``, ``Erschienen in``, ``Print ISSN``, ``Elektronische ISSN``, ``DOI``; English UI
``Title``, ``Authors``, ``Publication date``, ``Publisher``, ``Published in``...), each label on
its own line with the value on the next lines; where present it is authoritative.

SpringerLink (link.springer.com) pages print the article header differently:

    Reviews in Endocrine and Metabolic Disorders      <- journal
    Review                                            <- article type(s)
    Published: 03 October 2017
    <title>
    Louis de Mestier, ... & Philippe Ruszniewski
    Reviews in Endocrine ... volume 18, pages 459–471 (2017)Cite this article
    Abstract / <abstract> / ... / DOI https://doi.org/10.1007/...

The Springer Medizin pages print no volume and usually no DOI: Crossref fills those in later.
"""

from __future__ import annotations

import re

from records.identifiers import find_dois, find_issns
from records.model import CSLItem, ParseResult, Record, SourceRef
from records.normalize.chrome import is_ui_label
from records.normalize.dates import parse_date
from records.normalize.language import guess_language
from records.normalize.names import parse_name, parse_name_list, strip_affiliation_marks
from records.normalize.pages import normalize_pages
from records.parsers.base import (
    SNIFF_WINDOW,
    Parser,
    head,
    is_markup,
    require_titles,
    split_paragraphs,
)

_ISSUE_WORD = r"(?:Ausgabe|Heft|Issue)"
_DATE_LINE = re.compile(
    r"^\s*(?:Open Access\s+)?(?P<date>\d{1,2}\.\d{1,2}\.\d{4})\s*(?:\|\s*(?:(?P<kind>[^|]*?)\s*\|\s*)?"
    rf"{_ISSUE_WORD}\s+(?P<issue>[\w-]+)/(?P<year>\d{{4}}))?\s*$",
    re.IGNORECASE,
)
# ``^\s*+`` (possessive): the leading spaces are not given back to the lazy name group that
# follows, which would try every split of them (cubic: seconds on a line of spaces, as binary
# MARC holds).
_BREADCRUMB = re.compile(
    rf"^\s*+(?P<journal>.+?)\s*>\s*{_ISSUE_WORD}\s+(?P<issue>[\w-]+)/(?P<year>\d{{4}})\s*$"
)
_JOURNAL_ISSUE = re.compile(
    r"^\s*+(?P<journal>.+?)\s+(?:/\s*)?(?:(?:Ausgabe|Heft|Issue)\s+)?(?P<issue>[\w-]+)/(?P<year>\d{4})"
    r"(?:\s+(?:Zur Ausgabe|Go to issue))?\s*$"
)

# SpringerLink header lines, English and German UI.
_LINK_PUBLISHED = re.compile(
    r"^\s*(?:Published|Veröffentlicht|Erschienen|First Online|Online veröffentlicht)\s*:?\s*"
    r"(?P<date>\d{1,2}\.?\s+[A-Za-zäéû]+\.?\s+\d{4}|\d{1,2}\.\d{1,2}\.\d{4})\s*$",
    re.IGNORECASE,
)
_LINK_VOLUME = re.compile(
    r"^\s*+(?P<journal>.*?)\s*\b(?:volume|Band|Jahrgang)\s+(?P<volume>[\w.-]+)\s*,\s*"
    r"(?:(?:pages?|Seiten?)\s*(?P<pages>\w+(?:\s*[–—-]\s*\w+)?)|"
    r"(?:Article number|Artikelnummer)\s*:?\s*(?P<article>\w+))\s*,?\s*"
    r"\((?P<year>\d{4})\)",
    re.IGNORECASE,
)
_DOI_LABEL = re.compile(r"^\s*DOI\s*:?\s*(?P<value>.*)$")
_HEADINGS_ABSTRACT = re.compile(r"^\s*(?:Abstract|Zusammenfassung|Summary)\s*:?\s*$", re.IGNORECASE)
_HEADINGS_KEYWORDS = re.compile(r"^\s*(?:Keywords|Schlüsselwörter)\s*:?\s*$", re.IGNORECASE)
_CITE_BLOCK = re.compile(r"^\s*(?:Cite this article|Diesen Artikel zitieren)\s*$", re.IGNORECASE)

# Lines that end the article part of the page (login walls, ads, navigation), in German and
# English; a paragraph starting with one of these is never part of the abstract.
_CHROME = re.compile(
    r"^\s*(?:Bitte loggen Sie sich ein|Einloggen|Jetzt einloggen|Log in|Login|Anmelden|"
    r"Please log in|Weitere Produktempfehlungen|Produktempfehlungen|Über diesen Artikel|"
    r"About this article|Weitere Artikel der Ausgabe|Literatur|References|Zurück zum Zitat|"
    r"Anzeige|Advertisement|Passend zum Thema|Bildnachweise|Zitierlink|Metadaten|Metadata|"
    r"PDF-Version|Neu im Fachgebiet|Newsletter|Mail Icon|Bestellen Sie unseren|© Springer|"
    r"Jetzt e\.Med|e\.Med|Für Ihren Erfolg in Klinik und Praxis|Mit e\.Med|Sie können e\.Med|"
    r"Skip to main content|Zum Inhalt springen|Zum Hauptinhalt springen|Erschienen in:|"
    r"Zusatzmaterial|Fußnoten|Download|Share|Teilen|Cite this article|Zitieren|Access this|"
    r"Zugang zu diesem Artikel|Buy article|Keywords|Schlüsselwörter|Author information|"
    r"Authors and Affiliations|Explore all metrics|Metrics details|Menu|Search|Cart|Home|"
    r"Aims and scope|Submit manuscript|\d[\d.,]*k?\s+(?:Accesses|Citations|Altmetric|Zugriffe))",
    re.IGNORECASE,
)
_ABSTRACT_HEADINGS = {"zusammenfassung", "abstract", "summary"}
# A heading copied glued to its text ("AbstractThe article presents ...",
# "ZusammenfassungHintergrund"): the heading is a line of its own again.
_GLUED_HEADING = re.compile(
    r"(?m)^([ \t]*)(Abstract|Zusammenfassung|Summary)(?=[A-ZÄÖÜ][a-zäöüß])"
)
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
_FOOTER_START = re.compile(
    r"^\s*(?:Metadaten|Metadata|Über diesen Artikel|About this article)\s*$", re.IGNORECASE
)
# The author label of the header, on its own line or before the names ("verfasst von:").
_AUTHOR_LABEL = re.compile(r"^\s*(?:verfasst von|Autoren|Authors?)\s*:?\s*", re.IGNORECASE)


class SpringerPageParser(Parser):
    name = "springer-text"
    label = "Springer Medizin / SpringerLink article page (text)"
    aliases = ("springer",)
    page = True  # one record's web page

    def sniff(self, text: str) -> float:
        if is_markup(text):
            return 0.0
        head_lines = head(text, 80)
        score = 0.0
        if any(_DATE_LINE.match(line) and "|" in line for line in head_lines):
            score += 0.5
        if any(_BREADCRUMB.match(line) for line in head_lines):
            score += 0.4
        if any(_LINK_PUBLISHED.match(line) for line in head_lines):
            score += 0.3
        if any(_LINK_VOLUME.match(line) for line in head_lines):
            score += 0.4
        footer = _parse_footer(head(text, 400))
        if len(footer) >= 4 and ({"date", "publisher"} & set(footer)) and "title" in footer:
            score += 0.8  # the metadata block alone (copied from the page footer)
        window = text[:SNIFF_WINDOW]
        if "springer" in window.casefold() or "doi.org/10.1007/" in window:
            score += 0.2
        return min(score, 1.0)

    def parse(self, text: str, origin: str) -> ParseResult:
        return require_titles(self._parse_all(text, origin), origin, self.label)

    def _parse_all(self, text: str, origin: str) -> ParseResult:
        source = SourceRef(self.name, origin, None, 1, 1)
        lines = _GLUED_HEADING.sub(r"\1\2\n\n", text).splitlines()
        medizin = any(_BREADCRUMB.match(ln) for ln in lines[:80]) or any(
            _DATE_LINE.match(ln) and "|" in ln for ln in lines[:80]
        )
        record = _parse_medizin(lines, source) if medizin else _parse_link(lines, source)
        record.raw = text
        _apply_footer(record, lines)
        csl = record.csl
        if language := guess_language(" ".join([csl.get("title", ""), csl.get("abstract", "")])):
            csl["language"] = language
        return ParseResult(records=[record])


def _parse_medizin(lines: list[str], source: SourceRef) -> Record:
    csl: CSLItem = {"type": "article-journal"}
    record = Record(csl=csl, source=source, raw="")
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
            and not _CHROME.match(ln)
        ]
        if between:
            csl["title"] = between[-1] if len(between[-1]) > 3 else " ".join(between)
        body = lines[crumb_at + 1 :]
    else:
        body = lines[(date_at or 0) + 1 :]
    # Page toggles ("Full description", "Show more") are no paragraph of the article.
    paragraphs = [p for p in split_paragraphs(body) if not is_ui_label(p)]
    # Authors: the first paragraph after the breadcrumb ("Given Family, Given Family, ..."),
    # after the label some pages print above them ("verfasst von:" / "Authors:").
    if paragraphs and _AUTHOR_LABEL.match(paragraphs[0]):
        paragraphs[0] = _AUTHOR_LABEL.sub("", paragraphs[0], count=1).strip()
    if paragraphs and not _CHROME.match(paragraphs[0]) and _looks_like_author_list(paragraphs[0]):
        csl["author"] = _author_line(paragraphs[0])
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
    return record


def _parse_link(lines: list[str], source: SourceRef) -> Record:
    csl: CSLItem = {"type": "article-journal"}
    record = Record(csl=csl, source=source, raw="")
    stripped = [ln.strip() for ln in lines]
    published_at = next((i for i, ln in enumerate(stripped) if _LINK_PUBLISHED.match(ln)), None)
    volume_at = next((i for i, ln in enumerate(stripped) if _LINK_VOLUME.match(ln)), None)
    if published_at is not None:
        match = _LINK_PUBLISHED.match(stripped[published_at])
        assert match is not None
        if date := parse_date(match.group("date")):
            csl["issued"] = date
        header = [
            ln
            for ln in stripped[:published_at]
            if ln and not _CHROME.match(ln) and not is_ui_label(ln)
        ]
        if header:
            csl["container-title"] = header[0]
        after = [
            (i, ln)
            for i, ln in enumerate(stripped[published_at + 1 :], start=published_at + 1)
            if ln and not _CHROME.match(ln)
        ]
        if after:
            csl["title"] = after[0][1]
            if len(after) > 1 and after[1][0] != volume_at and _looks_like_author_list(after[1][1]):
                csl["author"] = _author_line(after[1][1])
    if volume_at is not None:
        match = _LINK_VOLUME.match(stripped[volume_at])
        assert match is not None
        if match.group("journal").strip():
            csl["container-title"] = match.group("journal").strip()
        csl["volume"] = match.group("volume")
        page = match.group("pages") or match.group("article")
        if page and (normalized := normalize_pages(page)):
            csl["page"] = normalized
        csl.setdefault("issued", {"date-parts": [[int(match.group("year"))]]})
    csl.update(_link_sections(stripped))
    return record


def _link_sections(lines: list[str]) -> CSLItem:
    """Abstract, keywords and DOI from the sections below the SpringerLink header."""
    out: CSLItem = {}
    for i, line in enumerate(lines):
        if "abstract" not in out and _HEADINGS_ABSTRACT.match(line):
            # the abstract runs to the first blank line after its text (the body follows)
            body: list[str] = []
            for text in lines[i + 1 :]:
                if not text:
                    if body:
                        break
                    continue
                if _CHROME.match(text):
                    break
                body.append(text)
            if body:
                out["abstract"] = "\n".join(body)
        elif "keyword" not in out and _HEADINGS_KEYWORDS.match(line):
            words: list[str] = []
            for text in lines[i + 1 :]:
                if not text or _CHROME.match(text) or len(text) > 80:
                    break
                words.append(text)
            if words:
                out["keyword"] = ", ".join(words)
        elif "DOI" not in out and (match := _DOI_LABEL.match(line)):
            value = match.group("value") or (lines[i + 1] if i + 1 < len(lines) else "")
            if doi := next(find_dois(value), None):
                out["DOI"] = doi
    if "DOI" not in out:
        # the "Cite this article" block ends with the article's own DOI link
        for i, line in enumerate(lines):
            if (
                _CITE_BLOCK.match(line)
                and i + 1 < len(lines)
                and (doi := next(find_dois(lines[i + 1]), None))
            ):
                out["DOI"] = doi
                break
    return out


def _parse_footer(lines: list[str]) -> dict[str, list[str]]:
    """The metadata block: label lines, each followed by its value lines."""
    start = next((i for i, ln in enumerate(lines) if _FOOTER_START.match(ln)), None)
    if start is not None:
        lines = lines[start + 1 :]
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
        if current == "authors" and line.strip() and not _looks_like_author_list(line):
            current = None  # the names end where prose or the next block begins
        if current and line.strip():
            found[current].append(line.strip())
        elif not line.strip():
            current = None if current != "authors" else current
    # Without the block's heading, a lone "Title"/"DOI" line is no footer.
    if start is None and len(found) < 3:
        return {}
    return found


def _apply_footer(record: Record, lines: list[str]) -> None:
    footer = _parse_footer(lines)
    csl = record.csl
    # The block is the authority; where the header says otherwise, the header's value is
    # reported as rejected (a warning), not silently replaced.
    if footer.get("title"):
        title = " ".join(footer["title"])
        if csl.get("title") and _fold(csl["title"]) != _fold(title):
            record.reject("title", csl["title"], "disagrees with the page's article details")
        csl["title"] = title
    if footer.get("authors"):
        names = [n for line in footer["authors"] for n in parse_name_list(line)]
        if names:
            header = [n.get("family", n.get("literal", "")) for n in csl.get("author", [])]
            block = [n.get("family", n.get("literal", "")) for n in names]
            if header and [_fold(h) for h in header] != [_fold(b) for b in block]:
                record.reject(
                    "author",
                    "; ".join(header),
                    "the header's authors disagree with the page's article details",
                )
            csl["author"] = names
    if footer.get("date") and (date := parse_date(footer["date"][0])):
        csl["issued"] = date
    if footer.get("publisher"):
        csl["publisher"] = footer["publisher"][0]
    if footer.get("container"):
        container = _JOURNAL_ISSUE.match(footer["container"][0])
        if container:
            csl["container-title"] = container.group("journal").rstrip(" /")
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


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text).casefold().split())


_NAME_SEPARATORS = re.compile(r",|\s&\s|\sand\s|\sund\s|\n")


def _author_line(text: str) -> list[dict[str, str]]:
    """``Given Family`` names joined by commas, "&" or "and", with affiliation marks."""
    names = [strip_affiliation_marks(n.strip()) for n in _NAME_SEPARATORS.split(text)]
    return [name for name in (parse_name(n) for n in names if n) if name]


def _looks_like_author_list(paragraph: str) -> bool:
    names = [n.strip() for n in _NAME_SEPARATORS.split(paragraph) if n.strip()]
    return (
        bool(names)
        and len(paragraph) < 2000
        and all(
            1 <= len(n.split()) <= 6 and not n.endswith(".") and not re.search(r"\d{3,}", n)
            for n in names
        )
    )
