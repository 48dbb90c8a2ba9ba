"""The compact "container reference" lines that record views print, in every localized form.

* VuFind/Summon: ``Radiologe Vol. 64; no. 7; pp. 575 - 581``; German UI
  ``Radiologe Jg. 64; H. 7; S. 575 - 581``; single page ``p. 12``; FR ``n° 7``; SV ``nr 7; ss.``
* MARC 773 $g as shown by Solr/MARC catalogs: ``Radiologe 50 (2023), 7, Seite 447-473``
* Primo: ``Accounts of chemical research, 17 January 2012, Vol.45(1), pp.1-2``,
  ``Science advances, 2022, Vol.8(1), p.eabj8030``, a book's ``Cancer Syndromes, 2009``
* Publisher and catalog pages: ``Angewandte Chemie International Edition Vol. 39, no. 1 (2000),
  pp. 165-168``; German ``Jg. 8; H. 1; S. eabj8030``, ``Bd. 59; Heft 8``; French ``vol. 85,
  n° 4, p. 459-465``; the parts may stand on a line of their own (:func:`starts_with_locator`)
"""

from __future__ import annotations

import re

from records.normalize.pages import normalize_pages

_VOL = r"(?:Vol(?:ume)?\.?|Jg\.?|Jahrgang|Bd\.?|Band|Ročník|том\.?|r\.|tome|t\.)"
_ISS = r"(?:no\.?|No\.|Nr\.?|nr\.?|H\.|Heft|Issue|Iss\.|n°|n\.|nro|číslo|№|br\.|Não\.|hayır\.|wyd\.|num\.?)"
_PAG = r"(?:pp?\.|S\.|Seiten?|ss?\.|str\.|стр\.|P\.|pages?)"
# Pages: "165-168", "575 - 581", an e-locator "eabj8030", "e0213978", "S12-S19".
_PAGES_VALUE = r"[A-Za-z]{0,5}\d+[A-Za-z]?(?:\s*[-–—]\s*[A-Za-z]{0,5}\d+[A-Za-z]?)?"
# Where a part starts: at the start, after a space, comma, semicolon or an opening bracket.
_START = r"(?:^|(?<=[\s,;(]))"
# A marker ends with its period or at a word's end ("nr" is not the start of "nro").
_END = r"(?:(?<=[.°№])|\b)"
_PARTS = re.compile(
    rf"{_START}(?:(?P<vol>{_VOL}){_END}\s*(?P<volume>[\w./-]*\w)(?:\s*\((?P<vissue>[^()]{{1,12}})\))?"
    rf"|(?P<iss>{_ISS}){_END}\s*(?P<issue>[\w./-]*\w)"
    rf"|(?P<pag>{_PAG}){_END}\s*(?P<pages>{_PAGES_VALUE})"
    rf"|\((?P<pyear>\d{{4}})\))(?=$|[\s,;.)])",
    re.IGNORECASE,
)
# A year standing alone between commas, or closing the line ("Cancer Syndromes, 2009").
_LONE_YEAR = re.compile(r"(?:^|,)\s*(?:\d{1,2}\.?\s+)?(?:[A-Za-zäéû]+\.?\s+)?(?P<year>1[5-9]\d\d|20\d\d)\s*(?=,|$)")
_PRIMO = re.compile(
    rf"^(?P<container>.+?),\s*(?P<date>[^,]*\b(?P<year>\d{{4}})\b[^,]*),\s*"
    rf"(?:Vol\.\s*(?P<volume>[^(,\s]+)\s*(?:\((?P<issue>[^)]+)\))?\s*,?\s*)?"
    rf"(?:pp?\.\s*(?P<pages>{_PAGES_VALUE}))?\s*\.?$",
    re.IGNORECASE,
)
_MARC773 = re.compile(
    rf"^(?P<container>.*?)[\s,]*(?P<volume>\d+)\s*\((?P<year>\d{{4}})\)"
    rf"(?:\s*,?\s*(?:H\.|Heft|Nr\.|no\.)?\s*(?P<issue>[\w/]+))?"
    rf"(?:\s*,\s*(?:S\.|Seiten?|p\.|pp\.)\s*(?P<pages>{_PAGES_VALUE}))?\s*\.?$",
    re.IGNORECASE,
)


_ENDS_WITH_MARKER = re.compile(rf"(?:^|[\s,;]){_ISS}\s*$|(?:^|[\s,;]){_VOL}\s*$", re.IGNORECASE)


# MARC 773 as displayed: "In: Radiologie. - Berlin : Springer, 2024, 64(2024), 7, Seite 575-581";
# "In:" opens it and ". - " (the ISBD area separator, with its period) ends the title; a plain
# " - " is part of a journal's name ("Zeitschrift für Kristallographie - New Crystal Structures").
_IN_PREFIX = re.compile(r"^(?:In|Aus|Dans|En)\s*:\s*", re.IGNORECASE)
_ISBD_AREA = re.compile(r"\.\s+-\s+.*$")
_SPACES = re.compile(r"\s+")


def _last_year(text: str) -> re.Match[str] | None:
    found = None
    for found in _LONE_YEAR.finditer(text):  # noqa: B007 -- the last one is wanted
        continue
    return found


def starts_with_locator(text: str) -> bool:
    """A line that is only the volume/issue/pages part ("Vol. 39, no. 1 (2000), pp. 165-168"),
    as pages print it on its own line under the journal's name."""
    match = _PARTS.match(text.strip())
    return bool(match and match.start() == 0)


def _split_parts(text: str) -> dict[str, str] | None:
    """The container and the labelled parts after it, in any order and punctuation
    ("Vol. 39, no. 1 (2000), pp. 165-168", "Jg. 8; H. 1; S. eabj8030", "vol. 85, n° 4, p. 4")."""
    matches = list(_PARTS.finditer(text))
    if not matches:
        return None
    out: dict[str, str] = {}
    first = matches[0].start()
    position = first
    for match in matches:
        between = text[position : match.start()]
        if between.strip(" ,;.:") and position != first:
            return None  # words between the parts: not a locator
        position = match.end()
        if match["vol"] and "volume" not in out:
            out["volume"] = match["volume"]
            if match["vissue"]:
                out["issue"] = match["vissue"]
        elif match["iss"] and "issue" not in out:
            out["issue"] = match["issue"]
        elif match["pag"] and "pages" not in out:
            out["pages"] = match["pages"]
        elif match["pyear"]:
            out["year"] = match["pyear"]
    tail = text[position:]
    if tail.strip(" ,;."):
        lone = _LONE_YEAR.match(tail)
        if not lone or tail[lone.end() :].strip(" ,;."):
            return None
        out["year"] = lone["year"]
    if not any(k in out for k in ("volume", "issue", "pages")):
        return None
    head = text[:first]
    lone = _last_year(head)
    if lone is not None and not head[lone.end() :].strip(" ,;."):
        out.setdefault("year", lone["year"])
        head = head[: lone.start()]
    out["container"] = head
    return out


def parse_container_line(text: str) -> dict[str, str]:
    """``container-title``, ``volume``, ``issue``, ``page`` and ``year`` found in the line.

    Only what the line states is returned; a line with no recognisable part is all container.
    """
    text = _IN_PREFIX.sub("", _SPACES.sub(" ", text).strip())
    for pattern in (_PRIMO, _MARC773, None):
        if pattern is None:
            found = _split_parts(text)
            if found is None:
                continue
            parts = found
        else:
            match = pattern.match(text)
            if not match:
                continue
            parts = {k: v for k, v in match.groupdict().items() if v}
            if pattern is _MARC773 and _ENDS_WITH_MARKER.search(parts.get("container", "")):
                continue  # "... no. 1 (2000)": an issue and its year, not MARC's "59(2019)"
            if pattern is _PRIMO and any(
                _PARTS.search(parts.get(k, "")) for k in ("container", "date")
            ):
                continue  # "Journal Vol. 39, no. 1 (2000), pp. 1-2": labelled parts first
        if not any(k in parts for k in ("volume", "issue", "pages")):
            continue
        out: dict[str, str] = {}
        container = _ISBD_AREA.sub("", parts.get("container", "")).strip(" ,;.")
        if container:
            out["container-title"] = container
        for key in ("volume", "issue", "year"):
            if key in parts:
                out[key] = parts[key].strip(" .;,")
        if "pages" in parts:
            page = normalize_pages(parts["pages"])
            if page:
                out["page"] = page
        return out
    text = _ISBD_AREA.sub("", text).strip(" ,;.")
    # "Cancer Syndromes, 2009" (Primo's source line of a book): the container and its year.
    lone = _last_year(text)
    if lone is not None and lone.start() > 0 and lone.end() == len(text):
        head = text[: lone.start()].strip(" ,;.")
        if head:
            return {"container-title": head, "year": lone["year"]}
    return {"container-title": text} if text else {}
