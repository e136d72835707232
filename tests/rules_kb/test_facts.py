"""Policy facts as issue 17 defines them: units as the documents label them, replacements validated on load,
deadlines read from `due`, and the engineering assumptions said where they decide an answer."""

from __future__ import annotations

from datetime import date

import pytest

from rules_kb import ProfileError, brief, default_kb, evaluate, load_kb, make_profile, render, search_facts
from rules_kb.dates import deadline_of
from rules_kb.fact_audit import NO_UNIT, PAST_DEADLINE, UNMARKED, fact_warnings, unmarked_overlaps
from rules_kb.schema import KBError
from tests.rules_kb.test_schema import _copy_kb, _edit


def _fact(data: list, fact_id: str) -> dict:
    return next(f for f in data if f["id"] == fact_id)


def _load_error(root) -> KBError:
    with pytest.raises(KBError) as info:
        load_kb(root)
    return info.value


# --- units -------------------------------------------------------------------------------------------------


def test_every_unit_the_2020_document_lists_is_kept_in_its_order():
    f = default_kb().facts_by_id["jn-2020-m27"]  # （责任单位：市财政局、市民政局）
    assert f.units == (("责任单位", "市财政局、市民政局"),)
    assert f.agency == "市财政局、市民政局"


def test_lead_and_participating_units_are_labelled_as_written():
    f = default_kb().facts_by_id["jn-2024-m04-a"]  # （牵头单位：市民政局，参与单位：市财政局）
    assert f.units_text() == "牵头单位：市民政局；参与单位：市财政局"


def test_a_unit_label_the_documents_do_not_use_is_refused(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "facts/jn-2024.yml", lambda d: _fact(d, "jn-2024-m04-a").__setitem__("units", {"负责单位": "市民政局"}))
    err = _load_error(root)
    assert err.field == "units" and "jn-2024-m04-a" in err.entry and "负责单位" in str(err)


def test_the_first_label_must_name_who_leads(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "facts/jn-2024.yml", lambda d: _fact(d, "jn-2024-m04-a").__setitem__("units", {"参与单位": "市财政局"}))
    assert _load_error(root).field == "units"


# --- replacement -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "newer, older, words",
    [
        ("jn-2024-m04-a", "jn-lc-none", "no fact"),
        ("jn-2023-m16-a", "jn-2024-m04-a", "not from an earlier document"),
        ("jn-2024-m04-a", "zz-2023-m04-a", "not 济宁"),
        ("jn-2024-m04-a", "jn-2023-m18-b", "share no topic"),
    ],
)
def test_replaces_must_name_an_earlier_fact_of_the_city_on_the_subject(tmp_path, newer, older, words):
    root = _copy_kb(tmp_path)
    _edit(root, f"facts/{newer[:7]}.yml", lambda d: _fact(d, newer).__setitem__("replaces", older))
    err = _load_error(root)
    assert err.field == "replaces" and newer in err.entry and words in str(err), str(err)


def test_a_fact_is_replaced_once(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "facts/jn-2024.yml", lambda d: _fact(d, "jn-2024-m04-b").__setitem__("replaces", "jn-2023-m16-a"))
    assert "already replaced by jn-2024-m04-a" in str(_load_error(root))


def test_the_packaged_replacements_chain_from_2020_to_2024():
    kb = default_kb()
    assert kb.replaced_by["jn-2020-m01-b"].id == "jn-2023-m16-a"  # 55% -> 65%
    assert kb.replaced_by["jn-2023-m16-a"].id == "jn-2024-m04-a"  # 65% -> 70%
    assert unmarked_overlaps(kb) == [], "every overlap of two dated targets is marked one way or the other"


def test_a_replacement_counts_from_the_day_the_later_document_holds():
    kb = default_kb()
    text = render.facts_text(kb, [kb.facts_by_id["jn-2023-m16-a"]], on=date(2024, 9, 29))
    assert "已被" not in text and "65%以上" in text
    text = render.facts_text(kb, [kb.facts_by_id["jn-2023-m16-a"]], on=date(2024, 9, 30))
    assert "已被济政办字〔2024〕42号 第4条（2024年9月印发）替代，现行规定：70%以上" in text


# --- deadlines ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "due, day",
    [
        ("2025年年底前", date(2025, 12, 31)),
        ("2020年6月底前", date(2020, 6, 30)),
        ("2023年", date(2023, 12, 31)),
        ("2024年至2026年", date(2026, 12, 31)),
        ("2020、2022年年底前", date(2022, 12, 31)),
        ("“十四五”期间", date(2025, 12, 31)),
        ("2023年5月底前", date(2023, 5, 31)),
    ],
)
def test_deadlines_are_read_from_the_documents_words(due, day):
    assert deadline_of(due) == day


def test_a_due_without_a_year_is_refused(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "facts/jn-2024.yml", lambda d: _fact(d, "jn-2024-m04-a").__setitem__("due", "近期"))
    err = _load_error(root)
    assert err.field == "due" and "近期" in str(err)


def test_check_lists_replaced_but_unmarked_past_deadline_and_unitless_facts(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "facts/jn-2024.yml", lambda d: _fact(d, "jn-2024-m04-a").pop("replaces"))
    found = fact_warnings(load_kb(root), date(2026, 6, 1))
    unmarked = [w for w in found if w.kind == UNMARKED]
    # both earlier targets (55% of 2020, 65% of 2023) now overlap 70% with nothing said about it
    assert {w.subject for w in unmarked} == {"jn-2020-m01-b", "jn-2023-m16-a"}
    assert all("jn-2024-m04-a" in w.text() for w in unmarked)
    past = {w.subject for w in found if w.kind == PAST_DEADLINE}
    assert "jn-2023-m13-e" in past  # 2025年底前 3000张
    assert "jn-2024-m04-a" not in past  # 2026年年底前: still open
    packaged = {w.subject for w in fact_warnings(default_kb(), date(2026, 6, 1)) if w.kind == PAST_DEADLINE}
    assert "jn-2023-m16-a" not in packaged and "jn-2023-m13-e" in packaged, "a replaced target is not listed"
    assert {w.subject for w in found if w.kind == NO_UNIT} >= {"lc-2023-bz03", "zz-2023-tz01"}


# --- assumptions -------------------------------------------------------------------------------------------


def test_the_low_income_and_destitute_exclusion_is_said_to_be_an_assumption():
    kb = default_kb()
    answer = evaluate(kb, make_profile(kb, "枣庄", 85, ["低保"]), date(2026, 6, 1))
    assert "文件并未规定二者不能同时具备" in render.answer_text(answer)  # the full answer ("详细") always says it
    assert "文件并未规定二者不能同时具备" in brief.money_first(answer, "您父亲", say_assumptions=True)
    assert "文件并未规定" not in brief.money_first(answer, "您父亲"), "the short answer fits one WeChat message"
    told = evaluate(kb, make_profile(kb, "枣庄", 85, ["低保"], ["特困"]), date(2026, 6, 1))
    assert "文件并未规定" not in render.answer_text(told), "said not 特困: nothing was assumed"


def test_families_of_serving_soldiers_are_not_martyrs_families():
    kb = default_kb()
    assert make_profile(kb, "济宁", 67, ["烈属"]).statuses == frozenset({"烈士遗属"})
    with pytest.raises(ProfileError):
        make_profile(kb, "济宁", 67, ["军烈属"])


def test_a_topic_said_in_other_words_still_finds_its_measure():
    # 办公室便函〔2023〕1号 第19条: 2025年年底前 养老护理员岗前培训率 100% (topics 养老人才, 岗前培训)
    found = search_facts(default_kb(), "枣庄养老服务人才培训有什么要求", "枣庄")
    assert found and found[0].id == "zz-2023-m19-a"


# --- measures that serve a status ----------------------------------------------------------------------------


def test_every_word_of_a_status_measure_is_a_topic_of_some_fact():
    kb = default_kb()
    topics = {t for f in kb.facts for t in f.topics}
    for status, words in kb.regions.status_measures.items():
        assert status in kb.regions.statuses
        assert set(words) <= topics, f"{status}: {set(words) - topics} is no fact's topic"


def test_the_measures_for_disability_are_each_citys_own_and_in_force():
    from rules_kb import status_measures

    kb = default_kb()
    # 聊政办字〔2023〕19号 第9条 (长期护理保障, 市医保局), 第5条 (政府购买居家养老服务; 经济困难失能老年人集中托养
    # 试点, 市民政局)
    liaocheng = status_measures(kb, "聊城", ["失能"], date(2026, 11, 27))
    assert [(f.source.measure, f.agency) for f in liaocheng] == [(9, "市医保局"), (5, "市民政局"), (5, "市民政局")]
    assert "居家养老服务" in liaocheng[1].statement and "集中托养" in liaocheng[2].statement
    # 枣庄's facts hold no 集中托养: only its 长期护理保险 measure, never another city's
    zaozhuang = status_measures(kb, "枣庄", ["失能"], date(2026, 11, 27))
    assert [f.city for f in zaozhuang] == ["枣庄", "枣庄"] and "长期护理保险" in zaozhuang[0].statement
    assert status_measures(kb, "聊城", ["低保"], date(2026, 11, 27)) == []


def test_a_status_measure_of_an_unknown_status_is_refused_on_load(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "regions.yml", lambda d: d["status_measures"].update({"瘫子": ["长期护理保险"]}))
    with pytest.raises(KBError, match="status_measures"):
        load_kb(root)
