"""What every command module of the CLI shares: errors as one line, JSON output, and text made
safe for the terminal."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from functools import wraps
from typing import Any, TypeVar

import click

from harvester.ops.interrupt import Terminated, acted_on, exit_code, kept
from records.errors import HarvesterError

F = TypeVar("F", bound=Callable[..., Any])

json_option = click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")

# C0 and C1 controls, DEL, and the Unicode line/paragraph separators: in a file name or a
# record they would start a new (forged) line on stderr or drive the terminal (ESC sequences).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    r"""``text`` as one line of plain characters: controls written as escapes (``\n``,
    ``\x1b``), so a line printed for a user is exactly one line, whatever a file was named."""
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda m: _escape(m.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def say(line: str, *, err: bool = False) -> None:
    """Print one line (escaped with :func:`printable`)."""
    click.echo(printable(line), err=err)


def error_line(exc: HarvesterError) -> str:
    label = f"{exc.label}: " if exc.label else ""
    return printable(f"harvester: {label}{exc}")


def reports_errors(func: F) -> F:
    """Turn a HarvesterError into one line on stderr and its exit code (never a traceback);
    Ctrl-C and SIGTERM into one line on what was kept and 130 / 143 (not click's "Aborted!")."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except HarvesterError as exc:
            click.echo(error_line(exc), err=True)
            sys.exit(exc.exit_code)
        except (KeyboardInterrupt, Terminated) as exc:
            report_interrupt(exc)

    return wrapper  # type: ignore[return-value]


def report_interrupt(exc: BaseException) -> None:
    """The one line of an interrupted command, and its exit code (128 + the signal)."""
    acted_on()
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
