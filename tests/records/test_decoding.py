"""Which encoding a fetched page is read in: BOM, then the server's charset, then the page's
own declaration, then :func:`records.decoding.decode`'s guesses."""

from __future__ import annotations

import codecs

import pytest

from records.decoding import declared_charset, decode, to_utf8

CZECH = "Antonín Dvořák: Symfonie č. 9 Z Nového světa, Šárka, Řím"


@pytest.mark.parametrize(
    ("charset", "codec"),
    [
        ("iso-8859-2", "iso-8859-2"),
        ("ISO_8859-2", "iso-8859-2"),
        ('"iso-8859-2"', "iso-8859-2"),
        ("windows-1250", "cp1250"),
    ],
)
def test_a_declared_central_european_charset_is_what_the_text_is_read_in(charset, codec):
    data = CZECH.encode(codec)
    assert decode(to_utf8(data, charset), "page") == CZECH
    # without the charset, the legacy guess (cp1252) gets the letters wrong
    assert decode(data, "page") != CZECH


def test_utf8_bytes_stay_utf8_when_the_server_calls_them_latin1():
    data = CZECH.encode("utf-8")
    assert to_utf8(data, "ISO-8859-1") == data


def test_latin1_label_reads_the_windows_quotes_as_browsers_do():
    data = "\u201cQuoted\u201d caf\u00e9".encode("cp1252")
    assert to_utf8(data, "iso-8859-1").decode("utf-8") == "\u201cQuoted\u201d caf\u00e9"


def test_a_bom_wins_over_the_declared_charset():
    data = codecs.BOM_UTF8 + CZECH.encode("utf-8")
    assert to_utf8(data, "iso-8859-2") == data
    assert decode(to_utf8(data, "iso-8859-2"), "page") == CZECH


def test_utf16_without_bom_is_believed():
    data = "Title: Ünïcode".encode("utf-16-le")
    assert to_utf8(data, "utf-16le").decode("utf-8") == "Title: Ünïcode"


@pytest.mark.parametrize("charset", [None, "", "no-such-charset", "utf-8"])
def test_no_usable_charset_leaves_the_bytes_to_decode(charset):
    data = CZECH.encode("iso-8859-2")
    assert to_utf8(data, charset) == data


def test_bytes_that_are_not_in_the_declared_charset_are_left_alone():
    data = b"\x81\xff\xfe plain"  # not valid Shift_JIS
    assert to_utf8(data, "shift_jis") == data


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'<!DOCTYPE html><html><head><meta charset="ISO-8859-2">', "ISO-8859-2"),
        (b"<html><head><META CHARSET=windows-1250>", "windows-1250"),
        (
            b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r">',
            "koi8-r",
        ),
        (b'<?xml version="1.0" encoding="ISO-8859-1"?><records/>', "ISO-8859-1"),
        (b"<html><head><title>no declaration</title>", None),
        (b"TY  - JOUR\nTI  - charset=latin1 in a title is no declaration\n", None),
    ],
)
def test_declared_charset(head, expected):
    assert declared_charset(head) == expected
