"""BibTeX/BibLaTeX writers: the seeds, names, escaping, and a property-based round trip.

The round trip reads the written text back with bibtexparser (an independent parser) and
decodes the values with pylatexenc (an independent LaTeX interpreter), so the test does not
check the encoder against itself.
"""

from __future__ import annotations

import re
import unicodedata

import bibtexparser
import pytest
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from records.errors import UsageError
from records.exporters.bibtex import (
    entry_type,
    format_name,
    format_names,
    iter_bibtex,
    write_bibtex,
)
from records.exporters.latex import ASCII_TABLE, escape, protect_title
from tests.conftest import examples
from tests.records.exporters.samples import seeds

# pylatexenc knows most text macros; these it decodes differently or not at all.
_DB = get_default_latex_context_db().filter_context(keep_categories=None)
_DB.add_context_category(
    "harvester-test",
    prepend=True,
    macros=[
        MacroTextSpec("textasciicircum", "^"),
        MacroTextSpec("textbraceleft", "{"),
        MacroTextSpec("textbraceright", "}"),
        MacroTextSpec("textperiodcentered", "·"),
    ],
)
_DECODER = LatexNodes2Text(latex_context=_DB, math_mode="text", strict_latex_spaces=True)


def decode(value: str) -> str:
    return _norm(_DECODER.latex_to_text(value))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).replace("\xa0", " ")).strip()


def parse_back(text: str) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    return {
        e.key: {"ENTRYTYPE": e.entry_type, **{f.key: f.value for f in e.fields}}
        for e in library.entries
    }


def test_seeds_to_bibtex():
    entries = parse_back(write_bibtex(seeds(), abstract=True))
    radosa = entries["radosa2024radiologisch"]
    assert radosa["ENTRYTYPE"] == "article"
    assert radosa["author"] == (
        r"Radosa, C. G. and Nebelung, H. and Sch{\"o}n, F. and Hoffmann, R. T."
    )
    assert radosa["title"] == (
        r"Radiologisch-interventionelle {M{\"o}glichkeiten} zur {Behandlung} von "
        r"neuroendokrinen {Tumoren}"
    )
    assert radosa["journal"] == "Radiologe"
    assert (radosa["volume"], radosa["number"], radosa["pages"]) == ("64", "7", "575--581")
    assert radosa["year"] == "2024"
    assert radosa["doi"] == "10.1007/s00117-024-01314-z"
    assert "publisher" not in radosa and "address" not in radosa
    assert decode(radosa["abstract"]).startswith("Hintergrund: Die Mehrzahl der Patient*innen")
    assert radosa["abstract"].isascii()
    mestier = entries["demestier2017liver"]
    assert mestier["author"].startswith("de Mestier, Louis and Zappa, Magaly")
    assert r"Vilgrain, Val{\'e}rie" in mestier["author"]
    assert mestier["month"] == "oct"  # a macro, written unbraced
    assert re.search(r"month = oct,", write_bibtex(seeds()))
    assert (mestier["volume"], mestier["pages"], mestier["year"]) == ("18", "459--471", "2017")


def test_seeds_to_biblatex():
    entries = parse_back(write_bibtex(seeds(), flavour="biblatex", abstract=True))
    radosa = entries["radosa2024radiologisch"]
    assert radosa["author"] == "Radosa, C. G. and Nebelung, H. and Schön, F. and Hoffmann, R. T."
    assert radosa["journaltitle"] == "Radiologe"
    assert radosa["date"] == "2024"
    assert radosa["langid"] == "ngerman"
    assert radosa["issn"] == "0033-832X"
    assert "year" not in radosa and "journal" not in radosa
    mestier = entries["demestier2017liver"]
    assert mestier["date"] == "2017-10-03"
    assert mestier["langid"] == "english"
    assert mestier["doi"] == "10.1007/s11154-017-9431-2"


def test_abstract_is_optional():
    assert "abstract" not in write_bibtex(seeds())
    assert "abstract" in write_bibtex(seeds(), flavour="biblatex", abstract=True)


def test_names_the_bibtex_way():
    assert format_name({"family": "de Mestier", "given": "Louis"}) == "de Mestier, Louis"
    assert format_name({"family": "Smith", "given": "John", "suffix": "Jr."}) == (
        "Smith, Jr., John"
    )
    assert format_name({"family": "Mestier", "given": "Louis", "non-dropping-particle": "de"}) == (
        "de Mestier, Louis"
    )
    assert format_name({"literal": "World Health Organization"}) == "{World Health Organization}"
    assert format_name({"literal": "Bill and Melinda Gates Foundation"}) == (
        "{Bill and Melinda Gates Foundation}"
    )
    assert format_name({"family": "García Márquez"}) == r"{Garc{\'\i}a M{\'a}rquez}"
    assert (
        format_names([{"family": "Radosa", "given": "C. G."}, {"literal": "et al."}])
        == "Radosa, C. G. and others"
    )
    # "and" inside a name part must not split the list.
    parsed = split_multiple_persons_names(format_names([{"family": "Anders and", "given": "X"}]))
    assert len(parsed) == 1


def test_corporate_author_in_double_braces_in_the_file():
    text = write_bibtex([("who2020", {"author": [{"literal": "World Health Organization"}]})])
    assert "author = {{World Health Organization}}" in text


def test_entry_types_follow_pandoc():
    assert entry_type({"type": "article-journal"}) == "article"
    assert entry_type({"type": "chapter", "editor": [{"family": "E"}]}) == "incollection"
    assert entry_type({"type": "chapter"}) == "inbook"
    assert entry_type({"type": "paper-conference"}) == "inproceedings"
    assert entry_type({"type": "report"}) == "techreport"
    assert entry_type({"type": "report"}, "biblatex") == "report"
    assert entry_type({"type": "webpage"}) == "misc"
    assert entry_type({"type": "webpage"}, "biblatex") == "online"
    assert entry_type({"type": "thesis", "genre": "Master's thesis"}) == "mastersthesis"
    assert entry_type({"type": "thesis"}) == "phdthesis"
    assert entry_type({"type": "manuscript"}) == "unpublished"
    assert entry_type({"type": "dataset"}, "biblatex") == "dataset"


def test_escaping_of_specials_and_unicode():
    assert escape("R&D 100% $5 #1 a_b") == r"R\&D 100\% \$5 \#1 a\_b"
    assert escape("{x} ~ ^ \\") == r"\{x\} {\textasciitilde} {\textasciicircum} {\textbackslash}"
    # Braces without a partner would unbalance the value for BibTeX even after a backslash.
    assert escape("} {a} {") == r"{\textbraceright} \{a\} {\textbraceleft}"
    assert escape("Schön – α") == r"Sch{\"o}n {--} {\ensuremath{\alpha}}"
    assert escape("Schön – α", ascii=False) == r"Schön – {\ensuremath{\alpha}}"
    assert escape("q\u0303") == r"{\~{q}}"  # combining tilde, no precomposed form
    assert escape("a--b ``c''") == "a-{}-b `{}`c'{}'"
    assert escape("plain ascii") == "plain ascii"


def test_titles_protect_capitals_and_acronyms():
    assert protect_title("Liver embolization in NET and mRNA") == (
        "Liver embolization in {NET} and {mRNA}"
    )
    assert protect_title("TACE for liver metastases") == "{TACE} for liver metastases"
    assert protect_title("The Role of X") == "The {Role} of {X}"


def test_duplicate_and_unsafe_keys_are_usage_errors():
    with pytest.raises(UsageError, match="twice"):
        write_bibtex([("Chen2014", {}), ("chen2014", {})])
    with pytest.raises(UsageError, match="cannot be exported"):
        write_bibtex([("bad key,", {})])
    with pytest.raises(UsageError, match="flavour"):
        write_bibtex([("a", {})], flavour="ris")  # type: ignore[arg-type]


def test_streaming_gives_the_same_text_in_pieces():
    entries = [
        (f"k{i}", {"title": f"Title {i}", "issued": {"date-parts": [[2000 + i]]}}) for i in range(7)
    ]
    pieces = list(iter_bibtex(entries, chunk=3))
    assert len(pieces) == 3
    assert "".join(pieces) == write_bibtex(entries)
    assert len(parse_back("".join(pieces))) == 7


def test_a_hostile_abstract_cannot_break_the_file():
    csl = {"title": "T", "abstract": "x } @article{evil, title={y}} % } } \\"}
    text = write_bibtex([("a", csl), ("b", {"title": "After"})], abstract=True)
    entries = parse_back(text)
    assert list(entries) == ["a", "b"]
    assert decode(entries["a"]["abstract"]) == _norm(csl["abstract"])
    assert text.count("{") == text.count("}")  # BibTeX counts escaped braces too


# --- property-based round trip ---------------------------------------------------------------

# Printable text over the scripts a library holds, LaTeX specials and ligature pairs included.
_alphabet = st.one_of(
    st.sampled_from(list("&%$#_{}~^\\@\"'`-<>!?,;:.()[]/=+*|")),
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.characters(min_codepoint=0xA1, max_codepoint=0x17F),
    st.characters(min_codepoint=0x391, max_codepoint=0x3C9, categories=["Lu", "Ll"]),
    st.sampled_from(list("–—‘’“”…€×±°µ≤≥→")),
)
_text = st.text(_alphabet, min_size=1, max_size=40).map(_norm).filter(bool)
_word = st.text(
    st.characters(categories=["Lu", "Ll"], max_codepoint=0x17F), min_size=1, max_size=12
)
_person = st.builds(
    lambda family, given, suffix: {
        "family": family,
        **({"given": given} if given else {}),
        **({"suffix": suffix} if suffix else {}),
    },
    st.builds(" ".join, st.lists(_word, min_size=1, max_size=2)),
    st.one_of(st.just(""), st.builds(" ".join, st.lists(_word, min_size=1, max_size=2))),
    st.sampled_from(["", "", "Jr.", "III"]),
).filter(lambda n: "given" in n or " " not in n["family"])
_corporate = st.builds(
    lambda t: {"literal": t},
    _text.filter(
        lambda t: t.lower() not in {"others", "et al", "et al.", "etal", "ua", "u.a.", "u. a."}
    ),
)
_record = st.fixed_dictionaries(
    {"type": st.sampled_from(["article-journal", "book", "chapter", "paper-conference", "report"])},
    optional={
        "title": _text,
        "container-title": _text,
        "publisher": _text,
        "abstract": st.text(_alphabet, min_size=1, max_size=200).map(_norm).filter(bool),
        "author": st.lists(st.one_of(_person, _corporate), min_size=1, max_size=4),
        "volume": st.from_regex(r"[0-9]{1,3}", fullmatch=True),
        "page": st.from_regex(r"[0-9]{1,4}-[0-9]{1,4}", fullmatch=True),
        "DOI": st.from_regex(r"10\.[0-9]{4}/[A-Za-z0-9._;()/<>%#-]{1,20}", fullmatch=True),
        "issued": st.builds(
            lambda y, m: {"date-parts": [[y, m]] if m else [[y]]},
            st.integers(1500, 2100),
            st.integers(0, 12),
        ),
    },
)


def _expected_name(name):
    if "literal" in name:
        return (name["literal"],)
    return (name["family"], name.get("given", ""), name.get("suffix", ""))


def _decoded_name(text, literal):
    if literal:  # written as one braced group
        assert text.startswith("{") and text.endswith("}")
        return (decode(text),)
    parts = parse_single_name_into_parts(text)
    family = decode(" ".join(parts.von + parts.last))
    return (family, decode(" ".join(parts.first)), decode(" ".join(parts.jr)))


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_record, st.sampled_from(["bibtex", "biblatex"]))
def test_any_record_round_trips_through_bibtexparser(csl, flavour):
    text = write_bibtex([("key", csl)], flavour=flavour, abstract=True)
    assert text.count("{") == text.count("}")
    if flavour == "bibtex":  # ASCII but for characters LaTeX has no macro for
        assert all(ord(c) not in ASCII_TABLE for c in text if not c.isascii())
    entry = parse_back(text)["key"]
    for csl_key, bib_key in [("title", "title"), ("abstract", "abstract")]:
        if csl_key in csl:
            assert decode(entry[bib_key]) == csl[csl_key]
    if "container-title" in csl:
        field = {"article": "journal" if flavour == "bibtex" else "journaltitle"}.get(
            entry["ENTRYTYPE"], "booktitle"
        )
        if field in entry:
            assert decode(entry[field]) == csl["container-title"]
    if "publisher" in csl and csl["type"] in ("book",):
        assert decode(entry["publisher"]) == csl["publisher"]
    if "DOI" in csl:
        assert entry["doi"] == csl["DOI"]
    if "page" in csl:
        assert entry["pages"] == csl["page"].replace("-", "--")
    if "author" in csl:
        names = split_multiple_persons_names(entry["author"])
        assert len(names) == len(csl["author"])
        for written, original in zip(names, csl["author"], strict=True):
            assert _decoded_name(written, "literal" in original) == _expected_name(original)
