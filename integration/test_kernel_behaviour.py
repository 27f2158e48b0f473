"""Kernel behaviour beyond jupyter_kernel_test: interrupts, stdin, stop_on_error, silent,
display updates, output floods, hostile input, shutdown and restart, control responsiveness."""
import os
import signal
import time

import pytest
import zmq

from kernel_harness import RawKernel, run_cell, session_with_key, stream_text


@pytest.fixture
def raw(tmp_path):
    kernel = RawKernel(tmp_path)
    yield kernel
    kernel.close()


@pytest.fixture(scope="module")
def client(kernel):
    km, kc = kernel
    return kc


def test_execution_count_rules(client):
    reply, outputs = run_cell(client, "1 + 1")
    first = reply["content"]["execution_count"]
    assert [m["content"]["execution_count"] for m in outputs if m["msg_type"] in ("execute_input", "execute_result")] == [first, first]
    reply, _ = run_cell(client, "2 + 2", store_history=False)
    assert reply["content"]["execution_count"] == first
    reply, _ = run_cell(client, "undefinedThing")
    assert reply["content"]["status"] == "error"
    assert reply["content"]["execution_count"] == first + 1
    reply, _ = run_cell(client, "3")
    assert reply["content"]["execution_count"] == first + 2


def test_silent_publishes_nothing_and_keeps_the_count(client):
    before, _ = run_cell(client, "var silentTarget = 0")
    reply, outputs = run_cell(client, 'silentTarget = 5\nprint("hidden")\n99', silent=True)
    assert reply["content"]["status"] == "ok"
    assert outputs == []
    after, outputs = run_cell(client, "silentTarget")
    assert after["content"]["execution_count"] == before["content"]["execution_count"] + 1
    assert outputs[-1]["content"]["data"]["text/plain"] == "5"


def test_error_is_one_message_and_bindings_before_it_survive(client):
    reply, outputs = run_cell(client, 'let before = 7\nprint("partial")\nlet broken = [1, 2][5]')
    assert reply["content"]["status"] == "error"
    for field in ("ename", "evalue", "traceback", "execution_count"):
        assert field in reply["content"]
    types = [m["msg_type"] for m in outputs]
    assert types.count("error") == 1
    assert stream_text(outputs, "stderr") == ""
    assert stream_text(outputs) == "partial\n"
    _, outputs = run_cell(client, "before * 6")
    assert outputs[-1]["content"]["data"]["text/plain"] == "42"


def test_stop_on_error_aborts_queued_requests(client):
    failing = client.execute("missingName")
    queued = client.execute("let afterFailure = 1")
    replies = {}
    while len(replies) < 2:
        msg = client.get_shell_msg(timeout=10)
        replies[msg["parent_header"]["msg_id"]] = msg["content"]
    assert replies[failing]["status"] == "error"
    assert replies[queued]["status"] == "aborted"
    failing = client.execute("missingName", stop_on_error=False)
    queued = client.execute("1")
    replies = {}
    while len(replies) < 2:
        msg = client.get_shell_msg(timeout=10)
        replies[msg["parent_header"]["msg_id"]] = msg["content"]
    assert replies[failing]["status"] == "error"
    assert replies[queued]["status"] == "ok"


def test_redefinition_shadows(client):
    for _ in range(2):
        reply, _ = run_cell(client, "let shadowed = 1\nfunc twice(_ x: Int) -> Int { x * 2 }\nstruct Point { var x: Int }")
        assert reply["content"]["status"] == "ok", reply["content"]


def test_display_update_by_id(client):
    reply, outputs = run_cell(client, 'let handle = display("first", id: "progress")\nhandle.update("second")')
    assert reply["content"]["status"] == "ok", reply["content"]
    shown = [m for m in outputs if m["msg_type"] == "display_data"]
    updated = [m for m in outputs if m["msg_type"] == "update_display_data"]
    assert shown and updated
    assert shown[0]["content"]["transient"]["display_id"] == updated[0]["content"]["transient"]["display_id"]
    assert "second" in updated[0]["content"]["data"]["text/plain"]


def test_clear_output_wait(client):
    _, outputs = run_cell(client, "clearOutput(wait: true)")
    assert [m["content"] for m in outputs if m["msg_type"] == "clear_output"] == [{"wait": True}]


def test_comms(client):
    client.comm_info()
    reply = client.get_shell_msg(timeout=5)
    assert reply["content"] == {"status": "ok", "comms": {}}
    msg = client.session.msg("comm_open", {"comm_id": "c-1", "target_name": "nothing", "data": {}})
    client.shell_channel.send(msg)
    deadline = time.time() + 5
    while time.time() < deadline:
        iopub = client.get_iopub_msg(timeout=5)
        if iopub["msg_type"] == "comm_close":
            assert iopub["content"]["comm_id"] == "c-1"
            break
    else:
        pytest.fail("no comm_close for an unknown comm_open")


def test_read_line_through_stdin(client):
    msg_id = client.execute('let answer = readLine(prompt: "name? ")\nprint("hi", answer ?? "none")', allow_stdin=True)
    request = client.get_stdin_msg(timeout=10)
    assert request["msg_type"] == "input_request"
    assert request["content"] == {"prompt": "name? ", "password": False}
    assert request["parent_header"]["msg_id"] == msg_id
    client.input("Ada")
    reply = client.get_shell_msg(timeout=10)
    assert reply["content"]["status"] == "ok", reply["content"]
    text = ""
    while True:
        msg = client.get_iopub_msg(timeout=5)
        if msg["msg_type"] == "stream":
            text += msg["content"]["text"]
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle" and msg["parent_header"]["msg_id"] == msg_id:
            break
    assert "hi Ada" in text


def test_read_line_without_stdin_fails_clearly(client):
    reply, outputs = run_cell(client, "let x = readLine()", allow_stdin=False)
    assert reply["content"]["status"] == "error"
    assert "stdin" in reply["content"]["evalue"] or "stdin" in " ".join(reply["content"]["traceback"])


def test_input_wait_is_interruptible(kernel):
    km, client = kernel
    client.execute('var waiting = 1\nlet typed = readLine(prompt: "> ")', allow_stdin=True)
    client.get_stdin_msg(timeout=10)
    km.interrupt_kernel()
    reply = client.get_shell_msg(timeout=5)
    assert reply["content"]["status"] == "error"
    reply, outputs = run_cell(client, "waiting + 1")
    assert outputs[-1]["content"]["data"]["text/plain"] == "2"


def loop_then_interrupt(km, client, interrupt):
    run_cell(client, "var counter = 0")
    msg_id = client.execute("while true { counter += 1 }")
    time.sleep(0.5)
    started = time.time()
    interrupt()
    reply = client.get_shell_msg(timeout=10)
    assert reply["parent_header"]["msg_id"] == msg_id
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "InterruptError"
    assert time.time() - started < 1.5
    _, outputs = run_cell(client, "counter > 0")
    assert outputs[-1]["content"]["data"]["text/plain"] == "true"


def test_interrupt_by_message_keeps_state(raw):
    def interrupt():
        raw.client.control_channel.send(raw.client.session.msg("interrupt_request", {}))
        reply = raw.client.get_control_msg(timeout=1)
        assert reply["content"] == {"status": "ok"}
    loop_then_interrupt(None, raw.client, interrupt)


def test_sigint_to_the_process_group_interrupts_and_keeps_state(raw):
    loop_then_interrupt(None, raw.client, lambda: os.killpg(os.getpgid(raw.process.pid), signal.SIGINT))
    os.killpg(os.getpgid(raw.process.pid), signal.SIGINT)  # while idle: a no-op, never an exit
    time.sleep(0.3)
    assert raw.process.poll() is None
    reply, _ = run_cell(raw.client, "1")
    assert reply["content"]["status"] == "ok"


def test_control_and_heartbeat_answer_while_a_cell_loops(raw):
    client = raw.client
    client.execute("while true {}")
    time.sleep(0.3)
    started = time.time()
    client.control_channel.send(client.session.msg("kernel_info_request", {}))
    reply = client.get_control_msg(timeout=1)
    assert reply["msg_type"] == "kernel_info_reply"
    assert time.time() - started < 1.0
    context = zmq.Context.instance()
    heart = context.socket(zmq.REQ)
    heart.linger = 0
    heart.connect(raw.endpoint("hb"))
    delays = []
    for _ in range(7):
        started = time.time()
        heart.send(b"ping")
        assert heart.poll(1000), "no heartbeat echo"
        assert heart.recv() == b"ping"
        delays.append(time.time() - started)
    heart.close()
    assert sorted(delays)[len(delays) // 2] < 0.1, delays  # median within 100 ms even on a loaded machine
    client.control_channel.send(client.session.msg("interrupt_request", {}))
    client.get_control_msg(timeout=1)
    assert client.get_shell_msg(timeout=5)["content"]["status"] == "error"


def test_a_million_lines_neither_deadlock_nor_exhaust_memory(raw):
    client = raw.client
    reply, outputs = run_cell(client, "for i in 0..<1000000 { print(i) }", timeout=240)
    assert reply["content"]["status"] == "ok"
    streams = [m for m in outputs if m["msg_type"] == "stream"]
    text = stream_text(outputs)
    lines = text.splitlines()
    assert len(lines) == 1_000_000 and lines[0] == "0" and lines[-1] == "999999"
    assert len(streams) < 20_000, "output should be coalesced into few messages"
    assert raw.rss_megabytes() < 1024


def send_raw(endpoint, frames):
    context = zmq.Context.instance()
    dealer = context.socket(zmq.DEALER)
    dealer.linger = 0
    dealer.connect(endpoint)
    dealer.send_multipart(frames)
    return dealer


def test_bad_signature_is_dropped_and_logged(raw):
    forger = session_with_key("wrong-key")
    msg = forger.msg("execute_request", {"code": "print(\"forged\")", "silent": False})
    context = zmq.Context.instance()
    dealer = context.socket(zmq.DEALER)
    dealer.linger = 0
    dealer.connect(raw.endpoint("shell"))
    forger.send(dealer, msg)
    assert not dealer.poll(500), "a forged request must get no reply"
    dealer.close()
    assert "signature" in raw.stderr().lower()
    reply, _ = run_cell(raw.client, "1 + 1")
    assert reply["content"]["status"] == "ok"


def test_malformed_frames_and_invalid_json_are_survived(raw):
    key = raw.info["key"].encode()
    good = session_with_key(raw.info["key"])
    header = good.msg_header("kernel_info_request")
    import hmac, hashlib, json
    def signed(parts):
        mac = hmac.new(key, digestmod=hashlib.sha256)
        for part in parts:
            mac.update(part)
        return mac.hexdigest().encode()
    bad_json = [b"{not json", b"{}", b"{}", b"{}"]
    not_object = [b"[1, 2]", b"{}", b"{}", b"{}"]
    cases = [
        [b"just one frame"],
        [b"<IDS|MSG>"],
        [b"<IDS|MSG>", b"sig", b"{}"],
        [b"<IDS|MSG>", signed(bad_json)] + bad_json,
        [b"<IDS|MSG>", signed(not_object)] + not_object,
        [b"<IDS|MSG>", b"", b"\xff\xfe", b"", b"", b""],
    ]
    for channel in ("shell", "control"):
        for frames in cases:
            send_raw(raw.endpoint(channel), frames).close()
    time.sleep(0.3)
    assert raw.process.poll() is None
    reply, _ = run_cell(raw.client, "2 + 2")
    assert reply["content"]["status"] == "ok"
    raw.client.kernel_info()
    assert raw.client.get_shell_msg(timeout=5)["msg_type"] == "kernel_info_reply"


def test_unknown_request_gets_busy_reply_idle(raw):
    client = raw.client
    msg = client.session.msg("frobnicate_request", {})
    client.shell_channel.send(msg)
    reply = client.get_shell_msg(timeout=5)
    assert reply["msg_type"] == "frobnicate_reply"
    assert reply["content"]["status"] == "error"
    states = []
    while len(states) < 2:
        iopub = client.get_iopub_msg(timeout=5)
        if iopub["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
            states.append(iopub["content"]["execution_state"])
    assert states == ["busy", "idle"]


def test_shutdown_replies_then_exits_quickly(raw):
    client = raw.client
    client.control_channel.send(client.session.msg("shutdown_request", {"restart": False}))
    reply = client.get_control_msg(timeout=2)
    assert reply["content"] == {"status": "ok", "restart": False}
    started = time.time()
    raw.process.wait(timeout=2.5)
    assert time.time() - started < 2.5


def test_restart_starts_fresh(tmp_path):
    from jupyter_client.manager import start_new_kernel
    km, kc = start_new_kernel(kernel_name="swift-grpo", startup_timeout=30)
    try:
        run_cell(kc, "let beforeRestart = 1")
        km.restart_kernel(now=False)
        kc.wait_for_ready(timeout=30)
        reply, _ = run_cell(kc, "beforeRestart")
        assert reply["content"]["status"] == "error"
        reply, _ = run_cell(kc, "1 + 1")
        assert reply["content"]["status"] == "ok"
        assert reply["content"]["execution_count"] == 2
    finally:
        kc.stop_channels()
        started = time.time()
        km.shutdown_kernel()
        assert time.time() - started < 2.5
