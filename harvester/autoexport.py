"""Auto-export: configured exports (path, format, selection) kept in sync with the library.

After every command that changes works (``add``, ``enrich``, ``merge``, ``split``, ``dedupe``,
``rekey``), each configured export is rendered again and written atomically, and only when
its content changed, so a LaTeX editor watching the file is not disturbed by no-op runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
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


def holds_data(path: Path) -> bool:
    """Whether ``path`` is a file with something in it besides white space."""
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 16):
                if chunk.strip():
                    return True
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return False
    return False


def refresh(library: Library, warn: Callable[[str], None] | None = None) -> list[str]:
    """Rewrite every configured export whose content changed; returns the paths written.

    An export whose selection has come to match no work is not written over a file that holds
    data (``warn`` is told why): emptying a user's file takes an explicit ``export --force``.
    """
    written = []
    for export in configured(library):
        selection = Selection.from_dict(export["selection"])
        options = ExportOptions(**export["selection"].get("options", {}))
        path = Path(export["path"])
        works = selection.peek(library)
        if works is None and holds_data(path):
            if warn:
                warn(
                    f"auto-export {path} not updated: {selection.describe()} selects no works "
                    "and the file holds data (`harvester export --force` empties it)"
                )
            continue
        pieces = iter_works_export(works or iter(()), export["format"], options)
        if write_if_changed(path, pieces):
            written.append(export["path"])
            with library.write():
                library.db.execute(
                    "UPDATE auto_exports SET written_at = ? WHERE id = ?", [now(), export["id"]]
                )
    return written
