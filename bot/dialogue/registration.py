"""Where the person's 户口 is, asked after their answer as a what-if: "要是他户口还在菏泽没迁过来呢" (the items that need the city's
户籍 are not theirs then; the documents say nothing of it for the rest), and "那要是把户口迁到嘉祥呢" after that (those
items, as theirs with the city's 户籍). The documents state a 户籍 condition only as an item's proviso (济宁 and
聊城 高龄津贴: 具有本市户籍); nothing here adds one."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from rules_kb import Entitlement, Item, brief, evaluate, judge_item, lookup_item

from . import question as reading
from .context import Context, Reply

OWN_REGISTRATION = "本市户籍"
# "户口迁到嘉祥", "把户口迁过来", "户籍转回来": registered in the city from now on
_MOVED_IN_RE = re.compile(r"(?:户口|户籍)\S{0,3}?(?:迁|转|落|挪|办)(?:到|过来|回来|回|进|来)")


# "户口在聊城冠县", "户籍也在东阿", "临清的户口", "冠县户口": the place named as the person's 户口
_AT_AFTER_RE = re.compile(r"(?:户口|户籍)(?:本)?(?:还|也|都|一直|现在)?(?:在|是|落在|属于)?$")
_AT_BEFORE_RE = re.compile(r"^(?:的)?(?:户口|户籍)")


def registered_at(q: reading.Question) -> Optional[str]:
    """The place (county, else city) the message names as the person's 户口, if it names one."""
    places = [e for e in q.entities if e.entity in ("county", "city") and 0 <= e.start < e.end <= len(q.text)]
    for e in sorted(places, key=lambda e: (e.entity != "county", e.start)):
        # "户口在聊城冠县": the county right after the city counts as said after 户口 too
        head = q.text[: e.start]
        city_before = next((c for c in places if c.entity == "city" and c.end == e.start), None)
        if city_before is not None:
            head = q.text[: city_before.start]
        if _AT_AFTER_RE.search(head[-8:]) or _AT_BEFORE_RE.match(q.text[e.end :]):
            return str(e.value)
    return None


def needs_registration(item: Item) -> bool:
    return OWN_REGISTRATION in (item.proviso or "")


def says_nothing(item: Item) -> bool:
    """The item's document states no 户籍 condition at all (neither its proviso nor its text)."""
    return "户籍" not in (item.proviso or "") + item.text


def requirement_words(item: Item) -> str:
    """What an item's list says of 户籍, for a line that already names the item: "；须具有本市户籍", "；文件未写明户籍
    要求", or '' where its text speaks of 户籍 otherwise."""
    if needs_registration(item):
        return f"；须{condition_words(item)}"
    return "；文件未写明户籍要求" if says_nothing(item) else ""


def condition_words(item: Item) -> str:
    """The proviso's words that ask for the city's 户籍 ("具有本市户籍")."""
    return next((c for c in re.split(r"[，,；;]", item.proviso or "") if OWN_REGISTRATION in c), OWN_REGISTRATION)


def registered_elsewhere(q: reading.Question, ctx: Context, topic: Dict[str, Any]) -> Optional[Reply]:
    """ "要是他户口还在菏泽没迁过来呢" after the person's whole answer: each of their items whose proviso needs the
    city's 户籍, said not to be theirs then, and that the documents state no such condition for the rest."""
    p = ctx.profile
    if not (
        q.registered_elsewhere
        and q.hypothetical  # a what-if beside the answer; a 户口 stated as a fact is the person's answer again
        and not q.has("item")
        and p is not None
        and ctx.age is not None
        and topic.get("kind") in (reading.ENTITLEMENTS, reading.FACTS)
    ):
        return None
    held: List[Entitlement] = list(evaluate(ctx.kb, p).items)
    needing = [e for e in held if needs_registration(e.item)]
    lines = [
        f"若{ctx.who}户口不在{p.city}：“{e.name}”须{condition_words(e.item)}，户口不在本市的不能按此项享受"
        f"（{e.agency}）【{brief.item_sources(e.item)}】。"
        for e in needing
    ]
    others = [e for e in held if not needs_registration(e.item) and e.item.kind == "cash"]
    if others:
        agencies = "、".join(dict.fromkeys(e.agency for e in others))
        lines.append(
            f"{p.city}的文件对{ctx.who}的其他现金待遇（{'、'.join(e.name for e in others)}）没有写明户籍要求，"
            f"户口不在本市能否享受请向{agencies}咨询。"
        )
    elif not needing:
        lines.append(f"{p.city}的文件对{ctx.who}的各项待遇没有写明户籍要求，户口不在本市能否享受请向牵头部门咨询。")
    said = {**topic, "elsewhere": True, "items": [e.name for e in needing] or list(topic.get("items") or ())}
    return Reply("\n".join(lines), topic=said)


def moved_in(q: reading.Question, ctx: Context, topic: Dict[str, Any]) -> Optional[Reply]:
    """ "那要是把户口迁到嘉祥呢" after an answer that said an item needs the city's 户籍: that item for the person
    as registered there (the person's facts unchanged)."""
    p = ctx.profile
    if not (
        topic.get("elsewhere")
        and q.hypothetical
        and p is not None
        and ctx.age is not None
        and _MOVED_IN_RE.search(q.text)
    ):
        return None
    if q.cities and q.cities[0] != p.city:
        return None  # registered in another of the cities: that city's list, answered as a move
    names = list(topic.get("items") or ())
    items = [i for name in names for i in lookup_item(ctx.kb, p.city, name)[:1] if needs_registration(i)]
    if not items:
        return None
    where = next((str(e.value) for e in q.entities if e.entity == "county"), "") or p.county or p.city
    lines = [
        f"若{ctx.who}户口迁到{where}（{condition_words(i)}）："
        + brief.verdict_text(judge_item(ctx.kb, p, i), ctx.who).removeprefix(ctx.who)
        for i in items
    ]
    said = {**topic, "elsewhere": False, "kind": reading.ITEM, "items": [i.name for i in items]}
    return Reply("\n".join(lines), topic=said)
