"""Everything that imports `kfp` (and `kfp.kubernetes`): template context, compile, local runs.

This is the only package of the tool allowed to import kfp, so that `validate` and `--help` stay
fast and work without it. Commands import these modules lazily, inside their `run` functions.
"""
