"""The console's account API for admins, as plain functions over the operator stores (bot/operators/): list,
create, change (role, password, active), end sessions, read the audit log. Their routes (accounts_routes.py)
authenticate (admin role), run these in a worker thread and pass `audit`, which records what was done in the
caller's name."""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional

from bot.channels.web.api import RequestError
from bot.operators.accounts import ROLE_NAMES, ROLES, AccountError
from bot.operators.stores import OperatorStores

Audit = Callable[..., None]
MAX_AUDIT = 500


def list_json(st: OperatorStores) -> Dict[str, Any]:
    return {
        "accounts": [{"username": a.username, "role": a.role, "active": a.active} for a in st.accounts.all()],
        "roles": [{"role": r, "name": ROLE_NAMES[r]} for r in ROLES],
        "sessions": st.sessions.count(),
    }


def _object(body: Any) -> Dict[str, Any]:
    if not isinstance(body, dict):
        raise RequestError("请求内容必须是 JSON 对象")
    return body


def create_json(st: OperatorStores, body: Any, audit: Audit) -> Dict[str, Any]:
    body = _object(body)
    account = st.accounts.create(body.get("username"), body.get("password"), body.get("role"))
    audit(action="account_create", detail=f"{account.username} {account.role}", outcome="created")
    return {"username": account.username, "role": account.role, "active": account.active}


def update_json(st: OperatorStores, body: Any, audit: Audit) -> Dict[str, Any]:
    """{"username", "role"?, "password"?, "active"?}: a changed role or password, or a disabled account, ends the
    account's sessions. The last active admin cannot be demoted or disabled."""
    body = _object(body)
    username, role, password, active = body.get("username"), body.get("role"), body.get("password"), body.get("active")
    before = st.accounts.find(username) if isinstance(username, str) else None
    if before is None:
        raise LookupError(f"没有用户名为 {username} 的账号")
    if active is not None and not isinstance(active, bool):
        raise RequestError("active 必须是 true 或 false")
    if (
        before.role == "admin"
        and before.active
        and (role not in (None, "admin") or active is False)
        and st.accounts.active_admins() <= 1
    ):
        raise AccountError("不能停用或降级最后一个管理员")
    account = st.accounts.update(username, role=role, password=password, active=active)
    ended = (
        st.sessions.end_all(account.id)
        if (role not in (None, before.role) or password is not None or active is False)
        else 0
    )
    changes = [
        f"role={role}" if role is not None else "",
        "password" if password is not None else "",
        f"active={active}" if active is not None else "",
    ]
    audit(
        action="account_update",
        detail=f"{username} {' '.join(c for c in changes if c)}",
        outcome=f"{ended} sessions ended",
    )
    return {"username": account.username, "role": account.role, "active": account.active, "sessions_ended": ended}


def end_sessions_json(st: OperatorStores, body: Any, audit: Audit) -> Dict[str, Any]:
    """{"username": "…"} ends that account's sessions; {} ends every session (the caller's too)."""
    username = _object(body).get("username")
    account_id: Optional[int] = None
    if username is not None:
        account = st.accounts.find(username) if isinstance(username, str) else None
        if account is None:
            raise LookupError(f"没有用户名为 {username} 的账号")
        account_id = account.id
    ended = st.sessions.end_all(account_id)
    audit(action="sessions_ended", detail=username or "（全部）", outcome=f"{ended} sessions ended")
    return {"ended": ended}


def audit_json(st: OperatorStores, limit: Any = None, before: Any = None) -> Dict[str, Any]:
    try:
        count = int(limit) if limit not in (None, "") else 200
        before_id = int(before) if before not in (None, "") else None
    except (TypeError, ValueError):
        raise RequestError(f"limit 必须是 1—{MAX_AUDIT} 的整数，before 是条目编号") from None
    if not 1 <= count <= MAX_AUDIT:
        raise RequestError(f"limit 必须是 1—{MAX_AUDIT} 的整数")
    st.audit.purge()
    return {"entries": st.audit.recent(count, before_id)}
