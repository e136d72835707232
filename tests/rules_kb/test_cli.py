"""The operator CLI, run as a subprocess exactly as an operator would: `python -m rules_kb …`.
Expected figures come from the documents (枣庄 85岁低保: 高龄津贴 30 元 — 办公室便函〔2023〕1号 附件1 第4项;
经济困难老年人补贴 100 元 — 附件2 第17项)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

from tests.rules_kb.kb_copy import copy_kb

REPO = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "rules_kb", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def lookup_json(*args: str) -> dict:
    r = run("lookup", *args, "--json")
    assert r.returncode == 0, f"exit {r.returncode}; stderr: {r.stderr}"
    return json.loads(r.stdout)


def by_name(answer: dict) -> dict:
    return {i["name"]: i for i in answer["items"]}


def one_line_error(r: subprocess.CompletedProcess, *words: str) -> str:
    assert r.returncode != 0, f"bad input should fail; stdout: {r.stdout}"
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}:\n{r.stderr}"
    assert r.stdout.strip() == "", f"nothing should be printed on stdout, got: {r.stdout}"
    missing = [w for w in words if w not in lines[0]]
    assert not missing, f"the error should mention {missing}: {lines[0]}"
    return lines[0]


# --- lookups ----------------------------------------------------------------------------------


def test_headline_lookup_json():
    answer = lookup_json("--city", "枣庄", "--age", "85", "--status", "低保")
    items = by_name(answer)
    assert items["高龄津贴"]["amount_yuan_per_month"] == 30
    assert items["高龄津贴"]["agency"] == "市卫生健康委"
    assert items["经济困难老年人补贴"]["amount_yuan_per_month"] == 100
    assert items["经济困难老年人补贴"]["agency"] == "市民政局"
    assert answer["monthly_total_yuan"] == 130
    assert answer["total_is_minimum"] is False
    assert answer["profile"]["city"] == "枣庄"
    assert "分散供养" not in items and "政府购买居家养老服务" not in items
    assert any(
        h["name"] == "经济困难老年人补贴" and h["part"] == "护理补贴" and h["amount_yuan_per_month"] == 80
        for h in answer["hints"]
    )
    assert "办公室便函〔2023〕1号" in answer["documents"]


def test_headline_lookup_text_names_amounts_agencies_and_document():
    r = run("lookup", "--city", "枣庄", "--age", "85", "--status", "低保")
    assert r.returncode == 0, r.stderr
    for word in (
        "高龄津贴",
        "30元",
        "经济困难老年人补贴",
        "100元",
        "130元",
        "市卫生健康委",
        "市民政局",
        "办公室便函〔2023〕1号",
    ):
        assert word in r.stdout, f"{word} missing from:\n{r.stdout}"


def test_county_resolves_to_its_city():
    answer = lookup_json("--city", "滕州", "--age", "85", "--status", "低保")
    assert answer["profile"]["city"] == "枣庄"
    assert answer["profile"]["county"] == "滕州市"
    items = by_name(answer)
    assert items["高龄津贴"]["amount_yuan_per_month"] == 30
    assert answer["monthly_total_yuan"] == 130


def test_jining_centenarian_with_repeated_status_and_grade():
    answer = lookup_json(
        "--city", "曲阜", "--age", "100", "--status", "低保", "--status", "独居", "--ability-grade", "2"
    )
    items = by_name(answer)
    assert answer["profile"]["city"] == "济宁"
    assert items["高龄津贴"]["amount_yuan_per_month"] == 300 and items["高龄津贴"]["minimum"] is True
    assert items["经济困难老年人补贴"]["amount_yuan_per_month"] == 85  # 生活补贴 per 鲁政发〔2011〕54号: no figure
    assert "探访服务" in items
    assert answer["monthly_total_yuan"] == 385 and answer["total_is_minimum"] is True


def test_liaocheng_lookup_has_no_figures():
    answer = lookup_json("--city", "临清", "--age", "90", "--status", "低保")
    assert answer["profile"]["city"] == "聊城"
    assert all(i["amount_yuan_per_month"] is None for i in answer["items"])
    assert answer["monthly_total_yuan"] == 0


# --- bad input: non-zero exit, one line on stderr naming what is accepted ------------------------


def test_unknown_city():
    one_line_error(run("lookup", "--city", "北京", "--age", "70"), "北京", "济宁", "枣庄", "聊城")


def test_age_out_of_range():
    one_line_error(run("lookup", "--city", "济宁", "--age", "300"), "300", "130")


def test_unknown_status():
    one_line_error(run("lookup", "--city", "枣庄", "--age", "70", "--status", "富豪"), "富豪", "低保", "特困")


def test_non_integer_age():
    one_line_error(run("lookup", "--city", "枣庄", "--age", "八十五"), "八十五", "整数")


def test_missing_city():
    one_line_error(run("lookup", "--age", "70"), "--city")


def test_contradictory_statuses():
    one_line_error(
        run("lookup", "--city", "枣庄", "--age", "70", "--status", "低保", "--status", "特困"), "低保", "特困"
    )


def test_bad_ability_grade():
    one_line_error(run("lookup", "--city", "枣庄", "--age", "70", "--ability-grade", "9"), "9", "0—4")


def test_unknown_item():
    one_line_error(run("item", "养老金翻倍", "--city", "济宁"), "养老金翻倍", "高龄津贴")


# --- facts, item, check -----------------------------------------------------------------------


def test_facts_long_term_care_jining():
    r = run("facts", "长期护理保险", "--city", "济宁")
    assert r.returncode == 0, r.stderr
    assert "济政办发〔2023〕2号" in r.stdout
    assert "市医保局" in r.stdout


def test_facts_json():
    r = run("facts", "高龄津贴", "--city", "枣庄", "--json")
    assert r.returncode == 0, r.stderr
    facts = json.loads(r.stdout)
    assert facts and all(f["city"] == "枣庄" for f in facts)


def test_item_jining_gaoling_says_no_figure_below_100_and_300_from_100():
    r = run("item", "高龄津贴", "--city", "济宁")
    assert r.returncode == 0, r.stderr
    assert "另行制定" in r.stdout and "300" in r.stdout and "市卫生健康委" in r.stdout


def test_check_exits_zero():
    r = run("check")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("OK"), r.stdout


def _broken_kb(tmp_path: Path) -> Path:
    root = copy_kb(tmp_path)
    path = root / "cities" / "zaozhuang.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("agency: 市退役军人局", "agency:"), encoding="utf-8")
    return root


@pytest.mark.parametrize("command", [["check"], ["lookup", "--city", "枣庄", "--age", "85"]])
def test_broken_kb_is_refused(tmp_path, command: List[str]):
    root = _broken_kb(tmp_path)
    r = run("--kb", str(root), *command)
    assert r.returncode != 0, r.stdout
    assert "zaozhuang.yml" in r.stderr and "zz-22" in r.stderr and "agency" in r.stderr, r.stderr
    assert r.stdout.strip() == ""


def test_missing_kb_folder_is_refused(tmp_path):
    r = run("--kb", str(tmp_path / "nowhere"), "check")
    assert r.returncode != 0
    assert "documents.yml" in r.stderr


def test_the_cli_and_the_console_api_give_one_json_form():
    """`--json` prints what /api/lookup and /api/facts send: one serialisation per object."""
    from bot.channels.web import fact_search_json as api_facts
    from bot.channels.web import lookup_json as api_lookup
    from rules_kb import default_kb

    kb = default_kb()
    cli = lookup_json("--city", "枣庄", "--age", "85", "--status", "低保")
    assert cli == api_lookup(kb, {"city": "枣庄", "age": 85, "statuses": ["低保"]})
    amounts = {i["name"]: i["amount_yuan_per_month"] for i in cli["items"]}
    assert amounts["高龄津贴"] == 30 and amounts["经济困难老年人补贴"] == 100
    r = run("facts", "长期护理保险", "--city", "济宁", "--json")
    assert json.loads(r.stdout) == api_facts(kb, "长期护理保险", "济宁", 50)["facts"]


def test_item_json_names_the_item_its_agency_and_source():
    r = run("item", "高龄津贴", "--city", "枣庄", "--json")
    assert r.returncode == 0, r.stderr
    [item] = json.loads(r.stdout)
    assert item["city"] == "枣庄" and item["name"] == "高龄津贴"
    assert item["citation"].startswith("办公室便函〔2023〕1号") and item["agency"]


# --- answering for a day (--on) and the lapse warnings of check ------------------------------------
# The days are pinned: 济政办字〔2024〕42号 is the 2024—2026 plan (ends 2026-12-31); 第10条 sets 2024年至2025年.


@pytest.mark.parametrize(
    "command",
    [
        ["lookup", "--city", "枣庄", "--age", "85"],
        ["facts", "高龄津贴"],
        ["item", "高龄津贴", "--city", "济宁"],
        ["check"],
    ],
)
@pytest.mark.parametrize("day, word", [("2026-6-1", "格式"), ("2026-02-30", "不存在"), ("明年", "格式")])
def test_a_bad_day_is_one_line_and_exit_2(command: List[str], day: str, word: str):
    r = run(*command, "--on", day)
    one_line_error(r, day, word, "YYYY-MM-DD")
    assert r.returncode == 2


def test_lookup_on_a_day_says_the_day_and_when_the_basis_was_issued():
    r = run("lookup", "--city", "枣庄", "--age", "85", "--status", "低保", "--on", "2026-06-01")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert lines[0] == "（按2026年6月1日的规定）"
    assert lines[-1] == "依据：办公室便函〔2023〕1号，2023年2月印发"
    answer = lookup_json("--city", "枣庄", "--age", "85", "--status", "低保", "--on", "2023-02-24")
    assert (
        answer["on"] == "2023-02-24" and answer["items"] == [] and answer["monthly_total_yuan"] == 0
    ), "before 办公室便函〔2023〕1号 was issued (2023-02-25) the KB has no basis"


def test_facts_on_a_day_after_a_measure_ended_say_it_lapsed():
    r = run("facts", "示范性老年友好型社区", "--city", "济宁", "--on", "2026-01-01")
    assert r.returncode == 0, r.stderr
    assert "济宁（已于2025年12月31日到期，不是现行规定）：" in r.stdout, r.stdout
    r = run("facts", "示范性老年友好型社区", "--city", "济宁", "--on", "2025-12-31")
    assert "到期" not in r.stdout, r.stdout
    r = run("facts", "示范性老年友好型社区", "--city", "济宁", "--on", "2026-01-01", "--json")
    fact = next(f for f in json.loads(r.stdout) if f["id"] == "jn-2024-m10")
    assert fact["in_force"] is False and fact["valid_until"] == "2025-12-31" and "到期" in fact["note"]


def test_item_on_a_day_after_its_period_says_it_lapsed(tmp_path):
    root = copy_kb(tmp_path)
    path = root / "cities" / "zaozhuang.yml"
    text = path.read_text(encoding="utf-8")
    dated = text.replace("  - id: zz-12\n", "  - id: zz-12\n    valid_until: 2025-12-31\n", 1)
    assert dated != text, "the packaged KB has no item zz-12; update this test"
    path.write_text(dated, encoding="utf-8")
    r = run("--kb", str(root), "item", "高龄津贴", "--city", "枣庄", "--on", "2026-01-01")
    assert r.returncode == 0, r.stderr
    assert "注意：本项已于2025年12月31日到期，不是现行规定。" in r.stdout, r.stdout
    r = run("--kb", str(root), "item", "高龄津贴", "--city", "枣庄", "--on", "2025-12-31")
    assert "到期，不是现行规定" not in r.stdout and "有效期：2023年2月25日至2025年12月31日" in r.stdout, r.stdout
    answer = json.loads(
        run("--kb", str(root), "lookup", "--city", "枣庄", "--age", "85", "--on", "2026-01-01", "--json").stdout
    )
    assert "高龄津贴" not in by_name(answer), "a lapsed item is not an entitlement"


def test_check_lists_the_plan_ending_within_60_days_and_still_exits_zero():
    r = run("check", "--on", "2026-11-27")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("OK"), r.stdout
    assert lines[1] == "到期提示（按2026年11月27日，提前60天）：", r.stdout
    plan = [x for x in lines if "济政办字〔2024〕42号（" in x]
    assert len(plan) == 1 and "有效期至2026年12月31日（还有34天）" in plan[0], r.stdout
    assert any("jn-2023-m12-c" in x and "已于2025年12月31日到期" in x for x in lines), "a rule whose period ended"


def test_check_after_the_plan_ended_lists_it_as_ended_and_still_exits_zero():
    r = run("check", "--on", "2027-01-05")
    assert r.returncode == 0, r.stderr
    assert any("济政办字〔2024〕42号（" in x and "已于2026年12月31日到期（5天前）" in x for x in r.stdout.splitlines())


def test_check_within_a_shorter_window_leaves_the_plan_out():
    r = run("check", "--on", "2026-11-27", "--within", "30")
    assert r.returncode == 0 and "济政办字〔2024〕42号（" not in r.stdout, r.stdout
    one_line_error(run("check", "--within", "-1"), "-1")
