"""The role of an item named in a message, learned: asked ("高龄津贴怎么申请") or stated as a fact about the person
("已经领着高龄津贴了，还能领啥", "在敬老院住着"). The rules' version is bot.dialogue.question.stated_items; this
one is a logistic regression over the characters just before and just after the item's words, trained on examples
generated here from the KB's item names and synonyms crossed with templates written for this module (none from the
evaluation sets or data/nlu). YANGLAO_ROLES=model uses it (bot/dialogue/reader.py); the default is the rules.

    .venv/bin/python -m bot.nlu.item_roles "俺娘已经领着高龄津贴了 护理补贴咋申请"
"""

from __future__ import annotations

import functools
import math
import random
import sys
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.nlu.kind_examples import FACT_CLAUSES, TEMPLATES, _fill, vocabulary, voice
from rules_kb import KB, default_kb

ASKED, STATED = "asked", "stated"
WINDOW = 8  # characters looked at on each side of the item's words
MARK = "\x00"  # where the item goes in a template while the rest is filled

# {item} is the item whose role is the label; {item2} another item, asked; {q} a question about something else.
STATED_TEMPLATES = (
    "{who}已经领着{item}了{sep}{q}",
    "{who}在{item}住着{sep}{q}",
    "{who}享受着{item}{sep}{q}",
    "{who}办了{item}了{sep}{q}",
    "{who}有{item}了{sep}{q}",
    "{who}正在领{item}{sep}{q}",
    "{who}一直吃着{item}{sep}{q}",
    "{item}已经办好了{sep}{q}",
    "{who}的{item}每月都按时发{sep}{q}",
    "{who}领了好几年{item}了{sep}{q}",
    "{who}住进{item}了{sep}{q}",
    "{q}{sep}{who}已经有{item}了",
    "{who}现在领{item}{sep}{q}",
    "{who}去年就办了{item}{sep}{q}",
)
QUESTION_TAILS = (
    "还能领啥",
    "{item2}多少钱",
    "还有别的吗",
    "{item2}怎么申请",
    "能领什么",
    "{item2}找谁办",
    "还能享受什么",
)
# Asked although stated words come first: the words right after ask about the item.
ASKED_AFTER_STATED = (
    "{who}在{item}住要交钱吗",
    "{who}已经{age}了{sep}{item}怎么申请",
    "{who}住在{place}{sep}{item}要钱不",
    "已经领着{item2}了{sep}{item}多少钱",
    "{who}有{item2}{sep}还能领{item}吗",
    "{who}想办{item}",
    "{who}在{place}{sep}能领{item}不",
)


def _example(template: str, kb: KB, rng: random.Random, item: str) -> Tuple[str, int, int]:
    """(text, start, end) of the item in the filled, spoken or typed template."""
    v = vocabulary(kb)
    filled = template.replace("{q}", rng.choice(QUESTION_TAILS)).replace("{item}", MARK)
    filled = filled.replace("{sep}", rng.choice(("，", " ", "")))
    filled = filled.replace("{item2}", rng.choice([i for i in v.items if i != item]))
    text = _fill(filled, v, rng)
    if rng.random() < 0.5:
        text = voice(text, rng)
    left, _, right = text.partition(MARK)
    return left + item + right, len(left), len(left) + len(item)


def generate(kb: Optional[KB] = None, per_item: int = 3, seed: int = 21) -> List[Tuple[str, int, int, str]]:
    """(text, start, end, role) for every item word of the KB: stated in the stated templates, asked in the item
    templates of bot.nlu.kind_examples (with facts said first, at random) and in ASKED_AFTER_STATED."""
    kb = kb or default_kb()
    v = vocabulary(kb)
    rng = random.Random(seed)
    asked = [t for label, ts in TEMPLATES.items() if label.startswith("item/") or label == "why_not" for t in ts]
    asked = [t for t in asked if "{item}" in t]
    out: Dict[Tuple[str, int], Tuple[str, int, int, str]] = {}
    for item in v.items:
        for _ in range(per_item):
            for template, role in (
                (rng.choice(STATED_TEMPLATES), STATED),
                (rng.choice(ASKED_AFTER_STATED), ASKED),
                (rng.choice(FACT_CLAUSES) + rng.choice(("，", " ", "")) + rng.choice(asked), ASKED),
            ):
                text, start, end = _example(template, kb, rng, item)
                out.setdefault((text, start), (text, start, end, role))
    return list(out.values())


def features(text: str, start: int, end: int) -> List[str]:
    """Char 1–3-grams of the WINDOW characters before (L) and after (R) the item, and the edges of the text."""
    left, right = text[max(0, start - WINDOW) : start], text[end : end + WINDOW]
    out = ["^" if start == 0 else "L", "$" if end >= len(text) else "R"]
    for side, part in (("L", left), ("R", right)):
        for n in (1, 2, 3):
            for i in range(len(part) - n + 1):
                gram = part[i : i + n]
                # the grams next to the item say most: marked by their distance when they touch it
                touching = (side == "L" and i + n == len(part)) or (side == "R" and i == 0)
                out.append(f"{side}{'|' if touching else ':'}{gram}")
    return out


class RoleClassifier:
    def __init__(self, examples: Sequence[Tuple[str, int, int, str]], c: float = 10.0):
        docs = [features(t, s, e) for t, s, e, _ in examples]
        vectorizer = TfidfVectorizer(analyzer=lambda doc: doc, sublinear_tf=True)
        x = vectorizer.fit_transform(docs)
        model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
        model.fit(x, [role for *_, role in examples])
        assert tuple(model.classes_) == (ASKED, STATED)
        self._index: Dict[str, int] = {g: int(i) for g, i in vectorizer.vocabulary_.items()}
        self._idf = vectorizer.idf_.astype(np.float64)
        self._weights = model.coef_[0].astype(np.float64)
        self._bias = float(model.intercept_[0])
        self._fit = (vectorizer, model)

    def stated_probability(self, text: str, start: int, end: int) -> float:
        counts: Dict[int, int] = {}
        for f in features(text, start, end):
            j = self._index.get(f)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        idx = list(counts)
        score = self._bias
        if idx:
            values = np.array([1.0 + math.log(counts[j]) for j in idx]) * self._idf[idx]
            score += float(values @ self._weights[idx]) / float(np.linalg.norm(values))
        return 1.0 / (1.0 + math.exp(-score))

    def stated(self, text: str, start: int, end: int) -> bool:
        return self.stated_probability(text, start, end) > 0.5


def split(examples: Sequence, held_out: float = 0.2, seed: int = 7) -> Tuple[list, list]:
    shuffled = list(examples)
    random.Random(seed).shuffle(shuffled)
    cut = int(len(shuffled) * (1 - held_out))
    return shuffled[:cut], shuffled[cut:]


@functools.lru_cache(maxsize=1)
def trained() -> RoleClassifier:
    return RoleClassifier(generate())


if __name__ == "__main__":
    from bot.nlu.extractor import extract
    from bot.nlu.normaliser import normalize

    for arg in sys.argv[1:]:
        text = normalize(arg)
        for e in extract(text, default_kb()):
            if e.entity == "item":
                p = trained().stated_probability(text, e.start, e.end)
                print(f"{text[e.start : e.end]} ({e.value}): stated {p:.2f}")
