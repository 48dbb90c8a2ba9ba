"""Formatted bibliographies (APA, Vancouver, ...) with citeproc-py and bundled CSL styles.

Styles: the seven bundled in ``records/exporters/styles/`` (CC BY-SA 3.0, see the README
there) by name or alias, or any ``.csl`` file by path. Locales: citeproc-py ships the CSL
locale files (65 languages); a style's ``default-locale`` (else ``en-US``) is used unless a
``locale`` is given.

Output: plain ``text`` (one entry per line), ``html`` (``csl-bib-body``/``csl-entry`` divs, as
citeproc-js writes them) or ``markdown`` (one paragraph per entry; italics as ``*...*``, bold
as ``**...**``; Markdown's special characters escaped).

citeproc-py implements most of CSL 1.0; two of its gaps are patched here rather than worked
around in every caller: a localized date (``<date form="text"/>``, as Vancouver uses) is joined
with the locale's delimiter (citeproc-py used the calling element's, giving ``2017Oct3``), and
a numbered entry gets a space after its number where the style aligns the second field
(``[1] C. G. Radosa``, not ``[1]C. G. Radosa``).
"""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Literal

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc import model as _citeproc_model
from citeproc.source.json import CiteProcJSON

from records.errors import UsageError
from records.exporters.csl_json import csl_json_item

Output = Literal["text", "html", "markdown"]
CSLItem = dict[str, Any]

STYLES_DIR = Path(__file__).with_name("styles")
STYLES = {
    "apa": "apa",
    "vancouver": "vancouver",
    "ama": "american-medical-association",
    "american-medical-association": "american-medical-association",
    "chicago": "chicago-author-date",
    "chicago-author-date": "chicago-author-date",
    "harvard": "harvard-cite-them-right",
    "harvard-cite-them-right": "harvard-cite-them-right",
    "ieee": "ieee",
    "nature": "nature",
}


def _render_single_date(self, date, show_parts=None, context=None):  # type: ignore[no-untyped-def]
    """citeproc-py's ``Date.render_single_date`` with the delimiter taken from the localized
    date format when the calling ``<date>`` sets none (CSL 1.0.2, "Localized Date Formats")."""
    parts = (
        self.parts(date, show_parts, context) if context != self else self.parts(date, show_parts)
    )
    if not parts:
        return None
    joiner = self
    if self.is_locale_date() and context is not None and context.get("delimiter") is not None:
        joiner = context
    return joiner.join(parts)


_citeproc_model.Date.render_single_date = _render_single_date


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _markdown_escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def _markdown_formatter() -> SimpleNamespace:
    preformat = _markdown_escape

    def wrap(left: str, right: str | None = None):  # type: ignore[no-untyped-def]
        return lambda text: f"{left}{text}{left if right is None else right}" if text else text

    return SimpleNamespace(
        preformat=preformat,
        Italic=wrap("*"),
        Oblique=wrap("*"),
        Bold=wrap("**"),
        Light=str,
        Underline=str,
        Superscript=wrap("<sup>", "</sup>"),
        Subscript=wrap("<sub>", "</sub>"),
        SmallCaps=str,
    )


_FORMATTERS = {"text": formatter.plain, "html": formatter.html, "markdown": _markdown_formatter()}
# citeproc-py escapes its own terms ("&") but passes variable text through as is: a title
# "<script>..." would reach the HTML. So values are escaped before citeproc sees them.
_ESCAPES = {"html": lambda text: html.escape(text, quote=False), "markdown": _markdown_escape}


def _escaped(value: Any, escape: Any) -> Any:
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, list):
        return [_escaped(v, escape) for v in value]
    if isinstance(value, dict):
        return {k: v if k == "date-parts" else _escaped(v, escape) for k, v in value.items()}
    return value


_NUMBER_LABEL = re.compile(r"^(\[\d+\]|\d+\.)(?=\S)")


def style_path(style: str | Path) -> Path:
    """A bundled style's file by name or alias, or the given ``.csl`` path."""
    name = str(style).strip()
    if name.lower() in STYLES:
        return STYLES_DIR / f"{STYLES[name.lower()]}.csl"
    path = Path(name).expanduser()
    if path.suffix.lower() == ".csl" or path.exists():
        if not path.is_file():
            raise UsageError(f"CSL style file {path} not found")
        return path
    known = ", ".join(sorted(set(STYLES)))
    raise UsageError(f"unknown citation style {name!r} (bundled: {known}; or a .csl file path)")


@lru_cache(maxsize=16)
def _load_style(path: str, locale: str | None) -> CitationStylesStyle:
    try:
        return CitationStylesStyle(path, locale=locale, validate=False)
    except Exception as exc:  # lxml and citeproc raise many kinds; all mean "bad style"
        raise UsageError(f"CSL style {path} cannot be used: {exc}") from exc


_ET_AL = {"et al", "et al.", "others", "u. a.", "u.a."}


def _citeproc_item(key: str, csl: CSLItem) -> CSLItem:
    item = csl_json_item(key, csl)
    item.pop("custom", None)  # citeproc-py would print it as a string
    item.pop("citation-key", None)
    for field, value in item.items():
        # A trailing "et al." name marks a truncated list; as a name it would print "and et al."
        if isinstance(value, list) and value and isinstance(value[-1], dict):
            last = str(value[-1].get("literal", "")).strip().lower()
            if last in _ET_AL:
                item[field] = value[:-1]
    return item


def render_entries(
    entries: Iterable[tuple[str, CSLItem]],
    style: str | Path = "apa",
    output: Output = "text",
    *,
    locale: str | None = None,
) -> list[str]:
    """The bibliography entries in the style's order, each formatted for ``output``."""
    if output not in _FORMATTERS:
        raise UsageError(f"unknown output {output!r} (use text, html or markdown)")
    path = style_path(style)
    items = [_citeproc_item(key, csl) for key, csl in entries]
    if not items:
        return []
    if output in _ESCAPES:
        keep = ("id", "type", "language")
        escape = _ESCAPES[output]
        items = [{k: v if k in keep else _escaped(v, escape) for k, v in i.items()} for i in items]
    css = _load_style(str(path), locale)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about CSL features it skips
        bibliography = CitationStylesBibliography(css, CiteProcJSON(items), _FORMATTERS[output])
        for item in items:
            bibliography.register(Citation([CitationItem(str(item["id"]))]))
        bibliography.sort()
        rendered = [str(entry).strip() for entry in bibliography.bibliography()]
    aligned = css.root.bibliography is not None and css.root.bibliography.get("second-field-align")
    if aligned:
        rendered = [_NUMBER_LABEL.sub(r"\1 ", entry) for entry in rendered]
    return rendered


def render_bibliography(
    entries: Iterable[tuple[str, CSLItem]],
    style: str | Path = "apa",
    output: Output = "text",
    *,
    locale: str | None = None,
) -> str:
    """A formatted reference list of ``(citation_key, csl_item)`` entries.

    ``style`` is a bundled style's name (``apa``, ``vancouver``, ``ama``, ``chicago``,
    ``harvard``, ``ieee``, ``nature``) or a path to a ``.csl`` file.
    """
    rendered = render_entries(entries, style, output, locale=locale)
    if not rendered:
        return ""
    if output == "html":
        body = "\n".join(f'  <div class="csl-entry">{entry}</div>' for entry in rendered)
        return f'<div class="csl-bib-body">\n{body}\n</div>\n'
    if output == "markdown":
        return "\n\n".join(rendered) + "\n"
    return "\n".join(rendered) + "\n"
