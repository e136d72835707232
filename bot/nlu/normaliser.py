"""Text clean-up before anything reads a message: PII masked (bot/privacy.py), then normalised (pure functions)."""

from __future__ import annotations

import functools
import re
import unicodedata

import cn2an
import opencc

from bot.privacy import mask_pii

MAX_NLU_CHARS = 300  # what NLU reads of a message; the rest of a very long message is ignored
# How much of a message is looked at to find those MAX_NLU_CHARS (runs of spaces shrink): a bound on the work,
# as NFKC can make one character eighteen (U+FDFA).
MAX_READ_CHARS = 4 * MAX_NLU_CHARS

_T2S = opencc.OpenCC("t2s")
_NUMERAL = "零〇一二两三四五六七八九十百"
# A Chinese numeral is converted only where it is a quantity people state: an age or a grade.
_CN_NUM_RE = re.compile(rf"(?P<pre>今年|年龄|年纪|已经|快)?(?P<num>[{_NUMERAL}]+)(?P<post>周岁|岁|级|多岁|了)?")


def _cn_to_digits(match: re.Match, whole: str) -> str:
    num, pre, post = match.group("num"), match.group("pre") or "", match.group("post") or ""
    stands_alone = match.group(0) == whole
    # "我奶奶九十二，济宁的": a compound number (with 十/百) ending a clause is an age too.
    ends_clause = (
        ("十" in num or "百" in num)
        and len(num) >= 2
        and (match.end() >= len(match.string) or match.string[match.end()] in ",，。.？?！! 呢了吧啊呀岁多好来")
    )
    if not (pre or post or stands_alone or ends_clause) or num in ("两",):
        return match.group(0)
    try:
        value = cn2an.cn2an(num, "smart")
    except (ValueError, KeyError):
        return match.group(0)
    return f"{pre}{int(value)}{post}"


_TENS_SOME_RE = re.compile(r"(?<![一二三四五六七八九十百零两])([四五六七八九]十)几(?=$|[,，。.？?！! 呢了吧啊呀岁的])")


@functools.lru_cache(maxsize=512)  # a turn normalises its message in the pipeline and again in the action
def normalize(text: str) -> str:
    """Simplified characters, half-width forms, digits for stated ages/grades, tidy whitespace."""
    text = mask_pii(text or "")[:MAX_READ_CHARS]  # masked before the cut: no number is left in part
    text = mask_pii(unicodedata.normalize("NFKC", text))  # NFKC: full-width -> half-width
    text = re.sub(r"\s+", " ", text).strip()
    text = _T2S.convert(text[:MAX_NLU_CHARS])  # after the cut: OpenCC's time grows with the length
    text = _TENS_SOME_RE.sub(r"\1多", text)  # "俺爸才六十几": sixty-some, as 六十多
    core = text.strip("？?。.!！，, ")
    text = _CN_NUM_RE.sub(lambda m: _cn_to_digits(m, core), text)
    # 十岁 -> 10岁 makes the text longer: cut again, then mask again, as digits may now spell out a number
    return mask_pii(text[:MAX_NLU_CHARS])


_EDGES = " ？?。.!！，,~"


def core(text: str) -> str:
    """A message without the spaces and punctuation around it ("你好！" → "你好"): what the readers match whole."""
    return text.strip(_EDGES)
