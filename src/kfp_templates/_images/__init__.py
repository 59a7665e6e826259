"""Container images: the only package that runs image builders (as subprocesses, nothing else).

`build_image` makes the consumer's image (dependencies as hash-pinned wheels, the tool, the
template, then `user/`), tagged by content so unchanged inputs are never rebuilt or pushed again;
`pushed_image` gives compile and submit the last pushed image by digest, when it is current.
"""

from kfp_templates._images._build import BuildOptions, BuildOutcome, build_image
from kfp_templates._images._builders import Builder, BuildRequest
from kfp_templates._images._record import BuildRecord, PushedImage, pushed_image, read_record
from kfp_templates._images._select import BUILDERS, select_builder

__all__ = [
    "BUILDERS",
    "BuildOptions",
    "BuildOutcome",
    "BuildRecord",
    "BuildRequest",
    "Builder",
    "PushedImage",
    "build_image",
    "pushed_image",
    "read_record",
    "select_builder",
]
