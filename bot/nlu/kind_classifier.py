"""The kind of a question (and an item question's aspect) by a classifier trained on bot.nlu.kind_examples: char
1–3-gram TF-IDF and a logistic regression (scikit-learn), trained in about a second the first time a process asks
(`trained()`, kept for the process), no Rasa.

Reading is done by hand from the trained weights (the n-grams of the message looked up in the vocabulary, one
small matrix product), not by scikit-learn's transform and predict_proba, whose per-call overhead alone is about
half a millisecond: a message is read in a few hundredths of a millisecond (`scripts/compare_reader.py` times it).

    .venv/bin/python -m bot.nlu.kind_classifier "俺娘八十了能领点啥"
"""

from __future__ import annotations

import functools
import math
import random
import sys
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.nlu.kind_examples import generate

NGRAMS = (1, 3)


@dataclass(frozen=True)
class Reading:
    label: str  # a kind, or "item/<aspect>"
    probability: float

    @property
    def kind(self) -> str:
        return self.label.split("/", 1)[0]

    @property
    def aspect(self) -> Optional[str]:
        return self.label.split("/", 1)[1] if "/" in self.label else None


class KindClassifier:
    def __init__(self, examples: Sequence[Tuple[str, str]], c: float = 20.0):
        texts = [t for t, _ in examples]
        labels = [label for _, label in examples]
        vectorizer = TfidfVectorizer(analyzer="char", ngram_range=NGRAMS, sublinear_tf=True)
        x = vectorizer.fit_transform(texts)
        model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
        model.fit(x, labels)
        self.labels: Tuple[str, ...] = tuple(model.classes_)
        self._index: Dict[str, int] = {g: int(i) for g, i in vectorizer.vocabulary_.items()}
        self._idf = vectorizer.idf_.astype(np.float64)
        self._weights = np.ascontiguousarray(model.coef_.T, dtype=np.float64)  # n-grams × labels
        self._bias = model.intercept_.astype(np.float64)
        self._fit = (vectorizer, model)  # kept for the check in the tests that the hand reading is the same

    def _features(self, text: str) -> Tuple[List[int], np.ndarray]:
        counts: Dict[int, int] = {}
        low = text.lower()  # TfidfVectorizer lowercases
        for n in range(NGRAMS[0], NGRAMS[1] + 1):
            for i in range(len(low) - n + 1):
                j = self._index.get(low[i : i + n])
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
        idx = list(counts)
        if not idx:
            return idx, np.zeros(0)
        values = np.array([1.0 + math.log(counts[j]) for j in idx]) * self._idf[idx]
        return idx, values / np.linalg.norm(values)

    def probabilities(self, text: str) -> np.ndarray:
        idx, values = self._features(text)
        scores = self._bias + (values @ self._weights[idx] if idx else 0.0)
        scores = np.exp(scores - scores.max())
        return scores / scores.sum()

    def read(self, text: str) -> Reading:
        p = self.probabilities(text)
        best = int(p.argmax())
        return Reading(self.labels[best], float(p[best]))


def split(examples: Sequence[Tuple[str, str]], held_out: float = 0.2, seed: int = 7) -> Tuple[list, list]:
    """Train and held-out parts of the generated examples, at random (fixed seed)."""
    shuffled = list(examples)
    random.Random(seed).shuffle(shuffled)
    cut = int(len(shuffled) * (1 - held_out))
    return shuffled[:cut], shuffled[cut:]


def examples() -> List[Tuple[str, str]]:
    """The generated examples as the reader sees a message (normalised: 八十五岁 -> 85岁), each text once."""
    from bot.nlu.normaliser import normalize

    out: Dict[str, str] = {}
    for text, label in generate():
        out.setdefault(normalize(text), label)
    return list(out.items())


@functools.lru_cache(maxsize=1)
def trained() -> KindClassifier:
    """The classifier trained on every generated example, once per process."""
    return KindClassifier(examples())


def read(text: str) -> Reading:
    """`text` normalised (bot.nlu.normaliser.normalize), as the question reader has it."""
    return trained().read(text)


if __name__ == "__main__":
    from bot.nlu.normaliser import normalize

    for arg in sys.argv[1:]:
        r = read(normalize(arg))
        print(f"{arg}: {r.label} ({r.probability:.2f})")
