"""Log lines an operator can read (core/logs.py): one line per failure, with its reason."""

import json
import logging

from core.logs import JsonFormatter, TextFormatter


def _record_of_a_failure() -> logging.LogRecord:
    try:
        {}["missing"]
    except KeyError:
        import sys

        return logging.getLogger("search").makeRecord(
            "search",
            logging.ERROR,
            __file__,
            1,
            "Search failed\nfor %s",
            ("gezin",),
            sys.exc_info(),
        )


def test_a_failure_is_one_text_line_with_its_reason_and_place():
    line = TextFormatter().format(_record_of_a_failure())
    assert "\n" not in line
    assert "ERROR search: Search failed for gezin" in line
    assert "KeyError: 'missing'" in line
    assert "tests/core/test_logs.py:" in line and "in _record_of_a_failure" in line


def test_the_whole_traceback_only_when_asked_for():
    line = TextFormatter(tracebacks=True).format(_record_of_a_failure())
    assert "Traceback (most recent call last)" in line


def test_json_lines_carry_the_fields_and_the_traceback():
    record = _record_of_a_failure()
    record.status_code = 500
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "ERROR" and entry["logger"] == "search"
    assert entry["message"] == "Search failed\nfor gezin"
    assert entry["status_code"] == 500
    assert entry["exception"].startswith("KeyError: 'missing' at tests/core/test_logs.py:")
    assert "Traceback" in entry["traceback"]
