"""Label/value field tables, as record views print them and as they copy into text.

Catalog and database record views (VuFind, EBSCO, Primo, publisher footers) show a two-column
table or definition list. Copied, a row becomes ``LABEL:VALUE`` (value glued), ``LABEL: VALUE``,
``LABEL<TAB>VALUE`` or ``LABEL:`` alone with the value on the next line(s); some views drop the
colon and put the label alone on its line. A :class:`FieldTable` knows one layout's closed set
of labels (longest first, so "Veröffentlicht in" wins over "Veröffentlicht") and splits lines
into entries; lines without a label continue the entry above them (a second ISSN on its own line).
Labels are never "any word before a colon": abstracts contain colons ("Hintergrund: …").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from records.model import ParseResult, Record, SourceRef
from records.normalize.chrome import is_ui_label


@dataclass(slots=True)
class Entry:
    """One field row: our field name, the label as printed (case-folded), its value, its line."""

    field: str
    label: str
    value: str
    line: int

    def lines(self) -> list[str]:
        return [ln.strip() for ln in self.value.splitlines() if ln.strip()]

    def first_line(self) -> str:
        lines = self.lines()
        return lines[0] if lines else ""


class FieldTable:
    """A closed set of labels (label -> field name) and the reader of rows that use them.

    ``bare_labels``: a line that is exactly a label, without colon, starts a field too (Primo,
    EBSCO and publisher footers copy that way). A label may map to several fields (Dutch VuFind
    uses "Gepubliceerd in" for both "Published" and "Published in"); the field is then
    ``"a|b"`` and the caller decides by the value's shape.
    """

    def __init__(self, fields: Mapping[str, Iterable[str]], *, bare_labels: bool = False) -> None:
        by_label: dict[str, list[str]] = {}
        for field, labels in fields.items():
            for label in labels:
                key = label.strip().rstrip(":").strip().casefold()
                if key and field not in by_label.setdefault(key, []):
                    by_label[key].append(field)
        self.by_label = {label: "|".join(fields) for label, fields in by_label.items()}
        alternatives = "|".join(
            re.escape(label) for label in sorted(self.by_label, key=len, reverse=True)
        )
        # LABEL followed by ":" (value glued, spaced, or on the next line) or by a TAB.
        self.pattern = re.compile(
            rf"^[ \t]*(?P<label>{alternatives})[ \t]*(?:(?::[ \t]*)+|\t+)(?P<value>.*)$",
            re.IGNORECASE,
        )
        self.bare = (
            re.compile(rf"^[ \t]*(?P<label>{alternatives})[ \t]*:?[ \t]*$", re.IGNORECASE)
            if bare_labels
            else None
        )

    def match(self, line: str) -> tuple[str, str, str] | None:
        """``(field, label, value)`` when ``line`` starts a row, else ``None``."""
        match = self.pattern.match(line)
        if match is None and self.bare is not None:
            match = self.bare.match(line)
            if match:
                label = match.group("label").casefold()
                return self.by_label[label], label, ""
        if match is None:
            return None
        label = match.group("label").casefold()
        return self.by_label[label], label, match.group("value")

    def fields_in(self, lines: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for line in lines:
            hit = self.match(line)
            if hit:
                found.update(hit[0].split("|"))
        return found

    def read(
        self,
        lines: list[str],
        is_noise: Callable[[str], bool] = lambda line: not line.strip(),
        first_line: int = 1,
    ) -> tuple[list[Entry], list[str]]:
        """Entries in order, and the lines before the first row (the title block).

        A noise line (page chrome) ends the entry above it; an empty line does not, since a
        label alone on its line is followed by its value after line breaks.
        """
        entries: list[Entry] = []
        preamble: list[str] = []
        open_entry = False
        for number, line in enumerate(lines, start=first_line):
            hit = self.match(line)
            if hit:
                entries.append(Entry(hit[0], hit[1], hit[2], number))
                open_entry = True
                continue
            if not line.strip():
                continue
            if is_noise(line):
                open_entry = False
                continue
            if entries and open_entry:
                entries[-1].value += "\n" + line
            elif not entries:
                preamble.append(line)
        return entries, preamble


def group(entries: Iterable[Entry]) -> dict[str, list[Entry]]:
    """Entries by field name, in order."""
    out: dict[str, list[Entry]] = {}
    for entry in entries:
        out.setdefault(entry.field, []).append(entry)
    return out


def _is_control(line: str) -> bool:
    return not line.strip() or is_ui_label(line)


def title_led_records(
    table: FieldTable,
    text: str,
    origin: str,
    name: str,
    parse_record: Callable[[list[Entry], SourceRef, str], Record],
    *,
    lone_titles: bool = True,
) -> ParseResult:
    """A results or record page that lists records one after another, each beginning with its
    Title row (EBSCO, Primo): each record's entries, raw text (from its first row to the next
    record's) and place. ``lone_titles=False`` drops a Title row with nothing after it (a
    heading that repeats the title) unless it is all there is."""
    lines = text.splitlines()
    # Page controls between rows ("Full description", "Show more") end the row above them.
    entries = [e for e in table.read(lines, _is_control)[0] if e.field != "ignored"]
    chunks: list[list[Entry]] = []
    for entry in entries:
        if entry.field == "title" or not chunks:
            chunks.append([])
        chunks[-1].append(entry)
    # Records begin with their Title: labels before the first one are the site's navigation
    # ("Subject Terms", "Publications" in EBSCO's top bar), not a record.
    if len(chunks) > 1 and chunks[0][0].field != "title":
        chunks = chunks[1:]
    if not lone_titles and len(chunks) > 1:
        chunks = [c for c in chunks if any(e.field != "title" for e in c)]
    starts = [chunk[0].line - 1 for chunk in chunks] + [len(lines)]
    result = ParseResult()
    for position, chunk in enumerate(chunks, start=1):
        source = SourceRef(name, origin, None, position, chunk[0].line)
        raw = "\n".join(lines[starts[position - 1] : starts[position]]).strip()
        result.records.append(parse_record(chunk, source, raw))
    return result
