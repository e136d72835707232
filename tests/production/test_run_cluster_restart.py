"""scripts/run-cluster.sh's supervision, with stand-in servers (a static HTTP server where `python -m rasa run`
would load the model), so it runs in seconds: by default any process exiting stops the cluster; with
RESTART_EXITED=1 a killed server is started again on its port (as Kubernetes restarts a container) and only
nginx exiting or Ctrl-C stops all. The real servers behind the script: test_cluster.py and `make soak`."""

from __future__ import annotations

import os
import signal
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.cluster import Cluster
from tests.support.services import missing_services

# Everything the script runs through $PY goes to the real interpreter, except the servers: `-m rasa run … --port N`
# becomes a static file server on N (GET / answers 200, as a Rasa server does once its model is loaded).
FAKE_PY = """#!/usr/bin/env bash
if [ "$1 $2 $3" = "-m rasa run" ]; then
  while [ $# -gt 0 ] && [ "$1" != --port ]; do shift; done
  exec {python} -m http.server --bind 127.0.0.1 --directory {root} "$2"
fi
exec {python} "$@"
"""


@pytest.fixture
def fake_py(tmp_path: Path) -> Path:
    if missing_services():
        pytest.skip(f"{', '.join(missing_services())} missing (make services)")
    (tmp_path / "www").mkdir()
    path = tmp_path / "python"
    path.write_text(FAKE_PY.format(python=sys.executable, root=tmp_path / "www"), encoding="utf-8")
    path.chmod(0o755)
    return path


def cluster(fake_py: Path, tmp_path: Path, restart: bool) -> Cluster:
    env = {
        "PY": str(fake_py),
        "MODEL": str(fake_py),
        "DB_HOST": "127.0.0.1",
        "DB_NAME": "x",
        "DB_USER": "x",
        "DB_PASSWORD": "x",
        "REDIS_HOST": "127.0.0.1",
        "RESTART_EXITED": "1" if restart else "0",
    }
    return Cluster(env, tmp_path / "run", rasa_servers=2, action_servers=0).start(timeout=60)


def pid(c: Cluster, name: str) -> int:
    return int((c.run_dir / f"{name}.pid").read_text())


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def alive(pid_: int) -> bool:
    try:
        os.kill(pid_, 0)
        return True
    except ProcessLookupError:
        return False


def wait_for(condition, seconds: float = 20.0) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_by_default_a_server_exiting_stops_the_cluster(fake_py, tmp_path):
    c = cluster(fake_py, tmp_path, restart=False)
    try:
        others = [pid(c, "rasa-0"), int((c.run_dir / "nginx.pid").read_text())]
        os.kill(pid(c, "rasa-1"), signal.SIGKILL)
        c.proc.wait(timeout=30)
    finally:
        code = c.stop()  # collects the output of the script that has exited by itself
    assert code == 1 and "a process exited; stopping the others" in "".join(c.output)
    assert wait_for(lambda: not any(alive(p) for p in others), 5)


def test_with_restart_exited_a_killed_server_is_started_again_on_its_port(fake_py, tmp_path):
    c = cluster(fake_py, tmp_path, restart=True)
    try:
        killed, kept = pid(c, "rasa-1"), pid(c, "rasa-0")
        os.kill(killed, signal.SIGKILL)
        assert wait_for(lambda: (c.run_dir / "rasa-1.pid").exists() and pid(c, "rasa-1") != killed)
        assert wait_for(lambda: answers(c.servers[1]))
        assert pid(c, "rasa-0") == kept and c.proc.poll() is None
        assert answers(c.nginx)
        os.kill(pid(c, "rasa-1"), signal.SIGKILL)  # and again: the supervisor keeps going
        assert wait_for(lambda: answers(c.servers[1]) and pid(c, "rasa-1") != killed)
        pids = [pid(c, "rasa-0"), pid(c, "rasa-1")]
    finally:
        code = c.stop()  # Ctrl-C still stops everything, the restarted server too
    assert code == 130
    output = "".join(c.output)
    assert output.count("rasa-1 (pid") == 2 and "starting it again" in output
    assert wait_for(lambda: not any(alive(p) for p in pids), 5)


def test_with_restart_exited_nginx_exiting_stops_all(fake_py, tmp_path):
    c = cluster(fake_py, tmp_path, restart=True)
    try:
        servers = [pid(c, "rasa-0"), pid(c, "rasa-1")]
        # SIGTERM: nginx's master stops its workers and exits (after a SIGKILL its workers would live on, orphaned)
        os.kill(int((c.run_dir / "nginx.pid").read_text()), signal.SIGTERM)
        c.proc.wait(timeout=30)
    finally:
        code = c.stop()
    assert code == 1 and "nginx exited; stopping the others" in "".join(c.output)
    assert wait_for(lambda: not any(alive(p) for p in servers), 5)
