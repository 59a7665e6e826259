"""Engine-neutral submission: what to run and where, error tables, polling, the Engine protocol.

`spec`, `labels`, `errors`, `polling` and `protocol` are the base that `_kfp` and `_vertex` build
on; `engines` (which engine), `pipeline` (which pipeline file, which job) and `publishing` use
those packages, importing them only inside functions, so no module here loads kfp or aiplatform
when imported (decision 55).
"""
