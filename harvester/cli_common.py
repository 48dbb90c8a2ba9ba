"""What every command module of the CLI shares: errors as one line, JSON output."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from functools import wraps
from typing import Any, TypeVar

import click

from harvester.interrupt import Terminated, exit_code, kept
from records.errors import HarvesterError

F = TypeVar("F", bound=Callable[..., Any])

json_option = click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")


def reports_errors(func: F) -> F:
    """Turn a HarvesterError into one line on stderr and its exit code (never a traceback);
    Ctrl-C and SIGTERM into one line on what was kept and 130 / 143 (not click's "Aborted!")."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except HarvesterError as exc:
            click.echo(f"harvester: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except (KeyboardInterrupt, Terminated) as exc:
            report_interrupt(exc)

    return wrapper  # type: ignore[return-value]


def report_interrupt(exc: BaseException) -> None:
    """The one line of an interrupted command, and its exit code (128 + the signal)."""
    with suppress(OSError):  # stderr itself may be gone (a closed terminal)
        click.echo(f"harvester: interrupted; {kept(exc)}", err=True)
    sys.exit(exit_code(exc))


def json_array(items: Iterable[Any]) -> Iterator[str]:
    """``json.dumps(list(items), indent=2, ensure_ascii=False)`` in pieces, one item at a
    time: a 200 MB export is printed as it is parsed, never held as one list and one string."""
    first = True
    for item in items:
        body = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        yield ("[\n  " if first else ",\n  ") + body
        first = False
    yield "[]" if first else "\n]"


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))
