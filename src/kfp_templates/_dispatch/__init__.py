"""Sending a project's pipeline somewhere: which engine, which pipeline file, publishing.

It sits above `_kfp` and `_vertex` (it picks and drives their engines) while `submission`, the
engine-neutral base those two build on, sits below them; splitting the two keeps every import
pointing down the layers (decision 55). Nothing here imports kfp or aiplatform when imported.
"""
