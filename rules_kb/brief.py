"""Short answers, money first: what a hotline operator would say. Every figure and agency is read from the
KB objects passed in; this module holds no amounts of its own. The full per-item detail is render.py."""

from __future__ import annotations

import re
from datetime import date
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence

from .dates import in_force, lapse_note
from .difference import Difference
from .engine import (
    YUAN,
    Answer,
    Entitlement,
    Hint,
    Verdict,
    condition_atoms,
    describe_atom,
    fits_statuses,
    implied_statuses,
    search_facts,
)
from .model import (
    KB,
    AbilityGradeIn,
    AgeAtLeast,
    AgeAtMost,
    And,
    Condition,
    DisabilityGradeIn,
    HasStatus,
    Item,
    Or,
    Part,
    Source,
    Tier,
)
from .outlook import Change
from .render import NO_FIGURE, amount_text, basis_line, hint_lines, no_figure, person_label, plain, unstated, yuan

DETAIL_OFFER = "回复“详细”可查看每项的内容、牵头部门和依据。"


def join_cites(sources: Iterable[Source]) -> str:
    """Citations with each document number said once: '办公室便函〔2023〕1号 附件2 第12项、附件1 第4项'."""
    by_doc: Dict[str, List[str]] = {}
    for s in sources:
        where = s.cite()[len(s.doc.number) :].strip()
        places = by_doc.setdefault(s.doc.number, [])
        if where and where not in places:
            places.append(where)
    return "；".join(f"{doc} {'、'.join(places)}".strip() for doc, places in by_doc.items())


def cites(e: Entitlement) -> str:
    return join_cites(e.sources())


def cash_line(e: Entitlement) -> str:
    """'· 高龄津贴：30元/月；市卫生健康委【…】' — amount first, then agency and source. Where the document gives
    no figure, its own first words say what stands instead ("按时足额发放基本养老金")."""
    what = amount_text(e)
    if e.amount_yuan_per_month is None and e.standard:
        what = f"{NO_FIGURE}（{standard_gist(e)}）"
    return f"· {e.name}：{what}；{e.agency}【{cites(e)}】"


def idle_lines(answer: Answer, who: str) -> List[str]:
    """'【所说情况】经济困难老年人补贴中的护理补贴（能力评估为2—3级）还需低保，您母亲不符合，未计入。' — a grade
    said that counts for nothing, so the family sees why it brought no money."""
    words = [
        f"{name if part in (None, name) else f'{name}中的{part}'}（{fact}）还需{'、'.join(needs)}"
        for fact, name, part, needs in answer.idle
    ]
    return [f"【所说情况】{'；'.join(words)}，{who}不符合，未计入。"] if words else []


def standard_gist(e: Entitlement) -> str:
    """The first words of what a document says instead of a figure: "基本生活标准不低于当地最低生活保障标准的1.3倍"."""
    return _gist(e.standard)


def _gist(standard: Optional[str]) -> str:
    return (standard or NO_FIGURE).split("，")[0].replace("（文件未列具体金额）", "")


def _is_cash(e: Entitlement) -> bool:
    return e.item.kind == "cash"


def money_first(
    answer: Answer,
    who: str,
    changes: Sequence[Change] = (),
    question: Optional[str] = None,
    offer_detail: bool = True,
    services_as: Optional[str] = None,
    say_assumptions: bool = False,
) -> str:
    """Cash items with amount and agency, the monthly total, then the services in one block, what may be
    added and what begins next, the documents; at most one question, last. `services_as`: someone already
    answered in this conversation whose services are the same ones, named instead of the list again.
    `say_assumptions`: the engineering assumptions that decided the answer (低保 and 特困 taken as exclusive), for a
    question that names both; the short answer must fit WeChat's one passive message, the full one always says them."""
    p = answer.profile
    head = person_label(answer, who)
    listed: Optional[int] = None  # where the services line is
    services: List[Entitlement] = []
    if not answer.items:
        lines = [f"{head}：暂无符合条件的基本养老服务项目（{p.city}的清单项目面向60周岁及以上老年人）。"]
    else:
        cash = [e for e in answer.items if _is_cash(e)]
        figured = [e for e in cash if e.amount_yuan_per_month is not None]
        unfigured = [e for e in cash if e.amount_yuan_per_month is None]
        services = [e for e in answer.items if not _is_cash(e)]
        lines = [f"{head}按{p.city}市基本养老服务政策："]
        if figured:
            lines.append("【每月现金补贴】")
            lines += [cash_line(e) for e in figured]
            floor = "不低于" if answer.total_is_minimum else ""
            lines.append(f"每月合计：{floor}{yuan(answer.monthly_total_yuan)}")
        else:
            lines.append("【每月现金补贴】有明确金额的：无")
        if unfigured:
            lines.append("【文件未列金额的待遇】")
            lines += [cash_line(e) for e in unfigured]
        if services and services_as:
            lines.append(f"【可享受的服务】与{services_as}相同（{len(services)}项，回复“详细”查看）")
        elif services:
            listed = len(lines)
            lines.append(_services_line(services, p.statuses, gist=True))
    extra = hint_lines((h for h in answer.hints if _hint_is_cash(h)), named="\n".join(lines))
    if extra:
        lines.append("【视情况还可能有】" + "；".join(extra))
    lines += unlisted_lines(answer)
    lines += idle_lines(answer, who)
    lines += change_lines(changes)
    if say_assumptions:  # an engineering assumption that decided it (always in the full answer, render.py)
        lines += [f"注：{note}" for note in answer.assumptions]
    basis = basis_line(answer)  # each document once, with its month of issue: short enough for WeChat
    if basis:
        lines.append(basis)
    if answer.items and offer_detail:
        lines.append(DETAIL_OFFER)
    if question:
        lines.append(question)
    text = "\n".join(lines)
    if listed is not None and len(text.encode()) > ONE_MESSAGE_BYTES:
        # what each service is only where the answer still fits one WeChat passive reply
        lines[listed] = _services_line(services, p.statuses, gist=False)
        text = "\n".join(lines)
    return text


# A WeChat passive reply's limit (bytes): the short answer stays within it where it can
ONE_MESSAGE_BYTES = 2048


def _services_line(services: Sequence[Entitlement], statuses: FrozenSet[str], gist: bool) -> str:
    return f"【可享受的服务（{len(services)}项）】" + "；".join(_service_short(e, statuses, gist) for e in services)


def unlisted_lines(answer: Answer, before: Optional[Answer] = None) -> List[str]:
    """ "聊城…独生子女伤残": the items the other cities list for the person's status, said as absent here (those
    not said already in `before`)."""
    city = answer.profile.city
    said = set(before.unlisted) if before is not None else set()
    return [
        f"【{city}未列】{city}的文件没有“{name}”这一项（{'、'.join(cities)}的清单列有此项），未计入。"
        for name, cities in answer.unlisted
        if (name, cities) not in said
    ]


def _service_short(e: Entitlement, statuses: FrozenSet[str] = frozenset(), gist: bool = False) -> str:
    """ "优抚供养（市退役军人事务局，第23项；限无法定赡养扶养人…）": a service of the person's own group says the
    proviso the lists add, which most of the group do not meet (a veteran with children)."""
    where = f"第{e.item.no}项" if e.item.no else e.source.cite()
    # not the means-tested groups' (低保 has several such services: the headline must stay one WeChat message)
    own = names_a_status(e.item.cond, statuses - {"低保", "特困", "经济困难"})
    limit = f"；限{e.item.proviso}" if e.item.proviso and own else ""
    what = f"{e.item.gist}；" if gist and e.item.gist else ""  # "不满70周岁半价": what it is, in the list's words
    return f"{e.name}（{what}{e.agency}，{where}{limit}）"


def _hint_is_cash(h: Hint) -> bool:
    return h.item.kind == "cash"


def change_lines(changes: Sequence[Change], services: bool = False) -> List[str]:
    """'【满80周岁起】高龄津贴30元/月（市卫生健康委）；…' — the money that begins or changes (and, when asked
    what the birthday brings, the services that begin)."""
    words = []
    for c in changes:
        if c.item.kind != "cash":
            continue
        name = c.item.name if c.part in (None, c.item.name) else f"{c.item.name}中的{c.part}"
        if c.after is None and c.before is None:
            words.append(f"{name}（{NO_FIGURE}，{c.agency}）")
        elif c.after is None:
            words.append(f"{name}另按规定，{unstated(c.standard)}（{c.agency}）")
        elif c.before is None:
            words.append(f"{name}{'不低于' if c.minimum else ''}{yuan(c.after)}/月（{c.agency}）")
        else:
            words.append(f"{name}由{yuan(c.before)}增至{'不低于' if c.minimum else ''}{yuan(c.after)}/月（{c.agency}）")
    new_services = [f"{c.item.name}（{c.agency}）" for c in changes if c.item.kind != "cash" and c.before is None]
    if services and new_services:
        words.append("新增服务：" + "、".join(dict.fromkeys(new_services)))
    return [f"【满{changes[0].age}周岁起】" + "；".join(words)] if words else []


# --- one item ---------------------------------------------------------------------------------------


def when_text(c: Condition) -> str:
    """A tier's condition in words: '80—89周岁', '100周岁及以上', '失独', '能力评估为2—3级'."""
    atoms = condition_atoms(c)
    low = next((a.years for a in atoms if isinstance(a, AgeAtLeast)), None)
    high = next((a.years for a in atoms if isinstance(a, AgeAtMost)), None)
    words = []
    if low is not None and high is not None:
        words.append(f"{low}—{high}周岁")
    elif low is not None:
        words.append(f"{low}周岁及以上")
    elif high is not None:
        words.append(f"{high}周岁及以下")
    words += [describe_atom(a) for a in atoms if not isinstance(a, (AgeAtLeast, AgeAtMost))]
    return "、".join(words)


def tier_text(tier: Tier, unit: str) -> str:
    if tier.amount_range is not None:
        return f"每月{tier.amount_range[0]:g}—{tier.amount_range[1]:g}{unit.replace('/月', '')}"
    if tier.components:
        shares = "＋".join(f"{c.name}{yuan(c.amount)}" for c in tier.components)
        plus = [
            f"{c.name}每增加一岁每月再增加{yuan(c.plus_per_year_over_100)}"
            for c in tier.components
            if c.plus_per_year_over_100
        ]
        total = sum(c.amount for c in tier.components)
        return f"不低于{yuan(total)}/月（{shares}" + ("，" + "，".join(plus) if plus else "") + "）"
    if tier.amount is None:
        return no_figure(tier.standard)
    return ("不低于" if tier.minimum else "") + f"{yuan(tier.amount)}/月"


def standard_text(
    item: Item, only: Optional[str] = None, age: Optional[int] = None, statuses: FrozenSet[str] = frozenset()
) -> str:
    """What the item gives, by tier: '80—89周岁30元/月；90—99周岁60元/月；…' or the service itself; `only`
    one part of it; `age` only the tiers from that age up ("百岁的低保老人": 100周岁及以上); `statuses` the
    person's: of tiers by status, only theirs (失独: 990元, not 伤残's 810元)."""
    parts = []
    for part in item.parts:
        if only is not None and part.name != only:
            continue
        shown = [t for t in part.tiers if age is None or _age_fits(t.when, age)] or list(part.tiers)
        theirs = [t for t in shown if _tier_statuses(t) & statuses]
        if theirs:
            shown = [t for t in shown if not _tier_statuses(t) or t in theirs]
        tiers = "；".join(
            f"{when_text(t.when)}{'：' if when_text(t.when) else ''}{tier_text(t, part.unit)}" for t in shown
        )
        label = "" if part.name == item.name else f"{part.name}："
        parts.append(label + tiers)
    if parts:
        return "；".join(parts)
    if item.kind == "cash":
        return no_figure(item.standard)
    return plain(item.text).rstrip("。")


def _tier_statuses(t: Tier) -> FrozenSet[str]:
    return frozenset(a.status for a in condition_atoms(t.when) if isinstance(a, HasStatus))


def _age_fits(c: Condition, age: int) -> bool:
    """Whether a tier's age bounds admit this age or an older one ("80岁以上": 80—89, 90—99, 100+)."""
    return not any(isinstance(a, AgeAtMost) and a.years < age for a in condition_atoms(c))


def item_sources(item: Item) -> str:
    return join_cites([item.source] + [t.source for p in item.parts for t in p.tiers if t.source is not None])


def cond_text(c: Condition) -> str:
    """An item's condition in words: '年满60周岁、低保', '…、特困或低保、…'."""
    if isinstance(c, And):
        return "、".join(x for x in (cond_text(p) for p in c.parts) if x)
    if isinstance(c, Or):
        return "或".join(cond_text(p) for p in c.parts)
    return describe_atom(c)


def _out_of_force(item: Item, on: Optional[date]) -> str:
    """'（已于2026年12月31日到期，不是现行规定）' for an item that does not hold on `on` (default today), else ''."""
    note = lapse_note(item, on)
    return f"（{note}）" if note else ""


def item_rule(
    item: Item,
    lead: str = "",
    part: Optional[str] = None,
    content: bool = False,
    on: Optional[date] = None,
    age: Optional[int] = None,
    statuses: FrozenSet[str] = frozenset(),
) -> str:
    """One item as the list states it: for whom (and on which conditions), what it gives (or one part of
    it), who leads it, where it is written; `content` adds the list's own words. An item not in force on
    `on` (default today) says so before anything else. `statuses`: the person's, whose tier alone is shown."""
    # the conditions only where they say more than the group's age ("60周岁及以上老年人")
    conds = (
        [cond_text(item.cond)]
        if any(not isinstance(a, (AgeAtLeast, AgeAtMost)) for a in condition_atoms(item.cond))
        else []
    )
    notes = "；".join(conds + ([item.proviso] if item.proviso else []))
    proviso = f"（条件：{notes}）" if conds else (f"（{notes}）" if notes else "")
    body = standard_text(item, part, age, statuses)
    content_line = f"\n内容：{plain(item.text).rstrip('。')}。" if content and item.parts else ""
    return (
        f"{lead}{item.city}·{item.name}{_out_of_force(item, on)}：服务对象为{item.group}{proviso}。\n标准：{body}。"
        f"{content_line}\n"
        f"牵头部门：{item.agency}【{item_sources(item)}】"
    )


def states_a_figure(item: Item) -> bool:
    """Whether the list gives a figure for any tier of the item (an amount, its shares, or a range)."""
    return any(t.amount is not None or t.components or t.amount_range for p in item.parts for t in p.tiers)


def no_figure_reason(item: Item) -> str:
    """Why an answer names no amount: the document's own words on the item, and who leads it; where the list
    gives figures for some tiers only (济宁's 百岁 不少于300元), those figures."""
    some = states_a_figure(item)
    head = f"{item.city}的“{item.name}”文件{'只列了部分金额' if some else '未列具体金额'}，文件原文：{plain(item.text).rstrip('。')}。"
    figures = f"文件列明的：{standard_text(item)}。" if some else ""
    return (
        f"{head}{figures}具体标准由{item.agency}牵头、按当地规定执行，可向{item.agency}或户籍所在县（市、区）咨询"
        f"【{item_sources(item)}】。"
    )


def not_listed_text(kb: KB, city: str, names: Sequence[str]) -> str:
    """An item the city's documents do not hold: "the list has no such item" where the city has a list; where it
    has none (聊城: an implementing plan of measures only), that its documents neither list it nor state a figure."""
    what = "、".join(names)
    if any(d.city == city and d.current and d.list_attachment for d in kb.documents.values()):
        return f"{city}的基本养老服务清单中没有“{what}”这一项。"
    numbers = "、".join(d.number for d in kb.documents.values() if d.city == city and d.current)
    return (
        f"{city}没有基本养老服务清单，其文件（{numbers}）未列“{what}”，也未规定金额，可拨打12345政务服务便民热线咨询。"
    )


def item_agency(item: Item, on: Optional[date] = None) -> str:
    return (
        f"{item.city}的“{item.name}”{_out_of_force(item, on)}（{plain(item.text).rstrip('。')}）由{item.agency}"
        f"牵头负责【{item_sources(item)}】。"
    )


APPLY_HEAD = "本助手只提供政策查询，不能代办申请，也不会收集您的证件信息。"


def item_apply(item: Item, on: Optional[date] = None, kb: Optional[KB] = None) -> str:
    """Who to ask, and (with `kb`) what the city's measures say of applying for it: "对生活补贴实行免申请静默认证"."""
    text = (
        f"{item.city}的“{item.name}”{_out_of_force(item, on)}由{item.agency}牵头负责，请向{item.agency}或户籍所在县（市、区）、"
        f"乡镇（街道）的对应部门咨询办理【{item_sources(item)}】。"
    )
    notes = apply_notes(kb, item, on) if kb is not None else []
    return text + "".join(f"\n相关规定：{n}" for n in notes)


_APPLYING = ("申请", "认证")


def apply_notes(kb: KB, item: Item, on: Optional[date] = None) -> List[str]:
    """The clauses of the city's policy facts in force that say how the item (or a part of it) is applied for or
    paid, each with its source: what a citizen asking "需要自己去申请吗" needs beyond the agency."""
    names = [item.name, *(p.name for p in item.parts if p.name != item.name)]
    out: List[str] = []
    for f in search_facts(kb, f"{item.name} 申请", city=item.city, limit=3, on=on):
        if not in_force(f, on):
            continue
        for clause in re.split(r"[；;。]", f.statement):
            if any(w in clause for w in _APPLYING) and any(n in clause for n in names):
                out.append(f"{clause.strip()}【{f.source.cite()}】")
    return list(dict.fromkeys(out))[:2]


def verdict_text(v: Verdict, who: str, changes: Iterable[Change] = (), age: Optional[int] = None) -> str:
    """For a person: yes with the amount, no with the condition that fails, or what it depends on; of an item that
    begins at a later birthday, how many years are left when the person's `age` is known ("她够岁数了没")."""
    item = v.item
    if v.out_of_force:  # the rule itself does not hold on the day asked, whoever asks
        return f"{item.city}的“{item.name}”{v.out_of_force}，{who}不能按此项享受【{item_sources(item)}】。"
    if v.holds and v.entitlement is not None:
        e = v.entitlement
        what = amount_text(e) if (e.parts or item.kind == "cash") else plain(item.text).rstrip("。")
        proviso = f"（条件：{item.proviso}）" if item.proviso else ""
        return f"{who}可以享受{item.city}的“{item.name}”{proviso}：{what}；牵头部门：{item.agency}【{cites(e)}】。"
    if v.holds is False:
        failing = "、".join(describe_atom(a) for a in v.failing) or "服务对象条件"
        later = [c for c in changes if c.item.id == item.id]
        text = (
            f"{who}目前不符合{item.city}的“{item.name}”：服务对象为{item.group}，需{failing}"
            f"【{item_sources(item)}】。"
        )
        if later:
            c = later[0]
            wait = f"还差{c.age - age}年，" if age is not None and c.age > age else ""
            if c.after is not None:
                text += f"{wait}满{c.age}周岁起可领{yuan(c.after)}/月（{item.agency}）。"
            else:  # not "可领聊城实施方案未列具体金额": the item applies, the document states no amount
                text += f"{wait}满{c.age}周岁起可享受此项，{unstated(c.standard)}（{item.agency}）。"
        return text
    needs = "、".join(dict.fromkeys(describe_atom(a) for a in v.unknown)) or "相关条件"
    return f"{who}能否享受{item.city}的“{item.name}”取决于：{needs}。"


# --- what changed: corrections, what-ifs, the next birthday, a household's sum -------------------------------


def total_words(answer: Answer) -> str:
    """'130元（高龄津贴30元＋生活补贴100元）': the monthly total with what it is made of. Where cash items apply
    without a figure in the document, they are named and never counted as 0元."""
    parts = []
    for e in answer.items:
        if e.item.kind != "cash":
            continue
        for p in e.parts:
            if p.unit != YUAN or p.amount is None:
                continue
            name = e.name if p.name == e.name else f"{e.name}（{p.name}）"
            parts.append(f"{name}{'不低于' if p.minimum else ''}{yuan(p.amount)}")
    unfigured = [  # each with its agency, as every item stated: whom to ask the figure of
        f"{e.name}（{e.agency}）"
        for e in answer.items
        if e.item.kind == "cash" and e.amount_yuan_per_month is None and not everyones(e.item)
    ]
    floor = "不低于" if answer.total_is_minimum else ""
    if parts:
        text = f"{floor}{yuan(answer.monthly_total_yuan)}（{'＋'.join(parts)}）"
        return text + (f"，另有{'、'.join(unfigured)}，{NO_FIGURE}，文件未列金额，未计入" if unfigured else "")
    if unfigured:
        return f"无文件列明金额的现金补贴；可享受{'、'.join(unfigured)}，{NO_FIGURE}，文件未列金额"
    return "暂无现金补贴"


def everyones(item: Item) -> bool:
    """An item every elder of the list has from 60 (the pensions): no news in a sum or a change."""
    return all(isinstance(a, AgeAtLeast) and a.years <= 60 for a in condition_atoms(item.cond))


def _said_away(d: Difference) -> FrozenSet[str]:
    """The statuses a correction took back ("不是特困是低保")."""
    before, after = d.before.profile, d.after.profile
    return (before.statuses - after.statuses) | after.not_statuses


def _said_instead(d: Difference) -> FrozenSet[str]:
    """The statuses a correction said in place of those taken back ("不是特困是低保": 低保)."""
    return d.after.profile.statuses - d.before.profile.statuses


def part_needs(item: Item, part_name: Optional[str]) -> str:
    """What an item's part asks for beyond an age: its own tiers ("能力评估为2—3级"), else what the item asks
    ("低保": 生活补贴's tiers are only ages)."""
    part = next((p for p in item.parts if p.name == part_name), None) if len(item.parts) > 1 else None
    if part is not None:
        words = [describe_atom(a) for t in part.tiers for a in condition_atoms(t.when) if not _is_age(a)]
        if words:
            return "或".join(dict.fromkeys(words))
    words = [describe_atom(a) for a in condition_atoms(item.cond) if not _is_age(a)]
    return "、".join(dict.fromkeys(words)) or cond_text(item.cond)


def _is_age(a: object) -> bool:
    return isinstance(a, (AgeAtLeast, AgeAtMost))


def goes_by_age(part: Part) -> bool:
    """Whether a part's amount depends on an age above 60, every list's floor (生活补贴 80/100/200元)."""
    return any(
        _is_age(a) and not (isinstance(a, AgeAtLeast) and a.years <= 60)
        for t in part.tiers
        for a in condition_atoms(t.when)
    )


def gap_words(before: float, after: float, minimum: bool = False) -> str:
    """'，每月多50元': what "能多领多少" asks, not two totals to subtract. Nothing where either total is only a
    floor (不低于) or there was no money before (the new total is the gap)."""
    if minimum or not before or after == before:
        return ""
    return f"，每月{'多' if after > before else '少'}{yuan(abs(after - before))}"


def difference_text(
    d: Difference, label: str, then: Optional[str] = "现在", unchanged: str = "待遇不变", gap: bool = False
) -> str:
    """'若评为2级：新增护理补贴80元/月（市民政局），每月合计210元（高龄津贴30元＋…）（现在130元）。' — what starts,
    stops or changes, the new total and the one it replaces (`then`: "现在" for a what-if or a birthday to come).
    With `then` None (a fact corrected or added) the answer before was never the person's: only what holds now
    is said, nothing of what stopped."""
    words = []
    for c in d.cash:
        if c.before is None and c.after is None and everyones(c.entitlement.item):
            continue  # a pension of the other city's list, the same in both
        floor = "不低于" if c.minimum else ""
        who = f"（{c.agency}）【{cites(c.entitlement)}】"  # every item stated carries its agency and source
        explained = next((p.explained for p in c.entitlement.parts if p.name == (c.part or p.name)), None)
        if c.holds and c.minimum and explained:  # a centenarian's shares and yearly raise, as the figure's own
            who = f"（{explained}）{who}"
        if not c.held:
            what = f"{floor}{yuan(c.after)}/月" if c.after is not None else f"（{_gist(c.standard)}）"
            words.append(f"新增{c.name}{what}{who}")
        elif not c.holds:  # what it needs, so the family sees why: "护理补贴限能力评估为2—3级"
            needs = f"限{part_needs(c.entitlement.item, c.part)}"
            item = c.entitlement.item
            away = sorted(s for s in _said_away(d) if names_a_status(item.cond, frozenset({s})))
            if then is not None and away:  # "要是低保取消了": the status's whole item, once, with what it needs
                lost = [x for x in d.cash if x.entitlement.item.id == item.id and not x.holds and x.before]
                was_all = sum(x.before or 0 for x in lost)
                parts_lost = [f"{x.part}{yuan(x.before or 0)}" for x in lost if x.part and x.part != item.name]
                if len(parts_lost) >= 2:  # "生活补贴100元、护理补贴85元，共185元"
                    amount = f"{'、'.join(parts_lost)}，共{yuan(was_all)}"
                else:  # "现在生活补贴100元/月": a single part by its own name
                    amount = parts_lost[0] if parts_lost else yuan(was_all)
                was = f"{then}{amount}/月；" if was_all else ""
                said = f"不再有{item.name}（{was}限{'、'.join(away)}）"
                if said not in words:
                    words.append(said)
            elif then is not None:
                was = f"{then}{yuan(c.before)}/月；" if c.before is not None else ""
                words.append(f"不再有{c.name}（{was}{needs}）")
            elif not away:  # corrected: what a grade or an age no longer reaches
                words.append(f"不能享受{c.name}（{needs}）")
            elif not _said_instead(d):
                # "她不是低保": the status's items, once, or "待遇不变" would be said of a total that fell; not
                # those of a status replaced by another ("不是特困是低保": the new status's items are the answer)
                said = f"不享受{item.name}（限{'、'.join(away)}）"
                if said not in words:
                    words.append(said)
        elif c.after is None:
            gist = _gist(c.standard)
            words.append(f"{c.name}改{gist if gist.startswith('按') else '按' + gist}{who}")
        elif c.before is None or then is None:  # no figure before, or corrected: only what holds now
            words.append(f"{c.name}为{floor}{yuan(c.after)}/月{who}")
        else:
            words.append(f"{c.name}由{yuan(c.before)}变为{floor}{yuan(c.after)}/月{who}")
    if d.before.profile.city != d.after.profile.city:  # another list: its services as one line, not a diff
        n = sum(1 for e in d.after.items if e.item.kind != "cash")
        words.append(f"服务项目按{d.after.profile.city}清单共{n}项（回复“详细”查看）")
    else:
        if d.services_started:
            words.append("新增服务：" + "、".join(_service_short(e) for e in d.services_started))
        if d.services_stopped and then is not None:
            words.append("不再享受：" + "、".join(e.name for e in d.services_stopped))
    before = d.before.monthly_total_yuan
    was = f"{'不低于' if d.before.total_is_minimum else ''}{yuan(before)}" if before else "无现金补贴"
    gap_said = gap_words(before, d.after.monthly_total_yuan, d.before.total_is_minimum or d.after.total_is_minimum)
    total = f"每月合计{total_words(d.after)}" + (
        f"（{then}{was}{gap_said if gap else ''}）" if then is not None else ""
    )
    if not words:  # what holds without a figure is named with its agency and source, as everywhere
        open_items = [
            f"{e.name}（{e.agency}【{cites(e)}】）"
            for e in d.after.items
            if e.item.kind == "cash" and e.amount_yuan_per_month is None and not everyones(e.item)
        ]
        named = f"文件未列金额的：{'、'.join(open_items)}。" if open_items else ""
        return f"{label}：{unchanged}，每月合计{total_words(d.after)}。{named}"
    return f"{label}：{'；'.join(words)}。{total}。"


# --- everyone of a city, by group ----------------------------------------------------------------------

GROUP_OFFER = "告诉我老人的年龄、户籍所在县区，以及是否低保、特困，我可以算出一位老人每月具体能领多少。"


def names_a_status(c: Condition, statuses: FrozenSet[str]) -> bool:
    """Whether a condition asks for one of these statuses (the item is that group's own)."""
    return any(isinstance(a, HasStatus) and a.status in statuses for a in condition_atoms(c))


def group_items(items: Iterable[Item], statuses: FrozenSet[str]) -> List[Item]:
    """The items of a group's own (特困: 分散供养…; 退役军人: 优抚供养; 流浪乞讨: 流浪乞讨救助); for 失能, also
    those paid by the assessed grade (护理补贴 of 能力评估2—3级: a 失能 elder is one assessed so)."""
    return [
        i
        for i in items
        if names_a_status(i.cond, statuses)
        or ("失能" in statuses and _by_grade(i, AbilityGradeIn))
        or (bool({"残疾", "重残"} & statuses) and _by_grade(i, DisabilityGradeIn))  # 重度残疾人护理补贴: 一、二级
    ]


def _by_grade(item: Item, kind: type) -> bool:
    atoms = list(condition_atoms(item.cond)) + [a for p in item.parts for t in p.tiers for a in condition_atoms(t.when)]
    return any(isinstance(a, kind) for a in atoms)


def rule_line(i: Item, note: str = "") -> str:
    """One item of a list in a line: what it gives by tier, its agency and its source."""
    return f"· {i.name}{note}：{standard_text(i)}；{i.agency}【{item_sources(i)}】"


def _needing_line(i: Item, statuses: FrozenSet[str]) -> str:
    """ "· 经济困难老年人补贴（另需低保）：…": an item of the group's that also needs a status the group lacks; one
    paid by grade says which ("重度残疾人护理补贴（残疾等级为一级、二级）")."""
    needed = "、".join(dict.fromkeys(needs(i.cond, statuses)))
    grades = "、".join(
        describe_atom(a) for a in condition_atoms(i.cond) if isinstance(a, (DisabilityGradeIn, AbilityGradeIn))
    )
    notes = "，".join(n for n in (grades, f"另需{needed}" if needed else "") if n)
    return rule_line(i, f"（{notes}）" if notes else "")


def needs(c: Condition, statuses: FrozenSet[str]) -> List[str]:
    """The statuses besides these a condition asks for (ages and grades aside); of alternatives, the fewest."""
    if isinstance(c, HasStatus):
        return [] if c.status in statuses else [c.status]
    if isinstance(c, And):
        return [s for p in c.parts for s in needs(p, statuses)]
    if isinstance(c, Or) and c.parts:
        return min((needs(p, statuses) for p in c.parts), key=len)
    return []


def tiers_by_age(kb: KB, city: str, statuses: FrozenSet[str], on: Optional[date] = None) -> List[str]:
    """ "我爸在曲阜 低保 每个月能领多少" before the age is known: the city's cash items for these statuses whose
    figures go by age, each with every tier, its agency and source."""
    lines = []
    for i in kb.items[city]:
        if (
            i.kind == "cash"
            and in_force(i, on)
            and fits_statuses(i.cond, statuses)
            and states_a_figure(i)
            and any(goes_by_age(p) for p in i.parts)
        ):
            lines.append(rule_line(i))
    return [f"{city}按年龄发放的补贴：", *lines] if lines else []


def group_text(
    kb: KB, city: str, statuses: FrozenSet[str] = frozenset(), on: Optional[date] = None, cash_only: bool = False
) -> str:
    """ "济宁的老人都能享受哪些政策", "枣庄的困难老人都有哪些补贴": the city's cash items by the group each is for,
    with every tier's figure, agency and source; what the document gives no figure for named with its agency;
    the services every elder has from 60. `statuses`: the group asked about (低保…), else every group.
    `cash_only`: "具体每月给钱的有哪些" after it: the money alone."""
    current = [i for i in kb.items[city] if in_force(i, on) and (i.kind == "cash" or not cash_only)]
    held = implied_statuses(kb, statuses)  # 低保 and 特困 are 经济困难 (聊城's 经济困难老年人补贴)
    items = [i for i in current if not statuses or fits_statuses(i.cond, held)]
    # the group's own items (特困: 分散供养…; 退役军人: 优抚供养), each with what it gives, services too; one that
    # needs another status as well (失能's 护理补贴 is 低保's) says so
    own = group_items(current, statuses)  # with those that need another status too (困难残疾人生活补贴: 低保)
    figured = [i for i in items if i.kind == "cash" and states_a_figure(i) and i not in own]
    unfigured = [i for i in items if i.kind == "cash" and i not in figured and i not in own]
    unfigured.sort(key=everyones)  # the pensions every elder has, last
    services = [i for i in items if i.kind != "cash" and everyones(i)]
    who = "、".join(sorted(statuses)) + "老年人" if statuses else "老年人"
    lines = [f"{city}市{who}{'每月给钱的补贴' if cash_only else '的基本养老服务'}（按人群）："]
    if own:
        lines.append(f"【{who}的专门待遇】")
        lines += [_needing_line(i, statuses) for i in own]  # those it needs nothing more for: grades only
    if figured:
        lines.append("【有明确金额的现金补贴】")
        lines += [f"· {i.name}（{i.group}）：{standard_text(i)}；{i.agency}【{item_sources(i)}】" for i in figured]
    if unfigured:
        lines.append(
            "【文件未列金额的】" + "；".join(f"{i.name}（{i.group}，{i.agency}，{_cite_short(i)}）" for i in unfigured)
        )
    if services:
        lines.append(
            f"【60周岁及以上都可享受的服务（{len(services)}项）】" + "、".join(dict.fromkeys(i.name for i in services))
        )
    others = [i for i in items if i.kind != "cash" and not everyones(i) and i not in own]
    if others:  # "计划生育特殊家庭的老人能享受什么": the services of an age or a group, each with whom it is for
        lines.append(
            "【部分老年人的服务】" + "；".join(f"{i.name}（{i.group}，{i.agency}，{_cite_short(i)}）" for i in others)
        )
    lines.append(GROUP_OFFER)
    return "\n".join(lines)


def _cite_short(item: Item) -> str:
    return f"第{item.no}项" if item.no else item.source.cite()
