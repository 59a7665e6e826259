"""Coverage-guided fuzzing with atheris (libFuzzer) of the same targets the hypothesis tests use.

    python tests/fuzz/atheris_fuzz.py extract [libFuzzer flags, e.g. -runs=100000 -max_len=4096]
    python tests/fuzz/atheris_fuzz.py config  [...]
    python tests/fuzz/atheris_fuzz.py yaml    [...]

A crash (an exception escaping the target) makes libFuzzer write the input to `crash-*` in the
current directory and exit non-zero; replay it with the same command plus the file's path.
atheris installs from wheels on Linux x86-64 for CPython 3.8 to 3.11 and later; where it does
not, the hypothesis tests in test_fuzz_static.py cover the same targets.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import atheris

with atheris.instrument_imports():
    from fuzz_targets import FuzzProject, check_config, check_user_module, check_yaml_loader

TARGETS = ("extract", "config", "yaml")


def main(argv: list[str]) -> None:
    """Run libFuzzer on the target named by argv[1]; the other arguments are libFuzzer's."""
    if len(argv) < 2 or argv[1] not in TARGETS:
        sys.exit(f"usage: {Path(argv[0]).name} {{{'|'.join(TARGETS)}}} [libFuzzer flags]")
    target = argv[1]
    project = FuzzProject.create()

    def one_input(data: bytes) -> None:
        if target == "extract":
            check_user_module(project, data)
        elif target == "config":
            check_config(project, data)
        else:
            check_yaml_loader(data.decode("utf-8", "replace"))

    atheris.Setup([argv[0], *argv[2:]], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
