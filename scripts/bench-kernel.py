#!/usr/bin/env python3
"""Kernel benchmark: launch → kernel_info_reply, and `1+1` execute round trips (request sent →
reply and idle received) p50/p99 over N requests, for swift-grpo and ipykernel measured the
same way in the same run.

Launch is measured twice: through jupyter_client's KernelManager (what a notebook server
sees; its clients connect before the kernel binds, so ZeroMQ's 100 ms reconnect interval is
part of it), and directly (spawn the kernel, wait until its shell port accepts TCP, then
connect and ask for kernel_info).

    .venv/bin/python scripts/bench-kernel.py [--binary .build/release/swift-grpo] [--requests 200]
"""
import argparse
import json
import os
import pathlib
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from jupyter_client import BlockingKernelClient
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

ROOT = pathlib.Path(__file__).resolve().parent.parent


def launch(kernel_name):
    """Seconds from starting the kernel process to receiving its kernel_info_reply."""
    started = time.perf_counter()
    km = KernelManager(kernel_name=kernel_name)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    while True:
        kc.kernel_info()
        try:
            kc.get_shell_msg(timeout=0.05)
            break
        except Exception:
            if time.perf_counter() - started > 60:
                raise RuntimeError(f"{kernel_name} did not answer kernel_info within 60 s")
    elapsed = time.perf_counter() - started
    return km, kc, elapsed


def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def launch_direct(kernel_name):
    """Seconds from spawning the kernel to its kernel_info_reply, connecting once it listens."""
    ports = free_ports(5)
    info = dict(zip(["shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"], ports),
                ip="127.0.0.1", key="bench", transport="tcp", signature_scheme="hmac-sha256")
    path = tempfile.mktemp(suffix=".json")
    with open(path, "w") as f:
        json.dump(info, f)
    spec = KernelSpecManager().get_kernel_spec(kernel_name)
    argv = [a.replace("{connection_file}", path).replace("{resource_dir}", spec.resource_dir) for a in spec.argv]
    if argv[0] in ("python", "python3"):
        argv[0] = sys.executable  # as jupyter_client does for the native kernel
    started = time.perf_counter()
    process = subprocess.Popen(argv, env={**os.environ, **spec.env}, stdin=subprocess.PIPE,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        try:
            socket.create_connection(("127.0.0.1", info["shell_port"]), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"{kernel_name} exited with status {process.returncode} before listening")
            time.sleep(0.001)
    kc = BlockingKernelClient(connection_file=path)
    kc.load_connection_file()
    kc.start_channels()
    kc.kernel_info()
    kc.get_shell_msg(timeout=30)
    elapsed = time.perf_counter() - started
    kc.stop_channels()
    process.kill()
    process.wait()
    os.unlink(path)
    return elapsed


def round_trips(kc, count):
    kc.wait_for_ready(timeout=30)
    for _ in range(10):  # warm up
        kc.execute_interactive("1+1", timeout=10, output_hook=lambda m: None)
    times = []
    for _ in range(count):
        started = time.perf_counter()
        msg_id = kc.execute("1+1")
        reply = kc.get_shell_msg(timeout=10)
        assert reply["parent_header"]["msg_id"] == msg_id
        while True:
            msg = kc.get_iopub_msg(timeout=10)
            if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                    and msg["content"]["execution_state"] == "idle"):
                break
        times.append(time.perf_counter() - started)
    return times


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure(kernel_name, launches, requests):
    startup = []
    for _ in range(launches):
        km, kc, elapsed = launch(kernel_name)
        startup.append(elapsed)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    direct = [launch_direct(kernel_name) for _ in range(launches)]
    km, kc, _ = launch(kernel_name)
    times = round_trips(kc, requests)
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    return statistics.median(direct), statistics.median(startup), percentile(times, 0.5), percentile(times, 0.99)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.environ.get("SWIFT_GRPO_BIN", str(ROOT / ".build/release/swift-grpo")))
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--launches", type=int, default=5)
    args = parser.parse_args()
    prefix = tempfile.mkdtemp(prefix="swift-grpo-bench-")
    subprocess.run([args.binary, "install", "--prefix", prefix], check=True, capture_output=True)
    os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    rows = []
    for name in ("swift-grpo", "python3"):
        rows.append((name, *measure(name, args.launches, args.requests)))
    print(f"launch→kernel_info_reply: median of {args.launches}; 1+1 round trip (reply + idle) over {args.requests} requests")
    print(f"{'kernel':<12} {'direct':>10} {'KernelManager':>14} {'p50':>9} {'p99':>9}")
    for name, direct, managed, p50, p99 in rows:
        print(f"{name:<12} {direct * 1000:7.1f} ms {managed * 1000:11.1f} ms {p50 * 1000:6.2f} ms {p99 * 1000:6.2f} ms")
    swift, python = rows[0], rows[1]
    print("ratio swift-grpo/ipykernel: " + ", ".join(
        f"{label} {a / b:.2f}×" for label, a, b in zip(("direct", "KernelManager", "p50", "p99"), swift[1:], python[1:])))


if __name__ == "__main__":
    sys.exit(main())
