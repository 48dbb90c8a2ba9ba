"""Inputs as the user names them: files, folders (recursively), ``-`` for standard input,
web addresses, DOIs, PMIDs and PMCIDs, reference strings.

Each input yields ``(origin, bytes)``; an input that cannot be read becomes an
:class:`~records.errors.UnreadableInput` naming it, and the others are still read. An argument
that names an existing file or folder is always that file or folder; otherwise it is read as
an identifier or address (see :func:`classify`). Web pages are fetched one at a time as their
turn comes (:mod:`harvester.sources.web`); the PMIDs and PMCIDs of a run are fetched together, in
batches, when the first of them is reached (:mod:`harvester.sources.pubmed`).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from harvester.config import Config
from records.errors import InputError, UnreadableInput
from records.identifiers import normalize_doi, normalize_pmcid, normalize_pmid

if TYPE_CHECKING:
    import httpx

    from harvester.sources.pubmed import EUtilsClient

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
    argument already says what it is (a DOI, a PubMed record, a reference string typed on the
    command line). That format wins over ``--format``, which is for content whose kind the
    argument does not say (files, standard input, web pages)."""

    origin: str
    data: bytes | None = None
    error: InputError | None = None
    format: str | None = None
    # A file named by ``iter_inputs(..., lazy_files=True)``: its bytes are left for the parser
    # to read (a 1 GB export is then read by the parsing process alone, not copied to it).
    path: Path | None = None
    local: str | None = None  # a local file's absolute path (:func:`local_path`)


_DOI_ARGUMENT = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)?10\.\d{4,9}/\S+$", re.I)
# PMID:38767734, pmid 38767734, PMID: 38767734, and a bare number (when no such file exists).
_PMID_ARGUMENT = re.compile(r"^(?:pmid\s*[:=]?\s*)?0*([1-9]\d{0,8})$", re.I)
# PMC1234567, PMCID: PMC1234567, pmcid 1234567.
_PMCID_ARGUMENT = re.compile(r"^(?:pmcid\s*[:=]?\s*)?(?:pmc)?0*([1-9]\d{0,8})$", re.I)
# Article pages whose address carries the id: PubMed, PMC (old and new hosts), Europe PMC.
_PUBMED_PAGE = re.compile(
    r"^https?://(?:pubmed\.ncbi\.nlm\.nih\.gov/|(?:www\.)?ncbi\.nlm\.nih\.gov/pubmed/"
    r"|(?:www\.)?europepmc\.org/(?:article|abstract)/MED/)(\d{1,9})/?(?:[?#]\S*)?$",
    re.I,
)
_PMC_PAGE = re.compile(
    r"^https?://(?:pmc\.ncbi\.nlm\.nih\.gov/articles/|(?:www\.)?ncbi\.nlm\.nih\.gov/pmc/articles/"
    r"|(?:www\.)?europepmc\.org/(?:article|abstract)/PMC/)(PMC\d{1,9})/?(?:[?#]\S*)?$",
    re.I,
)
_WEB_ADDRESS = re.compile(r"^https?://[^\s/?#]+\S*$", re.I)
# A prefix typed apart from its id: `harvester add PMID: 38767734` is two shell words.
_ID_PREFIXES = {"pmid", "pmid:", "pmcid", "pmcid:", "doi:"}
# An argument that is no file but reads like a citation: words, a year, punctuation.
_REFERENCE_LIKE = re.compile(r"\s.*\b(1[5-9]\d\d|20\d\d)\b.*[.;:]")


def pubmed_id(argument: str) -> str | None:
    """The PMID (``38767734``) or PMCID (``PMC1234567``) an argument names, if it names one:
    ``PMID:38767734``, ``pmid 38767734``, a bare number, ``PMC1234567``, ``PMCID: PMC1234567``,
    or a PubMed, PMC or Europe PMC article address."""
    text = argument.strip()
    if match := _PUBMED_PAGE.match(text):
        return normalize_pmid(match.group(1))
    if match := _PMC_PAGE.match(text):
        return normalize_pmcid(match.group(1))
    if text.lower().startswith("pmc") and (match := _PMCID_ARGUMENT.match(text)):
        return f"PMC{match.group(1)}"
    if match := _PMID_ARGUMENT.match(text):
        return match.group(1)
    return None


def classify(source: str) -> str:
    """What an argument that names no file or folder is: ``doi``, ``pubmed``, ``url``,
    ``reference`` or ``path`` (a file that does not exist, reported as such)."""
    if _DOI_ARGUMENT.match(source) and normalize_doi(source):
        return "doi"
    if pubmed_id(source):
        return "pubmed"
    if _WEB_ADDRESS.match(source):
        return "url"
    if len(source) > 30 and _REFERENCE_LIKE.search(source):
        return "reference"
    return "path"


def _exists(source: str) -> bool:
    """Whether a file or folder of that name exists (a long reference string is no name)."""
    try:
        return Path(source).exists()
    except (OSError, ValueError):
        return False


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def _join_prefixes(sources: list[str]) -> list[tuple[int, str]]:
    """(position, argument), with a lone ``PMID:``/``pmcid``/``doi:`` word joined to the id
    after it when neither is a file (``harvester add PMID: 38767734`` is two shell words)."""
    joined: list[tuple[int, str]] = []
    skip = False
    for position, source in enumerate(sources, start=1):
        if skip:
            skip = False
            continue
        if source.lower() in _ID_PREFIXES and position < len(sources):
            candidate = f"{source.rstrip(':')}:{sources[position]}"
            if (
                not _exists(source)
                and not _exists(sources[position])
                and classify(candidate) in ("doi", "pubmed")
            ):
                joined.append((position, candidate))
                skip = True
                continue
        joined.append((position, source))
    return joined


@dataclass
class Network:
    """The HTTP clients an import needs, made on first use from the configuration (the
    environment and config file when none is given), so that a run of files only never
    reads the network settings."""

    config: Config | None = None
    _web: httpx.Client | None = field(default=None, init=False, repr=False)
    _pubmed: EUtilsClient | None = field(default=None, init=False, repr=False)

    def settings(self) -> Config:
        if self.config is None:
            self.config = Config.load()
        return self.config

    def fetch(self, url: str) -> Input:
        from harvester.net.http import make_client
        from harvester.sources.web import fetch

        config = self.settings()
        if self._web is None:
            self._web = make_client(mailto=config.mailto, timeout=config.http_timeout)
        try:
            return Input(url, fetch(self._web, url, timeout=config.http_timeout))
        except InputError as exc:
            return Input(url, error=exc)

    def pubmed(self, identifiers: list[str]) -> Iterator[Input]:
        from harvester.sources.pubmed import EUtilsClient, pubmed_inputs

        config = self.settings()
        if self._pubmed is None:
            self._pubmed = EUtilsClient(
                config.pubmed_url,
                api_key=config.ncbi_api_key,
                mailto=config.mailto,
                timeout=config.http_timeout,
            )
        yield from pubmed_inputs(self._pubmed, identifiers)

    def close(self) -> None:
        for client in (self._web, self._pubmed):
            if client is not None:
                client.close()
        self._web = self._pubmed = None


def local_path(name: str) -> str | None:
    """The absolute path a file or folder name stands for, symbolic links resolved, so that
    ``refs.bib``, ``./refs.bib`` and ``/home/me/refs.bib`` are one origin; None for what is
    no local name (a web address, ``<stdin>``, ``doi:...``)."""
    if not name or name.startswith("<") or re.match(r"^[a-z][a-z0-9+.-]+:", name, re.I):
        return None
    try:
        return os.path.realpath(os.path.expanduser(name))
    except (OSError, ValueError):
        return None


def _read(path: Path, origin: str, lazy: bool = False) -> Input:
    local = local_path(str(path))
    try:
        if lazy:
            with path.open("rb"):  # readable now: errors are reported where the file is named
                return Input(origin, path=path, local=local)
        return Input(origin, path.read_bytes(), local=local)
    except FileNotFoundError:
        return Input(origin, error=UnreadableInput(origin, "no such file"))
    except PermissionError:
        return Input(origin, error=UnreadableInput(origin, "permission denied"))
    except IsADirectoryError:
        return Input(origin, error=UnreadableInput(origin, "is a directory"))
    except OSError as exc:
        return Input(origin, error=UnreadableInput(origin, f"cannot read: {exc.strerror}"))


# Bytes read at a time from a file being parsed: large enough that a read is cheap, small
# enough that it is nothing beside a batch of records.
CHUNK_BYTES = 1 << 20


def file_chunks(path: Path, origin: str) -> Callable[[], Iterator[bytes]]:
    """A file's bytes as :func:`records.parsers.iter_parse_stream` reads them: each call a
    fresh pass from the start, a chunk at a time; a failed read is an
    :class:`~records.errors.UnreadableInput` naming the input."""

    def chunks() -> Iterator[bytes]:
        try:
            with path.open("rb") as file:
                while chunk := file.read(CHUNK_BYTES):
                    yield chunk
        except OSError as exc:
            raise UnreadableInput(origin, f"cannot read: {exc.strerror or exc}") from None

    return chunks


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


def iter_inputs(
    sources: list[str], *, network: Network | None = None, lazy_files: bool = False
) -> Iterator[Input]:
    """Every input named by ``sources``, folders expanded in sorted order (see the module
    docstring); ``network`` fetches addresses and PubMed ids (default: from the config).
    ``lazy_files``: files come as their :attr:`Input.path`, unread."""
    arguments = [
        (position, source, "path" if source == "-" or _exists(source) else classify(source))
        for position, source in _join_prefixes(sources)
    ]
    pubmed_ids = [pubmed_id(source) or "" for _, source, kind in arguments if kind == "pubmed"]
    own_network = network is None
    network = network or Network()
    try:
        for position, source, kind in arguments:
            if source == "-":
                yield Input("<stdin>", sys.stdin.buffer.read())
            elif kind == "doi":
                doi = normalize_doi(source) or source
                yield Input(f"doi:{doi}", doi.encode("utf-8"), format="doi")
            elif kind == "pubmed":
                if pubmed_ids:  # all of them, batched, where the first one was named
                    yield from network.pubmed(pubmed_ids)
                    pubmed_ids = []
            elif kind == "url":
                yield network.fetch(source)
            elif kind == "reference":
                yield Input(f"<argument {position}>", source.encode("utf-8"), format="reference")
            elif _is_dir(path := Path(source)):
                files = folder_files(path)
                if not files:
                    yield Input(source, error=UnreadableInput(source, "folder holds no files"))
                for file in files:
                    yield _read(file, str(file), lazy_files)
            else:
                yield _read(path, source, lazy_files)
    finally:
        if own_network:
            network.close()
