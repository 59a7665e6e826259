"""The project every submission test starts from, and the GCP settings it carries.

A module of its own (not conftest) so test modules import it by a name no other test directory
uses.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

CASES = Path(__file__).parent.parent / "cases"
BUCKET = "pipeline-bucket"
SERVICE_ACCOUNT = "runner@my-project-123.iam.gserviceaccount.com"
NETWORK = "projects/123456/global/networks/private"
PROJECT_NUMBER = 123456
KMS_KEY = "projects/my-project-123/locations/europe-west4/keyRings/ring/cryptoKeys/key"


def make_project(root: Path, **sections: dict[str, Any]) -> Path:
    """The base case project under `root`, its config sections replaced by `sections`."""
    project = root / "project"
    shutil.copytree(CASES / "base", project)
    config = yaml.safe_load((project / "config.yaml").read_text())
    config["gcp"] = {
        "project": "my-project-123",
        "region": "europe-west4",
        "service_account": SERVICE_ACCOUNT,
        "network": NETWORK,
        "encryption_key": KMS_KEY,
        "labels": {"team": "forecasting", "cost-center": "ml-42"},
    }
    config["run"] = {"display_name": "nightly-train", "pipeline_root": f"gs://{BUCKET}/root",
                     "enable_caching": False}
    config.update(sections)
    (project / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return project
