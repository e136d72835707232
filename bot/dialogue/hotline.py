"""Replies that hand a person over to the hotline: the offer (hotline + consent question), the case code, the
thanks for feedback; and when a reply becomes the offer (asked for, angry or urgent, not understood twice).

Pure: the hotline and the code's lifetime come in as settings, the code from the action's store.
"""

from __future__ import annotations

import dataclasses
from typing import Optional

from bot.handoff.codes import display
from bot.handoff.settings import HandoffSettings

from . import question as reading
from .context import Reply
from .planner import NOT_UNDERSTOOD

CONSENT_PENDING = "consent"  # the `asked` slot after an offer: a following 同意 makes a code
MISSED = "missed"  # the `asked` slot after a reply that did not understand: a second one makes the offer
ASK_CONSENT = "回复 同意 生成查询码"
FEEDBACK_THANKS = "谢谢，已记下，我们会改进。要转人工吗？回复“转人工”可获取人工服务热线。"
USEFUL_THANKS = "谢谢您的反馈！还有其他想了解的，随时问我。"

# Why the offer is made: the first words of the reply.
ASKED, URGENT, NOT_UNDERSTOOD_TWICE = "asked", "urgent", "missed"
_LEADS = {
    ASKED: "",
    URGENT: "您别着急，我们请工作人员帮您。",
    NOT_UNDERSTOOD_TWICE: "抱歉，我还是没能明白您的问题，建议您找工作人员。",
}


def _days(settings: HandoffSettings) -> str:
    return f"{settings.code_days:g}"


def hotline_line(city: Optional[str], settings: HandoffSettings) -> str:
    line = settings.hotline(city)
    return f"{line.name}：{line.number}"


def offer(city: Optional[str], settings: HandoffSettings, why: str = ASKED, topic: Optional[dict] = None) -> Reply:
    text = (
        f"{_LEADS[why]}人工咨询请拨打{hotline_line(city, settings)}。\n"
        f"{ASK_CONSENT}：接线员输入查询码，就能看到您在这里说过的老人情况和问答（不含身份证号、手机号），"
        f"不用从头再说一遍。查询码{_days(settings)}天内有效。"
    )
    return Reply(text, topic=topic, asked=CONSENT_PENDING)


def code_given(code: str, city: Optional[str], settings: HandoffSettings, topic: Optional[dict] = None) -> Reply:
    text = (
        f"您的查询码：{display(code)}\n请拨打{hotline_line(city, settings)}，把查询码告诉接线员。"
        f"查询码{_days(settings)}天内有效，过期自动删除。"
    )
    return Reply(text, topic=topic)


def code_failed(city: Optional[str], settings: HandoffSettings, topic: Optional[dict] = None) -> Reply:
    return Reply(f"抱歉，查询码暂时无法生成。请直接拨打{hotline_line(city, settings)}。", topic=topic)


def conversational(
    q: reading.Question, city: Optional[str], settings: HandoffSettings, topic: Optional[dict]
) -> Optional[Reply]:
    """The reply to a message about the conversation itself (a handoff, feedback, 同意 without an offer
    before it), else None."""
    if q.kind in (
        reading.HANDOFF,
        reading.CONSENT,
    ):  # 同意 with no offer pending: make the offer, then it can be agreed to
        return offer(city, settings, URGENT if q.urgent else ASKED, topic)
    if q.kind == reading.FEEDBACK:
        return Reply(FEEDBACK_THANKS, topic=topic)
    if q.kind == reading.USEFUL:
        return Reply(USEFUL_THANKS, topic=topic)
    return None


def escalate(
    reply: Reply, q: reading.Question, asked_before: Optional[str], city: Optional[str], settings: HandoffSettings
) -> Reply:
    """The planner's reply, turned into (or followed by) the offer when the person needs a person: a second
    not-understood reply in a row, or an angry or urgent message. A first not-understood reply is marked."""
    missed = reply.response == NOT_UNDERSTOOD
    if missed and asked_before == MISSED:
        return offer(city, settings, NOT_UNDERSTOOD_TWICE, reply.topic)
    if q.urgent and reply.asked != CONSENT_PENDING:
        made = offer(city, settings, URGENT, reply.topic)
        if reply.text:  # answered: the answer, then the offer
            return dataclasses.replace(made, text=reply.text + "\n" + made.text)
        return made
    if missed:
        return dataclasses.replace(reply, asked=MISSED)
    return reply
