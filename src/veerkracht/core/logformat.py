"""The JSON log format, importable while Django configures logging (before the apps are loaded).

The request's ids come from ``log_context``, which core/logs.py's middleware fills per request.
"""

import json
import logging
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

log_context: ContextVar[dict[str, Any] | None] = ContextVar("veerkracht_log_context", default=None)

_FIELDS = ("request_id", "user_id", "organisation_id", "method", "route", "view", "status", "duration_ms")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the request's ids, and any of
    ``_FIELDS`` passed as ``extra``. An exception is logged by its class and the frames of its
    traceback, without its message: a message may quote the data that made it fail."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(log_context.get() or {})
        for field in _FIELDS:
            if field in record.__dict__:
                line[field] = record.__dict__[field]
        if record.exc_info and record.exc_info[0] is not None:
            line["exc_type"] = record.exc_info[0].__name__
            line["traceback"] = "".join(traceback.format_tb(record.exc_info[2]))
        return json.dumps(line, ensure_ascii=False, default=str)
