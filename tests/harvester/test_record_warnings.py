"""The core's warnings reach the user as one ``harvester: warning:`` line on stderr."""

from __future__ import annotations

import logging

from harvester.cli.record_warnings import route_record_warnings


def test_records_warnings_are_printed_once_with_the_prefix(capsys):
    route_record_warnings()
    route_record_warnings()  # idempotent: one handler, one line
    logging.getLogger("records.parsers").warning("a.txt: read as RIS; MEDLINE also fits")
    logging.getLogger("records.parsers").info("not shown")
    err = capsys.readouterr().err
    assert err == "harvester: warning: a.txt: read as RIS; MEDLINE also fits\n"
