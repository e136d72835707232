"""Shared by the web channel's tests: the secrets and the profile they use, and one real Rasa server (REST + web
channel, --cors restricted) for every module here that talks HTTP (`web`, started once for the package)."""

import os

import pytest

from tests.support.http import Client
from tests.support.servers import ROOT, Servers

MODEL = ROOT / "models" / "assistant.tar.gz"
TOKEN = "web-api-test-token-0123456789"
ADMIN_PASSWORD = "web-admin-password-0123"
PORTAL_ORIGIN = "https://portal.example.gov.cn"
HEADLINE = {"place": "枣庄", "age": 85, "statuses": ["低保"]}
DEVELOPMENT = {"YANGLAO_ENV": None, "YANGLAO_PROFILE": None}


def item(answer, name):
    return next(i for i in answer["items"] if i["name"] == name)


class WebServers(Servers):
    """Servers with extra `rasa run` arguments (--cors) and environment changes for both processes
    (a value of None removes the variable)."""

    def __init__(self, *args, cors=(), environment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cors, self.environment = list(cors), dict(environment or {})

    def _spawn(self, args, log):
        if "rasa" in args and "run" in args and self.cors:
            args = [*args, "--cors", *self.cors]
        saved = dict(os.environ)
        try:
            for key, value in self.environment.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            return super()._spawn(args, log)
        finally:
            os.environ.clear()
            os.environ.update(saved)


def start_web(tmp_path, env, cors=()):
    if not MODEL.exists():
        pytest.fail(f"{MODEL} missing: run `make train` (make test does it)")
    credentials = tmp_path / "credentials.yml"
    credentials.write_text("bot.channels.rest.MaskedRestInput:\nbot.channels.web.WebInput:\n", encoding="utf-8")
    # its own database (case codes, accounts, sessions, counted tries), gone with the test's directory
    return WebServers(
        MODEL,
        credentials=credentials,
        log_dir=tmp_path,
        actions="actions",
        in_process=True,
        tracker_db=tmp_path / "trackers.db",
        cors=cors,
        environment=env,
    ).start()


AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="package")
def web(tmp_path_factory):
    folder = tmp_path_factory.mktemp("web")
    servers = start_web(
        folder, {"CONSOLE_TOKEN": TOKEN, "CONSOLE_ADMIN_PASSWORD": ADMIN_PASSWORD, **DEVELOPMENT}, cors=[PORTAL_ORIGIN]
    )
    try:
        client = Client(servers.url)
        client.servers, client.log = servers, folder / "rasa.log"
        yield client
    finally:
        servers.stop()


def login_cookie(web, username="admin", password=ADMIN_PASSWORD, source=None):
    status, headers, _ = web.request(
        "POST", "/console/login", form={"username": username, "password": password}, source=source
    )
    assert status == 303 and headers["Location"] == "/console", status
    cookie = headers["Set-Cookie"]
    return cookie, cookie.split(";")[0]
