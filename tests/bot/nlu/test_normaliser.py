"""The normaliser and the PII mask: what NLU reads, and what never leaves a message."""

import pytest

from bot.nlu.normaliser import MAX_NLU_CHARS, normalize
from bot.privacy import ID_MASK, PHONE_MASK, mask_pii


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("我父親85歲，棗莊的低保戶，能領什麼？", "我父亲85岁,枣庄的低保户,能领什么?"),
        ("八十五岁", "85岁"),
        ("九十二", "92"),
        ("今年九十二了", "今年92了"),
        ("一百零二岁", "102岁"),
        ("评估二级", "评估2级"),
        ("残疾一级", "残疾1级"),
        ("ＡＢＣ１２３　枣庄", "ABC123 枣庄"),
        ("  枣庄   的\t低保  ", "枣庄 的 低保"),
        ("俺爸才六十几", "俺爸才60多"),  # sixty-some, as 六十多
        ("六十几个人", "六十几个人"),  # a count stays
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize("text", ["统一", "一个人住", "说一下", "两个孩子都在外地"])
def test_numerals_that_are_not_ages_or_grades_stay(text):
    assert normalize(text) == text


def test_long_message_is_cut_for_nlu():
    clean = normalize("我父亲八十五岁" * 1000)
    assert len(clean) <= MAX_NLU_CHARS and clean.startswith("我父亲85岁我父亲85岁")


@pytest.mark.parametrize(
    "secret, mask",
    [
        ("370402195001011234", ID_MASK),
        ("37040219500101123X", ID_MASK),
        ("13812345678", PHONE_MASK),
        ("138-1234-5678", PHONE_MASK),
        ("+86 13812345678", PHONE_MASK),
    ],
)
def test_pii_is_masked(secret, mask):
    masked = mask_pii(f"我的号码是{secret}，帮我查查")
    assert secret not in masked and mask in masked
    assert secret not in normalize(f"号码{secret}")


def test_ages_and_short_numbers_are_not_masked():
    assert mask_pii("我父亲85岁，2023年评估2级") == "我父亲85岁，2023年评估2级"


# issue 20 (2): numbers written in the groupings people use when they say or type them
@pytest.mark.parametrize(
    "secret, mask",
    [
        ("370481 1950 0223 8281", ID_MASK),  # 6-4-4-4, as read out
        ("3704 8119 5001 0112 34", ID_MASK),  # groups of four
        ("3704 8119 5001 0112 3X", ID_MASK),
        ("370481.19500223.8281", ID_MASK),
        ("137.7568.7122", PHONE_MASK),  # dots
        ("138\u200b1234\u200b5678", PHONE_MASK),  # zero-width spaces
        ("138\u200c1234\ufeff5678", PHONE_MASK),
        ("（138）12345678", PHONE_MASK),  # the first three in brackets, full-width
        ("(138) 1234 5678", PHONE_MASK),
        ("138 1234 5678", PHONE_MASK),
        ("13 81 23 45 67 8", PHONE_MASK),
        ("１３８．１２３４．５６７８", PHONE_MASK),
    ],
)
def test_numbers_in_spoken_and_written_groupings_are_masked(secret, mask):
    masked = mask_pii(f"我爸今年85岁 电话{secret}，帮我查查")
    digits = "".join(c for c in secret if c.isdigit() or c in "Xx")
    assert mask in masked, masked
    assert not any(
        digits in "".join(c for c in part if c.isdigit() or c in "Xx")
        for part in (masked, normalize(f"号码 {secret} 谢谢"))
    )
    assert "85岁" in masked  # the age beside it stays


@pytest.mark.parametrize(
    "text",
    [
        "我父亲85岁，2023年评估2级",
        "每月100元，一年1200元",
        "2025年3月1日开始",
        "2025-03-01 到 2025.12.31",
        "90岁以上 每月 100 元 80岁以上 50 元",
        "1950年出生，今年75岁",
        "第12项 第17项 附件2",
        "价格 1.5 2.5 3.5",
        "电话费 138 元",
        "2025 年 1 月 12345 号文件",
        "序号 1 2 3 4 5 6 7 8 9 10 11",
    ],
)
def test_ordinary_numbers_are_not_masked(text):
    assert mask_pii(text) == text
