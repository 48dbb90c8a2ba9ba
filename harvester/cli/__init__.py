"""The command line: parse arguments, call the library, render the result. Nothing else.

Exit codes: 0 success; 1 done, but some inputs or records failed (each named on stderr);
2 usage or configuration error. A user's mistake is one line on stderr, never a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from harvester import __version__
from harvester.cli.common import (
    F,
    emit_json,
    error_line,
    json_array,
    json_option,
    report_interrupt,
    reports_errors,
    say,
)
from harvester.cli.record_warnings import route_record_warnings
from harvester.cli.sync_commands import sync
from harvester.config import Config
from harvester.errors import NotFound
from harvester.ops.exporting import EXPORT_FORMATS, FORMATTED, ExportOptions
from harvester.ops.interrupt import Terminated, signals_interrupt
from records.errors import UsageError

# `harvester --help` and every command start here: the parsers, the store (sqlite-utils) and
# rich are imported by the commands that use them, not by this module.
if TYPE_CHECKING:
    from harvester.store import Library
    from records.model import CSLItem


def _holds_nothing(path: Path) -> bool:
    from harvester.store import Library

    with Library(path, create=False) as library:
        return library.holds_nothing()


class State:
    """What the group options decided, handed to every command."""

    def __init__(self, db: str | None, quiet: bool) -> None:
        self.db_option = db
        self.quiet = quiet
        self._config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = Config.load(self.db_option)
        return self._config

    @contextmanager
    def library(
        self,
        *,
        create: bool = False,
        wait_limit: float | None = None,
        failed: Callable[[], bool] | None = None,
    ) -> Iterator[Library]:
        """The library, open for the command; only commands that add records may ``create``
        it (and say so when they succeed): a mistyped --db given to any other command is an
        error, not a new empty library. A library this command created is removed again when
        the command fails before anything was stored in it (a bad `sync add` line, say), or
        when it ends with ``failed()`` true and nothing stored (an `add` of files that all
        failed leaves no empty library behind)."""
        from harvester.store import Library

        library = Library(
            self.config.db, create=create, on_wait=_say_waiting, wait_limit=wait_limit
        )
        try:
            with library:
                yield library
        except BaseException:
            if library.created and _holds_nothing(library.path):
                library.remove_files()
            raise
        if library.created and failed is not None and failed() and _holds_nothing(library.path):
            library.remove_files()
            say(f"no library created at {library.path}: nothing could be stored", err=True)
        elif library.created:
            say(f"created a new library at {library.path}", err=True)

    def formula(self, library: Library) -> str:
        from harvester.ops.rekey import library_formula

        return library_formula(library, self.config.citekey_formula)


def _say_waiting(message: str) -> None:
    click.echo(f"harvester: {message}", err=True)


def refresh_exports(state: State, library: Library) -> None:
    """Rewrite the auto-exports whose content the command just changed."""
    from harvester.ops.autoexport import refresh

    for path in refresh(library, warn=lambda line: say(f"harvester: {line}", err=True)):
        if not state.quiet:
            say(f"auto-export updated: {path}", err=True)


def report_failures(failures: list[str]) -> None:
    for failure in failures:
        say(f"harvester: failed: {failure}", err=True)


def report_warnings(warnings: list[str]) -> None:
    for warning in warnings:
        click.echo(f"harvester: warning: {warning}", err=True)


strict_option = click.option(
    "--strict",
    is_flag=True,
    help="A record with a doubtful value (dropped as implausible) fails instead of being "
    "read without it.",
)


format_option = click.option(
    "--format",
    "-f",
    "input_format",
    default=None,
    metavar="FORMAT",
    help="Force the format of files, stdin and web pages instead of detecting it "
    "(DOIs, PMIDs and reference strings are read as what they are).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    envvar="HARVESTER_DB",
    metavar="PATH",
    help="The library file (default: library.db in the user data directory).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress display.")
@click.version_option(__version__, prog_name="harvester")
@click.pass_context
def cli(ctx: click.Context, db: str | None, quiet: bool) -> None:
    """Harvest bibliographic records into one clean, deduplicated SQLite library."""
    route_record_warnings()
    ctx.obj = State(db, quiet)


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@format_option
@click.option(
    "--no-enrich", is_flag=True, help="Do not ask Crossref now (`harvester enrich` later)."
)
@strict_option
@json_option
@click.pass_obj
@reports_errors
def add(
    state: State,
    sources: tuple[str, ...],
    input_format: str | None,
    no_enrich: bool,
    strict: bool,
    as_json: bool,
) -> None:
    """Import files, folders, - (stdin), web addresses, DOIs, PMIDs or reference strings:
    parse, normalize, deduplicate, store, and enrich the new and changed works through Crossref.

    \b
    Each SOURCE is one of:
      FILE, FOLDER     any format harvester reads, detected from the content
      -                standard input
      http(s)://...    a web page (record or article page) or an export on the web
      10.1007/...      a DOI (also doi:..., https://doi.org/...)
      PMID:38767734    a PubMed id (also "pmid 38767734", a PubMed page address,
                       or a bare number when no file of that name exists)
      PMC1234567       a PubMed Central id: its PubMed record
      "Author. Ti..."  a reference string, quoted

    An existing file or folder always wins over the other readings of its name; --format
    applies to files, folders, - and web addresses, never to DOIs, PMIDs or references.
    PubMed is asked through NCBI's E-utilities (HARVESTER_PUBMED_URL, HARVESTER_NCBI_API_KEY).
    """
    from harvester.cli.progress import spinner
    from harvester.ops.importing import import_sources

    enrichment = None
    report = None
    with state.library(create=True, failed=lambda: bool(report and report.failures)) as library:
        with spinner("Importing", quiet=state.quiet) as show:
            report = import_sources(
                library,
                list(sources),
                format=input_format,
                formula=state.formula(library),
                progress=show,
                strict=strict,
            )
        if report.touched_work_ids and not no_enrich:
            enrichment = run_enrichment(state, library, sorted(report.touched_work_ids))
        counts = library.counts()
        if report.touched_work_ids:
            refresh_exports(state, library)
    report_warnings(report.warnings)
    report_failures(report.failures)
    if report.rules_changed and not as_json:
        click.echo(
            "harvester: this library was clustered under earlier deduplication rules; "
            "`harvester dedupe` applies the current ones to the records stored before",
            err=True,
        )
    if as_json:
        emit_json(
            report.as_dict()
            | {"library": counts}
            | ({"enrichment": enrichment_json(enrichment)} if enrichment else {})
        )
    else:
        say(
            f"{report.parsed} parsed, {report.new_records} new, "
            f"{report.already_stored} already in the library, {report.merged} merged into "
            f"existing works, {report.new_works} new works, "
            + (
                f"{report.works_joined} works joined into others (a new record proved them one), "
                if report.works_joined
                else ""
            )
            + f"{len(report.failures)} failed ("
            + (
                f"{counts['works']} works in {state.config.db})"
                if Path(state.config.db).exists()
                else "no library created)"
            )
        )
        if report.low_confidence:
            click.echo(
                f"{report.low_confidence} reference(s) read with low confidence: check them "
                "(`harvester parse --explain`); without a DOI, enrichment accepts a match only "
                "after validating it"
            )
        if enrichment is not None and enrichment.outcomes and not enrichment.stopped:
            click.echo(f"Crossref: {enrichment.summary()}")
    if report.failures:
        sys.exit(1)


def crossref_client(state: State) -> Any:
    from harvester.crossref.client import CrossrefClient

    # The rate windows are shared with every other harvester process (a cron sync, say); the
    # configured timeout bounds each request and the deadline the whole run.
    return CrossrefClient(
        base_url=state.config.crossref_url,
        mailto=state.config.mailto,
        shared_dir=state.config.state_dir,
        timeout=state.config.http_timeout,
        deadline=state.config.enrich_deadline,
    )


def run_enrichment(
    state: State, library: Library, work_ids: list[int] | None, *, everything: bool = False
) -> Any:
    """Enrich through Crossref with a progress bar; an unreachable Crossref is one line."""
    from harvester.cli.progress import bar
    from harvester.ops.enrich import enrich_works, works_to_enrich

    items = works_to_enrich(library, work_ids, everything=everything)
    if not items:
        return None
    with crossref_client(state) as client, bar("Enriching", len(items), quiet=state.quiet) as step:
        report = enrich_works(
            library,
            client,
            work_ids,
            everything=everything,
            formula=state.formula(library),
            progress=lambda done, _total: step(),
            items=items,
        )
    if report.stopped:
        click.echo(report.stopped, err=True)
    return report


def enrichment_json(report: Any) -> dict[str, Any]:
    return {
        "counts": dict(report.counts()),
        "stopped": report.stopped,
        "pending": [
            {"work": o.work_id, "reason": o.reason}
            for o in report.outcomes
            if o.status == "pending"
        ],
        "requests": report.requests,
        "seconds": round(report.seconds, 2),
    }


@cli.command()
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Ask again for every selected work, cached answers included.",
)
@click.option("--key", "keys", multiple=True, metavar="KEY", help="Only these works.")
@click.option("--review", is_flag=True, help="List borderline matches waiting for a person.")
@click.option("--accept", "accept", type=int, metavar="ID", help="Accept review ID.")
@click.option("--reject", "reject", type=int, metavar="ID", help="Reject review ID.")
@json_option
@click.pass_obj
@reports_errors
def enrich(
    state: State,
    everything: bool,
    keys: tuple[str, ...],
    review: bool,
    accept: int | None,
    reject: int | None,
    as_json: bool,
) -> None:
    """Enrich stored works through Crossref (by DOI, or by a validated search without one)."""
    from harvester.ops.enrich import decide_review, open_reviews
    from harvester.ops.selection import Selection

    with state.library() as library:
        if accept is not None or reject is not None:
            key = decide_review(
                library,
                accept if accept is not None else reject,  # type: ignore[arg-type]
                accept is not None,
                state.formula(library),
            )
            refresh_exports(state, library)
            click.echo(f"{key}: {'accepted' if accept is not None else 'rejected'}")
            return
        if review:
            reviews = open_reviews(library)
            if as_json:
                emit_json(reviews)
                return
            from harvester.cli.render import render_reviews

            render_reviews(reviews)
            return
        work_ids = [w.id for w in Selection(keys).works(library)] if keys else None
        report = run_enrichment(state, library, work_ids, everything=everything)
        if report is not None and report.outcomes:
            refresh_exports(state, library)
    if as_json:
        emit_json(enrichment_json(report) if report else {"counts": {}})
    elif report is None:
        click.echo("nothing to enrich (use --all to ask Crossref again)")
    elif not report.stopped:
        click.echo(f"Crossref: {report.summary()}")


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@format_option
@click.option(
    "--explain", is_flag=True, help="For reference strings: print each token with its label."
)
@strict_option
@click.pass_obj
@reports_errors
def parse(
    state: State, sources: tuple[str, ...], input_format: str | None, explain: bool, strict: bool
) -> None:
    """Parse and normalize only; print a CSL-JSON array and store nothing. SOURCE is what
    `harvester add` takes: files, folders, -, web addresses, DOIs, PMIDs, PMCIDs, references.
    Values dropped as implausible are warnings on stderr and in each record's
    custom.harvester.warnings."""
    from harvester.ops.importing import iter_parsed

    failures: list[str] = []
    warnings: list[str] = []
    records = iter_parsed(list(sources), input_format, failures=failures, strict=strict)
    if explain:
        from harvester.cli.render import render_labelled

        render_labelled(list(records))
    else:

        def with_warnings(record: Any) -> dict[str, Any]:
            from harvester.ops.importing import warnings_of

            warnings.extend(warnings_of(record))
            return record.to_csl_json()  # type: ignore[no-any-return]

        out = sys.stdout
        for piece in json_array(with_warnings(r) for r in records):  # printed as it is parsed
            out.write(piece)
        out.write("\n")
    report_warnings(warnings)
    report_failures(failures)
    if failures:
        sys.exit(1)


def selection_options(func: F) -> F:
    """--key/--search/--tag/--source: which works a command acts on (all by default)."""
    for option in reversed(
        [
            click.option(
                "--key", "keys", multiple=True, metavar="KEY", help="Only these works (repeatable)."
            ),
            click.option(
                "--search", "query", metavar="QUERY", help="Only works matching a search."
            ),
            click.option("--tag", metavar="TAG", help="Only works with this tag."),
            click.option(
                "--source",
                metavar="NAME",
                help="Only works from this sync source, file, folder or URL.",
            ),
        ]
    ):
        func = option(func)
    return func


style_options = [
    click.option(
        "--style",
        "-s",
        default="apa",
        show_default=True,
        metavar="STYLE",
        help="CSL style for formatted output: apa, vancouver, ama, chicago, harvard, "
        "ieee, nature, or a .csl file.",
    ),
    click.option("--locale", metavar="LOCALE", help="CSL locale, e.g. en-US, de-DE."),
]


def with_style(func: F) -> F:
    for option in reversed(style_options):
        func = option(func)
    return func


@cli.command()
@click.option(
    "--format",
    "-f",
    "export_format",
    type=click.Choice(EXPORT_FORMATS),
    default="bibtex",
    show_default=True,
    help="text/html/markdown: a formatted bibliography in --style.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (atomically) instead of standard output.",
)
@selection_options
@with_style
@click.option("--abstract", is_flag=True, help="Include abstracts in BibTeX/BibLaTeX.")
@click.option("--auto", is_flag=True, help="Keep OUTPUT in sync: rewrite it after every change.")
@click.option(
    "--force", is_flag=True, help="Write OUTPUT even when that empties a file that holds data."
)
@click.pass_obj
@reports_errors
def export(
    state: State,
    export_format: str,
    output: Path | None,
    keys: tuple[str, ...],
    query: str | None,
    tag: str | None,
    source: str | None,
    style: str,
    locale: str | None,
    abstract: bool,
    auto: bool,
    force: bool,
) -> None:
    """Export the library (or a selection): BibTeX, BibLaTeX, CSL-JSON, RIS or formatted.

    A selection that matches no work is an error (exit 1, nothing written; with --auto the
    export is kept for when works match); an export of no works never replaces a file that
    holds data, unless --force.
    """
    from harvester.ops.atomic import write_if_changed
    from harvester.ops.autoexport import register, write_configured
    from harvester.ops.exporting import Counted, iter_export
    from harvester.ops.selection import Selection

    if auto and output is None:
        raise UsageError("--auto needs --output FILE")
    selection = Selection(keys, query, tag, source)
    options = ExportOptions(style=style, locale=locale, abstract=abstract)

    with state.library() as library:
        # Streamed from the store to the output: memory holds a chunk of works at a time.
        selected = selection.peek(library)
        # An auto-export may be set up before anything matches (a saved search): it is kept
        # and filled later; a one-off export of nothing is a mistake worth an error.
        if selected is None and selection.narrows and not auto:
            raise NotFound(f"no works match {selection.describe()}; nothing written")
        if selected is None and output is not None and not force:
            refuse_emptying(output)
        if selected is None and auto and not state.quiet:
            say(
                f"no works match {selection.describe()} yet; {output} follows the library", err=True
            )
        if auto and output is not None and selected is not None:
            # Written through the auto-export's entry cache, so that the next change to the
            # library renders only the works it touches.
            register(library, output, export_format, selection, options)
            changed, written = write_configured(library, output)
        else:
            entries: Counted[tuple[str, CSLItem]] = Counted(
                # the whole library: keys and CSL alone, not whole works (twice as fast)
                library.exports.keyed_csl()
                if selected is not None and not selection.narrows
                else ((w.key, w.csl) for w in selected or iter(()))
            )
            pieces = iter_export(entries, export_format, options)
            if output is None:
                for piece in pieces:
                    click.echo(piece, nl=False)
                return
            changed = write_if_changed(output, pieces)
            written = entries.count
            if auto:
                register(library, output, export_format, selection, options)
    if not state.quiet:
        say(
            f"{written} works written to {output}"
            if changed
            else f"{output} is up to date ({written} works)",
            err=True,
        )


def refuse_emptying(output: Path) -> None:
    """An export of no works must not replace a file that holds something (a mistyped --db or
    an emptied library would otherwise wipe the user's .bib)."""
    from harvester.errors import WouldEmpty
    from harvester.ops.autoexport import holds_data

    if holds_data(output):
        raise WouldEmpty(
            f"{output}: not replaced: the library has no works to export and the file holds "
            "data (use --force to empty it)"
        )


@cli.command()
@click.argument("keys", nargs=-1)
@with_style
@click.option(
    "--format",
    "-f",
    "output_format",
    type=click.Choice(FORMATTED),
    default="text",
    show_default=True,
)
@click.option("--search", "query", metavar="QUERY", help="Cite the works matching a search.")
@click.option("--tag", metavar="TAG", help="Cite the works with this tag.")
@click.pass_obj
@reports_errors
def cite(
    state: State,
    keys: tuple[str, ...],
    style: str,
    locale: str | None,
    output_format: str,
    query: str | None,
    tag: str | None,
) -> None:
    """A formatted reference list: `harvester cite radosa2024radiologisch --style vancouver`."""
    from harvester.ops.exporting import export_text
    from harvester.ops.selection import Selection

    if not keys and query is None and tag is None:
        raise UsageError("name the works to cite: KEY..., --search QUERY or --tag TAG")
    selection = Selection(keys, query, tag)
    with state.library() as library:
        works = selection.works(library)
    if not works:
        raise NotFound(f"no works match {selection.describe()}")
    click.echo(
        export_text(works, output_format, ExportOptions(style=style, locale=locale)), nl=False
    )


@cli.command(name="edit")
@click.argument("key")
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="FIELD=VALUE",
    required=True,
    help="A CSL field and its value (repeatable); names as 'Family, Given; …'.",
)
@json_option
@click.pass_obj
@reports_errors
def edit_command(state: State, key: str, assignments: tuple[str, ...], as_json: bool) -> None:
    """Correct a work by hand; the correction wins over every source and over Crossref."""
    from harvester.ops.edits import edit_work

    with state.library() as library:
        work = edit_work(library, key, list(assignments))
        refresh_exports(state, library)
    if as_json:
        emit_json({"key": work.key, "csl": work.csl})
    else:
        click.echo(f"{work.key} updated")


@cli.command(name="tag")
@click.argument("keys", nargs=-1, required=True)
@click.option("--add", "add_tags", multiple=True, metavar="TAG", help="Tag to add (repeatable).")
@click.option("--remove", "remove_tags", multiple=True, metavar="TAG", help="Tag to remove.")
@json_option
@click.pass_obj
@reports_errors
def tag_command(
    state: State,
    keys: tuple[str, ...],
    add_tags: tuple[str, ...],
    remove_tags: tuple[str, ...],
    as_json: bool,
) -> None:
    """Add or remove tags on works (select them in exports with --tag); shows the tags."""
    from harvester.ops.selection import Selection

    with state.library() as library:
        works = Selection(keys).works(library)
        with library.write():
            for work in works:
                library.tag(work.id, add_tags)
                library.tag(work.id, remove_tags, remove=True)
        shown = {w.key: library.tags_of(w.id) for w in works}
        if add_tags or remove_tags:
            refresh_exports(state, library)
    if as_json:
        emit_json(shown)
        return
    for key, tags in shown.items():
        click.echo(f"{key}: {', '.join(tags) if tags else '(no tags)'}")


@cli.command()
@click.argument("key")
@json_option
@click.pass_obj
@reports_errors
def show(state: State, key: str, as_json: bool) -> None:
    """Show a work and where each of its fields came from."""
    with state.library() as library:
        work = library.work_by_key(key)
        if work is None:
            raise NotFound(f"no work with key {key!r} (try `harvester search`)")
        members = library.records_of_work(work.id)
    if as_json:
        emit_json(
            {
                "key": work.key,
                "csl": work.csl,
                "provenance": work.provenance,
                "enrichment": {"status": work.enrichment, "reason": work.enrichment_reason},
                "records": [
                    {
                        "id": m.id,
                        "kind": m.kind,
                        "format": m.format,
                        "origin": m.origin,
                        "source_id": m.source_id,
                        "position": m.position,
                        "line": m.line,
                        "joined": m.joined,
                    }
                    for m in members
                ],
            }
        )
        return
    from harvester.cli.render import render_work

    render_work(work, members)


@cli.command()
@click.argument("query")
@click.option("--limit", default=20, show_default=True)
@json_option
@click.pass_obj
@reports_errors
def search(state: State, query: str, limit: int, as_json: bool) -> None:
    """Full-text search over titles, authors, journals and abstracts.

    \b
    QUERY is words, all of which must match, and:
      "a phrase"     the words together, in this order
      radiolog*      words starting with radiolog
      liver OR lung  either word (OR joins the terms beside it)
      -pediatric     leave out works with this word (needs another term;
                     a QUERY that starts with - goes after --: search -- -a b)
    Any other character is plain text. Case and accents do not matter.
    """
    with state.library() as library:
        works = library.search(query, limit=limit)
    if as_json:
        emit_json([{"key": w.key, "csl": w.csl} for w in works])
        return
    from harvester.cli.render import render_work_list

    render_work_list(works)


@cli.command()
@json_option
@click.pass_obj
@reports_errors
def duplicates(state: State, as_json: bool) -> None:
    """Works merged from several records, and undecided pairs with the evidence."""
    from harvester.ops.dedup import duplicates as find_duplicates

    with state.library() as library:
        report = find_duplicates(library)
    if as_json:
        emit_json({"clusters": report.clusters, "pairs": report.pairs})
        return
    from harvester.cli.render import render_duplicates

    render_duplicates(report)


@cli.command()
@json_option
@click.option("--svg", "svg_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the PRISMA 2020 identification flow diagram to this SVG file.")
@click.pass_obj
@reports_errors
def report(state: State, as_json: bool, svg_path: Path | None) -> None:
    """PRISMA 2020 counts: records identified per source, duplicates removed, records left,
    pairs waiting for review."""
    from harvester.ops.atomic import write_if_changed
    from harvester.ops.prisma import prisma_report, render_svg, render_text

    with state.library() as library:
        counts = prisma_report(library)
    if svg_path is not None:
        write_if_changed(svg_path, render_svg(counts))
    if as_json:
        emit_json(counts.to_json())
    else:
        click.echo(render_text(counts))


@cli.command()
@json_option
@click.pass_obj
@reports_errors
def dedupe(state: State, as_json: bool) -> None:
    """Re-cluster the whole library under the current rules, keeping every manual decision."""
    from harvester.cli.progress import spinner
    from harvester.ops.dedup import recluster

    with state.library() as library, spinner("Deduplicating", quiet=state.quiet):
        summary = recluster(library, state.formula(library))
        refresh_exports(state, library)
    if as_json:
        emit_json(summary)
    else:
        click.echo(
            f"{summary['records']} records in {summary['works']} works: "
            f"{summary['moved']} records moved, {summary['new_works']} new works, "
            f"{summary['review_pairs']} pairs to review (`harvester duplicates`)"
        )


@cli.command(name="merge")
@click.argument("keys", nargs=-1, required=True)
@click.pass_obj
@reports_errors
def merge_command(state: State, keys: tuple[str, ...]) -> None:
    """Merge works into the first one (its key stays); remembered across re-runs."""
    from harvester.ops.dedup import merge_works

    with state.library() as library:
        work = merge_works(library, list(keys))
        refresh_exports(state, library)
    click.echo(f"merged into {work.key}")


@cli.command(name="not-duplicate")
@click.argument("key_a")
@click.argument("key_b")
@click.pass_obj
@reports_errors
def not_duplicate_command(state: State, key_a: str, key_b: str) -> None:
    """Record that two works are different: never proposed or merged again."""
    from harvester.ops.dedup import not_duplicate

    with state.library() as library:
        not_duplicate(library, key_a, key_b)
    click.echo(f"{key_a} and {key_b} are kept apart")


@cli.command(name="split")
@click.argument("key")
@click.option(
    "--record",
    "record_ids",
    type=int,
    multiple=True,
    help="Source record id to take out (see `harvester show`); default: all but the first.",
)
@click.pass_obj
@reports_errors
def split_command(state: State, key: str, record_ids: tuple[int, ...]) -> None:
    """Undo a merge: members leave the work as works of their own; remembered."""
    from harvester.ops.dedup import split

    with state.library() as library:
        works = split(library, key, list(record_ids) or None, state.formula(library))
        refresh_exports(state, library)
    click.echo("split off: " + ", ".join(w.key for w in works))


@cli.command(name="rekey")
@click.argument("keys", nargs=-1)
@click.option("--formula", help="Key formula (default: the library's; see the README).")
@click.option("--save", is_flag=True, help="Also make FORMULA the library's formula for new keys.")
@click.option("--dry-run", is_flag=True, help="Only report what would change.")
@json_option
@click.pass_obj
@reports_errors
def rekey_command(
    state: State,
    keys: tuple[str, ...],
    formula: str | None,
    save: bool,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Give works new citation keys on purpose (all, or the KEYS given), reporting each change."""
    from harvester.ops.rekey import FORMULA_SETTING, rekey
    from records.citekeys import compile_formula

    with state.library() as library:
        formula = formula or state.formula(library)
        compile_formula(formula)
        if keys:
            missing = [k for k in keys if library.work_by_key(k) is None]
            if missing:
                raise NotFound(f"no work with key {', '.join(missing)}")
        changes = rekey(library, formula=formula, keys=list(keys) or None, dry_run=dry_run)
        if save and not dry_run:
            library.set_setting(FORMULA_SETTING, formula)
        if changes and not dry_run:
            refresh_exports(state, library)
    if as_json:
        emit_json([{"old": c.old, "new": c.new} for c in changes])
        return
    for change in changes:
        click.echo(f"{change.old} -> {change.new}")
    verb = "would change" if dry_run else "changed"
    click.echo(f"{len(changes)} keys {verb}", err=True)


@cli.group(name="auto-export")
def auto_export() -> None:
    """Exports kept in sync with the library (create one with `export --output F --auto`)."""


@auto_export.command(name="list")
@json_option
@click.pass_obj
@reports_errors
def auto_export_list(state: State, as_json: bool) -> None:
    """The configured auto-exports."""
    from harvester.ops.autoexport import configured

    with state.library() as library:
        exports = configured(library)
    if as_json:
        emit_json(exports)
        return
    for export in exports:
        selection = export["selection"] or {"all": True}
        click.echo(
            f"{export['path']}  {export['format']}  {json.dumps(selection)}"
            f"  written {export['written_at'] or 'never'}"
        )
    if not exports:
        click.echo("no auto-exports")


@auto_export.command(name="remove")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
@reports_errors
def auto_export_remove(state: State, path: Path) -> None:
    """Stop keeping PATH in sync (the file itself stays)."""
    from harvester.ops.autoexport import unregister

    with state.library() as library:
        if not unregister(library, path):
            raise NotFound(f"{path} is not an auto-export")
    click.echo(f"{path} is no longer kept in sync")


cli.add_command(sync)


def main() -> None:
    """The console-script entry point."""
    try:
        with signals_interrupt():  # SIGTERM leaves like Ctrl-C: rolled back, one line, 143
            cli(prog_name="harvester")
    except UsageError as exc:  # raised outside a command (configuration)
        click.echo(error_line(exc), err=True)
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, Terminated) as exc:  # outside a command (at start-up)
        report_interrupt(exc)
