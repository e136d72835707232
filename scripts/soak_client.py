"""The soak's citizens (scripts/soak.py): each slot holds one family conversation after another over REST, as a
person does: waits for the answer, thinks, sends the next message; sends a message again after 系统繁忙 or no
reply, and gives up on it after `give_up` seconds. Every attempt and every answer is tallied; what PostgreSQL
stored is checked against what the citizens were answered afterwards (`check_stored`)."""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import aiohttp

from scripts.soak_families import Family, foreign_persons

BUSY = "系统繁忙，请稍后再试"
SAMPLES = 5  # examples kept of each kind of failure, to say what went wrong


@dataclass
class Conversation:
    sender: str
    family: Family
    answered: List[str] = field(default_factory=list)  # the messages answered, in order
    gave_up: Optional[str] = None  # the message given up on (the conversation ends there)


@dataclass
class Tally:
    turns: int = 0  # messages of the conversations, each counted once however often it was sent
    attempts: int = 0  # HTTP requests
    answered: int = 0
    busy: List[float] = field(default_factory=list)  # when each 系统繁忙 came (time.time())
    no_reply: List[Tuple[float, str]] = field(default_factory=list)  # when, and what: HTTP status, error, empty
    wrong: List[str] = field(default_factory=list)  # answers other than the reference's (not cross-talk)
    cross_talk: List[str] = field(default_factory=list)  # answers stating another conversation's facts
    # (when first sent, seconds until answered) per answered message: the wait a person sees, resends included
    waits: List[Tuple[float, float]] = field(default_factory=list)
    conversations: List[Conversation] = field(default_factory=list)

    @property
    def lost(self) -> List[Conversation]:
        return [c for c in self.conversations if c.gave_up]


async def post(session: aiohttp.ClientSession, url: str, sender: str, text: str, timeout: float) -> Tuple[str, str]:
    """('reply', text) or ('none', why)."""
    try:
        async with session.post(
            f"{url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as r:
            body = await r.read()
            if r.status != 200:
                return "none", f"HTTP {r.status}"
            reply = "\n".join(m.get("text", "") for m in json.loads(body) if m.get("text"))
            return ("reply", reply) if reply else ("none", "empty reply")
    except asyncio.TimeoutError:
        return "none", f"no answer within {timeout:g} s"
    except aiohttp.ClientError as e:
        return "none", type(e).__name__


class Citizens:
    """`slots` concurrent citizens against `url`, until `stop` is set (each finishes the message it is on)."""

    def __init__(
        self,
        url: str,
        families: Sequence[Family],
        reference: Dict[int, List[str]],
        think: float,
        give_up: float = 120.0,
        timeout: float = 30.0,
    ):
        self.url, self.families, self.reference = url, list(families), reference
        self.think, self.give_up, self.timeout = think, give_up, timeout
        self.others = {f.slot: set().union(*(g.persons() for g in families if g.slot != f.slot)) for f in families}
        self.tally = Tally()
        self.stop = asyncio.Event()
        self.probes: List[asyncio.Task] = []

    async def run(self) -> Tally:
        connector = aiohttp.TCPConnector(limit=len(self.families) + 10)
        async with aiohttp.ClientSession(connector=connector) as session:
            self.session = session  # for the probes
            await asyncio.gather(*(self._citizen(session, f) for f in self.families))
            await asyncio.gather(*self.probes)  # a probe runs its conversation to the end, even after `stop`
        return self.tally

    def start_probe(self, family: Family, server: str) -> asyncio.Event:
        """Starts `probe`; the event is set just before its message goes to `server`."""
        sending = asyncio.Event()
        self.probes.append(asyncio.create_task(self.probe(family, server, sending)))
        return sending

    async def probe(self, family: Family, server: str, sending: asyncio.Event) -> None:
        """One more conversation of `family`'s, whose second message goes straight to `server` (not through nginx),
        `sending` set just before: the soak kills that server then, so that its kill catches a turn in flight. The
        citizen then goes on as any other (sends the message again through nginx when it got no reply)."""
        conversation = Conversation(f"soak-probe-{family.slot}-{uuid.uuid4().hex[:10]}", family)
        self.tally.conversations.append(conversation)
        for step, text in enumerate(family.messages()):
            if step == 1:
                sending.set()
            if not await self._turn(self.session, conversation, step, text, server if step == 1 else None):
                return

    async def _citizen(self, session: aiohttp.ClientSession, family: Family) -> None:
        rng = random.Random(family.slot)
        await asyncio.sleep(rng.uniform(0, self.think))  # not all 50 at the same instant
        while not self.stop.is_set():
            conversation = Conversation(f"soak-{family.slot}-{uuid.uuid4().hex[:10]}", family)
            self.tally.conversations.append(conversation)
            for step, text in enumerate(family.messages()):
                if self.stop.is_set():
                    return
                if not await self._turn(session, conversation, step, text):
                    break  # given up: a person would start again
                await asyncio.sleep(rng.uniform(0.5, 1.5) * self.think)

    async def _turn(
        self,
        session: aiohttp.ClientSession,
        conversation: Conversation,
        step: int,
        text: str,
        first_url: Optional[str] = None,
    ) -> bool:
        """Send until answered (True) or given up (False); the first attempt to `first_url` if given."""
        t = self.tally
        t.turns += 1
        first = time.time()
        url = first_url or self.url
        while time.time() - first < self.give_up:
            t.attempts += 1
            kind, reply = await post(session, url, conversation.sender, text, self.timeout)
            url = self.url
            if kind == "reply" and reply != BUSY:
                t.answered += 1
                t.waits.append((first, time.time() - first))
                conversation.answered.append(text)
                self._judge(conversation, step, reply)
                return True
            if kind == "reply":
                t.busy.append(time.time())
            else:
                t.no_reply.append((time.time(), reply))
            await asyncio.sleep(1.0)  # a person reads 系统繁忙 (or an error) and sends the message again
        conversation.gave_up = text
        return False

    def _judge(self, conversation: Conversation, step: int, reply: str) -> None:
        expected = self.reference[conversation.family.slot][step]
        if reply == expected:
            return
        foreign = foreign_persons(reply, conversation.family)
        line = f"{conversation.sender} step {step}: {reply[:80]!r} (expected {expected[:80]!r})"
        if foreign & self.others[conversation.family.slot]:
            self.tally.cross_talk.append(f"{line}; names {sorted(foreign)}")
        else:
            self.tally.wrong.append(line)


async def reference_answers(url: str, families: Iterable[Family]) -> Dict[int, List[str]]:
    """Each family's conversation once, one message at a time: the answers every later run must give."""
    answers: Dict[int, List[str]] = {}
    async with aiohttp.ClientSession() as session:
        for f in families:
            sender = f"soak-reference-{f.slot}-{uuid.uuid4().hex[:8]}"
            replies = []
            for text in f.messages():
                kind, reply = await post(session, url, sender, text, 60.0)
                if kind != "reply" or reply == BUSY:
                    raise RuntimeError(f"reference conversation {f.slot}: {text!r} got {reply!r}")
                replies.append(reply)
            answers[f.slot] = replies
    return answers


@dataclass
class Stored:
    """What PostgreSQL holds against what the citizens were answered."""

    conversations: int = 0
    missing: List[str] = field(default_factory=list)  # answered, not stored: lost on the server side
    duplicated: List[str] = field(default_factory=list)  # stored more than once: a message whose turn ran twice
    unanswered_stored: List[str] = field(default_factory=list)  # stored, but the citizen never got its answer
    out_of_order: List[str] = field(default_factory=list)


def check_stored(conversations: Sequence[Conversation], stored: Dict[str, List[str]]) -> Stored:
    """`stored`: each sender's user messages in PostgreSQL, in insertion order."""
    result = Stored(conversations=len(conversations))
    for c in conversations:
        texts = stored.get(c.sender, [])
        counts = Counter(texts)
        result.missing += [f"{c.sender}: {t}" for t in c.answered if t not in counts]
        result.duplicated += [f"{c.sender}: {t} ×{n}" for t, n in counts.items() if n > 1]
        result.unanswered_stored += [f"{c.sender}: {t}" for t in counts if t not in c.answered]
        once = list(dict.fromkeys(texts))
        if [t for t in once if t in c.answered] != [t for t in c.answered if t in counts]:
            result.out_of_order.append(f"{c.sender}: {once}")
    return result
