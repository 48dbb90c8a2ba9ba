"""Feed entries as records (records.feeds): DOIs only from the entry's own identifiers, dates
never from `updated`, UTF-8 believed over a stale declaration."""

from __future__ import annotations

from records.feeds import parse_feed

RSS = """<?xml version="1.0" encoding="{encoding}"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Revue</title><link>https://revue.example.org/</link>
<item><title>Étude des crues {n}</title><link>https://revue.example.org/a/{n}</link>
<dc:creator>Hélène Dupré</dc:creator>
<description>See also doi:10.9999/cited.elsewhere for the method.</description>
</item></channel></rss>
"""


def test_utf8_bytes_win_over_a_stale_declaration():
    # What the fetcher hands on for a Latin-1 feed served with charset=ISO-8859-1: UTF-8 bytes
    # still declaring ISO-8859-1.
    data = RSS.format(encoding="ISO-8859-1", n=1).encode("utf-8")
    (entry,) = parse_feed(data, "https://revue.example.org/rss").entries
    assert entry.record is not None
    assert entry.record.csl["title"] == "Étude des crues 1"
    assert entry.record.csl["author"][0]["family"] == "Dupré"


def test_latin1_bytes_are_read_by_their_declaration():
    data = RSS.format(encoding="ISO-8859-1", n=2).encode("latin-1")
    (entry,) = parse_feed(data, "https://revue.example.org/rss").entries
    assert entry.record is not None and entry.record.csl["title"] == "Étude des crues 2"


def test_a_doi_cited_in_the_summary_is_not_the_entrys_doi():
    data = RSS.format(encoding="UTF-8", n=3).encode()
    (entry,) = parse_feed(data, "https://revue.example.org/rss").entries
    assert entry.doi is None and "DOI" not in entry.record.csl  # type: ignore[union-attr]


def test_publisher_doi_links_and_doi_org_ids_name_the_entry():
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>x</id><updated>2026-01-01T00:00:00Z</updated>
<entry><title>A</title><id>https://doi.org/10.1234/ABC.1</id><link href="https://x.example.org/1"/>
<updated>2026-11-30T10:00:00Z</updated></entry>
<entry><title>B</title><id>tag:x,2026:2</id>
<link href="https://onlinelibrary.example.com/doi/abs/10.1111/jan.16000?af=R"/></entry>
<entry><title>C</title><id>tag:x,2026:3</id><link href="https://x.example.org/article/3"/></entry>
</feed>"""
    entries = parse_feed(atom, "https://x.example.org/atom").entries
    assert [e.doi for e in entries] == ["10.1234/ABC.1", "10.1111/jan.16000", None]
    # Only `updated`: no publication date is made up from it.
    assert "issued" not in entries[0].record.csl  # type: ignore[union-attr]


def test_a_document_that_is_no_feed_is_one_failure():
    parsed = parse_feed(b"<html><body>Maintenance</body></html>", "https://x.example.org/f")
    assert parsed.entries == []
    assert [str(f) for f in parsed.failures] == ["https://x.example.org/f: not an RSS or Atom feed"]
