"""PubMed pages copied as text: the abstract page, and the "Summary (text)"/"Abstract (text)"
display of one or several records.

Abstract page (pubmed.ncbi.nlm.nih.gov/<PMID>/), top to bottom::

    Review                                       <- publication type badge (optional)
    Radiologie (Heidelb)                         <- journal abbreviation ...
    . 2024 Jul;64(7):575-581.                    <- ... and NLM citation (one line or two)
    doi: 10.1007/s00117-024-01314-z. Epub 2024 May 18.
    [Article in German]
    [Interventional radiological options ...]    <- English title; [brackets] = translated
    C G Radosa 1, H Nebelung 2, ...              <- "Initials Family" + affiliation numbers
    Affiliations / expand / PMID: … PMCID: … DOI: …
    Abstract / <structured abstract> / Keywords: a; b; c.

Text display: records numbered ``1. Radiologie (Heidelb). 2024 Jul;64(7):575-581. doi: …``,
then title, ``Radosa CG(1), Nebelung H(2).``, ``Author information:``, abstract paragraphs,
``DOI:``/``PMCID:``/``PMID:`` lines. Page ranges are NLM-abbreviated (575-81 = 575-581).
"""

from __future__ import annotations

import itertools
import re

from records.identifiers import find_dois, normalize_pmcid, normalize_pmid
from records.model import CSLItem, ParseResult, Record, SourceRef
from records.normalize.language import normalize_language
from records.normalize.names import parse_name
from records.parsers.base import (
    SNIFF_WINDOW,
    Parser,
    head,
    is_markup,
    require_titles,
    split_paragraphs,
)
from records.parsers.fields import add_locator

# "Radiologie (Heidelb). 2024 Jul;64(7):575-581." -- journal, date, volume(issue):pages.
_NLM = re.compile(
    r"^(?:(?P<number>\d+)\.\s+)?(?P<journal>[^.;]{2,}?(?:\.[^.;\s][^.;]*?)*)\s*\.\s*"
    r"(?P<date>\d{4}(?:\s+[A-Z][a-z]{2,3}(?:-[A-Z][a-z]{2,3})?(?:\s+\d{1,2}(?:-\d{1,2})?)?|"
    r"\s+(?:Spring|Summer|Fall|Autumn|Winter))?)"
    r"(?:\s*;\s*(?P<volume>[^(:;.\s]+)?\s*(?:\((?P<issue>[^)]+)\))?)?"
    r"(?:\s*:\s*(?P<pages>[^.;\s]+))?\s*\.(?P<rest>.*)$"
)
_DATE_CONTINUATION = re.compile(r"^\s*\.\s*\d{4}\b")
_DOI_CONTINUATION = re.compile(r"^\s*doi:\s*10\.", re.IGNORECASE)
_DOI_IN_LINE = re.compile(r"\bDOI:\s*10\.")
_CITATION_TAIL_LINE = re.compile(r"^(?:doi:|Epub |Online ahead)")
_ABSTRACT_LANGUAGES = re.compile(r"^in English, \w+$")
_TAGGED = re.compile(r"^[A-Z][A-Z0-9]{1,3}\s{0,3}-\s")
_NO_AUTHORS = re.compile(r"^\s*\[?No authors listed\]?\.?\s*$")
_ARTICLE_IN = re.compile(r"^\s*\[Article in ([A-Za-z, ]+)\]\s*$")
_PMID_LINE = re.compile(r"\bPMID:\s*(\d{1,9})")
_PMCID_LINE = re.compile(r"\bPMCID:\s*(PMC\d+)")
_DOI_LINE = re.compile(r"^\s*(?:doi|DOI)\s*:\s*(10\.\S+?)\.?(?:\s|$)")
_KEYWORDS = re.compile(r"^\s*Keywords:\s*(?P<value>.+)$", re.IGNORECASE)
# "(1)", "(1)(2)" (text display); " 1 2", "2,3" or glued "Mestier1" (abstract page, HTML <sup>)
_AUTHOR_MARKS = re.compile(
    r"\s*\(\d+(?:\s*,\s*\d+)*\)|(?<=[^\d\s,])\s*\d+(?:[\s,]+\d+)*(?=\s*(?:,|$))"
)
# Lines that end the abstract or are page chrome.
_STOP = re.compile(
    r"^\s*(?:PubMed Disclaimer|Conflict of interest statement|Similar articles|Cited by|"
    r"References|Publication types|MeSH terms|Substances|Grants and funding|LinkOut|"
    r"Comment in|Comment on|Erratum in|Figures|Full text links|Related information|"
    r"Copyright|©|Conflict of interest|Keywords:|PMID:|PMCID:|DOI:|Trial registration|"
    r"Supplementary info|Associated data|Proceed to details|Cite|Display options)",
    re.IGNORECASE,
)
_CHROME = re.compile(
    r"^\s*(?:Skip to main page content|An official website of the United States government|"
    r"Here's how you know|The \.gov means|The site is secure|Log in|Show account info|"
    r"Close|Account|Logout|Access keys|NCBI Homepage|MyNCBI Homepage|Main Content|Main Navigation|"
    r"Search in PubMed|Search|Advanced|User Guide|Save|Email|Send to|Display options|"
    r"Full text links|Free article|Free PMC article|Affiliations|expand|collapse|"
    r"Abstract|in English, \w+|Item in Clipboard|Actions|Share|Page navigation|Title & authors|"
    r"Review|Comparative Study|Meta-Analysis|Randomized Controlled Trial|Case Reports|"
    r"Clinical Trial|Editorial|Letter|Comment|Systematic Review|Observational Study|"
    r"English Abstract|Multicenter Study|Practice Guideline|Guideline|Published Erratum)\s*$",
    re.IGNORECASE,
)


class PubMedPageParser(Parser):
    name = "pubmed-text"
    label = "PubMed abstract page or text display"
    aliases = ("pubmed-page",)
    page = True  # one record's web page

    def sniff(self, text: str) -> float:
        if is_markup(text):
            return 0.0
        lines = _join_citation_lines(head(text, 300))
        score = 0.0
        if any(_is_citation(line) for line in lines):
            score += 0.5
        if _PMID_LINE.search(text[:SNIFF_WINDOW]):
            score += 0.3
        window = text[:SNIFF_WINDOW]
        if (
            "pubmed" in window.casefold()
            or "[Article in " in window
            or "Author information:" in window
        ):
            score += 0.2
        return min(score, 1.0)

    def parse(self, text: str, origin: str) -> ParseResult:
        return require_titles(self._parse_all(text, origin), origin, self.label)

    def _parse_all(self, text: str, origin: str) -> ParseResult:
        lines = _join_citation_lines(text.splitlines())
        starts = [i for i, line in enumerate(lines) if _is_citation(line, numbered=True)]
        result = ParseResult()
        first = _NLM.match(lines[starts[0]].strip()) if starts else None
        if len(starts) > 1 or (first is not None and first["number"]):
            # text display: each record starts at its numbered citation line
            bounds = [*starts, len(lines)]
            for position, (start, end) in enumerate(itertools.pairwise(bounds), 1):
                source = SourceRef(self.name, origin, None, position, start + 1)
                result.records.append(_parse_summary(lines[start:end], source))
            return result
        hits = _result_hits(lines)
        if hits:
            # a pasted search result list: title, authors, citation, "PMID: …" per hit
            for position, at in enumerate(hits, start=1):
                result.records.append(
                    _parse_hit(lines, at, SourceRef(self.name, origin, None, position, at))
                )
            return result
        source = SourceRef(self.name, origin, None, 1, 1)
        result.records.append(_parse_abstract_page(lines, source))
        return result


def _next_text(lines: list[str], i: int, step: int) -> int | None:
    """Index of the nearest non-empty line after (step 1) or before (step -1) line ``i``."""
    i += step
    while 0 <= i < len(lines):
        if lines[i].strip():
            return i
        i += step
    return None


def _result_hits(lines: list[str]) -> list[int]:
    """Citation lines directly followed by their "PMID: …" line (the result-list layout)."""
    hits = []
    for i, line in enumerate(lines):
        if _is_citation(line.strip()):
            after = _next_text(lines, i, 1)
            if after is not None and lines[after].strip().startswith("PMID:"):
                hits.append(i)
            elif not hits:
                return []  # the first citation is an abstract page's header
    return hits


def _parse_hit(lines: list[str], at: int, source: SourceRef) -> Record:
    csl: CSLItem = {"type": "article-journal"}
    record = Record(csl=csl, source=source, raw="")
    _citation(csl, lines[at].strip())
    authors_at = _next_text(lines, at, -1)
    title_at = _next_text(lines, authors_at, -1) if authors_at is not None else None
    if authors_at is not None and _NO_AUTHORS.match(lines[authors_at]):
        pass  # "[No authors listed]": the title is the line above it
    elif authors_at is not None and _looks_like_authors(lines[authors_at]):
        csl["author"] = _authors(lines[authors_at].strip())
    elif authors_at is not None:
        title_at = authors_at  # "No authors listed" or none: the line above is the title
    if title_at is not None:
        csl["title"] = _title(lines[title_at])
    pmid_at = _next_text(lines, at, 1)
    pmid_line = lines[pmid_at].strip() if pmid_at is not None else ""
    _identifiers(csl, [pmid_line])
    # "PMID: 38761210 Free PMC article. Review. German." -- a language is named last
    last = pmid_line.rstrip(".").rsplit(".", 1)[-1].strip()
    code = normalize_language(last) if last and " " not in last else None
    csl["language"] = code or "en"
    if code:
        record.original["language"] = last
    start = title_at if title_at is not None else at
    record.raw = "\n".join(ln for ln in lines[start : (pmid_at or at) + 1] if ln.strip())
    return record


def _is_citation(line: str, numbered: bool = False) -> bool:
    if _TAGGED.match(line):  # "SO  - Radiologie. 2024…" is a MEDLINE/RIS field, not a page
        return False
    match = _NLM.match(line.strip())
    if not match or not (match["volume"] or match["pages"] or "doi:" in match["rest"]):
        return False
    return bool(match["number"]) if numbered else True


def _join_citation_lines(lines: list[str]) -> list[str]:
    """The abstract page copies the journal and ". 2024 Jul;64(7):…" on separate lines."""
    out: list[str] = []
    for line in lines:
        if out and _DATE_CONTINUATION.match(line) and out[-1].strip():
            out[-1] = out[-1].rstrip() + line.strip()
        elif out and _DOI_CONTINUATION.match(line) and _NLM.match(out[-1].strip()):
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line)
    return out


def _citation(csl: CSLItem, line: str) -> None:
    match = _NLM.match(line.strip())
    if not match:
        return
    journal = match["journal"].strip().lstrip("> ").strip()
    csl["container-title"] = journal
    csl["container-title-short"] = journal
    add_locator(
        csl, date=match["date"], volume=match["volume"], issue=match["issue"], pages=match["pages"]
    )
    if doi := next(find_dois(match["rest"]), None):
        csl["DOI"] = doi


def _title(text: str) -> str:
    """A title as PubMed prints it; [brackets] mark an English translation of the original."""
    text = text.strip()
    if text.startswith("[") and text.rstrip(".").endswith("]"):
        text = text.rstrip(".")[1:-1]
    return text


def _authors(line: str) -> list[dict[str, str]]:
    bare = _AUTHOR_MARKS.sub("", line.strip().rstrip("."))
    return [n for n in (parse_name(part) for part in bare.split(",")) if n]


def _looks_like_authors(line: str) -> bool:
    if _NO_AUTHORS.match(line):
        return False
    bare = _AUTHOR_MARKS.sub("", line.strip().rstrip("."))
    parts = [p.strip() for p in bare.split(",") if p.strip()]
    return bool(parts) and all(1 <= len(p.split()) <= 5 for p in parts) and len(line) < 3000


def _identifiers(csl: CSLItem, lines: list[str]) -> None:
    for line in lines:
        if "PMID" not in csl and (match := _PMID_LINE.search(line)):
            csl["PMID"] = normalize_pmid(match.group(1))
        if "PMCID" not in csl and (match := _PMCID_LINE.search(line)):
            csl["PMCID"] = normalize_pmcid(match.group(1))
        if "DOI" not in csl and _DOI_IN_LINE.search(line):
            csl["DOI"] = next(find_dois(line.split("DOI:", 1)[1]), None)


def _language(csl: CSLItem, record: Record, lines: list[str]) -> None:
    for line in lines:
        if match := _ARTICLE_IN.match(line):
            name = match.group(1).split(",")[0].strip()
            csl["language"] = normalize_language(name) or name
            record.original["language"] = name
            return
    csl["language"] = "en"  # PubMed notes every article not in English


def _keywords(csl: CSLItem, lines: list[str]) -> None:
    for line in lines:
        if match := _KEYWORDS.match(line):
            words = [w.strip(" .") for w in match["value"].split(";")]
            csl["keyword"] = ", ".join(w for w in words if w)
            return


def _parse_abstract_page(lines: list[str], source: SourceRef) -> Record:
    csl: CSLItem = {"type": "article-journal"}
    record = Record(csl=csl, source=source, raw="\n".join(lines))
    stripped = [ln.strip() for ln in lines]
    at = next((i for i, ln in enumerate(stripped) if _is_citation(ln)), None)
    if at is not None:
        _citation(csl, stripped[at])
        rest = [
            ln
            for ln in stripped[at + 1 :]
            if ln and not _CHROME.match(ln) and not _ARTICLE_IN.match(ln)
        ]
        rest = [ln for ln in rest if not _CITATION_TAIL_LINE.match(ln)]
        if rest:
            csl["title"] = _title(rest[0])
            if len(rest) > 1 and _looks_like_authors(rest[1]) and not _STOP.match(rest[1]):
                csl["author"] = _authors(rest[1])
    if body := _abstract_body(stripped, at or 0):
        csl["abstract"] = "\n".join(body)
    _identifiers(csl, stripped)
    _language(csl, record, stripped)
    _keywords(csl, stripped)
    return record


# "Abstract" as a heading, or glued to the abstract's first word ("AbstractBackground: ...").
_ABSTRACT_HEADING = re.compile(r"^Abstract(?:\s*:)?(?=$|[A-Z]|in English)")


def _abstract_body(stripped: list[str], citation_at: int) -> list[str]:
    """What stands under the "Abstract" heading, never the page's header or navigation.

    "Abstract" is also an entry of the page navigation ("Title & authors / Abstract / Similar
    articles / Cited by") and of the display options: the abstract is the first heading below
    the citation whose text holds prose, up to the first section that ends it.
    """
    for i, line in enumerate(stripped):
        if i < citation_at or not _ABSTRACT_HEADING.match(line):
            continue
        body: list[str] = []
        glued = _ABSTRACT_HEADING.sub("", line).strip()
        for text in [glued, *stripped[i + 1 :]]:
            if _STOP.match(text) or _ABSTRACT_HEADING.fullmatch(text):
                break
            if text and not _ABSTRACT_LANGUAGES.match(text) and not _CHROME.match(text):
                body.append(text)
        if len(" ".join(body)) >= 40 and any(len(text.split()) >= 3 for text in body):
            return body
    return []


def _parse_summary(lines: list[str], source: SourceRef) -> Record:
    """One record of the text display: citation, title, authors, affiliations, abstract, ids."""
    csl: CSLItem = {"type": "article-journal"}
    record = Record(csl=csl, source=source, raw="\n".join(lines).strip())
    paragraphs = split_paragraphs(lines)
    _citation(csl, paragraphs[0].replace("\n", " "))
    body = [p for p in paragraphs[1:] if not _ARTICLE_IN.match(p)]
    if body:
        csl["title"] = _title(body[0].replace("\n", " "))
        body = body[1:]
    if body and _looks_like_authors(body[0].replace("\n", " ")):
        csl["author"] = _authors(body[0].replace("\n", " "))
        body = body[1:]
    abstract: list[str] = []
    for paragraph in body:
        if paragraph.startswith(("Author information:", "Collaborators:")):
            continue
        if _STOP.match(paragraph) or paragraph.startswith(("Erratum", "Comment")):
            continue
        abstract.append(paragraph)
    if abstract:
        csl["abstract"] = "\n".join(abstract)
    stripped = [ln.strip() for ln in lines]
    _identifiers(csl, stripped)
    _language(csl, record, stripped)
    _keywords(csl, stripped)
    return record
