"""Inputs as the user names them: files, folders (recursively), ``-`` for standard input.

Each input yields ``(origin, bytes)``; an input that cannot be read becomes an
:class:`~records.errors.UnreadableInput` naming it, and the others are still read.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from records.errors import InputError, UnreadableInput
from records.identifiers import normalize_doi

# Files in a folder that are never bibliographic input: OS litter, editor backups, and the
# folder's own notes (README, *.md). A file named explicitly is always read.
_SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


def _skipped(name: str) -> bool:
    return (
        name in _SKIP_NAMES
        or name.endswith("~")
        or name.upper().startswith("README")
        or (name.lower().endswith(".md"))
    )


@dataclass(frozen=True, slots=True)
class Input:
    """One input: its bytes (or why it could not be read), and a format when the kind of
    argument already says what it is (a reference string typed on the command line)."""

    origin: str
    data: bytes | None = None
    error: InputError | None = None
    format: str | None = None


_DOI_ARGUMENT = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)?10\.\d{4,9}/\S+$", re.I)
# An argument that is no file but reads like a citation: words, a year, punctuation.
_REFERENCE_LIKE = re.compile(r"\s.*\b(1[5-9]\d\d|20\d\d)\b.*[.;:]")


def _argument(source: str, position: int) -> Input | None:
    """A command-line argument that is not a path: a DOI or a reference string."""
    if _DOI_ARGUMENT.match(source) and (doi := normalize_doi(source)):
        return Input(f"doi:{doi}", doi.encode("utf-8"), format="doi")
    if len(source) > 30 and _REFERENCE_LIKE.search(source):
        return Input(f"<argument {position}>", source.encode("utf-8"), format="reference")
    return None


def _read(path: Path, origin: str) -> Input:
    try:
        return Input(origin, path.read_bytes())
    except FileNotFoundError:
        return Input(origin, error=UnreadableInput(origin, "no such file"))
    except PermissionError:
        return Input(origin, error=UnreadableInput(origin, "permission denied"))
    except IsADirectoryError:
        return Input(origin, error=UnreadableInput(origin, "is a directory"))
    except OSError as exc:
        return Input(origin, error=UnreadableInput(origin, f"cannot read: {exc.strerror}"))


def folder_files(folder: Path) -> list[Path]:
    """The input files of a folder, recursively, sorted; hidden files and folders, OS litter,
    editor backups and notes (README, ``*.md``) left out."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        and not _skipped(p.name)
    )


def iter_inputs(sources: list[str]) -> Iterator[Input]:
    """Every input named by ``sources``, folders expanded in sorted order."""
    for position, source in enumerate(sources, start=1):
        if source == "-":
            yield Input("<stdin>", sys.stdin.buffer.read())
            continue
        path = Path(source)
        if path.is_dir():
            files = folder_files(path)
            if not files:
                yield Input(source, error=UnreadableInput(source, "folder holds no files"))
            for file in files:
                yield _read(file, str(file))
        elif not path.exists() and (argument := _argument(source, position)) is not None:
            yield argument
        else:
            yield _read(path, source)
