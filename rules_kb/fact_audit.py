"""What the people who keep the KB should look at in its policy facts (`python -m rules_kb check`, the
console's banner): two facts that look like one target restated with neither link marked, targets whose
deadline has passed while the fact still stands, and facts whose document names no responsible unit.
Warnings, never errors: each is news for an editor, not a broken KB."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Iterator, List, Optional, Tuple

from .dates import current_replacement, deadline_passed, in_force, today
from .model import KB, Fact

UNMARKED, PAST_DEADLINE, NO_UNIT = "unmarked_replacement", "past_deadline", "no_unit"
FACT_WARNING_HEADINGS = {
    UNMARKED: "可能已被替代但未标明的事实",
    PAST_DEADLINE: "目标期限已过的事实",
    NO_UNIT: "文件未列责任单位的事实",
}

# Topics so broad that sharing one says nothing about two facts being the same target.
_BROAD_TOPICS = frozenset({"养老服务", "养老机构"})
# The measure a figure counts in: two figures in the same one may be the same target restated.
_FIGURE_UNIT = re.compile(r"%|张|家|个|所|处|户|名|人|元|年")


@dataclass(frozen=True)
class FactWarning:
    kind: str  # UNMARKED | PAST_DEADLINE | NO_UNIT
    subject: str  # fact id
    label: str
    detail: str

    def text(self) -> str:
        return f"{self.label}：{self.detail}"

    def to_dict(self) -> dict:
        return {"kind": self.kind, "subject": self.subject, "label": self.label, "text": self.text()}


def _label(f: Fact) -> str:
    return f"{f.city}·{f.title}（{f.source.cite()}，{f.id}）"


def _unit(figure: Optional[str]) -> Optional[str]:
    m = _FIGURE_UNIT.search(figure or "")
    return m.group(0) if m else None


def _chain(kb: KB, f: Fact) -> Iterator[Fact]:
    """The facts that replace `f`, then those that replace them (any day)."""
    newer = kb.replaced_by.get(f.id)
    while newer is not None:
        yield newer
        newer = kb.replaced_by.get(newer.id)


def unmarked_overlaps(kb: KB) -> List[Tuple[Fact, Fact]]:
    """(older, newer): same city, a later document, a shared specific topic and figures of the same measure,
    where the newer one neither replaces the older (directly or through a chain) nor is listed in the older's
    `not_replaced_by` with the reason both stand."""
    found = []
    for old in kb.facts:
        if _unit(old.figure) is None:
            continue
        linked = {f.id for f in _chain(kb, old)} | {later for later, _why in old.not_replaced_by}
        for new in kb.facts:
            if (
                new.city == old.city
                and old.source.doc.issued < new.source.doc.issued
                and _unit(new.figure) == _unit(old.figure)
                and new.id not in linked
                and (set(old.topics) & set(new.topics)) - _BROAD_TOPICS
            ):
                found.append((old, new))
    return found


def fact_warnings(kb: KB, on: Optional[date] = None) -> List[FactWarning]:
    on = on or today()
    warnings = [
        FactWarning(
            UNMARKED,
            old.id,
            _label(old),
            f"与{new.source.cite()}（{new.id}）同一主题、同类目标（{old.figure} / {new.figure}），"
            f"未标明是否被替代（replaces 或 not_replaced_by）",
        )
        for old, new in unmarked_overlaps(kb)
    ]
    warnings += [
        FactWarning(PAST_DEADLINE, f.id, _label(f), f"目标期限{f.due}已过，答复中注明“已过”")
        for f in kb.facts
        if deadline_passed(f, on) and in_force(f, on) and current_replacement(kb, f, on) is None
    ]
    warnings += [
        FactWarning(NO_UNIT, f.id, _label(f), "文件未列牵头单位或责任单位，答复中如实说明")
        for f in kb.facts
        if not f.units
    ]
    return warnings
