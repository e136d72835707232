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


def example_text(text: str) -> str:
    """One line, no annotation syntax."""
    return re.sub(r"\s+", " ", text or "").strip().translate(_ANNOTATION_CHARS)


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
