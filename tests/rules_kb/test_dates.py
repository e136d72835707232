"""Rules that know their dates: a rule holds from its (or its document's) first day to its last, both
included; on any other day it is neither listed nor hinted, and asked about directly it is said to have
lapsed (or not yet begun). Every test pins its days; none reads today's date.

The packaged KB's dated rules come from the documents: 济政办字〔2024〕42号 is the 2024—2026 plan (its facts
hold 2024-01-01 to 2026-12-31), its 第10条 sets its own 2024年至2025年; 济政办发〔2023〕2号 第12条 has a
“十四五”期间 target (2021—2025). No item of a city's list carries a period of its own, so the item tests
date one (枣庄 高龄津贴) in a copy of the KB."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from rules_kb import (
    DateError,
    brief,
    default_kb,
    evaluate,
    find_facts,
    in_force,
    judge_item,
    lapse_note,
    lapse_warnings,
    load_kb,
    lookup_item,
    make_profile,
    parse_day,
    render,
    search_facts,
)
from tests.rules_kb.kb_copy import copy_kb

FROM, UNTIL = date(2025, 1, 1), date(2025, 12, 31)
DAY_BEFORE, DAY_AFTER = date(2024, 12, 31), date(2026, 1, 1)


def dated_kb(tmp_path: Path, **period: str):
    """The KB with 枣庄's 高龄津贴 (zz-12) given a period of its own."""
    root = copy_kb(tmp_path)
    path = root / "cities" / "zaozhuang.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    item = next(i for i in data["items"] if i["id"] == "zz-12")
    item.update(period)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_kb(root)


@pytest.fixture(scope="module")
def kb_2025(tmp_path_factory):
    return dated_kb(tmp_path_factory.mktemp("dated"), valid_from=FROM.isoformat(), valid_until=UNTIL.isoformat())


def gaoling(kb, on: date):
    answer = evaluate(kb, make_profile(kb, "枣庄", 85, ["低保"]), on)
    return next((e for e in answer.items if e.name == "高龄津贴"), None), answer


# --- an item's period, both sides of both ends ----------------------------------------------------


@pytest.mark.parametrize("on, listed", [(DAY_BEFORE, False), (FROM, True), (UNTIL, True), (DAY_AFTER, False)])
def test_item_is_listed_only_inside_its_period(kb_2025, on, listed):
    e, answer = gaoling(kb_2025, on)
    assert (e is not None) is listed, f"{on}: {[x.name for x in answer.items]}"
    assert answer.monthly_total_yuan == (130 if listed else 100)  # 高龄津贴 30 + 经济困难老年人补贴 100
    assert answer.on == on


def test_a_lapsed_item_gives_no_hint_either(kb_2025):
    kb = kb_2025
    answer = evaluate(kb, make_profile(kb, "枣庄", None, ["低保"]), DAY_AFTER)  # age unknown: 高龄 would be a hint
    assert not [h for h in answer.hints if h.item.name == "高龄津贴"]
    answer = evaluate(kb, make_profile(kb, "枣庄", None, ["低保"]), UNTIL)
    assert [h for h in answer.hints if h.item.name == "高龄津贴"]


def test_a_lapsed_item_asked_about_is_said_to_have_lapsed(kb_2025):
    kb = kb_2025
    items = lookup_item(kb, "枣庄", "高龄津贴", DAY_AFTER)
    assert [i.id for i in items] == ["zz-12"], "a lapsed item is still found, so that the answer can say so"
    item = items[0]
    assert lapse_note(item, DAY_AFTER) == "已于2025年12月31日到期，不是现行规定"
    assert lapse_note(item, DAY_BEFORE) == "自2025年1月1日起适用，尚未开始"
    assert lapse_note(item, UNTIL) is None and lapse_note(item, FROM) is None
    text = render.item_text(item, DAY_AFTER)
    assert "注意：本项已于2025年12月31日到期，不是现行规定。" in text
    assert "有效期：2025年1月1日至2025年12月31日" in text
    assert "到期" not in render.item_text(item, UNTIL)
    assert "已于2025年12月31日到期" in brief.item_rule(item, on=DAY_AFTER)
    assert "到期" not in brief.item_rule(item, on=UNTIL)
    assert "尚未开始" in brief.item_apply(item, on=DAY_BEFORE)

    person = make_profile(kb, "枣庄", 85, ["低保"])
    v = judge_item(kb, person, item, DAY_AFTER)
    assert v.holds is False and v.entitlement is None and v.out_of_force
    said = brief.verdict_text(v, "您父亲")
    assert "已于2025年12月31日到期" in said and "30元" not in said, said
    v = judge_item(kb, person, item, UNTIL)
    assert v.holds and v.out_of_force is None and "30元" in brief.verdict_text(v, "您父亲")


def test_an_item_without_a_period_holds_from_its_documents_issue_day():
    kb = default_kb()
    person = make_profile(kb, "枣庄", 85, ["低保"])
    assert not evaluate(kb, person, date(2023, 2, 24)).items, "办公室便函〔2023〕1号 was issued on 2023-02-25"
    assert {e.name for e in evaluate(kb, person, date(2023, 2, 25)).items} >= {"高龄津贴", "经济困难老年人补贴"}
    assert evaluate(kb, person, date(2099, 1, 1)).monthly_total_yuan == 130, "no stated end: it holds on"


# --- facts: the 2024—2026 plan and a measure's own period ------------------------------------------


def fact(fact_id: str):
    return next(f for f in default_kb().facts if f.id == fact_id)


@pytest.mark.parametrize(
    "on, holds",
    [
        (date(2024, 1, 1), False),
        (date(2024, 9, 29), False),
        (date(2024, 9, 30), True),
        (date(2026, 12, 31), True),
        (date(2027, 1, 1), False),
    ],
)
def test_the_three_year_plan_holds_from_its_issue_day_to_2026(on, holds):
    """42号 covers 2024—2026 but was issued on 2024-09-30: before that day it cannot be cited (issue 17)."""
    f = fact("jn-2024-m04-b")  # 认知障碍照护床位1500张, a plain measure of 42号: the plan's own period
    assert in_force(f, on) is holds


def test_a_fact_whose_period_starts_before_its_document_holds_from_the_issue_day():
    """十四五 (2021—2025) in a document issued 2023-04-27: on a day in 2022 it is not yet citable."""
    f = fact("jn-2023-m12-c")
    assert lapse_note(f, date(2022, 6, 1)) == "自2023年4月27日起适用，尚未开始"
    assert in_force(f, date(2023, 4, 27)) and not in_force(f, date(2026, 1, 1))


@pytest.mark.parametrize(
    "on, note",
    [
        (date(2023, 12, 31), "自2024年9月30日起适用，尚未开始"),
        (date(2024, 9, 30), None),
        (date(2025, 12, 31), None),
        (date(2026, 1, 1), "已于2025年12月31日到期，不是现行规定"),
    ],
)
def test_a_measure_with_its_own_period_inside_the_plan(on, note):
    assert lapse_note(fact("jn-2024-m10"), on) == note  # 第10条: 2024年至2025年


def test_a_lapsed_fact_is_found_last_and_said_to_have_lapsed():
    kb = default_kb()
    on = date(2026, 6, 1)
    found = find_facts(kb, "适老化改造", "济宁", on)
    ids = [f.id for f in found]
    lapsed = [i for i, f in enumerate(found) if not in_force(f, on)]
    assert "jn-2023-m12-c" in ids and "jn-2024-m08-a" in ids
    assert lapsed and min(lapsed) > max(i for i, f in enumerate(found) if in_force(f, on)), ids
    text = render.facts_text(kb, found, limit=len(found), on=on)
    line = next(x for x in text.splitlines() if "8500户" in x)
    assert line.startswith("· 济宁（已于2025年12月31日到期，不是现行规定）："), line
    line = next(x for x in text.splitlines() if "6000户" in x)
    assert "到期" not in line, line
    # the same question on a day inside 十四五: the 8500 target is stated as it stood
    text = render.facts_text(
        kb, find_facts(kb, "适老化改造", "济宁", date(2025, 12, 31)), limit=20, on=date(2025, 12, 31)
    )
    assert "到期" not in next(x for x in text.splitlines() if "8500户" in x)


def test_search_prefers_the_fact_in_force_on_a_tie():
    kb = default_kb()
    before = [f.id for f in search_facts(kb, "示范性老年友好型社区", "济宁", on=date(2025, 6, 1))]
    assert before[0] == "jn-2024-m10"
    text = render.facts_text(
        kb, search_facts(kb, "示范性老年友好型社区", "济宁", on=date(2026, 1, 1))[:1], on=date(2026, 1, 1)
    )
    assert "已于2025年12月31日到期" in text


# --- the basis of an answer and when it was issued -------------------------------------------------


def test_answers_name_when_their_basis_was_issued():
    kb = default_kb()
    answer = evaluate(kb, make_profile(kb, "枣庄", 85, ["低保"]), date(2026, 6, 1))
    assert render.answer_text(answer).splitlines()[-1] == "依据：办公室便函〔2023〕1号，2023年2月印发"
    short = brief.money_first(answer, "您父亲")
    assert "依据：办公室便函〔2023〕1号，2023年2月印发" in short.splitlines()
    assert short.count("2023年2月印发") == 1, "once per document, not per item"
    data = answer.to_dict()
    assert data["on"] == "2026-06-01"
    assert data["basis"] == [
        {
            "doc": "zz-2023",
            "number": "办公室便函〔2023〕1号",
            "issued": "2023-02-25",
            "text": "办公室便函〔2023〕1号，2023年2月印发",
        }
    ]
    jining = evaluate(kb, make_profile(kb, "济宁", 85, ["低保"]), date(2026, 6, 1))
    assert render.answer_text(jining).splitlines()[-1] == "依据：济政办发〔2023〕2号，2023年4月印发"


# --- warnings for the KB's editors -----------------------------------------------------------------


def test_warnings_name_the_plan_60_days_before_its_end_and_after():
    kb = default_kb()
    assert "jn-2024" not in [w.subject for w in lapse_warnings(kb, date(2026, 10, 31), 60)]  # 61 days ahead
    w = next(w for w in lapse_warnings(kb, date(2026, 11, 1), 60) if w.subject == "jn-2024")
    assert (w.kind, w.days, w.until) == ("ending", 60, date(2026, 12, 31))
    assert "济政办字〔2024〕42号" in w.text() and "还有60天" in w.text()
    assert "jn-2024" not in [w.subject for w in lapse_warnings(kb, date(2026, 11, 1), 59)]
    last = next(w for w in lapse_warnings(kb, date(2026, 12, 31)) if w.subject == "jn-2024")
    assert last.kind == "ending" and "今天是最后一天" in last.text()
    ended = next(w for w in lapse_warnings(kb, date(2027, 1, 1)) if w.subject == "jn-2024")
    assert ended.kind == "ended" and ended.days == -1
    rules = {w.subject: w for w in lapse_warnings(kb, date(2026, 6, 1))}
    assert rules["jn-2023-m12-c"].kind == "ended", "the 十四五 target ended with 2025"
    assert "jn-2020" not in rules, "a document the KB marks historical is not repeated"
    assert "jn-2024-m04-b" not in rules, "a fact without its own end is covered by its document's warning"


def test_parse_day():
    assert parse_day("2026-06-01") == date(2026, 6, 1)
    for bad, word in (("2026-6-1", "格式"), ("明天", "格式"), ("2026-02-30", "不存在"), ("", "格式")):
        with pytest.raises(DateError, match=word):
            parse_day(bad)
