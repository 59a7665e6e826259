"""validators/leftovers.py: conflict markers and `.rej` files left by `copier update`."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kfp_templates._layout import find_layout
from kfp_templates.contract import load_contract
from kfp_templates.validators.leftovers import check_leftovers

from helpers import CASES, build_file_tree, materialise_case

CONFLICT = "a = 1\n<<<<<<< before updating\nb = 2\n=======\nb = 3\n>>>>>>> after updating\n"


def _findings(tmp_path: Path, files: dict[str, str | bytes]) -> list[tuple[str, str, int | None]]:
    root = materialise_case(CASES / "valid" / "__none__", tmp_path / "p")
    build_file_tree(root, files)
    layout = find_layout(root)
    contract, _ = load_contract(layout.contract_path, "contract.yaml")
    assert contract is not None
    found = check_leftovers(layout, contract)
    return sorted((f.rule.id, f.location.path, f.location.line) for f in found)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param({}, [], id="clean-base-project"),
        pytest.param({"user/train.py": CONFLICT}, [("PRJ100", "user/train.py", 2)], id="user"),
        pytest.param({"config.yaml": CONFLICT}, [("PRJ100", "config.yaml", 2)], id="config"),
        pytest.param({"README.md": CONFLICT}, [("PRJ100", "README.md", 2)], id="other-file"),
        pytest.param(
            {"user/deep/er/x.py": CONFLICT}, [("PRJ100", "user/deep/er/x.py", 2)], id="nested"
        ),
        pytest.param(
            {"user/x.py": "<<<<<<< HEAD\nours\n>>>>>>> theirs\n"},
            [("PRJ100", "user/x.py", 1)],
            id="no-middle-marker",
        ),
        pytest.param(
            {"user/x.py": CONFLICT.replace("\n", "\r\n")},
            [("PRJ100", "user/x.py", 2)],
            id="crlf",
        ),
        pytest.param(
            {"user/x.py": CONFLICT + CONFLICT},
            [("PRJ100", "user/x.py", 2), ("PRJ100", "user/x.py", 8)],
            id="two-conflicts",
        ),
        pytest.param(
            {"user/x.py": "<<<<<<<\nx\n>>>>>>>\n"}, [("PRJ100", "user/x.py", 1)], id="bare"
        ),
        pytest.param({"docs/index.rst": "Title\n=======\n\nText\n"}, [], id="rst-underline"),
        pytest.param({"a.txt": "<<<<<<< only an opening marker\n"}, [], id="opening-only"),
        pytest.param({"a.txt": ">>>>>>> quoted\n<<<<<<< later\n"}, [], id="wrong-order"),
        pytest.param({"a.txt": "x <<<<<<< y\n=======\nx >>>>>>> y\n"}, [], id="not-line-start"),
        pytest.param({"a.txt": "<<<<<<<<\n=======\n>>>>>>>>\n"}, [], id="eight-chars"),
        pytest.param({"a.bin": b"\0\1" + CONFLICT.encode()}, [], id="binary"),
        pytest.param({".git/x": CONFLICT, ".venv/lib/y.py": CONFLICT}, [], id="tool-dirs"),
        pytest.param({"build/x.py": CONFLICT, "pkg.egg-info/x": CONFLICT}, [], id="build-dirs"),
        pytest.param(
            {"user/train.py.rej": "@@ -1 +1 @@\n"},
            [("PRJ101", "user/train.py.rej", None)],
            id="rej",
        ),
        pytest.param(
            {"template_pipeline/pipeline.py.rej": "x"},
            [("PRJ101", "template_pipeline/pipeline.py.rej", None)],
            id="rej-anywhere",
        ),
        pytest.param({".venv/x.rej": "x", "node_modules/y.rej": "y"}, [], id="rej-in-tool-dirs"),
    ],
)
def test_leftovers(
    tmp_path: Path, files: dict[str, str | bytes], expected: list[tuple[str, str, int | None]]
) -> None:
    assert _findings(tmp_path, files) == expected


def test_huge_files_are_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kfp_templates.validators.leftovers.MAX_SCAN_BYTES", 16)
    assert _findings(tmp_path, {"user/x.py": CONFLICT}) == []


def test_symlinked_directories_are_not_followed(tmp_path: Path) -> None:
    outside = build_file_tree(tmp_path / "outside", {"x.py": CONFLICT})
    root = materialise_case(CASES / "valid" / "__none__", tmp_path / "p")
    (root / "user" / "link").symlink_to(outside, target_is_directory=True)
    (root / "loop").symlink_to(root, target_is_directory=True)
    layout = find_layout(root)
    contract, _ = load_contract(layout.contract_path, "contract.yaml")
    assert contract is not None
    assert list(check_leftovers(layout, contract)) == []


def test_every_finding_says_what_to_do(tmp_path: Path) -> None:
    root = materialise_case(CASES / "valid" / "__none__", tmp_path / "p")
    build_file_tree(root, {"user/x.py": CONFLICT, "user/y.py.rej": "x"})
    layout = find_layout(root)
    contract, _ = load_contract(layout.contract_path, "contract.yaml")
    assert contract is not None
    findings = list(check_leftovers(layout, contract))
    assert len(findings) == 2
    assert all(finding.fix for finding in findings)


def test_a_thousand_modules_scan_fast(tmp_path: Path) -> None:
    body = "".join(f"def f{i}(x: int) -> int:\n    '''Doc.'''\n    return x\n\n" for i in range(10))
    files: dict[str, str | bytes] = {f"user/m{i:04}.py": body for i in range(1000)}
    root = materialise_case(CASES / "valid" / "__none__", tmp_path / "p")
    build_file_tree(root, files)
    layout = find_layout(root)
    contract, _ = load_contract(layout.contract_path, "contract.yaml")
    assert contract is not None
    start = time.perf_counter()
    assert list(check_leftovers(layout, contract)) == []
    assert time.perf_counter() - start < 0.5
