"""A pasted reference list cut back into references.

People paste lists from PDFs, word processors and web pages: numbered ("1.", "[12]", "12)",
"(3)"), with hanging indents, with lines wrapped at the page width (even inside a word or a
DOI), with or without blank lines between references. The rules, in order:

* a numbered list: every numbered line starts a reference, other lines continue it;
* blank lines between references and some reference spanning several lines: a block between
  blank lines is one reference;
* a hanging indent (first lines flush, continuation lines indented): indented lines continue;
* nearly every line states a year: each line is a reference (a line of only a DOI, URL or
  PMID still belongs to the one before);
* otherwise a line is a reference unless it plainly continues the one before (it starts in
  lower case, with a DOI, URL or "PMID", or the line before breaks off after a hyphen, a
  comma, "and", "&", "In:").

Joining: a break after a hyphen inside a lower-case word is a wrapped word (hyphen dropped);
after "/" or a hyphen before a capital (a DOI, "Hans-Peter") the pieces join without a space.
The numbering itself is not part of the reference.
"""

from __future__ import annotations

import re

NUMBERING = re.compile(r"^\s*(?:\[\s*\d{1,4}\s*\]|\(\d{1,4}\)|\d{1,4}[.)](?!\d))\s*")
_CONTINUES = re.compile(
    r"^(?:[a-zß-ÿ]|(?i:doi\b|https?://|www\.|pmid|pmcid)|\(?\d{1,5}\)?[:;,]|[-–,;:])"
)
_YEAR = re.compile(r"(?<!\d)(?:1[5-9]\d\d|20[0-4]\d)(?!\d)")
_IDENTIFIER_LINE = re.compile(r"^(?i:doi\b|https?://|www\.|pmid|pmcid)")
# "de Mestier L, ...", "van der Berg, A." open a reference although they start in lower case
_PARTICLE_START = re.compile(
    r"^(?:(?:de|van|von|der|den|da|das|di|du|dos|la|le|del|della|ten|ter|al|el|af|zu)\s+)+[A-ZÀ-Þ]"
)
_LINK_END = re.compile(r"(?:https?://|doi:\s*|10\.\d{4,9}/)\S*[/_.-]$", re.I)
_OPEN_END = re.compile(r"(?:[-,;:&/]|\b(?:and|und|In:?|et|of|the|in))$")


def _join(previous: str, line: str) -> str:
    line = line.strip()
    if (
        previous.endswith("-")
        and len(previous) > 1
        and previous[-2].isalpha()
        and line[:1].islower()
        and not _LINK_END.search(previous)
    ):
        return previous[:-1] + line  # a word wrapped at its hyphenation point
    if _LINK_END.search(previous) and not line[:1].isupper():
        return previous + line  # a DOI or web address wrapped inside
    if previous.endswith("-") and previous[-2:-1].isalpha() and line[:1].isupper():
        return previous + line  # "Hans-" / "Peter"
    return previous + " " + line


def split_references(text: str) -> list[tuple[int, str]]:
    """``(first line number, reference)`` for every reference in ``text``, joined onto one
    line, its numbering removed."""
    lines = text.splitlines()
    numbered = [i for i, ln in enumerate(lines) if ln.strip() and NUMBERING.match(ln)]
    nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
    if not nonblank:
        return []
    starts: set[int]
    if len(numbered) >= max(2, len(nonblank) // 3) and numbered[0] == nonblank[0]:
        starts = set(numbered)
    else:
        blocks: list[list[int]] = [[]]
        for i, ln in enumerate(lines):
            if ln.strip():
                blocks[-1].append(i)
            elif blocks[-1]:
                blocks.append([])
        blocks = [b for b in blocks if b]
        if len(blocks) > 1 and any(len(b) > 1 for b in blocks):
            starts = {b[0] for b in blocks}
        else:
            indent = [len(lines[i]) - len(lines[i].lstrip()) for i in nonblank]
            flush = min(indent)
            hanging = any(x > flush for x in indent) and indent[0] == flush
            # nearly every line states a year: one reference a line, whatever its ending
            one_a_line = sum(1 for i in nonblank if _YEAR.search(lines[i])) >= 0.8 * len(nonblank)
            starts = set()
            previous = ""
            for i, width in zip(nonblank, indent, strict=True):
                line = lines[i].strip()
                if i > 0 and not lines[i - 1].strip():
                    previous = ""  # a blank line always ends a reference
                if hanging:
                    is_start = width == flush
                elif one_a_line:
                    is_start = not previous or not _IDENTIFIER_LINE.match(line)
                else:
                    is_start = not previous or not (
                        (_CONTINUES.match(line) and not _PARTICLE_START.match(line))
                        or _OPEN_END.search(previous)
                    )
                if is_start:
                    starts.add(i)
                previous = line
    out: list[tuple[int, str]] = []
    for i in nonblank:
        line = lines[i].strip()
        if i in starts or not out:
            out.append((i + 1, NUMBERING.sub("", line, count=1) if i in numbered else line))
        else:
            number, previous = out[-1]
            out[-1] = (number, _join(previous, line))
    return [(n, " ".join(ref.split())) for n, ref in out if ref.strip()]
