"""A real Rasa server for the end-to-end tests (the model `make test` trained), the actions running inside it as
in the default profile (`make run`); tests/production covers the action server over HTTP."""

import pytest

from tests.support.servers import ROOT, Servers

MODEL = ROOT / "models" / "assistant.tar.gz"


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    if not MODEL.exists():
        pytest.fail(f"{MODEL} missing: run `make train` (make test does it)")
    with Servers(MODEL, log_dir=tmp_path_factory.mktemp("logs"), in_process=True) as s:
        yield s


CONSOLE_TOKEN = "e2e-console-token-0123456789"
ADMIN_USER, ADMIN_PASSWORD = "admin", "e2e-admin-password-0123"


@pytest.fixture(scope="session")
def web_servers(tmp_path_factory):
    """A Rasa server (actions in process) with the REST and web channels (portal widget, operator console);
    the API's machine token is `web_servers.console_token`, the bootstrap admin `web_servers.admin_user` /
    `web_servers.admin_password`."""
    if not MODEL.exists():
        pytest.fail(f"{MODEL} missing: run `make train` (make test does it)")
    folder = tmp_path_factory.mktemp("web")
    credentials = folder / "credentials.yml"
    credentials.write_text("bot.channels.rest.MaskedRestInput:\nbot.channels.web.WebInput:\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:  # the servers inherit the environment when they start
        mp.setenv("CONSOLE_TOKEN", CONSOLE_TOKEN)
        mp.setenv("CONSOLE_ADMIN_USER", ADMIN_USER)
        mp.setenv("CONSOLE_ADMIN_PASSWORD", ADMIN_PASSWORD)
        mp.delenv("YANGLAO_ENV", raising=False)
        mp.delenv("YANGLAO_PROFILE", raising=False)
        servers = Servers(MODEL, credentials=credentials, log_dir=folder, in_process=True).start()
    servers.console_token = CONSOLE_TOKEN
    servers.admin_user, servers.admin_password = ADMIN_USER, ADMIN_PASSWORD
    try:
        yield servers
    finally:
        servers.stop()
