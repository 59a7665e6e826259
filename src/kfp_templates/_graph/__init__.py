"""A picture of a compiled pipeline: the IR as steps, groups and edges, and its renderers.

Nothing here imports kfp: `model.pipeline_graph` reads the compiled IR as a plain dict (from
`_kfp.graph_ir` or a pipeline YAML), `render` writes Mermaid or Graphviz text, and `svg` runs
Graphviz's `dot` when it is installed (decision 0042).
"""
