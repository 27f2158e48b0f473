"""The main job: notebooks/quickstart.ipynb on the default model, through our runner and through
papermill on the real kernel (the model loads, chats, generates a group and scores it)."""
import subprocess
import sys

import nbformat

from conftest import ROOT, binary
from rendering import assert_renders_clean

sys.path.insert(0, str(ROOT / "python"))

QUICKSTART = ROOT / "notebooks" / "quickstart.ipynb"


def outputs(nb, kind):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o["output_type"] == kind]


def check_executed(nb, group_size):
    assert outputs(nb, "error") == [], "no cell may fail"
    rich = [o["data"] for o in outputs(nb, "execute_result") + outputs(nb, "display_data")]
    model_table = [d for d in rich if "architecture: llama" in d.get("text/plain", "")]
    assert model_table and "<table>" in model_table[0]["text/html"], "the model shows itself as a table"
    report = [d for d in rich if "combined" in d.get("text/plain", "") and "semantic_correctness" in d.get("text/plain", "")]
    assert report, "the reward report is shown"
    assert len([line for line in report[0]["text/plain"].splitlines() if line[:1].isdigit()]) == group_size
    assert "<table>" in report[0]["text/html"]
    assert any("PASSED" in d.get("text/plain", "") for d in rich), "the cell-written reward passes its check"
    text = "".join(o["text"] for o in outputs(nb, "stream"))
    assert text.count("advantage") == group_size
    assert "279 for training" in text
    assert_renders_clean(nb)


def test_quickstart_with_our_runner(tmp_path):
    out = tmp_path / "quickstart.ipynb"
    result = subprocess.run([binary(), "run", str(QUICKSTART), "-o", str(out), "-p", "groupSize=3", "-p", "maxNewTokens=32"],
                            capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    nb = nbformat.read(out, as_version=4)
    nbformat.validate(nb)
    check_executed(nb, 3)


def test_quickstart_with_papermill_on_the_kernel(tmp_path):
    import swiftgrpo_papermill

    out = tmp_path / "papermill.ipynb"
    swiftgrpo_papermill.execute_notebook(str(QUICKSTART), str(out), kernel_name="swift-grpo",
                                         parameters={"groupSize": 2, "maxNewTokens": 24}, progress_bar=False,
                                         cwd=str(tmp_path))
    check_executed(nbformat.read(out, as_version=4), 2)
