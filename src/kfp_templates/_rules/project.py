"""Rules about the project as a whole (`PRJ`): layout and copier update leftovers."""

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
