"""What the next birthday brings, and items found by what they cover. Figures from 办公室便函〔2023〕1号
附件1 第4项 / 附件2 第12、17项 and 济政办发〔2023〕2号 附件."""

from rules_kb import ahead, brief, default_kb, every_birthday_ahead, items_by_content, make_profile

KB = default_kb()


def changes(place, age, *statuses, within=5):
    return {
        (c.item.name, c.part): (c.before, c.after, c.age)
        for c in ahead(KB, make_profile(KB, place, age, statuses), within)
    }


def test_79_to_80_in_zaozhuang_adds_the_allowance_and_raises_the_living_subsidy():
    got = changes("枣庄", 79, "低保")
    assert got[("高龄津贴", "高龄津贴")] == (None, 30, 80)
    assert got[("经济困难老年人补贴", "生活补贴")] == (80, 100, 80)


def test_99_to_100_in_zaozhuang_and_jining():
    assert changes("枣庄", 99)[("高龄津贴", "高龄津贴")] == (60, 500, 100)
    assert changes("济宁", 99)[("高龄津贴", "高龄津贴")] == (None, 300, 100)  # 80–99: no figure in 济宁


def test_a_centenarians_amount_is_a_floor_and_said_so():
    (line,) = brief.change_lines(ahead(KB, make_profile(KB, "枣庄", 99), 5))
    assert "由60元增至不低于500元/月" in line  # 附件1 第4项: 不低于500元
    (line,) = brief.change_lines(ahead(KB, make_profile(KB, "济宁", 99), 5))
    assert "高龄津贴不低于300元/月" in line  # 济政办发〔2023〕2号 附件 第12项: 不少于300元


def test_every_later_birthday_in_order():
    got = [
        [(c.item.name, c.after) for c in cs if c.item.kind == "cash"]
        for cs in every_birthday_ahead(KB, make_profile(KB, "枣庄", 80))
    ]
    assert got == [[("高龄津贴", 60)], [("高龄津贴", 500)]]  # 90: 60元, 100: 不低于500元
    assert every_birthday_ahead(KB, make_profile(KB, "枣庄", None)) == []


def test_nothing_beyond_the_window_or_without_an_age():
    assert changes("枣庄", 70, within=5) == {}
    assert ahead(KB, make_profile(KB, "枣庄", None)) == []


def test_64_to_65_brings_services_only():
    got = changes("济宁", 64)
    assert ("健康管理服务", None) in got and ("法律诉讼服务", None) in got  # 济宁 lists it under 65+
    assert ("法律诉讼服务", None) not in changes("枣庄", 64)  # 枣庄: already from 60


def test_items_by_content():
    assert [i.name for i in items_by_content(KB, "去科技馆要门票吗", "枣庄")] == ["进入公共文化设施"]
    assert items_by_content(KB, "好的，再见") == []
    assert items_by_content(KB, "没有") == []  # a word of grammar names no service
