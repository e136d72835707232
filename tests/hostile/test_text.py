"""bot/nlu/normaliser.py under hostile input: normalize and mask_pii never fail, stay fast, keep the length limit and
let no ID-card or mobile number through, however it is written and whatever surrounds it."""

import re
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.nlu.normaliser import MAX_NLU_CHARS, normalize
from bot.privacy import ID_MASK, PHONE_MASK, mask_pii
from tests.support.hostile import oracles
from tests.support.hostile.strategies import pii, short_text, texts


@given(texts)
@example("十岁" * 150)  # 十 -> 10 lengthens: still ≤ MAX_NLU_CHARS
@example("\ufdfa" * 10_000)  # NFKC makes each of these 18 characters
@example("發" * 10_000)  # OpenCC's pure-Python conversion is the slow step
@example(" " * 5000 + "我父亲85岁")
@example("快一三八一二三四五六七八了")  # digits spelt out become a number after conversion
def test_normalize_holds_for_any_text(text):
    oracles.check_normalize(text)


@given(texts)
@example("电话１３８　１２３４　５６７８")
@example("身份证370402 19500101 123X")
@example("370402500101123xie xie")
@example("29247519060709505x" * 400)  # an X ends an ID: all of them, in one pass
@example("00000000000000000X0𝟒7８3𝟕六一𝟗𝟓３0一零１６２6ｘ")  # masking one made the other an ID: idempotent now
@example("一三八一二三四五六七八13912345678")
def test_mask_pii_holds_for_any_text(text):
    oracles.check_mask_pii(text)


@given(short_text, pii(), short_text)
def test_no_id_or_mobile_survives_in_any_surrounding_text(prefix, number, suffix):
    kind, digits, written = number
    oracles.check_pii_embedded(prefix, written, digits, suffix)


@pytest.mark.parametrize(
    "written, mask",
    [
        ("３７０４０２１９５００１０１１２３４", ID_MASK),  # full-width
        ("３７０４０２１９５００１０１１２３Ｘ", ID_MASK),
        ("370402 19500101 1234", ID_MASK),  # 6-8-4 groups
        ("370402500101123", ID_MASK),  # 15-digit old ID
        ("１３８１２３４５６７８", PHONE_MASK),
        ("138　1234　5678", PHONE_MASK),  # ideographic spaces
        ("+86 138-1234-5678", PHONE_MASK),
        ("008613812345678", PHONE_MASK),
        ("一三八一二三四五六七八", PHONE_MASK),  # speech recognition of a number read out
        ("幺三八 幺二三四 五六七八", PHONE_MASK),
        ("１𝟖5４70１9６６0二１九八６0X", ID_MASK),  # mixed: not an 11-digit "mobile" and 7 left over
    ],
)
@pytest.mark.parametrize("before, after", [("", ""), ("我的號碼是", "，幫我查查"), ("電話：", "。"), ("x", "xie")])
def test_each_way_of_writing_is_masked(written, mask, before, after):
    for out in (mask_pii(before + written + after), normalize(before + written + after)):
        assert mask in out and not oracles.pii_runs(out, nfkc=True)


def test_what_is_not_an_id_or_mobile_stays():
    for text in ("我父亲85岁，2023年评估2级", "一个人住", "3704021950010112345", "1381234567", "二零二三年"):
        assert mask_pii(text) == text


# normalize is NOT idempotent in general, only where it makes no cut. At the MAX_NLU_CHARS cut the output can
# end in a space ("a"*299 + " b" -> "a"*299 + " ", which a second pass strips) or in a numeral whose following
# character the cut removed ("…二十X" -> "…二十", which a second pass reads as an age ending the clause: "…20").
# Both change only the end, which NLU reads last; what holds is tested here. No cut is possible when the text
# is at most a third of the limit after NFKC (百 -> 100 triples a character at most).
_TAIL = re.compile(r"[\s0-9零〇一二两三四五六七八九十百]*$")


@given(texts)
@example("a" * 299 + " b")
@example("十岁" + "好" * 295 + "二十X")
def test_normalize_is_idempotent_where_it_made_no_cut_and_else_differs_only_at_the_end(text):
    once = normalize(text)
    twice = normalize(once)
    if len(unicodedata.normalize("NFKC", text)) <= MAX_NLU_CHARS // 3:
        assert twice == once, f"{text!r} -> {once!r} -> {twice!r}"
    assert _TAIL.sub("", twice) == _TAIL.sub("", once), f"{once!r} -> {twice!r}"
    assert normalize(twice) == twice, "a third pass still changes the text"


def test_normalize_is_not_idempotent_at_the_cut():
    once = normalize("a" * 299 + " b")
    assert once == "a" * 299 + " " and normalize(once) == "a" * 299


@given(st.text(max_size=MAX_NLU_CHARS * 5))
def test_output_length_for_plain_unicode(text):
    assert len(normalize(text)) <= MAX_NLU_CHARS
