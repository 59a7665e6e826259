"""Read a builder's output as it comes, for the progress display: which layer, which blob.

Only the display depends on these lines; a builder that words them differently loses the detail
of its progress, never the build.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kfp_templates._progress import Progress

# What builders print as they go, for the progress display: the Dockerfile step they start
# (buildah and podman: `STEP 3/9: RUN ...`; docker buildx: `#7 [3/9] RUN ...`) and the blobs a
# push copies (buildah and podman: `Copying blob sha256:...`; docker: `0a1b2c3d4e5f: Pushed`).
STEP_LINE = re.compile(r"^STEP (\d+)/(\d+): (.*)$")
BUILDX_STEP = re.compile(r"^#\d+ \[(?:\S+ )?(\d+)/(\d+)\] (.*)$")
_COPYING = re.compile(r"^Copying (blob|config) (sha256:[0-9a-f]{12})")
_DOCKER_PUSHED = re.compile(r"^([0-9a-f]{12}): (Pushed|Layer already exists)$")


def step_lines(progress: Progress, pattern: re.Pattern[str] = STEP_LINE) -> Callable[[str], None]:
    """A line reader telling `progress` each build step the builder starts (a layer)."""

    def on_line(line: str) -> None:
        match = pattern.match(line)
        if match:
            progress.advance(match.group(3), int(match.group(1)), int(match.group(2)))

    return on_line


def push_lines(progress: Progress) -> Callable[[str], None]:
    """A line reader telling `progress` each blob a push copies, then the manifest."""

    def on_line(line: str) -> None:
        copying, pushed = _COPYING.match(line), _DOCKER_PUSHED.match(line)
        if copying:
            progress.advance(f"copying {copying.group(1)} {copying.group(2)}")
        elif pushed:
            progress.advance(f"{pushed.group(2).lower()}: {pushed.group(1)}")
        elif line.startswith("Writing manifest"):
            progress.advance("writing manifest")

    return on_line
