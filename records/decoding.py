"""Bytes -> text, the way people's files actually arrive: UTF-8 with or without a BOM, UTF-16
(with a BOM, or without one but with the NUL pattern), and legacy cp1252/latin-1 exports."""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from records.errors import BinaryInput, EmptyInput

# Control characters that occur in real text files (tab, newlines, form feed) and in MARC
# transmission files (record, field and subfield separators 0x1D-0x1F).
_TEXT_CONTROLS = {9, 10, 12, 13, 0x1B, 0x1D, 0x1E, 0x1F}


def decode(data: bytes, origin: str) -> str:
    """The text of an input, or :class:`EmptyInput` / :class:`BinaryInput` naming the input."""
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    elif len(data) >= 4 and data[1] == 0 and data[3] == 0 and data[0] != 0:
        text = data.decode("utf-16-le", errors="replace")
    elif len(data) >= 4 and data[0] == 0 and data[2] == 0 and data[1] != 0:
        text = data.decode("utf-16-be", errors="replace")
    else:
        if b"\x00" in data[:8192]:
            raise BinaryInput(origin, "binary file, not a bibliographic text format")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Not UTF-8: the legacy Windows code page is what EndNote/RefWorks exports use;
            # every byte decodes in latin-1, so nothing is ever lost.
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
    # The bytes are not needed any more: a caller that passed them without keeping them
    # (``decode(path.read_bytes(), ...)``) holds the text alone from here on. And isspace(),
    # not strip(), which would copy the whole text of a 200 MB export once more.
    del data
    if not text or text.isspace():
        raise EmptyInput(origin, "empty input: no records in it")
    sample = text[:8192]
    controls = sum(1 for c in sample if ord(c) < 32 and ord(c) not in _TEXT_CONTROLS)
    if controls > max(8, len(sample) // 50) or "\ufffd" * 4 in sample:
        raise BinaryInput(origin, "binary file, not a bibliographic text format")
    return strip_controls(text)


# A fresh pass over an input's bytes, in chunks (the shell opens the file; the core only reads).
ByteChunks = Callable[[], Iterator[bytes]]
# A fresh pass over an input's decoded text, in pieces.
TextPieces = Callable[[], Iterator[str]]

# What is decoded to choose the encoding's checks and the format: at least 4x the sniffers'
# 200 kB window in any encoding this reads (UTF-8 takes at most 4 bytes a character).
HEAD_BYTES = 1 << 20


@dataclass(frozen=True, slots=True)
class DecodedStream:
    """An input decoded as :func:`decode` decodes it, a piece at a time: the same encoding
    (chosen from the BOM and the head, and UTF-8 only if every byte of the file is UTF-8), the
    same refusals (empty, binary) and the same stray controls stripped, with memory for a chunk
    rather than for the file. ``head`` is the text of the first :data:`HEAD_BYTES` (the
    whole text when ``complete``); :meth:`pieces` reads the text again from the start."""

    head: str
    complete: bool
    _chunks: ByteChunks
    _codec: str = "utf-8"
    _errors: str = "strict"
    _skip: int = 0  # bytes of a UTF-8 BOM
    _marc: bool = False

    def pieces(self) -> Iterator[str]:
        if self.complete:
            yield self.head
            return
        decoder = codecs.getincrementaldecoder(self._codec)(self._errors)
        skip = self._skip
        for chunk in self._chunks():
            if skip:
                chunk, skip = chunk[skip:], max(0, skip - len(chunk))
            if text := decoder.decode(chunk):
                yield _strip(text, self._marc)
        if text := decoder.decode(b"", final=True):
            yield _strip(text, self._marc)

    def text(self) -> str:
        """The whole text (for the readers that read it whole)."""
        return self.head if self.complete else "".join(self.pieces())


def decode_stream(chunks: ByteChunks, origin: str, head_bytes: int = HEAD_BYTES) -> DecodedStream:
    """:func:`decode` of the bytes ``chunks()`` yields, as a :class:`DecodedStream`. An input no
    larger than ``head_bytes`` is decoded whole, by :func:`decode` itself."""
    parts: list[bytes] = []
    size = 0
    complete = True
    for chunk in chunks():
        parts.append(chunk)
        size += len(chunk)
        if size > head_bytes:
            complete = False
            break
    data = b"".join(parts)
    del parts
    if complete:
        return DecodedStream(decode(data, origin), True, chunks)
    skip = 0
    if data.startswith(codecs.BOM_UTF8):
        codec, errors, skip = "utf-8", "replace", len(codecs.BOM_UTF8)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec, errors = "utf-16", "replace"
    elif data[1] == 0 and data[3] == 0 and data[0] != 0:
        codec, errors = "utf-16-le", "replace"
    elif data[0] == 0 and data[2] == 0 and data[1] != 0:
        codec, errors = "utf-16-be", "replace"
    else:
        if b"\x00" in data[:8192]:
            raise BinaryInput(origin, "binary file, not a bibliographic text format")
        errors = "strict"
        # decode() reads the file as UTF-8 only if all of it is: the whole file is checked
        # (one pass, nothing kept) before a record is read, so that no record is read in one
        # encoding and the rest of the file in another.
        codec = next((c for c in ("utf-8", "cp1252") if _decodes(chunks, c)), "latin-1")
    decoder = codecs.getincrementaldecoder(codec)(errors)
    raw = decoder.decode(data[skip:])
    sample = raw[:8192]
    controls = sum(1 for c in sample if ord(c) < 32 and ord(c) not in _TEXT_CONTROLS)
    if controls > max(8, len(sample) // 50) or "\ufffd" * 4 in sample:
        raise BinaryInput(origin, "binary file, not a bibliographic text format")
    marc = _is_marc(raw)
    stream = DecodedStream(_strip(raw, marc), False, chunks, codec, errors, skip, marc)
    if raw.isspace() and all(piece.isspace() for piece in stream.pieces()):
        raise EmptyInput(origin, "empty input: no records in it")
    return stream


def _decodes(chunks: ByteChunks, codec: str) -> bool:
    """Whether every byte of the input decodes strictly in ``codec``."""
    decoder = codecs.getincrementaldecoder(codec)()
    try:
        for chunk in chunks():
            # ASCII decodes the same in every candidate: only the rest is decoded.
            if not (chunk.isascii() and not decoder.getstate()[0]):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


# Control characters no text format carries as content: NUL, the C0 controls but tab, line
# feed and carriage return, DEL and the C1 controls. A stray NUL 1 MB into a file would
# otherwise go to the store, into RIS and BibTeX files (raw NUL bytes) and to the terminal.
_STRAY_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# MARC 21 transmission files are the exception: their record, field and subfield separators
# (0x1D-0x1F) are the structure, and ESC (0x1B) opens MARC-8 character set escapes.
_MARC_STRAY_CONTROLS = re.compile("[\x00-\x08\x0e-\x1a\x1c\x7f-\x9f]")
_MARC_LEADER = re.compile(r"\s*\d{5}")
# Vertical tab and form feed end lines for ``str.splitlines`` but not for line counting by
# "\n": as line feeds, every reader agrees on the lines (and so on the places it reports).
_LINE_BREAKS = str.maketrans({"\v": "\n", "\f": "\n"})


def strip_controls(text: str) -> str:
    """``text`` without stray control characters (tab, line feed and carriage return kept;
    vertical tab and form feed read as line feeds; MARC 21's separators kept in MARC 21)."""
    return _strip(text, _is_marc(text))


def _is_marc(text: str) -> bool:
    return _MARC_LEADER.match(text[:64]) is not None and "\x1d" in text[:100_000]


def _strip(text: str, marc: bool) -> str:
    """:func:`strip_controls` with the MARC question already answered (from the head of the
    input: every piece of a stream gets the same answer). Character by character, so a text
    stripped in pieces is the whole text stripped."""
    pattern = _MARC_STRAY_CONTROLS if marc else _STRAY_CONTROLS
    if "\v" in text or "\f" in text:
        text = text.translate(_LINE_BREAKS)
    if pattern.search(text) is None:  # the common case: no copy of a large text
        return text
    return pattern.sub("", text)


# Where a page or document names its own encoding: ``<meta charset=…>`` or
# ``<meta http-equiv="Content-Type" content="…; charset=…">`` near the top of an HTML page,
# ``<?xml … encoding="…"?>`` at the start of an XML document.
_META_CHARSET = re.compile(rb"<meta\s[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)", re.I)
# Labels that browsers read as windows-1252 (the WHATWG Encoding Standard): a page that says
# ISO-8859-1 and uses the curly quotes at 0x91-0x94 means cp1252.
_WINDOWS_1252_LABELS = {"iso8859-1", "ascii", "cp1252"}


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page or XML document declares in its first 4 kB, if any."""
    head = data[:4096]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def to_utf8(data: bytes, charset: str | None) -> bytes:
    """``data`` re-encoded as UTF-8 when ``charset`` (a server's ``Content-Type`` charset, else
    the document's own declaration) is what the bytes are in; otherwise ``data`` unchanged, for
    :func:`decode`'s own reading.

    A BOM always wins, and bytes that are valid UTF-8 stay UTF-8 even when a server calls them
    ISO-8859-1 (a common server default): non-ASCII text in another encoding is almost never
    valid UTF-8 by chance. UTF-16/32 labels are believed, since UTF-16 text can be valid UTF-8.
    """
    if not charset or data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data
    try:
        codec = codecs.lookup(charset.strip().strip("\"'")).name
    except LookupError:
        return data
    if codec == "utf-8":
        return data
    if not codec.startswith(("utf-16", "utf-32")):
        try:
            data.decode("utf-8")
            return data
        except UnicodeDecodeError:
            pass
    for candidate in ("cp1252", "latin-1") if codec in _WINDOWS_1252_LABELS else (codec,):
        try:
            return data.decode(candidate).encode("utf-8")
        except UnicodeDecodeError:
            continue
    return data
