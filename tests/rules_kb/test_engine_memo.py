"""engine.evaluate remembers each (profile, day) answer per KB: the same answer as worked out afresh, for the
day asked, and never more than ANSWERS_KEPT of them."""

from __future__ import annotations

from datetime import date

from rules_kb import engine
from rules_kb.schema import load_kb


def _fresh(profile, on):
    kb = load_kb()  # a KB of its own: nothing remembered yet
    return engine.evaluate(kb, profile, on)


def test_a_remembered_answer_is_the_answer_worked_out_afresh_and_depends_on_the_day():
    kb = load_kb()
    profile = engine.make_profile(kb, "枣庄", 85, ["低保"])
    on = date(2026, 11, 27)
    first = engine.evaluate(kb, profile, on)
    assert engine.evaluate(kb, profile, on) is first  # remembered
    again = _fresh(profile, on)
    assert [(e.item.id, e.amount_yuan_per_month) for e in first.items] == [
        (e.item.id, e.amount_yuan_per_month) for e in again.items
    ]
    assert first.monthly_total_yuan == again.monthly_total_yuan > 0
    # another day is its own answer: 2020's 济宁 plan lists items that a 2026 day does not
    jining = engine.make_profile(kb, "济宁", 85, ["低保"])
    old, now = engine.evaluate(kb, jining, date(2021, 6, 1)), engine.evaluate(kb, jining, on)
    assert old.on == date(2021, 6, 1) and now.on == on and old is not now


def test_at_most_answers_kept_are_remembered(monkeypatch):
    kb = load_kb()
    monkeypatch.setattr(engine, "ANSWERS_KEPT", 5)
    for age in range(60, 80):
        engine.evaluate(kb, engine.make_profile(kb, "聊城", age), date(2026, 11, 27))
    assert len(kb.answers) == 5
    assert [p.age for p, _ in kb.answers] == [75, 76, 77, 78, 79]  # the latest kept
