"""Producer-side workflows: checking, scaffolding, releasing and listing template pipelines.

Nothing here imports kfp at module level; the checks that compile or run pipelines import the
`_kfp` package lazily, inside the function that needs it.
"""
