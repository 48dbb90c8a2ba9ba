"""``harvester sync``: the click group (register with ``cli.add_command(sync)``).

    harvester sync [NAME...] [--json] [--full] [--no-enrich] [--dry-run]
    harvester sync add NAME TARGET [--kind K] [--set SPEC] [--metadata-prefix P]
    harvester sync add NAME "QUERY" --kind crossref [--author A] [--container C]
                       [--filter NAME:VALUE]... [--rows N]
    harvester sync add NAME "TERM" --kind pubmed [--batch N] [--since DATE]
    harvester sync add NAME FEED-URL --kind feed
    harvester sync list [--json]
    harvester sync log [NAME...] [--since 7d] [--json]
    harvester sync remove NAME

After the sources, the new and changed works are enriched through Crossref (``--no-enrich``
skips) and every auto-export is brought up to date.

Exit codes as everywhere: 0 done (a source another run is harvesting is skipped, not an
error), 1 some source or record failed (one line each on stderr, naming the source), 2 usage
or configuration error. No progress display unless stderr is a terminal.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from harvester.cli.common import emit_json, reports_errors, say
from harvester.errors import LibraryBusy
from harvester.ops.interrupt import signals_interrupt

if TYPE_CHECKING:
    from harvester.ops.sync import SourceReport

# The same as harvester.ops.sync.KINDS / METADATA_PREFIXES (a test checks): spelled out here so
# that every `harvester` command does not pay for importing the HTTP and XML stack.
KINDS = ("folder", "file", "oai-pmh", "url", "crossref", "pubmed", "feed")
METADATA_PREFIXES = ("marc21", "marcxml", "oai_dc")

F = TypeVar("F", bound=Callable[..., Any])


class _SyncGroup(click.Group):
    """``harvester sync NAME...`` runs sources; ``harvester sync add ...`` is a subcommand.
    Anything that does not start with a subcommand's name goes to the hidden ``run``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and not {"-h", "--help"} & set(args):
            first = next((a for a in args if not a.startswith("-")), None)
            if first is None or first not in self.commands:
                args = ["run", *args]
        return super().parse_args(ctx, args)


@click.group(name="sync", cls=_SyncGroup, invoke_without_command=True)
@click.pass_context
def sync(ctx: click.Context) -> None:
    """Harvest the configured sources incrementally (for cron); `sync add` configures one.

    Plain `harvester sync` runs every source; `harvester sync NAME...` only those. Safe to run
    twice at once (a source being harvested by another run is skipped) and to kill. After the
    sources, the new and changed works are enriched through Crossref and every auto-export is
    rewritten.

    \b
    Options of a run:
      --json       a machine-readable summary
      --full       look at everything again (ignore the saved state)
      --no-enrich  do not ask Crossref about the new works now
      --dry-run    say what each source would ask for; ask nothing
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(run)


def _summary_line(source: SourceReport) -> str:
    if source.status == "skipped" and source.busy:
        return f"{source.name}: skipped, {source.busy}; the next run goes on"
    if source.status == "skipped":
        return f"{source.name}: skipped, being harvested by {source.held_by}"
    if source.status == "failed" and not source.imported.new_records:
        return f"{source.name}: failed"
    imported = source.imported
    parts = [f"{imported.new_records} new", f"{imported.already_stored} already stored"]
    if source.kind in ("folder", "file", "url"):
        parts.append(f"{source.files_read} files read, {source.files_unchanged} unchanged")
    if source.kind in ("crossref", "pubmed", "feed"):
        parts.insert(1, f"{imported.merged} merged into existing works")
        if source.kind == "feed" and source.files_unchanged:
            parts.append("feed unchanged")
        if source.harvested_from:
            parts.append(f"from {source.harvested_from}")
        if source.resumed:
            parts.append("resumed")
    if source.kind == "oai-pmh":
        parts.append(f"{source.windows} windows")
        parts.append(f"{source.deleted} deleted")
        parts.append(f"{source.pages} pages")
        if source.harvested_from:
            parts.append(f"from {source.harvested_from}")
        if source.resumed:
            parts.append("resumed")
    if imported.failures:
        parts.append(f"{len(imported.failures)} failed")
    state = "failed after " if source.status == "failed" else ""
    return f"{source.name}: {state}" + ", ".join(parts)


@sync.command(name="run", hidden=True)
@click.argument("names", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary.")
@click.option("--full", is_flag=True, help="Look at everything again (ignore the saved state).")
@click.option("--no-enrich", is_flag=True, help="Do not ask Crossref about the new works now.")
@click.option("--dry-run", is_flag=True, help="Say what each source would ask for; ask nothing.")
@click.pass_obj
@reports_errors
def run(
    state: Any, names: tuple[str, ...], as_json: bool, full: bool, no_enrich: bool, dry_run: bool
) -> None:
    """Harvest all sources, or the NAMES given."""
    quiet = getattr(state, "quiet", False)
    # cron and `timeout` stop jobs with SIGTERM: leave through the ``finally`` blocks, so the
    # open page is rolled back, the leases are released and the run is marked interrupted.
    try:
        # A sync adds to the library, so it may create it (saying so once, as `add` does);
        # a dry run writes nothing.
        with signals_interrupt(), state.library(
            create=not dry_run, wait_limit=state.config.sync_max_wait
        ) as lib:
            _run(state, lib, names, as_json, full, quiet, no_enrich, dry_run)
    except LibraryBusy as exc:  # as a source another run holds: not a failure, next turn
        click.echo(f"harvester: sync skipped: {exc}; the next run goes on", err=True)
        if as_json:
            emit_json({"sources": [], "skipped": str(exc)})


def _run(
    state: Any,
    library: Any,
    names: tuple[str, ...],
    as_json: bool,
    full: bool,
    quiet: bool,
    no_enrich: bool,
    dry_run: bool,
) -> None:
    from harvester.cli import crossref_client
    from harvester.cli.progress import interactive, spinner
    from harvester.ops.autoexport import refresh
    from harvester.ops.sync import SyncOptions, list_sources, run_sync
    from harvester.sources.pubmed import EUtilsClient

    config = state.config

    def pubmed() -> EUtilsClient:
        return EUtilsClient(
            config.pubmed_url,
            api_key=config.ncbi_api_key,
            mailto=config.mailto,
            timeout=config.http_timeout,
        )

    with spinner("Syncing", quiet=quiet) as show:
        if not list_sources(library):
            click.echo("no sync sources configured (add one with `harvester sync add`)", err=True)
            if as_json:
                emit_json({"sources": [], "new_records": 0})
            return
        options = SyncOptions(
            full=full,
            formula=state.formula(library),
            progress=show,
            enrich=not no_enrich,
            dry_run=dry_run,
            crossref=lambda: crossref_client(state),
            pubmed=pubmed,
            timeout=state.config.http_timeout,
        )
        report = run_sync(library, list(names) or None, options)
        if dry_run:
            _print_plan(report, as_json)
            return
        # Every auto-export is brought up to date (written only where its content changed).
        written = refresh(library, warn=lambda line: say(f"harvester: {line}", err=True))
        counts = library.counts()
    for source in report.sources:
        for message in source.messages():
            say(f"harvester: failed: {message}", err=True)
    if as_json:
        if interactive():  # else only in each source's "warnings": stdout is the JSON
            _print_warnings(report.sources, err=True)
        emit_json(report.as_dict() | {"library": counts})
    else:
        for source in report.sources:
            say(_summary_line(source))
            for note in source.notes:
                say(f"{source.name}: note: {note}")
            _print_warnings([source], err=interactive())
        if line := _enrichment_line(report):
            say(line)
        for path in written:  # on stdout: under cron stderr is for failures only
            say(f"auto-export updated: {path}")
    sys.exit(report.exit_code)


def _print_warnings(sources: list[Any], *, err: bool) -> None:
    """The `harvester: warning:` lines `add` prints: on stderr at a terminal; under cron, where
    stderr is for failures (mailed), on stdout after the source's summary line."""
    for source in sources:
        for line in source.warnings():
            say(f"harvester: warning: {line}", err=err)


def _enrichment_line(report: Any) -> str | None:
    if report.enrichment_error:
        return f"{report.enrichment_error} (the works are asked about at the next sync)"
    enrichment = report.enrichment
    if enrichment is None:
        return None
    line = f"enrichment: {enrichment.summary()}"
    if enrichment.stopped:
        line += f"; {enrichment.stopped} (the rest is asked about at the next sync)"
    return line


def _print_plan(report: Any, as_json: bool) -> None:
    if as_json:
        emit_json({"dry_run": True, "sources": [s.as_dict() for s in report.sources]})
        return
    for source in report.sources:
        click.echo(f"{source.name} ({source.kind}) would ask:")
        for line in source.requests_planned:
            click.echo(f"  {line}")


@sync.command(name="add")
@click.argument("name")
@click.argument("target", required=False)
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    help="Default: folder or file for a path, oai-pmh for an http(s) URL.",
)
@click.option("--author", metavar="TEXT", help="crossref: query.author.")
@click.option("--container", metavar="TEXT", help="crossref: query.container-title.")
@click.option(
    "--filter",
    "filters",
    multiple=True,
    metavar="NAME:VALUE",
    help="crossref: a filter (issn:..., type:journal-article, from-pub-date:2020); repeatable.",
)
@click.option("--rows", type=int, help="crossref: works per page, 100-1000 (default 500).")
@click.option("--batch", type=int, help="pubmed: records per efetch, 20-500 (default 250).")
@click.option("--since", metavar="DATE", help="pubmed: first harvest from this entry date.")
@click.option("--set", "set_spec", metavar="SPEC", help="OAI-PMH set to harvest.")
@click.option(
    "--metadata-prefix",
    type=click.Choice(METADATA_PREFIXES),
    help="OAI-PMH metadata format (default oai_dc).",
)
@click.pass_obj
@reports_errors
def add(
    state: Any,
    name: str,
    target: str,
    kind: str | None,
    set_spec: str | None,
    metadata_prefix: str | None,
    author: str | None,
    container: str | None,
    filters: tuple[str, ...],
    rows: int | None,
    batch: int | None,
    since: str | None,
) -> None:
    """Configure a source NAME harvesting TARGET: a folder, a file or a URL (an OAI-PMH
    endpoint, a document, an RSS/Atom feed with --kind feed), a Crossref query (--kind
    crossref) or a PubMed search term (--kind pubmed)."""
    from harvester.errors import UsageError
    from harvester.ops.sync import add_source
    from harvester.ops.sync_searches import crossref_query, pubmed_query

    searches = {"crossref": (author, container, filters, rows), "pubmed": (batch, since)}
    for other, values in searches.items():
        if kind != other and any(values):
            raise UsageError(f"--{_options_of(other)} are for {other} sources only")
    query = None
    if kind == "crossref":
        query = crossref_query(
            target, author=author, container=container, filters=filters, rows=rows
        )
    elif kind == "pubmed":
        query = pubmed_query(target, batch=batch, since=since)
    elif not target:
        raise UsageError("TARGET is missing (a folder, a file or a URL)")
    with state.library(create=True) as library:
        source = add_source(
            library,
            name,
            target or "",
            kind=kind,
            set_spec=set_spec,
            metadata_prefix=metadata_prefix,
            query=query,
        )
    extra = f" (set {source.set_spec})" if source.set_spec else ""
    prefix = f", {source.metadata_prefix}" if source.metadata_prefix else ""
    click.echo(f"added {source.name}: {source.kind}{prefix} {source.target}{extra}")


def _options_of(kind: str) -> str:
    return "author/--container/--filter/--rows" if kind == "crossref" else "batch/--since"


@sync.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.pass_obj
@reports_errors
def list_command(state: Any, as_json: bool) -> None:
    """The configured sources and where each harvest stands."""
    from harvester.ops.sync import list_sources

    with state.library() as library:
        sources = list_sources(library)
        last_logs = library.sync.last_logs()
    if as_json:
        emit_json(
            [s.as_dict() | {"last_brought": _brought(last_logs.get(s.name))} for s in sources]
        )
        return
    if not sources:
        click.echo("no sync sources configured")
    for s in sources:
        last = f"last run {s.last_run_at} {s.last_status}" if s.last_run_at else "never run"
        until = f", harvested until {s.harvested_until}" if s.harvested_until else ""
        say(f"{s.name}  {s.kind}  {s.target}  {last}{until}")
        if brought := _brought(last_logs.get(s.name)):
            say(
                f"    brought {brought['new_records']} new records"
                f" ({brought['merged']} merged into existing works), {brought['failed']} failed"
            )
        if s.last_error:
            say(f"    last error: {s.last_error}")


def _brought(log: dict[str, Any] | None) -> dict[str, Any] | None:
    if log is None:
        return None
    return {k: log[k] for k in ("finished_at", "status", "new_records", "merged", "failed")}


@sync.command(name="log")
@click.argument("names", nargs=-1)
@click.option(
    "--since",
    default="7d",
    show_default=True,
    metavar="AGE|DATE",
    help="Runs that ended in the last 30m / 12h / 7d / 2w, or since a date (YYYY-MM-DD).",
)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.pass_obj
@reports_errors
def log_command(state: Any, names: tuple[str, ...], since: str, as_json: bool) -> None:
    """What each source brought, run by run: new records, merged ones, failures, with the
    citation keys of the works (read "the new records of the week")."""
    from harvester.ops.sync import get_source, since_time

    start = since_time(since)
    with state.library() as library:
        for name in names:
            if get_source(library, name) is None:
                from harvester.errors import NotFound

                raise NotFound(f"no sync source named {name!r} (see `harvester sync list`)")
        sync_state = library.sync
        entries = [e for name in (names or (None,)) for e in sync_state.log_since(start, name)]
    entries.sort(key=lambda e: e["id"])
    if as_json:
        emit_json([_log_json(e) for e in entries])
        return
    if not entries:
        click.echo(f"no sync runs since {start}")
    for entry in entries:
        failures = entry["summary"].get("failures") or []
        click.echo(
            f"{entry['finished_at']}  {entry['source']}  {entry['status']}: "
            f"{entry['new_records']} new records, {entry['merged']} merged into existing works, "
            f"{len(failures)} failed"
        )
        for work in entry["works"]:
            title = f"  {work['title']}" if work.get("title") else ""
            click.echo(f"    {work['change']:<6} {work['key']}{title}")
        for failure in failures:
            click.echo(f"    failed {failure}")


def _log_json(entry: dict[str, Any]) -> dict[str, Any]:
    summary = entry["summary"]
    return {
        "source": entry["source"],
        "kind": entry["kind"],
        "run": entry["run_id"],
        "started_at": entry["started_at"],
        "finished_at": entry["finished_at"],
        "status": entry["status"],
        "new_records": entry["new_records"],
        "merged": entry["merged"],
        "failures": summary.get("failures") or [],
        "new": [w["key"] for w in entry["works"] if w["change"] == "new"],
        "merged_into": [w["key"] for w in entry["works"] if w["change"] == "merged"],
        "works": entry["works"],
    }


@sync.command(name="remove")
@click.argument("name")
@click.pass_obj
@reports_errors
def remove(state: Any, name: str) -> None:
    """Forget source NAME and its harvest state (its records stay in the library)."""
    from harvester.errors import NotFound
    from harvester.ops.sync import remove_source

    with state.library() as library:
        if not remove_source(library, name):
            raise NotFound(f"no sync source named {name!r}")
    click.echo(f"removed {name}")


__all__ = ["sync"]
