"""Deterministic entity extraction from normalised text, with vocabulary taken from the KB's gazetteer.

Lookup of places, statuses and item names is exact and longest-first, so "济宁高新区" is a county, not
the city 济宁, and "重度残疾人护理补贴" is an item, not the status 重残.
"""

from __future__ import annotations

import bisect
import re
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Dict, List, Optional, Sequence, Tuple

import cn2an

from bot.nlu import phonetic
from bot.nlu.normaliser import MAX_NLU_CHARS
from rules_kb import ECONOMIC, KB, MAX_AGE, NEITHER, UNSURE, default_kb
from rules_kb.dates import today
from rules_kb.outside import topics as outside_topics

RELATIONS: Dict[str, str] = {
    "父亲": "父亲",
    "爸爸": "父亲",
    "老爸": "父亲",
    "我爸": "父亲",
    "爸": "父亲",
    "老父亲": "父亲",
    "母亲": "母亲",
    "妈妈": "母亲",
    "老妈": "母亲",
    "我妈": "母亲",
    "妈": "母亲",
    "老母亲": "母亲",
    "爷爷": "爷爷",
    "奶奶": "奶奶",
    "姥姥": "姥姥",
    "姥爷": "姥爷",
    "外公": "外公",
    "外婆": "外婆",
    "老伴": "老伴",
    "老伴儿": "老伴",
    "公公": "公公",
    "婆婆": "婆婆",
    "岳父": "岳父",
    "岳母": "岳母",
    "丈人": "岳父",
    "丈母娘": "岳母",
    "老公": "老伴",
    "老婆": "老伴",
    "本人": "本人",
    "我自己": "本人",
    # Not 自己 alone: "他在自己家住", "自己一个人过" say how someone lives, not who is asked about.
    # As families in Shandong say them. 娘 only with a possessive: 姑娘 is a girl, 新娘 a bride.
    "爹": "父亲",
    "老爹": "父亲",
    "俺娘": "母亲",
    "我娘": "母亲",
    "咱娘": "母亲",
    "老娘": "母亲",
    "姥娘": "姥姥",
    "外祖母": "外婆",
    "外祖父": "外公",
    "祖母": "奶奶",
    "祖父": "爷爷",
    "老丈人": "岳父",
    "爱人": "老伴",
    "丈夫": "老伴",
    "妻子": "老伴",
    "老头子": "老伴",
    "大姨": "大姨",
    "小姨": "小姨",
    "姨妈": "姨妈",
    "姑姑": "姑姑",
    "姑妈": "姑姑",
    "舅舅": "舅舅",
    "舅妈": "舅妈",
    "叔叔": "叔叔",
    "婶婶": "婶婶",
    "婶子": "婶婶",
    "大伯": "大伯",
    "大娘": "大娘",
    "大爷": "大爷",
    "哥哥": "哥哥",
    "姐姐": "姐姐",
    "我哥": "哥哥",
    "俺哥": "哥哥",
    "弟弟": "弟弟",
    "我弟": "弟弟",
    "俺弟": "弟弟",
    "我姐": "姐姐",
    "俺姐": "姐姐",
    "妹妹": "妹妹",
    "我妹": "妹妹",
    "俺妹": "妹妹",
    "姨夫": "姨夫",
    "姑父": "姑父",
    "大舅": "大舅",
    "二舅": "二舅",
    "老舅": "舅舅",
    "舅姥爷": "舅姥爷",
    "老姥娘": "老姥娘",
    "太奶奶": "太奶奶",
    "太爷爷": "太爷爷",
    "兄弟": "兄弟",  # "他双胞胎兄弟": someone else's brother, a person of their own
    "姐妹": "姐妹",
    "老姐妹": "姐妹",
    "老兄弟": "兄弟",
}
# Relatives told apart by their order ("二叔", "三姨", 老 for the youngest): each one their own person, called as
# they were said. Not 小姑/小姐 (小姑娘 is a girl), 老哥/老姐 (friends), 大大爷.
for _orders, _kins in (
    ("大二三四五六小老", ("叔", "婶", "姨", "舅")),
    ("大二三四五六老", ("姑", "伯")),
    ("二三四五六", ("大爷", "大娘")),
    ("大二三", ("哥", "姐")),
):
    for _order in _orders:
        for _kin in _kins:
            RELATIONS.setdefault(_order + _kin, _order + _kin)
# "俺叔", "我舅", "俺姨": one kin with a possessive (叔 alone is also a stranger's title: "王叔"). Not 姑 (我姑娘 is
# a daughter); the longer words that begin like these are listed so that they win ("我舅妈", "我姨夫").
for _mine in ("俺", "我", "咱"):
    for _kin, _rel in (
        ("叔", "叔叔"),
        ("婶", "婶婶"),
        ("舅", "舅舅"),
        ("舅妈", "舅妈"),
        ("舅姥爷", "舅姥爷"),
        ("姨", "姨妈"),  # "俺姨也是这情况"; 我姨夫 is listed so that it wins
        ("姨夫", "姨夫"),
        ("姨妈", "姨妈"),
        ("姑", "姑姑"),  # "俺姑也九十三"; not 我姑娘 (a daughter): see _extract
        ("姑父", "姑父"),
        ("姑姑", "姑姑"),
        ("姑妈", "姑姑"),
        ("老奶奶", "太奶奶"),  # Shandong's word for a great-grandmother ("俺老奶奶今年整一百岁")
        ("老爷爷", "太爷爷"),
        ("爷", "爷爷"),  # "俺爷九十三": 大爷 and 老爷子 keep their own words
        ("爷爷", "爷爷"),
        ("奶", "奶奶"),
        ("奶奶", "奶奶"),
    ):
        RELATIONS.setdefault(_mine + _kin, _rel)
# Who "她" can mean: the relations that name a woman (他 is not told apart: it is also written for her).
FEMALE_RELATIONS = frozenset(
    {
        "母亲",
        "奶奶",
        "姥姥",
        "外婆",
        "婆婆",
        "岳母",
        "大姨",
        "小姨",
        "姨妈",
        "姑姑",
        "舅妈",
        "婶婶",
        "大娘",
        "姐姐",
        "妹妹",
        "老姥娘",
        "太奶奶",
    }
    | {r for r in RELATIONS.values() if r[-1:] in ("婶", "姨", "姑", "姐") or r.endswith("大娘")}
)
NEGATIONS = ("不是", "没有", "不属于", "并非", "非", "没", "不")
_AGE_RE = re.compile(r"(?<![\d.])(\d{1,3})\s*(?:周岁|岁|多岁|了)")
_AGE_PREFIX_RE = re.compile(r"(?:今年|年龄|年纪|已经)\s*(\d{1,3})(?!\d)")
# 集: speech recognition's 级 ("评估结果是二集"), with the number in words as the normaliser leaves it there
_GRADE_RE = re.compile(r"([1-6一二三四五六])\s*(?:级|极|吉|集(?=[^团体中合]|$))")  # 极, 吉, 集: heard for 级
_GRADE_WORDS = {"一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6"}
_DIGITS_ONLY_RE = re.compile(r"^\s*(\d{1,3})\s*$")
# "老爷子88，", "我爸66，滕州的": a bare two- or three-digit number that is not a count, date, money or grade.
_BARE_AGE_RE = re.compile(
    r"(?<![\d.第每])(\d{2,3})(?![\d.%％级年元平张小时万个项条号月日天次倍人]|户(?![口籍]))"
)  # 户口: not 户
# A spoken number with 十 or 百 (七十六, 一百零二) the normaliser left in words: it turns them into digits where a
# clause ends or 岁/了 follow, not where the next word runs on ("俺娘七十六邹城的").
_SPOKEN_NUMBER_RE = re.compile(r"[零〇一二两三四五六七八九十百]{2,}")
_RUNS_INTO = ("city", "county", "status", "not_status", "economic", "relation")  # words an age runs into
# ...or the words a statement about the person goes on with ("俺姥姥八十四一样是低保", "九十都在薛城"), or it
# follows whom it is about ("俺婆婆呢她七十六"): never a number followed by a unit ("七十六块钱", "八十平").
_RUNS_ON_RE = re.compile(
    r"(?:也|都|一样|同样|不是|没|还|在|住|是|吃|户籍|户口|老家|评|属于|有啥|有什么|有没有|能|可以|咋|怎么|跟|和|比|差|的(?:老|低保|特困|人))"
)
_SPEAKER_RE = re.compile(
    r"(?<![他她你])(?:我|俺)(?=(?:今年|也|都|已经|自己)?\s*(?:\d{2,3}(?!\d)|[四五六七八九]十|一百)|呢|[和跟])"
)
_ONE_STARTS = "样起共直定般"  # 一样, 一起, 一共…: words that begin with 一
_UNIT_RE = re.compile(
    r"(?:元|块|毛|年|个|月|日|天|号|小时|分|万|千|米|平|斤|次|周|位|名|户(?![口籍])|人|条|项|张|床|多|余|来|度|倍|层|%)"
)
_AGE_LEAD_RE = re.compile(r"(?:也|都|今年|已经)$")
# "多少…一百还是二百": a number with another offered after it, in a question about money
_FIGURES_OFFERED_RE = re.compile(r"(?:块钱?|元)?(?:还是|或者|或是)[零〇一二两三四五六七八九十百\d]")
_MONEY_ASKED_RE = re.compile(r"多少|几个钱|钱|给|发|领|补贴|津贴")
_AFTER_PERSON_RE = re.compile(r"(?:呢)?(?:[，, ])?(?:她|他|俺|我)?(?:今年|已经|也|都)?")
_AFTER_NEGATION_RE = re.compile(r"(?:都|均|也都)(?:不是|没有|不)")
_CLAUSE_BREAK = ",，。.;；!！?？"
# "60岁以上的老人…", "80—89周岁": an age in a rule, not a person's age.
_RULE_AGE_AFTER_RE = re.compile(
    r"\s*(?:周岁|岁)?\s*(?:及|或)?(?:以上|以下|以内|往上|之间)|(?:周岁|岁)?(?:至|到|—|-|~|～)\d"
)
_RANGE_END_RE = re.compile(r"\d\s*(?:周岁|岁)?(?:至|到|—|-|~|～)\s*$")
# "过了八十的老人", "满80的低保老人": the age a group has passed, a rule's age, not someone's (the question
# reader's rule age uses the same words)
PASSED = r"(?:过了|满了?|超过|年满)"
PASSED_GROUP = r"\s*(?:周岁|岁)?\s*(?:以上)?的\s*(?:老|低保|特困|困难|失能|独居)"
# "枣庄七十多岁的老人都能享受啥": a decade of elders, no one's age (the question reader takes it as the rule's)
DECADE_GROUP = r"多岁的\s*老(?:人|年人)们?\s*(?:都|一般|能|可以|有|在)"
_DECADE_GROUP_RE = re.compile(DECADE_GROUP)
_SOMEONE_BEFORE_RE = re.compile(r"我|俺|咱")
_PASSED_BEFORE_RE = re.compile(PASSED + r"\s*$")
_PASSED_AFTER_RE = re.compile(PASSED_GROUP)
# "明年就一百了", "等她满一百呢": an age to come, not the person's age now (a what-if "要是到了80岁" is one).
_EACH_YEAR_RE = re.compile(r"每(?:多活|增加|增长|多长|长|过|大|多)?\s*$")
_FUTURE_AGE_RE = re.compile(r"(?:明年|明年就|明年满|过了年|等[他她]?满|等到|到)\s*$")


@dataclass(frozen=True)
class Entity:
    entity: str
    value: str
    start: int
    end: int

    def to_rasa(self, extractor: str) -> dict:
        return {
            "entity": self.entity,
            "value": self.value,
            "start": self.start,
            "end": self.end,
            "confidence_entity": 1.0,
            "extractor": extractor,
        }


_VOCAB_CACHE: Dict[int, List[Tuple[str, str, str]]] = {}
_PHONETIC_CACHE: Dict[int, phonetic.Index] = {}


def _vocabulary(kb: KB) -> List[Tuple[str, str, str]]:
    """(surface word, entity, value), longest words first; built once per KB."""
    cached = _VOCAB_CACHE.get(id(kb))
    if cached is None:
        cached = _VOCAB_CACHE[id(kb)] = _build_vocabulary(kb)
    return cached


def _build_vocabulary(kb: KB) -> List[Tuple[str, str, str]]:
    words: Dict[str, Tuple[str, str]] = {}
    for city_items in kb.items.values():
        for item in city_items:
            words[item.name] = ("item", item.name)
            for part in item.parts:
                words.setdefault(part.name, ("item", part.name))
    for name, synonyms in kb.regions.item_synonyms.items():
        words.setdefault(name, ("item", name))
        for s in synonyms:
            words.setdefault(s, ("item", name))
    for word, status in kb.regions.status_words.items():
        words.setdefault(word, ("status", status))
    for alias, city in kb.regions.city_aliases.items():
        if not alias.isascii():
            words.setdefault(alias, ("city", city))
    for word, (city, county) in kb.regions.county_city.items():
        words.setdefault(word, ("county", county))
    for word, rel in RELATIONS.items():
        words.setdefault(word, ("relation", rel))
    return sorted(((w, e, v) for w, (e, v) in words.items()), key=lambda x: -len(x[0]))


# not "要是不是特困" (if not 特困): 要是 + 不是
_UNSURE_BEFORE = re.compile(r"(?:不知道|不清楚|不确定|不晓得|(?<![要若])是不是|是否|有没有)[^，,。；;]{0,4}$")
_UNSURE_AFTER = re.compile(r"^[^，,。；;]{0,2}(?:不清楚|不知道|不确定|不晓得|说不准|忘了)")


def _unsure(text: str, start: int, end: int) -> bool:
    """ "不知道是不是低保户", "低保不清楚": the status is not known either way."""
    return bool(_UNSURE_BEFORE.search(text[max(0, start - 10) : start]) or _UNSURE_AFTER.match(text[end : end + 8]))


# "低保给取消了", "低保停了": a status taken away, said right after it
_TAKEN_AWAY_RE = re.compile(r"(?:给|被|让)?(?:取消|停发|停|撤销|撤|退|没|不吃)了|(?:给|被)(?:取消|停发|撤销)")


def _negated(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 3) : start]
    # "不是低保", "不吃地保了" (吃低保 is listed, 吃地保 is heard), "没领低保"
    return any(before.endswith(n + verb) for n in NEGATIONS for verb in ("", "是", "吃", "领")) or bool(
        _TAKEN_AWAY_RE.match(text, end)
    )


def _phonetic_index(kb: KB) -> phonetic.Index:
    cached = _PHONETIC_CACHE.get(id(kb))
    if cached is None:
        cached = _PHONETIC_CACHE[id(kb)] = phonetic.build_index(_vocabulary(kb))
    return cached


# Words of the policy facts (养老护理员, 护理型床位, 家庭养老床位…), heard as voice input writes them: the fact search
# matches characters, so "养老乎理员培训" is respelled first. Only words of three or more characters that are not
# already vocabulary (those the extractor reads by sound itself).
MIN_TOPIC_CHARS = 3


def _topic_index(kb: KB) -> phonetic.Index:
    cached = _TOPIC_CACHE.get(id(kb))
    if cached is None:
        known = {w for w, _, _ in _vocabulary(kb)}
        # and the words that ask what no document covers (养老金…涨: "养老今涨多少" is the same question)
        asked = {p for topic in outside_topics(kb) for ask in topic.asks for p in ask if all(map(phonetic.is_han, p))}
        topics = sorted(
            {t for t in [*(t for f in kb.facts for t in f.topics), *asked] if len(t) >= MIN_TOPIC_CHARS} - known,
            key=lambda t: -len(t),
        )
        cached = _TOPIC_CACHE[id(kb)] = phonetic.build_index([(t, "topic", t) for t in topics], phonetic.EMPTY_DATA)
    return cached


_TOPIC_CACHE: Dict[int, phonetic.Index] = {}


def respell_topics(text: str, kb: Optional[KB] = None) -> str:
    """ "枣庄对养老乎理员培训有啥要求" -> "…养老护理员培训…": policy words heard by sound, written as the facts write
    them (offsets unchanged). Kept for the latest messages: a turn asks it of the same words several times."""
    kb = kb or default_kb()
    key = (id(kb), text)
    said = _RESPELLED.get(key)
    if said is None:
        said = _RESPELLED[key] = phonetic.respell(text, _topic_index(kb))
        while len(_RESPELLED) > EXTRACT_CACHE_SIZE:
            _RESPELLED.popitem(last=False)
    return said


_RESPELLED: "OrderedDict[Tuple[int, str], str]" = OrderedDict()


# A turn reads its message twice, in the same process: the NLU pipeline, then the action's question reader. The
# entities of the latest messages are kept (Entity is immutable), keyed by the KB they were read with.
_EXTRACTED: "OrderedDict[Tuple[int, str, date], Tuple[Entity, ...]]" = OrderedDict()
EXTRACT_CACHE_SIZE = 512


def extract(text: str, kb: Optional[KB] = None) -> List[Entity]:
    kb = kb or default_kb()
    key = (id(kb), text, today())  # a birth date's age changes with the day
    found = _EXTRACTED.get(key)
    if found is None:
        found = _EXTRACTED[key] = tuple(_extract(text, kb))
        while len(_EXTRACTED) > EXTRACT_CACHE_SIZE:
            _EXTRACTED.popitem(last=False)
    return list(found)


def _extract(text: str, kb: KB) -> List[Entity]:
    taken = [False] * len(text)
    found: List[Entity] = []

    def take(start: int, end: int, entity: str, value: str) -> None:
        for i in range(start, end):
            taken[i] = True
        if entity == "status" and value in ECONOMIC and _unsure(text, start, end):
            found.append(Entity("economic", UNSURE, start, end))
            return
        negated = entity == "status" and _negated(text, start, end)
        found.append(Entity("not_status" if negated else entity, value, start, end))
        if entity == "status" and value in ECONOMIC:
            # The same words answer the planner's economic question ("不是低保" answers it too).
            found.append(Entity("economic", NEITHER if negated else value, start, end))

    # Words heard rather than written (底保, 聊成): where exact lookup matched nothing, longest first, a sound
    # match taken before the exact matches of shorter words, as exact matches are among themselves.
    # Only over what NLU reads of a message (MAX_NLU_CHARS: a minute of WeChat speech is far less): the sound
    # search costs per character, and a 10,000-character paste must not cost it.
    sounds = phonetic.find(text[:MAX_NLU_CHARS], _phonetic_index(kb))
    k = 0
    for word, entity, value in _vocabulary(kb):
        while k < len(sounds) and sounds[k][1] - sounds[k][0] > len(word):
            s, e, entry = sounds[k]
            k += 1
            if not any(taken[s:e]):
                take(s, e, entry.entity, entry.value)
        start = text.find(word)
        while start != -1:
            end = start + len(word)
            if not any(taken[start:end]):
                take(start, end, entity, value)
            start = text.find(word, end)
    for s, e, entry in sounds[k:]:
        if not any(taken[s:e]):
            take(s, e, entry.entity, entry.value)
    # "我姑娘" is a daughter, not an aunt
    found = [f for f in found if not (f.entity == "relation" and f.value == "姑姑" and text[f.end : f.end + 1] == "娘")]
    found.extend(_born(text, taken))
    found.extend(_numbers(text, taken, found))
    found = _not_assessed(text, found)
    found.extend(_couple(text, taken))
    found.extend(_speaker(text, taken))
    found.extend(_spoken_ages(text, taken, found))
    found = _negate_listed_before(text, found)
    found = _not_the_deceased(text, found)
    return sorted(found, key=lambda e: e.start)


# "俺爹前年走了", "我丈夫是他们唯一的孩子，已经去世了": someone who died is no one to work out an answer for (their
# loss may be the others' status: household's only-child reading). Not "俺娘低保没了" (没了 said of a status).
_DECEASED_AFTER_RE = re.compile(
    r"(?:是[^，,。？?！!]{0,10}?(?:孩子|儿子|闺女|女儿|独生[子女])[，,]?)?"
    r"(?:已经|早就|早|前些年|前几年|去年|前年|年前|那年|\d{4}年)?(?:就)?(?:出车祸|出事故|出事|病|因病)?"
    r"(?:去世|过世|不在了|病逝|病故|亡故|离世|死了|走了|没了|故去)"
)


def _not_the_deceased(text: str, found: List[Entity]) -> List[Entity]:
    # every mention of someone said to have died ("她就我丈夫一个孩子，我丈夫前年出车祸走了")
    died = {e.value for e in found if e.entity == "relation" and _DECEASED_AFTER_RE.match(text, e.end)}
    return [e for e in found if not (e.entity == "relation" and (e.value in died or _siblings(text, e)))]


def _siblings(text: str, e: Entity) -> bool:
    """ "俺们兄弟仨", "兄弟姐妹": the writer's siblings together, not one person asked about."""
    return e.value in ("兄弟", "姐妹") and (
        text[e.end : e.end + 1] in ("仨", "俩", "们", "几", "两", "三", "四", "姐", "兄")
        or text[max(0, e.start - 1) : e.start] in ("们", "弟")
    )


NOT_ASSESSED = "无"  # the value of an ability grade said not to exist yet ("还没做过能力评估")
_NOT_ASSESSED_RE = re.compile(
    r"(?:没有|还没有|还没|没|未)(?:做过|做|评过|评|参加过)?(?:老年人)?(?:能力)?(?:综合)?评估(?:过)?"
)
_ASKED_AFTER_RE = re.compile(r"[^，,。]{0,3}?(?:去哪|哪里|在哪|怎么|咋|找谁|找哪|吗|能不能|要不要|[?？])")


def _not_assessed(text: str, found: List[Entity]) -> List[Entity]:
    """ "她其实还没做过能力评估": no grade yet, a fact (it takes back a grade said before), not the assessment
    asked about; unless asked about right after ("没做过评估 去哪做")."""
    if any(e.entity == "ability_grade" for e in found):
        return found
    m = _NOT_ASSESSED_RE.search(text)
    if not m or _ASKED_AFTER_RE.match(text, m.end()):
        return found
    kept = [e for e in found if not (e.entity == "item" and m.start() <= e.start < m.end())]
    return kept + [Entity("ability_grade", NOT_ASSESSED, m.start(), m.end())]


def _negate_listed_before(text: str, found: List[Entity]) -> List[Entity]:
    """ "低保特困都不是": statuses listed before 都不是 in the same clause are negated, i.e. those with a 都不是
    after them and no clause break in between (one pass: a long message costs linear time)."""
    negations = [m.start() for m in _AFTER_NEGATION_RE.finditer(text)]
    if not negations:
        return found
    breaks = [i for i, c in enumerate(text) if c in _CLAUSE_BREAK]
    out = []
    for e in found:
        i = bisect.bisect_right(negations, e.start)  # the first 都不是 after the entity's start
        j = bisect.bisect_left(breaks, e.start)  # the first clause break from it on
        if i < len(negations) and (j == len(breaks) or breaks[j] >= negations[i]):
            if e.entity == "status":
                e = Entity("not_status", e.value, e.start, e.end)
            elif e.entity == "economic" and e.value != UNSURE:  # "是不是低保…都不": still not known either way
                e = Entity("economic", NEITHER, e.start, e.end)
        out.append(e)
    return out


def _numbers(text: str, taken: List[bool], found: Sequence[Entity] = ()) -> List[Entity]:
    out: List[Entity] = []
    for m in _GRADE_RE.finditer(text):
        window = text[max(0, m.start() - 8) : m.end() + 4]
        grade = _GRADE_WORDS.get(m.group(1), m.group(1))
        # 残疾 heard by sound ("蚕疾证…二级") counts as the word written
        disabled = any(
            e.entity == "status" and e.value == "残疾" and m.start() - 8 <= e.start < m.end() + 4 for e in found
        )
        if "残" in window or "伤" in window or disabled:
            out.append(Entity("disability_grade", grade, m.start(1), m.end(1)))
        elif any(k in window for k in ("评", "能力", "失能", "照护", "护理")):  # 评估, 评了2级, 评成3级, 护理补贴
            out.append(Entity("ability_grade", grade, m.start(1), m.end(1)))
    starts_inside = {i for e in out for i in range(e.start, e.end)}  # a set: linear in a long message
    for regex in (_AGE_RE, _AGE_PREFIX_RE, _DIGITS_ONLY_RE, _BARE_AGE_RE):
        for m in regex.finditer(text):
            if m.start(1) in starts_inside or any(taken[m.start(1) : m.end(1)]):
                continue
            if text[m.end(1) : m.end(1) + 1] == "级":
                continue
            if regex is _BARE_AGE_RE and not 40 <= int(m.group(1)) <= MAX_AGE:
                continue
            before = text[max(0, m.start(1) - 6) : m.start(1)]
            rule_or_future = (
                _RULE_AGE_AFTER_RE.match(text, m.end(1))
                or _RANGE_END_RE.search(before)
                or _FUTURE_AGE_RE.search(before)
                or (_PASSED_BEFORE_RE.search(before) and _PASSED_AFTER_RE.match(text, m.end(1)))
            )
            if rule_or_future or _EACH_YEAR_RE.search(before):  # "每多活一岁": a step of a rule, no one's age
                continue
            if _DECADE_GROUP_RE.match(text, m.end(1)) and not _SOMEONE_BEFORE_RE.search(text[: m.start(1)]):
                continue
            out.append(Entity("age", m.group(1), m.start(1), m.end(1)))
            starts_inside.update(range(m.start(1), m.end(1)))
    return out


# "1945年3月生的", "一九四六年十一月三十生的": a birth date, the age it gives today
_CN_DIGIT = "〇零一二三四五六七八九"
_BORN_RE = re.compile(
    r"(?P<y>19\d\d|20[0-2]\d|[一][九][〇零一二三四五六七八九]{2}"
    r"|(?<![\d〇零一二三四五六七八九十])(?:[2-5]\d|[二三四五][〇零一二三四五六七八九]))\s*年"  # "四七年一月生的": 1947
    r"(?:(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月份?)?"
    r"(?:(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号]?)?\s*(?:出生|生的|生人|的生日|生日|生)"
)


def _number(said: Optional[str]) -> Optional[int]:
    if not said:
        return None
    if said.isdigit():
        return int(said)
    if all(c in _CN_DIGIT for c in said):  # 一九四六: digit by digit
        return int("".join(str(_CN_DIGIT.index(c) - (1 if _CN_DIGIT.index(c) > 0 else 0)) for c in said))
    try:
        return int(cn2an.cn2an(said, "smart"))
    except (ValueError, KeyError):
        return None


def _year(said: Optional[str]) -> Optional[int]:
    year = _number(said)
    return year + 1900 if year is not None and year < 100 else year  # "四七年": 1947


def born_on(text: str) -> Optional[Tuple[int, Optional[int], Optional[int]]]:
    """The birth date said (year, month, day; month and day when said), or None."""
    for m in _BORN_RE.finditer(text):
        year, month, day = _year(m.group("y")), _number(m.group("m")), _number(m.group("d"))
        if year is not None and (month is None or 1 <= month <= 12) and (day is None or 1 <= day <= 31):
            return year, month, day
    return None


def _born(text: str, taken: List[bool]) -> List[Entity]:
    """The age today of someone born on the date said; by the year alone, the age reached after mid-year."""
    out: List[Entity] = []
    now = today()
    for m in _BORN_RE.finditer(text):
        year, month, day = _year(m.group("y")), _number(m.group("m")), _number(m.group("d"))
        if year is None or any(taken[m.start() : m.end()]) or not (month is None or 1 <= month <= 12):
            continue
        birthday = (month or 7, day or 1)
        age = now.year - year - (1 if (now.month, now.day) < birthday else 0)
        if 0 < age <= MAX_AGE:
            out.append(Entity("age", str(age), m.start(), m.end()))
            for i in range(m.start(), m.end()):
                taken[i] = True
    return out


# "俺两口子", "我们老两口": the one who writes and their spouse
_COUPLE_RE = re.compile(r"(?<![他她你])(?P<me>俺|我|咱)(?:们)?(?:家)?(?P<us>老?两口子?)")


def _couple(text: str, taken: List[bool]) -> List[Entity]:
    """ "俺两口子都六十八了": two people, the writer (本人, on 俺) and the spouse (老伴, on 两口子)."""
    out: List[Entity] = []
    for m in _COUPLE_RE.finditer(text):
        if any(taken[m.start() : m.end()]):
            continue
        out.append(Entity("relation", "本人", m.start("me"), m.end("me")))
        out.append(Entity("relation", "老伴", m.start("us"), m.end("us")))
        for i in range(m.start(), m.end()):
            taken[i] = True
    return out


def _speaker(text: str, taken: List[bool]) -> List[Entity]:
    """ "我65岁", "俺七十四也是低保", "那俺呢", "我和老伴": the one who writes, stating their own age or asking about themselves
    after someone else (本人). Not "我们", nor 我 before a relation word (我爸 is matched as a whole before)."""
    return [Entity("relation", "本人", m.start(), m.end()) for m in _SPEAKER_RE.finditer(text) if not taken[m.start()]]


def _spoken_ages(text: str, taken: List[bool], found: List[Entity]) -> List[Entity]:
    """ "俺娘七十六邹城的", "俺爹八十五滕州的 低保": an age said without 岁, running into a place, status or relation
    word (speech recognition writes no punctuation). Read as an age when it is one (40 to MAX_AGE, as bare ages),
    not a count or an ordinal (第/每 before it)."""
    starts = {e.start for e in found if e.entity in _RUNS_INTO}
    people_end = [e.end for e in found if e.entity == "relation"]
    out: List[Entity] = []
    for m in _SPOKEN_NUMBER_RE.finditer(text):
        num, start, end = m.group(), m.start(), m.end()
        if num.endswith("一") and text[end : end + 1] in _ONE_STARTS:  # "八十四一样": 一 begins the next word
            num, end = num[:-1], end - 1
        inner = [s for s in starts if start < s < end]
        if inner:  # "八十七四水的": 四 begins a place heard (泗水)
            num, end = text[start : min(inner)], min(inner)
        if not ("十" in num or "百" in num) or any(taken[start:end]):
            continue
        said_of_someone = any(_AFTER_PERSON_RE.fullmatch(text, e, start) for e in people_end if e <= start)
        # "七十二周城": 周 begins a place heard (邹城), not a unit
        # "也是七十六、低保、评估二级": a list of facts, the age its first
        listed = text[end : end + 1] in "、，, " and end + 1 in starts
        # "俺舅爷在聊城莘县也九十五他能领多少": 也/都/今年 before a number of years is someone's age
        listed = listed or bool(_AGE_LEAD_RE.search(text, max(0, start - 2), start))
        if not (end in starts or listed or said_of_someone or _RUNS_ON_RE.match(text, end)) or (
            _UNIT_RE.match(text, end) and end not in starts
        ):
            continue
        if text[max(0, start - 1) : start] in ("第", "每"):
            continue
        if _PASSED_BEFORE_RE.search(text[max(0, start - 4) : start]) and (
            _PASSED_AFTER_RE.match(text, end) or (not people_end and "等" not in text[max(0, start - 5) : start])
        ):
            continue  # "过了八十的老人", "高龄津贴…过了九十是不是给得多" (no one named; not "等过了九十"): a rule's
        if not said_of_someone and _FIGURES_OFFERED_RE.match(text, end) and _MONEY_ASKED_RE.search(text[:start]):
            continue  # "一个月到底多少 一百还是二百": figures offered as the answer, not an age
        try:
            value = int(cn2an.cn2an(num, "smart"))
        except (ValueError, KeyError):
            continue
        if 40 <= value <= MAX_AGE:
            out.append(Entity("age", str(value), start, end))
    return out
