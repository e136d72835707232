"""The production profile against real services: Redis, PostgreSQL and nginx from Debian's packages (installed by
scripts/install-services.sh if missing), each started by the tests on free loopback ports in temporary
directories, plus real Rasa and action servers (the model `make test` trained).

Session fixtures, shared by the modules here (each started once):
- `single`: one Rasa server + action server in the default profile (embedded SQLite store, in-memory lock store)
  as `make run` starts them, with the WeChat channel configured (in-process dedupe) against a fake WeChat API:
  the reference answers, the action-server faults and the SQLite restart;
- `redis_server`, `postgres_server`: the shared stores;
- `cluster`: scripts/run-cluster.sh with 2 Rasa servers and 2 action servers behind nginx, production profile,
  the WeChat channel deduplicating through Redis, the operator console (CONSOLE: its bootstrap admin and token).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import List, Optional

import pytest

from tests.support.cluster import (  # noqa: F401  (fixtures and tests use them)
    RASA_API_TOKEN,
    Cluster,
    cluster_env,
    free_ports,
)
from tests.support.servers import ROOT, Servers
from tests.support.services import Postgres, Redis, missing_services
from tests.support.wechat import FakeWeChatAPI

MODEL = ROOT / "models" / "assistant.tar.gz"
BUSY = "系统繁忙，请稍后再试"
FLOW = ["我父亲能领什么补贴？", "枣庄", "85", "低保"]  # the profile is carried across these turns
SINGLE_APP = ("wxprod00000000001", "single-secret", "single-token")
CLUSTER_APP = ("wxprod00000000002", "cluster-secret", "cluster-token")
SLOW_APP = ("wxprod00000000003", "slow-secret", "slow-token")
CONSOLE = {
    "CONSOLE_TOKEN": "cluster-console-token-0123456789",
    "CONSOLE_ADMIN_USER": "admin",
    "CONSOLE_ADMIN_PASSWORD": "cluster-admin-password",
}


def post_rest(base_url: str, sender: str, text: str, timeout: float = 30.0) -> str:
    """One REST turn; the bot's texts joined by newlines."""
    body = json.dumps({"sender": sender, "message": text}).encode("utf-8")
    req = urllib.request.Request(
        f"{base_url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return "\n".join(m.get("text", "") for m in json.load(r) if m.get("text"))


@pytest.fixture(scope="session")
def services_installed() -> None:
    if not missing_services():
        return
    done = subprocess.run([str(ROOT / "scripts" / "install-services.sh")], capture_output=True, text=True, timeout=900)
    still = missing_services()
    if still:
        pytest.fail(
            f"{', '.join(still)} missing and scripts/install-services.sh could not install them "
            f"(exit {done.returncode}): {done.stderr[-500:]}"
        )


@pytest.fixture(scope="session")
def model() -> Path:
    if not MODEL.exists():
        pytest.fail(f"{MODEL} missing: run `make train` (make test does it)")
    return MODEL


@pytest.fixture(scope="session")
def fake_wechat():
    with FakeWeChatAPI({a: s for a, s, _ in (SINGLE_APP, CLUSTER_APP, SLOW_APP)}) as api:
        yield api


@pytest.fixture(scope="session")
def single(model, fake_wechat, tmp_path_factory):
    """The default profile, as `make run` serves it (plus WeChat settings in the environment)."""
    app_id, secret, token = SINGLE_APP
    env = {
        "WECHAT_TOKEN": token,
        "WECHAT_APP_ID": app_id,
        "WECHAT_APP_SECRET": secret,
        "WECHAT_API_BASE": fake_wechat.url,
    }
    servers = Servers(model, log_dir=tmp_path_factory.mktemp("single"), env=env)
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("WECHAT_REDIS_URL", raising=False)
        servers.start()
    yield servers
    servers.stop()


@pytest.fixture(scope="session")
def reference(single) -> List[str]:
    """FLOW's answers from one server in the default profile."""
    sender = "reference-" + str(time.time())
    answers = [single.send(sender, text) for text in FLOW]
    assert "高龄津贴：30元/月" in answers[-1] and "100元/月" in answers[-1]
    return answers


@pytest.fixture(scope="session")
def redis_server(services_installed):
    with Redis() as r:
        yield r


@pytest.fixture(scope="session")
def postgres_server(services_installed):
    with Postgres() as pg:
        yield pg


@pytest.fixture(scope="session")
def cluster_credentials(tmp_path_factory, fake_wechat) -> Path:
    app_id, secret, token = SLOW_APP
    path = tmp_path_factory.mktemp("cluster-credentials") / "credentials.yml"
    path.write_text(
        f"""\
bot.channels.rest.MaskedRestInput:
bot.channels.web.WebInput:           # portal and console, settings from the environment
bot.channels.wechat.WeChatInput:     # from the environment, as in production
  token: null
  app_id: null
  app_secret: null
  api_base: null
  redis_url: null
tests.support.wechat.SlowWeChatInput:   # every answer by customer-service messages
  token: {token}
  app_id: {app_id}
  app_secret: {secret}
  api_base: {fake_wechat.url}
  reply_timeout: 0.001
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="session")
def cluster(model, redis_server, postgres_server, fake_wechat, cluster_credentials, tmp_path_factory):
    app_id, secret, token = CLUSTER_APP
    env = cluster_env(
        postgres_server,
        redis_server,
        cluster_credentials,
        WECHAT_TOKEN=token,
        WECHAT_APP_ID=app_id,
        WECHAT_APP_SECRET=secret,
        WECHAT_API_BASE=fake_wechat.url,
        **CONSOLE,
    )
    env.pop("WECHAT_REDIS_URL", None)
    # not under pytest's basetemp: a concurrent pytest session may prune old basetemps while this one runs
    run_dir = Path(tempfile.mkdtemp(prefix="yanglao-cluster-"))
    c = Cluster(env, run_dir).start()
    yield c
    c.stop()
    shutil.rmtree(run_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster_in_process(model, redis_server, postgres_server, cluster_credentials):
    """Two Rasa servers behind nginx with no action server: the actions inside each (ACTION_SERVERS=0)."""
    env = cluster_env(postgres_server, redis_server, cluster_credentials)
    run_dir = Path(tempfile.mkdtemp(prefix="yanglao-cluster-inproc-"))
    c = Cluster(env, run_dir, action_servers=0).start()
    yield c
    c.stop()
    shutil.rmtree(run_dir, ignore_errors=True)


def is_busy(reply: Optional[str]) -> bool:
    return reply == BUSY


def user_texts(tracker: dict) -> List[str]:
    return [e.get("text") for e in tracker["events"] if e["event"] == "user"]
