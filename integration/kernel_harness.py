"""Helpers for tests that drive the kernel over the raw protocol."""
import json
import os
import pathlib
import socket
import subprocess
import time

from jupyter_client import BlockingKernelClient
from jupyter_client.session import Session

from conftest import binary


def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


class RawKernel:
    """`swift-grpo kernel -f FILE` started by hand, so its stderr can be read and its exit timed."""

    def __init__(self, tmp_path: pathlib.Path, key: str = "test-key-123"):
        shell, iopub, stdin, control, hb = free_ports(5)
        self.info = {
            "shell_port": shell, "iopub_port": iopub, "stdin_port": stdin, "control_port": control,
            "hb_port": hb, "ip": "127.0.0.1", "key": key, "transport": "tcp",
            "signature_scheme": "hmac-sha256", "kernel_name": "swift-grpo",
        }
        self.path = tmp_path / "kernel.json"
        self.path.write_text(json.dumps(self.info))
        self.stderr_path = tmp_path / "kernel.stderr"
        env = dict(os.environ, OPENBLAS_CORETYPE=os.environ.get("OPENBLAS_CORETYPE", "SkylakeX"))
        self.stderr_file = open(self.stderr_path, "wb")
        self.process = subprocess.Popen(
            [binary(), "kernel", "-f", str(self.path)], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
            stderr=self.stderr_file, env=env, start_new_session=True)
        self.client = BlockingKernelClient(connection_file=str(self.path))
        self.client.load_connection_file()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=30)

    def endpoint(self, channel):
        return f"tcp://127.0.0.1:{self.info[channel + '_port']}"

    def stderr(self):
        self.stderr_file.flush()
        return self.stderr_path.read_text(errors="replace")

    def rss_megabytes(self):
        for line in pathlib.Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def close(self):
        self.client.stop_channels()
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.stderr_file.close()


def run_cell(client, code, timeout=30, **options):
    """Executes `code`; returns (reply, [iopub messages parented to it up to idle])."""
    msg_id = client.execute(code, **options)
    reply = client.get_shell_msg(timeout=timeout)
    assert reply["parent_header"]["msg_id"] == msg_id, (reply["msg_type"], reply["content"])
    outputs = []
    while True:
        msg = client.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status":
            if msg["content"]["execution_state"] == "idle":
                return reply, outputs
            continue
        outputs.append(msg)


def stream_text(outputs, name="stdout"):
    return "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream" and m["content"]["name"] == name)


def session_with_key(key):
    return Session(key=key.encode(), signature_scheme="hmac-sha256")
