"""`swift-grpo install` writes a kernelspec Jupyter lists (checklist item 32)."""
import json
import os
import subprocess

from conftest import binary, venv_tool


def test_install_prefix_writes_kernel_json_and_logos(tmp_path):
    result = subprocess.run([binary(), "install", "--prefix", str(tmp_path), "--name", "swift-test"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    spec = tmp_path / "share" / "jupyter" / "kernels" / "swift-test"
    kernel = json.loads((spec / "kernel.json").read_text())
    assert kernel["argv"][1:] == ["kernel", "-f", "{connection_file}"]
    assert os.path.isabs(kernel["argv"][0]) and os.path.samefile(kernel["argv"][0], binary())
    assert kernel["interrupt_mode"] == "message"
    assert kernel["language"] == "swift"
    assert kernel["env"]["OPENBLAS_CORETYPE"]
    for logo in ("logo-32x32.png", "logo-64x64.png"):
        assert (spec / logo).read_bytes().startswith(b"\x89PNG")
    assert (spec / "logo-svg.svg").read_text().startswith("<svg")
    listed = subprocess.run([venv_tool("jupyter"), "kernelspec", "list", "--json"], capture_output=True, text=True,
                            env=dict(os.environ, JUPYTER_PATH=str(tmp_path / "share" / "jupyter")))
    assert "swift-test" in json.loads(listed.stdout)["kernelspecs"]


def test_install_user_honours_jupyter_data_dir(tmp_path):
    env = dict(os.environ, JUPYTER_DATA_DIR=str(tmp_path / "data"))
    result = subprocess.run([binary(), "kernel", "install", "--user"], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "kernels" / "swift-grpo" / "kernel.json").exists()


def test_install_rejects_conflicting_locations_and_bad_names(tmp_path):
    both = subprocess.run([binary(), "install", "--user", "--prefix", str(tmp_path)], capture_output=True, text=True)
    assert both.returncode != 0
    bad = subprocess.run([binary(), "install", "--prefix", str(tmp_path), "--name", "no spaces"], capture_output=True, text=True)
    assert bad.returncode != 0 and "name" in bad.stderr
