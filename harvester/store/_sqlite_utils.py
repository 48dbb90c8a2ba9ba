"""sqlite-utils without its optional pandas and numpy: ``sqlite_utils.db`` imports both at import
time, when installed, only to map their value types to column types. harvester never stores a
numpy or pandas value, and the two imports cost more than the rest of a command's start-up
(0.3-0.5 s a process here, paid by every command and every parse worker).

They are hidden from sqlite-utils while it is first imported, and only then: the entries are
removed again afterwards, so a program that uses harvester as a library imports pandas as usual.
"""

from __future__ import annotations

import sys

_OPTIONAL = ("pandas", "numpy")
_hidden = [name for name in _OPTIONAL if name not in sys.modules]
if "sqlite_utils.db" not in sys.modules:
    for name in _hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # "import name" raises ImportError
    try:
        import sqlite_utils.db  # noqa: F401
    finally:
        for name in _hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]

from sqlite_utils import Database  # noqa: E402
from sqlite_utils.migrations import Migrations  # noqa: E402

__all__ = ["Database", "Migrations"]
