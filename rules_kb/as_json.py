"""The one JSON form of what the knowledge base answers, for the CLI's --json and the console's /api/*.

Facts and items serialise themselves (Fact.to_dict, Item.to_dict); an answer is Answer.to_dict() plus the text
the chatbot shows for each part (render.py), so a client never re-renders a figure on its own."""

from __future__ import annotations

from datetime import date
from typing import Any, Dict, Iterable, List, Optional

from . import render
from .dates import current_replacement, deadline_passed, validity_dict
from .engine import Answer
from .model import KB, Fact, Item


def answer_json(answer: Answer) -> Dict[str, Any]:
    data = answer.to_dict()
    for e, row in zip(answer.items, data["items"]):
        row["amount_text"] = render.amount_text(e)
        row["citations"] = [s.cite() for s in e.sources()]
    for h, row in zip(answer.hints, data["hints"]):
        row["text"] = render.hint_label(h)
    data["total_text"] = render.total_line(answer) if answer.items else None
    data["hint_lines"] = render.hint_lines(answer.hints)
    data["text"] = render.answer_text(answer)
    return data


def facts_json(kb: KB, facts: Iterable[Fact], on: Optional[date] = None) -> List[Dict[str, Any]]:
    """Each fact with whether it is in force on `on` (default today), the fact that replaces it by then, whether
    its target's deadline has passed, and the line the chatbot says of it."""
    rows = []
    for f in facts:
        newer = current_replacement(kb, f, on)
        rows.append(
            {
                **f.to_dict(),
                **validity_dict(f, on),
                "replaced_by": newer.id if newer else None,
                "deadline_passed": deadline_passed(f, on),
                "text": render.fact_line(kb, f, on),
            }
        )
    return rows


def items_json(items: Iterable[Item], on: Optional[date] = None) -> List[Dict[str, Any]]:
    return [{**i.to_dict(), **validity_dict(i, on)} for i in items]
