"""Typed, immutable shapes of the knowledge base once loaded and validated."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date as Day
from functools import cached_property
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
    list_attachment: Optional[str] = None  # the attachment that is the city's 基本养老服务清单, if any
    list_title: Optional[str] = None

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
    gist: Optional[str] = None  # what a list of services says of it: pieces of `text`, verbatim

    def to_dict(self) -> dict:
        """The item as the document lists it (what a person gets from it: Entitlement.to_dict)."""
        return {
            "id": self.id,
            "city": self.city,
            "no": self.no,
            "name": self.name,
            "group": self.group,
            "kind": self.kind,
            "content": self.text,
            "standard": self.standard,
            "proviso": self.proviso,
            "agency": self.agency,
            "source": self.source.to_dict(),
            "citation": self.source.cite(),
        }


# How the documents label the units responsible for a measure. A lead label names who answers for it.
LEAD_LABELS = ("牵头单位", "责任单位")
UNIT_LABELS = LEAD_LABELS + ("参与单位", "参与部门", "配合单位")


@dataclass(frozen=True)
class Fact:
    id: str
    city: str
    topics: Tuple[str, ...]
    title: str
    statement: str
    units: Tuple[Tuple[str, str], ...]  # (label as the document writes it, units joined by 、), in its order
    source: Source
    figure: Optional[str] = None
    due: Optional[str] = None  # the deadline as written ("2025年年底前")
    deadline: Optional[Day] = None  # its last day, read from `due` on load
    valid_from: Optional[Day] = None  # the fact's own period (2024年至2025年); None: its document's
    valid_until: Optional[Day] = None
    replaces: Optional[str] = None  # id of an earlier document's fact on the same subject that this one replaces
    not_replaced_by: Tuple[Tuple[str, str], ...] = ()  # (later fact id, why both stand): a reviewed overlap

    @property
    def agency(self) -> Optional[str]:
        """Who answers for the measure: the document's 牵头单位 (or, where it names only 责任单位, those)."""
        return next((names for label, names in self.units if label in LEAD_LABELS), None)

    def units_text(self) -> str:
        """Every unit as the document labels it: '牵头单位：市民政局；参与单位：市财政局'."""
        return "；".join(f"{label}：{names}" for label, names in self.units) or "文件未列牵头或责任单位"

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "city": self.city,
            "title": self.title,
            "statement": self.statement,
            "figure": self.figure,
            "due": self.due,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "agency": self.agency,
            "units": [{"label": label, "names": names} for label, names in self.units],
            "replaces": self.replaces,
            "topics": list(self.topics),
            "current": self.source.doc.current,
            "source": self.source.to_dict(),
            "citation": self.source.cite(),
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
    assumptions: dict = field(default_factory=dict)  # status -> what an answer says of an assumption about it
    status_measures: dict = field(default_factory=dict)  # status -> topic words of the measures that serve it


@dataclass(frozen=True)
class KB:
    documents: dict  # id -> Document
    items: dict  # city -> tuple[Item]
    facts: Tuple[Fact, ...]
    regions: Regions
    cities: Tuple[str, ...] = field(default=())
    replaced_by: dict = field(default_factory=dict)  # fact id -> the Fact that replaces it (from `replaces`)

    @cached_property
    def answers(self) -> "OrderedDict":
        """Answers already worked out from this KB, (profile, day) -> Answer (engine.evaluate fills it, bounded).
        A KB never changes after loading, so an answer stays true for as long as the KB lives."""
        return OrderedDict()

    @cached_property
    def item_names(self) -> frozenset:
        """Every item's name as the lists write it, in any city."""
        return frozenset(i.name for city in self.items.values() for i in city)

    @cached_property  # written once into the instance's __dict__, which a frozen dataclass allows
    def facts_by_id(self) -> dict:
        return {f.id: f for f in self.facts}
