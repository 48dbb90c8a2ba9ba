"""Free-text references, as people paste them: any style, read by a trained sequence model.

A pasted list is cut back into references (:mod:`records.references.paste`: numbering, hanging
indents, wrapped lines, blank lines), each reference is labelled token by token by a linear-chain
CRF (:mod:`records.references.labeller`) and the labelled spans become a CSL record
(:mod:`records.references.record`). The per-style regular expressions this module used to hold
are gone; what remains hand-written is what a model should not guess: cutting the list, the
numbering, and identifiers with an exact syntax (DOI, PMID, ISBN, URL).

Every record keeps its verbatim reference as ``raw`` and ``original["reference"]`` (the query
for bibliographic matching in enrichment), the model's confidence as
``original["reference_confidence"]`` (the lowest marginal probability of a token's label), and
``original["et_al"]`` naming the name lists the string cut short with "et al." (a marker, never
an author). A reference whose confidence is below :data:`LOW_CONFIDENCE` is marked
``original["low_confidence"] = "yes"``: the import
summary counts them, and ``harvester parse --explain`` shows how each token was read.
"""

from __future__ import annotations

import re

from records.model import CSLItem, Failure, ParseResult, Record, SourceRef
from records.parsers.base import Parser, head, is_markup
from records.references.labeller import Labelled, label
from records.references.paste import split_references
from records.references.record import to_csl

# Below this lowest token marginal a reference is flagged for a person (and for validated
# matching): on the held-back style strings, references with a wrong field sit below it.
LOW_CONFIDENCE = 0.75

_NOT_REFERENCE = re.compile(
    r"^\s*(?:@\w+\s*[{(]|TY\s+-|PMID-|[{\[<](?!\s*\d+\s*\])|%[A-Z0-9]\s|\w+\s*=)"
)
_YEAR = re.compile(r"(?<!\d)(?:1[5-9]\d\d|20[0-4]\d)(?!\d)")
_SNIFF_REFERENCES = 30


def read_reference(text: str) -> tuple[CSLItem, Labelled, list[str]]:
    """One reference string (one line): its CSL fields, its labelling and the "et al." lists."""
    labelled = label(" ".join(text.split()))
    csl, truncated = to_csl(labelled)
    return csl, labelled, truncated


def parse_reference(text: str) -> CSLItem:
    """The CSL fields one reference string states."""
    return read_reference(text)[0]


_IDENTIFIERS = ("DOI", "PMID", "ISBN", "URL")


def _stated(csl: CSLItem) -> bool:
    """Whether the fields read are a reference's: a title alone (a sentence of prose, a note)
    is not; its identifiers still count."""
    return bool(
        (csl.get("title") or csl.get("author"))
        and (
            csl.get("author")
            or csl.get("editor")
            or csl.get("issued")
            or csl.get("container-title")
            or csl.get("publisher")
        )
    )


def _readable(csl: CSLItem) -> bool:
    """A record with what every reference has: a title, a date and who or where."""
    return bool(
        csl.get("title")
        and csl.get("issued")
        and (csl.get("author") or csl.get("editor"))
        and (csl.get("container-title") or csl.get("publisher") or csl.get("URL"))
    )


class ReferenceStringParser(Parser):
    name = "reference"
    label = "free-text references (a pasted reference list, any style)"
    aliases = ("references", "citation", "ref")

    def sniff(self, text: str) -> float:
        if is_markup(text):
            return 0.0
        lines = [ln for ln in head(text, 200) if ln.strip()]
        if not lines or any(_NOT_REFERENCE.match(ln) for ln in lines[:5]):
            return 0.0
        references = [r for _, r in split_references("\n".join(lines))][:_SNIFF_REFERENCES]
        # cheap first: nearly every reference states a year; only then ask the model
        if not references or sum(1 for r in references if _YEAR.search(r)) < 0.8 * len(references):
            return 0.0
        read = sum(1 for r in references if _readable(parse_reference(r)))
        share = read / len(references)
        # below the structured formats (which score 0.9+) so it never takes their input
        # below the threshold a share is still a hint for "closest formats"
        return 0.55 + 0.3 * share if share >= 0.8 else 0.4 * share

    def parse(self, text: str, origin: str) -> ParseResult:
        result = ParseResult()
        for position, (line, reference) in enumerate(split_references(text), start=1):
            csl, labelled, truncated = read_reference(reference)
            if not _stated(csl):
                csl = {k: v for k, v in csl.items() if k in _IDENTIFIERS}
            if not csl:
                result.failures.append(
                    Failure(
                        origin,
                        "not a reference: no author, date or source found",
                        record=position,
                        line=line,
                    )
                )
                continue
            record = Record(
                csl=csl, source=SourceRef(self.name, origin, None, position, line), raw=reference
            )
            record.original["reference"] = reference
            record.original["reference_confidence"] = f"{labelled.confidence:.3f}"
            if truncated:
                record.original["et_al"] = ", ".join(truncated)
            if labelled.confidence < LOW_CONFIDENCE:
                record.original["low_confidence"] = "yes"
            result.records.append(record)
        return result
