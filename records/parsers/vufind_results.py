"""VuFind search result lists, copied as text: one record per hit.

A hit in VuFind's ``result-list.phtml`` copies as::

    1                                              <- hit number (optional)
    Liver transarterial embolizations in …         <- title
    by de Mestier, Louis, Zappa, Magaly            <- "by" + authors (translated: von, par …)
    Published in Reviews in Endocrine … (2017)     <- container + year, or "Published 2017"
    Journal Article                                <- format
    Get full text / Save to List                   <- chrome

Only these lines are read; hits carry no volume or pages, which enrichment supplies.
"""

from __future__ import annotations

import re
from functools import cache

from records.model import CSLItem, ParseResult, Record, SourceRef
from records.normalize.dates import parse_date
from records.normalize.types import normalize_type
from records.parsers.base import Parser, catalog_labels, head, is_markup
from records.parsers.citation_line import parse_container_line
from records.parsers.vufind import SIMILAR_ITEMS_HEADING, add_names, is_chrome

# VuFind's "by" key in its UI languages.
_BY = r"(?:by|von|par|por|di|door|av|af|per|tekijä|autor|od|от|tarafından)"


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    fields = catalog_labels()["vufind_fields"]

    def alternatives(labels: list[str]) -> str:
        return "|".join(re.escape(x) for x in sorted(labels, key=len, reverse=True))

    by = re.compile(rf"^\s*{_BY}\s*:?\s+(?P<authors>\S.*)$", re.IGNORECASE)
    published_in = re.compile(
        rf"^\s*(?:{alternatives(fields['container'])})\s*:?\s+(?P<container>\S.*?)"
        r"(?:\s*\((?P<year>\d{4})\))?\s*$",
        re.IGNORECASE,
    )
    published = re.compile(
        rf"^\s*(?:{alternatives(fields['publication'])})\s*:?\s+(?P<year>\d{{4}})\s*$",
        re.IGNORECASE,
    )
    return by, published_in, published


def _anchor(line: str) -> str | None:
    by, published_in, published = _patterns()
    if by.match(line):
        return "by"
    if published.match(line):
        return "published"
    if published_in.match(line):
        return "published_in"
    return None


def _hits(lines: list[str]) -> list[tuple[int, int]]:
    """(title line, last line) of each hit: a title line followed by anchor lines. A record
    page's "Similar Items" sidebar lists other records the same way; they are no results."""
    hits: list[tuple[int, int]] = []
    sidebar = next((n for n, line in enumerate(lines) if SIMILAR_ITEMS_HEADING.match(line)), None)
    if sidebar is not None:
        lines = lines[:sidebar]
    i = 0
    while i < len(lines):
        if _anchor(lines[i]) == "by" or (_anchor(lines[i]) and (not hits or hits[-1][1] < i - 1)):
            # the title is the nearest earlier line that is text, not a number or chrome
            j = i - 1
            while j >= 0 and (
                not lines[j].strip() or lines[j].strip().isdigit() or is_chrome(lines[j])
            ):
                j -= 1
            if j < 0 or (hits and j <= hits[-1][1]) or _anchor(lines[j]):
                i += 1
                continue
            end = i
            while end + 1 < len(lines) and _anchor(lines[end + 1]):
                end += 1
            # the format line right after the anchors belongs to the hit
            if end + 1 < len(lines) and normalize_type(lines[end + 1].strip()):
                end += 1
            hits.append((j, end))
            i = end + 1
            continue
        i += 1
    return hits


# The share of a list's text that its hits and chrome must account for, against the long lines
# (PROSE_LINE characters or more) outside any hit.
MIN_COVERAGE = 0.5
PROSE_LINE = 60


class VuFindResultListParser(Parser):
    name = "vufind-results"
    label = "VuFind search result list (text)"
    aliases = ("vufind-list",)

    def sniff(self, text: str) -> float:
        if is_markup(text):
            return 0.0
        lines = head(text, 2000)
        hits = _hits(lines)
        if not hits:
            return 0.0
        with_by = sum(
            1 for start, end in hits if any(_anchor(ln) == "by" for ln in lines[start : end + 1])
        )
        if not with_by:
            return 0.0
        # A result list is hits and the list's chrome, line after line. A text where a few
        # lines happen to start with "by" or "Published in" (a list of reference strings, a
        # bibliography with wrapped lines) is something else: claiming it would read a few
        # garbage hits and drop every other line.
        covered = {i for start, end in hits for i in range(start, end + 1)}
        # Short lines outside the hits are the page's chrome (facets, menus, paging) and say
        # nothing; long ones are text the list would drop, and a reference list is all such.
        accounted = sum(
            1
            for i, line in enumerate(lines)
            if line.strip() and (i in covered or line.strip().isdigit() or is_chrome(line))
        )
        dropped = sum(
            1
            for i, line in enumerate(lines)
            if i not in covered and len(line.strip()) >= PROSE_LINE and not is_chrome(line)
        )
        share = accounted / max(1, accounted + dropped)
        if share < MIN_COVERAGE:
            return 0.3 * share  # a hint for "closest formats", never enough to be chosen
        return min(0.9, 0.4 + 0.2 * len(hits))

    def parse(self, text: str, origin: str) -> ParseResult:
        lines = text.splitlines()
        result = ParseResult()
        by, published_in, published = _patterns()
        for position, (start, end) in enumerate(_hits(lines), start=1):
            csl: CSLItem = {"title": lines[start].strip()}
            for line in lines[start + 1 : end + 1]:
                if match := by.match(line):
                    add_names(csl, match["authors"])
                elif match := published.match(line):
                    csl["issued"] = parse_date(match["year"])
                elif match := published_in.match(line):
                    parts = parse_container_line(match["container"])
                    csl.update({k: v for k, v in parts.items() if k != "year"})
                    year = match["year"] or parts.get("year")
                    if year and (date := parse_date(year)):
                        csl["issued"] = date
                elif kind := normalize_type(line.strip()):
                    csl["type"] = kind
            csl.setdefault("type", "article-journal" if "container-title" in csl else "book")
            source = SourceRef(self.name, origin, None, position, start + 1)
            raw = "\n".join(lines[start : end + 1])
            result.records.append(Record(csl=csl, source=source, raw=raw))
        return result
