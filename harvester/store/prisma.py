"""The store's queries behind ``harvester report`` (PRISMA 2020 identification counts)."""

from __future__ import annotations

from dataclasses import dataclass

from harvester.store.library import Library


@dataclass(frozen=True, slots=True)
class SourceCounts:
    """One source file (a database export) or harvested source, as PRISMA counts it."""

    source: str
    format: str
    identified: int  # records read from it and stored (an identical re-import is not counted)
    duplicates_removed: int  # its records whose work already holds an earlier-imported record
    review_pairs: int  # undecided candidate pairs with one of its records


def source_counts(library: Library) -> list[SourceCounts]:
    """Per origin (in the order first imported): records identified, duplicates removed (every
    record of a work except the first imported one, so each work keeps exactly one record), and
    undecided pairs (across two works) that involve one of its records."""
    db = library.db
    rows = db.execute(
        """
        WITH kept AS (
            SELECT min(id) AS id FROM source_records
            WHERE kind = 'input' AND work_id IS NOT NULL GROUP BY work_id
        )
        SELECT origin, min(format), count(*),
               sum(CASE WHEN work_id IS NOT NULL AND id NOT IN (SELECT id FROM kept)
                        THEN 1 ELSE 0 END),
               min(id)
        FROM source_records WHERE kind = 'input'
        GROUP BY origin ORDER BY min(id)
        """
    ).fetchall()
    pairs: dict[str, int] = {}
    for origin_a, origin_b in db.execute(
        """
        SELECT ra.origin, rb.origin FROM candidate_pairs p
        JOIN source_records ra ON ra.id = p.a JOIN source_records rb ON rb.id = p.b
        WHERE ra.work_id IS NOT rb.work_id AND ra.kind = 'input' AND rb.kind = 'input'
        """
    ).fetchall():
        for origin in {origin_a, origin_b}:
            pairs[origin] = pairs.get(origin, 0) + 1
    return [
        SourceCounts(origin, fmt, identified, removed or 0, pairs.get(origin, 0))
        for origin, fmt, identified, removed, _ in rows
    ]


def undecided_pairs(library: Library) -> int:
    """Candidate pairs of input records still in two works (waiting for a person's decision)."""
    (count,) = library.db.execute(
        """
        SELECT count(*) FROM candidate_pairs p
        JOIN source_records ra ON ra.id = p.a JOIN source_records rb ON rb.id = p.b
        WHERE ra.work_id IS NOT rb.work_id AND ra.kind = 'input' AND rb.kind = 'input'
        """
    ).fetchone()
    return int(count)
