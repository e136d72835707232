"""Operator lookup CLI.

    python -m rules_kb lookup --city 枣庄 --age 85 --status 低保 [--status 独居] [--ability-grade 2] [--json]
    python -m rules_kb facts 长期护理保险 --city 济宁 [--json]
    python -m rules_kb item 高龄津贴 --city 济宁 [--json]
    python -m rules_kb check            # validate the KB and exit
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import List, Optional

from . import as_json, brief, render
from .engine import ProfileError, evaluate, find_facts, lookup_item, make_profile, resolve_place
from .schema import KBError, load_kb


def _complain(message: str) -> None:
    """One line on stderr, also when it quotes an argument with a line break in it."""
    print("\\n".join(message.splitlines()), file=sys.stderr)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, non-zero, like every other bad input
        _complain(f"错误：{message}")
        sys.exit(2)


def _grade(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是整数：{text}") from None


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
    facts = sub.add_parser("facts", help="政策事实（目标、期限、标准）")
    facts.add_argument("topic")
    facts.add_argument("--city")
    facts.add_argument("--json", action="store_true")
    item = sub.add_parser("item", help="某个城市的某个服务项目")
    item.add_argument("name")
    item.add_argument("--city", required=True)
    item.add_argument("--json", action="store_true")
    sub.add_parser("check", help="校验知识库")
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        kb = load_kb(args.kb)
    except KBError as exc:
        print(f"知识库有误，拒绝使用：{exc}", file=sys.stderr)
        return 3
    try:
        if args.command == "check":
            n = sum(len(v) for v in kb.items.values())
            print(f"OK: {n} items in {len(kb.items)} cities, {len(kb.facts)} policy facts")
        elif args.command == "lookup":
            profile = make_profile(kb, args.city, args.age, args.status, args.not_status,
                                   args.ability_grade, args.disability_grade)
            answer = evaluate(kb, profile)
            if args.json:
                print(json.dumps(as_json.answer_json(answer), ensure_ascii=False, indent=1))
            else:
                print(render.answer_text(answer))
        elif args.command == "facts":
            city = resolve_place(kb, args.city)[0] if args.city else None
            found = find_facts(kb, args.topic, city)
            if args.json:
                print(json.dumps(as_json.facts_json(found), ensure_ascii=False, indent=1))
            elif not found:
                print(f"未找到与“{args.topic}”有关的政策内容。")
                return 1
            else:
                print(render.facts_text(found, limit=len(found)))
        elif args.command == "item":
            city = resolve_place(kb, args.city)[0]
            items = lookup_item(kb, city, args.name)
            if not items:
                names = "、".join(i.name for i in kb.items[city])
                _complain(f"错误：{city}清单中没有“{args.name}”（有：{names}）")
                return 2
            if args.json:
                print(json.dumps(as_json.items_json(items), ensure_ascii=False, indent=1))
            else:
                print("\n\n".join(brief.item_rule(i, content=True) for i in items))
    except ProfileError as exc:
        _complain(f"错误：{exc}")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
