"""Engine-neutral submission: what to run and where, error tables, polling, the Engine protocol.

Nothing here imports kfp or aiplatform; those live in `kfp_templates._kfp` and
`kfp_templates._vertex`, which each engine imports only when it is used.
"""
