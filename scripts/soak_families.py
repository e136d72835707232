"""The soak's conversations (scripts/soak.py): one family per concurrent slot, each with facts no other slot has, so
that an answer stating another conversation's facts (cross-talk) is recognisable in the reply itself.

A family is a father and a mother. Every answer about a person opens with a header such as
"您父亲（枣庄，85周岁，低保）", so the (relation, age) pairs the headers name must be this family's own: ages are
unique per relation across the slots (the father of slot i is 60 + i, the mother a permutation of the same range).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Set, Tuple

MAX_SLOTS = 50  # ages 60..109: each unique per relation; beyond that two slots would share facts
FATHER_PLACES = ("枣庄", "济宁", "聊城", "滕州", "临清", "曲阜")  # cities and counties (a county names its city)
MOTHER_CITIES = ("济宁", "聊城", "枣庄")
FATHER_STATUS = ("低保", "特困")
MOTHER_STATUS = ("都不是", "不清楚")
HEADER = re.compile(r"您(父亲|母亲|爷爷|奶奶|外公|外婆)（[^，）]+，(\d+)周岁")

Person = Tuple[str, int]  # (relation, age)


@dataclass(frozen=True)
class Family:
    slot: int
    father_age: int
    father_place: str
    father_status: str
    mother_age: int
    mother_city: str
    mother_status: str

    def messages(self) -> List[str]:
        """The turns of one conversation, each text different from the others (so each stored copy is counted)."""
        return [
            f"我父亲{self.father_age}岁，{self.father_place}的，能领什么？",
            self.father_status,
            f"那我母亲呢，{self.mother_age}岁",
            self.mother_city,
            self.mother_status,
            "高龄津贴每月多少钱？",
            "谢谢",
        ]

    def persons(self) -> Set[Person]:
        return {("父亲", self.father_age), ("母亲", self.mother_age)}


def family(slot: int) -> Family:
    if not 0 <= slot < MAX_SLOTS:
        raise ValueError(f"slot {slot}: at most {MAX_SLOTS} families have facts of their own")
    return Family(
        slot=slot,
        father_age=60 + slot,
        father_place=FATHER_PLACES[slot % len(FATHER_PLACES)],
        father_status=FATHER_STATUS[slot % len(FATHER_STATUS)],
        # 7 is prime to 50: a permutation of 60..109, never equal to the father's age (6·slot + 3 is odd)
        mother_age=60 + (7 * slot + 3) % MAX_SLOTS,
        mother_city=MOTHER_CITIES[slot % len(MOTHER_CITIES)],
        mother_status=MOTHER_STATUS[slot % len(MOTHER_STATUS)],
    )


def persons_named(reply: str) -> Set[Person]:
    """The (relation, age) of every person an answer's headers describe."""
    return {(relation, int(age)) for relation, age in HEADER.findall(reply)}


def foreign_persons(reply: str, own: Family) -> Set[Person]:
    """Persons the reply describes that are not this family's: another conversation's facts."""
    return persons_named(reply) - own.persons()
