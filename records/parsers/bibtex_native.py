"""An optional native accelerator for splitting BibTeX: citerra (Rust, ``pip install
harvester[native]``), behind the same reader interface as :func:`~.bibtex_blocks.fast_entry`.

Where the time of importing a ``.bib`` goes (``docs/performance.md``): the split into raw
entries is about a sixth of it; LaTeX decoding, name splitting, the CSL mapping and the record
normalization are the rest, and follow harvester's own rules. Inside Rust citerra splits a file
several times faster than the fast path's regular expressions, so the split is the step it can
stand in for, and only where its split is provably bibtexparser's: the records must come out
identical with and without it.

citerra follows BibTeX's grammar; bibtexparser's splitter has rules of its own (a brace or
quote after a backslash is no mark, ``{"}`` inside quotes, an ``@type{`` anywhere aborts the
entry, text between entries is a comment). So :func:`native_entry` accepts citerra's answer for
a piece only when the piece is a shape on which the two grammars cannot differ:

* citerra read one entry and nothing else (no comment, ``@string``, failed block or diagnostic
  of any severity), written with braces, followed by nothing but whitespace, and its verbatim
  text is the piece's from the ``@`` on;
* the head (type and key) matches the fast path's own pattern, which is what gives the type and
  key, and no second block mark is anywhere in the entry;
* no backslash stands before a brace anywhere (``\\{`` counts for BibTeX, not for the
  splitter), and a value that is not braced (or is a ``#`` concatenation) has no backslash
  and no inner quote;
* every field value is verbatim text of the entry, in order.

Anything else returns ``None`` and the piece goes the Python way (the fast path, then
bibtexparser), as it does without citerra. LaTeX decoding and names stay in Python: citerra's
``latex_to_unicode`` and ``parse_names`` follow other tables and rules than
:mod:`records.normalize.latex` and :func:`records.parsers.bibtex.split_bibtex_name` (see
``docs/performance.md``), and their output would change records.

citerra 0.4 panics (pyo3's ``PanicException``, a ``BaseException``) on some inputs, e.g. a
non-ASCII entry key; any exception it raises sends the piece the Python way too.

**Off unless asked for** (``HARVESTER_NATIVE=1``; ``HARVESTER_NO_NATIVE`` set always turns it
off): measured, it does not pay (``docs/performance.md``). Handing an entry's fields from Rust
to Python costs citerra 0.4's bindings (an object per entry and per field) about what the
fast path's regular expressions cost, the guards above come on top, and the split is only a
sixth of parse+normalize: with the accelerator the split takes 1.05-1.25x the CPU time it takes
without, and parse+normalize is no faster. It is kept, tested for identity, so that a later
citerra (or a bulk interface to it) can be measured again by flipping one variable.
:func:`entry_reader` is asked once per file read.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from types import ModuleType

from records.parsers.bibtex_blocks import (
    _BLOCK_MARK_RE,
    _HEAD_RE,
    _SPECIAL_TYPES,
    RawEntry,
    fast_entry,
)

EntryReader = Callable[[str, int], "RawEntry | None"]

# The version range this module is written and tested against (pyproject's ``native`` extra).
SUPPORTED = ((0, 4), (0, 5))


def _load() -> ModuleType | None:
    try:
        import citerra  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None
    try:
        from importlib.metadata import version

        major_minor = tuple(int(p) for p in version("citerra").split(".")[:2])
    except Exception:  # no metadata, or a version string of another shape: not one we know
        return None
    if not SUPPORTED[0] <= major_minor < SUPPORTED[1]:
        return None
    return citerra


_citerra = _load()
# One parser object for every piece; source spans are not needed (lines are counted in Python).
_parser = None if _citerra is None else _citerra.Parser(tolerant=True, capture_source=False)
_BACKSLASH_BRACE_RE = re.compile(r"\\[{}]")


def available() -> bool:
    """Whether citerra is installed in a supported version."""
    return _parser is not None


def enabled() -> bool:
    """Whether the accelerator is used: citerra there, ``HARVESTER_NATIVE`` set to a non-empty
    value and ``HARVESTER_NO_NATIVE`` not set."""
    return (
        _parser is not None
        and bool(os.environ.get("HARVESTER_NATIVE"))
        and not os.environ.get("HARVESTER_NO_NATIVE")
    )


def native_entry(piece: str, line: int) -> RawEntry | None:
    """The plain entry ``piece`` holds as bibtexparser splits it, read by citerra; ``None``
    where citerra's reading is not certainly the same (see the module docstring)."""
    if _parser is None:
        return None
    head = _HEAD_RE.match(piece)
    if head is None:
        return None
    entry_type = head.group(1).lower()
    if entry_type.startswith(_SPECIAL_TYPES) or not head.group(0).isascii():
        return None  # (a non-ASCII key makes citerra 0.4 panic, and print to stderr)
    at = piece.index("@")
    if piece.find("@", at + 1) >= 0 and _BLOCK_MARK_RE.search(piece, at + 1):
        return None
    if "\\" in piece and _BACKSLASH_BRACE_RE.search(piece):
        return None
    try:
        doc = _parser.parse(piece)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # a Rust panic is a BaseException (see the module docstring)
        return None
    blocks = doc.blocks
    if len(blocks) != 1 or blocks[0].kind != "entry" or doc.diagnostics:
        return None
    entry = doc.entries[0]
    raw = entry.raw
    if not raw or not piece.startswith(raw, at):
        return None
    rest = piece[at + len(raw) :]
    if rest and not rest.isspace():
        return None
    fields: list[tuple[str, str]] = []
    pos = head.end()
    for field in entry.fields:
        value = field.raw_value
        if value is None:
            return None
        found = raw.find(value, pos - at)
        if found < 0:
            return None
        pos = at + found + len(value)
        value = value.strip()
        braced = value[:1] == "{" and value[-1:] == "}" and "#" not in value
        if not braced and ("\\" in value or '"' in value[1:-1]):
            return None
        fields.append((field.name.strip(), value))
    return RawEntry(entry_type, head.group(2).strip(), fields, raw, line)


def accelerated_entry(piece: str, line: int) -> RawEntry | None:
    """citerra's reading where it is certain, else the Python fast path's."""
    return native_entry(piece, line) or fast_entry(piece, line)


def entry_reader() -> EntryReader:
    """The reader of plain entries to use for one file: the accelerator when enabled."""
    return accelerated_entry if enabled() else fast_entry
