"""Shared fixtures; `tests/` is on sys.path so tests can `import helpers`.

`docs/` is too, for the docs generator (`reference_pages`), which is not part of the wheel.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "docs"))
