"""Looking ahead and searching: what begins at the next birthday that matters, and which item a question
means when it names what the item covers (科技馆, 看病) rather than its title. Pure functions over a KB."""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Dict, List, Optional, Sequence, Tuple

from .dates import today
from .engine import YUAN, Entitlement, Profile, condition_atoms, evaluate
from .model import KB, AgeAtLeast, AgeAtMost, Item, Source


@dataclass(frozen=True)
class Change:
    """Something that begins (or changes amount) when the person reaches `age`."""

    age: int
    item: Item
    part: Optional[str]  # the part whose amount changes (None: the whole item begins)
    before: Optional[float]  # 元/月 now (None: nothing now, or no figure)
    after: Optional[float]  # 元/月 from that birthday (None: no figure in the document)
    standard: Optional[str]  # what the document says where it gives no figure
    source: Source
    minimum: bool = False  # the new amount is a floor: "不低于500元" (枣庄 and 济宁 centenarians)

    @property
    def agency(self) -> str:
        return self.item.agency


_THRESHOLDS: Dict[Tuple[int, str], Tuple[int, ...]] = {}


def age_thresholds(kb: KB, city: str) -> Tuple[int, ...]:
    """Every age at which something in the city's list begins or changes, ascending (cached per KB)."""
    key = (id(kb), city)
    if key not in _THRESHOLDS:
        ages = set()
        for item in kb.items.get(city, ()):
            for c in [item.cond] + [t.when for p in item.parts for t in p.tiers]:
                for a in condition_atoms(c):
                    if isinstance(a, AgeAtLeast):
                        ages.add(a.years)
                    elif isinstance(a, AgeAtMost):
                        ages.add(a.years + 1)
        _THRESHOLDS[key] = tuple(sorted(ages))
    return _THRESHOLDS[key]


def _amounts(e: Entitlement) -> Dict[Optional[str], Tuple[Optional[float], Optional[str], Source, bool]]:
    """part name (None for an item without parts) -> (元/月 or None, standard, source, whether a floor)."""
    if not e.parts:
        return {None: (None, e.item.standard, e.source, False)}
    return {p.name: (p.amount if p.unit == YUAN else None, p.standard, p.source, p.minimum) for p in e.parts}


def ahead(kb: KB, profile: Profile, within: int = 5, on: Optional[date] = None) -> List[Change]:
    """What the next birthday that changes anything adds or raises, if it is at most `within` years away.
    Only cash items and amounts count, and services that begin then; nothing when the age is unknown. The
    rules are those of the day `on` (default today): the KB says nothing of rules that are not yet written."""
    if profile.age is None:
        return []
    on = on or today()  # once: every birthday compared on the same day's rules
    now = {e.item.id: e for e in evaluate(kb, profile, on).items}
    for age in age_thresholds(kb, profile.city):
        if age <= profile.age:
            continue
        if age - profile.age > within:
            return []
        later = evaluate(kb, dataclasses.replace(profile, age=age), on)
        changes: List[Change] = []
        for e in later.items:
            before = now.get(e.item.id)
            old = _amounts(before) if before else {}
            for part, (amount, standard, source, floor) in _amounts(e).items():
                was = old.get(part)
                if was is None:
                    changes.append(Change(age, e.item, part, None, amount, standard, source, floor))
                elif was[0] != amount and (amount is not None or was[0] is not None):
                    changes.append(Change(age, e.item, part, was[0], amount, standard, source, floor))
        if changes:
            return changes
    return []


def every_birthday_ahead(kb: KB, profile: Profile, on: Optional[date] = None) -> List[List[Change]]:
    """What each later birthday that changes anything brings, in order: "80岁以上的老人" are also 90 and 100."""
    found: List[List[Change]] = []
    while True:
        changes = ahead(kb, profile, 200, on)
        if not changes:
            return found
        found.append(changes)
        profile = dataclasses.replace(profile, age=changes[0].age)


# --- finding an item by what it covers ------------------------------------------------------------

# Pairs of characters that name no service: they occur in questions and in nearly every item.
_NOISE = {
    "老年",
    "年人",
    "老人",
    "周岁",
    "以上",
    "及以",
    "服务",
    "符合",
    "条件",
    "规定",
    "按照",
    "有关",
    "政策",
    "什么",
    "多少",
    "可以",
    "能不",
    "不能",
    "怎么",
    "哪个",
    "是不",
    "不是",
    "要钱",
    "免费",
    "我爸",
    "我妈",
    # words of asking, not of a service: "分别找哪个部门", "怎么申请"
    "分别",
    "申请",
    "办理",
    "手续",
    "材料",
    "流程",
    "部门",
    "牵头",
    "负责",
    "一样",
    "区别",
    "比较",
    "每月",
    "一个",
    "个月",
    # who gives, not what: "国家给啥待遇" (优抚供养's 对国家和社会作出特殊贡献 is not asked)
    "国家",
    "待遇",
}


# Characters of grammar, not of content: a pair holding one says nothing about a service ("没有", "好的").
_FUNCTION_CHARS = set(
    "的了是不没有也都就还在和与或及吗呢吧啊呀么什怎哪谁个们我你他她它这那很太要能会可以到去来说再见好给让被把"
    "对为从向等、，。；：？！,.;:?! 0123456789"
)


def _pairs(text: str) -> set:
    pairs = {text[i : i + 2] for i in range(len(text) - 1)}
    return {p for p in pairs if not (set(p) & _FUNCTION_CHARS)} - _NOISE


@dataclass(frozen=True)
class _Index:
    pairs: Dict[str, frozenset]  # item id -> its pairs
    idf: Dict[str, float]
    items: Dict[str, Item]


_INDEXES: Dict[int, _Index] = {}
_CITED = re.compile(r"《[^》]*》|（[^）]*〔[^）]*）")  # a cited document's title or number is not what an item covers


def _index(kb: KB) -> _Index:
    if id(kb) not in _INDEXES:
        _INDEXES[id(kb)] = _build_index(kb)
    return _INDEXES[id(kb)]


def _build_index(kb: KB) -> _Index:
    pairs: Dict[str, frozenset] = {}
    items: Dict[str, Item] = {}
    synonyms = kb.regions.item_synonyms
    for city_items in kb.items.values():
        for item in city_items:
            words = [
                item.name,
                _CITED.sub("", item.text),
                item.group,
                *(p.name for p in item.parts),
                *synonyms.get(item.name, ()),
            ]
            for p in item.parts:
                words += synonyms.get(p.name, ())
            pairs[item.id] = frozenset(_pairs("".join(words)))
            items[item.id] = item
    df: Dict[str, int] = {}
    for ps in pairs.values():
        for p in ps:
            df[p] = df.get(p, 0) + 1
    n = len(pairs)
    return _Index(pairs, {p: math.log(n / d) for p, d in df.items()}, items)


def items_by_content(
    kb: KB, text: str, city: Optional[str] = None, min_score: float = 3.0, named: Sequence[str] = ()
) -> List[Item]:
    """Items whose name, content or everyday names share enough rare character pairs with `text`, best
    first; within 80% of the best score. `text` should have places, ages and statuses taken out. Items
    `named` in the message (by a word the lists or people use for them) count as one rare pair more."""
    index = _index(kb)
    asked = _pairs(text)
    scored = []
    for item_id, ps in index.pairs.items():
        item = index.items[item_id]
        if city is not None and item.city != city:
            continue
        is_named = item.name in named or any(p.name in named for p in item.parts)
        score = sum(index.idf[p] for p in asked & ps) + (_NAMED_BONUS if is_named else 0.0)
        if score >= min_score:
            scored.append((score, item))
    if not scored:
        return []
    scored.sort(key=lambda x: -x[0])
    best = scored[0][0]
    return [item for score, item in scored if score >= 0.8 * best]


_NAMED_BONUS = 4.0
