"""Big inputs through the real `harvester add` and `harvester parse`: peak memory is bounded by
the batch, not by the file (issue 15, defect 13; issue 17's import line).

Each format is run on two generated files, one ten times the other, in small batches, and the
peak resident size of the process tree (the command and its parsing worker, from ``wait4``) is
compared: the larger file may cost at most a few batches more. The files are built so that
this cannot hold if a file is held whole: the text of the larger file exceeds the smaller's by
more than twice the bound (a process holding the text, or its bytes, grows by at least that),
and its records share a few names, so that the readers' bounded caches of names do not grow
with the file either. Nothing here is timed.
"""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from bench import peak
from tests.conftest import REPO
from tests.harvester.adversarial import environment

BATCH = 50
SMALL, LARGE = 140, 1400
# What the larger file may cost beyond the smaller one, in batches' worth of its bytes:
# the batches in flight (being parsed, in the pipe, being stored), the decoder's chunk and the
# allocator's slack.
BOUND_BATCHES = 12

_WORDS = (
    "liver metastases heat stress soil microbiota perovskite solar cells nanoparticles "
    "signalling aggregation receptor groundwater recharge glia urban islands language "
    "acquisition protein folding vaccines methylation coral reefs glaciers sleep quality"
).split()
_AUTHORS = ["Smith, Anna", "Müller, Jörg", "Dubois, Claire", "Okafor, Chinedu"]


def _abstract(rng: random.Random) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(1800))  # about 16,000 characters


def _pubmed_article(i: int, authors: list[str], title: str, year: int, abstract: str) -> str:
    names = "".join(
        f"<Author><LastName>{a.split(', ')[0]}</LastName><ForeName>{a.split(', ')[1]}</ForeName>"
        "</Author>"
        for a in authors
    )
    return (
        f'<PubmedArticle>\n<MedlineCitation Status="MEDLINE"><PMID Version="1">{100000 + i}</PMID>'
        "\n<Article><Journal><JournalIssue><Volume>"
        f"{i % 50 + 1}</Volume><PubDate><Year>{year}</Year></PubDate></JournalIssue>"
        f"<Title>Journal of Tests</Title></Journal>\n<ArticleTitle>{title}</ArticleTitle>\n"
        f"<Abstract><AbstractText>{abstract}</AbstractText></Abstract>\n"
        f"<AuthorList>{names}</AuthorList></Article></MedlineCitation>\n</PubmedArticle>\n"
    )


def _endnote_record(i: int, authors: list[str], title: str, year: int, abstract: str) -> str:
    names = "".join(f"<author><style>{a}</style></author>" for a in authors)
    return (
        f'<record><rec-number>{i + 1}</rec-number><ref-type name="Journal Article">17</ref-type>'
        f"\n<contributors><authors>{names}</authors></contributors>\n<titles><title><style>"
        f"{title}</style></title><secondary-title><style>Journal of Tests</style>"
        f"</secondary-title></titles>\n<volume><style>{i % 50 + 1}</style></volume>"
        f"<dates><year><style>{year}</style></year></dates>\n"
        f"<abstract><style>{abstract}</style></abstract></record>\n"
    )


# format: (the document's head, a record, the document's tail)
XML_EXPORTS: dict[str, tuple[str, Callable[[int, list[str], str, int, str], str], str]] = {
    "pubmed-xml": (
        '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
        '1st January 2019//EN" "https://dtd.invalid/pubmed_190101.dtd">\n<PubmedArticleSet>\n',
        _pubmed_article,
        "</PubmedArticleSet>\n",
    ),
    "endnote-xml": (
        '<?xml version="1.0" encoding="UTF-8" ?><xml><records>\n',
        _endnote_record,
        "</records></xml>\n",
    ),
}
FORMATS = ("bibtex", "ris", "csl-json", *XML_EXPORTS)
SUFFIXES = {"bibtex": "bib", "ris": "ris", "csl-json": "json", "pubmed-xml": "xml"}


def write_export(path: Path, fmt: str, count: int) -> Path:
    """``count`` records, each with its own title and a long abstract (the bytes), few names."""
    rng = random.Random(count)
    parts = []
    for i in range(count):
        authors = rng.sample(_AUTHORS, 2)
        title = f"Record {i}: {' '.join(rng.choice(_WORDS) for _ in range(8))}"
        year = 1990 + i % 30
        if fmt == "bibtex":
            parts.append(
                f"@article{{rec{i},\n  author = {{{' and '.join(authors)}}},\n"
                f"  title = {{{title}}},\n  journal = {{Journal of Tests}},\n"
                f"  year = {{{year}}},\n  volume = {{{i % 50 + 1}}},\n"
                f"  abstract = {{{_abstract(rng)}}}\n}}\n\n"
            )
        elif fmt in XML_EXPORTS:
            parts.append(XML_EXPORTS[fmt][1](i, authors, title, year, _abstract(rng)))
        elif fmt == "csl-json":
            item = {
                "id": f"rec{i}",
                "type": "article-journal",
                "author": [
                    {"family": a.split(", ")[0], "given": a.split(", ")[1]} for a in authors
                ],
                "title": title,
                "container-title": "Journal of Tests",
                "issued": {"date-parts": [[year]]},
                "volume": str(i % 50 + 1),
                "abstract": _abstract(rng),
            }
            parts.append(("[\n" if i == 0 else ",\n") + json.dumps(item, ensure_ascii=False))
        else:
            parts.append(
                "TY  - JOUR\n"
                + "".join(f"AU  - {a}\n" for a in authors)
                + f"TI  - {title}\nJO  - Journal of Tests\nPY  - {year}\nVL  - {i % 50 + 1}\n"
                f"AB  - {_abstract(rng)}\nER  - \n\n"
            )
    if fmt == "csl-json":
        parts.append("\n]\n")
    if fmt in XML_EXPORTS:
        head, _, tail = XML_EXPORTS[fmt]
        parts = [head, *parts, tail]
    path.write_text("".join(parts), "utf-8")
    return path


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    folder = tmp_path_factory.mktemp("large")
    return {
        fmt: (
            write_export(folder / f"small-{fmt}.{SUFFIXES.get(fmt, 'xml')}", fmt, SMALL),
            write_export(folder / f"large-{fmt}.{SUFFIXES.get(fmt, 'xml')}", fmt, LARGE),
        )
        for fmt in FORMATS
    }


def _bound(large: Path) -> int:
    """The bound: BOUND_BATCHES batches' worth of the larger file's bytes."""
    return BOUND_BATCHES * large.stat().st_size * BATCH // LARGE


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", ["parse", "add"])
def test_peak_memory_is_bounded_by_the_batch_not_the_file(
    exports: dict[str, tuple[Path, Path]], fmt: str, command: str, tmp_path: Path
) -> None:
    small, large = exports[fmt]
    # The design: holding the larger file's text (one byte a character at least) would by
    # itself cost more than twice what the bound allows.
    assert large.stat().st_size - small.stat().st_size > 2 * _bound(large)
    # `add`: both files go through the parsing worker (when a machine has a second core), so
    # the two runs have the same processes. `parse` reads in its own process: the peak is the
    # largest of the processes, so a reader holding the file inside a worker smaller than the
    # storing process would go unseen there.
    # SQLite's page cache (64 MB by default) fills as the library grows, up to its fixed bound:
    # SQLite's own default (2 MB) here, so that what grows with the file is not hidden under it.
    worker_min = "1" if command == "add" else str(2**40)
    env = environment(
        "large-inputs",
        HARVESTER_BATCH=str(BATCH),
        HARVESTER_WORKER_MIN_BYTES=worker_min,
        HARVESTER_PAGE_CACHE_KB="2048",
    )
    peaks = []
    for path, count in ((small, SMALL), (large, LARGE)):
        if command == "parse":
            peak, out = run_peak(["parse", str(path)], env)
            assert len(json.loads(out)) == count
        else:
            db = tmp_path / f"{path.stem}.db"
            peak, _ = run_peak(["--db", str(db), "add", "--no-enrich", str(path)], env)
            with sqlite3.connect(db) as conn:
                assert conn.execute("SELECT count(*) FROM source_records").fetchone()[0] == count
        peaks.append(peak)
    grown = peaks[1] - peaks[0]
    assert grown <= _bound(large), (
        f"{command} {fmt}: peak grew by {grown / 2**20:.1f} MB for "
        f"{(large.stat().st_size - small.stat().st_size) / 2**20:.1f} MB more file; "
        f"bound {_bound(large) / 2**20:.1f} MB"
    )


def run_peak(args: list[str], env: dict[str, str]) -> tuple[int, bytes]:
    """Run ``harvester ARGS``; its peak resident size in bytes (the largest of the process and
    its descendants, as ``wait4`` reports it, through :mod:`bench.peak`'s launcher: started
    from pytest itself, the figure could not fall below pytest's own size) and its output."""
    with tempfile.TemporaryDirectory() as folder:
        usage_file = Path(folder) / "usage.json"
        process = subprocess.run(
            peak.command([sys.executable, "-m", "harvester", *args], usage_file),
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            cwd=REPO,
        )
        assert process.returncode == 0, process.stderr.decode()
        return peak.usage(usage_file)["maxrss_kb"] * 1024, process.stdout


def test_a_truncated_xml_export_stores_nothing(
    exports: dict[str, tuple[Path, Path]], tmp_path: Path
) -> None:
    """A PubMed XML cut short is found broken at its end, after the batches before the break
    were read: nothing of it reaches the library (the document is checked whole before its
    records are read), the command fails with one line naming the file and the line."""
    small, large = exports["pubmed-xml"]
    text = large.read_text("utf-8")
    cut = tmp_path / "cut.xml"
    cut.write_text(text[: len(text) * 9 // 10], "utf-8")
    last_line = cut.read_text("utf-8").count("\n") + 1
    db = tmp_path / "library.db"
    env = environment("large-inputs", HARVESTER_BATCH=str(BATCH), HARVESTER_WORKER_MIN_BYTES="1")

    def harvester(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "harvester", "--db", str(db), *args],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            cwd=REPO,
        )

    assert harvester("add", "--no-enrich", str(small)).returncode == 0

    def contents() -> list[tuple[object, ...]]:
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT * FROM source_records ORDER BY 1").fetchall()

    before = contents()
    assert len(before) == SMALL
    process = harvester("add", "--no-enrich", str(cut))
    assert process.returncode != 0
    assert contents() == before
    failed = [line for line in process.stderr.splitlines() if "cut.xml" in line]
    assert len(failed) == 1, process.stderr
    assert f"cut.xml (line {last_line}): invalid XML: " in failed[0]
