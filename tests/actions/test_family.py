"""Whole family conversations through the answering action (issue 18): a second person, the sum, a what-if beside
the facts, the next birthday, a correction that says what changed. Figures are read from the source documents:
枣庄 办公室便函〔2023〕1号 附件1 第4项 (高龄津贴 80—89 30元, 90—99 60元), 附件2 第17项 (低保 生活补贴 60—79 80元,
80—89 100元, 90—99 200元; 护理补贴 2—3级 80元); 济宁 济政办发〔2023〕2号 附件 第17项 (护理补贴 85元)."""

from tests.actions.test_answers import asks, converse


def test_a_second_person_gets_their_own_answer_with_the_place_and_also_carried():
    dad, mum = converse("俺爹八十六了，住薛城，吃低保，一个月能领多少？", "那俺娘呢，她78岁，也是低保")
    assert "130元" in dad
    assert "您母亲" in mum and "78周岁" in mum and "薛城" in mum and "每月合计：80元" in mum
    assert "130元" not in mum and "高龄津贴：" not in mum  # not her father's: she is under 80


def test_one_the_same_carries_the_status_to_the_new_person():
    *_, grandma = converse("俺姥爷92岁了滕州的吃低保一个月给多少钱", "还有俺姥姥84岁一样是低保")
    assert "您姥姥" in grandma and "每月合计：130元" in grandma and "200元" not in grandma


def test_the_couple_together_gets_the_sum_with_a_line_each():
    *_, total = converse(
        "俺爹八十六了，住薛城，吃低保，一个月能领多少？", "那俺娘呢，她78岁，也是低保", "老两口加一块一个月多少？"
    )
    assert "合计210元" in total and not asks(total)
    lines = total.splitlines()
    assert any(line.startswith("· 您父亲：130元") for line in lines)
    assert any(line.startswith("· 您母亲：80元") for line in lines)


def test_two_people_in_one_message_keep_their_own_statuses():
    both, total = converse("俺爷爷93岁低保俺奶奶89岁不是低保都在山亭", "一共多少")
    assert "您爷爷" in both and "您奶奶" in both
    assert "合计290元" in total  # 爷爷 93 低保: 60 + 200; 奶奶 89 not 低保: 30
    assert any(line.startswith("· 您奶奶：30元") for line in total.splitlines())


def test_a_what_if_is_answered_beside_the_facts_and_leaves_them_as_they_were():
    first, what_if, now = converse(
        "俺爹八十六了，住薛城，吃低保，一个月能领多少？", "要是俺爹评上能力评估二级呢？", "那现在一个月多少"
    )
    assert "新增经济困难老年人补贴（护理补贴）80元/月（市民政局）" in what_if
    assert "每月合计210元" in what_if and "现在130元" in what_if and "按假设计算" in what_if
    assert "210元" not in now and "130元" in now, "the what-if did not become a fact"


def test_moving_to_another_city_as_a_what_if_compares_the_lists():
    _, moved = converse(
        "我爸79岁，在峄城，低保，能力评估是2级，一月多少？", "要是搬到济宁任城去住，户口也迁过去，还一样不？"
    )
    assert moved.startswith("若您父亲户籍在任城区：每月合计165元") and "现在160元" in moved
    assert (
        "护理补贴：85元/月" in moved or "护理补贴85元/月" in moved
    ), "济宁's list answers whole: 85元, not 枣庄's 80元"
    assert "济政办发〔2023〕2号" in moved and "办公室便函" not in moved.split("\n", 1)[1]


def test_next_year_is_that_persons_next_birthday():
    _, next_year = converse("俺爹79岁 枣庄滕州的 低保 能领多少", "明年呢")
    assert "满80周岁时" in next_year and "新增高龄津贴30元/月（市卫生健康委）" in next_year
    assert "由80元变为100元/月" in next_year and "每月合计130元" in next_year


def test_a_correction_says_what_changed_and_the_new_total_first():
    first, corrected = converse("俺娘79岁了 滕州的 不是低保 能领啥", "说错了 她81岁了")
    assert "高龄津贴：" not in first
    assert corrected.startswith("您母亲按81周岁更新：新增高龄津贴30元/月（市卫生健康委）")
    assert "每月合计30元" in corrected and "乘坐城市公共交通工具" not in corrected, "not the whole list again"


def test_the_whole_list_when_asked_for_it():
    *_, whole = converse("俺娘79岁了 滕州的 不是低保 能领啥", "说错了 她81岁了", "详细")
    assert "乘坐城市公共交通工具" in whole and "高龄津贴" in whole


def test_a_second_person_with_the_same_services_is_not_given_the_list_again():
    dad, mum = converse("俺爹86岁，住薛城，吃低保，能领啥", "俺娘84岁，也是低保")
    assert "【可享受的服务（12项）】" in dad
    assert "【可享受的服务】与您父亲相同（12项，回复“详细”查看）" in mum and "乘坐城市公共交通工具" not in mum
    assert "每月合计：130元" in mum  # her own money, in full


def test_the_sum_and_a_what_if_are_answered_whatever_the_classifier_guessed():
    """Short follow-ups the intent classifier may call out of scope are the household's to answer."""
    *_, total = converse("我爸86，我妈78，都在薛城，都是低保户", "老两口加一块一个月多少？", intent="out_of_scope")
    assert "合计210元" in total
    *_, grade1 = converse(
        "我妈84岁，在任城，低保，一个月能领多少", "如果她评估是2级呢？", "如果是1级呢？", intent="out_of_scope"
    )
    assert grade1.startswith("若您母亲能力评估1级：待遇不变")


def test_how_to_apply_for_a_known_person_says_what_they_get_and_who_leads():
    *_, reply = converse("我爷爷想申请高龄津贴", "他今年100岁了", "户口在嘉祥县")
    assert "不低于300元/月" in reply and "市卫生健康委" in reply  # 济政办发〔2023〕2号 附件 第12项


def test_a_new_person_stating_facts_gets_their_own_money_not_the_last_item():
    *_, aunt = converse("我大伯在汶上，93岁，特困，分散供养，一个月能拿多少？", "我大娘呢，她81，是低保不是特困")
    assert "您大娘" in aunt and "生活补贴100元/月" in aunt and "需特困" not in aunt


def test_the_sum_of_one_item_asked_counts_that_item_only():
    *_, total = converse("俺爷爷93岁低保俺奶奶89岁不是低保都在山亭", "俩人高龄津贴一共多少")
    assert "高龄津贴合计90元" in total  # 93: 60元, 89: 30元; their 低保 生活补贴 is not what was asked
    assert "290元" not in total and "200元" not in total


def test_a_sum_where_the_document_gives_no_figure_names_the_agency_and_never_says_0元():
    *_, total = converse("俺公公90岁 俺婆婆88岁 都在阳谷 不是低保", "俩人高龄津贴一共多少")
    assert "无法合计" in total and "市卫生健康委" in total and "聊政办字〔2023〕19号" in total
    assert "0元" not in total and not asks(total)


def test_spoken_ages_running_on_are_each_persons_own():
    *_, grandma = converse("俺姥爷九十二了滕州的吃低保一个月给多少钱", "还有俺姥姥八十四一样是低保")
    assert "您姥姥" in grandma and "130元" in grandma and "200元" not in grandma


def test_we_two_together_is_the_speaker_and_their_spouse():
    *_, total = converse(
        "我们是失独家庭，独生子死亡，我65岁，老伴63岁，都在枣庄市中区，都是特别扶助对象", "我们俩一共每月多少？"
    )
    assert "合计1980元" in total  # 办公室便函〔2023〕1号 附件2 第25项: 失独 990元 each


def test_the_economic_question_is_asked_once_not_again_after_a_correction():
    first, corrected = converse("我爸86岁，在薛城，每月能领多少？", "说错了，他88了")
    assert "30元" in first and asks(first)  # 附件2 第12项 高龄津贴 30元; whether 低保 (第17项 100元) is asked once
    assert "88周岁" in corrected and not asks(corrected)


def test_a_stated_status_is_the_persons_situation_and_low_income_is_a_hint_not_a_question():
    first, corrected = converse(
        "我爸是独生子女伤残家庭的，63岁，在薛城，每月特扶多少？", "说错了，是独生子女死亡，孩子没了"
    )
    assert "810元" in first and not asks(first)  # 附件2 第25项: 伤残 810元
    assert "特别扶助金810元/月" in first  # 特扶 asked: that item, no question about 低保
    assert "990元" in corrected and "810元" not in corrected and not asks(corrected)


def test_in_two_years_is_that_persons_birthday_whatever_the_classifier_guessed():
    now, later = converse("俺娘七十八台儿庄的吃低保一个月多少", "再过两年呢")
    assert "80元" in now
    assert "100元" in later and "30元" in later and "130元" in later  # at 80: 生活补贴 100元 + 高龄津贴 30元


def test_what_a_new_fact_adds_names_the_document_and_item():
    *_, update = converse("我爸72岁，济宁的，低保", "对了，他能力评估是2级")
    assert "护理补贴" in update and "85元" in update  # 济政办发〔2023〕2号 附件 第17项: 2—3级 护理补贴 85元
    assert "【济政办发〔2023〕2号 附件 第17项】" in update


def test_a_birth_month_gives_the_age_today(monkeypatch):
    monkeypatch.setenv("YANGLAO_TODAY", "2026-11-27")
    first, later = converse("我奶奶是1927年3月生的，户口在济宁任城区，不是低保。", "她明年3月过完生日呢？")
    assert "99周岁" in first and "高龄津贴" in first  # 1927-03 to 2026-11-27: 99
    assert "满100周岁" in later and "300元" in later  # 济政办发〔2023〕2号 附件 第12项: 百岁 不低于300元


def test_the_place_of_a_persons_hukou_and_their_grade_are_facts_not_items_asked():
    (reply,) = converse("我爸81，曲阜户口，低保，能力评估3级，每个月多少？")
    assert "迁移户口：" not in reply and "高龄津贴" in reply  # the whole answer, not the 户口 or assessment item
    assert "100元" in reply and "85元" in reply  # 济宁 第17项: 80—89 低保 100元; 2—3级 护理补贴 85元


def test_a_what_if_of_another_city_after_an_item_question_answers_that_item_there():
    _, there = converse("我在济宁邹城，家里老人62岁，打官司诉讼费能减免吗？", "那要是在枣庄呢？")
    assert there.startswith("若老人户籍在枣庄") and "法律诉讼服务" in there
    assert "办公室便函〔2023〕1号 附件2 第9项" in there and "市法院、市司法局" in there


def test_how_to_apply_for_benefits_in_general_then_the_person_gives_what_they_get():
    *_, reply, denied = converse("老人补贴怎么领？", "我奶奶，86岁", "住在聊城东昌府区，户口也在", "不是低保")
    assert "高龄津贴" in reply and "市卫生健康委" in reply and "30元" not in reply  # 聊城 lists no figure
    # 聊城 gives no figure for 经济困难老年人补贴 (聊政办字〔2023〕19号 第5条): 低保 decides no money, so not asked
    assert not asks(reply) and "如为经济困难：经济困难老年人补贴（市民政局）" in reply
    assert "待遇不变" in denied and "高龄津贴（市卫生健康委【聊政办字〔2023〕19号 第8条】）" in denied


def test_a_question_about_every_elder_of_a_city_is_answered_by_group():
    (reply,) = converse("济宁的老人都能享受哪些政策")
    assert "按人群" in reply and "高龄津贴" in reply and "市卫生健康委" in reply
    assert "300元" in reply and not asks(reply)  # 济政办发〔2023〕2号 附件 第12项: 百岁 不低于300元


def test_a_group_named_by_its_status_gets_its_own_services_without_a_question():
    (reply,) = converse("枣庄的老退伍军人有哪些基本养老服务？")
    # 办公室便函〔2023〕1号 附件2 第22项 优抚供养, led by 市退役军人局 (济宁's is 市退役军人事务局)
    assert "优抚供养" in reply and "市退役军人局【办公室便函〔2023〕1号 附件2 第22项】" in reply
    assert "退役军人事务局" not in reply and not asks(reply)


def test_the_elders_over_an_age_hear_what_each_later_birthday_brings():
    (reply,) = converse("枣庄80岁以上的老人都有啥政策？")
    # 办公室便函〔2023〕1号 附件1 第4项: 80—89 30元, 90—99 60元, 100+ 不低于500元
    assert "高龄津贴：30元/月" in reply and "【满90周岁起】高龄津贴由30元增至60元/月" in reply
    assert "【满100周岁起】高龄津贴由60元增至不低于500元/月" in reply and not asks(reply)


def test_a_fact_added_with_a_question_for_everything_gets_the_whole_list():
    _, reply = converse("泗水 老父亲七十七 一个人住", "不是低保 有啥能帮上的")
    # 济政办发〔2023〕2号 附件 第19项 探访服务 for 独居 elders (市民政局): in the list, not only what changed
    assert "探访服务（市民政局，第19项）" in reply and "待遇不变" not in reply


def test_what_stops_is_said_with_what_it_needs():
    _, what_if = converse("俺爹枣庄 九十 低保 评估三级 每月多少", "假如评估结果是一级呢")
    # 附件2 第17项: 护理补贴 80元 only at grade 2—3; 高龄津贴 60元 + 生活补贴 200元 stay
    assert "不再有经济困难老年人补贴（护理补贴）（现在80元/月；限能力评估为2—3级）" in what_if
    assert "每月合计260元" in what_if and "（现在340元）" in what_if
    _, corrected = converse("俺爹七十二 台儿庄的 二级残疾 得有人伺候 不是底保", "说错了是三级残疾")
    # 附件2 第24项 重度残疾人护理补贴: 残疾等级一级、二级 only
    assert "不能享受重度残疾人护理补贴" in corrected and "残疾等级为一级、二级" in corrected
    assert "：待遇不变" not in corrected
    # a status said away takes its items with it, unsaid: 济政办发〔2023〕2号 附件 第13/14项 are 特困's
    _, corrected = converse("我爸82岁，济宁的，特困", "说错了，是低保")
    assert "100元" in corrected and "供养" not in corrected


def test_an_item_another_city_lacks_is_answered_with_what_that_city_has():
    _, reply = converse("枣庄低保老人的护理补贴是多少？", "聊城有没有？")
    # 聊政办字〔2023〕19号 第5条: 经济困难老年人补贴, no figure, 市民政局; 护理补贴 is a part of it elsewhere
    assert (
        "聊城没有基本养老服务清单" in reply
        and "未列“护理补贴”" in reply
        and "聊城·经济困难老年人补贴" in reply
        and "市民政局【聊政办字〔2023〕19号 第5条】" in reply
    )
    assert "80元" not in reply and "85元" not in reply
    (reply,) = converse("聊城的失独老人每月有多少扶助金？")
    assert "聊城·探访关爱服务" in reply and "990元" not in reply  # 第6条 names 计划生育特殊家庭


def test_the_agencies_of_the_money_just_summed():
    *_, reply = converse(
        "俺爷爷八十五 山亭的 底保 一个月多少", "俺奶奶七十七 也底保", "俩人加一块多少", "这些钱都找哪个部门"
    )
    # 附件2 第12项 高龄津贴 (市卫生健康委), 第17项 经济困难老年人补贴 (市民政局)
    assert "高龄津贴：市卫生健康委【办公室便函〔2023〕1号 附件2 第12项" in reply
    assert "经济困难老年人补贴：市民政局【办公室便函〔2023〕1号 附件2 第17项】" in reply
    assert "元" not in reply.replace("元/月", "")  # agencies asked, not the money again


def test_whom_to_ask_for_a_group_names_its_own_item():
    (reply,) = converse("枣庄街上有个流浪的老头没人管该找谁")
    assert "流浪乞讨救助" in reply and "市民政局" in reply and "附件2 第27项" in reply


def test_a_quoted_name_or_a_span_of_years_is_a_measure():
    (reply,) = converse("枣庄说的“十助、常陪、四解”是啥？")
    assert "助防诈" in reply and "解闷" in reply and not asks(reply)  # 办公室便函〔2023〕1号 附件1 第14项
    (reply,) = converse("济宁2024—2026年特殊困难老人家庭适老化改造计划改多少户？")
    assert reply.index("6000户") < reply.index("2000户")  # 济政办字〔2024〕42号 第8条 first, then what it follows


def test_the_same_question_of_a_new_person_in_another_city():
    _, reply = converse("我爸62岁，山亭区，跟人打官司交不起诉讼费，有政策吗？", "我济宁的舅舅也62岁，同样情况呢？")
    # 济政办发〔2023〕2号 附件 第9项 lists 法律诉讼服务 from 65; 枣庄 附件2 第9项 from 60
    assert "您舅舅目前不符合济宁的“法律诉讼服务”" in reply and "需年满65周岁" in reply and not asks(reply)


def test_an_items_what_if_in_another_city_says_when_the_lists_differ_in_whom_they_cover():
    _, reply = converse("我在济宁邹城，家里老人62岁，打官司诉讼费能减免吗？", "那要是在枣庄呢？")
    assert "可以享受枣庄的“法律诉讼服务”" in reply
    assert "法律诉讼服务：枣庄列于60周岁及以上老年人，济宁列于65周岁及以上老年人。" in reply


def test_a_centenarians_figure_is_explained_back_to_the_documents_own():
    (reply,) = converse("我姥姥101岁 峄城 不是低保 能领多少")
    # 办公室便函〔2023〕1号 附件1 第4项: 不低于500元, 市级 +10元 for each year over 100
    assert (
        "不低于510元/月（省级200元＋市级210元＋区（市）级100元；文件标准为100周岁不低于500元，市级每增加一岁每月再增加10元）"
        in reply
    )


def test_a_measure_asked_further_of_a_later_document_or_its_deadline():
    _, later = converse(
        "济宁2023年那个实施意见说，到2025年家庭养老床位要建多少张？", "2024年出的三年行动方案又是怎么定的？"
    )
    # 济政办字〔2024〕42号: 2026年年底前新增家庭养老床位不少于3000张
    assert later.startswith("相关政策规定：\n· 济宁：制定家庭养老床位建设管理办法") and "2026年年底前" in later
    _, unplaced = converse(
        "济宁2023年那个实施意见说，到2025年家庭养老床位要建多少张？",
        "2024年出的三年行动方案又是怎么定的？",
        intent="out_of_scope",  # what the classifier said of it live: the measure is still the topic
    )
    assert unplaced == later
    _, deadline = converse("聊城的特殊困难老人探访关爱有什么目标？", "现在都2026年底了，这个期限过了吗？")
    assert "2025年年底前实现月探访率100%" in deadline and not asks(deadline)  # 聊政办字〔2023〕19号 第6条


def test_two_people_in_two_cities_compared_side_by_side_not_summed():
    _, reply = converse("俺爸82 低保 住济宁", "俺叔也82 低保 住枣庄 俩人补贴一样不")
    # 济宁: 第17项 100元, 高龄津贴 具体标准另行制定; 枣庄: 100元 + 高龄津贴 30元 (附件1 第4项)
    assert reply.startswith("您父亲、您叔叔每月现金补贴不一样")
    assert "您父亲（济宁）：100元" in reply and "您叔叔（枣庄）：130元" in reply and "另行制定" in reply
    assert "合计230元" not in reply


def test_why_not_an_item_the_citys_list_lacks_gives_what_its_measures_say():
    (reply,) = converse("我在济宁的姨妈有政府买的居家养老服务 一个月好几十个小时 俺娘在枣庄低保失能 咋没有")
    # 办公室便函〔2023〕1号 附件1 第3项: 政府购买等方式, 对象范围和标准结合实际确定 (市民政局); 附件2 lists no such item
    assert "枣庄的基本养老服务清单中没有" in reply and "通过政府购买等方式" in reply and "市民政局" in reply
    assert "30—50小时" not in reply  # 济宁's 第21项


def test_a_part_the_person_does_not_reach_is_said_with_what_it_needs_and_what_they_get():
    (reply,) = converse("我妈67岁，任城区，低保，能力评估1级，有护理补贴吗？")
    # 济政办发〔2023〕2号 附件 第17项: 护理补贴 85元 at grade 2—3 only; 生活补贴 60—79 低保 80元
    assert reply.startswith("您母亲目前不符合“护理补贴”：需能力评估为2—3级。")
    assert "生活补贴80元/月" in reply and "85元" not in reply and "标准按当地规定" not in reply


def test_a_fact_told_later_about_the_child_is_what_changed_not_an_item_question():
    _, reply = converse("枣庄 俺爸七十 低保 能领啥", "对了 俺是独生女 前几年工伤落下残疾了")
    # 附件2 第25项 独生子女伤残 810元 + 第17项 低保 60—79 80元
    assert reply.startswith("您父亲按独生子女伤残更新：新增计划生育特别扶助金（特别扶助金）810元/月")
    assert "每月合计890元" in reply


def test_the_same_age_as_the_one_before():
    _, reply = converse("俺公公 枣庄 七十八 低保 评估二级 能领多少", "俺婆婆 同岁 也低保 没做过评估")
    assert reply.startswith("您婆婆（枣庄，78周岁，低保）") and "生活补贴80元/月" in reply  # 附件2 第17项


def test_why_someone_older_gets_more_gives_the_tiers_by_age():
    _, reply = converse("济宁 俺爸七十五 低保 能领多少", "为啥隔壁八十多的低保老人比他多")
    # 济政办发〔2023〕2号 附件 第17项: 60—79 80元, 80—89 100元
    assert "生活补贴按年龄分档：生活补贴：60—79周岁：80元/月；80—89周岁：100元/月" in reply
    assert "您父亲75周岁，现在80元/月" in reply and "由80元增至100元/月" in reply and not asks(reply)


def test_a_what_if_that_takes_a_status_away_says_the_status_not_the_ages():
    _, reply = converse("俺爹八十六了，住薛城，吃低保，一个月能领多少？", "要不是低保呢")
    # 附件2 第17项: 生活补贴 is 低保's (its tiers are ages); 高龄津贴 30元 stays (附件1 第4项)
    assert "不再有经济困难老年人补贴（现在生活补贴100元/月；限低保）" in reply and "每月合计30元" in reply
    _, reply = converse("俺爹八十六了，住薛城，吃低保，一个月能领多少？", "万一以后瘫了呢")
    assert reply.startswith("若您父亲失能：新增家庭养老支持服务")  # 附件2 第26项


def test_a_measure_asked_of_one_city_is_not_said_as_another_citys():
    first, then = converse("枣庄的银发经济有什么目标", "谁牵头")  # 济政办字〔2024〕42号 only
    assert first.startswith("枣庄的文件中没有找到这方面的规定，其他城市的规定：") and "· 济宁：" in first
    assert then.startswith("枣庄的文件中没有找到")  # the follow-up keeps the city asked about
    (reply,) = converse("聊城的医养结合有啥要求")
    assert "医养结合" in reply and "聊政办字〔2023〕19号" in reply and not asks(reply)


def test_before_the_age_is_known_the_money_by_age_comes_with_the_one_question():
    (reply,) = converse("我爸在曲阜 低保 每个月能领多少")
    # 济政办发〔2023〕2号 附件 第17项 生活补贴 by age; 第12项 高龄津贴 100+ 不低于300元
    assert "生活补贴：60—79周岁：80元/月；80—89周岁：100元/月；90—99周岁：200元/月" in reply
    assert "不低于300元/月" in reply and reply.endswith("请问老人今年多少周岁？") and reply.count("？") == 1
    (reply,) = converse("枣庄 俺娘能领啥")
    assert reply == "请问老人今年多少周岁？"  # no status told: the question alone


def test_low_income_is_asked_only_where_it_would_add_a_figure():
    *_, reply = converse("百岁老人能领多少", "枣庄山亭区的", "俺太姥姥一百零三")
    # 附件2 第17项: 100+ 低保 按鲁政发〔2011〕54号, no figure; 第12项 高龄津贴 不低于530元 at 103
    assert "不低于530元/月" in reply and not asks(reply)
    (reply,) = converse("俺娘在枣庄 八十了 能领啥")
    assert asks(reply) and "如为低保：经济困难老年人补贴（100元/月）" in reply  # 第17项 80—89: 100元


def test_where_to_apply_after_an_answer_names_each_cash_item():
    _, reply = converse("俺爷爷95 滕州 不是低保", "去哪申请")
    assert "枣庄的“高龄津贴”由市卫生健康委牵头负责" in reply and "附件2 第12项" in reply and not asks(reply)


def test_what_ifs_said_in_more_ways():
    _, reply = converse("俺娘90 滕州 特困", "要是不是特困是低保呢")  # 要是 + 不是, not 是不是 (unsure)
    assert reply.startswith("若您母亲低保、不是特困：新增经济困难老年人补贴（生活补贴）200元/月")  # 第17项 90—99
    _, reply = converse("俺娘78 峄城 低保", "等她八十了能拿多少")
    assert reply.startswith("您母亲满80周岁时：新增高龄津贴30元/月") and "由80元变为100元/月" in reply
    _, reply = converse("我妈67 济宁 低保 评估1级 有护理补贴吗", "评上2级呢")
    assert reply.startswith("若您母亲能力评估2级：新增经济困难老年人补贴（护理补贴）85元/月")


def test_follow_ups_of_an_item_its_conditions_its_missing_figure_and_a_part_not_yet_decided():
    _, reply = converse("济宁政府购买居家养老服务是啥", "谁能享受")
    assert reply.startswith("济宁·政府购买居家养老服务：服务对象为特殊困难老年人") and not asks(reply)  # 第21项
    _, reply = converse("聊城的高龄津贴多少钱", "为啥不写具体数")
    assert (
        reply.startswith("聊城的“高龄津贴”文件未列具体金额") and "市卫生健康委" in reply
    )  # 聊政办字〔2023〕19号 第8条
    _, reply = converse("济宁的低保老人护理补贴多少", "枣庄呢")
    # 附件2 第17项: 80元 at grade 2—3; the grade is not known, so not "标准按当地规定"
    assert "护理补贴：能力评估为2—3级：80元/月" in reply and "取决于：能力评估为2—3级" in reply
    assert "可以享受枣庄的“经济困难老年人补贴”：标准按当地规定" not in reply


def test_a_hint_names_its_agency_where_the_answer_has_not_and_the_headline_fits_one_wechat_message():
    (headline,) = converse("我父亲85岁，枣庄的低保户，能领什么？")
    assert len(headline.encode()) <= 2048  # one passive reply (bot/channels/wechat)
    assert "护理补贴（80元/月）" in headline and "市民政局【办公室便函〔2023〕1号 附件2 第17项】" in headline
    _, father = converse("我妈冠县的，独生子去世了，63岁，有什么政策？", "那我爸呢，他65，情况一样")
    # services said as "the same as" the mother's, so 市民政局 is named by the hint (聊政办字〔2023〕19号 第5条)
    assert "与您母亲相同" in father and "如为经济困难：经济困难老年人补贴（市民政局）" in father


def test_a_compound_question_gets_both_halves():
    (reply,) = converse("俺娘81 滕州 低保 高龄津贴多少 还有啥别的补贴")
    first, _, rest = reply.partition("全部待遇如下")
    assert "高龄津贴" in first and "30元" in first  # the item asked, first
    assert "生活补贴100元" in rest and "每月合计：130元" in rest  # then everything else (第17项 80—89 低保 100元)


def test_a_measure_named_by_its_title_is_found_even_when_the_classifier_says_out_of_scope():
    (reply,) = converse("孔孟之乡孝当先是个啥")
    assert "孝当先" in reply and "品牌" in reply and "济政办字〔2024〕42号" in reply


def test_how_to_apply_says_what_the_citys_measures_say_of_applying():
    (reply,) = converse("济宁低保老人的生活补贴需要自己去申请吗")
    assert "市民政局" in reply and "免申请静默认证" in reply and "济政办发〔2023〕2号 第3条" in reply


def test_two_ages_of_no_one_in_particular_compared():
    (reply,) = converse("枣庄七十岁和八十岁的低保老人补贴差在哪")
    assert "70周岁：80元" in reply and "80周岁：130元" in reply  # 第17项 80→100元, 第12项 高龄津贴 30元 from 80
    assert "新增高龄津贴30元/月" in reply and not asks(reply)


def test_two_people_compared_get_each_their_own_answer():
    (reply,) = converse("俺爹85俺娘78 都是滕州低保 差多少")
    assert "您父亲（滕州市，85周岁，低保）" in reply and "您母亲（滕州市，78周岁，低保）" in reply
    assert "每月合计：130元" in reply and "每月合计：80元" in reply


def test_moving_the_hukou_as_a_what_if_compares_the_money_not_the_hukou_item():
    _, there = converse("我奶奶在阳谷县，92岁，低保，每月有多少补贴？", "要是把户口迁到济宁跟我们住呢？")
    assert there.startswith("若您奶奶户籍在济宁") and "200元" in there  # 济宁 第17项: 90—99 低保 200元


def test_someone_elses_facts_are_not_the_persons_and_why_not_names_the_status_they_lack():
    _, why = converse("济宁 俺爸七十五 低保 能领多少", "为啥隔壁八十多的低保老人比他多")
    assert "75周岁" in why or "80元" in why  # still 75: the neighbour's 八十多 is not his age
    (reply,) = converse("枣庄 俺娘七十五 不是低保 邻居低保的每月领80块 俺娘咋没有")
    assert "经济困难老年人补贴" in reply and "需低保" in reply and "附件2 第17项" in reply


def test_why_no_figure_quotes_the_document_and_names_who_sets_it():
    _, why = converse("聊城的高龄津贴一个月多少", "为啥没个具体数")
    assert "文件未列具体金额" in why and "各县（市、区）" in why and "市卫生健康委" in why
    assert "0元" not in why


def test_a_short_follow_up_of_a_measure_asks_about_that_measure_in_the_document_named():
    _, further = converse("济宁的家庭养老床位", "2023年那个文件里定的是多少")
    assert "1000张" in further and "3000张" in further  # 济政办发〔2023〕2号 第13条
    assert "济政办发〔2023〕2号" in further


# --- fourth round: follow-ups of what was just said ----------------------------------------------------


def test_what_else_after_the_agencies_gives_the_whole_list_again():
    *_, rest = converse("我父亲85岁，枣庄的低保户，能领什么？", "这些钱谁发", "还有别的吗")
    assert "每月合计：130元" in rest and "乘坐城市公共交通工具" in rest and "没太听明白" not in rest


def test_a_detail_the_document_does_not_hold_is_answered_with_the_items_entry():
    # 济宁 附件 第19项 探访服务 says nothing of how often: its entry, its agency, and that the document says no more
    *_, often = converse("俺娘七十 济宁梁山 独居", "她能享受上门探访吗", "多久探一次")
    assert "探访服务" in often and "市民政局" in often and "第19项" in often and "没有写明" in often


def test_the_family_kind_said_beside_the_status_is_a_fact_and_the_money_comes_first():
    # 济宁 附件 第26项: 计划生育特别扶助金 990元 for 失独 parents
    first, money = converse("俺婆婆是计划生育特殊家庭 失独 六十五 济宁任城的", "每月有多少钱")
    assert "990元" in first and "每月合计：990元" in first
    assert "990元" in money and "优先入住公办养老机构" not in money


def test_who_may_after_a_measure_stays_with_the_measure():
    # 枣庄's documents have no 时间银行 measure: 济宁's (济政办发〔2023〕2号) is said as another city's, twice
    first, who = converse("枣庄的时间银行是啥政策", "谁能参加")
    assert "时间银行" in first and "时间银行" in who and "济宁" in who and not asks(who)


def test_the_next_birthday_after_an_answer_that_asked_is_the_difference_only():
    # 枣庄 高龄津贴: 90—99 60元, 100 不低于500元 (附件1 第4项)
    first, ahead = converse("俺爸九十九了 薛城的", "明年一百了能领多少")
    assert asks(first)  # 低保 was asked after the answer
    assert "不低于500元" in ahead and "现在60元" in ahead and "可享受的服务" not in ahead


def test_after_the_birthday_the_agency_asked_is_of_what_it_brings():
    *_, agency = converse("我爸在峄城 今年七十九", "过了年就八十了 到时候呢", "那得找哪个部门")
    assert "高龄津贴：市卫生健康委" in agency and "没太听明白" not in agency


def test_more_after_the_birthday_is_the_difference_with_the_new_total():
    # 济宁 附件 第17项: 低保 生活补贴 60—79 80元, 80—89 100元; 高龄津贴 from 80 without a figure (第12项)
    *_, more = converse("俺娘是低保 邹城 七十九 下个月过八十大寿", "过了生日能多领多少")
    assert "由80元变为100元" in more and "高龄津贴" in more and "可享受的服务" not in more


def test_an_age_said_of_both_is_each_ones_age():
    # 济宁 附件 第17项: 低保 80—89 生活补贴 100元 each
    both, total = converse("我爸我妈都八十二 济宁泗水 都吃低保", "一共多少")
    assert "请告诉我年龄" not in both and "合计200元" in total


def test_a_rough_age_put_right_by_the_exact_one_is_the_exact_one():
    *_, grandpa = converse("俺姥姥九十一滕州特坤的", "俺姥爷也九十多了九十四一样特坤")
    assert "94周岁" in grandpa and "90周岁" not in grandpa


def test_two_spoken_ages_compared_after_an_item_give_each_ages_figure():
    # 枣庄 附件1 第4项: 高龄津贴 80—89 30元, 90—99 60元
    *_, ages = converse("枣庄高龄今贴咋发的", "八十九跟九十差多少")
    assert "89周岁：30元" in ages and "90周岁：60元" in ages


def test_a_care_subsidy_asked_of_a_severely_disabled_person_is_their_groups_item_first():
    *_, care = converse("俺妈是重度残疾 一级 七十 济宁兖州", "护理补贴多少")
    assert care.index("重度残疾人护理补贴") < care.index("经济困难老年人补贴")
    assert "第25项" in care


def test_two_cities_one_figure_each_say_the_difference_and_keep_it_for_how_much_more():
    # 护理补贴 for 低保 elders assessed 2—3: 济宁 85元, 枣庄 80元 (each city's 第17项)
    first, more = converse("济宁跟枣庄低保老人护理补贴一样吗", "差多少")
    for reply in (first, more):
        assert "济宁比枣庄每月多5元" in reply and "85元" in reply and "80元" in reply
    assert "生活补贴" not in more  # the part asked, not the whole item


def test_a_matter_outside_the_documents_is_said_so_even_when_read_as_out_of_scope():
    (reply,) = converse("俺爹的养老金今年涨了多少")
    assert "不在本助手依据的文件范围内" in reply and "市人力资源社会保障局" in reply


def test_the_agency_of_one_part_of_the_answer_names_that_part_only():
    *_, low = converse("俺爹八十五 枣庄 低保", "低保那个补贴找谁")
    assert "经济困难老年人补贴：市民政局" in low and "高龄津贴" not in low
    *_, support = converse("俺爹六十五 聊城 特困", "他的供养找哪个部门")
    assert "特困老年人集中供养：市民政局" in support and "长期护理保险" not in support


# --- the measures: a document named, follow-ups that stay with a measure -------------------------------


def test_a_document_named_by_its_year_is_described_by_its_measures():
    (reply,) = converse("济宁2024年那个三年行动方案主要干啥")
    assert "济政办字〔2024〕42号" in reply and "大力发展老年助餐服务" in reply
    assert "长期护理保险”这一项" not in reply


def test_a_regulation_named_is_the_measure_that_names_it_not_the_groups_items():
    (reply,) = converse("聊城失能老年人照护条例是啥")
    assert "聊城市失能老年人照护服务条例" in reply and "聊政办字〔2023〕19号 第24条" in reply


def test_what_it_holds_after_a_measure_stays_with_the_measure():
    *_, more = converse("枣庄十助常陪四解是啥意思", "具体有哪些")
    assert "助餐" in more and not asks(more)


def test_meals_for_elders_are_found_under_the_cities_own_words():
    (zaozhuang,) = converse("枣庄的老年人助餐政策是啥")
    assert "十助" in zaozhuang and "没有找到" not in zaozhuang  # 办公室便函〔2023〕1号 第14条 names 助餐
    (liaocheng,) = converse("聊城的老年助餐咋弄的")
    assert "幸福食堂" in liaocheng  # 聊政办字〔2023〕19号 第15条


def test_how_a_te_kun_elder_is_kept_said_with_the_status_is_a_fact():
    # 枣庄 附件1 第4项: 高龄津贴 80—89 30元; 集中供养 第14项 has no figure
    (reply,) = converse("俺娘八十五 枣庄 特困 集中供养")
    assert "您母亲（枣庄，85周岁，特困）" in reply and "高龄津贴：30元/月" in reply


def test_the_agency_of_a_part_not_held_says_what_the_part_needs():
    # 枣庄 附件2 第17项: 护理补贴 80元 only for 低保 elders assessed 2—3; the person was not assessed
    *_, care = converse("俺爹八十五枣庄低保", "那护理补贴呢找谁")
    assert "目前没有护理补贴" in care and "能力评估为2—3级" in care and "市民政局" in care
    assert "生活补贴100元/月；牵头部门" not in care


def test_the_age_a_group_has_passed_is_a_rules_age_not_someones():
    (reply,) = converse("济宁过了八十的老人都有啥")
    assert "80周岁及以上老年人" in reply and "高龄津贴" in reply and not asks(reply)


def test_an_assessment_not_done_is_a_fact_and_the_person_gets_their_answer():
    # 济宁 附件 第17项: 低保 80—89 生活补贴 100元; 护理补贴 85元 needs grade 2—3
    (reply,) = converse("我爷爷88岁，济宁鱼台县，低保，没有做过能力评估。")
    assert "您爷爷（鱼台县，88周岁，低保）" in reply and "生活补贴100元/月" in reply and "85元" in reply


def test_living_alone_said_in_other_words_is_living_alone():
    (reply,) = converse("俺爹七十一 东阿的 特坤 一个人在家住")
    assert "独居" in reply and "探访关爱服务" in reply  # 聊政办字〔2023〕19号 第6条


def test_also_entitled_carries_the_status_to_the_second_person():
    # 枣庄 附件2 第25项: 独生子女伤残 parents 810元 each
    *_, both = converse(
        "俺是独生子 前年出车祸落下伤残了 俺娘六十三 住薛城 她能领扶助金不", "俺爹六十五 也能领吧 俩人一个月一共多少"
    )
    assert "合计1620元" in both


def test_money_asked_of_a_measure_without_a_figure_says_there_is_none():
    *_, money = converse("济宁家庭养老床位有什么建设目标？", "建家庭养老床位有没有钱补贴？")
    assert "奖补" in money and "未列具体补贴金额" in money


def test_a_new_person_with_only_an_age_is_asked_the_item_just_asked():
    # 枣庄 附件2 第11项: 健康管理服务 from 65, once a year
    first, spouse = converse("我今年64岁，住峄城，每年能免费体检吗？", "那我老伴66岁呢？")
    assert "65周岁" in first
    assert "健康管理服务" in spouse and "1次" in spouse and not asks(spouse)
    # with a status told, the new person's whole answer (济宁 附件 第17项: 低保 90—99 生活补贴 200元)
    *_, grandma = converse("我爷爷101岁，金乡县，每月高龄津贴多少？", "我奶奶96岁，低保，她呢？")
    assert "200元" in grandma


def test_an_assessment_taken_back_is_a_correction_that_says_what_stopped():
    # 济宁 附件 第17项: 低保 60—79 生活补贴 80元, 护理补贴 85元 only for grades 2—3
    *_, back = converse("我母亲75岁，济宁嘉祥县，低保，能力评估二级。", "刚问了，她其实还没做过能力评估。")
    assert "未做能力评估" in back and "每月合计80元" in back and "165元" not in back.split("每月合计")[1]


def test_the_part_asked_in_one_city_is_the_part_asked_in_the_next():
    *_, jining = converse("聊城的低保老人有没有护理补贴？", "济宁呢？")
    assert "护理补贴：能力评估为2—3级：85元/月" in jining and not asks(jining)


def test_the_same_standard_in_two_cities_is_said_to_be_the_same():
    *_, same = converse("俺两口子都六十五 兖州的 独生子没了 每月有扶助金不", "枣庄那边一样不")
    assert "标准相同" in same and "990元" in same


def test_the_same_rule_in_other_words_in_two_cities_is_said_to_be_the_same():
    *_, same = converse("枣庄社会力量办的公园，72岁的老人要买门票吗？", "在济宁也一样吗？")
    # 办公室便函〔2023〕1号 附件2 第6项 (七十周岁, 景点) and 济政办发〔2023〕2号 附件 第6项 (70周岁, 旅游景区)
    assert "枣庄、济宁的规定相同（济宁写作“旅游景区”）" in same


def test_two_cities_rules_that_differ_are_not_said_to_be_the_same():
    *_, other = converse("枣庄的老人法律诉讼服务有啥", "济宁一样吗")
    # 枣庄 lists it for 60+, 济宁 for 65+ (附件2 第9项 / 附件 第9项)
    assert "规定相同" not in other and "但枣庄列于60周岁及以上老年人，济宁列于65周岁及以上老年人" in other


def test_where_to_go_after_a_sum_names_each_items_agency():
    *_, where = converse("俺爹九十一 俺娘八十八 都在台儿庄 都是低保", "俩人一个月加一块多少", "上哪去办")
    assert "市民政局" in where and "市卫生健康委" in where


def test_an_only_childs_disability_is_both_parents_status():
    # 济宁 附件 第26项: 独生子女伤残 parents 810元 each
    *_, total = converse("俺爹六十七俺娘六十四 汶上的 独生子伤残了 都领扶助金", "加一块多少钱")
    assert "合计1620元" in total


def test_next_year_asked_in_the_first_message_gives_that_years_total_first():
    # 枣庄: at 80 高龄津贴 30元 starts and 低保 生活补贴 goes 80 → 100元 (附件1 第4项, 附件2 第17项)
    (reply,) = converse("俺爹今年七十九 明年八十 薛城的 低保 到时候一个月多少")
    assert reply.startswith("您父亲满80周岁时") and "每月合计130元" in reply and "（现在80元）" in reply


def test_a_neighbour_named_first_is_the_person_and_a_childs_disability_corrects_the_loss():
    # 枣庄 附件2 第25项: 失独 990元, 独生子女伤残 810元
    first, corrected = converse(
        "我邻居大姨63岁，枣庄市中区，她独生儿子去世了，有什么补助？", "说错了，她儿子是伤残，没去世。"
    )
    assert "63周岁" in first and "990元" in first
    assert "810元" in corrected and "990元" not in corrected


def test_a_status_taken_away_stops_the_whole_item_once_said_with_the_status():
    # 济政办发〔2023〕2号 附件 第17项: 低保 生活补贴 80元 (60—79) + 护理补贴 85元 (2—3级), both 低保's
    _, what_if = converse("俺妈七十梁山的低保评了三级一个月多少", "要是明年低保给取消了呢")
    assert (
        "不再有经济困难老年人补贴（现在生活补贴80元、护理补贴85元，共165元/月；限低保）" in what_if
        and "限能力评估" not in what_if
    )
    # 枣庄 附件2 第17项: 160元 (80 + 80) was hers only as 低保; the correction must not say nothing changed
    _, corrected = converse(
        "我妈七十四，峄城区，低保，能力评估二级，每月能领多少？", "不好意思，她不是低保，只是评了二级。"
    )
    assert "不享受经济困难老年人补贴（限低保）" in corrected and "：待遇不变" not in corrected


def test_next_year_after_an_item_quotes_it_where_its_own_words_name_that_age():
    _, reply = converse("我爸69岁，济宁的，去社会资本开的景区门票怎么算？", "明年70了呢？")
    # 济政办发〔2023〕2号 附件 第6项: 社会力量兴办的景区 70周岁以上免购门票，不满70周岁半价
    assert "“参观公园和旅游景区”按文件" in reply and "70 周岁以上免购门票" in reply
    assert "待遇不变" not in reply


def test_an_age_what_if_after_an_item_quotes_it_where_its_own_words_name_an_age_between():
    _, reply = converse("俺老伴七十了 嘉祥县的 去公园景点要不要买门票", "那要是他才六十九呢")
    # 济政办发〔2023〕2号 附件 第6项: 社会力量兴办的 70 周岁以上免购门票，不满 70 周岁半价
    assert "“参观公园和旅游景区”按文件" in reply and "不满 70 周岁半价" in reply
    assert "现金补贴不变" in reply and "待遇不变" not in reply
    _, reply = converse("俺老伴七十了 嘉祥县的 去公园景点要不要买门票", "那要是他七十一呢")
    assert "按文件" not in reply  # no age of the item's words lies between 70 and 71


def test_a_place_what_if_of_a_couple_living_together_moves_both():
    _, moved = converse("俺爹九十四 俺娘九十 都是低保 住滕州 一共多少", "要是在微山呢")
    # 济政办发〔2023〕2号 附件 第17项: 90—99 低保 生活补贴 200元 each; 济宁's 高龄津贴 has no figure for 80—99
    assert "若都在微山县" in moved and "每月合计400元" in moved and "现在520元" in moved
    assert moved.count("200元（经济困难老年人补贴（生活补贴）200元）") == 2 and "未计入" in moved
    # today's sum explained by its parts: 枣庄 附件2 第12项 60元 + 第17项 200元 each
    assert moved.count("（现在260元）") == 2


def test_a_couple_named_as_one_word_is_two_people_each_asked_the_item():
    first, total = converse("俺两口子都六十八了 住市中区 独生女前些年没了 有扶助金不", "俩人加一块一个月多少")
    # 办公室便函〔2023〕1号 附件2 第25项: 失独 990元 each, both parents
    assert "您和您老伴都可以享受枣庄的“计划生育特别扶助金”" in first and "990元/月" in first
    assert "高龄津贴" not in first  # the item asked, not two whole lists
    assert "合计1980元" in total and "· 您：990元" in total and "· 您老伴：990元" in total


def test_then_after_a_birthday_to_come_sums_everyone_that_many_years_on():
    *_, total = converse(
        "俺姥姥八十九 峄城的 特困 高龄津贴多少", "过了年九十了呢", "俺姥爷九十三 也是特困 到时候俩人高龄津贴一共多少"
    )
    # 办公室便函〔2023〕1号 附件1 第4项: 90—99周岁 60元 each, a year on (she 90, he 94)
    assert "1年后" in total and "合计120元" in total and "90周岁" in total and "94周岁" in total
    assert "合计90元" not in total


def test_an_item_asked_for_two_people_already_summed_is_answered_once_for_both_not_summed_again():
    _, reply = converse(
        "俺爷爷八十六 俺奶奶八十三 都在鱼台 都是低保 俩人一个月能拿多少", "俺想让他俩住公家的养老院 能优先不 找谁"
    )
    # 济政办发〔2023〕2号 附件 第20项: 优先入住公办养老机构, 市民政局
    assert "您爷爷和您奶奶都可以享受济宁的“优先入住公办养老机构”" in reply and "市民政局" in reply
    assert "合计200元" not in reply


def test_a_relative_who_died_is_no_one_to_answer_for_and_their_parents_lost_their_only_child():
    first, total = converse(
        "我公公82岁，婆婆80岁，住枣庄市中区，不是低保。我丈夫是他们唯一的孩子，已经去世了。", "他们俩每月合计多少？"
    )
    # 办公室便函〔2023〕1号 附件2 第25项 失独 990元 + 附件1 第4项 80—89周岁 30元, each
    assert "失独" in first and "990元" in first and "老伴" not in first
    assert "合计2040元" in total and "老伴" not in total


def test_facts_that_call_an_item_to_mind_ask_for_the_persons_whole_answer():
    (reply,) = converse("帮忙查一下：李大娘，68岁，金乡县，低保，重度残疾二级，需要长期照护。")
    # 济政办发〔2023〕2号 附件 第17项 生活补贴 60—79周岁 80元, 第25项 重度残疾人护理补贴 (no figure)
    assert "生活补贴80元/月" in reply and "重度残疾人护理补贴" in reply


def test_an_only_child_who_died_of_illness_is_the_parents_loss():
    *_, wife = converse(
        "帮张大爷问一下：72岁，滕州市，低保户，每月能领什么？",
        "他老伴70岁，不是低保，他们唯一的闺女十年前病故了，老伴能领啥？",
    )
    assert "计划生育特别扶助金" in wife and "990元" in wife  # 办公室便函〔2023〕1号 附件2 第25项


def test_a_birth_date_gives_the_age_and_corrects_it():
    _, corrected = converse("俺姥姥79，冠县的，不是低保，能领啥？", "俺记错了，她是1945年3月生的")
    # 1945年3月 -> 81 on 2026-11-27; 聊政办字〔2023〕19号 第8条 高龄津贴 from 80, no figure
    assert "按81周岁更新" in corrected and "新增高龄津贴" in corrected and "市卫生健康委" in corrected


def test_two_people_in_two_cities_asked_whose_item_is_more_get_each_figure():
    _, both = converse(
        "俺姥爷一百岁了在几宁任城一个月高铃津贴给多少", "他双胞胎兄弟在早庄藤州也一百了俩人谁的高铃津贴多"
    )
    # 济政办发〔2023〕2号 第12项 百岁 不低于300元; 办公室便函〔2023〕1号 附件1 第4项 不低于500元
    assert "不一样" in both and "不低于300元" in both and "不低于500元" in both and "合计" not in both


def test_an_agency_guessed_after_a_sum_is_answered_with_the_items_own_agency():
    first, total, agency = converse(
        "俺今年六十八，老伴六十六，兖州的。俺俩就一个儿，前些年出车祸没了。俺们能领点啥？",
        "俺俩加一块一个月多少钱？",
        "这个钱是民政局发的吧？",
    )
    # 济政办发〔2023〕2号 附件 第26项: 失独 990元 each, 市卫生健康委
    assert "990元" in first and "合计1980元" in total
    assert "计划生育特别扶助金：市卫生健康委" in agency


def test_an_agency_asked_in_order_to_call_it_is_no_handoff():
    _, agency = converse("俺妈六十八金乡的去公园景点玩要买门票不", "门票这个事归哪个单位管俺想打电话问问")
    assert "市发展改革委、市城市管理局、市文化和旅游局" in agency and "12345" not in agency


def test_an_aunt_said_with_a_possessive_is_her_own_person():
    *_, aunt = converse(
        "俺婶子61，邹城的，独生儿子出事故残疾了，一个月能领多少？",
        "俺姨也是这情况，61岁，独生子伤残，在聊城临清，她能领多少？",
    )
    assert "您姨妈（临清市，61周岁" in aunt and "婶婶" not in aunt


def test_an_item_asked_in_a_place_what_if_is_that_items_answer_there():
    _, there = converse(
        "俺娘八十六峄城的吃低保能力评估三级 有没有上门服务", "要是在济宁任城有没有上门服务一个月几个钟头"
    )
    # 济政办发〔2023〕2号 附件 第21项: 政府购买居家养老服务 每月30—50小时, 市民政局
    assert there.startswith("若您母亲户籍在任城区") and "30—50小时" in there and "市民政局" in there


def test_the_writers_brothers_together_are_no_one_asked_about():
    (reply,) = converse("俺爹退伍军人 枣庄的 俺们兄弟仨都在 他为啥进不了优抚供养")
    assert "兄弟" not in reply and "市退役军人局" in reply


def test_an_only_child_named_as_the_writers_husband_who_died_is_the_mothers_loss():
    (reply,) = converse(
        "我婆婆今年66，曲阜的，她就我丈夫一个孩子，我丈夫前年出车祸走了。婆婆不是低保。她现在能享受哪些待遇？"
    )
    # 济政办发〔2023〕2号 附件 第26项: 失独 990元; the husband is no one to answer for
    assert "您婆婆（曲阜市，66周岁，失独）" in reply and "990元" in reply and "老伴" not in reply


def test_to_an_age_asked_after_an_item_is_that_birthday():
    *_, ninety = converse("俺娘七十八，市中区的，不是低保，有啥钱领不？", "那她啥时候能领高龄津贴？", "到九十呢？")
    # 办公室便函〔2023〕1号 附件1 第4项: 90—99周岁 60元
    assert ninety.startswith("您母亲满90周岁时") and "60元" in ninety


def test_a_grade_stated_after_a_service_answer_says_what_it_adds_to_the_money():
    # 济宁 济政办发〔2023〕2号 附件 第17项: 低保 80—89 生活补贴 100元; 护理补贴 能力评估2—3级 85元
    _, graded = converse("俺娘八十五了，曲阜的，吃低保，坐公交要钱不", "她能力评估是二级")
    assert "护理补贴）85元/月" in graded and "每月合计185元" in graded and not asks(graded)
    assert "乘坐城市公共交通工具" not in graded  # the bus answer again is not what the fact changed


def test_a_what_if_said_of_both_changes_each_and_says_what_it_still_does_not_bring():
    # 枣庄 附件2 第17项: 护理补贴 is part of 经济困难老年人补贴, for 低保 elders assessed 2—3级
    *_, both = converse(
        "俺和老伴都63了，峄城区的，不是低保，唯一的儿子前年没了，俺们能领点啥？",
        "要是俺俩以后都评上二级失能，还能多领护理补贴不？",
    )
    assert "若都" in both and "您：" in both and "您老伴：" in both
    assert "“护理补贴”仍不能享受：还需低保" in both and "1980元" in both  # 990元 each, 附件2 第25项
    assert "护理补贴）80元" not in both


def test_how_much_more_one_gets_than_the_other_already_answered_is_the_gap():
    # 枣庄: 78 低保 80元; 80 低保 100元 + 高龄津贴 30元 = 130元
    _, gap = converse("我公公78，滕州的，低保户，一个月多少钱？", "婆婆80了，也是低保，她咋比公公多？多多少？")
    assert gap.startswith("您婆婆比您公公每月多50元") and "高龄津贴30元" in gap and not asks(gap)
    assert "您婆婆80周岁，您公公78周岁" in gap  # what makes the difference


def test_grandparents_called_short_are_two_people_summed():
    # 济宁 第17项: 低保 90—99 生活补贴 200元 each
    _, total = converse("俺爷九十三梁山的吃低宝一个月能拿多少", "俺奶也九十一也是低保俩人一共多少")
    assert "您爷爷" in total and "您奶奶" in total and "合计400元" in total


def test_a_city_without_an_item_the_others_list_for_the_persons_status_says_so():
    (aunt,) = converse("俺姨61岁，独生子伤残，在聊城临清，她能领多少？")
    assert "聊城的文件没有“计划生育特别扶助金”这一项" in aunt
    assert "810元" not in aunt and "990元" not in aunt  # the other cities' figures are never hers


def test_the_hundredth_birthday_says_the_yearly_raise():
    # 枣庄 附件1 第4项: 100周岁 不低于500元 (省200＋市200＋区100), 市级每增加一岁每月再增加10元
    _, hundred = converse("俺太奶奶九十九了，滕州的，高龄津贴多少？", "等过了一百岁呢？往后每年还涨不？")
    assert "不低于500元" in hundred and "每增加一岁每月再增加10元" in hundred


def test_a_great_grandmother_and_a_grandmother_are_two_people():
    # 枣庄 附件1 第4项: 100周岁 不低于500元; 80—89 30元
    *_, total = converse(
        "俺老奶奶今年整一百岁，住台儿庄，高龄津贴有多少？",
        "俺爷爷八十，也是台儿庄的，没低保。",
        "俺奶奶七十八，也没低保，仨人一共一个月多少？",
    )
    assert "您太奶奶" in total and "您奶奶" in total and "不低于530元" in total


def test_an_aunt_on_the_fathers_side_is_her_own_person_and_a_daughter_is_no_one():
    _, aunt = converse("俺娘九十三，台儿庄的，不吃低保，一个月有多少？", "俺姑也九十三，在聊城东阿，能领啥？")
    assert aunt.startswith("您姑姑（东阿县，93周岁）") and "60元" not in aunt.split("【文件未列金额")[0]
    (dad,) = converse("我姑娘让我问 俺爹80 滕州 能领啥")
    assert dad.startswith("您父亲（滕州市，80周岁）")


def test_the_items_a_city_lacks_are_said_only_where_the_persons_statuses_would_hold_them():
    (poor,) = converse("俺爸八十九了阳谷的吃低保每个月能有多少钱")
    assert "困难残疾人生活补贴”这一项" not in poor  # it needs 残疾 as well as 低保 (济宁/枣庄 lists)
    _, what_if = converse("我舅妈六十八岁，莘县的，不是低保，她能享受哪些？", "要是她是失独家庭呢？")
    assert "聊城的文件没有“计划生育特别扶助金”这一项" in what_if and "990元" not in what_if
    _, total = converse("俺爷爷六十八俺奶奶六十六东昌府的 独生子没了", "俩人一共能领多少钱")
    assert "暂无（文件没有列明金额的现金补贴）" in total and "没有“计划生育特别扶助金”" in total


def test_an_only_child_of_one_relative_is_not_the_one_compared_with():
    # 枣庄 附件2 第25项: 失独 990元, 独生子女伤残 810元
    _, gap = converse(
        "俺舅六十五，山亭的，独生闺女伤残了，每月能领多少？", "俺姨家独生儿子去世了，她也六十五，比俺舅多多少？"
    )
    assert gap.startswith("您姨妈比您舅舅每月多180元") and "您舅舅：810元" in gap


def test_a_place_corrected_to_a_city_without_the_item_gives_the_persons_answer_there():
    _, there = converse("俺大爷八十二住阳谷是特困分散供养的一个月给多少钱", "弄错了他不是阳谷的是枣庄山亭的")
    # 枣庄 附件1 第4项 高龄津贴 80—89 30元; 附件2 第13项 分散供养 1.3倍
    assert there.startswith("您大爷（山亭区，82周岁，特困") and "30元" in there and "1.3倍" in there


def test_a_grade_said_once_names_the_next_persons_bare_grade_too():
    (both,) = converse("俺娘八十三低保评了二级住济宁微山俺婆婆也八十三低保也是二级住枣庄峄城她俩护理补贴一样不")
    # 济宁 第17项 护理补贴 85元; 枣庄 附件2 第17项 护理补贴 80元 (both 低保, 2—3级)
    assert "护理补贴）85元" in both and "护理补贴）80元" in both and "市民政局" in both


def test_a_what_if_of_one_named_of_two_is_hers_with_the_households_new_sum():
    # 济宁 第17项: 低保 80—89 100元 each; 护理补贴 2—3级 85元
    *_, one = converse(
        "俺爷爷八十八，俺奶奶八十五，都在鱼台，都是低保，俩人每月多少？", "要是光俺奶奶评上二级呢，俩人一共多少？"
    )
    assert one.startswith("若您奶奶能力评估2级") and "全家有金额的部分每月合计285元" in one and "370元" not in one


def test_a_what_if_of_both_leaves_both_as_they_were():
    # 枣庄: 91 低保 高龄津贴 60元 + 生活补贴 200元 each
    _, what_if, now = converse(
        "俺爹俺娘都九十一了住峄城老两口都是低保一个月一共能领多少",
        "他俩要是都不吃地保了俩人一共还剩多少",
        "那现在俩人一共多少",
    )
    assert "全家有金额的部分每月合计120元（现在520元）" in what_if
    assert "合计520元" in now  # the what-if changed no one's facts


def test_a_fact_said_after_an_answer_however_it_is_classified_updates_it():
    _, grade = converse("俺爹七十四任城的低保评了个一级有啥钱", "俺看错了是三级不是一级")
    assert "护理补贴）85元/月" in grade and "每月合计165元" in grade  # 济宁 第17项
    _, lost = converse("俺是邻居帮着问问老太太八十二枣庄市中区的吃低保一个月能领多少", "她就一个儿子前年出事没了")
    assert "990元" in lost and "每月合计1120元" in lost  # 枣庄 附件2 第25项: 失独 990元


def test_a_couple_taken_to_another_city_is_a_what_if_for_both():
    _, moved = converse(
        "俺爹八十六，俺娘八十，都在莘县，都不是低保，他俩有啥补贴？",
        "闺女想把他俩接到枣庄滕州，户口也迁过去，那样俩人一个月一共多少？",
    )
    # 枣庄 附件1 第4项: 高龄津贴 80—89 30元 each; 聊城 gives no figure
    assert moved.startswith("若都在滕州市") and "每月合计60元" in moved


def test_how_much_the_two_just_answered_differ_is_the_gap():
    _, gap = converse("俺爷九十二俺奶八十四都在薛城都不是低保高龄津贴咋领", "他俩的钱咋不一样差多少")
    assert gap.startswith("您爷爷比您奶奶每月多30元") and "您爷爷92周岁" in gap  # 附件1 第4项: 60元 vs 30元


def test_a_loss_told_after_an_answer_in_a_city_without_the_item_says_both():
    _, lost = converse("俺姥爷七十五东阿的有啥待遇", "他是计生特殊家庭独生闺女前些年没了")
    assert "按失独更新" in lost and "聊城的文件没有“计划生育特别扶助金”这一项" in lost and "990元" not in lost


def test_an_item_without_a_figure_in_a_total_names_its_agency():
    _, left = converse("俺爸八十六，曲阜的，低保，能力评估三级，现在每月能领哪些钱？", "万一低保给取消了，他还剩下啥？")
    assert "高龄津贴（市卫生健康委）" in left and "185元" in left  # 济宁 第12项: no figure for 80—99


def test_a_first_message_with_facts_then_a_what_if_compares_it_with_now():
    (text,) = converse("俺娘七十九鱼台的低保户要是评上二级失能一个月能多领多少")
    # 济宁 第17项: 低保 60—79 生活补贴 80元; 护理补贴 2—3级 85元
    assert text.startswith("若您母亲失能、能力评估2级") and "护理补贴）85元/月" in text and "现在80元" in text
    assert "185元" not in text  # not the next birthday's


def test_an_item_refused_says_the_money_the_person_does_have():
    (text,) = converse("俺娘八十二薛城的不是低保户评估三级失能了能拿那个护理补贴不")
    assert "目前不符合" in text and "您母亲现在每月可领：30元（高龄津贴30元）" in text  # 枣庄 附件1 第4项


def test_a_word_for_one_kind_of_item_names_each_citys_item_of_it():
    _, rails = converse("俺姥爷八十五，临清的，低保，一个人住", "家里想装扶手改改厕所 政府给改不 找谁")
    assert "居家适老化改造" in rails and "市民政局" in rails  # 聊政办字〔2023〕19号 第14条


def test_a_status_the_persons_own_rules_out_asked_about_is_a_question_not_a_fact():
    # 枣庄 附件2 第25项: 独生子女伤残 810元, 失独 990元
    _, asked = converse("俺娘六十五 薛城的 独生子残疾了 是伤残特扶对象 一个月能领多少", "那她能领失独那个990的不")
    assert asked.startswith("您母亲是独生子女伤残，不是失独，不能按失独的标准享受。") and "810元" in asked
    _, corrected = converse("俺娘六十五 薛城的 独生子残疾了 一个月能领多少", "说错了 是失独")
    assert "990元" in corrected  # a correction says so, and is taken


def test_a_birthday_to_come_says_how_much_more():
    _, then = converse("俺爹七十九了住台儿庄吃低保现在一个月多少钱", "他明年三月就八十了到时候能多领多少")
    # 枣庄 at 80 with 低保: 高龄津贴 30元 + 生活补贴 100元 = 130元, against 80元 now
    assert "每月合计130元" in then and "每月多50元" in then


def test_how_to_apply_after_an_answer_names_the_money_just_said_not_a_service():
    _, how = converse("我公公八十五岁，住市中区，不是低保，他每个月能领多少？", "去哪里办手续？要带啥材料？")
    assert "高龄津贴" in how and "市卫生健康委" in how
    assert "委托服务" not in how  # its everyday name "帮他办手续" is not "办手续" asked alone


def test_how_a_tekun_elder_is_kept_is_a_fact_and_the_money_is_asked():
    (reply,) = converse("我大伯是特困人员，在滕州敬老院集中供养，83岁，他每个月能拿多少？")
    assert "高龄津贴：30元/月" in reply and "集中供养" in reply and not asks(reply)


def test_moving_in_with_a_relative_is_a_what_if_of_the_person_not_a_new_person():
    _, moved = converse(
        "俺娘八十二兖州的低保能力评估三级一个月能拿多少钱",
        "要是她户口随俺哥迁到枣庄薛城去了呢还是低保还是三级一个月能拿多少",
    )
    # 枣庄 at 82, 低保, grade 3: 高龄津贴 30元 + 生活补贴 100元 + 护理补贴 80元
    assert moved.startswith("若您母亲户籍在薛城区：每月合计210元") and not asks(moved)


def test_living_to_a_hundred_is_that_birthday():
    _, hundred = converse("俺老爷爷九十八了梁山的没吃低保有啥钱不", "那要是活到一百岁能给多少")
    assert "满100周岁时" in hundred and "不低于300元" in hundred  # 济宁 附件 第12项


def test_a_birth_date_gives_the_day_the_money_begins():
    (reply,) = converse("我妈是1946年12月20日出生的，住滕州，不是低保，她什么时候能领高龄津贴？能领多少？")
    assert "30元/月" in reply and "今年79周岁，将于2026年12月20日满80周岁" in reply  # 枣庄 高龄津贴 from 80
    (by_year,) = converse("俺爹一九四七年二月生的枣庄市中区的高龄津贴啥时候能领")
    assert "将于2027年2月满80周岁" in by_year


def test_a_hotline_operator_introducing_themselves_is_answered_not_handed_over():
    first, moved = converse(
        "我是12345热线接线员。来电老人82岁，临清市人，低保户，问每月有哪些补贴、各多少钱。",
        "老人又说户口其实在济宁兖州区，按济宁算是多少？",
    )
    assert "临清市，82周岁，低保" in first and "12345政务服务便民热线（全国统一号码）" not in first
    # 济宁 at 82 with 低保: 生活补贴 100元 (济政办发〔2023〕2号 附件 第17项); 户口 is where she is, not 迁移户口
    assert "兖州区，82周岁，低保" in moved and "100元" in moved and "迁移户口：" not in moved


def test_renjia_after_the_relative_just_named_is_that_relative():
    _, aunt = converse(
        "俺娘七十四鱼台的低保户能力评估是二级一个月能领多少",
        "俺大姨也七十四也是低保也是二级人家住藤州她能领多少",
    )
    assert "您大姨（滕州市，74周岁，低保，能力评估2级）" in aunt and "160元" in aunt  # 枣庄: 80 + 80


def test_an_age_after_ye_is_the_new_persons_age():
    _, uncle = converse("俺爷爷九十五易城区的不是低保高龄金贴一个月多少", "那俺舅爷在聊城深县也九十五他能领多少")
    assert "莘县，95周岁" in uncle and not uncle.startswith("请问")


def test_a_multiple_quoted_from_the_answer_is_the_items_that_say_it():
    _, multiple = converse(
        "我大伯是特困人员，在滕州敬老院集中供养，83岁，他每个月能拿多少？", "那个1.3倍到底是多少钱？"
    )
    assert "最低生活保障标准的1.3倍" in multiple and "文件未列具体金额" in multiple and "市民政局" in multiple


def test_two_items_of_one_city_with_the_same_standard_are_said_to_be_the_same():
    _, which = converse(
        "我舅舅78岁，峄城区的特困人员，在家分散供养，能享受什么？", "分散供养和集中供养，哪个生活标准高？"
    )
    assert "分散供养、集中供养的标准相同" in which  # 枣庄 第13、14项: both 不低于低保标准的1.3倍


def test_two_cities_compared_say_by_how_much():
    _, both = converse("俺娘七十七住邹城吃低保能力评估二级一个月多少", "俺姨跟俺娘一样的情况住滕州她比俺娘多还是少")
    # 护理补贴 85元 in 济宁 (济政办发〔2023〕2号 第17项), 80元 in 枣庄 (附件2 第17项)
    assert "济宁比枣庄每月多5元（165元对160元）" in both


def test_a_grade_that_brings_nothing_says_what_else_it_needs():
    (reply,) = converse("俺娘八十二峄城的没吃低保评估结果是二级一个月给多少钱")
    assert "每月合计：30元" in reply and "护理补贴（能力评估为2—3级）还需低保" in reply


def test_a_city_without_figures_is_never_said_to_give_0_yuan_less():
    (both,) = converse("我爸八十五，枣庄薛城区，低保；我岳父也八十五，在聊城冠县，也是低保。")
    assert "130元" in both and "对0元" not in both and "聊城比" not in both and "比聊城" not in both


def test_two_people_compared_name_the_birthday_that_makes_the_difference():
    *_, which = converse("俺爷九十二俺奶八十四都在薛城都不是底保高林津贴咋领", "他俩的钱咋不一样差多少")
    assert "每月多30元" in which and "【满90周岁起】高龄津贴由30元增至60元/月" in which  # 附件1 第4项
    *_, same = converse(
        "俺爹八十一，俺娘七十六，都在临清，都不是低保，他俩有啥补贴？", "他俩有啥不一样？俺娘能跟俺爹拿的一样吗？"
    )
    assert "【满80周岁起】高龄津贴" in same and "0元" not in same  # 聊城 states no figure


def test_one_taking_her_to_another_city_makes_a_what_if_of_her_not_a_new_person():
    _, moved = converse(
        "俺娘七十九，住滕州，吃低保，一个月多少钱？", "俺弟想接她去济宁任城区住，户口也迁过去，那边给的钱有变化不？"
    )
    # 生活补贴 80元 at 60—79 in both lists (济政办发〔2023〕2号 第17项; 附件2 第17项)
    assert moved.startswith("若您母亲户籍在任城区：每月合计80元") and "不变" in moved and "迁移户口：" not in moved


def test_more_or_less_after_a_move_says_by_how_much():
    _, moved = converse(
        "我奶奶七十六，住滕州，低保，评估二级，每月多少？",
        "要是她去济宁邹城我大姑那住，户口也迁过去，跟现在比是多还是少？",
    )
    assert "每月合计165元" in moved and "现在160元，每月多5元" in moved


def test_the_age_a_figure_is_reached_is_said_from_the_tiers():
    (reply,) = converse("济宁的低保老人，生活补贴到多大岁数能涨到200块？俺娘现在86，嘉祥的。")
    assert reply.startswith("满90周岁起经济困难老年人补贴中的生活补贴为200元/月（市民政局）")  # 第17项 90—99
    _, sixty = converse("俺奶奶八十七了易城的高龄津贴现在一个月三十", "啥时候能涨到六十")
    assert sixty.startswith("满90周岁起高龄津贴为60元/月（市卫生健康委）")  # 附件1 第4项


def test_the_agencies_of_an_answer_name_each_part_with_its_figure():
    _, agencies = converse(
        "俺爹93了，滕州的，低保，能力评估二级，一个月能领多少？", "这几样钱你一样一样跟俺说说，都是哪个部门管的？"
    )
    assert "经济困难老年人补贴（生活补贴200元/月、护理补贴80元/月）：市民政局" in agencies
    assert "高龄津贴（60元/月）：市卫生健康委" in agencies


def test_a_daughter_said_to_be_an_only_child_and_disabled_is_the_familys_status():
    (reply,) = converse("俺是梁山的今年六十二闺女是独生的出车祸残了计化生育伤残那种一个月能领多少")
    assert "特别扶助金810元/月" in reply and "990元" not in reply  # 济政办发〔2023〕2号 第26项


def test_a_spoken_multiple_is_the_items_that_say_it():
    _, multiple = converse(
        "俺舅七十一市中区的特困户分三供养在自己家住一个月给多少生活费", "那个一点三倍是啥意思是按啥算的"
    )
    assert "最低生活保障标准的1.3倍" in multiple and "12345" not in multiple


def test_a_two_digit_birth_year_gives_the_age():
    (reply,) = converse("俺爷爷四七年一月生的山亭的吃低保现在一个月多少钱")
    assert "79周岁" in reply and "每月合计：80元" in reply  # born January 1947: 79, 生活补贴 60—79 80元


def test_this_item_asked_of_a_new_person_is_that_item_for_them():
    _, grandma = converse("俺爷爷六十七山亭的听说有个能力评估是啥玩意", "俺奶奶六十三她能做这个评估不")
    assert "您奶奶目前不符合枣庄的“老年人能力综合评估”" in grandma and "满65周岁" in grandma  # 附件2 第10项


def test_when_an_items_own_words_change_for_the_person():
    _, when = converse("我和老伴在枣庄市中区，我72她68，去社会力量办的景点要门票吗？", "那她啥时候能跟我一样免票？")
    assert when.startswith("您老伴满70周岁时，“参观公园和景点”按文件") and "七十周岁以上免购门票" in when


def test_who_gives_is_no_items_content():
    _, agency = converse("俺大爷七十九了临清的特昆户自己一个人在家住国家给啥待遇", "这个归哪个部门管俺去哪问")
    assert "优抚供养" not in agency and "市民政局" in agency


def test_an_item_asked_is_answered_even_when_the_classifier_says_out_of_scope():
    replies = converse(
        "俺舅七十一市中区的特困户分三供养在自己家住一个月给多少生活费",
        "那个一点三倍是啥意思是按啥算的",
        intent="out_of_scope",
    )
    assert "最低生活保障标准的1.3倍" in replies[-1]


def test_two_statuses_compared_for_one_age_are_each_groups_money():
    (both,) = converse("同样是八十二岁在任城住低保跟特坤的待遇有啥区别")
    # 济政办发〔2023〕2号: 第17项 低保 80—89 100元; 第13/14项 特困 不低于低保标准的1.3倍, no figure
    assert "低保（济宁，82周岁）" in both and "特困（济宁，82周岁）" in both
    assert "低保独有：经济困难老年人补贴：生活补贴100元/月" in both and "1.3倍" in both
    assert "不是低保" not in both  # no one's facts: not "老人是特困，不是低保"


def test_two_people_named_at_once_with_the_gap_asked_get_the_gap_after_both_answers():
    (reply,) = converse("俺爹八十五俺娘七十八都在台儿庄都是底保俺爹比俺娘多多少钱")
    assert "每月合计：130元" in reply and "每月合计：80元" in reply  # 枣庄 低保 85: 30 + 100; 78: 80
    assert "您父亲比您母亲每月多50元" in reply


def test_a_part_not_yet_held_says_what_it_needs_and_its_figure():
    _, how = converse("俺娘八十一薛城的低饱户一个月能拿多少", "听说还有个护理不贴咋弄要先平估吗找谁")
    assert "目前没有护理补贴（护理补贴限能力评估为2—3级，每月80元）" in how and "市民政局" in how


def test_the_writers_spouse_shares_the_only_childs_status_and_sees_only_that_tier():
    _, spouse = converse(
        "我今年六十一，曲阜的，独生儿子前些年出事落下残疾，俺家是独生子女伤残特别扶助对象，一个月能领多少？",
        "这个扶助金是不是得满六十岁才给？俺老伴才五十八。",
    )
    # 济政办发〔2023〕2号 第26项: 伤残 810元, from 60
    assert "满60周岁起可领810元/月" in spouse and "990元" not in spouse


def test_a_false_alternative_is_no_reason_an_item_fails():
    _, spouse = converse("我是滕州的，今年63，独生女儿前几年没了，能领啥？", "我老伴今年58，她也能领这个扶助金吗？")
    assert "需年满60周岁【" in spouse and "990元" in spouse and "810元" not in spouse


def test_how_often_is_said_to_be_monthly():
    _, often = converse(
        "俺娘七十七周城的吃地保还评了个能力三级一个月能拿多少", "那个护理不贴是每个月都给吗还是一年给一回"
    )
    assert "护理补贴85元/月" in often and "每月标准" in often


def test_a_group_asked_what_the_government_provides_gets_the_groups_rule():
    (group,) = converse("济宁那些空潮独居的老人政府管不管都给提供啥")
    assert "独居、空巢老年人的专门待遇" in group and "探访服务" in group and "委托服务" in group


def test_a_rule_age_compared_with_a_decade_says_what_it_adds():
    (rule,) = converse("济宁六十五往上的老人都有啥服务跟六十出头的有啥不一样")
    assert "65周岁比60周岁" in rule and "老年人能力综合评估" in rule  # 济政办发〔2023〕2号 第10项: 65+


def test_two_items_of_the_person_compared_say_the_gap():
    _, which = converse(
        "俺爹刚过完八十岁生日，峄城的，低保，能力评估评了三级，一个月能领多少？", "护理补贴和高龄津贴哪个多？差多少？"
    )
    assert "护理补贴每月80元，比高龄津贴（30元）多50元" in which  # 附件2 第17项 / 附件1 第4项


def test_two_ways_compared_are_both_asked_not_one_stated():
    _, which = converse(
        "俺舅是特坤人员六十九一个人住在梁山农村政府管不管", "他去敬老院集中供养跟在家分散供养有啥区别哪个划算"
    )
    assert "分散供养" in which and "集中供养" in which and "枣庄" not in which  # 济宁 第13、14项 only


def test_a_disability_grade_heard_by_sound_is_a_disability_grade():
    _, what_if = converse("俺爹八十二薛城的低保一个月多少", "他要是蚕疾证办下来是二级的还能多啥")
    assert "重度残疾人护理补贴" in what_if  # 枣庄 附件2 第24项: 残疾等级一级、二级


def test_an_age_after_a_bare_dao_is_no_figure_reached():
    _, hundred = converse("俺爹七十九枣庄的低保", "等他到100岁能领多少 啥时候发")
    assert "满100周岁时" in hundred and "为100元/月" not in hundred  # 100 is his age then, not 100元


def test_a_groups_money_asked_after_another_item_is_that_groups_item():
    *_, whose = converse(
        "俺公公八十六东阿的中风瘫床上了有啥保障", "他也是吃地保的", "那个长湖险找谁办", "那低保老人那份补贴又找谁"
    )
    # 聊城 第5条: 经济困难老年人补贴 (低保 is 经济困难), 市民政局; not 第9条's 长期护理保险 again
    assert "经济困难老年人补贴" in whose and "市民政局" in whose and "长期护理保险" not in whose


def test_a_clause_of_fact_before_an_open_question_is_no_item_asked():
    (whole,) = converse("俺爹84了，微山的，常年跑医院，不是低保，他能享受啥？")
    assert "每月合计" in whole or "【每月现金补贴】" in whole  # his whole answer (济宁), not 第3项 就医便利 alone


def test_two_items_without_figures_compared_for_worth_say_no_sum_is_set():
    _, which = converse(
        "俺三爷是特捆户在冠县七十九了没儿没女一个月给多少钱", "他是去静老院集中供养划算还是在家分散供养划算"
    )
    assert "集中供养" in which and "分散供养" in which and "未列具体金额" in which  # 聊城 第4条 states none
    assert "80元" not in which and "100元" not in which


def test_by_how_much_after_a_couples_what_if_is_the_gap_of_their_sum():
    *_, gap = converse(
        "俺爷俺奶都在滕州俺爷八十三俺奶七十九都是低保俩人一个月一共多少",
        "要是俩人都评上能力平谷二级呢",
        "那比现在多多少",
    )
    # 枣庄 附件2 第17项: 护理补贴 80元 each for 2—3级; 210元 now (130 + 80), 370元 then
    assert "370元" in gap and "210元" in gap and "160元" in gap


def test_items_named_and_added_up_give_the_persons_sum():
    (three,) = converse("我爷爷94岁，滕州的，低保户，能力评估三级，高龄津贴加上生活补贴加上护理补贴一共多少？")
    # 枣庄 附件1 第4项 (90—99周岁 60元), 附件2 第17项 (生活补贴 90周岁以上 200元, 护理补贴 2—3级 80元)
    assert "高龄津贴60元＋生活补贴200元＋护理补贴80元，一共340元" in three
    _, group = converse(
        "俺爹六十六台儿庄的独生子前些年没了家里还吃着低保一个月能领多少",
        "他去年评了能力评估二级扶助金加上低保补贴再加上护理补帖一共多少",
    )
    # 附件2 第25项 990元; 低保补贴 is 第17项 without the 护理补贴 named beside it (80 + 80), counted once
    assert "一共1150元" in group and "（生活补贴）80元" in group


def test_an_item_added_up_that_the_person_lacks_is_said_and_not_added():
    (lacking,) = converse("俺爹八十二枣庄山亭的不是低保 高龄津贴加上护理补贴一共多少")
    # 附件1 第4项 30元; 第17项's 护理补贴 needs 低保 as well as 2—3级
    assert "高龄津贴30元，一共30元" in lacking and "“护理补贴”您父亲目前不能享受（还需低保），未计入" in lacking


def test_the_one_another_is_likened_to_keeps_their_own_facts():
    _, both = converse(
        "我在济宁任城区，我妈82岁，低保，能力评估二级，每月能领多少钱？",
        "我姨在枣庄市中区，情况跟我妈一样，也是82岁、低保、评估二级，她能领多少？俩人差在哪？",
    )
    # 济宁 附件 第17项 100 + 85; 枣庄 附件2 第17项 100 + 80 and 附件1 第4项 30: mother stays in 济宁
    assert "您母亲（济宁）：185元" in both and "您姨妈（枣庄）：210元" in both


def test_then_after_a_birth_date_is_that_birthday():
    _, then = converse("俺娘是一九四六年十二月五号生的薛城的高林津贴啥时候能领", "她是低保户到那时候一个月一共多少")
    # 枣庄 at 80: 高龄津贴 30元 (附件1 第4项) and 生活补贴 100元 (附件2 第17项); 80元 now at 79
    assert "满80周岁时" in then and "每月合计130元" in then and "现在80元" in then


def test_two_grades_in_one_what_if_are_each_answered_and_an_item_still_lacking_says_why():
    _, grades = converse("我母亲76岁，薛城区，低保，每月多少？", "她要是能力评估评上一级，能加护理补贴吗？评二级呢？")
    # 枣庄 附件2 第17项: 护理补贴 80元 for 2—3级 only
    assert "若您母亲能力评估1级：待遇不变" in grades and "“护理补贴”仍不能享受：限能力评估为2—3级" in grades
    assert "若您母亲能力评估2级：新增经济困难老年人补贴（护理补贴）80元/月" in grades and "每月合计160元" in grades


def test_a_groups_money_across_cities_is_its_own_items_city_by_city():
    (group,) = converse("失独老人在济宁枣庄聊城一个月都给多少钱")
    # 济宁 附件 第26项, 枣庄 附件2 第25项: 990元 / 810元; 聊城's plan has no such item
    assert "济宁·计划生育特别扶助金" in group and "枣庄·计划生育特别扶助金" in group and "990元" in group
    assert "聊城没有基本养老服务清单，其文件（聊政办字〔2023〕19号）未列“计划生育特别扶助金”，也未规定金额" in group
    assert "聊城·计划生育特别扶助金" not in group and not asks(group)


def test_a_status_named_to_compare_with_is_no_fact_and_the_gap_is_said():
    (single,) = converse("我是滕州的，今年66，家里是独生子女伤残家庭，计划生育特别扶助金跟失独家庭比每月差多少？")
    # 枣庄 附件2 第25项: 失独 990元, 独生子女伤残 810元 a person
    assert "独生子女伤残每人每月810元，失独每人每月990元" in single and "失独比独生子女伤残每人每月多180元" in single
    _, couples = converse(
        "我们是计划生育特殊家庭，我和老伴都六十五，住薛城，独生子女去世了，每月有多少扶助金？",
        "我们邻居老李两口子也都六十多，他家孩子是伤残，他们俩跟我们俩比每月差多少？",
    )
    assert "每人每月多180元" in couples and "两个人一个月一共差360元" in couples
    *_, again = converse(
        "俺俩都六十五了金乡的孩子没了是失读家庭一个月那个扶住金多少",
        "俺表姐家是孩子伤残的那种跟俺们比差多少",
        "那俺们一个月多少",
    )
    assert "990元" in again and "810元" not in again  # still 失独 (济宁 附件 第26项)


def test_two_statuses_weighed_for_one_person_named_keep_their_other_facts():
    (both,) = converse("俺爹八十四峄城的要是特困户跟低保户比哪个领的多")
    # 枣庄 附件2 第13、14项 (1.3倍 of the 低保 standard, no figure) against 第17项 生活补贴 100元 at 84
    assert "特困独有：分散供养" in both and "1.3倍" in both and "低保独有：经济困难老年人补贴：生活补贴100元/月" in both


def test_money_received_in_a_care_home_is_no_question_of_its_fees():
    (kept,) = converse("我舅舅是特困人员，在汶上县敬老院集中供养，今年80岁，每月能领多少钱？")
    assert "不在本助手依据的文件范围内" not in kept and "您舅舅（汶上县，80周岁，特困）" in kept
    (fees,) = converse("济宁的养老院一个月多少钱")
    assert "不在本助手依据的文件范围内" in fees  # outside.yml care_home_fees


def test_a_relative_who_would_take_the_person_in_is_named_in_passing():
    _, there = converse("俺爹八十六了住微山吃低保一个月能领多少", "俺弟弟在藤州想把他接过去住那边能领多少")
    # 枣庄 at 86 with 低保: 高龄津贴 30元 (附件1 第4项) and 生活补贴 100元 (附件2 第17项)
    assert "130元" in there and not asks(there)


def test_no_money_yet_says_the_birthday_it_begins_when_near():
    (near,) = converse("我奶奶户口在曲阜，今年77，不是低保，一个人住，每月有没有补贴？")
    assert "【满80周岁起可享受】高龄津贴（市卫生健康委）" in near  # 济宁 附件 第12项; no figure, years off
    (far,) = converse("俺爸六十一 薛城的 不是低保 每月有没有补贴")
    assert "满80周岁起" not in far and "30元" not in far  # 19 years off: not said as if it were his


def test_a_figure_pointed_at_in_a_follow_up_is_the_item_paying_it():
    _, often = converse("俺姥爷七十三了金乡的是失毒老人一个月能领多少", "这个九百九是一个月给一回还是一年给一回")
    # 济宁 附件 第26项: 特别扶助金 失独 990元/月, 市卫生健康委
    assert "计划生育特别扶助金" in often and "990元/月" in often and "每月标准" in often
    _, how = converse("俺奶一百零四了在台二庄一个月能领多少", "这五百多是咋算出来的")
    # 枣庄 附件1 第4项: 100周岁 省级200元＋市级200元＋区（市）级100元, 市级每增加一岁再增加10元: 104 → 540
    assert "高龄津贴" in how and "540元" in how and "省级200元" in how and "区（市）级100元" in how
    assert "不在本助手依据" not in how


def test_an_item_begun_at_a_later_birthday_says_how_many_years_are_left():
    (checkup,) = converse("俺妈六十三在枣庄亦城住听说老年人每年能免费体检一回她够岁数了没")
    # 枣庄 附件2 第11项: 健康管理服务, 65周岁及以上
    assert "还差2年，满65周岁起可享受此项" in checkup and "市卫生健康委" in checkup


def test_a_sum_once_the_younger_reaches_an_age_counts_each_at_that_age_or_their_own():
    *_, both = converse(
        "我爸妈都是七十九，住市中区，都不是低保，现在每月有啥补贴？",
        "要是我爸先过了八十呢？",
        "等他俩都过了八十，俩人加一起每月多少？",
    )
    # 枣庄 附件2 第12项: 高龄津贴 80—89周岁 30元 each
    assert "都满80周岁时" in both and "合计60元" in both
    (couple,) = converse("俺和老伴都是失读家庭的俺八十一她七十九住峄城不是低保等她也过了八十俺俩一个月一共能领多少")
    # 第25项 失独 990元 each, 第12项 30元 each from 80: the elder stays 81
    assert "您（81周岁）、您老伴（80周岁）" in couple and "合计2040元" in couple and "2010元" not in couple


def test_registration_elsewhere_after_an_answer_names_the_items_that_need_the_citys_own():
    _, elsewhere = converse("俺爹八十五，邹城的，不是低保，能领啥", "要是他户口还在菏泽没迁过来呢")
    # 济政办发〔2023〕2号 附件 第12项: 高龄津贴 具有本市户籍; the other items state no such condition
    assert "若您父亲户口不在济宁：“高龄津贴”须具有本市户籍" in elsewhere and "市卫生健康委" in elsewhere
    assert "没有写明户籍要求" in elsewhere and "不在本助手依据" not in elsewhere
    # 枣庄 附件2 第12项 states no 户籍 condition: nothing is said to be lost
    _, zaozhuang = converse("俺爹八十五，滕州的，不是低保，能领啥", "要是他户口还在菏泽呢")
    assert "不能按此项享受" not in zaozhuang and "没有写明户籍要求" in zaozhuang


def test_registration_moved_in_after_it_was_elsewhere_answers_the_item_as_theirs():
    _, moved = converse(
        "俺爹八十六，在嘉祥跟着俺住了十来年，户口还在河南老家，高龄津贴能领不？", "那要是把户口迁到嘉祥呢"
    )
    # 济政办发〔2023〕2号 附件 第12项: 80—99周岁 标准按当地规定 (no figure), 市卫生健康委
    assert "若您父亲户口迁到嘉祥县" in moved and "可以享受济宁的“高龄津贴”" in moved
    assert "文件未列具体金额" in moved and "市卫生健康委" in moved and "30元" not in moved


def test_whether_what_was_just_said_must_be_applied_for_is_asked_of_those_items():
    _, apply = converse("俺娘七十一住莘县吃低保聊城给低保老人啥补贴", "那得自己去申请不还是人家主动给发")
    # 聊政办字〔2023〕19号 第5条: 对生活补贴实行免申请静默认证, 市民政局
    assert "免申请静默认证" in apply and "市民政局" in apply and "按聊城市基本养老服务政策" not in apply


def test_that_place_then_a_new_person_is_the_item_just_asked_for_them():
    _, uncle = converse("我爸85岁，住聊城冠县，高龄津贴每月多少钱？", "那济宁呢？我叔叔也85，在汶上县。")
    # 济政办发〔2023〕2号 附件 第12项: 80—99周岁 标准按当地规定, 市卫生健康委; no question needed
    assert "您叔叔可以享受济宁的“高龄津贴”" in uncle and "文件未列具体金额" in uncle and not asks(uncle)


def test_a_what_if_that_brings_disability_names_the_citys_measures_for_it():
    _, ahead = converse("俺爹七十六冠县的老伴走了就他自个住孩子都在外地打工", "要是他以后瘫炕上失宁了能有啥保障")
    # 聊政办字〔2023〕19号 第9条: 居民长期护理保险, 牵头单位 市医保局; 第5条: 经济困难失能老年人集中托养试点, 市民政局
    assert "若您父亲失能" in ahead and "居民长期护理保险" in ahead and "市医保局" in ahead and "集中托养" in ahead
    assert "不是按月发放的金额" in ahead and "元/月" not in ahead.split("相关的措施")[1]


def test_a_status_with_measures_and_no_age_yet_gets_those_measures_before_the_question():
    (first,) = converse("聊城家里有湿能老人政府都有啥政策俺爹瘫床上三年了")
    # 聊政办字〔2023〕19号 第9条 居民长期护理保险 (市医保局); 第5条 政府购买服务…居家养老服务 (市民政局)
    assert "居民长期护理保险" in first and "居家养老服务" in first and "市医保局" in first
    assert first.rstrip().endswith("请问老人今年多少周岁？")


def test_the_services_say_what_they_are_where_the_answer_still_fits_one_wechat_message():
    (retired,) = converse("我爸68，曲阜的，不是低保也不是特困，就普通企业退休工人，能享受啥")
    # 济政办发〔2023〕2号 附件 第6项: 社会力量兴办的…不满70周岁半价购买门票; 第5项 免费乘坐城市公共交通工具
    assert "参观公园和旅游景区（政府兴办…免购门票；社会力量兴办…不满70周岁半价；" in retired
    assert "乘坐城市公共交通工具（免费乘坐；市交通运输局，第5项）" in retired
    (headline,) = converse("我父亲85岁，枣庄的低保户，能领什么？")
    assert len(headline.encode()) <= 2048 and "半价" not in headline  # no room: the names only


def test_a_groups_money_named_beside_an_item_is_answered_too():
    (both,) = converse("我太爷爷103岁，微山县，低保，每月的低保老人补贴和高龄津贴各多少？")
    # 济政办发〔2023〕2号 附件 第17项: 100周岁及以上低保老年人 按照鲁政发〔2011〕54号补助 (no figure); 第12项 不低于300元
    assert "“经济困难老年人补贴”" in both and "鲁政发〔2011〕54号" in both and "不低于300元/月" in both
    assert "困难残疾人生活补贴" not in both  # 低保's item that also needs 残疾: not this man's


def test_how_to_apply_with_whether_they_take_him_in_says_who_is_taken_in():
    _, home = converse("聊城冠县的俺大爷特坤一个人在家过政府能给点啥", "他想去静老院住咋申请人家收不收")
    # 聊政办字〔2023〕19号 第4条: 对有集中供养意愿的特困老年人实行集中供养，做到愿进全进、应养尽养 (市民政局)
    assert "特困老年人集中供养" in home and "市民政局" in home and "愿进全进" in home


def test_liaocheng_destitute_care_says_the_citys_own_target_with_it():
    (rule,) = converse("聊城市对特困老年人有哪些保障？")
    # 聊政办字〔2023〕19号 第4条: …愿进全进、应养尽养，全市失能特困人员集中供养率稳定保持在60%以上 (市民政局)
    assert "愿进全进、应养尽养，全市失能特困人员集中供养率稳定保持在60%以上" in rule and "市民政局" in rule


def test_a_registration_told_in_another_place_is_answered_by_it_and_says_so():
    _, reply = converse("俺爷爷八十二了跟着俺在兖州住能领啥", "不过他户口还在聊城冠县没迁过来")
    assert reply.startswith("按户籍所在地（冠县）的政策回答") and "按聊城市基本养老服务政策" in reply
    (same,) = converse("我妈79，任城户口，低保，每月多少")
    assert "按户籍所在地" not in same  # nowhere else was said: nothing to tell apart


def test_a_comparison_asked_with_a_registration_says_which_list_needs_the_citys_registration():
    (reply,) = converse("俺娘八十三户口在聊城东阿县现在跟俺在枣庄市中区住高龄津贴能领不")
    # 聊政办字〔2023〕19号 第8条: 具有本市户籍; 枣庄 附件2 第12项 states no 户籍 condition
    liaocheng, zaozhuang = reply.split("\n")[:2]
    assert "须具有本市户籍" in liaocheng and "文件未写明户籍要求" in zaozhuang and "30元" in zaozhuang


def test_the_rules_for_every_elder_asked_after_someones_answer_are_the_citys_not_theirs_again():
    _, reply = converse("俺家在莘县俺爹七十三了能享受啥", "那聊城的老人都有啥政策总的给俺说说")
    # 聊政办字〔2023〕19号 第8条: 高龄津贴 for 80+, no figure; the father (73) has none of his own
    assert reply.startswith("聊城市老年人的基本养老服务（按人群）") and "高龄津贴（80周岁及以上老年人" in reply
    assert "您父亲（莘县" not in reply


def test_next_year_after_a_couples_answer_is_each_of_them_a_year_on():
    # 济政办发〔2023〕2号 附件 第12项: 高龄津贴 from 80 (no figure); 第10项、第11项: services from 65
    *_, reply = converse("俺老两口都在泗水县 俺七十九 老伴六十四 都不是低保 现在能享受啥", "明年呢俺就八十了她六十五")
    mine, hers = reply.split("\n")[:2]
    assert mine.startswith("您满80周岁时：新增高龄津贴") and hers.startswith("您老伴满65周岁时：新增服务")
    assert "健康管理服务" in hers
    # 办公室便函〔2023〕1号 附件2 第12项 30元 + 第17项 100元 (80—89 低保) each, a year on
    *_, summed = converse("俺爹八十五俺娘七十九 都在滕州 都是低保 俩人一共多少", "明年俩人一共多少")
    assert summed.startswith("1年后您父亲（86周岁）、您母亲（80周岁）每月现金补贴合计260元")


def test_two_people_compared_each_carry_the_agency_of_their_money():
    _, compared = converse(
        "我太姥姥今年101岁，住济宁梁山县，高龄津贴一个月多少？", "她妹妹刚满一百岁，在枣庄薛城区，她俩谁领得多？"
    )
    # 济政办发〔2023〕2号 附件 第12项 不低于300元; 办公室便函〔2023〕1号 附件1 第4项 不低于500元; both 市卫生健康委
    assert "不低于300元）；市卫生健康委" in compared and "不低于500元）；市卫生健康委" in compared
