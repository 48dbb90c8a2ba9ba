"""PRISMA 2020 identification counts for a systematic review (``harvester report``).

The identification box of the PRISMA 2020 flow diagram (Page et al. 2021, BMJ 372:n71): records
identified from each database, duplicate records removed before screening, and the records left
to screen; plus what PRISMA has no box for but a reviewer must know before screening: the pairs
the deduplication left for a person to decide (`harvester duplicates`). Each source file is one
database search (an export), named by its file name.

Hand-written SVG: the diagram is three boxes and two arrows, and no maintained Python library
draws PRISMA diagrams (the R package PRISMA2020 does, in R).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from html import escape
from pathlib import Path
from typing import Any

from harvester.store import Library
from harvester.store.prisma import SourceCounts, source_counts, undecided_pairs


@dataclass(frozen=True, slots=True)
class PrismaReport:
    sources: list[SourceCounts]
    review_pairs: int

    @property
    def identified(self) -> int:
        return sum(s.identified for s in self.sources)

    @property
    def duplicates_removed(self) -> int:
        return sum(s.duplicates_removed for s in self.sources)

    @property
    def screened(self) -> int:
        return self.identified - self.duplicates_removed

    def to_json(self) -> dict[str, Any]:
        return {
            "records_identified": self.identified,
            "duplicates_removed": self.duplicates_removed,
            "records_screened": self.screened,
            "review_pairs": self.review_pairs,
            "sources": [
                {**asdict(s), "records_left": s.identified - s.duplicates_removed}
                for s in self.sources
            ],
        }


def prisma_report(library: Library) -> PrismaReport:
    return PrismaReport(source_counts(library), undecided_pairs(library))


def _name(source: str) -> str:
    return Path(source).name or source


def render_text(report: PrismaReport) -> str:
    """The identification box in PRISMA 2020's words, then one line per source."""
    lines = [
        "Identification (PRISMA 2020)",
        f"Records identified from: databases (n = {report.identified:,})",
    ]
    lines += [f"  {_name(s.source)} (n = {s.identified:,})" for s in report.sources]
    lines += [
        "Records removed before screening: duplicate records removed "
        f"(n = {report.duplicates_removed:,})",
        f"Records screened (n = {report.screened:,})",
        f"Possible duplicates waiting for review: pairs (n = {report.review_pairs:,})"
        + (" (decide them with `harvester duplicates`, `merge`, `not-duplicate`)"
           if report.review_pairs else ""),
        "",
        f"{'source':<40} {'identified':>10} {'duplicates':>10} {'left':>8} {'review':>7}",
    ]
    for s in report.sources:
        lines.append(
            f"{_name(s.source)[:40]:<40} {s.identified:>10,} {s.duplicates_removed:>10,} "
            f"{s.identified - s.duplicates_removed:>8,} {s.review_pairs:>7,}"
        )
    lines.append(
        f"{'total':<40} {report.identified:>10,} {report.duplicates_removed:>10,} "
        f"{report.screened:>8,} {report.review_pairs:>7,}"
    )
    return "\n".join(lines)


_FONT = 'font-family="Helvetica, Arial, sans-serif" font-size="13"'


def _box(x: int, y: int, width: int, lines: list[str], bold_first: bool = True) -> str:
    height = 16 + 18 * len(lines)
    bold = ' font-weight="bold"'
    text = "".join(
        f'<tspan x="{x + 10}" dy="{18 if i else 0}"'
        f"{bold if bold_first and i == 0 else ''}>{escape(line)}</tspan>"
        for i, line in enumerate(lines)
    )
    return (
        f'<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="#fff" stroke="#000"/>'
        f'<text {_FONT} x="{x + 10}" y="{y + 22}">{text}</text>'
    )


def render_svg(report: PrismaReport) -> str:
    """The identification box of the PRISMA 2020 flow diagram as a standalone SVG."""
    left = ["Records identified from:", f"Databases (n = {report.identified:,})"]
    left += [f"  {_name(s.source)} (n = {s.identified:,})" for s in report.sources]
    right = [
        "Records removed before screening:",
        f"Duplicate records removed (n = {report.duplicates_removed:,})",
        f"Pairs waiting for review (n = {report.review_pairs:,})",
    ]
    left_height = 16 + 18 * len(left)
    screened_y = 60 + left_height + 50
    height = screened_y + 16 + 18 + 30
    arrow_y = 60 + left_height // 2
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="820" height="{height}" '
        f'viewBox="0 0 820 {height}">',
        "<title>PRISMA 2020 flow diagram: identification</title>",
        '<defs><marker id="arrow" markerWidth="10" markerHeight="10" refX="9" refY="5" '
        'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#000"/></marker></defs>',
        '<rect x="0" y="0" width="820" height="100%" fill="#fff"/>',
        f'<text {_FONT} x="20" y="32" font-weight="bold">Identification of studies via '
        "databases</text>",
        _box(20, 60, 370, left),
        _box(440, 60, 360, right),
        f'<line x1="390" y1="{arrow_y}" x2="438" y2="{arrow_y}" stroke="#000" '
        'marker-end="url(#arrow)"/>',
        f'<line x1="205" y1="{60 + left_height}" x2="205" y2="{screened_y - 2}" stroke="#000" '
        'marker-end="url(#arrow)"/>',
        _box(20, screened_y, 370, [f"Records screened (n = {report.screened:,})"], False),
        "</svg>",
        "",
    ]
    return "\n".join(parts)
