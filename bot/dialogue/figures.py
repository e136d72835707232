"""The person's own figures of the items or parts a message names: two compared ("护理补贴和高龄津贴哪个多"), several
added up ("高龄津贴加上生活补贴加上护理补贴一共多少"), the same person with another status, and the item a figure
pointed at pays ("这五百多是咋算出来的"). Every figure is the engine's, for this person."""

from __future__ import annotations

import dataclasses
import re
from typing import Dict, List, Optional, Sequence, Tuple

import cn2an

from rules_kb import YUAN, Entitlement, brief, evaluate, lookup_item
from rules_kb.brief import needs, yuan

from .context import Context

# "A加上B一共多少", "A和B加起来": the figures of the words named, added up
SUM_ASKED_RE = re.compile(r"一共|总共|加起来|加一块|加一起|加在一起|合计|合起来|统共|加上|再加")


def _figures(entitlements: Sequence[Entitlement], name: str, apart: Sequence[str] = ()) -> Optional[Tuple[float, bool]]:
    """(monthly yuan, whether any is a floor) of what `name` names among the person's entitlements: a part by its
    own name (护理补贴), else a whole item (经济困难老年人补贴: every part it pays but those named `apart`, which
    are added on their own); None if nothing with a figure."""
    for by_part in (True, False):
        for e in entitlements:
            parts = [p for p in e.parts if p.unit == YUAN and p.amount is not None]
            if by_part:
                parts = [p for p in parts if p.name == name]
            elif name != e.name:
                continue
            else:
                parts = [p for p in parts if p.name not in apart]
            if parts:
                return sum(p.amount or 0.0 for p in parts), any(p.minimum for p in parts)
    return None


def _label(entitlements: Sequence[Entitlement], name: str, apart: Sequence[str]) -> str:
    """ "经济困难老年人补贴（生活补贴）": a whole item named beside one of its parts says which parts it adds."""
    for e in entitlements:
        if e.name == name and any(p.name in apart for p in e.parts):
            rest = [p.name for p in e.parts if p.name not in apart and p.amount is not None]
            return f"{name}（{'、'.join(rest)}）" if rest else name
    return name


def compared(ctx: Context, names: Sequence[str]) -> List[str]:
    """ "护理补贴和高龄津贴哪个多？差多少": of two items (or parts) the person gets, each figure and the gap."""
    if ctx.profile is None or ctx.profile.age is None or len(names) != 2:
        return []
    figures: Dict[str, float] = {}
    for e in evaluate(ctx.kb, ctx.profile).items:
        for p in e.parts:
            for name in names:
                if name in (p.name, e.name) and p.amount is not None and p.unit == YUAN and not p.minimum:
                    figures.setdefault(name, p.amount)
    if len(figures) != 2:
        return []
    (a, x), (b, y) = sorted(figures.items(), key=lambda f: -f[1])
    if x == y:
        return [f"{ctx.who}的{a}和{b}一样，每月都是{yuan(x)}。"]
    return [f"{ctx.who}的{a}每月{yuan(x)}，比{b}（{yuan(y)}）多{yuan(x - y)}。"]


def summed(ctx: Context, names: Sequence[str]) -> List[str]:
    """ "特别扶助金加上低保的生活补贴一共多少": each named figure of the person and their sum; a word they do not
    get is said as such, with what it needs, and is not added. Nothing unless two or more words are named."""
    names = list(dict.fromkeys(names))
    if ctx.profile is None or ctx.profile.age is None or len(names) < 2:
        return []
    held = evaluate(ctx.kb, ctx.profile).items
    terms: List[str] = []
    total, floor = 0.0, False
    missing: List[str] = []
    for name in names:
        apart = [n for n in names if n != name]
        figure = _figures(held, name, apart)  # "低保补贴再加上护理补贴": 护理补贴 once
        if figure is None:
            missing.append(name)
            continue
        amount, minimum = figure
        total += amount
        floor = floor or minimum
        terms.append(f"{_label(held, name, apart)}{'不低于' if minimum else ''}{yuan(amount)}")
    if not terms:
        return []
    lines = [f"{ctx.who}每月：{'＋'.join(terms)}，一共{'不低于' if floor else ''}{yuan(total)}。"]
    for name in missing:
        items = lookup_item(ctx.kb, ctx.profile.city, name)[:1]
        why = "、".join(dict.fromkeys(needs(items[0].cond, ctx.profile.statuses))) if items else ""
        lines.append(f"“{name}”{ctx.who}目前不能享受{f'（还需{why}）' if why else ''}，未计入。")
    return lines


# "他们俩跟我们俩比", "两口子": a couple compared, so the gap counts twice
_COUPLE_RE = re.compile(r"俩|两口子|两个人|两人|老两口|二老|两位")


def status_compared(ctx: Context, text: str) -> List[str]:
    """ "跟失独家庭比每月差多少" of someone 独生子女伤残: the person's money beside the same person's with the status
    named to compare with (the one theirs rules out), each differing item with its source, and the gap a month
    (twice for a couple)."""
    status, p = ctx.household.compared_status, ctx.profile
    if status is None or p is None or p.age is None:
        return []
    rivals = [s for s in p.statuses if s in ctx.kb.regions.excludes.get(status, ())]
    if not rivals:
        return []
    other = dataclasses.replace(p, statuses=(p.statuses - frozenset(rivals)) | {status})
    now, then = evaluate(ctx.kb, p), evaluate(ctx.kb, other)
    mine = "、".join(rivals)
    lines = []
    for e in now.items + then.items:
        a = next((x.amount_yuan_per_month for x in now.items if x.item.id == e.item.id), None)
        b = next((x.amount_yuan_per_month for x in then.items if x.item.id == e.item.id), None)
        line = (
            f"{e.name}：{mine}每人每月{yuan(a) if a is not None else '无'}，{status}每人每月"
            f"{yuan(b) if b is not None else '无'}【{brief.item_sources(e.item)}】"
        )
        if e.item.kind == "cash" and a != b and line not in lines:
            lines.append(line)
    gap = now.monthly_total_yuan - then.monthly_total_yuan
    if not lines or now.total_is_minimum or then.total_is_minimum:
        return lines
    if not gap:
        return lines + ["两者每月有金额的部分相同。"]
    more, less = (mine, status) if gap > 0 else (status, mine)
    lines.append(f"按{p.city}的文件，{more}比{less}每人每月多{yuan(abs(gap))}。")
    if _COUPLE_RE.search(text) or len(ctx.household.people) == 2:
        lines.append(f"两个人一个月一共差{yuan(abs(gap) * 2)}。")
    return lines


# "这个九百九", "这500多", "那200块": a figure of the answer just given, pointed at, said as money (块, 元) or as
# what is asked about (是, 咋, 谁…); not an age ("那八十多的呢") nor a time ("这两年").
_REFERRED_RE = re.compile(
    r"(?:这|那)(?:个|笔)?(\d{2,5}|[一二两三四五六七八九十百千零]{2,6})(多)?"
    r"(?:块钱?|元钱?|(?=[是都到咋怎从给发谁哪啥包含里找能要由按为]))"
)


def said_figure(words: str) -> Optional[float]:
    """A figure as written or said ("990", "九百九", "两百"); None if the words are no number."""
    if words.isdigit():
        return float(words)
    try:
        return float(cn2an.cn2an(words, "smart"))
    except (ValueError, KeyError):
        return None


def referred(ctx: Context, text: str) -> List[str]:
    """ "这个九百九是一个月给一回还是一年给一回", "这五百多是咋算出来的": the person's items whose figure (a whole
    item's, or one part's) the message points at with 这/那; "五百多" is any figure from 500 up to the next hundred.
    The month's total pointed at is every cash item of it. [] if the figure is none of the person's."""
    pointed = list(_REFERRED_RE.finditer(text))
    if not pointed or ctx.profile is None or ctx.profile.age is None:
        return []
    held = [e for e in evaluate(ctx.kb, ctx.profile).items if e.amount_yuan_per_month]
    total = sum(e.amount_yuan_per_month or 0.0 for e in held)
    found: List[str] = []
    for m in pointed:
        figure = said_figure(m.group(1))
        if figure is None or figure < 10:
            continue
        step = 10 ** (len(str(int(figure))) - 1) if m.group(2) else 0  # 500多: 500–599; 90多: 90–99

        def said(amount: Optional[float]) -> bool:
            return amount is not None and (figure <= amount < figure + step if step else amount == figure)

        for e in held:
            if said(e.amount_yuan_per_month) or any(said(p.amount) for p in e.parts if p.unit == YUAN):
                found.append(e.name)
        if not found and said(total):
            found += [e.name for e in held]
    return list(dict.fromkeys(found))
