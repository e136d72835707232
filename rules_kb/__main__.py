"""Operator lookup CLI.

    python -m rules_kb lookup --city 枣庄 --age 85 --status 低保 [--status 独居] [--ability-grade 2] [--json]
    python -m rules_kb facts 长期护理保险 --city 济宁 [--json]
    python -m rules_kb item 高龄津贴 --city 济宁 [--json]
    python -m rules_kb check            # validate the KB; list sources ending within 60 days and rules ended

lookup, facts and item answer for today (China) or for the day given by --on YYYY-MM-DD. check exits
non-zero only for an invalid KB: what it warns of (--on, --within DAYS) is for the people who keep it.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import List, NoReturn, Optional

from . import as_json, render
from .dates import LAPSING_WITHIN_DAYS, DateError, cn_day, lapse_warnings, parse_day, today
from .engine import ProfileError, evaluate, find_facts, lookup_item, make_profile, resolve_place
from .fact_audit import FACT_WARNING_HEADINGS, fact_warnings
from .schema import KBError, load_kb


def _complain(message: str) -> None:
    """One line on stderr, also when it quotes an argument with a line break in it."""
    print("\\n".join(message.splitlines()), file=sys.stderr)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, non-zero, like every other bad input
        _complain(f"错误：{message}")
        sys.exit(2)


def _grade(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是整数：{text}") from None


def _day(text: str) -> date:
    try:
        return parse_day(text)
    except DateError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _days(text: str) -> int:
    days = _grade(text)
    if not 0 <= days <= 3650:
        raise argparse.ArgumentTypeError(f"天数不合理：{text}（可用：0—3650）")
    return days


def _add_on(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--on", type=_day, help="按哪一天的规定答复，YYYY-MM-DD（默认今天）")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m rules_kb", description="养老政策知识库查询（热线坐席用）")
    parser.add_argument("--kb", help="knowledge base folder (default: the packaged one)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    lookup = sub.add_parser("lookup", help="一个人能享受哪些基本养老服务")
    lookup.add_argument("--city", required=True, help="城市或县市区，如 枣庄、滕州、曲阜、临清")
    lookup.add_argument("--age", type=_grade, help="周岁")
    lookup.add_argument("--status", action="append", default=[], help="身份状况，可重复：低保、特困、失能、独居…")
    lookup.add_argument("--not-status", action="append", default=[], help="已知不具备的身份状况，可重复")
    lookup.add_argument("--ability-grade", type=_grade, help="老年人能力评估等级 0—4")
    lookup.add_argument("--disability-grade", type=_grade, help="残疾等级 1—4")
    lookup.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    _add_on(lookup)
    facts = sub.add_parser("facts", help="政策事实（目标、期限、标准）")
    facts.add_argument("topic")
    facts.add_argument("--city")
    facts.add_argument("--json", action="store_true")
    _add_on(facts)
    item = sub.add_parser("item", help="某个城市的某个服务项目")
    item.add_argument("name")
    item.add_argument("--city", required=True)
    item.add_argument("--json", action="store_true")
    _add_on(item)
    check = sub.add_parser("check", help="校验知识库，并列出即将到期或已到期的依据")
    check.add_argument("--on", type=_day, help="按哪一天检查到期，YYYY-MM-DD（默认今天）")
    check.add_argument(
        "--within", type=_days, default=LAPSING_WITHIN_DAYS, help=f"提前多少天提示到期（默认 {LAPSING_WITHIN_DAYS}）"
    )
    return parser


def _dated(on: Optional[date]) -> None:
    """A text answer for a day the operator chose says which day, first."""
    if on is not None:
        print(f"（按{cn_day(on)}的规定）")


def _check(kb, on: date, within: int) -> None:
    """The KB loaded, so it is valid: say so, then what ends soon or has ended. Warnings never fail the
    check: a plan running out is news for the editors, not a broken KB (CI runs this)."""
    n = sum(len(v) for v in kb.items.values())
    print(f"OK: {n} items in {len(kb.items)} cities, {len(kb.facts)} policy facts")
    warnings = lapse_warnings(kb, on, within)
    if warnings:
        print(f"到期提示（按{cn_day(on)}，提前{within}天）：")
        for w in warnings:
            print(f"· {w.text()}")
    for kind, heading in FACT_WARNING_HEADINGS.items():
        found = [w for w in fact_warnings(kb, on) if w.kind == kind]
        if found:
            print(f"{heading}（{len(found)}条）：")
            for fw in found:
                print(f"· {fw.text()}")


def main(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        kb = load_kb(args.kb)
    except KBError as exc:
        print(f"知识库有误，拒绝使用：{exc}", file=sys.stderr)
        return 3
    on = args.on or today()
    try:
        if args.command == "check":
            _check(kb, on, args.within)
        elif args.command == "lookup":
            profile = make_profile(
                kb, args.city, args.age, args.status, args.not_status, args.ability_grade, args.disability_grade
            )
            answer = evaluate(kb, profile, on)
            if args.json:
                print(json.dumps(as_json.answer_json(answer), ensure_ascii=False, indent=1))
            else:
                _dated(args.on)
                print(render.answer_text(answer))
        elif args.command == "facts":
            city = resolve_place(kb, args.city)[0] if args.city else None
            found = find_facts(kb, args.topic, city, on)
            if args.json:
                print(json.dumps(as_json.facts_json(kb, found, on), ensure_ascii=False, indent=1))
            elif not found:
                print(f"未找到与“{args.topic}”有关的政策内容。")
                return 1
            else:
                _dated(args.on)
                print(render.facts_text(kb, found, limit=len(found), on=on))
        elif args.command == "item":
            city = resolve_place(kb, args.city)[0]
            items = lookup_item(kb, city, args.name, on)
            if not items:
                names = "、".join(i.name for i in kb.items[city])
                _complain(f"错误：{city}清单中没有“{args.name}”（有：{names}）")
                return 2
            _dated(args.on)
            if args.json:
                print(json.dumps(as_json.items_json(items, on), ensure_ascii=False, indent=1))
            else:
                print("\n\n".join(render.item_text(i, on) for i in items))
    except ProfileError as exc:
        _complain(f"错误：{exc}")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
