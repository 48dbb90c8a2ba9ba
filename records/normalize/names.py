"""Personal and corporate names as CSL name objects.

Handles the shapes people's references arrive in:

* ``Family, Given`` (catalogs, MEDLINE ``FAU``, BibTeX), with suffix ``Smith, Jr., John``
* ``Given Family`` (publisher pages), with particles kept in the family name: ``Louis de Mestier``
  -> family ``de Mestier`` (the Zotero/citeproc-js convention; CSL's ``non-dropping-particle``
  is derived by citeproc from a lower-case prefix of ``family``)
* ``Family GI`` (MEDLINE ``AU``, Vancouver: ``Radosa CG``) and ``G I Family`` (PubMed pages)
* ALL CAPS names re-cased; initials ``C G`` / ``CG`` / ``C.G.`` written ``C. G.``
* corporate authors as ``{"literal": ...}``
* comma-joined lists of ``Last, Initials`` re-paired: ``Radosa, C G, Nebelung, H`` is two names.
"""

from __future__ import annotations

import re
from functools import lru_cache

from records.normalize.text import clean_text

Name = dict[str, str]

PARTICLES = frozenset(
    [
        "de",
        "da",
        "das",
        "dos",
        "du",
        "del",
        "della",
        "der",
        "den",
        "des",
        "di",
        "do",
        "la",
        "le",
        "lo",
        "van",
        "von",
        "ten",
        "ter",
        "vander",
        "zu",
        "zum",
        "zur",
        "af",
        "av",
        "bin",
        "ibn",
        "al",
        "el",
        "mac",
        "st",
    ]
)
SUFFIXES = {
    "jr": "Jr.",
    "jr.": "Jr.",
    "sr": "Sr.",
    "sr.": "Sr.",
    "ii": "II",
    "iii": "III",
    "iv": "IV",
    "v": "V",
    "2nd": "2nd",
    "3rd": "3rd",
}
_CORPORATE_WORDS = re.compile(
    r"\b(group|consortium|society|association|committee|organi[sz]ation|institut\w*|"
    r"collaboration|collaborative|network|team|investigators|council|foundation|agency|"
    r"department|ministry|university|universit\w+|college|centre|center|academy|board|"
    r"working party|task force|gesellschaft|verband|arbeitsgemeinschaft|kommission|"
    r"inc\.?|ltd\.?|gmbh|corporation|federation|union|office|service)\b",
    re.IGNORECASE,
)
# One name part that is only initials: "C", "C.", "CG", "C.G.", "J-P", "C G" (space-joined).
# Capital letters an initial can be: Latin with Latin-1 and Latin Extended-A/B (Ł, Š, Ő),
# Greek and Cyrillic. Python's re has no \p{Lu}, so the class is built from the code points.
_UPPER = (
    "A-ZÀ-ÖØ-Þ" + "".join(c for c in map(chr, range(0x100, 0x250)) if c.isupper()) + ("Α-ΩА-ЯЁ")
)
# An initial ends with a period, a space, a hyphen, or a period and a hyphen: the hyphenated
# initials of a hyphenated given name ("J.-P.", "W.-Z.": APA, Nature) are initials too, so that
# "Zhao, W.-Z., Wang, J.-K." pairs each family name with its initials.
_INITIALS_RE = re.compile(rf"^(?:[{_UPPER}](?:\.\s*-|\.|\s|-|$)\s*)+$|^[{_UPPER}]{{1,3}}$")
# Role suffixes from catalogs: "(VerfasserIn)", "[author]", "(Hrsg.)", ", editor".
_ROLE_RE = re.compile(r"\s*[(\[][^()\[\]]{1,40}[)\]]\s*$")
_AFFILIATION_RE = re.compile(r"(?<=\D)\s*(?:\d+(?:\s*,\s*\d+)*|[*†‡§]+)\s*$")


# Academic titles and degrees printed around names on publisher pages ("Dr. med. C. G. Radosa",
# "Prof. Dr. Anna Weber", "John Smith, MD, PhD"): not part of the name.
_HONORIFIC_RE = re.compile(
    r"^(?:(?:(?:Prof|Dr|PD(?=\s+Dr))\.?|(?:Priv\.-Doz|Univ\.-Prof|Dipl\.-\w+|med|rer|nat|phil|"
    r"habil|dent|vet|MUDr|Ing|Mag)\.)(?:\s+|$))+",
    re.IGNORECASE,
)
_DEGREE_RE = re.compile(
    r"(?:,\s*(?:MD|PhD|MSc|MBBS|MBChB|FRCR|FRCS|FACS|MPH|DPhil|BSc|MA|MS|RN|DO)\.?)+$"
)


def strip_honorifics(text: str) -> str:
    """``"Prof. Dr. med. Anna Weber"`` -> ``"Anna Weber"``; ``"John Smith, MD, PhD"`` -> ``"John Smith"``."""
    stripped = _DEGREE_RE.sub("", _HONORIFIC_RE.sub("", text.strip()))
    return stripped if stripped.strip() else text


def is_initials(token: str) -> bool:
    """``"C G"``, ``"CG"``, ``"C.G."``, ``"J.-P."`` are initials; ``"Chen"`` is not."""
    token = token.strip()
    return bool(token) and bool(_INITIALS_RE.match(token))


def format_initials(given: str) -> str:
    """``"C G"`` / ``"CG"`` / ``"C.G."`` -> ``"C. G."``; ``"J-P"`` -> ``"J.-P."``; full names unchanged."""
    given = given.strip()
    if not is_initials(given):
        return given
    parts = re.findall(rf"[{_UPPER}]|-", given.replace(".", " "))
    out = ""
    for part in parts:
        if part == "-":
            out = out.rstrip() + "-"
        else:
            out += f"{part}." if out.endswith("-") or not out else f" {part}."
    return out.strip()


def recase(word: str) -> str:
    """``"RADOSA"`` -> ``"Radosa"``, ``"MCDONALD-SMITH"`` -> ``"Mcdonald-Smith"``; mixed case kept."""
    if word.isupper() and len(word) > 1:
        return "-".join(p[:1] + p[1:].lower() for p in word.split("-"))
    return word


def strip_role(text: str) -> str:
    """``"Radosa, C G (VerfasserIn)"`` -> ``"Radosa, C G"``."""
    previous = None
    while previous != text:
        previous, text = text, _ROLE_RE.sub("", text)
    return text.strip().rstrip(",").strip()


def is_corporate(text: str) -> bool:
    return bool(_CORPORATE_WORDS.search(text)) and "," not in text.strip(", ")


def _initial(word: str) -> str:
    """A lone capital inside a given name is an initial: "Andrew S" -> "Andrew S."."""
    return f"{word}." if len(word) == 1 and word.isupper() else word


def make_name(family: str, given: str = "", suffix: str = "") -> Name:
    """A CSL name from parts already told apart (BibTeX, MEDLINE ``FAU``, CSV columns):
    ALL CAPS re-cased, particles lower-cased, initials written ``C. G.``."""
    words = family.split()
    family = " ".join(_family_word(w, i < len(words) - 1) for i, w in enumerate(words))
    name: Name = {"family": family}
    given = given.strip()
    # "VAN DER BERG, JAN": in a name written all in capitals, a three-letter given name with a
    # vowel is a name, not three initials (MEDLINE's "Radosa CGA" has a mixed-case family).
    spelled = words and all(w.isupper() for w in words) and re.fullmatch(r"[A-Z]{3}", given)
    given = (
        format_initials(given)
        if is_initials(given) and not (spelled and re.search(r"[AEIOUY]", given[1:]))
        else " ".join(_initial(recase(w)) for w in given.split())
    )
    if given:
        name["given"] = given
    if suffix:
        name["suffix"] = suffix
    return name


_name = make_name


def _family_word(word: str, before_last: bool) -> str:
    """One word of a family name, in the case the source wrote it.

    A particle is lower-cased only when the source's capitals carry no information (the name
    was written ALL CAPS) and another word follows it: "DE MESTIER" -> "de Mestier", while
    "De Mestier", "Le Paslier", "Al Dhubaib" keep the capital their bearer writes and "Das"
    (a whole family name, not a particle) stays "Das".
    """
    if word.isupper() and len(word) > 1:
        return word.lower() if before_last and word.lower() in PARTICLES else recase(word)
    return word


def parse_name(text: str) -> Name:
    """One name in any of the shapes in the module docstring, as a CSL name object."""
    # The same people recur across a bibliography (a 100k-record export has a few distinct
    # name strings per record at most), so each distinct string is parsed once; the caller gets
    # its own copy to change.
    return dict(_parse_name(text))


@lru_cache(maxsize=1 << 16)
def _parse_name(text: str) -> Name:
    text = strip_honorifics(clean_text(strip_role(text)))
    text = ", ".join(p for p in text.split(",") if not _LIFE_DATES.match(p.strip()))
    if not text:
        return {}
    if is_corporate(text):
        return {"literal": text}
    if "," in text:
        parts = [p.strip() for p in text.split(",") if p.strip()]
        family, rest = parts[0], parts[1:]
        suffix = ""
        if rest and rest[0].lower() in SUFFIXES:  # "Smith, Jr., John"
            suffix = SUFFIXES[rest.pop(0).lower()]
        if rest and rest[-1].lower() in SUFFIXES:  # "Smith, John, Jr."
            suffix = SUFFIXES[rest.pop().lower()]
        return _name(family, " ".join(rest), suffix)
    words = text.split()
    suffix = ""
    # "Long V" is family + initial (Vancouver style), not "Long the Fifth": a one-letter
    # suffix only counts after a given name ("John Smith V").
    if len(words) > 1 and words[-1].lower() in SUFFIXES and (len(words) > 2 or len(words[-1]) > 1):
        suffix = SUFFIXES[words.pop().lower()]
    if len(words) == 1:
        return _name(words[0], "", suffix)
    # "Radosa CG" (family first, initials last) -- MEDLINE AU / Vancouver.
    if is_initials(words[-1]) and not is_initials(words[0]) and words[-1].isupper():
        return _name(" ".join(words[:-1]), words[-1], suffix)
    # "C G Radosa" (initials first) -- PubMed pages; also "Louis de Mestier".
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in PARTICLES:
        start -= 1
    # A particle may open the family name only if a given name stays in front of it.
    return _name(" ".join(words[start:]), " ".join(words[:start]), suffix)


# A given-name token of a "Family, Given" list: "Markus", "C G", "Thomas J.", "J.-P.".
_GIVEN_TOKEN = re.compile(
    rf"^\S+(?:\s+[{_UPPER}]\.?)*$|^(?:[{_UPPER}][.\s-]*)+$|^(?:[{_UPPER}]\.\s*)+[{_UPPER}]\S+$"
)
# A given name with a middle initial, "Louis M.": a full first word, then initials with dots.
# No "Given Family" name ends with an initial, so such a token is the given part of a
# "Family, Given" name ("Wong Kee Song, Louis M." is one author).
_GIVEN_WITH_INITIAL = re.compile(rf"^[{_UPPER}][^\s.]+(?:\s+[{_UPPER}]\.)+$")


_LIFE_DATES = re.compile(r"^\(?(?:ca\.\s*)?\d{3,4}\??\s*-\s*(?:\d{3,4}\??)?\)?\.?$")


def split_name_list(text: str) -> list[str]:
    """Split a displayed author list into single names.

    ``;`` separates names when present. Otherwise ``, `` separates tokens that are re-paired:
    a token that is only initials belongs to the family name before it (``Radosa, C G``);
    a list of multi-word tokens is a list of ``Given Family`` names; an even number of single
    words alternates family and given. Role suffixes are removed first.
    """
    text = clean_text(text)
    if not text:
        return []
    text = re.sub(r"\s+(?:and|und|et|y|e|&)\s+", ", ", text)
    if ";" in text:
        return [strip_role(p) for p in text.split(";") if strip_role(p)]
    tokens = [strip_role(t) for t in text.split(",")]
    # life dates of catalog headings ("Müller, Hans, 1950-2010") are no name part
    tokens = [t for t in tokens if t and not _LIFE_DATES.match(t)]
    if any(is_initials(t) for t in tokens[1:]):
        names: list[str] = []
        for token in tokens:
            if (names and is_initials(token) and "," not in names[-1]) or (
                names and token.lower().rstrip(".") in {s.rstrip(".") for s in SUFFIXES}
            ):
                names[-1] = f"{names[-1]}, {token}"
            else:
                names.append(token)
        return names
    # "Wong Kee Song, Louis M., Chan Tai Man, Peter K.": every second token is a given name
    # with a middle initial and none of the others is (a Vancouver "Smith J., Jones K." list
    # ends every token with an initial and stays one name per token).
    if (
        len(tokens) % 2 == 0
        and all(_GIVEN_WITH_INITIAL.match(t) for t in tokens[1::2])
        and not any(_GIVEN_WITH_INITIAL.match(t) or _ends_with_initial(t) for t in tokens[::2])
    ):
        return [f"{tokens[i]}, {tokens[i + 1]}" for i in range(0, len(tokens), 2)]
    if all(" " in t for t in tokens):
        return tokens
    # "O'Connor, Mary Ann": one family word, then given names -- one name
    if len(tokens) == 2 and " " not in tokens[0]:
        return [f"{tokens[0]}, {tokens[1]}"]
    # "Family, Given, Family, Given": given names are single words (or initials); family names
    # may have several ("de Mestier", "García López").
    if len(tokens) % 2 == 0 and all(_GIVEN_TOKEN.match(t) for t in tokens[1::2]):
        return [f"{tokens[i]}, {tokens[i + 1]}" for i in range(0, len(tokens), 2)]
    return tokens


def _ends_with_initial(token: str) -> bool:
    words = token.split()
    return len(words) > 1 and is_initials(words[-1])


def parse_name_list(text: str) -> list[Name]:
    """A displayed author list as CSL names, in order (see :func:`split_name_list`)."""
    return [n for n in (parse_name(part) for part in split_name_list(text)) if n]


def strip_affiliation_marks(name: str) -> str:
    """``"C G Radosa 1 2"`` / ``"H Nebelung 2,3"`` / ``"F Schön*"`` -> the bare name (PubMed pages)."""
    return _AFFILIATION_RE.sub("", name).strip()


_ROLE_GROUP_RE = re.compile(r"\s*[(\[](?P<role>[^()\[\]]{1,40})[)\]]\s*(?:[,;]\s*|$)")
# Role words (catalog relator terms, MARC $e/$4, CreatorRoles in VuFind's UI languages) -> CSL.
_EDITOR_ROLE = re.compile(
    r"edit|hrsg|herausgeb|\bhg\b|\béd|redact|redakt|curat|a cura|toim|\bred\b|\bedt\b|\bed\b|"
    r"utgiv|bewerk|compil|sammanst",
    re.IGNORECASE,
)
_TRANSLATOR_ROLE = re.compile(r"transl|übersetz|\btrad|vertal|övers|\btrl\b|prevod", re.IGNORECASE)
_CONTRIBUTOR_ROLE = re.compile(
    r"illustr|photogr|fotogr|contrib|mitwirk|beiträg|sonstige|other|\bctb\b|\bill\b",
    re.IGNORECASE,
)


_AUTHOR_ROLE = re.compile(
    r"auth|verfass|auteur|autor|upphov|tekijä|forfatt|creat|\baut\b|\bcre\b", re.IGNORECASE
)


def is_role(text: str) -> bool:
    """Whether a parenthetical is a role ("VerfasserIn", "Hrsg.") rather than part of a name."""
    return bool(
        _AUTHOR_ROLE.search(text)
        or _EDITOR_ROLE.search(text)
        or _TRANSLATOR_ROLE.search(text)
        or _CONTRIBUTOR_ROLE.search(text)
    )


def role_field(role: str | None) -> str:
    """The CSL name variable for a catalog role: ``"(HerausgeberIn)"`` -> ``"editor"``.

    Authors and unknown roles are ``"author"``; contributors without a CSL variable of their
    own (illustrators, "other") are ``"contributor"`` and callers usually leave them out.
    """
    if not role:
        return "author"
    if _EDITOR_ROLE.search(role):
        return "editor"
    if _TRANSLATOR_ROLE.search(role):
        return "translator"
    if _CONTRIBUTOR_ROLE.search(role):
        return "contributor"
    return "author"


def split_names_with_roles(text: str) -> list[tuple[str, str | None]]:
    """A displayed name list with role suffixes, as ``(name, role)`` pairs in order.

    ``Hoffmann, Ralf-Thorsten (VerfasserIn), Radosa, Christoph (HerausgeberIn)``: a role in
    parentheses ends a name, which makes ``Family, Given`` lists unambiguous. Text between
    roles is split with :func:`split_name_list`; the role belongs to the last name before it.
    """
    out: list[tuple[str, str | None]] = []
    for line in text.splitlines():
        position = 0
        for match in _ROLE_GROUP_RE.finditer(line):
            chunk = line[position : match.start()]
            position = match.end()
            # one comma before a role: one "Family, Given" name ("García López, María (autora)")
            names = [chunk.strip(" ,;")] if chunk.count(",") == 1 else split_name_list(chunk)
            out.extend((name, None) for name in names[:-1])
            if names:
                out.append((names[-1], match.group("role").strip()))
        out.extend((name, None) for name in split_name_list(line[position:]))
    return out
