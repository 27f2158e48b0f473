"""notebooks/rewards.ipynb headlessly through our runner: the five GSM8K-guide rewards written in
cells pass their hand-computed checks, agree with the built-ins, and a broken reward is isolated."""
import subprocess

import nbformat

from conftest import ROOT, binary
from rendering import assert_renders_clean

NOTEBOOK = ROOT / "notebooks" / "rewards.ipynb"


def outputs(nb, kind):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o["output_type"] == kind]


def test_rewards_notebook_runs_clean(tmp_path):
    out = tmp_path / "rewards.ipynb"
    result = subprocess.run([binary(), "run", str(NOTEBOOK), "-o", str(out), "-p", "maxNewTokens=16"],
                            capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    nb = nbformat.read(out, as_version=4)
    nbformat.validate(nb)
    assert outputs(nb, "error") == [], "no cell may fail"
    texts = [o["data"].get("text/plain", "") for o in outputs(nb, "execute_result") + outputs(nb, "display_data")]
    checks = [t for t in texts if t.startswith("Reward check:")]
    assert len(checks) == 5 and all("PASSED" in t for t in checks), checks
    comparison = next(t for t in texts if "strict_format" in t and "strictFormat" in t)
    for line in comparison.splitlines():
        if line[:1].isdigit():
            cells = line.split()[-8:]
            assert cells[0::2] == cells[1::2], f"cell reward and built-in disagree: {line}"
    isolated = next(t for t in texts if "fragile" in t)
    assert "Index out of range" in isolated and "nil" in isolated
    assert_renders_clean(nb)
