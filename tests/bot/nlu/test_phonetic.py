"""The phonetic reader: vocabulary words written by speech recognition with other characters of the same sound
(bot/nlu/phonetic.py, phonetic.yml), and what it must never read."""

import random

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.nlu import phonetic
from bot.nlu.extractor import _phonetic_index, _vocabulary, extract, respell_topics
from bot.nlu.normaliser import normalize
from rules_kb import default_kb
from tests.support.ordinary import homophone_table, sentence, sentences

KB = default_kb()
INDEX = _phonetic_index(KB)
READ = [
    (w, e, v)
    for w, e, v in _vocabulary(KB)
    if e in phonetic.ENTITIES and len(w) >= phonetic.MIN_CHARS and all(phonetic.is_han(c) for c in w)
]


def ents(text):
    return [(e.entity, e.value) for e in extract(normalize(text), KB) if e.entity != "economic"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("俺娘七十六邹成的 底保", [("relation", "母亲"), ("age", "76"), ("county", "邹城市"), ("status", "低保")]),
        ("俺爹八十五滕洲的 低保", [("relation", "父亲"), ("age", "85"), ("county", "滕州市"), ("status", "低保")]),
        ("聊成的高零津贴多少钱", [("city", "聊城"), ("item", "高龄津贴")]),
        ("计宁的护理不贴找谁", [("city", "济宁"), ("item", "护理补贴")]),
        ("我妈读居 是特坤", [("relation", "母亲"), ("status", "独居"), ("status", "特困")]),
        ("不是底保", [("not_status", "低保")]),
        (
            "俺姥娘八十七 失读",
            [("relation", "姥姥"), ("age", "87"), ("status", "失独")],
        ),  # 失读 is a rare dictionary word
        ("重杜残疾人护理补贴", [("item", "重度残疾人护理补贴")]),  # the longer word by sound before 残疾人 as written
        # zh/z heard alike, and 周 not a unit after an age
        ("俺娘七十二周城的", [("relation", "母亲"), ("age", "72"), ("county", "邹城市")]),
        ("俺爹八十九曲服的", [("relation", "父亲"), ("age", "89"), ("county", "曲阜市")]),  # 九曲 no barrier
        ("住雪城", [("county", "薛城区")]),  # 雪城 is a rare dictionary word
        ("俺姥娘八十七四水的", [("relation", "姥姥"), ("age", "87"), ("county", "泗水县")]),  # 四 begins the place
        ("那个高龄经贴到底多少", [("item", "高龄津贴")]),  # -ing for -in, in a word of four syllables
        ("俺爷九十三", [("relation", "爷爷"), ("age", "93")]),
        # 住家 is one word to the segmenter: a place after 住/在 is read apart from the verb
        ("俺爹七十九了住家祥", [("relation", "父亲"), ("age", "79"), ("county", "嘉祥县")]),
        # a two-character place with both characters written otherwise, only where a place is said (X的, 在X)
        ("俺姥爷九十一林青的", [("relation", "姥爷"), ("age", "91"), ("county", "临清市")]),
        ("俺老娘在取富住", [("relation", "母亲"), ("county", "曲阜市")]),
    ],
)
def test_heard_words(text, expected):
    assert ents(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "他是中国人",  # 是中 sounds like 市中, but 中国 crosses its end
        "就一个儿子在外地",  # 就一 / 就医
        "做完这个疗程再说",  # 疗程 is a word, not 聊城
        "家乡的风景真好",  # 家乡 / 嘉祥
        "中餐吃的面条",  # 中餐 / 重残
        "那要多少钱",  # 那要 / 拿药: nothing written the same
        "买了五包烟",  # phonetic.yml: ordinary
        "一成的人都去了",  # 一成 / 峄城
        "我床上有被子",  # 床上 crosses 我床 (卧床)
        "他有老病了",  # phonetic.yml: ordinary (老兵)
        "就一个问题",  # 一个 is no spoken age: 就一 / 就医 stays blocked
        "京乡的路远",  # jing for jin only in words of four syllables: 京乡 is not 金乡
        "我在家养老",  # 在 set apart, 家养 is still no place
        "他在家乡住",
    ],
)
def test_ordinary_speech_is_not_read(text):
    assert ents(text) == []


def test_no_sound_of_two_meanings_is_unresolved():
    """Two vocabulary words of different meaning with the same toneless pinyin: phonetic.yml must say which one
    the sound is read as (or neither); until it does, the sound is not read at all and this fails."""
    assert INDEX.unresolved == (), [INDEX.collisions[k] for k in INDEX.unresolved]


def test_collision_resolution_is_applied():
    vocab = [("甲乙", "status", "低保"), ("假以", "status", "特困")]
    assert phonetic.build_index(vocab, {"collisions": {}, "ordinary": {}}).unresolved == (("jia", "yi"),)
    index = phonetic.build_index(vocab, {"collisions": {"jia yi": "甲乙"}, "ordinary": {}})
    assert index.unresolved == () and [e.word for e in index.by_first[("jia", "yi")]] == ["甲乙"]


def test_guards():
    e = phonetic.Entry(("di", "bao"), "低保", "status", "低保")
    assert phonetic.sounds_like("底保", e)
    assert not phonetic.sounds_like("低保", e)  # written the same: exact lookup's
    assert not phonetic.sounds_like("地宝", e)  # nothing written the same
    assert not phonetic.sounds_like("底宝户", e)  # another length
    words = [w for w, *_ in READ]
    assert all(len(w) >= 2 for w in words)
    assert not any(e == "relation" for _, e, _ in READ)  # 公公 sounds like 公共


def test_data_is_validated(tmp_path):
    bad = tmp_path / "p.yml"
    bad.write_text("collisions: {jia yi: [甲乙]}\n", encoding="utf-8")
    with pytest.raises(ValueError):
        phonetic.load_data(bad)
    assert phonetic.load_data()  # the project's own file


@st.composite
def homophone_form(draw):
    """A status, item or place of the vocabulary with up to half its characters swapped for other common
    characters of the same toneless pinyin, and the meaning it must be read as."""
    word, entity, value = draw(st.sampled_from(READ))
    table = homophone_table()
    key = phonetic.word_key(word)
    swappable = [i for i, (ch, s) in enumerate(zip(word, key)) if any(c != ch for c in table.get(s, ()))]
    assume(swappable)
    count = draw(st.integers(1, max(1, min(len(swappable), len(word) // 2))))
    places = draw(st.lists(st.sampled_from(swappable), min_size=count, max_size=count, unique=True))
    chars = list(word)
    for i in places:
        chars[i] = draw(st.sampled_from([c for c in table[key[i]] if c != word[i]]))
    return "".join(chars), word, entity, value


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(homophone_form(), st.sampled_from(["{}", "问一下，{}？", "{}。"]))
def test_homophones_are_read_as_the_word(form, carrier):
    text, word, entity, value = form
    # What the reader refuses on purpose (phonetic.py): a form that is itself a word of the dictionary, one listed as
    # ordinary speech, one that is another vocabulary word as written (exact lookup reads that one).
    assume(not phonetic.is_word(text) and text not in INDEX.ordinary.get(word, ()) and text not in INDEX.known)
    found = [(e.entity, e.value) for e in extract(normalize(carrier.format(text)), KB) if e.entity != "economic"]
    if entity == "county":  # a county names its city too; the county is what is read
        assert ("county", value) in found, (text, word, found)
    else:
        assert (entity, value) in found, (text, word, found)


def vocabulary_ents(text):
    """What the KB's vocabulary (and its sound) finds: statuses, items, places. A relation named in an ordinary
    sentence ("下午舅舅做了鱼汤") is a relation, said."""
    return [x for x in ents(text) if x[0] != "relation"]


def test_a_thousand_ordinary_sentences_yield_no_entity():
    said = sentences(1000)
    assert len(set(said)) == 1000
    read = {s: vocabulary_ents(s) for s in said}
    assert {s: r for s, r in read.items() if r} == {}


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_ordinary_sentences_property(seed):
    text = sentence(random.Random(seed))
    assert vocabulary_ents(text) == [], text


def test_a_character_written_differently_is_heard_in_its_ordinary_reading():
    e = phonetic.Entry(("liao", "cheng"), "聊城", "city", "聊城")
    assert phonetic.sounds_like("聊成", e)
    assert not phonetic.sounds_like("了城", e)  # 了 is le; liǎo only in 了解
    assert ents("他进了城") == []


def test_a_rare_dictionary_word_across_an_end_does_not_block():
    assert ents("汶上的高零津贴有没有") == [("county", "汶上县"), ("item", "高龄津贴")]  # 贴有 is a rare entry


def test_a_word_of_the_segmentation_across_an_end_blocks():
    assert ents("我是独生子") == []  # 是独 sounds like 失独, but 独生子 crosses its end


@pytest.mark.parametrize(
    "heard, written",
    [
        ("枣庄对养老乎理员培训有啥要求", "枣庄对养老护理员培训有啥要求"),  # zz-2023 第19条: 养老护理员岗前培训
        ("家庭养老床为建了多少", "家庭养老床位建了多少"),
        ("那今年养老今涨多少", "那今年养老金涨多少"),  # outside.yml's words too: what no document covers
    ],
)
def test_policy_words_heard_are_respelled_as_the_facts_write_them(heard, written):
    assert respell_topics(heard) == written


def test_a_thousand_ordinary_sentences_are_not_respelled():
    said = sentences(1000)
    assert {s: respell_topics(s) for s in said if respell_topics(s) != s} == {}
