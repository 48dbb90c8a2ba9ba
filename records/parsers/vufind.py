"""VuFind record pages, copied as text ("select all, copy, paste"), in VuFind's 21 UI languages.

The page's field table (screen-reader caption "Bibliographic Details") copies as ``LABEL:VALUE``
rows (see :mod:`records.parsers.fieldtable`). Labels come from VuFind's language files
(``data/catalog_labels.json``, built by ``scripts/build_catalog_labels.py``), per field, so
only VuFind's own vocabulary is matched. The title is the page's first line that is not
chrome; the truncated summary above "Full description" is used only when the page has no full
"Summary". Several record pages in one file are split at their field-table captions.
"""

from __future__ import annotations

import re
from functools import cache

from records.identifiers import find_dois, find_issns, normalize_isbn, normalize_pmid
from records.model import CSLItem, ParseResult, Record, SourceRef
from records.normalize.chrome import is_breadcrumb, is_ui_label
from records.normalize.dates import parse_date
from records.normalize.names import (
    is_corporate,
    is_role,
    parse_name,
    role_field,
    split_names_with_roles,
    strip_role,
)
from records.normalize.text import clean_text
from records.normalize.types import normalize_type
from records.parsers.base import Parser, catalog_labels, head, is_markup, require_titles
from records.parsers.citation_line import parse_container_line, starts_with_locator
from records.parsers.fields import add_language
from records.parsers.fieldtable import Entry, FieldTable, group
from records.parsers.publication import split_publication_statement

# ISSN labels that say which kind they are (the rest follow source order: print, electronic).
_ELECTRONIC_ISSN_LABELS = frozenset(
    {"e-issn", "eissn", "elektronische issn", "online issn", "electronic issn"}
)
_PRINT_ISSN_LABELS = frozenset({"print issn", "p-issn", "pissn"})
# Truncated summaries end with an ellipsis; VuFind cuts at 300 characters.
_TRUNCATED = re.compile(r"(\.\.\.|…)\s*$")
# A publication statement ends with its year ("Heidelberg Springer 2024", "Paris : PUF, c2003.").
_ENDS_WITH_YEAR = re.compile(r"(?:^|[\s,.:;\[])c?\d{4}\]?\.?$")
_URL = re.compile(r"https?://\S+")
_SPLIT_COMMA = re.compile(r"[\s,;]+")
# "Tags: Add Tag", "No Tags, Be the first to tag this record!" -- chrome phrases joined.
_NOISE_PARTS = re.compile(r"[:,]")


@cache
def _vocabulary() -> tuple[FieldTable, frozenset[str], frozenset[str]]:
    data = catalog_labels()
    fields = dict(data["vufind_fields"])
    fields["ignored"] = data["vufind_ignored"]
    table = FieldTable(fields)
    noise = frozenset(n.casefold().rstrip(":").strip() for n in data["noise"])
    captions = frozenset(c.casefold() for c in data["vufind_captions"])
    return table, noise, captions


# Site chrome above the record that VuFind's language files do not name: skip links, the
# search box, login and breadcrumbs ("Home › Search › Record"), in the UI languages.
_SITE_CHROME = re.compile(
    r"^(?:skip to (?:main )?content|zum inhalt(?: springen)?|zum hauptinhalt|aller au contenu|"
    r"passer au contenu(?: principal)?|saltar al contenido(?: principal)?|vai al contenuto|"
    r"salta al contenuto|naar (?:de )?inhoud|ga naar (?:de )?inhoud|hoppa till innehåll|"
    r"gå till innehåll|siirry sisältöön|przejdź do treści|přejít na obsah|search|suche|recherche|"
    r"buscar|cerca|ricerca|zoeken|sök|haku|szukaj|hledat|login|log in|anmelden|einloggen|"
    r"connexion|iniciar sesión|accedi|inloggen|logga in|menu|menü|home|startseite|accueil|"
    r"inicio|pagina iniziale|startpagina|startsida|back to results|zurück zur trefferliste|"
    r"retour aux résultats|volver a los resultados|torna ai risultati|terug naar resultaten|"
    r"tillbaka till träfflistan|(?:home|startseite|accueil|inicio|start)\s*[›>»/|].*)$",
    re.IGNORECASE,
)


def is_chrome(line: str) -> bool:
    """Whether a line is VuFind page chrome (tabs, toolbar, tag box, skip links, the search
    form, book bag, language switch, breadcrumb) in any UI language."""
    _, noise, _ = _vocabulary()
    text = line.strip().rstrip(":").strip().casefold()
    if not text or text in noise or _SITE_CHROME.match(text) or is_ui_label(line):
        return True
    parts = [p.strip(" !.") for p in _NOISE_PARTS.split(text)]
    return all(p in noise or not p for p in parts)


# Where the record ends on a whole-page copy: the sidebar's "Similar Items" (other records'
# titles and authors follow) and the site's footer.
_SIMILAR_ITEMS = (
    r"similar items|ähnliche einträge|ähnliche titel|documents similaires|"
    r"ítems similares|documenti simili|vergelijkbare items|liknande poster"
)
_RECORD_END = re.compile(
    rf"^\s*(?:{_SIMILAR_ITEMS}|powered by vufind|©.*|\(c\) \d{{4}}.*)\s*:?\s*$",
    re.IGNORECASE,
)
# A record page's sidebar heading: the titles under it are other records' recommendations.
SIMILAR_ITEMS_HEADING = re.compile(rf"^\s*(?:{_SIMILAR_ITEMS})\s*:?\s*$", re.IGNORECASE)


def _record_lines(lines: list[str]) -> list[str]:
    """The page's lines up to the sidebar or footer that follows the record (once the field
    table has begun: a "Similar Items" tab above the record is only a tab)."""
    table, _, _ = _vocabulary()
    seen_row = False
    for index, line in enumerate(lines):
        if table.match(line):
            seen_row = True
        elif seen_row and _RECORD_END.match(line):
            return lines[:index]
    return lines


_CUT = re.compile(r"\s*(?:\.\.\.|…)\s*$")
_CRUMB_SEPARATORS = re.compile(r"\s+[›>»|/]\s+")


def _title_block(
    lines: list[str], first_row: int, record: Record | None = None
) -> tuple[str | None, str | None]:
    """The title and the truncated summary from the lines above the field table.

    The title is the heading the page repeats: a breadcrumb ends with it, cut ("Search: x ›
    Radiologisch gesteuerte Interv..."), and the heading gives it whole. Without a breadcrumb
    it is the first line of the last block of text above the table, blocks being separated by
    chrome (skip link, the site's name above the search form, the toolbar): the site's name
    comes before the chrome, the record's heading after it.
    """
    blocks: list[list[str]] = [[]]
    cuts: list[str] = []
    crumbs: list[str] = []  # the breadcrumb's cut titles as the page prints them
    for line in lines[:first_row]:
        text = line.strip()
        if not text or _is_caption(text):
            continue
        if is_chrome(text) or is_breadcrumb(text):
            if is_breadcrumb(text) or _CRUMB_SEPARATORS.search(text):
                last = _CRUMB_SEPARATORS.split(text)[-1]
                if _CUT.search(last):
                    cuts.append(_CUT.sub("", last).casefold())
                    crumbs.append(last)
            if blocks[-1]:
                blocks.append([])
            continue
        blocks[-1].append(text)
    content = [line for block in blocks for line in block]
    # A short line ending in "..." that starts another line is that line cut (a breadcrumb).
    for line in content:
        if _CUT.search(line) and len(line) < 100:
            stem = _CUT.sub("", line).casefold()
            if any(o.casefold().startswith(stem) and o != line for o in content):
                cuts.append(stem)
    summary = None
    title = None
    for stem in cuts:
        title = next(
            (ln for ln in content if ln.casefold().startswith(stem) and not _CUT.search(ln)),
            None,
        )
        if title:
            break
    if title is None:
        for block in reversed(blocks):
            heads = [ln for ln in block if not (_TRUNCATED.search(ln) and len(ln) >= 100)]
            heads = [ln for ln in heads if ln.casefold().rstrip(".…") not in cuts]
            if heads:
                title = heads[0]
                break
    if (
        title is not None
        and record is not None
        and cuts
        and not any(title.casefold().startswith(stem) for stem in cuts)
    ):
        # The breadcrumb names another title than the heading: the heading is taken.
        shown = crumbs[0] if crumbs else cuts[0]
        record.reject("title", shown, "the breadcrumb disagrees with the page's heading")
    if title is not None:
        rest = content[content.index(title) + 1 :]
        summary = next((ln for ln in rest if _TRUNCATED.search(ln) and len(ln) >= 60), None)
        after = [ln for ln in rest if not (_CUT.search(ln) and len(ln) < 100)]
        if summary is None and len(after) == 1 and len(after[0]) >= 100:
            summary = after[0]
    return title, summary


def _is_caption(line: str) -> bool:
    return line.strip().rstrip(":").strip().casefold() in _vocabulary()[2]


class VuFindPageParser(Parser):
    name = "vufind-text"
    label = "VuFind record page (text)"
    aliases = ("vufind",)
    page = True  # one record's web page

    def sniff(self, text: str) -> float:
        if is_markup(text):
            return 0.0
        table, _, _ = _vocabulary()
        lines = head(text, 400)
        fields: set[str] = set()
        for field in table.fields_in(lines):
            fields.update(field.split("|"))
        core = fields & {"container", "authors", "type", "language", "publication", "issn"}
        caption = any(_is_caption(line) for line in lines)
        return min(1.0, len(core) / 4 + (0.3 if caption else 0.0))

    def parse(self, text: str, origin: str) -> ParseResult:
        return require_titles(self._parse_all(text, origin), origin, self.label)

    def _parse_all(self, text: str, origin: str) -> ParseResult:
        result = ParseResult()
        for position, (start_line, lines) in enumerate(_split_pages(text), start=1):
            source = SourceRef(self.name, origin, None, position, start_line)
            result.records.append(parse_page(lines, source, start_line))
        return result


def _split_pages(text: str) -> list[tuple[int, list[str]]]:
    """A pasted series of record pages, one chunk per page, each with its first line number.

    Each page's title block sits above its caption ("Bibliographic Details"): a page ends after
    the last labelled row (and that row's continuation lines) before the next page's caption.
    """
    lines = text.splitlines()
    captions = [i for i, line in enumerate(lines) if _is_caption(line)]
    if len(captions) <= 1:
        return [(1, lines)]
    table, _, _ = _vocabulary()
    cuts = [0]
    for caption in captions[1:]:
        last_field = max(
            (i for i in range(cuts[-1], caption) if table.match(lines[i])), default=cuts[-1]
        )
        cut = last_field + 1
        # the value on the next line(s) and continuation lines of that last row
        # (a second ISSN, a DOI): short lines without spaces or made of identifiers
        while cut < caption and (
            (not lines[cut].strip() and cut == last_field + 1)
            or re.fullmatch(r"[\dXx\-\s]+|10\.\S+|https?://\S+", lines[cut].strip())
        ):
            cut += 1
        cuts.append(cut)
    cuts.append(len(lines))
    return [(cuts[i] + 1, lines[cuts[i] : cuts[i + 1]]) for i in range(len(cuts) - 1)]


def _looks_like_publication(value: str) -> bool:
    """ "Amsterdam Elsevier 2019" (a publication statement) vs "Radiologe Vol. 64; nr. 7"."""
    line = value.strip().splitlines()[0] if value.strip() else ""
    parts = parse_container_line(line)
    if any(k in parts for k in ("volume", "issue", "page")):
        return False
    return bool(_ENDS_WITH_YEAR.search(line))


def _resolve(entries: list[Entry]) -> list[Entry]:
    """Decide ambiguous labels ("Gepubliceerd in": container or publication) by value shape."""
    for entry in entries:
        if "|" in entry.field:
            options = entry.field.split("|")
            if "container" in options and "publication" in options:
                entry.field = "publication" if _looks_like_publication(entry.value) else "container"
            else:
                entry.field = options[0]
    return entries


def add_names(csl: CSLItem, text: str, *, default_role: str = "author") -> None:
    """Names with role suffixes, each into the CSL variable for its role."""
    for name, role in split_names_with_roles(text):
        variable = role_field(role) if role else default_role
        if variable == "contributor":
            continue
        parsed = parse_name(name)
        if parsed:
            csl.setdefault(variable, []).append(parsed)


def parse_page(lines: list[str], source: SourceRef, first_line: int = 1) -> Record:
    """One VuFind record page (its lines) as a record."""
    table, _, _ = _vocabulary()
    raw = "\n".join(lines)
    lines = _record_lines(lines)
    entries, _ = table.read(lines, is_chrome, first_line)
    values = group(_resolve(entries))
    csl: CSLItem = {}
    record = Record(csl=csl, source=source, raw=raw)

    def first(field: str) -> str | None:
        return next((e.first_line() for e in values.get(field, []) if e.first_line()), None)

    first_row = entries[0].line - first_line if entries else len(lines)
    # The summary under the title: cut with an ellipsis at 300 characters, or shown whole
    # when shorter (then it is the one long line after the title).
    title, truncated = _title_block(lines, first_row, record)
    if title:
        csl["title"] = title

    container_parts: dict[str, str] = {}
    if container := _container_line(values.get("container", [])):
        container_parts = parse_container_line(container)
        csl.update({k: v for k, v in container_parts.items() if k != "year"})

    for entry in entries:  # in page order: main, corporate, other authors
        if entry.field in ("authors", "other_authors"):
            add_names(csl, entry.value)
        elif entry.field == "corporate_authors":
            for line in entry.lines():
                name = strip_role(line)
                suffix = line[len(name) :].strip(" ,()[]")
                if suffix and not is_role(suffix):
                    name, suffix = line.strip(), ""  # "European Society of Radiology (ESR)"
                role = role_field(suffix or None)
                if name and role in ("author", "editor"):
                    csl.setdefault(role, []).append({"literal": name})
    if "author" in csl:
        # a corporate name among personal ones ("Deutsche Röntgengesellschaft") stays literal
        csl["author"] = [
            {"literal": n["family"]} if set(n) == {"family"} and is_corporate(n["family"]) else n
            for n in csl["author"]
        ]

    for entry in values.get("type", []):
        kind = next((normalize_type(v) for v in entry.lines() if normalize_type(v)), None)
        if kind:
            csl["type"] = kind
            break
    if language := first("language"):
        add_language(record, language)
    if publication := first("publication"):
        csl.update(split_publication_statement(publication))
    if place := first("place"):
        csl.setdefault("publisher-place", place)
    if edition := first("edition"):
        csl["edition"] = edition
    if series := first("series"):
        csl["collection-title"] = series
    if subjects := values.get("subjects"):
        keywords = [clean_text(s) for e in subjects for s in e.lines()]
        csl["keyword"] = ", ".join(dict.fromkeys(k for k in keywords if k))
    abstracts = [" ".join(e.lines()) for e in values.get("abstract", []) if e.lines()]
    if abstracts:
        csl["abstract"] = max(abstracts, key=len)
    elif truncated:
        csl["abstract"] = truncated
    _add_issns(record, values.get("issn", []))
    for entry in values.get("doi", []):
        if found := next(find_dois(entry.value), None):
            csl["DOI"] = found
            break
    for entry in values.get("isbn", []):
        isbns = [normalize_isbn(v) for v in _SPLIT_COMMA.split(entry.value) if v]
        if any(isbns):
            csl["ISBN"] = ", ".join(i for i in dict.fromkeys(isbns) if i)
            break
    if pmid := first("pmid"):
        csl["PMID"] = normalize_pmid(pmid.split()[0]) or None
    for entry in values.get("online_access", []):
        if url := _URL.search(entry.value):
            csl["URL"] = url.group(0)
            break
    if "issued" not in csl and (date := parse_date(container_parts.get("year"))):
        csl["issued"] = date
    if "type" not in csl:
        csl["type"] = (
            "book"
            if "ISBN" in csl and "container-title" not in csl
            else ("chapter" if "ISBN" in csl else "article-journal")
        )
    return record


def _container_line(entries: list[Entry]) -> str | None:
    """The "Published in" value: its first line, with the volume/issue/pages line that some
    pages print on a line of its own under the journal's name joined to it."""
    for entry in entries:
        lines = entry.lines()
        if not lines:
            continue
        if len(lines) > 1 and starts_with_locator(lines[1]) and not starts_with_locator(lines[0]):
            return f"{lines[0]} {lines[1]}"
        return lines[0]
    return None


def _add_issns(record: Record, entries: list[Entry]) -> None:
    issns: list[str] = []
    for entry in entries:
        for issn in find_issns(entry.value):
            if issn in issns:
                continue
            issns.append(issn)
            if entry.label in _ELECTRONIC_ISSN_LABELS:
                record.issn_kinds[issn] = "electronic"
            elif entry.label in _PRINT_ISSN_LABELS:
                record.issn_kinds[issn] = "print"
    if not issns:
        return
    record.csl["ISSN"] = ", ".join(issns)
    # Summon lists ISSN before EISSN: with two unlabelled ISSNs the first is print.
    unlabelled = [i for i in issns if i not in record.issn_kinds]
    if len(unlabelled) == 2 and len(issns) == 2:
        record.issn_kinds[unlabelled[0]] = "print"
        record.issn_kinds[unlabelled[1]] = "electronic"
