"""Log lines an operator can read: one line per event, also for a failure, in text or JSON.

LOG_FORMAT=text (the default) writes `time level logger: message`, and for an exception its
class, message and the innermost place it was raised on the same line; the whole traceback
only with LOG_TRACEBACKS=true. LOG_FORMAT=json writes one JSON object per line (the traceback
in its "traceback" field), for a log collector. The app server's request lines go through the
same formats (website/gunicorn_conf.py's RequestLogger).
"""

import datetime as dt
import json
import logging
import os
import traceback

# Attributes every LogRecord has; anything else was passed as `extra` and goes into JSON.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def _timestamp(record: logging.LogRecord) -> str:
    # UTC, whatever zone a process runs in (gunicorn's master is not in Django's Europe/Amsterdam).
    moment = dt.datetime.fromtimestamp(record.created, dt.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _one_line(text: str) -> str:
    return " ".join(str(text).split("\n")).replace("\r", " ")


def _raised_at(exc_info) -> str:
    """Where it went wrong: the innermost frame of the project's own code (else the
    innermost of all), which is where an operator starts looking."""
    frames = traceback.extract_tb(exc_info[2])
    ours = [f for f in frames if "site-packages" not in f.filename and "<" not in f.filename]
    if not (ours or frames):
        return ""
    place = (ours or frames)[-1]
    return f" at {os.path.relpath(place.filename)}:{place.lineno} in {place.name}"


def _exception_summary(exc_info, message: str = "") -> str:
    error = exc_info[1]
    text = _one_line(error)
    said = f": {text}" if text and text not in message else ""
    return f"{type(error).__name__}{said}{_raised_at(exc_info)}"


class TextFormatter(logging.Formatter):
    def __init__(self, *args, tracebacks: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.tracebacks = tracebacks

    def format(self, record: logging.LogRecord) -> str:
        line = (
            f"{_timestamp(record)} {record.levelname} {record.name}: "
            f"{_one_line(record.getMessage())}"
        )
        if record.exc_info and record.exc_info[1] is not None:
            line += f" [{_exception_summary(record.exc_info, line)}]"
            if self.tracebacks:
                line += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip()
        return line


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name, value in vars(record).items():
            if name in _STANDARD or name.startswith("_"):
                continue
            if name == "request":  # Django's request logger passes the request itself
                entry["method"], entry["path"] = value.method, value.path
                continue
            entry[name] = (
                value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
            )
        if record.exc_info and record.exc_info[1] is not None:
            entry["exception"] = _exception_summary(record.exc_info, entry["message"])
            entry["traceback"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def formatter_config(log_format: str, tracebacks: bool) -> dict:
    """The `formatters` entry of a logging dictConfig for LOG_FORMAT."""
    if log_format == "json":
        return {"()": "core.logs.JsonFormatter"}
    return {"()": "core.logs.TextFormatter", "tracebacks": tracebacks}
