"""Where the kfp-layer tests find the producer templates and golden files.

A module of its own (not conftest) so test modules import it by a name no other test directory
uses.
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "producer_templates"
GOLDEN = REPO / "tests" / "golden"
TEMPLATE_NAMES = ("tabular_training", "batch_prediction", "custom_component")
GOLDEN_IMAGE = "registry.example/team/kfp-project@sha256:" + "0" * 64
