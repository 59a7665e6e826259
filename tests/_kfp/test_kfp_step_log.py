"""Following kfp.local's log: steps, durations, the failing step's traceback without kfp frames."""

from __future__ import annotations

from kfp_templates._kfp.step_log import StepLog
from kfp_templates._kfp.task_options import locally_ignored_options

LOG = """\
09:36:27.335 - INFO - Executing task 'train'
    [KFP Executor 2026-11-23 09:36:28,100 INFO]: Looking for component `train`
    Traceback (most recent call last):
      File "<frozen runpy>", line 198, in _run_module_as_main
      File "/venv/lib/python3.11/site-packages/kfp/dsl/executor_main.py", line 109, in <module>
      File "/venv/lib/python3.11/site-packages/kfp/dsl/executor.py", line 453, in execute
        result = self.func(**func_kwargs)
      File "/tmp/tmp.x/ephemeral_component.py", line 15, in train
        fitted = user_train(df)
      File "/project/user/train.py", line 8, in train
        raise ValueError("cannot train")
    ValueError: cannot train

09:36:28.210 - ERROR - Task 'train' finished with status FAILURE
"""


def _fed(text: str) -> StepLog:
    log = StepLog("(setup)")
    for line in text.splitlines():
        log.feed(line)
    return log


def test_traceback_keeps_user_frames_only() -> None:
    log = _fed(LOG)
    assert log.traceback_of("train").splitlines() == [
        "Traceback (most recent call last):",
        '  File "/tmp/tmp.x/ephemeral_component.py", line 15, in train',
        "    fitted = user_train(df)",
        '  File "/project/user/train.py", line 8, in train',
        '    raise ValueError("cannot train")',
        "ValueError: cannot train",
    ]
    assert log.last_failed == "train"
    assert set(log.durations) == {"train"}
    assert not log.in_step


def test_a_running_step_is_current() -> None:
    log = _fed(LOG.splitlines()[0])
    assert (log.current, log.in_step) == ("train", True)
    assert log.traceback_of("train") == ""


def test_locally_ignored_options_are_listed_per_step() -> None:
    steps = {"train": {"cpu": "2", "env": {"A": "1"}, "retries": 2, "volumes": {"c": "/m"}},
             "ingest": {"caching": False}, "other": "not a mapping"}
    assert locally_ignored_options(steps) == [
        ("ingest", "caching"), ("train", "cpu"), ("train", "volumes")]
