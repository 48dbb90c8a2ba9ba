"""Issue 12, classes 6 and 7 through the real `harvester parse` and `harvester add`: names as
their sources write them and publisher statements with a place qualified by its country."""

from __future__ import annotations

import json

from harvester.store.library import Library
from tests.conftest import REPO
from tests.harvester.cli_runner import run_cli

PAGES = REPO / "tests" / "data" / "pages" / "i12b"


def test_parse_keeps_names_as_written_and_splits_the_publisher_statement():
    result = run_cli("parse", PAGES / "en_book_place_country.txt")
    assert result.returncode == 0, result.stderr
    [item] = json.loads(result.stdout)
    assert item["author"] == [
        {"family": "Das", "given": "Sujit"},
        {"family": "Wong Kee Song", "given": "Louis M."},
        {"family": "Le Paslier", "given": "Denis"},
    ]
    assert (item["publisher-place"], item["publisher"]) == (
        "New York, USA",
        "Cambridge University Press",
    )
    assert item["issued"] == {"date-parts": [[1990]]}


def test_add_stores_a_comma_only_list_as_family_given_pairs(tmp_path):
    db = tmp_path / "lib.db"
    result = run_cli("add", "--no-enrich", PAGES / "en_article_comma_list.txt", db=db)
    assert result.returncode == 0, result.stderr
    with Library(db) as library:
        [work] = list(library.iter_works())
    assert work.key.startswith("kea")  # the citation key is made from the family name
    assert work.csl["author"] == [
        {"family": "Kea", "given": "Bory"},
        {"family": "Hall", "given": "M. Kennedy"},
        {"family": "Wang", "given": "Ralph"},
    ]


def test_a_file_of_reference_strings_is_read_as_references_never_as_a_result_list(tmp_path):
    # Real reference strings of many styles, one a line: the reference reader takes them
    # (issue 13); a catalog result-list reader must never claim them (three garbage "hits" and
    # every other line dropped is what that used to give).
    from lxml import etree

    from tests.conftest import FIXTURES

    root = etree.parse(str(FIXTURES / "formats/anystyle/core.xml")).getroot()
    lines = [" ".join("".join(s.itertext()).split()) for s in root.iter("sequence")][:60]
    refs = tmp_path / "refs.txt"
    refs.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("parse", refs)
    assert "Traceback" not in result.stderr
    items = json.loads(result.stdout)
    formats = {i["custom"]["harvester"]["source"]["format"] for i in items}
    assert formats == {"reference"}, formats
    assert len(items) >= 0.9 * len(lines)
