"""OpenFisca-style rule tests: every rules_kb/cases/*.yml case is one test.

Each case is a person (input) and what the documents say they get (output). The expected values were
read off the source documents in /work/shared/seeds/ by hand, not from the engine. A case the engine
is known to get wrong (against the documents) carries `xfail: "reason"` and is run as a strict xfail.

Case keys
  name      a statement of the rule, unique across all files (it is the test id)
  source    where in the documents the expected values come from (free text, for the reader)
  note      free text
  xfail     reason the engine currently contradicts the documents (strict xfail)
  input     city (required; a county works), age, status, not_status, ability_grade, disability_grade,
            day (the day the rules are read for, YYYY-MM-DD; default CASES_ON, a fixed day, never today;
            not `on`, which YAML reads as the boolean true)
  output    (all optional)
    items        {item name: expected 元/人/月 or null}   listed, with exactly this amount (null: no figure)
    exhaustive   true: the listed items are exactly the keys of `items`
    parts        {"item.part": amount or null}            a part of a listed item, with this amount
    absent_parts ["item.part"]                             a listed item without this part
    minimum      [item]    these items' amounts are floors (不低于); the other items in `items` with a figure are not
    absent       [item]    not listed
    total        monthly_total_yuan
    total_minimum  bool    total_is_minimum
    hints        ["item" | "item.part"]   a hint for the item (any part) / for that part
    no_hints     ["item" | "item.part"]   no such hint
    hint_amounts {"item" | "item.part": amount or null}
    hint_needs   {"item" | "item.part": [fact word, ...]}   the hint names each of these facts
    agencies     {item: exact lead agency}
    numbers      {item: list number or null}
    cites        {item: text the item's citation contains}
    error        text: make_profile must raise ProfileError whose message contains it
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest
import yaml

from rules_kb import ProfileError, default_kb, evaluate, make_profile

CASES_DIR = Path(__file__).resolve().parents[2] / "rules_kb" / "cases"
# Cases read the rules of a fixed day, inside every current document's period, so that none of them changes
# with the date the tests run on; a case about a period boundary sets its own `day`.
CASES_ON = date(2026, 6, 1)

CASE_KEYS = {"name", "source", "note", "xfail", "input", "output"}
INPUT_KEYS = {"city", "age", "status", "not_status", "ability_grade", "disability_grade", "day"}
OUTPUT_KEYS = {
    "items",
    "exhaustive",
    "parts",
    "absent_parts",
    "minimum",
    "absent",
    "total",
    "total_minimum",
    "hints",
    "no_hints",
    "hint_amounts",
    "hint_needs",
    "agencies",
    "numbers",
    "cites",
    "error",
}


def _load_cases() -> List[Tuple[str, dict]]:
    cases = []
    files = sorted(CASES_DIR.glob("*.yml"))
    assert files, f"no case files in {CASES_DIR}"
    for path in files:
        with path.open(encoding="utf-8") as fh:
            raw = yaml.safe_load(fh)
        assert isinstance(raw, list), f"{path.name}: expected a list of cases"
        for i, case in enumerate(raw):
            assert isinstance(case, dict), f"{path.name} #{i + 1}: expected a mapping"
            cases.append((path.name, case))
    return cases


CASES = _load_cases()


def _param(file: str, case: dict):
    marks = []
    if case.get("xfail"):
        marks.append(pytest.mark.xfail(reason=str(case["xfail"]), strict=True))
    return pytest.param(file, case, marks=marks)


# --- helpers ----------------------------------------------------------------------------------


def _same(actual: Optional[float], expected: Any) -> bool:
    if expected is None:
        return actual is None
    return actual is not None and math.isclose(float(actual), float(expected), abs_tol=1e-9)


def _split(key: str) -> Tuple[str, Optional[str]]:
    name, _, part = key.partition(".")
    return name, (part or None)


def _profile(kb, inp: dict):
    return make_profile(
        kb,
        inp["city"],
        inp.get("age"),
        inp.get("status") or [],
        not_statuses=inp.get("not_status") or [],
        ability_grade=inp.get("ability_grade"),
        disability_grade=inp.get("disability_grade"),
    )


def _on(inp: dict) -> date:
    """yaml.safe_load reads 2026-06-01 as a date already; a quoted one is text."""
    on = inp.get("day", CASES_ON)
    return on if isinstance(on, date) else date.fromisoformat(str(on))


def _describe(answer) -> str:
    items = "; ".join(f"{e.name}={e.amount_yuan_per_month}{'(≥)' if e.minimum else ''}" for e in answer.items)
    hints = "; ".join(f"{h.item.name}{'.' + h.part if h.part else ''}<-{'/'.join(h.needs)}" for h in answer.hints)
    return f"\n  engine listed: {items or '(nothing)'}\n  engine hints: {hints or '(none)'}"


# --- the structure of the case files ----------------------------------------------------------


def test_case_files_are_well_formed():
    names: Dict[str, str] = {}
    problems = []
    for file, case in CASES:
        name = case.get("name")
        where = f"{file}: {name!r}"
        if not isinstance(name, str) or not name.strip():
            problems.append(f"{where}: missing name")
        elif name in names:
            problems.append(f"{where}: duplicate name (also in {names[name]})")
        else:
            names[name] = file
        for key in set(case) - CASE_KEYS:
            problems.append(f"{where}: unknown case key {key!r}")
        inp, out = case.get("input"), case.get("output")
        if not isinstance(inp, dict) or "city" not in inp:
            problems.append(f"{where}: input must be a mapping with city")
        else:
            problems += [f"{where}: unknown input key {k!r}" for k in set(inp) - INPUT_KEYS]
        if not isinstance(out, dict) or not out:
            problems.append(f"{where}: output must be a non-empty mapping")
        else:
            problems += [f"{where}: unknown output key {k!r}" for k in set(out) - OUTPUT_KEYS]
            if "error" in out and len(out) > 1:
                problems.append(f"{where}: an error case expects nothing else")
            listed, absent = set(out.get("items") or {}), set(out.get("absent") or [])
            if listed & absent:
                problems.append(f"{where}: both listed and absent: {sorted(listed & absent)}")
    assert not problems, "\n".join(problems)
    assert len(CASES) >= 80, f"only {len(CASES)} cases"


# --- one test per case ------------------------------------------------------------------------


# ids go through `ids=` (not pytest.param(id=)) so pytest.ini can show the Chinese names unescaped
@pytest.mark.parametrize(
    "file, case", [_param(f, c) for f, c in CASES], ids=[str(c.get("name", "?")) for _, c in CASES]
)
def test_case(file: str, case: dict):
    kb = default_kb()
    inp, out = case["input"], case["output"]
    label = f"[{file}] {case['name']}"

    if "error" in out:
        with pytest.raises(ProfileError) as excinfo:
            evaluate(kb, _profile(kb, inp), _on(inp))
        assert str(out["error"]) in str(
            excinfo.value
        ), f"{label}: the error should mention {out['error']!r}, got: {excinfo.value}"
        return

    answer = evaluate(kb, _profile(kb, inp), _on(inp))
    seen = _describe(answer)
    by_name = {e.name: e for e in answer.items}
    errors: List[str] = []

    expected_items: Dict[str, Any] = out.get("items") or {}
    for name, amount in expected_items.items():
        e = by_name.get(name)
        if e is None:
            errors.append(f"{name}: expected to be listed, is not")
        elif not _same(e.amount_yuan_per_month, amount):
            want = "no figure (null)" if amount is None else f"{amount} 元/人/月"
            errors.append(f"{name}: expected {want}, engine says {e.amount_yuan_per_month}")

    if out.get("exhaustive"):
        extra = [n for n in by_name if n not in expected_items]
        if extra:
            errors.append(f"listed but not expected (case is exhaustive): {extra}")

    for key, amount in (out.get("parts") or {}).items():
        name, part = _split(key)
        e = by_name.get(name)
        match = [p for p in e.parts if p.name == part] if e else []
        if e is None:
            errors.append(f"{key}: item {name} not listed")
        elif not match:
            errors.append(f"{key}: part {part} missing (parts: {[p.name for p in e.parts]})")
        elif not _same(match[0].amount, amount):
            errors.append(f"{key}: expected {amount}, engine says {match[0].amount}")

    for key in out.get("absent_parts") or []:
        name, part = _split(key)
        e = by_name.get(name)
        if e is None:
            errors.append(f"{key}: item {name} not listed (the case expects it listed without this part)")
        elif any(p.name == part for p in e.parts):
            errors.append(f"{key}: part should not apply, engine gives {[p.amount for p in e.parts if p.name == part]}")

    if "minimum" in out:
        floors = set(out.get("minimum") or [])
        for name in floors:
            if name in by_name and not by_name[name].minimum:
                errors.append(f"{name}: amount should be a floor (不低于), engine gives it as exact")
            elif name not in by_name:
                errors.append(f"{name}: expected listed with a floor amount, is not listed")
        for name, amount in expected_items.items():
            if amount is not None and name not in floors and name in by_name and by_name[name].minimum:
                errors.append(f"{name}: amount should be exact, engine flags it as a floor")

    for name in out.get("absent") or []:
        if name in by_name:
            errors.append(f"{name}: should not be listed, engine lists it ({by_name[name].amount_yuan_per_month})")

    if "total" in out and not _same(answer.monthly_total_yuan, out["total"]):
        errors.append(f"monthly total: expected {out['total']}, engine says {answer.monthly_total_yuan}")
    if "total_minimum" in out and bool(out["total_minimum"]) != answer.total_is_minimum:
        errors.append(f"total_is_minimum: expected {out['total_minimum']}, engine says {answer.total_is_minimum}")

    def hints_for(key: str):
        name, part = _split(key)
        return [h for h in answer.hints if h.item.name == name and (part is None or h.part == part)]

    for key in out.get("hints") or []:
        if not hints_for(key):
            errors.append(f"hint {key}: expected, missing")
    for key in out.get("no_hints") or []:
        found = hints_for(key)
        if found:
            errors.append(f"hint {key}: should not be given, engine hints it (needs {[h.needs for h in found]})")
    for key, amount in (out.get("hint_amounts") or {}).items():
        found = hints_for(key)
        if not found:
            errors.append(f"hint {key}: expected (with amount {amount}), missing")
        elif not any(_same(h.amount_yuan_per_month, amount) for h in found):
            errors.append(
                f"hint {key}: expected amount {amount}, engine says " f"{[h.amount_yuan_per_month for h in found]}"
            )
    for key, needs in (out.get("hint_needs") or {}).items():
        found = hints_for(key)
        if not found:
            errors.append(f"hint {key}: expected (needing {needs}), missing")
        else:
            named = {n for h in found for n in h.needs}
            lacking = [n for n in needs if n not in named]
            if lacking:
                errors.append(f"hint {key}: should name {lacking}, engine names {sorted(named)}")

    for name, agency in (out.get("agencies") or {}).items():
        e = by_name.get(name)
        if e is None:
            errors.append(f"{name}: agency {agency} expected, item not listed")
        elif e.agency != agency:
            errors.append(f"{name}: lead agency should be {agency!r}, engine says {e.agency!r}")
    for name, no in (out.get("numbers") or {}).items():
        e = by_name.get(name)
        if e is None:
            errors.append(f"{name}: list number {no} expected, item not listed")
        elif e.item.no != no:
            errors.append(f"{name}: list number should be {no}, engine says {e.item.no}")
    for name, text in (out.get("cites") or {}).items():
        e = by_name.get(name)
        if e is None:
            errors.append(f"{name}: citation {text!r} expected, item not listed")
        elif str(text) not in e.source.cite():
            errors.append(f"{name}: citation should contain {text!r}, engine cites {e.source.cite()!r}")

    assert not errors, f"{label}:\n  " + "\n  ".join(errors) + seen


# --- coverage ---------------------------------------------------------------------------------


def test_every_item_of_every_city_is_covered():
    kb = default_kb()
    covered = set()
    for _, case in CASES:
        names = (case.get("output") or {}).get("items") or {}
        if not names:
            continue
        city = make_profile(kb, case["input"]["city"]).city
        covered.update((city, n) for n in names)
    missing = [
        f"{city} {i.id} {i.name}" for city, items in kb.items.items() for i in items if (city, i.name) not in covered
    ]
    assert not missing, "items no case lists (add a case with the item under `items`):\n  " + "\n  ".join(missing)
