"""Each action with the real engine and KB: a Tracker built from slots, a CollectingDispatcher."""
import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import (ActionAnswerEntitlements, ActionAnswerItem, ActionAnswerPolicy, ActionExplainApply,
                             ActionUpdateProfile)


def tracker(slots=None, text="", intent="ask_entitlement", entities=(), requested=None):
    slots = dict(slots or {})
    slots.setdefault("requested_slot", requested)
    return Tracker("t1", slots, {"text": text, "intent": {"name": intent}, "entities": list(entities)}, [],
                   False, None, {}, "action_listen")


def run(action, t):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, {}))
    return "\n".join(m.get("text") or "" for m in dispatcher.messages), events


def ent(entity, value):
    return {"entity": entity, "value": value, "start": 0, "end": 1}


def test_headline_answer_lists_items_amounts_agencies():
    reply, _ = run(ActionAnswerEntitlements(), tracker({"city": "枣庄", "age": 85.0, "statuses": ["低保"],
                                                        "economic": "低保", "relation": "父亲"}))
    lines = reply.splitlines()
    assert any(l.startswith("12. 高龄津贴：30元/月；牵头部门：市卫生健康委") for l in lines), reply
    assert any("经济困难老年人补贴：生活补贴100元/月；牵头部门：市民政局" in l for l in lines)
    assert any("乘坐城市公共交通工具" in l and "市交通运输局" in l for l in lines)
    assert "每月合计（有明确金额的部分）：130元" in reply
    assert "护理补贴（80元/月）" in reply  # the hint: grade 2–3 would add it
    assert "办公室便函〔2023〕1号" in reply
    assert "您父亲" in reply
    for wrong in ("85元", "政府购买居家养老服务", "市退役军人事务局", "300元"):
        assert wrong not in reply


def test_jining_differs_where_the_documents_differ():
    reply, _ = run(ActionAnswerEntitlements(), tracker({"city": "济宁", "age": 85.0, "statuses": ["低保"],
                                                        "economic": "低保"}))
    assert "高龄津贴：标准按当地规定" in reply
    assert "30元" not in reply
    assert "政府购买居家养老服务" in reply
    assert "护理补贴（85元/月）" in reply
    assert "济政办发〔2023〕2号" in reply


def test_no_city_asks_for_it():
    reply, _ = run(ActionAnswerEntitlements(), tracker({"age": 85.0}))
    assert "哪个城市" in reply


@pytest.mark.parametrize("entities, intent, before, expected", [
    ([ent("age", "85"), ent("city", "枣庄"), ent("status", "低保"), ent("relation", "父亲")], "ask_entitlement", {},
     {"age": 85.0, "city": "枣庄", "statuses": ["低保"], "economic": "低保", "relation": "父亲"}),
    ([ent("county", "滕州市")], "inform", {}, {"city": "枣庄", "county": "滕州市"}),
    ([ent("city", "济宁")], "correct", {"city": "枣庄", "county": "滕州市"}, {"city": "济宁", "county": None}),
    ([ent("status", "特困"), ent("not_status", "低保")], "correct", {"statuses": ["低保"], "economic": "低保"},
     {"statuses": ["特困"], "not_statuses": ["低保"], "economic": "特困"}),
    ([ent("relation", "母亲"), ent("age", "88")], "new_person",
     {"city": "枣庄", "age": 85.0, "statuses": ["低保"], "economic": "低保", "relation": "父亲"},
     {"city": None, "age": 88.0, "statuses": [], "economic": None, "relation": "母亲"}),
    ([ent("age", "300")], "inform", {"age": 80.0}, {}),
    ([ent("age", "45")], "inform", {}, {"age": 45.0, "economic": "不适用"}),
    ([ent("ability_grade", "2")], "what_if", {"city": "枣庄"}, {"ability_grade": 2.0}),
])
def test_update_profile_merges_facts(entities, intent, before, expected):
    _, events = run(ActionUpdateProfile(), tracker(before, intent=intent, entities=entities))
    got = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    for k, v in expected.items():
        assert got.get(k, before.get(k)) == v, (k, got)
    if not expected:
        assert "age" not in got


def test_deny_answers_the_economic_question():
    _, events = run(ActionUpdateProfile(), tracker({"city": "枣庄", "age": 70.0}, intent="deny", requested="economic"))
    got = {e["name"]: e["value"] for e in events}
    assert got["economic"] == "都不是" and set(got["not_statuses"]) == {"低保", "特困"}


def test_item_for_the_persons_city_and_tier():
    reply, _ = run(ActionAnswerItem(), tracker({"city": "枣庄", "age": 95.0, "item": "高龄津贴", "statuses": []},
                                               intent="ask_item"))
    assert "60元/月" in reply and "市卫生健康委" in reply and "附件2 第12项" in reply
    assert "按老人的情况：12. " not in reply and "高龄津贴：60元/月" in reply
    assert "300元" not in reply  # 济宁's centenarian figure


def test_item_without_city_covers_each_city_and_asks():
    reply, _ = run(ActionAnswerItem(), tracker({"item": "护理补贴"}, intent="ask_item"))
    assert "85元/月" in reply and "80元/月" in reply and "哪个城市" in reply


def test_policy_question_cites_the_document():
    reply, _ = run(ActionAnswerPolicy(), tracker({}, text="济宁的长期护理保险什么时候全覆盖", intent="ask_policy",
                                                 entities=[ent("city", "济宁")]))
    assert "济政办发〔2023〕2号" in reply and "2023年底前" in reply


def test_policy_question_liaocheng_building_standard():
    reply, _ = run(ActionAnswerPolicy(), tracker({}, text="聊城新建小区养老服务设施配建标准", intent="ask_policy",
                                                 entities=[ent("city", "聊城")]))
    assert "聊政办字〔2023〕19号" in reply and "20平方米" in reply


def test_apply_names_the_agency_and_does_not_pretend():
    reply, _ = run(ActionExplainApply(), tracker({"city": "枣庄", "item": "高龄津贴"}, intent="apply"))
    assert "不能代办" in reply and "市卫生健康委" in reply
    assert "已提交" not in reply and "已受理" not in reply
