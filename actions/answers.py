"""The assistant's actions. Each reads slots, asks rules_kb, and formats the reply with rules_kb.render."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.profile_slots import profile_from_history, profile_from_slots, who
from rules_kb import ProfileError, default_kb, evaluate, render
from rules_kb.engine import lookup_item, resolve_place, search_facts

logger = logging.getLogger(__name__)
ASK_CITY = "请问老人的户籍在哪个城市或县区？（目前可查询济宁、枣庄、聊城三市）"


def _slots(tracker: Tracker) -> Dict[str, Any]:
    """The person's profile folded from this conversation, plus the item in question."""
    slots = profile_from_history(tracker.events)
    slots["item"] = tracker.get_slot("item")
    return slots


def _message_city(tracker: Tracker) -> str | None:
    """A city named in this message (a policy question may name one without changing the profile)."""
    for e in tracker.latest_message.get("entities", []):
        if e.get("entity") in ("city", "county"):
            try:
                return resolve_place(default_kb(), str(e["value"]))[0]
            except ProfileError:
                continue
    return None


class ActionResetProfile(Action):
    """A new person: forget the form's facts except those said in this very message."""

    def name(self) -> Text:
        return "action_reset_profile"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        said = {e.get("entity") for e in (tracker.latest_message or {}).get("entities", [])}
        keep = {"city": bool(said & {"city", "county"}), "age": "age" in said, "economic": "economic" in said}
        return [SlotSet(slot, None) for slot, kept in keep.items() if not kept]


class ActionAnswerEntitlements(Action):
    def name(self) -> Text:
        return "action_answer_entitlements"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        slots = _slots(tracker)
        if not slots.get("city"):
            dispatcher.utter_message(text=ASK_CITY)
            return []
        try:
            answer = evaluate(default_kb(), profile_from_slots(slots))
        except ProfileError as exc:
            dispatcher.utter_message(text=f"信息有误：{exc}")
            return []
        dispatcher.utter_message(text=render.answer_text(answer, who=who(slots)))
        return []


class ActionAnswerItem(Action):
    """One item of the person's city (asked for when unknown), and what it means for the person if the age is known."""

    def name(self) -> Text:
        return "action_answer_item"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        kb = default_kb()
        slots = _slots(tracker)
        name = slots.get("item")
        if not name:
            names = "、".join(dict.fromkeys(i.name for items in kb.items.values() for i in items))
            dispatcher.utter_message(text=f"请问您想了解哪一项？例如：{names}")
            return []
        city = _message_city(tracker) or slots.get("city")
        if not city:  # the standards differ by city: ask rather than show three cities' figures
            dispatcher.utter_message(text=f"“{name}”的标准各市不同。{ASK_CITY}")
            return []
        found = lookup_item(kb, city, name)
        lines = [render.item_text(item) for item in found] or [f"{city}：{city}的基本养老服务清单中没有“{name}”这一项。"]
        if slots.get("age") is not None and slots.get("city") == city:
            lines.append(self._personal(slots, name))
        dispatcher.utter_message(text="\n\n".join(x for x in lines if x))
        return []

    @staticmethod
    def _personal(slots: Dict[str, Any], name: str) -> str:
        try:
            answer = evaluate(default_kb(), profile_from_slots(slots))
        except ProfileError:
            return ""
        for e in answer.items:
            if name in (e.name, *(p.name for p in e.parts)):
                return f"按{who(slots)}的情况：" + render.entitlement_line(e)
        return f"按{who(slots)}目前提供的情况，暂不符合“{name}”的服务对象条件。"


class ActionAnswerPolicy(Action):
    def name(self) -> Text:
        return "action_answer_policy"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        text = (tracker.latest_message or {}).get("text") or ""
        city = _message_city(tracker) or _slots(tracker)["city"]
        facts = search_facts(default_kb(), text, city)
        if not facts and city:
            facts = search_facts(default_kb(), text, None)
        if not facts:
            dispatcher.utter_message(text="没有找到相关的政策规定。我可以帮您查询济宁、枣庄、聊城的养老服务政策目标、期限和标准，"
                                          "例如：“济宁的长期护理保险什么时候全覆盖？”")
            return []
        dispatcher.utter_message(text="相关政策规定：\n" + render.facts_text(facts, limit=4))
        return []


class ActionExplainApply(Action):
    """Says where to go; the assistant never takes or processes an application."""

    def name(self) -> Text:
        return "action_explain_apply"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        kb = default_kb()
        name = tracker.get_slot("item")
        city = _message_city(tracker) or _slots(tracker)["city"]
        head = "本助手只提供政策查询，不能代办申请，也不会收集您的证件信息。"
        if not name:
            dispatcher.utter_message(text=head + "请告诉我您想办理哪一项（如高龄津贴、经济困难老年人补贴），我告诉您由哪个部门牵头负责。")
            return []
        lines = [head]
        for c in [city] if city else list(kb.cities):
            for item in lookup_item(kb, c, name):
                lines.append(f"{c}的“{item.name}”由{item.agency}牵头负责，请向{item.agency}或户籍所在县（市、区）、"
                             f"乡镇（街道）的对应部门咨询办理。【{item.source.cite()}】")
        if len(lines) == 1:
            lines.append(f"没有在清单中找到“{name}”。")
        dispatcher.utter_message(text="\n".join(lines))
        return []
