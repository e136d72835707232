"""Chinese text for an Answer, a single item or policy facts. Every figure is read from the KB objects
passed in; this module holds no amounts of its own. Shared by the operator CLI and the chatbot."""

from __future__ import annotations

import re
from collections import OrderedDict
from datetime import date
from typing import Iterable, List, Optional

from .dates import current_replacement, deadline_note, issued_text, issued_words, lapse_note, period
from .engine import YUAN, Answer, Entitlement, Hint, PartAmount, condition_atoms, describe_atom
from .model import KB, Fact, Item

NO_FIGURE = "标准按当地规定"
UNSTATED = "文件未列具体金额"


def no_figure(standard: Optional[str]) -> str:
    """'标准按当地规定（具体标准另行制定，文件未列具体金额）': where a document gives no figure, what it says
    instead, once, without parentheses inside parentheses."""
    if not standard:
        return NO_FIGURE
    return f"{NO_FIGURE}（{standard.replace('（' + UNSTATED + '）', '，' + UNSTATED)}）"


def unstated(standard: Optional[str]) -> str:
    """'文件未列具体金额（具体标准另行制定）', or the document's own words where they say so already
    ('聊城实施方案未列具体金额，按规定执行'): for sentences that would otherwise put a rule where a figure goes."""
    said = (standard or "").replace("（" + UNSTATED + "）", "")
    if not said:
        return UNSTATED
    return said if "未列" in said else f"{UNSTATED}（{said}）"


_SPACE_BY_CJK = re.compile(r"(?<=[\u4e00-\u9fff，。；：、（）])[ \t]+|[ \t]+(?=[\u4e00-\u9fff，。；：、（）])")


def plain(text: str) -> str:
    """A document's text as a reader writes it: the seeds' spaces around figures ("每年提供 1 次",
    "65 周岁") dropped. For quoted content only; citations keep their spaces ("附件2 第7项")."""
    return _SPACE_BY_CJK.sub("", text)


def yuan(x: float) -> str:
    return f"{x:g}元"


def _service_gist(text: str, limit: int = 40) -> str:
    """The first clause of a service's content: enough to say what it is."""
    gist = text.split("；")[0].split(";")[0].rstrip("。.")
    return gist if len(gist) <= limit else gist[:limit] + "…"


def part_text(part: PartAmount) -> str:
    if part.amount_range is not None:
        low, high = part.amount_range
        unit = part.unit.replace("/月", "")
        return f"{part.name}每月{low:g}—{high:g}{unit}"
    if part.amount is None:
        return f"{part.name}{no_figure(part.standard)}"
    floor = "不低于" if part.minimum else ""
    detail = f"（{part.explained}）" if part.explained else ""
    return f"{part.name}{floor}{yuan(part.amount)}/月{detail}"


def amount_text(e: Entitlement) -> str:
    """'100元/月', '不低于500元/月（…）', '标准按当地规定（…）' or the service's gist."""
    item = e.item
    if e.parts:
        yuan_parts = [p for p in e.parts if p.unit == YUAN]
        if len(e.parts) == 1 and yuan_parts and yuan_parts[0].name == item.name:
            p = yuan_parts[0]
            if p.amount is None:
                return no_figure(p.standard)
            floor = "不低于" if p.minimum else ""
            return f"{floor}{yuan(p.amount)}/月" + (f"（{p.explained}）" if p.explained else "")
        texts = [part_text(p) for p in e.parts]
        known = [p.amount for p in yuan_parts if p.amount is not None]
        if len(known) > 1:
            return f"{yuan(sum(known))}/月（" + "，".join(texts) + "）"
        return "，".join(texts)
    if item.kind == "cash":
        return no_figure(item.standard)
    return _service_gist(item.text)


def entitlement_line(e: Entitlement, index: Optional[int] = None) -> str:
    head = f"{index}. " if index is not None else ""
    proviso = f"〔{e.item.proviso}〕" if e.item.proviso else ""
    cites = "；".join(s.cite() for s in e.sources())
    return f"{head}{e.name}：{amount_text(e)}；牵头部门：{e.agency}{proviso}【{cites}】"


def total_line(answer: Answer) -> str:
    total = answer.monthly_total_yuan
    if not total:
        return "有明确金额的现金补贴：无（其余项目为服务或标准按当地规定）"
    floor = "不低于" if answer.total_is_minimum else ""
    named = "、".join(f"{e.name}{yuan(e.amount_yuan_per_month)}" for e in answer.items if e.amount_yuan_per_month)
    return f"每月合计（有明确金额的部分）：{floor}{yuan(total)}（{named}）"


def hint_label(h: Hint, agency: bool = True) -> str:
    """What one more fact would add, and who leads it: "经济困难老年人补贴中的护理补贴（80元/月，市民政局）"."""
    label = f"{h.item.name}中的{h.part}" if h.part else h.item.name
    words = ([f"{yuan(h.amount_yuan_per_month)}/月"] if h.amount_yuan_per_month is not None else []) + (
        [h.item.agency] if agency else []
    )
    return f"{label}（{'，'.join(words)}）" if words else label


def hint_lines(hints: Iterable[Hint], named: str = "") -> List[str]:
    """Hints grouped by the fact they need, so a long list reads as a few lines; each with its agency unless
    `named` (the answer's text so far) already names it, so the short answer still fits one WeChat message."""
    groups: "OrderedDict[tuple, List[str]]" = OrderedDict()
    for h in hints:
        unnamed = any(a not in named for a in h.item.agency.split("、"))
        groups.setdefault(h.needs, []).append(hint_label(h, agency=unnamed))
    lines = []
    for needs, labels in groups.items():
        cond = "或".join(needs) if len(needs) <= 2 else "、".join(needs[:-1]) + "或" + needs[-1]
        lead = "如" if cond.startswith(("年满", "能力评估", "残疾等级")) else "如为"  # "如能力评估为2—3级", "如为低保"
        lines.append(f"{lead}{cond}：" + "、".join(labels))
    return lines


def person_label(answer: Answer, who: str) -> str:
    """'您父亲（枣庄，85周岁，低保）': who, and the facts the answer was computed from."""
    p = answer.profile
    facts = [p.county or p.city, f"{p.age}周岁" if p.age is not None else "年龄未知", *sorted(p.statuses)]
    if p.ability_grade is not None:
        facts.append(f"能力评估{p.ability_grade}级")
    if p.disability_grade is not None:
        facts.append(f"残疾{p.disability_grade}级")
    return f"{who}（{'，'.join(facts)}）"


def basis_line(answer: Answer) -> Optional[str]:
    """'依据：济政办发〔2023〕2号，2023年4月印发': each document the answer rests on, once, with when it was issued."""
    docs = answer.basis()
    return "依据：" + "；".join(issued_text(d) for d in docs) if docs else None


def answer_text(answer: Answer, who: str = "", max_hints: Optional[int] = None) -> str:
    p = answer.profile
    lines = [f"{person_label(answer, who)}按{p.city}市基本养老服务政策可享受："]
    if not answer.items:
        lines.append("暂无符合条件的基本养老服务项目（清单项目一般面向60周岁及以上老年人）。")
    lines += [entitlement_line(e, i) for i, e in enumerate(answer.items, 1)]
    if answer.items:
        lines.append(total_line(answer))
    hints = hint_lines(answer.hints)
    if hints:
        shown = hints if max_hints is None else hints[:max_hints]
        lines.append("还可能享受：")
        lines += [f"· {h}" for h in shown]
    lines += [f"注：{note}" for note in answer.assumptions]  # an engineering assumption that decided it
    basis = basis_line(answer)
    if basis:
        lines.append(basis)
    return "\n".join(lines)


def item_text(item: Item, on: Optional[date] = None) -> str:
    """One item of a city's list, in full: what it is, for whom, the standard, who leads it, its basis and
    (where one is stated) its period. An item not in force on `on` (default today) says so first."""
    amounts = []
    for part in item.parts:
        for tier in part.tiers:
            if tier.amount_range is not None:
                figure = f"每月{tier.amount_range[0]:g}—{tier.amount_range[1]:g}{part.unit.replace('/月', '')}"
            elif tier.amount is not None:
                figure = ("不低于" if tier.minimum else "") + f"{yuan(tier.amount)}/月"
            else:
                figure = no_figure(tier.standard)
            cond = _when_text(tier)
            amounts.append(f"{part.name}{('（' + cond + '）') if cond else ''}：{figure}")
    if not item.parts:
        amounts.append(
            no_figure(item.standard)
            if item.kind == "cash" and item.standard
            else (NO_FIGURE if item.kind == "cash" else "服务项目")
        )
    note = lapse_note(item, on)
    lines = [
        f"{item.city}·{item.name}（服务对象：{item.group}）",
        *([f"注意：本项{note}。"] if note else []),
        "标准：" + "；".join(amounts),
        f"内容：{item.text}",
        f"牵头部门：{item.agency}",
        f"依据：{item.source.cite()}（{issued_words(item.source.doc)}）",
    ]
    if period(item).end is not None:
        lines.append(f"有效期：{period(item).text()}")
    return "\n".join(lines)


def _when_text(tier) -> str:
    words = [describe_atom(a) for a in condition_atoms(tier.when)]
    return "，".join(words)


def fact_line(kb: KB, f: Fact, on: Optional[date] = None) -> str:
    """One policy fact as a reader needs it on `on` (default today): whether it still holds (lapsed, or replaced
    by a later document's fact, which is then named with what holds now), the statement, whether its target's
    deadline has passed, every unit as the document labels them, and the citation with its date."""
    newer = current_replacement(kb, f, on)
    if newer is not None:
        now = newer.figure or plain(newer.statement)
        note: Optional[str] = f"已被{newer.source.cite()}（{issued_words(newer.source.doc)}）替代，现行规定：{now}"
    else:
        note = lapse_note(f, on)
    head = f"{f.city}（{note}）" if note else f.city
    older = kb.facts_by_id.get(f.replaces) if f.replaces else None
    replaced = (
        (
            f"（{f.source.doc.issued.year}年文件，替代{older.source.doc.issued.year}年{older.source.doc.number}"
            f"的{older.figure or '规定'}）"
        )
        if older is not None and newer is None
        else ""
    )
    extra = "；".join(x for x in (f.due, f.figure) if x and x not in f.statement)
    passed = deadline_note(f, on) if newer is None and not note else None  # a lapsed rule says so already
    tail = "；".join(x for x in (extra, passed) if x)
    return (
        f"· {head}：{plain(f.statement)}{replaced}（{f.units_text()}）"
        f"【{f.source.cite()}，{f.source.doc.date}】" + (f" 〔{tail}〕" if tail else "")
    )


def facts_text(kb: KB, facts: List[Fact], limit: int = 5, on: Optional[date] = None) -> str:
    """Each fact as fact_line says it. A replaced fact whose replacement is also listed is left out: the
    replacement's line names it (never stated as current beside what replaced it)."""
    shown = facts[:limit]
    ids = {f.id for f in shown}
    kept = [f for f in shown if (current_replacement(kb, f, on) or f).id not in ids - {f.id}]
    return "\n".join(fact_line(kb, f, on) for f in kept)
