"""Everything that imports `google.cloud.aiplatform`: Vertex AI pipeline jobs and schedules.

This package is the only place allowed to import aiplatform (about two seconds to import), and
only `jobs` and `schedules` do. `engine.VertexEngine` imports them inside its methods, so commands
can choose the engine and print a submission (`--dry-run`) without aiplatform. The engine-neutral
job spec, labels, error tables and polling are in `kfp_templates.submission`.
"""
