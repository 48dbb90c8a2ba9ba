"""The operations on a library that the commands call: import (with its parsing worker),
dedup, enrichment, edits, re-keying, selections, export and auto-export, PRISMA counts, and
scheduled sync. Each is a function over a :class:`~harvester.store.Library`; none prints."""
