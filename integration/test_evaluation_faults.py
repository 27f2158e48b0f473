"""`swift-grpo evaluate` against a small judge stub on loopback that answers 429, 500, garbage,
slow replies, unparseable text, 401 and 404: retries, timeouts, missing scores (never zero) and
clear errors. The stub stands in for a server only to produce faults; the real server is in
test_evaluation_llama_server.py."""
import http.server
import json
import os
import subprocess
import threading
import time

import pytest

from conftest import binary

GOOD = ("Medical accuracy: 4\nReasoning quality: 3\nFormat adherence: 2\nFluency and clarity: 5\n"
        "Overall usefulness: 4\nOverall score: 3.6\nExplanation: Right diagnosis, thin reasoning.")
METRICS = ["medical_accuracy", "reasoning_quality", "format_adherence", "fluency_and_clarity", "overall_usefulness"]
SECRET = "sk-stub-0123456789abcdef"


class Stub:
    """A chat-completions endpoint that follows a plan, one step per request, then answers GOOD."""

    def __init__(self):
        self.plan = []
        self.requests = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with stub.lock:
                    stub.requests.append({"path": self.path, "auth": self.headers.get("Authorization"),
                                          "body": json.loads(body)})
                    step = stub.plan.pop(0) if stub.plan else ("reply", GOOD)
                    stub.in_flight += 1
                    stub.max_in_flight = max(stub.max_in_flight, stub.in_flight)
                try:
                    self.answer(step)
                finally:
                    with stub.lock:
                        stub.in_flight -= 1

            def answer(self, step):
                kind = step[0]
                if kind == "slow":
                    time.sleep(step[1])
                    step = ("reply", GOOD)
                    kind = "reply"
                if kind == "reply":
                    payload = {"id": "x", "object": "chat.completion", "model": "stub-judge",
                               "choices": [{"index": 0, "finish_reason": "stop",
                                            "message": {"role": "assistant", "content": step[1]}}]}
                    self.send(200, json.dumps(payload).encode())
                elif kind == "garbage":
                    self.send(200, b"<html>upstream hiccup</html>")
                elif kind == "status":
                    self.send(step[1], json.dumps({"error": {"message": f"status {step[1]}"}}).encode(), step[2] if len(step) > 2 else {})

            def send(self, status, data, headers=None):
                try:
                    self.send_response(status)
                    for key, value in (headers or {}).items():
                        self.send_header(key, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stub():
    server = Stub()
    yield server
    server.close()


def evaluate(stub, tmp_path, *extra, count=1, env_key=False, fresh=True):
    out = tmp_path / "results.jsonl"
    if fresh and out.exists():
        out.unlink()
    env = dict(os.environ)
    if env_key:
        env["SWIFT_GRPO_JUDGE_KEY"] = SECRET
    args = [binary(), "evaluate", "--count", str(count), "--max-new-tokens", "8", "--no-similarity",
            "--judge", f"http://127.0.0.1:{stub.port}/v1", "--judge-model", "stub-judge",
            "--output", str(out), "--retries", "2", "--timeout", "5", *extra]
    if env_key:
        args += ["--api-key-env", "SWIFT_GRPO_JUDGE_KEY"]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=300, env=env)
    records = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    return proc, records


def test_good_reply_key_and_request(stub, tmp_path):
    proc, records = evaluate(stub, tmp_path, env_key=True)
    assert proc.returncode == 0, proc.stderr
    assert len(records) == 1
    assert records[0]["scores"] == {"medical_accuracy": 4, "reasoning_quality": 3, "format_adherence": 2,
                                    "fluency_and_clarity": 5, "overall_usefulness": 4}
    assert abs(records[0]["overall"] - 3.6) < 1e-9
    assert records[0]["explanation"] == "Right diagnosis, thin reasoning."
    request = stub.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == f"Bearer {SECRET}"
    assert request["body"]["model"] == "stub-judge" and request["body"]["temperature"] == 0
    assert records[0]["question"] in request["body"]["messages"][1]["content"]
    # The key goes to the server and nowhere else.
    everything = proc.stdout + proc.stderr + (tmp_path / "results.jsonl").read_text()
    assert SECRET not in everything
    assert "medical_accuracy" in proc.stdout


def test_429_and_500_are_retried_until_a_reply_comes(stub, tmp_path):
    stub.plan = [("status", 429, {"Retry-After": "0"}), ("status", 500), ("status", 503)]
    proc, records = evaluate(stub, tmp_path, "--retries", "3")
    assert proc.returncode == 0, proc.stderr
    assert len(stub.requests) == 4
    assert records[0]["scores"]["medical_accuracy"] == 4


def test_a_server_that_keeps_failing_leaves_the_case_missing_not_zero(stub, tmp_path):
    stub.plan = [("status", 500)] * 3
    proc, records = evaluate(stub, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert len(stub.requests) == 3  # one attempt and two retries
    assert records[0]["scores"] == {key: None for key in METRICS}
    assert records[0]["overall"] is None
    assert "HTTP 500 3 times" in records[0]["problem"]
    assert "1 record(s) with missing scores" in proc.stdout


def test_garbage_is_retried(stub, tmp_path):
    stub.plan = [("garbage",)]
    proc, records = evaluate(stub, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert len(stub.requests) == 2
    assert records[0]["overall"] is not None


def test_slow_replies_time_out_and_are_retried(stub, tmp_path):
    stub.plan = [("slow", 4), ("slow", 4)]
    proc, records = evaluate(stub, tmp_path, "--timeout", "1", "--retries", "1")
    assert proc.returncode == 0, proc.stderr
    assert len(stub.requests) == 2
    assert records[0]["overall"] is None
    assert "no reply within 1 s" in records[0]["problem"]
    # A slow first reply, then a prompt one: the retry gets the scores.
    stub.plan = [("slow", 4)]
    stub.requests.clear()
    proc, records = evaluate(stub, tmp_path, "--timeout", "1", "--retries", "1")
    assert proc.returncode == 0, proc.stderr
    assert records[0]["overall"] is not None


def test_unparseable_text_is_asked_once_more_then_recorded_missing(stub, tmp_path):
    stub.plan = [("reply", "I think the answer is fine."), ("reply", GOOD)]
    proc, records = evaluate(stub, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert len(stub.requests) == 2 and records[0]["attempts"] == 2 and records[0]["overall"] is not None
    stub.requests.clear()
    stub.plan = [("reply", "Looks good to me."), ("reply", "Medical accuracy: 5. Nothing else to say.")]
    proc, records = evaluate(stub, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert len(stub.requests) == 2
    assert records[0]["scores"]["medical_accuracy"] == 5
    assert records[0]["scores"]["reasoning_quality"] is None  # missing, never 0
    assert "asked twice" in records[0]["problem"]


def test_401_and_404_stop_with_clear_errors(stub, tmp_path):
    stub.plan = [("status", 401)]
    proc, _ = evaluate(stub, tmp_path, env_key=True)
    assert proc.returncode != 0
    assert "refused the request (HTTP 401)" in proc.stderr and "$SWIFT_GRPO_JUDGE_KEY" in proc.stderr
    assert SECRET not in proc.stdout + proc.stderr
    assert len(stub.requests) == 1  # no retries on 401
    stub.plan = [("status", 404)]
    proc, _ = evaluate(stub, tmp_path)
    assert proc.returncode != 0
    assert "404" in proc.stderr and "check the base URL" in proc.stderr


def test_missing_key_variable_and_resume(stub, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SWIFT_GRPO_JUDGE_KEY"}
    proc = subprocess.run([binary(), "evaluate", "--judge", f"http://127.0.0.1:{stub.port}/v1", "--judge-model", "m",
                           "--api-key-env", "SWIFT_GRPO_JUDGE_KEY"], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode != 0 and "SWIFT_GRPO_JUDGE_KEY" in proc.stderr and "is not set" in proc.stderr
    # Two cases, then resume to three: only the third is generated and judged.
    proc, first = evaluate(stub, tmp_path, count=2)
    assert proc.returncode == 0, proc.stderr
    assert len(first) == 2 and len(stub.requests) == 2
    proc, _ = evaluate(stub, tmp_path, count=3, fresh=False)
    assert proc.returncode != 0 and "already holds results" in proc.stderr
    proc, records = evaluate(stub, tmp_path, "--resume", count=3, fresh=False)
    assert proc.returncode == 0, proc.stderr
    assert len(stub.requests) == 3
    assert [r["case"] for r in records] == [0, 1, 2] and records[:2] == first
    assert "2 records already judged" in proc.stderr


def test_concurrency_limit(stub, tmp_path):
    stub.plan = [("slow", 0.5)] * 4
    proc, records = evaluate(stub, tmp_path, "--concurrency", "2", count=4)
    assert proc.returncode == 0, proc.stderr
    assert len(records) == 4 and all(r["overall"] is not None for r in records)
    assert stub.max_in_flight == 2
