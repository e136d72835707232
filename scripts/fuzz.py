#!/usr/bin/env python
"""Fuzz the code that reads what strangers send: structure-aware random inputs, checked by the same rules as the
property tests (tests/support/hostile/oracles.py): no crash or exception other than the documented ProfileError /
ChannelError, at most HOSTILE_DEADLINE_MS (50) ms per input, PII masked, spans, figures, splits and totals right.

    .venv/bin/python -m scripts.fuzz                 # 100,000 inputs over all targets
    .venv/bin/python -m scripts.fuzz --quick         # 5,000: what CI runs
    .venv/bin/python -m scripts.fuzz --total 1000000 --jobs 2 --seed 7
    .venv/bin/python -m scripts.fuzz --targets normalize,extract --total 20000
    .venv/bin/python -m scripts.fuzz --reproduce normalize:1:1234   # run one input again, with its traceback

Input number i of a target under seed s is generated from random.Random(f"{s}:{target}:{i}") alone, so a failure
is reproduced by its triple; each failure is also written to results/fuzz/ as a runnable Python file.
Prints the count, failures and inputs/s per target and overall; exits 1 if any input failed.
(atheris was tried: its current release builds only from source with clang's libFuzzer, which this machine
lacks; hypothesis at this scale is slower than direct generation, so the generators here are plain random.)
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import multiprocessing
import os
import random
import sys
import time
import traceback
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")

import contextlib  # noqa: E402
import io  # noqa: E402
import warnings  # noqa: E402

with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):  # Rasa's imports are noisy
    warnings.simplefilter("ignore")
    from tests.support.hostile import corpus, oracles  # noqa: E402

FULL_TOTAL, QUICK_TOTAL = 100_000, 5_000
OUT_DIR = ROOT / "results" / "fuzz"

# ------------------------------------------------------------------------------------------------ generators

_RANGES = [
    (0x20, 0x7E),
    (0x00, 0x1F),
    (0x4E00, 0x9FFF),
    (0xFF01, 0xFF5E),
    (0x3000, 0x303F),
    (0x0300, 0x036F),
    (0x1F300, 0x1FAFF),
    (0xE000, 0xF8FF),
    (0x80, 0x2FF),
    (0x0600, 0x06FF),
    (0x2460, 0x24FF),
    (0x3300, 0x33FF),
    (0xFDF0, 0xFDFF),
    (0x1D7CE, 0x1D7FF),
    (0x20000, 0x2A6DF),
    (0xFFF0, 0xFFFF),
    (0x10000, 0x10FFFF),
]
_POOLS = [
    corpus.MESSAGES,
    corpus.INJECTIONS,
    corpus.NUMERAL_WORDS,
    corpus.GLUE,
    corpus.PUNCT,
    corpus.SPACES,
    corpus.TRADITIONAL,
    corpus.FULL_WIDTH,
    corpus.ODD,
]


def _char(rng: random.Random) -> str:
    while True:
        lo, hi = rng.choice(_RANGES)
        cp = rng.randint(lo, hi)
        if not 0xD800 <= cp <= 0xDFFF:  # decoded UTF-8 (HTTP bodies, queries) never holds lone surrogates
            return chr(cp)


def fragment(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.30:
        return rng.choice(rng.choice(_POOLS))
    if r < 0.50:
        return rng.choice(corpus.kb_words())
    if r < 0.62:
        return "".join(_char(rng) for _ in range(rng.randint(1, 8)))
    if r < 0.72:
        return str(rng.randint(0, 10 ** rng.randint(1, 22)))
    if r < 0.80:
        return "".join(
            rng.choice(corpus.DIGITS_ANY + corpus.CN_DIGITS + "〇幺Xx -+　") for _ in range(rng.randint(1, 25))
        )
    return corpus.new_pii(rng)[2]


def mutate(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(4)
        i = rng.randint(0, len(chars))
        if op == 0:
            chars[i:i] = list(fragment(rng))
        elif op == 1 and chars:
            del chars[i : i + rng.randint(1, 4)]
        elif op == 2 and chars:
            chars[min(i, len(chars) - 1)] = _char(rng)
        else:
            j = rng.randint(0, len(chars))
            chars[i:i] = chars[j : j + rng.randint(1, 10)]
    return "".join(chars)


def text(rng: random.Random, max_chars: int = oracles.MAX_INPUT_CHARS) -> str:
    r = rng.random()
    if r < 0.45:
        out = "".join(fragment(rng) for _ in range(rng.randint(0, 30)))
    elif r < 0.70:
        out = mutate(rng.choice(corpus.MESSAGES + corpus.INJECTIONS), rng)
    elif r < 0.85:  # one unit repeated: the inputs that make naive code quadratic
        unit = "".join(fragment(rng) for _ in range(rng.randint(1, 3))) or "x"
        out = unit * (rng.randint(1, max_chars) // len(unit) + 1)
    else:
        out = "".join(_char(rng) for _ in range(rng.randint(0, 200)))
    return out[:max_chars]


def _xml(rng: random.Random) -> str:
    names = [
        "ToUserName",
        "FromUserName",
        "CreateTime",
        "MsgType",
        "Content",
        "MsgId",
        "Event",
        "EventKey",
        "Recognition",
        "MediaId",
        "Encrypt",
        "xml",
        "Latitude",
    ]
    values = ["text", "voice", "event", "image", "subscribe", "1700000000", "oUser_1", "gh_1", "", "12ab", "1" * 30]
    parts = []
    for _ in range(rng.randint(0, 12)):
        name = rng.choice(names)
        value = rng.choice(values) if rng.random() < 0.5 else text(rng, 200)
        parts.append(
            rng.choice(
                [
                    f"<{name}><![CDATA[{value}]]></{name}>",
                    f"<{name}>{value}</{name}>",
                    f'<{name} a="{value}"/>',
                    f"<{name}><{name}>{value}</{name}></{name}>",
                    value,
                    "<!DOCTYPE xml [<!ENTITY a 'b'>]>",
                    "&a;",
                    "&#0;",
                    "]]>",
                    "<",
                    "</xml>",
                ]
            )
        )
    body = "".join(parts)
    if rng.random() < 0.5:  # a well-formed message with one field changed
        from bot.channels import wechat_sim

        body = wechat_sim.text_message_xml(
            rng.choice(["oUser_1", text(rng, 40)]),
            text(rng, 300),
            msg_type=rng.choice(["text", "voice", "event", "image"]),
        )
        return mutate(body, rng) if rng.random() < 0.5 else body
    return rng.choice(["<xml>{}</xml>", "{}", "<root>{}</root>"]).format(body)


def _query(rng: random.Random):
    return rng.choice([None, "", "0", "1700000000", "a" * 40, text(rng, 60), "é" * 40])


def _encrypted_body(rng: random.Random) -> Tuple[str, Optional[str], str, str]:
    payload = base64.b64encode(rng.randbytes(rng.randint(0, 400))).decode() if rng.random() < 0.7 else text(rng, 200)
    body = f"<xml><ToUserName>gh_1</ToUserName><Encrypt><![CDATA[{payload}]]></Encrypt></xml>"
    timestamp, nonce = str(rng.randint(0, 10**10)), str(rng.randint(0, 10**10))
    signature: Optional[str]
    if rng.random() < 0.7:  # signed as WeChat signs it: only the AES layer can refuse it
        sig = hashlib.sha1("".join(sorted([oracles.WECHAT_ENV["WECHAT_TOKEN"], timestamp, nonce, payload])).encode())
        signature = sig.hexdigest()
    else:
        signature = rng.choice([None, "", "0" * 40, text(rng, 50)])
    return (body if rng.random() < 0.8 else _xml(rng)), signature, timestamp, nonce


def _lines(rng: random.Random) -> str:
    pool = ["", " ", "还可能享受：", "· 条目" * 200, "好" * 700, "，".join(["第1项"] * 300), "\r"]
    lines = "\n".join(rng.choice(pool) if rng.random() < 0.3 else text(rng, 3000) for _ in range(rng.randint(0, 40)))
    return lines[: oracles.MAX_INPUT_CHARS]


_PLACES = sorted(oracles.KB.regions.city_aliases) + sorted(oracles.KB.regions.county_city)
_STATUSES = sorted(oracles.KB.regions.status_words)


def _age(rng: random.Random):
    return rng.choice(
        [None, rng.randint(-5, 140), rng.randint(-(10**12), 10**12), rng.randint(95, 130), True, 85.0, "85"]
    )


def _argv(rng: random.Random) -> List[str]:
    values = [
        "枣庄",
        "滕州",
        "85",
        "-5",
        "1e3",
        "٣",
        "５",
        "1_0",
        "",
        " ",
        "低保",
        "五保户",
        "长期护理保险",
        "高龄津贴",
        "-",
        "--",
        "nowhere",
        "枣\n庄",
    ]
    argv = [rng.choice(["lookup", "facts", "item", "check", "", "LOOKUP"])]
    for _ in range(rng.randint(0, 8)):
        argv.append(
            rng.choice(
                [
                    "--city",
                    "--age",
                    "--status",
                    "--not-status",
                    "--ability-grade",
                    "--disability-grade",
                    "--json",
                    "--bogus",
                    "-x",
                    "--help",
                ]
            )
        )
        if rng.random() < 0.7:
            argv.append(rng.choice(values) if rng.random() < 0.6 else text(rng, 30))
    if rng.random() < 0.2:
        rng.shuffle(argv)
    if rng.random() < 0.05:
        argv = ["--kb", rng.choice([str(corpus.KB_DIR), "/nonexistent", str(ROOT / "README.md")])] + argv
    return argv


def _pii_case(rng: random.Random):
    kind, digits, written = corpus.new_pii(rng)
    return text(rng, 300), written, digits, text(rng, 300)


# (target, weight, make the arguments, check them)
TARGETS: List[Tuple[str, int, Callable[[random.Random], tuple], Callable[..., object]]] = [
    ("normalize", 12, lambda r: (text(r),), oracles.check_normalize),
    ("mask_pii", 10, lambda r: (text(r),), oracles.check_mask_pii),
    ("pii_in_context", 12, _pii_case, oracles.check_pii_embedded),
    ("extract", 10, lambda r: (text(r),), oracles.check_extract),
    ("extract_normalized", 6, lambda r: (oracles.normalize(text(r)),), oracles.check_extract),
    ("parse_incoming", 8, lambda r: (_xml(r) if r.random() < 0.8 else text(r, 65536),), oracles.check_parse_incoming),
    (
        "message_roundtrip",
        4,
        lambda r: (
            "".join(r.choice("oUser_-1aZ") for _ in range(r.randint(1, 30))) if r.random() < 0.8 else text(r, 40),
            text(r, 4000),
            r.choice(["text", "voice"]),
        ),
        oracles.check_message_roundtrip,
    ),
    ("reply_render", 4, lambda r: (text(r),), oracles.check_reply_render),
    (
        "check_signature",
        4,
        lambda r: (text(r, 40) or "t", _query(r), _query(r), _query(r)),
        oracles.check_signature_total,
    ),
    ("decrypt", 5, _encrypted_body, oracles.check_decrypt),
    (
        "encrypted_roundtrip",
        3,
        lambda r: (
            text(r, 3000),
            str(r.randint(0, 10**10)),
            "".join(r.choice("abcXYZ0123") for _ in range(r.randint(1, 32))),
            r.choice([None, r.randint(0, 10**6)]),
        ),
        oracles.check_encrypted_roundtrip,
    ),
    (
        "split_text",
        4,
        lambda r: (r.choice([_lines(r), text(r)]), r.choice([2048, 2048, 4, 16, 100, 4096])),
        oracles.check_split,
    ),
    (
        "plan_reply",
        4,
        lambda r: (r.choice([_lines(r), text(r)]), r.choice([2048, 2048, 72, 200, 4096])),
        oracles.check_plan,
    ),
    (
        "profile",
        8,
        lambda r: (
            r.choice(_PLACES) if r.random() < 0.7 else text(r, 20),
            _age(r),
            [r.choice(_STATUSES) if r.random() < 0.8 else text(r, 10) for _ in range(r.randint(0, 4))],
            [r.choice(_STATUSES) for _ in range(r.randint(0, 2))],
            r.choice([None, None, r.randint(-2, 6)]),
            r.choice([None, None, r.randint(-2, 6)]),
        ),
        oracles.check_profile,
    ),
    (
        "resolve_place",
        2,
        lambda r: (r.choice(_PLACES) + r.choice(["", " ", "市"]) if r.random() < 0.5 else text(r, 40),),
        oracles.check_resolve_place,
    ),
    (
        "search",
        2,
        lambda r: (text(r, 2000), r.choice([None, *oracles.KB.cities]), r.randint(-3, 20)),
        oracles.check_search,
    ),
    ("cli", 2, lambda r: (_argv(r),), oracles.check_cli),
]
BY_NAME = {t[0]: t for t in TARGETS}


def make_args(target: str, seed: int, index: int) -> tuple:
    return BY_NAME[target][2](random.Random(f"{seed}:{target}:{index}"))


# ------------------------------------------------------------------------------------------------ running


def run_slice(job: Tuple[str, int, int, int, int]) -> Dict[str, Any]:
    """Inputs start, start+step, … below count of one target."""
    target, seed, start, count, step = job
    _, _, make, check = BY_NAME[target]
    failures: List[dict] = []
    seen = set()
    n, t0 = 0, time.perf_counter()
    for i in range(start, count, step):
        args = make(random.Random(f"{seed}:{target}:{i}"))
        try:
            check(*args)
        except Exception as exc:  # AssertionError from a check, or whatever the target raised
            key = (type(exc).__name__, str(exc)[:80])
            if key not in seen and len(failures) < 20:
                seen.add(key)
                failures.append(
                    {
                        "target": target,
                        "seed": seed,
                        "index": i,
                        "error": f"{type(exc).__name__}: {exc}"[:2000],
                        "trace": traceback.format_exc(limit=-4),
                        "args": args,
                    }
                )
        n += 1
    return {"target": target, "count": n, "seconds": time.perf_counter() - t0, "failures": failures}


def allocate(total: int, names: List[str]) -> Dict[str, int]:
    weights = {n: BY_NAME[n][1] for n in names}
    counts = {n: max(1, total * w // sum(weights.values())) for n, w in weights.items()}
    counts[names[0]] += total - sum(counts.values())
    return counts


def write_reproducer(f: dict) -> Path:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"{f['target']}-{f['seed']}-{f['index']}.py"
    check = BY_NAME[f["target"]][3].__name__
    path.write_text(
        f"# {f['error'][:300]!r}\n# .venv/bin/python {path.relative_to(ROOT)}\n"
        f"import sys; sys.path.insert(0, {str(ROOT)!r})\nfrom tests.support.hostile import oracles\n"
        f"oracles.{check}(*{f['args']!r})\n",
        encoding="utf-8",
    )
    return path


def reproduce(spec: str) -> int:
    target, seed, index = spec.rsplit(":", 2)
    args = make_args(target, int(seed), int(index))
    print(f"{target} #{index} (seed {seed}): {BY_NAME[target][3].__name__}(*{args!r})"[:4000])
    try:
        BY_NAME[target][3](*args)
    except Exception:
        traceback.print_exc()
        return 1
    print("passes")
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help=f"{QUICK_TOTAL:,} inputs (CI)")
    p.add_argument("--total", type=int, help=f"inputs over all targets (default {FULL_TOTAL:,})")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--jobs", type=int, default=1, help="processes (the deadline holds per input in each)")
    p.add_argument("--targets", help="comma-separated: " + ",".join(BY_NAME))
    p.add_argument("--reproduce", metavar="TARGET:SEED:INDEX")
    args = p.parse_args(argv)
    if args.reproduce:
        return reproduce(args.reproduce)
    names = args.targets.split(",") if args.targets else list(BY_NAME)
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        p.error(f"unknown target(s) {unknown}; known: {', '.join(BY_NAME)}")
    total = args.total or (QUICK_TOTAL if args.quick else FULL_TOTAL)
    counts = allocate(total, names)
    print(
        f"fuzz: {total:,} inputs over {len(names)} targets, seed {args.seed}, {args.jobs} process(es), "
        f"deadline {oracles.DEADLINE_MS:g} ms per input",
        flush=True,
    )
    jobs = [(n, args.seed, j, counts[n], args.jobs) for n in names for j in range(args.jobs)]
    wall = time.perf_counter()
    if args.jobs > 1:
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            results = pool.map(run_slice, jobs, chunksize=1)
    else:
        results = [run_slice(j) for j in jobs]
    wall = time.perf_counter() - wall
    per: Dict[str, dict] = {}
    for r in results:
        agg = per.setdefault(r["target"], {"count": 0, "seconds": 0.0, "failures": []})
        agg["count"] += r["count"]
        agg["seconds"] += r["seconds"]
        agg["failures"] += r["failures"]
    print(f"\n{'target':<22}{'inputs':>9}{'failures':>10}{'inputs/s':>11}")
    for name in names:
        a = per[name]
        print(f"{name:<22}{a['count']:>9,}{len(a['failures']):>10}{a['count'] / max(a['seconds'], 1e-9):>11,.0f}")
    done = sum(a["count"] for a in per.values())
    failures = [f for a in per.values() for f in a["failures"]]
    print(f"{'total':<22}{done:>9,}{len(failures):>10}{done / wall:>11,.0f}   ({wall:.1f} s wall)")
    for f in failures:
        path = write_reproducer(f)
        print(f"\nFAIL {f['target']} #{f['index']} (seed {f['seed']}): {f['error'][:600]}")
        print(f"  input: {f['args']!r}"[:1500])
        print(f"  again: .venv/bin/python -m scripts.fuzz --reproduce {f['target']}:{f['seed']}:{f['index']}")
        print(f"  or:    .venv/bin/python {path.relative_to(ROOT)}")
        print("  " + f["trace"].strip().replace("\n", "\n  ")[-1500:])
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
