"""What asks for a person, consent and feedback, read from the words; when a reply becomes the hotline offer;
and the offer's size on WeChat."""

import pytest

from bot.channels.wechat import MAX_TEXT_BYTES
from bot.dialogue import hotline
from bot.dialogue import question as reading
from bot.dialogue.context import Reply
from bot.dialogue.planner import NOT_UNDERSTOOD
from bot.handoff.settings import HandoffSettings, Hotline
from bot.nlu.normaliser import normalize

SETTINGS = HandoffSettings()


def kind(text):
    return reading.read_question(normalize(text)).kind


@pytest.mark.parametrize(
    "text",
    ["转人工", "我要转人工", "人工客服", "有没有人工服务", "打电话问问", "我想打个电话问一下", "气死了", "我要投诉"],
)
def test_a_person_is_wanted(text):
    assert kind(text) == reading.HANDOFF


@pytest.mark.parametrize("text", ["没用", "不对", "听不懂", "答非所问", "你说的不对", "完全没用", "说错了"])
def test_negative_feedback(text):
    assert kind(text) == reading.FEEDBACK


@pytest.mark.parametrize(
    "text",
    [
        "不对，他是90岁",
        "不对 他98了",
        "俺爹七十 济宁的 被人骗了钱",
        "我妈88岁，济宁的，你们给我回个电话",
        "济宁 俺爹71 也不清楚他是低保还是特困 俺啥也不懂 他能享受啥",
    ],
)
def test_corrections_and_topics_are_not_read_as_feedback_or_handoff(text):
    q = reading.read_question(normalize(text))
    assert q.kind not in (reading.FEEDBACK, reading.HANDOFF) and not q.urgent


def test_consent_and_useful():
    assert kind("同意") == kind("好的，同意") == reading.CONSENT
    assert kind("有用") == kind("很有用") == reading.USEFUL


def test_urgent_words_with_a_question_answer_it_and_flag_it():
    q = reading.read_question(normalize("急死了，我爸85岁枣庄的能领什么"))
    assert q.kind == reading.ENTITLEMENTS and q.urgent


def test_the_offer_gives_the_citys_hotline_and_asks_for_consent():
    own = HandoffSettings(
        hotlines={
            "default": Hotline("12345", "12345政务服务便民热线（全国统一号码）"),
            "聊城": Hotline("0635-0000000", "聊城市养老服务热线"),
        }
    )
    national = hotline.offer(None, SETTINGS)
    assert "12345政务服务便民热线（全国统一号码）：12345" in national.text and hotline.ASK_CONSENT in national.text
    assert national.asked == hotline.CONSENT_PENDING
    assert "聊城市养老服务热线：0635-0000000" in hotline.offer("聊城", own).text
    assert "12345" in hotline.offer("济宁", own).text


def test_a_second_not_understood_reply_in_a_row_becomes_the_offer():
    q = reading.read_question(normalize("呃呃呃"))
    first = hotline.escalate(Reply(response=NOT_UNDERSTOOD), q, None, None, SETTINGS)
    assert first.response == NOT_UNDERSTOOD and first.asked == hotline.MISSED
    second = hotline.escalate(Reply(response=NOT_UNDERSTOOD), q, first.asked, None, SETTINGS)
    assert second.response is None and hotline.ASK_CONSENT in second.text and "没能明白" in second.text
    answered = hotline.escalate(Reply("枣庄·高龄津贴：…"), q, hotline.MISSED, None, SETTINGS)
    assert answered.text == "枣庄·高龄津贴：…" and answered.asked is None


def test_an_urgent_answer_keeps_the_answer_and_adds_the_offer():
    q = reading.read_question(normalize("急死了，我爸85岁枣庄的能领什么"))
    r = hotline.escalate(Reply("您父亲……每月合计：30元"), q, None, "枣庄", SETTINGS)
    assert r.text.startswith("您父亲……每月合计：30元\n您别着急") and hotline.ASK_CONSENT in r.text


def test_handoff_replies_fit_one_wechat_message():
    for text in (
        hotline.offer("枣庄", SETTINGS, hotline.NOT_UNDERSTOOD_TWICE).text,
        hotline.code_given("ABCDE23456", "枣庄", SETTINGS).text,
        hotline.FEEDBACK_THANKS,
    ):
        assert len(text.encode("utf-8")) < MAX_TEXT_BYTES // 4
