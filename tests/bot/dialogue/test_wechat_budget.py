"""On WeChat the passive reply (at most 2,048 bytes) must hold every cash item with its amount and agency and
the monthly total, for every profile the knowledge base can produce: cities x ages at every threshold x
statuses x grades. The rest (services, hints, sources) may follow as customer-service messages."""

import itertools

import pytest

from bot.channels.wechat import MAX_TEXT_BYTES, plan_reply
from bot.dialogue import question as reading
from bot.dialogue.context import Context
from bot.dialogue.planner import respond
from rules_kb import age_thresholds, default_kb, evaluate, make_profile

KB = default_kb()
ECONOMIC = [((), ()), (("低保",), ()), (("特困",), ()), ((), ("低保", "特困"))]
SPECIAL = [
    (),
    ("失独",),
    ("独生子女伤残",),
    ("失能",),
    ("退役军人", "烈士遗属"),
    ("失独", "失能", "独居", "空巢", "残疾"),
]
ABILITY = [None, 2, 3]
DISABILITY = [None, 1, 3]


def ages(city):
    edges = {a for t in age_thresholds(KB, city) for a in (t - 1, t)} | {60, 130}
    return sorted(a for a in edges if 0 <= a <= 130)


def profiles(city):
    for age, (has, has_not), special, ability, disability in itertools.product(
        ages(city), ECONOMIC, SPECIAL, ABILITY, DISABILITY
    ):
        yield make_profile(KB, city, age, has + special, has_not, ability, disability)


@pytest.mark.parametrize("city", KB.cities)
def test_passive_reply_holds_every_cash_item_and_the_total(city):
    checked = 0
    for profile in profiles(city):
        ctx = Context(KB, profile, profile.age, "老人", economic_unsure=False, detail=False)
        text = respond(reading.Question(reading.ENTITLEMENTS, personal=True), ctx).text
        passive, _ = plan_reply(text)
        where = f"{profile}:\n{passive}"
        assert len(passive.encode("utf-8")) <= MAX_TEXT_BYTES, where
        answer = evaluate(KB, profile)
        for e in answer.items:
            if e.item.kind != "cash":
                continue
            assert e.name in passive and e.agency in passive, where
            if e.amount_yuan_per_month is not None:
                assert f"{e.amount_yuan_per_month:g}元" in passive, where
        if answer.monthly_total_yuan:
            assert (
                f"每月合计：{'不低于' if answer.total_is_minimum else ''}{answer.monthly_total_yuan:g}元" in passive
            ), where
        checked += 1
    assert checked > 1000
