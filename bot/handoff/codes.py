"""Case codes (查询码): short, read aloud over the phone, unguessable.

10 characters from a 30-character alphabet without look-alikes (no 0/O, 1/I/L, U/V kept apart by dropping U):
30**10 ≈ 5.9e14 codes, log2 ≈ 49.1 bits, drawn with `secrets`. With at most `lookup_limit` wrong tries per
operator session and `lookup_limit_per_ip` per address in a window, and codes living 7 days, guessing one of
even a million live codes is out of reach. Only a hash of a code is stored, so the database does not hold
usable codes either.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
import unicodedata
from typing import Optional

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10
ENTROPY_BITS = LENGTH * math.log2(len(ALPHABET))
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−_·・.\u200b\u200c\u200d\u2060\ufeff]")
# Capital letters of other scripts that look like Latin ones (a pasted or mistyped code): read as those.
_LOOK_ALIKES = str.maketrans("АВСЕНКМОРТХУ" "ΑΒΕΖΗΚΜΝΟΡΤΥΧ", "ABCEHKMOPTXY" "ABEZHKMNOPTYX")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def display(code: str) -> str:
    """ABCDE-FGHJK: two groups of five are easier to read out."""
    return f"{code[:5]}-{code[5:]}"


def normalise(typed: str) -> Optional[str]:
    """What an operator typed -> the code, or None when it cannot be one (wrong length or characters).
    Case, width (full-width forms), spaces and dashes, and Cyrillic or Greek look-alike capitals do not matter;
    o/i/l typed for the digits they look like are read as those digits would be if the alphabet had them: not at
    all, so they make the code invalid rather than another code."""
    # NFKC: full-width ＡＢＣ－２３４ as a Chinese keyboard types them -> ABC-234
    code = _SEPARATORS.sub("", unicodedata.normalize("NFKC", typed or "")).upper().translate(_LOOK_ALIKES)
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def digest(code: str) -> str:
    return hashlib.sha256(("yanglao-case\0" + code).encode("ascii")).hexdigest()


CODE_MASK = "[查询码已隐去]"
_SHOWN_RE = re.compile(
    rf"(?<![0-9A-Z])[{ALPHABET}]{{{LENGTH // 2}}}-[{ALPHABET}]{{{LENGTH - LENGTH // 2}}}(?![0-9A-Z])"
)


def mask_codes(text: str) -> str:
    """A reply with the codes it shows (ABCDE-FGHJK) masked: what the tracker store and a later case keep."""
    return _SHOWN_RE.sub(CODE_MASK, text)
