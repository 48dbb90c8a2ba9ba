#!/usr/bin/env python3
"""Build records/dedup/data/journal_abbreviations.tsv.gz from JabRef's abbreviation lists.

Source: ../shared/fixtures/journal-abbreviations (JabRef abbrv.jabref.org, CC0 1.0). Each row
"Full Name","Abbreviation" is kept in the comparison form dedup uses (folded, words ISO 4 drops
removed), and only where the rules in records.dedup.keys (ISO 4 letters-in-order, acronyms) do not
already match the two forms: what the lists add is the irregular abbreviations ("Phys. Rev. Lett."
is regular, "PNAS" or "Lancet Oncol." against a renamed journal are not). Run again to refresh.

Usage: python scripts/build_journal_abbreviations.py [LISTS_FOLDER]
"""

from __future__ import annotations

import csv
import gzip
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from scripts._venv import use_project_python  # noqa: E402

use_project_python(__name__)

from records.dedup.keys import _tokens_match, container_tokens  # noqa: E402

OUT = REPO / "records" / "dedup" / "data" / "journal_abbreviations.tsv.gz"


def _lists_folder() -> Path:
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    for parent in REPO.parents:
        folder = parent / "shared" / "fixtures" / "journal-abbreviations"
        if folder.is_dir():
            return folder
    raise SystemExit("the JabRef lists are missing: ../shared/fixtures/journal-abbreviations")


def main() -> int:
    folder = _lists_folder()
    pairs: set[tuple[str, str]] = set()
    for path in sorted(folder.glob("journal_abbreviations_*.csv")):
        with path.open(encoding="utf-8") as f:
            for row in csv.reader(f):
                if len(row) < 2:
                    continue
                full = container_tokens(row[0])
                for abbreviation in {container_tokens(v) for v in row[1:] if v.strip()}:
                    if full and abbreviation and full != abbreviation and not _tokens_match(
                        full, abbreviation
                    ):
                        pairs.add((" ".join(full), " ".join(abbreviation)))
    text = "".join(f"{full}\t{abbreviation}\n" for full, abbreviation in sorted(pairs))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(gzip.compress(text.encode("utf-8"), 9, mtime=0))
    print(f"{len(pairs)} pairs, {OUT.stat().st_size} bytes -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
