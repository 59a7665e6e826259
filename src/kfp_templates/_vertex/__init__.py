"""Everything that imports `google.cloud.aiplatform`: Vertex AI pipeline jobs and schedules.

This package is the only place allowed to import aiplatform (about two seconds to import), and
only `jobs` and `schedules` do; `spec`, `labels` and `errors` stay light so commands can build and
print a submission (`--dry-run`) without it. Commands import these modules inside `run`.
"""
