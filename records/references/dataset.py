"""Labelled reference strings in AnyStyle's XML format, read and written.

``<dataset><sequence><author>Radosa CG,</author><title>...</title>...</sequence>...</dataset>``:
each sequence is one reference, its spans in order, keeping their punctuation; the tokens of a
span (split on white space) all carry the span's label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from xml.sax.saxutils import escape

from records.references.features import tokenize
from records.xmlsafe import parse_xml

Sequence = list[tuple[str, str]]  # (label, span text)


def read_dataset(text: str, origin: str) -> list[Sequence]:
    """Every sequence of the dataset as its (label, text) spans; empty spans are dropped."""
    root = parse_xml(text, origin)
    out: list[Sequence] = []
    for sequence in root.iter("sequence"):
        spans = [
            (str(child.tag), " ".join((child.text or "").split()))
            for child in sequence
            if isinstance(child.tag, str) and (child.text or "").strip()
        ]
        if spans:
            out.append(spans)
    return out


# AnyStyle's data labels a Vancouver locator's year both ways: "<date>2012;</date>
# <volume>30(15):</volume>" in some strings and "<volume>2012;30(15):</volume>" in others.
# The year is the date (the record reads the date from the date span): one convention.
# Likewise its pages: "<volume>128(1):183–269,</volume>" is one word there, which the
# tokenizer splits into "128(1):" and "183–269,"; the part after "(issue):", or a range after
# "volume:", is the pages.
_LOCATOR_YEAR = re.compile(r"^(?:1[5-9]\d\d|20\d\d)[a-z]?;$")
_PAGES_AFTER = re.compile(r"^[A-Za-z]{0,2}\d+[A-Za-z]?(?:\s*[-–]\s*[A-Za-z]?\d+)?[.,;]?$")


def tokens_and_labels(sequence: Sequence) -> tuple[list[str], list[str]]:
    tokens: list[str] = []
    labels: list[str] = []
    for label, text in sequence:
        words = tokenize(text)
        tokens += words
        labels += [label] * len(words)
        if label == "volume" and len(words) > 1:
            first = len(labels) - len(words)
            if _LOCATOR_YEAR.match(words[0]):
                labels[first] = "date"
            for k in range(1, len(words)):
                before, word = words[k - 1], words[k]
                if _PAGES_AFTER.match(word) and (
                    before.endswith("):") or (before.endswith(":") and any(d in word for d in "-–"))
                ):
                    labels[first + k] = "pages"
    return tokens, labels


def write_dataset(sequences: Iterable[Sequence]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<dataset>"]
    for sequence in sequences:
        lines.append("  <sequence>")
        lines += [f"    <{label}>{escape(text)}</{label}>" for label, text in sequence]
        lines.append("  </sequence>")
    lines.append("</dataset>")
    return "\n".join(lines) + "\n"
