"""mkdocs hook: draw each template's pipeline (`docs/catalogue/NAME.dot`) as `NAME.svg`.

The `.dot` files are generated and committed (docs/gen_reference.py, checked by a test); the
SVG is made here, at build time, by Graphviz's `dot` through `kfp-templates`' own renderer, so
the site needs no JavaScript and no network (decision 0043), and no committed SVG can go stale.
"""

from __future__ import annotations

from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from kfp_templates._errors import KfpTemplatesError
from kfp_templates._graph.source import svg

CATALOGUE = "catalogue/"


def on_files(files: Files, config: Any) -> Files:
    """Add `catalogue/NAME.svg` beside every `catalogue/NAME.dot`."""
    sources = [f for f in files if f.src_uri.startswith(CATALOGUE) and f.src_uri.endswith(".dot")]
    for source in sources:
        try:
            picture = svg(source.content_string)
        except KfpTemplatesError as error:
            raise PluginError(f"{source.src_uri}: {error.render()}") from None
        name = source.src_uri.removesuffix(".dot") + ".svg"
        files.append(File.generated(config, name, content=picture))
    return files
