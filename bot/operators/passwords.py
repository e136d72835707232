"""Password hashes: scrypt from the standard library (hashlib), a random salt per password, the parameters kept in
the hash so they can be raised later without breaking stored ones."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# n=2**14, r=8: 16 MiB and about 50 ms per hash on this project's machines (OWASP's minimum for scrypt)
N, R, P, LENGTH = 2**14, 8, 1, 32
MAX_PASSWORD = 1024  # bytes hashed at most; longer is refused, not cut (a cut would accept other passwords)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=N, r=R, p=P, dklen=LENGTH)
    return f"scrypt${N}${R}${P}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` is the one `stored` was made from; False for anything malformed."""
    try:
        kind, n, r, p, salt, key = stored.split("$")
        if kind != "scrypt" or len(password.encode("utf-8")) > MAX_PASSWORD:
            return False
        expected = base64.b64decode(key)
        got = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
            maxmem=2**26,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


# compared against when there is no such account, so a wrong name takes as long as a wrong password
DUMMY_HASH = hash_password(secrets.token_urlsafe(16))
