"""Bytes -> text, the way people's files actually arrive: UTF-8 with or without a BOM, UTF-16
(with a BOM, or without one but with the NUL pattern), and legacy cp1252/latin-1 exports."""

from __future__ import annotations

import codecs
import re

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
    marc = _MARC_LEADER.match(text[:64]) is not None and "\x1d" in text[:100_000]
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
