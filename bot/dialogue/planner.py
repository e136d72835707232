"""The hotline operator's rule: answer at once with what is known, say what depends on what is not, and ask at
most one question — the one that changes the answer to what was asked — after the answer.

`respond` takes the question read from this message, the person's facts folded from the conversation and the
topic of the last substantive question, and returns the reply text, the topic to remember and the fact it
asked for (if any). Pure: the Rasa action only reads the tracker and sends the reply.
"""

from __future__ import annotations

import dataclasses
import os
import re
from typing import Any, Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

from bot.nlu import phonetic
from bot.nlu.extractor import born_on, respell_topics
from bot.nlu.normaliser import normalize
from rules_kb import (
    ECONOMIC,
    KB,
    YUAN,
    AgeAtLeast,
    AgeAtMost,
    HasStatus,
    Item,
    Profile,
    ahead,
    brief,
    condition_atoms,
    describe_atom,
    documents_text,
    evaluate,
    every_birthday_ahead,
    fact_match_score,
    judge_item,
    lookup_item,
    outside,
    outside_topic,
    render,
    search_facts,
)
from rules_kb.dates import today
from rules_kb.difference import difference
from rules_kb.engine import implied_statuses

from . import family, figures, household, registration
from . import question as reading
from .context import Context, Reply, person_profile

ASK_CITY = "请问老人的户籍在哪个城市或县区？（目前可查询济宁、枣庄、聊城三市）"
ASK_AGE = "请问老人今年多少周岁？"
ASK_ECONOMIC = "请问老人是低保对象或特困人员吗？（可回答：低保 / 特困 / 都不是 / 不清楚）"
LOOK_AHEAD_YEARS = 2  # a birthday this near is what families plan around
FIRST_MONEY_YEARS = 5  # with no money yet, the first birthday that brings some, this near
NOT_UNDERSTOOD = "utter_default"
# "八十五岁给多少", "95岁的话领多少": an age asked about (what that age gets), not a person's age stated.
_AGE_ASKED_RE = re.compile(r"\d{2,3}\s*(?:周岁|岁)\s*(?:的话|时|呢)?\s*(?:给|发|能领|领|能拿|拿|有)?(?:多少|几)")


def _economic_known(p: Profile) -> bool:
    return any(s in p.statuses for s in ECONOMIC) or "低保" in p.not_statuses or "经济困难" in p.not_statuses


def _topic(q: reading.Question, ctx: Context) -> Dict[str, Any]:
    return family.topic(q, ctx)


def respond(q: reading.Question, ctx: Context, topic: Optional[Dict[str, Any]] = None) -> Reply:
    compared = figures.status_compared(ctx, q.text)
    if compared:  # "俺表姐家是孩子伤残的那种跟俺们比差多少": the same person with the other status
        return Reply("\n".join(compared), topic=_topic(q, ctx))
    statuses = _statuses_compared(q, ctx)
    if statuses is not None:  # "同样八十二岁 低保跟特困的待遇有啥区别": two groups side by side, no one's facts
        return statuses
    reply = family.settle(_respond(q, ctx, topic))
    ruled_out = _ruled_out_asked(q, ctx)
    if ruled_out and reply.text:  # "那她能领失独那个990的不" of someone 独生子女伤残: no, and why, first
        reply = dataclasses.replace(reply, text=f"{ruled_out}\n{reply.text}")
    summed = _figures_summed(q, ctx)
    if summed and reply.text:  # "高龄津贴加上生活补贴加上护理补贴一共多少": the sum first, then each item
        reply = dataclasses.replace(reply, text=f"{summed}\n{reply.text}")
    money = _money_beside_item(q, ctx, reply)
    if money:  # "俺爹八十七 滕州的 能享受长护险不": the item, then the money the person has, once
        reply = dataclasses.replace(reply, text=f"{reply.text}\n{money}")
    reaching = _age_reaching(q, ctx, topic or {})
    if reaching and reaching not in reply.text:  # "生活补贴到多大岁数能涨到200块": that age first
        reply = dataclasses.replace(reply, text=f"{reaching}\n{reply.text}" if reply.text else reaching, response=None)
    if _HOW_OFTEN_RE.search(q.text) and "元/月" in reply.text:  # "是每个月都给吗还是一年给一回"
        reply = dataclasses.replace(reply, text=f"{reply.text}\n以上金额均为文件所列的每月标准（元/月）。")
    birthday, then = _birthday_line(q, ctx)
    if birthday and reply.text and ctx.age is not None:  # "1946年12月20日出生…什么时候能领": the day, not only the age
        # "到那时候一个月一共多少" next: that birthday
        reply = dataclasses.replace(
            reply, text=f"{reply.text}\n{birthday}", topic={**(reply.topic or {}), "ahead": then - ctx.age}
        )
    named = _documents_named(q, ctx)
    if named is not None and reply.text and not reply.text.startswith("依据的文件"):
        # "济宁的清单是哪个文件发的 一共多少项": the document itself first, then what the message also asks of it
        return dataclasses.replace(reply, text=f"{named}\n{reply.text}")
    if named is not None and not reply.text:
        return dataclasses.replace(reply, text=named, response=None)
    return reply


def _figures_summed(q: reading.Question, ctx: Context) -> str:
    """The person's figures of two or more items or parts the message adds up, and their sum ('' if it adds up
    nothing, or names fewer than two); "低保补贴" is the 低保 group's own money."""
    if not figures.SUM_ASKED_RE.search(q.text) or len(ctx.household.mentioned) >= 2:
        return ""
    named = [(e.start, str(e.value)) for e in q.entities if e.entity == "item"]
    group = _group_money_named(q, ctx)
    if group:
        start = min(e.start for e in q.entities if e.entity == "status")
        named += [(start, name) for name in group]
    return "\n".join(figures.summed(ctx, [name for _, name in sorted(named)]))


def _statuses_compared(q: reading.Question, ctx: Context) -> Optional[Reply]:
    """Two economic statuses compared for one age and place ("同样是八十二岁在任城住低保跟特困的待遇有啥区别"):
    each status's money beside the other's, no relative named."""
    said = list(dict.fromkeys(str(e.value) for e in q.entities if e.entity == "economic"))
    ages = [int(float(e.value)) for e in q.entities if e.entity == "age"]
    city = (q.cities[0] if q.cities else None) or ctx.city
    # "俺爹八十四峄城的要是特困户跟低保户比哪个领的多": of one person named, their other facts kept
    person = ctx.profile if ctx.profile is not None and len(ctx.household.people) == 1 else None
    if not (
        (q.kind == reading.COMPARE or (person is not None and reading.compares(q.text)))
        and len(said) == 2
        and len(ages) == 1
        and city
        and (person is not None or not any(e.entity == "relation" for e in q.entities))
    ):
        return None
    lines = []
    answers = []
    for status in said:
        base = person or Profile(city, ages[0])
        profile = dataclasses.replace(
            base, statuses=(base.statuses - frozenset(said)) | {status}, not_statuses=frozenset()
        )
        answer = evaluate(ctx.kb, profile)
        answers.append((status, answer))
        lines.append(f"{status}（{city}，{ages[0]}周岁）：{_cash_compared(answer)}【{'；'.join(answer.documents())}】")
    (a, first), (b, second) = answers
    for status, answer, other in ((a, first, second), (b, second, first)):
        theirs = {e.item.id for e in other.items}
        own = [e for e in answer.items if e.item.kind == "cash" and e.item.id not in theirs]
        lines += [f"{status}独有：{brief.cash_line(e)[2:]}" for e in own]  # with what stands for a missing figure
    return Reply("\n".join(lines), topic=_topic(q, ctx))


def _money_beside_item(q: reading.Question, ctx: Context, reply: Reply) -> str:
    """A first message that tells who the person is (age, place, whether 低保/特困) and asks about a service or an
    item without a figure: its answer, then what the person gets each month, since no answer said it yet."""
    hh, p = ctx.household, ctx.profile
    if not (
        reply.text
        and q.kind == reading.ITEM
        and q.items
        and q.aspect in (reading.ABOUT, reading.YESNO, reading.APPLY)
        and hh.person is not None
        and hh.person.answered is None
        and len(hh.people) == 1
        and hh.hypothesis is None
        and p is not None
        and p.age is not None
        and (p.statuses or p.not_statuses)
    ):
        return ""
    asked = [i for name in q.items for i in lookup_item(ctx.kb, p.city, name)]
    if not asked or any(i.kind == "cash" and any(t.amount for part in i.parts for t in part.tiers) for i in asked):
        return ""  # "高龄津贴多少": the item's figure is the answer
    answer = evaluate(ctx.kb, p)
    if not answer.monthly_total_yuan:
        return ""
    return f"{ctx.who}每月现金补贴：{brief.total_words(answer)}（回复“详细”查看全部待遇）。"


_HOW_OFTEN_RE = re.compile(
    r"每个?月都?[给发]|按月|一年[给发]|一年一[回次]|多久[给发]|多长时间[给发]|几个月[给发]|按年|按季"
)
_FIGURE_WORDS = r"(\d{2,4}|[一二三四五六七八九十百零两]{1,4})"
# a figure reached: "涨到200块", "能领到六十"; after a bare 到 only with its unit ("到100岁" is an age, "到200块" money)
_REACHING_RE = re.compile(rf"(?:涨到|长到|提到|领到|拿到|变成)\s*{_FIGURE_WORDS}|到\s*{_FIGURE_WORDS}\s*(?:块|元)")
_WHEN_AGE_RE = re.compile(r"多少岁|几岁|多大|什么时候|啥时候|何时|哪年|几时")


def _age_reaching(q: reading.Question, ctx: Context, topic: Dict[str, Any]) -> str:
    """ "生活补贴到多大岁数能涨到200块", "啥时候能涨到六十": the birthday from which the item asked (or just said)
    pays that figure, from the list's own tiers: "满90周岁起经济困难老年人补贴中的生活补贴为200元/月（市民政局）"."""
    m = _REACHING_RE.search(q.text)
    if not m or not _WHEN_AGE_RE.search(q.text):
        return ""
    figure = figures.said_figure(m.group(1) or m.group(2))
    if figure is None:
        return ""
    names = set(q.items or topic.get("items") or ())
    city = (q.cities[0] if q.cities else None) or ctx.city
    if not city:
        return ""
    p = ctx.profile
    start = p if p is not None and p.age is not None and p.city == city else Profile(city, 60, frozenset(q.statuses))
    for step in every_birthday_ahead(ctx.kb, start):
        for c in step:
            if c.after == figure and (not names or c.item.name in names or c.part in names):
                name = c.item.name if c.part in (None, c.item.name) else f"{c.item.name}中的{c.part}"
                return f"满{c.age}周岁起{name}为{brief.yuan(figure)}/月（{c.agency}）【{brief.item_sources(c.item)}】。"
    return ""


def _birthday_line(q: reading.Question, ctx: Context) -> Tuple[str, int]:
    """("按出生日期，您母亲将于2026年12月20日满80周岁。", 80): the day of the next birthday that brings money (of the
    item asked, when one is), for a birth date said in the message; ("", 0) if none."""
    born = born_on(q.text)
    if born is None or ctx.profile is None or ctx.age is None:
        return "", 0
    steps = every_birthday_ahead(ctx.kb, ctx.profile)
    asked = [c for c in steps if any(x.item.name in q.items for x in c)] if q.items else []
    step = (asked or steps or [[]])[0]
    if not step:
        return "", 0
    year, month, day = born
    when = f"{year + step[0].age}年" + (f"{month}月" if month else "") + (f"{day}日" if month and day else "")
    return f"按出生日期，{ctx.who}今年{ctx.age}周岁，将于{when}满{step[0].age}周岁。", step[0].age


def _respond(q: reading.Question, ctx: Context, topic: Optional[Dict[str, Any]]) -> Reply:
    if (
        (q.kind in (reading.OUT_OF_SCOPE, reading.UNCLEAR, reading.POLICY) and (not q.policy_cue or not q.asks))
        or (q.kind == reading.ITEM and not q.asks and not q.has("item"))  # an item found only by the facts' words
    ) and _facts_changed(ctx):
        # "俺看错了是三级不是一级", "她就一个儿子前年出事没了": a fact of the person just answered, however the
        # classifier placed it
        q = dataclasses.replace(q, kind=reading.FACTS)
    registered = registration.registered_elsewhere(q, ctx, topic or {}) or registration.moved_in(q, ctx, topic or {})
    if registered is not None:  # "要是他户口还在菏泽没迁过来呢", then "那要是把户口迁到嘉祥呢"
        return registered
    pointed = figures.referred(ctx, q.text) if topic and not q.has("item") else []
    if pointed:  # "这个九百九是一个月给一回还是一年给一回", "这五百多是咋算出来的": the item paying it
        aspect = reading.AGENCY if _WHO_PAYS_RE.search(q.text) else q.aspect  # "这五百块钱都是谁出的": shares
        q = dataclasses.replace(q, kind=reading.ITEM, aspect=aspect, items=tuple(pointed), personal=True)
    if q.kind in (reading.OUT_OF_SCOPE, reading.POLICY, reading.UNCLEAR) and not q.policy_cue:
        # "老两口加一块一个月多少", "如果是1级呢": short words the classifier cannot place, plain to the household
        reply = _household(dataclasses.replace(q, kind=reading.ENTITLEMENTS), ctx, True, only_household=True)
        if reply is not None:
            return reply
    if q.kind == reading.OUT_OF_SCOPE and (topic or {}).get("kind") == reading.ITEM and _WHO_PAYS_RE.search(q.text):
        q = dataclasses.replace(q, kind=reading.UNCLEAR)  # "这五百块钱都是谁出的": see _in_context
    if q.kind == reading.OUT_OF_SCOPE and (
        ((topic or {}).get("kind") in (reading.ITEM, reading.ENTITLEMENTS) and _WHICH_DOCUMENT_RE.search(q.text))
        or (_DOCUMENT_KIND_RE.search(q.text) and _DOCUMENT_ASKED_RE.search(q.text))
    ):  # "这个钱是按哪个文件发的", "那个三年行动方案管到哪一年": the documents, however the classifier placed it
        q = dataclasses.replace(q, kind=reading.UNCLEAR)
    if q.kind == reading.OUT_OF_SCOPE and _continues_rule(q, ctx, topic or {}):  # "六十五往上又多了啥"
        q = dataclasses.replace(q, kind=reading.UNCLEAR)
    if q.kind == reading.OUT_OF_SCOPE and _continues_policy(q, topic or {}):
        # a follow-up of a measure the classifier could not place: see _in_context
        q = dataclasses.replace(q, kind=reading.UNCLEAR)
    if q.kind not in (reading.GREET, reading.THANK, reading.GOODBYE, reading.DETAIL):
        # "医保报销比例", "俺爹的养老金今年涨了多少" (even read as out of scope): outside the documents, said as such
        beyond = _outside(q, ctx)
        if beyond is not None:
            return beyond
    if q.kind in (reading.GREET, reading.THANK, reading.GOODBYE, reading.OUT_OF_SCOPE):
        return Reply(response=f"utter_{q.kind}", topic=topic)
    if q.kind == reading.DETAIL:
        return _detail(ctx, topic)
    if (
        q.also
        and not q.items
        and not _told(q)
        and ctx.profile is not None
        and (topic or {}).get("kind") != reading.POLICY
    ):
        # "还有别的吗" after an answer about the person: everything they get, the whole list
        q = dataclasses.replace(q, kind=reading.ENTITLEMENTS, personal=True)
    agencies = _agencies_of_answer(q, ctx, topic)
    if agencies is not None:
        return agencies
    documents = _documents_of_answer(q, ctx, topic or {})
    if documents is not None:
        return documents
    when = _when_it_changes(q, ctx, topic or {})
    if when is not None:
        return when
    measure = _measure_of_item(q, ctx, topic or {})
    if measure is not None:
        return measure
    if _asks_rule_money(q, ctx, topic or {}) and ctx.profile is not None:
        # "具体每月给钱的有哪些，各多少钱" after a rule for everyone: that rule's money alone
        text = brief.group_text(ctx.kb, ctx.profile.city, ctx.profile.statuses, cash_only=True)
        return Reply(text, topic=topic)
    asked_facts_only = q.kind in (reading.FACTS, reading.DONT_KNOW)
    q = _in_context(q, ctx, topic)
    household = _household(q, ctx, asked_facts_only, topic=topic)
    if household is not None:
        return household
    ages = reading.ages_compared(q)
    if ages and ctx.profile is not None and q.kind in (reading.ENTITLEMENTS, reading.ITEM, reading.COMPARE):
        return _ages(q, ctx, ages)
    if q.people and q.kind in (reading.ENTITLEMENTS, reading.ITEM, reading.FACTS):
        return _several(q, ctx)
    if q.kind == reading.ENTITLEMENTS:
        return _entitlements(q, ctx)
    if q.kind == reading.ITEM and q.also and _person_facts_known(ctx):
        # "高龄津贴一个月多少？还有别的吗？": both halves, the item first, then all the person gets
        first, rest = _item(q, ctx), _entitlements(dataclasses.replace(q, kind=reading.ENTITLEMENTS, items=()), ctx)
        if first.text and rest.text:
            return dataclasses.replace(rest, text=f"{first.text}\n全部待遇如下：\n{rest.text}")
    if q.kind == reading.ITEM:
        return _item(q, ctx)
    if q.kind == reading.WHY_NOT:
        return _why_not(q, ctx)
    if q.kind == reading.COMPARE:
        return _compare(q, ctx, topic)
    if q.kind == reading.POLICY:
        return _policy(q, ctx, topic)
    return _about_last_item(q, ctx, topic) or Reply(response=NOT_UNDERSTOOD, topic=topic)


def _ruled_out_asked(q: reading.Question, ctx: Context) -> str:
    """A status asked about that the person's own rules out (the household kept it out of their facts)."""
    p = ctx.profile
    if p is None or not q.asks or ctx.household.hypothesis is not None or _CORRECTED_RE.search(q.text):
        return ""  # a what-if or a correction names the other status on purpose
    excludes = ctx.kb.regions.excludes
    asked = sorted(s for s in q.statuses if s not in p.statuses and any(s in excludes.get(h, ()) for h in p.statuses))
    if not asked:
        return ""
    held = "、".join(sorted(h for h in p.statuses if any(a in excludes.get(h, ()) for a in asked)))
    return f"{ctx.who}是{held}，不是{'、'.join(asked)}，不能按{'、'.join(asked)}的标准享受。"


def _facts_changed(ctx: Context) -> bool:
    """Whether this message changed the facts of someone already answered (not a new person, not a what-if)."""
    hh = ctx.household
    person = hh.person
    return (
        person is not None
        and person.answered is not None
        and not hh.new_person
        and hh.hypothesis is None
        and hh.before is not None
        and hh.before != person.facts
    )


def _about_last_item(q: reading.Question, ctx: Context, topic: Optional[Dict[str, Any]]) -> Optional[Reply]:
    """ "多久探一次", "一次给几个小时" after an item's answer: a detail the reader cannot place and the document may
    not hold. The item's whole entry (content, who, agency, source) answers what the document says, with a word
    that it says no more, instead of "没太听明白"."""
    topic = topic or {}
    if topic.get("kind") != reading.ITEM or not topic.get("items") or q.has("item") or _told(q) or not ctx.city:
        return None
    city = topic.get("city") or ctx.city
    items = _found(ctx, city, topic["items"])[:2]
    if not items:
        return None
    lines = ["文件中没有写明更细的规定，以下是文件原文的内容，具体安排请向牵头部门咨询："]
    lines += [_item_line(ctx.kb, item, reading.ABOUT) for item in items]
    return Reply("\n".join(lines), topic=topic)


def _household(
    q: reading.Question,
    ctx: Context,
    facts_only: bool,
    only_household: bool = False,
    topic: Optional[Dict[str, Any]] = None,
) -> Optional[Reply]:
    """The answers that need the household: a what-if beside the facts, the next birthday, several people named
    at once, the sum across people, and what a new fact changed for someone already answered. `only_household`:
    just the what-if, a birthday to come and the sum (a message read as out of scope or unclear that is one of those)."""
    hh = ctx.household
    if (
        only_household and hh.hypothesis is None and not (hh.together and len(hh.people) >= 2) and hh.future_age is None
    ):  # "再过两年呢" is the next birthday whatever the classifier guessed
        return None
    about_person = q.kind in (reading.ENTITLEMENTS, reading.ITEM, reading.FACTS, reading.UNCLEAR, reading.WHY_NOT)
    if (
        hh.hypothesis is not None
        and q.kind == reading.ITEM
        and q.items
        # the item of the question before, or one this message asks of ("要是在济宁 有没有上门服务"); not the
        # move itself ("户口迁到济宁" names 迁移户口)
        and not any(e.entity == "item" and e.value == _HUKOU_ITEM for e in q.entities)
        and ctx.profile is not None
        and hh.hypothesis.get("city") not in (None, ctx.profile.city)
    ):  # "打官司…" then "那要是在枣庄呢"
        reply = _item_what_if(q, ctx)
        if reply is not None:
            return reply
    if hh.hypothesis is not None and (about_person or q.kind == reading.COMPARE):  # "搬到济宁去呢 还一样不"
        if not q.items and hh.what_if_keys == ("age",) and (topic or {}).get("kind") == reading.ITEM:
            # "那要是他才六十九呢" after the item asked about: that item at that age too
            q = dataclasses.replace(q, items=tuple((topic or {}).get("items") or ()))
        reply = family.what_if(q, ctx)
        if reply is not None:
            return reply
    reached = household.age_reached(q.text) if hh.together and len(hh.people) >= 2 else None
    if reached is not None and about_person and figures.SUM_ASKED_RE.search(q.text):
        # "等他俩都过了八十，俩人加一起每月多少", "等她也过了八十俺俩一共": everyone at that age or older, summed
        reply = family.together(q, ctx, at_least=reached)
        if reply is not None:
            return reply
    answered = hh.person is not None and hh.person.answered is not None  # else the first answer, as always
    # "等她八十了能拿多少": a birthday to come, said in words, is asked about unless the message asks of now; after
    # any answer of theirs, even one that ended with a question ("明年一百了能领多少" after 低保 was asked)
    shown = answered or (hh.person is not None and hh.person.shown)
    future = hh.future_age
    if future is None and ctx.age is not None and (topic or {}).get("ahead") and len(hh.people) < 2:
        # "到那时候一个月一共多少" after the day of a birthday was said: that birthday
        future = ctx.age + int((topic or {})["ahead"]) if _THEN_RE.search(q.text) else None
    if hh.future_ages and about_person and not _NOW_RE.search(q.text):
        # "明年呢" after both were answered, "明年呢俺就八十了她六十五": each of them at that age
        reply = family.next_birthdays(q, ctx, hh.future_ages)
        if reply is not None:
            return reply
    if future is not None and about_person and shown and not _NOW_RE.search(q.text):
        # "明年70了呢" after an item: that item too, where its own words name the age
        said = q.items or (tuple((topic or {}).get("items") or ()) if (topic or {}).get("kind") == reading.ITEM else ())
        reply = family.next_birthday(dataclasses.replace(q, items=said), ctx, future)
        if reply is not None:
            return reply
    if hh.together and len(hh.people) == 2 and not q.has("item"):  # "他俩的钱咋不一样 差多少"
        gap = family.the_gap(q, ctx, [0, 1])
        if gap is not None:
            return gap
    if len(hh.mentioned) >= 2 and (
        q.kind in (reading.ENTITLEMENTS, reading.ITEM, reading.FACTS)
        or (q.kind == reading.COMPARE and len(q.cities) < 2)
    ):  # "俺爹85俺娘78…差多少"
        return family.several(q, ctx, list(hh.mentioned))
    if hh.together and len(hh.people) >= 2 and q.kind == reading.ITEM and q.items and q.aspect != reading.AMOUNT:
        # "让他俩住公家的养老院 能优先不 找谁": the item for each of them, not their money summed
        return family.several(q, ctx, list(range(len(hh.people))))
    if (
        hh.together
        and len(hh.people) >= 2
        and q.kind in (reading.ENTITLEMENTS, reading.ITEM, reading.FACTS, reading.UNCLEAR, reading.COMPARE)
    ):
        ahead = (topic or {}).get("ahead", 0) if _THEN_RE.search(q.text) else 0
        reply = family.together(q, ctx, years=ahead)
        if reply is not None:
            return reply
    if q.kind == reading.ENTITLEMENTS and not q.ahead:
        return family.changed(q, ctx, summed_before=bool((topic or {}).get("everyone")))
    if facts_only and (topic or {}).get("kind") == reading.ITEM and not q.ahead:
        # "她能力评估是二级" after the services asked of: what the fact adds to her money (护理补贴 85元) first
        return family.changed(q, ctx, money_only=True)
    return None


_NOW_RE = re.compile(r"现在|目前|眼下|当前")
_HUKOU_ITEM = "自愿随子女迁移户口"
_FIGURE_ASKED_RE = re.compile(r"多少|几[户张个家所%]|\d{4}年")
_WHO_PAYS_RE = re.compile(r"谁出的|谁出钱|谁掏|哪里出的|哪儿出的")
_THEN_RE = re.compile(r"到时候|那时候?|那会儿?")  # the birthday to come just answered


def _item_what_if(q: reading.Question, ctx: Context) -> Optional[Reply]:
    """The item just discussed, for the person as the what-if has them (another city, another grade): the
    item's own answer there, the person's facts left as they were."""
    hypothesis = person_profile(ctx.household.hypothesis or {})
    if hypothesis is None or ctx.profile is None:
        return None
    words = family.facts_words(ctx.profile, hypothesis) or "这样"
    if hypothesis.city != ctx.profile.city:
        words = f"户籍在{hypothesis.county or hypothesis.city}"
    age = hypothesis.age if hypothesis.age is not None else ctx.age
    there = dataclasses.replace(ctx, profile=hypothesis, age=age)
    reply = _item(dataclasses.replace(q, cities=(hypothesis.city,)), there)
    if not reply.text:
        return None
    keep = f"（按假设计算，{ctx.who}的情况仍按已告知的记录。）"
    groups = _groups_differ(ctx, ctx.profile.city, hypothesis.city, q.items)
    return dataclasses.replace(reply, text=f"若{ctx.who}{words}：\n{reply.text}\n{groups}{keep}")


def _groups_differ(ctx: Context, here: str, there: str, names: Sequence[str]) -> str:
    """ "法律诉讼服务：枣庄列于60周岁及以上老年人，济宁列于65周岁及以上老年人。" where two lists give one item to
    different groups; else ''."""
    if here == there:
        return ""
    lines = []
    for a, b in zip(_found(ctx, there, names), _found(ctx, here, names)):
        if a.name == b.name and a.group != b.group:
            lines.append(f"{a.name}：{there}列于{a.group}，{here}列于{b.group}。\n")
    return "".join(lines)


def _outside(q: reading.Question, ctx: Context) -> Optional[Reply]:
    """ "医保报销比例", "退休年龄", "养老金今年涨多少": matters no document covers (rules_kb/outside.yml), said plainly,
    with the agency a document names for them (else 12345) instead of "没太听明白" or a list item beside the point."""
    found = outside_topic(ctx.kb, q.text)
    heard = respell_topics(q.text, ctx.kb) if found is None else q.text
    if heard != q.text:  # "养老今涨多少": 养老金, heard by sound
        found = outside_topic(ctx.kb, heard)
    if found is None:
        return None
    # "住在敬老院里 高龄津贴还能领吗 多少钱": an item named in words of its own (not those the matter is asked in)
    # is what the message asks about
    said = [q.text[e.start : e.end] for e in q.entities if e.entity == "item" and 0 <= e.start < e.end <= len(q.text)]
    if any(not any(w in part for ask in found.asks for part in ask) for w in said):
        return None
    city = q.cities[0] if q.cities else ctx.city
    return Reply(outside.answer_text(ctx.kb, found, city), topic={"kind": "outside", "city": city})


# "那我老伴66岁呢", "那济宁呢？我叔叔也85": only who, how old and where, with 呢 — the question just asked
_SAME_ASKED_RE = re.compile(r"呢$|^那[^，,。？?！!]{0,6}呢")
# "同样情况呢", "一样的问题", "这个也能吗": the question just asked, of someone else
_SAME_QUESTION_RE = re.compile(
    r"同样|一样的(?:情况|问题|事)|情况一样|也是这|这个也|也能\S{0,2}?[吗么不]|也行吗|也可以吗"  # "也能改不"
)


def _when_it_changes(q: reading.Question, ctx: Context, topic: Dict[str, Any]) -> Optional[Reply]:
    """ "那她啥时候能跟我一样免票" after 参观公园和景点: the birthday at which the item's own words change for the
    person asked about (七十周岁以上免购门票: 70)."""
    items = tuple(topic.get("items") or ())
    if not (
        topic.get("kind") == reading.ITEM
        and items
        and not q.items
        and _WHEN_RE.search(q.text)
        and ctx.profile is not None
        and ctx.age is not None
    ):
        return None
    found = _found(ctx, ctx.profile.city, items)
    ages = sorted(a for item in found for a in family.ages_named(item.text) if a > ctx.age)
    if not ages:
        return None
    return family.next_birthday(dataclasses.replace(q, items=items), ctx, age=ages[0])


def _names_this_item(text: str, items: Sequence[str]) -> bool:
    """ "她能做这个评估不": "this" and the end of an item just said (评估 of 老年人能力综合评估)."""
    return any(
        re.search(f"(?:这个|那个|这项|那项|这){re.escape(name[-n:])}", text)
        for name in items
        for n in (2, 3, 4)
        if len(name) > n
    )


def _in_context(q: reading.Question, ctx: Context, topic: Optional[Dict[str, Any]]) -> reading.Question:
    """A message read against the question before it: facts alone continue it ("低保", "不对，是济宁的"),
    "这个找哪个部门" asks about the item just discussed."""
    topic = topic or {}
    kind = topic.get("kind")
    only_facts = q.kind in (reading.FACTS, reading.DONT_KNOW) or (
        q.kind == reading.ITEM and not q.asks and _told(q) and kind
    )
    if kind == reading.ITEM and topic.get("items") and not q.items and _WHO_PAYS_RE.search(q.text):
        # "这五百块钱都是谁出的" after an item: its shares and its agency
        return dataclasses.replace(
            q, kind=reading.ITEM, aspect=reading.AGENCY, items=tuple(topic["items"]), personal=True
        )
    if _continues_rule(q, ctx, topic):
        # "六十五往上又多了啥", "八十往上的呢", "特困老人呢" after a rule for everyone: that age's or group's rule; "多了啥"
        # beside the age before it, what the later age adds
        if q.rule_age is not None and topic.get("rule_age") and q.ahead and topic["rule_age"] < q.rule_age:
            return dataclasses.replace(q, kind=reading.ENTITLEMENTS, items=(), since_age=topic["rule_age"])
        return dataclasses.replace(q, kind=reading.ENTITLEMENTS, items=())
    if only_facts and ctx.household.new_person and len(ctx.household.people) > 1:
        only_age = not any(e.entity not in ("age", "relation", "city", "county") for e in q.entities)
        if (
            kind == reading.ITEM
            and topic.get("items")
            and (
                _SAME_QUESTION_RE.search(q.text)
                or (only_age and _SAME_ASKED_RE.search(reading.core_of(q.text)))
                or _names_this_item(q.text, topic["items"])
            )
        ):
            # "我济宁的舅舅也62岁，同样情况呢", "那我老伴66岁呢" (only who and how old: the item's age is the
            # question): the item just asked, for the new person; with a status or a grade told, their whole answer
            return dataclasses.replace(
                q,
                kind=reading.ITEM,
                aspect=topic.get("aspect", reading.ABOUT),
                items=tuple(topic["items"]),
                personal=True,
            )
        # "我外公呢？他89岁" after someone else: the new person's own answer, money first
        return dataclasses.replace(q, kind=reading.ENTITLEMENTS, aspect=reading.ABOUT, items=(), personal=True)
    if (
        only_facts
        and kind == reading.ITEM
        and topic.get("aspect") == reading.APPLY
        and not topic.get("named")
        and _person_facts_known(ctx)
    ):  # "老人补贴怎么领" then the person: what they get, each with its agency
        return dataclasses.replace(q, kind=reading.ENTITLEMENTS, aspect=reading.ABOUT, items=(), personal=True)
    if (
        only_facts
        and topic.get("rule_age")
        and q.cities
        and ctx.age is None
        and all(e.entity in ("city", "county") for e in q.entities)
    ):
        # "聊城的百岁老人有啥钱" then "济宁呢" / "跟济宁比呢": that age's rule in the other city
        return dataclasses.replace(q, kind=reading.ENTITLEMENTS, rule_age=topic["rule_age"], items=())
    if (
        only_facts
        and kind == reading.ITEM
        and q.cities
        and topic.get("items")
        and not _found(ctx, q.cities[0], topic["items"])
        and _person_facts_known(ctx)
        and _CORRECTED_RE.search(q.text)
    ):  # "弄错了 他不是阳谷的是枣庄山亭的" after an item 枣庄's list lacks: what the person gets there
        return dataclasses.replace(q, kind=reading.ENTITLEMENTS, aspect=reading.ABOUT, items=(), personal=True)
    if only_facts and kind in (reading.ENTITLEMENTS, reading.ITEM, reading.WHY_NOT, reading.COMPARE):
        return dataclasses.replace(
            q,
            kind=kind,
            aspect=topic.get("aspect", reading.ABOUT),
            items=tuple(topic.get("items") or ()),
            personal=True,
            items_named=bool(topic.get("named")),
        )
    if only_facts and kind == reading.POLICY and q.cities:  # "那枣庄呢" after a policy question
        again = reading.read_question(topic.get("text", ""), kb=ctx.kb)
        if again.kind == reading.ITEM and _found(ctx, q.cities[0], again.items):
            # "枣庄有没有政府购买的居家养老服务" (a measure there) then "济宁呢": the item of 济宁's list
            return dataclasses.replace(again, cities=q.cities, personal=False)
        return dataclasses.replace(q, kind=reading.POLICY, text=topic.get("text", ""))
    if (
        q.kind == reading.POLICY
        and kind == reading.ITEM
        and topic.get("items")
        and not q.items
        and not q.entities
        and _THIS_MONEY_RE.search(q.text)
    ):  # "那这个钱是县里定还是市里定 从啥时候开始有的" after an item: the item's whole entry (who sets it, since when)
        return dataclasses.replace(
            q, kind=reading.ITEM, aspect=reading.ABOUT, items=tuple(topic["items"]), items_named=True
        )
    if _continues_policy(q, topic):
        # "面积有要求没", "2024年出的三年行动方案又是怎么定的", "这个期限过了吗": the same measure, asked further
        return dataclasses.replace(
            q,
            kind=reading.POLICY,
            items=(),
            text=topic.get("text", "") + " " + q.text,
            fallback=reading.UNCLEAR,
            cities=q.cities or tuple(topic.get("cities") or ()),  # "谁牵头" after 枣庄's: still 枣庄's
        )
    if only_facts:
        return dataclasses.replace(q, kind=reading.ENTITLEMENTS if q.kind != reading.DONT_KNOW else reading.UNCLEAR)
    if (
        q.kind in (reading.ENTITLEMENTS, reading.ITEM)
        and not q.items
        and kind == reading.ENTITLEMENTS
        and _THIS_MONEY_RE.search(q.text)
        and reading.aspect_of(q.text) in (reading.CONDITIONS, reading.APPLY)
    ):  # "这个钱得到多大岁数才能领" after a person's answer: the cash items just said, asked about
        said = family.cash_items_answered(ctx, bool(topic.get("everyone")))
        if said:
            return dataclasses.replace(
                q, kind=reading.ITEM, aspect=reading.aspect_of(q.text), items=said, personal=True
            )
    if (
        q.kind == reading.ENTITLEMENTS
        and kind == reading.ITEM
        and topic.get("items")
        and not _told(q)
        and ctx.age is None
        and not q.also
    ):  # "每多活一岁能多多少" after an item, of no one in particular: the item, not a question of age
        return dataclasses.replace(
            q,
            kind=reading.ITEM,
            aspect=reading.aspect_of(q.text),
            items=tuple(topic["items"]),
            items_named=bool(topic.get("named")),
        )
    if (
        q.kind == reading.ENTITLEMENTS
        and kind == reading.ITEM
        and topic.get("items")
        and not q.personal
        and reading.aspect_of(q.text) == reading.CONDITIONS
    ):  # "谁能享受" after an item: its conditions, not everything someone gets
        return dataclasses.replace(
            q,
            kind=reading.ITEM,
            aspect=reading.CONDITIONS,
            items=tuple(topic["items"]),
            items_named=bool(topic.get("named")),
        )
    if (
        kind == reading.COMPARE
        and topic.get("cities")
        and not q.items
        and not q.cities
        and not _told(q)
        and reading.compares(q.text)
    ):  # "差多少" after two cities' item side by side: the same comparison (its part too), with the difference
        again = reading.read_question(f"{topic.get('text', '')} {q.text}", kb=ctx.kb)
        return dataclasses.replace(
            again, kind=reading.COMPARE, items=tuple(topic.get("items") or ()), cities=tuple(topic["cities"])
        )
    if q.kind == reading.WHY_NOT and not q.items and topic.get("items"):  # "为啥没个具体数"
        return dataclasses.replace(q, items=tuple(topic["items"]), items_named=bool(topic.get("named")))
    if q.kind == reading.ITEM and q.items and q.aspect in (reading.AMOUNT, reading.ABOUT):
        # "低保老人补贴和高龄津贴各多少": the group's own cash item beside the item named
        extra = [name for name in _group_money_named(q, ctx) if name not in q.items and _may_hold(ctx, name)]
        if extra:
            return dataclasses.replace(q, items=tuple(extra[: max(0, 3 - len(q.items))]) + tuple(q.items))
    if q.kind == reading.ITEM and not q.items:
        if (
            topic.get("items")
            and q.aspect == reading.AMOUNT
            and _MONEY_GOT_RE.search(q.text)
            and not _SUBSIDY_OF_IT_RE.search(q.text)  # "能给补多少钱" after 适老化改造: that service's subsidy
            and _person_facts_known(ctx)
            and not any(i.kind == "cash" for i in _found(ctx, topic.get("city") or ctx.city or "", topic["items"]))
        ):  # "每月有多少钱" after services (探访, 委托): the person's money, not a service's price
            return dataclasses.replace(q, kind=reading.ENTITLEMENTS, aspect=reading.ABOUT, items=(), personal=True)
        groups = _group_money_named(q, ctx)
        if groups and not set(groups) & set(topic.get("items") or ()):
            # "那低保老人那份补贴又找谁" after another item: the group's own cash item, not the one just said
            return dataclasses.replace(q, items=groups, personal=True)
        if topic.get("items"):
            return dataclasses.replace(
                q,
                items=tuple(topic["items"]),
                personal=q.personal or kind != reading.ITEM,
                items_named=bool(topic.get("named")),
            )
        if q.aspect not in (reading.APPLY, reading.AGENCY) and _person_facts_known(ctx):
            return dataclasses.replace(q, kind=reading.ENTITLEMENTS)
    return q


_GROUP_MONEY_RE = re.compile(r"(?:老人|老年人|户|对象|人员)?的?(?:那|这)?(?:份|个|笔|项)?(?:补贴|补助|津贴|钱)")


def _may_hold(ctx: Context, name: str) -> bool:
    """Whether the person (if one is known) holds the item ("低保老人补贴" of someone not known to be 残疾 is not
    困难残疾人生活补贴)."""
    p = ctx.profile
    if p is None or p.age is None:
        return True
    return any(judge_item(ctx.kb, p, item).holds for item in lookup_item(ctx.kb, p.city, name))


def _group_money_named(q: reading.Question, ctx: Context) -> Tuple[str, ...]:
    """ "低保老人那份补贴": the cash items of the group named right before a word for money, in the person's city;
    not a status said of someone ("她也是低保")."""
    city = q.cities[0] if q.cities else ctx.city
    if not city:
        return ()
    named = [
        e
        for e in q.entities
        if e.entity == "status"
        and _GROUP_MONEY_RE.match(q.text, e.end)
        and not q.text[max(0, e.start - 2) : e.start].endswith(("是", "也"))
    ]
    if not named:
        return ()
    # 低保 is 经济困难 (regions.yml implies): 聊城's 经济困难老年人补贴 is the 低保 elder's money too
    held = implied_statuses(ctx.kb, frozenset(str(e.value) for e in named))
    own = brief.group_items(ctx.kb.items[city], held)
    return tuple(i.name for i in own if i.kind == "cash")


def _agencies_of_answer(q: reading.Question, ctx: Context, topic: Optional[Dict[str, Any]]) -> Optional[Reply]:
    """ "这些钱都找哪个部门", "去哪申请" after an answer or a sum: each cash item said, with its lead agency and
    source (and where to apply)."""
    topic = topic or {}
    if not (
        q.kind == reading.ITEM
        and not q.items
        and q.aspect in (reading.AGENCY, reading.APPLY)
        and topic.get("kind") == reading.ENTITLEMENTS
        and not topic.get("items")
        and ctx.city
    ):
        return None
    # what the reply before named (a difference: 满80周岁时新增高龄津贴), else the cash items of the answer
    names = tuple(topic.get("said") or ()) or family.cash_items_answered(ctx, bool(topic.get("everyone")))
    items = _meant(q, _found(ctx, ctx.city, names), ctx)
    if not items:
        return None
    if q.aspect == reading.APPLY:
        return Reply("\n".join([brief.APPLY_HEAD] + [brief.item_apply(i, kb=ctx.kb) for i in items]), topic=topic)
    # each item with the person's figures when the whole answer is listed ("这几样钱一样一样说"); not for a sum of
    # several people (their figures differ) nor for one item singled out
    held = _parts_held(ctx) if len(items) >= 2 and not topic.get("everyone") else {}
    lines = [f"· {i.name}{held.get(i.id, '')}：{i.agency}【{brief.item_sources(i)}】" for i in items]
    return Reply("各项待遇的牵头部门：\n" + "\n".join(lines), topic=topic)


def _parts_held(ctx: Context) -> Dict[str, str]:
    """item id -> '（生活补贴200元/月、护理补贴80元/月）': what the person gets of it, so "这几样钱一样一样说"
    names each one with its figure."""
    if ctx.profile is None or ctx.profile.age is None:
        return {}
    out = {}
    for e in evaluate(ctx.kb, ctx.profile).items:
        parts = [
            f"{'' if p.name == e.name else p.name}{'不低于' if p.minimum else ''}{brief.yuan(p.amount)}/月"
            for p in e.parts
            if p.amount is not None and p.unit == YUAN
        ]
        if parts:
            out[e.item.id] = f"（{'、'.join(parts)}）"
    return out


# Two characters of a message that name no item of their own ("那个补贴找谁": 补贴 is every item's word)
_PLAIN_PAIRS = frozenset(
    ("补贴", "服务", "老年", "老人", "部门", "哪个", "这个", "那个", "找谁", "负责", "申请", "谁发")
)


# "这是哪个文件规定的？什么时候发的？", "照着省里哪个文件定的": the document of what was just answered
_WHICH_DOCUMENT_RE = re.compile(
    r"哪个文件|什么文件|啥文件|哪份文件|哪个规定|依据(?:是)?(?:啥|什么|哪)|照着\S{0,6}文件|根据\S{0,4}(?:哪个|什么|啥)"
    r"|(?:文件|规定|政策)\S{0,4}(?:啥时候|什么时候|哪年|几时)(?:发|出|印发|下发|出台|定)"
    r"|(?:啥时候|什么时候|哪年)(?:发|出|印发|下发|出台)的"
)


def _documents_of_answer(q: reading.Question, ctx: Context, topic: Dict[str, Any]) -> Optional[Reply]:
    """The items just answered, each with the document and item it comes from and the day that was issued."""
    if not _WHICH_DOCUMENT_RE.search(q.text) or topic.get("kind") not in (reading.ITEM, reading.ENTITLEMENTS):
        return None
    if _FIGURE_ASKED_RE.search(q.text):  # "到2026年一共要改多少户？是哪个文件定的？": a measure's, searched as such
        return None
    city = topic.get("city") or ctx.city
    names = list(q.items) or list(topic.get("items") or ()) or list(family.cash_items_answered(ctx, False))
    items = _found(ctx, city, names) if city and names else []
    if not items:
        return None
    # with its lead agency, as every item stated ("这个归哪个部门管哪个文件上说的" asks both)
    lines = [
        f"· {i.name}（牵头部门：{i.agency}）：{brief.item_sources(i)}" + (f"（{i.proviso}）" if i.proviso else "")
        for i in items[:4]
    ]
    docs = list(dict.fromkeys(i.source.doc for i in items[:4]))
    lines += [f"{d.number}即《{d.title}》，{_day(d.date)}印发。" for d in docs]
    return Reply("依据的文件：\n" + "\n".join(lines), topic=topic)


_DOCUMENT_KIND_RE = re.compile("|".join(documents_text.KINDS))
_DOCUMENT_ASKED_RE = re.compile(
    r"哪个文件|什么文件|啥文件|哪份文件|文号|(?:哪天|哪一天|啥时候|什么时候|哪年)(?:发|印发|出|出台|下发|公布|发布|定)"
    r"|多少项|(?<!第)几项|管到|到哪一?年|有效期|还管用|还有效|还算数"
)  # of the document itself, not of what it sets ("清单里的补贴什么时候能领")


def _documents_named(q: reading.Question, ctx: Context) -> Optional[str]:
    """ "济宁的基本养老服务清单是哪个文件发的 哪天发的 一共多少项", "三年行动方案管到哪一年": the document itself,
    not a measure in it."""
    kind = _DOCUMENT_KIND_RE.search(q.text)
    if kind is None or not _DOCUMENT_ASKED_RE.search(q.text) or any(q.has(e) for e in ("relation", "age", "item")):
        return None
    if _FIGURE_ASKED_RE.search(re.sub(r"多少项|几项", "", q.text)):  # "…方案里到2026年要建多少": a measure's figure
        return None
    cities = list(q.cities) or ([ctx.city] if ctx.city else list(ctx.kb.cities))
    text = documents_text.documents_text(ctx.kb, cities, documents_text.KINDS[kind.group(0)], today())
    return "依据的文件：\n" + text if text else None


def _day(iso: str) -> str:
    year, month, day = (int(x) for x in iso.split("-"))
    return f"{year}年{month}月{day}日"


def _meant(q: reading.Question, items: List[Item], ctx: Context) -> List[Item]:
    """Of the items just answered, those the message singles out: by a group it names ("低保那个补贴": the item for
    低保) or by a word of an item's name ("他的供养": 集中供养, even among the services); else all of them."""
    statuses = q.statuses
    pool = items
    if ctx.profile is not None and ctx.age is not None:
        pool = items + [e.item for e in evaluate(ctx.kb, ctx.profile).items if e.item not in items]
    core = reading.core_of(q.text)
    pairs = {core[i : i + 2] for i in range(len(core) - 1)} - _PLAIN_PAIRS
    for candidates in (items, pool):
        by_group = [i for i in candidates if statuses and brief.names_a_status(i.cond, statuses)]
        by_name = [i for i in candidates if any(p in i.name for p in pairs)]
        if by_group or by_name:
            return list(dict.fromkeys(by_group + by_name))
    return items


_MONEY_ASKED_RE = re.compile(r"钱|补贴|补助|奖补|资助|给多少|多少元|几块")
_SUBSIDY_OF_IT_RE = re.compile(r"给补|补多少|补贴多少|补助多少|能补")
_MONEY_GOT_RE = re.compile(r"(?:有|领|给|发|拿|补|补贴|补助)(?:了)?多少钱?|几个钱|多少补贴|多少补助")
# "满多少岁开始有", "几岁能领": the ages from which an item starts or changes
_THRESHOLD_ASKED_RE = re.compile(r"多少岁|几岁|多大岁数|多大年纪|多大年龄|什么年龄|哪个年龄|多少周岁")
# "这个钱", "这些补贴": the money of the answer just given
_WHEN_RE = re.compile(r"什么时候|啥时候|何时|哪年")
_HUKOU_ASKED_RE = re.compile(
    r"(?:要求|需要|得是|必须)\S{0,4}(?:本地|本市)?(?:户口|户籍)|(?:户口|户籍)\S{0,6}(?:要求|限制)"
)
_WORTH_RE = re.compile(r"划算|合算|实惠|吃亏|哪个(?:钱)?多|哪样(?:钱)?多")  # "集中供养划算还是分散供养划算"
# waiting, or who is taken in ("人家收不收")
_QUEUE_ASKED_RE = re.compile(r"排队|轮候|等多久|等多长|要等|收不收|收吗|让不让进|能不能进|能进不|给进不")
_CONTENT_ASKED_RE = re.compile(r"包括|包含|都有啥|都有什么|管不管|管啥|管什么|内容")


def _content_asked(q: reading.Question) -> bool:
    """How to apply asked with who is taken in or what it holds ("要排队不", "人家收不收", "都包括啥")."""
    return q.aspect == reading.APPLY and bool(_QUEUE_ASKED_RE.search(q.text) or _CONTENT_ASKED_RE.search(q.text))


_CORRECTED_RE = re.compile(r"[说弄搞记写]错|不对|不是\S{1,8}?是")  # "弄错了 他不是阳谷的是枣庄山亭的"
_THIS_MONEY_RE = re.compile(r"(?:这|那)(?:个|些|笔|份)?(?:钱|补贴|补助|津贴)")
_PERSON_FACTS = ("age", "status", "not_status", "ability_grade", "disability_grade", "relation")


_MONEY_RE = re.compile(r"给钱|发钱|领钱|多少钱|现金|补贴|津贴")


def _after_a_rule(q: reading.Question, ctx: Context, topic: Dict[str, Any]) -> bool:
    """A message after a rule for everyone that is about no one in particular and names no item."""
    return bool(topic.get("rule")) and ctx.age is None and not q.personal and not q.items


def _asks_rule_money(q: reading.Question, ctx: Context, topic: Dict[str, Any]) -> bool:
    """After a rule for everyone, a message about money that names no one, no age and no group: that rule's cash."""
    return _after_a_rule(q, ctx, topic) and not q.entities and q.rule_age is None and bool(_MONEY_RE.search(q.text))


def _continues_rule(q: reading.Question, ctx: Context, topic: Dict[str, Any]) -> bool:
    """A message that asks the rule for everyone just answered of another age or group, no one in particular."""
    return (
        _after_a_rule(q, ctx, topic)
        and not q.has("relation")
        and q.kind in (reading.POLICY, reading.UNCLEAR, reading.FACTS, reading.ENTITLEMENTS, reading.OUT_OF_SCOPE)
        and (q.rule_age is not None or (bool(q.statuses) and not q.has("age")))
    )


# "啥时候建立这个制度的", "县里定还是市里定", "现在还算数不 以后会不会变": the measure behind the item just said
_MEASURE_OF_IT_RE = re.compile(
    r"制度|建立|县里定|市里定|谁定的?|哪级定|从啥时候|从什么时候|什么时候开始|啥时候开始|啥时候有的|"
    r"算数|还有效|有效期|会不会变|会变|调整|出台|定的标准|"
    r"计划|目标|多少户|几户|多少张|几张|多少所|覆盖率|改多少|建多少|要建|要改"  # "全市计划改多少户": its target
)


def _measure_of_item(q: reading.Question, ctx: Context, topic: Dict[str, Any]) -> Optional[Reply]:
    """After an item's answer, a question about the measure that set it up (when, by whom, whether it still
    holds), naming no item or fact of a person: the policy facts of the item's city found with the item's name."""
    items = list(topic.get("items") or [])
    city = topic.get("city") or ctx.city
    if not (
        items
        and city
        and topic.get("kind") in (reading.ITEM, reading.ENTITLEMENTS)
        and _MEASURE_OF_IT_RE.search(q.text)
        and not q.has("item")
        and not _told(q)
        and not any(e.entity == "relation" for e in q.entities)
    ):
        return None
    subject = f"{items[0]} {q.text}"
    if fact_match_score(ctx.kb, subject, city) < reading.POLICY_SCORE:
        return None
    measure = dataclasses.replace(q, kind=reading.POLICY, text=subject, cities=(city,), fallback=reading.ITEM)
    reply = _policy(measure, ctx, topic, own_city=True)
    return reply if reply.text else None


def _continues_policy(q: reading.Question, topic: Dict[str, Any]) -> bool:
    """After a policy answer, a message that names no item, no person's facts and at most one city asks further
    about the same measure."""
    # "谁能享受" of a measure asks its conditions, not what a person gets
    # "具体有哪些" of a measure: its contents, not what a person gets
    who_may = q.kind == reading.ENTITLEMENTS and not q.personal and not q.cities and not _told(q)
    return (
        topic.get("kind") == reading.POLICY
        and (
            q.kind in (reading.POLICY, reading.ITEM, reading.UNCLEAR, reading.OUT_OF_SCOPE, reading.WHY_NOT) or who_may
        )
        and not q.has("item")
        and not any(e.entity in _PERSON_FACTS for e in q.entities)
        and len(q.cities) <= 1
    )


def _told(q: reading.Question) -> bool:
    return any(
        e.entity in ("age", "status", "not_status", "ability_grade", "disability_grade", "city", "county")
        for e in q.entities
    )


# --- everything a person gets -----------------------------------------------------------------------


def _missing_basics(ctx: Context, q: reading.Question) -> Optional[Reply]:
    if ctx.profile is None:
        return Reply(ASK_CITY, topic=_topic(q, ctx), asked="city")
    if ctx.age is None:
        # "我爸在曲阜 低保 每个月能领多少": the status's money by age first, each tier with its agency; then the
        # one question (without a status, the question alone: "那我妈呢" is about to be told)
        statuses = ctx.profile.statuses
        tiers = brief.tiers_by_age(ctx.kb, ctx.profile.city, statuses) if statuses else []
        # "聊城家里有失能老人政府都有啥政策": the measures for a status, which need no age (长期护理保险)
        measures = family.measures_text(ctx, ctx.profile.city, sorted(statuses))
        lines = tiers + ([measures] if measures else []) + [ASK_AGE]
        return Reply("\n".join(lines), topic=_topic(q, ctx), asked="age")
    return None


def _economic_question(ctx: Context, answer_hints: Sequence[Any]) -> Optional[str]:
    p = ctx.profile
    if p is None or ctx.economic_unsure or _economic_known(p) or (p.age is not None and p.age < 60):
        return None
    if p.statuses:  # "失独", "烈士遗属": the family said what the person's situation is; the hints say what 低保 adds
        return None
    person = ctx.household.person
    if person is not None and "economic" in person.asked:  # asked once; not again after a correction
        return None
    # worth a question only where 低保/特困 would add a figure (a centenarian's 按鲁政发〔2011〕54号 adds none)
    decides = any(n in ECONOMIC and h.amount_yuan_per_month is not None for h in answer_hints for n in h.needs)
    return ASK_ECONOMIC if decides else None


_FAMILY_GROUP_RE = re.compile(r"计划生育特殊家庭|计生特殊家庭|计划生育家庭|计生家庭")


# the group's name heard by sound too ("计话生育特殊家庭"), as the vocabulary is (bot/nlu/phonetic.py)
_FAMILY_GROUP_SOUND = phonetic.build_index([("计划生育特殊家庭", "topic", "计划生育特殊家庭")], phonetic.EMPTY_DATA)


def _family_group(text: str) -> FrozenSet[str]:
    """ "计划生育特殊家庭的老人": the group of both family statuses (a child lost, a child disabled), as the lists
    say it; said of one person it decides neither, so only a rule for a group reads it."""
    said = _FAMILY_GROUP_RE.search(text) or _FAMILY_GROUP_RE.search(phonetic.respell(text, _FAMILY_GROUP_SOUND))
    return frozenset(reading.FAMILY_STATUSES) if said else frozenset()


_BY_GROUP_RE = re.compile(r"按人群|分人群|各类人群|按类别|分类说")


# "老人都有啥政策", "所有老人", "总的说说": every elder of the city, even after someone's own answer
_ALL_ELDERS_RE = re.compile(r"(?:老人|老年人)们?都|所有的?老(?:人|年人)|全部老(?:人|年人)|总的|总体上?")


def _everyone_asked(q: reading.Question) -> bool:
    return (
        not q.personal
        and q.rule_age is None  # "80岁以上的老人都有啥": that age's rule
        and reading.for_everyone(q.text)
        and bool(_ALL_ELDERS_RE.search(q.text))
        and not any(q.has(e) for e in ("age", "relation", "item"))
    )


def _entitlements(q: reading.Question, ctx: Context) -> Reply:
    if _BY_GROUP_RE.search(q.text) and ctx.profile is not None and not q.has("relation"):
        # "枣庄的老人都能享受啥政策 按人群给俺说说 六十的八十的低保的都有啥": every group of the city
        return Reply(brief.group_text(ctx.kb, ctx.profile.city), topic={**_topic(q, ctx), "rule": True})
    if (
        q.rule_age is None
        and ctx.age is None
        and not q.personal
        and (reading.for_everyone(q.text) or q.has("status") or _family_group(q.text))
        and ctx.profile is not None
    ):
        # "聊城老年人有什么优待", "枣庄的困难老人都有哪些补贴", "枣庄的老退伍军人有哪些服务": every group of the city
        # (or the one named, with what is its own), each item with its figures by age, and an offer to work out
        # one person
        # "那残疾老人呢" after 特困's: the group this message names; "计划生育特殊家庭" is both of its statuses
        statuses = (q.statuses | _family_group(q.text)) or ctx.profile.statuses
        return Reply(brief.group_text(ctx.kb, ctx.profile.city, statuses), topic={**_topic(q, ctx), "rule": True})
    if _everyone_asked(q) and ctx.profile is not None:
        # "那聊城的老人都有啥政策总的给俺说说" after a person's answer: the city's rules for everyone, not theirs again
        city = q.cities[0] if q.cities else ctx.profile.city
        statuses = q.statuses | _family_group(q.text)
        return Reply(brief.group_text(ctx.kb, city, statuses), topic={**_topic(q, ctx), "city": city, "rule": True})
    if q.rule_age is not None and ctx.age is None and ctx.profile is not None:
        # "65岁以上的老人在济宁有哪些服务": the rule for that age, no personal question
        profile = dataclasses.replace(ctx.profile, age=q.rule_age)
        answer = evaluate(ctx.kb, profile)
        older = [line for changes in every_birthday_ahead(ctx.kb, profile) for line in brief.change_lines(changes)]
        text = brief.money_first(answer, f"{q.rule_age}周岁及以上老年人", offer_detail=False)
        # "济宁呢" next: the same age's rule in the other city
        return Reply("\n".join([text] + older), topic={**_topic(q, ctx), "rule_age": q.rule_age, "rule": True})
    missing = _missing_basics(ctx, q)
    if missing:
        return missing
    assert ctx.profile is not None
    answer = evaluate(ctx.kb, ctx.profile)
    # "明年满65能多啥": the next birthday that changes anything, services too; else money within two years
    changes = ahead(ctx.kb, ctx.profile, 10 if q.ahead else LOOK_AHEAD_YEARS)
    if ctx.detail:
        text = render.answer_text(answer, who=ctx.who)
        text += "".join("\n" + line for line in brief.change_lines(changes, services=q.ahead))
    elif q.ahead:
        # "明年八十 到时候一个月多少": that birthday beside today's (with its new total) first, then today's answer;
        # "过了生日能多领多少" after their answer was shown: that birthday alone, not the whole list again
        birthday = family.next_birthday(q, ctx, min(c.age for c in changes)) if changes else None
        person = ctx.household.person
        if birthday is not None and person is not None and person.shown:
            return birthday
        head = [birthday.text] if birthday is not None else brief.change_lines(changes, services=True)
        text = "\n".join(head + [brief.money_first(answer, ctx.who)])
    else:
        both = all(word in q.text for word in ("低保", "特困"))  # the assumption matters to this question
        text = brief.money_first(
            answer, ctx.who, changes, services_as=family.same_services_as(ctx, answer), say_assumptions=both
        )
        begins = "" if changes else _first_money_ahead(ctx, answer)
        if begins and "\n依据：" in text:
            before, _, basis = text.partition("\n依据：")
            text = f"{before}\n{begins}\n依据：{basis}"
    ask = None if q.ahead else _economic_question(ctx, answer.hints)  # "明年满65能多啥": asked about the age
    if ask:
        text += "\n" + ask
    return Reply(_by_registration(q, ctx) + text, topic=_topic(q, ctx), asked="economic" if ask else None)


def _by_registration(q: reading.Question, ctx: Context) -> str:
    """ "不过他户口还在聊城冠县没迁过来" after a 兖州 answer: the answer is by the 户口's place, and says so; only
    where the person was said to live elsewhere (before, or in the same message)."""
    where = registration.registered_at(q)
    p = ctx.profile
    if where is None or p is None or where not in (p.county, p.city):
        return ""
    before = ctx.household.before or {}
    elsewhere = [str(e.value) for e in q.entities if e.entity in ("city", "county") and str(e.value) != where]
    moved = before.get("city") not in (None, p.city) or before.get("county") not in (None, p.county)
    if not (moved or any(w not in (p.city, p.county) for w in elsewhere)):
        return ""
    return f"按户籍所在地（{where}）的政策回答：\n"


def _first_money_ahead(ctx: Context, answer: Any) -> str:
    """Someone with no money of their own yet ("77 不是低保 每月有没有补贴"): the birthday their first cash item
    begins, by name and agency (【满80周岁起可享受】高龄津贴（市卫生健康委）), so the answer is not a bare 无. No
    figure: one years off reads as theirs today to some."""
    assert ctx.profile is not None
    if any(e.item.kind == "cash" and not brief.everyones(e.item) for e in answer.items):
        return ""
    steps = every_birthday_ahead(ctx.kb, ctx.profile)
    first = next((step for step in steps if any(c.item.kind == "cash" for c in step)), [])
    if not first or first[0].age - (ctx.profile.age or 0) > FIRST_MONEY_YEARS:
        return ""
    names = dict.fromkeys(f"{c.item.name}（{c.agency}）" for c in first if c.item.kind == "cash")
    return f"【满{first[0].age}周岁起可享受】" + "、".join(names)


def _several(q: reading.Question, ctx: Context) -> Reply:
    topic = _topic(dataclasses.replace(q, kind=reading.ENTITLEMENTS, aspect=reading.ABOUT, items=()), ctx)
    if ctx.profile is None:
        return Reply(ASK_CITY, topic=topic, asked="city")
    blocks = []
    for i, person in enumerate(q.people, 1):
        profile = dataclasses.replace(ctx.profile, age=person.age)
        answer = evaluate(ctx.kb, profile)
        who = f"第{i}位" + (f"（您{person.relation}）" if person.relation else "")
        blocks.append(brief.money_first(answer, who, ahead(ctx.kb, profile, LOOK_AHEAD_YEARS), offer_detail=False))
    return Reply("\n\n".join(blocks), topic=topic)


def _ages(q: reading.Question, ctx: Context, ages: Sequence[int]) -> Reply:
    """Each age's money for the group asked about (city and statuses as said), then what changes from one age to
    the next: "70周岁：80元 … 80周岁：130元（高龄津贴30元＋生活补贴100元）；80周岁比70周岁：新增高龄津贴30元…"."""
    assert ctx.profile is not None
    group = "、".join(sorted(ctx.profile.statuses))
    answers = [evaluate(ctx.kb, dataclasses.replace(ctx.profile, age=a)) for a in ages]
    lines = [f"{ctx.profile.city}{group}老年人按年龄（每月有金额的现金补贴）："]
    lines += [f"· {a}周岁：{brief.total_words(answer)}" for a, answer in zip(ages, answers)]
    if not any(e.item.kind == "cash" and not brief.everyones(e.item) for answer in answers for e in answer.items):
        lines = [f"{ctx.profile.city}{group}老年人："]  # "六十五往上又多了啥": services only, no empty money lines
    for (a, before), (b, after) in zip(zip(ages, answers), list(zip(ages, answers))[1:]):
        lines.append(brief.difference_text(difference(before, after), f"{b}周岁比{a}周岁", then=f"{a}周岁时"))
    topic = _topic(dataclasses.replace(q, kind=reading.ENTITLEMENTS), ctx)
    if ctx.age is None:  # a rule for everyone: "八十往上的呢" next is that age's
        topic = {**topic, "rule": True, "rule_age": max(ages)}
    return Reply("\n".join(lines), topic=topic)


def _detail(ctx: Context, topic: Optional[Dict[str, Any]]) -> Reply:
    if ctx.profile is None or ctx.age is None:
        return _missing_basics(ctx, reading.Question(reading.ENTITLEMENTS)) or Reply(response=NOT_UNDERSTOOD)
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
    return p is not None and (
        p.age is not None
        or bool(p.statuses)
        or bool(p.not_statuses)
        or p.ability_grade is not None
        or p.disability_grade is not None
    )


def _deciding_question(ctx: Context, unknown: Sequence[Any], aspect: str) -> Optional[tuple]:
    """The one unknown fact that decides the item for this person, as (question, slot). Who leads an item,
    how to apply and its conditions depend on no personal fact; 60 is every list's own floor."""
    if aspect in (reading.APPLY, reading.AGENCY, reading.CONDITIONS):
        return None
    for a in unknown:
        if isinstance(a, AgeAtMost) or (isinstance(a, AgeAtLeast) and a.years > 60):
            return ASK_AGE, "age"
    for a in unknown:
        if isinstance(a, HasStatus) and a.status in ECONOMIC and not ctx.economic_unsure:
            return ASK_ECONOMIC, "economic"
    return None


def _of_the_persons_group(q: reading.Question, ctx: Context) -> reading.Question:
    """ "护理补贴多少" of someone known to be 重残: their group's own item (重度残疾人护理补贴) first, then the
    护理补贴 of other items."""
    if ctx.profile is None or not ctx.profile.statuses:
        return q
    own = [
        name
        for e in q.entities
        if e.entity == "item"
        for name in reading.group_items_named(ctx.kb, sorted(ctx.profile.statuses), str(e.value))
    ]
    if not own or all(name in q.items for name in own):
        return q
    return dataclasses.replace(q, items=tuple(dict.fromkeys(own + list(q.items)))[:3])


def _item(q: reading.Question, ctx: Context) -> Reply:
    q = _of_the_persons_group(q, ctx)
    if not q.items and q.statuses and ctx.city:  # "街上有个流浪的老头该找谁": the group's own items
        own = [i.name for i in brief.group_items(ctx.kb.items[ctx.city], q.statuses)]
        if own:
            q = dataclasses.replace(q, items=tuple(own), personal=False)
    if not q.items:
        return (
            _policy(q, ctx, None)
            if q.aspect != reading.APPLY
            else Reply(
                brief.APPLY_HEAD
                + "请告诉我您想办理哪一项（如高龄津贴、经济困难老年人补贴），我告诉您由哪个部门牵头负责。",
                topic=_topic(q, ctx),
            )
        )
    # "她什么时候能领高龄津贴" of someone whose age is known: when she reaches it, not a measure's deadline
    when_of_hers = (
        _person_facts_known(ctx) and ctx.age is not None and not reading.names_a_measure(_WHEN_RE.sub("", q.text))
    )
    if q.policy_cue and not when_of_hers:
        policy = _policy(q, ctx, None, own_city=True)
        if policy.text:
            return policy
    city = q.cities[0] if q.cities else ctx.city
    cities = [city] if city else list(ctx.kb.cities)
    lines: List[str] = []
    ask: Optional[tuple] = None
    answered: List[str] = []
    changes: Optional[List[Any]] = None  # the person's next birthday that changes anything, computed once
    shown: List[Item] = []  # the items answered
    judged: List[Item] = []  # items judged for the person, and those they do not get
    refused: List[Item] = []
    for c in cities:
        items = _found(ctx, c, q.items)
        if not items:
            if city:
                # the city's own measures on it; not another city's measure as the answer ("枣庄有没有上门服务")
                policy = _policy(q, ctx, None, own_city=True)
                if policy.text:
                    return policy
                lines.append(brief.not_listed_text(ctx.kb, c, q.items))
                related = _related_items(ctx, c, q)
                if related:  # "聊城有没有（护理补贴）": what the city has instead, each with its agency and source
                    lines.append("相关的有：")
                    lines += [_item_line(ctx.kb, item, q.aspect) for item in related[:3]]
            continue
        for item in items[:2]:
            shown.append(item)
            part = _asked_part(q, item)
            answered.append(part or item.name)  # "枣庄一样吗" after 生活补贴 compares 生活补贴
            # someone in particular: named now, or an age said earlier in the conversation
            personal = (
                (q.personal or ctx.age is not None)
                and ctx.profile is not None
                and ctx.profile.city == c
                and not _ages_compared(q)
            )
            if not (personal and _person_facts_known(ctx)):  # "百岁的低保老人…": that age's tier of the rule
                lines.append(_item_line(ctx.kb, item, q.aspect, part, None if _ages_compared(q) else q.rule_age))
                if _content_asked(q):  # "咋申请 人家收不收": what the document says of who is taken in
                    lines.append(_content_line(item))
                if _THRESHOLD_ASKED_RE.search(q.text) and q.rule_age is None:
                    # "满多少岁开始有 / 满多少岁涨到60元": each age from which it starts or changes
                    floor = Profile(c, 60, frozenset(q.statuses))
                    for step in every_birthday_ahead(ctx.kb, floor):
                        lines += brief.change_lines([x for x in step if x.item.id == item.id])
                continue
            if q.aspect in (
                reading.APPLY,
                reading.AGENCY,
            ):  # how to apply, with what it means for this person when decided
                assert ctx.profile is not None
                verdict = judge_item(ctx.kb, ctx.profile, item)
                held = verdict.entitlement is not None and (
                    part is None or any(p.name == part for p in verdict.entitlement.parts)
                )
                if verdict.holds and held and ctx.profile.age is not None:
                    lines.append(brief.verdict_text(verdict, ctx.who))
                elif verdict.holds and part is not None:  # "护理补贴找谁" of someone not assessed: what it needs
                    figure = _one_figure(item, part)
                    then = f"，每月{brief.yuan(figure)}" if figure is not None else ""
                    lines.append(f"{ctx.who}目前没有{part}（{part}限{brief.part_needs(item, part)}{then}）。")
                if q.aspect == reading.APPLY and reading.asks_conditions(q.text):  # "咋申请要啥条件": both
                    lines.append(_item_line(ctx.kb, item, reading.CONDITIONS, part))
                lines.append(_item_line(ctx.kb, item, q.aspect, part))
                if _content_asked(q):  # "咋申请入住 要排队不": what the document says of it (建立公办养老机构轮候制度)
                    lines.append(_content_line(item))
                continue
            assert ctx.profile is not None
            if q.registered_elsewhere and registration.needs_registration(item):
                lines.append(_item_line(ctx.kb, item, reading.CONDITIONS, part))
                lines.append(
                    f"{ctx.who}户口不在{c}：“{item.name}”须{registration.condition_words(item)}，"
                    f"户口不在本市的不能按此项享受，具体可向{item.agency}咨询。"
                )
                continue
            if (
                (q.registered_elsewhere or _HUKOU_ASKED_RE.search(q.text))
                and item.name != _HUKOU_ITEM
                and registration.says_nothing(item)
            ):
                # "户口在江苏…枣庄的高龄津贴要求本地户口吗": the document says nothing of it; say so, not yes or no
                lines.append(_item_line(ctx.kb, item, reading.CONDITIONS, part))
                lines.append(
                    f"{c}的文件对“{item.name}”没有写明户籍要求，户口不在本市能否享受请向{item.agency}咨询"
                    f"【{brief.item_sources(item)}】。"
                )
                continue
            if changes is None:
                changes = ahead(ctx.kb, ctx.profile, 30)
            line, decided, question = _for_person(ctx, ctx.profile, item, part, q.aspect, changes)
            if decided and q.aspect == reading.CONDITIONS:  # "多大岁数才能领": the rule, then the person
                lines.append(_item_line(ctx.kb, item, q.aspect, part, statuses=ctx.profile.statuses))
            judged.append(item)
            if judge_item(ctx.kb, ctx.profile, item).holds is False:
                refused.append(item)
            if (
                not decided
            ):  # the person's tier is not known yet: the whole rule (of their status), then what decides it
                lines.append(_item_line(ctx.kb, item, q.aspect, part, statuses=ctx.profile.statuses))
            lines.append(line)
            if _CONTENT_ASKED_RE.search(q.text) and item.kind == "cash" and not brief.states_a_figure(item):
                # "分散供养都包括啥 生病了管不管": what the item provides, in the document's words
                lines.append(_content_line(item))
            if decided:  # an item not yet held already says in its own line when it begins
                years = 10 if q.ahead else LOOK_AHEAD_YEARS
                lines += brief.change_lines(
                    [x for x in changes if x.item.id == item.id and x.age - (ctx.profile.age or 0) <= years]
                )
            ask = ask or question
    if not lines:
        return _policy(q, ctx, None)
    if refused and len(refused) == len(judged):
        lines += _instead(ctx, refused)
        if ctx.profile is not None and ctx.age is not None and any(i.kind == "cash" for i in refused):
            # "不是低保…能拿护理补贴不": no, and the money they do have (高龄津贴 30元)
            now = evaluate(ctx.kb, ctx.profile)
            if now.monthly_total_yuan or any(e.item.kind == "cash" and not brief.everyones(e.item) for e in now.items):
                lines.append(f"{ctx.who}现在每月可领：{brief.total_words(now)}。")
    if (
        (q.aspect == reading.AMOUNT or _MONEY_GOT_RE.search(q.text) or _WORTH_RE.search(q.text))
        and shown
        and not any(brief.states_a_figure(i) or "元" in i.text for i in shown)
    ):  # "资助标准是多少" of a service: the document names no sum; say so rather than let a reader guess
        lines.append(f"文件未列具体金额，标准以当地规定为准，可向{shown[0].agency}咨询。")
    if q.aspect == reading.APPLY:
        lines.insert(0, brief.APPLY_HEAD)
    if ask:
        lines.append(ask[0])
    # the part word asked stays in the topic even where this city's item has no such part ("聊城的低保老人有没有
    # 护理补贴" then "济宁呢": 济宁's 护理补贴, not its whole item)
    parts_named = [str(e.value) for e in q.entities if e.entity == "item" and e.value not in ctx.kb.item_names]
    said = tuple(dict.fromkeys(answered + parts_named)) or q.items
    return Reply("\n".join(lines), topic=_topic(dataclasses.replace(q, items=said), ctx), asked=ask[1] if ask else None)


def _instead(ctx: Context, refused: Sequence[Item]) -> List[str]:
    """ "不是低保 能有护理补贴吗" of a 失能 person: no, and what their own group has that they do get."""
    p = ctx.profile
    if p is None or not p.statuses:
        return []
    own = [
        i
        for i in brief.group_items(ctx.kb.items[p.city], p.statuses)
        if i not in refused and judge_item(ctx.kb, p, i).holds
    ]
    if not own:
        return []
    said = "、".join(sorted(p.statuses))
    return [f"{ctx.who}（{said}）可以关注：", *[brief.rule_line(i) for i in own[:3]]]


def _related_items(ctx: Context, city: str, q: reading.Question) -> List[Item]:
    """What a city has where its list lacks the item asked: the item another list holds it in (护理补贴 is a
    part of 经济困难老年人补贴), then the city's items for the group named (失独: 探访关爱, 委托服务)."""
    found: List[Item] = []
    for other in ctx.kb.cities:
        if other != city:
            for item in _found(ctx, other, q.items):
                found += [i for i in lookup_item(ctx.kb, city, item.name) if i not in found]
    if q.statuses:
        found += [i for i in brief.group_items(ctx.kb.items[city], q.statuses) if i not in found]
    return found


def _ages_compared(q: reading.Question) -> bool:
    """ "低保老人生活补贴八十五岁给多少九十五岁给多少": two ages each asked about: the rule with every tier answers
    it, not the verdict for one of them. ("打错了，她86，不是68" asks about no age: a correction.)"""
    return not q.people and len(_AGE_ASKED_RE.findall(q.text)) >= 2


def _item_line(
    kb: KB,
    item: Item,
    aspect: str,
    part: Optional[str] = None,
    age: Optional[int] = None,
    statuses: FrozenSet[str] = frozenset(),
) -> str:
    if aspect == reading.APPLY:
        return brief.item_apply(item, kb=kb)
    if aspect == reading.AGENCY:
        return brief.item_agency(item)
    return brief.item_rule(item, part=part, content=aspect == reading.CONDITIONS, age=age, statuses=statuses)


def _asked_part(q: reading.Question, item: Item) -> Optional[str]:
    """The part of an item a question names (护理补贴 of 经济困难老年人补贴), if any."""
    named = {e.value for e in q.entities if e.entity == "item"} | set(q.items)
    return next((p.name for p in item.parts if p.name != item.name and p.name in named), None)


def _age_dependent(item: Item, part_name: str) -> bool:
    return brief.goes_by_age(next(p for p in item.parts if p.name == part_name))


def _for_person(
    ctx: Context, profile: Profile, item: Item, part: Optional[str], aspect: str, changes: Sequence[Any] = ()
) -> Tuple[str, bool, Optional[tuple]]:
    """(what the item means for this person, whether their tier is decided, the one question that decides
    it). An unknown age is read as at least 60, every list's floor, so "俺娘低保，护理补贴多少" is answered;
    an age-tiered amount then stays open."""
    floor = profile.age is None
    judged = dataclasses.replace(profile, age=60) if floor else profile
    v = judge_item(ctx.kb, judged, item)
    age_open = floor and any(isinstance(a, (AgeAtLeast, AgeAtMost)) for a in v.failing)
    if v.holds and v.entitlement is not None:
        parts = [x for x in v.entitlement.parts if part in (None, x.name)]
        if part is not None and not parts:
            needs = brief.part_needs(item, part)
            if floor or any(a in v.unknown for a in _part_atoms(item, part)):
                # "低保老人的护理补贴" of someone whose grade is not known: what it depends on
                return f"{ctx.who}能否享受“{part}”取决于：{needs}。", False, None
            # "能力评估1级，有护理补贴吗": the item holds, the part asked does not; what it needs, what they get
            got = brief.verdict_text(v, ctx.who)
            return f"{ctx.who}目前不符合“{part}”：需{needs}。{got}", True, None
        known = [x for x in parts if not (floor and _age_dependent(item, x.name))]
        if parts and not known:
            # AgeAtLeast(61): "an age above the floor" decides it
            return f"{ctx.who}的标准按年龄而定（见上）。", False, _deciding_question(ctx, [AgeAtLeast(61)], aspect)
        e = dataclasses.replace(v.entitlement, parts=tuple(known)) if item.parts else v.entitlement
        text = brief.verdict_text(dataclasses.replace(v, entitlement=e), ctx.who)
        if floor and len(known) < len(parts):
            text += "（其余部分按年龄而定，见上）"
        return text, not (floor and len(known) < len(parts)), None
    if v.holds is False and not age_open:
        return brief.verdict_text(v, ctx.who, changes, profile.age), False, None
    unknown = [a for a in condition_atoms(item.cond) if a in v.unknown]
    depends = [describe_atom(a) for a in unknown] + (["年龄"] if age_open else [])
    text = f"{ctx.who}能否享受{item.city}的“{item.name}”取决于：{'、'.join(depends) or '相关条件'}。"
    return text, False, _deciding_question(ctx, unknown + ([AgeAtLeast(61)] if age_open else []), aspect)


def _age_tiers(ctx: Context) -> Optional[Reply]:
    """The person's cash items whose amount goes by age, each with its tiers, what the person has now and what
    the next birthday that changes it brings."""
    assert ctx.profile is not None
    answer = evaluate(ctx.kb, ctx.profile)
    lines = []
    for e in answer.items:
        for p in e.parts:
            if e.item.kind == "cash" and _age_dependent(e.item, p.name):
                now = f"{brief.yuan(p.amount)}/月" if p.amount is not None else "文件未列金额"
                lines.append(
                    f"{e.item.city}的{p.name}按年龄分档：{brief.standard_text(e.item, p.name)}"
                    f"（{e.item.agency}【{brief.item_sources(e.item)}】）。{ctx.who}{ctx.age}周岁，现在{now}。"
                )
    if not lines:
        return None
    lines += brief.change_lines(ahead(ctx.kb, ctx.profile, 30))
    return Reply("\n".join(lines), topic=family.topic(reading.Question(reading.WHY_NOT), ctx))


def _part_atoms(item: Item, part_name: str) -> List[Any]:
    return [a for p in item.parts if p.name == part_name for t in p.tiers for a in condition_atoms(t.when)]


def _needs_only(item: Item, statuses: Set[str]) -> bool:
    """The item asks for statuses and these meet them (经济困难老年人补贴 for 低保, not 困难残疾人生活补贴)."""
    asks = any(isinstance(a, HasStatus) for a in condition_atoms(item.cond))
    return asks and brief.fits_statuses(item.cond, frozenset(statuses))


def _why_not(q: reading.Question, ctx: Context) -> Reply:
    if ctx.profile is None:
        return Reply(ASK_CITY, topic=_topic(q, ctx), asked="city")
    if not q.items:  # "邻居低保的每月领80块 俺娘咋没有": the items of a status someone else has and the person lacks
        lacking = {e.value for e in q.entities if e.entity == "status" and e.value not in ctx.profile.statuses}
        names = [i.name for i in ctx.kb.items[ctx.profile.city] if i.kind == "cash" and _needs_only(i, lacking)]
        q = dataclasses.replace(q, items=tuple(dict.fromkeys(names))[:2])
    if not q.items and ctx.age is not None and q.has("age"):
        # "为啥隔壁八十多的低保老人比他多": someone older is in another tier of the same items
        tiers = _age_tiers(ctx)
        if tiers is not None:
            return tiers
    items = _found(ctx, ctx.profile.city, q.items)
    if not items:
        if q.items:  # "济宁的姨妈有政府买的居家养老服务 俺娘在枣庄咋没有": not in the list; what the city has
            city = ctx.profile.city
            lines = [brief.not_listed_text(ctx.kb, city, q.items)]
            policy = _policy(
                dataclasses.replace(q, kind=reading.POLICY, text=" ".join(q.items), cities=(city,)), ctx, None
            )
            if policy.text:
                lines.append(policy.text)
            else:
                lines += [_item_line(ctx.kb, item, reading.ABOUT) for item in _related_items(ctx, city, q)[:3]]
            return Reply("\n".join(lines), topic=_topic(q, ctx))
        return _entitlements(dataclasses.replace(q, kind=reading.ENTITLEMENTS), ctx)
    if reading.asks_no_figure(q.text):  # "为啥没个具体数": what the document says instead of a figure, and who sets it
        lines = [brief.no_figure_reason(item) for item in items[:2]]
        for other in (c for c in q.cities if c != ctx.profile.city):
            # "枣庄的亲戚九十岁每月有60块 俺爹这咋没个准数": the other city's figures, said as its own
            lines += [
                f"{other}的“{i.name}”：{brief.standard_text(i)}（{i.agency}）【{brief.item_sources(i)}】。"
                for i in _found(ctx, other, q.items)[:1]
                if brief.states_a_figure(i)
            ]
        return Reply("\n".join(lines), topic=_topic(q, ctx))
    changes = ahead(ctx.kb, ctx.profile, 30)
    lines = []
    for item in items[:2]:
        part = _asked_part(q, item)
        verdict = judge_item(ctx.kb, ctx.profile, item)
        got = verdict.entitlement
        if part and verdict.holds and got is not None and part not in {x.name for x in got.parts}:
            # the item applies but not the part asked about: its own condition is the reason
            lines.append(
                f"{ctx.who}符合“{item.name}”的服务对象条件，但其中的{part}需满足："
                f"{brief.standard_text(item, part)}【{brief.item_sources(item)}】。"
            )
            continue
        if ctx.profile.age is None:  # "俺爹退伍军人…为啥进不了优抚供养": 60 as the floor, as for item questions
            line, _, _ = _for_person(ctx, ctx.profile, item, part, reading.CONDITIONS, changes)
            lines.append(line)
        else:
            lines.append(brief.verdict_text(verdict, ctx.who, changes, ctx.profile.age))
        later = any(c.item.id == item.id for c in changes)
        if verdict.holds is not True and not later:
            lines.append("标准：" + brief.standard_text(item, part) + "。")
    return Reply("\n".join(lines), topic=_topic(q, ctx))


def _compare(q: reading.Question, ctx: Context, topic: Optional[Dict[str, Any]] = None) -> Reply:
    cities = list(q.cities)
    before = (topic or {}).get("city")
    for c in (before, ctx.city):  # "枣庄一样吗" after a 济宁 answer: 济宁 against 枣庄
        if c and c not in cities:
            cities.insert(0, c)
    items = q.items or tuple((topic or {}).get("items") or ())
    if len(cities) == 1 and len(items) >= 2:  # 分散供养 against 集中供养 in one city
        found = _found(ctx, cities[0], items)[:3]
        lines = [brief.item_rule(i) for i in found]
        standards = {brief.standard_text(i, None) for i in found}
        if len(found) >= 2 and len(standards) == 1:  # "分散供养和集中供养哪个标准高": the same words, said so
            lines.append(f"{'、'.join(i.name for i in found)}的标准相同：{standards.pop()}。")
        lines += figures.compared(ctx, items)
        return Reply("\n".join(lines), topic=_topic(q, ctx))
    if len(cities) < 2:
        cities = list(ctx.kb.cities)
    lines = []
    if items:
        said: List[Tuple[str, str, str, Optional[float]]] = []  # (city, what, standard, its one 元/月 figure)
        shown: List[Tuple[str, Item, str]] = []  # (city, item, standard)
        for c in cities:
            found = _found(ctx, c, items)
            if not found:
                lines.append(brief.not_listed_text(ctx.kb, c, items))
            for item in found[:1]:
                part = _asked_part(dataclasses.replace(q, items=items), item)
                # "户口在聊城…现在住枣庄…能领不": where the city's list asks for its 户籍, that is said too
                needs = registration.requirement_words(item) if re.search("户口|户籍", q.text) else ""
                lines.append(
                    f"{c}·{item.name}（{item.group}）：{brief.standard_text(item, part)}{needs}；牵头部门：{item.agency}"
                    f"【{brief.item_sources(item)}】"
                )
                said.append((c, part or item.name, brief.standard_text(item, part), _one_figure(item, part)))
                shown.append((c, item, brief.standard_text(item, part)))
        lines += _at_age(q, ctx, shown)
        flat = [(c, what, figure) for c, what, _, figure in said if figure is not None]
        if len(flat) == 2 and flat[0][1] == flat[1][1] and flat[0][2] != flat[1][2]:
            (a, what, x), (b, _, y) = sorted(flat, key=lambda f: -f[2])
            lines.append(f"{what}：{a}比{b}每月多{brief.yuan(x - y)}（{brief.yuan(x)}对{brief.yuan(y)}）。")
        elif len(flat) == 2 and flat[0][1] == flat[1][1]:
            lines.append(f"{flat[0][1]}：两市标准相同，均为每月{brief.yuan(flat[0][2])}。")
        elif len(said) >= 2 and len({standard for _, _, standard, _ in said}) == 1:  # 失独 990元 / 伤残 810元
            lines.append(f"{'、'.join(c for c, _, _, _ in said)}的标准相同。")
        elif len(shown) == 2:  # "在济宁也一样吗": the same rule in other words (七十/70, 景点/旅游景区)
            same = _same_in_substance(shown[0], shown[1])
            (a, item_a, _), (b, item_b, _) = shown
            if same is not None and item_a.group != item_b.group:
                lines.append(f"{a}、{b}的内容相同{same}，但{a}列于{item_a.group}，{b}列于{item_b.group}。")
            elif same is not None:
                lines.append(f"{a}、{b}的规定相同{same}。")
        topic = {**_topic(dataclasses.replace(q, items=items), ctx), "cities": cities, "text": q.text}
        return Reply("\n".join(lines), topic=topic)
    if q.statuses and ctx.age is None and q.rule_age is None and not q.personal:
        # "失独老人在济宁枣庄聊城一个月都给多少钱": the group's own cash items, city by city
        held = implied_statuses(ctx.kb, q.statuses)
        own = [i.name for c in cities for i in brief.group_items(ctx.kb.items[c], held) if i.kind == "cash"]
        if own:
            return _compare(dataclasses.replace(q, items=tuple(dict.fromkeys(own))[:2]), ctx, topic)
    age = ctx.age if ctx.age is not None else q.rule_age
    if ctx.profile is None and age is not None:
        base: Optional[Profile] = Profile(cities[0], age)
    else:
        base = dataclasses.replace(ctx.profile, age=age) if ctx.profile is not None else None
    if base is None or age is None:
        return _missing_basics(ctx, q) or Reply(response=NOT_UNDERSTOOD)
    answers = []
    for c in cities:
        answer = evaluate(ctx.kb, dataclasses.replace(base, city=c, county=None))
        answers.append((c, answer))
        lines.append(f"{c}（{age}周岁）：{_cash_compared(answer)}【{'；'.join(answer.documents())}】")
    exact = [  # only totals that say it all: no floor, no item applying without a figure (聊城's), never 0元
        (c, a.monthly_total_yuan)
        for c, a in answers
        if a.monthly_total_yuan
        and not a.total_is_minimum
        and not any(
            e.item.kind == "cash" and e.amount_yuan_per_month is None and not brief.everyones(e.item) for e in a.items
        )
    ]
    if len(answers) == 2 and len(exact) == 2 and exact[0][1] != exact[1][1]:  # "她比俺娘多还是少": by how much
        (more, x), (less, y) = sorted(exact, key=lambda t: -t[1])
        lines.append(f"有金额的部分：{more}比{less}每月多{brief.yuan(x - y)}（{brief.yuan(x)}对{brief.yuan(y)}）。")
    elif len(answers) == 2:  # "他领的跟俺爹一样不": said plainly, where no gap can be given
        lines.append(_cash_alike(answers))
    return Reply("\n".join(lines), topic=_topic(q, ctx))


def _at_age(q: reading.Question, ctx: Context, shown: Sequence[Tuple[str, Item, str]]) -> List[str]:
    """ "…老太太也一百零一在薛城她能有多少": an item compared by city, each city's figure at the age this message
    names (枣庄 101: 510元), where a figure depends on the age."""
    said = [int(float(e.value)) for e in q.entities if e.entity == "age"]
    if not said or len(shown) < 2 or not all(any(p.tiers[1:] for p in item.parts) for _, item, _ in shown):
        return []
    age, statuses = said[0], (ctx.profile.statuses if ctx.profile is not None else frozenset())
    figures = []
    for city, item, _ in shown:
        e = judge_item(ctx.kb, Profile(city, age, statuses), item).entitlement
        if e is None or e.amount_yuan_per_month is None:
            return []
        figures.append(f"{city}{brief.amount_text(e)}")
    return [f"按{age}周岁：{'；'.join(figures)}。"]


def _cash_alike(answers: Sequence[Tuple[str, Any]]) -> str:
    """Whether two cities' cash items are the same: the same items and figures; not certain where an item
    applies without a figure (济宁's 高龄津贴 for 80—99)."""
    held = [
        (
            c,
            sorted(
                (e.name, e.amount_yuan_per_month)
                for e in a.items
                if e.item.kind == "cash" and not brief.everyones(e.item)
            ),
        )
        for c, a in answers
    ]
    (a, mine), (b, theirs) = held
    open_items = [f"{c}的{name}" for c, cash in held for name, amount in cash if amount is None]
    if open_items:
        return f"{a}、{b}的现金补贴不一定一样：{'、'.join(open_items)}文件未列具体金额，无法比较。"
    return f"{a}、{b}的现金补贴{'相同' if mine == theirs else '不一样'}。"


def _same_in_substance(a: Tuple[str, Item, str], b: Tuple[str, Item, str]) -> Optional[str]:
    """Whether two cities' standards of one item say the same once numbers are written alike and the words their
    names differ in are swapped (枣庄's 景点, 济宁's 旅游景区): '' or '（济宁写作“旅游景区”）'; None where they differ."""
    (_, item_a, text_a), (city_b, item_b, text_b) = a, b
    if item_a.agency != item_b.agency:
        return None
    n = len(os.path.commonprefix([item_a.name, item_b.name]))
    word_a, word_b = item_a.name[n:], item_b.name[n:]
    if word_a and word_b:
        text_b = text_b.replace(word_b, word_a)
    if normalize(text_a) != normalize(text_b):
        return None
    return f"（{city_b}写作“{word_b}”）" if word_a and word_b and word_a != word_b else ""


def _one_figure(item: Item, part: Optional[str]) -> Optional[float]:
    """The one monthly figure of an item or of its part asked (护理补贴: 85元 in 济宁), if it has exactly one and it is
    not a floor; else None (tiers by age, no figure)."""
    parts = [p for p in item.parts if p.unit == YUAN and (part is None or p.name == part)]
    if len(parts) != 1 or len(parts[0].tiers) != 1:
        return None
    tier = parts[0].tiers[0]
    return None if tier.amount is None or tier.minimum else tier.amount


def _cash_compared(answer: Any) -> str:
    """One city's money for a comparison: the items with a figure and their total, then the items that apply
    with no figure in the document, named as such. Never "每月合计0元" where items apply without a figure."""
    cash = [e for e in answer.items if e.item.kind == "cash"]
    figured = [e for e in cash if e.amount_yuan_per_month]
    unfigured = [e for e in cash if not e.amount_yuan_per_month]
    parts = []
    if figured:
        floor = "不低于" if answer.total_is_minimum else ""
        parts.append(
            "；".join(f"{e.name}{render.amount_text(e)}（{e.agency}）" for e in figured)
            + f"；每月合计{floor}{render.yuan(answer.monthly_total_yuan)}"
        )
    if unfigured:
        lead = "另有可享受、" if figured else "可享受、"
        parts.append(lead + f"{render.UNSTATED}的现金待遇：" + "、".join(f"{e.name}（{e.agency}）" for e in unfigured))
    return "；".join(parts) or "无现金补贴"


# --- policy facts -----------------------------------------------------------------------------------


# "2020年那个实施意见", "2024年的方案": a document named by the year it was issued.
_DOCUMENT_YEAR_RE = re.compile(r"(20\d\d)年\S{0,10}?(?:意见|方案|文件|通知|规定|政策)")


def _document_overview(ctx: Context, cities: Sequence[str], year: int) -> str:
    """A document named by its year: its title, number and date, and the titles of its measures in order."""
    lines = []
    for doc in ctx.kb.documents.values():
        if doc.issued.year != year or (cities and doc.city not in cities):
            continue
        titles = list(dict.fromkeys(f.title for f in ctx.kb.facts if f.source.doc.id == doc.id))
        lines.append(
            f"{doc.city}《{doc.title}》（{doc.number}，{doc.issued.year}年{doc.issued.month}月{doc.issued.day}日印发），"
            f"主要措施：{'；'.join(titles)}。"
        )
    return "\n".join(lines + (["可以问其中任何一项的具体要求、目标和牵头单位。"] if lines else []))


def _policy(q: reading.Question, ctx: Context, topic: Optional[Dict[str, Any]], own_city: bool = False) -> Reply:
    """The measures on what is asked, each city's own; `own_city`: nothing where the city's documents hold none
    (an item of its list then answers, not another city's measure)."""
    cities: List[Optional[str]] = list(q.cities) or [ctx.city]
    facts = []
    # the last document named: a follow-up's ("2024年出的三年行动方案呢") after the one asked before
    named_year = ([None] + list(_DOCUMENT_YEAR_RE.finditer(q.text)))[-1]
    # the subject is searched without the words that name the document ("2023年那个文件"), then that document kept
    subject = _DOCUMENT_YEAR_RE.sub(" ", q.text) if named_year else q.text
    subject = respell_topics(subject, ctx.kb)  # "养老乎理员": the facts' own words, heard by sound
    lacking: List[str] = []  # cities asked whose documents hold nothing on it (other cities' said instead)
    for city in cities:  # "济宁跟聊城…全覆盖的时间": each city's own
        found = search_facts(ctx.kb, subject, city, limit=20)
        if not found and city:
            if own_city:
                return Reply()
            found = search_facts(ctx.kb, subject, None)
            lacking.append(city)
        if named_year:  # "2020年那个实施意见…": that document's facts, said with what replaced them
            found = [f for f in found if f.source.doc.issued.year == int(named_year.group(1))] or found
        facts += [f for f in found[: 4 if len(cities) == 1 else 2] if f not in facts]
    if not facts and named_year:  # "2024年那个三年行动方案主要干啥": the document itself, its measures by title
        overview = _document_overview(ctx, [c for c in cities if c], int(named_year.group(1)))
        if overview:
            return Reply(overview, topic=_policy_topic(q, cities))
    if not facts and q.kind == reading.POLICY and q.fallback == reading.ITEM:
        return _item(dataclasses.replace(q, kind=reading.ITEM, policy_cue=False), ctx)
    if not facts and q.kind == reading.POLICY and q.fallback == reading.FACTS:
        return _entitlements(dataclasses.replace(q, kind=reading.ENTITLEMENTS), ctx)
    if not facts:
        last = _about_last_item(q, ctx, topic)
        if last is not None:
            return last
        fallback = reading.OUT_OF_SCOPE if q.fallback == reading.OUT_OF_SCOPE else None
        return Reply(response=f"utter_{fallback}" if fallback else NOT_UNDERSTOOD, topic=topic)
    head = "相关政策规定：\n" + _county_in_list(ctx, q, facts)
    if lacking:  # "枣庄的老年助餐…": not 济宁's measure as if it were 枣庄's
        head = f"{'、'.join(lacking)}的文件中没有找到这方面的规定，其他城市的规定：\n"
    text = head + render.facts_text(ctx.kb, facts, limit=len(facts))
    asked_now = q.text.split(" ")[-1]  # a follow-up's own words (the measure's are before them)
    if _MONEY_ASKED_RE.search(asked_now) and not any("元" in f.statement for f in facts):
        # "有没有钱补贴": the measures say 奖补/补贴 without a figure; say so rather than let a reader guess
        text += "\n以上文件未列具体补贴金额，标准以当地规定为准，可向牵头单位咨询。"
    return Reply(text, topic=_policy_topic(q, cities))


def _content_line(item: Item) -> str:
    """What an item provides, in the document's words, with its source ("内容：…提供…疾病治疗…【…第13项】。")."""
    return f"内容：{brief.plain(item.text).rstrip('。')}【{brief.item_sources(item)}】。"


def _county_in_list(ctx: Context, q: reading.Question, facts: Sequence[Any]) -> str:
    """ "泗水当初在试点名单里吗": whether a measure that names several counties of the city names the one asked."""
    asked = [str(e.value) for e in q.entities if e.entity == "county"]
    lines = []
    places = ctx.kb.regions.county_city  # every way of writing a county -> (city, county)
    for county in asked:
        city = places.get(county, (None, None))[0]
        for f in facts:
            named = list(dict.fromkeys(cn for word, (cc, cn) in places.items() if cc == city and word in f.statement))
            if len(named) >= 2:
                said = "有" if county in named else "没有"
                lines.append(f"所列的{'、'.join(named)}中{said}{county}【{f.source.cite()}】。\n")
                break
    return "".join(lines)


def _policy_topic(q: reading.Question, cities: Sequence[Optional[str]]) -> Dict[str, Any]:
    """What a follow-up of a measure continues: the words asked and the cities asked about."""
    return {"kind": reading.POLICY, "text": q.text, "cities": [c for c in cities if c]}
