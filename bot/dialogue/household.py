"""The people a conversation is about, folded from its events: a household, not one profile.

Families ask about several people ("那俺娘呢 她七十八 也吃低保", "老两口加一块一个月多少"). Each person keeps how
they were called (父亲, 母亲, 第二位…) and their own facts; a message is about one of them (a relation named, "她",
"第二位", else the person last discussed), about some of them at once ("都在枣庄", "俩人都是低保") or about all
("一共多少"). A what-if ("要是评成3级呢", "搬到济宁去呢") is held apart from the facts; "明年呢" names an age to
come. The planner reads the result; nothing here knows Rasa: events are the plain dicts a tracker holds.
"""

from __future__ import annotations

import copy
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Tuple

import cn2an

from bot.nlu.extractor import FEMALE_RELATIONS
from bot.nlu.normaliser import normalize
from rules_kb import MAX_AGE, dates, default_kb

from .person_facts import ASKED_SLOT, empty, intent_of, merge, who
from .question import FAMILY_STATUSES, negated_place

TOPIC_SLOT = "topic"
PLACE_KEYS = ("city", "county")
ECONOMIC_KEYS = ("statuses", "not_statuses", "economic")

# "要是评成3级呢", "搬到济宁去呢", "要不是低保呢": the facts of a what-if, not the person's.
_WHAT_IF_RE = re.compile(
    r"如果|要是|要不是|假如|假设|万一|若是|倘若|换成|改成|搬到|搬去|迁到|迁去|迁过去|挪到|接到|接去|接[她他][去到]|的话|那样|"
    r"以后评|将来评|评[上成]\S{0,4}呢"
)
# a follow-up asking only by how much the what-if just answered changes the money
_GAP_AGAIN_RE = re.compile(
    r"(?:那|那么|这样)?(?:比|跟|和)?(?:现在|目前|原来|之前)?(?:比)?(?:能|会|一共|总共)?(?:多|差|少)(?:领|给|拿|出|了)?"
    r"(?:了)?多少(?:钱|块钱?|元)?(?:呢|啊|呀)?[？?。!！]*"
)
# A question about everyone named so far: the sum, or "两个人都…".
_TOGETHER_RE = re.compile(
    r"一共|总共|加起来|加一块|加一起|加在一起|合计|合起来|全家|一家子|俩人|俩一共|两个人|两人|老两口|"
    r"两口子|他俩|她俩|他们俩|他们两个|两位|总数|总计|都能领|都能拿|俩老|二老|两老|俩老人|[俺我咱]们?俩|俩都|俩也"
)
# "也是/一样/同样": the facts the other person was said to have, for the new one ("还有俺姥爷 一样是低保").
_SAME_RE = re.compile(r"也是|一样|同样|也吃|也都是|也一样|也能领|也能拿|也领|也有|也能享受|一家的|一家子")
# "情况一样", "一样的情况": everything but the place and who they are (age, statuses, grades).
_SAME_AGE_RE = re.compile(r"同岁|一样大|一般大|同年(?:生|出生)?的?")
_SAME_ALL_RE = re.compile(r"情况(?:也)?(?:一样|相同|差不多)|(?:一样|同样|相同)的情况|也是这(?:个|种)?情况")
SITUATION_KEYS = ("age", "statuses", "not_statuses", "economic", "ability_grade", "disability_grade")
# "都在枣庄", "俩人都是低保": a fact said of everyone this message (or the conversation) names.
_ALL_BEFORE_RE = re.compile(
    r"(?:都|俩都|俩人都|两人都|两个人都|也都|全都)\s*(?:是|在|住在|住|吃|有|没有|不是|属于)?\s*$"
)
# "要是再评上三级呢", "要是同时还是失独呢": a what-if added to the one just asked
_ON_TOP_RE = re.compile(r"再|同时|又|另外还|而且还|还(?:评|是|有)")
_THEIR_RE = re.compile(r"[她他]的?$")
_ENTITY_KEYS = {"statuses": ("status",), "not_statuses": ("not_status",), "economic": ("economic", "status")}
_ORDINAL_RE = re.compile(r"第([一二三四五六1-6])位")
_ORDINALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_SHE_RE = re.compile(r"她")
# "明年呢", "后年", "再过两年", "过了年就80了", "等她满80": an age to come.
_NEXT_YEARS_RE = re.compile(r"明年|后年|再过(\d|两|三|四|五)年|(\d|两|三|四|五)年后|过了年")
_FUTURE_AGE_RE = re.compile(
    r"(?:过了年|明年|到时候|等[他她]?满?|等到|就要|(?<!\d)到(?=\d{2,3}(?:周岁|岁)?(?:呢|时|的时候|以后|了)))"
    r"\D{0,4}?(\d{2,3})(?!\d)"
)  # "到九十呢" too
_SMALL = {"两": 2, "三": 3, "四": 4, "五": 5}


@dataclass
class Person:
    facts: Dict[str, Any]
    called: Tuple[str, ...] = ()  # how the conversation called them (relation values), first first
    answered: Optional[Dict[str, Any]] = None  # the facts their last answer was built on (from the topic slot)
    asked: Tuple[str, ...] = ()  # what the assistant has asked about them (the "asked" slot): asked once only
    shown: bool = False  # an answer of everything they get was given (a question after it or not)

    @property
    def relation(self) -> Optional[str]:
        return self.facts.get("relation")


@dataclass
class Household:
    people: List[Person] = field(default_factory=list)
    current: Optional[int] = None  # the person the latest message is about
    # About the latest message only:
    mentioned: Tuple[int, ...] = ()  # the people it names (two or more: answer each)
    together: bool = False  # it asks about everyone at once (一共, 俩人, 全家)
    new_person: bool = False  # it introduced the current person
    before: Optional[Dict[str, Any]] = None  # the current person's facts before it (what a correction changed)
    hypothesis: Optional[Dict[str, Any]] = None  # their facts under the what-if it states (the facts stay)
    what_if_keys: Tuple[str, ...] = ()  # the facts that what-if changed (what "如果是1级呢" next continues)
    future_age: Optional[int] = None  # the age it asks about ("明年呢")
    future_ages: Tuple[Tuple[int, int], ...] = ()  # (person, age) when it asks that of several ("明年呢" after both)
    compared_status: Optional[str] = None  # a status that rules out the person's, named to compare with (跟失独家庭比)
    what_if_text: str = ""  # the words of the what-if it states, or of the one it asks further ("那比现在多多少")

    @property
    def person(self) -> Optional[Person]:
        return self.people[self.current] if self.current is not None else None

    def facts(self) -> Dict[str, Any]:
        p = self.person
        return dict(p.facts) if p else empty()


# The household of each conversation after its events so far, so that a turn folds only the events since its
# last turn (the fold is otherwise over the whole conversation, every turn). Keyed by conversation; an entry is
# used only while the events it was folded from are still the conversation's first ones (the same count and the
# same marks, hashed), else the fold starts over. Only the events the fold reads are compared: Rasa hands an
# action other events that differ from turn to turn for the same conversation (a session start written as
# `action_session_start` one turn and `session_started` the next, featurisation events stamped anew).
# Bounded: the oldest conversations are dropped first.
FOLD_CACHE_SIZE = 10_000
_FOLDED: "OrderedDict[str, Tuple[int, int, Household, Optional[str]]]" = OrderedDict()


def _read_by_fold(event: Dict[str, Any]) -> bool:
    kind = event.get("event")
    return kind == "user" or (kind == "slot" and event.get("name") in (ASKED_SLOT, TOPIC_SLOT))


def _marks(events: List[Dict[str, Any]]) -> int:
    return hash(
        tuple((e.get("event"), e.get("timestamp"), e.get("name"), e.get("text"), str(e.get("value"))) for e in events)
    )


def fold(events: Iterable[Dict[str, Any]], conversation: Optional[str] = None) -> Household:
    """The household after every user turn in order. What the assistant last asked (the "asked" slot) tells
    what a bare "不是" or "不知道" answers; the topic slot tells whose facts each answer was built on.
    `conversation` (the sender id) lets a turn continue from the fold of the turn before."""
    events = [e for e in events if _read_by_fold(e)]
    hh, requested, start = Household(), None, 0
    cached = _FOLDED.get(conversation) if conversation is not None else None
    if cached is not None:
        count, marks, folded, asked = cached
        if 0 < count <= len(events) and _marks(events[:count]) == marks:
            hh, requested, start = copy.deepcopy(folded), asked, count
    hh, requested = _fold_from(hh, requested, events[start:])
    if conversation is not None and events:
        # kept as returned: the planner only reads a household; a later fold works on a copy (above)
        _FOLDED[conversation] = (len(events), _marks(events), hh, requested)
        _FOLDED.move_to_end(conversation)
        while len(_FOLDED) > FOLD_CACHE_SIZE:
            _FOLDED.popitem(last=False)
    return hh


def _fold_from(
    hh: Household, requested: Optional[str], events: List[Dict[str, Any]]
) -> Tuple[Household, Optional[str]]:
    for event in events:
        kind = event.get("event")
        if kind == "slot" and event.get("name") == ASKED_SLOT:
            requested = event.get("value")
            if requested and hh.person is not None and requested not in hh.person.asked:
                hh.person.asked += (str(requested),)
        elif kind == "slot" and event.get("name") == TOPIC_SLOT:
            _remember_answer(hh, event.get("value"))
        elif kind == "user":
            parse = event.get("parse_data") or {}
            hh = read_turn(
                hh,
                event.get("text") or "",
                parse.get("entities") or [],
                (parse.get("intent") or {}).get("name") or "",
                requested,
                parse.get("text"),
            )
            requested = None  # a question is answered by the next message only
    return hh, requested


def _remember_answer(hh: Household, topic: Any) -> None:
    if not (
        isinstance(topic, dict)
        and isinstance(topic.get("person"), int)
        and isinstance(topic.get("facts"), dict)
        and 0 <= topic["person"] < len(hh.people)
    ):
        return
    person = hh.people[topic["person"]]
    if topic.get("kind") == "entitlements" and topic["facts"].get("age") is not None:
        person.shown = True
    if topic.get("complete"):
        person.answered = dict(topic["facts"])


def read_turn(
    hh: Household,
    raw: str,
    entities: List[dict],
    intent: str,
    requested: Optional[str],
    normalized: Optional[str] = None,
) -> Household:
    """The household after one user message (a new object; `hh` is not changed). `normalized`: the text the NLU
    read (Rasa's parse_data keeps it, the entities' offsets are into it); else it is normalised here."""
    out = Household(people=copy.deepcopy(hh.people), current=hh.current)
    text = normalized if normalized else normalize(raw)
    intent = intent_of(text, intent)
    entities = [
        e for e in entities if not (_place(e) and isinstance(e.get("start"), int) and negated_place(text, e["start"]))
    ]  # "不是邹城，是滕州"
    entities, compared_status = _compared_status(text, entities, hh)  # before others' words are set aside
    # "为啥隔壁八十多的低保老人比他多": the neighbour's facts are not the person's; but "我邻居大姨63岁…" as the
    # conversation's first words, naming no one else, is about the neighbour
    others = _others_spans(text, entities)
    outside_others = [
        e for e in entities if e.get("entity") == "relation" and not any(a <= _start(e) < b for a, b in others)
    ]
    if not hh.people and not outside_others:
        others = []
    entities = [e for e in entities if not any(a <= _start(e) < b for a, b in others)]
    entities = list(entities) + _bare_grade(text, entities, hh)
    if not any(e.get("entity") == "age" for e in entities):
        entities += _birth_age(text)
    entities = _asked_not_told(text, entities, hh)
    known_family = hh.person is not None and bool(set(hh.person.facts.get("statuses") or []) & set(FAMILY_STATUSES))
    child = _only_child(text, entities, known_family)
    if child:  # the 残疾 in "独生子…落下残疾" is the child's, not the person's
        a, b = child[0]["start"], child[0]["end"]
        entities = [e for e in entities if not (e.get("entity") == "status" and a <= _start(e) < b)] + child
    entities, compared_later = _compared_status(text, entities, hh)  # "孩子伤残的那种跟俺们比": read in a sentence
    compared_status = compared_status or compared_later
    entities = _relative_age(text, entities, hh)
    future = [m.span(1) for m in _FUTURE_AGE_RE.finditer(text)]
    entities = [
        e for e in entities if not (e.get("entity") == "age" and any(a <= _start(e) < b for a, b in future))
    ]  # "过了年就80了": an age to come, not the age now
    if not any(e.get("entity") == "age" for e in entities):
        entities += _age_before_birthday(text)
    entities = _exact_age_wins(text, entities)
    ents = sorted((e for e in entities if isinstance(e.get("start"), int)), key=lambda e: e["start"])
    ents += [e for e in entities if not isinstance(e.get("start"), int)]
    relations = [e for e in ents if e.get("entity") == "relation"]
    if hh.people:  # "俺哥管这事": someone new named in passing is not whom the message is about
        relations = [r for r in relations if _find(out, str(r["value"])) is not None or _about(text, r, ents)]
    if hh.people:  # "俺弟想接她去济宁住": the one who acts for her is named in passing; 她 is the one asked about
        relations = [
            r for r in relations if not _AGENT_RE.match(text, r["end"] if isinstance(r.get("end"), int) else 0)
        ]
    if hh.people and _WHAT_IF_RE.search(text):  # "俺舅家在茌平 要是在聊城呢": a relative's home, where she might live
        relations = [r for r in relations if not _HOME_RE.match(text, r["end"] if isinstance(r.get("end"), int) else 0)]
    # "在薛城跟我叔住": the one someone lives with is named in passing
    # (alone, the one named; but once someone is spoken of, "他要是去济宁跟俺姐住" is still about him)
    relations = [r for r in relations if not (_companion(text, r) or _likened(text, r, hh))] or (
        relations if not hh.people else []
    )
    reference = out.current  # whom "也是/一样" and an unnamed place refer back to
    groups: List[Tuple[int, List[dict]]] = []
    shared: List[dict] = []
    named: List[Tuple[int, int]] = []  # (where, whom) for each relation named and each 她/他 after one
    if relations:
        for r in relations:
            index = _find(out, str(r["value"]))
            if index is None:
                index = _add(out, str(r["value"]), reference)
                out.new_person = True
                start = r["start"] if isinstance(r.get("start"), int) else 0
                if reference is not None and _THEIR_RE.search(text[max(0, start - 2) : start]):
                    # "她妹妹刚满一百岁": the sister of the one spoken of, not the writer's ("您姥姥的妹妹")
                    out.people[index].facts["of"] = who(out.people[reference].facts)
            named.append((r["start"] if isinstance(r.get("start"), int) else -1, index))
        named = _with_pronouns(out, text, named)
        group_of: List[int] = []  # the group of each mention (a person named twice in a row is one group)
        for _, index in named:
            if not groups or groups[-1][0] != index:
                groups.append((index, []))
            group_of.append(len(groups) - 1)
        starts = [where for where, _ in named]
        for e in ents:
            if e.get("entity") == "relation":
                continue
            if _said_of_all(text, e) or (
                shared
                and _shareable(e)
                and isinstance(e.get("start"), int)
                and isinstance(shared[-1].get("end"), int)
                and 0 <= e["start"] - shared[-1]["end"] <= 1
            ):
                shared.append(e)  # "都在聊城莘县", "都是滕州低保": what runs on from a fact said of both
                continue
            before = [i for i, s in enumerate(starts) if isinstance(e.get("start"), int) and s <= e["start"]]
            ahead = [i for i, s in enumerate(starts) if _place(e) and _modifies(text, e, s)]
            if ahead:  # "枣庄的爷爷也九十": the place said of the relative right after it
                groups[group_of[ahead[0]]][1].append(e)
                continue
            # a fact before anyone is named ("滕州的 我爸80 我妈78") is everyone's in this message
            if not before:
                shared.append(e)
            else:
                groups[group_of[before[-1]]][1].append(e)
    else:
        index = _referent(out, text)
        groups.append((index, []))
        for e in ents:
            (shared if _said_of_all(text, e) else groups[0][1]).append(e)
    mentioned = tuple(dict.fromkeys(i for i, _ in groups))
    groups, future_ages = _ages_to_come(text, groups, named, out, hh)
    if len(mentioned) > 1:  # "我公公92，婆婆85，山亭的": one place named for several people is everyone's
        places = [e for _, es in groups for e in es if _place(e)]
        # "俺姑也九十三，在聊城东阿，跟俺娘比咋样": one already placed, named with no place of her own now, keeps hers
        # unless the place is said of both ("都在东阿")
        placed = [
            i
            for i, es in groups
            if i < len(hh.people) and any(hh.people[i].facts.get(k) for k in PLACE_KEYS) and not any(map(_place, es))
        ]
        if (
            places
            and (not placed or "都" in text or _TOGETHER_RE.search(text))
            and len({str(e.get("value")) for e in places if e.get("entity") == "city"}) <= 1
            and len({str(e.get("value")) for e in places if e.get("entity") == "county"}) <= 1
        ):
            groups = [(i, [e for e in es if not _place(e)]) for i, es in groups]
            shared += places
        # "俺爹六十七俺娘六十四 独生子伤残了": an only child's loss or disability is both parents'
        family = [
            e for _, es in groups for e in es if e.get("entity") == "status" and e.get("value") in FAMILY_STATUSES
        ]
        family = [e for e in family if not _owned(text, e, relations)]  # "俺姨家独生儿子去世了": hers alone
        if family:
            groups = [(i, [e for e in es if e not in family]) for i, es in groups]
            shared += family
    if shared and len(mentioned) == 1 and len(out.people) > 1 and ("都" in text or _TOGETHER_RE.search(text)):
        mentioned = tuple(range(len(out.people)))  # "都在枣庄", "俩人都是低保" said later: everyone so far
    out.current = groups[-1][0] if relations else groups[0][0]
    out.mentioned = mentioned if len(mentioned) > 1 else ()
    out.together = bool(_TOGETHER_RE.search(text))
    # Words, not the classifier's guess; and only of someone already described (a first message states facts).
    known = out.people[out.current].facts
    what_if = bool(_WHAT_IF_RE.search(text)) and not out.new_person and known.get("age") is not None
    out.before = dict(out.people[out.current].facts)
    on_top = hh.hypothesis if what_if and hh.current == out.current and _ON_TOP_RE.search(text) else None
    for index in mentioned:
        own = [e for i, es in groups if i == index for e in es]  # "我爸妈…爸爸83，妈妈78": named twice each
        person = out.people[index]
        # an age worked out from a birthday to come is for someone whose age is not known yet
        said = [e for e in own + shared if not (e.get("derived") and person.facts.get("age") is not None)]
        facts = merge(person.facts, said, intent, requested if index == out.current else None)
        if index != reference and reference is not None and _SAME_ALL_RE.search(text):
            for key in SITUATION_KEYS:  # "那俺舅舅 枣庄的 情况一样": all but the place, unless said now
                if not any(e.get("entity") in _ENTITY_KEYS.get(key, (key,)) for e in said):
                    facts[key] = copy.deepcopy(out.people[reference].facts.get(key))
        elif (
            index != reference
            and _SAME_RE.search(text)
            and reference is not None
            and not any(e.get("entity") in ("status", "not_status", "economic") for e in said)
        ):
            for key in ECONOMIC_KEYS:  # "还有俺姥爷 一样是低保" names the status; "也一样" carries it
                facts[key] = copy.deepcopy(out.people[reference].facts.get(key))
        if (
            index != reference
            and reference is not None
            and _SAME_AGE_RE.search(text)
            and not any(e.get("entity") == "age" for e in said)
        ):  # "俺婆婆 同岁": the age of the one before
            facts["age"] = out.people[reference].facts.get("age")
        if what_if and index == out.current and on_top is not None:
            # "要是她是低保呢" then "要是再评上三级呢": the new what-if on top of the one before
            facts = merge(on_top, said, intent, requested)
        if what_if and index == out.current:
            if facts != person.facts:  # "要是她想去敬老院呢，找谁": no fact changes, no what-if
                out.hypothesis = facts  # held apart: the person's facts stay as they were
                out.what_if_keys = tuple(k for k in facts if facts[k] != person.facts.get(k))
        elif not what_if:  # "要是都不是低保了呢": the others named in a what-if keep their facts too
            split = _facts_then_what_if(text, said, person.facts, intent) if index == out.current else None
            person.facts = facts
            if split is not None:  # "俺娘七十九 鱼台 低保 要是评上二级失能 能多领多少": facts, then a what-if
                person.facts, out.hypothesis = split
                out.what_if_keys = tuple(k for k in out.hypothesis if out.hypothesis[k] != person.facts.get(k))
    out.future_age = _future_age(text, out.people[out.current].facts.get("age"))
    out.future_ages = tuple(sorted(future_ages.items())) if len(future_ages) >= 2 else ()
    out.compared_status = compared_status
    if out.hypothesis is not None:
        out.what_if_text = text
    elif hh.hypothesis is not None and not entities and _GAP_AGAIN_RE.fullmatch(text.strip()):
        # "要是俩人都评上二级呢" then "那比现在多多少": by how much that what-if changes the money
        out.hypothesis, out.what_if_keys, out.what_if_text = hh.hypothesis, hh.what_if_keys, hh.what_if_text
        out.together, out.mentioned = hh.together, hh.mentioned
    return out


def _facts_then_what_if(
    text: str, said: List[dict], prior: Dict[str, Any], intent: str
) -> Optional[Tuple[Dict[str, Any], Dict[str, Any]]]:
    """A first message that states the person's facts, then asks a what-if of them ("…低保户 要是评上二级失能
    能多领多少"): (the facts said before the what-if, those with what follows it as the hypothesis); None where
    the message is not so (no what-if after facts with an age, or nothing said after it)."""
    m = _WHAT_IF_RE.search(text)
    if m is None or m.start() == 0:
        return None
    before = [e for e in said if 0 <= _start(e) < m.start()]
    after = [e for e in said if _start(e) >= m.start()]
    if not after or not any(e.get("entity") == "age" for e in before):
        return None
    facts = merge(prior, before, intent, None)
    hypothesis = merge(facts, after, intent, None)
    return (facts, hypothesis) if hypothesis != facts else None


# "1927年3月生的", "生于1945年10月": a birth month, from which the age today follows (a year alone could be
# either of two ages, a threshold such as 80 between them: not guessed).
_BIRTH_RE = re.compile(
    r"(?:生于|出生于)?\s*(1[89]\d\d|20[0-2]\d)\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?"
    r"(?=\s*(?:出生|生|的|人))|(?:生于|出生于)\s*(1[89]\d\d|20[0-2]\d)\s*年\s*(\d{1,2})\s*月"
)


def _birth_age(text: str) -> List[dict]:
    m = _BIRTH_RE.search(text)
    if not m:
        return []
    year, month, day = (int(m.group(1) or m.group(4)), int(m.group(2) or m.group(5)), int(m.group(3) or 1))
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return []
    today = dates.today()
    age = today.year - year - (1 if (today.month, today.day) < (month, day) else 0)
    if not 0 <= age <= MAX_AGE:
        return []
    return [{"entity": "age", "value": str(age), "start": m.start(), "end": m.end()}]


# Someone outside the family the message compares with ("隔壁", "邻居家老太太", "枣庄的亲戚"): the clause that
# names them (from the last break before to the next) says their facts, not the person's.
_OTHERS_RE = re.compile(r"邻居|隔壁|亲戚|别人|(?<!老)人家|朋友|同事|同村|村里|老乡|对门|楼上|楼下")
_BREAKS = "，,。.？?！!；; "


def _start(e: dict) -> int:
    start = e.get("start")
    return start if isinstance(start, int) else -1


def _others_spans(text: str, entities: List[dict]) -> List[Tuple[int, int]]:
    spans = []
    for m in _OTHERS_RE.finditer(text):
        start = max((i + 1 for i, c in enumerate(text[: m.start()]) if c in _BREAKS), default=0)
        end = next((i for i in range(m.end(), len(text)) if text[i] in _BREAKS), len(text))
        if m.group() == "人家" and any(
            e.get("entity") == "relation" and start <= _start(e) < m.start() for e in entities
        ):  # "俺大姨也七十四…人家住藤州": 人家 is she, named just before
            continue
        spans.append((start, end))
    return spans


# "唯一的闺女前些年没了", "我是独生子 前年出车祸落下残疾了": a family's situation said in a sentence rather than
# by the status's name (失独, 独生子女伤残), read where the words for the only child and what befell them meet.
_ONLY_CHILD = (
    r"(?:独生(?:子女|儿子|女儿|闺女|子|女)|唯一的(?:孩子|儿子|女儿|闺女)|(?:就|只有|只)\S{0,4}?(?:一个|一)(?:孩子|儿子|儿(?!媳)|闺女|女儿)"
    r"|(?:孩子|儿子|闺女|女儿)是独生的?)"  # "闺女是独生的出车祸残了"
)
_LOST_RE = re.compile(
    _ONLY_CHILD
    + r"[^，,。？?！!]{0,8}?(?:[，,][^，,。？?！!]{0,8}?)?(?:没了|去世|过世|走了|不在了|死了|病逝|病故|亡故|离世|牺牲)"
)
_DISABLED_RE = re.compile(_ONLY_CHILD + r"[^。？?！!]{0,12}?(?:残疾|伤残|致残|残了|瘫了)")


# "说错了，她儿子是伤残，没去世": once the family's only child is known, a child said of is that child
_CHILD = r"(?:儿子|闺女|女儿|孩子)"
_LATER_DISABLED_RE = re.compile(_CHILD + r"[^。？?！!]{0,8}?(?:残疾|伤残|致残|残了|瘫了|重残)")
_LATER_LOST_RE = re.compile(_CHILD + r"[^，,。？?！!]{0,6}?(?<!没)(?:没了|去世了|过世|不在了|死了|病逝|病故|亡故|离世)")


_ASKED_IT_RE = re.compile(r"能[^，,。]{0,8}?(?:领|拿|享受|给)[^，,。]{0,8}?(?:不|吗|么|没)|[吗么][？?]?$|[？?]")
_CORRECTING_RE = re.compile(r"[说弄搞记看写]错|不对|其实|不是[^，,。]{0,6}?是")


def _asked_not_told(text: str, entities: List[dict], hh: Household) -> List[dict]:
    """ "那她能领失独那个990的不" of someone known 独生子女伤残: a status the person's own rules out, named in a
    question without a correction, is what is asked about, not a new fact (a correction says so: "说错了 是失独")."""
    person = hh.person
    if person is None or not _ASKED_IT_RE.search(text) or _CORRECTING_RE.search(text) or _WHAT_IF_RE.search(text):
        return entities  # a correction or a what-if names the other status on purpose
    held = set(person.facts.get("statuses") or [])
    excludes = default_kb().regions.excludes
    ruled_out = {x for s in held for x in excludes.get(s, ())}
    named_people = any(e.get("entity") == "relation" and _find(hh, str(e["value"])) is None for e in entities)
    if named_people:  # a new person's status is theirs
        return entities
    return [e for e in entities if not (e.get("entity") == "status" and e.get("value") in ruled_out)]


_COMPARED_RE = re.compile(r"比|差多少|差几|相差|差距|哪个多|谁多")
_AGAINST_RE = re.compile(r"(?:跟|和|与|同)[^，,。？?！!]{0,4}$")  # "跟失独家庭比": the status compared with


def _compared_status(text: str, entities: List[dict], hh: Household) -> Tuple[List[dict], Optional[str]]:
    """ "跟失独家庭比每月差多少", "俺表姐家是孩子伤残的那种跟俺们比差多少": a status that rules out the person's
    own, named to compare with, is no fact of theirs: (the entities without it, the status)."""
    if not _COMPARED_RE.search(text) or any(
        e.get("entity") == "relation" and _find(hh, str(e["value"])) is None for e in entities
    ):  # a relative named anew has their own status ("俺姨家独生儿子去世了…比俺舅多多少")
        return entities, None
    excludes = default_kb().regions.excludes
    statuses = [e for e in entities if e.get("entity") == "status" and isinstance(e.get("start"), int)]
    held = set(hh.person.facts.get("statuses") or []) if hh.person is not None else set()
    for e in statuses:  # of two that rule each other out in one message, the one after 跟/和 is compared with
        rival = [o for o in statuses if o is not e and o.get("value") in excludes.get(str(e.get("value")), ())]
        if rival and _AGAINST_RE.search(text[: _start(e)]):
            held |= {str(o.get("value")) for o in rival}
    ruled_out = {x for s in held for x in excludes.get(s, ())}
    compared = [e for e in statuses if e.get("value") in ruled_out]
    if not compared:
        return entities, None
    return [e for e in entities if e not in compared], str(compared[0].get("value"))


_HOUSEHOLD_OF_RE = re.compile(r"家里?的?(?:独生|唯一的?)?")


def _owned(text: str, status: dict, relations: List[dict]) -> bool:
    """Whether a family status is said of one relative's household ("俺姨家独生儿子…"): named right before it."""
    start = _start(status)
    return any(
        isinstance(r.get("end"), int) and bool(_HOUSEHOLD_OF_RE.fullmatch(text[r["end"] : start])) for r in relations
    )


def _only_child(text: str, entities: List[dict], known_family: bool = False) -> List[dict]:
    if {str(e.get("value")) for e in entities if e.get("entity") == "status"} & set(FAMILY_STATUSES):
        return []
    if known_family:
        for regex, status in ((_LATER_DISABLED_RE, "独生子女伤残"), (_LATER_LOST_RE, "失独")):
            m = regex.search(text)
            if m:
                return [{"entity": "status", "value": status, "start": m.start(), "end": m.end()}]
    # "不是失独，是独生子重度伤残": a status denied is not the sentence that states the other
    denied = [_start(e) for e in entities if e.get("entity") == "not_status"]
    for regex, status in ((_LOST_RE, "失独"), (_DISABLED_RE, "独生子女伤残")):
        for m in regex.finditer(text):
            if not any(m.start() <= d < m.end() for d in denied):
                return [{"entity": "status", "value": status, "start": m.start(), "end": m.end()}]
    return []


_BARE_GRADE_RE = re.compile(r"(?<![\d残])([0-4])\s*级")


def _bare_grade(text: str, entities: List[dict], hh: Household) -> List[dict]:
    """ "如果是1级呢" right after a what-if about the assessment grade, or once a grade is known: the assessment
    grade (the extractor needs 评估 beside it; 残疾 grades are said with 残疾)."""
    if "残疾" in text or any(e.get("entity") == "disability_grade" for e in entities):
        return []
    graded = [e for e in entities if e.get("entity") == "ability_grade"]
    known = "ability_grade" in hh.what_if_keys or any(p.facts.get("ability_grade") is not None for p in hh.people)
    if not (known or graded):  # "俺娘…评了二级…俺婆婆也是二级": a grade said once in the message names the next
        return []
    return [
        {"entity": "ability_grade", "value": m.group(1), "start": m.start(1), "end": m.end(1)}
        for m in _BARE_GRADE_RE.finditer(text)
        if not any(_start(e) <= m.start(1) < int(e.get("end") or _start(e) + 1) for e in graded)
    ]


def _find(hh: Household, relation: str) -> Optional[int]:
    """The person already called this, latest first; 本人 and the one who speaks are the same."""
    for i in range(len(hh.people) - 1, -1, -1):
        if relation in hh.people[i].called:
            return i
    return None


def _add(hh: Household, relation: str, reference: Optional[int]) -> int:
    """A new person keeps the place of the one discussed before (a family lives together unless told not)."""
    facts = empty()
    facts["relation"] = relation
    if reference is not None:
        for key in PLACE_KEYS:
            facts[key] = hh.people[reference].facts.get(key)
        told = hh.people[reference].facts
        if relation == "老伴" and told.get("relation") in (None, "本人"):
            # the writer's spouse shares the writer's only child: 失独 and 独生子女伤残 are the couple's
            facts["statuses"] = [x for x in told.get("statuses") or [] if x in FAMILY_STATUSES]
    first = hh.people[0] if len(hh.people) == 1 else None
    if first is not None and not first.called and first.facts.get("age") is None:
        # "枣庄的，能领啥" then "我父亲85岁": the person asked about, now named
        first.called = (relation,)
        first.facts["relation"] = relation
        return 0
    hh.people.append(Person(facts, (relation,)))
    return len(hh.people) - 1


def _referent(hh: Household, text: str) -> int:
    """Whom a message without a relation is about: "第二位", "她" (the latest woman named), else the person last
    discussed; the first message starts the first person."""
    if not hh.people:
        hh.people.append(Person(empty()))
        return 0
    m = _ORDINAL_RE.search(text)
    if m:
        n = _ORDINALS.get(m.group(1)) or int(m.group(1))
        if n <= len(hh.people):
            return n - 1
    current = hh.current if hh.current is not None else len(hh.people) - 1
    if _SHE_RE.search(text) and hh.people[current].relation not in FEMALE_RELATIONS:
        women = [i for i, p in enumerate(hh.people) if p.relation in FEMALE_RELATIONS]
        if women:
            return women[-1]
    return current


# After a relation, the words that make the message about them ("那俺哥呢", "我哥能领多少", "俺大姨也是低保").
_ABOUT_RE = re.compile(r"\s*(?:呢|吗|能|可以|有|的|也|今年|都|还|是|在|住|户口|户籍|[,，?？]|$)")


# "俺弟想接她去济宁住", "俺弟弟在藤州想把他接过去住": the one who acts for her, named in passing
_AGENT_RE = re.compile(
    r"(?:在[^，,。？?]{1,5}?)?(?:想|要|打算|准备|说)?(?:把[她他](?:接|带|送)|(?:接|带|让|帮|替|陪|送)[她他])"
)
_HOME_RE = re.compile(r"家(?:在|住在?|是)")  # "俺舅家在茌平": the relative's home
_COMPANION_BEFORE_RE = re.compile(r"(?:跟|和|同|随)(?:我|俺|咱)?$")
_COMPANION_AFTER_RE = re.compile(r"(?:一起|一块儿?)?(?:住|过|生活|迁|搬|去)")


_LIKENED_AFTER_RE = re.compile(r"(?:的)?(?:情况)?(?:一样|相同|一个样|差不多|同样)")


def _likened(text: str, r: dict, hh: Household) -> bool:
    """ "我姨…情况跟我妈一样": someone already spoken of, named as the one another is like, not whom the facts
    after are about."""
    start, end = r.get("start"), r.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or _find(hh, str(r.get("value"))) is None:
        return False
    return bool(_COMPANION_BEFORE_RE.search(text[max(0, start - 2) : start]) and _LIKENED_AFTER_RE.match(text, end))


def _companion(text: str, r: dict) -> bool:
    """ "跟我叔住", "和俺哥一块过": the relative someone lives with."""
    start, end = r.get("start"), r.get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        return False
    return bool(_COMPANION_BEFORE_RE.search(text[max(0, start - 2) : start]) and _COMPANION_AFTER_RE.match(text, end))


_OF_RE = re.compile(r"[^，,。；;！!？?\s]{0,6}的|")


def _modifies(text: str, e: dict, relation_start: int) -> bool:
    """ "枣庄的爷爷", "济宁邹城的姥爷": a place said right before a relative, as theirs (not "滕州的 我爸80 我妈78",
    everyone's)."""
    end = e.get("end")
    return isinstance(end, int) and end <= relation_start and bool(_OF_RE.fullmatch(text, end, relation_start))


def _about(text: str, r: dict, ents: List[dict]) -> bool:
    """A newly named relative is whom the message is about when facts of theirs follow before anyone else is
    named, or the words right after them ask or tell about them."""
    start, end = r.get("start"), r.get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        return True
    for e in ents:
        if isinstance(e.get("start"), int) and e["start"] >= end:
            if e.get("entity") == "relation":
                break
            return True
    return bool(_ABOUT_RE.match(text, end))


_PRONOUN_RE = re.compile(r"(?<![其])[她他](?![们俩])")


def _with_pronouns(hh: Household, text: str, named: List[Tuple[int, int]]) -> List[Tuple[int, int]]:
    """ "我68，她66": a 她/他 after the speaker names someone is the other person named (a woman for 她 where
    one is known), not the speaker; after anyone else ("那俺娘呢，她78岁") it is that person again."""
    out = list(named)
    for m in _PRONOUN_RE.finditer(text):
        before = [(w, i) for w, i in out if w < m.start()]
        if not before or "本人" not in hh.people[before[-1][1]].called:
            continue
        others = [i for _, i in named if "本人" not in hh.people[i].called]
        others += [i for i in range(len(hh.people) - 1, -1, -1) if "本人" not in hh.people[i].called]
        if not others:
            continue
        women = [i for i in others if hh.people[i].relation in FEMALE_RELATIONS]
        out.append((m.start(), women[0] if m.group() == "她" and women else others[0]))
        out.sort()
    return out


_ROUGHLY_RE = re.compile(r"\s*(?:多|来|出头|左右)")


def _exact_age_wins(text: str, entities: List[dict]) -> List[dict]:
    """ "九十多了九十四": a rough age put right by the exact one said just after it."""
    ages = sorted((e for e in entities if e.get("entity") == "age" and isinstance(e.get("start"), int)), key=_start)
    rough = [
        a
        for a, b in zip(ages, ages[1:])
        if isinstance(a.get("end"), int)
        and _ROUGHLY_RE.match(text, a["end"])
        and 0 < b["start"] - a["end"] <= 6
        and abs(float(a["value"]) - float(b["value"])) < 10
    ]
    return [e for e in entities if not any(e is r for r in rough)]


def _shareable(e: dict) -> bool:
    return e.get("entity") in ("city", "county", "status", "not_status", "economic")


def _place(e: dict) -> bool:
    return e.get("entity") in PLACE_KEYS


def _said_of_all(text: str, e: dict) -> bool:
    start = e.get("start")
    if not isinstance(start, int) or e.get("entity") not in (
        "city",
        "county",
        "status",
        "not_status",
        "economic",
        "age",
    ):
        return False  # "我爸我妈都八十二": an age too
    return bool(_ALL_BEFORE_RE.search(text[max(0, start - 6) : start]))


# "比他小三岁", "比俺爹大两岁": an age said against the one before
_RELATIVE_AGE_RE = re.compile(r"比\S{0,4}?(大|小)\s*(\d{1,2})\s*岁")
# "明年就90了", "过了年就八十": a birthday a year away, the age now one less
_NEXT_BIRTHDAY_RE = re.compile(r"(?:过了年|明年)(?:就|就要|该)?\s*(?:满)?\s*(\d{2,3})(?!\d)")


def _relative_age(text: str, entities: List[dict], hh: Household) -> List[dict]:
    m = _RELATIVE_AGE_RE.search(text)
    if not m or hh.current is None:
        return entities
    before = hh.people[hh.current].facts.get("age")
    if before is None:
        return entities
    age = int(before) + (int(m.group(2)) if m.group(1) == "大" else -int(m.group(2)))
    kept = [e for e in entities if not (e.get("entity") == "age" and m.start() <= _start(e) < m.end())]
    return kept + [{"entity": "age", "value": str(age), "start": m.start(2), "end": m.end()}]


def _age_before_birthday(text: str) -> List[dict]:
    m = _NEXT_BIRTHDAY_RE.search(text)
    if not m or not 60 < int(m.group(1)) <= MAX_AGE:
        return []
    return [{"entity": "age", "value": str(int(m.group(1)) - 1), "start": m.start(1), "end": m.end(1), "derived": True}]


_SPOKEN_AGE = r"[一二三四五六七八九十]十|[一二三四五六七八九]百"  # words a written age is not yet turned into


def age_reached(text: str) -> Optional[int]:
    """ "等他俩都过了八十", "等她也满八十": the age a message looks ahead to, whoever reaches it (None if none)."""
    m = _FUTURE_AGE_RE.search(cn2an.transform(text, "cn2an") if re.search(_SPOKEN_AGE, text) else text)
    return int(m.group(1)) if m and 60 <= int(m.group(1)) <= MAX_AGE else None


def _years_ahead(text: str) -> Optional[int]:
    """How many years on "明年/后年/再过两年/过了年" asks about; None if it names none."""
    m = _NEXT_YEARS_RE.search(text)
    if not m:
        return None
    word = m.group(0)
    if word.startswith("明年") or word == "过了年":
        return 1
    if word.startswith("后年"):
        return 2
    n = m.group(1) or m.group(2)
    return int(n) if n.isdigit() else _SMALL.get(n, 1)


def _ages_to_come(
    text: str, groups: List[Tuple[int, List[dict]]], named: List[Tuple[int, int]], out: Household, hh: Household
) -> Tuple[List[Tuple[int, List[dict]]], Dict[int, int]]:
    """ "明年呢俺就八十了她六十五": each person's age next year, said after them (an age that many years above
    theirs is that, not a correction); "明年呢" naming no one after an answer of several: each of them."""
    years = _years_ahead(text)
    if years is None or len(out.people) < 2:
        return groups, {}

    def known(index: int) -> Optional[float]:
        age = out.people[index].facts.get("age")
        return None if age is None else float(age)

    ages: Dict[int, int] = {}
    for m in _FUTURE_AGE_RE.finditer(text):
        before = [i for where, i in named if where <= m.start()]
        now = known(before[-1]) if before else None
        if before and (now is None or now < int(m.group(1))):
            ages[before[-1]] = int(m.group(1))

    kept = []
    for index, es in groups:
        # said after someone: theirs; said naming no one after an answer of several: whoever it is a year above
        owners = [index] if named else list(dict.fromkeys([index, *hh.mentioned]))
        coming = []
        for e in es:
            if e.get("entity") != "age":
                continue
            value = float(e.get("value") or 0)
            owner = next((i for i in owners if value - years == known(i)), None)
            if owner is not None:
                ages.setdefault(owner, int(value))
                coming.append(e)
        kept.append((index, [e for e in es if all(e is not c for c in coming)]))
    if not named and len(hh.mentioned) >= 2:  # "明年呢" after both were answered
        for index in hh.mentioned:
            age = known(index)
            if age is not None:
                ages.setdefault(index, int(age) + years)
    return kept, ages


def _future_age(text: str, age: Any) -> Optional[int]:
    if age is None:
        return None
    now = int(age)
    m = _FUTURE_AGE_RE.search(text)
    if m and now < int(m.group(1)) <= MAX_AGE:
        return int(m.group(1))
    years = _years_ahead(text)
    return None if years is None else now + years
