"""MARC 21 bibliographic records -> records: ISO 2709 binary (``.mrc``) through pymarc, and
MARCXML (also wrapped in SRU responses) through :mod:`records.xmlsafe`, both mapped by one
function, :func:`marc_to_csl`.

pymarc reads the binary records and converts MARC-8 to Unicode (leader/09 blank) or takes
UTF-8 (leader/09 ``a``); a record it cannot read is a failure, the rest still import. MARCXML is
not read with pymarc's own XML reader (``xml.sax``) so that every XML input goes through the one
hardened parser; its elements become :class:`pymarc.Record` objects for the shared mapping.
MARCXML is read whole (the tree of the whole document), unlike PubMed and EndNote XML
(:mod:`records.parsers.xml_records`): that streamed reader chooses a record at its start tag,
and a MARCXML ``<record>`` (in SRU envelopes, beside other ``record`` elements) is known as one
only by its children (``leader``, ``controlfield``, ``datafield``).

Mapping (MARC 21 Bibliographic): 100/110/111 and 700/710/711 names (relator ``edt``/"editor"
-> editor), 245 $a $b $n $p title, 250 edition, 260/264 $a $b $c place, publisher, date, 008/07-10
year and 008/35-37 language (041 $a preferred), 020 ISBN, 022 ISSN, 024 $2 doi, 856 $u URL,
773 host item ($t container, $g "Vol. 64, no. 7 (2024), p. 575-581", $q "64:7<575", $x ISSN,
$z ISBN), 490/830 series, 520 abstract, 650/653 keywords, 502 -> thesis.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import warnings

from lxml import etree
from pymarc import Field, Indicators, Leader, MARCReader, Subfield
from pymarc import Record as MarcRecord
from pymarc.exceptions import PymarcException

from records.errors import InputError
from records.identifiers import normalize_doi, normalize_isbn, normalize_issn
from records.model import CSLItem, Failure, IssnKind, ParseResult, Record, SourceRef
from records.normalize.dates import parse_date
from records.normalize.names import parse_name
from records.parsers.base import Parser, stripped_head
from records.parsers.fields import add_isbn, add_issn
from records.xmlsafe import local_name, parse_xml

# pymarc reports damaged fields through its logger, warnings and, for broken MARC-8, stderr;
# those damages become failures or best-effort values here, never terminal output.
logging.getLogger("pymarc").addHandler(logging.NullHandler())
logging.getLogger("pymarc").propagate = False

_ISBD_TAIL = re.compile(r"[\s/:;,=.]+$")
_VOLUME_RE = re.compile(r"(?:\bvol\.?|\bv\.|\bjg\.?|\bband|\bbd\.?|\bjahrgang)\s*(\d+)", re.I)
_ISSUE_RE = re.compile(
    r"(?:\bno\.?|\bnr\.?|\bh\.|\bheft|\bissue|\bn°|\bnum\.?)\s*(\d+(?:\s*[-/]\s*\d+)?)", re.I
)
_PAGES_RE = re.compile(
    r"(?:\bpp?\.|\bs\.|\bseiten?|\bpages?)\s*:?\s*([A-Za-z]?\d+(?:\s*-\s*[A-Za-z]?\d+)?)", re.I
)
_YEAR_RE = re.compile(r"\((\d{4})\)")
# "64(2024), 7, Seite 575-581" / "50 (2023)" -- volume before the year, issue after it.
_VOLUME_YEAR_RE = re.compile(r"^\s*(\d+)\s*\((\d{4})\)(?:\s*,\s*(\d+(?:/\d+)?))?")
_ENUMERATION_RE = re.compile(r"^(\d+)(?::(\d+))?(?:<(\w+))?")
_EDITOR_ROLES = ("edt", "editor", "hrsg", "herausgeber", "ed.", "eds.")


_ET_AL_RE = re.compile(r"\s*\[(?:u\.\s?a\.|et al\.?|etc\.?|i\.e\.)\]", re.I)


def _clean(value: str | None) -> str:
    """A subfield without ISBD punctuation ("Berlin :", "Elsevier [u.a.],", "[S.l.]")."""
    if not value:
        return ""
    text = _ISBD_TAIL.sub("", _ET_AL_RE.sub("", value)).strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1].strip()
    return _ISBD_TAIL.sub("", text)


def _values(record: MarcRecord, tag: str, codes: str) -> list[str]:
    out: list[str] = []
    for field in record.get_fields(tag):
        for code in codes:
            out.extend(v for v in field.get_subfields(code) if v)
    return out


def _first(record: MarcRecord, tag: str, code: str) -> str:
    values = _values(record, tag, code)
    return values[0] if values else ""


def _name(field: Field) -> tuple[dict[str, str], bool]:
    """A CSL name from a 1XX/7XX field and whether its relator says "editor"."""
    roles = " ".join(field.get_subfields("e", "4")).lower()
    is_editor = any(role in roles for role in _EDITOR_ROLES)
    name = _clean(" ".join(field.get_subfields("a", "b")))
    if field.tag.endswith(("10", "11")):
        return ({"literal": name} if name else {}), is_editor
    parsed = parse_name(name) if name else {}
    return parsed, is_editor


def parse_host_part(text: str) -> CSLItem:
    """Volume, issue, pages and year from a 773 $g ("Vol. 64, no. 7 (2024), p. 575-581")."""
    out: CSLItem = {}
    if match := _VOLUME_RE.search(text):
        out["volume"] = match.group(1)
    if match := _ISSUE_RE.search(text):
        out["issue"] = match.group(1).replace(" ", "")
    if match := _PAGES_RE.search(text):
        out["page"] = match.group(1).replace(" ", "")
    if match := _VOLUME_YEAR_RE.match(text):
        out.setdefault("volume", match.group(1))
        if match.group(3):
            out.setdefault("issue", match.group(3))
    if match := _YEAR_RE.search(text):
        out["issued"] = {"date-parts": [[int(match.group(1))]]}
    return out


def _type(record: MarcRecord, has_host: bool, host_is_book: bool) -> str:
    leader = str(record.leader)
    kind, level = (leader[6], leader[7]) if len(leader) > 7 else ("a", "m")
    if record.get_fields("502"):
        return "thesis"
    # Leader/06 "m" (computer file) is also how some union catalogs code e-books; only a
    # file that 008/26 calls a program is software.
    fixed = record.get("008")
    fixed_data = fixed.data if fixed is not None and fixed.data else ""
    if kind == "m" and len(fixed_data) > 26 and fixed_data[26] in "bg":
        return "software"
    if kind in "atm":
        if level in "ab" or has_host:
            return "chapter" if host_is_book else "article-journal"
        if level == "s":
            return "periodical"
        return "manuscript" if kind == "t" else "book"
    return {
        "e": "map",
        "f": "map",
        "g": "motion_picture",
        "i": "song",
        "j": "song",
        "k": "graphic",
        "c": "musical_score",
        "d": "musical_score",
    }.get(kind, "document")


def marc_to_csl(record: MarcRecord) -> tuple[CSLItem, dict[str, IssnKind], str | None]:
    csl: CSLItem = {}
    kinds: dict[str, IssnKind] = {}
    hosts = record.get_fields("773")
    host_is_book = any(h.get_subfields("z") for h in hosts)
    csl["type"] = _type(record, bool(hosts), host_is_book)

    title_field = record.get("245")
    if title_field is not None:
        main = _clean(" ".join(title_field.get_subfields("a")))
        sub = _clean(" ".join(title_field.get_subfields("b")))
        parts = _clean(" ".join(title_field.get_subfields("n", "p")))
        title = f"{main}: {sub}" if sub else main
        if parts:
            title = f"{title}. {parts}"
        if title:
            csl["title"] = title
    authors: list[dict[str, str]] = []
    editors: list[dict[str, str]] = []
    for tag in ("100", "110", "111", "700", "710", "711"):
        for field in record.get_fields(tag):
            name, is_editor = _name(field)
            if name:
                (editors if is_editor else authors).append(name)
    if authors:
        csl["author"] = authors
    if editors:
        csl["editor"] = editors
    edition = _clean(_first(record, "250", "a"))
    if edition:
        csl["edition"] = edition
    publication = [f for f in record.get_fields("264") if f.indicator2 == "1"] or record.get_fields(
        "260", "264"
    )
    if publication:
        field = publication[0]
        place = _clean(" ".join(field.get_subfields("a")[:1]))
        publisher = _clean(" ".join(field.get_subfields("b")[:1]))
        if place:
            csl["publisher-place"] = place
        if publisher:
            csl["publisher"] = publisher
        date = parse_date(_clean(" ".join(field.get_subfields("c")[:1])).lstrip("c©p"))
        if date:
            csl["issued"] = date
    fixed = record.get("008")
    fixed_data = fixed.data if fixed is not None and fixed.data else ""
    if "issued" not in csl and len(fixed_data) >= 11 and fixed_data[7:11].isdigit():
        csl["issued"] = {"date-parts": [[int(fixed_data[7:11])]]}
    language = _first(record, "041", "a")[:3] or (
        fixed_data[35:38] if len(fixed_data) >= 38 else ""
    )
    if language.strip(" |"):
        csl["language"] = language
    for value in _values(record, "020", "a"):
        isbn = normalize_isbn(value.split()[0] if value.split() else value)
        if isbn:
            add_isbn(csl, isbn)
    for value in _values(record, "022", "a"):
        issn = normalize_issn(value)
        if issn:
            add_issn(csl, kinds, issn, None)
    for field in record.get_fields("024"):
        if " ".join(field.get_subfields("2")).lower() == "doi":
            doi = normalize_doi(" ".join(field.get_subfields("a")))
            if doi:
                csl["DOI"] = doi
    for url in _values(record, "856", "u"):
        doi = normalize_doi(url) if "doi.org/" in url else None
        if doi:
            csl.setdefault("DOI", doi)
        else:
            csl.setdefault("URL", url)
    if hosts:
        # Catalogs add a second 773 for the structured part ("pages:447-473"); the host
        # item is the one with a title.
        host = next((h for h in hosts if h.get_subfields("t")), hosts[0])
        container = _clean(" ".join(host.get_subfields("t")))
        if container:
            csl["container-title"] = container
        part = " ; ".join(g for h in hosts for g in h.get_subfields("g"))
        for key, value in parse_host_part(part).items():
            if key == "issued":
                csl.setdefault("issued", value)
            else:
                csl[key] = value
        enumeration = _ENUMERATION_RE.match(" ".join(host.get_subfields("q")))
        if enumeration:
            csl.setdefault("volume", enumeration.group(1))
            if enumeration.group(2):
                csl.setdefault("issue", enumeration.group(2))
            if enumeration.group(3) and "page" not in csl:
                csl["page"] = enumeration.group(3)
        for value in host.get_subfields("x"):
            issn = normalize_issn(value)
            if issn:
                add_issn(csl, kinds, issn, None)
    series = _clean(_first(record, "830", "a") or _first(record, "490", "a"))
    if series:
        csl["collection-title"] = series
        number = _clean(_first(record, "830", "v") or _first(record, "490", "v"))
        if number:
            csl["collection-number"] = number
    abstract = " ".join(_values(record, "520", "a"))
    if abstract:
        csl["abstract"] = abstract
    keywords = [_clean(k) for k in _values(record, "650", "a") + _values(record, "653", "a")]
    keywords = [k for k in keywords if k]
    if keywords:
        csl["keyword"] = ", ".join(dict.fromkeys(keywords))
    if csl["type"] == "thesis":
        degree = _clean(_first(record, "502", "b") or _first(record, "502", "a"))
        if degree:
            csl["genre"] = degree
        university = _clean(_first(record, "502", "c"))
        if university and "publisher" not in csl:
            csl["publisher"] = university
    control = record.get("001")
    own_id = control.data.strip() if control is not None and control.data else None
    return csl, kinds, own_id


def _marc_bytes(text: str) -> bytes:
    """The original bytes of a decoded MARC transmission file.

    The input arrives decoded (UTF-8, or cp1252/latin-1 for MARC-8 files, whose diacritics
    are high bytes); MARC's directory counts bytes, so the encoding whose first record length
    fits is the one that gives the bytes back.
    """
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            continue
        head = data.lstrip()
        if (
            head[:5].isdigit()
            and 24 <= int(head[:5]) <= len(head)
            and head[int(head[:5]) - 1] == 0x1D
        ):
            return head
    return text.encode("utf-8", errors="replace").lstrip()


class MARC21Parser(Parser):
    name = "marc21"
    label = "MARC 21 (ISO 2709)"
    aliases = ("marc", "mrc")

    def sniff(self, text: str) -> float:
        head = stripped_head(text, "\ufeff \r\n", 30)
        if (
            len(head) >= 24
            and head[:5].isdigit()
            and head[20:24] == "4500"
            and "\x1e" in text[:100000]
        ):
            return 0.95
        if head[:5].isdigit() and "\x1d" in text[:100000] and "\x1e" in text[:100000]:
            return 0.7
        return 0.0

    def parse(self, text: str, origin: str) -> ParseResult:
        data = _marc_bytes(text)
        result = ParseResult()
        with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            reader = MARCReader(
                data,
                to_unicode=True,
                permissive=True,
                utf8_handling="replace",
                hide_utf8_warnings=True,
            )
            read = [(marc, reader.current_exception) for marc in reader]
        offset = 0
        for position, (marc, problem) in enumerate(read, start=1):
            length = int(data[offset : offset + 5]) if data[offset : offset + 5].isdigit() else 0
            raw = data[offset : offset + length].decode("utf-8", errors="replace") if length else ""
            offset += length
            if marc is None:
                result.failures.append(
                    Failure(
                        origin,
                        f"unreadable MARC record: {problem or 'invalid structure'}",
                        record=position,
                    )
                )
                continue
            try:
                csl, kinds, own_id = marc_to_csl(marc)
            except (PymarcException, ValueError, IndexError) as exc:
                result.failures.append(Failure(origin, f"unreadable MARC record: {exc}", position))
                continue
            result.records.append(
                Record(csl, SourceRef(self.name, origin, own_id, position, None), raw, kinds)
            )
        return result


def _from_xml(element: etree._Element) -> MarcRecord:
    record = MarcRecord()
    for child in element:
        name = local_name(child)
        if name == "leader":
            record.leader = Leader((child.text or "").ljust(24)[:24])
        elif name == "controlfield":
            record.add_field(Field(tag=child.get("tag", "000"), data=child.text or ""))
        elif name == "datafield":
            subfields = [
                Subfield(code=s.get("code", "?"), value=s.text or "")
                for s in child
                if local_name(s) == "subfield"
            ]
            record.add_field(
                Field(
                    tag=child.get("tag", "000"),
                    indicators=Indicators(child.get("ind1", " "), child.get("ind2", " ")),
                    subfields=subfields,
                )
            )
    return record


class MARCXMLParser(Parser):
    name = "marcxml"
    label = "MARCXML"
    aliases = ("marc-xml",)

    def sniff(self, text: str) -> float:
        head = text[:10000]
        if "http://www.loc.gov/MARC21/slim" in head:
            return 0.95
        if (
            "<record" in head
            and ("<datafield" in head or "<controlfield" in head)
            and "tag=" in head
        ):
            return 0.85
        return 0.0

    def parse(self, text: str, origin: str) -> ParseResult:
        try:
            root = parse_xml(text, origin)
        except InputError as exc:
            return ParseResult(failures=[Failure(origin, exc.reason, line=exc.line)])
        result = ParseResult()
        elements = [
            e
            for e in root.iter(etree.Element)
            if local_name(e) == "record"
            and any(local_name(c) in ("leader", "controlfield", "datafield") for c in e)
        ]
        for position, element in enumerate(elements, start=1):
            try:
                csl, kinds, own_id = marc_to_csl(_from_xml(element))
            except (PymarcException, ValueError, IndexError) as exc:
                result.failures.append(
                    Failure(
                        origin, f"unreadable MARCXML record: {exc}", position, element.sourceline
                    )
                )
                continue
            if not csl.get("title"):
                result.failures.append(
                    Failure(origin, "MARC record has no title (245)", position, element.sourceline)
                )
                continue
            raw = etree.tostring(element, encoding="unicode", with_tail=False)
            source = SourceRef(self.name, origin, own_id, position, element.sourceline)
            result.records.append(Record(csl, source, raw, kinds))
        return result
