"""The store's side of deduplication (schema m002 and the ``decisions`` table of m001): the SQL
of :mod:`harvester.ops.dedup`, named for what it means.

* :class:`Works`: the blocking index, the records of works, the review list of undecided
  pairs and a person's decisions.
* :class:`Reclustering`: the scratch state of a re-run (`harvester dedupe`), the records placed
  so far and their new clusters.

What another engine needs: ``blocking_keys (key, record_id)`` indexed both ways,
``candidate_pairs (a < b, score, evidence)``, ``decisions (kind, a, b)``; the re-run's scratch
table is a temporary table here (SQLite's ``temp`` schema, private to the connection), a
session-private or unlogged table elsewhere; no SQLite-only function is used.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from records.model import CSLItem

if TYPE_CHECKING:
    from harvester.store.library import Library


class Works:
    """Dedup's view of one library's records and works."""

    def __init__(self, library: Library) -> None:
        self._library = library
        self._conn = library.db.conn

    # -- the blocking index -------------------------------------------------------------------

    def index_keys(self, record_id: int, keys: Iterable[str]) -> None:
        """Index a stored record under its blocking keys (imported records are indexed as they
        are inserted: :meth:`Library.insert_records`)."""
        self._conn.executemany(
            "INSERT OR IGNORE INTO blocking_keys (key, record_id) VALUES (?, ?)",
            [(key, record_id) for key in keys],
        )

    def reindex(self, rows: Sequence[tuple[int, Sequence[str]]]) -> None:
        """Replace the blocking keys of these records by ``keys`` (a re-run indexes every record
        it places under the keys of the current rules, so keys added or changed since the
        records were imported find their pairs)."""
        self._conn.executemany(
            "DELETE FROM blocking_keys WHERE record_id = ?", [(record_id,) for record_id, _ in rows]
        )
        self._conn.executemany(
            "INSERT OR IGNORE INTO blocking_keys (key, record_id) VALUES (?, ?)",
            [(key, record_id) for record_id, keys in rows for key in keys],
        )

    def keys_of(self, record_ids: Iterable[int]) -> dict[int, list[str]]:
        """The blocking keys of each of these records."""
        return self._library.grouped_in(
            "SELECT record_id, key FROM blocking_keys WHERE record_id IN ({marks})", record_ids
        )

    def block_sizes(self, keys: Iterable[str]) -> dict[str, int]:
        """How many records each of these blocking keys holds (keys holding none are left out)."""
        return dict(
            self._library.rows_in(
                "SELECT key, count(*) FROM blocking_keys WHERE key IN ({marks}) GROUP BY key", keys
            )
        )

    def blocks(self, keys: Iterable[str], max_block: int) -> dict[str, list[int]]:
        """The records under each of these keys, in id order, for the blocks of at most
        ``max_block`` records (a larger one is left out whole)."""
        sizes = self.block_sizes(keys)
        return self._library.blocks(k for k, size in sizes.items() if size <= max_block)

    def counted_blocks(
        self, keys: Iterable[str], max_block: int, large: set[str] | None = None
    ) -> dict[str, list[int] | None]:
        """The records under each of these keys, in id order; ``None`` for a block of more than
        ``max_block`` records, which is counted in the index but not read (the largest blocks
        hold thousands of records and grow with the library; reading them for every batch made
        an import quadratic).

        ``large``: keys known to hold more than ``max_block`` records (a block only grows while
        nothing re-indexes the library: the caller keeps it no longer), added to here. With it,
        the other blocks are read in one query, without counting first: a block found too large
        is read once, then known."""
        if large is not None:
            wanted = set(keys)
            found: dict[str, list[int] | None] = {k: None for k in wanted & large}
            for key, members in self._library.blocks(wanted - large).items():
                if len(members) > max_block:
                    large.add(key)
                    found[key] = None
                else:
                    found[key] = members
            return found
        sizes = self.block_sizes(keys)
        counted: dict[str, list[int] | None] = {
            k: None for k, n in sizes.items() if n > max_block
        }
        counted.update(self._library.blocks(k for k in sizes if k not in counted))
        return counted

    def placeable(self, record_ids: Iterable[int]) -> list[tuple[int, str]]:
        """Those of these records that dedup places (imported and Crossref ones, not edits),
        with their content hashes, in the order of their content hash."""
        return sorted(
            self._library.rows_in(
                "SELECT id, content_hash FROM source_records WHERE id IN ({marks})"
                " AND kind IN ('input', 'enrichment')",
                record_ids,
            ),
            key=lambda row: row[1],
        )

    def csl_of(self, record_ids: Iterable[int]) -> Iterator[tuple[int, CSLItem]]:
        """The stored CSL of these records (any number of ids), in id order."""
        for record_id, csl in self._library.rows_in(
            "SELECT id, csl FROM source_records WHERE id IN ({marks})", record_ids
        ):
            yield record_id, json.loads(csl)

    def records_by_hash(self, batch: int) -> Iterator[list[int]]:
        """Imported and Crossref records (not edits), in the order of their content hash, a
        batch of ids at a time (keyset paging: each batch is one indexed range)."""
        last = ""
        while True:
            rows = self._conn.execute(
                "SELECT id, content_hash FROM source_records"
                " WHERE kind IN ('input', 'enrichment') AND content_hash > ?"
                " ORDER BY content_hash LIMIT ?",
                [last, batch],
            ).fetchall()
            if not rows:
                return
            yield [record_id for record_id, _ in rows]
            last = rows[-1][1]

    def data_version(self) -> int:
        """SQLite's ``data_version``: it changes when another connection commits to the file
        (never for this connection's own writes), so a value derived from the library in this
        process can be told stale."""
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    # -- works --------------------------------------------------------------------------------

    def with_several_inputs(self) -> list[int]:
        """The works holding more than one imported record, by id."""
        return [
            work_id
            for (work_id,) in self._conn.execute(
                "SELECT work_id FROM source_records WHERE kind = 'input' AND work_id IS NOT NULL"
                " GROUP BY work_id HAVING count(*) > 1 ORDER BY work_id"
            )
        ]

    def detach(self, record_id: int) -> None:
        """Take a (Crossref) record out of its work: it waits until its DOI is seen again."""
        self._conn.execute("UPDATE source_records SET work_id = NULL WHERE id = ?", [record_id])

    def count(self) -> int:
        """How many works the library holds."""
        return int(self._conn.execute("SELECT count(*) FROM works").fetchone()[0])

    # -- the review list ----------------------------------------------------------------------

    def remember_pairs(self, pairs: Iterable[tuple[int, int, float, dict[str, Any], str]]) -> None:
        """Undecided pairs ``(a, b, score, evidence, when)`` for review (a pair seen again is
        replaced: the latest evidence wins)."""
        self._conn.executemany(
            "INSERT OR REPLACE INTO candidate_pairs (a, b, score, evidence, created_at)"
            " VALUES (?,?,?,?,?)",
            [
                (min(a, b), max(a, b), score, json.dumps(evidence), when)
                for a, b, score, evidence, when in pairs
            ],
        )

    def review_pairs(self) -> list[tuple[int, int, float, dict[str, Any]]]:
        """Every pair waiting for review ``(a, b, score, evidence)``, best score first."""
        return [
            (a, b, score, json.loads(evidence))
            for a, b, score, evidence in self._conn.execute(
                "SELECT a, b, score, evidence FROM candidate_pairs ORDER BY score DESC"
            )
        ]

    def count_review_pairs(self) -> int:
        """How many pairs wait for review."""
        return int(self._conn.execute("SELECT count(*) FROM candidate_pairs").fetchone()[0])

    def forget_pair(self, a: int, b: int) -> None:
        self._conn.execute(
            "DELETE FROM candidate_pairs WHERE a = ? AND b = ?", [min(a, b), max(a, b)]
        )

    def forget_pairs_within(self, work_id: int) -> None:
        """Drop the review pairs whose two records are both in ``work_id`` now."""
        self._conn.execute(
            "DELETE FROM candidate_pairs WHERE a IN (SELECT id FROM source_records WHERE work_id = ?)"
            " AND b IN (SELECT id FROM source_records WHERE work_id = ?)",
            [work_id, work_id],
        )

    def forget_pairs_of(self, record_ids: Iterable[int]) -> None:
        """Drop the review pairs that involve any of these records."""
        ids = sorted(set(record_ids))
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            self._conn.execute(f"DELETE FROM candidate_pairs WHERE a IN ({marks})", chunk)
            self._conn.execute(f"DELETE FROM candidate_pairs WHERE b IN ({marks})", chunk)

    def forget_pairs_in_one_work(self) -> None:
        """Drop every review pair whose two records are in one work now."""
        self._conn.execute(
            "DELETE FROM candidate_pairs WHERE"
            " (SELECT work_id FROM source_records WHERE id = a)"
            " = (SELECT work_id FROM source_records WHERE id = b)"
        )

    def forget_all_pairs(self) -> None:
        self._conn.execute("DELETE FROM candidate_pairs")

    # -- a person's decisions -----------------------------------------------------------------

    def decide(self, kind: str, a: int, b: int | None, note: str | None, when: str) -> None:
        """Remember a decision; the opposite one on the same pair, if any, is superseded (the
        person's latest word wins)."""
        opposite = {"merge": "not-duplicate", "not-duplicate": "merge"}.get(kind)
        if opposite and b is not None:
            self._conn.execute(
                "DELETE FROM decisions WHERE kind = ? AND ((a = ? AND b = ?) OR (a = ? AND b = ?))",
                [opposite, a, b, b, a],
            )
        self._conn.execute(
            "INSERT INTO decisions (kind, a, b, note, created_at) VALUES (?,?,?,?,?)",
            [kind, a, b, note, when],
        )

    def pair_decisions(self) -> list[tuple[str, int, int]]:
        """Every decision on a pair of records ``(kind, a, b)``, oldest first."""
        return list(
            self._conn.execute("SELECT kind, a, b FROM decisions WHERE b IS NOT NULL ORDER BY id")
        )


class Reclustering:
    """The scratch state of a re-run (:func:`harvester.ops.dedup.recluster`): the records
    placed so far and their new clusters (a cluster is named by its first record) with why each
    record is in it, in a temporary table, so that memory stays that of one batch however large
    the library is. Implements :class:`harvester.ops.dedup.Index`. Close it (:meth:`close`)."""

    def __init__(self, library: Library, max_block: int) -> None:
        self.library = library
        self._conn = library.db.conn
        self._works = Works(library)
        self.max_block = max_block
        # sqlite-utils' executescript, which does not commit the caller's transaction first.
        library.db.executescript(
            """
            CREATE TEMP TABLE IF NOT EXISTS reclustered (
                record_id INTEGER PRIMARY KEY, cluster INTEGER NOT NULL, why TEXT
            );
            CREATE INDEX IF NOT EXISTS temp.reclustered_cluster ON reclustered(cluster);
            DELETE FROM temp.reclustered;
            """
        )

    def close(self) -> None:
        self._conn.execute("DROP TABLE temp.reclustered")

    def blocks(self, keys: Iterable[str]) -> dict[str, list[int] | None]:
        """The placed records under each blocking key, in id order; ``None`` for a key whose
        block in the whole library holds more than ``max_block`` records (it identifies
        nothing; judged on the whole library, so that it does not depend on which records were
        placed first)."""
        sizes = self._works.block_sizes(keys)
        found: dict[str, list[int] | None] = {
            k: None for k, size in sizes.items() if size > self.max_block
        }
        found.update(self._placed(k for k in sizes if k not in found))
        return found

    def _placed(self, keys: Iterable[str]) -> dict[str, list[int]]:
        return self.library.grouped_in(
            "SELECT b.key, b.record_id FROM blocking_keys b JOIN temp.reclustered r"
            " ON r.record_id = b.record_id WHERE b.key IN ({marks}) ORDER BY b.key, b.record_id",
            keys,
        )

    def work_ids_of(self, record_ids: Iterable[int]) -> dict[int, int]:
        """The cluster of each of these records that is placed."""
        return dict(
            self.library.rows_in(
                "SELECT record_id, cluster FROM temp.reclustered WHERE record_id IN ({marks})",
                record_ids,
            )
        )

    def members_of_works(self, work_ids: Iterable[int]) -> dict[int, list[int]]:
        """The records of each cluster, in id order."""
        return self.library.grouped_in(
            "SELECT cluster, record_id FROM temp.reclustered WHERE cluster IN ({marks})"
            " ORDER BY record_id",
            work_ids,
        )

    def place(self, rows: Iterable[tuple[int, int, dict[str, Any] | None]]) -> None:
        """Place records ``(record, cluster, why)``."""
        self._conn.executemany(
            "INSERT INTO temp.reclustered (record_id, cluster, why) VALUES (?,?,?)",
            [
                (record_id, cluster, json.dumps(why, ensure_ascii=False) if why else None)
                for record_id, cluster, why in rows
            ],
        )

    def merge_clusters(self, keep: int, gone: int, why: dict[str, Any]) -> None:
        """Cluster ``gone`` joins ``keep``; its records that had no reason of their own get
        ``why``."""
        self._conn.execute(
            "UPDATE temp.reclustered SET cluster = ?, why = coalesce(why, ?) WHERE cluster = ?",
            [keep, json.dumps(why), gone],
        )

    def cluster_sizes(self) -> dict[int, tuple[int, int]]:
        """Per cluster: how many records, and how many of them imported ones."""
        return {
            cluster: (size, imported)
            for cluster, size, imported in self._conn.execute(
                "SELECT r.cluster, count(*), sum(s.kind = 'input') FROM temp.reclustered r"
                " JOIN source_records s ON s.id = r.record_id GROUP BY r.cluster"
            )
        }

    def votes(self) -> Iterator[tuple[int, int, int, int]]:
        """Per cluster and stored work its records are in: ``(cluster, work, how many, the
        first record)``."""
        yield from self._conn.execute(
            "SELECT r.cluster, s.work_id, count(*), min(s.id) FROM temp.reclustered r"
            " JOIN source_records s ON s.id = r.record_id WHERE s.work_id IS NOT NULL"
            " GROUP BY r.cluster, s.work_id"
        )

    def placements(self) -> Iterator[tuple[int, int, dict[str, Any] | None, int | None]]:
        """Every placed record ``(record, cluster, why, stored work)``, by cluster, imported
        records first, then by id. Streamed: the rows are sorted before the first is returned,
        so writes to the records while iterating do not disturb it."""
        for record_id, cluster, why, work_id in self._conn.execute(
            "SELECT r.record_id, r.cluster, r.why, s.work_id FROM temp.reclustered r"
            " JOIN source_records s ON s.id = r.record_id"
            " ORDER BY r.cluster, s.kind != 'input', r.record_id"
        ):
            yield record_id, cluster, json.loads(why) if why else None, work_id
