"""Test material for the phonetic reader (bot/nlu/phonetic.py): common characters and their homophones, and
ordinary sentences about everyday things (weather, food, family, shopping, travel, hobbies, work) that name no
status, item or place of the knowledge base.

Common characters are those of jieba's own dictionary, ranked by the summed frequency of the words they occur in
(the dictionary ships with jieba: nothing is downloaded; simplified characters only, as the normaliser
writes them); a character's homophones are the other common
characters whose toneless reading, as pypinyin reads the character alone, is the same.
"""

from __future__ import annotations

import random
from collections import Counter
from functools import lru_cache
from typing import Dict, List, Tuple

from pypinyin import Style, lazy_pinyin

COMMON_CHARS = 3000


def _simplified(ch: str) -> bool:
    """jieba's dictionary holds traditional characters too; the normaliser makes them simplified first."""
    import opencc

    global _T2S
    if _T2S is None:
        _T2S = opencc.OpenCC("t2s")
    return _T2S.convert(ch) == ch


_T2S = None


@lru_cache(maxsize=None)
def common_chars(limit: int = COMMON_CHARS) -> Tuple[str, ...]:
    import jieba

    counts: Counter = Counter()
    with open(jieba.get_dict_file().name, encoding="utf-8") as f:
        for line in f:
            word, freq = line.split(" ")[:2]
            n = int(freq)
            for ch in word:
                if "\u4e00" <= ch <= "\u9fff":
                    counts[ch] += n
    # OpenCC once per character (some 20,000) rather than once per occurrence (a million: seven seconds); the
    # counts keep their order, so characters of one count rank as before.
    simplified = Counter({ch: n for ch, n in counts.items() if _simplified(ch)})
    return tuple(ch for ch, _ in simplified.most_common(limit))


@lru_cache(maxsize=None)
def homophone_table() -> Dict[str, Tuple[str, ...]]:
    """toneless syllable -> the common characters read so (most common first)."""
    table: Dict[str, List[str]] = {}
    for ch in common_chars():
        table.setdefault(lazy_pinyin(ch, style=Style.NORMAL)[0], []).append(ch)
    return {k: tuple(v) for k, v in table.items()}


# --- ordinary sentences --------------------------------------------------------------------------------

_WHO = [
    "我",
    "你",
    "他",
    "她",
    "我们",
    "咱们",
    "大家",
    "孩子",
    "儿子",
    "闺女",
    "孙子",
    "孙女",
    "邻居",
    "同事",
    "哥哥",
    "姐姐",
    "弟弟",
    "妹妹",
    "小王",
    "老李",
    "张师傅",
    "隔壁大姐",
    "表哥",
    "舅舅",
    "姑姑",
    "朋友",
]
_WHEN = [
    "今天",
    "明天",
    "昨天",
    "早上",
    "中午",
    "晚上",
    "周末",
    "下午",
    "刚才",
    "前几天",
    "这两天",
    "过两天",
    "去年冬天",
]
_WEATHER = [
    "天气不错",
    "下雨了",
    "有点冷",
    "特别热",
    "刮大风",
    "下雪了",
    "阴天",
    "太阳挺好",
    "雾很大",
    "凉快多了",
    "闷得慌",
    "有雷阵雨",
    "降温了",
    "晴转多云",
]
_FOOD = [
    "饺子",
    "面条",
    "米饭",
    "馒头",
    "包子",
    "煎饼",
    "豆腐",
    "白菜",
    "土豆",
    "西红柿炒鸡蛋",
    "红烧肉",
    "鱼汤",
    "小米粥",
    "烧饼",
    "羊肉汤",
    "辣子鸡",
    "油条",
    "豆浆",
    "苹果",
    "西瓜",
    "葡萄",
    "橘子",
    "花生",
    "核桃",
]
_THING = [
    "衣服",
    "鞋子",
    "手机",
    "电视",
    "冰箱",
    "洗衣机",
    "自行车",
    "书包",
    "雨伞",
    "帽子",
    "围巾",
    "毛衣",
    "台灯",
    "电饭锅",
    "茶叶",
    "被子",
    "枕头",
    "桌子",
    "椅子",
    "窗帘",
    "眼镜",
    "手表",
    "钥匙",
    "剪刀",
]
_PLACE = [
    "超市",
    "菜市场",
    "商场",
    "学校",
    "广场",
    "河边",
    "地里",
    "单位",
    "饭店",
    "银行",
    "邮局",
    "理发店",
    "车站",
    "楼下",
    "村口",
    "书店",
    "花店",
    "集上",
]
_HOBBY = [
    "下棋",
    "钓鱼",
    "跳广场舞",
    "唱戏",
    "写毛笔字",
    "养花",
    "遛弯",
    "打太极拳",
    "听收音机",
    "看电视剧",
    "织毛衣",
    "打扑克",
    "放风筝",
    "拉二胡",
]
_COUNT = ["一", "两", "三", "四", "五", "六", "七", "八", "九", "十", "几"]
_MEASURE = [
    ("斤", _FOOD),
    ("个", _THING),
    ("件", ["衣服", "毛衣", "事情"]),
    ("包", ["烟", "瓜子", "饼干", "茶叶"]),
    ("瓶", ["酱油", "醋", "啤酒", "矿泉水"]),
    ("袋", ["面粉", "大米", "牛奶"]),
    ("盒", ["饼干", "鸡蛋", "月饼"]),
]

_TEMPLATES = [
    "{when}{weather}",
    "{when}{weather}，{who}不想出门",
    "{who}{when}去{place}买了{count}{measure}{goods}",
    "{who}说{place}的{food}挺好吃",
    "{when}{who}做了{food}，还炖了{food2}",
    "{who}喜欢{hobby}，{when}又去了",
    "{who}的{thing}坏了，{when}得去{place}修一修",
    "{place}今天人多不多",
    "{who}想吃{food}，{who2}想吃{food2}",
    "{when}跟{who}一起去{place}{hobby}",
    "{thing}多少钱一个",
    "{food}怎么做才好吃",
    "{who}问{place}几点开门",
    "{when}{weather}，记得带{thing}",
    "{who}刚从{place}回来，买了点{food}",
    "{who}最近迷上了{hobby}",
    "{who}的生日快到了，送什么{thing}好呢",
    "{when}{who}在{place}碰见了{who2}",
]


def _fill(rng: random.Random, template: str) -> str:
    unit, goods = rng.choice(_MEASURE)
    return template.format(
        who=rng.choice(_WHO),
        who2=rng.choice(_WHO),
        when=rng.choice(_WHEN),
        weather=rng.choice(_WEATHER),
        food=rng.choice(_FOOD),
        food2=rng.choice(_FOOD),
        thing=rng.choice(_THING),
        place=rng.choice(_PLACE),
        hobby=rng.choice(_HOBBY),
        count=rng.choice(_COUNT),
        measure=unit,
        goods=rng.choice(goods),
    )


def sentence(rng: random.Random) -> str:
    return _fill(rng, rng.choice(_TEMPLATES))


def sentences(n: int = 1000, seed: int = 19) -> List[str]:
    """n different ordinary sentences, the same ones for the same seed."""
    rng = random.Random(seed)
    out: Dict[str, None] = {}
    while len(out) < n:
        out[sentence(rng)] = None
    return list(out)
