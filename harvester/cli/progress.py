"""Progress for long work: a bar on a terminal, nothing under cron or in a pipe."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

from harvester.cli.common import printable

stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def interactive() -> bool:
    return sys.stderr.isatty()


@contextmanager
def spinner(description: str, *, quiet: bool = False) -> Iterator[Callable[[str], None]]:
    """A status line updated with the item being worked on; silent when not on a terminal."""
    if quiet or not interactive():
        yield lambda _item: None
        return
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("[dim]{task.fields[item]}"),
        console=stderr,
        transient=True,
    ) as bar:
        task = bar.add_task(description, item="")
        # A file name is shown as text: no markup ("[/i]" would stop the run), no controls.
        yield lambda item: bar.update(task, item=escape(printable(str(item))[-60:]))


@contextmanager
def bar(description: str, total: int, *, quiet: bool = False) -> Iterator[Callable[..., None]]:
    """A progress bar of ``total`` steps; silent when not on a terminal."""
    if quiet or not interactive() or total <= 1:
        yield lambda advance=1: None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=stderr,
        transient=True,
    ) as progress:
        task = progress.add_task(description, total=total)
        yield lambda advance=1: progress.advance(task, advance)
