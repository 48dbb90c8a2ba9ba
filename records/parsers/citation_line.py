"""The compact "container reference" lines that record views print, in every localized form.

* VuFind/Summon: ``Radiologe Vol. 64; no. 7; pp. 575 - 581``; German UI
  ``Radiologe Jg. 64; H. 7; S. 575 - 581``; single page ``p. 12``; FR ``n° 7``; SV ``nr 7; ss.``
* MARC 773 $g as shown by Solr/MARC catalogs: ``Radiologe 50 (2023), 7, Seite 447-473``
* Primo: ``Accounts of chemical research, 17 January 2012, Vol.45(1), pp.1-2``
"""

from __future__ import annotations

import re

from records.normalize.pages import normalize_pages

_VOL = r"(?:Vol(?:ume)?\.?|Jg\.?|Jahrgang|Bd\.?|Band|Ročník|том\.?|r\.|tome|t\.)"
_ISS = r"(?:no\.?|No\.|Nr\.?|nr\.?|H\.|Heft|Issue|Iss\.|n°|n\.|nro|číslo|№|br\.|Não\.|hayır\.|wyd\.|num\.?)"
_PAG = r"(?:pp?\.|S\.|Seiten?|ss?\.|str\.|стр\.|P\.|pages?)"
_PAGES_VALUE = r"[A-Za-z]?\d+[A-Za-z]?(?:\s*[-–—]\s*[A-Za-z]?\d+[A-Za-z]?)?"

_SUMMON = re.compile(
    rf"^(?P<container>.*?)[\s,]*(?:(?<![\w.]){_VOL}\s*(?P<volume>[\w./-]+))?"
    rf"(?:\s*[;,]?\s*(?<![\w.]){_ISS}\s*(?P<issue>[\w./-]+))?"
    rf"(?:\s*[;,]?\s*(?<![\w.]){_PAG}\s*(?P<pages>{_PAGES_VALUE}))?\s*\.?$",
    re.IGNORECASE,
)
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


# MARC 773 as displayed: "In: Radiologie. - Berlin : Springer, 2024, 64(2024), 7, Seite 575-581";
# "In:" opens it and ". - " (the ISBD area separator) ends the title.
_IN_PREFIX = re.compile(r"^(?:In|Aus|Dans|En)\s*:\s*", re.IGNORECASE)
_ISBD_AREA = re.compile(r"\.?\s+-\s+.*$")
_SPACES = re.compile(r"\s+")


def parse_container_line(text: str) -> dict[str, str]:
    """``container-title``, ``volume``, ``issue``, ``page`` and ``year`` found in the line.

    Only what the line states is returned; a line with no recognisable part is all container.
    """
    text = _IN_PREFIX.sub("", _SPACES.sub(" ", text).strip())
    for pattern in (_PRIMO, _MARC773, _SUMMON):
        match = pattern.match(text)
        if not match:
            continue
        parts = {k: v for k, v in match.groupdict().items() if v}
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
    return {"container-title": text} if text else {}
