"""The answering action over whole conversations, with the real planner, engine and KB: a Tracker built from
the user's turns (entities from the same extractor the NLU runs) and the slots the action set, a
CollectingDispatcher. Figures expected here are read from the source documents (see rules_kb/cases)."""

from typing import List

import pytest

from bot.dialogue.household import fold
from bot.nlu.extractor import extract
from bot.nlu.normaliser import normalize
from tests.actions.turns import run_action

ASKS_ECONOMIC = "是低保对象或特困人员吗"


def user(intent, *entities, text=""):
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}, "entities": list(entities)}}


def ent(entity, value):
    return {"entity": entity, "value": value, "start": 0, "end": 1}


def converse(*turns: str, intent: str = "", metadata=None) -> List[str]:
    """Each turn through the action as Rasa would run it; the replies in order."""
    events, slots, replies = [], {}, []
    for text in turns:
        entities = [e.to_rasa("KBEntityExtractor") for e in extract(normalize(text))]
        events.append(
            {
                "event": "user",
                "text": text,
                "metadata": metadata or {},
                "parse_data": {"intent": {"name": intent}, "entities": entities},
            }
        )
        latest = {"text": text, "intent": {"name": intent}, "entities": entities}
        replies.append(run_action(events, slots, latest))
    return replies


def asks(reply: str) -> bool:
    return "？" in reply or "?" in reply


# --- everything a person gets: money first --------------------------------------------------------------


def test_headline_answer_opens_with_the_money_then_services():
    (reply,) = converse("我父亲85岁，枣庄的低保户，能领什么？")
    lines = reply.splitlines()
    gaoling = next(i for i, line in enumerate(lines) if line.startswith("· 高龄津贴：30元/月；市卫生健康委"))
    jingji = next(
        i for i, line in enumerate(lines) if line.startswith("· 经济困难老年人补贴：生活补贴100元/月；市民政局")
    )
    services = next(i for i, line in enumerate(lines) if "乘坐城市公共交通工具" in line)
    assert gaoling < services and jingji < services
    assert "附件2 第12项" in lines[gaoling] and "附件2 第17项" in lines[jingji]
    assert "每月合计：130元" in reply
    assert "护理补贴（80元/月）" in reply  # what grade 2–3 would add
    assert "您父亲" in reply and not asks(reply)
    for wrong in ("85元", "政府购买居家养老服务", "市退役军人事务局", "300元"):
        assert wrong not in reply


def test_unknown_status_answers_what_is_certain_then_asks_that_one_fact():
    (reply,) = converse("我爸85岁，枣庄的，能领什么")
    assert "高龄津贴：30元/月" in reply and "每月合计：30元" in reply
    assert "如为低保：经济困难老年人补贴（100元/月）" in reply
    assert reply.splitlines()[-1].startswith("请问老人") and ASKS_ECONOMIC in reply.splitlines()[-1]
    assert reply.count("？") == 1


def test_not_knowing_is_an_answer():
    first, second = converse("我爸85岁，枣庄的，能领什么", "不知道")
    assert ASKS_ECONOMIC in first
    assert "高龄津贴：30元/月" in second and "如为低保" in second and not asks(second)


def test_facts_that_do_not_depend_on_dibao_count_at_once():
    (reply,) = converse("我岳母68岁，济宁的，失独，能领什么？")
    assert "计划生育特别扶助金：特别扶助金990元/月；市卫生健康委" in reply
    assert "810元" not in reply


def test_facts_given_one_by_one():
    """The answer to the question the first answer asked completes that answer: the whole list, once."""
    replies = converse("我母亲能领什么补贴？", "枣庄", "八十二了", "低宝户")
    assert "哪个城市" in replies[0] and "多少周岁" in replies[1]
    assert "高龄津贴：30元/月" in replies[2] and ASKS_ECONOMIC in replies[2]
    assert "生活补贴100元/月" in replies[3] and "每月合计：130元" in replies[3] and not asks(replies[3])


def test_a_bare_no_answers_the_economic_question():
    replies = converse("我爸85岁，枣庄的，能领什么", "都不是")
    assert "经济困难老年人补贴" not in replies[1].split("【视情况")[0] and not asks(replies[1])


def test_look_ahead_names_what_begins_at_the_next_birthday():
    (reply,) = converse("我爸79岁，枣庄的低保，能领多少钱")
    assert "【满80周岁起】高龄津贴30元/月（市卫生健康委）" in reply
    assert "生活补贴由80元增至100元/月" in reply
    assert "高龄津贴：" not in reply  # not yet an entitlement


def test_several_people_in_one_message_get_a_total_each():
    (reply,) = converse("老两口都在枣庄，一个81一个76，都是特困，能领啥")
    first, second = reply.split("\n\n")
    assert "81周岁" in first and "高龄津贴：30元/月" in first and "分散供养" in first
    assert "76周岁" in second and "高龄津贴：" not in second


def test_detail_on_request_and_always_for_the_widget():
    _, detail = converse("我父亲85岁，枣庄的低保户，能领什么？", "详细")
    assert "12. 高龄津贴：30元/月；牵头部门：市卫生健康委" in detail
    (widget,) = converse("我父亲85岁，枣庄的低保户，能领什么？", metadata={"detail": "full"})
    assert "12. 高龄津贴：30元/月；牵头部门：市卫生健康委" in widget


# --- one item -----------------------------------------------------------------------------------------------


def test_one_item_question_gets_that_item_and_no_form():
    (reply,) = converse("枣庄的老人进图书馆要钱吗？")
    assert "进入公共文化设施" in reply and "免费进入" in reply and "市文化和旅游局" in reply
    assert "附件2 第7项" in reply
    assert not asks(reply) and "高龄津贴" not in reply and "乘坐城市公共交通工具" not in reply


@pytest.mark.parametrize(
    "text, item, agency",
    [
        ("济宁的老人去科技馆要门票吗", "进入公共文化设施", "市文化和旅游局"),
        ("枣庄老人看病能优先吗", "就医便利服务", "市卫生健康委"),
        ("枣庄老人打官司交不起诉讼费怎么办", "法律诉讼服务", "市法院、市司法局"),
        ("济宁老人坐公交要钱吗", "乘坐城市公共交通工具", "市交通运输局"),
    ],
)
def test_an_item_is_found_by_what_it_covers(text, item, agency):
    (reply,) = converse(text)
    assert item in reply and agency in reply and not asks(reply)
    assert "每月合计" not in reply  # not the whole list


def test_rule_question_is_not_read_as_a_person():
    (reply,) = converse("枣庄60岁以上的老人坐公交免费吗")
    assert "乘坐城市公共交通工具" in reply and "免费乘坐" in reply
    assert "60周岁）" not in reply and not asks(reply)


def test_centenarian_rule_states_the_centenarians_tier():
    (reply,) = converse("枣庄百岁老人高龄津贴每月多少")
    assert "100周岁及以上：不低于500元/月" in reply and "30元" not in reply and "60元" not in reply
    assert "附件1 第4项" in reply and not asks(reply)
    (reply,) = converse("枣庄80岁以上老人高龄津贴多少")  # every tier from 80 up
    assert "80—89周岁：30元/月；90—99周岁：60元/月；100周岁及以上：不低于500元/月" in reply


def test_a_rule_age_keeps_the_tiers_that_do_not_depend_on_age():
    (reply,) = converse("济宁百岁的低保老人 经济困难老年人补贴给多少")
    # 济政办发〔2023〕2号 附件 第17项: 100+ 按鲁政发〔2011〕54号 (no figure); 护理补贴 85元 by grade, any age
    assert "100周岁及以上：标准按当地规定（按照鲁政发〔2011〕54号补助" in reply and "200元" not in reply
    assert "护理补贴：能力评估为2—3级：85元/月" in reply


def test_item_for_a_person_adds_what_it_means_for_them():
    (reply,) = converse("我爸95岁，枣庄的，高龄津贴能领多少")
    assert "您父亲可以享受枣庄的“高龄津贴”：60元/月" in reply
    assert "300元" not in reply and not asks(reply)


def test_item_that_depends_on_dibao_asks_only_that():
    (reply,) = converse("我妈85岁，枣庄的，经济困难老年人补贴能领吗")
    assert "80—89周岁：100元/月" in reply
    assert reply.splitlines()[-1].endswith("不清楚）") and ASKS_ECONOMIC in reply


def test_item_without_city_is_answered_for_each_city():
    (reply,) = converse("高龄津贴每月多少钱？")
    assert "枣庄·高龄津贴" in reply and "30元/月" in reply
    assert "济宁·高龄津贴" in reply and "不低于300元/月" in reply
    assert "聊城·高龄津贴" in reply and not asks(reply)


def test_an_item_not_yet_held_says_once_when_it_begins():
    (reply,) = converse("我爸79岁，枣庄的，高龄津贴能领吗")
    assert "满80周岁起可领30元/月" in reply and reply.count("满80周岁起") == 1


def test_why_not_names_the_failing_condition_and_when_it_changes():
    (reply,) = converse("我爸75岁，枣庄的，为什么没有高龄津贴")
    assert "年满80周岁" in reply and "满80周岁起可领30元/月" in reply and "附件2 第12项" in reply


def test_compare_two_cities_for_one_item():
    (reply,) = converse("济宁和枣庄的护理补贴哪个高")
    assert "济宁·经济困难老年人补贴" in reply and "85元/月" in reply
    assert "枣庄·经济困难老年人补贴" in reply and "80元/月" in reply


def test_apply_names_the_agency_and_does_not_pretend():
    (reply,) = converse("枣庄怎么申请高龄津贴")
    assert "不能代办" in reply and "由市卫生健康委牵头负责" in reply
    assert "已提交" not in reply and "已受理" not in reply


def test_policy_question_cites_the_document():
    (reply,) = converse("济宁的长期护理保险什么时候全覆盖")
    assert "济政办发〔2023〕2号" in reply and "2023年底前" in reply


def test_other_places_are_out_of_scope():
    (reply,) = converse("上海高龄津贴多少钱")
    assert reply == "<utter_out_of_scope>"


# --- the profile folded from the conversation -----------------------------------------------------------------


def asked(slot):
    return {"event": "slot", "name": "asked", "value": slot}


def profile_from_history(events):
    """The facts of the person the conversation is about now."""
    return fold(events).facts()


def test_profile_is_folded_from_the_conversation():
    events = [
        user("ask_entitlement", ent("relation", "父亲")),
        asked("city"),
        user("inform", ent("county", "滕州市")),
        asked("age"),
        user("inform", ent("age", "85")),
        asked("economic"),
        user("inform", ent("status", "低保")),
    ]
    got = profile_from_history(events)
    assert (got["city"], got["county"], got["age"], got["statuses"], got["relation"]) == (
        "枣庄",
        "滕州市",
        85.0,
        ["低保"],
        "父亲",
    )


def test_correction_replaces_the_fact():
    events = [
        user("ask_entitlement", ent("city", "枣庄"), ent("age", "85"), ent("status", "低保")),
        user("correct", ent("city", "济宁")),
    ]
    got = profile_from_history(events)
    assert (got["city"], got["county"]) == ("济宁", None)
    events += [user("correct", ent("not_status", "低保"), ent("status", "特困"))]
    got = profile_from_history(events)
    assert got["statuses"] == ["特困"] and got["not_statuses"] == ["低保"]


def test_new_person_starts_afresh_but_keeps_the_place():
    events = [
        user("ask_entitlement", ent("city", "枣庄"), ent("age", "85"), ent("relation", "父亲"), ent("status", "低保")),
        user("new_person", ent("relation", "母亲"), ent("age", "88")),
    ]
    got = profile_from_history(events)
    assert (got["city"], got["age"], got["statuses"], got["relation"]) == ("枣庄", 88.0, [], "母亲")
    assert fold(events).people[0].facts["age"] == 85.0, "the first person keeps their own facts"


def test_impossible_age_is_ignored_and_a_bare_no_answers_the_asked_fact():
    events = [
        user("inform", ent("city", "枣庄"), ent("age", "80")),
        user("inform", ent("age", "300")),
        asked("economic"),
        user("inform", text="不是"),
    ]
    got = profile_from_history(events)
    assert got["age"] == 80.0 and set(got["not_statuses"]) == {"低保", "特困"}


def test_unsure_is_remembered_only_as_the_answer_to_the_question():
    events = [
        user("inform", ent("city", "枣庄"), ent("age", "80")),
        asked("economic"),
        user("dont_know", text="不清楚"),
    ]
    assert profile_from_history(events)["economic"] == "不清楚"
    events = [user("inform", ent("city", "枣庄"), ent("age", "80")), user("dont_know", text="不清楚")]
    assert profile_from_history(events)["economic"] is None


def test_an_item_the_person_does_not_get_says_what_their_group_does_get():
    # 枣庄 附件2 第17项: 护理补贴 only for 低保 (80元, 2—3级); 第19项 探访, 第26项 家庭养老支持服务 for 失能
    (reply,) = converse("俺爹七十五 瘫在床上好几年了 评估是三级 不是底保 滕州的 能有护理不贴吗")
    assert "目前不符合" in reply and "需低保" in reply
    assert "家庭养老支持服务" in reply and "探访服务" in reply
    assert "济宁" not in reply  # "好几年了" names no measure: not another city's measures


def test_everything_asked_beside_one_item_gets_both():
    (reply,) = converse("俺娘六十五 滕州 不是底保 有啥福利没 坐公交要钱不")
    # 枣庄 附件2 第5项 免费乘坐城市公共交通工具; 第11项 健康管理服务 (65+)
    assert "免费乘坐城市公共交通工具" in reply and "健康管理服务" in reply and not asks(reply)


def test_a_registration_elsewhere_is_not_told_it_gets_a_local_residents_item():
    *_, reply = converse("俺娘八十二 跟俺在济宁住", "户口在河南 能领济宁的高龄津贴不")
    # 济政办发〔2023〕2号 第4条: 具有本市户籍的80周岁及以上老年人
    assert "本市户籍" in reply and "80周岁" in reply and "不能按此项享受" in reply
    assert "可以享受济宁的“高龄津贴”" not in reply


def test_each_year_more_is_no_ones_age_and_continues_the_item():
    _, reply = converse("枣庄百岁老人的长寿津贴是哪几级出钱？", "每多活一岁能多多少？")
    # 办公室便函〔2023〕1号 附件1 第4项: 市级每增加一岁每月再增加10元
    assert "每增加一岁每月再增加10元" in reply and "1周岁" not in reply and not asks(reply)


def test_two_ages_of_a_rule_compared_give_what_the_later_one_adds():
    (reply,) = converse("济宁满65周岁的老人比60岁时多了哪些服务？")
    # 济政办发〔2023〕2号 附件 第9—11项 are for 65周岁及以上
    assert "65周岁比60周岁" in reply and "健康管理服务" in reply and "老年人能力综合评估" in reply
    assert "枣庄" not in reply and "聊城" not in reply


def test_how_to_apply_and_the_conditions_asked_together_get_both():
    _, reply = converse("俺姥爷八十六曲阜的不是低保能领啥", "高龄津贴咋申请要啥条件")
    # 济政办发〔2023〕2号 附件 第12项、第4条: 80周岁及以上, 本市户籍, 市卫生健康委
    assert "服务对象为80周岁及以上老年人" in reply and "本市户籍" in reply and "市卫生健康委或户籍所在县" in reply


def test_the_disabled_elders_group_names_the_care_allowance_with_the_status_it_also_needs():
    (reply,) = converse("枣庄失能老人有啥政策能享受")
    # 办公室便函〔2023〕1号 附件2 第17项: 护理补贴 80元 for 低保 elders assessed at grade 2—3
    assert "经济困难老年人补贴（另需低保）" in reply and "护理补贴：能力评估为2—3级：80元/月" in reply
    assert "家庭养老支持服务" in reply and "85元" not in reply


def test_a_rule_age_asked_in_one_city_carries_to_the_next():
    _, reply = converse("聊城茌平的百岁老人有啥钱", "济宁呢")
    # 济政办发〔2023〕2号 附件 第12项: 百岁 不低于300元
    assert "高龄津贴：不低于300元/月" in reply and not asks(reply)


def test_why_no_figure_named_beside_another_citys_figure_says_both():
    _, reply = converse("俺爹九十了在济宁 每月高龄津贴多少", "枣庄的亲戚九十岁每月有60块 俺爹这咋没个准数")
    # 济政办发〔2023〕2号 第4条: 具体标准另行制定; 办公室便函〔2023〕1号 附件1 第4项: 90—99周岁 60元
    assert "另行制定" in reply and "枣庄的“高龄津贴”" in reply and "90—99周岁：60元/月" in reply


def test_the_ages_an_item_starts_and_changes_at_are_said_when_asked():
    (reply,) = converse("枣庄老人满多少岁开始有高龄津贴？满多少岁涨到每月60元？")
    # 办公室便函〔2023〕1号 附件1 第4项: 80—89 30元, 90—99 60元, 100+ 不低于500元
    assert "【满80周岁起】高龄津贴30元/月" in reply and "【满90周岁起】高龄津贴由30元增至60元/月" in reply


def test_a_word_heard_by_sound_a_way_of_being_kept_and_a_sight_named_are_read_as_said():
    (reply,) = converse("计划生育特父金济宁跟枣庄一样不")  # 特父金: 特扶金 by sound
    # 济政办发〔2023〕2号 附件 第25项 and 办公室便函〔2023〕1号 附件2 第25项: 990元 / 810元 in both
    assert "990元" in reply and "810元" in reply and "相同" in reply
    (reply,) = converse("俺娘八十一金乡的特坤户住敬老院有啥")
    assert "集中供养" in reply and "1.3倍" in reply and "高龄津贴" in reply and not asks(reply)
    (reply,) = converse("枣庄社会上私人办的景点俺六十八能免票不")  # 附件2 第6项: 不满七十周岁半价
    assert "参观公园和景点" in reply and "半价" in reply and not asks(reply)


def test_a_rule_for_everyone_continues_with_another_age_or_group_no_one_in_particular():
    _, more, eighty = converse("枣庄六十岁以上的老人都有啥待遇？", "六十五往上又多了啥？", "八十往上的呢，给钱不？")
    # 办公室便函〔2023〕1号 附件2 第10、11项 from 65; 附件1 第4项 高龄津贴 30/60/不低于500元
    assert "新增服务：老年人能力综合评估" in more and "健康管理服务" in more and not asks(more)
    assert "高龄津贴：30元/月" in eighty and "60元" in eighty and "不低于500元" in eighty and not asks(eighty)
    *_, tekun = converse("济宁六十岁以上的老人都有啥？", "特困老人呢？")
    assert "济宁市特困老年人的基本养老服务" in tekun and "1.3倍" in tekun and not asks(tekun)


def test_the_document_of_an_item_just_answered_is_named_with_its_day():
    _, jining = converse("我姥姥八十三，任城区的，高龄津贴一个月多少？", "这是哪个文件规定的？什么时候发的？")
    assert "济政办发〔2023〕2号 附件 第12项" in jining and "2023年4月27日印发" in jining
    assert "牵头部门：市卫生健康委" in jining  # 附件 第12项's lead agency, with its source
    _, zaozhuang = converse("俺婆婆九十一，滕州的，高龄津贴一个月多少？", "枣庄这个规定是照着省里哪个文件定的？")
    assert "鲁政办发〔2022〕18号" in zaozhuang and "2023年2月25日印发" in zaozhuang  # the notice's own title
    _, liaocheng = converse("俺爸八十一茌平的高龄金贴一个月几个钱", "聊城这个文件啥时候出的里头说啥时候开始发")
    assert "2023年8月26日印发" in liaocheng and "2023年年底前建立制度" in liaocheng


def test_who_pays_the_money_just_said_gives_its_shares_and_agency():
    _, shares = converse("俺家老太太今年整一百了，薛城的，高龄津贴给多少？", "这五百块钱都是谁出的？")
    # 办公室便函〔2023〕1号 附件1 第4项: 省级200元＋市级200元＋区（市）级100元, 市卫生健康委
    assert "省级200元＋市级200元＋区（市）级100元" in shares and "市卫生健康委牵头负责" in shares


def test_by_group_asked_gives_every_group_not_one_person():
    (reply,) = converse("枣庄的老人都能享受啥政策按人群给俺说说六十的八十的低保的都有啥")
    # 办公室便函〔2023〕1号 附件1 第4项 and 附件2 第17项: every tier by age
    assert reply.startswith("枣庄市老年人的基本养老服务（按人群）") and "不低于500元" in reply and "200元/月" in reply


def test_an_assessment_grade_stated_is_a_fact_not_the_item_its_words_appear_in():
    (reply,) = converse("俺爹七十四峄城区的吃低保评姑结果是二集每月给多少钱")
    # 办公室便函〔2023〕1号 附件2 第17项: 生活补贴 80元 + 护理补贴 80元 (能力评估2—3级)
    assert "能力评估2级" in reply and "160元" in reply and "政府购买居家养老服务" not in reply


def test_money_asked_after_a_rule_for_everyone_is_that_rules_cash_alone():
    # 聊政办字〔2023〕19号 names 高龄津贴 (第8条) and 经济困难老年人补贴 (第5条) without figures
    _, cash = converse("聊城对老年人都有哪些政策？", "具体每月给钱的有哪些，各多少钱？")
    assert "高龄津贴" in cash and "经济困难老年人补贴" in cash and "文件未列金额" in cash
    assert "乘坐城市公共交通工具" not in cash and not asks(cash) and "元/月" not in cash


def test_two_groups_asked_together_are_both_answered():
    (text,) = converse("济宁对计划生育特殊家庭的老人还有残疾老人都有啥待遇给多少钱")
    # 济政办发〔2023〕2号 附件 第26项 (990元/810元), 第25项 重度残疾人护理补贴 一、二级
    assert "990元" in text and "810元" in text and "重度残疾人护理补贴（残疾等级为一级、二级）" in text
    (poor,) = converse("聊城对特困的还有家里困难的老人有啥政策能给多少钱")
    assert "特困老年人集中供养" in poor and "经济困难老年人补贴" in poor and not asks(poor)


def test_how_to_apply_after_an_item_is_that_item_not_one_about_paperwork():
    _, where = converse("俺爷八十五，高唐的，高龄津贴能领不？", "去哪领？要办啥手续？")
    assert "高龄津贴" in where and "市卫生健康委" in where and "迁移户口" not in where
    _, entrust = converse("俺娘八十，台儿庄的，一个人在家，坐公交要钱不", "这个委托咋办？找谁？")
    assert "委托服务" in entrust and "市民政局" in entrust  # 办公室便函〔2023〕1号 附件2 第21项


def test_a_document_asked_by_what_it_is_gives_its_title_number_day_and_size():
    # documents.yml: 济政办发〔2023〕2号 of 2023-04-27 carries 附件《济宁市基本养老服务清单》 (28 items in the KB);
    # 济政办字〔2024〕42号 is the 2024—2026 three-year plan
    (listed,) = converse("济宁的基本养老服务清单是哪个文件发的？哪天发布的？一共多少项？")
    assert "济政办发〔2023〕2号" in listed and "2023年4月27日" in listed and "共28项" in listed
    (plan,) = converse("济宁那个养老服务三年行动方案管到哪一年今年还管用不")
    assert "济政办字〔2024〕42号" in plan and "2026年12月31日止" in plan and "仍在实施期内" in plan
    (none,) = converse("聊城的基本养老服务清单是哪个文件")
    assert "没有附基本养老服务清单" in none and "聊政办字〔2023〕19号" in none


def test_a_decade_of_elders_is_a_rule_not_someones_age():
    first, eighty = converse("枣庄七十多岁的老人都能享受啥", "那八十往上的呢")
    assert first.startswith("70周岁及以上老年人") and not asks(first)
    assert "30元" in eighty and "60元" in eighty and "500元" in eighty and not asks(eighty)


def test_the_writer_asking_to_be_told_is_no_one_asked_about():
    (text,) = converse("济宁吃低保的老人都能领啥钱按岁数给俺说说")
    assert "80元" in text and "100元" in text and "200元" in text and "85元" in text and not asks(text)


def test_family_planning_families_of_a_city_are_a_group():
    (text,) = converse("枣庄的计划生育特殊家庭老人有哪些待遇？")
    assert "990元" in text and "810元" in text and "市卫生健康委" in text and not asks(text)


def test_who_sets_this_money_after_an_item_is_the_measure_that_set_it_up():
    _, entry = converse("俺姥爷八十四住临清的高龄津贴一个月给多少", "那这个钱是县里定还是市里定从啥时候开始有的")
    # 聊政办字〔2023〕19号 第8条: 2023年年底前，各县（市、区）建立高龄津贴制度
    assert "2023年年底前，各县（市、区）建立" in entry and "市卫生健康委" in entry and "第8条" in entry


def test_a_target_asked_after_an_item_is_its_measures():
    _, target = converse("俺家在金乡县 俺爹腿脚不好 有没有适老化改造的政策", "全市计划改多少户")
    # 济政办字〔2024〕42号 第8条: 2024年至2026年，全市适老化改造6000户以上（牵头单位：市民政局）
    assert "全市适老化改造6000户以上" in target and "市民政局" in target and "没有“" not in target


def test_a_measure_asked_beside_facts_that_only_say_why_is_the_measure():
    (meals,) = converse("济宁这边有没有老年助餐啊俺娘一个人在家做饭不方便")
    # 济政办字〔2024〕42号: 开展老年助餐服务体系建设提升行动
    assert "老年助餐服务体系建设提升行动" in meals and "请问老人今年多少周岁" not in meals


def test_what_the_writer_recalls_is_no_one_asked_about():
    _, policy = converse("济宁对养老院的护理型床位占比现在是啥要求？", "我记得以前文件说的是55%，到底按哪个？")
    assert "70%" in policy and not asks(policy)  # 济政办字〔2024〕42号 第4条


def test_when_someone_of_known_age_can_have_an_item_is_hers_not_a_measures_deadline():
    (text,) = converse("我妈79岁，住滕州，不是低保，她什么时候能领高龄津贴？能领多少？")
    assert "满80周岁起可领30元/月" in text and "百岁老人长寿津贴" not in text  # 附件1 第4项


def test_demolition_compensation_is_outside_the_documents():
    (text,) = converse("俺爸六十九茌平的老房子拆迁补偿款咋算")
    assert "不在本助手依据的文件范围内" in text and "拆迁" in text


def test_what_an_item_without_a_figure_covers_is_its_content():
    _, covers = converse(
        "俺舅七十五，邹城的，特困户，自己在家住，政府都管啥？", "分散供养都包括啥？他要是生病了看病管不管？"
    )
    # 济政办发〔2023〕2号 附件 第13项: 提供基本生活条件、疾病治疗、办理丧葬事宜等
    assert "疾病治疗" in covers and "丧葬" in covers and "1.3倍" in covers


def test_two_care_subsidies_named_together_are_both_answered():
    _, both = converse(
        "我爸76，梁山县，低保，肢体残疾一级，常年卧床，能领啥？",
        "村里说还有个能力评估的护理补贴，跟残疾人护理补贴是一回事吗？哪个钱多？",
    )
    # 济宁 第17项: 护理补贴 能力评估2—3级 85元; 第25项 重度残疾人护理补贴: no figure
    assert "85元" in both and "能力评估" in both and "重度残疾人护理补贴" in both and "文件未列具体金额" in both


def test_whether_a_county_is_among_those_a_measure_lists():
    _, sishui = converse("俺爹七十七，泗水的，能参加居民长期护理保险不？", "泗水当初在试点名单里吗？")
    # 济政办发〔2023〕2号 第7条: 任城区、兖州区、曲阜市、邹城市、汶上县、金乡县 2022年开展居民长期护理保险试点
    assert "中没有泗水县" in sishui
    _, zoucheng = converse("俺爹七十七，邹城的，能参加居民长期护理保险不？", "邹城当初在试点名单里吗？")
    assert "中有邹城市" in zoucheng


def test_a_residence_rule_the_document_does_not_state_is_said_to_be_unstated():
    (zz,) = converse("我爸82岁，户口在江苏，现在跟我住滕州，枣庄的高龄津贴要求本地户口吗？")
    assert "没有写明户籍要求" in zz and "市卫生健康委" in zz and "可以享受" not in zz  # 附件2 第12项 says nothing of it
    (jn,) = converse("我爸82岁，户口在江苏，现在跟我住邹城，济宁的高龄津贴要求本地户口吗？")
    assert "须具有本市户籍" in jn  # 济政办发〔2023〕2号 附件 第12项: 具有本市户籍


def test_a_service_of_the_persons_own_group_says_the_proviso_most_of_the_group_do_not_meet():
    (veteran,) = converse("俺姥爷 退伍军人 七十五 任城区 有儿有女都挺孝顺 能享受啥")
    # 济政办发〔2023〕2号 附件 第23项 优抚供养: 无法定赡养扶养人或者其法定义务人无赡养扶养能力…
    assert "优抚供养（市退役军人事务局，第23项；限无法定赡养扶养人" in veteran


def test_the_writers_own_place_is_no_one_in_particular_and_a_status_service_says_whom_it_serves():
    (group,) = converse("我们临清有不少失独老人，聊城这边对他们有什么政策？")
    # 聊政办字〔2023〕19号 第6条: 计划生育特殊家庭等特殊困难老年人探访关爱服务
    assert group.startswith("聊城市失独老年人的基本养老服务（按人群）") and "探访关爱服务" in group
    (one,) = converse("东昌府区 俺舅妈七十 失独 能领啥")
    assert "探访关爱服务（计划生育特殊家庭等特殊困难老年人…月探访率100%；市民政局" in one


def test_the_household_booklet_is_not_the_registration_service():
    (reply,) = converse("俺公公九十九还是一百 户口本上写的跟实际不一样 济宁的")
    assert "自愿随子女迁移户口”：" not in reply and "不低于300元" in reply  # 济政办发〔2023〕2号 附件 第12项


def test_two_places_compared_where_one_gives_no_figure_are_not_called_the_same():
    _, compared = converse(
        "俺爹八十二 住滕州 不是低保 能领多少", "俺大爷也八十二 在济宁邹城 也不是低保 他领的跟俺爹一样不"
    )
    # 办公室便函〔2023〕1号 附件1 第4项 30元; 济政办发〔2023〕2号 附件 第12项: 80—99 具体标准另行制定
    assert "高龄津贴30元/月" in compared and "不一定一样：济宁的高龄津贴文件未列具体金额" in compared


def test_an_item_compared_by_city_gives_each_citys_figure_at_the_age_said():
    _, compared = converse(
        "俺老太奶奶一百零一了住金乡高龄津贴能有多少", "听说枣庄给的多俺表叔家老太太也一百零一在薛城她能有多少差多少"
    )
    # 济政办发〔2023〕2号 附件 第12项: 百岁以上 不少于300元; 办公室便函〔2023〕1号 附件1 第4项: 500元, 市级每岁加10元
    assert "按101周岁：济宁不低于300元/月；枣庄不低于510元/月" in compared


def test_the_area_standard_of_new_and_old_residential_areas_is_found_by_the_words_people_use():
    (both,) = converse("新建小区要配建社区养老服务设施，聊城和济宁的面积标准一样吗？")
    # 聊政办字〔2023〕19号 第13条: 每百户不低于20平方米; 济政办发〔2023〕2号 第11条: 每百户不低于30平方米
    assert "每百户不低于20平方米" in both and "每百户不低于30平方米" in both
    (old,) = converse("聊城新建小区要配多少平方的养老服务用房？老小区没配的咋办？")
    assert "每百户不低于15平方米" in old  # 第13条: 已建成的城镇居住区


def test_the_family_planning_group_heard_by_sound_is_both_family_statuses():
    (group,) = converse("济宁对计话生育特殊家庭的老人还有残疾老人都有啥待遇给多少钱")
    # 济政办发〔2023〕2号 附件 第26项 计划生育特别扶助金: 失独 990元, 独生子女伤残 810元 (per person per month)
    assert "990元" in group and "810元" in group and "重度残疾人护理补贴" in group
