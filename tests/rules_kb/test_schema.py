"""The KB validator: a broken knowledge base is refused with a KBError that names the file, the entry
(item id) and the field, so an editor can find the line. Each test copies the packaged KB into a temp
folder, breaks one thing, and loads it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable, List

import pytest
import yaml

from rules_kb import KBError, default_kb, load_kb
from tests.rules_kb.kb_copy import copy_kb

_copy_kb = copy_kb


def _edit(root: Path, rel: str, change: Callable[[object], None]) -> None:
    path = root / rel
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _item(data: dict, item_id: str) -> dict:
    found = [i for i in data["items"] if i.get("id") == item_id]
    assert len(found) == 1, f"the packaged KB has no single item {item_id}; update this test"
    return found[0]


def _load_error(root: Path) -> KBError:
    with pytest.raises(KBError) as excinfo:
        load_kb(root)
    return excinfo.value


def _assert_names(err: KBError, *words: str) -> None:
    text = str(err)
    missing = [w for w in words if w not in text]
    assert not missing, f"KBError should name {missing}; message was: {text}"


# --- the packaged KB --------------------------------------------------------------------------


def test_packaged_kb_loads_with_the_documents_item_counts():
    kb = load_kb()
    assert len(kb.items["济宁"]) == 28, "济政办发〔2023〕2号 附件 lists 28 items"
    assert len(kb.items["枣庄"]) == 27, "办公室便函〔2023〕1号 附件2 lists 27 items"
    assert len(kb.items["聊城"]) >= 10
    assert set(kb.cities) == {"济宁", "枣庄", "聊城"}


def test_list_numbers_follow_the_documents():
    kb = default_kb()
    assert [i.no for i in kb.items["济宁"]] == list(range(1, 29))
    assert [i.no for i in kb.items["枣庄"]] == list(range(1, 28))
    assert all(i.no is None for i in kb.items["聊城"]), "聊城 has no numbered list"


def test_every_item_cites_its_own_citys_current_document_and_names_an_agency():
    kb = default_kb()
    expected_doc = {"济宁": "济政办发〔2023〕2号", "枣庄": "办公室便函〔2023〕1号", "聊城": "聊政办字〔2023〕19号"}
    for city, items in kb.items.items():
        for item in items:
            assert item.source.doc.number == expected_doc[city], f"{item.id} cites {item.source.doc.number}"
            assert item.source.doc.current, item.id
            assert item.agency.strip(), item.id


def test_an_unchanged_copy_loads(tmp_path):
    root = _copy_kb(tmp_path)
    kb = load_kb(root)
    assert {c: len(v) for c, v in kb.items.items()} == {c: len(v) for c, v in default_kb().items.items()}


# --- broken copies ----------------------------------------------------------------------------


def test_missing_agency(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "cities/jining.yml", lambda d: _item(d, "jn-05").pop("agency"))
    err = _load_error(root)
    _assert_names(err, "jining.yml", "jn-05", "agency")
    assert err.field == "agency" and "jn-05" in err.entry


def test_empty_agency(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "cities/zaozhuang.yml", lambda d: _item(d, "zz-22").__setitem__("agency", "  "))
    err = _load_error(root)
    _assert_names(err, "zaozhuang.yml", "zz-22", "agency")


def test_unknown_condition_key(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "cities/jining.yml", lambda d: _item(d, "jn-05").__setitem__("for", {"age_minimum": 60}))
    err = _load_error(root)
    _assert_names(err, "jining.yml", "jn-05", "age_minimum", "for")


def test_unknown_condition_key_inside_a_tier(tmp_path):
    root = _copy_kb(tmp_path)

    def change(d):
        _item(d, "zz-12")["parts"][0]["tiers"][0]["when"] = {"age_from": 80}

    _edit(root, "cities/zaozhuang.yml", change)
    err = _load_error(root)
    _assert_names(err, "zaozhuang.yml", "zz-12", "age_from")


def test_unknown_status(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "cities/jining.yml", lambda d: _item(d, "jn-13")["for"].__setitem__("status", "特别困难"))
    err = _load_error(root)
    _assert_names(err, "jining.yml", "jn-13", "for", "特别困难")


def test_unknown_status_in_a_list(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "cities/liaocheng.yml", lambda d: _item(d, "lc-06")["for"].__setitem__("any_status", ["独居", "孤寡"]))
    err = _load_error(root)
    _assert_names(err, "liaocheng.yml", "lc-06", "for", "孤寡")


def test_part_without_unit(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "cities/jining.yml", lambda d: _item(d, "jn-17")["parts"][0].pop("unit"))
    err = _load_error(root)
    _assert_names(err, "jining.yml", "jn-17", "parts[0].unit")


def test_part_with_unknown_unit(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "cities/zaozhuang.yml", lambda d: _item(d, "zz-17")["parts"][1].__setitem__("unit", "元/年"))
    err = _load_error(root)
    _assert_names(err, "zaozhuang.yml", "zz-17", "parts[1].unit", "元/年")


def test_duplicate_item_id_across_files(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "cities/zaozhuang.yml", lambda d: _item(d, "zz-05").__setitem__("id", "jn-05"))
    err = _load_error(root)
    # whichever file is read second is the one refused; both must be named
    _assert_names(err, "jn-05", "id", "jining.yml", "zaozhuang.yml")
    assert err.field == "id"


def test_duplicate_item_id_within_a_file(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "cities/liaocheng.yml", lambda d: _item(d, "lc-07").__setitem__("id", "lc-06"))
    err = _load_error(root)
    _assert_names(err, "liaocheng.yml", "lc-06", "id")


def test_dangling_source_document(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "cities/jining.yml", lambda d: _item(d, "jn-05")["source"].__setitem__("doc", "jn-2099"))
    err = _load_error(root)
    _assert_names(err, "jining.yml", "jn-05", "source.doc", "jn-2099")


def test_dangling_source_document_of_a_tier(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(
        root,
        "cities/zaozhuang.yml",
        lambda d: _item(d, "zz-12")["parts"][0]["tiers"][0]["source"].__setitem__("doc", "zz-1999"),
    )
    err = _load_error(root)
    _assert_names(err, "zaozhuang.yml", "zz-12", "source.doc", "zz-1999")


def test_item_citing_another_citys_document(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "cities/zaozhuang.yml", lambda d: _item(d, "zz-05")["source"].__setitem__("doc", "jn-2023"))
    err = _load_error(root)
    _assert_names(err, "zaozhuang.yml", "zz-05", "source.doc")


def test_facts_file_not_named_after_a_document(tmp_path):
    root = _copy_kb(tmp_path)
    shutil.copy(root / "facts" / "zz-2023.yml", root / "facts" / "zz-2099.yml")
    err = _load_error(root)
    _assert_names(err, "zz-2099.yml")


def test_malformed_yaml(tmp_path):
    root = _copy_kb(tmp_path)
    path = root / "cities" / "jining.yml"
    path.write_text(path.read_text(encoding="utf-8") + "\n  - id: [jn-99\n    name: 未闭合\n", encoding="utf-8")
    err = _load_error(root)
    _assert_names(err, "jining.yml", "YAML")


def test_malformed_yaml_in_regions(tmp_path):
    root = _copy_kb(tmp_path)
    (root / "regions.yml").write_text("cities: {济宁: [\n", encoding="utf-8")
    err = _load_error(root)
    _assert_names(err, "regions.yml", "YAML")


def test_tier_with_no_amount_and_no_standard(tmp_path):
    root = _copy_kb(tmp_path)
    # 济宁 高龄津贴 80–99: amount null; its standard (具体标准另行制定) is what the assistant must say
    _edit(root, "cities/jining.yml", lambda d: _item(d, "jn-12")["parts"][0]["tiers"][0].pop("standard"))
    err = _load_error(root)
    _assert_names(err, "jining.yml", "jn-12", "parts[0].tiers[0]")


def test_cash_item_with_no_amount_and_no_standard(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "cities/zaozhuang.yml", lambda d: _item(d, "zz-13").pop("standard"))
    err = _load_error(root)
    _assert_names(err, "zaozhuang.yml", "zz-13", "standard")


def test_components_that_do_not_add_up(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "cities/zaozhuang.yml", lambda d: _item(d, "zz-12")["parts"][0]["tiers"][2].__setitem__("amount", 300))
    err = _load_error(root)
    _assert_names(err, "zaozhuang.yml", "zz-12", "parts[0].tiers[2].amount")


def test_misspelled_item_key(tmp_path):
    root = _copy_kb(tmp_path)

    def change(d):
        item = _item(d, "jn-23")
        item["agnecy"] = item.pop("agency")

    _edit(root, "cities/jining.yml", change)
    err = _load_error(root)
    _assert_names(err, "jining.yml", "jn-23", "agnecy")


def test_two_items_with_one_list_number(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "cities/jining.yml", lambda d: _item(d, "jn-06").__setitem__("list_no", 5))
    err = _load_error(root)
    _assert_names(err, "jining.yml", "list_no")


def test_bad_ability_grade_in_a_tier(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(
        root,
        "cities/jining.yml",
        lambda d: _item(d, "jn-17")["parts"][1]["tiers"][0]["when"].__setitem__("ability_grade", [2, 7]),
    )
    err = _load_error(root)
    _assert_names(err, "jining.yml", "jn-17", "ability_grade")


def test_missing_city_file_is_refused(tmp_path):
    root = _copy_kb(tmp_path)
    (root / "cities" / "liaocheng.yml").unlink()
    err = _load_error(root)
    _assert_names(err, "聊城")


@pytest.mark.parametrize("rel", ["documents.yml", "regions.yml"])
def test_missing_top_file_is_refused(tmp_path, rel: str):
    root = _copy_kb(tmp_path)
    (root / rel).unlink()
    err = _load_error(root)
    _assert_names(err, rel)


def test_kberror_carries_its_parts(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "cities/zaozhuang.yml", lambda d: _item(d, "zz-25").pop("agency"))
    err = _load_error(root)
    parts: List[str] = [err.file, err.entry, err.field]
    assert err.file.endswith("zaozhuang.yml") and "zz-25" in err.entry and err.field == "agency", parts


# --- dates: a document's issue day and period, a rule's own period ------------------------------


def _doc(data: list, doc_id: str) -> dict:
    return next(d for d in data if d["id"] == doc_id)


def _fact(data: list, fact_id: str) -> dict:
    return next(f for f in data if f["id"] == fact_id)


def test_the_packaged_documents_know_their_dates():
    docs = default_kb().documents
    assert (docs["jn-2024"].valid_from.isoformat(), docs["jn-2024"].valid_until.isoformat()) == (
        "2024-01-01",
        "2026-12-31",
    ), "济政办字〔2024〕42号 is the 2024—2026 plan"
    assert docs["jn-2024"].issued.isoformat() == "2024-09-30"
    assert docs["jn-2020"].valid_until is None and not docs["jn-2020"].current, "it states no period (issue 17)"
    assert all(docs[d].valid_until is None for d in ("jn-2023", "zz-2023", "lc-2023")), "they state no end"


@pytest.mark.parametrize(
    "value, words",
    [
        ("2023-4-27", ["YYYY-MM-DD", "2023-4-27"]),
        ("2023-02-30", ["no such day", "2023-02-30"]),
        ("四月", ["YYYY-MM-DD"]),
    ],
)
def test_a_document_date_that_is_not_a_day(tmp_path, value, words):
    root = _copy_kb(tmp_path)
    _edit(root, "documents.yml", lambda d: _doc(d, "jn-2023").__setitem__("date", value))
    err = _load_error(root)
    _assert_names(err, "documents.yml", "jn-2023", "date", *words)


def test_a_document_without_an_issue_date(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "documents.yml", lambda d: _doc(d, "zz-2023").pop("date"))
    _assert_names(_load_error(root), "documents.yml", "zz-2023", "date", "missing")


def test_a_document_period_that_ends_before_it_starts(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "documents.yml", lambda d: _doc(d, "jn-2024").update(valid_from="2027-01-01"))
    _assert_names(_load_error(root), "documents.yml", "jn-2024", "valid_from", "2027-01-01", "after", "2026-12-31")


def test_a_document_that_ends_before_it_was_issued(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "documents.yml", lambda d: _doc(d, "jn-2024").update(valid_until="2024-09-29"))
    _assert_names(_load_error(root), "documents.yml", "jn-2024", "valid_until", "before", "issued")


def test_a_misspelled_document_key(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "documents.yml", lambda d: _doc(d, "jn-2024").update(valid_untill="2026-12-31"))
    _assert_names(_load_error(root), "documents.yml", "jn-2024", "valid_untill", "valid_until")


def test_an_item_with_a_bad_date(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "cities/zaozhuang.yml", lambda d: _item(d, "zz-12").update(valid_until="2025-13-01"))
    _assert_names(_load_error(root), "zaozhuang.yml", "zz-12", "valid_until", "2025-13-01")


def test_an_item_whose_period_ends_before_it_starts(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(
        root,
        "cities/zaozhuang.yml",
        lambda d: _item(d, "zz-12").update(valid_from="2026-01-01", valid_until="2025-12-31"),
    )
    _assert_names(_load_error(root), "zaozhuang.yml", "zz-12", "valid_from", "after", "2025-12-31")


def test_an_item_whose_period_ends_before_its_document_was_issued(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "cities/zaozhuang.yml", lambda d: _item(d, "zz-12").update(valid_until="2023-02-24"))
    _assert_names(_load_error(root), "zaozhuang.yml", "zz-12", "valid_until", "zz-2023", "issued", "2023-02-25")


def test_a_fact_ending_after_its_document_period(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "facts/jn-2024.yml", lambda d: _fact(d, "jn-2024-m10").update(valid_until="2027-12-31"))
    _assert_names(_load_error(root), "jn-2024.yml", "jn-2024-m10", "valid_until", "2027-12-31", "jn-2024", "2026-12-31")


def test_a_fact_starting_before_its_document_period(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "facts/jn-2024.yml", lambda d: _fact(d, "jn-2024-m10").update(valid_from="2023-12-31"))
    _assert_names(_load_error(root), "jn-2024.yml", "jn-2024-m10", "valid_from", "2023-12-31", "before", "2024-01-01")


def test_a_fact_of_a_document_without_a_period_may_start_before_it_was_issued(tmp_path):
    """济政办发〔2023〕2号 (issued 2023-04-27) sets targets for the whole of 2023 and for 十四五 (2021—2025)."""
    kb = default_kb()
    fact = next(f for f in kb.facts if f.id == "jn-2023-m12-c")
    assert (fact.valid_from.isoformat(), fact.valid_until.isoformat()) == ("2021-01-01", "2025-12-31")


def test_a_documents_list_must_name_its_attachment_and_title(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "documents.yml", lambda d: next(x for x in d if x["id"] == "jn-2023").__setitem__("list", "清单"))
    err = _load_error(root)
    _assert_names(err, "documents.yml", "jn-2023", "list")


def test_a_gist_must_be_the_items_own_words(tmp_path):
    root = _copy_kb(tmp_path)
    # 济政办发〔2023〕2号 附件 第6项 says 不满 70 周岁半价购买门票; a gist saying 五折 is not its words
    _edit(root, "cities/jining.yml", lambda d: _item(d, "jn-06").update({"gist": "不满70周岁五折"}))
    with pytest.raises(KBError, match="gist"):
        load_kb(root)


def test_a_gist_may_leave_words_out_but_keeps_their_order(tmp_path):
    root = _copy_kb(tmp_path)
    _edit(root, "cities/jining.yml", lambda d: _item(d, "jn-06").update({"gist": "免购门票…政府兴办"}))
    with pytest.raises(KBError, match="gist"):
        load_kb(root)
    packaged = next(i for i in default_kb().items["济宁"] if i.id == "jn-06")
    assert packaged.gist == "政府兴办…免购门票；社会力量兴办…不满70周岁半价"
