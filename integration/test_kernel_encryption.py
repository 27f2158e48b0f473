"""CurveZMQ transport encryption (issue #19): jupyter_client's transport_encryption="required"
provisions a key pair, the kernel makes every socket a CURVE server with it, and then

- the kernel works (a cell runs and its output arrives);
- the bytes on the wire are not plain text: a TCP relay between client and kernel records
  them, and neither the code nor the message type appears (without encryption both do);
- a client that does not know the server key gets nothing back, on any channel.
"""
import json
import socket
import threading
import time

import pytest
import zmq
from jupyter_client import BlockingKernelClient, KernelManager
from jupyter_client.session import Session

from conftest import KERNEL_NAME

MARKER = "6 * 7 + 1000"  # the cell's code; its output is 1042


class Relay:
    """Forwards one TCP port to another and keeps every byte that passes, both directions."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen()
        self.port = self.listener.getsockname()[1]
        self.captured = bytearray()
        self.lock = threading.Lock()
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()  # ZeroMQ reconnects; the kernel may still be starting
                continue
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source, destination):
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data:
                destination.close()
                return
            with self.lock:
                self.captured += data
            try:
                destination.sendall(data)
            except OSError:
                return

    def close(self):
        self.closed = True
        self.listener.close()


def run_cell(client, code, timeout=60):
    msg_id = client.execute(code)
    output = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        message = client.get_iopub_msg(timeout=deadline - time.time())
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        if message["msg_type"] == "stream":
            output.append(message["content"]["text"])
        elif message["msg_type"] == "execute_result":
            output.append(message["content"]["data"]["text/plain"])
        elif message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
            break
    reply = client.get_shell_msg(timeout=timeout)
    assert reply["content"]["status"] == "ok", reply["content"]
    return "".join(output)


def sniffed_shell_traffic(manager):
    """Runs a cell through a relay on the shell port; returns (cell output, bytes seen)."""
    direct = manager.client()
    direct.start_channels()
    try:
        direct.wait_for_ready(timeout=120)  # the kernel is up before the relay connects
    finally:
        direct.stop_channels()
    info = manager.get_connection_info(session=False)
    relay = Relay(info["shell_port"])
    info = dict(info, shell_port=relay.port)
    info = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in info.items()}
    client = BlockingKernelClient()
    client.load_connection_info(info)
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        output = run_cell(client, f"print({MARKER})")
    finally:
        client.stop_channels()
        relay.close()
    return output, bytes(relay.captured)


@pytest.fixture
def encrypted_kernel():
    assert zmq.has("curve"), "libzmq lacks CurveZMQ"
    manager = KernelManager(kernel_name=KERNEL_NAME, transport_encryption="required")
    manager.start_kernel()
    yield manager
    manager.shutdown_kernel(now=True)


def test_kernelspec_declares_curve():
    manager = KernelManager(kernel_name=KERNEL_NAME)
    assert "curve" in manager.kernel_spec.metadata["supported_encryption"]


def test_encrypted_kernel_runs_cells_and_the_wire_is_not_plain_text(encrypted_kernel):
    info = encrypted_kernel.get_connection_info(session=False)
    assert info["curve_publickey"] and info["curve_secretkey"]
    output, wire = sniffed_shell_traffic(encrypted_kernel)
    assert output.strip() == "1042"
    assert len(wire) > 200, "the relay saw the request and the reply"
    for plain in (MARKER.encode(), b"execute_request", b"msg_type", b"<IDS|MSG>", b"1042"):
        assert plain not in wire, f"{plain!r} crossed the wire in clear"


def test_plain_kernel_traffic_is_readable_so_the_sniffer_works():
    manager = KernelManager(kernel_name=KERNEL_NAME)
    manager.start_kernel()
    try:
        assert "curve_publickey" not in manager.get_connection_info(session=False)
        output, wire = sniffed_shell_traffic(manager)
    finally:
        manager.shutdown_kernel(now=True)
    assert output.strip() == "1042"
    assert MARKER.encode() in wire and b"execute_request" in wire


def test_client_without_the_server_key_gets_nothing(encrypted_kernel):
    info = encrypted_kernel.get_connection_info(session=False)
    key = info["key"]
    session = Session(key=key if isinstance(key, bytes) else key.encode(), signature_scheme="hmac-sha256")
    context = zmq.Context()
    try:
        def endpoint(channel):
            return f"tcp://{info['ip']}:{info[channel + '_port']}"

        shell = context.socket(zmq.DEALER)
        shell.linger = 0
        shell.connect(endpoint("shell"))
        session.send(shell, "kernel_info_request", {})
        heartbeat = context.socket(zmq.REQ)
        heartbeat.linger = 0
        heartbeat.connect(endpoint("hb"))
        heartbeat.send(b"ping")
        iopub = context.socket(zmq.SUB)
        iopub.linger = 0
        iopub.setsockopt(zmq.SUBSCRIBE, b"")
        iopub.connect(endpoint("iopub"))
        # A client with a key pair of its own but the wrong server key is refused as well.
        public, secret = zmq.curve_keypair()
        wrong_public, _ = zmq.curve_keypair()
        control = context.socket(zmq.DEALER)
        control.linger = 0
        control.curve_publickey, control.curve_secretkey, control.curve_serverkey = public, secret, wrong_public
        control.connect(endpoint("control"))
        session.send(control, "kernel_info_request", {})

        poller = zmq.Poller()
        for s in (shell, heartbeat, iopub, control):
            poller.register(s, zmq.POLLIN)
        assert dict(poller.poll(3000)) == {}, "an unkeyed client received something"

        # The same request from the real client is answered: the kernel was up all along.
        client = encrypted_kernel.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            assert client.kernel_info(reply=True, timeout=30)["content"]["status"] == "ok"
        finally:
            client.stop_channels()
    finally:
        context.destroy(linger=0)
