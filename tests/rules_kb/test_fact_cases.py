"""Policy-fact cases: every rules_kb/cases/facts/*.yml case is one test, in the spirit of the rule cases.

A case asks about the measures (`ask`, searched as the chatbot searches) or names a list item (`item`), for a city
on a day, and checks the text a reader gets: render.facts_text over search_facts, or render.item_text. Expected
values were read off the documents in /work/shared/seeds/ by hand.

Case keys
  name, source   as in the rule cases (name is the test id)
  input          city (required), day (YYYY-MM-DD, required: facts depend on it), and one of
                 ask   the question's words (search_facts over the city's facts)
                 item  an item's name in the city's list
  output
    first          the id of the fact the search ranks first
    says           strings the answer contains
    never_says     strings it must not contain
    replaced_lines strings of replaced facts: every line holding one says the replacement (已被…替代, or the
                   replacing fact's own line: 替代…的65%) — a replaced fact is never stated as current
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Tuple

import pytest
import yaml

from rules_kb import default_kb, lookup_item, parse_day, render, search_facts

CASES_DIR = Path(__file__).resolve().parents[2] / "rules_kb" / "cases" / "facts"
INPUT_KEYS = {"city", "day", "ask", "item"}
OUTPUT_KEYS = {"first", "says", "never_says", "replaced_lines"}


def _load() -> List[Tuple[str, dict]]:
    cases = []
    files = sorted(CASES_DIR.glob("*.yml"))
    assert files, f"no case files in {CASES_DIR}"
    for path in files:
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append((path.name, case))
    return cases


CASES = _load()


def test_case_names_are_unique_and_keys_known():
    names = [c["name"] for _, c in CASES]
    assert len(names) == len(set(names))
    for _, c in CASES:
        assert set(c["input"]) <= INPUT_KEYS and set(c["output"]) <= OUTPUT_KEYS, c["name"]
        assert ("ask" in c["input"]) != ("item" in c["input"]), c["name"]


@pytest.mark.parametrize("file, case", CASES, ids=[c["name"] for _, c in CASES])
def test_fact_case(file, case):
    kb = default_kb()
    inp, out = case["input"], case["output"]
    on = parse_day(inp["day"])
    if "ask" in inp:
        found = search_facts(kb, inp["ask"], inp["city"], on=on)
        assert found, f"[{file}] {case['name']}: nothing found"
        if "first" in out:
            assert found[0].id == out["first"], f"first is {found[0].id}: {[f.id for f in found]}"
        text = render.facts_text(kb, found, limit=len(found), on=on)
    else:
        items = lookup_item(kb, inp["city"], inp["item"], on)
        assert items, f"[{file}] {case['name']}: no item {inp['item']}"
        text = render.item_text(items[0], on)
    for s in out.get("says", []):
        assert str(s) in text, f"missing {s!r} in:\n{text}"
    for s in out.get("never_says", []):
        assert str(s) not in text, f"unexpected {s!r} in:\n{text}"
    for s in out.get("replaced_lines", []):
        for line in text.splitlines():
            if str(s) in line:
                assert "替代" in line, f"stated as current: {line}"
