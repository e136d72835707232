"""Matters outside the documents (rules_kb/outside.yml, outside.py): validated against the KB, matched by their
words, answered with the agency a document names, else 12345."""

import pytest

from rules_kb import default_kb, outside, outside_topic
from rules_kb.outside import OutsideError, load_topics

KB = default_kb()


def test_every_agency_named_is_the_kbs():
    items = {i.id: i for city_items in KB.items.values() for i in city_items}
    for topic in outside.topics(KB):
        for city, named in topic.agency.items():
            lines = [i for i in items.values() if i.city == city and i.source == named.source]
            lines += [f for f in KB.facts if f.city == city and f.source == named.source]
            assert any(named.agency in (x.agency or "").split("、") for x in lines)
            assert named.agency in outside.answer_text(KB, topic, city)


@pytest.mark.parametrize(
    "text, topic",
    [
        ("医保报销比例是多少", "medical_insurance"),
        ("住院押金要交多少", "medical_insurance"),
        ("退休年龄是多少", "pension_and_retirement"),
        ("养老金今年涨多少", "pension_and_retirement"),
        ("养老金每月多少", None),  # the lists' 职工基本养老保险 answers this
        ("长护险什么时候全覆盖", None),  # a policy fact
        ("济宁高龄津贴多少", None),
        ("残疾证怎么办", "disability_certificate"),
        ("重度残疾人护理补贴多少", None),  # a list item
        ("济宁有没有老年大学", "elder_education"),
        ("独生子女父母奖励费多少", "family_planning_reward"),
        ("失独老人特别扶助金多少", None),  # a list item
        ("她那套房子想过户给俺得交多少税", "property_and_tax"),
        ("在厂里上班，啥时候能退休？", "pension_and_retirement"),
    ],
)
def test_matched_by_words(text, topic):
    found = outside_topic(KB, text)
    assert (found.id if found else None) == topic


def test_answer_names_the_agency_and_its_line_or_the_hotline():
    medical = next(t for t in outside.topics(KB) if t.id == "medical_insurance")
    pension = next(t for t in outside.topics(KB) if t.id == "pension_and_retirement")
    text = outside.answer_text(KB, medical, "枣庄")
    assert "不在本助手依据的文件范围内" in text and "枣庄市医保局" in text and "办公室便函〔2023〕1号" in text
    assert "枣庄市人力资源社会保障局" in outside.answer_text(KB, pension, "枣庄")
    liaocheng = outside.answer_text(KB, pension, "聊城")  # 聊城's plan names no agency for pensions
    assert (
        "12345" in liaocheng
        and "聊城的文件没有指明负责部门（济宁的文件中职工基本养老保险由市人力资源社会保障局牵头" in liaocheng
    )
    assert "聊城市人力资源社会保障局" not in liaocheng  # not said to be named where no document names it
    every = outside.answer_text(KB, pension)
    assert "济宁市人力资源社会保障局" in every and "聊城：文件未指明负责部门" in every


@pytest.mark.parametrize(
    "agency, problem",
    [
        ("{济宁: {agency: 市医保局, named_in: no-such-line, matter: x}}", "no item or fact"),
        ("{济宁: {agency: 市医保局, named_in: zz-2023-m07-a, matter: x}}", "枣庄's"),
        ("{济宁: {agency: 市民政局, named_in: jn-2023-m07, matter: x}}", "does not name 市民政局"),
        ("{济宁: {agency: 市医保局, named_in: jn-2023-m07}}", "needs agency, named_in and matter"),
        ("{上海: {agency: 市医保局, named_in: jn-2023-m07, matter: x}}", "unknown city"),
    ],
)
def test_invalid_files_are_refused(tmp_path, agency, problem):
    path = tmp_path / "outside.yml"
    path.write_text(f"topics:\n  - id: t\n    says: 某事\n    asks: [某事]\n    agency: {agency}\n", encoding="utf-8")
    with pytest.raises(OutsideError, match=problem):
        load_topics(KB, path)


def test_words_in_order():
    topic = outside.Topic("t", "x", (("养老金", "涨"),), {})
    assert topic.matches("养老金今年涨多少") and not topic.matches("涨了养老金吗")


def test_a_retirees_funeral_grant_is_outside_but_a_martyrs_familys_pension_is_in_the_lists():
    from rules_kb import default_kb, outside_topic

    kb = default_kb()
    found = outside_topic(kb, "济宁退休老人去世了丧葬费抚恤金咋领")
    assert found is not None and found.id == "pension_and_retirement"
    assert outside_topic(kb, "烈士遗属的抚恤金找谁") is None  # 优抚供养, 市退役军人事务局


def test_a_matter_no_document_names_anyone_for_gives_the_hotline_once():
    education = next(t for t in outside.topics(KB) if t.id == "elder_education")
    text = outside.answer_text(KB, education)
    assert "不在本助手依据的文件范围内" in text and text.count("12345") == 1 and "济宁：" not in text


@pytest.mark.parametrize(
    "text, topic",
    [
        ("老年人坐高铁有没有优惠", "other_transport"),
        ("老人用电有优惠吗", "utilities_and_phone"),
        ("俺爹八十了想考个驾照", "driving"),
        ("过年过节给老人发米面油慰问吗", "gifts_and_holidays"),
        ("养老院一个月收费多少", "care_home_fees"),
        ("养老机构预收费监管怎么搞", None),  # 聊政办字〔2023〕19号 第24条: a measure
        ("养老机构燃气安全检查", None),  # the measures' safety checks, not a utility bill
        ("济宁农村老人翻修房子有补贴吗", "housing_repair"),
        ("俺娘腿脚不好 家里能装个扶手吗", None),  # 适老化改造, in the lists
    ],
)
def test_everyday_matters_the_documents_leave_out(text, topic):
    found = outside_topic(KB, text)
    assert (found.id if found else None) == topic


def test_every_outside_answer_says_what_the_assistant_can_do():
    for t in outside.topics(KB):
        assert outside.answer_text(KB, t).endswith(outside.OFFER)
