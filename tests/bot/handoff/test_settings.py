"""Settings: the hotline per city (national 12345 by default) and the database, found from the endpoints file
the servers use."""

import pytest

from bot.handoff.settings import ROOT, HandoffSettings, database_url, endpoints_file, load_settings
from bot.settings import SettingsError


def test_the_default_hotline_is_the_national_12345_said_as_such():
    s = load_settings(ROOT / "handoff.yml")
    for city in ("济宁", "枣庄", "聊城", None):
        assert s.hotline(city).number == "12345"
        assert "全国统一号码" in s.hotline(city).name


def test_a_city_can_have_its_own_hotline():
    s = HandoffSettings.from_mapping({"hotlines": {"枣庄": {"number": "0632-0000000", "name": "枣庄市养老服务热线"}}})
    assert s.hotline("枣庄").number == "0632-0000000"
    assert s.hotline("济宁").number == "12345"


def test_bad_settings_are_refused():
    with pytest.raises(ValueError):
        HandoffSettings.from_mapping({"code_day": 7})
    with pytest.raises(ValueError):
        HandoffSettings.from_mapping({"code_days": 0})
    with pytest.raises(ValueError):
        HandoffSettings.from_mapping({"hotlines": {"济宁": {"name": "无号码"}}})


def test_the_database_is_the_tracker_stores(tmp_path):
    assert database_url({}).render_as_string() == "sqlite:///var/trackers.db"  # endpoints.yml
    assert endpoints_file({"YANGLAO_PROFILE": "production"}) == ROOT / "deploy" / "endpoints.production.yml"
    env = {
        "YANGLAO_PROFILE": "production",
        "DB_HOST": "db.internal",
        "DB_PORT": "5433",
        "DB_NAME": "yanglao",
        "DB_USER": "app",
        "DB_PASSWORD": "p@ss",
        "DB_SSLMODE": "require",
        # the file is read whole, as Rasa reads it: its other variables are set too (blank is allowed)
        "REDIS_HOST": "redis.internal",
        "REDIS_PORT": "6379",
        "REDIS_PASSWORD": "",
        "REDIS_LOCK_DB": "1",
        "ACTION_URL": "",
        "ACTIONS_MODULE": "actions",
    }
    url = database_url(env)
    assert (url.drivername, url.host, url.port, url.database, url.username, url.password) == (
        "postgresql",
        "db.internal",
        5433,
        "yanglao",
        "app",
        "p@ss",
    )
    assert url.query == {"sslmode": "require", "connect_timeout": "3"}
    own = tmp_path / "endpoints.yml"
    own.write_text("tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: /tmp/x.db\n")
    assert database_url({"YANGLAO_ENDPOINTS": str(own)}).database == "/tmp/x.db"
    own.write_text("tracker_store:\n  type: redis\n")
    assert database_url({"YANGLAO_ENDPOINTS": str(own)}).database == "var/casework.db"


def test_an_unset_variable_in_the_endpoints_file_is_an_error_not_an_empty_value(tmp_path):
    """Before bot/settings.py an unset ${DB_HOST} became "" here: a database URL without a host, and every case
    code lost with only a log line."""
    own = tmp_path / "endpoints.yml"
    own.write_text("tracker_store:\n  type: SQL\n  dialect: postgresql\n  url: ${DB_HOST}\n  db: ${DB_NAME}\n")
    with pytest.raises(SettingsError, match=r"\$\{DB_HOST\} is not set"):
        database_url({"YANGLAO_ENDPOINTS": str(own), "DB_NAME": "yanglao"})
    url = database_url({"YANGLAO_ENDPOINTS": str(own), "DB_NAME": "yanglao", "DB_HOST": ""})  # blank: no host
    assert url.host is None and url.database == "yanglao"


def test_the_settings_file_is_the_named_one_else_handoff_yml(tmp_path):
    own = tmp_path / "handoff.yml"
    own.write_text("code_days: 3\n", encoding="utf-8")
    assert load_settings(environ={"YANGLAO_HANDOFF_SETTINGS": str(own)}).code_days == 3
    assert (
        load_settings(environ={"YANGLAO_HANDOFF_SETTINGS": " "}).code_days
        == load_settings(ROOT / "handoff.yml").code_days
    )
