"""A short seeded smoke run of every fuzz target (issue #19): `swift-grpo fuzz TARGET --count N
--seed S` must finish with no crash and no hang. Long campaigns are recorded in RELIABILITY.md;
every input they found is a regression test in the Swift test targets."""
import os
import re
import subprocess

import pytest

from conftest import ROOT, binary

# Inputs per target: a few thousand in all, under a minute on this machine's release build.
COUNTS = {
    "gguf": 300, "safetensors": 300, "config": 300, "tokenizer": 150, "peft": 400, "chat-template": 400,
    "dataset-json": 400, "dataset-jsonl": 400, "dataset-csv": 400, "wire": 800,
}


@pytest.mark.parametrize("target", sorted(COUNTS))
def test_fuzz_smoke(target, tmp_path):
    command = [binary(), "fuzz", target, "--count", str(COUNTS[target]), "--seed", "19", "--timeout", "20",
               "--output", str(tmp_path), "--seeds", str(ROOT / "Tests" / "Fixtures"), "--seeds", str(ROOT / "data")]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, env=dict(os.environ))
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    summary = re.search(r"fuzz (\S+): (\d+) inputs, seed 19, (\d+) seeds, .* (\d+) accepted, 0 findings", result.stdout)
    assert summary, result.stdout
    assert summary.group(1) == target and int(summary.group(2)) == COUNTS[target]
    assert int(summary.group(3)) >= 1
    # Some inputs must get past the parser, or the smoke proves nothing about what follows it.
    assert int(summary.group(4)) > 0, result.stdout


def test_fuzz_reports_a_crashing_input_and_goes_on(tmp_path):
    """The driver itself: a worker killed by a signal is reported with the input that did it."""
    victim = tmp_path / "victim.py"
    victim.write_text("import os, signal, sys\n"
                      "args = sys.argv[1:]\n"
                      "start = int(args[args.index('--from') + 1]); end = int(args[args.index('--count') + 1])\n"
                      "for i in range(start, end):\n"
                      "    print(i, flush=True)\n"
                      "    if i == 3: os.kill(os.getpid(), signal.SIGSEGV)\n"
                      "print('done', end - start - 1, flush=True)\n")
    result = subprocess.run([binary(), "fuzz", "wire", "--count", "6", "--seed", "5", "--output", str(tmp_path / "out"),
                             "--worker-command", f"python3 {victim}"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "signal 11 at input 3" in result.stdout, result.stdout
    assert (tmp_path / "out" / "wire-seed5-input3.bin").exists()
    report = (tmp_path / "out" / "wire-seed5-input3.txt").read_text()
    assert "swift-grpo fuzz wire --replay" in report


def test_fuzz_profile_says_where_the_time_goes():
    """`--profile` runs the inputs in process and reports the time per seed and the slowest inputs."""
    result = subprocess.run([binary(), "fuzz", "config", "--profile", "--count", "60", "--seed", "3"],
                            capture_output=True, text=True, timeout=300, env=dict(os.environ))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "fuzz config --profile: 60 inputs, seed 3" in result.stdout
    seeds = re.findall(r"^ +(\d+) +[\d.]+ s +[\d.]+ ms +(\d+)  (.+)$", result.stdout, re.M)
    assert seeds, result.stdout
    assert sum(int(inputs) for inputs, _, _ in seeds) == 60
    assert any(name.startswith("builtin") for _, _, name in seeds)
    slowest = result.stdout.split("slowest inputs:")[1]
    assert re.search(r"s  input \d+: seed '", slowest), result.stdout
