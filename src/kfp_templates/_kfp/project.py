"""Which image a compiled pipeline's steps run: the one given, the last pushed, or a placeholder.

No kfp import here: `run --local` decides the image in its parent process, which never imports kfp.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kfp_templates._errors import ConsumerError
from kfp_templates._images import pushed_image
from kfp_templates._layout import ProjectLayout

LOCAL_TAG = "local"


def default_image(config: Mapping[str, Any]) -> str:
    """The image a compile uses when none is given: `[REGISTRY/]NAME[-IDENTIFIER]:local`.

    The tag `local` marks a placeholder for an image not built or pushed yet; the images
    command passes the pushed digest instead.
    """
    image = config.get("image", {})
    name = str(image.get("name") or "kfp-project")
    identifier = str(image.get("identifier") or "")
    registry = str(image.get("registry") or "").rstrip("/")
    repository = f"{name}-{identifier}" if identifier else name
    return f"{registry}/{repository}:{LOCAL_TAG}" if registry else f"{repository}:{LOCAL_TAG}"


def image_for(
    layout: ProjectLayout, config: Mapping[str, Any], given: str | None, *, need_pushed: bool
) -> tuple[str, str]:
    """The image a compile puts in every step, and a note when it is a fallback.

    In order: `given` (`--image`); the last pushed build by digest when it holds the project's
    current sources; else the `default_image` placeholder, which is fine for local runs and
    dry runs but runs nowhere else, so `need_pushed` (remote submission) refuses it.

    Raises:
        ConsumerError: when `need_pushed` and no pushed image holds the current sources.
    """
    if given:
        return given, ""
    pushed = pushed_image(layout)
    if pushed.image:
        return pushed.image, ""
    if need_pushed:
        raise ConsumerError(
            f"no pushed image holds this project's current code: {pushed.why_not}",
            hint="run `kfp-templates build --push` first, or pass --image REGISTRY/NAME@sha256:...",
        )
    return default_image(config), f"{pushed.why_not}; steps name the placeholder image"
