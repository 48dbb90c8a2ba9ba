"""Free-text references, one per line: Vancouver/NLM, APA, Springer, Chicago and MLA styles.

    Radosa CG, Nebelung H, Schön F, Hoffmann RT. Radiologisch-interventionelle … Radiologie.
        2024;64(7):575-581. doi:10.1007/s00117-024-01314-z                       (Vancouver)
    Radosa, C. G., Nebelung, H., & Hoffmann, R. T. (2024). Title. Radiologie, 64(7), 575–581.
        https://doi.org/10.1007/s00117-024-01314-z                               (APA)
    Dasari A, Shen C, Halperin D et al (2017) Title. JAMA Oncol 3:1335–1342       (Springer)
    Radosa, C. G., and H. Nebelung. 2024. "Title." Radiologie 64 (7): 575–81.    (Chicago)
    Radosa, C. G., et al. "Title." Radiologie, vol. 64, no. 7, 2024, pp. 575-581. (MLA)

Only what a grammar reads with confidence is set: authors, year, title, journal, volume,
issue, pages, DOI/PMID. A string no grammar reads still yields its DOI/PMID and year when it
states them. The verbatim string is the record's ``raw`` and ``original["reference"]``: it is
the query for bibliographic matching (Crossref ``query.bibliographic``) in enrichment.
Hand-written because the available reference parsers are trained models (anystyle, GROBID,
CERMINE) far too heavy for a pure, offline, fast step; these grammars cover the styles of
medical reference lists, and everything else is left to matching on the verbatim string.
"""

from __future__ import annotations

import re

from records.identifiers import find_dois, normalize_pmid
from records.model import CSLItem, ParseResult, Record, SourceRef
from records.normalize.names import parse_name, parse_name_list
from records.normalize.pages import normalize_pages
from records.parsers.base import Parser, head, is_markup, one_per_line
from records.parsers.fields import add_locator

_NUMBERING = re.compile(r"^\s*(?:\[\d+\]|\d+[.)]|\(\d+\))\s+")
_DOI_TAIL = re.compile(
    r"\s*(?:(?:doi|DOI)\s*:?\s*|https?://(?:dx\.)?doi\.org/)10\.\d{4,9}/\S+\s*$|"
    r"\s*https?://\S+\s*$|\s*(?:PMID|PMCID)\s*:?\s*\w+\.?\s*$|"
    r"\s*(?:Epub|Published online)[^.]*\.?\s*$",
    re.IGNORECASE,
)
_PMID = re.compile(r"\bPMID\s*:?\s*(\d{1,9})\b")
_PAGES = r"[A-Za-z]?\d+[A-Za-z]?(?:\s*[-–—]\s*[A-Za-z]?\d+[A-Za-z]?)?"
# Vancouver/NLM tail: "Radiologie. 2024 Jul;64(7):575-581." -- found first, then the head is split.
_VANCOUVER_TAIL = re.compile(
    r"(?P<head>.+?)\.?\s+(?P<date>\d{4}(?:\s+[A-Z][a-z]{2,8}(?:[-/][A-Z][a-z]{2,8})?(?:\s+\d{1,2})?)?)"
    r"\s*;\s*(?P<volume>[^(:;\s]+)?\s*(?:\((?P<issue>[^)]+)\))?\s*:\s*(?P<pages>" + _PAGES + r")"
    r"\s*\.?\s*$"
)
_APA = re.compile(
    r"^(?P<authors>.+?)\s*\((?P<year>\d{4})[a-z]?(?:,[^)]*)?\)\.\s*(?P<title>.+?[.?!])\s+"
    r"(?P<journal>[^,]+?),\s*(?P<volume>\d+)\s*(?:\((?P<issue>[^)]+)\))?\s*"
    r"(?:,\s*(?P<pages>" + _PAGES + r"))?\s*\.?\s*$"
)
_SPRINGER = re.compile(
    r"^(?P<authors>.+?)\s*\((?P<year>\d{4})[a-z]?\)\s*(?P<title>.+?[.?!])\s+"
    r"(?P<journal>.+?)\s+(?P<volume>\d+)\s*(?:\((?P<issue>[^)]+)\))?\s*:\s*(?P<pages>"
    + _PAGES
    + r")\s*\.?\s*$"
)
# Quoted titles: Chicago 'Radosa, C. G., and H. Nebelung. 2024. "Title." Radiologie 64 (7):
# 575–81.' and MLA 'Radosa, C. G., et al. "Title." Radiologie, vol. 64, no. 7, 2024, pp. 575-581.'
_CHICAGO = re.compile(
    r"^(?P<authors>.+?)\.\s+(?P<year>\d{4})[a-z]?\.\s+[“\"](?P<title>[^”\"]+?)[.,]?[”\"]\s+"
    r"(?P<journal>[^\d]+?)\s+(?P<volume>\d+)\s*(?:\((?P<issue>[^)]+)\))?\s*:\s*(?P<pages>"
    + _PAGES
    + r")\s*\.?\s*$"
)
_MLA = re.compile(
    r"^(?P<authors>.+?)\.\s+[“\"](?P<title>[^”\"]+?)[.,]?[”\"]\s+(?P<journal>[^,]+?),\s*"
    r"vol\.\s*(?P<volume>[^,]+),\s*(?:no\.\s*(?P<issue>[^,]+),\s*)?"
    r"(?:[A-Za-z.]+\s+)?(?P<year>\d{4}),\s*(?:pp?\.\s*(?P<pages>" + _PAGES + r"))?\s*\.?\s*$",
    re.IGNORECASE,
)
_ET_AL = re.compile(r",?\s*(?:et\s+al\.?|u\.\s*a\.|and others)\s*$", re.IGNORECASE)
# "Radosa CG", "de Mestier L", "O'Neill MJ", "Smith J Jr" -- one Vancouver author.
_VANCOUVER_NAME = re.compile(
    r"^(?:[a-z]+\s+)*[A-ZÀ-ÖØ-Þ][\w'’-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w'’-]*)*\s+[A-ZÀ-ÖØ-Þ]{1,4}(?:\s+(?:Jr|Sr|II|III|IV))?$"
)
_MARKED_YEAR = re.compile(r"(?<![\d/])(1[5-9]\d\d|20\d\d)(?:[a-z]?(?=\))|(?=;))")
_GIVEN = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ]\.\s*(?:-\s*)?)+$|^[A-ZÀ-ÖØ-Þ][a-zà-ÿ]+(?:\s+[A-ZÀ-ÖØ-Þ]\.)*$")
_CHICAGO_SPLIT = re.compile(r",\s*(?:and\s+)?|\s+and\s+")
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")
_ABBREVIATED_WORD = re.compile(r"[A-Z][a-z]{0,7}\.")
_NOT_REFERENCE = re.compile(r"^\s*(?:@\w+\s*[{(]|TY\s+-|PMID-|[{\[<]|%[A-Z0-9]\s|\w+\s*=)")


def _authors_vancouver(text: str) -> list[dict[str, str]] | None:
    text = _ET_AL.sub("", text.strip().rstrip("."))
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts or not all(_VANCOUVER_NAME.match(p) for p in parts):
        return None
    return [parse_name(p) for p in parts]


def _authors_any(text: str) -> list[dict[str, str]]:
    text = _ET_AL.sub("", text.strip().rstrip(".").strip())
    if _authors_vancouver(text):
        return _authors_vancouver(text) or []
    return parse_name_list(text)


def _authors_chicago(text: str) -> list[dict[str, str]]:
    """ "Radosa, C. G., H. Nebelung, and R. T. Hoffmann": the first name inverted, then direct."""
    text = _ET_AL.sub("", text.strip().rstrip("."))
    parts = [p.strip() for p in _CHICAGO_SPLIT.split(text) if p.strip()]
    if len(parts) >= 2 and _GIVEN.match(parts[1]):
        names = [parse_name(f"{parts[0]}, {parts[1]}")]
        return names + [parse_name(p) for p in parts[2:]]
    return parse_name_list(text)


def _journal_split(head: str) -> tuple[str, str] | None:
    """ "Authors. Title. Journal" -> ("Authors. Title", "Journal"); keeps "J. Vasc. Radiol."."""
    segments = _SENTENCE_END.split(head.strip())
    if len(segments) < 2:
        return None
    journal = [segments.pop()]
    # abbreviations with periods ("J. Vasc. Interv. Radiol"): short capitalised segments
    while len(segments) > 2 and _ABBREVIATED_WORD.fullmatch(segments[-1]):
        journal.insert(0, segments.pop())
    return " ".join(segments), " ".join(journal).rstrip(".")


def parse_reference(text: str) -> CSLItem:
    """The CSL fields a reference string states, read with confidence (see module docstring)."""
    line = _NUMBERING.sub("", " ".join(text.split()))
    csl: CSLItem = {}
    if doi := next(find_dois(line), None):
        csl["DOI"] = doi
    if pmid := _PMID.search(line):
        csl["PMID"] = normalize_pmid(pmid.group(1))
    body = line
    while (stripped := _DOI_TAIL.sub("", body)) != body:
        body = stripped
    body = body.strip()

    if match := _APA.match(body) or _SPRINGER.match(body):
        authors = _authors_any(match["authors"])
        if authors:
            csl["author"] = authors
        csl["issued"] = {"date-parts": [[int(match["year"])]]}
        csl["title"] = match["title"].rstrip(".")
        csl["container-title"] = match["journal"].strip().rstrip(".")
        csl["volume"] = match["volume"]
        if match["issue"]:
            csl["issue"] = match["issue"]
        if match["pages"] and (page := normalize_pages(match["pages"])):
            csl["page"] = page
        csl["type"] = "article-journal"
        return csl
    if match := _CHICAGO.match(body) or _MLA.match(body):
        if authors := _authors_chicago(match["authors"]):
            csl["author"] = authors
        csl["issued"] = {"date-parts": [[int(match["year"])]]}
        csl["title"] = match["title"].strip()
        csl["container-title"] = match["journal"].strip(" ,.")
        csl["volume"] = match["volume"].strip()
        if match["issue"]:
            csl["issue"] = match["issue"].strip()
        if match["pages"] and (page := normalize_pages(match["pages"])):
            csl["page"] = page
        csl["type"] = "article-journal"
        return csl
    if match := _VANCOUVER_TAIL.match(body):
        split = _journal_split(match["head"])
        if split:
            front, journal = split
            authors_text, _, title = front.partition(". ")
            authors = _authors_vancouver(authors_text)
            if authors and title:
                csl["author"] = authors
                csl["title"] = title.rstrip(".")
            elif not authors and front.count(". ") == 0:
                csl["title"] = front.rstrip(".")  # no author list: the front is the title
            csl["container-title"] = journal
            add_locator(
                csl,
                date=match["date"],
                volume=match["volume"],
                issue=match["issue"],
                pages=match["pages"],
            )
            csl["type"] = "article-journal"
            return csl
    # no grammar: a year only where the string marks it as one ("(2019)", "2019;")
    years = set(_MARKED_YEAR.findall(body))
    if len(years) == 1:
        csl["issued"] = {"date-parts": [[int(years.pop())]]}
    return csl


def _confident(csl: CSLItem) -> bool:
    return bool(csl.get("title") and csl.get("issued") and (csl.get("container-title")))


class ReferenceStringParser(Parser):
    name = "reference"
    label = "free-text references (one per line)"
    aliases = ("references", "citation", "ref")

    def sniff(self, text: str) -> float:
        if is_markup(text):
            return 0.0
        lines = [ln for ln in head(text, 200) if ln.strip()]
        if not lines or any(_NOT_REFERENCE.match(ln) for ln in lines[:5]):
            return 0.0
        read = sum(1 for ln in lines if _confident(parse_reference(ln)))
        share = read / len(lines)
        # below the structured formats (which score 0.9+) so it never takes their input
        # below the threshold a share is still a hint for "closest formats"
        return 0.55 + 0.3 * share if share >= 0.8 else 0.4 * share

    def parse(self, text: str, origin: str) -> ParseResult:
        def read(line: str, position: int, number: int) -> Record | str:
            csl = parse_reference(line)
            if not csl:
                return "no author, title, year or identifier found"
            record = Record(
                csl=csl,
                source=SourceRef(self.name, origin, None, position, number),
                raw=line.strip(),
            )
            record.original["reference"] = line.strip()
            return record

        return one_per_line(text, origin, read)
