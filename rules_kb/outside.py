"""Matters outside the documents (outside.yml): what a message asks that no document answers, and the agency a
document names for it, per city, with the line that names it. Validated against the loaded KB: every agency an
answer names comes from the KB."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional, Tuple

import yaml

from .model import KB, Source

DATA = Path(__file__).with_name("outside.yml")


@dataclass(frozen=True)
class Named:
    """An agency as a document line names it: that line's citation and the matter it leads there."""

    agency: str
    matter: str
    source: Source


@dataclass(frozen=True)
class Topic:
    id: str
    says: str  # what the matter is, in words for the answer
    asks: Tuple[Tuple[str, ...], ...]  # each: parts that must appear in this order
    agency: Dict[str, Named]  # city -> the agency its documents name; a city missing: the hotline

    def matches(self, text: str) -> bool:
        return any(_in_order(text, parts) for parts in self.asks)


def _in_order(text: str, parts: Tuple[str, ...]) -> bool:
    at = 0
    for p in parts:
        at = text.find(p, at)
        if at < 0:
            return False
        at += len(p)
    return True


class OutsideError(ValueError):
    pass


def load_topics(kb: KB, path: Path = DATA) -> Tuple[Topic, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    items = {i.id: i for city_items in kb.items.values() for i in city_items}
    facts = kb.facts_by_id
    topics = []
    for t in data.get("topics") or []:
        where = f"{path.name}: topic {t.get('id')!r}"
        if not t.get("id") or not t.get("says") or not t.get("asks"):
            raise OutsideError(f"{where}: needs id, says and asks")
        named: Dict[str, Named] = {}
        for city, a in (t.get("agency") or {}).items():
            if city not in kb.items:
                raise OutsideError(f"{where}: unknown city {city!r}")
            agency, ref, matter = a.get("agency"), a.get("named_in"), a.get("matter")
            if not agency or not ref or not matter:
                raise OutsideError(f"{where}: {city}: needs agency, named_in and matter")
            line = items.get(ref) or facts.get(ref)
            if line is None:
                raise OutsideError(f"{where}: {city}: named_in {ref!r} is no item or fact of the KB")
            if line.city != city:
                raise OutsideError(f"{where}: {city}: {ref} is {line.city}'s")
            names = line.agency or ""  # an item's 牵头部门; a fact's 牵头单位 (or its 责任单位 where none leads)
            if agency not in names.split("、"):
                raise OutsideError(f"{where}: {city}: {ref} does not name {agency} as its lead (it names {names})")
            named[city] = Named(agency, matter, line.source)
        asks = tuple(tuple(p for p in str(w).split("…") if p) for w in t["asks"])
        if any(not parts for parts in asks):
            raise OutsideError(f"{where}: an empty entry in asks")
        topics.append(Topic(t["id"], t["says"], asks, named))
    return tuple(topics)


_CACHE: Dict[int, Tuple[KB, Tuple[Topic, ...]]] = {}


def topics(kb: KB) -> Tuple[Topic, ...]:
    """outside.yml checked against `kb`, once per KB (default_kb loads it with the KB: a bad file stops the load)."""
    cached = _CACHE.get(id(kb))
    if cached is None or cached[0] is not kb:
        cached = _CACHE[id(kb)] = (kb, load_topics(kb))
    return cached[1]


def outside_topic(kb: KB, text: str) -> Optional[Topic]:
    """The first matter outside the documents that the message asks about, if any."""
    return next((t for t in topics(kb) if t.matches(text)), None)


HOTLINE = "12345政务服务便民热线"


def _local(city: str, agency: str) -> str:
    """'济宁' + '市医保局' -> '济宁市医保局'."""
    return city + agency


def _named_text(n: Named) -> str:
    return f"文件中{n.matter}由{n.agency}牵头【{n.source.cite()}】"


OFFER = "我可以帮您查询济宁、枣庄、聊城三市老年人能享受的基本养老服务和补贴（每月多少钱、找哪个部门办、依据哪个文件）。"


def answer_text(kb: KB, topic: Topic, city: Optional[str] = None) -> str:
    """This matter is not in the documents; who answers it where a document names the agency, else 12345; then
    what the assistant can do."""
    return _who_answers(kb, topic, city) + "\n" + OFFER


def _who_answers(kb: KB, topic: Topic, city: Optional[str] = None) -> str:
    cities = [city] if city else list(kb.cities)
    head = f"这个问题不在本助手依据的文件范围内：{'、'.join(cities)}的基本养老服务清单和实施方案没有规定{topic.says}。"
    if city:
        n = topic.agency.get(city)
        if n is None:  # what the other cities' documents name, said as theirs
            elsewhere = "；".join(
                f"{c}的文件中{m.matter}由{m.agency}牵头【{m.source.cite()}】" for c, m in topic.agency.items()
            )
            return (
                head
                + f"{city}的文件没有指明负责部门"
                + (f"（{elsewhere}）" if elsewhere else "")
                + f"，请拨打{HOTLINE}咨询。"
            )
        return head + f"请咨询{_local(city, n.agency)}（{_named_text(n)}），也可拨打{HOTLINE}。"
    if not any(topic.agency.get(c) for c in cities):  # no document names anyone: the hotline, once
        return head + f"文件没有指明负责部门，请拨打{HOTLINE}咨询。"
    lines = [head + "可咨询户籍所在市的有关部门："]
    for c in cities:
        n = topic.agency.get(c)
        lines.append(
            f"· {c}：{_local(c, n.agency)}（{_named_text(n)}）" if n else f"· {c}：文件未指明负责部门，请拨打{HOTLINE}"
        )
    lines.append(f"也可拨打{HOTLINE}咨询。")
    return "\n".join(lines)
