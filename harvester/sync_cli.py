"""``harvester sync``: the click group (register with ``cli.add_command(sync)``).

    harvester sync [NAME...] [--json] [--full]      harvest all (or the named) sources
    harvester sync add NAME TARGET [--kind K] [--set SPEC] [--metadata-prefix P]
    harvester sync list [--json]
    harvester sync remove NAME

Exit codes as everywhere: 0 done (a source another run is harvesting is skipped, not an
error), 1 some source or record failed (one line each on stderr, naming the source), 2 usage
or configuration error. No progress display unless stderr is a terminal.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click

from harvester.cli_common import emit_json, reports_errors, say
from harvester.progress import spinner

if TYPE_CHECKING:
    from harvester.sync import SourceReport

# The same as harvester.sync.KINDS / METADATA_PREFIXES (a test checks): spelled out here so
# that every `harvester` command does not pay for importing the HTTP and XML stack.
KINDS = ("folder", "file", "oai-pmh", "url")
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
    twice at once (a source being harvested by another run is skipped) and to kill.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(run)


@contextmanager
def _exit_on_sigterm() -> Iterator[None]:
    """cron and `timeout` stop jobs with SIGTERM: leave through the ``finally`` blocks, so the
    open page is rolled back, the leases are released and the run is marked failed."""

    def terminate(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, terminate)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _summary_line(source: SourceReport) -> str:
    if source.status == "skipped":
        return f"{source.name}: skipped, being harvested by {source.held_by}"
    if source.status == "failed" and not source.imported.new_records:
        return f"{source.name}: failed"
    imported = source.imported
    parts = [f"{imported.new_records} new", f"{imported.already_stored} already stored"]
    if source.kind in ("folder", "file", "url"):
        parts.append(f"{source.files_read} files read, {source.files_unchanged} unchanged")
    if source.kind == "oai-pmh":
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
@click.pass_obj
@reports_errors
def run(state: Any, names: tuple[str, ...], as_json: bool, full: bool) -> None:
    """Harvest all sources, or the NAMES given."""
    from harvester.autoexport import refresh
    from harvester.sync import SyncOptions, list_sources, run_sync

    quiet = getattr(state, "quiet", False)
    with (
        _exit_on_sigterm(),
        state.library() as library,
        spinner("Syncing", quiet=quiet) as show,
    ):
        if not list_sources(library):
            click.echo("no sync sources configured (add one with `harvester sync add`)", err=True)
            if as_json:
                emit_json({"sources": [], "new_records": 0})
            return
        options = SyncOptions(full=full, formula=state.formula(library), progress=show)
        report = run_sync(library, list(names) or None, options)
        written = (
            refresh(library, warn=lambda line: say(f"harvester: {line}", err=True))
            if report.touched_work_ids
            else []
        )
        counts = library.counts()
    for source in report.sources:
        for message in source.messages():
            say(f"harvester: failed: {message}", err=True)
    if as_json:
        emit_json(report.as_dict() | {"library": counts})
    else:
        for source in report.sources:
            say(_summary_line(source))
        for path in written:
            if not quiet:
                say(f"auto-export updated: {path}", err=True)
    sys.exit(report.exit_code)


@sync.command(name="add")
@click.argument("name")
@click.argument("target")
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    help="Default: folder or file for a path, oai-pmh for an http(s) URL.",
)
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
) -> None:
    """Configure a source NAME harvesting TARGET (a folder, a file or a URL)."""
    from harvester.sync import add_source

    with state.library(create=True) as library:
        source = add_source(
            library, name, target, kind=kind, set_spec=set_spec, metadata_prefix=metadata_prefix
        )
    extra = f" (set {source.set_spec})" if source.set_spec else ""
    prefix = f", {source.metadata_prefix}" if source.metadata_prefix else ""
    click.echo(f"added {source.name}: {source.kind}{prefix} {source.target}{extra}")


@sync.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.pass_obj
@reports_errors
def list_command(state: Any, as_json: bool) -> None:
    """The configured sources and where each harvest stands."""
    from harvester.sync import list_sources

    with state.library() as library:
        sources = list_sources(library)
    if as_json:
        emit_json([s.as_dict() for s in sources])
        return
    if not sources:
        click.echo("no sync sources configured")
    for s in sources:
        last = f"last run {s.last_run_at} {s.last_status}" if s.last_run_at else "never run"
        until = f", harvested until {s.harvested_until}" if s.harvested_until else ""
        say(f"{s.name}  {s.kind}  {s.target}  {last}{until}")
        if s.last_error:
            say(f"    last error: {s.last_error}")


@sync.command(name="remove")
@click.argument("name")
@click.pass_obj
@reports_errors
def remove(state: Any, name: str) -> None:
    """Forget source NAME and its harvest state (its records stay in the library)."""
    from harvester.errors import NotFound
    from harvester.sync import remove_source

    with state.library() as library:
        if not remove_source(library, name):
            raise NotFound(f"no sync source named {name!r}")
    click.echo(f"removed {name}")


__all__ = ["sync"]
