"""Typed, immutable shapes of the knowledge base once loaded and validated."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as Day
from typing import Optional, Tuple, Union


@dataclass(frozen=True)
class Document:
    id: str
    city: str
    number: str  # 文号
    title: str
    date: str  # issued, ISO (YYYY-MM-DD); `issued` is the same as a date
    file: str
    current: bool
    valid_from: Optional[Day] = None  # the period the document states it covers (2024—2026年), if any
    valid_until: Optional[Day] = None

    @property
    def issued(self) -> Day:
        return Day.fromisoformat(self.date)


@dataclass(frozen=True)
class Source:
    doc: Document
    attachment: Optional[str] = None
    item: Optional[int] = None
    measure: Optional[Union[int, str]] = None

    def cite(self) -> str:
        """How an operator finds the line: 文号, attachment and item (or measure)."""
        if self.item is not None:
            where = f"{self.attachment or ''} 第{self.item}项".strip()
        elif isinstance(self.measure, int):
            where = f"第{self.measure}条"
        else:
            where = str(self.measure or "")
        return f"{self.doc.number} {where}".strip()

    def to_dict(self) -> dict:
        return {
            "doc": self.doc.id,
            "number": self.doc.number,
            "date": self.doc.date,
            "attachment": self.attachment,
            "item": self.item,
            "measure": self.measure,
            "citation": self.cite(),
        }


# --- conditions -------------------------------------------------------------------------------
# A condition is a small tree. Atoms test one fact of a profile; And/Or combine them.


@dataclass(frozen=True)
class AgeAtLeast:
    years: int


@dataclass(frozen=True)
class AgeAtMost:
    years: int


@dataclass(frozen=True)
class HasStatus:
    status: str


@dataclass(frozen=True)
class AbilityGradeIn:
    grades: Tuple[int, ...]


@dataclass(frozen=True)
class DisabilityGradeIn:
    grades: Tuple[int, ...]


@dataclass(frozen=True)
class And:
    parts: Tuple["Condition", ...]


@dataclass(frozen=True)
class Or:
    parts: Tuple["Condition", ...]


Atom = Union[AgeAtLeast, AgeAtMost, HasStatus, AbilityGradeIn, DisabilityGradeIn]
Condition = Union[Atom, And, Or]
TRUE = And(())


# --- items -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Component:
    """One funding share of a tier (枣庄 centenarians: 省级/市级/区级)."""

    name: str
    amount: float
    plus_per_year_over_100: float = 0.0


@dataclass(frozen=True)
class Tier:
    when: Condition
    amount: Optional[float]  # None: the document gives no figure
    minimum: bool = False  # "不低于/不少于"
    components: Tuple[Component, ...] = ()
    amount_range: Optional[Tuple[float, float]] = None
    standard: Optional[str] = None
    source: Optional[Source] = None


@dataclass(frozen=True)
class Part:
    name: str
    unit: str
    tiers: Tuple[Tier, ...]


@dataclass(frozen=True)
class Item:
    id: str
    city: str
    no: Optional[int]
    group: str  # 服务对象 as the list writes it
    name: str
    kind: str  # cash | service
    cond: Condition
    text: str  # 服务内容及标准, verbatim
    agency: str  # 牵头责任部门, verbatim
    source: Source
    proviso: Optional[str] = None
    standard: Optional[str] = None
    parts: Tuple[Part, ...] = ()
    valid_from: Optional[Day] = None  # the item's own period; None: its document's (see dates.period)
    valid_until: Optional[Day] = None

    def to_dict(self) -> dict:
        """The item as the document lists it (what a person gets from it: Entitlement.to_dict)."""
        return {
            "id": self.id, "city": self.city, "no": self.no, "name": self.name, "group": self.group,
            "kind": self.kind, "content": self.text, "standard": self.standard, "proviso": self.proviso,
            "agency": self.agency, "source": self.source.to_dict(), "citation": self.source.cite(),
        }


@dataclass(frozen=True)
class Fact:
    id: str
    city: str
    topics: Tuple[str, ...]
    title: str
    statement: str
    agency: str
    source: Source
    figure: Optional[str] = None
    due: Optional[str] = None
    valid_from: Optional[Day] = None  # the fact's own period ("十四五"期间); None: its document's
    valid_until: Optional[Day] = None

    def to_dict(self) -> dict:
        return {
            "id": self.id, "city": self.city, "title": self.title, "statement": self.statement, "figure": self.figure,
            "due": self.due, "agency": self.agency, "topics": list(self.topics), "current": self.source.doc.current,
            "source": self.source.to_dict(), "citation": self.source.cite(),
        }


@dataclass(frozen=True)
class Regions:
    city_aliases: dict  # alias -> city
    county_city: dict  # county name or short form -> (city, county)
    status_words: dict  # word -> canonical status
    statuses: Tuple[str, ...]
    implies: dict  # status -> tuple of implied statuses
    excludes: dict  # status -> statuses it rules out
    item_synonyms: dict  # item name -> what people call it


@dataclass(frozen=True)
class KB:
    documents: dict  # id -> Document
    items: dict  # city -> tuple[Item]
    facts: Tuple[Fact, ...]
    regions: Regions
    cities: Tuple[str, ...] = field(default=())
