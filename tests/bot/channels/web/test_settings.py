"""bot/channels/web/settings.py: the console's settings from credentials.yml or the environment, without a server."""

import pytest

from bot.channels.web import WebSettings
from tests.bot.channels.web.conftest import ADMIN_PASSWORD, TOKEN


def test_development_without_an_admin_password_generates_a_random_one():
    a = WebSettings.load(None, environ={})
    b = WebSettings.load(None, environ={})
    assert not a.production and a.admin_password_generated and a.console_ready and a.admin_user == "admin"
    assert len(a.admin_password) >= 16 and a.admin_password != b.admin_password  # never a fixed default
    assert a.token is None  # no machine token unless one is set


def test_the_settings_come_from_the_environment_or_the_file():
    s = WebSettings.load(
        {"console_token": None},
        environ={"CONSOLE_TOKEN": TOKEN, "CONSOLE_ADMIN_USER": "root", "CONSOLE_ADMIN_PASSWORD": ADMIN_PASSWORD},
    )
    assert s.token == TOKEN and s.admin_user == "root" and s.admin_password == ADMIN_PASSWORD
    assert not s.admin_password_generated
    assert (
        WebSettings.load({"console_token": "from-file-token-123456"}, environ={"CONSOLE_TOKEN": TOKEN}).token
        == "from-file-token-123456"
    )


@pytest.mark.parametrize(
    "environ, problem",
    [
        ({"YANGLAO_ENV": "production", "CONSOLE_TOKEN": "short"}, "shorter than 16"),
        ({"YANGLAO_ENV": "production", "CONSOLE_ADMIN_PASSWORD": "short"}, "CONSOLE_ADMIN_PASSWORD is shorter"),
        ({"CONSOLE_ADMIN_PASSWORD": "short"}, "CONSOLE_ADMIN_PASSWORD is shorter"),
    ],
)
def test_unusable_secrets_turn_the_console_off(environ, problem):
    s = WebSettings.load(None, environ=environ)
    assert not s.console_ready and problem in s.problems[0]


def test_production_makes_no_password_and_needs_no_token():
    s = WebSettings.load(None, environ={"YANGLAO_PROFILE": "production", "YANGLAO_ENV": "development"})
    assert s.production and s.console_ready and s.admin_password is None and s.token is None


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_a_blank_setting_in_the_file_is_read_from_its_variable(blank):
    """bot/settings.py's rule, as for the WeChat channel: blank in credentials.yml is not "no token"."""
    s = WebSettings.load(
        {"console_token": blank, "admin_password": blank, "environment": blank},
        environ={"CONSOLE_TOKEN": TOKEN, "CONSOLE_ADMIN_PASSWORD": ADMIN_PASSWORD, "YANGLAO_ENV": "production"},
    )
    assert (s.token, s.admin_password, s.production) == (TOKEN, ADMIN_PASSWORD, True)


def test_a_blank_variable_is_not_set():
    s = WebSettings.load(None, environ={"CONSOLE_TOKEN": " ", "CONSOLE_ADMIN_USER": "", "YANGLAO_ENV": ""})
    assert s.token is None and s.admin_user == "admin" and not s.production and s.admin_password_generated


def test_production_is_the_deployments_answer():
    from bot.settings import Deployment

    for environ in ({}, {"YANGLAO_ENV": "prod"}, {"YANGLAO_PROFILE": "production"}, {"YANGLAO_ENV": "dev"}):
        assert WebSettings.load(None, environ=environ).production == Deployment.read(environ=environ).production
    assert WebSettings.load({"environment": "production"}, environ={}).production  # the file's stand-in for YANGLAO_ENV


@pytest.mark.parametrize(
    "credentials, environ",
    [
        ({"tokn": "x"}, {}),
        ({"session_hours": 0}, {}),
        ({"session_hours": "long"}, {}),
        (None, {"YANGLAO_ENV": "prodution"}),
        (None, {"YANGLAO_PROFILE": "staging"}),
    ],
)
def test_a_wrong_setting_is_an_error(credentials, environ):
    with pytest.raises(ValueError):
        WebSettings.load(credentials, environ=environ)
