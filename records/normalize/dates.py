"""Dates as CSL date objects (``{"date-parts": [[2024, 7, 18]]}``) from the shapes sources print.

``03.10.2017`` (German), ``2024 Jul``, ``2024 Jul 18``, ``Jul2024`` (EBSCO), ``2010 Sep-Oct``
(PubMed seasons, a CSL range), ISO ``2017-10-03``, ``2017/10/03`` (Highwire), ``10/03/2017``
(``MM/DD/YYYY``, VuFind's Highwire output), ``18 May 2024``, and a bare year.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

CSLDate = dict[str, Any]

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "jan january januar janvier enero gennaio jänner janeiro",
        "feb february februar février fevrier febrero febbraio fevereiro",
        "mar march märz maerz mars marzo março",
        "apr april avril abril aprile",
        "may mai mayo maggio maio",
        "jun june juni juin junio giugno junho",
        "jul july juli juillet julio luglio julho",
        "aug august août aout agosto",
        "sep sept september septembre septiembre settembre setembro",
        "oct october oktober octobre octubre ottobre outubro okt",
        "nov november novembre noviembre novembro",
        "dec december dezember décembre decembre diciembre dicembre dezembro dez",
    ],
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number
SEASONS = {"spring": 13, "summer": 14, "autumn": 15, "fall": 15, "winter": 16}

_MONTH = r"([A-Za-zäéû]{3,9})\.?"
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$"), "ymd"),
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"), "ymd"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "ym"),
    (re.compile(r"^(\d{4})/(\d{1,2})$"), "ym"),
    (re.compile(r"^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})$"), "dmy"),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), "mdy"),
    (re.compile(rf"^(\d{{4}})\s+{_MONTH}\s+(\d{{1,2}})$"), "yMd"),
    (re.compile(rf"^(\d{{4}})\s+{_MONTH}\s*[-–/]\s*{_MONTH}$"), "yMM"),
    (re.compile(rf"^(\d{{4}})\s+{_MONTH}$"), "yM"),
    (re.compile(rf"^{_MONTH}\s*(\d{{4}})$"), "My"),
    (re.compile(rf"^(\d{{1,2}})\.?\s+{_MONTH}\s+(\d{{4}})$"), "dMy"),
    (re.compile(rf"^{_MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})$"), "Mdy"),
    (re.compile(r"^(\d{4})$"), "y"),
]


# shape -> (index of the year group, indexes of month-name groups, index of the day group)
_NAMED_SHAPES: dict[str, tuple[int, tuple[int, ...], int | None]] = {
    "yMd": (0, (1,), 2),
    "yMM": (0, (1, 2), None),
    "yM": (0, (1,), None),
    "My": (1, (0,), None),
    "dMy": (2, (1,), 0),
    "Mdy": (2, (0,), 1),
}


def _month(name: str) -> int | None:
    key = name.lower().rstrip(".")
    return MONTHS.get(key) or MONTHS.get(key[:3]) or SEASONS.get(key)


def _valid(parts: list[int]) -> bool:
    year = parts[0]
    if not 1000 <= year <= 2999:
        return False
    if len(parts) > 1 and not 1 <= parts[1] <= 16:  # 13-16: CSL seasons
        return False
    return not (len(parts) > 2 and not 1 <= parts[2] <= 31)


def parse_date(value: str | None, *, strict: bool = False) -> CSLDate | None:
    """A CSL date object, or ``None`` when the value is no date we can read with confidence.

    Unless ``strict``, a value that is no date as a whole still yields the year it contains
    when it holds exactly one ("Heidelberg Springer 2024", "c2019").
    """
    if not value:
        return None
    found = _parse_date(str(value), strict)
    # A fresh object for the caller: the remembered one is never handed out.
    return None if found is None else {"date-parts": [list(p) for p in found["date-parts"]]}


# Dates recur (a year, "2024 Jul"): each distinct value is read once.
@lru_cache(maxsize=1 << 14)
def _parse_date(value: str, strict: bool) -> CSLDate | None:
    text = " ".join(value.split()).rstrip(".")
    for pattern, shape in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        g = match.groups()
        parts: list[list[int]]
        if shape == "ymd":
            parts = [[int(g[0]), int(g[1]), int(g[2])]]
        elif shape == "ym":
            parts = [[int(g[0]), int(g[1])]]
        elif shape == "dmy":
            parts = [[int(g[2]), int(g[1]), int(g[0])]]
        elif shape == "mdy":
            parts = [[int(g[2]), int(g[0]), int(g[1])]]
        elif shape == "y":
            parts = [[int(g[0])]]
        else:
            # Shapes with month names: which group holds the year, the month(s), the day.
            year_at, month_at, day_at = _NAMED_SHAPES[shape]
            numbers = [_month(g[i]) for i in month_at]
            if any(n is None for n in numbers):
                continue
            parts = [[int(g[year_at]), n] for n in numbers if n is not None]
            if day_at is not None:
                parts[0].append(int(g[day_at]))
        if all(_valid(p) for p in parts):
            return {"date-parts": parts}
    if strict:
        return None
    # Last resort: a lone year inside a longer string ("Heidelberg Springer 2024", "c2019").
    years = re.findall(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)", text)
    if len(set(years)) == 1:
        return {"date-parts": [[int(years[0])]]}
    return None


def year_of(date: CSLDate | None) -> int | None:
    """The year of a CSL date object, if any."""
    try:
        return int(date["date-parts"][0][0]) if date else None
    except (KeyError, IndexError, TypeError, ValueError):
        return None
