"""The hotline operator's rule: answer at once with what is known, say what depends on what is not, and ask at
most one question — the one that changes the answer to what was asked — after the answer.

`respond` takes the question read from this message, the person's facts folded from the conversation and the
topic of the last substantive question, and returns the reply text, the topic to remember and the fact it
asked for (if any). Pure: the Rasa action only reads the tracker and sends the reply.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence

from rules_kb import KB, Profile, ProfileError, evaluate, lookup_item, render, search_facts
from rules_kb import brief
from rules_kb.engine import HasStatus, AgeAtLeast, AgeAtMost, judge_item
from rules_kb.model import Item
from rules_kb.outlook import ahead

from . import question as Q

ASK_CITY = "请问老人的户籍在哪个城市或县区？（目前可查询济宁、枣庄、聊城三市）"
ASK_AGE = "请问老人今年多少周岁？"
ASK_ECONOMIC = "请问老人是低保对象或特困人员吗？（可回答：低保 / 特困 / 都不是 / 不清楚）"
ECONOMIC_STATUSES = ("低保", "特困", "经济困难")
UNSURE = "不清楚"
LOOK_AHEAD_YEARS = 2  # a birthday this near is what families plan around
NOT_UNDERSTOOD = "utter_default"


@dataclass
class Reply:
    text: str = ""
    response: Optional[str] = None  # a domain response to send instead of text
    topic: Optional[Dict[str, Any]] = None  # the question a later fact-only message continues
    asked: Optional[str] = None  # "city" | "age" | "economic"
    extra: List[str] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    """What the conversation knows: the person's facts (Profile fields) and how to call them."""

    kb: KB
    profile: Optional[Profile]  # None when no city is known yet
    age: Optional[int]
    city: Optional[str]
    who: str
    economic_unsure: bool  # "不知道" was the answer to the 低保/特困 question
    detail: bool  # the channel always wants the full detail (web widget, console)


def _economic_known(p: Profile) -> bool:
    return any(s in p.statuses for s in ECONOMIC_STATUSES) or "低保" in p.not_statuses or "经济困难" in p.not_statuses


def _topic(q: Q.Question) -> Dict[str, Any]:
    return {"kind": q.kind, "aspect": q.aspect, "items": list(q.items)}


def respond(q: Q.Question, ctx: Context, topic: Optional[Dict[str, Any]] = None) -> Reply:
    if q.kind in (Q.GREET, Q.THANK, Q.GOODBYE, Q.OUT_OF_SCOPE):
        return Reply(response=f"utter_{q.kind}", topic=topic)
    if q.kind == Q.DETAIL:
        return _detail(ctx, topic)
    if q.kind in (Q.FACTS, Q.DONT_KNOW):
        if topic and topic.get("kind") in (Q.ENTITLEMENTS, Q.ITEM, Q.WHY_NOT, Q.COMPARE):
            q = dataclasses.replace(q, kind=topic["kind"], aspect=topic.get("aspect", Q.ABOUT),
                                    items=tuple(topic.get("items") or ()), personal=True)
        elif q.kind == Q.FACTS:
            q = dataclasses.replace(q, kind=Q.ENTITLEMENTS)
        else:
            return Reply(response=NOT_UNDERSTOOD, topic=topic)
    if q.people and q.kind in (Q.ENTITLEMENTS, Q.ITEM, Q.FACTS):
        return _several(q, ctx)
    if q.kind == Q.ENTITLEMENTS:
        return _entitlements(q, ctx)
    if q.kind == Q.ITEM:
        return _item(q, ctx)
    if q.kind == Q.WHY_NOT:
        return _why_not(q, ctx)
    if q.kind == Q.COMPARE:
        return _compare(q, ctx)
    if q.kind == Q.POLICY:
        return _policy(q, ctx, topic)
    return Reply(response=NOT_UNDERSTOOD, topic=topic)


# --- everything a person gets -----------------------------------------------------------------------


def _missing_basics(ctx: Context, q: Q.Question) -> Optional[Reply]:
    if ctx.profile is None:
        return Reply(ASK_CITY, topic=_topic(q), asked="city")
    if ctx.age is None:
        return Reply(ASK_AGE, topic=_topic(q), asked="age")
    return None


def _economic_question(ctx: Context, answer_hints: Sequence[Any]) -> Optional[str]:
    p = ctx.profile
    if p is None or ctx.economic_unsure or _economic_known(p) or (p.age is not None and p.age < 60):
        return None
    decides = any(n in ECONOMIC_STATUSES for h in answer_hints for n in h.needs)
    return ASK_ECONOMIC if decides else None


def _entitlements(q: Q.Question, ctx: Context) -> Reply:
    missing = _missing_basics(ctx, q)
    if missing:
        return missing
    assert ctx.profile is not None
    answer = evaluate(ctx.kb, ctx.profile)
    if ctx.detail:
        text = render.answer_text(answer, who=ctx.who)
        changes = brief.change_lines(ahead(ctx.kb, ctx.profile, LOOK_AHEAD_YEARS))
        text += "".join("\n" + line for line in changes)
    else:
        text = brief.money_first(answer, ctx.who, ahead(ctx.kb, ctx.profile, LOOK_AHEAD_YEARS))
    ask = _economic_question(ctx, answer.hints)
    if ask and ctx.detail:
        text += "\n" + ask
    elif ask:
        text = text + "\n" + ask if not text.endswith(ask) else text
    return Reply(text, topic=_topic(q), asked="economic" if ask else None)


def _several(q: Q.Question, ctx: Context) -> Reply:
    if ctx.profile is None:
        return Reply(ASK_CITY, topic={"kind": Q.ENTITLEMENTS, "aspect": Q.ABOUT, "items": []}, asked="city")
    blocks = []
    for i, person in enumerate(q.people, 1):
        profile = dataclasses.replace(ctx.profile, age=person.age)
        answer = evaluate(ctx.kb, profile)
        who = f"第{i}位" + (f"（您{person.relation}）" if person.relation else "")
        blocks.append(brief.money_first(answer, who, ahead(ctx.kb, profile, LOOK_AHEAD_YEARS), offer_detail=False))
    return Reply("\n\n".join(blocks), topic={"kind": Q.ENTITLEMENTS, "aspect": Q.ABOUT, "items": []})


def _detail(ctx: Context, topic: Optional[Dict[str, Any]]) -> Reply:
    if ctx.profile is None or ctx.age is None:
        return _missing_basics(ctx, Q.Question(Q.ENTITLEMENTS)) or Reply(response=NOT_UNDERSTOOD)
    return Reply(render.answer_text(evaluate(ctx.kb, ctx.profile), who=ctx.who), topic=topic)


# --- one item ---------------------------------------------------------------------------------------


def _found(ctx: Context, city: str, names: Sequence[str]) -> List[Item]:
    items: List[Item] = []
    for name in names:
        for item in lookup_item(ctx.kb, city, name):
            if item not in items:
                items.append(item)
    return items


def _person_facts_known(ctx: Context) -> bool:
    p = ctx.profile
    return p is not None and (p.age is not None or bool(p.statuses) or bool(p.not_statuses)
                              or p.ability_grade is not None or p.disability_grade is not None)


def _deciding_question(ctx: Context, unknown: Sequence[Any]) -> Optional[tuple]:
    """The one unknown fact that decides the item for this person, as (question, slot)."""
    for a in unknown:
        if isinstance(a, (AgeAtLeast, AgeAtMost)):
            return ASK_AGE, "age"
    for a in unknown:
        if isinstance(a, HasStatus) and a.status in ECONOMIC_STATUSES and not ctx.economic_unsure:
            return ASK_ECONOMIC, "economic"
    return None


def _item(q: Q.Question, ctx: Context) -> Reply:
    if not q.items:
        return _policy(q, ctx, None) if q.aspect != Q.APPLY else Reply(
            brief.APPLY_HEAD + "请告诉我您想办理哪一项（如高龄津贴、经济困难老年人补贴），我告诉您由哪个部门牵头负责。",
            topic=_topic(q))
    if q.policy_cue:
        policy = _policy(q, ctx, None)
        if policy.text:
            return policy
    city = q.cities[0] if q.cities else ctx.city
    cities = [city] if city else list(ctx.kb.cities)
    lines: List[str] = []
    ask: Optional[tuple] = None
    for c in cities:
        items = _found(ctx, c, q.items)
        if not items:
            if city:
                policy = _policy(q, ctx, None)
                if policy.text:
                    return policy
                lines.append(f"{c}的基本养老服务清单中没有“{'、'.join(q.items)}”这一项。")
            continue
        for item in items[:2]:
            lines.append(_item_line(item, q.aspect))
            personal = q.personal and ctx.profile is not None and ctx.profile.city == c
            if personal and _person_facts_known(ctx):
                assert ctx.profile is not None
                verdict = judge_item(ctx.kb, ctx.profile, item)
                lines.append(brief.verdict_text(verdict, ctx.who, ahead(ctx.kb, ctx.profile, 30)))
                if verdict.holds is None and ask is None:
                    ask = _deciding_question(ctx, verdict.unknown)
    if not lines:
        return _policy(q, ctx, None)
    if q.aspect == Q.APPLY:
        lines.insert(0, brief.APPLY_HEAD)
    if ask:
        lines.append(ask[0])
    return Reply("\n".join(lines), topic=_topic(q), asked=ask[1] if ask else None)


def _item_line(item: Item, aspect: str) -> str:
    if aspect == Q.APPLY:
        return brief.item_apply(item)
    if aspect == Q.AGENCY:
        return brief.item_agency(item)
    return brief.item_rule(item)


def _why_not(q: Q.Question, ctx: Context) -> Reply:
    if ctx.profile is None:
        return Reply(ASK_CITY, topic=_topic(q), asked="city")
    items = _found(ctx, ctx.profile.city, q.items)
    if not items:
        if q.items:
            return Reply(f"{ctx.profile.city}的基本养老服务清单中没有“{'、'.join(q.items)}”这一项。", topic=_topic(q))
        return _entitlements(dataclasses.replace(q, kind=Q.ENTITLEMENTS), ctx)
    changes = ahead(ctx.kb, ctx.profile, 30)
    lines = []
    for item in items[:2]:
        verdict = judge_item(ctx.kb, ctx.profile, item)
        lines.append(brief.verdict_text(verdict, ctx.who, changes))
        if verdict.holds is not True:
            lines.append("标准：" + brief.standard_text(item) + "。")
    return Reply("\n".join(lines), topic=_topic(q))


def _compare(q: Q.Question, ctx: Context) -> Reply:
    cities = list(q.cities)
    if ctx.city and ctx.city not in cities:
        cities.insert(0, ctx.city)
    if len(cities) < 2:
        cities = list(ctx.kb.cities)
    lines = []
    if q.items:
        for c in cities:
            items = _found(ctx, c, q.items)
            if not items:
                lines.append(f"{c}：清单中没有“{'、'.join(q.items)}”这一项。")
            for item in items[:1]:
                lines.append(f"{c}·{item.name}：{brief.standard_text(item)}；牵头部门：{item.agency}"
                             f"【{brief.item_sources(item)}】")
        return Reply("\n".join(lines), topic=_topic(q))
    if ctx.profile is None or ctx.age is None:
        return _missing_basics(ctx, q) or Reply(response=NOT_UNDERSTOOD)
    for c in cities:
        answer = evaluate(ctx.kb, dataclasses.replace(ctx.profile, city=c, county=None))
        cash = [e for e in answer.items if e.item.kind == "cash" and e.amount_yuan_per_month]
        money = "；".join(f"{e.name}{render.amount_text(e)}（{e.agency}）" for e in cash) or "无有明确金额的现金补贴"
        floor = "不低于" if answer.total_is_minimum else ""
        lines.append(f"{c}：{money}；每月合计{floor}{render.yuan(answer.monthly_total_yuan)}【{'；'.join(answer.documents())}】")
    return Reply("\n".join(lines), topic=_topic(q))


# --- policy facts -----------------------------------------------------------------------------------


def _policy(q: Q.Question, ctx: Context, topic: Optional[Dict[str, Any]]) -> Reply:
    city = q.cities[0] if q.cities else ctx.city
    facts = search_facts(ctx.kb, q.text, city)
    if not facts and city:
        facts = search_facts(ctx.kb, q.text, None)
    if not facts and q.kind == Q.POLICY and q.fallback == Q.ITEM:
        return _item(dataclasses.replace(q, kind=Q.ITEM, policy_cue=False), ctx)
    if not facts:
        fallback = Q.OUT_OF_SCOPE if q.fallback == Q.OUT_OF_SCOPE else None
        return Reply(response=f"utter_{fallback}" if fallback else NOT_UNDERSTOOD, topic=topic)
    return Reply("相关政策规定：\n" + render.facts_text(facts, limit=4), topic=topic)


def make_context(kb: KB, slots: Dict[str, Any], who: str, detail: bool,
                 make: Any) -> Context:
    """`make` builds a Profile from slots (actions.profile_slots.profile_from_slots)."""
    profile: Optional[Profile] = None
    if slots.get("city"):
        try:
            profile = make(slots)
        except ProfileError:
            profile = None
    age = slots.get("age")
    return Context(kb, profile, None if age is None else int(age), profile.city if profile else None, who,
                   slots.get("economic") == UNSURE, detail)
