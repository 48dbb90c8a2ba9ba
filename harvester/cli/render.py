"""Human-readable rendering of works for the terminal (rich)."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from harvester.cli.common import printable
from harvester.ops.dedup import DuplicateReport
from harvester.store import StoredRecord, WorkRow
from records.normalize.dates import year_of

console = Console(highlight=False, soft_wrap=False)


def short(value: Any, width: int = 90) -> str:
    if value is None or value == []:  # nothing to show, not "null" or "[]"
        return ""
    if (
        isinstance(value, list)
        and value
        and isinstance(value[0], dict)
        and ("family" in value[0] or "literal" in value[0])
    ):
        text = "; ".join(
            n.get("literal") or ", ".join(p for p in (n.get("family"), n.get("given")) if p)
            for n in value
        )
    elif isinstance(value, dict) and "date-parts" in value:
        text = " / ".join("-".join(str(p) for p in parts) for parts in value["date-parts"])
    else:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return safe(text if len(text) <= width else text[: width - 1] + "…")


def safe(text: object) -> str:
    """Text from records and file names as rich shows it literally: markup escaped (a title
    with "[/i]" is no closing tag, and one would stop the command) and controls written as
    escapes (a file name cannot start a line of its own)."""
    return escape(printable(str(text)))


def render_work(work: WorkRow, members: list[StoredRecord]) -> None:
    labels = {m.id: f"#{m.id}" for m in members}
    console.print(f"[bold]{safe(work.key)}[/bold]  {safe(work.csl.get('type', ''))}")
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("field")
    table.add_column("value", overflow="fold")
    table.add_column("from")
    for field, value in work.csl.items():
        prov = work.provenance.get(field, {})
        origin = ", ".join(labels.get(i, f"#{i}") for i in prov.get("from", []))
        table.add_row(field, short(value), origin)
        for alt in prov.get("alternatives", []):
            table.add_row(
                "",
                f"[yellow]other value:[/yellow] {short(alt['value'])}",
                labels.get(alt["from"], f"#{alt['from']}"),
            )
    console.print(table)
    console.print("[bold]source records[/bold]")
    for member in members:
        console.print(
            f"  #{member.id} {member.kind:<10} {safe(member.label())}  imported {member.imported_at}"
        )
        if member.joined:
            console.print(f"      [dim]joined:[/dim] {_why(member.joined)}")
    status = work.enrichment + (f" ({work.enrichment_reason})" if work.enrichment_reason else "")
    console.print(f"[bold]enrichment[/bold] {safe(status)}")


def render_work_list(works: list[WorkRow]) -> None:
    if not works:
        console.print("no matching works")
        return
    table = Table(show_header=True, header_style="bold", box=None)
    for column in ("key", "year", "authors", "title"):
        table.add_column(column, overflow="ellipsis", no_wrap=column != "title")
    for work in works:
        year = year_of(work.csl.get("issued"))
        table.add_row(
            safe(work.key),
            "" if year is None else str(year),
            _creators(work.csl),
            short(work.csl.get("title", ""), 80),
        )
    console.print(table)


def _creators(csl: dict[str, Any]) -> str:
    """The authors; for an edited book without them its editors, marked (as Zotero's creator
    column shows them); nothing when a work names no one."""
    if csl.get("author"):
        return short(csl["author"], 30)
    if csl.get("editor"):
        return short(csl["editor"], 24) + " (ed.)"
    return ""


def render_duplicates(report: DuplicateReport) -> None:
    if not report.clusters and not report.pairs:
        console.print("no duplicates")
        return
    for cluster in report.clusters:
        console.print(f"[bold]{cluster['key']}[/bold] {short(cluster['title'] or '', 70)}")
        for member in cluster["members"]:
            console.print(
                f"  #{member['record']} {safe(member['source'])} id={safe(member['id'])}"
                f" ({member['format']})"
            )
    if report.pairs:
        console.print(
            "[bold]undecided pairs[/bold] (merge with `harvester merge A B`, "
            "or `harvester not-duplicate A B`)"
        )
    for pair in report.pairs:
        console.print(f"  {pair['a']['key']} ~ {pair['b']['key']}  score {pair['score']:.2f}")
        for reason in pair["evidence"]["for"]:
            console.print(f"    [green]+[/green] {safe(reason)}")
        for reason in pair["evidence"]["against"]:
            console.print(f"    [red]-[/red] {safe(reason)}")


def render_reviews(reviews: list[dict[str, Any]]) -> None:
    """Borderline Crossref matches with their evidence, for a person to decide."""
    if not reviews:
        console.print("no matches waiting for review")
        return
    for review in reviews:
        decision = review["decision"]
        console.print(
            f"[bold]review {review['review']}[/bold]  {review['key']} -> "
            f"{review['doi']}  ({decision.get('reason', '')})"
        )
        for line in decision.get("evidence_lines", []):
            console.print(f"    {safe(line)}")
        console.print(
            f"  accept: harvester enrich --accept {review['review']}   "
            f"reject: harvester enrich --reject {review['review']}"
        )


def _why(joined: dict[str, Any]) -> str:
    """Why a record is in its work: the dedup evidence, or who decided."""
    if "by" in joined:
        return safe(joined["by"])
    reasons = safe("; ".join(joined.get("for", [])) or "rules")
    against = safe("; ".join(joined.get("against", [])))
    return f"duplicate of #{joined['with']} (score {joined['score']:.2f}): {reasons}" + (
        f" [dim](despite: {against})[/dim]" if against else ""
    )


def render_labelled(records: list[Any]) -> None:
    """``parse --explain``: each reference string, then its tokens with label and marginal."""
    import click

    from records.parsers.reference_string import LOW_CONFIDENCE, read_reference

    shown = 0
    for record in records:
        reference = record.original.get("reference")
        if not reference:
            continue
        _, labelled, _ = read_reference(reference)
        shown += 1
        flag = "  LOW CONFIDENCE" if labelled.confidence < LOW_CONFIDENCE else ""
        click.echo(
            f"{record.source.origin}:{record.source.line}: confidence {labelled.confidence:.2f}{flag}"
        )
        click.echo(f"  {reference}")
        for token, label, marginal in zip(
            labelled.tokens, labelled.labels, labelled.marginals, strict=True
        ):
            click.echo(f"    {label:<16} {marginal:4.2f}  {token}")
    if not shown:
        click.echo("no reference strings among the inputs (--explain shows how they were read)")
