"""notebooks/medcalc.ipynb headlessly through our runner, in simulate mode: the verifiable rewards
pass their hand-made checks, the base model's held-out answers are scored, simulate() runs without
changing the weights (the held-out answers before and after agree), and the executed notebook
renders clean."""
import re
import subprocess

import nbformat

from conftest import ROOT, binary
from rendering import assert_renders_clean

NOTEBOOK = ROOT / "notebooks" / "medcalc.ipynb"
SMALL = {"simulate": "true", "maxCompletionLength": 12, "numGenerations": 2, "promptsPerStep": 1,
         "trainCount": 34, "heldOutCount": 4}


def outputs(nb, kind):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o["output_type"] == kind]


def test_medcalc_notebook_simulates_clean(tmp_path):
    out = tmp_path / "medcalc.ipynb"
    params = [arg for name, value in {**SMALL, "outputDir": tmp_path / "run"}.items() for arg in ("-p", f"{name}={value}")]
    result = subprocess.run([binary(), "run", str(NOTEBOOK), "-o", str(out), *params],
                            capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    nb = nbformat.read(out, as_version=4)
    nbformat.validate(nb)
    assert outputs(nb, "error") == [], [o.get("evalue") for o in outputs(nb, "error")]
    plain = [o["data"].get("text/plain", "") for o in outputs(nb, "execute_result") + outputs(nb, "display_data")]
    checks = [t for t in plain if t.startswith("Reward check:")]
    assert len(checks) == 3 and all("PASSED" in t for t in checks), checks
    assert any(t.startswith("Simulated 1 step") for t in plain), "simulate() ran"
    text = "".join(o["text"] for o in outputs(nb, "stream"))
    assert "<answer>110</answer>" in text, "the prompt carries the worked example"
    before, after = map(float, re.search(r"mean held-out reward: before ([\d.]+), after ([\d.]+)", text).groups())
    assert before == after, "simulate() must leave the adapter unchanged"
    comparison = next(t for t in plain if "before reward" in t)
    assert len([line for line in comparison.splitlines() if re.match(r"\d+ \|", line)]) == SMALL["heldOutCount"]
    assert_renders_clean(nb)
