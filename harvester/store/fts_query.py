"""What a user types as a search, read as a small query language and written as an FTS5 query.

    radiology liver        both words (anywhere in title, authors, journal, abstract)
    "liver surgery"        the phrase
    radiolog*              a word starting with "radiolog"
    liver OR kidney        either (OR binds the terms beside it: `a b OR c` is a AND (b OR c))
    -pediatric             not this word (or "-phrase"); needs at least one other term

Anything else is text: every term goes to FTS5 quoted, so no character a user types (a lone
``"``, ``*``, ``:``, ``(``, ``NOT``, ``NEAR``) is FTS5 syntax, and every text is a valid query.
FTS5's own syntax has no safe subset to pass through, and sqlite-utils' ``quote_fts`` leaves
the empty and the lone-quote queries invalid, hence this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from records.errors import UsageError

SYNTAX_HELP = (
    'Words must all match; "a phrase" matches as written; word* matches a prefix; '
    "a OR b matches either; -word excludes."
)

# A term: an optional "-", then a quoted phrase (closed, or running to the end) or a word.
_TERM = re.compile(r'(-?)(?:"([^"]*)"?|([^\s"]+))')
# A term is something to look for only if the tokenizer (unicode61) finds a token in it.
_HAS_TOKEN = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class _Term:
    text: str
    prefix: bool
    negated: bool

    def fts(self) -> str:
        quoted = '"' + self.text.replace('"', '""') + '"'
        return quoted + ("*" if self.prefix else "")


def to_fts5(query: str) -> str:
    """The FTS5 MATCH expression for ``query``; :class:`UsageError` if it has nothing to look
    for (empty, only punctuation, only exclusions)."""
    if not query.strip():
        raise UsageError("empty search: give a word to look for. " + SYNTAX_HELP)
    groups: list[list[_Term]] = []  # AND of ORs
    excluded: list[_Term] = []
    joining = False
    for match in _TERM.finditer(query):
        negated, phrase, word = bool(match.group(1)), match.group(2), match.group(3)
        if phrase is None and word == "OR" and not negated:
            joining = bool(groups)
            continue
        text = phrase if phrase is not None else word
        prefix = phrase is None and text.endswith("*")
        text = text.rstrip("*") if prefix else text
        if not _HAS_TOKEN.search(text):
            continue  # punctuation alone: nothing the index holds
        term = _Term(text, prefix, negated)
        if negated:
            excluded.append(term)
        elif joining:
            groups[-1].append(term)
        else:
            groups.append([term])
        joining = False
    if not groups:
        what = "only excludes words" if excluded else "has no word to look for"
        raise UsageError(f"search {query!r} {what}. {SYNTAX_HELP}")
    expression = " AND ".join(
        group[0].fts() if len(group) == 1 else "(" + " OR ".join(t.fts() for t in group) + ")"
        for group in groups
    )
    for term in excluded:
        expression = f"({expression}) NOT {term.fts()}"
    return expression


__all__ = ["SYNTAX_HELP", "to_fts5"]
