"""engine.idle_grades: a grade said of a person that counts for nothing, with what else the item needs. 枣庄
办公室便函〔2023〕1号 附件2 第17项: 护理补贴 for 低保 elders assessed 2—3级 (80元)."""

from rules_kb import Profile, default_kb, evaluate

KB = default_kb()


def test_a_grade_without_dibao_is_said_to_need_dibao():
    answer = evaluate(KB, Profile("枣庄", 82, not_statuses=frozenset({"低保"}), ability_grade=2))
    assert ("能力评估为2—3级", "经济困难老年人补贴", "护理补贴", ("低保",)) in answer.idle
    assert answer.monthly_total_yuan == 30  # 高龄津贴 alone (附件1 第4项)


def test_a_grade_that_counts_or_none_said_is_not_idle():
    assert evaluate(KB, Profile("枣庄", 82, statuses=frozenset({"低保"}), ability_grade=2)).idle == ()
    assert evaluate(KB, Profile("枣庄", 82, ability_grade=2)).idle == ()  # 低保 not known: a hint, not idle
    assert evaluate(KB, Profile("枣庄", 82, not_statuses=frozenset({"低保"}))).idle == ()
    assert (
        evaluate(KB, Profile("枣庄", 82, not_statuses=frozenset({"低保"}), ability_grade=1)).idle == ()
    )  # grade 1 meets no 2—3级 tier
