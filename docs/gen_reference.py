#!/usr/bin/env python3
"""Regenerate the reference pages of the docs from the code (contract, CLI, error catalogue).

python docs/gen_reference.py          # write the pages that changed
python docs/gen_reference.py --check  # exit 1 when a committed page is stale (as the test does)
"""

from __future__ import annotations

import sys
from pathlib import Path

from reference_pages import generated_pages, write_pages  # docs/reference_pages.py, beside me

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    """Write (or with --check, compare) every generated page."""
    if argv == ["--check"]:
        stale = [
            path
            for path, text in generated_pages(ROOT).items()
            if not (ROOT / path).is_file() or (ROOT / path).read_text(encoding="utf-8") != text
        ]
        for path in stale:
            sys.stdout.write(f"stale: {path}\n")
        return 1 if stale else 0
    for path in write_pages(ROOT):
        sys.stdout.write(f"wrote {path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
