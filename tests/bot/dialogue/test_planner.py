"""The planner's answers where the documents give no figure or do not cover what is asked (issue 19)."""

from bot.dialogue import planner
from bot.dialogue import question as reading
from bot.dialogue.context import Context
from bot.nlu.normaliser import normalize
from rules_kb import Profile, default_kb

KB = default_kb()


def reply(text, profile=None):
    ctx = Context(KB, profile, profile.age if profile else None, "老人", False, False)
    return planner.respond(reading.read_question(normalize(text), "", KB), ctx, None)


def test_a_comparison_never_says_zero_where_items_apply_without_a_figure():
    text = reply("济宁和聊城比一比", Profile("济宁", 81)).text
    assert "0元" not in text
    jining = next(line for line in text.splitlines() if line.startswith("济宁"))
    assert "高龄津贴（市卫生健康委）" in jining and "文件未列具体金额" in jining


def test_a_comparison_with_figures_keeps_its_total_and_names_the_rest():
    text = reply("枣庄和济宁比一比", Profile("枣庄", 85)).text
    zaozhuang = next(line for line in text.splitlines() if line.startswith("枣庄"))
    assert "高龄津贴30元/月" in zaozhuang and "每月合计30元" in zaozhuang
    assert "另有可享受、文件未列具体金额的现金待遇：职工基本养老保险" in zaozhuang


def test_why_not_says_the_item_applies_and_the_document_states_no_amount():
    text = reply("为什么领不到高龄津贴", Profile("聊城", 78)).text
    assert "可领聊城" not in text
    assert "满80周岁起可享受此项，聊城实施方案未列具体金额，按规定执行（市卫生健康委）" in text


def test_matters_outside_the_documents_are_said_plainly():
    r = reply("医保报销比例是多少")
    assert r.response is None and "不在本助手依据的文件范围内" in r.text and "市医保局" in r.text
    r = reply("俺爹退休年龄是多少 济宁的")
    assert "济宁市人力资源社会保障局" in r.text and "12345" in r.text
    r = reply("养老金今年涨多少", Profile("聊城", 70))
    assert "12345" in r.text and "聊城的文件没有指明负责部门" in r.text


def test_a_rule_for_every_elder_of_a_city_asks_no_age():
    text = reply("枣庄的老年人能享受哪些优待", Profile("枣庄")).text
    assert "60周岁及以上老年人" in text and "乘坐城市公共交通工具" in text and "？" not in text


def test_two_ages_asked_about_get_every_tier():
    text = reply("计宁的低保老人生活补贴八十五岁给多少九十五岁给多少", Profile("济宁", 85, frozenset({"低保"}))).text
    assert "100元" in text and "200元" in text


def test_a_corrected_age_is_not_two_ages_asked_about():
    topic = {"kind": reading.ITEM, "aspect": reading.AMOUNT, "items": ["经济困难老年人补贴"], "city": "济宁"}
    ctx = Context(KB, Profile("济宁", 86, frozenset({"低保"}), ability_grade=2), 86, "老人", False, False)
    text = planner.respond(reading.read_question(normalize("打错了，她86，不是68"), "", KB), ctx, topic).text
    assert "可以享受" in text and "185元" in text
