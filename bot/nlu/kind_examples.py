"""Labelled examples of the kind of question (and, for an item question, its aspect), generated from the knowledge
base's vocabulary crossed with phrasing templates written here, to train bot.nlu.kind_classifier.

Why generated: the kind of a question is carried by a few words (多少, 怎么办, 为啥, 哪个高, 什么时候) around the
KB's own nouns (items, statuses, places, agencies, the measures' topics). Templates say the first, the KB supplies
the second, so every item and every measure of the KB is in the data the day it is added to rules_kb/, and a
newcomer who finds a phrasing the classifier gets wrong adds a template line here, not a regex.

Nothing here comes from the evaluation sets (tests/eval/) nor from data/nlu/: the templates were written for this
module, so the evaluation stays blind.

A label is a Question kind (bot.dialogue.question), or "item/<aspect>" for an item question. Each template is
filled with random vocabulary (seeded: the same examples every run), and about half of the examples are written
as voice input writes them: no punctuation, 俺/咱/啥, spoken numbers, a few homophones.

    .venv/bin/python -m bot.nlu.kind_examples            # counts per label and a few examples
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from rules_kb import KB, default_kb

# The labels (kept here as strings, so this module does not depend on the dialogue package).
ENTITLEMENTS, WHY_NOT, COMPARE, POLICY, DETAIL, FACTS = (
    "entitlements",
    "why_not",
    "compare",
    "policy",
    "detail",
    "facts",
)
DONT_KNOW, OUT_OF_SCOPE, HANDOFF, FEEDBACK = "dont_know", "out_of_scope", "handoff", "feedback"
GREET, THANK, GOODBYE = "greet", "thank", "goodbye"
ITEM_ASPECTS = ("yesno", "amount", "agency", "conditions", "apply", "about")
ITEM_LABELS = tuple(f"item/{a}" for a in ITEM_ASPECTS)
LABELS = (
    ENTITLEMENTS,
    *ITEM_LABELS,
    WHY_NOT,
    COMPARE,
    POLICY,
    DETAIL,
    FACTS,
    DONT_KNOW,
    OUT_OF_SCOPE,
    HANDOFF,
    FEEDBACK,
    GREET,
    THANK,
    GOODBYE,
)


def kind_of(label: str) -> str:
    return label.split("/", 1)[0]


def aspect_of(label: str) -> Optional[str]:
    return label.split("/", 1)[1] if "/" in label else None


# --- phrasing templates --------------------------------------------------------------------------------------
# Slots: {who} someone (我爸, 俺娘, 我), {age} an age, {place} a city or county, {city}/{city2} two cities,
# {status} a status word, {item} an item name or what people call it, {agency} an agency, {topic} a measure's
# topic, {title} a measure's title, {other} a place outside the three cities, {thing} something outside the KB.
TEMPLATES: Dict[str, Sequence[str]] = {
    ENTITLEMENTS: (
        "{who}{age}岁{place}的能领什么",
        "{who}今年{age}了在{place}能享受哪些待遇",
        "{place}{age}岁的老人有什么补贴",
        "{who}是{status}能拿啥钱",
        "{status}老人在{place}都给啥",
        "{who}{age}{place}户口能领多少钱",
        "俺{age}了有啥政策能享受",
        "{who}{place}的{status}有什么福利",
        "老年人都有哪些优待",
        "{place}老人能享受什么服务",
        "{who}能领哪些补助",
        "咱{place}{age}岁以上的老人有啥待遇",
        "{who}{age}岁{status}国家给啥",
        "像{who}这种情况能享受什么",
        "{who}{age}了每月能领多少",
        "{place}的{status}老人一个月多少钱",
        "我们{place}的老人发什么钱",
        "{who}明年满{age}能多啥",
        "{who}到了{age}岁会多哪些待遇",
        "{age}岁以上老人有啥照顾",
        "帮{who}看看能领啥",
        "{who}{age}{status}能拿什么",
        "都有啥好处",
        "能享受点啥",
        "有什么优惠政策",
        "国家都给哪些照顾",
        "能得到什么帮助",
        "有哪些钱可以领",
        "{who}这情况有啥说法",
        "有啥能领的没",
    ),
    "item/yesno": (
        "{place}有{item}吗",
        "{who}{age}岁能领{item}不",
        "{status}能不能享受{item}",
        "{item}要钱不",
        "{who}能办{item}吗",
        "{place}的老人有没有{item}",
        "{item}是不是免费的",
        "{who}{age}了{item}有没有份",
        "{item}咱这有没",
        "{status}老人可以{item}吗",
        "{who}符合{item}吗",
        "{item}收费吗",
        "{age}岁能不能{item}",
    ),
    "item/amount": (
        "{item}一个月多少钱",
        "{place}{item}给多少",
        "{who}{age}岁{item}发多少",
        "{item}的标准是多少",
        "{place}{item}每月能领多少",
        "{item}一年给多少钱",
        "{status}{item}多少钱",
        "{who}的{item}能拿几百",
        "{item}金额是多少",
        "{age}岁的{item}多少",
        "{item}到手多少",
    ),
    "item/agency": (
        "{item}归哪个部门管",
        "{item}找谁办",
        "{place}{item}谁负责",
        "{item}是哪个单位发的",
        "{item}问谁",
        "{place}的{item}哪个局管",
        "{item}谁管",
        "办{item}得找哪个部门",
        "{item}由谁牵头",
    ),
    "item/conditions": (
        "{item}需要什么条件",
        "啥样的老人能领{item}",
        "{item}多大岁数才能领",
        "{item}有什么要求",
        "什么人可以享受{item}",
        "{item}的条件是啥",
        "{item}得几岁",
        "{item}要户口在本地吗 什么条件",
        "够什么条件才能{item}",
        "{item}哪些人能领",
        "{item}资格怎么认定",
    ),
    "item/apply": (
        "{item}怎么申请",
        "{item}去哪办",
        "办{item}要啥材料",
        "{item}咋领",
        "{who}的{item}怎么办理",
        "{item}在哪办",
        "{item}的流程是什么",
        "{item}手续怎么弄",
        "想给{who}申请{item}",
        "{item}到哪里去办",
        "怎么领{item}",
    ),
    "item/about": (
        "{item}是啥",
        "说说{item}",
        "介绍一下{item}",
        "{item}是什么意思",
        "{item}",
        "关于{item}",
        "{item}具体是什么内容",
        "讲讲{item}这个政策",
        "{item}是干啥的",
    ),
    WHY_NOT: (
        "为啥{who}领不到{item}",
        "{who}{age}了怎么没有{item}",
        "凭什么{status}不给{item}",
        "为什么{who}不能享受{item}",
        "咋没有{item}呢",
        "{who}{age}岁为啥没有{item}",
        "怎么领不到{item}",
        "为什么没给{who}发{item}",
        "{item}为啥没有{who}的份",
        "为啥没个具体数",
        "为什么不写金额",
        "咋不给{status}发钱",
    ),
    COMPARE: (
        "{city}和{city2}的{item}哪个高",
        "{city}跟{city2}比{item}有啥不同",
        "{item}在{city}和{city2}一样吗",
        "{city}的{item}比{city2}多吗",
        "{city}{city2}{item}差多少",
        "对比一下{city}和{city2}的待遇",
        "{city}和{city2}哪边给的多",
        "{city}跟{city2}老人待遇有什么区别",
        "{item}{city}和{city2}差在哪",
        "比较下{city}和{city2}的{item}",
        "{age}岁和{age2}岁的{item}差多少",
        "{city}和{city2}哪个好",
    ),
    POLICY: (
        "{city}{topic}有什么规定",
        "{topic}的目标是什么",
        "{city}什么时候{title}",
        "{title}是怎么规定的",
        "{topic}是哪个文件定的",
        "{city}{topic}要达到多少",
        "{topic}有啥要求",
        "{city}关于{topic}的政策",
        "{title}谁牵头",
        "{city}的{topic}怎么搞的",
        "{topic}到哪年完成",
        "{city}{topic}比例是多少",
        "文件里{topic}怎么说的",
        "{city}{topic}进展到哪了",
        "{city}{topic}要建多少",
        "{topic}什么时候建成",
        "{city}到{year}年{topic}要覆盖多少",
        "{topic}有多少张床位",
        "{city}{topic}的牵头单位是谁",
        "{title}",
        "{city}{title}的内容",
        "{topic}的占比目标",
    ),
    DETAIL: (
        "详细点",
        "看看详情",
        "具体说说",
        "给我完整清单",
        "展开说说",
        "全部列出来",
        "详细内容",
        "说具体点",
        "我要看明细",
        "详细的",
    ),
    FACTS: (
        "{who}{age}岁",
        "{place}的",
        "俺是{status}",
        "户口在{place}",
        "{who}今年{age}住在{place}",
        "不是{status}",
        "那{place}呢",
        "要是{place}呢",
        "换成{place}呢",
        "如果是{status}呢",
        "那{who}呢 {age}了",
        "{who}{age}{place}的{status}",
        "{who}是{status}",
        "{age}",
        "在{place}",
        "{who}{age}岁了是{status}",
        "没有",
        "都不是",
        "{who}评估是{grade}级",
        "{who}不是{status}是{status2}",
        "说错了 是{age}岁",
        "不对 是{place}的",
        "假如{who}{age}了呢",
        "还有{who} {age}岁",
        "{who}户口{place}",
        "{place}",
        "{status}",
        "{age}岁",
        "{status}户",
        "{who}",
        "是{status}",
        "{place}{status}",
        "{age}了",
        "今年{age}",
        "俺娘{age} {place}的 {status}",
        "{who}在{place}住着 {status}",
        "{city}",
        "{city}的",
        "在{city}",
        "{city}户口",
        "是{city}的",
        "{city}的 {status}",
    ),
    DONT_KNOW: (
        "不知道",
        "俺也不清楚",
        "说不准",
        "忘了",
        "不太清楚",
        "我不晓得",
        "这个不了解",
        "说不好",
        "心里没数",
        "不确定",
    ),
    OUT_OF_SCOPE: (
        "今天天气怎么样",
        "给我讲个笑话",
        "{other}的养老政策",
        "帮我买张火车票",
        "股票能涨吗",
        "{other}老人有啥补贴",
        "医保报销比例多少",
        "养老金今年涨多少",
        "{thing}",
        "{thing}怎么弄",
        "哪里有卖{thing}的",
        "你会唱歌吗",
        "{other}高龄补贴多少",
        "退休年龄是多少",
        "住院押金要交多少",
        "房子过户怎么办",
        "{other}的{item}怎么领",
        "{other}{status}老人能领什么",
        "{other}的养老院一个月多少钱",
        "{who}身体不好该吃什么药",
        "帮我写篇文章",
        "{thing}多少钱",
        "你是机器人吗",
        "{other}户口的老人有什么待遇",
        "哪家医院看病好",
        "{who}想找个保姆",
        "明天下雪吗",
        "{other}有{item}吗",
        "能帮我订个外卖吗",
        "{thing}贵不贵",
        "天气热不热",
        "你叫什么名字",
        "{n}加{n2}等于几",
        "现在几点了",
        "给我推荐个电视剧",
    ),
    HANDOFF: (
        "转人工",
        "我要找真人",
        "给我个电话问问",
        "人工客服",
        "有没有服务热线",
        "打电话咨询",
        "叫接线员来",
        "要人工服务",
        "客服电话多少",
    ),
    FEEDBACK: (
        "没用",
        "不对",
        "答非所问",
        "听不懂",
        "你说的不对",
        "根本没用",
        "说错了",
        "牛头不对马嘴",
        "这个没帮助",
        "不靠谱",
    ),
    GREET: ("你好", "您好", "在吗", "喂", "早上好", "哈喽", "你好啊"),
    THANK: ("谢谢", "多谢", "好的谢谢", "谢谢你", "辛苦了", "感谢"),
    GOODBYE: ("再见", "拜拜", "没事了", "好的再见", "不用了"),
}

WHO = ("我爸", "我妈", "俺娘", "俺爹", "我", "俺", "老伴", "俺奶奶", "我爷爷", "我家老爷子", "我姥姥", "咱妈", "我婆婆")
OTHER_PLACES = ("北京", "上海", "济南", "青岛", "临沂", "广州", "外省")
THINGS = ("手机充值", "买菜", "孩子上学", "车险", "考驾照", "装宽带", "修电脑", "彩票", "减肥")
# How speech recognition writes the KB's words and how people talk (the phonetic index in bot.nlu does the same
# for entities; here only so that the classifier sees such text).
HOMOPHONES = (
    ("低保", "底保"),
    ("特困", "特坤"),
    ("高龄", "高零"),
    ("补贴", "不贴"),
    ("济宁", "计宁"),
    ("聊城", "聊成"),
    ("滕州", "滕洲"),
    ("评估", "平估"),
)
# What a person says of someone before asking: put before a question's template at random, so that the words
# that ask decide the label, not the length or the facts around them.
FACT_CLAUSES = (
    "{who}{age}岁",
    "{who}{age}了",
    "{who}是{place}的",
    "{place}的{status}",
    "{who}{place}户口",
    "{who}今年{age} {place}的",
    "{who}{age} {status}",
    "{who}在{place}住",
)
PREFIXED = ("entitlements", "item/yesno", "item/amount", "item/agency", "item/conditions", "item/apply", "why_not")
SPOKEN = ("我", "俺"), ("什么", "啥"), ("我们", "咱"), ("怎么", "咋"), ("没有", "没"), ("是不是", "是不")
_DIGITS = "零一二三四五六七八九"


def spoken_number(n: int) -> str:
    """85 -> 八十五, 100 -> 一百, 103 -> 一百零三, 110 -> 一百一十."""
    if n >= 100:
        rest = n - 100
        if rest == 0:
            return "一百"
        return "一百" + (
            "零" + _DIGITS[rest] if rest < 10 else _DIGITS[rest // 10] + "十" + _DIGITS[rest % 10].strip("零")
        )
    tens, ones = divmod(n, 10)
    return (_DIGITS[tens] if tens > 1 else "") + ("十" if tens else "") + (_DIGITS[ones] if ones else "")


@dataclass(frozen=True)
class Vocabulary:
    items: Tuple[str, ...]  # item names (every city's) and what people call them
    item_names: Tuple[str, ...]
    statuses: Tuple[str, ...]
    places: Tuple[str, ...]
    cities: Tuple[str, ...]
    agencies: Tuple[str, ...]
    topics: Tuple[str, ...]
    titles: Tuple[str, ...]


def vocabulary(kb: KB) -> Vocabulary:
    names = tuple(sorted(kb.item_names))
    synonyms = tuple(sorted({s for words in kb.regions.item_synonyms.values() for s in words}))
    topics = tuple(sorted({t for f in kb.facts for t in f.topics if not re.search(r"[A-Za-z]", t)}))
    return Vocabulary(
        items=names + synonyms,
        item_names=names,
        statuses=tuple(sorted(kb.regions.status_words)),
        places=tuple(sorted(set(kb.regions.city_aliases) | set(kb.regions.county_city))),
        cities=tuple(kb.cities),
        agencies=tuple(sorted({i.agency for c in kb.items.values() for i in c})),
        topics=topics,
        titles=tuple(sorted({f.title for f in kb.facts})),
    )


def _age(rng: random.Random) -> str:
    n = rng.randint(60, 103)
    return rng.choice((str(n), str(n), spoken_number(n)))


def _fill(template: str, v: Vocabulary, rng: random.Random, item: Optional[str] = None) -> str:
    city, city2 = rng.sample(list(v.cities), 2)
    status, status2 = rng.sample(list(v.statuses), 2)
    slots = {
        "who": rng.choice(WHO),
        "age": _age(rng),
        "age2": _age(rng),
        "place": rng.choice(v.places),
        "city": city,
        "city2": city2,
        "status": status,
        "status2": status2,
        "item": item or rng.choice(v.items),
        "agency": rng.choice(v.agencies),
        "topic": rng.choice(v.topics),
        "title": rng.choice(v.titles),
        "other": rng.choice(OTHER_PLACES),
        "thing": rng.choice(THINGS),
        "grade": str(rng.randint(1, 4)),
        "year": str(rng.randint(2023, 2027)),
        "n": str(rng.randint(1, 20)),
        "n2": str(rng.randint(1, 20)),
    }
    return template.format(**slots)


def voice(text: str, rng: random.Random) -> str:
    """As voice input writes it: no punctuation, spoken words, sometimes a homophone."""
    text = re.sub(r"[，,。.？?！!]", "", text)
    for written, spoken in SPOKEN:
        if rng.random() < 0.5:
            text = text.replace(written, spoken)
    for right, heard in HOMOPHONES:
        if right in text and rng.random() < 0.3:
            text = text.replace(right, heard)
    return text


def typed(text: str, rng: random.Random, label: str) -> str:
    """As typed: a question mark where the message asks something, sometimes a comma between its parts."""
    asks = label not in (FACTS, DONT_KNOW, DETAIL, FEEDBACK, GREET, THANK, GOODBYE, HANDOFF)
    text = text.replace(" ", "，")
    return text + ("？" if asks and rng.random() < 0.7 else "")


def generate_tagged(kb: Optional[KB] = None, per_template: int = 12, seed: int = 19) -> List[Tuple[str, str, str]]:
    """(text, label, template) triples, deduplicated by text, in a fixed order. Every item (name and synonyms)
    is used in every item aspect, in why-not and in compare at least once; every other template is filled
    `per_template` times (a fixed phrase once typed and once spoken)."""
    kb = kb or default_kb()
    v = vocabulary(kb)
    rng = random.Random(seed)
    out: Dict[str, Tuple[str, str]] = {}

    def add(text: str, label: str, template: str) -> None:
        if label in PREFIXED and rng.random() < 0.35:
            text = _fill(rng.choice(FACT_CLAUSES), v, rng) + rng.choice(("，", " ", "")) + text
        text = voice(text, rng) if rng.random() < 0.5 else typed(text, rng, label)
        out.setdefault(text, (label, template))

    for label, templates in TEMPLATES.items():
        for template in templates:
            fixed = "{" not in template
            for _ in range(1 if fixed else per_template):
                add(_fill(template, v, rng), label, template)
            if fixed:
                out.setdefault(voice(template, rng), (label, template))
    for label in ITEM_LABELS + (WHY_NOT, COMPARE):  # every item in every item aspect
        for item in v.items:
            template = rng.choice(TEMPLATES[label])
            add(_fill(template, v, rng, item), label, template)
    return [(text, label, template) for text, (label, template) in out.items()]


def generate(kb: Optional[KB] = None, per_template: int = 12, seed: int = 19) -> List[Tuple[str, str]]:
    """(text, label) pairs: generate_tagged without the templates."""
    return [(text, label) for text, label, _ in generate_tagged(kb, per_template, seed)]


def main() -> None:
    examples = generate()
    counts = Counter(label for _, label in examples)
    print(f"{len(examples)} examples")
    for label in LABELS:
        sample = [t for t, lab in examples if lab == label][:3]
        print(f"  {label:<18} {counts[label]:>5}  {' | '.join(sample)}")


if __name__ == "__main__":
    main()
