"""One exception tree for the whole project, with messages written for the person at the keyboard.

    HarvesterError                  anything harvester reports to a user (never a traceback)
    ├── InputError                  a file or stream cannot be used as input   (exit 1)
    │   ├── UnreadableInput         missing, a directory we cannot read, no permission
    │   ├── EmptyInput              nothing but whitespace
    │   ├── BinaryInput             bytes that are no text format we know
    │   ├── UnknownFormat           text, but no parser recognised it (names the ones tried)
    │   ├── UnsafeInput             hostile content refused (XML entity bombs, external entities)
    │   └── RecordError             one record inside an otherwise good file is malformed
    ├── UsageError                  a bad option, key or configuration value     (exit 2)
    └── (harvester.* adds StoreError, NetworkError ... under this same root)

`str(error)` is the one line the CLI prints: it names the file and, where known, the place.
"""

from __future__ import annotations

from typing import Any


class HarvesterError(Exception):
    """Base of every error harvester reports to a user.

    Catch this one class at the edge (the CLI does) and print ``str(exc)``.
    """

    exit_code: int = 1
    # The word after "harvester: " in the printed line ("harvester: error: ..."); empty for
    # errors whose message says it all.
    label: str = "error"


class UsageError(HarvesterError):
    """The command was asked for something that cannot be done as asked (bad option, key, config)."""

    exit_code = 2


class InputError(HarvesterError):
    """An input (file, stream, string) cannot be imported; names the input and the place."""

    def __init__(
        self, origin: str, reason: str, *, line: int | None = None, record: int | None = None
    ) -> None:
        self.origin = origin
        self.reason = reason
        self.line = line
        self.record = record
        super().__init__(self.describe())

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt without calling __init__ (subclasses take other arguments), so that an error
        # raised in a parsing worker process reaches the importing process as itself.
        return (_rebuild, (type(self), dict(self.__dict__), self.args))

    def describe(self) -> str:
        place = []
        if self.record is not None:
            place.append(f"record {self.record}")
        if self.line is not None:
            place.append(f"line {self.line}")
        where = f"{self.origin}" + (f" ({', '.join(place)})" if place else "")
        return f"{where}: {self.reason}"


class UnreadableInput(InputError):
    """The input could not be read at all."""


class EmptyInput(InputError):
    """The input holds no records (empty or whitespace only)."""


class BinaryInput(InputError):
    """The input is binary data that no parser reads."""


class UnknownFormat(InputError):
    """No parser recognised the input; the message lists the layouts that were tried."""

    def __init__(
        self,
        origin: str,
        tried: list[str],
        *,
        closest: list[str] | None = None,
        broken: str | None = None,
        line: int | None = None,
    ) -> None:
        self.tried = tried
        self.closest = closest or []
        # One short line: where a JSON/XML text broke, or the readers that came closest, never
        # the whole registry.
        if broken:
            reason = f"format not recognised: {broken}"
        elif self.closest:
            reason = "format not recognised (closest: " + ", ".join(self.closest) + ")"
        else:
            reason = f"format not recognised (none of {len(tried)} formats fits)"
        super().__init__(origin, reason + "; use --format to force one", line=line)


class UnsafeInput(InputError):
    """The input carries something that is refused rather than processed (XML entities)."""


class RecordError(InputError):
    """One record in an input is malformed; the rest of the input is still usable."""


def _rebuild(cls: type[InputError], state: dict[str, Any], args: tuple[Any, ...]) -> InputError:
    error = cls.__new__(cls)
    error.__dict__.update(state)
    error.args = args
    return error


class ModelMissing(HarvesterError):
    """A trained model that ships with the package is missing (run its training script)."""
