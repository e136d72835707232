"""The household folded from a conversation's events (bot/dialogue/household.py), one pattern per test: who a
message is about, what carries to a new person, facts said of everyone, a what-if held apart, an age to come,
a correction, and whose answer the topic slot recorded."""

from typing import Any, Dict, List, Optional

import pytest

from bot.dialogue.household import fold
from bot.nlu.extractor import extract
from bot.nlu.normaliser import normalize


def said(*turns: str, topics: Optional[Dict[int, Dict[str, Any]]] = None) -> List[Dict[str, Any]]:
    """The events of these user turns, their entities from the extractor the NLU runs; `topics` adds the topic
    slot the action set after turn i."""
    events = []
    for i, text in enumerate(turns):
        entities = [e.to_rasa("KBEntityExtractor") for e in extract(normalize(text))]
        events.append({"event": "user", "text": text, "parse_data": {"intent": {"name": ""}, "entities": entities}})
        if topics and i in topics:
            events.append({"event": "slot", "name": "topic", "value": topics[i]})
    return events


def facts(hh, i):
    return {k: v for k, v in hh.people[i].facts.items() if v}


def test_a_relation_not_met_before_is_a_new_person_with_the_place_carried():
    hh = fold(said("俺爹86岁了，住薛城，吃低保", "那俺娘呢，她78岁"))
    assert [p.called for p in hh.people] == [("父亲",), ("母亲",)] and hh.current == 1 and hh.new_person
    assert facts(hh, 1) == {"city": "枣庄", "county": "薛城区", "age": 78.0, "relation": "母亲"}
    assert facts(hh, 0)["age"] == 86.0 and facts(hh, 0)["statuses"] == ["低保"], "the first keeps their own"


@pytest.mark.parametrize("second", ["还有俺姥姥84岁一样是低保", "还有俺姥姥84岁也是低保", "还有俺姥姥84岁 也一样"])
def test_also_and_the_same_carry_the_status(second):
    hh = fold(said("俺姥爷92岁了滕州的吃低保", second))
    assert facts(hh, 1)["statuses"] == ["低保"] and facts(hh, 1)["age"] == 84.0


def test_without_also_the_status_does_not_carry():
    hh = fold(said("俺姥爷92岁了滕州的吃低保", "还有俺姥姥84岁"))
    assert not facts(hh, 1).get("statuses")


def test_a_place_named_for_the_new_person_wins():
    hh = fold(said("我爸80岁 滕州的", "我妈呢 她在邹城 78岁"))
    assert facts(hh, 1)["city"] == "济宁" and facts(hh, 0)["city"] == "枣庄"


def test_two_people_in_one_message_each_get_their_facts_and_all_get_what_is_said_of_both():
    hh = fold(said("俺爷爷93岁低保俺奶奶89岁不是低保都在山亭"))
    assert hh.mentioned == (0, 1)
    assert facts(hh, 0)["statuses"] == ["低保"] and facts(hh, 1)["not_statuses"] == ["低保"]
    assert facts(hh, 0)["county"] == facts(hh, 1)["county"] == "山亭区"


def test_both_said_later_applies_to_everyone_named_so_far():
    hh = fold(said("我爸86岁", "我妈78岁", "俩人都是低保 都在薛城"))
    assert all(facts(hh, i)["statuses"] == ["低保"] and facts(hh, i)["county"] == "薛城区" for i in (0, 1))


def test_she_means_the_latest_woman_and_an_ordinal_means_that_person():
    hh = fold(said("我爸86岁 薛城的", "我妈78岁", "我爸是低保", "她也是低保吗"))
    assert hh.current == 1
    hh = fold(said("我爸86岁 薛城的", "我妈78岁", "第一位是低保"))
    assert hh.current == 0 and facts(hh, 0)["statuses"] == ["低保"]


def test_together_words_mark_a_question_about_everyone():
    assert fold(said("我爸86岁", "我妈78岁", "老两口加一块一个月多少")).together
    assert not fold(said("我爸86岁", "我妈78岁", "她能领多少")).together


@pytest.mark.parametrize(
    "what_if, key, value",
    [
        ("要是评上能力评估3级呢", "ability_grade", 3.0),
        ("要不是低保呢", "not_statuses", ["低保"]),
        ("搬到济宁任城去呢 还一样不", "city", "济宁"),
    ],
)
def test_a_what_if_is_held_apart_and_the_facts_stay(what_if, key, value):
    hh = fold(said("俺爹86岁 薛城的 吃低保", what_if))
    assert hh.hypothesis is not None and hh.hypothesis[key] == value
    assert (
        facts(hh, 0)["statuses"] == ["低保"] and facts(hh, 0)["city"] == "枣庄" and "ability_grade" not in facts(hh, 0)
    )
    assert fold(said("俺爹86岁 薛城的 吃低保", what_if, "那现在呢")).hypothesis is None, "one message only"


def test_a_what_if_said_on_top_of_the_one_before_keeps_it_and_one_that_is_not_replaces_it():
    hh = fold(said("俺娘八十五台儿庄的不是低保", "要是她是低保呢", "要是再评上三级呢"))
    assert hh.hypothesis is not None and hh.hypothesis["statuses"] == ["低保"] and hh.hypothesis["ability_grade"] == 3
    assert "statuses" not in facts(hh, 0) and "ability_grade" not in facts(hh, 0)
    hh = fold(said("俺娘八十五台儿庄的不是低保", "要是她是低保呢", "要是评上三级呢"))
    assert hh.hypothesis is not None and not hh.hypothesis.get("statuses") and hh.hypothesis["ability_grade"] == 3


@pytest.mark.parametrize("gap", ["那比现在多多少", "能多多少钱", "差多少"])
def test_by_how_much_after_a_what_if_continues_that_what_if(gap):
    hh = fold(said("俺爷八十三俺奶七十九 都在滕州 都是低保", "要是俩人都评上二级呢", gap))
    assert hh.hypothesis is not None and hh.hypothesis["ability_grade"] == 2.0 and hh.together
    assert "都评上" in hh.what_if_text and "ability_grade" not in facts(hh, 1)
    assert (
        fold(said("俺爹86岁 薛城的 吃低保", "要是评上二级呢", "那高龄津贴差多少")).hypothesis is None
    ), "an item asked"


@pytest.mark.parametrize(
    "text, age", [("明年呢", 80), ("后年呢", 81), ("再过两年呢", 81), ("过了年就80了 到时候呢", 80), ("等他满90呢", 90)]
)
def test_an_age_to_come(text, age):
    hh = fold(said("俺爹79岁 滕州的", text))
    assert hh.future_age == age and facts(hh, 0)["age"] == 79.0, "the age to come is not the age now"


def test_a_correction_replaces_the_fact_and_keeps_what_it_was():
    hh = fold(said("俺娘79岁了 滕州的 不是低保", "说错了 她81岁了"))
    assert facts(hh, 0)["age"] == 81.0 and hh.before["age"] == 79.0 and len(hh.people) == 1


def test_the_topic_slot_records_whose_complete_answer_was_given():
    topic = {"kind": "entitlements", "person": 0, "facts": {"city": "枣庄", "age": 79.0}, "complete": True}
    hh = fold(said("俺娘79岁了 滕州的", "说错了 她81岁了", topics={0: topic}))
    assert hh.people[0].answered == {"city": "枣庄", "age": 79.0}
    asked = dict(topic, complete=False)  # the answer asked a question: it is not yet the one to compare with
    assert fold(said("俺娘79岁了 滕州的", "低保", topics={0: asked})).people[0].answered is None


def test_a_place_said_not_to_be_the_persons_is_not_taken():
    hh = fold(said("我爸在邹城，78岁，低保", "不是邹城，是滕州"))
    assert facts(hh, 0)["county"] == "滕州市" and facts(hh, 0)["city"] == "枣庄"


def test_a_bare_grade_in_a_what_if_about_grades_is_the_assessment_grade():
    hh = fold(said("我妈84岁，在任城，低保", "如果她评估是2级呢", "如果是1级呢"))
    assert hh.hypothesis is not None and hh.hypothesis["ability_grade"] == 1.0
    assert (
        fold(said("我妈84岁，在任城，残疾", "如果是1级呢")).hypothesis is None
        or fold(said("我妈84岁，在任城，残疾", "如果是1级呢")).hypothesis.get("ability_grade") is None
    )


def test_one_place_named_for_several_people_is_everyones_and_two_places_are_each_ones_own():
    hh = fold(said("我公公92，婆婆85，山亭的，都不是低保"))
    assert facts(hh, 0)["county"] == facts(hh, 1)["county"] == "山亭区"
    hh = fold(said("俺爹85岁在滕州低保俺娘82岁在东阿也是低保"))
    assert facts(hh, 0)["city"] == "枣庄" and facts(hh, 1)["city"] == "聊城"


def test_someone_placed_before_and_named_again_without_a_place_keeps_hers_unless_it_is_said_of_both():
    hh = fold(said("俺娘九十三，台儿庄的，不吃低保，一个月有多少？", "俺姑也九十三，在聊城东阿，跟俺娘比咋样？"))
    assert facts(hh, 0)["county"] == "台儿庄区" and facts(hh, 1)["county"] == "东阿县"
    hh = fold(said("俺娘九十三，台儿庄的", "俺姑也九十三，她俩现在都在东阿住"))
    assert facts(hh, 0)["county"] == facts(hh, 1)["county"] == "东阿县"


def test_the_same_situation_carries_everything_but_the_place():
    hh = fold(said("俺爹 济宁 退伍军人 76岁", "那俺舅舅 枣庄的 情况一样"))
    assert facts(hh, 1) == {"city": "枣庄", "age": 76.0, "statuses": ["退役军人"], "relation": "舅舅"}


def test_a_turn_continues_the_fold_of_the_turn_before_and_only_while_the_events_are_the_same():
    from bot.dialogue import household

    events = said("俺爹86岁了，住薛城，吃低保", "那俺娘呢，她78岁，也是低保")
    whole = fold(events)
    fold(events[:1], "c1")  # the first turn, cached
    continued = fold(events, "c1")  # the second turn folds only its own events
    assert [facts(continued, i) for i in (0, 1)] == [facts(whole, i) for i in (0, 1)]
    other = said("我爸80岁 滕州的", "那俺娘呢，她78岁，也是低保")  # another conversation under the same id
    assert facts(fold(other, "c1"), 0)["age"] == 80.0, "different first events: folded afresh"
    for i in range(household.FOLD_CACHE_SIZE + 5):
        household._FOLDED[f"x{i}"] = (0, 0, household.Household(), None)
    fold(events, "c2")
    assert len(household._FOLDED) <= household.FOLD_CACHE_SIZE


def test_the_fold_continues_when_rasa_writes_the_same_conversations_other_events_differently(monkeypatch):
    # Rasa hands an action the session start as `action_session_start` one turn and `session_started` the next,
    # and featurisation events stamped anew; none of them is read by the fold, so the next turn continues.
    from bot.dialogue import household

    first = [
        {"event": "action", "name": "action_session_start", "timestamp": 1.0},
        *said("俺爹86岁了，住薛城，吃低保"),
        {"event": "user_featurization", "timestamp": 2.0},
    ]
    fold(first, "c3")
    read = []
    monkeypatch.setattr(household, "read_turn", lambda hh, raw, *rest, **kw: read.append(raw) or hh)
    again = [
        {"event": "session_started", "timestamp": 1.1},
        *said("俺爹86岁了，住薛城，吃低保"),
        {"event": "user_featurization", "timestamp": 3.0},
        *said("那俺娘呢，她78岁，也是低保"),
    ]
    fold(again, "c3")
    assert read == ["那俺娘呢，她78岁，也是低保"]


def test_the_speaker_is_a_person_and_her_after_the_speaker_is_the_other_one():
    hh = fold(said("我和老伴都是失独家庭的特扶对象，独生子死亡，我68，她66，在邹城。"))
    assert len(hh.people) == 2
    assert facts(hh, 0)["age"] == 68.0 and facts(hh, 1)["age"] == 66.0
    assert facts(hh, 0)["county"] == facts(hh, 1)["county"] == "邹城市"
    hh = fold(said("俺爹86岁了，住薛城", "那俺娘呢，她78岁"))  # after anyone else, 她 is that person again
    assert facts(hh, 1)["age"] == 78.0 and facts(hh, 0)["age"] == 86.0


def test_someone_named_in_passing_is_not_whom_the_message_is_about():
    hh = fold(said("俺爸 济宁曲阜的 八十一", "低保不低保的俺不清楚 俺哥管这事"))
    assert len(hh.people) == 1 and facts(hh, 0)["age"] == 81.0
    hh = fold(said("我65岁，在枣庄薛城", "那我哥呢？他70，也在枣庄"))
    assert len(hh.people) == 2 and facts(hh, 1)["age"] == 70.0 and hh.current == 1


def test_relatives_told_apart_by_their_order_are_different_people():
    hh = fold(said("俺二叔八十六茌平的", "俺三叔呢 七十九"))
    assert [p.relation for p in hh.people] == ["二叔", "三叔"]
    assert facts(hh, 1)["age"] == 79.0 and facts(hh, 1)["county"] == "茌平区"


def test_the_facts_of_someone_outside_the_family_are_not_taken():
    hh = fold(said("俺爹九十了在济宁", "枣庄的亲戚九十五每月有60块 俺爹这咋没个准数"))
    assert facts(hh, 0)["city"] == "济宁" and facts(hh, 0)["age"] == 90.0 and len(hh.people) == 1


def test_an_only_childs_loss_or_disability_said_in_a_sentence_is_the_parents_status():
    hh = fold(said("山亭区的 俺婶子六十六", "唯一的闺女前些年没了 她能领啥"))
    assert facts(hh, 0)["statuses"] == ["失独"]
    hh = fold(said("嘉祥县 我爸62 我是独生子 前年出车祸落下残疾了 我爸能有啥扶助"))
    assert facts(hh, 0)["statuses"] == ["独生子女伤残"]  # the 残疾 is the child's, not the father's
    assert "statuses" not in facts(fold(said("我爸80 他就一个儿子 在外地打工")), 0)


def test_a_denied_only_child_status_does_not_hide_the_sentence_that_states_the_other():
    hh = fold(said("我爸86岁，薛城区，失独", "更正一下，不是失独，是独生子重度伤残"))
    assert facts(hh, 0)["statuses"] == ["独生子女伤残"]
    assert "失独" in facts(hh, 0).get("not_statuses", [])


def test_a_kin_with_a_possessive_is_a_new_person_not_the_one_before():
    hh = fold(said("俺爸82 低保 住济宁", "俺叔也82 低保 住枣庄"))
    assert [facts(hh, i)["relation"] for i in range(2)] == ["父亲", "叔叔"]
    assert facts(hh, 0)["city"] == "济宁" and facts(hh, 1)["city"] == "枣庄"


def test_a_place_said_before_a_relative_is_theirs_and_a_companion_is_named_in_passing():
    hh = fold(said("济宁邹城的姥爷九十 低保 枣庄的爷爷也九十 低保"))
    assert facts(hh, 0)["county"] == "邹城市" and facts(hh, 1)["city"] == "枣庄" and not facts(hh, 1).get("county")
    hh = fold(said("我奶奶91，在任城，低保；我爷爷90，在薛城跟我叔住，户口薛城，低保"))
    assert [facts(hh, i)["relation"] for i in range(len(hh.people))] == ["奶奶", "爷爷"]
    assert facts(hh, 1)["county"] == "薛城区"


def test_an_age_said_against_the_one_before_or_before_a_birthday():
    hh = fold(said("俺姥爷在临清 八十五了", "俺姥娘比他小三岁 也在临清"))
    assert facts(hh, 1)["age"] == 82.0 and facts(hh, 1)["relation"] == "姥姥"
    hh = fold(said("俺奶奶七十九 嘉祥 低保", "还有俺爷爷 明年就九十了 也是低保"))
    assert facts(hh, 1)["age"] == 89.0 and facts(hh, 0)["age"] == 79.0
    hh = fold(said("俺奶奶七十九 嘉祥 低保", "过了年就80了 到时候呢"))
    assert facts(hh, 0)["age"] == 79.0 and hh.future_age == 80  # a known age is not replaced
    assert fold(said("俺娘八十二 枣庄市中区 低保", "俺爹八十五 俺俩老的一月能领多少")).together


def test_a_relatives_home_in_a_what_if_is_where_she_might_live_not_someone_new():
    hh = fold(said("俺姥姥九十六了 峄城的 不是低保 一个月能拿多少", "俺舅家在茌平 要是在聊城呢"))
    assert len(hh.people) == 1 and facts(hh, 0)["county"] == "峄城区"  # her facts stay
    assert hh.hypothesis is not None and hh.hypothesis["county"] == "茌平区"
    # told as a fact, with his own age, the uncle is someone new
    hh = fold(said("俺姥姥九十六了 峄城的 不是低保 一个月能拿多少", "俺舅家在茌平 他八十了"))
    assert len(hh.people) == 2


def test_a_relative_named_as_hers_is_called_hers():
    from bot.dialogue.person_facts import who

    hh = fold(said("我太姥姥今年101岁，住济宁梁山县", "她妹妹刚满一百岁，在枣庄薛城区"))
    assert who(facts(hh, 1)) == "您姥姥的妹妹" and who(facts(hh, 0)) == "您姥姥"
    hh = fold(said("俺爹八十五 滕州的", "俺妹妹七十 也在滕州"))
    assert who(facts(hh, 1)) == "您妹妹"
