"""Case codes: alphabet without look-alikes, length, entropy, what an operator may type."""

import math
from collections import Counter

from bot.handoff import codes


def test_alphabet_has_no_look_alike_characters():
    for confusable in "01ILOUilou":
        assert confusable not in codes.ALPHABET
    assert len(set(codes.ALPHABET)) == len(codes.ALPHABET) == 30


def test_a_code_carries_at_least_48_bits():
    assert codes.LENGTH >= 8
    assert codes.ENTROPY_BITS == codes.LENGTH * math.log2(len(codes.ALPHABET))
    assert codes.ENTROPY_BITS > 48


def test_codes_use_the_whole_alphabet_evenly_and_do_not_repeat():
    drawn = [codes.new_code() for _ in range(3000)]
    assert len(set(drawn)) == len(drawn)
    assert all(len(c) == codes.LENGTH and set(c) <= set(codes.ALPHABET) for c in drawn)
    counts = Counter("".join(drawn))
    expected = len(drawn) * codes.LENGTH / len(codes.ALPHABET)  # 1000 per character
    assert set(counts) == set(codes.ALPHABET)
    assert all(abs(n - expected) < 0.2 * expected for n in counts.values())


def test_what_an_operator_types_is_read_leniently_but_never_as_another_code():
    code = "ABCDE23456"
    assert codes.normalise("abcde-23456") == code
    assert codes.normalise(" ABCDE 23456 ") == code
    assert codes.display(code) == "ABCDE-23456"
    assert codes.normalise(codes.display(code)) == code
    assert codes.normalise("ABCDE2345") is None  # too short
    assert codes.normalise("ABCDE234567") is None  # too long
    assert codes.normalise("ABCDO23456") is None  # O is not in the alphabet: not read as 0 or D
    assert codes.normalise("") is None


def test_only_a_hash_of_the_code_is_stored():
    code = codes.new_code()
    assert code not in codes.digest(code) and len(codes.digest(code)) == 64
    assert codes.digest(code) != codes.digest(codes.new_code())


# issue 20 (12): typed with a Chinese keyboard's full-width characters, or look-alike letters of other scripts
def test_full_width_and_look_alike_characters_are_read_as_the_code():
    code = "ABCDE23456"
    for typed in (
        "ＡＢＣＤＥ－２３４５６",
        "ａｂｃｄｅ２３４５６",
        "ＡＢＣＤＥ　２３４５６",
        "ABCDE—23456",
        "ABCDE_23456",
        "\u0410\u0412\u0421DE-23456",  # Cyrillic А В С
        "\u0391\u0392CDE 23456",  # Greek Α Β
        "abcde\u200b23456",
    ):
        assert codes.normalise(typed) == code, typed
    assert codes.normalise("ＡＢＣＤＯ２３４５６") is None  # O stays not-a-code, full-width or not


def test_codes_shown_in_a_reply_are_masked_for_the_store():
    code = codes.display(codes.new_code())
    assert codes.mask_codes(f"您的查询码：{code}\n请拨打12345") == f"您的查询码：{codes.CODE_MASK}\n请拨打12345"
    assert codes.mask_codes("ABCDE-23456X 与 ZZZZZZ-ZZZZZ") == "ABCDE-23456X 与 ZZZZZZ-ZZZZZ"  # not codes
