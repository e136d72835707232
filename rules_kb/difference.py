"""What changes between two answers: a correction, a what-if, the next birthday, another city. Money first: each
cash part that starts, stops or changes amount, then the services that start or stop, and both monthly totals.
Every figure is read from the two Answers; this module holds none of its own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from .engine import YUAN, Answer, Entitlement


@dataclass(frozen=True)
class CashChange:
    entitlement: Entitlement  # the one after (or before, for a part that stops)
    name: str  # the item, or its part where the item has several parts
    agency: str
    before: Optional[float]  # 元/月; None where nothing (held is False) or no figure
    after: Optional[float]
    held: bool  # the part was there before
    holds: bool  # it is there after
    minimum: bool = False  # "不低于" (枣庄 centenarians)
    standard: Optional[str] = None  # what the document says where it gives no figure (after, else before)
    part: Optional[str] = None  # the part of an item with several (护理补贴 of 经济困难老年人补贴)


@dataclass(frozen=True)
class Difference:
    before: Answer
    after: Answer
    cash: Tuple[CashChange, ...]
    services_started: Tuple[Entitlement, ...]
    services_stopped: Tuple[Entitlement, ...]

    @property
    def unchanged(self) -> bool:
        return not (self.cash or self.services_started or self.services_stopped)


Parts = Dict[Tuple[str, Optional[str]], Tuple[Entitlement, Optional[float], bool, Optional[str]]]


def _cash_parts(answer: Answer) -> Parts:
    """(item name, part name) -> (entitlement, 元/月 or None, minimum), for every cash item of the answer. By name,
    not id: an answer for another city is compared item by item of the same name."""
    out: Parts = {}
    for e in answer.items:
        if e.item.kind != "cash":
            continue
        yuan_parts = [p for p in e.parts if p.unit == YUAN]
        if not yuan_parts:
            out[(e.item.name, None)] = (e, None, False, e.standard)
        for p in yuan_parts:
            out[(e.item.name, p.name)] = (e, p.amount, p.minimum, p.standard)
    return out


def _label(e: Entitlement, part: Optional[str]) -> str:
    return e.name if part in (None, e.name) else f"{e.name}（{part}）"


def difference(before: Answer, after: Answer) -> Difference:
    old, new = _cash_parts(before), _cash_parts(after)
    cash: List[CashChange] = []
    for key, (e, amount, minimum, standard) in new.items():
        label = _label(e, key[1])
        if key not in old:
            cash.append(CashChange(e, label, e.agency, None, amount, False, True, minimum, standard, key[1]))
        elif old[key][1] != amount:
            cash.append(CashChange(e, label, e.agency, old[key][1], amount, True, True, minimum, standard, key[1]))
    for key, (e, amount, minimum, standard) in old.items():
        if key not in new:
            cash.append(
                CashChange(e, _label(e, key[1]), e.agency, amount, None, True, False, minimum, standard, key[1])
            )
    services_before = {e.item.name: e for e in before.items if e.item.kind != "cash"}
    services_after = {e.item.name: e for e in after.items if e.item.kind != "cash"}
    return Difference(
        before,
        after,
        tuple(cash),
        tuple(e for i, e in services_after.items() if i not in services_before),
        tuple(e for i, e in services_before.items() if i not in services_after),
    )
