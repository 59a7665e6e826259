"""Rules about the project as a whole (`PRJ`): layout, copier update leftovers, requirements."""

from kfp_templates._rules._model import Family, Rule

_C = Family.CONSUMER

CONFLICT_MARKERS = Rule(
    "PRJ100",
    "merge conflict markers left by copier update",
    _C,
    "`copier update` exits 0 even when it leaves `<<<<<<<`/`=======`/`>>>>>>>` markers. "
    "Resolve the conflict at the reported line and delete the markers.",
)
REJECT_FILE = Rule(
    "PRJ101",
    "rejected patch file left by copier update",
    _C,
    "`copier update` leaves `*.rej` files for hunks it could not apply. Apply the hunk by hand, "
    "then delete the `.rej` file.",
)
LINK_OUT = Rule(
    "PRJ102",
    "symlink leaving the project, or a symlink loop",
    _C,
    "A symlink in user/, the template directory or at the config file points outside the "
    "project (or back into itself). kfp-templates never follows such a link: `build` would "
    "otherwise copy what it points to, say cloud credentials, into the image. Replace the link "
    "with a copy of the files it should provide, or delete it.",
)
REQUIREMENTS_OPTION = Rule(
    "PRJ103",
    "option line in requirements.txt",
    _C,
    "`build` installs the lines of requirements.txt into the image and nothing else: an option "
    "line (`-r other.txt`, `-c`, `--index-url`, `-e .`) would make the image depend on other "
    "files or package indexes, so `build` refuses it. Write each requirement on its own line "
    "(`xgboost>=2`), copying those of a referenced file in.",
)
