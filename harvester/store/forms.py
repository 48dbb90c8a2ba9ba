"""Stored comparison forms: each source record's dedup form (``records.dedup.prepare``), written
once when the record is stored and read back by id, a batch of ids per query.

Why: dedup compares every new record with candidates from anywhere in the library. Deriving a
candidate's form again means reading its CSL (2.4 kB on average) and ``prepare`` on it: about
160 us. An in-process cache of every form would hold ~3 kB per record (3 GB at 1M records), and
a bounded one thrashes once the library outgrows it (at 300k records of the 1M bench, two
thirds of the candidates missed a 100k cache: the import's CPU per record grew ~6x). Read from
this table a form costs ~30 us (``marshal`` of the form's field values, ~1.1 kB).

Why ``marshal`` and not JSON: the form is tuples, frozensets, strings and ints, which marshal
writes and reads back as they are in C; JSON would need a Python pass per form to rebuild the
tuples and sets, which costs as much as the reading. It is a cache, never the only copy: a form
that does not load (another Python's marshal format, a damaged row) is derived from the CSL
again.

Which forms are valid: a form is only as right as the code that derived it, so each row
carries :func:`form_version`, a hash of the source of the code ``prepare`` runs (the dedup and
normalization packages, their data files) and of the Python version. Rows of another version are
ignored and rewritten when next derived inside a write (a ``dedupe`` rewrites them all).
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from collections import deque
from collections.abc import Callable, Iterable
from functools import cache, partial
from itertools import repeat
from operator import call
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harvester.store._sqlite_utils import Database

if TYPE_CHECKING:
    from records.dedup.keys import Prepared

# Ids per SELECT ... IN (...): below SQLite's default variable limit.
_CHUNK = 900


@cache
def form_version() -> str:
    """A short hash of everything a form depends on: the source files of the packages that
    ``prepare`` runs (``records.dedup`` with its data, ``records.normalize``) and the modules
    they import, the form's field names, and the Python version (marshal's format)."""
    from records.dedup.keys import Prepared

    digest = hashlib.blake2b(digest_size=8)
    digest.update(f"{sys.version_info[:2]}|{' '.join(Prepared.__slots__)}".encode())
    digest.update(rules_version().encode())
    return digest.hexdigest()


@cache
def rules_version() -> str:
    """A short hash of the deduplication rules: the source files of ``records.dedup`` (with
    its data) and ``records.normalize`` and the modules they import. A library clustered under
    other rules is told so (``harvester add``) until ``harvester dedupe`` clusters it again."""
    import records.dedup
    import records.normalize

    digest = hashlib.blake2b(digest_size=8)
    packages = [Path(records.dedup.__file__).parent, Path(records.normalize.__file__).parent]
    files = [path for package in packages for path in sorted(package.rglob("*"))]
    files += [packages[0].parent / name for name in ("identifiers.py", "model.py", "errors.py")]
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(f"{path.parent.name}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


# Strings up to this length are written interned (see :func:`encode`); longer ones (titles,
# abstracts) are the record's own.
_SHARED_LEN = 40


def _interned(value: Any) -> Any:
    if type(value) is str:
        return sys.intern(value) if len(value) <= _SHARED_LEN else value
    if type(value) is tuple:
        return tuple(map(_interned, value))
    if type(value) is frozenset:
        return frozenset(map(_interned, value))
    return value


def encode(form: Prepared) -> bytes:
    """The form's field values, marshalled. Short strings (title words, family names, initials,
    journal words, volume numbers) are interned first: marshal writes them as such and reads
    them back as one shared object per distinct string, so a form read back holds 2.6 kB
    instead of 4.6 kB (measured on the 1M bench's records), and a batch reads ~70k of them."""
    from records.dedup.keys import Prepared

    return marshal.dumps(tuple(_interned(getattr(form, name)) for name in Prepared.__slots__))


def decode(blob: bytes) -> Prepared | None:
    """The form a row holds, or None when it does not load as one (then it is derived again)."""
    try:
        values = marshal.loads(blob)
    except (ValueError, EOFError, TypeError):
        return None
    if type(values) is not tuple:
        return None
    new, setters = _builder()
    if len(values) != len(setters):
        from records.dedup.keys import Prepared

        try:  # not one value per field: what the dataclass makes of it (defaults), if anything
            return Prepared(*values)
        except TypeError:
            return None
    # What Prepared(*values) builds, without its frozen __init__'s object.__setattr__ per field
    # (a third of the decoding): each slot set by its descriptor, in C.
    form = new()
    deque(map(call, setters, repeat(form), values), 0)
    return form


@cache
def _builder() -> tuple[Callable[[], Prepared], list[Callable[[Any, Any], None]]]:
    """A bare :class:`Prepared` and the setters of its slots, in the order of its fields."""
    from records.dedup.keys import Prepared

    return partial(object.__new__, Prepared), [
        Prepared.__dict__[name].__set__ for name in Prepared.__slots__
    ]


class Forms:
    """The ``record_forms`` table of one library (see the module docstring)."""

    def __init__(self, db: Database) -> None:
        self._conn = db.conn

    def of(self, record_ids: Iterable[int]) -> dict[int, Prepared]:
        """The stored forms of these records that are of the current version and load."""
        found: dict[int, Prepared] = {}
        version = form_version()
        ordered = sorted(set(record_ids))
        for start in range(0, len(ordered), _CHUNK):
            chunk = ordered[start : start + _CHUNK]
            rows = self._conn.execute(
                "SELECT record_id, form FROM record_forms WHERE record_id IN"
                f" ({','.join('?' * len(chunk))}) AND version = ?",
                [*chunk, version],
            )
            for record_id, blob in rows:
                form = decode(blob)
                if form is not None:
                    found[record_id] = form
        return found

    def put(self, forms: Iterable[tuple[int, Prepared]]) -> None:
        """Store (or replace) these records' forms; inside the caller's write transaction."""
        version = form_version()
        self._conn.executemany(
            "INSERT OR REPLACE INTO record_forms (record_id, version, form) VALUES (?, ?, ?)",
            [(record_id, version, encode(form)) for record_id, form in forms],
        )

    def keep(self, forms: list[tuple[int, Prepared]]) -> None:
        """Store forms derived again from the CSL (a record stored before this table, a form
        of other code) when inside a write; a reading command only uses them."""
        if forms and self._conn.in_transaction:
            self.put(forms)

    def count(self) -> int:
        """Rows of the current version (tests and the bench)."""
        return int(
            self._conn.execute(
                "SELECT count(*) FROM record_forms WHERE version = ?", [form_version()]
            ).fetchone()[0]
        )
