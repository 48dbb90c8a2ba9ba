"""Searches and feeds as ``harvester sync`` sources: what a living review runs every night.

* ``crossref``: a saved works query (``query.bibliographic`` / ``query.author`` /
  ``query.container-title`` and filters), paged by cursor (``rows`` 100-1000) through the
  :class:`~harvester.crossref.client.CrossrefClient`, so inside the list-query limits it keeps
  (and the rate window it shares with every other harvester process). Incremental by
  ``from-index-date``: the day the last complete run started (inclusive; works seen again are
  skipped by their version). Works join the library as Crossref source records (and count as
  enriched: their Crossref record is there).
* ``pubmed``: an E-utilities term, ``esearch`` with ``usehistory=y`` over an entry-date window
  (``datetype=edat``, ``mindate``/``maxdate``), then ``efetch`` of PubMed XML from the history
  server in batches. ``esearch`` cannot hand out more than 10,000 results: a window holding
  more is split in halves until every slice is under the cap. Incremental: the next window
  starts two days before the last complete run's ``maxdate`` (NCBI dates are US Eastern time,
  and an entry is dated the day it was entered: the overlap catches the day's late entries;
  PMIDs seen before are skipped by version). Requests are spaced to NCBI's 3 a second (10 with
  an API key), carrying ``tool`` and ``email`` (:class:`~harvester.sources.pubmed.EUtilsClient`).
* ``feed``: an RSS or Atom table of contents (:mod:`records.feeds`), fetched with
  ``If-None-Match`` / ``If-Modified-Since``; entries naming a DOI are looked up in Crossref in
  batches of 50 (one list query each) and stored as Crossref's record; the others, and DOIs
  Crossref does not know, are stored as the entry says.

Kill safety as for OAI-PMH: each page (Crossref), batch (PubMed) or feed is one transaction
holding its records, the items' versions (``sync_items``) and the checkpoint; a killed run is
resumed by the next from its checkpoint (the current window or slice is asked again: cursors
and history keys do not outlive a run), and storing is idempotent (content hash, and item plus
version), so the end state is the one a clean run reaches.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from harvester.crossref.client import MAX_DOIS_PER_QUERY
from harvester.errors import CrossrefUnavailable, NetworkError, SourceFailed
from harvester.ops.importing import store_records
from harvester.sources.pubmed import PubMedUnavailable
from harvester.store import Library
from records.crossref import work_to_record
from records.errors import HarvesterError, InputError, UsageError
from records.feeds import FeedEntry, parse_feed
from records.identifiers import doi_key
from records.model import Record
from records.parsers import parse_bytes

if TYPE_CHECKING:
    from harvester.ops.sync import SourceReport, SyncOptions, SyncSource

# Crossref's fields of a work that change without the work changing (re-indexing, citation
# counts, a search's score): left out of the stored record, so that a re-indexed work is not
# a "changed" one.
VOLATILE = ("indexed", "score", "is-referenced-by-count", "deposited")
CROSSREF_QUERY_FIELDS = ("bibliographic", "author", "container-title")
CROSSREF_ROWS = (100, 1000)
DEFAULT_CROSSREF_ROWS = 500
# esearch hands out at most this many results of one search (NCBI, since 2022).
PUBMED_CAP = 10_000
DEFAULT_PUBMED_BATCH = 250
PUBMED_BATCHES = (20, 500)
# The first harvest of a PubMed search starts here (before PubMed's oldest entry date).
PUBMED_EPOCH = date(1781, 1, 1)
PUBMED_OVERLAP = timedelta(days=2)

Heartbeat = Callable[..., None]


# -- configuration ----------------------------------------------------------------------------


def crossref_query(
    text: str | None,
    *,
    author: str | None = None,
    container: str | None = None,
    filters: Sequence[str] = (),
    rows: int | None = None,
) -> dict[str, Any]:
    """The saved query of a ``crossref`` source; raises :class:`UsageError` when it is empty
    or malformed. ``filters`` are Crossref's ``name:value`` (repeat a name to OR values)."""
    query: dict[str, Any] = {}
    for name, value in (
        ("bibliographic", text),
        ("author", author),
        ("container-title", container),
    ):
        if value and value.strip():
            query[name] = " ".join(value.split())
    parsed: dict[str, list[str]] = {}
    for item in filters:
        name, sep, value = item.partition(":")
        if not sep or not name.strip() or not value.strip():
            raise UsageError(f"bad filter {item!r}: write NAME:VALUE (e.g. issn:1234-5678)")
        name = name.strip()
        if name in ("from-index-date", "until-index-date"):
            raise UsageError(f"{name} is set by each run (the source is incremental by it)")
        parsed.setdefault(name, []).append(value.strip())
    if parsed:
        query["filters"] = parsed
    if not query:
        raise UsageError("a crossref source needs a query (TARGET, --author, --container)"
                         " or at least one --filter")  # fmt: skip
    rows = rows or DEFAULT_CROSSREF_ROWS
    if not CROSSREF_ROWS[0] <= rows <= CROSSREF_ROWS[1]:
        raise UsageError(f"--rows must be between {CROSSREF_ROWS[0]} and {CROSSREF_ROWS[1]}")
    query["rows"] = rows
    return query


def crossref_target(query: dict[str, Any]) -> str:
    """How records from this query name their origin (and ``--source`` finds them)."""
    parts = [f"query.{k}={query[k]}" for k in CROSSREF_QUERY_FIELDS if k in query]
    parts += [f"filter={n}:{v}" for n, vs in sorted(query.get("filters", {}).items()) for v in vs]
    return "crossref:/works?" + "&".join(parts)


def pubmed_query(
    term: str | None, *, batch: int | None = None, since: str | None = None
) -> dict[str, Any]:
    if not term or not term.strip():
        raise UsageError("a pubmed source needs a search term (TARGET), as typed in PubMed")
    batch = batch or DEFAULT_PUBMED_BATCH
    if not PUBMED_BATCHES[0] <= batch <= PUBMED_BATCHES[1]:
        raise UsageError(f"--batch must be between {PUBMED_BATCHES[0]} and {PUBMED_BATCHES[1]}")
    query: dict[str, Any] = {"term": " ".join(term.split()), "batch": batch}
    if since:
        query["since"] = _parse_day(since, "--since").isoformat()
    return query


def _parse_day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.replace("/", "-"))
    except ValueError:
        raise UsageError(f"{what}: {text!r} is not a date (YYYY-MM-DD)") from None


# -- storing ----------------------------------------------------------------------------------


def _version(record: Record) -> str:
    return record.content_hash()


def store_items(
    library: Library,
    source: SyncSource,
    items: Sequence[tuple[str, Record]],
    run_id: int,
    options: SyncOptions,
    report: SourceReport,
) -> None:
    """Store the records of ``items`` ((item id, record) pairs) that are new or changed since
    this source last stored them, and remember their versions (in the caller's transaction)."""
    state = library.sync
    imported = report.imported
    known = state.stored_items(source.name, [item for item, _ in items])
    fresh: list[tuple[str, Record]] = []
    for item, record in items:
        stored = known.get(item)
        if stored is not None and stored.version == _version(record) and not options.full:
            imported.already_stored += 1
            continue
        fresh.append((item, record))
    if options.progress:
        for item, _ in fresh:
            options.progress(item)
    imported.parsed += len(fresh)
    store_records(
        library, [r for _, r in fresh], run_id=run_id, report=imported, formula=options.formula
    )
    crossref_works: set[int] = set()
    for item, record in fresh:
        found = state.record_id_of(record.content_hash())
        record_id, work_id = found if found else (None, None)
        state.remember_item(source.name, item, _version(record), record_id)
        if record.source.format == "crossref" and work_id is not None:
            crossref_works.add(work_id)
    # Their Crossref record is in the library: nothing left to ask Crossref about them.
    for work_id in sorted(crossref_works):
        library.set_enrichment(work_id, "enriched", "harvested from Crossref")


def _crossref_record(work: dict[str, Any], origin: str, position: int) -> Record:
    stable = {k: v for k, v in work.items() if k not in VOLATILE}
    record = work_to_record(stable)
    record.source = replace(record.source, origin=origin, position=position)
    return record


# -- crossref ---------------------------------------------------------------------------------


def _crossref_params(query: dict[str, Any], from_day: str | None) -> dict[str, str]:
    params = {f"query.{k}": query[k] for k in CROSSREF_QUERY_FIELDS if k in query}
    filters = [f"{n}:{v}" for n, vs in sorted(query.get("filters", {}).items()) for v in vs]
    if from_day:
        filters.append(f"from-index-date:{from_day}")
    if filters:
        params["filter"] = ",".join(filters)
    return params


def crossref_requests(source: SyncSource, options: SyncOptions) -> list[str]:
    """What a run of this source would ask (``--dry-run``)."""
    query = json.loads(source.query or "{}")
    from_day = None if options.full else source.harvested_until
    params = _crossref_params(query, from_day)
    shown = "&".join(f"{k}={v}" for k, v in params.items())
    return [f"GET /works?{shown}&rows={query.get('rows')}&cursor=* (then next-cursor pages)"]


def sync_crossref(
    library: Library,
    source: SyncSource,
    run_id: int,
    options: SyncOptions,
    report: SourceReport,
    heartbeat: Heartbeat,
) -> None:
    query = json.loads(source.query or "{}")
    state = library.sync
    checkpoint = state.checkpoint(source.name) if not options.full else None
    if checkpoint and checkpoint.get("kind") == "crossref":
        # A killed run's window, asked again from its start (cursors live five minutes).
        from_day, until_day = checkpoint.get("from"), checkpoint["until"]
        report.resumed = True
    else:
        from_day = None if options.full else source.harvested_until
        until_day = options.today().isoformat()
        with library.write():
            state.save_checkpoint(
                source.name, {"kind": "crossref", "from": from_day, "until": until_day}
            )
    report.harvested_from = from_day
    params = _crossref_params(query, from_day)
    position = 0
    with options.crossref() as client:
        pages = client.query_pages(params, rows=int(query.get("rows") or DEFAULT_CROSSREF_ROWS))
        for page in _guarded(pages, source.name):
            heartbeat()
            report.pages += 1
            report.requests += 1
            report.imported.inputs += 1
            items = []
            for work in page.items:
                if not isinstance(work, dict) or not work.get("DOI"):
                    continue
                position += 1
                items.append(
                    (doi_key(work["DOI"]), _crossref_record(work, source.target, position))
                )
            with library.write():
                store_items(library, source, items, run_id, options, report)
                heartbeat(force=True)  # in the transaction: a lost lease undoes the page
    with library.write():
        state.complete_harvest(source.name, until_day)
    report.harvested_until = until_day


def _guarded(pages: Iterator[Any], name: str) -> Iterator[Any]:
    """Crossref's failures as the source's one-line failure."""
    while True:
        try:
            page = next(pages)
        except StopIteration:
            return
        except (NetworkError, CrossrefUnavailable) as exc:
            raise SourceFailed(f"{name}: {exc}") from None
        except HarvesterError as exc:
            raise SourceFailed(f"{name}: {exc}") from None
        yield page


# -- pubmed -----------------------------------------------------------------------------------


def _ncbi(day: date) -> str:
    return day.strftime("%Y/%m/%d")


def _pubmed_window(source: SyncSource, options: SyncOptions) -> tuple[date, date]:
    query = json.loads(source.query or "{}")
    today = options.today()
    if source.harvested_until and not options.full:
        start = date.fromisoformat(source.harvested_until) - PUBMED_OVERLAP
    elif query.get("since"):
        start = date.fromisoformat(query["since"])
    else:
        start = PUBMED_EPOCH
    return start, today


def pubmed_requests(source: SyncSource, options: SyncOptions) -> list[str]:
    query = json.loads(source.query or "{}")
    start, end = _pubmed_window(source, options)
    return [
        f"POST esearch.fcgi db=pubmed term={query.get('term')!r} datetype=edat"
        f" mindate={_ncbi(start)} maxdate={_ncbi(end)} usehistory=y"
        f" (split while over {options.pubmed_cap} results)",
        f"POST efetch.fcgi db=pubmed retmode=xml WebEnv/query_key, {query.get('batch')} a request",
    ]


def sync_pubmed(
    library: Library,
    source: SyncSource,
    run_id: int,
    options: SyncOptions,
    report: SourceReport,
    heartbeat: Heartbeat,
) -> None:
    query = json.loads(source.query or "{}")
    term, batch = query["term"], int(query.get("batch") or DEFAULT_PUBMED_BATCH)
    state = library.sync
    checkpoint = state.checkpoint(source.name) if not options.full else None
    if checkpoint and checkpoint.get("kind") == "pubmed":
        start = date.fromisoformat(checkpoint["next"])  # slices before it are complete
        end = date.fromisoformat(checkpoint["until"])
        report.resumed = True
    else:
        start, end = _pubmed_window(source, options)
        with library.write():
            state.save_checkpoint(
                source.name,
                {"kind": "pubmed", "next": start.isoformat(), "until": end.isoformat()},
            )
    report.harvested_from = _ncbi(start)
    client = options.pubmed()
    try:
        # Slices in date order; a slice over the cap is split in two, the halves go first.
        pending: list[tuple[date, date]] = [(start, end)] if start <= end else []
        while pending:
            low, high = pending.pop()
            heartbeat()
            history = _call(
                partial(client.esearch, term, mindate=_ncbi(low), maxdate=_ncbi(high)),
                source.name,
            )
            report.requests += 1
            if history.count >= options.pubmed_cap and low < high:
                middle = low + (high - low) // 2
                pending += [(middle + timedelta(days=1), high), (low, middle)]
                report.splits += 1
                continue
            wanted = history.count
            if wanted > options.pubmed_cap:
                report.imported.failures.append(
                    f"{source.name}: {wanted} entries on {_ncbi(low)} alone; PubMed hands out"
                    f" {options.pubmed_cap} of one search: narrow the term to get the rest"
                )
                wanted = options.pubmed_cap
            for retstart in range(0, wanted, batch):
                heartbeat()
                articles = _call(
                    partial(client.efetch_history, history, retstart, batch), source.name
                )
                report.requests += 1
                report.pages += 1
                report.imported.inputs += 1
                items: list[tuple[str, Record]] = []
                for article in articles:
                    origin = f"{source.target}/pmid:{article.pmid}"
                    try:
                        result = parse_bytes(article.xml, origin, "pubmed-xml")
                    except InputError as exc:
                        report.imported.failures.append(str(exc))
                        continue
                    report.imported.failures.extend(str(f) for f in result.failures)
                    items.extend((article.pmid, r) for r in result.records[:1])
                with library.write():
                    store_items(library, source, items, run_id, options, report)
                    heartbeat(force=True)
            with library.write():
                state.save_checkpoint(
                    source.name,
                    {
                        "kind": "pubmed",
                        "next": (high + timedelta(days=1)).isoformat(),
                        "until": end.isoformat(),
                    },
                )
    finally:
        client.close()
    with library.write():
        state.complete_harvest(source.name, end.isoformat())
    report.harvested_until = _ncbi(end)


def _call(request: Callable[[], Any], name: str) -> Any:
    try:
        return request()
    except PubMedUnavailable as exc:
        raise SourceFailed(f"{name}: {exc}") from None


# -- feeds ------------------------------------------------------------------------------------


def feed_requests(source: SyncSource, options: SyncOptions) -> list[str]:
    conditional = []
    if source.etag and not options.full:
        conditional.append(f"If-None-Match: {source.etag}")
    if source.last_modified and not options.full:
        conditional.append(f"If-Modified-Since: {source.last_modified}")
    extra = f" ({', '.join(conditional)})" if conditional else ""
    return [
        f"GET {source.target}{extra}",
        f"GET /works?filter=doi:... at Crossref for the new entries naming a DOI,"
        f" {MAX_DOIS_PER_QUERY} a request",
    ]


def sync_feed(
    library: Library,
    source: SyncSource,
    run_id: int,
    options: SyncOptions,
    report: SourceReport,
    heartbeat: Heartbeat,
) -> None:
    from harvester.ops.sync import fetch_source

    fetched = fetch_source(source, options, heartbeat)
    report.requests += 1
    state = library.sync
    if fetched.data is None:  # 304 Not Modified
        report.files_unchanged += 1
        return
    report.files_read += 1
    report.imported.inputs += 1
    parsed = parse_feed(fetched.data, source.target)
    report.imported.failures.extend(str(f) for f in parsed.failures)
    known = state.stored_items(source.name, [e.item for e in parsed.entries])
    # Only entries not stored before are looked up: a TOC feed repeats its entries for weeks.
    new = [e for e in parsed.entries if options.full or e.item not in known]
    report.imported.already_stored += len(parsed.entries) - len(new)
    found = _crossref_works([e for e in new if e.doi], source, options, report, heartbeat)
    items: list[tuple[str, Record]] = []
    for entry in new:
        work = found.get(doi_key(entry.doi)) if entry.doi else None
        if work is not None:
            items.append((entry.item, _crossref_record(work, source.target, entry.position)))
        elif entry.record is not None:
            items.append((entry.item, entry.record))
    with library.write():
        store_items(library, source, items, run_id, options, report)
        # The validators go with the entries they describe (one transaction).
        digest = hashlib.sha256(fetched.data).hexdigest()
        state.save_validators(source.name, fetched.etag, fetched.last_modified, digest)
        state.complete_harvest(source.name, options.today().isoformat())
        heartbeat(force=True)


def _crossref_works(
    entries: list[FeedEntry],
    source: SyncSource,
    options: SyncOptions,
    report: SourceReport,
    heartbeat: Heartbeat,
) -> dict[str, dict[str, Any]]:
    """Crossref's works for the entries' DOIs, 50 to a list query; when Crossref cannot be
    asked, the entries stay as the feed gives them (their DOI is enriched later)."""
    dois = [e.doi for e in entries if e.doi and "," not in e.doi]
    found: dict[str, dict[str, Any]] = {}
    if not dois:
        return found
    try:
        with options.crossref() as client:
            for start in range(0, len(dois), MAX_DOIS_PER_QUERY):
                heartbeat()
                found.update(client.works_by_dois(dois[start : start + MAX_DOIS_PER_QUERY]))
                report.requests += 1
    except HarvesterError as exc:
        report.notes.append(f"Crossref not asked for every DOI ({exc}); entries kept as given")
    return found


__all__ = [
    "CROSSREF_QUERY_FIELDS",
    "PUBMED_CAP",
    "crossref_query",
    "crossref_requests",
    "crossref_target",
    "feed_requests",
    "pubmed_query",
    "pubmed_requests",
    "store_items",
    "sync_crossref",
    "sync_feed",
    "sync_pubmed",
]
