"""Every command's module, name, aliases and one-line help, so `--help` imports none of them.

Written down rather than found at start: listing the package and importing each module to ask
its `register` cost more than `validate` itself. `tests/test_cli_imports.py` fails when this
drifts from the modules' own `register` (and prints the entry to paste).
"""

COMMANDS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "build": ("build", (), "build the project's image (validates first); --push to push it"),
    "compile": (
        "compile",
        (),
        "compile the template pipeline with your config to KFP pipeline YAML",
    ),
    "graph": (
        "graph",
        (),
        "draw the compiled pipeline: steps, artifacts, conditions, user/ functions called",
    ),
    "new_template": (
        "new-template",
        (),
        "scaffold producer_templates/NAME (contract, pipeline, reference code, stubs, ...)",
    ),
    "producer": ("producer", (), "producer commands for the kfp-templates repository (check)"),
    "publish": (
        "publish",
        (),
        "upload a template's compiled pipeline to an Artifact Registry KFP repository",
    ),
    "release": (
        "release",
        (),
        "check the template repository and tag a release (vVERSION) for copier",
    ),
    "run": (
        "run",
        (),
        "run the template pipeline locally on kfp.local (use `submit` for Vertex or KFP)",
    ),
    "schedules": ("schedules", (), "list or delete Vertex AI schedules / KFP recurring runs"),
    "stubs": ("stubs", (), "generate user/ stubs and config.yaml from a contract"),
    "submit": (
        "submit",
        (),
        "submit the pipeline to Vertex AI Pipelines or a Kubeflow Pipelines server",
    ),
    "templates": ("templates", (), "list the template pipelines, or show one contract as tables"),
    "upgrade_check": (
        "upgrade-check",
        ("diff",),
        "before `copier update`: what your code and config must change for a new release",
    ),
    "validate": (
        "validate",
        (),
        "check user/ and config.yaml against the contract (static; runs no user code)",
    ),
}
