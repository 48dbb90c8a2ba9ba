"""The schema, as an ordered list of migrations (sqlite-utils ``Migrations``).

Tables:

* ``runs``: one row per command that wrote to the library (what, when, how it ended).
* ``source_records``: every incoming record verbatim (``raw``), its format, origin, own id and
  place, ``content_hash`` (unique: re-importing is a no-op), the parsed CSL item, and the work
  it belongs to. ``kind`` is ``input`` (imported), ``enrichment`` (Crossref) or ``edit`` (a
  person's correction). Rows are never updated except to move them between works.
* ``works``: the derived merged record (CSL JSON + provenance), the stable citation key, and
  flat copies of title/authors/container/abstract for full-text search (FTS5).
* ``identifiers``: (kind, value) -> source record, indexed, for identity and search.
* ``decisions``: what a person decided (not-duplicate, merge, split); never forgotten.
* ``crossref_cache``: responses by request key with the time they were fetched.
"""

from __future__ import annotations

from harvester.store._sqlite_utils import Database, Migrations

migrations = Migrations("harvester")


@migrations()
def m001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            command TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL DEFAULT 'running',
            pid INTEGER,
            summary TEXT
        );
        CREATE TABLE works (
            id INTEGER PRIMARY KEY,
            citation_key TEXT NOT NULL UNIQUE COLLATE NOCASE,
            csl TEXT NOT NULL,
            provenance TEXT NOT NULL,
            beside TEXT NOT NULL DEFAULT '{}',
            type TEXT,
            title TEXT,
            authors TEXT,
            container TEXT,
            year INTEGER,
            abstract TEXT,
            enrichment TEXT NOT NULL DEFAULT 'none',
            enrichment_reason TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE source_records (
            id INTEGER PRIMARY KEY,
            content_hash TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL DEFAULT 'input',
            format TEXT NOT NULL,
            origin TEXT NOT NULL,
            source_id TEXT,
            position INTEGER,
            line INTEGER,
            raw TEXT NOT NULL,
            csl TEXT NOT NULL,
            beside TEXT NOT NULL DEFAULT '{}',
            work_id INTEGER REFERENCES works(id),
            run_id INTEGER REFERENCES runs(id),
            imported_at TEXT NOT NULL
        );
        CREATE INDEX source_records_work ON source_records(work_id);
        CREATE INDEX source_records_source ON source_records(origin, source_id);
        CREATE TABLE identifiers (
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            record_id INTEGER NOT NULL REFERENCES source_records(id),
            PRIMARY KEY (kind, value, record_id)
        ) WITHOUT ROWID;
        CREATE INDEX identifiers_record ON identifiers(record_id);
        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            a INTEGER NOT NULL,
            b INTEGER,
            note TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE crossref_cache (
            key TEXT PRIMARY KEY,
            status INTEGER NOT NULL,
            body TEXT,
            fetched_at TEXT NOT NULL
        );
        """
    )
    db.table("works").enable_fts(
        ["title", "authors", "container", "abstract"],
        fts_version="FTS5",
        create_triggers=True,
        tokenize="unicode61 remove_diacritics 2",
    )


@migrations()
def m002_dedup(db: Database) -> None:
    """The blocking index (incremental dedup) and the review list of undecided pairs."""
    db.executescript(
        """
        CREATE TABLE blocking_keys (
            key TEXT NOT NULL,
            record_id INTEGER NOT NULL REFERENCES source_records(id),
            PRIMARY KEY (key, record_id)
        ) WITHOUT ROWID;
        CREATE INDEX blocking_keys_record ON blocking_keys(record_id);
        CREATE TABLE candidate_pairs (
            a INTEGER NOT NULL REFERENCES source_records(id),
            b INTEGER NOT NULL REFERENCES source_records(id),
            score REAL NOT NULL,
            evidence TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (a, b)
        ) WITHOUT ROWID;
        """
    )


@migrations()
def m003_auto_exports(db: Database) -> None:
    """Configured exports that are rewritten whenever their content changes."""
    db.executescript(
        """
        CREATE TABLE auto_exports (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            format TEXT NOT NULL,
            selection TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            written_at TEXT
        );
        """
    )


@migrations()
def m004_settings(db: Database) -> None:
    """Per-library settings (the citation-key formula travels with the library file)."""
    db.execute("CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)")


@migrations()
def m005_sync(db: Database) -> None:
    """Scheduled sources (``harvester sync``) and what each has harvested so far.

    * ``sync_sources``: the configured sources and their harvest state: ``harvested_until`` is
      the ``from`` of the next OAI-PMH request and only moves after a complete, committed list;
      ``resume_token``/``resume_from`` checkpoint a list in progress (page by page).
    * ``sync_files``: per file of a folder/file source, the size, mtime and content hash last
      imported, so an unchanged file is skipped without being read or parsed.
    * ``sync_oai_records``: per OAI identifier, the datestamp last seen, whether it is deleted,
      and the source record it was stored as.
    * ``sync_leases``: who is harvesting a source right now (pid, host, expiry), so that two
      overlapping runs never harvest the same source at once.
    """
    db.executescript(
        """
        CREATE TABLE sync_sources (
            name TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            target TEXT NOT NULL,
            set_spec TEXT,
            metadata_prefix TEXT,
            created_at TEXT NOT NULL,
            granularity TEXT,
            harvested_until TEXT,
            resume_token TEXT,
            resume_from TEXT,
            resume_until TEXT,
            etag TEXT,
            last_modified TEXT,
            content_hash TEXT,
            last_run_at TEXT,
            last_status TEXT,
            last_error TEXT
        );
        CREATE TABLE sync_files (
            source TEXT NOT NULL REFERENCES sync_sources(name) ON DELETE CASCADE,
            path TEXT NOT NULL,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            records INTEGER NOT NULL DEFAULT 0,
            error TEXT,
            imported_at TEXT NOT NULL,
            PRIMARY KEY (source, path)
        ) WITHOUT ROWID;
        CREATE TABLE sync_oai_records (
            source TEXT NOT NULL REFERENCES sync_sources(name) ON DELETE CASCADE,
            identifier TEXT NOT NULL,
            datestamp TEXT NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0,
            record_id INTEGER REFERENCES source_records(id),
            seen_at TEXT NOT NULL,
            PRIMARY KEY (source, identifier)
        ) WITHOUT ROWID;
        CREATE TABLE sync_leases (
            source TEXT PRIMARY KEY,
            owner TEXT NOT NULL,
            pid INTEGER NOT NULL,
            host TEXT NOT NULL,
            acquired_at TEXT NOT NULL,
            expires_at REAL NOT NULL
        );
        """
    )


@migrations()
def m006_tags(db: Database) -> None:
    """A person's tags on works (selection for exports)."""
    db.executescript(
        """
        CREATE TABLE tags (
            work_id INTEGER NOT NULL REFERENCES works(id),
            tag TEXT NOT NULL COLLATE NOCASE,
            PRIMARY KEY (work_id, tag)
        ) WITHOUT ROWID;
        CREATE INDEX tags_tag ON tags(tag);
        """
    )


@migrations()
def m007_enrichment(db: Database) -> None:
    """Crossref answers keyed by request (status 'found' / 'not_found'), the review list of
    borderline matches, and provisional citation keys (a work known only by its DOI)."""
    db.executescript(
        """
        DROP TABLE crossref_cache;
        CREATE TABLE crossref_cache (
            key TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            body TEXT,
            fetched_at TEXT NOT NULL
        );
        CREATE TABLE enrichment_reviews (
            id INTEGER PRIMARY KEY,
            work_id INTEGER NOT NULL REFERENCES works(id),
            doi TEXT NOT NULL,
            decision TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open',
            created_at TEXT NOT NULL,
            decided_at TEXT,
            UNIQUE (work_id, doi)
        );
        ALTER TABLE works ADD COLUMN key_provisional INTEGER NOT NULL DEFAULT 0;
        """
    )


@migrations()
def m008_join_evidence(db: Database) -> None:
    """Why a record joined its work (the pair verdict and its evidence), for `harvester show`."""
    db.execute("ALTER TABLE source_records ADD COLUMN joined TEXT")


@migrations()
def m009_explicit_fts_insert(db: Database) -> None:
    """New works enter the full-text index from :meth:`Library.index_works` instead of a
    per-row trigger: an import adds thousands of works at once, and one INSERT ... SELECT per
    batch indexes them in a third of the time. Updates and deletes keep their triggers."""
    db.execute('DROP TRIGGER IF EXISTS "works_ai"')


@migrations()
def m010_fts_update_only_when_indexed_text_changes(db: Database) -> None:
    """The full-text index is rewritten for a work only when its indexed text changes. The
    update trigger fired for every UPDATE of a work (an enrichment status, a key, a recompute
    that changed nothing searchable) and re-indexed it: queueing 90k new works for Crossref
    took 12 s of FTS churn."""
    db.executescript(
        """
        DROP TRIGGER IF EXISTS "works_au";
        CREATE TRIGGER "works_au" AFTER UPDATE OF title, authors, container, abstract ON "works"
        WHEN old.title IS NOT new.title OR old.authors IS NOT new.authors
          OR old.container IS NOT new.container OR old.abstract IS NOT new.abstract
        BEGIN
          INSERT INTO "works_fts" ("works_fts", rowid, "title", "authors", "container", "abstract")
            VALUES('delete', old.rowid, old."title", old."authors", old."container", old."abstract");
          INSERT INTO "works_fts" (rowid, "title", "authors", "container", "abstract")
            VALUES (new.rowid, new."title", new."authors", new."container", new."abstract");
        END;
        """
    )


@migrations()
def m011_i18_living_reviews(db: Database) -> None:
    """Searches and feeds as sync sources (issue 18), and the per-source run log.

    * ``sync_sources.query``: the saved search of a ``crossref`` / ``pubmed`` / ``feed`` source
      (JSON); ``checkpoint``: how far a run in progress got (JSON: the date window or slice,
      cleared when the run completes); ``notes``: what the last run noticed about the server
      (JSON: an OAI-PMH repository that ignores ``from``/``until``).
    * ``sync_items``: per source, every item (DOI, PMID, feed entry id) with the version last
      stored (Crossref's ``indexed`` stamp, the content hash), so re-seeing it costs no parse.
    * ``sync_log`` / ``sync_log_works``: what each source brought, run by run, and which works
      (new, or a new record merged into an existing one), for ``harvester sync log``.
    """
    db.executescript(
        """
        ALTER TABLE sync_sources ADD COLUMN query TEXT;
        ALTER TABLE sync_sources ADD COLUMN checkpoint TEXT;
        ALTER TABLE sync_sources ADD COLUMN notes TEXT;
        CREATE TABLE sync_items (
            source TEXT NOT NULL,
            item TEXT NOT NULL,
            version TEXT NOT NULL,
            record_id INTEGER REFERENCES source_records(id),
            seen_at TEXT NOT NULL,
            PRIMARY KEY (source, item)
        ) WITHOUT ROWID;
        CREATE TABLE sync_log (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES runs(id),
            source TEXT NOT NULL,
            kind TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT NOT NULL,
            status TEXT NOT NULL,
            new_records INTEGER NOT NULL DEFAULT 0,
            merged INTEGER NOT NULL DEFAULT 0,
            failed INTEGER NOT NULL DEFAULT 0,
            summary TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX sync_log_finished ON sync_log(finished_at);
        CREATE TABLE sync_log_works (
            log_id INTEGER NOT NULL REFERENCES sync_log(id) ON DELETE CASCADE,
            work_id INTEGER NOT NULL,
            change TEXT NOT NULL,
            key TEXT NOT NULL,
            PRIMARY KEY (log_id, work_id)
        ) WITHOUT ROWID;
        """
    )


@migrations()
def m011_i17_export_entries(db: Database) -> None:
    """Incremental auto-export: each work's rendered entry cached per export variant (format,
    options, exporter code), valid while the work's CSL text and citation key are the same.
    ``works.csl_hash`` fingerprints the CSL text, so validity is decided in SQL, without
    reading or parsing the works themselves."""
    import hashlib

    db.executescript(
        """
        ALTER TABLE works ADD COLUMN csl_hash TEXT;
        CREATE TABLE export_entries (
            variant TEXT NOT NULL,
            work_id INTEGER NOT NULL,
            fingerprint TEXT NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (variant, work_id)
        ) WITHOUT ROWID;
        """
    )

    def blake(text: str) -> str:  # the same fingerprint as Library's csl_hash
        return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()

    db.conn.create_function("harvester_csl_hash", 1, blake, deterministic=True)
    db.execute("UPDATE works SET csl_hash = harvester_csl_hash(csl)")


@migrations()
def m011_t15a_run_owner(db: Database) -> None:
    """Who runs a run, told apart from a later process with the same pid (host, boot id,
    process start time; :mod:`harvester.store.process_identity`): a killed run is marked
    ``interrupted`` by the next one instead of staying ``running`` forever. And the absolute
    path of each record's origin beside the origin as typed, so that a selection by file or
    folder finds it however it is named (old rows keep NULL and match as typed)."""
    db.executescript(
        """
        ALTER TABLE runs ADD COLUMN host TEXT;
        ALTER TABLE runs ADD COLUMN boot_id TEXT;
        ALTER TABLE runs ADD COLUMN process_started INTEGER;
        ALTER TABLE source_records ADD COLUMN origin_path TEXT;
        CREATE INDEX source_records_origin_path ON source_records(origin_path);
        """
    )


@migrations()
def m012_exp_export_entries_fast_reads(db: Database) -> None:
    """Auto-export reads 100k cached entries per export on every change; two layouts made
    that slow (measured on a 100k library, three exports: 6.2 s of CPU, now 1.6 s):

    * ``works.csl_hash`` is the last column of rows several kilobytes long, so testing an
      entry's validity walked every work's overflow pages: the index ``works_key_hash``
      gives the works in key order with their hash alone (rows are read only for works to
      render again).
    * ``export_entries`` was a WITHOUT ROWID table, whose rows keep about 1 kB in the page and
      send the rest of every entry (BibTeX 0.5 kB, CSL-JSON and RIS 2.5 kB with abstracts) to
      overflow pages; as a rowid table an entry fits its page. Rebuilt with the cached entries
      kept (copied in key order, the order exports read them)."""
    db.executescript(
        """
        CREATE INDEX IF NOT EXISTS works_key_hash ON works(citation_key, csl_hash);
        CREATE TABLE export_entries_new (
            id INTEGER PRIMARY KEY,
            variant TEXT NOT NULL,
            work_id INTEGER NOT NULL,
            fingerprint TEXT NOT NULL,
            text TEXT NOT NULL
        );
        INSERT INTO export_entries_new (variant, work_id, fingerprint, text)
            SELECT p.variant, p.work_id, p.fingerprint, p.text
            FROM export_entries p LEFT JOIN works w ON w.id = p.work_id
            ORDER BY p.variant, w.citation_key;
        DROP TABLE export_entries;
        ALTER TABLE export_entries_new RENAME TO export_entries;
        CREATE UNIQUE INDEX export_entries_variant_work ON export_entries(variant, work_id);
        """
    )


@migrations()
def m013_mem_record_forms(db: Database) -> None:
    """Each source record's dedup comparison form, stored once (``harvester.store.forms``):
    past ~100k records, deriving candidates' forms again from their CSL was most of an import's
    CPU. Records stored before this migration get theirs when dedup next derives them inside a
    write (an import that meets them as candidates, or ``dedupe``)."""
    db.executescript(
        """
        CREATE TABLE record_forms (
            record_id INTEGER PRIMARY KEY,
            version TEXT NOT NULL,
            form BLOB NOT NULL
        );
        """
    )


@migrations()
def m014_ax_export_layouts(db: Database) -> None:
    """Spliced auto-export: where each work's entry sits in the file an auto-export last
    wrote, so that a change rewrites the file by copying the unchanged byte ranges and
    rendering only the works it touched (issue 17: three 100k exports rewritten whole cost an
    added record 5.5x its own time).

    * ``export_files``: per auto-export, the file as written (size, ``mtime_ns``, a hash of its
      first and last 64 KiB) and what it was written as (entry variant, format, selection): a
      file that no longer matches was changed by someone else, and an export set up anew is
      not the same layout; both are written in full again. ``seq``: the last change to the
      works (``work_changes``) the file holds.
    * ``export_spans``: per auto-export and work, the entry's citation key and CSL hash when
      written and its length in bytes. Offsets are not stored (an insertion would move half of
      them): an entry's offset is the sum of the lengths before it in key order, which the
      index ``export_spans_order`` answers without reading the rows.
    * ``work_changes``: the works inserted, deleted or changed in key or CSL, in order, kept
      by triggers while any auto-export has a layout (whatever writes the works, and only
      then), and pruned once every file holds them. What changed since a file was written
      is then read from here, not found by comparing every work with the file's layout
      (0.1 s of CPU per export at 100k works, on every change)."""
    db.executescript(
        """
        CREATE TABLE export_files (
            export_id INTEGER PRIMARY KEY,
            written_as TEXT NOT NULL,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            ends TEXT NOT NULL,
            entries INTEGER NOT NULL,
            seq INTEGER NOT NULL
        );
        CREATE TABLE export_spans (
            export_id INTEGER NOT NULL,
            work_id INTEGER NOT NULL,
            citation_key TEXT NOT NULL COLLATE NOCASE,
            csl_hash TEXT,
            length INTEGER NOT NULL,
            PRIMARY KEY (export_id, work_id)
        ) WITHOUT ROWID;
        CREATE INDEX export_spans_order ON export_spans(export_id, citation_key, length);
        CREATE TABLE work_changes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            work_id INTEGER NOT NULL
        );
        CREATE TRIGGER work_changes_insert AFTER INSERT ON works
        WHEN EXISTS (SELECT 1 FROM export_files)
        BEGIN
            INSERT INTO work_changes (work_id) VALUES (new.id);
        END;
        CREATE TRIGGER work_changes_delete AFTER DELETE ON works
        WHEN EXISTS (SELECT 1 FROM export_files)
        BEGIN
            INSERT INTO work_changes (work_id) VALUES (old.id);
        END;
        CREATE TRIGGER work_changes_update AFTER UPDATE OF id, citation_key, csl, csl_hash ON works
        WHEN (old.id IS NOT new.id OR old.citation_key IS NOT new.citation_key COLLATE BINARY
              OR old.csl_hash IS NOT new.csl_hash OR old.csl IS NOT new.csl)
             AND EXISTS (SELECT 1 FROM export_files)
        BEGIN
            INSERT INTO work_changes (work_id) VALUES (old.id);
            INSERT INTO work_changes (work_id) SELECT new.id WHERE new.id IS NOT old.id;
        END;
        """
    )
