"""Exporters: records (``(citation_key, csl_item)`` pairs) out as text for writers.

* :mod:`records.exporters.bibtex` -- BibTeX (ASCII, LaTeX-escaped) and BibLaTeX (UTF-8)
* :mod:`records.exporters.csl_json` -- CSL-JSON, schema-valid and lossless
* :mod:`records.exporters.ris` -- RIS for Zotero, EndNote and Mendeley
* :mod:`records.exporters.formatted` -- reference lists in CSL styles (citeproc-py)
* :mod:`records.exporters.latex` -- the LaTeX escaping the BibTeX writers share
"""
