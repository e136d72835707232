"""The console's case-code lookup and review-queue API, as plain functions over the stores (bot/handoff/).
Their routes (casework_routes.py) authenticate, pick the rate-limit buckets and run these in a worker thread."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import yaml

from bot.channels.web.api import RequestError
from bot.handoff import codes
from bot.handoff.cases import CaseStore
from bot.handoff.export import NOT_TRAINABLE, nlu_yaml
from bot.handoff.limits import Blocked
from bot.handoff.review import ReviewQueue

DOMAIN_FILE = Path(__file__).resolve().parents[3] / "domain.yml"
MAX_EXPORT = 500
MAX_ENTRY_ID = 2**31 - 1  # the queue's ids are 32-bit integers in PostgreSQL; SQLite refuses beyond 2**63 - 1

__all__ = [
    "Blocked",
    "buckets",
    "case_json",
    "domain_intents",
    "export_ids",
    "export_yaml",
    "resolve_json",
    "review_json",
]


def buckets(credential: str, address: Optional[str]) -> List[str]:
    """The rate-limit buckets of a request: the credential that authenticated it (the session's cookie or the
    bearer token, hashed: never the secret itself; a cookie sent beside a bearer token does not count) and the
    client address."""
    who = hashlib.sha256(credential.encode("utf-8")).hexdigest()[:32]
    return [f"session:{who}", f"ip:{address or 'unknown'}"]


def case_json(store: CaseStore, body: Any, limit_buckets: Sequence[str]) -> Optional[Dict[str, Any]]:
    """The case for {"code": "ABCDE-FGHJK"}, or None (no such code, or expired). Raises Blocked when the
    buckets have used up their wrong tries, RequestError for a body without a code or with one that cannot be a
    code (wrong length or characters: no try is used, as the format is no secret)."""
    if not isinstance(body, dict) or not isinstance(body.get("code"), str) or not body["code"].strip():
        raise RequestError("请输入查询码（code），如 ABCDE-FGHJK")
    if len(body["code"]) > 40 or codes.normalise(body["code"]) is None:
        raise RequestError("查询码为10位字母和数字，如 ABCDE-FGHJK（不含 0、1、I、L、O、U）")
    case = store.try_code(body["code"], limit_buckets)
    if case is None:
        return None
    return {"case": case.snapshot, "created_at": case.created_at, "expires_at": case.expires_at}


def domain_intents(domain: Any = None) -> List[str]:
    """The intents a reviewer may choose: the served model's domain (or domain.yml), without Rasa's fallback."""
    names = list(getattr(domain, "intents", None) or [])
    if not names:
        names = list((yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8")) or {}).get("intents") or [])
    return [str(n) for n in names if n not in NOT_TRAINABLE]


def response_texts(domain: Any = None) -> Dict[str, str]:
    """utter_* name -> its first text, so the page shows what was said when a turn ended in a response."""
    responses = getattr(domain, "responses", None)
    if responses is None:
        responses = (yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8")) or {}).get("responses") or {}
    return {name: str((variants or [{}])[0].get("text") or "") for name, variants in responses.items()}


def review_json(queue: ReviewQueue, status: Optional[str], domain: Any = None) -> Dict[str, Any]:
    status = status or "open"
    if status not in ("open", "resolved", "all"):
        raise RequestError("status 只能是 open、resolved 或 all")
    queue.purge()
    texts = response_texts(domain)
    entries = queue.entries(status)
    for e in entries:
        e["reply_text"] = texts.get(e["reply"], e["reply"])
    return {"counts": queue.counts(), "entries": entries, "intents": domain_intents(domain), "status": status}


def _entry_id(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ENTRY_ID:
        raise RequestError(f"条目编号（id）必须是正整数，收到：{value!r}")
    return value


def resolve_json(queue: ReviewQueue, body: Any) -> Dict[str, Any]:
    if not isinstance(body, dict):
        raise RequestError('请求内容必须是 JSON 对象，如 {"id": 3, "note": "已补充训练数据"}')
    entry_id = _entry_id(body.get("id"))
    note = body.get("note") or ""
    if not isinstance(note, str) or len(note) > 1000:
        raise RequestError("备注（note）必须是文字，最多1000字")
    if not queue.resolve(entry_id, note.strip()):
        raise LookupError(f"没有编号为 {entry_id} 的条目")
    return {"id": entry_id, "resolved": True}


def export_ids(body: Any) -> List[int]:
    """The entry ids of a (valid) export request, for the audit log."""
    return [row["id"] for row in body["entries"]]


def export_yaml(queue: ReviewQueue, body: Any, domain: Any = None) -> Tuple[str, int]:
    """{"entries": [{"id": 3, "intent": "ask_item"}, …]} -> (NLU YAML, number of examples)."""
    chosen = body.get("entries") if isinstance(body, dict) else None
    if not isinstance(chosen, list) or not chosen or len(chosen) > MAX_EXPORT:
        raise RequestError(f'请选择要导出的条目（entries：1—{MAX_EXPORT} 个 {{"id", "intent"}}）')
    intents: Dict[int, str] = {}
    for row in chosen:
        if not isinstance(row, dict) or not isinstance(row.get("intent"), str):
            raise RequestError("每个条目需要 id 和 intent（意图）")
        intents[_entry_id(row.get("id"))] = row["intent"]
    found = {e["id"]: e for e in queue.entries("all", limit=MAX_EXPORT, ids=list(intents))}
    missing = sorted(set(intents) - set(found))
    if missing:
        raise LookupError(f"没有这些编号的条目：{', '.join(map(str, missing))}")
    try:
        text = nlu_yaml(((found[i]["text"], intents[i]) for i in intents), domain_intents(domain))
    except ValueError as exc:
        raise RequestError(str(exc)) from None
    return text, len(intents)
