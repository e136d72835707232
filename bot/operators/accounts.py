"""Operator accounts: a name, a scrypt password hash, a role, active or not. Roles are cumulative:
operator (entitlement lookups, case codes) < reviewer (+ the review queue and its export) < admin (+ accounts,
sessions, the audit log)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import List, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.handoff.db import operators
from bot.operators.passwords import DUMMY_HASH, MAX_PASSWORD, hash_password, verify_password

ROLES = ("operator", "reviewer", "admin")
ROLE_NAMES = {"operator": "坐席", "reviewer": "复核员", "admin": "管理员"}
MIN_PASSWORD = 10
USERNAME_RE = re.compile(r"[A-Za-z0-9_.@-]{2,64}|[\u4e00-\u9fff]{2,16}")


class AccountError(ValueError):
    """An account request that cannot be done; the message (Chinese) says why."""


def allows(role: str, needed: str) -> bool:
    """Whether `role` may do what `needed` may (roles are cumulative)."""
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    role: str
    active: bool = True


def check_password(password: object) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD or len(password.encode("utf-8")) > MAX_PASSWORD:
        raise AccountError(f"密码至少{MIN_PASSWORD}个字符")
    return password


def check_role(role: object) -> str:
    if role not in ROLES:
        raise AccountError(f"角色只能是 {'、'.join(ROLES)}")
    return str(role)


class AccountStore:
    def __init__(self, engine: Engine):
        self.engine = engine

    @staticmethod
    def _account(row) -> Account:
        return Account(row.id, row.username, row.role, bool(row.active))

    def create(self, username: str, password: str, role: str, now: Optional[float] = None) -> Account:
        if not isinstance(username, str) or not USERNAME_RE.fullmatch(username):
            raise AccountError("用户名为2—64个字母、数字或 _ . @ -，或2—16个汉字")
        check_password(password)
        check_role(role)
        now = time.time() if now is None else now
        try:
            with self.engine.begin() as conn:
                new_id = conn.execute(
                    operators.insert().values(
                        username=username,
                        password_hash=hash_password(password),
                        role=role,
                        active=True,
                        created_at=now,
                        updated_at=now,
                    )
                ).inserted_primary_key[0]
        except sa.exc.IntegrityError:
            raise AccountError(f"用户名 {username} 已存在") from None
        return Account(int(new_id), username, role)

    def find(self, username: str) -> Optional[Account]:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(operators).where(operators.c.username == username)).first()
        return self._account(row) if row is not None else None

    def get(self, account_id: int) -> Optional[Account]:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(operators).where(operators.c.id == account_id)).first()
        return self._account(row) if row is not None else None

    def verify(self, username: str, password: str) -> Optional[Account]:
        """The active account `username` if `password` is its password, else None (in the same time)."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(operators).where(operators.c.username == (username or "")[:64])).first()
        ok = verify_password(password or "", row.password_hash if row is not None else DUMMY_HASH)
        return self._account(row) if ok and row is not None and row.active else None

    def all(self) -> List[Account]:
        with self.engine.connect() as conn:
            return [self._account(r) for r in conn.execute(sa.select(operators).order_by(operators.c.id))]

    def update(
        self,
        username: str,
        *,
        role: Optional[str] = None,
        password: Optional[str] = None,
        active: Optional[bool] = None,
        now: Optional[float] = None,
    ) -> Account:
        values: dict = {"updated_at": time.time() if now is None else now}
        if role is not None:
            values["role"] = check_role(role)
        if password is not None:
            values["password_hash"] = hash_password(check_password(password))
        if active is not None:
            values["active"] = bool(active)
        with self.engine.begin() as conn:
            done = conn.execute(operators.update().where(operators.c.username == username).values(**values)).rowcount
        account = self.find(username) if done else None
        if account is None:
            raise AccountError(f"没有用户名为 {username} 的账号")
        return account

    def active_admins(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(sa.func.count())
                .select_from(operators)
                .where(operators.c.role == "admin", operators.c.active.is_(True))
            ).scalar_one()

    def ensure_admin(self, username: str, password: str) -> Account:
        """The bootstrap admin from the environment: created, or set to this password, role admin and active."""
        if self.find(username) is None:
            try:
                return self.create(username, password, "admin")
            except AccountError:
                if self.find(username) is None:  # not another process creating it at the same moment
                    raise
        return self.update(username, role="admin", password=password, active=True)
