"""Identifiers: find, validate and normalize DOI, ISSN, ISBN, PMID and PMCID.

Each ``normalize_*`` returns the canonical form or ``None`` when the value is not a valid
identifier of that kind; nothing here guesses.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import unquote  # at module level: a local "from" import costs ~7 us a call

# A DOI is "10." + registrant + "/" + suffix; the suffix may contain almost anything, so the end
# is found by stripping trailing punctuation that belongs to the surrounding sentence. "<" and
# ">" end a DOI (markup around it) except in a SICI's "<165::AID-ANIE165>" part
# (10.1002/(SICI)1521-3773(20000103)39:1<165::AID-ANIE165>3.0.CO;2-B), which is read whole.
_DOI_RE = re.compile(r"10\.\d{4,9}/(?:[^\s\"<>]|<\d+::[^\s\"<>]+>)+", re.IGNORECASE)
_DOI_PREFIXES = re.compile(
    r"^\s*(?:doi\s*[:=]?\s*|https?://(?:dx\.)?doi\.org/|(?:dx\.)?doi\.org/|info:doi/)",
    re.IGNORECASE,
)
_TRAILING = ".,;:)]}>'\""


def _strip_trailing(doi: str) -> str:
    while doi and doi[-1] in _TRAILING:
        # Keep a closing bracket that has its opening partner inside the DOI (10.1016/0-(88)x).
        if doi[-1] == ")" and doi.count("(") >= doi.count(")"):
            break
        doi = doi[:-1]
    return doi


def normalize_doi(value: str | None) -> str | None:
    """``https://doi.org/10.1007/ABC.`` -> ``10.1007/ABC``; ``None`` if no DOI is in the value.

    The case is kept as written (Crossref shows DOIs in their registered case); compare DOIs
    with :func:`doi_key`, since DOIs are case-insensitive.
    """
    if not value:
        return None
    text = unicodedata.normalize("NFC", value.strip())
    text = _DOI_PREFIXES.sub("", text)
    match = _DOI_RE.search(text)
    if not match:
        return None
    doi = _strip_trailing(unquote(match.group(0)))
    return doi if "/" in doi and len(doi.split("/", 1)[1]) > 0 else None


def doi_key(doi: str) -> str:
    """The identity of a DOI: DOIs are case-insensitive (ASCII case folding)."""
    return doi.lower()


def find_dois(text: str) -> Iterator[str]:
    """Every DOI in free text, normalized, in order of appearance."""
    for match in _DOI_RE.finditer(text):
        doi = _strip_trailing(match.group(0))
        if "/" in doi:
            yield doi


_ISSN_RE = re.compile(r"\b(\d{4})\s*[-‐-―]?\s*(\d{3}[\dXx])\b")


def issn_check_digit(first7: str) -> str:
    total = sum(int(d) * w for d, w in zip(first7, range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def normalize_issn(value: str | None) -> str | None:
    """``0033832x`` / ``0033-832X`` -> ``0033-832X`` when the check digit is right, else ``None``."""
    if not value:
        return None
    match = _ISSN_RE.search(value)
    if not match:
        return None
    digits = (match.group(1) + match.group(2)).upper()
    if issn_check_digit(digits[:7]) != digits[7]:
        return None
    return f"{digits[:4]}-{digits[4:]}"


def find_issns(text: str) -> list[str]:
    """Every valid ISSN in text, in order, without repeats."""
    return list(_find_issns(text))


# A journal's ISSNs recur in every record of it: each distinct value is read once.
@lru_cache(maxsize=1 << 14)
def _find_issns(text: str) -> tuple[str, ...]:
    found: list[str] = []
    for match in _ISSN_RE.finditer(text):
        issn = normalize_issn(match.group(0))
        if issn and issn not in found:
            found.append(issn)
    return tuple(found)


def _isbn10_ok(digits: str) -> bool:
    total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
    return total % 11 == 0


def _isbn13_ok(digits: str) -> bool:
    total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(digits))
    return total % 10 == 0


def normalize_isbn(value: str | None) -> str | None:
    """An ISBN-10 or ISBN-13 with a valid check digit, as ISBN-13 digits; else ``None``.

    ISBN-10s are converted to ISBN-13 (prefix 978) so that both spellings of a book compare equal.
    """
    if not value:
        return None
    digits = re.sub(r"[^0-9Xx]", "", value).upper()
    if len(digits) == 10 and digits[:9].isdigit() and _isbn10_ok(digits):
        body = "978" + digits[:9]
        check = (10 - sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body)) % 10) % 10
        return body + str(check)
    if (
        len(digits) == 13
        and digits.isdigit()
        and digits[:3] in ("978", "979")
        and _isbn13_ok(digits)
    ):
        return digits
    return None


_PMID_RE = re.compile(r"^\s*(?:pmid\s*[:=]?\s*)?(\d{1,9})\s*$", re.IGNORECASE)
_PMCID_RE = re.compile(r"^\s*(?:pmcid\s*[:=]?\s*)?(?:PMC)?(\d{1,9})\s*$", re.IGNORECASE)


def normalize_pmid(value: str | int | None) -> str | None:
    """``PMID: 38760522`` -> ``38760522``."""
    if value is None:
        return None
    match = _PMID_RE.match(str(value))
    return str(int(match.group(1))) if match and int(match.group(1)) > 0 else None


def normalize_pmcid(value: str | None) -> str | None:
    """``pmc1234567`` / ``PMCID: PMC1234567`` -> ``PMC1234567``."""
    if not value:
        return None
    text = str(value)
    if "pmc" not in text.lower():
        return None
    match = _PMCID_RE.match(text)
    return f"PMC{int(match.group(1))}" if match else None


def issn_list(csl_issn: str | list[str] | None) -> list[str]:
    """The ISSNs of a CSL item's ``ISSN`` field (a string, possibly several, or a list)."""
    if not csl_issn:
        return []
    text = " ".join(csl_issn) if isinstance(csl_issn, list) else str(csl_issn)
    return find_issns(text)
