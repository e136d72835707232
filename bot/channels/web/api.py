"""The console's JSON API: a profile from a request (clear errors in Chinese), answers, comparisons, facts.
The answers are rules_kb's own objects, serialised once."""

from __future__ import annotations

import json
import logging
from datetime import date
from functools import partial
from typing import Any, Dict, List, Mapping, Optional, Tuple

from rules_kb import (
    ABILITY_GRADES,
    DISABILITY_GRADES,
    FACT_WARNING_HEADINGS,
    KB,
    LAPSING_WITHIN_DAYS,
    DateError,
    Profile,
    as_json,
    evaluate,
    fact_warnings,
    find_facts,
    known_facts,
    lapse_warnings,
    make_profile,
    parse_day,
    render,
    resolve_place,
    search_facts,
    today,
)

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 16 * 1024


MAX_FACTS = 50


dumps = partial(json.dumps, ensure_ascii=False)


class RequestError(ValueError):
    """A request the API cannot use; the message (Chinese) says what is accepted."""


_PROFILE_FIELDS = (
    "place",
    "city",
    "age",
    "statuses",
    "not_statuses",
    "ability_grade",
    "disability_grade",
    "unknown_is_no",
    "compare",
    "on",
)


def parse_on(value: Any) -> date:
    """The day to answer for: "YYYY-MM-DD", or empty for today (China)."""
    if value is None or value == "":
        return today()
    try:
        return parse_day(value)
    except DateError as exc:
        raise RequestError(f"{exc}（on）") from None


def _optional_int(body: Mapping[str, Any], key: str, label: str) -> Optional[int]:
    value = body.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit():
        if len(value.strip()) > 6:  # int() of thousands of digits is slow, and refused by Python beyond 4,300
            raise RequestError(f"{label}不合理（{key}）：数字过长")
        return int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise RequestError(f"{label}必须是整数（{key}），收到：{value!r}")
    return value


def _word_list(body: Mapping[str, Any], key: str) -> List[str]:
    value = body.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value) or len(value) > 40:
        raise RequestError(f'{key} 必须是身份状况的列表，如 ["低保", "独居"]')
    return [x for x in (s.strip() for s in value) if x]


def parse_profile(kb: KB, body: Any, place_required: bool = True) -> Tuple[Profile, Dict[str, Any]]:
    """The API's profile JSON -> a validated Profile and the request's options.

    {"place": "枣庄" (or "city"; a county such as 滕州 works), "age": 85, "statuses": ["低保"],
     "not_statuses": [], "ability_grade": null, "disability_grade": null, "unknown_is_no": false,
     "compare": false, "on": "2026-06-01" (the day to answer for; empty: today)}"""
    if not isinstance(body, dict):
        raise RequestError('请求内容必须是一个 JSON 对象，如 {"place": "枣庄", "age": 85, "statuses": ["低保"]}')
    unknown = sorted(set(body) - set(_PROFILE_FIELDS))
    if unknown:
        raise RequestError(f"未知字段：{'、'.join(unknown)}（可用：{'、'.join(_PROFILE_FIELDS)}）")
    place = body.get("place") if body.get("place") not in (None, "") else body.get("city")
    if place in (None, ""):
        if place_required:
            raise RequestError("请填写城市或县区（place），如 枣庄、滕州、曲阜、临清")
        place = kb.cities[0]
    if not isinstance(place, str) or len(place) > 40:
        raise RequestError("城市或县区（place）必须是文字，如 枣庄")
    options = {
        "unknown_is_no": bool(body.get("unknown_is_no")),
        "compare": bool(body.get("compare")),
        "on": parse_on(body.get("on")),
    }
    age = _optional_int(body, "age", "年龄")
    ability = _optional_int(body, "ability_grade", "能力评估等级")
    disability = _optional_int(body, "disability_grade", "残疾等级")
    statuses = _word_list(body, "statuses")
    not_statuses = _word_list(body, "not_statuses")
    profile = make_profile(kb, place, age, statuses, not_statuses, ability, disability)
    if options["unknown_is_no"]:
        holds, _ = known_facts(kb, profile)
        rest = [s for s in kb.regions.statuses if s not in holds]
        profile = make_profile(kb, place, age, statuses, [*not_statuses, *rest], ability, disability)
    return profile, options


def lookup_json(kb: KB, body: Any) -> Dict[str, Any]:
    profile, options = parse_profile(kb, body)
    result = as_json.answer_json(evaluate(kb, profile, options["on"]))
    if options["compare"]:
        result["compare"] = compare_profile(kb, profile, options["on"])
    return result


def compare_profile(kb: KB, profile: Profile, on: Optional[date] = None) -> Dict[str, Any]:
    """The same person (age, statuses, grades) in each city on the day `on` (default today): one row per item
    name, one column per city."""
    answers = {
        c: evaluate(
            kb,
            Profile(
                c, profile.age, profile.statuses, profile.not_statuses, profile.ability_grade, profile.disability_grade
            ),
            on,
        )
        for c in kb.cities
    }
    order = [profile.city] + [c for c in kb.cities if c != profile.city]
    rows: Dict[str, Dict[str, Any]] = {}
    for city in order:
        for e in answers[city].items:
            row = rows.setdefault(e.name, {"name": e.name, "kind": e.item.kind, "cells": {c: None for c in kb.cities}})
            row["cells"][city] = {
                "amount_text": render.amount_text(e),
                "amount_yuan_per_month": e.amount_yuan_per_month,
                "agency": e.agency,
                "source": e.source.cite(),
                "proviso": e.item.proviso,
            }
    return {
        "profile": {
            "age": profile.age,
            "statuses": sorted(profile.statuses),
            "not_statuses": sorted(profile.not_statuses),
            "ability_grade": profile.ability_grade,
            "disability_grade": profile.disability_grade,
        },
        "home": profile.city,
        "cities": list(kb.cities),
        "rows": list(rows.values()),
        "totals": {
            c: {
                "monthly_total_yuan": a.monthly_total_yuan,
                "total_is_minimum": a.total_is_minimum,
                "text": render.total_line(a) if a.items else None,
            }
            for c, a in answers.items()
        },
        "hint_lines": {c: render.hint_lines(a.hints) for c, a in answers.items()},
        "documents": {c: a.documents() for c, a in answers.items()},
    }


def compare_json(kb: KB, body: Any) -> Dict[str, Any]:
    profile, options = parse_profile(kb, body, place_required=False)
    return compare_profile(kb, profile, options["on"])


def fact_search_json(
    kb: KB, query: Optional[str], city: Optional[str] = None, limit: Any = 20, on: Any = None
) -> Dict[str, Any]:
    """Facts matching `query`, those in force on the day `on` ("YYYY-MM-DD"; empty: today) first; each says
    whether it holds that day and, if not, why (`note`: lapsed on…, or applies from…)."""
    q = (query or "").strip()
    if not q:
        raise RequestError("请输入要查询的关键词（q），如 长期护理保险、高龄津贴、养老床位")
    if len(q) > 100:
        raise RequestError("关键词太长（最多100个字）")
    try:
        limit = int(limit if limit not in (None, "") else 20)
    except (TypeError, ValueError):
        raise RequestError(f"limit 必须是 1—{MAX_FACTS} 的整数") from None
    if not 1 <= limit <= MAX_FACTS:
        raise RequestError(f"limit 必须是 1—{MAX_FACTS} 的整数")
    day = parse_on(on)
    city_name = resolve_place(kb, city)[0] if city and city.strip() else None
    found = find_facts(kb, q, city_name, day) or search_facts(kb, q, city_name, limit=limit, on=day)
    facts = as_json.facts_json(kb, found[:limit], day)
    return {"query": q, "city": city_name, "on": day.isoformat(), "count": len(facts), "facts": facts}


def status_json(kb: KB, on: Any = None, within: Any = None) -> Dict[str, Any]:
    """What `python -m rules_kb check` warns of, for the console's banner: current sources ending within
    `within` days (default 60) of the day `on` (default today), and rules whose own period has ended."""
    day = parse_on(on)
    try:
        days = int(within) if within not in (None, "") else LAPSING_WITHIN_DAYS
    except (TypeError, ValueError):
        raise RequestError("within 必须是 0—3650 的整数（天）") from None
    if not 0 <= days <= 3650:
        raise RequestError("within 必须是 0—3650 的整数（天）")
    warnings = [w.to_dict() for w in lapse_warnings(kb, day, days)]
    facts = [w.to_dict() for w in fact_warnings(kb, day)]
    return {
        "on": day.isoformat(),
        "within": days,
        "count": len(warnings),
        "warnings": warnings,
        "fact_warnings": facts,
        "fact_warning_headings": FACT_WARNING_HEADINGS,
    }


def meta_json(kb: KB) -> Dict[str, Any]:
    counties: Dict[str, List[str]] = {c: [] for c in kb.cities}
    for city, county in dict.fromkeys(kb.regions.county_city.values()):
        counties[city].append(county)
    return {
        "cities": list(kb.cities),
        "counties": counties,
        "statuses": list(kb.regions.statuses),
        "ability_grades": list(ABILITY_GRADES),
        "disability_grades": list(DISABILITY_GRADES),
    }
