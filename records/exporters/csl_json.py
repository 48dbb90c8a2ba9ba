"""CSL-JSON export: the record model as it is, valid against the CSL 1.0.2 input schema.

The record model *is* CSL-JSON, so the export is lossless by construction: every CSL field is
written as stored. Each item gets ``id`` and ``citation-key`` (CSL 1.0.2) set to the work's
citation key. What CSL has no field for travels in CSL's designated ``custom`` object under
``harvester`` (as :meth:`records.model.Record.to_csl_json` does): the ``beside`` data a caller
passes (ISSN kinds, provenance) and, defensively, any key the schema does not know, so that the
file always validates and nothing is dropped.

The schema is vendored in ``records/exporters/schema/csl-data.json`` (MIT, see its README); the
tests validate against it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

CSLItem = dict[str, Any]

SCHEMA_PATH = Path(__file__).with_name("schema") / "csl-data.json"


_SCHEMA = json.loads(SCHEMA_PATH.read_text("utf-8"))
CSL_FIELDS = frozenset(_SCHEMA["items"]["properties"])
CSL_TYPES = frozenset(_SCHEMA["items"]["properties"]["type"]["enum"])
_NAME_KEYS = frozenset(_SCHEMA["definitions"]["name-variable"]["anyOf"][0]["properties"])
_DATE_KEYS = frozenset(_SCHEMA["definitions"]["date-variable"]["anyOf"][0]["properties"])


def csl_json_item(key: str, csl: CSLItem, beside: dict[str, Any] | None = None) -> CSLItem:
    """One CSL-JSON item: ``id`` and ``citation-key`` are ``key``; unknown keys (and
    ``beside``) go under ``custom.harvester``."""
    item: CSLItem = {"id": key, "citation-key": key}
    extra: dict[str, Any] = {}
    for field, value in csl.items():
        if field in ("id", "citation-key"):
            if value != key:
                extra.setdefault("ids", {})[field] = value  # the record's own id, kept
            continue
        if field == "type" and value not in CSL_TYPES:
            extra.setdefault("fields", {})[field] = value
        elif field in CSL_FIELDS and _valid_shape(field, value):
            item[field] = value
        elif field == "custom" and isinstance(value, dict):
            continue  # merged below
        else:
            extra.setdefault("fields", {})[field] = value
    custom = dict(csl["custom"]) if isinstance(csl.get("custom"), dict) else {}
    if beside or extra:
        harvester = dict(custom.get("harvester") or {})
        harvester.update(beside or {})
        harvester.update(extra)
        custom["harvester"] = harvester
    if custom:
        item["custom"] = custom
    if "type" not in item:
        item["type"] = "document"  # required by the schema; CSL's generic type
    return item


def _valid_shape(field: str, value: Any) -> bool:
    """Names must be lists of name objects and dates date objects with CSL's keys only."""
    if isinstance(value, list) and field not in ("categories",):
        return all(isinstance(n, dict) and set(n) <= _NAME_KEYS for n in value)
    if isinstance(value, dict):
        return set(value) <= _DATE_KEYS
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def iter_csl_json(
    entries: Iterable[tuple[str, CSLItem]], *, indent: int | None = 2
) -> Iterator[str]:
    """Stream a CSL-JSON array, one item per piece (``[`` and ``]`` included)."""
    first = True
    for key, csl in entries:
        yield ("[\n" if first else ",\n") + csl_json_entry(key, csl, indent=indent)
        first = False
    yield "[]\n" if first else "\n]\n"


def csl_json_entry(key: str, csl: CSLItem, *, indent: int | None = 2) -> str:
    """One item as it stands inside the array (see :mod:`records.exporters.entries`)."""
    text = json.dumps(csl_json_item(key, csl), ensure_ascii=False, indent=indent)
    if indent:
        # json.dumps escapes line breaks inside strings: "\n" only separates its lines.
        text = "\n".join(" " * indent + line for line in text.split("\n"))
    return text


def write_csl_json(entries: Iterable[tuple[str, CSLItem]], *, indent: int | None = 2) -> str:
    """A CSL-JSON array of the entries (``(citation_key, csl_item)`` pairs)."""
    return "".join(iter_csl_json(entries, indent=indent))
