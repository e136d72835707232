"""Entities from the KB's own vocabulary: places, ages, statuses, grades, relations, items."""

import pytest

from bot.nlu.extractor import extract
from bot.nlu.normaliser import normalize
from rules_kb import default_kb


def ents(text, kinds=None):
    return [
        (e.entity, e.value)
        for e in extract(normalize(text))
        if (e.entity in kinds if kinds else e.entity != "economic")
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "我父亲85岁，枣庄的低保户，能领什么？",
            [("relation", "父亲"), ("age", "85"), ("city", "枣庄"), ("status", "低保")],
        ),
        ("我父親八十五歲，棗莊的低保戶", [("relation", "父亲"), ("age", "85"), ("city", "枣庄"), ("status", "低保")]),
        ("滕州的，不是低保是特困", [("county", "滕州市"), ("not_status", "低保"), ("status", "特困")]),
        ("曲阜", [("county", "曲阜市")]),
        ("临清市的老人", [("county", "临清市")]),
        ("济宁高新区的", [("county", "济宁高新区")]),
        ("评估二级呢", [("ability_grade", "2")]),
        ("残疾一级", [("status", "残疾"), ("disability_grade", "1")]),
        ("92", [("age", "92")]),
        ("那我母亲呢，88岁", [("relation", "母亲"), ("age", "88")]),
        ("五保户", [("status", "特困")]),
        ("失独家庭", [("status", "失独")]),
        ("独身子女没了", [("status", "失独")]),  # speech input writes 独生 as the word 独身
        ("独身子女伤残了", [("status", "独生子女伤残")]),
        ("长寿津贴多少钱", [("item", "高龄津贴")]),
        ("重度残疾人护理补贴找谁", [("item", "重度残疾人护理补贴")]),
        ("经济困难老年人补贴多少", [("item", "经济困难老年人补贴")]),
        ("妈妈瘫痪在床，独居", [("relation", "母亲"), ("status", "失能"), ("status", "独居")]),
    ],
)
def test_extract(text, expected):
    assert ents(text) == expected


def test_masked_id_is_not_an_age():
    assert ents("身份证370402195001011234，我父亲80岁") == [("relation", "父亲"), ("age", "80")]


def test_offsets_point_at_the_words():
    text = normalize("我父亲85岁，枣庄的低保户")
    for e in extract(text):
        assert text[e.start : e.end] in ("父亲", "85", "枣庄", "低保户")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("低保户", [("economic", "低保")]),
        ("五保户", [("economic", "特困")]),
        ("不是低保", [("economic", "都不是")]),
        ("独居", []),
    ],
)
def test_economic_answer(text, expected):
    assert ents(text, kinds={"economic"}) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("俺娘七十六邹城的", [("relation", "母亲"), ("age", "76"), ("county", "邹城市")]),
        ("八十五滕州的 低保", [("age", "85"), ("county", "滕州市"), ("status", "低保")]),
        ("一百零二济宁的", [("age", "102"), ("city", "济宁")]),
        ("我今年八十五", [("relation", "本人"), ("age", "85")]),  # the normaliser's: a number ending the message
        ("第八十五济宁", [("city", "济宁")]),  # an ordinal
        ("三十济宁的", [("city", "济宁")]),  # not an age of these lists' people
        ("七十六块钱", []),  # no place, status or relation after it
        ("俺姥姥八十四一样是低保", [("relation", "姥姥"), ("age", "84"), ("status", "低保")]),  # the statement goes on
        (
            "俺奶奶八十九不是低保都在山亭",
            [("relation", "奶奶"), ("age", "89"), ("not_status", "低保"), ("county", "山亭区")],
        ),
        ("俺婆婆呢她七十六", [("relation", "婆婆"), ("age", "76")]),  # after whom it is about
        ("俺爹七十六块钱", [("relation", "父亲")]),  # a sum of money, even after a person
        ("九十年代的政策", []),
        ("也是七十六、低保、评估二级", [("age", "76"), ("status", "低保"), ("ability_grade", "2")]),  # a list of facts
        ("第八十、低保", [("status", "低保")]),
        ("俺爹八十五户口在河南", [("relation", "父亲"), ("age", "85")]),  # 户口 is not a count of 户
        ("生活补贴一个月到底多少一百还是二百", [("item", "生活补贴")]),  # figures offered, not an age
        ("高龄津贴是从多大岁数开始给的过了九十是不是给得多", [("item", "高龄津贴")]),  # no one named: a rule's age
        ("这个钱等过了九十能涨到多少", [("age", "90")]),  # 等: the person's birthday to come
        ("俺公公九十九还是一百", [("relation", "公公"), ("age", "99"), ("age", "100")]),  # said of someone: ages
        ("全县八十五户低保", [("status", "低保")]),  # 户 is
    ],
)
def test_spoken_age_running_into_the_next_word(text, expected):
    assert ents(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("我65岁，老伴63岁", [("relation", "本人"), ("age", "65"), ("relation", "老伴"), ("age", "63")]),
        ("那俺呢俺七十四也是低保", [("relation", "本人"), ("relation", "本人"), ("age", "74"), ("status", "低保")]),
        ("我和老伴都在邹城", [("relation", "本人"), ("relation", "老伴"), ("county", "邹城市")]),
        ("我们俩一共每月多少", []),  # both, not the speaker alone
        ("我爸85", [("relation", "父亲"), ("age", "85")]),  # 我 of 我爸 is not the speaker
        ("我想问问高龄津贴", [("item", "高龄津贴")]),
    ],
)
def test_the_speaker_stating_their_own_facts_is_a_person(text, expected):
    assert [e for e in ents(text) if e[0] != "item"] == [e for e in expected if e[0] != "item"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("还有俺二叔八十六", [("relation", "二叔"), ("age", "86")]),
        ("那我哥呢", [("relation", "哥哥")]),
        ("小姑娘", []),
        ("老哥俩", []),
        ("小姐", []),  # a girl, friends, a miss: nobody's relative
    ],
)
def test_relatives_said_with_their_order_or_a_possessive(text, expected):
    assert ents(text) == expected


@pytest.mark.parametrize(
    "text, relations",
    [
        ("俺爹前年走了 俺娘八十", ["母亲"]),
        ("我丈夫是他们唯一的孩子，已经去世了", []),
        ("俺娘低保没了", ["母亲"]),  # a status taken away, not a death
        ("俺娘的独生子没了", ["母亲"]),  # the child died, not the mother
        ("俺爹走路不方便", ["父亲"]),
    ],
)
def test_a_relative_said_to_have_died_is_not_a_person(text, relations):
    assert [v for e, v in ents(text) if e == "relation"] == relations


def test_a_status_not_known_either_way_stays_unknown_before_a_negation():
    # found by the hostile property test: "是不是低保…都不" is not a "neither"
    found = extract(normalize("低保特困都不是不是低保低保特困都不"), default_kb())
    assert [e.value for e in found if e.entity == "economic" and e.start >= 9] == ["不清楚"] * 3


@pytest.mark.parametrize(
    "text, status",
    [("她自己一个人过", "独居"), ("俺爹瘫在床上好几年了", "失能"), ("俺爷爷当过兵", "退役军人")],
)
def test_situations_said_as_people_say_them(text, status):
    assert ("status", status) in ents(text)


@pytest.mark.parametrize(
    "text, age",
    [
        ("她是1945年3月生的", "81"),  # on 2026-11-27 (YANGLAO_TODAY in pytest.ini or the fixture)
        ("俺娘一九四六年十一月三十生的", "79"),  # her birthday is three days away
        ("俺爹1946年10月生的", "80"),
    ],
)
def test_a_birth_date_is_the_age_it_gives_today(text, age, monkeypatch):
    monkeypatch.setenv("YANGLAO_TODAY", "2026-11-27")
    assert ("age", age) in ents(text)


def test_a_date_that_is_no_birth_is_no_age():
    assert not [e for e in ents("2023年4月印发的文件") if e[0] == "age"]


def test_a_grade_heard_as_集_with_its_number_in_words_is_a_grade():
    assert ("ability_grade", "2") in ents("俺爹吃低保评姑结果是二集每月给多少钱")
    assert not [e for e in ents("电视剧第二集") if e[0].endswith("grade")]


@pytest.mark.parametrize("text", ["评估是二极", "能力评估二吉", "评估结果二级"])
def test_a_grade_heard_by_its_sound_is_a_grade(text):
    assert ("ability_grade", "2") in ents(text)


def test_ye_before_a_spoken_number_makes_it_an_age():
    assert ("age", "95") in ents("那俺舅爷在聊城深县也九十五他能领多少")
    assert ents("也九十块钱") == []
