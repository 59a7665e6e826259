"""Imports in user/ against the declared dependencies: one row per way of providing a package.

The mapping from import names to distributions is the installed metadata of this environment
(the dev dependencies: pandas, scikit-learn, PyYAML, ...), the same one `validate` reads.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kfp_templates._errors import ConsumerError
from kfp_templates._findings import Finding, Severity
from kfp_templates._images._requirements import image_requirements
from kfp_templates._layout import ProjectLayout
from kfp_templates.contract import Contract
from kfp_templates.validators._requirements import declared_names
from kfp_templates.validators.dependencies import check_dependencies

from helpers import build_file_tree


def _check(
    tmp_path: Path, files: dict[str, str], requirements: tuple[str, ...] = ()
) -> list[Finding]:
    build_file_tree(tmp_path, {"user/__init__.py": "", **files})
    layout = ProjectLayout(tmp_path, tmp_path / "contract.yaml", tmp_path)
    contract = Contract("t", "1.0.0", "0.1", (), {}, tmp_path, requirements=requirements)
    return list(check_dependencies(layout, contract))


PROVIDED = [
    pytest.param({"user/a.py": "import os, json\nfrom collections import abc\n"}, (), id="stdlib"),
    pytest.param(
        {"user/a.py": "from user import b\nfrom . import b\n", "user/b.py": ""}, (), id="user"
    ),
    pytest.param({"user/a.py": "import pandas\n"}, ("pandas>=2",), id="contract-by-name"),
    pytest.param(
        {"user/a.py": "import sklearn\n", "requirements.txt": "scikit-learn==1.*  # model\n"},
        (),
        id="requirements-txt-via-metadata",
    ),
    pytest.param({"user/a.py": "import numpy\n"}, ("pandas",), id="required-by-a-declared-one"),
    pytest.param(
        {"user/a.py": "try:\n    import xgboost\nexcept ImportError:\n    xgboost = None\n"},
        (),
        id="guarded-import-is-optional",
    ),
    pytest.param(
        {"user/a.py": "def f():\n    import xgboost\n"}, (), id="import-inside-a-function"
    ),
    pytest.param(
        {"user/a.py": "import no_such_pkg_x\n", "requirements.txt": "no-such-pkg-x @ file:///x\n"},
        (),
        id="declared-by-name-not-installed",
    ),
]


@pytest.mark.parametrize(("files", "requirements"), PROVIDED)
def test_provided(tmp_path: Path, files: dict[str, str], requirements: tuple[str, ...]) -> None:
    assert _check(tmp_path, files, requirements) == []


def test_undeclared_installed_package_is_an_error_naming_the_distribution(tmp_path: Path) -> None:
    (finding,) = _check(tmp_path, {"user/a.py": "import os\n\nimport yaml\n"}, ("pandas",))
    assert finding.rule.id == "USR129" and finding.severity is Severity.ERROR
    assert (finding.location.path, finding.location.line, finding.location.column) == (
        "user/a.py",
        3,
        1,
    )
    assert "PyYAML" in finding.message.replace("pyyaml", "PyYAML") or "pyyaml" in finding.message
    assert finding.fix == "create requirements.txt at the project root with it: `pyyaml`"


def test_unknown_mapping_is_a_warning(tmp_path: Path) -> None:
    (finding,) = _check(tmp_path, {"user/a.py": "from xgboost_not_installed import X\n"})
    assert finding.rule.id == "USR131" and finding.severity is Severity.WARNING


def test_every_import_statement_is_reported(tmp_path: Path) -> None:
    files = {"user/a.py": "import yaml\n", "user/sub/__init__.py": "import yaml.constructor\n"}
    found = _check(tmp_path, files)
    assert [(f.location.path, f.rule.id) for f in found] == [
        ("user/a.py", "USR129"),
        ("user/sub/__init__.py", "USR129"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pandas>=2\n", {"pandas"}),
        ("Scikit_Learn[all] ; python_version > '3'\n", {"scikit-learn"}),
        ("# comment\n\n--index-url https://example.invalid/simple\n", set()),
        ("numpy \\\n  >=1\n", {"numpy"}),
        ("git+https://example.invalid/r.git#egg=my_pkg\n", {"my-pkg"}),
        ("-r ../outside.txt\n", set()),
        ("-r more.txt\n", set()),  # never followed: build refuses option lines (one reader)
    ],
)
def test_requirement_lines(tmp_path: Path, text: str, expected: set[str]) -> None:
    build_file_tree(
        tmp_path,
        {"p/requirements.txt": text, "outside.txt": "leaked\n", "p/more.txt": "included\n"},
    )
    assert declared_names(tmp_path / "p", ()) == expected


def test_the_mapping_never_imports_the_packages(tmp_path: Path) -> None:
    build_file_tree(
        tmp_path,
        {
            "user/__init__.py": "",
            "user/a.py": "import sklearn\nimport xgboost_absent\nimport dateutil\n",
            "requirements.txt": "scikit-learn\n",
        },
    )
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from kfp_templates._layout import ProjectLayout\n"
        "from kfp_templates.contract import Contract\n"
        "from kfp_templates.validators.dependencies import check_dependencies\n"
        f"root = Path({str(tmp_path)!r})\n"
        "layout = ProjectLayout(root, root / 'contract.yaml', root)\n"
        "found = list(check_dependencies(layout, Contract('t', '1', '0.1', (), {}, root)))\n"
        "print([f.rule.id for f in found], sorted(m for m in sys.modules if m.split('.')[0] "
        "in ('sklearn', 'dateutil')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "['USR131', 'USR129'] []", done.stderr


@pytest.mark.parametrize(
    "line",
    ["-r other.txt", "--index-url http://127.0.0.1/simple", "-e .", "-c constraints.txt"],
)
def test_an_option_line_is_reported_where_build_refuses_it(tmp_path: Path, line: str) -> None:
    files = {"requirements.txt": f"pandas  # frames\n\\\n{line}\n"}  # a continuation first
    found = _check(tmp_path, files)
    assert [(f.rule.id, f.location.path, f.location.line) for f in found] == [
        ("PRJ103", "requirements.txt", 2)
    ]
    with pytest.raises(ConsumerError, match="option lines are not supported") as raised:
        image_requirements(tmp_path, ())
    assert raised.value.location == f"{tmp_path / 'requirements.txt'}:2"  # the same line
