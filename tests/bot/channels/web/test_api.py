"""bot/channels/web/api.py: the console's JSON API as functions (profiles, lookups, comparisons, facts, the KB's
status), without a server."""

import pytest

from bot.channels.web import (
    RequestError,
    compare_json,
    fact_search_json,
    lookup_json,
    meta_json,
    parse_profile,
    status_json,
)
from rules_kb import ProfileError, default_kb
from tests.bot.channels.web.conftest import HEADLINE, item


@pytest.fixture(scope="module")
def kb():
    return default_kb()


def test_lookup_is_answer_to_dict_plus_display_text(kb):
    data = lookup_json(kb, HEADLINE)
    assert data["profile"]["city"] == "枣庄" and data["profile"]["statuses"] == ["低保"]
    gaoling = item(data, "高龄津贴")
    assert gaoling["amount_yuan_per_month"] == 30 and gaoling["amount_text"] == "30元/月"
    assert gaoling["agency"] == "市卫生健康委" and gaoling["source"] == "办公室便函〔2023〕1号 附件2 第12项"
    assert gaoling["citations"] == ["办公室便函〔2023〕1号 附件2 第12项", "办公室便函〔2023〕1号 附件1 第4项"]
    assert gaoling["reason"]
    assert item(data, "经济困难老年人补贴")["amount_text"] == "生活补贴100元/月"
    assert data["monthly_total_yuan"] == 130
    assert data["total_text"].startswith("每月合计（有明确金额的部分）：130元")
    assert any("护理补贴（80元/月，市民政局）" in line for line in data["hint_lines"])
    assert data["hints"][0]["text"] and data["documents"] == ["办公室便函〔2023〕1号"]
    assert "compare" not in data


def test_a_county_and_synonyms_work(kb):
    data = lookup_json(kb, {"city": "滕州", "age": "102", "statuses": "五保户"})
    assert data["profile"]["city"] == "枣庄" and data["profile"]["county"] == "滕州市"
    assert data["profile"]["statuses"] == ["特困"]


def test_unknown_is_no_drops_the_hints_for_statuses(kb):
    hints = lookup_json(kb, HEADLINE)["hint_lines"]
    fewer = lookup_json(kb, {**HEADLINE, "unknown_is_no": True})["hint_lines"]
    assert len(fewer) < len(hints)
    assert any("能力评估" in line for line in fewer)  # grades stay unknown
    assert not any("独居" in line for line in fewer)


def test_compare_shows_the_same_person_in_the_three_cities(kb):
    data = lookup_json(kb, {**HEADLINE, "compare": True})["compare"]
    assert data["cities"] == ["济宁", "枣庄", "聊城"] and data["home"] == "枣庄"
    row = next(r for r in data["rows"] if r["name"] == "高龄津贴")
    assert row["kind"] == "cash"
    assert row["cells"]["枣庄"]["amount_text"] == "30元/月"
    assert row["cells"]["济宁"]["amount_text"].startswith("标准按当地规定")
    assert row["cells"]["聊城"]["amount_text"].startswith("标准按当地规定")
    assert data["totals"]["枣庄"]["monthly_total_yuan"] == 130 and data["totals"]["济宁"]["monthly_total_yuan"] == 100
    assert any("护理补贴（85元/月，市民政局）" in line for line in data["hint_lines"]["济宁"])
    assert compare_json(kb, {"age": 85, "statuses": ["低保"]})["rows"]  # no place needed for the comparison


@pytest.mark.parametrize(
    "body, message",
    [
        ({"age": 85}, "请填写城市或县区"),
        ({"place": "北京", "age": 85}, "未知的城市或县区：北京"),
        ({"place": "枣庄", "age": 300}, "年龄不合理"),
        ({"place": "枣庄", "age": 85.5}, "年龄必须是整数"),
        ({"place": "枣庄", "age": True}, "年龄必须是整数"),
        ({"place": "枣庄", "statuses": ["富豪"]}, "未知的身份状况：富豪"),
        ({"place": "枣庄", "statuses": "低保", "not_statuses": ["低保"]}, "自相矛盾"),
        ({"place": "枣庄", "ability_grade": 7}, "能力评估等级不合理"),
        ({"place": "枣庄", "disability_grade": 0}, "残疾等级不合理"),
        ({"place": "枣庄", "agee": 85}, "未知字段：agee"),
        ({"place": ["枣庄"]}, "必须是文字"),
        ({"place": "枣庄", "statuses": [1, 2]}, "身份状况的列表"),
        ([1, 2], "JSON 对象"),
    ],
)
def test_bad_profiles_are_refused_in_chinese(kb, body, message):
    with pytest.raises((RequestError, ProfileError), match=message):
        parse_profile(kb, body)


def test_facts_search(kb):
    data = fact_search_json(kb, "长期护理保险", "济宁")
    assert data["city"] == "济宁" and data["count"] >= 1
    assert all(f["city"] == "济宁" for f in data["facts"])
    first = data["facts"][0]
    assert first["citation"] and first["source"]["number"] and first["agency"] and first["statement"]
    assert fact_search_json(kb, "长期护理保险", "曲阜")["city"] == "济宁"  # a county narrows to its city
    assert fact_search_json(kb, "长期护理保险")["count"] > data["count"]
    assert fact_search_json(kb, "养老服务床位有多少", limit=3)["count"] <= 3  # a question falls back to ranked search


@pytest.mark.parametrize(
    "q, city, limit, message",
    [
        ("", None, None, "请输入要查询的关键词"),
        ("x" * 101, None, None, "关键词太长"),
        ("高龄津贴", "北京", None, "未知的城市或县区"),
        ("高龄津贴", None, "abc", "limit"),
        ("高龄津贴", None, 0, "limit"),
    ],
)
def test_bad_fact_queries(kb, q, city, limit, message):
    with pytest.raises((RequestError, ProfileError), match=message):
        fact_search_json(kb, q, city, limit)


# --- answering for a day: "on" (pinned days; never today's) ---------------------------------------------


def test_lookup_and_compare_answer_for_the_day_asked(kb):
    data = lookup_json(kb, {**HEADLINE, "on": "2026-06-01", "compare": True})
    assert data["on"] == "2026-06-01" and data["monthly_total_yuan"] == 130
    assert data["basis"][0]["text"] == "办公室便函〔2023〕1号，2023年2月印发"
    assert data["text"].splitlines()[-1] == "依据：办公室便函〔2023〕1号，2023年2月印发"
    before = lookup_json(kb, {**HEADLINE, "on": "2023-02-24", "compare": True})  # the day before it was issued
    assert before["items"] == [] and before["compare"]["totals"]["枣庄"]["monthly_total_yuan"] == 0
    assert compare_json(kb, {"age": 85, "statuses": ["低保"], "on": "2023-02-24"})["rows"] == []


@pytest.mark.parametrize(
    "on, message", [("2026-6-1", "日期格式不正确"), ("2026-02-30", "日期不存在"), (20260601, "日期格式")]
)
def test_a_bad_day_is_refused_in_chinese(kb, on, message):
    with pytest.raises(RequestError, match=message):
        lookup_json(kb, {**HEADLINE, "on": on})
    with pytest.raises(RequestError, match=message):
        fact_search_json(kb, "高龄津贴", on=on)
    with pytest.raises(RequestError, match=message):
        status_json(kb, on)


def test_facts_say_whether_they_hold_on_the_day_asked(kb):
    def m10(on):
        return next(
            f for f in fact_search_json(kb, "示范性老年友好型社区", "济宁", on=on)["facts"] if f["id"] == "jn-2024-m10"
        )

    assert m10("2025-12-31")["in_force"] is True and m10("2025-12-31")["note"] is None
    lapsed = m10("2026-01-01")
    assert lapsed["in_force"] is False and lapsed["note"] == "已于2025年12月31日到期，不是现行规定"
    assert lapsed["valid_from"] == "2024-09-30" and lapsed["valid_until"] == "2025-12-31"  # from its issue day


def test_facts_say_what_replaced_them_and_every_unit(kb):
    rows = fact_search_json(kb, "护理型床位", "济宁", on="2026-06-01")["facts"]
    old = next(f for f in rows if f["id"] == "jn-2023-m16-a")
    assert old["replaced_by"] == "jn-2024-m04-a" and "已被济政办字〔2024〕42号 第4条" in old["text"]
    new = next(f for f in rows if f["id"] == "jn-2024-m04-a")
    assert new["replaced_by"] is None and new["replaces"] == "jn-2023-m16-a"
    assert new["units"] == [{"label": "牵头单位", "names": "市民政局"}, {"label": "参与单位", "names": "市财政局"}]


def test_status_gives_the_warnings_of_check(kb):
    data = status_json(kb, "2026-11-27")
    assert data["on"] == "2026-11-27" and data["within"] == 60 and data["count"] == len(data["warnings"])
    plan = next(w for w in data["warnings"] if w["subject"] == "jn-2024")
    assert plan["kind"] == "ending" and plan["until"] == "2026-12-31" and plan["days"] == 34
    assert "济政办字〔2024〕42号" in plan["text"] and "还有34天" in plan["text"]
    kinds = {w["kind"] for w in data["fact_warnings"]}
    assert kinds == {"past_deadline", "no_unit"} and set(data["fact_warning_headings"]) >= kinds
    assert "jn-2024" not in [w["subject"] for w in status_json(kb, "2026-11-27", "30")["warnings"]]
    assert next(w for w in status_json(kb, "2027-01-01")["warnings"] if w["subject"] == "jn-2024")["kind"] == "ended"
    for within in ("abc", -1, 3651):
        with pytest.raises(RequestError, match="within"):
            status_json(kb, "2026-11-27", within)


def test_meta_lists_what_the_engine_accepts(kb):
    data = meta_json(kb)
    assert data["cities"] == ["济宁", "枣庄", "聊城"]
    assert "滕州市" in data["counties"]["枣庄"] and "曲阜市" in data["counties"]["济宁"]
    assert data["statuses"] == list(kb.regions.statuses) and "低保" in data["statuses"]
