"""A figure pointed at in a follow-up ("这个九百九", "这五百多") is the person's item that pays it."""

from bot.dialogue import figures
from bot.dialogue.context import Context
from rules_kb import Profile, default_kb

KB = default_kb()


def _ctx(profile: Profile) -> Context:
    return Context(KB, profile, profile.age, "老人", False, False)


def test_a_figure_said_in_words_or_digits_names_the_item_paying_it():
    # 枣庄 附件2 第17项: 低保 80—89周岁 生活补贴 100元 (护理补贴 80元 at grade 2—3); 第12项 高龄津贴 30元 at 80—89
    ctx = _ctx(Profile("枣庄", 85, frozenset({"低保"}), ability_grade=2))
    assert figures.referred(ctx, "这个一百块是谁发的") == ["经济困难老年人补贴"]
    assert figures.referred(ctx, "那30元是按月给吗") == ["高龄津贴"]
    assert sorted(figures.referred(ctx, "这210是咋算的")) == sorted(["经济困难老年人补贴", "高龄津贴"])  # the total


def test_more_than_a_figure_is_any_up_to_the_next_hundred():
    # 枣庄 附件1 第4项: 104周岁 省级200元＋市级240元＋区（市）级100元 = 不低于540元
    ctx = _ctx(Profile("枣庄", 104))
    assert figures.referred(ctx, "这五百多是咋算出来的") == ["高龄津贴"]
    assert figures.referred(ctx, "这四百多是咋算出来的") == []


def test_ages_times_and_figures_the_person_has_not_are_no_reference():
    ctx = _ctx(Profile("枣庄", 85, frozenset({"低保"}), ability_grade=2))
    assert figures.referred(ctx, "那八十多的呢") == []  # an age
    assert figures.referred(ctx, "这两年涨了没") == []
    assert figures.referred(ctx, "这300块是啥") == []  # none of the person's figures
