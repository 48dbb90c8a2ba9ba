"""The pure core of harvester: what a bibliographic record is and what can be computed from it.

Strings, bytes and dicts in, records out. Nothing in this package touches the network, a
database, the terminal or the clock's wall time beyond what a caller passes in.
"""

from records.errors import HarvesterError, InputError, RecordError, UnknownFormat
from records.model import Failure, ParseResult, Record, SourceRef

__all__ = [
    "Failure",
    "HarvesterError",
    "InputError",
    "ParseResult",
    "Record",
    "RecordError",
    "SourceRef",
    "UnknownFormat",
]
