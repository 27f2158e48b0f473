"""`swift-grpo grpo-loss` against TRL 1.16's numbers in grpo_loss.json.

Every fixture case goes through the binary as one JSON line; the reply must match the fixture's
advantages (1e-5), loss (1e-6 abs or 1e-5 rel), grad_logp (1e-6) and metrics (1e-6). Bad lines
must fail with a message naming the field.
"""
import json
import math
import os
import pathlib
import subprocess

import pytest

from conftest import ROOT, binary

FIXTURES = pathlib.Path(os.environ.get("SWIFT_GRPO_FIXTURES") or ROOT.parent / "shared" / "fixtures")
CASES = json.loads((FIXTURES / "grpo_loss.json").read_text())["cases"]


def run(lines):
    return subprocess.run([binary(), "grpo-loss"], input="".join(json.dumps(line) + "\n" for line in lines),
                          capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def replies():
    result = run([{"config": case["config"], "inputs": case["inputs"]} for case in CASES])
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().split("\n")
    assert len(lines) == len(CASES)
    return [json.loads(line) for line in lines]


@pytest.mark.parametrize("index", range(len(CASES)), ids=[case["name"] for case in CASES])
def test_case_matches_trl(replies, index):
    expected, reply = CASES[index]["outputs"], replies[index]
    assert len(reply["advantages"]) == len(expected["advantages"])
    for mine, theirs in zip(reply["advantages"], expected["advantages"]):
        assert abs(mine - theirs) <= 1e-5
    assert reply["num_items_in_batch"] == expected["num_items_in_batch"]
    loss = expected["loss"]
    assert abs(reply["loss"] - loss) <= max(1e-6, 1e-5 * abs(loss)), (reply["loss"], loss)
    assert len(reply["grad_logp"]) == len(expected["grad_logp"])
    for mine_row, their_row in zip(reply["grad_logp"], expected["grad_logp"]):
        assert len(mine_row) == len(their_row)
        for mine, theirs in zip(mine_row, their_row):
            assert abs(mine - theirs) <= 1e-6
    assert set(reply["metrics"]) == set(expected["metrics"])
    for key, value in expected["metrics"].items():
        assert math.isclose(reply["metrics"][key], value, rel_tol=0, abs_tol=1e-6), key


def test_bad_lines_name_the_field():
    case = CASES[0]
    bad_type = {"config": dict(case["config"], loss_type="ppo"), "inputs": case["inputs"]}
    result = run([bad_type])
    assert result.returncode != 0
    assert "config.loss_type" in result.stderr and "dr_grpo" in result.stderr

    ragged = dict(case["inputs"], logp=case["inputs"]["logp"][:-1])
    result = run([{"config": case["config"], "inputs": ragged}])
    assert result.returncode != 0 and "inputs.logp" in result.stderr

    uneven = dict(case["config"], num_generations=3)
    result = run([{"config": uneven, "inputs": case["inputs"]}])
    assert result.returncode != 0 and "groups of 3" in result.stderr

    no_reference = dict(case["inputs"])
    del no_reference["ref_logp"]
    result = run([{"config": dict(case["config"], beta=0.1), "inputs": no_reference}])
    assert result.returncode != 0 and "inputs.ref_logp" in result.stderr

    result = run(["not an object"])
    assert result.returncode != 0 and "line 1" in result.stderr
