"""Shared setup for the Python integration tests.

The kernelspec is installed with `swift-grpo install --prefix <tmp>` and found through a
temporary JUPYTER_PATH; Jupyter's data, runtime and config dirs point at temp dirs too, so the
tests never touch the user's Jupyter setup. SWIFT_GRPO_BIN names the binary under test.
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = pathlib.Path(__file__).resolve().parent / "notebooks"
KERNEL_NAME = "swift-grpo"


def binary() -> str:
    path = os.environ.get("SWIFT_GRPO_BIN") or str(ROOT / ".build" / "release" / "swift-grpo")
    if not os.path.exists(path):
        raise RuntimeError(f"SWIFT_GRPO_BIN={path} does not exist; build with `make build` first")
    return os.path.abspath(path)


def pytest_configure(config):
    base = pathlib.Path(tempfile.mkdtemp(prefix="swift-grpo-jupyter-"))
    for name in ("data", "runtime", "config"):
        (base / name).mkdir()
    os.environ["JUPYTER_DATA_DIR"] = str(base / "data")
    os.environ["JUPYTER_RUNTIME_DIR"] = str(base / "runtime")
    os.environ["JUPYTER_CONFIG_DIR"] = str(base / "config")
    os.environ["JUPYTER_PATH"] = str(base / "prefix" / "share" / "jupyter")
    os.environ["JUPYTER_PLATFORM_DIRS"] = "1"
    os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    subprocess.run([binary(), "install", "--prefix", str(base / "prefix")], check=True, capture_output=True)
    config._swift_grpo_tmp = base


def pytest_unconfigure(config):
    base = getattr(config, "_swift_grpo_tmp", None)
    if base:
        shutil.rmtree(base, ignore_errors=True)


def venv_tool(name: str) -> str:
    """A console script of the virtualenv running the tests (jupyter, papermill…)."""
    candidate = pathlib.Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


@pytest.fixture(scope="module")
def kernel():
    """A running kernel and a blocking client; shut down at the end of the module."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name=KERNEL_NAME, startup_timeout=30)
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=False)
