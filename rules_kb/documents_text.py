"""A city's documents described: "济宁的基本养老服务清单是哪个文件发的、哪天发的、一共多少项", "三年行动方案管到
哪一年、今年还管用不". Title, 文号 and day of issue from documents.yml; a list's number of items counted from the
items that cite it; a stated period with whether it still runs on the day asked."""

from __future__ import annotations

from datetime import date
from typing import List, Optional, Sequence

from .model import KB, Document

# What a message calls a document by: the list, a plan, an opinion.
KINDS = {"清单": "list", "行动方案": "行动方案", "实施方案": "实施方案", "实施意见": "实施意见"}


def day_text(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def list_size(kb: KB, doc: Document) -> int:
    """How many items the document's list holds: those of the KB that cite its list attachment."""
    return len(
        {
            i.source.item
            for items in kb.items.values()
            for i in items
            if i.source.doc.id == doc.id and i.source.attachment == doc.list_attachment and i.source.item is not None
        }
    )


def documents_of(kb: KB, city: str, kind: Optional[str] = None) -> List[Document]:
    """The city's current documents, oldest first; of one kind ("list", or words of the title) where asked."""
    docs = sorted((d for d in kb.documents.values() if d.city == city and d.current), key=lambda d: d.date)
    if kind == "list":
        return [d for d in docs if d.list_title]
    if kind:
        return [d for d in docs if kind in d.title]
    return docs


def document_line(kb: KB, doc: Document, on: date) -> str:
    line = f"《{doc.title}》（{doc.number}），{day_text(doc.issued)}印发"
    if doc.list_title:
        line += f"；{doc.list_attachment}为《{doc.list_title}》，共{list_size(kb, doc)}项"
    if doc.valid_until is not None:
        start = f"{doc.valid_from.year}—" if doc.valid_from is not None else ""
        runs = "今天仍在实施期内" if on <= doc.valid_until else "实施期已过"
        line += f"；实施期{start}{doc.valid_until.year}年，到{day_text(doc.valid_until)}止（{runs}）"
    return line + "。"


def documents_text(kb: KB, cities: Sequence[str], kind: Optional[str], on: date) -> Optional[str]:
    """Each city's documents of that kind, a line each; None where a city has none of it (said by the caller)."""
    lines = []
    for city in cities:
        docs = documents_of(kb, city, kind)
        if not docs and kind == "list":  # 聊城 has no list: its 实施方案 names the services
            lines.append(f"· {city}：文件没有附基本养老服务清单，基本养老服务写在实施方案中。")
            docs = documents_of(kb, city)
        lines += [f"· {city}：{document_line(kb, d, on)}" for d in docs]
    return "\n".join(lines) if lines else None
