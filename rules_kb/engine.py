"""Profile -> entitlements. Pure functions over a loaded KB; no I/O, no Rasa.

Facts are three-valued: True, False or None (unknown). An unknown fact is never read as "no": an item
whose condition is unknown is not listed as an entitlement, but if one more fact would make it hold,
it comes back as a hint naming that fact.

Longer than 400 lines on purpose: the profile, the three-valued evaluation and the results it returns are one
piece (every function here reads the same private _Facts); cutting it would export that private state.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple

from . import dates
from .model import (
    KB,
    AbilityGradeIn,
    AgeAtLeast,
    AgeAtMost,
    And,
    Atom,
    Condition,
    DisabilityGradeIn,
    Document,
    Fact,
    HasStatus,
    Item,
    Or,
    Part,
    Source,
    Tier,
)

# The shared words and limits of a profile: the extractor, the profile fold, the planner, the API and the CLI use
# these, not copies of them.
MAX_AGE = 130
ABILITY_GRADES = (0, 1, 2, 3, 4)  # 老年人能力评估 (the newer 0–4 scale)
DISABILITY_GRADES = (1, 2, 3, 4)  # 残疾等级 一级—四级
ECONOMIC = ("低保", "特困", "经济困难")  # the statuses the economic question is about
NEITHER = "都不是"  # the answer "neither 低保 nor 特困"
UNSURE = "不清楚"  # the answer "not known": what each case gives is said, not asked again
YUAN = "元/人/月"


class ProfileError(ValueError):
    """Bad input about a person; the message says what is accepted."""


@dataclass(frozen=True)
class Profile:
    city: str
    age: Optional[int] = None
    statuses: FrozenSet[str] = frozenset()
    not_statuses: FrozenSet[str] = frozenset()  # known to be absent
    ability_grade: Optional[int] = None
    disability_grade: Optional[int] = None
    county: Optional[str] = None


def resolve_place(kb: KB, text: str) -> Tuple[str, Optional[str]]:
    """A city or county name (with or without 市/县/区) -> (city, county or None)."""
    key = text.strip()
    if key.lower() in kb.regions.city_aliases:
        return kb.regions.city_aliases[key.lower()], None
    if key in kb.regions.county_city:
        return kb.regions.county_city[key]
    accepted = "、".join(kb.cities)
    raise ProfileError(f"未知的城市或县区：{text}（可用：{accepted}，或其下辖县市区，如 滕州、曲阜、临清）")


def canonical_status(kb: KB, word: str) -> str:
    status = kb.regions.status_words.get(word.strip())
    if status is None:
        raise ProfileError(f"未知的身份状况：{word}（可用：{'、'.join(kb.regions.statuses)}）")
    return status


def make_profile(
    kb: KB,
    place: str,
    age: Optional[int] = None,
    statuses: Iterable[str] = (),
    not_statuses: Iterable[str] = (),
    ability_grade: Optional[int] = None,
    disability_grade: Optional[int] = None,
) -> Profile:
    """Validate raw input (city or county, synonyms for statuses) into a Profile."""
    city, county = resolve_place(kb, place)
    if age is not None and (isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= MAX_AGE):
        raise ProfileError(f"年龄不合理：{age}（可用：0—{MAX_AGE} 的整数周岁）")
    if ability_grade is not None and ability_grade not in ABILITY_GRADES:
        raise ProfileError(f"能力评估等级不合理：{ability_grade}（可用：0—4 级）")
    if disability_grade is not None and disability_grade not in DISABILITY_GRADES:
        raise ProfileError(f"残疾等级不合理：{disability_grade}（可用：1—4 级）")
    has = frozenset(canonical_status(kb, s) for s in statuses)
    has_not = frozenset(canonical_status(kb, s) for s in not_statuses)
    profile = Profile(city, age, has, has_not, ability_grade, disability_grade, county)
    holds, holds_not = known_facts(kb, profile)
    clash = holds & holds_not
    if clash:
        raise ProfileError(f"身份状况自相矛盾：{'、'.join(sorted(clash))}（请核对身份状况和残疾等级）")
    return profile


# --- three-valued evaluation --------------------------------------------------------------------


def implied_statuses(kb: KB, statuses: FrozenSet[str]) -> FrozenSet[str]:
    """The statuses with all those the documents say they imply (regions.yml `implies`: 低保 is 经济困难)."""
    held = set(statuses)
    while True:
        more = {i for s in held for i in kb.regions.implies.get(s, ())} - held
        if not more:
            return frozenset(held)
        held |= more


def known_facts(kb: KB, p: Profile) -> Tuple[FrozenSet[str], FrozenSet[str]]:
    """(statuses that hold, statuses known not to hold), after the documents' own implications."""
    implies = kb.regions.implies
    has = set(p.statuses)
    if p.disability_grade is not None:
        has.add("残疾")  # 残疾等级 is only given to a person with a disability
        if p.disability_grade in (1, 2):
            has.add("重残")  # 清单: 残疾等级评定为一级、二级…重度残疾
    has = set(implied_statuses(kb, frozenset(has)))
    has_not = set(p.not_statuses)
    if p.disability_grade in (3, 4):
        has_not.add("重残")
    changed = True
    while changed:  # not 经济困难 -> not 低保, not 特困; not 残疾 -> not 重残
        before = len(has_not)
        for s, implied in implies.items():
            if any(i in has_not for i in implied):
                has_not.add(s)
        changed = len(has_not) != before
    for s in list(has):
        has_not.update(kb.regions.excludes.get(s, ()))
    return frozenset(has), frozenset(has_not)


class _Facts:
    """What a profile says about each atom, after the documents' own implications."""

    def __init__(self, kb: KB, p: Profile):
        has, has_not = known_facts(kb, p)
        self.p, self.has, self.has_not = p, has, has_not
        self.assumed: Dict[Atom, bool] = {}

    def assuming(self, a: Atom) -> "_Facts":
        """The same facts plus one atom taken as true (for hints)."""
        return self.assuming_all({a: True})

    def assuming_all(self, values: Dict[Atom, bool]) -> "_Facts":
        """The same facts with these atoms taken as true or false."""
        other = object.__new__(_Facts)
        other.p, other.has, other.has_not, other.assumed = self.p, self.has, self.has_not, values
        return other

    def atom(self, a: Atom) -> Optional[bool]:
        if a in self.assumed:
            return self.assumed[a]
        p = self.p
        if type(a) is HasStatus:
            if a.status in self.has:
                return True
            return False if a.status in self.has_not else None
        if type(a) is AgeAtLeast:
            return None if p.age is None else p.age >= a.years
        if type(a) is AgeAtMost:
            return None if p.age is None else p.age <= a.years
        if isinstance(a, AbilityGradeIn):
            return None if p.ability_grade is None else p.ability_grade in a.grades
        if isinstance(a, DisabilityGradeIn):
            if p.disability_grade is None:
                # 重残 without a grade still says "一级或二级"
                return True if "重残" in self.has and set(a.grades) == {1, 2} else None
            return p.disability_grade in a.grades
        raise TypeError(a)

    def holds(self, c: Condition) -> Optional[bool]:
        if isinstance(c, (And, Or)):
            settles = isinstance(c, Or)  # one False settles an And, one True an Or; else unknown beats the rest
            result: Optional[bool] = not settles
            for x in c.parts:
                v = self.holds(x)
                if v is settles:
                    return settles
                if v is None:
                    result = None
            return result
        return self.atom(c)


@functools.lru_cache(maxsize=None)
def condition_atoms(c: Condition) -> Tuple[Atom, ...]:
    """The distinct facts a condition tests, in order (conditions are immutable, so cached)."""
    if isinstance(c, (And, Or)):
        return tuple(dict.fromkeys(a for x in c.parts for a in condition_atoms(x)))
    return (c,)


def describe_atom(a: Atom) -> str:
    if isinstance(a, AgeAtLeast):
        return f"年满{a.years}周岁"
    if isinstance(a, AgeAtMost):
        return f"不超过{a.years}周岁"
    if isinstance(a, HasStatus):
        return a.status
    if isinstance(a, AbilityGradeIn):
        return f"能力评估为{_grade_span(a.grades)}级"
    if isinstance(a, DisabilityGradeIn):  # as the lists write it: 残疾等级评定为一级、二级
        return "残疾等级为" + "、".join(_CN_GRADES[g] + "级" for g in sorted(a.grades))
    raise TypeError(a)


_CN_GRADES = {1: "一", 2: "二", 3: "三", 4: "四"}


def _grade_span(grades: Sequence[int], sep: str = "—") -> str:
    g = sorted(grades)
    if sep == "—" and len(g) > 1 and g == list(range(g[0], g[-1] + 1)):
        return f"{g[0]}—{g[-1]}"
    return sep.join(str(x) for x in g)


def _reasons(facts: _Facts, c: Condition) -> List[str]:
    """The facts that made a true condition true, in words."""
    if isinstance(c, And):
        return [r for x in c.parts for r in _reasons(facts, x)]
    if isinstance(c, Or):
        for x in c.parts:
            if facts.holds(x):
                return _reasons(facts, x)
        return []
    return [describe_atom(c)]


def _missing(facts: "_Facts", c: Condition) -> List[Atom]:
    """Unknown atoms each of which, if true, would make `c` hold."""
    return [a for a in condition_atoms(c) if facts.atom(a) is None and facts.assuming(a).holds(c)]


# --- results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartAmount:
    name: str
    unit: str
    amount: Optional[float]
    minimum: bool
    standard: Optional[str]
    source: Source
    detail: Optional[str] = None  # e.g. the centenarian's 省/市/区 shares
    amount_range: Optional[Tuple[float, float]] = None
    basis: Optional[str] = None  # above 100: the document's own figure and its yearly raise

    @property
    def explained(self) -> Optional[str]:
        """The shares, then how the document arrives at them: what an answer says beside the amount."""
        return "；".join(x for x in (self.detail, self.basis) if x) or None

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "unit": self.unit,
            "amount": self.amount,
            "minimum": self.minimum,
            "amount_range": list(self.amount_range) if self.amount_range else None,
            "standard": self.standard,
            "detail": self.detail,
            "basis": self.basis,
            "source": self.source.to_dict(),
        }


@dataclass(frozen=True)
class Entitlement:
    item: Item
    parts: Tuple[PartAmount, ...]
    reason: str

    @property
    def name(self) -> str:
        return self.item.name

    @property
    def agency(self) -> str:
        return self.item.agency

    @property
    def source(self) -> Source:
        return self.item.source

    @property
    def amount_yuan_per_month(self) -> Optional[float]:
        """Sum of the known 元/人/月 parts; None where the document gives no figure at all."""
        known = [x.amount for x in self.parts if x.unit == YUAN and x.amount is not None]
        return sum(known) if known else None

    @property
    def minimum(self) -> bool:
        return any(x.minimum for x in self.parts if x.unit == YUAN and x.amount is not None)

    @property
    def standard(self) -> Optional[str]:
        """What to say where there is no figure: the part's or item's own words."""
        unknown = [x.standard for x in self.parts if x.amount is None and x.amount_range is None and x.standard]
        if unknown:
            return "；".join(unknown)
        if not self.parts:
            return self.item.standard
        return None

    def sources(self) -> List[Source]:
        seen: Dict[str, Source] = {self.item.source.cite(): self.item.source}
        for x in self.parts:
            seen.setdefault(x.source.cite(), x.source)
        return list(seen.values())

    def to_dict(self) -> dict:
        return {
            "id": self.item.id,
            "no": self.item.no,
            "name": self.name,
            "group": self.item.group,
            "kind": self.item.kind,
            "amount_yuan_per_month": self.amount_yuan_per_month,
            "minimum": self.minimum,
            "standard": self.standard,
            "parts": [x.to_dict() for x in self.parts],
            "agency": self.agency,
            "proviso": self.item.proviso,
            "reason": self.reason,
            "content": self.item.text,
            "source": self.source.cite(),
            "sources": [s.to_dict() for s in self.sources()],
        }


@dataclass(frozen=True)
class Hint:
    """An item (or part of one) that one more fact would add."""

    item: Item
    part: Optional[str]
    needs: Tuple[str, ...]  # alternatives: any one of these facts would do
    amount_yuan_per_month: Optional[float]

    def to_dict(self) -> dict:
        return {
            "id": self.item.id,
            "name": self.item.name,
            "part": self.part,
            "needs": list(self.needs),
            "amount_yuan_per_month": self.amount_yuan_per_month,
            "agency": self.item.agency,
            "source": self.item.source.cite(),
        }


@dataclass(frozen=True)
class Answer:
    profile: Profile
    items: Tuple[Entitlement, ...]
    hints: Tuple[Hint, ...]
    on: Optional[date] = None  # the day the rules were read for
    assumptions: Tuple[str, ...] = ()  # what regions.yml `assumptions` says of an assumption that decided this
    # cash items another city lists for a status of the person that this city's list lacks (聊城 has no
    # 计划生育特别扶助金): said as not listed here, never with the other city's figure
    unlisted: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()  # (item name, the cities that list it)
    # a grade the person has that an item or part asks for, where the rest of its condition fails (能力评估2级 and
    # not 低保: 护理补贴 still needs 低保): (what the grade meets, item name, part, what else it needs)
    idle: Tuple[Tuple[str, str, Optional[str], Tuple[str, ...]], ...] = ()

    @property
    def monthly_total_yuan(self) -> float:
        return sum(e.amount_yuan_per_month or 0 for e in self.items)

    @property
    def total_is_minimum(self) -> bool:
        return any(e.minimum for e in self.items)

    @property
    def unknown_amount_items(self) -> List[Entitlement]:
        return [e for e in self.items if e.item.kind == "cash" and e.standard]

    def documents(self) -> List[str]:
        return [d.number for d in self.basis()]

    def basis(self) -> List[Document]:
        """The documents the answer rests on, in the order its items cite them."""
        return list({s.doc.id: s.doc for e in self.items for s in e.sources()}.values())

    def to_dict(self) -> dict:
        p = self.profile
        return {
            "profile": {
                "city": p.city,
                "county": p.county,
                "age": p.age,
                "statuses": sorted(p.statuses),
                "not_statuses": sorted(p.not_statuses),
                "ability_grade": p.ability_grade,
                "disability_grade": p.disability_grade,
            },
            "items": [e.to_dict() for e in self.items],
            "monthly_total_yuan": self.monthly_total_yuan,
            "total_is_minimum": self.total_is_minimum,
            "hints": [h.to_dict() for h in self.hints],
            "documents": self.documents(),
            "basis": [
                {"doc": d.id, "number": d.number, "issued": d.date, "text": dates.issued_text(d)} for d in self.basis()
            ],
            "on": self.on.isoformat() if self.on else None,
        }


def _tier_amount(tier: Tier, age: Optional[int]) -> Tuple[Optional[float], Optional[str], Optional[str]]:
    """(amount, the shares, the document's figure and raise where the age is above 100)."""
    if not tier.components:
        return tier.amount, None, None
    over = max(0, (age or 100) - 100)
    shares = [(c.name, c.amount + c.plus_per_year_over_100 * over) for c in tier.components]
    detail = "＋".join(f"{n}{a:g}元" for n, a in shares)
    raises = "，".join(
        f"{c.name}每增加一岁每月再增加{c.plus_per_year_over_100:g}元"
        for c in tier.components
        if c.plus_per_year_over_100
    )
    basis = f"此后{raises}" if raises else None  # at 100: "往后每年还涨不" is answered with the figure
    if over:  # the figure the document states, and how the years above 100 raise it
        basis = f"文件标准为100周岁不低于{sum(c.amount for c in tier.components):g}元，{raises}"
    return sum(a for _, a in shares), detail, basis


def _part_amount(item: Item, part: Part, tier: Tier, age: Optional[int]) -> PartAmount:
    amount, detail, basis = _tier_amount(tier, age)
    return PartAmount(
        part.name,
        part.unit,
        amount,
        tier.minimum,
        tier.standard,
        tier.source or item.source,
        detail,
        tier.amount_range,
        basis,
    )


def _hint_amount(tiers: Iterable[Tier]) -> Optional[float]:
    amounts = {t.amount for t in tiers}
    return amounts.pop() if len(amounts) == 1 else None


def _amount_if(base: "_Facts", profile: Profile, item: Item, assume: Atom) -> Optional[float]:
    """The item's monthly 元 if the missing fact were true (None where not determinable)."""
    facts = base.assuming(assume)
    total = None
    for part in item.parts:
        tier = next((t for t in part.tiers if facts.holds(t.when)), None)
        if tier is not None and part.unit == YUAN:
            amount, _, _ = _tier_amount(tier, profile.age)
            if amount is not None:
                total = (total or 0) + amount
    return total


def _entitle(facts: "_Facts", profile: Profile, item: Item) -> Tuple[Optional[Entitlement], List[Hint]]:
    """One item for one profile: the entitlement (if its condition holds) and the hints one fact away."""
    hints: List[Hint] = []
    applies = facts.holds(item.cond)
    if applies:
        parts: List[PartAmount] = []
        for part in item.parts:
            tier = next((t for t in part.tiers if facts.holds(t.when)), None)
            if tier is not None:
                parts.append(_part_amount(item, part, tier, profile.age))
                continue
            open_tiers = [t for t in part.tiers if facts.holds(t.when) is None]
            needs = [describe_atom(a) for t in open_tiers for a in _missing(facts, t.when)]
            if needs:
                hints.append(Hint(item, part.name, tuple(dict.fromkeys(needs)), _hint_amount(open_tiers)))
        if item.parts and not parts:
            return None, hints  # e.g. 失独/伤残 not yet known: nothing of the item applies yet
        return Entitlement(item, tuple(parts), "；".join(dict.fromkeys(_reasons(facts, item.cond)))), hints
    if applies is None:
        missing = _missing(facts, item.cond)
        if missing:
            amounts = {_amount_if(facts, profile, item, a) for a in missing}
            amount = amounts.pop() if len(amounts) == 1 else None
            hints.append(Hint(item, None, tuple(dict.fromkeys(describe_atom(a) for a in missing)), amount))
    return None, hints


ANSWERS_KEPT = 2048  # profiles remembered per KB (a few MB): the age × status mixes asked in a busy day


def evaluate(kb: KB, profile: Profile, on: Optional[date] = None) -> Answer:
    """What the person is entitled to on the day `on` (default: today in China); items whose period has
    ended or not begun by then are neither listed nor hinted."""
    if profile.city not in kb.items:
        raise ProfileError(f"未知的城市：{profile.city}（可用：{'、'.join(kb.cities)}）")
    on = on or dates.today()
    # A conversation asks about the same person turn after turn, and many people share one profile: the
    # answer is worked out once per (profile, day) for this KB. Answer, Profile and the KB are immutable.
    memo = kb.answers
    answer = memo.get((profile, on))
    if answer is not None:
        memo.move_to_end((profile, on))
        return answer
    facts = _Facts(kb, profile)
    items: List[Entitlement] = []
    hints: List[Hint] = []
    for item in kb.items[profile.city]:
        if not dates.in_force(item, on):
            continue
        entitlement, item_hints = _entitle(facts, profile, item)
        if entitlement is not None:
            items.append(entitlement)
        hints += item_hints
    answer = Answer(
        profile,
        tuple(items),
        tuple(hints),
        on,
        assumed_exclusions(kb, profile),
        unlisted_here(kb, profile, on),
        idle_grades(facts, kb.items[profile.city], on),
    )
    memo[(profile, on)] = answer
    if len(memo) > ANSWERS_KEPT:
        memo.popitem(last=False)
    return answer


def idle_grades(
    facts: _Facts, items: Sequence[Item], on: date
) -> Tuple[Tuple[str, str, Optional[str], Tuple[str, ...]], ...]:
    """A grade said of the person that counts for nothing: an item or part asks for it, but what else its
    condition asks is known not to hold ("评估结果是二级" of someone not 低保: 护理补贴 needs 低保 too)."""
    out = []
    for item in items:
        if not dates.in_force(item, on) or facts.holds(item.cond) is not False:
            continue
        reasons = _failing(facts, item.cond)  # not a false alternative another one satisfies
        if any(isinstance(a, (AgeAtLeast, AgeAtMost)) for a in reasons):
            continue  # too young or too old: the age says it, not the grade
        failing = tuple(dict.fromkeys(describe_atom(a) for a in reasons))
        conds = [(None, item.cond)] + [(p.name, t.when) for p in item.parts for t in p.tiers]
        for part, c in conds:
            met = [
                a
                for a in condition_atoms(c)
                if isinstance(a, (AbilityGradeIn, DisabilityGradeIn)) and facts.atom(a) is True
            ]
            if met and failing:
                out.append((describe_atom(met[0]), item.name, part, failing))
    return tuple(dict.fromkeys(out))


def fits_statuses(c: Condition, statuses: FrozenSet[str]) -> bool:
    """Whether a condition's statuses can hold for a group of elders with these statuses (ages aside)."""
    if isinstance(c, And):
        return all(fits_statuses(p, statuses) for p in c.parts)
    if isinstance(c, Or):
        return any(fits_statuses(p, statuses) for p in c.parts)
    if isinstance(c, HasStatus):
        return c.status in statuses
    return True


def unlisted_here(kb: KB, profile: Profile, on: date) -> Tuple[Tuple[str, Tuple[str, ...]], ...]:
    """The cash items other cities list for one of the person's own statuses (named in the item's condition or a
    tier's) whose name this city's list does not hold, each with the cities that list it."""
    here = {i.name for i in kb.items[profile.city]}
    held = implied_statuses(kb, profile.statuses)
    found: Dict[str, List[str]] = {}
    for city, items in kb.items.items():
        for item in items:
            if city == profile.city or item.kind != "cash" or not dates.in_force(item, on):
                continue
            # 聊城's "分散供养特困老年人社会化照料服务" is 济宁's "分散供养" under a longer name: not absent
            if any(item.name in name or name in item.name for name in here):
                continue
            atoms = list(condition_atoms(item.cond)) + [
                a for p in item.parts for t in p.tiers for a in condition_atoms(t.when)
            ]
            named = any(isinstance(a, HasStatus) and a.status in profile.statuses for a in atoms)
            if named and fits_statuses(item.cond, held):  # not 困难残疾人生活补贴 for 低保 alone: it needs 残疾 too
                found.setdefault(item.name, []).append(city)
    return tuple((name, tuple(dict.fromkeys(cities))) for name, cities in found.items())


def assumed_exclusions(kb: KB, profile: Profile) -> Tuple[str, ...]:
    """The sentences of regions.yml `assumptions` for the statuses that decided this answer by excluding another
    (低保 -> not 特困), unless the person said they lack the other anyway."""
    notes = kb.regions.assumptions
    return tuple(
        notes[s]
        for s in sorted(profile.statuses)
        if s in notes and not set(kb.regions.excludes.get(s, ())) <= set(profile.not_statuses)
    )


@dataclass(frozen=True)
class Verdict:
    """One item judged for one (possibly partial) profile: does it apply, and if not, why not or on what."""

    item: Item
    holds: Optional[bool]  # None: depends on a fact not yet known
    entitlement: Optional[Entitlement]
    failing: Tuple[Atom, ...]  # facts known to be false that keep the item away
    unknown: Tuple[Atom, ...]  # facts not known that the item (or one of its parts) depends on
    out_of_force: Optional[str] = None  # the item does not hold on the day asked: "已于…到期…" (dates.lapse_note)


def judge_item(kb: KB, profile: Profile, item: Item, on: Optional[date] = None) -> Verdict:
    """The item for this person on the day `on` (default today); one whose period has ended or not begun
    does not apply, whatever the person's facts, and says so in `out_of_force`."""
    note = dates.lapse_note(item, on)
    if note is not None:
        return Verdict(item, False, None, (), (), note)
    facts = _Facts(kb, profile)
    entitlement, _ = _entitle(facts, profile, item)
    holds = facts.holds(item.cond)
    if holds and entitlement is None:
        holds = None  # the item's group applies but none of its parts is known to (特别扶助金 without 失独/伤残)
    atoms = list(condition_atoms(item.cond)) + [a for p in item.parts for t in p.tiers for a in condition_atoms(t.when)]
    atoms = list(dict.fromkeys(atoms))
    failing = tuple(dict.fromkeys(_failing(facts, item.cond))) if holds is False else ()
    # an unknown of the condition that cannot change whether it holds is not what it depends on (聊城's 适老化改造
    # for someone neither 低保 nor 特困: 失能 decides nothing, 失独 does)
    tiers = [a for p in item.parts for t in p.tiers for a in condition_atoms(t.when)]
    # a condition settled whatever the unknowns are (strong three-valued logic) has no deciding atom
    deciding = _deciding(facts, item.cond) if facts.holds(item.cond) is None else frozenset()
    unknown = tuple(a for a in atoms if facts.atom(a) is None and (a in tiers or a in deciding))
    return Verdict(item, holds, entitlement, failing, unknown)


def _failing(facts: _Facts, c: Condition) -> List[Atom]:
    """The false atoms that make a condition fail: not those of an alternative another one satisfies (失独 holds,
    so 独生子女伤残 being false is no reason)."""
    if isinstance(c, (And, Or)):
        if facts.holds(c) is not False:
            return []
        return [a for x in c.parts for a in _failing(facts, x)]
    return [c] if facts.atom(c) is False else []


def _deciding(facts: _Facts, c: Condition) -> FrozenSet[Atom]:
    """The unknown atoms of a condition whose value can change whether it holds, for some value of the others
    (every assignment is tried: a condition has a handful of atoms; beyond 10 unknown, all count)."""
    unknown = [a for a in condition_atoms(c) if facts.atom(a) is None]
    if len(unknown) > 10:
        return frozenset(unknown)
    found = set()
    for a in unknown:
        others = [x for x in unknown if x != a]
        for bits in range(2 ** len(others)):
            values = {x: bool(bits >> i & 1) for i, x in enumerate(others)}
            if facts.assuming_all({**values, a: True}).holds(c) != facts.assuming_all({**values, a: False}).holds(c):
                found.add(a)
                break
    return frozenset(found)


def find_facts(kb: KB, query: str, city: Optional[str] = None, on: Optional[date] = None) -> List[Fact]:
    """Policy facts matching a topic word: those in force on `on` (default today) first, then current
    documents, newest first. Lapsed facts stay in the list (asked about, they are said to have lapsed:
    dates.lapse_note), after every fact in force."""
    on = on or dates.today()
    q = query.strip()
    if not q:
        return []

    def matches(f: Fact) -> bool:
        return any(q in t or t in q for t in f.topics) or q in f.title or q in f.statement

    found = [f for f in kb.facts if (city is None or f.city == city) and matches(f)]
    found.sort(key=lambda f: f.source.doc.date, reverse=True)
    found.sort(key=lambda f: not f.source.doc.current)  # stable: current documents first
    found.sort(key=lambda f: not dates.in_force(f, on))  # stable: in force on the day first
    found.sort(key=lambda f: dates.replacement(kb, f, on) is not None)  # stable: replaced ones last
    return found


def lookup_item(kb: KB, city: str, name: str, on: Optional[date] = None) -> List[Item]:
    """An item by its name, what people call it (长寿津贴), a part's name (护理补贴) or a fragment of its name;
    exact matches first. Where some of the matches hold on `on` (default today), only those: an item that
    lapsed is returned only when nothing in force answers the name, so that the answer can say it lapsed."""
    on = on or dates.today()
    found = _matching_items(kb, city, name)
    in_force = [i for i in found if dates.in_force(i, on)]
    return in_force or found


def _matching_items(kb: KB, city: str, name: str) -> List[Item]:
    items = kb.items.get(city, ())
    name = name.strip()
    name = next((n for n, words in kb.regions.item_synonyms.items() if name in words), name)
    exact = [i for i in items if i.name == name]
    if exact:
        return exact
    by_part = [i for i in items if any(p.name == name for p in i.parts)]
    found = by_part or [i for i in items if name and name in i.name]
    if found:
        return found
    # The same thing under another city's title (参观公园和景点 / 参观公园和旅游景区): names sharing everyday words.
    words = set(kb.regions.item_synonyms.get(name, ()))
    alike = [n for n, ws in kb.regions.item_synonyms.items() if n != name and words & set(ws)]
    return [i for i in items if i.name in alike]


@functools.lru_cache(maxsize=None)
def _fact_pairs(f: Fact) -> frozenset:
    """A fact's character pairs (facts are immutable: computed once, not on every question)."""
    return frozenset(_bigrams(f.title + f.statement + (f.figure or "") + (f.due or "") + "".join(f.topics)))


@functools.lru_cache(maxsize=None)
def _topic_pairs(f: Fact) -> frozenset:
    """The character pairs of a fact's topic words: a topic said in other words ("养老服务人才培训" for 养老人才,
    岗前培训) still shares them."""
    return frozenset(_bigrams("".join(f.topics))) - _COMMON_PAIRS


def _fact_score(f: Fact, text: str, asked: set) -> int:
    topic_score = sum(len(t) for t in f.topics if t in text) + (len(f.title) if f.title in text else 0)
    return 3 * topic_score + len(asked & _fact_pairs(f)) + len(asked & _topic_pairs(f))


def status_measures(kb: KB, city: str, statuses: Iterable[str], on: Optional[date] = None) -> List[Fact]:
    """The city's measures in force that serve people of the statuses (regions.yml `status_measures`): for each
    topic word, the first of the city's facts that holds it, in force and not replaced on `on` (default today)."""
    on = on or dates.today()
    found: List[Fact] = []
    for status in statuses:
        for word in kb.regions.status_measures.get(status, ()):
            for f in kb.facts:
                if (
                    f.city == city
                    and word in f.topics
                    and dates.in_force(f, on)
                    and dates.replacement(kb, f, on) is None
                ):
                    if f not in found:
                        found.append(f)
                    break
    return found


def search_facts(
    kb: KB, text: str, city: Optional[str] = None, limit: int = 5, on: Optional[date] = None
) -> List[Fact]:
    """Policy facts ranked by how well they match the question: whole topic words count most, then shared
    character pairs with the fact's title and statement; facts in force and not replaced on `on` (default
    today), then current, newer documents win ties. A lapsed fact that matches best stays first: asked about,
    it is said to have lapsed (dates.lapse_note)."""
    on = on or dates.today()
    asked = _bigrams(text) - _COMMON_PAIRS
    scored = []
    for f in kb.facts:
        if city is not None and f.city != city:
            continue
        score = _fact_score(f, text, asked)
        if score >= 4:
            current = dates.in_force(f, on) and dates.replacement(kb, f, on) is None
            scored.append((score, current, f.source.doc.current, f.source.doc.date, f))
    scored.sort(key=lambda x: x[:4], reverse=True)
    return _replacements_first(kb, [x[-1] for x in scored], on)[:limit]


def _replacements_first(kb: KB, facts: List[Fact], on: date) -> List[Fact]:
    """A replaced fact's current replacement goes where the replaced one ranked, the replaced one right after it:
    a question worded as the old document worded it is answered with what holds now."""
    ordered: List[Fact] = []
    for f in facts:
        newer = dates.current_replacement(kb, f, on)
        ordered += [x for x in (newer, f) if x is not None and x not in ordered]
    return ordered


def fact_match_score(kb: KB, text: str, city: Optional[str] = None) -> int:
    """How strongly a question matches its best policy fact (search_facts' score): a question about the
    measures scores 15 and more, one about a person's entitlements 5 or less."""
    asked = _bigrams(text) - _COMMON_PAIRS
    return max((_fact_score(f, text, asked) for f in kb.facts if city in (None, f.city)), default=0)


# Pairs in nearly every fact or question: they say nothing about which fact is meant.
_COMMON_PAIRS = {"养老", "老服", "服务", "老年", "年人", "什么", "多少", "济宁", "枣庄", "聊城", "标准", "按什", "怎么"}


def _bigrams(text: str) -> set:
    return {text[i : i + 2] for i in range(len(text) - 1)}
