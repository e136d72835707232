"""The normaliser and the PII mask: what NLU reads, and what never leaves a message."""
import pytest

from bot.nlu.normaliser import ID_MASK, MAX_NLU_CHARS, PHONE_MASK, mask_pii, normalize


@pytest.mark.parametrize("raw, expected", [
    ("我父親85歲，棗莊的低保戶，能領什麼？", "我父亲85岁,枣庄的低保户,能领什么?"),
    ("八十五岁", "85岁"),
    ("九十二", "92"),
    ("今年九十二了", "今年92了"),
    ("一百零二岁", "102岁"),
    ("评估二级", "评估2级"),
    ("残疾一级", "残疾1级"),
    ("ＡＢＣ１２３　枣庄", "ABC123 枣庄"),
    ("  枣庄   的\t低保  ", "枣庄 的 低保"),
])
def test_normalize(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize("text", ["统一", "一个人住", "说一下", "两个孩子都在外地"])
def test_numerals_that_are_not_ages_or_grades_stay(text):
    assert normalize(text) == text


def test_long_message_is_cut_for_nlu():
    clean = normalize("我父亲八十五岁" * 1000)
    assert len(clean) <= MAX_NLU_CHARS and clean.startswith("我父亲85岁我父亲85岁")


@pytest.mark.parametrize("secret, mask", [
    ("370402195001011234", ID_MASK),
    ("37040219500101123X", ID_MASK),
    ("13812345678", PHONE_MASK),
    ("138-1234-5678", PHONE_MASK),
    ("+86 13812345678", PHONE_MASK),
])
def test_pii_is_masked(secret, mask):
    masked = mask_pii(f"我的号码是{secret}，帮我查查")
    assert secret not in masked and mask in masked
    assert secret not in normalize(f"号码{secret}")


def test_ages_and_short_numbers_are_not_masked():
    assert mask_pii("我父亲85岁，2023年评估2级") == "我父亲85岁，2023年评估2级"
