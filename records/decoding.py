"""Bytes -> text, the way people's files actually arrive: UTF-8 with or without a BOM, UTF-16
(with a BOM, or without one but with the NUL pattern), and legacy cp1252/latin-1 exports."""

from __future__ import annotations

import codecs

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
    if not text.strip():
        raise EmptyInput(origin, "empty input: no records in it")
    sample = text[:8192]
    controls = sum(1 for c in sample if ord(c) < 32 and ord(c) not in _TEXT_CONTROLS)
    if controls > max(8, len(sample) // 50) or "\ufffd" * 4 in sample:
        raise BinaryInput(origin, "binary file, not a bibliographic text format")
    return text
