"""The handoff and the review queue through the answering action, as Rasa runs it turn by turn (bot replies in
the events too), against the SQLite store of tests/actions/conftest.py."""

import re
from typing import List

from bot.dialogue.hotline import ASK_CONSENT
from bot.handoff.stores import stores
from bot.nlu.extractor import extract
from bot.nlu.normaliser import normalize
from bot.privacy import ID_MASK
from tests.actions.turns import run_action

CODE_RE = re.compile(r"查询码：([2-9A-Z]{5}-[2-9A-Z]{5})")


def converse(*turns: str, channel: str = "wechat", metadata=None) -> List[str]:
    events, slots, replies = [], {}, []
    for text in turns:
        text = normalize(text) if "身份证" in text else text  # the channel masks before the tracker sees it
        entities = [e.to_rasa("KBEntityExtractor") for e in extract(normalize(text))]
        parse = {"intent": {"name": "inform", "confidence": 0.8}, "entities": entities}
        events.append(
            {"event": "user", "text": text, "metadata": metadata or {}, "input_channel": channel, "parse_data": parse}
        )
        said = run_action(events, slots, {"text": text, **parse})
        events.append({"event": "bot", "text": said})
        replies.append(said)
    return replies


def latest_entry():
    return stores().review_queue.entries("all", limit=1)[0]


def test_handoff_consent_and_a_code_that_opens_the_masked_case():
    _, offer, done = converse("身份证372901195203154321 我爸85岁枣庄低保", "转人工", "同意")
    assert "12345政务服务便民热线（全国统一号码）：12345" in offer and ASK_CONSENT in offer
    code = CODE_RE.search(done).group(1)
    case = stores().cases.lookup(code)
    assert case.snapshot["profile"]["city"] == "枣庄" and case.snapshot["profile"]["age"] == 85
    assert case.snapshot["channel"] == "wechat"
    assert ID_MASK in case.snapshot["turns"][0]["q"] and "372901195203154321" not in str(case.snapshot)
    assert [t["q"] for t in case.snapshot["turns"]][1:] == ["转人工", "同意"]


def test_consent_without_an_offer_makes_the_offer_not_a_code():
    (reply,) = converse("同意")
    assert ASK_CONSENT in reply and not CODE_RE.search(reply)


def test_two_turns_not_understood_in_a_row_offer_the_hotline():
    first, second = converse("呃呃呃呃", "啊啊啊啊")
    assert first == "<utter_default>"
    assert ASK_CONSENT in second
    entry = latest_entry()
    assert (entry["reason"], entry["detail"], entry["text"]) == ("handoff", "missed", "啊啊啊啊")


def test_no_on_wechat_is_feedback_on_the_last_answer_and_enters_the_queue():
    answer, thanks = converse("枣庄高龄津贴多少钱", "没用")
    assert thanks.startswith("谢谢，已记下，我们会改进。要转人工吗？")
    entry = latest_entry()
    assert (entry["reason"], entry["channel"], entry["text"], entry["detail"]) == (
        "feedback",
        "wechat",
        "枣庄高龄津贴多少钱",
        "没用",
    )
    assert entry["reply"] == answer


def test_the_widget_button_names_the_answer_it_sits_under():
    first, second, _ = converse(
        "枣庄高龄津贴多少钱",
        "聊城高龄津贴多少钱",
        "没用",
        channel="rest",
        metadata={"client": "widget", "answer": "枣庄"},
    )
    entry = latest_entry()
    assert (entry["channel"], entry["text"], entry["reply"]) == ("widget", "枣庄高龄津贴多少钱", first)


def test_an_answered_turn_leaves_the_queue_as_it_was():
    before = stores().review_queue.counts()
    converse("我父亲85岁，枣庄的低保户，能领什么？", "有用")
    assert stores().review_queue.counts() == before
