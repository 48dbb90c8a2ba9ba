"""From labelled tokens to a CSL record: names through the name normalizer, numbers checked.

The CRF decides which words are the author list, the title, the journal, the volume ...; this
module reads each span's value out of its punctuation and markers ("pp.", "S.", "vol.", "no.",
"Jg.", "H.", "(Hrsg.)", "In:"), which is deterministic text work the model need not learn.
A value that fails its plausibility check (a year out of range, a volume that is a sentence,
pages that are no page range) is left out: a wrong value is worse than a missing one.
Identifiers (DOI, PMID, ISBN, URL) are found by their own exact syntax in the whole string, not
by the model.
"""

from __future__ import annotations

import re
from datetime import date

from records.identifiers import find_dois, normalize_isbn, normalize_pmid
from records.model import CSLItem
from records.normalize.dates import MONTHS as _DATE_MONTHS
from records.normalize.names import Name, parse_name, parse_name_list
from records.normalize.pages import normalize_pages
from records.references.labeller import Labelled
from records.references.lexicon import ORGANISATION_WORDS

_LATEST_YEAR = date.today().year + 1
_YEAR = re.compile(r"(?<!\d)(1[4-9]\d\d|20\d\d)(?!\d)")
_MONTH_WORD = re.compile(r"[^\W\d_]+")
_DAY = re.compile(r"(?<![\d/])([12]?\d|3[01])(?![\d/])")
_ET_AL = re.compile(
    r"(?:,?\s*(?:et\s*al\.?|u\.\s*a\.?|and\s+others|\.\.\.|…)|\s*\[?et al\.?\]?)\s*[.,;:]?\s*$",
    re.IGNORECASE,
)
# "et al." with words after it in an author span ("Nunn AJ, et al. U.K. Controlled trial"):
# the model ran the title's first words into the names; no name follows "et al.".
_ET_AL_RUN_ON = re.compile(r",?\s*\bet\s*al\.(?=\s+\S).*$", re.IGNORECASE | re.DOTALL)
_ROLE = re.compile(
    r"^\s*(?:in:?|edited\s+by|hrsg\.?\s+von|hg\.?\s+von|ed\.\s+by|eds?\.|\()\s*|"
    r"[\s,]*\(?\b(?:eds?|editors?|hrsg|hg|ed|trans|transl|übers|dir|coord)\b\.?\)?[\s.,:;]*$",
    re.IGNORECASE,
)
_QUOTES = "\"“”„‘’«»'"
# double quotes only: a closing single quote cannot be told from an apostrophe ("Teachers’ talk")
_QUOTED = re.compile(r"^\s*[\"“„«]([^\"”“»]{2,}?)[.,;:]?[\"”“»][.,;:]?(?=\s+\S)")
_TRAIL = " .,;:"
_IN = re.compile(r"^(?:in|dans|en)\s*:?\s+", re.IGNORECASE)
_VOL_MARK = re.compile(
    r"\b(?:vol(?:ume)?|bd|band|jg|jahrgang|tome|t|v(?=\.))\.?\s*([A-Z]{2,5}-\d+|[A-Za-z]?\d+[A-Za-z]?(?:[-/][A-Za-z]?\d+)?|[ivxlcdm]+\b)",
    re.IGNORECASE,
)
_ISSUE_MARK = re.compile(
    r"\b(?:no|nr|num|núm|issue|iss|h|heft|n°|n(?=\.))\.?\s*(\d+[A-Za-z]?(?:[-/–]\d+)?|[A-Z]?\d+)",
    re.IGNORECASE,
)
_BARE_VOLUME = re.compile(
    r"^\(?\s*([A-Za-z]?\d{1,5}[A-Za-z]?(?:[-–/]\d{1,5}[A-Za-z]?|-[A-Z])?)\s*(?:\(\s*([^)]{1,20}?)\s*\)|\.(\d{1,4})(?![\d.]))?"
)
_VOLUME_SHAPE = re.compile(
    r"^(?:[A-Z]{2,5}-\d{1,4}|[A-Za-z]?\d{1,5}[A-Za-z]?(?:[-–/][A-Za-z]?\d{1,5}[A-Za-z]?)?|[IVXLCDM]+|[ivxlcdm]+)$"
)
_ISSUE_SHAPE = re.compile(
    r"^(?:[A-Za-z]{0,5}\.?\s?\d{1,5}[A-Za-z]?(?:\s?[-–/]\s?\d{1,5})?|[A-Za-z]+)$"
)
_PAGE_PREFIX = re.compile(
    r"^\(?\s*(?:pp?\.?|pages?|s\.|seiten?|ss\.|art\.\s*no\.|article)\s*", re.IGNORECASE
)
_PAGE_SHAPE = re.compile(r"^[A-Za-z]{0,2}\d+[A-Za-z]?(?:-[A-Za-z]{0,2}\d+[A-Za-z]?)?$")
_EDITION = re.compile(r"(\d+)\s*(?:st|nd|rd|th|e|\.)?", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;)]|www\.[^\s<>\"]+[^\s<>\".,;)]")
_PMID = re.compile(r"\bPMID\s*:?\s*(\d{1,9})\b")
_ISBN = re.compile(r"\bISBN(?:-1[03])?\s*:?\s*([\dX][\d\sX-]{8,16}[\dX])", re.IGNORECASE)
_THESIS = re.compile(
    r"\b(?:thesis|dissertation|diss\.|doctoral|phd|ph\.d|master|habilitation)", re.I
)
_REPORT = re.compile(
    r"\b(?:report|working paper|technical|tech\. rep|discussion paper|bericht)", re.I
)
_PROCEEDINGS = re.compile(
    r"\b(?:proc\.?|proceedings|conference|conf\.|symposium|workshop|congress|meeting|tagung|tagungsband)\b",
    re.I,
)
_MONTHS = {k.lower(): v for k, v in _DATE_MONTHS.items()}

NAME_LABELS = {"author": "author", "editor": "editor", "translator": "translator"}


def _clean(text: str) -> str:
    return text.strip(_TRAIL).strip(_QUOTES).strip(_TRAIL)


def _strip_brackets(text: str) -> str:
    text = text.strip(_TRAIL)
    if text.startswith(("(", "[")) and text.endswith((")", "]")):
        text = text[1:-1]
    return text.strip(" ([])" + _TRAIL)


_ORG_LINKS = frozenset("for of on and the für und pour".split())
# "Bank A", "J. Court", "Hall AB": a person's initials next to a word that could be a body's
_PERSONAL_INITIALS = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ]\.?-?){1,2}$|^(?:[A-ZÀ-ÖØ-Þ]\.-?){1,4}$")


def _organisation(text: str) -> bool:
    """Whether a name span names one organisation: an acronym ("WHO", "UNESCO"), a name with
    an organisation's word ("World Health Organization", "Statistisches Bundesamt") or a
    capitalised name joined by "for", "of", "and" ("Centers for Disease Control and
    Prevention", "National Institute for Health and Care Excellence (NICE)"). Commas and
    semicolons (lists of people) say no."""
    text = re.sub(r"\s*\([^()]*\)\s*", " ", text).strip(" .,:")  # "(NICE)", "(Hrsg.)"
    if not text or ";" in text or "," in text:
        return False
    words = text.split()
    if len(words) == 1:
        return len(text) >= 3 and text.isalpha() and text.isupper()
    if any(re.fullmatch(r"[A-ZÀ-ÖØ-Þ]\.,?", w) for w in words) or (
        len(words) <= 3 and any(_PERSONAL_INITIALS.match(w) for w in words)
    ):
        return False
    if any(w.lower() in ORGANISATION_WORDS for w in words if len(w) > 3 and w[0].isupper()):
        return True
    inner = [w.lower() for w in words[1:-1]]
    return (
        len(words) >= 3
        and any(w in _ORG_LINKS - {"and", "und"} for w in inner)
        and all(w[0].isupper() or w.lower() in _ORG_LINKS for w in words)
    )


def names(text: str) -> tuple[list[Name], bool]:
    """The names of an author/editor span, and whether it ended in "et al." (not a name)."""
    text = text.strip()
    etal = False
    previous = None
    while previous != text:  # "u. a. (Hrsg.)", "(eds.) et al.": roles and "et al." in any order
        previous = text
        text = _ROLE.sub("", text).strip(" ,:;")
        match = _ET_AL.search(text) or _ET_AL_RUN_ON.search(text)
        if match and match.start() != match.end():
            etal = True
            text = text[: match.start()]
    text = re.sub(r"\s+/\s+", "; ", text)
    # the span's closing period, unless it closes an initial ("Hoffmann, R. T.")
    if text.endswith(".") and len(text.rsplit(None, 1)[-1].rstrip(".").split(".")[-1]) > 1:
        text = text[:-1]
    if not text:
        return [], etal
    if _organisation(text):
        return [{"literal": text.strip(" .,:")}], etal
    parts = [p.strip() for p in re.split(r",\s*(?:and|&|und)\s+|\s+(?:and|&|und)\s+|,", text)]
    parts = [p for p in parts if p]
    # "Family, Given Given, Given Family, and Given Family" (Chicago, MLA): the first name is
    # inverted, the others are not.
    if (
        ";" not in text
        and len(parts) >= 3
        and (" " not in parts[0] or " " not in parts[1])  # "de Mestier, Louis"
        and not re.match(r"[A-ZÀ-ÖØ-Þ]\.", parts[0])  # "J. Smith, M. Jones": all direct
        and not _is_initials_only(parts[1])
        and all(" " in p and not _is_initials_only(p.split()[-1]) for p in parts[2:])
    ):
        return [parse_name(f"{parts[0]}, {parts[1]}")] + [parse_name(p) for p in parts[2:]], etal
    return parse_name_list(text), etal


def _is_initials_only(text: str) -> bool:
    return bool(re.fullmatch(r"(?:[A-ZÀ-ÖØ-Þ]\.?\s*-?\s*){1,4}", text.strip()))


def _date(text: str) -> list[int] | None:
    years = [int(y) for y in _YEAR.findall(text) if 1400 <= int(y) <= _LATEST_YEAR]
    if not years:
        return None
    parts = [years[0]]
    for word in _MONTH_WORD.findall(text.lower()):
        month = _MONTHS.get(word) or _MONTHS.get(word[:3])
        if month:
            parts.append(month)
            rest = text[text.lower().index(word) + len(word) :]
            day = _DAY.search(rest.replace(str(years[0]), ""))
            if day and 1 <= int(day.group(1)) <= 31 and rest.strip(" .,")[:1].isdigit():
                parts.append(int(day.group(1)))
            break
    return parts


_VOLUME_COUNT = re.compile(r"^\(?\d{1,3}\s*(?:vols?|volumes|bände|bde|tomes)\b\.?", re.I)
# a whole, well-formed upper-case roman numeral below 400 ("II", "XIV", "LVIII"): volumes are
# not numbered higher in roman, and capitals such as "MIX" or "DIM" are words
_ROMAN_VOLUME = re.compile(r"^(?=[IVXLC])C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ISSUE_ALONE = re.compile(r"^\(\s*(\d{1,4}[A-Za-z]?(?:[-–/]\d{1,4})?)\s*\)[\s.,:;]*$")


# what a Vancouver locator puts before its ";" is the date ("2016 Jul 5;134(1):", "2012;30:"):
# a day or a year ending in ";" at the head of a volume span is no part of the volume
_DATE_HEAD = re.compile(r"^(?:[1-9]|[12]\d|3[01]|1[5-9]\d\d|20\d\d)[a-z]?;\s*(?=\S*\d)")


# a volume with its supplement, "9 Suppl 23(251):", "14 Suppl. 1", "55 Supplement 2 (3)": the
# supplement is part of the volume (it tells a meeting abstract from an article)
_SUPPLEMENT_VOLUME = re.compile(
    r"^(?:vol(?:ume)?\.?\s*)?(\d{1,5}[A-Za-z]?)\s*,?\s*\(?\s*(suppl(?:ement)?\.?|pt\.?|part)\s*"
    r"(\d{1,4}[A-Za-z]?)?\s*\)?\s*(?:\(\s*([^()]{1,20}?)\s*\))?(?=[\s.,:;]|$)",
    re.IGNORECASE,
)


def _volume_issue(text: str) -> tuple[str | None, str | None]:
    text = _DATE_HEAD.sub("", " ".join(text.split()))
    if match := _SUPPLEMENT_VOLUME.match(text):
        supplement = (match.group(1), match.group(2).rstrip("."), match.group(3))
        stated = match.group(4)
        return " ".join(p for p in supplement if p), (
            stated if stated and _ISSUE_SHAPE.match(stated) else None
        )
    if match := _ISSUE_ALONE.match(text):  # "2013;(6):CD001877": an issue without a volume
        return None, match.group(1)
    if _VOLUME_COUNT.match(text):  # "2 vols.": how many volumes a book has, not which one
        return None, None
    volume = issue = None
    if match := _VOL_MARK.search(text):
        volume = match.group(1)
    if match := _ISSUE_MARK.search(text):
        issue = match.group(1)
    # no "vol." marker: a bare "64(7)", "42.3", "55 (3)", unless the text opens with "no."
    if (
        volume is None
        and not _ISSUE_MARK.match(text.strip("( "))
        and (match := _BARE_VOLUME.match(text.strip()))
    ):
        volume = match.group(1)
        issue = issue or match.group(2) or match.group(3)
    if volume is None and issue is None and _ROMAN_VOLUME.match(text.strip(" .,;:()")):
        volume = text.strip(" .,;:()")  # "II," alone in a volume span: a volume in roman numerals
    if volume and not _VOLUME_SHAPE.match(volume):
        volume = None
    if issue:
        issue = issue.strip()
        if not _ISSUE_SHAPE.match(issue):
            issue = None
    return volume, issue


def _pages(text: str) -> str | None:
    text = _PAGE_PREFIX.sub("", text.strip(" ()[]" + _TRAIL)).strip(" ()" + _TRAIL)
    text = re.sub(r"\s*[-–—‐]+\s*", "-", text)
    text = text.split(",")[0].strip()
    if not text:
        return None
    page = normalize_pages(text)
    return page if page and _PAGE_SHAPE.match(page) else None


_CONTAINERS = ("journal", "container-title")


def _settle(spans: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Two readings of the model's spans that their neighbours decide:

    * "Place: Publisher" is the one form a place takes: a short span ending in ":" right
      before the publisher, read as a journal or container, is the place;
    * a chapter (an "In:" or an editor list before it) has a book, not a series: a
      collection-title with no container beside it is the container;
    * a reference has one title: with no container read, a second title span right after
      the editors ("In: Schulz, K. (Hrsg.): Schule im Wandel.") or opening with "In" is the
      chapter's book.
    """
    labels = [label for label, _ in spans]
    out = list(spans)
    if "location" not in labels:
        for i, (label, text) in enumerate(spans[:-1]):
            if (
                label in _CONTAINERS
                and labels[i + 1] == "publisher"
                and text.endswith(":")
                and len(text.split()) <= 4
            ):
                out[i] = ("location", text)
    labels = [label for label, _ in out]
    if "collection-title" in labels and not any(label in _CONTAINERS for label in labels):
        i = labels.index("collection-title")
        before = " ".join(text for label, text in out[:i] if label != "title")
        if "editor" in labels[:i] or _IN.match(out[i][1]) or re.search(r"\bIn:", before):
            out[i] = ("container-title", out[i][1])
    labels = [label for label, _ in out]
    if not any(label in _CONTAINERS for label in labels) and "title" in labels:
        first = labels.index("title")
        for i in range(first + 2, len(out)):
            if labels[i] == "title" and (labels[i - 1] == "editor" or _IN.match(out[i][1])):
                out[i] = ("container-title", out[i][1])
                break
    return out


_GLUED_BRACKET = re.compile(r"[.:;?!]\[")


def _bracketed_title(spans: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A square bracket the title opens closes in the title: "[Translated title (author's
    transl)]" (MEDLINE's mark of a translated title), "... trial.[Erratum appears in Chest
    1993 May;103(5):1640]", "... [abstract no: 1667]". The spans up to the closing bracket are
    the title's (their years, volumes and pages are the bracket's, not the reference's); what
    follows the bracket in its span keeps that span's label. A bracket that never closes is
    left as the model read it. A bracket glued to a sentence's end ("study.[Erratum") in the
    span right after the title opens there too: the title's note, not the container."""
    for i, (label, text) in enumerate(spans):
        if text.count("[") <= text.count("]"):
            continue
        first = i
        if label != "title":
            if i == 0 or spans[i - 1][0] != "title" or not _GLUED_BRACKET.search(text):
                continue
            first, text = i - 1, f"{spans[i - 1][1]} {text}"
        depth = text.count("[") - text.count("]")
        for j in range(i + 1, len(spans)):
            closing_label, closing = spans[j]
            depth += closing.count("[") - closing.count("]")
            if depth > 0:
                continue
            if depth < 0:
                return spans
            head, _, rest = closing.partition("]")
            end = 0 if not rest or rest[0].isspace() else len(rest.split()[0])  # "]." glued
            tail = rest[end:].strip()
            title = " ".join([text, *(t for _, t in spans[i + 1 : j]), head + "]" + rest[:end]])
            out = [*spans[:first], ("title", title)]
            if tail:
                out.append((closing_label, tail))
            return out + spans[j + 1 :]
        return spans
    return spans


_QUOTE_OPENS = re.compile(r"(?<=[.?!])\s+[\"“](?=\w)")
_QUOTE_CLOSES = re.compile(r"[\"”]")


def _quoted_container(spans: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A title span that runs on, after its sentence ends, into a double-quoted name
    ('Sleep in adolescents. "Acta medica (Lund, Sweden : 1987)". 2011;45:211-9.', as
    exports quote a container with punctuation) holds the title and the container: with no
    container read, the quoted words are the container, up to the closing quote (also in
    the spans after the title); what follows the quote keeps its span's label."""
    if any(label in _CONTAINERS for label, _ in spans):
        return spans
    for i, (label, text) in enumerate(spans):
        if label != "title" or not (opening := _QUOTE_OPENS.search(text)):
            continue
        title, quoted = text[: opening.start()], text[opening.end() :]
        if not title.strip() or _QUOTE_CLOSES.search(title):
            return spans
        before: list[str] = []  # the container's words in the spans before the closing quote
        for j in range(i, len(spans)):
            piece = quoted if j == i else spans[j][1]
            if closing := _QUOTE_CLOSES.search(piece):
                container = " ".join([*before, piece[: closing.start()]])
                tail = piece[closing.end() :].lstrip(" .,;:").strip()
                out = [*spans[:i], ("title", title), ("container-title", container)]
                if tail:
                    out.append((spans[j][0], tail))
                return out + spans[j + 1 :]
            before.append(piece)
        return spans
    return spans


def _journal_before_pages(spans: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A name the model read as the publisher, followed right by pages and nothing else of a
    book (no place, editor, edition, container), is a journal stated without its volume
    ("Vox Sanguinis, 276-277."): a book's publisher is not followed by a page range."""
    labels = [label for label, _ in spans]
    if (
        labels.count("publisher") != 1
        or any(label in labels for label in (*_CONTAINERS, "location", "editor", "edition"))
        or "isbn" in labels
    ):
        return spans
    i = labels.index("publisher")
    if (
        i + 1 < len(spans)
        and labels[i + 1] == "pages"
        and re.search(r"\d\s*[-–]\s*\d", spans[i + 1][1])
    ):
        out = list(spans)
        out[i] = ("journal", spans[i][1])
        return out
    return spans


# A locator closing a span: a volume, its issue in parentheses, a colon and pages, at the end
# ("... Reviews 4 (1426): CD008173.", "... Cancer (Philad) 36 (1290): 1511–18.").
_LOCATOR_END = re.compile(
    r"^(?P<container>[^\W\d_].*?(?:[^\W\d_]|[.)])),?\s+"
    r"(?P<volume>\d{1,5}[A-Za-z]?\s*\(\s*[\w/–-]{1,12}\s*\))\s*:\s*"
    r"(?P<pages>[A-Za-z]{0,2}\d+[A-Za-z]?(?:\s*[-–]\s*[A-Za-z]{0,2}\d+[A-Za-z]?)?)\.?$"
)


def _locator_in_note(spans: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A note after the title that ends in a locator ("Chest 138 (16): 811a."; Chicago as
    citeproc-py prints it, the period after the title's closing quote, '"Title". Journal 12
    (3): 4-5.', which the model reads as a note to the end) is the container, the volume and
    issue, and the pages: the locator's shape (a volume, its issue in parentheses, a colon,
    pages) says so whatever the style, the words before it are what it locates. Only when no
    container, volume or pages were read elsewhere, and only for the note right after the
    title: the values are read from one span, never moved between spans."""
    labels = [label for label, _ in spans]
    if any(label in labels for label in (*_CONTAINERS, "volume", "pages")):
        return spans
    for i in range(1, len(spans)):
        if labels[i] != "note" or labels[i - 1] != "title":
            continue
        match = _LOCATOR_END.match(spans[i][1].strip())
        if match:
            located = [
                ("journal", match.group("container")),
                ("volume", match.group("volume")),
                ("pages", match.group("pages")),
            ]
            return spans[:i] + located + spans[i + 1 :]
    return spans


_CONTAINER_SUPPLEMENT = re.compile(r",?\s+(\d{1,5}\s+suppl(?:ement)?\.?)$", re.IGNORECASE)


def _supplement_from_container(spans: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """ "Leukemia, 10 Suppl" read as the journal before a volume span "2(443)": the volume
    and its supplement words are the volume's ("10 Suppl 2")."""
    out = list(spans)
    for i in range(len(spans) - 1):
        label, text = spans[i]
        match = _CONTAINER_SUPPLEMENT.search(text.strip())
        if match and label in _CONTAINERS and spans[i + 1][0] == "volume":
            out[i] = (label, text.strip()[: match.start()])
            out[i + 1] = ("volume", f"{match.group(1)} {spans[i + 1][1]}")
    return out


# an issue marker ending the span before a number the model read as a date ("no. 1547, 2010.")
_ISSUE_MARK_END = re.compile(r"\b(?:no|nr|num|issue|iss|n°)\.?:?$", re.IGNORECASE)
_LEADING_NUMBER = re.compile(r"^\(?(\d{1,5}[A-Za-z]?)\)?[.,:;]?\s*")
# a Vancouver locator's date: a year (with month and day) ending in ";" before the volume
_LOCATOR_DATE = re.compile(
    r"(?<![\d(])((?:1[5-9]\d\d|20\d\d)(?:\s+[A-Z][a-z]{2,8}\.?(?:[-/][A-Z][a-z]{2,8}\.?)?"
    r"(?:\s+\d{1,2})?)?);\s*(?=[\dA-Za-z(])"
)
_PUBLISHED_ONLINE = re.compile(
    r"\b(?:published|first published|epub)\s+(?:online\s+)?(?:ahead of print\s+)?:?\s*"
    r"((?:\d{1,2}\s+)?(?:[A-Z][a-z]{2,8}\.?\s+)?(?:\d{1,2},?\s+)?(?:1[5-9]\d\d|20\d\d))\b",
    re.IGNORECASE,
)


# a bare year closing the reference ("[Poster F51], 2006."), its date when no date was read
_CLOSING_YEAR = re.compile(r"(?:^|[,;]\s*)(1[5-9]\d\d|20\d\d)\.?$")


def _issue_not_date(spans: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], str | None]:
    """A number the model read as a date right after an issue marker ("no. 1547, 2010.") or
    in parentheses right after the volume ("40 (1623): 44-49", when another year is read as
    the date) is the issue; the spans without it, and the issue."""
    years = [y for label, t in spans if label == "date" for y in _YEAR.findall(t)]
    out = list(spans)
    for i in range(1, len(spans)):
        label, text = spans[i]
        before_label, before = spans[i - 1]
        if label != "date" or not (match := _LEADING_NUMBER.match(text)):
            continue
        marker = _ISSUE_MARK_END.search(before.strip())
        after_volume = (
            len(years) > 1
            and before_label == "volume"
            and text.startswith("(")
            and text.rstrip().endswith(":")
        )
        if marker or after_volume:
            out[i] = (label, text[match.end() :])
            if marker:
                out[i - 1] = (before_label, before.strip()[: marker.start()].strip())
            return [(lab, t) for lab, t in out if t.strip()], match.group(1)
    return spans, None


def to_csl(labelled: Labelled) -> tuple[CSLItem, list[str]]:
    """The CSL record the labelled string states (see the module docstring), and the name
    fields whose list ended in "et al." (a marker kept beside the record, never a name)."""
    spans, stated_issue = _issue_not_date(
        _supplement_from_container(
            _journal_before_pages(
                _locator_in_note(
                    _quoted_container(_bracketed_title(_settle(labelled.spans())))
                )
            )
        )
    )
    by_label: dict[str, list[str]] = {}
    for label, text in spans:
        by_label.setdefault(label, []).append(text)
    csl: CSLItem = {}
    text = labelled.text
    truncated: list[str] = []

    for label, field in NAME_LABELS.items():
        people: list[Name] = []
        etal = False
        for span in by_label.get(label, []):
            found, more = names(span)
            people += [n for n in found if n]
            etal = etal or more
        if people:
            csl[field] = people
        if etal:
            truncated.append(field)

    containers = [t for label, t in spans if label in ("journal", "container-title")]
    if titles := by_label.get("title"):
        raw_title = " ".join(titles)
        # A quoted title ends at its closing quote: words the model ran on past it are the
        # container's when it found none ("“Title.” Book Title, edited by ...").
        if quoted := _QUOTED.match(raw_title):
            rest = _clean(raw_title[quoted.end() :])
            raw_title = quoted.group(1)
            if rest and not containers:
                containers = [rest]
        if title := _clean(raw_title):
            csl["title"] = title
    if containers:
        container = _clean(_IN.sub("", _clean(" ".join(containers))))
        container = re.sub(r"\s*\[Internet\]$", "", container)
        if container:
            csl["container-title"] = container
    if collection := by_label.get("collection-title"):
        csl["collection-title"] = _strip_brackets(" ".join(collection))

    if dates := by_label.get("date"):
        date_text = " ".join(dates)
        # a Vancouver locator's "2011;" is the date, not a year inside the journal's name
        # before it ("Acta medica (Lund, Sweden : 1987). 2011;45(3):211-9.")
        if locator := _LOCATOR_DATE.search(date_text):
            date_text = locator.group(1)
        parts = _date(date_text)
        if parts:
            csl["issued"] = {"date-parts": [parts]}
    elif (online := _PUBLISHED_ONLINE.search(text)) and (parts := _date(online.group(1))):
        csl["issued"] = {"date-parts": [parts]}  # "Published online 1982.": the date
    last_label, last = spans[-1] if spans else ("", "")
    closing = _CLOSING_YEAR.search(last)
    if "issued" not in csl and closing and last_label in ("note", "date", "genre", "publisher"):
        csl["issued"] = {"date-parts": [[int(closing.group(1))]]}  # "..., pp. 1-9, 2006."
    if volumes := by_label.get("volume"):
        volume, issue = _volume_issue(" ".join(volumes))
        if volume:
            csl["volume"] = volume
        if issue:
            csl["issue"] = issue
    if stated_issue and "issue" not in csl and _ISSUE_SHAPE.match(stated_issue):
        csl["issue"] = stated_issue
    if pages := by_label.get("pages"):
        page = _pages(pages[0])
        if page:
            csl["page"] = page
    if publisher := by_label.get("publisher"):
        value = _strip_brackets(" ".join(publisher))
        if value:
            csl["publisher"] = value
    if location := by_label.get("location"):
        value = _strip_brackets(" ".join(location))
        if value:
            csl["publisher-place"] = value
    if edition := by_label.get("edition"):
        match = _EDITION.search(" ".join(edition))
        if match:
            csl["edition"] = match.group(1)
    if genre := by_label.get("genre"):
        csl["genre"] = _strip_brackets(" ".join(genre))

    if doi := next(find_dois(text), None):
        csl["DOI"] = doi
    if (pmid := _PMID.search(text)) and (pmid_value := normalize_pmid(pmid.group(1))):
        csl["PMID"] = pmid_value
    if (isbn := _ISBN.search(text)) and (isbn_value := normalize_isbn(isbn.group(1))):
        csl["ISBN"] = isbn_value
    for url in _URL.findall(text):
        if "doi.org/" not in url.lower():
            csl["URL"] = url if url.startswith("http") else "https://" + url
            break
    csl["type"] = infer_type(by_label, csl)
    if csl["type"] == "thesis":
        _thesis_institution(csl, by_label)
    return csl, truncated


_GENRE_WORDS = re.compile(
    r"^\W*(?:(?:ph\.?\s?d|doctoral|master'?s?|m\.?\s?a|m\.?\s?sc?|b\.?\s?a|diploma|bachelor'?s?|"
    r"unpublished|inaugural|habilitation)\W*)*(?:thesis|dissertation|diss|"
    r"doktorarbeit|masterarbeit|diplomarbeit|abschlussarbeit)\b\.?\s*(?:\(?\s*(?:ph\.?\s?d|"
    r"doctoral|master'?s?)\s*\)?)?[\s,.:;-]*",
    re.IGNORECASE,
)


def _thesis_institution(csl: CSLItem, by_label: dict[str, list[str]]) -> None:
    """A thesis names its university, which CSL keeps as the publisher; the model sometimes
    takes it for a container ("PhD thesis, University of X") or leaves the thesis words in
    front of it. The genre words go to ``genre``, the rest to ``publisher``."""
    for field in ("container-title", "publisher"):
        value = csl.get(field)
        if not isinstance(value, str):
            continue
        match = _GENRE_WORDS.match(value)
        if match and match.end():
            csl.setdefault("genre", value[: match.end()].strip(" ,.:;"))
            value = value[match.end() :].strip(" ,.:;()[]")
        if field == "container-title":
            del csl["container-title"]
            if value and "publisher" not in csl:
                csl["publisher"] = value
        elif value:
            csl["publisher"] = value
        else:
            del csl["publisher"]


def infer_type(by_label: dict[str, list[str]], csl: CSLItem) -> str:
    """The CSL type the labels and their words suggest."""
    genre = " ".join(by_label.get("genre", []) + by_label.get("note", []))
    container = " ".join(by_label.get("container-title", []))
    if not container and not by_label.get("journal"):
        # a container found beside the labels (a quoted title's run-on words)
        container = str(csl.get("container-title") or "")
    # the model may put "(Doctoral dissertation)" in the container or publisher: the words
    # say what it is wherever they were put, unless a journal was named
    around = " ".join([genre, container, *by_label.get("publisher", [])])
    if _THESIS.search(around) and not by_label.get("journal"):
        return "thesis"
    if _REPORT.search(genre):
        return "report"
    if by_label.get("journal"):
        return "article-journal"
    if container:
        if _PROCEEDINGS.search(container):
            return "paper-conference"
        if by_label.get("editor") or by_label.get("publisher") or _IN.match(container.strip()):
            return "chapter"
        if csl.get("volume") or csl.get("page"):
            return "article-journal"
        return "chapter"
    if by_label.get("publisher") or csl.get("ISBN"):
        return "book"
    if csl.get("URL") and not csl.get("volume"):
        return "webpage"
    if csl.get("volume") or csl.get("page"):
        return "article-journal"
    return "document"
