"""Real Jupyter clients (jupyter execute, nbconvert, papermill) and our own runner on the same
notebooks (checklist items 34-36)."""
import json
import pathlib
import shutil
import subprocess
import sys

import nbformat
import pytest

from conftest import NOTEBOOKS, ROOT, binary, venv_tool

sys.path.insert(0, str(ROOT / "python"))


def copy(tmp_path, name):
    target = tmp_path / name
    shutil.copy(NOTEBOOKS / name, target)
    return target


def outputs_text(cell):
    parts = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            parts.append(output["text"])
        elif output["output_type"] in ("execute_result", "display_data"):
            parts.append(output["data"].get("text/plain", ""))
        elif output["output_type"] == "error":
            parts.append(output["ename"])
    return "".join(parts)


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, timeout=120, **kwargs)


def test_jupyter_execute_exit_codes(tmp_path):
    jupyter = venv_tool("jupyter")
    assert run([jupyter, "execute", str(copy(tmp_path, "passing.ipynb"))]).returncode == 0
    failed = run([jupyter, "execute", str(copy(tmp_path, "failing.ipynb"))])
    assert failed.returncode == 1, failed.stderr
    assert run([jupyter, "execute", "--allow-errors", str(copy(tmp_path, "failing.ipynb"))]).returncode == 0


def test_nbconvert_execute_stores_language_info_and_outputs(tmp_path):
    jupyter = venv_tool("jupyter")
    source = copy(tmp_path, "passing.ipynb")
    result = run([jupyter, "nbconvert", "--to", "notebook", "--execute", "--output", "executed.ipynb", str(source)])
    assert result.returncode == 0, result.stderr
    nb = nbformat.read(tmp_path / "executed.ipynb", as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.language_info["name"] == "swift"
    assert nb.metadata.language_info["file_extension"] == ".swift"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "alpha = 0.1" in outputs_text(code[1])
    assert code[2].outputs[0]["data"]["text/plain"] == "55"
    assert code[4].outputs == [], "skip-execution"
    assert code[5].outputs[0]["output_type"] == "error", "raises-exception"
    failing = copy(tmp_path, "failing.ipynb")
    assert run([jupyter, "nbconvert", "--to", "notebook", "--execute", str(failing)]).returncode == 1
    allowed = run([jupyter, "nbconvert", "--to", "notebook", "--execute", "--allow-errors", "--output", "allowed.ipynb", str(failing)])
    assert allowed.returncode == 0, allowed.stderr
    nb = nbformat.read(tmp_path / "allowed.ipynb", as_version=4)
    assert "after" in outputs_text(nb.cells[2])


def without_expected_failures(tmp_path):
    """passing.ipynb minus its `raises-exception` cell, which papermill (unlike nbclient) does not honour."""
    nb = nbformat.read(NOTEBOOKS / "passing.ipynb", as_version=4)
    nb.cells = [c for c in nb.cells if "raises-exception" not in c.metadata.get("tags", [])]
    path = tmp_path / "for-papermill.ipynb"
    nbformat.write(nb, path)
    return path


def test_papermill_with_the_swift_translator(tmp_path):
    import swiftgrpo_papermill

    out = tmp_path / "papermill.ipynb"
    swiftgrpo_papermill.execute_notebook(
        str(without_expected_failures(tmp_path)), str(out), kernel_name="swift-grpo",
        parameters={"alpha": 0.5, "label": 'say "hi"', "tags": ["a", "b"]}, progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    assert injected[0].source == '// Parameters\nlet alpha = 0.5\nlet label = "say \\"hi\\""\nlet tags = ["a", "b"]\n'
    index = nb.cells.index(injected[0])
    assert "parameters" in nb.cells[index - 1].metadata.tags
    text = outputs_text(nb.cells[index + 1])
    assert "alpha = 0.5" in text and 'label = say "hi"' in text and "tags = 2" in text


def test_papermill_stops_at_a_failing_cell(tmp_path):
    import papermill
    import swiftgrpo_papermill

    with pytest.raises(papermill.PapermillExecutionError):
        swiftgrpo_papermill.execute_notebook(
            str(NOTEBOOKS / "failing.ipynb"), str(tmp_path / "out.ipynb"), kernel_name="swift-grpo", progress_bar=False)


def test_papermill_cli_wrapper(tmp_path):
    out = tmp_path / "cli.ipynb"
    result = run([sys.executable, str(ROOT / "python" / "swiftgrpo_papermill.py"), str(without_expected_failures(tmp_path)), str(out),
                  "-k", "swift-grpo", "-p", "alpha", "2.5", "--no-progress-bar"])
    assert result.returncode == 0, result.stderr
    nb = nbformat.read(out, as_version=4)
    assert any("alpha = 2.5" in outputs_text(c) for c in nb.cells)


def test_our_runner_matches_nbclient_semantics(tmp_path):
    out = tmp_path / "ours.ipynb"
    result = run([binary(), "run", str(NOTEBOOKS / "passing.ipynb"), "-o", str(out), "-p", "alpha=0.5", "-p", "label=run one"])
    assert result.returncode == 0, result.stderr
    nb = nbformat.read(out, as_version=4)
    nbformat.validate(nb)
    assert (nb.nbformat, nb.nbformat_minor) == (4, 5)
    assert nb.metadata.language_info["name"] == "swift"
    injected = [i for i, c in enumerate(nb.cells) if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    assert "parameters" in nb.cells[injected[0] - 1].metadata.tags
    assert nb.cells[injected[0]].source == '// Parameters\nlet alpha = 0.5\nlet label = "run one"'
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "alpha = 0.5" in outputs_text(code[2]) and "label = run one" in outputs_text(code[2])
    assert code[3].outputs[0]["data"]["text/plain"] == "55"
    assert code[3].execution_count == code[3].outputs[0]["execution_count"]
    assert "text/html" in code[4].outputs[0]["data"]
    assert code[4].outputs[1] == {"output_type": "stream", "name": "stderr", "text": "a warning\n"}
    assert code[5].outputs == [] and code[5].execution_count is None, "skip-execution"
    assert code[6].outputs[0]["output_type"] == "error", "raises-exception"
    assert "done 55" in outputs_text(code[7])


def test_our_runner_writes_the_partial_notebook_and_fails(tmp_path):
    out = tmp_path / "partial.ipynb"
    result = run([binary(), "run", str(NOTEBOOKS / "failing.ipynb"), "-o", str(out)])
    assert result.returncode == 1
    nb = nbformat.read(out, as_version=4)
    nbformat.validate(nb)
    assert outputs_text(nb.cells[0]) == "before\n"
    assert nb.cells[1].outputs[0]["output_type"] == "error"
    assert nb.cells[2].execution_count is None and nb.cells[2].outputs == []
    allowed = tmp_path / "allowed.ipynb"
    result = run([binary(), "run", str(NOTEBOOKS / "failing.ipynb"), "-o", str(allowed), "--allow-errors"])
    assert result.returncode == 0, result.stderr
    assert outputs_text(nbformat.read(allowed, as_version=4).cells[2]) == "after\n"


def test_our_runner_times_out_a_cell(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("var spins = 0\nwhile true { spins += 1 }"),
                                         nbformat.v4.new_code_cell('print("unreached")')])
    source = tmp_path / "spin.ipynb"
    nbformat.write(nb, source)
    out = tmp_path / "spin.out.ipynb"
    result = run([binary(), "run", str(source), "-o", str(out), "--timeout", "1"])
    assert result.returncode == 1
    executed = nbformat.read(out, as_version=4)
    nbformat.validate(executed)
    assert executed.cells[0].outputs[-1]["ename"] == "CellTimeoutError"
    assert executed.cells[1].outputs == []
