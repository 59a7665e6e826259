"""Keep aiplatform's own logging off the terminal while our commands talk to Vertex AI.

aiplatform gives each of its module loggers a stdout handler at INFO level, which would mix its
progress lines (and, for a failed bucket check, a traceback) into our command's output. Commands
report outcomes themselves, so the loggers are silenced for the duration of a call and restored.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

_PREFIX = "google.cloud.aiplatform"
_SILENT = logging.CRITICAL + 1


@contextmanager
def quiet_aiplatform() -> Iterator[None]:
    """Silence every aiplatform logger inside the block, restoring their levels afterwards."""
    names = [name for name in logging.root.manager.loggerDict if name.startswith(_PREFIX)]
    loggers = [logging.getLogger(name) for name in [_PREFIX, *names]]
    saved = [(logger, logger.level) for logger in loggers]
    for logger in loggers:
        logger.setLevel(_SILENT)
    try:
        yield
    finally:
        for logger, level in saved:
            logger.setLevel(level)
