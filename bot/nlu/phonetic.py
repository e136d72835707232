"""Vocabulary words read by sound: what speech recognition writes for them (底保 for 低保, 聊成 for 聊城, 护理不贴
for 护理补贴, 能力平估 for 能力评估). No list of slips covers these; an index from the toneless pinyin of each
status, item and place of the KB vocabulary (extractor._build_vocabulary) to the word does.

A span of a message is read as a vocabulary word when
- the word has at least MIN_CHARS characters, and is a status, an item or a place (not a relation: 公公 sounds
  like 公共, 老伴 like 老板);
- every character of the span reads as the word's syllable at that place: one written as in the word in any of
  its readings, one written differently in its ordinary (first) reading (了 is le, so "进了城" holds no 聊城);
- the span is written differently from the word, in at most half of its characters (speech recognition gets most
  characters of a word right: 聊成, 特坤, 高零津贴; a span with none in common, 那要 for 拿药, is another word);
- the span is not itself a common word of jieba's dictionary (疗程 is not 聊城, 家乡 not 嘉祥, 中餐 not 重残; a rare
  entry such as 失读 is read as 失独), no
  word of jieba's segmentation of the message or vocabulary word crosses either of its ends ("是中国人" holds no
  市中: 中国 crosses the end of 是中; "聊城失能" no 聊城市: 失能 crosses it), and it is not, as written, a word
  of the same meaning plus only characters that differ ("枣庄是" is not 枣庄市: exact lookup finds 枣庄, and 是
  belongs to what follows);
- `phonetic.yml` does not list the span as ordinary speech for the word, nor resolve its sound away (collisions).

The extractor consults these spans only where exact lookup matched nothing, longest first: a sound match of a
longer word goes before exact matches of shorter words inside it, as exact matches do among themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, List, Mapping, Optional, Tuple

import yaml
from pypinyin import Style, lazy_pinyin, pinyin

DATA = Path(__file__).with_name("phonetic.yml")
ENTITIES = ("item", "status", "city", "county", "topic")  # what is read by sound; relations are not
MIN_CHARS = 2


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


@lru_cache(maxsize=None)
def readings(ch: str) -> Tuple[str, ...]:
    """Every toneless reading of one character ("重" -> zhong, chong); () for anything but a CJK ideograph."""
    if not is_han(ch):
        return ()
    return tuple(dict.fromkeys(pinyin(ch, style=Style.NORMAL, heteronym=True)[0]))


def loose(syllable: str) -> str:
    """A syllable as a Shandong speaker may be heard: zh/ch/sh as z/c/s (周城 for 邹城). Not -eng/-ing as -en/-in:
    tried, it made a held-out case that passed fail (docs/measurements.md, sixth round)."""
    return syllable[0] + syllable[2:] if syllable[:2] in ("zh", "ch", "sh") else syllable


# A long word is heard with -ing/-eng as -in/-en too (高龄经贴 for 高龄津贴): with four or more syllables to agree,
# a slip of the nasal is no other word. Short words stay strict (loose() above says why).
LONG_WORD = 4


def loose_long(syllable: str) -> str:
    syllable = loose(syllable)
    return syllable[:-1] if syllable.endswith(("ing", "eng")) else syllable


def word_key(word: str) -> Tuple[str, ...]:
    """A vocabulary word's toneless pinyin, as the word is read (pypinyin's phrases choose among heteronyms)."""
    return tuple(lazy_pinyin(word, style=Style.NORMAL))


@dataclass(frozen=True)
class Entry:
    key: Tuple[str, ...]
    word: str
    entity: str
    value: str


@dataclass(frozen=True)
class Index:
    by_first: Mapping[Tuple[str, str], Tuple[Entry, ...]]  # first two syllables -> entries, longest first
    ordinary: Mapping[str, FrozenSet[str]]  # word -> spans that are ordinary speech, never read as it
    collisions: Mapping[Tuple[str, ...], Tuple[Entry, ...]]  # sounds of two meanings (resolved or not)
    unresolved: Tuple[Tuple[str, ...], ...]  # collisions phonetic.yml does not resolve: not read at all
    known: Mapping[str, Tuple[str, str]]  # every vocabulary word (relations too) -> (entity, value)
    longest: int  # the longest vocabulary word


EMPTY_DATA: dict = {"collisions": {}, "ordinary": {}}  # for an index of words that collide with nothing


def load_data(path: Path = DATA) -> dict:
    """phonetic.yml, validated: collisions map a pinyin string to a word or null; ordinary maps a word to spans."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    collisions = data.get("collisions") or {}
    ordinary = data.get("ordinary") or {}
    if not isinstance(collisions, dict) or not all(
        isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in collisions.items()
    ):
        raise ValueError(f"{path}: collisions: pinyin -> word or null")
    if not isinstance(ordinary, dict) or not all(
        isinstance(k, str) and isinstance(v, list) and all(isinstance(s, str) for s in v) for k, v in ordinary.items()
    ):
        raise ValueError(f"{path}: ordinary: word -> list of spans")
    return {"collisions": collisions, "ordinary": ordinary}


def build_index(vocabulary: Iterable[Tuple[str, str, str]], data: Optional[dict] = None) -> Index:
    """`vocabulary`: (word, entity, value) as extractor._build_vocabulary makes it."""
    data = data if data is not None else load_data()
    vocabulary = list(vocabulary)
    known = {w: (entity, value) for w, entity, value in vocabulary}
    by_key: Dict[Tuple[str, ...], List[Entry]] = {}
    for word, entity, value in vocabulary:
        if entity not in ENTITIES or len(word) < MIN_CHARS or not all(is_han(c) for c in word):
            continue
        key = word_key(word)
        if len(key) == len(word):
            by_key.setdefault(key, []).append(Entry(key, word, entity, value))
    resolved = {tuple(k.split()): v for k, v in data["collisions"].items()}
    collisions, unresolved = {}, []
    kept: List[Entry] = []
    for key, entries in by_key.items():
        if len({(e.entity, e.value) for e in entries}) > 1:
            collisions[key] = tuple(entries)
            if key not in resolved:
                unresolved.append(key)
                continue
            entries = [e for e in entries if e.word == resolved[key]]
        kept += entries
    by_first: Dict[Tuple[str, str], List[Entry]] = {}
    for e in sorted(kept, key=lambda e: -len(e.word)):
        by_first.setdefault((loose(e.key[0]), loose(e.key[1])), []).append(e)
    for words in data["ordinary"].values():
        for span in words:
            if len(span) < MIN_CHARS:
                raise ValueError(f"phonetic.yml: ordinary span {span!r} is shorter than {MIN_CHARS}")
    return Index(
        {k: tuple(v) for k, v in by_first.items()},
        {w: frozenset(s) for w, s in data["ordinary"].items()},
        collisions,
        tuple(unresolved),
        known,
        max((len(w) for w in known), default=0),
    )


def _dictionary() -> Mapping[str, int]:
    import jieba  # the tokenizer's own dictionary (already loaded in the NLU process)

    jieba.dt.check_initialized()
    return jieba.dt.FREQ


# A dictionary word rarer than this is more likely a slip for a vocabulary word than the word itself: 失读
# (alexia, 3) is heard for 失独, 雪城 (16) for 薛城, while 疗程 (148), 家乡 (1217) and 中餐 (43) are what people
# say. Between 10 and 20 the words that sound like the vocabulary are 集宁, 五保户, 公教, 巍山, 金像, 雪城, 起数 and
# 老病; only 老病 is ordinary speech here (phonetic.yml).
COMMON_WORD = 20


def is_word(span: str) -> bool:
    """Whether jieba's dictionary holds the span as a word people commonly say (its prefixes are stored with
    frequency 0; rare entries below COMMON_WORD do not count)."""
    return _dictionary().get(span, 0) >= COMMON_WORD


def _words_cut_at(text: str) -> FrozenSet[int]:
    """Where jieba's segmentation of the text (its dictionary, no HMM guesses) puts word boundaries."""
    import jieba

    cuts, at = {0}, 0
    for token in jieba.dt.cut(text, HMM=False):
        # "八十九曲服": an age runs into the next word in speech; 九曲 is no evidence against 曲服
        digits = len(token) - len(token.lstrip(_NUMERALS))
        spoken_number = digits >= 2 or (at > 0 and text[at - 1] in _NUMERALS)  # not 一个, 一样
        if 0 < digits < len(token) and spoken_number:
            cuts.add(at + digits)
        at += len(token)
        cuts.add(at)
    return frozenset(cuts)


_NUMERALS = "零一二三四五六七八九十百两"


def _crossed(text: str, start: int, end: int, index: Index, cuts: FrozenSet[int]) -> bool:
    """Whether a word of the text crosses the span's start or end: a word of jieba's segmentation ("是中国人" is
    是/中国/人: 中国 crosses the end of 是中; "我是独生子": 独生子 crosses 是独), or a vocabulary word ("聊城失能":
    失能 crosses the end of 聊城失). Segmentation, not every dictionary entry: a rare entry such as 贴有 does not
    stop "高零津贴有没有"."""
    if start not in cuts or end not in cuts:
        return True
    for cut in (start, end):
        if cut <= 0 or cut >= len(text):
            continue
        for a in range(max(0, cut - index.longest + 1), cut):
            for b in range(cut + 1, min(len(text), a + index.longest) + 1):
                if text[a:b] in index.known:
                    return True
    return False


_PLACED_BY = "住在"  # "住家祥": the segmenter joins 住 and 家 (住家); a place after 住/在 is read apart from it


def _placed(text: str, start: int, end: int, e: Entry, index: Index) -> bool:
    """Whether a place heard right after 住/在 stands once the verb is set apart from it (same offsets)."""
    if e.entity not in ("city", "county") or start == 0 or text[start - 1] not in _PLACED_BY:
        return False
    apart = text[: start - 1] + "，" + text[start:]
    return not _crossed(apart, start, end, index, _words_cut_at(apart))


def _holds_same_word(span: str, e: Entry, index: Index) -> bool:
    """Whether the span is, as written, a vocabulary word of the same meaning plus only characters that differ
    from the word ("枣庄是" is 枣庄 and a 是 for 市): exact lookup finds that word; the sound would only add a
    character that belongs to the next word."""
    meaning = (e.entity, e.value)
    for a in range(len(span)):
        for b in range(a + MIN_CHARS, len(span) + 1):
            if index.known.get(span[a:b]) == meaning and all(
                span[i] != e.word[i] for i in range(len(span)) if not a <= i < b
            ):
                return True
    return False


def sounds_like(span: str, e: Entry) -> bool:
    """The span is written differently from the word in at least one and at most half of its characters, and
    reads as the word: a character written as in the word in any of its readings, a character written
    differently in its ordinary (first) reading, as speech recognition writes a character for what it heard
    (了 is le: "进了城" holds no 聊城)."""
    if len(span) != len(e.word) or span == e.word:
        return False
    differ = sum(a != b for a, b in zip(span, e.word))
    if differ * 2 > len(span):
        return False
    fold = loose_long if len(e.word) >= LONG_WORD else loose
    for ch, own, syllable in zip(span, e.word, e.key):
        said = readings(ch)
        if not said or (syllable not in said if ch == own else fold(said[0]) != fold(syllable)):
            return False
    return True


# Where a place is said: "林青的", "在取富住", "取富县". A place name heard with every character written otherwise
# is read only there, syllable for syllable (tones aside, no loose folding): two wrong characters in a two-character
# word are too many to read anywhere else.
_PLACE_BEFORE = "在住是"
_PLACE_AFTER = "的县市区"


def sounds_wholly_like(span: str, e: Entry) -> bool:
    """A two-character place written with other characters throughout that read as its syllables, tones aside
    (林青 for 临清, 棗莊 for 枣庄): heard as the place only where a place is said (_respelled_place)."""
    if e.entity not in ("city", "county") or len(span) != len(e.word) or len(span) != 2 or span == e.word:
        return False
    return all(readings(ch)[:1] == (syllable,) for ch, syllable in zip(span, e.key))


def _respelled_place(text: str, start: int, end: int, e: Entry) -> bool:
    if not ((start > 0 and text[start - 1] in _PLACE_BEFORE) or (end < len(text) and text[end] in _PLACE_AFTER)):
        return False
    return sounds_wholly_like(text[start:end], e)


def find(text: str, index: Index) -> List[Tuple[int, int, Entry]]:
    """(start, end, entry) for every span of the text read as a vocabulary word by sound, longest first, then
    leftmost. Overlapping candidates are all returned; the extractor takes them as exact matches are taken."""
    found: List[Tuple[int, int, Entry]] = []
    n = len(text)
    heard = [readings(ch) for ch in text]
    cuts: Optional[FrozenSet[int]] = None  # segmented only when a span sounds like a word
    for i in range(n - 1):
        pairs = {(loose(a), loose(b)) for a in heard[i] for b in heard[i + 1]}  # most characters have one reading
        for pair in pairs:
            for e in index.by_first.get(pair, ()):
                end = i + len(e.word)
                if end > n:
                    continue
                span = text[i:end]
                if span in index.ordinary.get(e.word, ()):
                    continue
                if not (sounds_like(span, e) or _respelled_place(text, i, end, e)):
                    continue
                if _holds_same_word(span, e, index) or is_word(span):
                    continue
                cuts = cuts if cuts is not None else _words_cut_at(text)
                if _crossed(text, i, end, index, cuts) and not _placed(text, i, end, e, index):
                    continue
                found.append((i, end, e))
    return sorted(found, key=lambda f: (f[0] - f[1], f[0]))


def respell(text: str, index: Index) -> str:
    """The text with each span read by sound as a word of the index written as that word ("养老乎理员" ->
    "养老护理员"): same length, so every offset into the text still holds. Longest first, no overlaps."""
    chars = list(text)
    taken = [False] * len(text)
    for start, end, e in find(text, index):
        if any(taken[start:end]):
            continue
        chars[start:end] = list(e.word)
        for i in range(start, end):
            taken[i] = True
    return "".join(chars)
