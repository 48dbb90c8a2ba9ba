"""VuFind record pages, copied as text ("select all, copy, paste").

The page's field table (caption "Bibliographic Details") copies as ``LABEL:VALUE`` lines, the
value glued to the label, after a space or tab, or on the next line. Labels are matched against
a closed set (VuFind's translations in 21 UI languages, longest first) -- never "any word before a
colon", since abstracts contain colons. Lines after a field that carry no label continue it
(a second ISSN on its own line). The title is the page's first line that is not chrome; the
truncated summary above "Full description" is used only when the page has no full "Summary".
"""

from __future__ import annotations

import re
from functools import cache

from records.identifiers import find_dois, find_issns, normalize_isbn, normalize_pmid
from records.model import CSLItem, ParseResult, Record, SourceRef
from records.normalize.dates import parse_date
from records.normalize.language import normalize_language
from records.normalize.names import parse_name_list, strip_role
from records.normalize.text import clean_text
from records.normalize.types import normalize_type
from records.parsers.base import Parser, catalog_labels
from records.parsers.citation_line import parse_container_line
from records.parsers.publication import split_publication_statement

# Labels whose field is the ISSN kind they name (the rest follow source order: print, electronic).
_ELECTRONIC_ISSN_LABELS = {
    "e-issn",
    "eissn",
    "elektronische issn",
    "online issn",
    "electronic issn",
}
_PRINT_ISSN_LABELS = {"print issn", "p-issn", "pissn"}
# Truncated summaries end with an ellipsis; VuFind cuts at 300 characters.
_TRUNCATED = re.compile(r"(\.\.\.|…)\s*$")


@cache
def _label_index() -> tuple[re.Pattern[str], dict[str, str], frozenset[str]]:
    data = catalog_labels()
    by_label: dict[str, str] = {}
    for field, labels in data["fields"].items():
        for label in labels:
            by_label.setdefault(label.casefold(), field)
    for label in _ELECTRONIC_ISSN_LABELS | _PRINT_ISSN_LABELS:
        by_label[label] = "issn"
    alternatives = "|".join(re.escape(label) for label in sorted(by_label, key=len, reverse=True))
    # LABEL followed by ":" (value glued, spaced, or on the next line) or by a TAB.
    pattern = re.compile(
        rf"^\s*(?P<label>{alternatives})\s*(?::[ \t]*|\t+)(?P<value>.*)$", re.IGNORECASE
    )
    noise = frozenset(n.casefold().rstrip(":") for n in data["noise"])
    return pattern, by_label, noise


def _is_noise(line: str, noise: frozenset[str]) -> bool:
    text = line.strip().rstrip(":").strip().casefold()
    if not text:
        return True
    if text in noise:
        return True
    # "Tags: Add Tag", "No Tags, Be the first to tag this record!" -- chrome phrases joined.
    parts = [p.strip(" !.") for p in re.split(r"[:,]", text)]
    return all(p in noise or p in {"tags", ""} for p in parts)


class VuFindPageParser(Parser):
    name = "vufind-text"
    label = "VuFind record page (text)"
    aliases = ("vufind",)

    def sniff(self, text: str) -> float:
        pattern, by_label, noise = _label_index()
        fields = set()
        for line in text.splitlines()[:400]:
            match = pattern.match(line)
            if match:
                fields.add(by_label[match.group("label").casefold()])
        core = fields & {"container", "authors", "type", "language", "publication", "issn"}
        caption = any(
            line.strip().casefold() in noise and "bibl" in line.casefold()
            for line in text.splitlines()[:400]
        )
        return min(1.0, len(core) / 4 + (0.3 if caption else 0.0))

    def parse(self, text: str, origin: str) -> ParseResult:
        # A pasted list of several record pages: each starts again at its own title block,
        # which we find by its field-table caption ("Bibliographic Details").
        result = ParseResult()
        for position, (start_line, chunk) in enumerate(_split_pages(text), start=1):
            source = SourceRef(self.name, origin, None, position, start_line)
            result.records.append(_parse_page(chunk, source))
        return result


def _split_pages(text: str) -> list[tuple[int, str]]:
    lines = text.splitlines()
    _, _, noise = _label_index()
    captions = [
        i
        for i, line in enumerate(lines)
        if line.strip().casefold() in noise and "bibl" in line.casefold()
    ]
    if len(captions) <= 1:
        return [(1, text)]
    # Each page's title block sits above its caption: cut halfway between the previous page's
    # last field line and the next caption, i.e. after the last labelled line of each page.
    pattern, _, _ = _label_index()
    cuts = [0]
    for caption in captions[1:]:
        last_field = max(
            (i for i in range(cuts[-1], caption) if pattern.match(lines[i])), default=cuts[-1]
        )
        # skip the continuation lines of that last field (e.g. a second ISSN)
        cut = last_field + 1
        while (
            cut < caption
            and lines[cut].strip()
            and re.fullmatch(r"[\dXx\-\s]+", lines[cut].strip())
        ):
            cut += 1
        cuts.append(cut)
    cuts.append(len(lines))
    return [(cuts[i] + 1, "\n".join(lines[cuts[i] : cuts[i + 1]])) for i in range(len(cuts) - 1)]


def _parse_page(text: str, source: SourceRef) -> Record:
    pattern, by_label, noise = _label_index()
    lines = text.splitlines()
    fields: list[tuple[str, str, str]] = []  # (field, label, value)
    preamble: list[str] = []
    current: list[str] | None = None
    for line in lines:
        match = pattern.match(line)
        if match:
            label = match.group("label")
            fields.append((by_label[label.casefold()], label.casefold(), match.group("value")))
            current = [match.group("value")]
            continue
        if _is_noise(line, noise):
            current = None if line.strip() else current
            continue
        if fields and current is not None:
            fields[-1] = (fields[-1][0], fields[-1][1], fields[-1][2] + "\n" + line)
        elif not fields:
            preamble.append(line)

    csl: CSLItem = {}
    record = Record(csl=csl, source=source, raw=text)
    values: dict[str, list[tuple[str, str]]] = {}
    for field, label, value in fields:
        values.setdefault(field, []).append((label, value.strip()))

    def first(field: str) -> str | None:
        return next((v for _, v in values.get(field, []) if v), None)

    # Title: the first line of the page that is not chrome and not the truncated summary.
    title_lines = [ln.strip() for ln in preamble if ln.strip()]
    truncated = next((ln for ln in title_lines[1:] if _TRUNCATED.search(ln)), None)
    if title_lines:
        csl["title"] = title_lines[0]

    if container := first("container"):
        csl.update(
            {
                k: v
                for k, v in parse_container_line(container.splitlines()[0]).items()
                if k != "year"
            }
        )
    authors = []
    for _, value in values.get("authors", []):
        authors.extend(parse_name_list(" ".join(value.splitlines())))
    for _, value in values.get("corporate_authors", []):
        authors.extend({"literal": strip_role(v)} for v in value.splitlines() if strip_role(v))
    if authors:
        csl["author"] = authors
    if kind := first("type"):
        csl["type"] = normalize_type(kind.splitlines()[0], default="article-journal")
    if language := first("language"):
        raw_language = language.splitlines()[0].strip()
        code = normalize_language(raw_language)
        csl["language"] = code or raw_language
        if code and code != raw_language:
            record.original["language"] = raw_language
    if publication := first("publication"):
        statement = split_publication_statement(publication.splitlines()[0])
        csl.update(statement)
    if place := first("place"):
        csl.setdefault("publisher-place", place.splitlines()[0])
    if edition := first("edition"):
        csl["edition"] = edition.splitlines()[0]
    if series := first("series"):
        csl["collection-title"] = series.splitlines()[0]
    if subjects := values.get("subjects"):
        keywords = [clean_text(s) for _, v in subjects for s in v.splitlines() if s.strip()]
        csl["keyword"] = ", ".join(dict.fromkeys(keywords))
    abstracts = [v for _, v in values.get("abstract", []) if v]
    if abstracts:
        csl["abstract"] = max(abstracts, key=len)
    elif truncated:
        csl["abstract"] = truncated
    issns: list[str] = []
    for label, value in values.get("issn", []):
        for issn in find_issns(value):
            if issn in issns:
                continue
            issns.append(issn)
            if label in _ELECTRONIC_ISSN_LABELS:
                record.issn_kinds[issn] = "electronic"
            elif label in _PRINT_ISSN_LABELS:
                record.issn_kinds[issn] = "print"
    if issns:
        csl["ISSN"] = ", ".join(issns)
        # Summon lists ISSN before EISSN: with two unlabelled ISSNs the first is print.
        unlabelled = [i for i in issns if i not in record.issn_kinds]
        if len(unlabelled) == 2 and len(issns) == 2:
            record.issn_kinds[unlabelled[0]] = "print"
            record.issn_kinds[unlabelled[1]] = "electronic"
    if doi := first("doi"):
        found = next(find_dois(doi), None)
        if found:
            csl["DOI"] = found
    if isbn_text := first("isbn"):
        isbns = [normalize_isbn(v) for v in re.split(r"[\s,;]+", isbn_text) if v]
        if any(isbns):
            csl["ISBN"] = ", ".join(i for i in dict.fromkeys(isbns) if i)
            csl.setdefault("type", "book")
    if pmid := first("pmid"):
        csl["PMID"] = normalize_pmid(pmid.split()[0]) or None
    if access := first("online_access"):
        url = re.search(r"https?://\S+", access)
        if url:
            csl["URL"] = url.group(0)
    if "issued" not in csl and "publication" not in values:
        container_year = parse_container_line(first("container") or "").get("year")
        if container_year and (date := parse_date(container_year)):
            csl["issued"] = date
    csl.setdefault(
        "type", "book" if "ISBN" in csl and "container-title" not in csl else "article-journal"
    )
    return record
