"""Training survives kill -9: a run killed at arbitrary moments (during rollouts, the update or a
checkpoint write) leaves only whole `checkpoint-N` folders, `--resume` continues from the newest,
and the finished run equals one that was never killed (same log, same adapter bytes).
"""
import json
import os
import random
import signal
import subprocess
import time

from conftest import binary
from test_train_command import job, losses  # noqa: F401  (the tiny-model job fixture)

STEPS = 40
CHECKPOINT_FILES = {"adapter_config.json", "adapter_model.safetensors", "optimizer.safetensors", "optimizer.json",
                    "trainer_state.json", "grpo_config.json", "metrics.jsonl"}


def start(config, *extra):
    env = dict(os.environ, OPENBLAS_CORETYPE=os.environ.get("OPENBLAS_CORETYPE", "Haswell"))
    return subprocess.Popen([binary(), "train", str(config), "--threads", "1", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def assert_whole_checkpoints(folder):
    for path in folder.iterdir():
        if path.name.startswith("checkpoint-"):
            assert CHECKPOINT_FILES <= {p.name for p in path.iterdir()}, f"{path.name} is torn"
            json.loads((path / "trainer_state.json").read_text())
            json.loads((path / "adapter_config.json").read_text())


def test_a_run_killed_at_random_moments_resumes_to_the_same_result(job):
    root, write = job
    extra = f"save_steps: 1\nmax_steps: {STEPS}\n"
    whole = subprocess.run([binary(), "train", str(write("whole.yaml", "whole", extra)), "--threads", "1"],
                           capture_output=True, text=True, timeout=600)
    assert whole.returncode == 0, whole.stderr

    killed = root / "killed"
    config = write("killed.yaml", "killed", extra)
    chooser = random.Random(11)
    kills = 0
    for attempt in range(60):
        resuming = any(p.name.startswith("checkpoint-") for p in killed.iterdir()) if killed.exists() else False
        process = start(config, *(["--resume"] if resuming else []))
        # Short random lives at first (most die while loading or in the first step), longer later,
        # so the run always gets to the end however fast this machine is.
        time.sleep(chooser.uniform(0.02, 0.25) * (1 + attempt / 4))
        if process.poll() is not None:
            out, err = process.communicate()
            assert process.returncode == 0, err
            break
        process.send_signal(signal.SIGKILL)
        process.wait()
        kills += 1
        assert_whole_checkpoints(killed)
    else:
        raise AssertionError("the run never finished between kills; lengthen the sleeps")
    assert kills >= 2, "the run finished before it was killed twice; shorten the sleeps"

    assert_whole_checkpoints(killed)
    assert not [p.name for p in killed.iterdir() if p.name.startswith(".checkpoint-")], "temporary folders left behind"
    mine, theirs = losses(killed), losses(root / "whole")
    assert [entry["step"] for entry in mine] == list(range(1, STEPS + 1))
    for a, b in zip(mine, theirs):
        assert (a["loss"], a["reward"], a["grad_norm"]) == (b["loss"], b["reward"], b["grad_norm"])
    assert (killed / f"checkpoint-{STEPS}" / "adapter_model.safetensors").read_bytes() == \
        (root / "whole" / f"checkpoint-{STEPS}" / "adapter_model.safetensors").read_bytes()
