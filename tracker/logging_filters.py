"""Logging filters named in settings.LOGGING."""

from __future__ import annotations

import logging


class AsWarningWithoutTraceback(logging.Filter):
    """A client's mistake (a bad Host header) as one WARNING line: no traceback, no request object.

    Django logs ``DisallowedHost`` at ERROR with the exception attached; neither
    the level nor the stack trace says anything an operator can act on.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        record.__dict__.pop("request", None)
        if record.levelno > logging.WARNING:
            record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        return True
