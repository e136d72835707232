"""Which rules hold on a given day, and how to say it.

A rule (an item of a city's list or a policy fact) holds from its own `valid_from` or else its document's (or,
where the document states no period, the day it was issued) until its own `valid_until` or else its
document's; both ends inclusive, open where nothing is stated. The day is China's: policies are dated there,
and a server running on UTC would otherwise turn the day eight hours late.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import List, Optional, Union

from .model import KB, Document, Fact, Item

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")  # no daylight saving in China: a fixed offset is exact
IN_FORCE, LAPSED, NOT_YET = "in_force", "lapsed", "not_yet"
LAPSING_WITHIN_DAYS = 60  # how far ahead `check` and the console warn of a source that ends
ENDING, ENDED = "ending", "ended"

Rule = Union[Item, Fact]
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_FORMAT = "应为 YYYY-MM-DD，如 2026-06-01"


class DateError(ValueError):
    """A date the caller typed that is not a day; the message (Chinese) says the accepted form."""


def today() -> date:
    """China's date, or the day in $YANGLAO_TODAY (YYYY-MM-DD): the tests pin it, so that what they expect does
    not change when a source lapses, and staff can rehearse the answers a coming day will give."""
    pinned = os.environ.get("YANGLAO_TODAY", "").strip()
    return parse_day(pinned) if pinned else datetime.now(CHINA).date()


def parse_day(text: object) -> date:
    """'2026-06-01' -> that day; anything else raises DateError."""
    raw = str(text).strip() if isinstance(text, (str, date)) else repr(text)
    if not _ISO.fullmatch(raw):
        raise DateError(f"日期格式不正确：{raw}（{_FORMAT}）")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise DateError(f"日期不存在：{raw}（{_FORMAT}）") from None


def cn_day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def cn_month(d: date) -> str:
    return f"{d.year}年{d.month}月"


def issued_words(doc: Document) -> str:
    """'2023年4月印发': the month is enough to tell one document from another and keeps short answers short."""
    return f"{cn_month(doc.issued)}印发"


def issued_text(doc: Document) -> str:
    """'济政办发〔2023〕2号，2023年4月印发': a document and when it was issued, as an answer's basis says it."""
    return f"{doc.number}，{issued_words(doc)}"


@dataclass(frozen=True)
class Period:
    start: Optional[date]
    end: Optional[date]

    def state(self, on: date) -> str:
        if self.start is not None and on < self.start:
            return NOT_YET
        if self.end is not None and on > self.end:
            return LAPSED
        return IN_FORCE

    def text(self) -> str:
        """'2024年1月1日至2026年12月31日', '2023年4月27日起'."""
        if self.end is None:
            return f"{cn_day(self.start)}起" if self.start else "长期"
        return f"{cn_day(self.start) if self.start else ''}至{cn_day(self.end)}"


def period(rule: Rule) -> Period:
    """A document speaks from the day it was issued: a period it states that starts earlier (42号's 2024—2026,
    issued 2024-09-30; 十四五 from 2021) bounds what it covers, not the day it can be cited from."""
    doc = rule.source.doc
    covers = rule.valid_from or doc.valid_from
    return Period(max(covers, doc.issued) if covers else doc.issued, rule.valid_until or doc.valid_until)


def state(rule: Rule, on: Optional[date] = None) -> str:
    return period(rule).state(on or today())


def in_force(rule: Rule, on: Optional[date] = None) -> bool:
    return state(rule, on) == IN_FORCE


def lapse_note(rule: Rule, on: Optional[date] = None) -> Optional[str]:
    """What to say instead of stating a rule as current: '已于2025年12月31日到期，不是现行规定' or
    '自2027年1月1日起适用，尚未开始'; None while it holds."""
    p = period(rule)
    s = p.state(on or today())
    if s == LAPSED:
        assert p.end is not None
        return f"已于{cn_day(p.end)}到期，不是现行规定"
    if s == NOT_YET:
        assert p.start is not None
        return f"自{cn_day(p.start)}起适用，尚未开始"
    return None


def validity_dict(rule: Rule, on: Optional[date] = None) -> dict:
    """The JSON the API and CLI give beside a rule: its period and whether it holds on the day asked."""
    p = period(rule)
    return {
        "valid_from": p.start.isoformat() if p.start else None,
        "valid_until": p.end.isoformat() if p.end else None,
        "in_force": p.state(on or today()) == IN_FORCE,
        "note": lapse_note(rule, on),
    }


# --- warnings for the people who keep the KB -------------------------------------------------------


@dataclass(frozen=True)
class LapseWarning:
    """A source that ends within the warning window, or a rule whose own period has ended."""

    kind: str  # ENDING | ENDED
    subject: str  # document or rule id
    label: str  # what an operator recognises: 文号, or city·name with its citation
    until: date
    days: int  # from the day asked to the last day (negative once ended)

    def text(self) -> str:
        if self.kind == ENDED:
            return f"{self.label}：已于{cn_day(self.until)}到期（{-self.days}天前），答复中不再作为现行规定"
        left = "今天是最后一天" if self.days == 0 else f"还有{self.days}天"
        return f"{self.label}：有效期至{cn_day(self.until)}（{left}），到期后答复中不再作为现行规定，请及时更新知识库"

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "subject": self.subject,
            "label": self.label,
            "until": self.until.isoformat(),
            "days": self.days,
            "text": self.text(),
        }


def _warning(subject: str, label: str, end: date, on: date, within: int) -> Optional[LapseWarning]:
    days = (end - on).days
    if days < 0:
        return LapseWarning(ENDED, subject, label, end, days)
    if days <= within:
        return LapseWarning(ENDING, subject, label, end, days)
    return None


def _label(rule: Rule) -> str:
    name = rule.name if isinstance(rule, Item) else rule.title
    return f"{rule.city}·{name}（{rule.source.cite()}，{rule.id}）"


def lapse_warnings(kb: KB, on: Optional[date] = None, within: int = LAPSING_WITHIN_DAYS) -> List[LapseWarning]:
    """Current documents whose stated period ends within `within` days or has ended, then rules with an end
    of their own that does. Documents the KB already marks historical (`current: false`) are not repeated."""
    on = on or today()
    found: List[Optional[LapseWarning]] = []
    for doc in kb.documents.values():
        if doc.current and doc.valid_until is not None:
            found.append(_warning(doc.id, f"{doc.number}（{doc.title}）", doc.valid_until, on, within))
    rules: List[Rule] = [i for items in kb.items.values() for i in items] + list(kb.facts)
    for rule in rules:
        if rule.source.doc.current and rule.valid_until is not None:
            found.append(_warning(rule.id, _label(rule), rule.valid_until, on, within))
    return [w for w in found if w is not None]


# --- deadlines of targets ------------------------------------------------------------------------------

_YEAR_MONTH = re.compile(r"(\d{4})年(?:(\d{1,2})月)?")
_PLAN_PERIODS = {"十四五": 2025}  # the national five-year plan periods a document may name instead of a year


def deadline_of(due: str) -> date:
    """The last day a target's `due` allows, read from its words: '2025年年底前' -> 2025-12-31, '2020年6月底前' ->
    2020-06-30, '2024年至2025年' / '2020、2022年年底前' -> the last year named, '“十四五”期间' -> 2025-12-31.
    Raises ValueError for words that name no year."""
    found = _YEAR_MONTH.findall(due)
    if found:
        year, month = int(found[-1][0]), int(found[-1][1] or 12)
        if not 1 <= month <= 12:
            raise ValueError(f"no month {month} in {due!r}")
        first_of_next = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        return first_of_next - timedelta(days=1)
    for name, year in _PLAN_PERIODS.items():
        if name in due:
            return date(year, 12, 31)
    raise ValueError(f"cannot read a deadline from {due!r} (expected a year such as 2025年年底前)")


def deadline_passed(fact: Fact, on: Optional[date] = None) -> bool:
    return fact.deadline is not None and (on or today()) > fact.deadline


def deadline_note(fact: Fact, on: Optional[date] = None) -> Optional[str]:
    """'目标期限2025年底前，已过' once the day is after a target's deadline; None before or without one."""
    if not deadline_passed(fact, on):
        return None
    return f"目标期限{fact.due}，已过"


def replacement(kb: KB, fact: Fact, on: Optional[date] = None) -> Optional[Fact]:
    """The later fact that replaces this one on `on`: from the day the replacing fact starts to hold. A replaced
    fact stays replaced after its replacement's own period ends (the later document still stands over the
    earlier one; the replacement is then said to have lapsed itself)."""
    newer = kb.replaced_by.get(fact.id)
    if newer is None:
        return None
    start = period(newer).start
    return newer if start is None or (on or today()) >= start else None


def current_replacement(kb: KB, fact: Fact, on: Optional[date] = None) -> Optional[Fact]:
    """The last fact in the chain of replacements of `fact` on `on` (65% -> 70%), or None if not replaced."""
    newer = replacement(kb, fact, on)
    while newer is not None:
        after = replacement(kb, newer, on)
        if after is None:
            return newer
        newer = after
    return None
