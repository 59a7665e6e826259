"""Engine-neutral submission: what to run and where, error tables, polling, the Engine protocol.

`spec`, `labels`, `errors`, `polling` and `protocol` are the base that `_kfp` and `_vertex` build
on. Choosing and driving an engine (`engine_for`), the pipeline file and publishing live one layer
up, in `_dispatch`, above both engines (decision 55).
"""
