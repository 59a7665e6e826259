"""Stubs generated from a contract: `user/` modules (`modules.py`), `config.yaml` (`config.py`).

Callers import this package; the names below are its whole surface.
"""

from kfp_templates._stubs.modules import (
    StubFile,
    drift,
    missing_stubs,
    render_stubs,
    stale_files,
    write_stubs,
)

__all__ = ["StubFile", "drift", "missing_stubs", "render_stubs", "stale_files", "write_stubs"]
