"""Item types from catalogs, databases and formats -> CSL types."""

from __future__ import annotations

import re

# Lower-cased source labels (VuFind/Summon formats in several UI languages, EBSCO document
# types, PubMed publication types, Primo resource types) -> CSL type.
_LABELS: dict[str, str] = {}
for _csl, _labels in {
    "article-journal": "journal article|article|journal articles|artikel|aufsatz|zeitschriftenartikel|"
    "article de revue|artículo|articolo|tijdschriftartikel|review|review article|research article|"
    "original article|originalarbeit|originalien|übersichten|leitthema|editorial|letter|comment|"
    "case reports|case report|clinical trial|randomized controlled trial|meta-analysis|"
    "systematic review|e-journal article|academic journal|scholarly journal|journal paper|"
    "zeitschriftenaufsatz|articles|electronic article|online article|elektronischer aufsatz|"
    "e-article|e-aufsatz|online-aufsatz|aufsatz (online)|tidskriftsartikel|artikel in tijdschrift|"
    "articolo di rivista|artículo de revista|article de périodique|artykuł|článek|artikkeli|"
    "journal article (online)|tijdschriftartikel (online)",
    "article-magazine": "magazine article|magazine|trade publication|zeitschrift (publikumszeitschrift)",
    "article-newspaper": "newspaper article|newspaper|zeitung|zeitungsartikel|news",
    "book": "book|ebook|e-book|buch|monograph|monographie|livre|libro|boek|bok|kirja|books|"
    "electronic book|online-ressource (buch)|print book",
    "chapter": "book chapter|chapter|kapitel|buchkapitel|aufsatz in buch|book section|"
    "chapitre|capítulo|capitolo|hoofdstuk",
    "paper-conference": "conference proceeding|conference paper|conference proceedings|"
    "konferenzbeitrag|kongressbeitrag|proceedings|conference|conference abstract|meeting abstract",
    "thesis": "dissertation|thesis|hochschulschrift|doctoral thesis|master thesis|thèse|tesis|tesi|"
    "proefschrift|dissertation/thesis",
    "report": "report|technical report|bericht|forschungsbericht|government document|working paper",
    "webpage": "web page|website|webpage|web resource|online resource|blog post",
    "dataset": "dataset|data set|datensatz",
    "patent": "patent",
    "standard": "standard|norm",
    "periodical": "journal|zeitschrift|periodical|serial|revue|revista|rivista|e-journal",
    "manuscript": "manuscript|handschrift|manuskript",
    "map": "map|karte",
    "software": "software|computer file",
    "motion_picture": "video|film|dvd",
}.items():
    for _label in _labels.split("|"):
        _LABELS[_label] = _csl


def normalize_type(value: str | None, default: str | None = None) -> str | None:
    """A CSL type for a source's type label (``"Journal Article"`` -> ``"article-journal"``)."""
    if not value:
        return default
    for part in re.split(r"[;,]", str(value)):
        key = re.sub(r"\s+", " ", part).strip().lower()
        if key in _LABELS:
            return _LABELS[key]
    return default
