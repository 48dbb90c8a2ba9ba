"""Abstracts: make structured-abstract headings readable.

Copied publisher and catalog pages glue headings to the text around them:
``ZusammenfassungHintergrundDie Mehrzahl … verschlechtern.Klinisches ProblemRadiologisch …``.
This becomes ``Hintergrund: Die Mehrzahl … verschlechtern. Klinisches Problem: Radiologisch …``:
a known heading (German, English, French, Spanish, Italian, Dutch lists below) that starts the
text or follows a sentence end, and is glued to a capitalised word, gets a colon and spaces.
A leading label that only names the section ("Zusammenfassung", "Abstract", "Summary") is dropped.
"""

from __future__ import annotations

import re
from typing import Any

from records.normalize.text import clean_text, collapse_space

LEAD_LABELS = (
    "Zusammenfassung",
    "Abstract",
    "Summary",
    "Résumé",
    "Resumen",
    "Riassunto",
    "Samenvatting",
    "Sammanfattning",
    "Streszczenie",
    "Abstrakt",
    "Kurzfassung",
    "Resumo",
    "Graphical abstract",
)

HEADINGS = (
    # English (incl. the IMRAD and CONSORT/PRISMA abstract headings)
    "Background",
    "Backgrounds",
    "Introduction",
    "Context",
    "Objective",
    "Objectives",
    "Aim",
    "Aims",
    "Aim of the study",
    "Purpose",
    "Purposes",
    "Goal",
    "Hypothesis",
    "Rationale",
    "Methods",
    "Method",
    "Materials and methods",
    "Material and methods",
    "Methodology",
    "Patients and methods",
    "Study design",
    "Design",
    "Setting",
    "Settings",
    "Participants",
    "Patients",
    "Subjects",
    "Population",
    "Interventions",
    "Intervention",
    "Measurements",
    "Main outcome measures",
    "Main outcomes and measures",
    "Outcome measures",
    "Exposure",
    "Data sources",
    "Study selection",
    "Data extraction",
    "Data synthesis",
    "Eligibility criteria",
    "Search methods",
    "Selection criteria",
    "Data collection and analysis",
    "Main results",
    "Results",
    "Result",
    "Findings",
    "Interpretation",
    "Discussion",
    "Limitations",
    "Conclusion",
    "Conclusions",
    "Conclusions and relevance",
    "Authors' conclusions",
    "Clinical relevance",
    "Clinical significance",
    "Clinical problem",
    "Implications",
    "Significance",
    "Trial registration",
    "Funding",
    "Level of evidence",
    "Evidence",
    "Recommendations",
    "Summary",
    "Key points",
    "Highlights",
    # German (Springer Medizin, Thieme, Deutsches Ärzteblatt)
    "Hintergrund",
    "Einleitung",
    "Fragestellung",
    "Ziel",
    "Ziele",
    "Zielsetzung",
    "Ziel der Arbeit",
    "Ziel der Studie",
    "Methode",
    "Methoden",
    "Methodik",
    "Material und Methoden",
    "Material und Methode",
    "Patienten und Methoden",
    "Studiendesign",
    "Ergebnis",
    "Ergebnisse",
    "Resultate",
    "Diskussion",
    "Schlussfolgerung",
    "Schlussfolgerungen",
    "Folgerung",
    "Fazit",
    "Fazit für die Praxis",
    "Klinisches Problem",
    "Klinische Relevanz",
    "Datenlage",
    "Standardverfahren",
    "Therapeutische Möglichkeiten",
    "Diagnostische Möglichkeiten",
    "Behandlung",
    "Therapie",
    "Leistungsfähigkeit",
    "Bewertung",
    "Empfehlung für die Praxis",
    "Praktische Empfehlungen",
    "Methodische Innovationen",
    "Achievements",
    "Kernaussagen",
    "Limitationen",
    "Ausblick",
    "Zusammenfassung",
    # French, Spanish, Italian, Dutch
    "Contexte",
    "Objectif",
    "Objectifs",
    "Méthodes",
    "Méthode",
    "Résultats",
    "Conclusion",
    "Antecedentes",
    "Introducción",
    "Objetivo",
    "Objetivos",
    "Métodos",
    "Resultados",
    "Conclusiones",
    "Premessa",
    "Obiettivo",
    "Metodi",
    "Risultati",
    "Conclusioni",
    "Achtergrond",
    "Doel",
    "Methoden",
    "Resultaten",
    "Conclusie",
)

_UPPER = "A-ZÄÖÜÀ-ÖØ-Þ"
_heading_alt = "|".join(re.escape(h) for h in sorted(set(HEADINGS), key=len, reverse=True))
_lead_alt = "|".join(re.escape(h) for h in sorted(set(LEAD_LABELS), key=len, reverse=True))
# A heading at the start or right after a sentence end, glued to the next capitalised word
# ("HintergrundDie", "verschlechtern.Klinisches ProblemRadiologisch") or followed by a colon.
_GLUED = re.compile(rf"(^|(?<=[.!?)\]]))\s*({_heading_alt})(?:\s*:\s*|(?=[{_UPPER}]))")
_LEAD = re.compile(rf"^\s*(?:{_lead_alt})\s*:?\s*(?=[{_UPPER}]|$)")


def _trie_pattern(words: set[str]) -> str:
    """A regex matching exactly the given words, as a trie: ``Method(?:ology|s)?``.

    re tries the branches of a plain alternation one by one, so a 170-word list costs 170
    attempts at every candidate position; a trie costs one per character of the text.
    """
    root: dict[str, dict[str, Any]] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict[str, Any]]) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


# What every _GLUED match after the start needs: sentence-end punctuation, a heading and a
# colon or capital after it. Whether such a place exists does not depend on the order in
# which the headings are tried, so the trie finds it; _GLUED (longest heading first) then does
# the replacing, only in the abstracts that have one (most have none).
_GLUED_AFTER_END = re.compile(rf"[.!?)\]]\s*{_trie_pattern(set(HEADINGS))}(?:\s*:|[{_UPPER}])")


_HEADING_SET = frozenset(h.casefold() for h in HEADINGS)


def _join_heading_lines(value: str) -> str:
    """A heading alone on its line (publisher pages) joins the text after it: "Heading: text"."""
    lines = value.splitlines()
    out: list[str] = []
    pending: str | None = None
    for line in lines:
        stripped = line.strip()
        if stripped.rstrip(":").casefold() in _HEADING_SET:
            pending = stripped.rstrip(":")
            continue
        if pending and stripped:
            out.append(f"{pending}: {stripped}")
            pending = None
        else:
            out.append(line)
    if pending:
        out.append(pending)
    return "\n".join(out)


def readable_abstract(value: str) -> str:
    """Plain text with structured-abstract headings written ``Heading: text``."""
    text = clean_text(_join_heading_lines(value) if "\n" in value else value)
    changed = False
    stripped = _LEAD.sub("", text, count=1)
    if stripped and stripped != text:
        text, changed = stripped, True
    if _GLUED.match(text) or _GLUED_AFTER_END.search(text):
        text = _GLUED.sub(
            lambda m: f"{' ' if m.group(1) is not None and m.start() else ''}{m.group(2)}: ",
            text,
        )
        changed = True
    # clean_text has collapsed the whitespace already; only the two steps above can undo that
    return collapse_space(text) if changed else text
