"""What a message asks, read from its words: the kind of question, the items it is about (by name or by what
they cover), whether it concerns a person or a rule for everyone, and the people it names.

Pure and deterministic: the text is normalised and its entities come from bot.nlu.extractor, the same extractor
the NLU pipeline runs, so the action reads a message the way the NLU did. The intent the classifier chose
is only a tie-breaker where the words say nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

import cn2an

from bot.dialogue import reader
from bot.nlu.extractor import DECADE_GROUP, PASSED, PASSED_GROUP, Entity, extract, respell_topics
from bot.nlu.normaliser import core as core_of
from bot.nlu.social import GOODBYE, GREET, THANK, social_kind
from rules_kb import KB, brief, default_kb, fact_match_score, find_facts, items_by_content, resolve_place

# Kinds of question.
ENTITLEMENTS = "entitlements"  # everything a person gets
ITEM = "item"  # one item (or a few): yes/no, amount, agency, conditions, how to apply
WHY_NOT = "why_not"
COMPARE = "compare"
POLICY = "policy"  # a fact of the measures (targets, deadlines, programmes)
DETAIL = "detail"  # the full answer for the person in the conversation
FACTS = "facts"  # only facts about the person (an answer to a question, a correction, a what-if)
DONT_KNOW = "dont_know"
OUT_OF_SCOPE = "out_of_scope"
UNCLEAR = "unclear"
HANDOFF = "handoff"  # wants a person: 转人工, 打电话问问, or angry/urgent and asking nothing else
CONSENT = "consent"  # 同意: yes to a case code (the action makes one only right after the offer)
FEEDBACK = "feedback"  # the last answer did not help: 没用, 不对, 听不懂, 答非所问
USEFUL = "useful"  # the last answer helped: 有用

# Aspects of an item question.
YESNO, AMOUNT, AGENCY, CONDITIONS, APPLY, ABOUT = "yesno", "amount", "agency", "conditions", "apply", "about"

_DETAIL_RE = re.compile(
    r"^(?:请|麻烦)?(?:看看|查看|给我)?(?:详细|详情|具体|明细|全部|完整|展开)(?:的|一点|一些|点|说说|内容|信息|列表|清单)*$"
)
_NO_FIGURE_RE = re.compile(
    r"没(?:个|有)?(?:具体|准|确切|明确)?(?:的)?(?:数|金额|标准|钱数)|(?:不|没)(?:写|给|说|列)(?:个|出)?(?:具体|准|确切|明确)?"
    r"(?:的)?(?:数|金额|多少|钱数)|没说给多少"
)
_WHY_RE = re.compile(r"为什么|为啥|为何|咋没|怎么没|凭什么|咋不|怎么不能|怎么领不到|咋领不到|为甚么")
_COMPARE_RE = re.compile(
    r"比较|对比|相比|哪个\S{0,6}?(?:高|多|少|低)(?!保)|哪里高|哪里多|哪边|区别|差别|差多少|差在哪|差哪|(?<!实际)(?<!真实)不一样|一样吗|"
    r"一样不|有啥不同|有什么不同|(?<!占)比\S{1,4}(?:高|多|少|低)|谁的\S{0,6}?(?:多|高)(?!少)|谁(?:拿|领|得)得?(?:多|高)"
)
_APPLY_RE = re.compile(
    r"申请|办了|帮我办|代办|帮办|给办|怎么办|咋办|办理|去哪|到哪|在哪办|哪里办|怎么领|咋领|怎样领|上哪|哪儿办|"
    r"手续|材料|怎么弄|咋弄|流程|去哪儿"
)
_AGENCY_RE = re.compile(
    r"哪个部门|什么部门|啥部门|哪个单位|哪个局|找谁|找哪|谁管|谁负责|谁发|负责|牵头|主管|归哪|哪管|问谁|谁来"
    r"|是\S{1,8}?(?:局|委|部门|单位)(?:发|管|办|出)"  # "这个钱是民政局发的吧": an agency guessed
)
_CONDITION_RE = re.compile(
    r"条件|几级|才行|够格|什么人|哪些人|啥人|啥样|什么样|哪样的|谁能|谁可以|资格|户籍|户口|要求|"
    r"够不够|算不算|才能|几岁|多大|多少岁|年龄|符合|标准是什么"
)
_AMOUNT_RE = re.compile(r"多少|几块|多钱|几百|几十|金额|标准|给多少|发多少|钱数|啥价")
_YESNO_RE = re.compile(
    r"吗|么|嘛|不[？?]?$|能不能|是不是|有没有|可不可以|可以不|要不要|用不用|中不中|管不管|行不行|收不收|要钱|收费|免费|能否|是否"
)
# "Everything this person gets": strong cues mean the whole list even when a service is mentioned in passing;
# weak ones only when no item is meant ("枣庄百岁老人每月多少" is about 高龄津贴).
_WIDE_RE = re.compile(
    r"领什么|领啥|领哪些|享受什么|享受啥|享受哪些|能享受|什么待遇|啥待遇|哪些待遇|有什么|有啥|有哪些|都给啥|给点啥|"
    r"给啥|啥政策|什么政策|哪些政策|什么补贴|啥补贴|哪些补贴|哪些服务|什么服务|啥服务|能领多少|到手|国家给|发啥|"
    r"发什么|什么钱|啥钱|能拿啥|能拿什么|能帮上|提供啥|提供什么|提供哪些|管不管"
)
# Whether one must apply at all ("得自己去申请不", "人家主动给发", "用不用申请")
_MUST_APPLY_RE = re.compile(r"(?:自己|得|要|需要|用|必须|用不用)(?:去|来)?申请|主动(?:给)?发|免申请|不用申请")
_ENTITLE_RE = re.compile(r"能领|可以领|能拿|能得|享受|待遇|福利|补助|照顾|优待|给发|一个月多少|每月多少")
_DONT_KNOW_RE = re.compile(r"不知道|不清楚|不晓得|不确定|说不准|说不好|忘了|不太清楚|不了解|没数")
_DENY_RE = re.compile(r"^(?:都?不是|没有|都没有|不是的|都不|没|不|无|均不是|两个都不是|都不沾|啥也不是)[。.!！,，]*$")
_FIRST_PERSON_RE = re.compile(r"我|俺|咱|本人|家里|家老")
_TO_THE_WRITER_RE = re.compile(
    r"(?:给|跟|和|同|向)(?:俺|我)(?:说|讲|介绍|解释|列|算)|告诉(?:俺|我)|(?:俺|我)想(?:问|知道|了解|打听)|(?:俺|我)(?:问|打听)一?下"
    r"|(?:俺|我)(?:记得|听说|听人说|看到|看见|寻思|觉得)"  # "我记得以前文件说的是55%": what the writer recalls
    r"|(?:俺|我)看(?=[^，,。？?]{0,8}(?:文件|通知|网上|新闻|报纸|说))"  # "我看2020年的文件说是55%"
)
# Words that ask something; a message without any only states facts ("他是特困，在敬老院住着").
_ASKS_RE = re.compile(
    r"[？?]|[不没]$|吗|么|呢|嘛|多少|(?<![前这那好])几(?!年前)|啥|什么|哪|怎|咋|谁|能不能|是不是|有没有|可不可以|要不要|"
    r"中不中|管不管|行不行"
)  # not "前几年", "这几天", "好几个": a time or a number said, not asked
# "65岁以上的老人…": the age of a rule, not of a person.
_RULE_AGE_RE = re.compile(
    r"(\d{2,3})\s*(?:周岁|岁)\s*(?:及|或)?(?:以上|往上)|(百岁)"
    r"|"
    + PASSED
    + r"\s*(\d{2,3}|[六七八九]十|一百)"
    + PASSED_GROUP
    + r"|(?<![\d一二三四五六七八九十百])([6-9]\d|100|[六七八九]十[一二三四五六七八九]?|一百)\s*(?:以上|往上)(?!\d)"
    + r"|(?<!\d)([6-9]0)"
    + DECADE_GROUP
)  # "过了八十的老人", "六十五往上" too
# "明年满65能多啥", "过了年九十了高龄补贴涨不": what the next birthday brings.
# "要是活到一百岁", "等他到九十": an age to come, said by the age itself
_TO_AN_AGE = r"(?:活|等.{0,2})到\s*(?:\d{2,3}|[五六七八九]十|一百)"
_AHEAD_RE = re.compile(
    r"明年|过了年|过年|到时候|等.{0,3}满|多出|会多|能多|多啥|多了?(?:哪些|啥|什么)|有啥新的|有什么新的|" + _TO_AN_AGE
)
_TIME_AHEAD_RE = re.compile(r"明年|过了年|过年|到时候|等.{0,3}满|" + _TO_AN_AGE)
# "想住进敬老院", "要不要": a wish, a choice or a need asks about what follows, even without a question word
_WISH_RE = re.compile(r"想|打算|准备|还是|要")
# A question that matches a policy fact this well is about the measures (fact_match_score).
POLICY_SCORE = 12
STRONG_POLICY_SCORE = 20  # a measure's own words (品牌, 十助, 连锁化): above any item question's score by content
_HYPOTHETICAL_RE = re.compile(r"如果|要是|假如|假设|万一|若是|倘若|换成|改成")
# A rule for everyone: "60岁以上的老人", "百岁老人", "低保老人能…" without anyone in particular.
_ALSO_RE = re.compile(
    r"还有(?:别的|啥|什么|其他|其它|哪些)|别的还有|其[他它]的?还有|另外还有|还能(?:领|享受|拿)(?:啥|什么|哪些)|"
    r"除了.{1,10}?还|"
    # "有啥福利没 坐公交要钱不": everything the person gets, asked beside an item
    r"有(?:啥|什么|哪些)(?:福利|待遇|好处)|(?:能|可以)(?:领|享受|拿)(?:啥|什么|哪些)(?:福利|待遇|补贴|政策)?(?:没|吗)?\s"
)
_RULE_RE = re.compile(
    r"以上|以下|百岁|老年人|老人家?们|的老人|哪些老人|什么样的老人|所有老人|每个老人|一般|"
    r"(?:困难|低保|特困|失独|高龄|残疾|失能)老人|老人都"
)
# Questions about the measures (targets, dates, facilities) rather than a person's entitlements.
_POLICY_RE = re.compile(
    r"面积|补建|占比|要建|建多少|用房|配多大|新建小区|老旧小区|依据的是|哪个文件|什么文件|统计|"
    r"什么时候|何时|哪年|(?<![好这前近])几年(?!了)|目标|覆盖|全覆盖|建成|建设|达到|比例|平方米|多少张|多少家|多少个|配建|培训率|"
    r"覆盖率|床位|护理型|时间银行|助餐|食堂|年底前|规划|试点|人才|护理员|彩票公益金|家庭养老床位|认知障碍|"
    r"20\d\d\s*[—\-－~至到]\s*20\d\d|多少户|几户|改多少"
)
# A document named by what it is: its facts are asked, not a person's items
_DOCUMENT_RE = re.compile(r"条例|行动方案|实施方案|实施意见|三年行动|办法|通知")
# What a measure sets ("有啥要求", "目标是多少"): with the words of a measure and no item or person, a policy question.
_MEASURE_ASK_RE = re.compile(r"要求|目标|任务|措施|规定|怎么定的|定的是")
# “十助、常陪、四解”: a name in quotation marks is a title to look up, not words of a person's situation.
_QUOTED_RE = re.compile(r"[“\"「『]([^”\"」』]{2,24})[”\"」』]")
# Places outside the three cities: a question about them is out of scope, not a question about 济宁/枣庄/聊城.
_OTHER_PLACES_RE = re.compile(
    r"北京|上海|天津|重庆|济南|青岛|烟台|潍坊|淄博|临沂|泰安|德州|菏泽|日照|威海|滨州|东营|"
    r"广州|深圳|杭州|南京|苏州|徐州|郑州|武汉|成都|西安|沈阳|哈尔滨|长春|石家庄|太原|合肥|"
    r"外省|省外"
)
# "户口在河南": registered outside the three cities (the 本市户籍 of an item's proviso is then not met).
_REGISTERED_ELSEWHERE_RE = re.compile(
    r"(?:户口|户籍)(?:本)?(?:还)?(?:在|是|落在|属于)?(?:外地|老家|河南|河北|江苏|安徽|浙江|山西|陕西|湖北|湖南|"
    r"江西|福建|广东|广西|云南|贵州|四川|甘肃|青海|内蒙|辽宁|吉林|黑龙江|新疆|西藏|宁夏|海南|"
    + _OTHER_PLACES_RE.pattern
    + r")|(?:不是|没有)(?:本市|本地)(?:户口|户籍)"
)
# A person is wanted. Nothing in the knowledge base is called 热线/电话/人工, so these words are never a topic.
_HANDOFF_RE = re.compile(
    r"转人工|人工客服|人工服务|找人工|要人工|转接人工|真人|接线员|打个?电话问|电话咨询|打电话咨询|客服电话|咨询电话|"
    r"人工热线|服务热线|热线电话"
)
_OPERATOR_RE = re.compile(r"(?:我|俺)是[^，,。；;？?！!]{0,10}(?:接线员|热线|坐席|话务员)(?:的)?(?:工作人员)?")
# Angry or urgent: the hotline is offered with whatever else is answered. Not 骗 alone ("被人骗了钱" is a topic).
_URGENT_RE = re.compile(
    r"气死|急死|太急了|很急|着急|急事|紧急|救命|投诉|骗子|骗人|什么破|破玩意|破机器|垃圾|废物|烦死|气人|"
    r"不像话|太差劲|你啥也不懂|你什么都不懂|你什么也不懂"
)
# Whole messages only: "不对，是济宁的" corrects a fact, a bare "不对" says the answer was wrong.
_FEEDBACK_RE = re.compile(
    r"^(?:你|你的|你说的|说的|回答|答案|这个|这)?(?:都|全|根本|完全)?(?:没用|没有用|没啥用|没什么用|不对|不对不对|"
    r"听不懂|看不懂|答非所问|不是我问的|牛头不对马嘴|没帮助|没帮上忙?|错了|说错了|不准|不靠谱)(?:啊|呀|吧|的|了)?$"
)
_USEFUL_RE = re.compile(r"^(?:很|挺|太|真|非常)?(?:有用|有帮助|管用)(?:了|啊|呀|的)?$")
_CONSENT_RE = re.compile(r"^(?:我|好的?|可以|行)?[，, ]*同意(?:的|了)?(?:生成)?(?:查询码)?$")
_SEVERAL_RE = re.compile(r"老两口|两口子|俩|两个|一个\S{0,6}一个|都是|都在|分别|和我|跟我")

ASSESSMENT = "老年人能力综合评估"
PROFILE_ENTITIES = (
    "city",
    "county",
    "age",
    "status",
    "not_status",
    "ability_grade",
    "disability_grade",
    "relation",
    "economic",
)


@dataclass(frozen=True)
class Person:
    """One of several people named in one message."""

    relation: Optional[str]
    age: int


@dataclass(frozen=True)
class Question:
    kind: str
    aspect: str = ABOUT
    items: Tuple[str, ...] = ()  # item names as the lists write them (any city)
    cities: Tuple[str, ...] = ()  # cities named in this message, in order
    personal: bool = False  # about someone in particular (我爸, an age), not a rule for everyone
    people: Tuple[Person, ...] = ()  # two or more people in one message
    hypothetical: bool = False
    policy_cue: bool = False  # words of the measures (目标, 什么时候, 床位…): a policy fact may be meant
    asks: bool = True  # the message asks something (else it only states facts)
    rule_age: Optional[int] = None  # "65岁以上的老人…": the age a rule question is about
    ahead: bool = False  # asks what the next birthday brings
    fallback: str = UNCLEAR  # for a POLICY guess: what it is when no policy fact matches
    urgent: bool = False  # angry or urgent words: the hotline is offered with the answer
    text: str = ""
    entities: Tuple[Entity, ...] = ()
    items_named: bool = False  # the items were named ("高龄津贴怎么申请"), here or in the question it continues
    registered_elsewhere: bool = False  # "户口在河南": the person's household registration is not in the city
    also: bool = False  # "…一个月给多少？还有别的吗？": everything else the person gets is asked too
    since_age: Optional[int] = None  # "六十五往上又多了啥" after 60's rule: the age compared with

    def has(self, entity: str) -> bool:
        return any(e.entity == entity for e in self.entities)

    @property
    def statuses(self) -> FrozenSet[str]:
        """The statuses this message names (of a group or of the person)."""
        return frozenset(str(e.value) for e in self.entities if e.entity == "status")


# "不是邹城，是滕州", "户口不在聊城": a place said not to be the person's.
_NEGATED_PLACE_RE = re.compile(r"(?:不是|不在|并非|不住|不属于)\s*$")


def negated_place(text: str, start: int) -> bool:
    return bool(_NEGATED_PLACE_RE.search(text[max(0, start - 4) : start]))


def _cities(kb: KB, entities: Sequence[Entity], text: str = "") -> Tuple[str, ...]:
    out: List[str] = []
    for e in entities:
        if e.entity in ("city", "county") and not negated_place(text, e.start):
            try:
                city = resolve_place(kb, e.value)[0]
            except ValueError:
                continue
            if city not in out:
                out.append(city)
    return tuple(out)


# Words that state where a person is registered or lives ("户口也在邹城", "住在薛城"): facts, not the item
# 自愿随子女迁移户口 asked about.
_STATED_BEFORE_RE = re.compile(r"(?:在|住在|住进|正在|已经|一直|领着|享受着|吃着|办了|有了)[^，,。？?！!]{0,6}$")
_ASK_AFTER_RE = re.compile(r"[^，,。]{0,4}?(?:吗|多少|怎么|咋|有没有|能不能|可以吗|行不行|要钱|收费|交钱|花钱|[?？])")
# "常年跑医院，他能享受啥": an open question of what the person gets, after the item's words, makes them a fact
_OPEN_ASK_RE = re.compile(
    r"(?:能|可以|可|都|还)?(?:享受|领|拿|得)(?:到|上)?(?:些|点)?(?:啥|什么|哪些)"
    r"(?:待遇|政策|补贴|福利|好处|照顾|保障)?\s*[吗呢啊呀？?。！!]*$"
)
_ASKING_OF_RE = re.compile(r"问|咨询|了解|关于|打听")  # "想问问适老化改造 能享受啥": the item is asked
_LIVING_FACT_RE = re.compile(
    r"(?:在|住在|住进了?|进了)(?:敬老院|养老院|福利院|养老机构)里?(?:住着|住|集中供养|养老|生活)?"
)
_GRADE_SAID_RE = re.compile(
    r"(?:(?:老年人)?(?:能力|身体|失能)(?:综合)?)?(?:评估|评定|评|等级)+(?:结果)?(?:为|是|了|成|上|出来是)?\s*$"
)
_PLACE_OWNED_RE = re.compile(r"(?:的)?(?:本地)?(?:户口|户籍|人)")
_PLACE_FACT_RE = re.compile(
    r"(?:户口|户籍|人)(?:也|都|一直|还)?(?:在|落在|是|迁到了|迁过来了)|(?:户口|户籍)(?=\s*\S{2,3}[市县区]?)|"
    r"住在|住|家在"
)


# Statuses of a family (its only child lost or disabled), not of one person: both parents have them
FAMILY_STATUSES = ("失独", "独生子女伤残")
_FAMILY_KIND_RE = re.compile(r"计划生育特殊家庭|计生特殊家庭|计划生育家庭|特殊家庭")


def _without_entities(text: str, entities: Sequence[Entity]) -> str:
    """The text with places, ages, statuses and relations blanked, and the words that state a place, for the
    search by content."""
    chars = list(text)
    spans = [(e.start, e.end) for e in entities if e.entity != "item"]
    places = [e for e in entities if e.entity in ("city", "county")]
    spans += [m.span() for m in _PLACE_FACT_RE.finditer(text) if any(0 <= p.start - m.end() <= 2 for p in places)]
    # "能力评估3级", "评了2级": the person's grade, not the item of the assessment (nor one whose text names it)
    for g in (e for e in entities if e.entity in ("ability_grade", "disability_grade")):
        said = _GRADE_SAID_RE.search(text[max(0, g.start - 10) : g.start])
        spans.append((g.start - (len(said.group()) if said else 0), g.end + (text[g.end : g.end + 1] == "级")))
    # "在敬老院住着", "住进养老院了": how the person lives, unless the words right after ask about it
    spans += [m.span() for m in _LIVING_FACT_RE.finditer(text) if not _ASK_AFTER_RE.match(text, m.end())]
    # "任城户口", "济宁的户籍": the place the person belongs to, not the item about moving one's 户口
    spans += [m.span() for m in _PLACE_OWNED_RE.finditer(text) if any(0 <= m.start() - p.end <= 1 for p in places)]
    # "计划生育特殊家庭 失独": the family's kind said beside the status it is, a fact like the status, not the
    # words of the items (探访, 委托) that name such families among others
    if any(e.entity == "status" and e.value in FAMILY_STATUSES for e in entities):
        spans += [m.span() for m in _FAMILY_KIND_RE.finditer(text)]
    for start, end in spans:
        for i in range(start, min(end, len(chars))):
            chars[i] = " "
    return "".join(chars)


def _items(kb: KB, text: str, entities: Sequence[Entity]) -> Tuple[str, ...]:
    """Items asked about, best first. What a message covers and the words naming an item both count:
    "去科技馆要门票吗" is about 进入公共文化设施 (its content names 科技馆) more than 参观公园 (门票).
    All cities' wording counts: 济宁's list says "等场所" where 枣庄's names 科技馆; the item is the same.
    An item called by its own name ("高龄津贴有没有", heard as 高零津贴 too) comes first."""
    named = tuple(dict.fromkeys(e.value for e in entities if e.entity == "item"))
    # a word people use for several cities' items of one kind ("装扶手": 适老化改造) names each item it ends
    kinds = tuple(n for v in named for n in _items_of_kind(kb, v))
    found = [i.name for i in items_by_content(kb, _without_entities(text, entities), named=named + kinds)]
    own = [
        e.value for e in entities if e.entity == "item" and e.end - e.start == len(e.value) and e.value in kb.item_names
    ]
    group = _of_the_group(kb, named, entities)
    if group:  # the group's own item, not the same word in another item (85元 is 低保's 护理补贴)
        return tuple(dict.fromkeys(group + own))[:3]
    if len(named) >= 2:  # "在家供养跟去敬老院供养有啥区别": two items named, each by what people call it
        own = own + [n for n in named if n not in own]
    return tuple(dict.fromkeys(own + found + list(kinds)))[:3] or named


_KINDS: Dict[Tuple[int, str], Tuple[str, ...]] = {}  # (id of the KB, word) -> its items, worked out once


def _items_of_kind(kb: KB, word: str) -> Tuple[str, ...]:
    """The items whose name ends in a word people use for one kind of item that is no item's or part's own name
    ("装扶手": 适老化改造 names 济宁/枣庄's 分散供养特困老年人家庭适老化改造 and 聊城's 居家适老化改造)."""
    key = (id(kb), word)
    if key not in _KINDS:
        parts = {p.name for items in kb.items.values() for i in items for p in i.parts}
        own = word in kb.item_names or word in parts
        _KINDS[key] = () if own else tuple(n for n in sorted(kb.item_names) if n.endswith(word))
    return _KINDS[key]


def _of_the_group(kb: KB, named: Sequence[str], entities: Sequence[Entity]) -> List[str]:
    """ "重度残疾老人的护理补贴": the item whose own name is the group's and the word asked (重度残疾人护理补贴),
    not the 护理补贴 of another item."""
    status = [e for e in entities if e.entity == "status"]
    asked = [e for e in entities if e.entity == "item" and e.value in named]
    # the group said right before the word ("重度残疾老人的护理补贴"), not elsewhere in the message
    pairs = [(s, i) for s in status for i in asked if 0 <= i.start - s.end <= 4]
    found: List[str] = []
    for s, i in pairs:
        found += group_items_named(kb, [str(s.value)], str(i.value))
    return list(dict.fromkeys(found))


def group_items_named(kb: KB, statuses: Sequence[str], word: str) -> List[str]:
    """The items called `word` whose own name is of one of these groups: 重残 and 护理补贴 -> 重度残疾人护理补贴."""
    words = {w for w, v in kb.regions.status_words.items() if v in statuses} | set(statuses)
    return [
        name
        for name in sorted(kb.item_names)  # a set: sorted, so the reading is the same in every process
        if name.endswith(word) and name != word and any(w in name[: -len(word)] for w in words)
    ]


_KEPT_ITEMS = ("集中供养", "分散供养", "特困老年人集中供养")


def names_a_measure(text: str) -> bool:
    """Whether the words are those of a measure of the documents (面积, 占比, 什么时候…), not of an item."""
    return bool(_POLICY_RE.search(text))


def how_kept(text: str, e: Entity, entities: Sequence[Entity]) -> bool:
    """ "俺娘八十五 枣庄 特困 集中供养", "是分散供养的特困老人": how a 特困 elder is kept, said with the status
    (just before or after it) and nothing asked."""
    # "特坤户住敬老院有啥": asking what she gets, not about the way she is kept
    asks_all = bool(_WIDE_RE.search(text)) and not _ASK_AFTER_RE.match(text, e.end) and not _COMPARE_RE.search(text)
    return (
        (text[e.start : e.end] in ("集中供养", "分散供养") or (e.value in _KEPT_ITEMS and asks_all))
        and (not _ASKS_RE.search(text) or asks_all)
        and not _WISH_RE.search(text)
        and any(
            s.entity == "status" and s.value == "特困" and (0 <= e.start - s.end <= 2 or 0 <= s.start - e.end <= 2)
            for s in entities
        )
    )


# "去哪里办手续 要带啥材料": where and how to apply, words of no item's content (委托服务 is "帮他办手续")
_WHERE_TO_APPLY_RE = re.compile(
    r"(?:去|到|在|上)哪(?:里|儿)?(?:去)?办(?:理)?(?:手续)?|(?:要|得|需要)?带(?:啥|什么|哪些)材料"
)


# "户口其实在济宁兖州区": where the person is registered, a fact (自愿随子女迁移户口 is about moving it)
# "户口在东阿", "户口本上写的跟实际不一样": where someone is registered, or the booklet, not the 迁移户口 service
_OUR_PLACE_RE = re.compile(r"(?:我们|咱们|俺们|我们这|俺们这|咱这|俺这)(?=.)")
_RESIDENCE_RE = re.compile(r"户[口籍](?:其实|本来|现在|也|还|都)?(?:是|在|落在|迁过去|迁到|迁去)|户口[本簿]")


# An item found by what it covers, asked about in words no outside topic uses: its money, its meaning
_ITEM_ASKED_RE = re.compile(r"给多少|多少钱|领多少|拿多少|啥意思|什么意思|按啥算|怎么算|咋算")


def _policy_score(kb: KB, core: str, city: Optional[str]) -> int:
    """How well the words match a policy fact, its words heard by sound too ("养老乎理员" is 养老护理员)."""
    return fact_match_score(kb, respell_topics(core, kb), city)


def _blank(regex: "re.Pattern[str]", text: str) -> str:
    """The text with what `regex` finds blanked, so that entities' offsets still hold."""
    return regex.sub(lambda m: " " * len(m.group()), text)


def _in_breath(e: Entity, stated: Sequence[Entity]) -> bool:
    """ "在敬老院集中供养": how a 特困 elder is kept, right after a place of it stated."""
    return e.value in _KEPT_ITEMS and any(0 <= e.start - s.end <= 1 for s in stated if s is not e)


@reader.roles_switchable  # YANGLAO_ROLES: these rules (default) or the learned roles (bot/nlu/item_roles.py)
def stated_items(text: str, entities: Sequence[Entity]) -> List[Entity]:
    """Items the person says they already have or how they live ("在敬老院集中供养", "已经领着高龄津贴"): facts,
    not what is asked, unless the words right after ask about them ("在敬老院集中供养要交钱吗")."""

    def before(e: Entity) -> str:  # the words since another item before it ("在家供养跟去敬老院": not 在家's 在)
        others = [o.end for o in entities if o.entity == "item" and o.value != e.value and o.end <= e.start]
        return text[max([e.start - 8, 0] + others) : e.start]

    if _COMPARE_RE.search(text) and len({e.value for e in entities if e.entity == "item"}) >= 2:
        return []  # "去敬老院集中供养跟在家分散供养有啥区别": two ways compared, both asked
    found = [
        e
        for e in entities
        if e.entity == "item"
        and (
            (_STATED_BEFORE_RE.search(before(e)) and not _WISH_RE.search(before(e)))
            or how_kept(text, e, entities)
            or _open_question_after(text, e)
        )
        and not _ASK_AFTER_RE.match(text, e.end)
    ]
    for e in sorted((e for e in entities if e.entity == "item"), key=lambda e: e.start):
        # "在滕州敬老院集中供养": an item said in the same breath as one stated is stated too
        if e not in found and any(0 <= e.start - s.end <= 1 for s in found) and not _ASK_AFTER_RE.match(text, e.end):
            found.append(e)
    return found


def _open_question_after(text: str, e: Entity) -> bool:
    """ "俺爹84了 常年跑医院 他能享受啥": the item's words in a clause of their own, then an open question of
    what the person gets; not "高龄津贴都有啥" (its content) nor "想问问适老化改造 能享受啥"."""
    asked = _OPEN_ASK_RE.search(text, e.end)
    if asked is None or _ASKING_OF_RE.search(text[max(0, e.start - 6) : e.start]):
        return False
    between = text[e.end : asked.start()]
    return bool(re.search(r"[，,。；;\s]|他|她|俺|我|老人|咱", between)) or len(between) >= 3


def _people(entities: Sequence[Entity], text: str) -> Tuple[Person, ...]:
    ages = [e for e in entities if e.entity == "age"]
    relations = [e for e in entities if e.entity == "relation"]
    if len(ages) < 2 or not (_SEVERAL_RE.search(text) or len({r.value for r in relations}) >= 2):
        return ()
    people = []
    for a in ages:
        before = [r for r in relations if r.end <= a.start]
        people.append(Person(before[-1].value if before else None, int(a.value)))
    if len({p.relation for p in people}) < len(people):  # "一个81一个76": no relation tells them apart
        people = [Person(None, p.age) for p in people]
    return tuple(people)


def _aspect(text: str) -> str:
    for regex, aspect in (
        (_APPLY_RE, APPLY),
        (_AGENCY_RE, AGENCY),
        (_CONDITION_RE, CONDITIONS),
        (_AMOUNT_RE, AMOUNT),
        (_YESNO_RE, YESNO),
    ):
        if regex.search(text):
            return aspect
    return ABOUT


_INTENT_KINDS = {
    "ask_entitlement": ENTITLEMENTS,
    "ask_policy": POLICY,
    "greet": GREET,
    "thank": THANK,
    "goodbye": GOODBYE,
    "out_of_scope": OUT_OF_SCOPE,
    "dont_know": DONT_KNOW,
    "inform": FACTS,
    "correct": FACTS,
    "what_if": FACTS,
    "new_person": FACTS,
    "deny": FACTS,
    "apply": ITEM,
    "ask_item": ITEM,
}


def aspect_of(text: str) -> str:
    """What of an item a message asks (amount, agency, conditions, how to apply…), from its words."""
    return _aspect(core_of(text))


def person_wanted(core: str) -> Optional[str]:
    """HANDOFF, CONSENT, FEEDBACK or USEFUL for a message about the conversation itself, else None. Angry or
    urgent words are a handoff only when nothing else is asked ("气死了" but not "急死了，我爸85岁能领啥")."""
    core = _OPERATOR_RE.sub("", core)  # "我是12345热线接线员，来电老人…": who asks, not a wish to talk to one
    if _CONSENT_RE.match(core):
        return CONSENT
    if _FEEDBACK_RE.match(core):
        return FEEDBACK
    if _USEFUL_RE.match(core):
        return USEFUL
    wanted = _HANDOFF_RE.search(core)
    if wanted and not (wanted.group().startswith("打") and _AGENCY_RE.search(core)):
        return HANDOFF  # not "归哪个单位管 俺想打电话问问": the agency is asked, to call it
    if _URGENT_RE.search(core) and len(core) <= 12 and not _ASKS_RE.search(core):
        return HANDOFF
    return None


def is_denial(text: str) -> bool:
    return bool(_DENY_RE.match(core_of(text)))


def is_unsure(text: str) -> bool:
    core = core_of(text)
    return bool(_DONT_KNOW_RE.search(core)) and len(core) <= 12


def ages_compared(q: "Question") -> Tuple[int, ...]:
    """ "枣庄七十岁和八十岁的低保老人补贴差在哪": two or more ages of no one in particular, compared."""
    ages = tuple(dict.fromkeys(int(e.value) for e in q.entities if e.entity == "age" and str(e.value).isdigit()))
    if q.rule_age is not None and q.rule_age not in ages:  # "满65周岁的老人比60岁时多了哪些服务"
        ages += (q.rule_age,)
    if q.since_age is not None and q.rule_age is not None and q.since_age not in ages:
        return tuple(sorted((q.since_age, q.rule_age)))
    if len(ages) < 2 or q.has("relation") or not _COMPARE_RE.search(q.text):
        return ()
    return tuple(sorted(ages))


def asks_no_figure(text: str) -> bool:
    """ "为啥没个具体数", "俺爹这咋没个准数": why the answer names no amount."""
    return bool(_NO_FIGURE_RE.search(text))


def asks_conditions(text: str) -> bool:
    """ "咋申请要啥条件": the conditions asked too, beside another aspect."""
    return bool(_CONDITION_RE.search(core_of(text)))


_GAP_RE = re.compile(
    r"[多少](?:领|给|拿|发|得)?了?多少|差(?:了)?多少|相差|差距|差额|能多|会多|多出|多还是少|多了还是少了"
)


def asks_gap(text: str) -> bool:
    """ "能多领多少", "差多少": by how much, not only the two totals."""
    return bool(_GAP_RE.search(text))


def compares(text: str) -> bool:
    """ "一样不", "差多少", "哪个高": words that compare."""
    return bool(_COMPARE_RE.search(text))


def for_everyone(text: str) -> bool:
    """ "聊城老年人有什么优待": words of a rule for everyone (老年人, 以上, 哪些老人…), no one in particular."""
    return bool(_RULE_RE.search(text)) and not _FIRST_PERSON_RE.search(_TO_THE_WRITER_RE.sub(" ", text))


_FIGURE_RE = re.compile(r"(\d{2,4})\s*(?:块|元)")


def by_figure(kb: KB, text: str, cities: Sequence[str]) -> List[str]:
    """Items a list pays the figure a message names at some tier (100块: 经济困难老年人补贴's 80—89 tier)."""
    said = {float(m.group(1)) for m in _FIGURE_RE.finditer(text)}
    if not said:
        return []
    return list(
        dict.fromkeys(
            item.name
            for city in (cities or kb.cities)
            for item in kb.items[city]
            for part in item.parts
            for tier in part.tiers
            if tier.amount in said
        )
    )


_MULTIPLE_RE = re.compile(r"\d+(?:\.\d+)?倍")
_SPOKEN_MULTIPLE_RE = re.compile(r"([一二三四五六七八九])点([一二三四五六七八九])倍")  # "一点三倍"
_DIGIT = {c: str(i) for i, c in enumerate("零一二三四五六七八九")}


def by_multiple(kb: KB, text: str) -> List[str]:
    """Items whose standard names the multiple a message quotes ("1.3倍", "一点三倍": 分散供养, 集中供养)."""
    said = set(_MULTIPLE_RE.findall(text)) | {
        f"{_DIGIT[a]}.{_DIGIT[b]}倍" for a, b in _SPOKEN_MULTIPLE_RE.findall(text)
    }
    if not said:
        return []
    return list(
        dict.fromkeys(
            item.name
            for items in kb.items.values()
            for item in items
            if any(m in (item.standard or "") + item.text for m in said)
        )
    )


def quoted_measure(kb: KB, text: str, entities: Sequence[Entity]) -> bool:
    """A name in quotation marks that a measure holds and no item is called ("十助、常陪、四解", "孝当先")."""
    for m in _QUOTED_RE.finditer(text):
        if any(e.entity == "item" and m.start(1) <= e.start < m.end(1) for e in entities):
            continue
        name = m.group(1)
        if find_facts(kb, name) or find_facts(kb, re.sub(r"[、，,·\s]", "", name)):
            return True
    return False


def _groups_own(kb: KB, items: Sequence[str], told: Sequence[Entity]) -> bool:
    """Whether every item is, in some city's list, the own item of a group the message tells of."""
    statuses = frozenset(str(e.value) for e in told if e.entity == "status")
    if not statuses:
        return False
    own = {i.name for city in kb.items for i in brief.group_items(kb.items[city], statuses)}
    return all(name in own for name in items)


# "六十五往上的老人…跟六十出头的有啥不一样": the age a rule's age is compared with
_COMPARED_DECADE_RE = re.compile(r"(?:跟|和|比)(?:那些)?([六七八九]十|[6-9]0)(?:出头|来岁|多岁|岁|周岁)?的")


def _compared_decade(core: str) -> Optional[int]:
    m = _COMPARED_DECADE_RE.search(core)
    if not m:
        return None
    said = m.group(1)
    return int(said) if said.isdigit() else int(cn2an.cn2an(said, "smart"))


def _rule_age(m: "re.Match[str]") -> int:
    if m.group(2):
        return 100
    said = m.group(1) or m.group(3) or m.group(4) or m.group(5)
    return int(said) if said.isdigit() else int(cn2an.cn2an(said, "smart"))


@reader.switchable  # YANGLAO_READER: these rules (default), the kind classifier, or both (bot/dialogue/reader.py)
def read_question(text: str, intent: str = "", kb: Optional[KB] = None) -> Question:
    """`text` is the normalised message (bot.nlu.normaliser.normalize)."""
    kb = kb or default_kb()
    entities = extract(text, kb)
    if any(e.entity == "ability_grade" for e in entities):  # "能力评估是2级" states a grade, it asks for no service
        entities = [e for e in entities if not (e.entity == "item" and e.value == ASSESSMENT)]
    stated = stated_items(text, entities)
    entities = [e for e in entities if e not in stated]
    core = core_of(text)
    cities = _cities(kb, entities, text)
    # how a 特困 elder is kept is not searched for either ("特困 集中供养": 集中供养 is how they live)
    kept = [e for e in stated if how_kept(text, e, entities + stated) or _in_breath(e, stated)]
    kept += [e for e in stated if e not in kept and any(0 <= k.start - e.end <= 1 for k in kept)]  # 敬老院集中供养
    unsaid = "".join(" " if any(e.start <= i < e.end for e in kept) else c for i, c in enumerate(text))
    items = _items(kb, _blank(_RESIDENCE_RE, _blank(_WHERE_TO_APPLY_RE, unsaid if kept else text)), entities)
    if any(
        e.entity == "ability_grade" for e in entities
    ):  # the grade is a fact: the money is asked, not the assessment
        items = tuple(i for i in items if i != ASSESSMENT)
        if not any(e.entity == "item" for e in entities):  # "评估结果是二级 每月给多少钱": items found only by
            items = ()  # the assessment's words (政府购买居家养老服务's 评估结果) are not asked about
    if not items:  # "那个1.3倍到底是多少钱": the items whose standard says it
        items = tuple(by_multiple(kb, text))[:3]
    facts = [e for e in entities if e.entity in PROFILE_ENTITIES]
    # Someone in particular: a relation, "我/俺", or an age. A status alone ("枣庄低保老人…") is a rule's group.
    # "家里困难的老人" names a group: the status's own words are no one in particular
    said_of = _TO_THE_WRITER_RE.sub(" ", core)  # "按岁数给俺说说": the writer asks, no one is asked about
    for e in entities:
        if e.entity in ("status", "economic") and 0 <= e.start < e.end <= len(text):
            said_of = said_of.replace(text[e.start : e.end], " ")
        if e.entity in ("city", "county") and 0 <= e.start < e.end <= len(text):
            # "我们临清有不少失独老人": where the writer lives, no one in particular
            said_of = said_of.replace(
                text[max(0, e.start - 3) : e.end], _OUR_PLACE_RE.sub(" ", text[max(0, e.start - 3) : e.end])
            )
    personal = bool(_FIRST_PERSON_RE.search(said_of) or any(e.entity in ("age", "relation") for e in entities))
    rule_age = _RULE_AGE_RE.search(core)
    base = dict(
        cities=cities,
        personal=personal,
        people=_people(entities, core),
        hypothetical=bool(_HYPOTHETICAL_RE.search(core)),
        policy_cue=bool(_POLICY_RE.search(core)),
        asks=bool(_ASKS_RE.search(core)),
        # "要是评上二级失能 能多领多少": what the what-if adds, not the next birthday (unless a time is said)
        ahead=bool((_TIME_AHEAD_RE if _HYPOTHETICAL_RE.search(core) else _AHEAD_RE).search(core)),
        rule_age=_rule_age(rule_age) if rule_age else None,
        since_age=_compared_decade(core) if rule_age else None,
        urgent=bool(_URGENT_RE.search(core)),
        text=text,
        entities=tuple(entities),
        also=bool(_ALSO_RE.search(core)),
        registered_elsewhere=bool(_REGISTERED_ELSEWHERE_RE.search(core)),
    )

    def q(kind: str, aspect: str = ABOUT, fallback: str = UNCLEAR) -> Question:
        return Question(kind, aspect, items, fallback=fallback, **base)  # type: ignore[arg-type]

    if not core:
        return q(UNCLEAR)
    wants_person = person_wanted(core)
    if wants_person:
        return q(wants_person)
    if not cities and _OTHER_PLACES_RE.search(core):
        return q(OUT_OF_SCOPE)
    told = [e for e in facts if e.entity not in ("relation", "city", "county")]  # facts about a person
    # "啥样的老人能选这个", "为啥没个具体数": about the item just discussed
    refers = _aspect(core) in (CONDITIONS, AGENCY, APPLY) or bool(_WHY_RE.search(core) or _AHEAD_RE.search(core))
    named_item = any(e.entity == "item" for e in entities)
    if (
        intent == "out_of_scope"
        and not cities
        and not told
        and not refers
        and not named_item
        and not (items and _ITEM_ASKED_RE.search(core))  # "高林津贴一个月给多少钱", "那个一点三倍是按啥算的"
        and _policy_score(kb, core, None) < POLICY_SCORE
    ):  # "孔孟之乡孝当先是个啥": a measure named by its title
        return q(OUT_OF_SCOPE)
    if _DETAIL_RE.match(core):
        return q(DETAIL)
    social = social_kind(core)
    if social:
        return q(social)
    if quoted_measure(kb, core, entities):  # "枣庄说的“十助、常陪、四解”是啥"
        return q(POLICY, fallback=ITEM if items else UNCLEAR)
    # "聊城失能老年人照护条例是啥", "2024年那个三年行动方案主要干啥": a document named, whatever group its name holds
    if _DOCUMENT_RE.search(core) and not any(e.entity in ("relation", "age") for e in entities):
        return q(POLICY, fallback=ITEM if items else UNCLEAR)
    # "济宁护理型床位占比目标是多少": the measures, not a person
    if base["policy_cue"] and not told and not any(e.entity == "relation" for e in entities):
        return q(POLICY, fallback=ITEM if items else UNCLEAR)
    if _WHY_RE.search(core):
        if not any(e.entity == "item" for e in entities):  # "邻居每月有100块补贴 俺娘咋没有": the item that pays it
            items = tuple(dict.fromkeys(by_figure(kb, core, cities) + list(items)))[:3]
        return q(WHY_NOT)
    if len(cities) >= 2 and base["policy_cue"] and not items:  # "济宁跟聊城长护险全覆盖的时间"
        return q(POLICY)
    if len(cities) >= 2 or (_COMPARE_RE.search(core) and (items or cities)):
        return q(COMPARE, _aspect(core))
    if (
        not named_item
        and not told
        and not personal
        and _MEASURE_ASK_RE.search(core)
        and _policy_score(kb, core, cities[0] if cities else None) >= POLICY_SCORE
    ):  # "聊城的医养结合有啥要求": what a measure requires, not what a person gets
        return q(POLICY, fallback=ITEM if items else UNCLEAR)
    wide = (_WIDE_RE.search(core) and not named_item) or (_ENTITLE_RE.search(core) and not items)
    if wide and not told and _MUST_APPLY_RE.search(core) and not _WIDE_RE.search(core):
        # "那得自己去申请不还是人家主动给发": whether what was just said must be applied for, not what one gets
        return q(ITEM, APPLY)
    if base["hypothetical"] and facts and not named_item:  # "那如果户籍在济宁呢": a what-if of the same question
        return q(FACTS)
    if (
        items
        and not wide
        and not named_item
        and not told
        and _policy_score(kb, core, cities[0] if cities else None) >= STRONG_POLICY_SCORE
    ):  # "济宁现在的养老服务品牌叫啥": a measure's words, no item named; an item only if no fact answers
        return q(POLICY, fallback=ITEM)
    if items and not named_item and not base["asks"] and _groups_own(kb, items, told):
        # "李大娘，68岁，低保，重度残疾二级，需要长期照护。", "姥爷当过兵…七十八": facts that call their group's item
        # to mind ask what the person gets: that item first, then everything else
        base["also"] = True
    if items and not wide:
        return q(ITEM, _aspect(core))
    if wide:
        return q(ENTITLEMENTS)
    if base["ahead"] and not items:  # "等她满一百呢", "明年六十五了有啥新的": what the next birthday brings
        return q(ENTITLEMENTS)
    if _DENY_RE.match(core):
        return q(FACTS)
    if _DONT_KNOW_RE.search(core) and not told:
        return q(DONT_KNOW)
    if not items and not told and _policy_score(kb, core, cities[0] if cities else None) >= POLICY_SCORE:
        return q(POLICY, fallback=FACTS if facts else UNCLEAR)
    if (
        not items
        and told  # untold, the branch above scored it already (below POLICY_SCORE)
        and not wide
        and not any(e.entity == "age" for e in entities)
        and _policy_score(kb, core, cities[0] if cities else None) >= STRONG_POLICY_SCORE
    ):  # "有没有老年助餐啊俺娘一个人在家做饭不方便": the facts say why; a measure's own words are what is asked
        return q(POLICY, fallback=FACTS if facts else UNCLEAR)
    aspect = _aspect(core)
    if aspect != ABOUT and aspect != YESNO:  # "这个归哪个部门管": about the item just discussed
        return q(ITEM, aspect)
    if facts:
        return q(FACTS)
    kind = _INTENT_KINDS.get(intent, UNCLEAR)
    if kind == ITEM:
        return q(ITEM, _aspect(core))
    if kind in (ENTITLEMENTS, FACTS, DONT_KNOW):
        return q(UNCLEAR if kind == FACTS else kind)
    if kind in (UNCLEAR, OUT_OF_SCOPE, POLICY) and len(core) >= 4:
        return q(POLICY, fallback=OUT_OF_SCOPE if kind == OUT_OF_SCOPE else UNCLEAR)
    return q(kind)
