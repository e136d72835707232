"""Operator accounts, sessions and the audit log on a real SQLite file (the PostgreSQL variant:
tests/production/test_operators_postgres.py; over HTTP: tests/e2e/test_console_accounts.py)."""

import sqlite3

import pytest

from bot.handoff import codes
from bot.handoff.db import engine_for
from bot.operators.accounts import AccountError, AccountStore, allows
from bot.operators.audit import AuditLog
from bot.operators.passwords import hash_password, verify_password
from bot.operators.sessions import SessionStore

T0 = 1_800_000_000.0
PASSWORD = "correct horse battery"


@pytest.fixture
def engine(tmp_path):
    return engine_for(f"sqlite:///{tmp_path / 'trackers.db'}")


@pytest.fixture
def accounts(engine):
    return AccountStore(engine)


@pytest.fixture
def sessions(engine):
    return SessionStore(engine, 3600)


def db_text(engine) -> str:
    con = sqlite3.connect(engine.url.database)
    con.execute("PRAGMA wal_checkpoint(FULL)")
    con.close()
    return open(engine.url.database, "rb").read().decode("latin-1")


def test_passwords_are_salted_scrypt_hashes():
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first.startswith("scrypt$16384$8$1$") and first != second and PASSWORD not in first
    assert verify_password(PASSWORD, first) and verify_password(PASSWORD, second)
    assert not verify_password(PASSWORD + "x", first) and not verify_password("", first)
    assert not verify_password(PASSWORD, "garbage") and not verify_password(PASSWORD, "scrypt$1$2$3$x$y")


def test_roles_are_cumulative():
    assert allows("admin", "reviewer") and allows("admin", "operator") and allows("reviewer", "operator")
    assert not allows("operator", "reviewer") and not allows("reviewer", "admin") and not allows("guest", "operator")


def test_accounts_verify_their_own_password_only_while_active(accounts, engine):
    made = accounts.create("zhang.san", PASSWORD, "operator")
    assert accounts.verify("zhang.san", PASSWORD) == made
    assert accounts.verify("zhang.san", "wrong password!") is None and accounts.verify("li.si", PASSWORD) is None
    accounts.update("zhang.san", active=False)
    assert accounts.verify("zhang.san", PASSWORD) is None
    accounts.update("zhang.san", active=True, password="another password")
    assert accounts.verify("zhang.san", "another password").role == "operator"
    assert PASSWORD not in db_text(engine) and "another password" not in db_text(engine)


@pytest.mark.parametrize(
    "username, password, role",
    [
        ("x", PASSWORD, "operator"),
        ("has space", PASSWORD, "operator"),
        ("ok_name", "short", "operator"),
        ("ok_name", PASSWORD, "root"),
        (None, PASSWORD, "operator"),
    ],
)
def test_bad_accounts_are_refused(accounts, username, password, role):
    with pytest.raises(AccountError):
        accounts.create(username, password, role)


def test_a_name_is_taken_once(accounts):
    accounts.create("王芳", PASSWORD, "reviewer")
    with pytest.raises(AccountError, match="已存在"):
        accounts.create("王芳", PASSWORD, "admin")


def test_the_bootstrap_admin_is_created_then_kept_in_step_with_the_environment(accounts):
    first = accounts.ensure_admin("admin", PASSWORD)
    assert first.role == "admin" and accounts.active_admins() == 1
    accounts.update("admin", role="operator", active=False)
    again = accounts.ensure_admin("admin", "a new password 123")
    assert again.id == first.id and again.role == "admin" and again.active
    assert accounts.verify("admin", "a new password 123") and not accounts.verify("admin", PASSWORD)


def test_sessions_are_server_side_and_end_when_told(accounts, sessions, engine):
    a = accounts.create("op1", PASSWORD, "operator")
    b = accounts.create("op2", PASSWORD, "reviewer")
    ta, ta2, tb = sessions.create(a, now=T0), sessions.create(a, now=T0), sessions.create(b, now=T0)
    assert len({ta, ta2, tb}) == 3 and len(ta) >= 40
    assert sessions.resolve(ta, now=T0 + 1).account.username == "op1"
    assert ta not in db_text(engine)  # only its hash is stored
    assert sessions.end(ta) and sessions.resolve(ta, now=T0 + 1) is None
    assert sessions.resolve(ta2, now=T0 + 1) is not None  # the other session of the same account lives on
    assert sessions.end_all(a.id) == 1 and sessions.resolve(ta2, now=T0 + 1) is None
    assert sessions.resolve(tb, now=T0 + 1) is not None
    assert sessions.resolve(tb, now=T0 + 3600) is None  # expired
    assert sessions.end_all() == 1


def test_a_disabled_account_has_no_session(accounts, sessions):
    a = accounts.create("op3", PASSWORD, "operator")
    token = sessions.create(a)
    accounts.update("op3", active=False)
    assert sessions.resolve(token) is None


@pytest.mark.parametrize("junk", [None, "", "x" * 5000, "abc", "1.2"])
def test_junk_cookies_resolve_to_nothing(sessions, junk):
    assert sessions.resolve(junk) is None and not sessions.end(junk)


def test_the_audit_log_records_who_when_where_and_only_hashes_of_codes(engine):
    log = AuditLog(engine, retention_days=90)
    code = codes.new_code()
    log.record(
        "case_lookup", "zhang.san", "operator", "10.0.0.7", case_digest=codes.digest(code), outcome="found", now=T0
    )
    log.record("review_export", "王芳", "reviewer", "10.0.0.8", entries=[3, 4], outcome="2 examples", now=T0 + 1)
    log.record("login_failed", "x", "", "10.0.0.9", detail="电话13812345678", now=T0 + 2)
    newest, export, lookup = log.recent(10)
    assert (lookup["actor"], lookup["role"], lookup["address"], lookup["action"], lookup["outcome"]) == (
        "zhang.san",
        "operator",
        "10.0.0.7",
        "case_lookup",
        "found",
    )
    assert lookup["case_digest"] == codes.digest(code) and lookup["at"] == T0
    assert export["entries"] == [3, 4] and newest["detail"] == "电话[手机号已隐去]"
    assert code not in db_text(engine) and "13812345678" not in db_text(engine)
    with pytest.raises(ValueError):
        log.record("delete_everything", "x", "", "")


def test_the_audit_log_is_kept_as_long_as_the_queue(engine):
    log = AuditLog(engine, retention_days=90)
    log.record("login", "old", "admin", "1.1.1.1", now=T0 - 91 * 86400)
    log.record("login", "new", "admin", "1.1.1.1", now=T0 - 89 * 86400)
    assert log.purge(now=T0) == 1 and [e["actor"] for e in log.recent()] == ["new"]
