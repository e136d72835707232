"""brief.group_text: a city's items for everyone, by group, each figure by age from the list (枣庄 办公室便函〔2023〕1号
附件2: 第12项 高龄津贴 80—89 30元, 90—99 60元, 100+ 不低于500元; 第17项 生活补贴 60—79 80元, 80—89 100元,
90—99 200元, 护理补贴 2—3级 80元; 第25项 特扶 失独 990元, 伤残 810元; 第13/14项 特困 供养, no figure)."""

from rules_kb import brief, default_kb

KB = default_kb()


def test_every_group_of_a_city_with_each_figure_agency_and_source():
    text = brief.group_text(KB, "枣庄")
    for figure in ("30元", "60元", "不低于500元", "80元", "100元", "200元", "990元", "810元"):
        assert figure in text
    assert (
        "市卫生健康委【办公室便函〔2023〕1号 附件2 第12项" in text
        and "市民政局【办公室便函〔2023〕1号 附件2 第17项】" in text
    )
    assert "分散供养（特困老年人，市民政局，第13项）" in text  # no figure in the list: named with its agency
    assert "？" not in text  # an offer to work out one person, not a question


def test_a_named_group_gets_its_items_and_not_another_groups():
    text = brief.group_text(KB, "枣庄", frozenset({"低保"}))
    assert "经济困难老年人补贴" in text and "高龄津贴" in text  # 高龄津贴 is every 80-year-old's
    assert "第13项" not in text and "第14项" not in text and "990元" not in text  # 特困's 供养 and 失独's
    # its own items come with what they give: 第15项 适老化改造 names 城乡低保对象 beside 特困
    assert "【低保老年人的专门待遇】" in text and "分散供养特困老年人家庭适老化改造：" in text


def test_a_group_gets_its_own_services_with_what_they_give_and_their_agency():
    text = brief.group_text(KB, "济宁", frozenset({"退役军人"}))
    assert "优抚供养：" in text and "市退役军人事务局【济政办发〔2023〕2号 附件 第23项】" in text
    tekun = brief.group_text(KB, "枣庄", frozenset({"特困"}))
    assert "1.3倍" in tekun and "市民政局【办公室便函〔2023〕1号 附件2 第13项】" in tekun
    assert "经济困难老年人补贴" not in tekun  # 低保's


def test_everyone_of_a_city_hears_of_the_services_of_a_group_with_whom_they_are_for():
    text = brief.group_text(KB, "济宁")
    assert "探访服务（特殊困难老年人，市民政局，第19项）" in text
    assert "健康管理服务（65周岁及以上老年人，市卫生健康委，第11项）" in text


def test_a_city_whose_document_gives_no_figures_says_so_and_never_0元():
    text = brief.group_text(KB, "聊城")
    assert "【有明确金额的现金补贴】" not in text and "0元" not in text
    assert "高龄津贴（80周岁及以上老年人，市卫生健康委，聊政办字〔2023〕19号 第8条）" in text


def test_the_disabled_hear_of_the_items_by_disability_grade_and_of_those_that_also_need_dibao():
    text = brief.group_text(KB, "枣庄", frozenset({"残疾"}))
    # 办公室便函〔2023〕1号 附件2: 重度残疾人护理补贴 (一、二级), 困难残疾人生活补贴 (残疾 and 低保)
    assert "· 重度残疾人护理补贴（残疾等级为一级、二级）：" in text and "· 困难残疾人生活补贴（另需低保）：" in text
    assert "（另需）" not in brief.group_text(KB, "济宁", frozenset({"失能"}))  # an alternative is named, never nothing


def test_a_group_hears_of_the_items_of_the_status_its_own_implies():
    text = brief.group_text(KB, "聊城", frozenset({"低保", "特困"}))
    # 聊政办字〔2023〕19号 第5条: 经济困难老年人补贴, for 经济困难 (低保 and 特困 are, regions.yml implies)
    assert "经济困难老年人补贴（经济困难老年人，市民政局" in text


def test_what_an_item_depends_on_is_only_what_could_change_it():
    from rules_kb import Profile, judge_item, lookup_item

    item = lookup_item(KB, "聊城", "居家适老化改造")[0]  # 聊政办字〔2023〕19号 第14条
    neither = Profile("聊城", 78, frozenset(), frozenset({"低保", "特困"}), None, None, "临清市")
    assert {getattr(a, "status", None) for a in judge_item(KB, neither, item).unknown} == {"失独", "独生子女伤残"}
    unknown = Profile("聊城", 78, frozenset(), frozenset(), None, None, "临清市")
    assert {"低保", "失能", "失独"} <= {getattr(a, "status", None) for a in judge_item(KB, unknown, item).unknown}
