"""notebooks/starter.ipynb, the main job, in simulate mode: through our runner (as `make run` does)
and through papermill on the real kernel. Every step runs: the model, the dataset, the reward
checks, simulate(), the recorded and a live evaluation of the shipped checkpoint, base and tuned
answers side by side, and the three exports (PEFT adapter, merged f16 folder, Q8_0 GGUF)."""
import json
import subprocess
import sys

import nbformat

from conftest import ROOT, binary

sys.path.insert(0, str(ROOT / "python"))

STARTER = ROOT / "notebooks" / "starter.ipynb"
SMALL = {"evaluationCount": 1}


def outputs(nb, kind):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o["output_type"] == kind]


def check_executed(nb, out_dir):
    assert outputs(nb, "error") == [], [o.get("evalue") for o in outputs(nb, "error")]
    rich = [o["data"] for o in outputs(nb, "execute_result") + outputs(nb, "display_data")]
    plain = "\n".join(d.get("text/plain", "") for d in rich)
    text = "".join(o["text"] for o in outputs(nb, "stream"))
    assert "279 for training, 31 held out" in text
    assert "combined: right" in text
    assert "Simulated 2 steps (no weights changed)" in plain and "forecast for the run" in plain
    assert plain.count("Evaluation of base, tuned on") == 2, "the recorded and the live evaluation"
    assert "Is aspirin good for cardiovascular func" in plain
    assert json.loads((out_dir / "lora" / "adapter_config.json").read_text())["peft_type"] == "LORA"
    assert (out_dir / "merged-f16" / "model.safetensors").stat().st_size > 100_000_000
    assert (out_dir / "model-q8_0.gguf").read_bytes()[:4] == b"GGUF"


def test_starter_with_our_runner(tmp_path):
    out = tmp_path / "starter.ipynb"
    params = [arg for name, value in {**SMALL, "outputDir": tmp_path / "exports"}.items() for arg in ("-p", f"{name}={value}")]
    result = subprocess.run([binary(), "run", str(STARTER), "-o", str(out), *params],
                            capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    nb = nbformat.read(out, as_version=4)
    nbformat.validate(nb)
    check_executed(nb, tmp_path / "exports")


def test_starter_with_papermill_on_the_kernel(tmp_path):
    import swiftgrpo_papermill

    out = tmp_path / "papermill.ipynb"
    swiftgrpo_papermill.execute_notebook(str(STARTER), str(out), kernel_name="swift-grpo",
                                         parameters={**SMALL, "outputDir": str(tmp_path / "exports")},
                                         progress_bar=False, cwd=str(ROOT))
    check_executed(nbformat.read(out, as_version=4), tmp_path / "exports")
