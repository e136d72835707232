"""What must hold for any input, one check per target. Each check runs the target on one input and raises
AssertionError saying what broke; an exception the target is documented to raise (ProfileError for a bad
profile, ChannelError for a bad WeChat request) is an answer, anything else propagates as a failure.
Shared by the property tests in tests/hostile and by scripts/fuzz.py, so both hold the code to the same rules."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import math
import os
import re
import time
from typing import Any, Callable, Iterable, List, Optional

import cn2an
import xmltodict

from bot.channels.wechat import (
    LEFT_OUT,
    MAX_FOLLOW_UPS,
    MAX_TEXT_BYTES,
    MORE_FOLLOWS,
    ONLY_FOLLOWS,
    ChannelError,
    Incoming,
    WeChatInput,
    WeChatSettings,
    check_signature,
    make_signature,
    parse_incoming,
    plan_reply,
    render_text_reply,
    split_text,
)
from bot.nlu import phonetic
from bot.nlu.extractor import RELATIONS, _phonetic_index, extract
from bot.nlu.normaliser import MAX_NLU_CHARS, normalize
from bot.privacy import mask_pii
from rules_kb import (
    ECONOMIC,
    NEITHER,
    UNSURE,
    YUAN,
    ProfileError,
    as_json,
    default_kb,
    evaluate,
    find_facts,
    lookup_item,
    make_profile,
    render,
    resolve_place,
    search_facts,
)
from rules_kb import __main__ as cli
from tests.support.hostile import corpus

# Per input, for inputs up to MAX_INPUT_CHARS: generous for a loaded 2-core CI machine (normalize and extract
# take 1-5 ms on 10,000 characters here). HOSTILE_DEADLINE_MS overrides it.
DEADLINE_MS = float(os.environ.get("HOSTILE_DEADLINE_MS", "50"))
MAX_INPUT_CHARS = 10_000
KB = default_kb()

WECHAT_ENV = {"WECHAT_TOKEN": "fuzz-token", "WECHAT_APP_ID": "wxfuzz0000000001", "WECHAT_APP_SECRET": "fuzz-secret"}
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
CHANNEL = WeChatInput(WeChatSettings.load({"encoding_aes_key": AES_KEY}, environ=WECHAT_ENV))
_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


def timed(fn: Callable[..., Any], *args: Any, deadline_ms: float = DEADLINE_MS, **kwargs: Any) -> Any:
    """fn(*args) within deadline_ms. A slow first run is timed again (best of three): a GC pause or a busy CI
    core is not the input's fault, but work that grows with a hostile input is slow every time."""
    best = math.inf
    for _ in range(3):
        start = time.perf_counter()
        result = fn(*args, **kwargs)
        best = min(best, (time.perf_counter() - start) * 1000)
        if best <= deadline_ms:
            return result
    size = len(args[0]) if args and isinstance(args[0], (str, bytes, list, tuple)) else "?"
    raise AssertionError(
        f"{getattr(fn, '__name__', fn)} took {best:.1f} ms (> {deadline_ms:g} ms) on an input " f"of size {size}"
    )


# ------------------------------------------------------------------------------------------------ text

# A digit run (as a reader folds it: any script, Chinese digits) that is an ID or a mobile as a whole.
PII_SHAPE = re.compile(r"[1-9]\d{14}|\d{17}[\dX]|(?:0086|86)?1[3-9]\d{9}")


def pii_runs(text: str, nfkc: bool) -> List[str]:
    """ID- or mobile-shaped unbroken digit runs left in `text`. (Numbers written in groups are checked by
    check_pii_embedded, which knows the number it put in.)"""
    return [run for run in corpus.read_digits(text, nfkc, separators=False) if PII_SHAPE.fullmatch(run)]


def check_normalize(text: str) -> str:
    out = timed(normalize, text)
    assert isinstance(out, str)
    assert len(out) <= MAX_NLU_CHARS, f"normalize gave {len(out)} characters (> {MAX_NLU_CHARS})"
    # what NLU reads and the tracker stores: no ID or mobile number, in whatever digits
    assert not pii_runs(out, nfkc=True), f"normalize left {pii_runs(out, nfkc=True)} in {out!r}"
    return out


def check_mask_pii(text: str) -> str:
    out = timed(mask_pii, text)
    assert isinstance(out, str)
    assert mask_pii(out) == out, f"mask_pii is not idempotent on {text!r}: {out!r} -> {mask_pii(out)!r}"
    if out != text:  # only numbers are replaced: the rest of the message is kept as written
        assert "已隐去]" in out and len(out) < len(text), f"{text!r} -> {out!r}"
    assert not pii_runs(out, nfkc=False), f"mask_pii left {pii_runs(out, nfkc=False)} in {out!r}"
    return out


def check_pii_embedded(prefix: str, written: str, digits: str, suffix: str) -> None:
    """An ID or mobile (`digits`, written as `written`) inside any text: neither mask_pii nor normalize lets
    more of it through than the surrounding text already contains by chance."""
    if prefix and corpus.digitish(prefix[-1]) or suffix and corpus.digitish(suffix[0]):
        return  # a digit next to it makes it a longer number, which is not an ID or a mobile
    context = corpus.longest_shared_digits(prefix + "\n" + suffix, digits, nfkc=True)
    allowed = max(4, context)
    text = prefix + written + suffix
    masked = check_mask_pii(text)
    shared = corpus.longest_shared_digits(masked, digits)
    assert shared <= allowed, f"mask_pii left {shared} digits of {digits} ({written!r}) in {masked!r}"
    normalized = check_normalize(text)
    shared = corpus.longest_shared_digits(normalized, digits, nfkc=True)
    assert shared <= allowed, f"normalize left {shared} digits of {digits} ({written!r}) in {normalized!r}"


# ------------------------------------------------------------------------------------------------ extract

_LOOKUP = ("item", "status", "not_status", "city", "county", "relation")
_NUMBERS = ("age", "ability_grade", "disability_grade")


_ITEM_NAMES = (
    {i.name for items in KB.items.values() for i in items}
    | {p.name for items in KB.items.values() for i in items for p in i.parts}
    | set(KB.regions.item_synonyms)
)


def _heard_as(word: str, entity: str, value: str) -> bool:
    """The phonetic reader may take `word` for a vocabulary word of this meaning: it sounds like one
    (bot/nlu/phonetic.py; 殘疾 is heard as 残疾, 底保 as 低保), or is a two-character place written otherwise
    throughout (棗莊, 林青: read so only where a place is said)."""
    kind = "status" if entity == "not_status" else entity
    entries = [e for es in _phonetic_index(KB).by_first.values() for e in es]
    return any(
        e.entity == kind
        and e.value == value
        and (phonetic.sounds_like(word, e) or phonetic.sounds_wholly_like(word, e))
        for e in entries
    )


def _surface_means(word: str, entity: str, value: str) -> bool:
    """The KB (or the extractor's relation table) says `word` is this entity with this value, or the phonetic
    reader hears it as one."""
    if entity in ("status", "not_status", "city", "county", "item") and _heard_as(word, entity, value):
        return True
    r = KB.regions
    if entity in ("status", "not_status"):
        return r.status_words.get(word) == value
    if entity == "city":
        return r.city_aliases.get(word) == value
    if entity == "county":
        return r.county_city.get(word, (None, None))[1] == value
    if entity == "relation":  # 我/俺 stating their own facts: the one who writes
        return RELATIONS.get(word) == value or (word in ("我", "俺") and value == "本人")
    if entity == "item":
        return (word == value and value in _ITEM_NAMES) or word in r.item_synonyms.get(value, ())
    return False


def _spoken(word: str) -> str:
    """ "九十二" -> "92": an age said in words (the extractor reads those that run on without 岁)."""
    try:
        return str(int(cn2an.cn2an(word, "smart"))) if ("十" in word or "百" in word) else ""
    except (ValueError, KeyError):
        return ""


def _grade_word(entity: str, word: str) -> str:
    """ "二" -> "2" for a grade said in words ("评估结果是二集")."""
    return (
        str("一二三四五六".index(word) + 1)
        if entity.endswith("grade") and len(word) == 1 and word in "一二三四五六"
        else ""
    )


def _born(e, word: str) -> bool:
    """An age read from a birth date ("1945年3月生的"): the span says a year and 生."""
    return e.entity == "age" and "年" in word and "生" in word


def check_extract(text: str) -> list:
    entities = timed(extract, text, KB)
    assert [e.start for e in entities] == sorted(e.start for e in entities), "entities not in text order"
    lookup_spans = set()
    for e in entities:
        assert 0 <= e.start < e.end <= len(text), f"span {e.start}-{e.end} outside a text of {len(text)}"
        word = text[e.start : e.end]
        if e.entity in _LOOKUP:
            assert _surface_means(word, e.entity, e.value), f"{e.entity} {e.value!r} from {word!r}"
            lookup_spans.add((e.start, e.end))
        elif e.entity == "economic" and e.value == UNSURE:  # "不知道是不是低保": the status word, neither yes nor no
            assert KB.regions.status_words.get(word) in ECONOMIC, f"unsure economic from {word!r}"
            assert not [
                x for x in entities if (x.start, x.end) == (e.start, e.end) and x is not e
            ], f"an unsure status also read as yes or no at {e.start}-{e.end}"
        elif e.entity == "economic":
            assert e.value in ECONOMIC + (NEITHER,), f"economic {e.value!r}"
            twin = [
                x for x in entities if (x.start, x.end) == (e.start, e.end) and x.entity in ("status", "not_status")
            ]
            assert twin and (
                e.value == twin[0].value if twin[0].entity == "status" else e.value == NEITHER
            ), f"economic {e.value!r} without its status at {e.start}-{e.end}: {twin}"
        elif e.entity in _NUMBERS:
            assert (
                e.value.isdecimal()
                and len(e.value) <= 3
                and (
                    word == e.value
                    or _spoken(word) == e.value
                    or _grade_word(e.entity, word) == e.value
                    or _born(e, word)
                )
            ), f"{e.entity} {e.value!r} from {word!r}"
        else:
            raise AssertionError(f"unknown entity {e.entity!r}")
    spans = sorted(lookup_spans)
    for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
        assert e1 <= s2, f"lookup entities overlap: {text[s1:e1]!r}@{s1} and {text[s2:e2]!r}@{s2}"
    for e in entities:
        if e.entity in _NUMBERS:
            assert not any(s < e.end and e.start < t for s, t in spans), f"number {e.value} inside a KB word"
    return entities


# ------------------------------------------------------------------------------------------------ WeChat


def check_parse_incoming(xml: str) -> Optional[Incoming]:
    try:
        m = timed(parse_incoming, xml)
    except ChannelError as e:
        assert e.status == 400 and e.message, f"ChannelError {e.status} {e.message!r}"
        return None
    assert _ID_RE.match(m.openid) and _ID_RE.match(m.account), (m.openid, m.account)
    assert m.create_time.isdigit() and m.msg_type and m.msg_type == m.msg_type.lower()
    assert m.msg_id is None or m.msg_id.isdigit()
    assert (m.text is not None) == (m.msg_type in ("text", "voice"))
    assert (m.event is not None) == (m.msg_type == "event")
    return m


def _xml_text(s: str) -> str:
    """What an XML parser reads back: line ends normalised (XML 1.0 §2.11), surrounding blanks stripped."""
    return s.replace("\r\n", "\n").replace("\r", "\n").strip()


def check_message_roundtrip(openid: str, content: str, msg_type: str = "text") -> None:
    """A message built the way WeChat builds it (CDATA) parses back to its own content -- or is refused (400)
    when the content holds characters XML cannot carry."""
    from bot.channels import wechat_sim

    extra = {"Recognition": content} if msg_type == "voice" else None
    xml = wechat_sim.text_message_xml(
        openid, content, msg_id="1234567890123456", create_time=1700000000, msg_type=msg_type, extra=extra
    )
    m = check_parse_incoming(xml)
    xml_ok = not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", content + openid)
    if m is None:
        assert not xml_ok or not _ID_RE.match(openid.strip()), f"a valid message was refused: {xml!r}"
        return
    assert m.openid == openid.strip() and m.text == _xml_text(content), (m.openid, m.text, openid, content)


def check_reply_render(content: str) -> None:
    """Any answer text becomes reply XML that parses and carries the text (less what XML cannot carry)."""
    incoming = Incoming("text", "oUser_1", "gh_account", "1700000000", "1", text="x")
    rendered = timed(render_text_reply, incoming, content)
    doc = xmltodict.parse(rendered)["xml"]
    expected = _xml_text(re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", content))
    assert (doc.get("Content") or "").strip() == expected, (doc.get("Content"), expected)
    assert (doc["ToUserName"], doc["FromUserName"], doc["MsgType"]) == ("oUser_1", "gh_account", "text")


def check_signature_total(token: str, signature: Optional[str], timestamp: Optional[str], nonce: Optional[str]) -> None:
    try:
        timed(check_signature, token, signature, timestamp, nonce)
    except ChannelError as e:
        assert e.status == 403
    if timestamp and nonce:
        good = make_signature(token, timestamp, nonce)
        check_signature(token, good, timestamp, nonce)
        check_signature(token, good.upper(), timestamp, nonce)


def check_decrypt(body: str, msg_signature: Optional[str], timestamp: str, nonce: str) -> Optional[str]:
    """The channel's decrypt path (wechatpy's WeChatCrypto as the channel calls it): plain XML or a refusal."""
    try:
        xml = timed(CHANNEL._decrypt, body, msg_signature, timestamp, nonce)
    except ChannelError as e:
        assert e.status in (400, 403), f"ChannelError {e.status}"
        return None
    assert isinstance(xml, str)
    check_parse_incoming(xml)
    return xml


def check_encrypted_roundtrip(content: str, timestamp: str, nonce: str, tamper: Optional[int]) -> None:
    """A message encrypted by WeChat's own algorithm decrypts to itself; one changed ciphertext byte is refused
    or gives a message the channel can still check."""
    from wechatpy.crypto import WeChatCrypto

    from bot.channels import wechat_sim

    crypto = WeChatCrypto(WECHAT_ENV["WECHAT_TOKEN"], AES_KEY, WECHAT_ENV["WECHAT_APP_ID"])
    plain = wechat_sim.text_message_xml("oUser_1", content, msg_id="42", create_time=1700000000)
    encrypted = crypto.encrypt_message(plain, nonce, timestamp)
    doc = xmltodict.parse(encrypted)["xml"]
    body = f"<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[{doc['Encrypt']}]]></Encrypt></xml>"
    if tamper is None:
        xml = check_decrypt(body, doc["MsgSignature"], doc["TimeStamp"], doc["Nonce"])
        assert xml == plain, "a well-formed encrypted message did not decrypt to itself"
        return
    enc = doc["Encrypt"]
    raw = bytearray(base64.b64decode(enc))  # change a byte of the ciphertext (a base64 character may not)
    raw[tamper % len(raw)] ^= 1 << (tamper % 8)
    flipped = base64.b64encode(bytes(raw)).decode()
    from wechatpy.crypto import _get_signature  # the signature over the changed text: only AES can object

    signature = _get_signature(WECHAT_ENV["WECHAT_TOKEN"], doc["TimeStamp"], doc["Nonce"], flipped)
    body = body.replace(enc, flipped)
    # refused, or (AES-CBC has no MAC; WeChat's signature covers the ciphertext) decrypted to something the
    # checks above accept -- also the plain text itself when the byte changed only padding
    check_decrypt(body, signature, doc["TimeStamp"], doc["Nonce"])


def _split_deadline(limit: int) -> float:
    """The time limit holds at WeChat's 2,048 bytes; tiny limits (down to 4 bytes, to exercise the cutting)
    make one part per character, each measured afresh: quadratic by design and never used."""
    return DEADLINE_MS if limit >= MAX_TEXT_BYTES else math.inf


def check_split(text: str, limit: int = MAX_TEXT_BYTES) -> List[str]:
    parts = timed(split_text, text, limit, deadline_ms=_split_deadline(limit))
    _check_parts(parts, limit)
    _check_same_content(text, "\n".join(parts))
    if all(len(line.encode()) <= limit for line in text.split("\n")):
        # no line needed cutting: the parts are whole lines, in order, less blank lines at the cuts
        kept = "\n".join(parts).split("\n") if parts else []
        lines = iter(text.strip("\n").split("\n"))
        for line in kept:
            for original in lines:
                if original == line:
                    break
                assert not original.strip(), f"line {original!r} lost between parts"
            else:
                raise AssertionError(f"line {line!r} not in the text, or out of order")
    return parts


def check_plan(text: str, limit: int = MAX_TEXT_BYTES) -> None:
    """limit ≥ the note ONLY_FOLLOWS (72 bytes; WeChat's is 2048). What is not checked: when all that would
    follow is blank, the passive part still says more follows (a bot answer is never blank)."""
    passive, rest = timed(plan_reply, text, limit, deadline_ms=_split_deadline(limit))
    if not rest and passive == text.strip("\n"):  # short enough for one passive reply
        assert len(passive.encode()) <= limit
        return
    _check_parts([passive] + rest, limit)
    assert len(rest) <= MAX_FOLLOW_UPS, "WeChat's quota: 5 customer-service messages per user message"
    left_out = [p for p in [passive] + rest if "未能发送" in p]
    if len(plan_reply(text, limit, max_follow_ups=10**9)[1]) > MAX_FOLLOW_UPS:
        # beyond the quota: what is sent is the text's beginning, and (where a limit leaves room for it, as
        # WeChat's does) one part says the rest was left out
        assert left_out or limit < 2 * len(LEFT_OUT.encode()), "nothing says what was left out"
        sent = "".join(
            p.replace(MORE_FOLLOWS, "").replace(ONLY_FOLLOWS, "")
            for p in [passive] + rest
            if "未能发送" not in p or p is passive
        )
        sent = re.sub(r"（内容较多，受微信消息条数限制.*?内容。）", "", sent)
        assert _squeezed(text).startswith(_squeezed(sent)), "what is sent is not the text's beginning"
        return
    if passive == ONLY_FOLLOWS:
        joined = "\n".join(rest)
    else:
        assert passive.endswith("\n" + MORE_FOLLOWS), passive[-40:]
        joined = "\n".join([passive[: -len(MORE_FOLLOWS) - 1]] + rest)
    _check_same_content(text, joined)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _check_parts(parts: List[str], limit: int) -> None:
    for p in parts:
        assert len(p.encode("utf-8")) <= limit, f"a part of {len(p.encode())} bytes (> {limit})"
        assert p.strip(), "an empty part"
        assert not p.startswith("\n") and not p.endswith("\n"), repr(p[:20] + "…" + p[-20:])


def _check_same_content(text: str, joined: str) -> None:
    """Joining the parts gives the text back, up to the documented separators: a cut adds a line break and
    may drop blank lines (and the blanks of a part that is only blanks)."""
    squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    assert squash(joined) == squash(text), "parts do not give the text back"


# ------------------------------------------------------------------------------------------------ rules_kb


def check_profile(
    place: Any, age: Any, statuses: Iterable[Any], not_statuses: Iterable[Any], ability: Any, disability: Any
) -> None:
    try:
        profile = timed(make_profile, KB, place, age, list(statuses), list(not_statuses), ability, disability)
    except ProfileError as e:
        assert str(e), "a ProfileError must say what is accepted"
        return
    answer = timed(evaluate, KB, profile)
    check_answer(answer)


def check_answer(answer) -> None:
    """Every figure of an answer is one the KB YAML holds, or a sum of them, and the totals add up."""
    p = answer.profile
    assert p.city in KB.cities
    assert all(e.item.city == p.city for e in answer.items)
    tiers = corpus.yaml_tiers()
    for e in answer.items:
        known = [x.amount for x in e.parts if x.unit == YUAN and x.amount is not None]
        assert e.amount_yuan_per_month == (sum(known) if known else None), e.name
        for part in e.parts:
            yaml_tiers = tiers[(p.city, e.name, part.name)]
            if part.amount is not None:
                allowed = set().union(*(corpus.tier_amounts(t, p.age) for t in yaml_tiers))
                assert part.amount in allowed, f"{p.city} {e.name}/{part.name}: {part.amount} not in the KB {allowed}"
            if part.amount_range is not None:
                assert [list(part.amount_range)] == [t["amount_range"] for t in yaml_tiers if t.get("amount_range")]
            if part.detail:  # the centenarian's shares: the tier's components, adding up to the amount
                shares = [float(x) for x in re.findall(r"(\d+(?:\.\d+)?)元", part.detail)]
                allowed = set().union(*(corpus.component_amounts(t, p.age) for t in yaml_tiers))
                assert (
                    set(shares) <= allowed and sum(shares) == part.amount
                ), f"{e.name}: shares {shares} are not the KB's components {allowed} adding up to {part.amount}"
    total = sum(e.amount_yuan_per_month or 0 for e in answer.items)
    assert answer.monthly_total_yuan == total, (answer.monthly_total_yuan, total)
    for h in answer.hints:
        if h.amount_yuan_per_month is not None:
            parts = [k for k in tiers if k[:2] == (p.city, h.item.name)]
            one = set().union(*(corpus.tier_amounts(t, p.age) for k in parts for t in tiers[k]))
            sums = {a + b for a in one for b in one} | one
            assert h.amount_yuan_per_month in sums, f"hint {h.item.name}: {h.amount_yuan_per_month} not from the KB"
    text = render.answer_text(answer)
    stated = set(corpus.yuan_figures(text))
    derived = {e.amount_yuan_per_month for e in answer.items if e.amount_yuan_per_month is not None}
    derived |= {answer.monthly_total_yuan} | {h.amount_yuan_per_month for h in answer.hints}
    derived |= {
        x
        for e in answer.items
        for part in e.parts
        if part.detail
        for x in map(float, re.findall(r"(\d+(?:\.\d+)?)元", part.detail))
    }
    unknown = stated - corpus.yaml_numbers(p.city) - derived
    assert not unknown, f"the answer states {sorted(unknown)} 元, which the KB does not have"
    json.dumps(as_json.answer_json(answer), ensure_ascii=False)  # what --json and /api/lookup send


def check_resolve_place(text: str) -> None:
    try:
        city, county = timed(resolve_place, KB, text)
    except ProfileError:
        return
    assert city in KB.cities and (county is None or KB.regions.county_city.get(text.strip(), (None, None))[1] == county)


def check_search(text: str, city: Optional[str], limit: int) -> None:
    found = timed(search_facts, KB, text, city, limit)
    assert len(found) <= max(limit, 0) or limit < 0
    assert all(city is None or f.city == city for f in found)
    facts = timed(find_facts, KB, text, city)
    assert all(city is None or f.city == city for f in facts)
    for c in KB.cities:
        items = timed(lookup_item, KB, c, text)
        assert all(i.city == c for i in items)


def run_cli(argv: List[str]) -> tuple:
    """`python -m rules_kb …` in-process: (exit status, stdout, stderr). The packaged KB is loaded once."""
    out, err = io.StringIO(), io.StringIO()
    real_load = cli.load_kb
    cli.load_kb = lambda root=None: default_kb() if root is None else real_load(root)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = cli.main(argv)
            except SystemExit as e:
                status = e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
    finally:
        cli.load_kb = real_load
    return status, out.getvalue(), err.getvalue()


def check_cli(argv: List[str]) -> None:
    status, out, err = timed(run_cli, argv, deadline_ms=max(DEADLINE_MS, 500))
    assert status in (0, 1, 2, 3), f"exit status {status}"
    if status in (2, 3):
        assert err.strip(), "an error without a message"
    if status == 2:  # bad input: one line saying what is accepted (a malformed KB may quote YAML's own report)
        assert len(err.strip().split("\n")) == 1, f"a multi-line error: {err!r}"
    if (
        status == 0
        and "--json" in argv
        and argv
        and argv[0] in ("lookup", "facts")
        and "-h" not in argv
        and "--help" not in argv
    ):
        json.loads(out)
