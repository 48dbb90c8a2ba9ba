"""Auto-export: configured exports (path, format, selection) kept in sync with the library.

After every command that changes works (``add``, ``enrich``, ``merge``, ``split``, ``dedupe``,
``rekey``), each configured export is rendered again and written atomically, and only when
its content changed, so a LaTeX editor watching the file is not disturbed by no-op runs.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from harvester.atomic import write_if_changed
from harvester.exporting import EXPORT_FORMATS, ExportOptions, iter_works_export
from harvester.selection import Selection
from harvester.store import Library
from harvester.store.library import now
from records.errors import UsageError


def register(
    library: Library,
    path: Path,
    format: str,
    selection: Selection,
    options: ExportOptions | None = None,
) -> None:
    """Keep ``path`` in sync with ``selection`` written in ``format``."""
    if format not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format {format!r}")
    stored = selection.as_dict() | {"options": asdict(options or ExportOptions())}
    with library.write():
        library.db.table("auto_exports").upsert(
            {
                "path": str(path.resolve()),
                "format": format,
                "selection": json.dumps(stored),
                "created_at": now(),
            },
            pk="path",
            alter=False,
        )


def unregister(library: Library, path: Path) -> bool:
    with library.write():
        cursor = library.db.execute(
            "DELETE FROM auto_exports WHERE path = ?", [str(path.resolve())]
        )
        return cursor.rowcount > 0


def configured(library: Library) -> list[dict[str, Any]]:
    return [
        dict(row) | {"selection": json.loads(row["selection"])}
        for row in library.db.query("SELECT * FROM auto_exports ORDER BY path")
    ]


def refresh(library: Library) -> list[str]:
    """Rewrite every configured export whose content changed; returns the paths written."""
    written = []
    for export in configured(library):
        selection = Selection.from_dict(export["selection"])
        options = ExportOptions(**export["selection"].get("options", {}))
        pieces = iter_works_export(selection.iter_works(library), export["format"], options)
        if write_if_changed(Path(export["path"]), pieces):
            written.append(export["path"])
            with library.write():
                library.db.execute(
                    "UPDATE auto_exports SET written_at = ? WHERE id = ?", [now(), export["id"]]
                )
    return written
