"""Labelled reference strings in AnyStyle's XML format, read and written.

``<dataset><sequence><author>Radosa CG,</author><title>...</title>...</sequence>...</dataset>``:
each sequence is one reference, its spans in order, keeping their punctuation; the tokens of a
span (split on white space) all carry the span's label.
"""

from __future__ import annotations

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


def tokens_and_labels(sequence: Sequence) -> tuple[list[str], list[str]]:
    tokens: list[str] = []
    labels: list[str] = []
    for label, text in sequence:
        words = tokenize(text)
        tokens += words
        labels += [label] * len(words)
    return tokens, labels


def write_dataset(sequences: Iterable[Sequence]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<dataset>"]
    for sequence in sequences:
        lines.append("  <sequence>")
        lines += [f"    <{label}>{escape(text)}</{label}>" for label, text in sequence]
        lines.append("  </sequence>")
    lines.append("</dataset>")
    return "\n".join(lines) + "\n"
