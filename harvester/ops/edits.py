"""A person's corrections: ``harvester edit KEY --set field=value``.

An edit is a source record of its own (kind ``edit``): the work is recomputed with it ranked
above every imported record and above Crossref, so the correction shows, survives later imports
and enrichment (Crossref never overwrites an edited field), and can be seen and undone like any
other member (``harvester show`` names it; ``harvester split`` does not apply to edits).
The latest edit of a field wins.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from harvester.errors import NotFound
from harvester.store import Library, WorkRow
from records.errors import UsageError
from records.model import CSLItem, Record, SourceRef
from records.normalize.dates import parse_date
from records.normalize.names import parse_name_list
from records.normalize.record import NAME_FIELDS, normalize_csl

# CSL fields a person may set from the command line, and how the text is read.
EDITABLE = frozenset(
    {
        "type",
        "title",
        "title-short",
        "container-title",
        "container-title-short",
        "volume",
        "issue",
        "page",
        "issued",
        "DOI",
        "PMID",
        "PMCID",
        "ISSN",
        "ISBN",
        "URL",
        "language",
        "abstract",
        "publisher",
        "publisher-place",
        "keyword",
        "edition",
        "note",
        "collection-title",
        "number",
        "genre",
        *NAME_FIELDS,
    }
)


def parse_assignment(text: str) -> tuple[str, Any]:
    """``title=New title`` -> ("title", "New title"); names and dates are parsed."""
    field, sep, value = text.partition("=")
    field = field.strip()
    if not sep or not field:
        raise UsageError(f"--set needs FIELD=VALUE, not {text!r}")
    if field not in EDITABLE:
        raise UsageError(
            f"{field!r} is not an editable CSL field; try one of: " + ", ".join(sorted(EDITABLE))
        )
    value = value.strip()
    if field in NAME_FIELDS:
        names = parse_name_list(value)
        if not names:
            raise UsageError(f"no names in {value!r} (write 'Family, Given; Family, Given')")
        return field, names
    if field == "issued":
        date = parse_date(value, strict=True)
        if date is None:
            raise UsageError(f"{value!r} is not a date (try 2024, 2024-07 or 2024-07-18)")
        return field, date
    return field, value


def edit_work(library: Library, key: str, assignments: list[str]) -> WorkRow:
    """Apply a person's corrections to a work (see the module docstring)."""
    changes: CSLItem = dict(parse_assignment(a) for a in assignments)
    if not changes:
        raise UsageError("nothing to change: give --set FIELD=VALUE")
    csl = normalize_csl(changes)
    dropped = sorted(set(changes) - set(csl))
    if dropped:
        raise UsageError(f"not a valid value for {', '.join(dropped)}")
    with library.write():
        work = library.work_by_key(key)
        if work is None:
            raise NotFound(f"no work with key {key!r}")
        stamp = datetime.now(UTC).isoformat(timespec="microseconds")
        raw = json.dumps({"work": work.key, "set": assignments, "at": stamp}, ensure_ascii=False)
        record = Record(csl=csl, source=SourceRef("edit", "edit", None, 1, None), raw=raw)
        library.add_record(record, kind="edit", work_id=work.id)
        library.recompute_work(work.id)
        return library.work(work.id)
