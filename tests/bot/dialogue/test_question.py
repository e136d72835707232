"""What a message asks, read from its words (the classifier's intent is left out on purpose)."""

import pytest

from bot.dialogue import question as reading
from bot.dialogue.question import read_question
from bot.nlu.normaliser import normalize


def read(text, intent=""):
    return read_question(normalize(text), intent)


@pytest.mark.parametrize(
    "text, kind",
    [
        ("我父亲85岁，枣庄的低保户，能领什么？", reading.ENTITLEMENTS),
        ("俺娘卧床好几年了，78岁，枣庄的，低保，能给点啥照顾", reading.ENTITLEMENTS),
        ("枣庄的老人进图书馆要钱吗？", reading.ITEM),
        ("枣庄百岁老人每月多少", reading.ITEM),
        ("我爸75岁，枣庄的，为什么没有高龄津贴", reading.WHY_NOT),
        ("济宁和枣庄的护理补贴哪个高", reading.COMPARE),
        ("济宁养老机构护理型床位占比目标是多少", reading.POLICY),
        ("济宁要创建几个全国示范性老年友好型社区", reading.POLICY),
        ("低保", reading.FACTS),
        ("都不是", reading.FACTS),
        ("不对，他是90岁", reading.FACTS),
        ("那如果户籍在济宁呢？", reading.FACTS),
        ("不知道", reading.DONT_KNOW),
        ("详细", reading.DETAIL),
        ("你好", reading.GREET),
        (
            "好的，再见",
            reading.GOODBYE,
        ),
        ("上海高龄津贴多少钱", reading.OUT_OF_SCOPE),
        ("明年六十五了 有啥新的", reading.ENTITLEMENTS),
    ],
)
def test_kind_of_question(text, kind):
    intent = "goodbye" if "再见" in text else ""
    assert read(text, intent).kind == kind


@pytest.mark.parametrize(
    "text, aspect",
    [
        ("枣庄怎么申请高龄津贴", reading.APPLY),
        ("失独扶助金在枣庄归谁管", reading.AGENCY),
        ("枣庄重度残疾人护理补贴要几级残疾才行", reading.CONDITIONS),
        ("济宁高龄津贴每月多少钱", reading.AMOUNT),
        ("枣庄老人坐公交要钱吗", reading.YESNO),
    ],
)
def test_aspect_of_an_item_question(text, aspect):
    q = read(text)
    assert q.kind == reading.ITEM and q.aspect == aspect


@pytest.mark.parametrize(
    "text, item",
    [
        ("济宁的老人去科技馆要门票吗", "进入公共文化设施"),  # 科技馆 is named in 枣庄's content only
        ("枣庄老人看病能优先吗", "就医便利服务"),
        ("俺爹失能了 我辞了工作去学护理 济宁给补贴吗", "家庭养老支持服务"),
        ("在枣庄街上看到一个要饭的老头 政府管不管", "流浪乞讨救助"),
        ("济宁低保老人的生活补贴 标准是啥", "经济困难老年人补贴"),
    ],
)
def test_item_found_by_what_it_covers(text, item):
    assert read(text).items[0] == item


def test_a_rule_is_not_a_person():
    q = read("枣庄60岁以上的老人坐公交免费吗")
    assert not q.personal and not q.has("age")
    q = read("枣庄低保老人的护理补贴 得啥条件才有")
    assert not q.personal and q.has("status")


def test_a_person_is_one():
    assert read("我爸85岁，枣庄的，高龄津贴能领多少").personal
    assert read("俺娘低保 邹城的 评估二级 护理补贴给多少").personal


def test_several_people_in_one_message():
    q = read("老两口都在枣庄，一个81一个76，都是特困")
    assert [p.age for p in q.people] == [81, 76]
    q = read("我爸82我妈78，都在滕州，低保户")
    assert [(p.relation, p.age) for p in q.people] == [("父亲", 82), ("母亲", 78)]


def test_an_assessment_grade_is_not_a_question_about_the_assessment():
    q = read("兖州区 俺爹七十八 低保 老年人能力评估是2级 能享受啥")
    assert q.kind == reading.ENTITLEMENTS and q.has("ability_grade")


def test_unsure_status_is_neither_yes_nor_no():
    q = read("俺娘 济宁嘉祥 九十一 不知道是不是低保户")
    assert not q.has("status") and not q.has("not_status")
    assert [e.value for e in q.entities if e.entity == "economic"] == ["不清楚"]


@pytest.mark.parametrize(
    "text, kind, first_item",
    [
        # how the person lives or what they already have is a fact; what the words after ask is the question
        ("阳谷县 我姥爷 95 特困 在敬老院集中供养 还有啥待遇", reading.ENTITLEMENTS, None),
        ("俺娘是特困在敬老院住着八十三了汶上的高零津贴有没有", reading.ITEM, "高龄津贴"),
        ("我妈79，任城户口，低保，每月多少？", reading.ENTITLEMENTS, None),
        ("我妈93，金乡，低保，户口金乡，每月多少？", reading.ENTITLEMENTS, None),
        # a clause of its own, then an open question of what the person gets
        ("俺爹84了，微山的，常年跑医院，不是低保，他能享受啥？", reading.ENTITLEMENTS, None),
        ("俺爹84了微山的常年跑医院他能享受啥", reading.ENTITLEMENTS, None),
        # ...unless those words ask about it
        ("在敬老院集中供养要交钱吗", reading.ITEM, "集中供养"),
        ("高龄津贴都有啥", reading.ITEM, "高龄津贴"),
        ("想问问就医便利服务 能享受啥", reading.ITEM, "就医便利服务"),
        ("迁户口找谁", reading.ITEM, "自愿随子女迁移户口"),
    ],
)
def test_facts_the_person_states_are_not_the_item_asked(text, kind, first_item):
    q = read(text)
    assert q.kind == kind
    if kind == reading.ITEM:
        assert q.items[0] == first_item
    assert not any(e.entity == "item" and e.value == "集中供养" for e in q.entities) or "交钱" in text


@pytest.mark.parametrize(
    "text",
    ["济宁现在的养老服务品牌叫啥", "聊城每个县要培育几家连锁化养老服务组织", "枣庄那个爱老敬老志愿服务“十助”都是啥"],
)
def test_a_measures_own_words_ask_for_the_measure_not_an_item_found_by_content(text):
    q = read(text)
    assert q.kind == reading.POLICY and q.fallback == reading.ITEM


def test_an_item_named_stays_the_item_even_where_measures_name_it_too():
    assert read("聊城的长期护理保险谁负责").kind == reading.ITEM


def test_an_item_word_said_of_a_group_is_that_groups_own_item():
    assert read("济宁重度残疾老人的护理补贴每月多少钱？").items == ("重度残疾人护理补贴",)
    assert read("残疾老人的生活补贴有多少").items[0] == "困难残疾人生活补贴"
    assert read("枣庄低保老人的护理补贴是多少？").items == ("经济困难老年人补贴",)  # 低保's is a part of it


def test_a_why_not_that_names_a_figure_is_about_the_item_that_pays_it():
    q = read("俺娘八十一 济宁的 邻居家老太太每月有100块补贴 俺娘咋没有 俺家不是低保")
    assert q.kind == reading.WHY_NOT and q.items[0] == "经济困难老年人补贴"  # 第17项: 80—89 低保 100元


def test_two_items_each_called_by_what_people_say_are_both_asked():
    # 办公室便函〔2023〕1号 附件2 第13项 分散供养 (在家), 第14项 集中供养 (敬老院)
    assert read("枣庄 特困老人在家供养跟去敬老院供养 有啥区别").items[:2] == ("分散供养", "集中供养")
