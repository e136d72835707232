"""Text clean-up before anything reads a message: PII masking and normalisation (pure functions)."""
from __future__ import annotations

import re
import unicodedata

import cn2an
import opencc

MAX_NLU_CHARS = 300  # what NLU reads of a message; the rest of a very long message is ignored

_T2S = opencc.OpenCC("t2s")
# 18-digit ID (last may be X), 15-digit old ID, mainland mobile; not parts of longer digit runs.
_ID_RE = re.compile(r"(?<![0-9])(?:[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx]|[1-9]\d{14})(?![0-9Xx])")
_LOOSE_ID_RE = re.compile(r"(?<![0-9])\d{17}[0-9Xx](?![0-9])")
_PHONE_RE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?![0-9])")
ID_MASK = "[身份证号已隐去]"
PHONE_MASK = "[手机号已隐去]"

_NUMERAL = "零〇一二两三四五六七八九十百"
# A Chinese numeral is converted only where it is a quantity people state: an age or a grade.
_CN_NUM_RE = re.compile(rf"(?P<pre>今年|年龄|年纪|已经|快)?(?P<num>[{_NUMERAL}]+)(?P<post>周岁|岁|级|多岁|了)?")


def mask_pii(text: str) -> str:
    """Replace ID-card and mobile numbers so they are never echoed, logged or stored."""
    text = _ID_RE.sub(ID_MASK, text)
    text = _LOOSE_ID_RE.sub(ID_MASK, text)
    return _PHONE_RE.sub(PHONE_MASK, text)


def _cn_to_digits(match: re.Match, whole: str) -> str:
    num, pre, post = match.group("num"), match.group("pre") or "", match.group("post") or ""
    stands_alone = match.group(0) == whole
    # "我奶奶九十二，济宁的": a compound number (with 十/百) ending a clause is an age too.
    ends_clause = ("十" in num or "百" in num) and len(num) >= 2 and (
        match.end() >= len(match.string) or match.string[match.end()] in ",，。.？?！! ")
    if not (pre or post or stands_alone or ends_clause) or num in ("两",):
        return match.group(0)
    try:
        value = cn2an.cn2an(num, "smart")
    except (ValueError, KeyError):
        return match.group(0)
    return f"{pre}{int(value)}{post}"


def normalize(text: str) -> str:
    """Simplified characters, half-width forms, digits for stated ages/grades, tidy whitespace."""
    text = mask_pii(unicodedata.normalize("NFKC", text or ""))  # NFKC: full-width -> half-width
    text = _T2S.convert(text)
    text = re.sub(r"\s+", " ", text).strip()
    text = text[:MAX_NLU_CHARS]
    core = text.strip("？?。.!！，, ")
    return _CN_NUM_RE.sub(lambda m: _cn_to_digits(m, core), text)
