"""Format detection that says when it is unsure (issue 12): no reader claims a text it reads
only a sliver of, two claimants are decided by what each makes of the text (and the choice is
logged), and "not recognised" names the closest readers or where a JSON/XML text broke."""

from __future__ import annotations

import logging

import pytest
from lxml import etree

from records.errors import UnknownFormat
from records.model import ParseResult, Record, SourceRef
from records.parsers import PARSERS, detect, parse_text
from records.parsers.base import Parser
from tests.conftest import FIXTURES


def _reference_strings() -> str:
    """AnyStyle's training references (real reference strings of many styles), one a line."""
    root = etree.parse(str(FIXTURES / "formats/anystyle/core.xml")).getroot()
    lines = [" ".join("".join(seq.itertext()).split()) for seq in root.iter("sequence")]
    assert len(lines) > 1000
    return "\n".join(lines) + "\n"


def test_a_file_of_reference_strings_is_never_a_vufind_result_list():
    text = _reference_strings()
    scores = {p.name: p.sniff(text) for p in PARSERS}
    assert scores["vufind-results"] < 0.5
    try:
        parser = detect(text, "refs.txt")
    except UnknownFormat as error:
        # unsure: the user is told which readers came closest, in one line
        assert "free-text references" in str(error)
        assert "\n" not in str(error)
    else:
        assert parser.name == "reference"


def test_a_result_list_is_still_a_result_list():
    text = (FIXTURES.parents[1] / "pages/vufind/result_list_en.txt").read_text("utf-8")
    assert detect(text, "list.txt").name == "vufind-results"


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [
        ('{"a": 1,\n "b": }', 2, "broken JSON at column 7"),
        ('{\n "items": [1, 2\n', 3, "broken JSON"),
        (
            '<?xml version="1.0"?>\n<catalog>\n<book><name>x</name>\n</catalog>\n',
            4,
            "broken XML",
        ),
    ],
)
def test_broken_json_and_xml_say_where_they_broke(text: str, line: int, what: str) -> None:
    with pytest.raises(UnknownFormat) as error:
        detect(text, "in.dat")
    assert error.value.line == line
    assert what in str(error.value)
    assert str(error.value).startswith(f"in.dat (line {line}): format not recognised")


class _Claimant(Parser):
    """A reader that claims every text with the same confidence and reads ``fields`` fields."""

    label = "test claimant"

    def __init__(
        self, name: str, fields: int, confidence: float = 0.8, title: str | None = None
    ) -> None:
        self.name = name  # type: ignore[misc]
        self.label = f"claimant {name}"  # type: ignore[misc]
        self.fields, self.confidence, self.title = fields, confidence, title

    def sniff(self, text: str) -> float:
        return self.confidence if text.startswith("CLAIMED") else 0.0

    def parse(self, text: str, origin: str) -> ParseResult:
        csl = {f"note{i}": "x" for i in range(self.fields)}
        if self.title:
            csl["title"] = self.title
        return ParseResult(records=[Record(csl, SourceRef(self.name, origin), text)])


def test_two_claimants_are_decided_by_evidence_and_the_choice_is_logged(monkeypatch, caplog):
    weak, strong = _Claimant("weak", 1, 0.85), _Claimant("strong", 6, 0.8)
    monkeypatch.setattr("records.parsers.PARSERS", [weak, strong])
    with caplog.at_level(logging.WARNING, logger="records.parsers"):
        chosen = detect("CLAIMED text", "x.txt")
    assert chosen is strong
    [message] = [r.getMessage() for r in caplog.records]
    assert message.startswith("x.txt: read as claimant strong (6 fields read)")
    assert "claimant weak also fits (1 fields read)" in message


def test_two_claimants_reading_the_same_works_are_not_doubted(monkeypatch, caplog):
    # A record page whose sidebar also looks like a short result list, say: both read the
    # same work, the richer reading wins, and there was nothing for the user to choose.
    poor, rich = _Claimant("poor", 1, 0.85, "A Title"), _Claimant("rich", 6, 0.8, "A  title")
    monkeypatch.setattr("records.parsers.PARSERS", [poor, rich])
    with caplog.at_level(logging.WARNING, logger="records.parsers"):
        assert detect("CLAIMED text", "x.txt") is rich
    assert not caplog.records
    other = _Claimant("other", 1, 0.85, "Another title")
    monkeypatch.setattr("records.parsers.PARSERS", [other, rich])
    with caplog.at_level(logging.WARNING, logger="records.parsers"):
        assert detect("CLAIMED text", "x.txt") is rich
    assert "claimant other also fits" in caplog.records[0].getMessage()


def test_a_csl_json_file_broken_after_its_first_item_keeps_the_item_and_names_the_place():
    text = '[{"type": "book",\n  "title": "A"},\n  {"type": }]'
    result = parse_text(text, "items.json")
    assert [r.csl["title"] for r in result.records] == ["A"]
    [failure] = result.failures
    assert (failure.record, failure.line) == (2, 3)


def test_a_clear_winner_is_not_doubted(monkeypatch, caplog):
    monkeypatch.setattr(
        "records.parsers.PARSERS", [_Claimant("sure", 1, 0.95), _Claimant("maybe", 9, 0.6)]
    )
    with caplog.at_level(logging.WARNING, logger="records.parsers"):
        assert detect("CLAIMED", "x.txt").name == "sure"
    assert not caplog.records


def test_reading_a_forced_format_never_warns(caplog):
    with caplog.at_level(logging.WARNING, logger="records.parsers"):
        parse_text("TY  - JOUR\nTI  - A title\nER  - \n", "a.ris", "ris")
    assert not caplog.records


def test_broken_xml_of_a_claimed_format_is_a_failure_at_its_line():
    result = parse_text(
        '<?xml version="1.0"?>\n<modsCollection>\n<mods><titleInfo>\n</mods>\n', "m.xml"
    )
    [failure] = result.failures
    assert failure.line == 4 and "invalid XML" in failure.reason


def test_well_formed_xml_of_no_known_kind_names_its_root():
    with pytest.raises(UnknownFormat) as error:
        detect('<?xml version="1.0"?>\n<catalog><book><name>x</name></book></catalog>\n', "c.xml")
    assert "XML with root <catalog>" in str(error.value)


def test_a_result_list_copied_with_its_facets_and_menus_is_still_a_result_list():
    facets = "\n".join(
        ["Narrow Search", "Format", "Article (12)", "Book (3)", "Author"]
        + [f"Author {i} ({i})" for i in range(1, 25)]
        + ["Language", "English (14)", "German (1)", "Year of Publication", "From", "To"]
    )
    page = (FIXTURES.parents[1] / "pages/vufind/result_list_en.txt").read_text("utf-8")
    text = f"Library Catalog\nSkip to content\nLogin\n{page}\n{facets}\n"
    assert detect(text, "list.txt").name == "vufind-results"
    assert len(parse_text(text, "list.txt").records) == 3
