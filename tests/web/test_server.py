"""`auditor serve` as a person starts it: the address checked before anything listens, then a
real server in its own process, reached over HTTP and stopped with Ctrl-C (SIGINT)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from auditor.cli import main
from auditor.errors import AuditorError
from auditor.web.server import check_address


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_port_already_taken_is_said_so():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(AuditorError, match=f"port {port} is already in use"):
            check_address("127.0.0.1", port)


@pytest.mark.parametrize(("host", "words"), [
    ("no-such-host.invalid", "no such name or address"),  # .invalid never resolves (RFC 2606)
    ("192.0.2.1", "not an address of this computer"),  # TEST-NET-1 (RFC 5737)
])
def test_a_host_that_cannot_be_served_on_is_said_so(host, words):
    with pytest.raises(AuditorError, match=words):
        check_address(host, _free_port())


def test_a_bad_port_is_one_line_and_exit_2(capsys):
    assert main(["serve", "--port", "70000", "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert "between 1 and 65535" in err and err.count("\n") == 1


def test_the_server_answers_then_stops_on_ctrl_c(tmp_path):
    port = _free_port()
    env = {**os.environ, "AUDITOR_CACHE_DIR": str(tmp_path / "cache")}
    server = subprocess.Popen([sys.executable, "-m", "auditor", "serve", "--no-browser",
                               "--port", str(port)], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health") as answer:
                    health = json.load(answer)
                break
            except OSError:
                time.sleep(0.05)
        else:
            pytest.fail("the server did not answer")
        assert health["status"] == "ok"
        server.send_signal(signal.SIGINT)
        code = server.wait(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
    err = server.stderr.read()
    assert code == 0, err
    assert f"http://127.0.0.1:{port}/" in err and "Traceback" not in err
