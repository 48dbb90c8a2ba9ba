"""Normalization steps: small pure functions, each testable alone.

``text`` (Unicode, whitespace, markup), ``names``, ``dates``, ``pages``, ``language``,
``types`` and ``abstract`` (structured-abstract headings). :func:`records.normalize.record.normalize_csl`
runs the generic ones over a whole CSL item after a parser has read it.
"""
