"""GRPO in the notebook on the real default model, kept tiny (two steps of 2 prompts × 2 completions of a
few tokens): the kernel's live progress (display_data, then update_display_data with the same id), the
REPL's one-line terminal bar, and a notebook that simulates and trains headlessly through our runner and
through papermill."""
import os
import shutil
import sys
import xml.etree.ElementTree as ET

import nbformat
import pexpect
import pytest

from conftest import NOTEBOOKS, ROOT, binary
from kernel_harness import run_cell

sys.path.insert(0, str(ROOT / "python"))

SETUP = """let model = try Model.load("SmolLM2-135M-Instruct")
let data = try Dataset.json("{root}/data/medical-o1-sample.json").head(4).chatPrompt(system: "Be brief.", userColumn: "Question")
func brevity(completions: [String]) -> [Double?] {{ completions.map {{ 1.0 / Double(1 + $0.count) }} }}
let config = GRPOConfig(maxSteps: 2, numGenerations: 2, perDeviceTrainBatchSize: 2, maxCompletionLength: 6, loggingSteps: 1, outputDir: "{out}")
let trainer = GRPOTrainer(model: model, rewards: [Reward(brevity)], config: config, dataset: data, lora: LoRAConfig(rank: 4, alpha: 8))"""


def test_kernel_progress_is_one_display_updated_in_place(kernel, tmp_path):
    _, client = kernel
    reply, _ = run_cell(client, SETUP.format(root=ROOT, out=tmp_path / "run"), timeout=120)
    assert reply["content"]["status"] == "ok", reply["content"]
    reply, outputs = run_cell(client, "trainer.train()", timeout=300)
    assert reply["content"]["status"] == "ok", reply["content"]
    displays = [m for m in outputs if m["msg_type"] in ("display_data", "update_display_data")]
    first = displays[0]
    assert first["msg_type"] == "display_data"
    progress_id = first["content"]["transient"]["display_id"]
    progress = [m for m in displays if m["content"].get("transient", {}).get("display_id") == progress_id]
    assert [m["msg_type"] for m in progress[:2]] == ["display_data", "update_display_data"]
    assert all(m["msg_type"] == "update_display_data" for m in progress[1:]) and len(progress) >= 3
    final = progress[-1]["content"]["data"]
    assert final["text/plain"].startswith("step 2/2"), final["text/plain"]
    assert "text/html" in final
    charts = [m for m in displays if "image/svg+xml" in m["content"]["data"]]
    assert len({m["content"]["transient"]["display_id"] for m in charts}) == 1, "the plots are redrawn in place"
    assert charts[0]["msg_type"] == "display_data" and charts[-1]["msg_type"] == "update_display_data"
    ET.fromstring(charts[-1]["content"]["data"]["image/svg+xml"])  # valid XML


def test_repl_shows_a_terminal_bar(tmp_path):
    env = dict(os.environ, TERM="xterm", SWIFT_GRPO_HISTORY=str(tmp_path / "history"))
    env.setdefault("OPENBLAS_CORETYPE", "Haswell")
    child = pexpect.spawn(binary(), ["repl"], env=env, encoding="utf-8", timeout=120, dimensions=(40, 240), cwd=str(ROOT))
    child.expect(r"\d+> ")
    for line in SETUP.format(root=ROOT, out=tmp_path / "run").split("\n"):
        child.sendline(line)
        child.expect(r"\d+> ")
    child.sendline("trainer.train()")
    child.expect(r"\r\x1b\[Kstep 1/2 \[", timeout=300)
    child.expect(r"\r\x1b\[Kstep 2/2 \[█+\] 100%", timeout=300)
    child.expect(r"\d+> ")
    child.sendline("print(trainer.step)")
    child.expect(r"[\r\n]2\r?\n")
    child.sendeof()
    child.expect(pexpect.EOF)


def cell_starting(nb, source):
    return next(c for c in nb.cells if c.cell_type == "code" and c.source.startswith(source))


def outputs_of(cell, kind):
    return [o for o in cell.get("outputs", []) if o["output_type"] == kind]


def check_simulation_cell(cell):
    results = outputs_of(cell, "execute_result")
    assert results, cell.get("outputs")
    data = results[0]["data"]
    assert "Simulated 2 steps" in data["text/html"]
    assert "No optimizer update was made" in data["text/plain"]


def test_notebook_simulates_and_trains_through_our_runner(tmp_path):
    out = tmp_path / "ran.ipynb"
    result = subprocess_run([binary(), "run", str(NOTEBOOKS / "training.ipynb"), "-o", str(out),
                             "-p", f"outputDir={tmp_path / 'run'}"])
    assert result.returncode == 0, result.stderr
    nb = nbformat.read(out, as_version=4)
    check_simulation_cell(cell_starting(nb, "trainer.simulate"))
    train = cell_starting(nb, "trainer.train")
    text = "".join(o["text"] for o in outputs_of(train, "stream") if o["name"] == "stdout")
    lines = [line for line in text.splitlines() if line.startswith("step ")]
    assert lines[0].startswith("step 1/2") and lines[-1].startswith("step 2/2"), text
    charts = [o for o in outputs_of(train, "display_data") if "image/svg+xml" in o["data"]]
    assert len(charts) == 1, "a headless run shows the plots once, at the end"
    ET.fromstring(charts[0]["data"]["image/svg+xml"])
    assert (tmp_path / "run" / "metrics.jsonl").read_text().count("\n") == 2
    assert "loss" in outputs_of(cell_starting(nb, "trainer.metrics"), "execute_result")[0]["data"]["text/plain"]


def test_notebook_simulates_and_trains_through_papermill(tmp_path):
    import swiftgrpo_papermill

    source = tmp_path / "training.ipynb"
    shutil.copy(NOTEBOOKS / "training.ipynb", source)
    out = tmp_path / "papermill.ipynb"
    swiftgrpo_papermill.execute_notebook(str(source), str(out), kernel_name="swift-grpo", cwd=str(ROOT),
                                         parameters={"outputDir": str(tmp_path / "run")}, progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    check_simulation_cell(cell_starting(nb, "trainer.simulate"))
    displays = outputs_of(cell_starting(nb, "trainer.train"), "display_data")
    progress = [o for o in displays if o["data"]["text/plain"].startswith("step ")]
    assert progress and progress[0]["data"]["text/plain"].startswith("step 2/2"), "updated in place to the last step"
    charts = [o for o in displays if "image/svg+xml" in o["data"]]
    assert len(charts) == 1
    ET.fromstring(charts[0]["data"]["image/svg+xml"])
    assert "image/svg+xml" in outputs_of(cell_starting(nb, "trainer.plot"), "execute_result")[0]["data"]


def subprocess_run(args):
    import subprocess

    env = dict(os.environ)
    env.setdefault("OPENBLAS_CORETYPE", "Haswell")
    return subprocess.run(args, capture_output=True, text=True, timeout=600, cwd=str(ROOT), env=env)
