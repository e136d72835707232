"""Personal data a user types, masked before anything stores, logs or reads a message: ID-card and mobile numbers
in every way people write them (ASCII, full-width, spelt out, in groups). Privacy, not NLU: the channels, the
review queue, the case transcript and the audit log use it as the normaliser does."""

from __future__ import annotations

import re
import unicodedata

# 18-digit ID (last may be X; also written 6-8-4 with spaces or dashes), 15-digit old ID, mainland mobile;
# not parts of longer digit runs (a letter after them is no digit: "…123xie xie"; an X ends an ID). They run
# over a folded copy of the text (below), so ASCII classes suffice.
_ID_END = r"(?:\d(?![0-9])|[Xx])"
_ID_RE = re.compile(
    r"(?<![0-9])(?:[1-9]\d{5}[- ]?(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[- ]?\d{3}"
    + _ID_END
    + r"|[1-9]\d{14}(?![0-9]))"
)
_LOOSE_ID_RE = re.compile(r"(?<![0-9])\d{17}" + _ID_END)
_PHONE_RE = re.compile(r"(?<![0-9])(?:(?:\+|00)?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?![0-9])")
ID_MASK = "[身份证号已隐去]"
PHONE_MASK = "[手机号已隐去]"
_PII = ((_ID_RE, ID_MASK), (_LOOSE_ID_RE, ID_MASK), (_PHONE_RE, PHONE_MASK))
# Numbers split into groups as people say or type them: "370481 1950 0223 8281", "137.7568.7122",
# "(138)12345678". A run of digit groups (brackets allowed round a group, up to three of space . - · _ between)
# is searched for consecutive groups whose digits together are a mobile number or an ID number with a real
# birth date, so ages, amounts, years and dates beside them stay.
_GROUP_RUN_RE = re.compile(r"(?<![0-9])\(?[0-9]+(?:\)?[ .\-·_]{0,3}\(?[0-9]+)*\)?(?:[Xx](?![0-9A-Za-z]))?")
_GROUP_RE = re.compile(r"[0-9]+")
_WHOLE_PHONE_RE = re.compile(r"1[3-9][0-9]{9}")
_WHOLE_ID_RE = re.compile(
    r"[1-9][0-9]{5}(?:(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]"
    r"|[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3})"
)


def _fold_table() -> dict:
    """One character for one, so a match in the folded copy is the same span of the original: every digit
    Unicode has (full-width １, other scripts, 𝟏, ①, ²) -> 0-9, Ｘ -> X, + and the spaces and dashes
    people put between digit groups -> "+", " ", "-"."""
    table = {}
    for cp in range(0x80, 0x20000):  # no digit character lies beyond U+1FFFF
        ch = chr(cp)
        d = unicodedata.digit(ch, None)
        if d is not None and (unicodedata.decimal(ch, None) is not None or unicodedata.normalize("NFKC", ch) == str(d)):
            table[cp] = str(d)
    table.update({ord("Ｘ"): "X", ord("ｘ"): "x", ord("＋"): "+", ord("﹢"): "+"})
    table.update(
        {
            ord(c): " "
            for c in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009" "\u200a\u202f\u205f\u3000"
        }
    )
    table.update({ord(c): "-" for c in "－‐‑‒–—―﹣−"})
    # zero-width characters typed (or pasted) between digit groups separate them like a space
    table.update({ord(c): " " for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad"})
    table.update({ord("（"): "(", ord("）"): ")", ord("．"): ".", ord("。"): ".", ord("・"): "·"})
    return table


_FOLD = _fold_table()


def _grouped(folded: str):
    """(start, end, mask) of the grouped numbers in a folded text, earliest and longest first."""
    for run in _GROUP_RUN_RE.finditer(folded):
        groups = [(m.start() + run.start(), m.end() + run.start()) for m in _GROUP_RE.finditer(run.group())]
        if run.group()[-1] in "Xx":  # an ID's check character ends the last group
            groups[-1] = (groups[-1][0], run.end())
        i = 0
        while i < len(groups):
            found = None
            digits = ""
            for j in range(i, len(groups)):
                digits += folded[groups[j][0] : groups[j][1]]
                if len(digits) > 18:
                    break
                if _WHOLE_PHONE_RE.fullmatch(digits):
                    found = (j, PHONE_MASK)
                elif _WHOLE_ID_RE.fullmatch(digits):
                    found = (j, ID_MASK)
            if found is None:
                i += 1
                continue
            j, mask = found
            start, end = groups[i][0], groups[j][1]
            if start > run.start() and folded[start - 1] == "(":
                start -= 1  # the brackets round the first group go with it
            if end < run.end() and folded[end] == ")":
                end += 1
            yield start, end, mask
            i = j + 1


# A number read out digit by digit and written down by speech recognition (WeChat voice): 一三八…, 幺 = 1.
# Also a pass without them, so "一" next to an ASCII number does not make it look longer than it is.
_FOLD_CN = {**_FOLD, **{ord(c): str(i) for i, c in enumerate("零一二三四五六七八九")}, ord("〇"): "0", ord("幺"): "1"}

_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def well_formed(text: str) -> str:
    """The text with lone surrogates (JSON's "\\ud800" decodes to one) as U+FFFD, so it can be stored and logged
    as UTF-8."""
    return _SURROGATE_RE.sub("\ufffd", text)


def mask_pii(text: str) -> str:
    """Replace ID-card and mobile numbers so they are never echoed, logged or stored, whatever digits they
    are written in (ASCII, full-width, 一三八… spelt out)."""
    before = None
    while text != before:  # a mask can end the digit run next to it, which may then be a number itself
        before = text
        for fold in (_FOLD_CN, _FOLD):  # 一八五4七０… whole first; then 13812345678 next to a 一
            folded = text.translate(fold)
            finders = [
                lambda f, r=regex, m=mask: ((x.start(), x.end(), m) for x in r.finditer(f)) for regex, mask in _PII
            ] + [_grouped]
            for find in finders:
                pieces, last = [], 0
                for start, end, mask in find(folded):
                    pieces += [text[last:start], mask]
                    last = end
                if pieces:
                    text = "".join(pieces) + text[last:]
                    folded = text.translate(fold)
    return text
