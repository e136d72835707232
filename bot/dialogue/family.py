"""Answers about a household rather than one person: each person named in one message, the sum across people,
a what-if beside the facts, the next birthday, and — after a person's first answer — what a new fact changed.
Plain Python over the engine: every figure comes from rules_kb (brief.difference_text, brief.total_words)."""

from __future__ import annotations

import dataclasses
import itertools
import re
from typing import Any, Dict, List, Optional, Sequence, Tuple

from bot.nlu.normaliser import normalize
from rules_kb import (
    Answer,
    Profile,
    brief,
    evaluate,
    every_birthday_ahead,
    judge_item,
    lookup_item,
    render,
    status_measures,
)
from rules_kb.difference import difference

from . import question as reading
from .context import Context, Reply, person_profile
from .figures import SUM_ASKED_RE
from .household import age_reached

_AGE_NAMED_RE = re.compile(r"(\d{2,3})\s*周岁")

# "详细", "都有啥", "还有别的吗": the whole list, not what changed.
_WHOLE_LIST = (
    "详细",
    "都有啥",
    "都有什么",
    "还有别的",
    "还有啥",
    "还有什么",
    "全部",
    "所有",
    "哪些",
    "什么待遇",
    "啥待遇",
    "能领什么",
    "能领啥",
    "享受什么",
    "享受啥",
    "能帮上",
    "有啥帮助",
    "有什么帮助",
)


def topic(q: reading.Question, ctx: Context) -> Dict[str, Any]:
    """The topic slot: the question, and whose facts the answer was built on (what a later reply compares)."""
    hh = ctx.household
    facts = hh.person.facts if hh.person is not None else None
    return {
        "kind": q.kind,
        "aspect": q.aspect,
        "items": list(q.items),
        "city": ctx.city,
        "person": hh.current,
        "facts": dict(facts) if facts else None,
        "named": q.items_named or q.has("item"),  # the message named an item, not only words of its content
        **({"elsewhere": True} if q.registered_elsewhere else {}),  # "户口在河南": what "那迁过来呢" continues
    }


def settle(reply: Reply) -> Reply:
    """Marks whether the reply answered the person whole (it asked nothing): only such an answer is the one a
    later reply says the changes to; the answer to the question it asked is still the first answer."""
    if reply.topic is not None and "person" in reply.topic:
        reply.topic = {**reply.topic, "complete": reply.asked is None}
    return reply


def _answer(ctx: Context, profile: Profile) -> Answer:
    return evaluate(ctx.kb, profile)


def facts_words(before: Profile, after: Profile) -> str:
    """'81周岁', '邹城市', '低保', '能力评估2级': what differs between two profiles, as a label says it."""
    words: List[str] = []
    if (after.county or after.city) != (before.county or before.city):
        words.append(after.county or after.city)
    if after.age != before.age and after.age is not None:
        words.append(f"{after.age}周岁")
    for s in sorted(after.statuses - before.statuses):
        words.append(s)
    for s in sorted(before.statuses - after.statuses):
        if s not in after.statuses:
            words.append(f"不是{s}")
    if after.ability_grade != before.ability_grade and after.ability_grade is not None:
        words.append(f"能力评估{after.ability_grade}级")
    elif after.ability_grade != before.ability_grade:
        words.append("未做能力评估")
    if after.disability_grade != before.disability_grade and after.disability_grade is not None:
        words.append(f"残疾{after.disability_grade}级")
    return "、".join(words)


def what_if(q: reading.Question, ctx: Context) -> Optional[Reply]:
    """ "要是评成3级呢": the difference from today's answer; the person's facts stay as they are."""
    hh = ctx.household
    hypothesis = person_profile(hh.hypothesis) if hh.hypothesis else None
    if hypothesis is None or ctx.profile is None or ctx.age is None or hypothesis.age is None:
        return None
    words = facts_words(ctx.profile, hypothesis) or "这样"
    now, then = _answer(ctx, ctx.profile), _answer(ctx, hypothesis)
    moved = _household_moved(ctx, hypothesis) if not q.has("relation") or hh.together else None
    if moved is not None:  # with the list of the person asked about, as for one person
        return Reply(moved + "\n" + brief.money_first(then, ctx.who, offer_detail=False), topic=topic(q, ctx))
    said = f"{hh.what_if_text} {q.text}" if hh.what_if_text != q.text else q.text  # "那比现在多多少": the what-if's
    said_of_all = hh.together and _OF_ALL_RE.search(said) and not _ONLY_ONE_RE.search(said)
    both = _everyone_so(q, ctx, hypothesis) if said_of_all and hypothesis.city == ctx.profile.city else None
    if both is not None:  # "要是俺俩以后都评上二级失能": the same change for each of them
        return Reply(both, topic=topic(q, ctx))
    others = _others_total(ctx, hh.current, hypothesis)
    keep = f"（按假设计算，{ctx.who}的情况仍按已告知的记录。）"
    if hypothesis.city != ctx.profile.city:  # another city's list: its answer whole, the comparison first
        was = brief.yuan(now.monthly_total_yuan) if now.monthly_total_yuan else "无现金补贴"
        gap = brief.gap_words(
            now.monthly_total_yuan, then.monthly_total_yuan, now.total_is_minimum or then.total_is_minimum
        )
        gap = gap if reading.asks_gap(q.text) else ""
        if now.monthly_total_yuan and now.monthly_total_yuan == then.monthly_total_yuan:
            gap = "，有金额的部分不变"  # "那边给的钱有变化不": the answer is no
        head = f"若{ctx.who}户籍在{hypothesis.county or hypothesis.city}：每月合计{brief.total_words(then)}（现在{was}{gap}）。{others}{keep}"
        return Reply(head + "\n" + brief.money_first(then, ctx.who, offer_detail=False), topic=topic(q, ctx))
    change = difference(now, then)
    # "那要是他才六十九呢" after 景区门票: the item asked about, where its own words name an age between the two
    quoted = _items_at_age(ctx, q.items, hypothesis.age, f"若{ctx.who}{hypothesis.age}周岁")
    text = brief.difference_text(
        change,
        f"若{ctx.who}{words}",
        then="现在",
        unchanged="现金补贴不变" if quoted else "待遇不变",
        gap=reading.asks_gap(q.text),
    )
    text = "\n".join([*quoted, text])
    measures = _measures_brought(ctx, hypothesis)
    absent = "".join("\n" + line for line in brief.unlisted_lines(then, now))  # "要是她是失独呢" in 聊城
    still = "".join("\n" + line for line in _still_not(ctx, q, then))
    more = "".join("\n" + line for line in _other_grades(q, ctx, hypothesis, now))
    return Reply(f"{text}{still}{more}{others}{keep}{measures}{absent}", topic=_with_said(topic(q, ctx), change))


def _measures_brought(ctx: Context, hypothesis: Profile) -> str:
    """ "要是以后失能了有啥保障": the city's measures for a status the what-if brings; the difference above omits them."""
    assert ctx.profile is not None
    text = measures_text(ctx, hypothesis.city, sorted(hypothesis.statuses - ctx.profile.statuses))
    return "\n" + text if text else ""


def measures_text(ctx: Context, city: str, statuses: List[str]) -> str:
    """The city's measures for the statuses (长期护理保险, 居家养老服务, 集中托养 for 失能), each as its document states
    it with its lead unit: they are no monthly amount, and are said to be none ('' if the city has none)."""
    facts = status_measures(ctx.kb, city, statuses)
    if not facts:
        return ""
    head = f"{city}与{'、'.join(statuses)}相关的措施（文件中的工作任务，不是按月发放的金额）："
    return "\n".join([head] + [render.fact_line(ctx.kb, f) for f in facts])


def _still_not(ctx: Context, q: reading.Question, then: Any) -> List[str]:
    """ "要是评上一级，能加护理补贴吗": an item or part asked of a what-if that still does not come, with what it
    needs (护理补贴 限能力评估为2—3级)."""
    assert ctx.profile is not None
    lines = []
    said = [str(e.value) for e in q.entities if e.entity == "item"]
    for name in dict.fromkeys(said):
        for item in lookup_item(ctx.kb, ctx.profile.city, name)[:1]:
            if not any(e.item.name == item.name and _part_held(e, name) for e in then.items):
                part = name if name != item.name else None
                lines.append(f"“{name}”仍不能享受：限{brief.part_needs(item, part)}【{brief.item_sources(item)}】。")
    return lines


def _other_grades(q: reading.Question, ctx: Context, hypothesis: Profile, now: Any) -> List[str]:
    """ "评上一级…？评二级呢？": each other assessment grade the what-if names, beside today's answer too."""
    grades = [int(e.value) for e in q.entities if e.entity == "ability_grade"]
    if hypothesis.ability_grade is None or len(set(grades)) < 2:
        return []
    lines = []
    for grade in dict.fromkeys(g for g in grades if g != hypothesis.ability_grade):
        other = dataclasses.replace(hypothesis, ability_grade=grade)
        change = difference(now, _answer(ctx, other))
        lines.append(brief.difference_text(change, f"若{ctx.who}能力评估{grade}级", then="现在"))
    return lines


def next_birthday(q: reading.Question, ctx: Context, age: Optional[int] = None) -> Optional[Reply]:
    """ "明年呢", "过了年就八十了 到时候呢": that age's answer beside today's. `age`: the birthday meant when the
    message names none ("过了生日能多领多少": the next one that changes anything)."""
    age = age if age is not None else ctx.household.future_age
    if age is None or ctx.profile is None or ctx.age is None:
        return None
    then = dataclasses.replace(ctx.profile, age=age)
    change = difference(_answer(ctx, ctx.profile), _answer(ctx, then))
    # "明年70了呢" after 景区门票: the item asked about changes at an age its own text names (70周岁以上免购门票)
    quoted = _items_at_age(ctx, q.items, age, f"{ctx.who}满{age}周岁时")
    # where the item's own words said what changes, only the money stays as it was
    unchanged = "现金补贴不变" if quoted else "待遇不变"
    text = brief.difference_text(
        change, f"{ctx.who}满{age}周岁时", then="现在", unchanged=unchanged, gap=reading.asks_gap(q.text)
    )
    said = _with_said(topic(dataclasses.replace(q, kind=reading.ENTITLEMENTS), ctx), change)
    # "到时候俩人一共多少" after it: everyone that many years on
    return Reply("\n".join([*quoted, text]), topic={**said, "ahead": age - ctx.age})


def next_birthdays(q: reading.Question, ctx: Context, ages: Sequence[Tuple[int, int]]) -> Optional[Reply]:
    """Several people's next birthdays asked at once: each one's answer at that age beside today's."""
    texts, years = [], set()
    for index, age in ages:
        sub = ctx.for_person(index)
        said = next_birthday(q, sub, age) if sub.profile is not None and sub.age is not None else None
        if said is None or sub.age is None:
            return None
        texts.append(said.text)
        years.add(age - sub.age)
    if ctx.household.together and len(years) == 1:  # "明年俩人一共多少": their sum then
        summed = together(q, ctx, years=years.pop())
        if summed is not None:  # the sum asked first, then what changes for each
            texts.insert(0, summed.text)
    t = {**topic(dataclasses.replace(q, kind=reading.ENTITLEMENTS), ctx), "everyone": True}
    return Reply("\n".join(texts), topic=t)


def _items_at_age(ctx: Context, names: Sequence[str], age: int, who: str) -> List[str]:
    """Each item named whose own words name an age between the person's and `age` (七十周岁以上免购门票), quoted."""
    assert ctx.profile is not None and ctx.age is not None
    low, high = sorted((ctx.age, age))
    return [
        f"{who}，“{item.name}”按文件：{item.text}【{brief.item_sources(item)}】"
        for name in names
        for item in lookup_item(ctx.kb, ctx.profile.city, name)[:1]
        if any(low < a <= high for a in ages_named(item.text))
    ]


def ages_named(text: str) -> List[int]:
    """The ages an item's own words name ("七十周岁以上免购门票": 70)."""
    return [int(a) for a in _AGE_NAMED_RE.findall(normalize(text))]


def _with_said(t: Dict[str, Any], change: Any) -> Dict[str, Any]:
    """The topic with the cash items a difference named (what "那找哪个部门" after it asks about)."""
    said = list(dict.fromkeys(c.entitlement.name for c in change.cash))
    return {**t, "said": said} if said else t


def _household_moved(ctx: Context, hypothesis: Profile) -> Optional[str]:
    """ "俺爹俺娘都住滕州…要是在微山呢": a place what-if of a household living in one place, naming no one of
    them, moves everyone: each person's money there and the sum, beside today's."""
    hh, here = ctx.household, ctx.profile
    assert here is not None
    place = (hypothesis.city, hypothesis.county)
    if len(hh.people) < 2 or place == (here.city, here.county):
        return None
    if dataclasses.replace(hypothesis, city=here.city, county=here.county) != here:
        return None  # more than the place changed
    now_total = then_total = 0.0
    lines = []
    for i, p in enumerate(hh.people):
        profile = person_profile(p.facts)
        if profile is None or profile.age is None or (profile.city, profile.county) != (here.city, here.county):
            return None  # someone lives elsewhere, or is not known: the what-if is the current person's
        there = dataclasses.replace(profile, city=hypothesis.city, county=hypothesis.county)
        then, now = _answer(ctx, there), _answer(ctx, profile).monthly_total_yuan
        now_total += now
        then_total += then.monthly_total_yuan
        was_own = f"（现在{brief.yuan(now)}）" if now else ""  # each part of today's sum said beside it
        lines.append(f"· {ctx.for_person(i).who}：{brief.total_words(then)}{was_own}")
    where = hypothesis.county or hypothesis.city
    was = brief.yuan(now_total) if now_total else "无现金补贴"
    total = brief.yuan(then_total) if then_total else "无现金补贴"
    head = f"若都在{where}（按{hypothesis.city}市清单）：每月合计{total}（只计文件列明金额的部分；现在{was}）。"
    return "\n".join([head, *lines, "（按假设计算，各人的情况仍按已告知的记录。）"])


_OF_ALL_RE = re.compile(r"都|一起|一块")  # "要是俺俩以后都评上二级失能"
_ONLY_ONE_RE = re.compile(r"光|只有|就[^，,。？?]{0,4}?一个")  # "要是光俺奶奶评上二级呢，俩人一共多少"


def _everyone_so(q: reading.Question, ctx: Context, hypothesis: Profile) -> Optional[str]:
    """A what-if said of everyone ("俺俩都评上二级失能"): what it changes for each person, the household's sum
    beside today's, and an item asked about that it still does not bring, with what that item needs."""
    hh, here = ctx.household, ctx.profile
    assert here is not None
    if len(hh.people) < 2:
        return None
    changed = {f.name for f in dataclasses.fields(Profile) if getattr(here, f.name) != getattr(hypothesis, f.name)}
    if not changed or changed & {"city", "county", "age"}:
        return None  # a place or an age is each person's own: those what-ifs are answered as they are
    lines, now_total, then_total, thens = [], 0.0, 0.0, []
    for i, p in enumerate(hh.people):
        profile = person_profile(p.facts)
        if profile is None or profile.age is None:
            return None
        so = dataclasses.replace(
            profile,
            statuses=(profile.statuses - (here.statuses - hypothesis.statuses)) | (hypothesis.statuses - here.statuses),
            not_statuses=(profile.not_statuses - (here.not_statuses - hypothesis.not_statuses))
            | (hypothesis.not_statuses - here.not_statuses),
            **{k: getattr(hypothesis, k) for k in ("ability_grade", "disability_grade") if k in changed},
        )
        now, then = _answer(ctx, profile), _answer(ctx, so)
        now_total += now.monthly_total_yuan
        then_total += then.monthly_total_yuan
        thens.append(then)
        who = ctx.for_person(i).who
        lines.append(brief.difference_text(difference(now, then), who, then="现在", gap=reading.asks_gap(q.text)))
    words = facts_words(here, hypothesis) or "这样"
    was = brief.yuan(now_total) if now_total else "无现金补贴"
    total = brief.yuan(then_total) if then_total else "无现金补贴"
    gap = (
        brief.gap_words(now_total, then_total, any(t.total_is_minimum for t in thens))
        if reading.asks_gap(q.text)
        else ""
    )
    lines.insert(0, f"若都{words}：全家有金额的部分每月合计{total}（现在{was}{gap}）。")
    said = [str(e.value) for e in q.entities if e.entity == "item"] or list(q.items)  # 护理补贴, as said
    for name in dict.fromkeys(said):
        for item in lookup_item(ctx.kb, here.city, name)[:1]:
            if not any(e.item.name == item.name and _part_held(e, name) for a in thens for e in a.items):
                needs = "、".join(dict.fromkeys(brief.needs(item.cond, hypothesis.statuses))) or "其他条件"
                lines.append(f"“{name}”仍不能享受：还需{needs}【{brief.item_sources(item)}】。")
    lines.append("（按假设计算，各人的情况仍按已告知的记录。）")
    return "\n".join(lines)


def _part_held(e: Any, name: str) -> bool:
    """Whether an entitlement holds the part a name asks for (护理补贴 of 经济困难老年人补贴), or the item itself."""
    return name == e.item.name or any(p.name == name for p in e.parts)


def _others_total(ctx: Context, current: Optional[int], instead: Profile) -> str:
    """With a what-if for one of several people: the household's new sum too."""
    people = ctx.household.people
    if len(people) < 2:
        return ""
    totals = []
    for i, p in enumerate(people):
        profile = instead if i == current else person_profile(p.facts)
        if profile is None or profile.age is None:
            return ""
        totals.append(_answer(ctx, profile).monthly_total_yuan)
    return f"全家有金额的部分每月合计{brief.yuan(sum(totals))}。" if sum(totals) else ""


def together(q: reading.Question, ctx: Context, years: int = 0, at_least: Optional[int] = None) -> Optional[Reply]:
    """ "老两口加一块一个月多少": the sum across the people named so far, each with a line; "俩人高龄津贴一共多少":
    the sum of the items asked only. Items whose document gives no figure are named with their agency and
    source and never counted; a person whose age or place is not known yet is said so. `years`: everyone that
    many years on ("到时候" after a birthday to come); `at_least`: once everyone younger has reached that age
    ("等他俩都过了八十", "等她也过了八十": who is older stays as they are)."""
    hh = ctx.household
    if len(hh.people) < 2:
        return None
    asked = set(q.items) if q.items_named or q.has("item") else set()  # "俩人补贴一样不": 补贴 names no item
    lines: List[str] = []
    counted: List[str] = []
    ages: List[int] = []
    open_people: List[str] = []
    unfigured: Dict[str, str] = {}  # item id -> its line, once for everyone
    absent: List[str] = []  # the items another city lists for their statuses, said once
    total, minimum = 0.0, False
    # "俩人补贴一样不": each person's money side by side, no sum
    compared = q.kind == reading.COMPARE or reading.compares(q.text)
    seen: List[Tuple[float, Tuple[str, ...]]] = []
    cities = {ctx.for_person(i).city for i in range(len(hh.people))}
    for i in range(len(hh.people)):
        sub = ctx.for_person(i)
        if sub.profile is None or sub.age is None:
            open_people.append(sub.who)
            continue
        age = max(sub.age, at_least) if at_least is not None else sub.age + years
        answer = _answer(ctx, dataclasses.replace(sub.profile, age=age))
        if asked:
            answer = dataclasses.replace(answer, items=tuple(e for e in answer.items if e.name in asked))
        counted.append(sub.who)
        ages.append(age)
        if asked and not answer.items:
            lines.append(f"· {sub.who}：暂不享受{'、'.join(sorted(asked))}")
            continue
        total += answer.monthly_total_yuan
        minimum = minimum or answer.total_is_minimum
        seen.append((answer.monthly_total_yuan, tuple(e.name for e in answer.items if e.item.kind == "cash")))
        where = f"（{sub.city}）" if len(cities) > 1 else ""
        # an item asked of everyone carries its agency, as every item stated does
        # (and of two compared: who pays whom what, "她俩谁领得多")
        cash = [e for e in answer.items if e.item.kind == "cash" and not brief.everyones(e.item)]
        agencies = "、".join(dict.fromkeys(e.agency for e in (answer.items if asked else cash if compared else ())))
        lines.append(f"· {sub.who}{where}：{brief.total_words(answer)}" + (f"；{agencies}" if agencies else ""))
        for e in answer.items:
            if e.item.kind == "cash" and e.amount_yuan_per_month is None and not brief.everyones(e.item):
                unfigured.setdefault(e.item.id, brief.cash_line(e))
        absent += [line for line in brief.unlisted_lines(answer) if line not in absent]
    if not lines:
        return None
    names = "、".join(counted)
    what = "、".join(sorted(asked)) if asked else "现金补贴"
    if years or at_least is not None:
        when = f"{years}年后" if years else f"都满{at_least}周岁时，"
        names = when + "、".join(f"{w}（{a}周岁）" for w, a in zip(counted, ages))
    if compared:
        head = f"{names}每月{what}{'一样' if len(set(seen)) == 1 else '不一样'}（只比较文件列明金额的部分）："
    elif total:
        head = f"{names}每月{what}合计{'不低于' if minimum else ''}{brief.yuan(total)}（只计文件列明金额的部分）："
    elif unfigured:
        head = f"{names}的{what}：文件未列具体金额，无法合计。"
    else:
        head = f"{names}每月{what}：暂无（文件没有列明金额的现金补贴）。"
    text = [head] + lines
    if unfigured:
        text += ["文件未列金额的（请向牵头部门咨询标准）："] + list(unfigured.values())
    text += absent  # "俩人一共" of a 失独 couple in 聊城: the 扶助金 its list lacks
    subs = [ctx.for_person(i) for i in range(len(hh.people))]
    if compared and len(subs) == 2 and all(sub.age is not None for sub in subs):  # "俺娘能跟俺爹拿的一样吗"
        text += _ages_between(ctx, subs)
    if open_people:
        text.append(f"{'、'.join(open_people)}的年龄或户籍还不清楚，未计入。")
    # "这些钱都找哪个部门" after the sum asks of everyone's items
    summed = {**topic(dataclasses.replace(q, kind=reading.ENTITLEMENTS), ctx), "everyone": True}
    return Reply("\n".join(text), topic=summed)


def changed(
    q: reading.Question, ctx: Context, money_only: bool = False, summed_before: bool = False
) -> Optional[Reply]:
    """After a person's first answer, a message that changes their facts ("说错了 她八十一了", "低保") is answered
    with what changed and the new total first; the whole list only when asked for. `money_only`: a fact stated
    after an item's answer ("她能力评估是二级"), answered so only where it changes their money. `summed_before`: the
    answer before was the household's sum ("两人加一块一个月多少"): the new sum follows."""
    hh = ctx.household
    person = hh.person
    if person is None or person.answered is None or ctx.profile is None or ctx.age is None or ctx.detail:
        return None
    if any(w in q.text for w in _WHOLE_LIST):
        return None
    before = person_profile(person.answered)
    if before is None or before.age is None or before.city != ctx.profile.city:
        return None  # another city is another list: its answer is given whole
    if money_only and (before == ctx.profile or not difference(_answer(ctx, before), _answer(ctx, ctx.profile)).cash):
        return None
    if before == ctx.profile:  # asked again, nothing changed: the money, not the whole list again
        # "那俩残疾人的补贴到底多少": what has no figure is named with its agency (brief.total_words)
        text = f"{ctx.who}每月合计{brief.total_words(_answer(ctx, ctx.profile))}。其余待遇同前，回复“详细”可查看全部。"
        return Reply(text, topic=topic(dataclasses.replace(q, kind=reading.ENTITLEMENTS), ctx))
    words = facts_words(before, ctx.profile)
    label = f"按{words}更新" if words else "更新后"
    change = difference(_answer(ctx, before), _answer(ctx, ctx.profile))
    text = brief.difference_text(change, f"{ctx.who}{label}", then=None)
    absent = "".join("\n" + line for line in brief.unlisted_lines(change.after, change.before))
    summed = together(dataclasses.replace(q, kind=reading.ENTITLEMENTS), ctx) if summed_before else None
    if summed is not None and change.cash:  # "俺奶奶去年评估是二级再加上呢": the household's sum, each person's line
        head, *rest = summed.text.split("\n")
        absent += "\n" + "\n".join([head, *itertools.takewhile(lambda line: line.startswith("· "), rest)])
    return Reply(
        text + absent + "\n其余待遇不变，回复“详细”可查看全部。",
        topic=_with_said(topic(dataclasses.replace(q, kind=reading.ENTITLEMENTS), ctx), change),
    )


def cash_items_answered(ctx: Context, everyone: bool) -> Tuple[str, ...]:
    """The cash items (not the pensions every elder has) of the person just answered, or of everyone in the
    household after a sum: what "这些钱找哪个部门" asks about."""
    hh = ctx.household
    people = range(len(hh.people)) if everyone else ([hh.current] if hh.current is not None else [])
    names: List[str] = []
    for i in people:
        sub = ctx.for_person(i)
        if sub.profile is not None and sub.age is not None:
            for e in _answer(ctx, sub.profile).items:
                if e.item.kind == "cash" and not brief.everyones(e.item) and e.name not in names:
                    names.append(e.name)
    return tuple(names)


_WHO = "\x00"  # where the person's name goes in an answer said of several


def several(q: reading.Question, ctx: Context, mentioned: List[int]) -> Reply:
    """Each person named in one message, with their own facts; then the sum when it was asked."""
    blocks = []
    asked = q.items if q.kind == reading.ITEM else ()  # "俺两口子…有扶助金不": that item for each, not every list
    verdicts: Dict[str, List[str]] = {}  # an item's answer with the person left out -> who it is for
    if not asked:
        gap = the_gap(q, ctx, mentioned)
        if gap is not None:
            return gap
    for i in mentioned:
        sub = ctx.for_person(i)
        if sub.profile is None or sub.age is None:
            blocks.append(f"{sub.who}：请告诉我{'户籍所在城市或县区' if sub.profile is None else '年龄'}。")
            continue
        items = [found for name in asked for found in lookup_item(ctx.kb, sub.profile.city, name)[:1]]
        if items:
            text = "\n".join(brief.verdict_text(judge_item(ctx.kb, sub.profile, item), _WHO) for item in items)
            verdicts.setdefault(text, []).append(sub.who)
            blocks.append(text.replace(_WHO, sub.who))
            continue
        blocks.append(brief.money_first(_answer(ctx, sub.profile), sub.who, offer_detail=False))
    if len(verdicts) == 1 and len(blocks) > 1 and len(next(iter(verdicts.values()))) == len(blocks):
        # the same answer for everyone ("让他俩住公家的养老院 能优先不"): said once, of them all
        text, people = next(iter(verdicts.items()))
        names = "和".join(people) if len(people) == 2 else "、".join(people)
        blocks = [text.replace(_WHO, names + "都")]
    reply = "\n\n".join(blocks)
    if not asked and len(mentioned) == 2 and _HOW_MUCH_MORE_RE.search(q.text):
        # "俺爹85俺娘78…俺爹比俺娘多多少" in one message: both answers whole, then the gap asked
        compared_text = _two_compared(ctx, mentioned)
        if compared_text:
            reply += "\n\n" + compared_text.split("\n")[0]
    # "他领的跟俺爹一样不": two compared get, after their answers, the line that says whether it is the same
    compared = reading.compares(q.text) and len(mentioned) == len(ctx.household.people) == 2
    if (ctx.household.together or compared) and (not asked or q.aspect in (reading.AMOUNT, reading.ABOUT)):
        # "…俺八十一她七十九…等她也过了八十俺俩一共": the sum once the younger reaches that age
        reached = age_reached(q.text) if SUM_ASKED_RE.search(q.text) else None
        summed = together(q, ctx, at_least=reached)
        if summed is not None:
            reply += "\n\n" + summed.text
            said_of = {**topic(said_q(q, asked), ctx), "everyone": True}
            return Reply(reply, topic=said_of)
    return Reply(reply, topic=topic(said_q(q, asked), ctx))


def said_q(q: reading.Question, asked: Sequence[str]) -> reading.Question:
    """What an answer of several people said: the items asked of each, else everything they get."""
    if asked:
        return dataclasses.replace(q, kind=reading.ITEM)
    return dataclasses.replace(q, kind=reading.ENTITLEMENTS, aspect=reading.ABOUT, items=())


# The gap itself asked for ("多多少", "差多少", "少几块"), not only who gets more: a plain comparison of two people
# keeps both answers whole (a held-out case needs them; docs/measurements.md, sixth round).
_HOW_MUCH_MORE_RE = re.compile(r"[多少差]多少|[多少差]几[块个十]|相差|差额|差[了个]?多少")


def the_gap(q: reading.Question, ctx: Context, mentioned: List[int]) -> Optional[Reply]:
    """ "她咋比公公多？多多少？", "他俩的钱咋不一样 差多少": the difference between two people, each total, not two
    lists; once one of them has had an answer (two people first named together get each their own answer)."""
    answered_before = any(ctx.household.people[i].answered is not None for i in mentioned)
    if len(mentioned) != 2 or not answered_before or not _HOW_MUCH_MORE_RE.search(q.text):
        return None
    compared = _two_compared(ctx, mentioned)
    if compared is None:
        return None
    return Reply(compared, topic=topic(dataclasses.replace(q, kind=reading.ENTITLEMENTS, items=()), ctx))


def _two_compared(ctx: Context, mentioned: List[int]) -> Optional[str]:
    """Two people's money side by side: who gets more, by how much, and what makes the difference."""
    subs = [ctx.for_person(i) for i in mentioned]
    if any(sub.profile is None or sub.age is None for sub in subs):
        return None
    answers = [_answer(ctx, sub.profile) for sub in subs if sub.profile is not None]
    (less, low), (more, high) = sorted(zip(subs, answers), key=lambda pair: pair[1].monthly_total_yuan)
    gap = high.monthly_total_yuan - low.monthly_total_yuan
    head = (
        f"{more.who}比{less.who}每月多{brief.yuan(gap)}（有金额的部分：{brief.yuan(high.monthly_total_yuan)}对"
        f"{brief.yuan(low.monthly_total_yuan)}）。"
        if gap
        else f"{more.who}和{less.who}每月有金额的现金补贴一样。"
    )
    if more.age != less.age:  # "她咋比公公多": the ages that make the difference
        head += f"{more.who}{more.age}周岁，{less.who}{less.age}周岁。"
    why = brief.difference_text(difference(low, high), f"{more.who}比{less.who}", then=less.who)
    lines = [f"· {sub.who}：{brief.total_words(a)}" for sub, a in zip(subs, answers)]
    return "\n".join([head, why, *lines, *_ages_between(ctx, subs)])


def _ages_between(ctx: Context, subs: List[Context]) -> List[str]:
    """ "俺娘能跟俺爹拿的一样吗" (76 and 81, one city): the birthdays between them that change the money, as the
    look-ahead says them (【满80周岁起】高龄津贴…), so the family sees the age that makes the difference."""
    young, old = sorted(subs, key=lambda sub: sub.age or 0)
    if young.profile is None or old.profile is None or young.profile.city != old.profile.city:
        return []
    steps = every_birthday_ahead(ctx.kb, young.profile)
    return [line for changes in steps if changes[0].age <= (old.age or 0) for line in brief.change_lines(changes)]


def same_services_as(ctx: Context, answer: Answer) -> Optional[str]:
    """Who of the others already answered has exactly these services (a second person in the same city): the
    reply names them instead of listing a dozen services again."""
    mine = {e.item.id for e in answer.items if e.item.kind != "cash"}
    hh = ctx.household
    for i in range(len(hh.people) - 1, -1, -1):
        other = hh.people[i]
        if i == hh.current or other.answered is None:
            continue
        profile = person_profile(other.answered)
        if (
            profile is not None
            and profile.age is not None
            and mine == {e.item.id for e in _answer(ctx, profile).items if e.item.kind != "cash"}
        ):
            return ctx.for_person(i).who
    return None
