"""Each action with the real engine and KB: a Tracker built from slots, a CollectingDispatcher."""
import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import (ActionAnswerEntitlements, ActionAnswerItem, ActionAnswerPolicy, ActionExplainApply,
                             ActionResetProfile)
from actions.profile_slots import profile_from_history


def user(intent, *entities, text=""):
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}, "entities": list(entities)}}


def asked(slot):
    return {"event": "slot", "name": "requested_slot", "value": slot}


def profile(city=None, age=None, *statuses, relation=None, intent="ask_entitlement"):
    """One user turn stating a whole profile, as the NLU would parse it."""
    ents = [ent("city", city)] if city else []
    ents += [ent("age", str(age))] if age is not None else []
    ents += [ent("status", s) for s in statuses]
    ents += [ent("relation", relation)] if relation else []
    return [user(intent, *ents)]


def tracker(events=(), slots=None, text="", intent="ask_entitlement", entities=()):
    events = list(events) or [user(intent, *entities, text=text)]
    last = events[-1]
    latest = {"text": text or last.get("text", ""), "intent": last["parse_data"]["intent"],
              "entities": last["parse_data"]["entities"]}
    return Tracker("t1", dict(slots or {}), latest, events, False, None, {}, "action_listen")


def run(action, t):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, {}))
    return "\n".join(m.get("text") or "" for m in dispatcher.messages), events


def ent(entity, value):
    return {"entity": entity, "value": value, "start": 0, "end": 1}


def test_headline_answer_lists_items_amounts_agencies():
    reply, _ = run(ActionAnswerEntitlements(), tracker(profile("枣庄", 85, "低保", relation="父亲")))
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
    reply, _ = run(ActionAnswerEntitlements(), tracker(profile("济宁", 85, "低保")))
    assert "高龄津贴：标准按当地规定" in reply
    assert "30元" not in reply
    assert "政府购买居家养老服务" in reply
    assert "护理补贴（85元/月）" in reply
    assert "济政办发〔2023〕2号" in reply


def test_no_city_asks_for_it():
    reply, _ = run(ActionAnswerEntitlements(), tracker(profile(None, 85)))
    assert "哪个城市" in reply


def test_profile_is_folded_from_the_conversation():
    events = [user("ask_entitlement", ent("relation", "父亲")), asked("city"), user("inform", ent("county", "滕州市")),
              asked("age"), user("inform", ent("age", "85")), asked("economic"), user("inform", ent("status", "低保"))]
    got = profile_from_history(events)
    assert (got["city"], got["county"], got["age"], got["statuses"], got["relation"]) == \
        ("枣庄", "滕州市", 85.0, ["低保"], "父亲")


def test_correction_replaces_the_fact():
    events = profile("枣庄", 85, "低保") + [user("correct", ent("city", "济宁"))]
    got = profile_from_history(events)
    assert (got["city"], got["county"]) == ("济宁", None)
    events += [user("correct", ent("not_status", "低保"), ent("status", "特困"))]
    got = profile_from_history(events)
    assert got["statuses"] == ["特困"] and got["not_statuses"] == ["低保"]


def test_new_person_starts_afresh():
    events = profile("枣庄", 85, "低保", relation="父亲") + [user("new_person", ent("relation", "母亲"), ent("age", "88"))]
    got = profile_from_history(events)
    assert (got["city"], got["age"], got["statuses"], got["relation"]) == (None, 88.0, [], "母亲")


def test_impossible_age_is_ignored_and_deny_answers_economic():
    events = profile("枣庄", 80) + [user("inform", ent("age", "300")), asked("economic"), user("deny")]
    got = profile_from_history(events)
    assert got["age"] == 80.0 and set(got["not_statuses"]) == {"低保", "特困"}


def test_reset_keeps_only_what_the_new_message_says():
    t = tracker(profile("枣庄", 85, "低保") + [user("new_person", ent("relation", "母亲"), ent("age", "88"))])
    _, events = run(ActionResetProfile(), t)
    assert {e["name"] for e in events} == {"city", "economic"}


def test_item_for_the_persons_city_and_tier():
    reply, _ = run(ActionAnswerItem(), tracker(profile("枣庄", 95) + [user("ask_item", ent("item", "高龄津贴"))],
                                               slots={"item": "高龄津贴"}))
    assert "60元/月" in reply and "市卫生健康委" in reply and "附件2 第12项" in reply
    assert "按老人的情况：12. " not in reply and "高龄津贴：60元/月" in reply
    assert "300元" not in reply  # 济宁's centenarian figure


def test_item_without_city_asks_for_it_and_states_no_figure():
    reply, _ = run(ActionAnswerItem(), tracker(slots={"item": "护理补贴"}, intent="ask_item"))
    assert "哪个城市" in reply and "元" not in reply


def test_policy_question_cites_the_document():
    reply, _ = run(ActionAnswerPolicy(), tracker(text="济宁的长期护理保险什么时候全覆盖", intent="ask_policy",
                                                 entities=[ent("city", "济宁")]))
    assert "济政办发〔2023〕2号" in reply and "2023年底前" in reply


def test_policy_question_liaocheng_building_standard():
    reply, _ = run(ActionAnswerPolicy(), tracker(text="聊城新建小区养老服务设施配建标准", intent="ask_policy",
                                                 entities=[ent("city", "聊城")]))
    assert "聊政办字〔2023〕19号" in reply and "20平方米" in reply


def test_apply_names_the_agency_and_does_not_pretend():
    reply, _ = run(ActionExplainApply(), tracker(profile("枣庄", 80) + [user("apply", ent("item", "高龄津贴"))],
                                                 slots={"item": "高龄津贴"}))
    assert "不能代办" in reply and "市卫生健康委" in reply
    assert "已提交" not in reply and "已受理" not in reply


def test_apply_for_a_person_given_by_county_names_that_citys_agency():
    events = [user("ask_entitlement", ent("county", "滕州市"), ent("age", "85"))]
    reply, _ = run(ActionExplainApply(), tracker(events + [user("apply", ent("item", "高龄津贴"))],
                                                 slots={"city": "滕州市", "item": "高龄津贴"}))
    assert "枣庄的“高龄津贴”由市卫生健康委牵头负责" in reply
    assert "济宁" not in reply and "聊城" not in reply


def test_policy_question_for_a_person_given_by_county_stays_in_that_city():
    events = [user("ask_entitlement", ent("county", "滕州市"))]
    reply, _ = run(ActionAnswerPolicy(), tracker(events + [user("ask_policy", text="长期护理保险什么时候全覆盖")],
                                                 slots={"city": "滕州市"}, text="长期护理保险什么时候全覆盖"))
    assert "办公室便函〔2023〕1号" in reply and "济政办发" not in reply and "聊政办字" not in reply
