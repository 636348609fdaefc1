"""One JSON object per log record, on one line: what a log collector reads from stdout.

Tracebacks are kept in the record (as "exc_info"), never spread over many lines.
"""

import datetime
import json
import logging


class JsonFormatter(logging.Formatter):
    """Format a record as a single line of JSON: time, level, logger, process, message."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "process": record.process,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status_code"] = status
        return json.dumps(entry, ensure_ascii=False, default=str)
