"""The soak's bookkeeping (scripts/soak_families.py, scripts/soak_client.py), without servers: each family's facts
are its own, a reply naming another family's person is cross-talk, and what PostgreSQL stored is told apart into
lost, duplicated and stored-but-unanswered messages. The soak itself (`make soak`) runs for minutes and is not a
test."""

import pytest

from scripts.soak_client import Citizens, Conversation, check_stored
from scripts.soak_families import MAX_SLOTS, family, foreign_persons, persons_named

FAMILIES = [family(i) for i in range(MAX_SLOTS)]


def test_every_family_has_facts_no_other_family_has():
    fathers = [f.father_age for f in FAMILIES]
    mothers = [f.mother_age for f in FAMILIES]
    assert len(set(fathers)) == len(set(mothers)) == MAX_SLOTS
    assert all(f.father_age != f.mother_age for f in FAMILIES)
    for f in FAMILIES:
        assert len(set(f.messages())) == len(f.messages())  # each stored copy of a message can be counted
    with pytest.raises(ValueError):
        family(MAX_SLOTS)


def test_the_persons_an_answer_describes_are_read_from_its_headers():
    reply = "您父亲（枣庄，85周岁，低保）按枣庄市基本养老服务政策：…\n您母亲（临清市，92周岁）按聊城市…；服务对象为80周岁及以上老年人"
    assert persons_named(reply) == {("父亲", 85), ("母亲", 92)}
    own = family(25)  # father 85
    assert own.mother_age != 92 and foreign_persons(reply, own) == {("母亲", 92)}


def citizens():
    reference = {f.slot: [f"answer {f.slot}-{step}" for step in range(len(f.messages()))] for f in FAMILIES[:3]}
    return Citizens("http://unused", FAMILIES[:3], reference, think=0)


def test_an_answer_with_another_familys_facts_is_cross_talk_and_any_other_difference_is_wrong():
    c = citizens()
    own, other = FAMILIES[0], FAMILIES[1]
    conversation = Conversation("s0", own)
    c._judge(conversation, 0, "answer 0-0")
    assert not c.tally.cross_talk and not c.tally.wrong
    c._judge(conversation, 1, f"您父亲（济宁，{other.father_age}周岁）按济宁市…")
    c._judge(conversation, 2, f"您父亲（枣庄，{own.father_age}周岁）another wording")
    assert len(c.tally.cross_talk) == 1 and len(c.tally.wrong) == 1


def test_what_postgresql_stored_is_checked_against_what_was_answered():
    f = FAMILIES[0]
    m = f.messages()
    ok = Conversation("ok", f, answered=m[:3])
    twice = Conversation("twice", f, answered=m[:2])
    missing = Conversation("missing", f, answered=m[:2])
    gave_up = Conversation("gave-up", f, answered=m[:1], gave_up=m[1])
    reordered = Conversation("reordered", f, answered=m[:2])
    stored = {"ok": m[:3], "twice": [m[0], m[1], m[1]], "missing": [m[0]], "gave-up": m[:2], "reordered": [m[1], m[0]]}
    result = check_stored([ok, twice, missing, gave_up, reordered], stored)
    assert result.conversations == 5
    assert result.duplicated == [f"twice: {m[1]} ×2"]
    assert result.missing == [f"missing: {m[1]}"]
    assert result.unanswered_stored == [f"gave-up: {m[1]}"]
    assert result.out_of_order == [f"reordered: {[m[1], m[0]]}"]
