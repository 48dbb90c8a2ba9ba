"""Text cleaning shared by every parser: Unicode NFC, whitespace, HTML markup and entities."""

from __future__ import annotations

import html
import re
import unicodedata

_BLOCK_TAG_RE = re.compile(
    r"</?(?:[a-z]+:)?(?:p|div|br|sec|title|li|ul|ol|h[1-6])\b[^<>]*>", re.IGNORECASE
)
_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>")
# Control characters that are not white space (NUL, ESC, DEL, C1): never part of a value.
# They reach a value through JSON escapes ("\u0000") or MARC-8 leftovers, past decoding's own
# stripping, and would go on to the store, RIS/BibTeX files and the terminal.
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x9f]")


def clean_text(value: str) -> str:
    """NFC, HTML entities decoded, inline tags (``<i>``, ``<sub>``, JATS ``<jats:p>``) removed,
    runs of whitespace (including NBSP and line breaks) collapsed to one space."""
    text = unicodedata.normalize("NFC", value)
    if "<" in text:
        # Block elements separate words; inline ones (<i>, <sub>, <jats:italic>) do not.
        text = _TAG_RE.sub("", _BLOCK_TAG_RE.sub(" ", text))
    if "&" in text:
        text = html.unescape(text)
    if "\u00ad" in text:
        text = text.replace("\u00ad", "")  # soft hyphens from copied web pages
    return collapse_space(text)


def collapse_space(text: str) -> str:
    """``re.sub(r"\\s+", " ", text).strip()``, fast: it runs on every value of every record.

    Every whitespace character but the space is unprintable, so a printable text without a
    double space and without a space at either end is already collapsed (most values are);
    otherwise ``str.split()`` splits at exactly the characters ``\\s`` matches (``str.isspace``).
    """
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(_CONTROL_RE.sub(" ", text).split())


def without_controls(text: str) -> str:
    """``text`` with the control characters that are not white space removed."""
    return text if text.isprintable() else _CONTROL_RE.sub("", text)


def strip_trailing_period(value: str) -> str:
    """``"A title."`` -> ``"A title"``; keeps ``"..."``, ``"et al."`` and initials like ``"J."``."""
    if (
        value.endswith(".")
        and not value.endswith("..")
        and not re.search(r"(\bal|\b[A-Z])\.$", value)
    ):
        return value[:-1].rstrip()
    return value


def fold_ascii(value: str) -> str:
    """``"Schön"`` -> ``"Schon"``, ``"ß"`` -> ``"ss"``: for keys and comparisons, never for display."""
    value = value.replace("ß", "ss").replace("æ", "ae").replace("Æ", "AE").replace("ø", "o")
    value = value.replace("Ø", "O").replace("ł", "l").replace("Ł", "L").replace("đ", "d")
    # Combining marks are all non-ASCII, so encoding with "ignore" drops them together with
    # what has no ASCII form: one C-level pass instead of a Python loop over characters.
    return unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
