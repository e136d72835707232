"""bot/settings.py: the one rule for blank, missing and ${VAR} values, the one answer to "is this production?",
and the endpoints file read as `rasa run` reads it."""

import os
from typing import Optional

import pytest
from pydantic import Field

from bot.settings import (
    DEFAULT_ENDPOINTS,
    HANDOFF_FILE,
    PRODUCTION_ENDPOINTS,
    Deployment,
    Section,
    SettingsError,
    action_url,
    env,
    main,
    read_endpoint,
    read_endpoints,
    tracker_store_url,
)

# Every variable deploy/endpoints.production.yml names, as deploy/production.env.sh would export them.
PRODUCTION = {
    "DB_HOST": "db.internal",
    "DB_PORT": "5433",
    "DB_NAME": "yanglao",
    "DB_USER": "app",
    "DB_PASSWORD": "p@ss",
    "DB_SSLMODE": "require",
    "REDIS_HOST": "redis.internal",
    "REDIS_PORT": "6379",
    "REDIS_PASSWORD": "",
    "REDIS_LOCK_DB": "1",
    "ACTION_URL": "http://actions:5055/webhook",
    "ACTIONS_MODULE": "",
}


class Example(Section):
    what = "example"
    token: Optional[str] = env("EXAMPLE_TOKEN")
    base: str = env("EXAMPLE_BASE", "https://default.example")
    timeout: float = Field(4.5, ge=0)


def endpoints(tmp_path, text):
    path = tmp_path / "endpoints.yml"
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------------ the rule


def test_a_value_given_in_the_file_wins_over_the_environment():
    s = Example.read({"token": "from-file", "timeout": 1}, environ={"EXAMPLE_TOKEN": "from-env"})
    assert (s.token, s.timeout) == ("from-file", 1)


@pytest.mark.parametrize("section", [None, {}, {"token": None}, {"token": ""}, {"token": "   "}])
def test_missing_null_or_blank_in_the_file_is_read_from_the_variable(section):
    assert Example.read(section, environ={"EXAMPLE_TOKEN": " from-env "}).token == "from-env"  # stripped


@pytest.mark.parametrize("environ", [{}, {"EXAMPLE_TOKEN": "", "EXAMPLE_BASE": ""}, {"EXAMPLE_BASE": "  "}])
def test_an_unset_or_blank_variable_is_not_given_and_the_default_stands(environ):
    s = Example.read({"token": "", "base": None}, environ=environ)
    assert s.token is None and s.base == "https://default.example"


def test_a_blank_number_in_the_file_is_its_default():
    assert Example.read({"timeout": ""}, environ={}).timeout == 4.5


def test_an_unknown_key_or_a_wrong_value_is_an_error_that_says_which():
    with pytest.raises(SettingsError, match="unknown example setting.*tokn.*accepted: token, base, timeout"):
        Example.read({"tokn": "x"}, environ={})
    with pytest.raises(SettingsError, match=r"example setting timeout: .*greater than or equal to 0, not -1"):
        Example.read({"timeout": -1}, environ={})


def test_a_value_from_the_environment_is_not_repeated_in_an_error():
    class Secretive(Section):
        what = "secretive"
        port: int = env("SECRETIVE_PORT")

    with pytest.raises(SettingsError) as e:
        Secretive.read({}, environ={"SECRETIVE_PORT": "hunter2"})
    assert "hunter2" not in str(e.value) and "$SECRETIVE_PORT" in str(e.value)


# ------------------------------------------------------------------------------------------------ production?


def test_the_default_deployment_is_development_on_endpoints_yml():
    d = Deployment.read(environ={})
    assert (d.environment, d.profile, d.production) == ("development", "default", False)
    assert d.endpoints == DEFAULT_ENDPOINTS and d.handoff_settings == HANDOFF_FILE


@pytest.mark.parametrize(
    "environ",
    [
        {"YANGLAO_ENV": "production"},
        {"YANGLAO_ENV": " Prod "},
        {"YANGLAO_PROFILE": "production"},
        {"YANGLAO_PROFILE": "production", "YANGLAO_ENV": "development"},
    ],
)
def test_production_is_the_environment_or_the_stores_profile_saying_so(environ):
    assert Deployment.read(environ=environ).production


@pytest.mark.parametrize(
    "environ", [{"YANGLAO_ENV": ""}, {"YANGLAO_ENV": "dev", "YANGLAO_PROFILE": " "}, {"YANGLAO_PROFILE": "default"}]
)
def test_blank_or_development_is_not_production(environ):
    assert not Deployment.read(environ=environ).production


def test_a_channels_environment_setting_stands_for_yanglao_env():
    assert Deployment.read({"environment": "production"}, environ={"YANGLAO_ENV": "development"}).production
    assert Deployment.read(
        {"environment": " "}, environ={"YANGLAO_ENV": "production"}
    ).production  # blank: the variable


@pytest.mark.parametrize(
    "environ, says",
    [
        ({"YANGLAO_ENV": "prodution"}, "YANGLAO_ENV must be production or development"),
        ({"YANGLAO_PROFILE": "staging"}, "YANGLAO_PROFILE must be default or production"),
    ],
)
def test_a_misspelt_deployment_is_an_error_not_development(environ, says):
    with pytest.raises(SettingsError, match=says):
        Deployment.read(environ=environ)


def test_the_endpoints_file_is_the_named_one_else_the_profiles(tmp_path):
    assert Deployment.read(environ={"YANGLAO_PROFILE": "production"}).endpoints == PRODUCTION_ENDPOINTS
    named = tmp_path / "mine.yml"
    assert (
        Deployment.read(environ={"YANGLAO_PROFILE": "production", "YANGLAO_ENDPOINTS": str(named)}).endpoints == named
    )
    assert Deployment.read(environ={"YANGLAO_ENDPOINTS": "  "}).endpoints == DEFAULT_ENDPOINTS  # blank: not named


# ------------------------------------------------------------------------------------------------ ${VAR}


def test_a_variable_is_expanded_as_rasa_expands_it(tmp_path):
    path = endpoints(
        tmp_path, "tracker_store:\n  type: SQL\n  dialect: postgresql\n  url: ${H}\n  port: ${P}\n" "  db: ${N}\n"
    )
    url = tracker_store_url(read_endpoint("tracker_store", path, {"H": "db.example", "P": "5433", "N": "cases"}))
    assert (url.drivername, url.host, url.port, url.database) == ("postgresql", "db.example", 5433, "cases")


def test_an_unset_variable_is_an_error_naming_the_file_and_every_variable(tmp_path):
    path = endpoints(
        tmp_path,
        "# ${IN_A_COMMENT} is no value\naction_endpoint:\n  url: ${ACTION}\n"
        "tracker_store:\n  type: SQL\n  password: ${SECRET}\n",
    )
    with pytest.raises(SettingsError) as e:
        read_endpoint("tracker_store", path, {})
    said = str(e.value)
    assert str(path) in said and "action_endpoint.url: ${ACTION} is not set" in said
    assert "tracker_store.password: ${SECRET} is not set" in said and "IN_A_COMMENT" not in said


def test_an_unset_variable_inside_a_longer_value_is_an_error_too(tmp_path):
    """Rasa alone keeps `sqlite:///${UNSET}.db` as text; here it is the same error as a whole `${UNSET}`."""
    path = endpoints(tmp_path, "tracker_store:\n  type: SQL\n  db: var/${UNSET}.db\n")
    with pytest.raises(SettingsError, match=r"tracker_store.db: \$\{UNSET\} is not set"):
        read_endpoint("tracker_store", path, {})


def test_a_quoted_variable_is_an_error_since_rasa_would_not_expand_it(tmp_path):
    path = endpoints(tmp_path, 'tracker_store:\n  type: SQL\n  password: "${SECRET}"\n')
    with pytest.raises(SettingsError, match="quoted"):
        read_endpoint("tracker_store", path, {"SECRET": "s"})


def test_a_blank_variable_is_allowed_and_counts_as_not_given(tmp_path):
    path = endpoints(
        tmp_path,
        "action_endpoint:\n  url: ${ACTION_URL}\n  actions_module: ${ACTIONS_MODULE}\n"
        "tracker_store:\n  type: SQL\n  dialect: postgresql\n  url: db\n  username: ${U}\n"
        "  password: ${PW}\n  query:\n    sslmode: ${MODE}\n",
    )
    environ = {"ACTION_URL": "", "ACTIONS_MODULE": "actions", "U": "app", "PW": "", "MODE": " "}
    assert action_url(read_endpoint("action_endpoint", path, environ)) is None  # no action server
    url = tracker_store_url(read_endpoint("tracker_store", path, environ))
    assert (url.username, url.password, dict(url.query)) == ("app", None, {})


def test_the_whole_file_must_be_expandable_wherever_it_is_read():
    """The action server needs only the database, but reads the file as the Rasa server does."""
    without_redis = {k: v for k, v in PRODUCTION.items() if k != "REDIS_HOST"}
    with pytest.raises(SettingsError, match=r"lock_store.url: \$\{REDIS_HOST\} is not set"):
        read_endpoint("tracker_store", PRODUCTION_ENDPOINTS, without_redis)


def test_the_production_file_reads_as_rasa_reads_it():
    from rasa.core.utils import AvailableEndpoints

    ours = read_endpoints(PRODUCTION_ENDPOINTS, PRODUCTION)
    saved = dict(os.environ)
    try:
        os.environ.update(PRODUCTION)
        rasas = AvailableEndpoints.read_endpoints(str(PRODUCTION_ENDPOINTS))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    for kind in ("action", "tracker_store", "lock_store"):
        a, b = getattr(ours, kind), getattr(rasas, kind)
        assert (a.url, a.type, a.kwargs) == (b.url, b.type, b.kwargs)
    assert action_url(ours.action) == "http://actions:5055/webhook"
    url = tracker_store_url(ours.tracker_store)
    assert (url.host, url.port, url.username, url.password) == ("db.internal", 5433, "app", "p@ss")
    assert url.query == {"sslmode": "require", "connect_timeout": "3"}


def test_a_given_environment_stands_in_for_the_process_one_only_during_the_read(tmp_path, monkeypatch):
    monkeypatch.setenv("ONLY_IN_PROCESS", "process")
    path = endpoints(tmp_path, "tracker_store:\n  type: SQL\n  db: ${ONLY_IN_PROCESS}.db\n")
    with pytest.raises(SettingsError):
        read_endpoint("tracker_store", path, {})
    assert read_endpoint("tracker_store", path, {"ONLY_IN_PROCESS": "given"}).kwargs["db"] == "given.db"
    assert os.environ["ONLY_IN_PROCESS"] == "process"
    assert read_endpoint("tracker_store", path).kwargs["db"] == "process.db"  # no mapping: the process's own


def test_a_missing_endpoints_file_is_an_error(tmp_path):
    with pytest.raises(SettingsError, match="does not exist"):
        read_endpoint("tracker_store", tmp_path / "nowhere.yml", {})
    with pytest.raises(SettingsError, match="does not exist"):
        read_endpoint("tracker_store", environ={"YANGLAO_ENDPOINTS": str(tmp_path / "nowhere.yml")})


# ------------------------------------------------------------------------------------------------ the database


def test_the_tracker_stores_database_is_built_as_rasas_sql_store_builds_it(tmp_path):
    def url_of(text, environ=None):
        return tracker_store_url(read_endpoint("tracker_store", endpoints(tmp_path, text), environ or {}))

    assert (
        url_of("tracker_store:\n  type: bot.stores.tracker_store.SQLiteTrackerStore\n").render_as_string()
        == "sqlite:///var/trackers.db"
    )
    assert url_of("tracker_store:\n  type: SQL\n").render_as_string() == "sqlite:///rasa.db"
    # Rasa's get_db_url takes a port written in the host, and a whole URL as the host
    assert url_of("tracker_store:\n  type: SQL\n  dialect: postgresql\n  url: db:6000\n  port: 5432\n").port == 6000
    whole = url_of("tracker_store:\n  type: SQL\n  url: ${DATABASE_URL}\n", {"DATABASE_URL": "postgresql://u@h/d"})
    assert (whole.drivername, whole.host, whole.database) == ("postgresql", "h", "d")
    assert url_of("tracker_store:\n  type: redis\n") is None and url_of("nlu:\n  url: x\n") is None
    with pytest.raises(SettingsError, match="port 'fifty'"):
        url_of("tracker_store:\n  type: SQL\n  dialect: postgresql\n  url: db\n  port: ${P}\n", {"P": "fifty"})


# ------------------------------------------------------------------------------------------------ for scripts


def test_the_command_gives_scripts_the_same_answers(tmp_path, monkeypatch, capsys):
    for name in ("YANGLAO_ENV", "YANGLAO_PROFILE", "YANGLAO_ENDPOINTS"):
        monkeypatch.delenv(name, raising=False)
    assert main(["profile"]) == 0 and capsys.readouterr().out == "default\n"
    assert main(["endpoints"]) == 0 and capsys.readouterr().out == f"{DEFAULT_ENDPOINTS}\n"
    assert main(["action-url"]) == 0 and capsys.readouterr().out == "\n"  # endpoints.yml: actions in process
    path = endpoints(tmp_path, "action_endpoint:\n  url: ${ACTION_URL}\n")
    monkeypatch.setenv("ACTION_URL", "http://127.0.0.1:5055/webhook")
    assert main(["action-url", str(path)]) == 0 and capsys.readouterr().out == "http://127.0.0.1:5055/webhook\n"
    monkeypatch.delenv("ACTION_URL")
    assert main(["action-url", str(path)]) == 2 and "${ACTION_URL} is not set" in capsys.readouterr().err
    monkeypatch.setenv("YANGLAO_PROFILE", "staging")
    assert main(["profile"]) == 2 and "default or production" in capsys.readouterr().err
