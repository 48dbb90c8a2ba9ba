"""Conformance cases: other projects' importer fixtures (input -> expected), compared field by field.

Used by ``test_conformance.py`` (every case must meet its recorded floor) and by
``scripts/conformance`` (prints the per-format table for the README). Sources, all read in place
from ``tests/data/shared/fixtures/formats`` (copied from the team's shared data):

* rispy ``expected.json`` (RIS -> rispy dicts), citation-js RIS file cases (RIS -> CSL-JSON);
* citation-js BibTeX/BibLaTeX cases and the mapping tables (``*-input.bib`` -> ``*-csl.json``);
* JabRef importer pairs (RIS, MEDLINE text, nbib, PubMed XML, MARCXML, EndNote XML -> ``.bib``):
  the expected ``.bib`` is read with our BibTeX parser and compared with our reading of the input;
* bibtexparser v1 ``X.bib`` -> ``X_output.bib`` (the same entries re-serialised);
* pymarc ``one.dat`` / ``batch.xml`` -> ``one.json`` / ``batch.json`` (MARC-in-JSON of the same records).

Where a source follows another mapping convention, the comparison adapts the *expected* side and
says why in :data:`CONVENTIONS`; nothing is adapted to make a single case pass.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from records.identifiers import issn_list, normalize_doi, normalize_isbn
from records.normalize.language import normalize_language
from records.normalize.pages import normalize_pages
from records.normalize.record import normalize_csl
from records.parsers import parse_bytes
from tests.conftest import FIXTURES

FORMATS = FIXTURES / "formats"

# Mapping conventions where the fixtures' projects and this one differ on purpose.
CONVENTIONS = {
    "particles": "CSL 'non-dropping-particle' is merged into 'family' (the Zotero convention the "
    "record model follows: 'von Helmholtz').",
    "initials": "given names are compared without dots and spaces ('J.W.' = 'J. W.'): we write "
    "initials 'J. W.'.",
    "literal": "a braced BibTeX name is a CSL literal here, {'family': ...} in citation-js; the "
    "displayed name is compared.",
    "markup": "rich-text markup (<i>, <sup>) is stripped from titles: the record model holds "
    "plain text.",
    "identifiers": "ISBNs are compared as ISBN-13, ISSNs only when valid (invalid ones are "
    "dropped by design).",
    "language": "languages are compared as ISO 639-1 codes ('italian', 'eng' -> 'it', 'en').",
    "types": "booklet -> CSL 'pamphlet' (citation-js: 'book') and inreference -> "
    "'entry-encyclopedia' (citation-js: 'entry') are counted equal; JabRef's BibTeX entry types are "
    "not compared (they are JabRef's choice of BibTeX type, not a CSL type).",
    "keywords": "keywords are compared as sets, split on ',' and ';'. MEDLINE/PubMed: the "
    "author keywords (OT, KeywordList) are the keywords, MeSH headings only when there are "
    "none (JabRef adds both).",
    "container": "RIS: the full journal title (T2/JF) is container-title and the abbreviation "
    "(JO/JA/J2) container-title-short; JabRef takes JO as the journal.",
    "ris-misc": "RIS M1 is a number only when it looks like one, SN keeps every ISSN, A2 is "
    "the editor, ET with a date is no edition; JabRef maps M1/AN to number, keeps one ISSN, "
    "and appends repeated TI lines.",
    "marc": "MARC 490/830 $v is the number in the series (collection-number), not the volume; "
    "brackets of cataloguer-supplied text are removed.",
}

Item = dict[str, Any]
# CSL types where the fixtures choose a more general one (see CONVENTIONS["types"]).
_TYPE_EQUIVALENTS = {"pamphlet": "book", "entry-encyclopedia": "entry", "entry-dictionary": "entry"}


@dataclass
class Outcome:
    fields: int = 0
    passed: int = 0
    diffs: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.passed == self.fields


@dataclass
class Case:
    format: str
    source: str
    name: str
    run: Callable[[], Outcome]


# --- field comparison ----------------------------------------------------------------------


def _text(value: Any) -> str:
    text = unicodedata.normalize("NFC", str(value))
    text = re.sub(r"<[^<>]+>", "", text)
    text = re.sub(r"[\s\u00a0]+", " ", text).strip().rstrip(".").strip()
    return text.casefold()


def _family(name: Item) -> str:
    if "literal" in name:
        return _text(name["literal"])
    parts = [name.get("dropping-particle"), name.get("non-dropping-particle"), name.get("family")]
    return _text(" ".join(p for p in parts if p))


def _given(name: Item) -> str:
    return re.sub(r"[.\s]", "", _text(name.get("given", "")))


def _names(value: Any) -> list[tuple[str, str]]:
    return [(_family(n), _given(n)) for n in value or [] if isinstance(n, dict) and n]


def _year_month(value: Any) -> tuple[int, ...]:
    try:
        parts = value["date-parts"][0]
        return tuple(int(p) for p in parts[:2])
    except (KeyError, IndexError, TypeError, ValueError):
        return ()


def _keywords(value: Any) -> set[str]:
    return {_text(k) for k in re.split(r"[,;]", str(value or "")) if k.strip()}


def _canon(key: str, value: Any) -> Any:
    if key in ("author", "editor"):
        return _names(value)
    if key == "issued":
        return _year_month(value)
    if key == "page":
        return normalize_pages(str(value)) if value else None
    if key == "DOI":
        doi = normalize_doi(str(value)) if value else None
        return doi.lower() if doi else None
    if key == "ISSN":
        return set(issn_list(str(value))) if value else set()
    if key == "ISBN":
        return {normalize_isbn(v) for v in re.split(r"[,;\s]+", str(value)) if normalize_isbn(v)}
    if key == "language":
        return normalize_language(str(value)) or _text(value)
    if key == "keyword":
        return _keywords(value)
    if key == "type":
        return _TYPE_EQUIVALENTS.get(str(value), str(value))
    return _text(value) if value not in (None, "") else None


def compare(expected: Item, got: Item, keys: list[str], outcome: Outcome, label: str) -> None:
    """Compare the ``keys`` present in ``expected`` with ``got``; record every difference."""
    for key in keys:
        if key not in expected or expected[key] in (None, "", [], {}):
            continue
        want, have = _canon(key, expected[key]), _canon(key, got.get(key))
        if key == "issued" and want and have and len(want) != len(have):
            # One side has only the year: compare what both have.
            n = min(len(want), len(have))
            want, have = want[:n], have[:n]
        if want in (None, set(), (), []):
            continue
        outcome.fields += 1
        if want == have:
            outcome.passed += 1
        else:
            outcome.diffs.append(f"{label} {key}: expected {want!r}, got {have!r}")


def _parse(path: Path, fmt: str | None = None) -> list[Item]:
    return [r.csl for r in parse_bytes(path.read_bytes(), path.name, fmt).records]


def _pairwise(expected: list[Item], got: list[Item], keys: list[str]) -> Outcome:
    outcome = Outcome()
    if len(got) < len(expected):
        outcome.fields += 1
        outcome.diffs.append(f"expected {len(expected)} records, got {len(got)}")
    for i, (want, have) in enumerate(zip(expected, got, strict=False), start=1):
        compare(want, have, keys, outcome, f"record {i}")
    return outcome


# --- sources -------------------------------------------------------------------------------

CSL_KEYS = [
    "type",
    "title",
    "author",
    "editor",
    "container-title",
    "volume",
    "issue",
    "page",
    "issued",
    "DOI",
    "ISSN",
    "ISBN",
    "PMID",
    "publisher",
    "publisher-place",
    "edition",
    "abstract",
    "keyword",
    "language",
    "URL",
]
_RISPY_KEYS = {
    "title": ("title", "primary_title"),
    "author": ("authors", "first_authors"),
    "editor": ("secondary_authors",),
    "container-title": ("secondary_title", "alternate_title3", "journal_name"),
    "volume": ("volume",),
    "issue": ("number",),
    "issued": ("year", "publication_year"),
    "DOI": ("doi",),
    "ISSN": ("issn",),
    "publisher": ("publisher",),
    "publisher-place": ("place_published",),
    "abstract": ("abstract", "notes_abstract"),
    "keyword": ("keywords",),
    "language": ("language",),
}


def _rispy_to_csl(entry: Item) -> Item:
    """rispy's keys as CSL fields, values read with the same general rules as ours."""
    from records.normalize.names import parse_name
    from records.parsers.fields import slashed_date

    out: Item = {}
    for csl_key, keys in _RISPY_KEYS.items():
        value = next((entry[k] for k in keys if entry.get(k)), None)
        if value is None:
            continue
        if csl_key in ("author", "editor"):
            out[csl_key] = [parse_name(v) for v in value]
        elif csl_key == "issued":
            out[csl_key] = slashed_date(value)
        elif csl_key == "keyword":
            out[csl_key] = ", ".join(value)
        else:
            out[csl_key] = value
    if entry.get("start_page"):
        end = entry.get("end_page")
        out["page"] = f"{entry['start_page']}-{end}" if end else entry["start_page"]
    return out


def rispy_cases() -> Iterator[Case]:
    data = json.loads((FORMATS / "rispy/expected.json").read_text("utf-8"))
    for case in data["cases"]:
        path = FORMATS / "rispy/data" / case["input_file"]

        def run(case: Item = case, path: Path = path) -> Outcome:
            expected = [_rispy_to_csl(e) for e in case["expected"]]
            return _pairwise(expected, _parse(path, "ris"), CSL_KEYS)

        yield Case("ris", "rispy", case["test"], run)


def citationjs_ris_cases() -> Iterator[Case]:
    data = json.loads((FORMATS / "citation-js/plugin-ris/test/input.json").read_text("utf-8"))
    for name, (text, expected) in data["@ris/file"].items():

        def run(text: str = text, expected: list[Item] = expected) -> Outcome:
            got = [r.csl for r in _parse_text(text, "ris")]
            return _pairwise([_adapt_citationjs(e) for e in expected], got, CSL_KEYS)

        yield Case("ris", "citation-js", name, run)


def _parse_text(text: str, fmt: str) -> list[Any]:
    from records.parsers import parse_text

    return parse_text(text, "fixture", fmt).records


def _adapt_citationjs(item: Item) -> Item:
    """citation-js conventions -> ours (see CONVENTIONS)."""
    out = dict(item)
    if out.get("type") == "book" and item.get("_bibtex_type") == "booklet":
        out["type"] = "pamphlet"
    return normalize_csl({k: v for k, v in out.items() if k in CSL_KEYS})


def citationjs_bibtex_cases() -> Iterator[Case]:
    base = FORMATS / "citation-js/plugin-bibtex/test"
    data = json.loads((base / "input.json").read_text("utf-8"))["@biblatex/text"]
    for name, (text, expected) in data.items():
        if text is None:
            text = (base / "input" / f"{name[5:]}.bib").read_text("utf-8")
        booklet = "@booklet" in text.lower()

        def run(
            text: str = text, expected: list[Item] = expected, booklet: bool = booklet
        ) -> Outcome:
            adapted = []
            for item in expected:
                if booklet and item.get("type") == "book":
                    item = {**item, "_bibtex_type": "booklet"}
                adapted.append(_adapt_citationjs(item))
            got = [r.csl for r in _parse_text(text, "bibtex")]
            return _pairwise(adapted, got, CSL_KEYS)

        yield Case("bibtex", "citation-js", name, run)
    for flavour in ("bibtex", "biblatex"):

        def run_mapping(flavour: str = flavour) -> Outcome:
            expected = json.loads((base / f"mapping/{flavour}-csl.json").read_text("utf-8"))
            text = (base / f"mapping/{flavour}-input.bib").read_text("utf-8")
            got = [r.csl for r in _parse_text(text, "bibtex")]
            return _pairwise([_adapt_citationjs(e) for e in expected], got, CSL_KEYS)

        yield Case("bibtex", "citation-js", f"mapping table ({flavour})", run_mapping)


# JabRef: the expected .bib read with our BibTeX parser. JabRef's own choices of BibTeX entry
# type and its "comment"/"file" fields are not compared (see CONVENTIONS["types"]).
_JABREF_KEYS = [k for k in CSL_KEYS if k not in ("type", "URL", "abstract", "publisher-place")]
_JABREF_FAMILIES = {
    "RisImporterTest": ("ris", "ris"),
    "MedlinePlainImporterTest": ("medline", "medline"),
    "NbibImporterTest": ("medline", "medline"),
    "MedlineImporterTest": ("pubmed-xml", "pubmed-xml"),
    "MarcXmlParserTest": ("marcxml", "marcxml"),
    "MarcXMLParserTest": ("marcxml", "marcxml"),
    "EndnoteXmlImporterTest": ("endnote-xml", "endnote-xml"),
}


def jabref_cases() -> Iterator[Case]:
    folder = FORMATS / "jabref/importer-fileformat"
    for bib in sorted(folder.glob("*.bib")):
        family = next((f for f in _JABREF_FAMILIES if bib.stem.startswith(f)), None)
        if family is None:
            continue
        fmt, parser = _JABREF_FAMILIES[family]
        inputs = [p for p in folder.glob(f"{bib.stem}.*") if p.suffix != ".bib"]
        if not inputs:
            continue

        def run(bib: Path = bib, source: Path = inputs[0], parser: str = parser) -> Outcome:
            expected = _parse(bib, "bibtex")
            return _pairwise(expected, _parse(source, parser), _JABREF_KEYS)

        yield Case(fmt, "jabref", bib.stem, run)


def _by_key(path: Path) -> list[Item]:
    records = parse_bytes(path.read_bytes(), path.name, "bibtex").records
    return [r.csl for r in sorted(records, key=lambda r: r.source.id or "")]


def bibtexparser_cases() -> Iterator[Case]:
    folder = FORMATS / "bibtexparser/v1.4.4-tests-data"
    for output in sorted(folder.glob("*_output.bib")):
        source = folder / output.name.replace("_output.bib", ".bib")
        if not source.exists():
            continue

        def run(source: Path = source, output: Path = output) -> Outcome:
            # bibtexparser v1's writer sorts entries by key: pair the records by key.
            return _pairwise(_by_key(output), _by_key(source), CSL_KEYS)

        yield Case("bibtex", "bibtexparser", source.stem, run)


def pymarc_cases() -> Iterator[Case]:
    from pymarc import JSONReader

    from records.parsers.marc import marc_to_csl

    folder = FORMATS / "pymarc/test"
    for binary, js, fmt in (
        ("one.dat", "one.json", "marc21"),
        ("batch.xml", "batch.json", "marcxml"),
    ):

        def run(binary: str = binary, js: str = js, fmt: str = fmt) -> Outcome:
            expected = [
                normalize_csl(marc_to_csl(r)[0])
                for r in JSONReader((folder / js).read_text("utf-8"))
            ]
            return _pairwise(expected, _parse(folder / binary, fmt), CSL_KEYS)

        yield Case(fmt, "pymarc", f"{binary} = {js}", run)


def all_cases() -> list[Case]:
    return [
        *bibtexparser_cases(),
        *citationjs_bibtex_cases(),
        *rispy_cases(),
        *citationjs_ris_cases(),
        *jabref_cases(),
        *pymarc_cases(),
    ]
