"""Names and markers through the real ``harvester add`` (subprocess, real SQLite file), with
records written here: a double surname written given name first, and a title's abstract marker.
"""

from __future__ import annotations

from pathlib import Path

from tests.harvester.test_dedup_classes import add, review_pairs, ris, works

_PLEURAL = "Pleural fluid pH and glucose in parapneumonic effusion: a prospective cohort"


def test_double_surnames_written_given_name_first_join_the_record_that_inverts_them(
    tmp_path: Path,
) -> None:
    # The same article from two sources: one writes the Spanish double surnames inverted, the
    # other given name first (read with the last word as the family name); the second has no
    # volume or pages, so the names decide. Another team's paper of the same title stays apart.
    db = add(
        tmp_path,
        ris("inverted", _PLEURAL, ["Botana Rial, M.", "Valdés Cuadrado, L.", "Pérez Ruiz, J."],
            T2="Respiratory Medicine", VL="106", SP="1552", EP="1558", PY="2012"),
        ris("given-first", _PLEURAL, ["M. Botana Rial", "L. Valdés Cuadrado", "J. Pérez Ruiz"],
            T2="Respiratory Medicine", PY="2012"),
        ris("other-team", _PLEURAL, ["Rial, Tomas", "Cuadrado, Pilar", "Ruiz, Hector"],
            T2="Respiratory Medicine", PY="2012"),
    )
    assert works(db) == {frozenset({"inverted", "given-first"})}


_TALC = "Indwelling pleural catheter versus talc in trapped lung: a pilot study"
_TALC_PEOPLE = ["Okonkwo, Adaeze", "Lindqvist, Per"]


def test_a_title_marked_as_an_abstract_is_reviewed_against_the_article_it_preceded(
    tmp_path: Path,
) -> None:
    # MEDLINE's "[Abstract]" (and an export's "Abstract:") say a record is the meeting abstract,
    # not the article published the next year in the same journal: review, never one work.
    article = ris("article", _TALC, _TALC_PEOPLE, T2="Chest", VL="140", SP="812", EP="818",
                  PY="2011")
    for n, title in enumerate((f"{_TALC} [Abstract]", f"Abstract: {_TALC}")):
        db = add(tmp_path, article, ris("abstract", title, _TALC_PEOPLE, T2="Chest", PY="2010"),
                 name=f"refs{n}.ris", db=tmp_path / f"lib{n}.db")
        assert works(db) == set()
        assert review_pairs(db) == {frozenset({"article", "abstract"})}


def test_an_abstract_marked_by_one_source_only_is_one_work_at_one_place(tmp_path: Path) -> None:
    # The same abstract written by a source that did not mark it, at the same journal, volume,
    # year and page (or with no page), is the same printed item: the marker keeps nothing apart.
    db = add(
        tmp_path,
        ris("marked", f"{_TALC} [Abstract]", _TALC_PEOPLE, T2="Chest", VL="138", SP="811a",
            PY="2010"),
        ris("unmarked", _TALC, _TALC_PEOPLE, T2="Chest", VL="138", SP="811a", PY="2010"),
        ris("no-page", _TALC, _TALC_PEOPLE, T2="Chest", VL="138", PY="2010"),
    )
    assert works(db) == {frozenset({"marked", "unmarked", "no-page"})}
