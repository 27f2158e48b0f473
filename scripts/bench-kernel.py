#!/usr/bin/env python3
"""Kernel benchmark: launch → kernel_info_reply, and `1+1` execute round trips (request sent →
reply and idle received) p50/p99 over N requests, for swift-grpo and ipykernel measured the
same way in the same run.

    .venv/bin/python scripts/bench-kernel.py [--binary .build/release/swift-grpo] [--requests 200]
"""
import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

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
    km, kc, _ = launch(kernel_name)
    times = round_trips(kc, requests)
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    return statistics.median(startup), percentile(times, 0.5), percentile(times, 0.99)


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
    print(f"kernel       launch→kernel_info (median of {args.launches})   1+1 round trip p50   p99   (n={args.requests})")
    for name, start, p50, p99 in rows:
        print(f"{name:<12} {start * 1000:8.1f} ms {'':24} {p50 * 1000:8.2f} ms {p99 * 1000:8.2f} ms")
    swift, python = rows[0], rows[1]
    print(f"ratio swift/ipykernel: launch {swift[1] / python[1]:.2f}×, p50 {swift[2] / python[2]:.2f}×, p99 {swift[3] / python[3]:.2f}×")


if __name__ == "__main__":
    sys.exit(main())
