"""Page ranges: ``575 - 581``, ``575–581``, ``p575-581``, ``S. 575-581``, ``pp. 575–81`` (NLM
abbreviated end page), single pages and e-locators (``e0213978``) -> CSL ``page`` ("575-581")."""

from __future__ import annotations

import re

# A page label: "p." / "pp." / "p " / "pages" / "S." ... A capital "P" glued to the number is
# no label but part of the page's own id ("P1-P5" of conference abstracts, "P123" posters),
# so only a lower-case "p" / "pp" may be glued ("p575-581").
_PREFIX_RE = re.compile(
    r"^\s*(?:(?i:pp?\.|pp?\s|pages?\b|seiten?\b|s\.|ss\.|str\.|стр\.)|pp?(?=\d))\s*"
)
_RANGE_RE = re.compile(
    r"^([A-Za-z]*)(\d+)([A-Za-z]*)\s*(?:[-–—‐‑]+|\s+to\s+|\s+bis\s+)\s*([A-Za-z]*)(\d+)([A-Za-z]*)$"
)
_SINGLE_RE = re.compile(r"^[A-Za-z]{0,3}\d+[A-Za-z]?$|^[A-Za-z]?\d+(?:\.\d+)+$")


def expand_abbreviated_end(start: str, end: str) -> str:
    """NLM style: start ``575``, end ``81`` -> ``581``; ``1203``/``9`` -> ``1209``."""
    if len(end) < len(start) and int(end) < int(start[-len(end) :]) + 10 ** len(end):
        candidate = start[: len(start) - len(end)] + end
        if int(candidate) >= int(start):
            return candidate
    return end


def normalize_pages(value: str | None) -> str | None:
    """The CSL ``page`` value, or ``None`` if the value holds no page information."""
    if value is None:
        return None
    text = re.sub(r"\s+", " ", str(value)).strip().rstrip(".")
    text = _PREFIX_RE.sub("", text)
    text = re.sub(r"\s*\(\d+\s*(?:pages?|pp?\.?|S\.|Seiten)\)\s*$", "", text)  # "(7 pages)"
    if not text:
        return None
    match = _RANGE_RE.match(text)
    if match:
        pre1, start, post1, pre2, end, post2 = match.groups()
        if not pre2 and not post2 and not pre1 and not post1:
            end = expand_abbreviated_end(start, end)
        first, last = f"{pre1}{start}{post1}", f"{pre2 or pre1}{end}{post2}"
        return first if first == last else f"{first}-{last}"
    if _SINGLE_RE.match(text) or re.fullmatch(
        r"[A-Za-z]*\d+[A-Za-z]*(?:\s*,\s*[A-Za-z]*\d+[A-Za-z]*)+", text
    ):
        return text.replace(" ", "")
    return text


def first_page(page: str | None) -> str | None:
    """The first page of a CSL ``page`` value."""
    if not page:
        return None
    return re.split(r"[-–,]", page, maxsplit=1)[0].strip() or None
