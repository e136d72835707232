"""Review-queue entries -> Rasa NLU training data (YAML, format 3.1), each under the intent a reviewer chose.

The texts are the masked ones from the queue. Rasa reads "[text](entity)" and "[text]{...}" in an example as an
entity annotation, so brackets, parentheses and braces become their full-width forms (the normaliser turns them
back before NLU reads a message, so the example still reads as people type it).
"""

from __future__ import annotations

import re
from typing import Dict, Iterable, List, Sequence, Tuple

_ANNOTATION_CHARS = str.maketrans({"[": "【", "]": "】", "(": "（", ")": "）", "{": "｛", "}": "｝"})
# intents no example should be written for: Rasa's own fallback
NOT_TRAINABLE = ("nlu_fallback",)


# What YAML may hold (its printable set), less Unicode's noncharacters (U+FDD0–FDEF, U+xFFFE/U+xFFFF): control
# characters, C1 codes such as U+0086, surrogates and noncharacters in a message would make the file unloadable.
_NOT_PRINTABLE = re.compile(
    "[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd\U00010000-\U0010ffff]"
    "|[\U0001fffe-\U0001ffff\U0002fffe-\U0002ffff\U0003fffe-\U0003ffff\U0004fffe-\U0004ffff"
    "\U0005fffe-\U0005ffff\U0006fffe-\U0006ffff\U0007fffe-\U0007ffff\U0008fffe-\U0008ffff"
    "\U0009fffe-\U0009ffff\U000afffe-\U000affff\U000bfffe-\U000bffff\U000cfffe-\U000cffff"
    "\U000dfffe-\U000dffff\U000efffe-\U000effff\U000ffffe-\U000fffff\U0010fffe-\U0010ffff]"
)


def example_text(text: str) -> str:
    """One line of characters YAML can hold, no annotation syntax. Line and paragraph separators (U+0085,
    U+2028, U+2029 end a line in YAML) become spaces with the other whitespace; what YAML cannot hold goes."""
    text = re.sub(r"[\s\u0085\u2028\u2029]+", " ", text or "")
    return re.sub(r" +", " ", _NOT_PRINTABLE.sub("", text)).strip().translate(_ANNOTATION_CHARS)


def nlu_yaml(examples: Iterable[Tuple[str, str]], intents: Sequence[str]) -> str:
    """(text, intent) pairs -> the YAML text of an NLU file. Raises ValueError for an intent not in `intents`."""
    grouped: Dict[str, List[str]] = {}
    allowed = [i for i in intents if i not in NOT_TRAINABLE]
    for text, intent in examples:
        if intent not in allowed:
            raise ValueError(f"意图 {intent!r} 不在领域文件（domain.yml）的意图中：{'、'.join(allowed)}")
        line = example_text(text)
        if line and line not in grouped.setdefault(intent, []):
            grouped[intent].append(line)
    out = ['version: "3.1"', "nlu:"]
    for intent, lines in grouped.items():
        if not lines:
            continue
        out += [f"- intent: {intent}", "  examples: |"] + [f"    - {line}" for line in lines]
    if len(out) == 2:
        out[-1] = "nlu: []"
    return "\n".join(out) + "\n"
